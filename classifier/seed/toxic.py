"""Toxic genres: insults, threats, identity attacks, obscenity and harassment aimed at people.

This is moderation training data, so it has to contain the abuse a moderator sees; the slur list is
kept to a moderate handful, enough for a classifier to learn that such words aimed at people are toxic.
"""

from __future__ import annotations

import random
import re

from classifier.seed import ham, surface, vocab
from classifier.seed.draft import Draft, fill, sentences

PROFANE = re.compile(
    r"\b(fuck|f\*ck|shit|bitch|cunt|dick|asshole|ass\b|arse|piss|bastard|whore|slut|hoes?\b|pussy|cock|"
    r"wank|twat|motherf|bullshit|damn)",
    re.IGNORECASE,
)
# Disguises seen in the wild, applied to some rows so obfuscated abuse is still learned.
DISGUISES = {
    "fuck": ["f*ck", "fvck", "fuk", "f u c k", "phuck", "fck", "f**k", "fuсk"],
    "fucking": ["f*cking", "fkn", "fuckin", "fvcking", "f'ing", "fcking", "friggin"],
    "shit": ["sh1t", "sh*t", "shyt", "s h i t", "$hit"],
    "bitch": ["b!tch", "biatch", "b*tch", "bytch", "btch", "b1tch"],
    "asshole": ["a$$hole", "a**hole", "@sshole", "azzhole", "ass hole"],
    "idiot": ["id10t", "1diot", "i d i o t", "іdiot"],
    "stupid": ["st*pid", "stoopid", "stuped", "stüpid"],
    "retard": ["r3tard", "ret4rd", "r*tard", "retarrd"],
    "cunt": ["c*nt", "cvnt", "kunt", "c u n t"],
    "kill": ["k1ll", "ki11", "k!ll", "kil"],
    "whore": ["wh0re", "h0e", "wh*re"],
    "loser": ["l0ser", "looser", "lo$er"],
    "moron": ["m0ron", "mor0n", "m o r o n"],
}

INSULT_NOUNS = [
    "idiot", "moron", "loser", "clown", "troll", "imbecile", "halfwit", "muppet", "buffoon", "degenerate",
    "scumbag", "waste of space", "lowlife", "fool", "nitwit", "numpty", "crybaby", "parasite", "creep", "simpleton",
]
OBSCENE_NOUNS = ["dumbass", "jackass", "asshole", "dickhead", "prick", "bitch", "tosser", "wanker", "twat",
                 "piece of shit", "shithead", "cunt", "motherfucker", "douchebag", "bastard"]
ADJECTIVES = ["stupid", "pathetic", "brainless", "worthless", "ignorant", "clueless", "delusional", "braindead",
              "spineless", "useless", "disgusting", "ugly", "fat", "dense", "gutless", "dimwitted", "sad"]
GROUPS = ["muslims", "jews", "immigrants", "black people", "mexicans", "gays", "trans people", "women",
          "asians", "arabs", "indians", "gypsies", "refugees", "christians", "africans", "feminists"]
# A moderate slur vocabulary, each tied to the group it is used against.
SLURS = ["nigger", "faggot", "fag", "retard", "spic", "kike", "chink", "tranny", "dyke", "raghead", "wetback"]
FATES = ["go back where they came from", "be deported", "be banned from this country", "not be allowed to vote",
         "stay in their own countries", "be kept away from our kids", "be locked up"]
VIOLENCE = ["beat the shit out of you", "break your legs", "smash your face in", "put you in the hospital",
            "make you regret it", "put a bullet in you", "burn your house down", "hurt you", "break your jaw",
            "end you", "kick your teeth in", "make sure you never walk again"]
TOPICS = ["the article", "this thread", "the council vote", "the match", "the video", "the budget", "vaccines",
          "the election", "climate change", "the new stadium", "the review", "this recipe", "the update"]

# (template, insult, threat, identity_attack, severe)
TEMPLATES = [
    ("You are a {adj} {noun}.", 1, 0, 0, 0),
    ("what a {adj} {noun} you are", 1, 0, 0, 0),
    ("Only a {adj} {noun} would write something like this.", 1, 0, 0, 0),
    ("Shut up, you {adj} {noun}.", 1, 0, 0, 0),
    ("@{user} you're a {noun}, nobody cares what you think", 1, 0, 0, 0),
    ("The author of this article is a {adj} {noun} who should never be allowed near a keyboard.", 1, 0, 0, 0),
    ("Go back to your basement, {noun}.", 1, 0, 0, 0),
    ("Are you really this {adj} or do you just pretend online?", 1, 0, 0, 0),
    ("Imagine being such a {adj} {noun} that you comment about {topic} without reading it.", 1, 0, 0, 0),
    ("{Noun}. Absolute {noun}. Every comment you make is dumber than the last.", 1, 0, 0, 0),
    ("Nobody asked you, {onoun}.", 1, 0, 0, 0),
    ("You're a {adj} {onoun} and everybody here knows it.", 1, 0, 0, 0),
    ("shut the fuck up you {onoun}", 1, 0, 0, 0),
    ("What a fucking {onoun}. Read {topic} before you open your mouth.", 1, 0, 0, 0),
    ("go fuck yourself, {onoun}", 1, 0, 0, 1),
    ("Fuck off you {adj} {onoun}", 1, 0, 0, 0),
    ("this {onoun} has no idea what he's talking about lmao", 1, 0, 0, 0),
    ("You {adj} piece of shit, I hope you choke on your own words.", 1, 0, 0, 1),
    ("I will {violence} if I ever see you.", 0, 1, 0, 0),
    ("Keep talking and I'll {violence}.", 0, 1, 0, 0),
    ("I know where you live. Watch your back.", 0, 1, 0, 0),
    ("Someone should {violence2}, {noun}.", 1, 1, 0, 0),
    ("People like you deserve to be shot.", 0, 1, 0, 1),
    ("@{user} say that to my face and I swear I'll {violence}", 0, 1, 0, 0),
    ("I'm going to find you and {violence}. You won't see it coming.", 0, 1, 0, 1),
    ("If I ever meet the {noun} who wrote this I will {violence}.", 1, 1, 0, 0),
    ("you better hope we never meet in real life, I'll {violence}", 0, 1, 0, 0),
    ("I hope someone kills you and your whole family.", 0, 1, 0, 1),
    ("Kill yourself, nobody would miss you.", 1, 1, 0, 1),
    ("I'm coming for you, {noun}. I know your address.", 1, 1, 0, 0),
    ("{Group} are {gadj} and should {fate}.", 0, 0, 1, 0),
    ("All {group} are {gadj}. Every single one.", 0, 0, 1, 0),
    ("Typical {group}, always {behaviour}.", 0, 0, 1, 0),
    ("This country was fine before the {group} showed up.", 0, 0, 1, 0),
    ("Of course it was one of those {group} again. They're all the same.", 0, 0, 1, 0),
    ("{group} are animals and should be treated like animals", 0, 0, 1, 1),
    ("We need to get rid of {group} once and for all.", 0, 1, 1, 1),
    ("go back to your country you {slur}", 1, 0, 1, 0),
    ("shut up {slur}", 1, 0, 1, 0),
    ("Only a {slur} would defend this.", 1, 0, 1, 0),
    ("lol look at this {slur} crying about {topic}", 1, 0, 1, 0),
    ("Fucking {slur}s ruin everything.", 1, 0, 1, 1),
    ("no one wants you here, {slur}. get out", 1, 0, 1, 0),
    ("{slur}s like you should be hanged", 1, 1, 1, 1),
    ("Another {slur} with an opinion, just what we needed.", 1, 0, 1, 0),
    ("The writer is obviously a {slur}, ignore him.", 1, 0, 1, 0),
]
BEHAVIOUR = ["whining about something", "taking handouts", "causing trouble", "lying", "playing the victim",
             "breeding like rabbits", "stealing our jobs", "ruining every neighbourhood they move into"]
GROUP_ADJ = ["vermin", "subhuman", "a disease", "filthy", "parasites", "criminals", "animals", "a plague",
             "too stupid to live here", "a cancer on society", "inferior", "dirty"]

CONTEXT = [
    "Read the article again.", "This is about {topic}, not your pet theory.", "I've read your other comments.",
    "Seriously.", "Every single week with this.", "I can't believe the mods let this stay up.",
    "Same guy, different account.", "The numbers are right there in the piece.",
    "You've posted this ten times now.", "Ok I'm done being polite.", "Wow.", "Honestly?",
    "I was going to reply properly but why bother.", "Look at this comment section.",
]

HARASSMENT = [
    "Everyone at work knows you're a fraud, {name}. I'll make sure your boss sees this.",
    "I'm going to keep posting this on every one of your videos until you quit.",
    "Nice photos of your kids on facebook. Would be a shame if people found out where they go to school.",
    "Delete your account. Nobody here wants you. Seriously, just leave.",
    "I made 5 accounts just to downvote you. Enjoy.",
    "@{user} @{user} @{user} answer me you coward, I know you're reading this",
    "You're so ugly it hurts to look at your profile picture.",
    "nobody likes you {name}, not even your own family",
    "I'm sharing your address in the group chat, let's see how brave you are then",
    "Hey {name}, I found your instagram. Guess who's getting messages every day now 😘",
    "Stop posting, you fat cow, nobody wants to see that.",
    "your channel is trash and so are you. quit.",
    "Go cry to your mommy {name}, you pathetic little loser",
    "lol {name} got dumped again, wonder why 🤣 must be the personality",
    "I'll keep reporting you until you're banned, freak.",
    "The world would be better off without people like you. Do everyone a favour and disappear.",
    "Reminder that {name} is a liar and a thief. Don't trust a word from this creep.",
    "{name} you worthless whore, everyone knows what you did",
    "Why are you still here? Nobody likes you. Take the hint.",
    "lmao imagine being {name}. embarrassing.",
]

TWEET_BODIES = [
    ("these hoes ain't loyal", 1, 0, 0), ("bitch you ain't shit", 1, 0, 0), ("stop acting like a lil bitch", 1, 0, 0),
    ("this nigga really thought he could play me", 1, 0, 1), ("shut yo bitch ass up", 1, 0, 0),
    ("ugly ass hoe talking bout me", 1, 0, 0), ("pussy ass nigga won't even fight", 1, 0, 1),
    ("ain't nobody checking for you hoe", 1, 0, 0), ("these bitches be lying for no reason", 1, 0, 0),
    ("that fag in my english class won't shut up", 1, 0, 1), ("you a whole clown bitch", 1, 0, 0),
    ("fuck that bitch fr", 1, 0, 0), ("dumb ass hoes everywhere today", 1, 0, 0),
    ("niggas be broke and still talking", 1, 0, 1), ("lame ass nigga", 1, 0, 1),
    ("bitches ain't shit but hoes and tricks", 1, 0, 0), ("that retard really said that lmaooo", 1, 0, 1),
    ("hoes be mad when you don't text back", 1, 0, 0), ("my ex a dirty bitch", 1, 0, 0),
    ("u a fake ass bitch and everybody know it", 1, 0, 0), ("nasty hoe tried to talk to my man", 1, 0, 0),
    ("all these fake niggas get on my nerves", 1, 0, 1), ("ima beat yo ass when I see you", 1, 1, 0),
    ("catch me outside bitch I'll fuck you up", 1, 1, 0), ("this bitch got me fucked up", 1, 0, 0),
    ("who let this faggot tweet", 1, 0, 1), ("thirsty ass hoes in my mentions", 1, 0, 0),
    ("hate a bitch that can't cook", 1, 0, 0), ("yo girl a hoe bro sorry", 1, 0, 0),
    ("trash ass bitch can't even rap", 1, 0, 0), ("these pussies scared to fight", 1, 0, 0),
    ("stupid bitch blocked me again", 1, 0, 0), ("that spic stole my parking spot", 1, 0, 1),
    ("you fat bitch get off my timeline", 1, 0, 0), ("lil dick nigga think he hard", 1, 0, 1),
    ("side hoes always think they the main one", 1, 0, 0), ("fuck outta here with that weak shit, bitch", 1, 0, 0),
    ("these dykes always starting drama", 1, 0, 1), ("bitch please you ain't even cute", 1, 0, 0),
    ("keep my name out yo mouth hoe", 1, 0, 0), ("I'm finna slap the shit outta this nigga", 1, 1, 1),
    ("ratchet hoes at the mall again smh", 1, 0, 0), ("you dumb as hell bruh you a whole retard", 1, 0, 1),
    ("bad bitches only, ugly hoes stay away", 1, 0, 0), ("your mama a hoe", 1, 0, 0),
    ("these niggas soft as hell", 1, 0, 1), ("quit being a pussy and text her", 1, 0, 0),
    ("broke bitches can't tell me nothing", 1, 0, 0), ("cuffing a hoe is crazy", 1, 0, 0),
    ("you really a snake ass bitch for that", 1, 0, 0), ("she a hoe and you know it", 1, 0, 0),
    ("lmao this dude a straight bitch", 1, 0, 0), ("fuck you and your whole team, pussies", 1, 0, 0),
    ("stop texting my phone you crazy bitch", 1, 0, 0), ("dirty hoes all over the club tonight", 1, 0, 0),
    ("niggas really be snitching for likes", 1, 0, 1), ("that ho got a body count higher than my gpa", 1, 0, 0),
    ("ya mans a bitch made nigga", 1, 0, 1), ("bitch I'm coming to your house right now", 1, 1, 0),
    ("don't call me bro, faggot", 1, 0, 1), ("these bitches mad cause they ugly", 1, 0, 0),
    ("y'all hoes need jesus", 1, 0, 0), ("fat hoes swear they cute with that filter", 1, 0, 0),
    ("stupid nigga really lost his job over a tweet", 1, 0, 1), ("he a bitch for that one lmao", 1, 0, 0),
    ("your boyfriend a pussy", 1, 0, 0), ("bitch you was never my friend", 1, 0, 0),
    ("you ugly and your personality trash, hoe", 1, 0, 0), ("tired of these retarded ass people", 1, 0, 1),
    ("all these hoes wanna be instagram models", 1, 0, 0), ("fuck that nigga and his fake chain", 1, 0, 1),
    ("slut shaming? nah she really a slut tho", 1, 0, 0), ("I hope that bitch falls down the stairs", 1, 1, 0),
    ("bum ass nigga owe me 20 dollars", 1, 0, 1), ("nobody wanna fuck with you bitch", 1, 0, 0),
    ("coach a bitch for benching me", 1, 0, 0), ("lil hoe thought she was slick", 1, 0, 0),
    ("she a cum dumpster lmao", 1, 0, 0), ("gay ass faggots all over my timeline", 1, 0, 1),
    ("wetbacks taking all the jobs", 1, 0, 1), ("I'd smack that hoe if she talked to me like that", 1, 1, 0),
]
TWEET_TAILS = ["", "", "", " lmao", " smh", " 😂😂", " fr", " lol", " 💀", " #facts", " bruh", " on god", " 😤"]

# lang -> (text, threat)
MULTI_TOXIC = {
    "es": [("eres un idiota y un ignorante", 0), ("cállate imbécil, nadie te preguntó", 0),
           ("vete a la mierda, pendejo", 0), ("qué estúpido eres, de verdad", 0),
           ("te voy a romper la cara si te veo", 1), ("puta madre, que asco de persona", 0)],
    "fr": [("ferme ta gueule, connard", 0), ("t'es vraiment un abruti fini", 0), ("va te faire foutre", 0),
           ("quel débile ce mec", 0), ("je vais te casser la gueule", 1), ("espèce de salope", 0)],
    "de": [("halt die Fresse, du Idiot", 0), ("du bist so ein dummes Arschloch", 0),
           ("verpiss dich, du Wichser", 0), ("was für ein Vollidiot", 0), ("ich schlag dir die Fresse ein", 1)],
    "pt": [("cala a boca, seu idiota", 0), ("vai se foder, otário", 0), ("que burro você é", 0),
           ("seu merda, ninguém te perguntou", 0)],
    "it": [("sei un idiota totale", 0), ("stai zitto, coglione", 0), ("vaffanculo, stronzo", 0)],
    "ru": [("заткнись, идиот", 0), ("ты тупой дебил", 0), ("иди на хуй", 0)],
}
FOREIGN_OBSCENE = ["mierda", "puta", "foutre", "salope", "arschloch", "wichser", "foder", "merda", "vaffanculo",
                   "хуй", "connard", "stronzo", "coglione", "fresse", "gueule", "pendejo"]


def _disguise(rng: random.Random, text: str) -> str:
    words = [w for w in DISGUISES if re.search(rf"\b{w}", text, re.IGNORECASE)]
    if not words:
        return text
    word = rng.choice(words)
    return re.sub(rf"\b{word}", rng.choice(DISGUISES[word]), text, count=1, flags=re.IGNORECASE)


def _finish(rng: random.Random, text: str, genre: str, flags: tuple[int, int, int, int], style: str,
            lang: str = "en") -> Draft:
    insult, threat, identity, severe = flags
    obscene = int(bool(PROFANE.search(text)))
    if rng.random() < 0.3:
        text = _disguise(rng, text)
    last = text.split()[-1]
    if rng.random() < 0.08 and last.isalpha():
        head, _, tail = text.rpartition(last)
        text = head + surface.obfuscate_word(rng, last, "spaced") + tail
    text = surface.decorate(rng, text, style)
    kind = rng.choice(["handle", "handle", "person", "none"])
    return Draft(text, genre, lang=lang, insult=insult, threat=threat, identity_attack=identity,
                 obscene=obscene, severe_toxic=severe, author_kind=kind)


def _slots(rng: random.Random) -> dict[str, list[str]]:
    noun = rng.choice(INSULT_NOUNS)
    group = rng.choice(GROUPS)
    return {
        "adj": ADJECTIVES, "noun": [noun], "Noun": [noun.capitalize()], "onoun": OBSCENE_NOUNS,
        "user": [vocab.handle(rng)], "topic": TOPICS, "violence": VIOLENCE,
        "violence2": ["teach you a lesson", "shut you up for good", "slap some sense into you", "shoot you"],
        "group": [group], "Group": [group.capitalize()], "gadj": GROUP_ADJ, "fate": FATES,
        "behaviour": BEHAVIOUR, "slur": SLURS, "name": [rng.choice(vocab.FIRST_NAMES)],
    }


def _from_templates(genre: str, keep) -> callable:
    pool = [t for t in TEMPLATES if keep(t)]

    def make(rng: random.Random) -> Draft:
        template, insult, threat, identity, severe = rng.choice(pool)
        slots = _slots(rng)
        text = fill(rng, template, slots)
        if rng.random() < 0.3:
            context = fill(rng, rng.choice(CONTEXT), slots)
            text = f"{context} {text}" if rng.random() < 0.6 else f"{text} {context}"
        if rng.random() < 0.1:
            text = text + " " + fill(rng, rng.choice([t for t, *_ in pool]), _slots(rng))
        if rng.random() < 0.2:
            # Abuse often follows an on-topic opening, sometimes paragraphs of it.
            topic = rng.choice(sorted(ham.TOPICS))
            opening = " ".join(sentences(rng, ham.TOPICS[topic], 1, 3))
            text = opening + rng.choice(["\n\n", " ", "\n"]) + text
        style = "tweet" if text.startswith("@") else rng.choice(["web", "web", "youtube"])
        return _finish(rng, text, genre, (insult, threat, identity, severe), style)

    return make


def _harassment(rng: random.Random) -> Draft:
    text = fill(rng, rng.choice(HARASSMENT), _slots(rng))
    threat = int(any(w in text for w in ("address", "school", "brave", "shame if")))
    severe = int("whore" in text or "without people like you" in text)
    return _finish(rng, text, "toxic/harassment", (1, threat, 0, severe), "web")


def _tweet(rng: random.Random) -> Draft:
    body, insult, threat, identity = rng.choice(TWEET_BODIES)
    text = body + rng.choice(TWEET_TAILS)
    roll = rng.random()
    if roll < 0.35:
        text = f"RT @{vocab.handle(rng)}: {text}"
    elif roll < 0.6:
        text = f"@{vocab.handle(rng)} {text}"
    elif roll < 0.7:
        text = f"\"@{vocab.handle(rng)}: {text}\" {rng.choice(['facts', 'lmao', 'this', 'deadass', '😂'])}"
    if rng.random() < 0.15:
        text = f"{text} http://t.co/{vocab.code(rng, 10)}"
    if rng.random() < 0.15:
        text = f"{rng.choice(['!!!', '!!!!!', 'lmao', 'Bruh', 'smh'])} {text}"
    if rng.random() < 0.12:
        extra_body, *_ = rng.choice(TWEET_BODIES)
        text = f"{text}. {extra_body}"
    return _finish(rng, text, "toxic/social", (insult, threat, identity, 0), "tweet")


def _multilingual(rng: random.Random) -> Draft:
    lang = rng.choice(sorted(MULTI_TOXIC))
    text, threat = rng.choice(MULTI_TOXIC[lang])
    if rng.random() < 0.5:
        text = f"@{vocab.handle(rng)} {text}"
    if rng.random() < 0.5:
        text = text + rng.choice(["!", "!!", " 😡", ".", " 🤡"])
    draft = _finish(rng, text, "toxic/multilingual", (1, threat, 0, 0), "web", lang)
    draft.obscene = int(any(w in text.lower() for w in FOREIGN_OBSCENE))
    return draft


GENRES = {
    "toxic/insult": ([], _from_templates("toxic/insult", lambda t: t[1] and not t[2] and not t[3]), 330),
    "toxic/threat": ([], _from_templates("toxic/threat", lambda t: t[2] and not t[3]), 180),
    "toxic/identity-attack": ([], _from_templates("toxic/identity-attack", lambda t: t[3]), 230),
    "toxic/obscene": ([], _from_templates("toxic/obscene", lambda t: "{onoun}" in t[0] or "fuck" in t[0]), 200),
    "toxic/harassment": ([], _harassment, 160),
    "toxic/social": ([], _tweet, 340),
    "toxic/multilingual": ([], _multilingual, 70),
}
