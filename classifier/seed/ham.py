"""Ordinary comments (both labels 0): on-topic discussion, replies, chat and tweets."""

from __future__ import annotations

import random

from classifier.seed import surface, vocab
from classifier.seed.draft import Draft, sentences

OPENERS = [
    "Interesting piece.", "Good article, but", "I read this twice.", "As someone who lives here,", "Honestly,",
    "Thanks for writing this.", "Not sure I agree.", "Long time reader, first comment.", "This.", "Hmm.",
    "Great write-up.", "Fair points all round.", "I have mixed feelings about this.", "To be fair,",
    "Speaking from experience,", "Just my two cents:", "Agree with the comment above.", "Well said.",
    "Can confirm.", "Devil's advocate here:", "Quick question:", "Update from me:",
]
CLOSERS = [
    "Just my opinion.", "Anyway, thanks for the article.", "We'll see how it goes.", "Curious what others think.",
    "Time will tell.", "Good luck to everyone involved.", "Happy to be proven wrong.", "Cheers.",
    "Thanks!", "Looking forward to the follow-up piece.", "That's all.", "Interesting times.", "Fingers crossed.",
    "Would love to hear from someone who knows more.", "Keep up the good work.", "Rant over.",
]
TOPICS = {
    "ham/politics": [
        "The budget numbers in the third paragraph don't add up unless they're counting next year's revenue.",
        "I voted for them last time, but this policy on housing is a real disappointment.",
        "Both parties have been promising to fix the NHS waiting lists for a decade now.",
        "The senator's argument would be stronger if she addressed the cost to rural hospitals.",
        "Turnout in the by-election was under 30 percent, which says a lot about how people feel.",
        "I'd like to see the full text of the bill before deciding whether it's a good idea.",
        "Raising the minimum wage helps some workers, but small businesses here are already struggling.",
        "The debate last night was mostly people talking over each other.",
        "This reform has been tried in other countries with mixed results.",
        "Whatever you think of the minister, the interview was well handled by the journalist.",
        "Local elections matter more than people think; the council decides bin collections and schools.",
        "Interesting that the polls moved so little after the scandal.",
        "The article should mention that the same plan was rejected by the committee in 2019.",
        "Tax policy is complicated, and headlines like this one oversimplify it.",
        "I'm a registered independent and neither candidate has convinced me yet.",
        "The coalition agreement leaves a lot of room for interpretation.",
        "Foreign policy barely came up in the campaign, which is strange given everything going on.",
        "The rail strike affects my commute every week, but I understand why they are striking.",
        "Immigration is a hard topic, and I wish the debate were based more on data than on slogans.",
        "Good reporting on the lobbying disclosures, that deserves more attention.",
    ],
    "ham/local-news": [
        "The new cycle lane on Mill Road has made my commute a lot safer.",
        "Does anyone know if the library will reopen after the renovation?",
        "That bakery on the corner has been there since my grandmother was a kid. Sad to see it close.",
        "Roadworks on the high street again? They just finished last spring.",
        "Glad the council finally fixed the potholes near the school.",
        "The farmers market is back on Saturdays from next month, great news.",
        "Our street flooded too. The drains haven't been cleared in years.",
        "Hope the family who lost their home in the fire get the support they need.",
        "Parking near the hospital is a nightmare, they need a better bus service.",
        "The new housing development will add traffic to an already busy junction.",
        "Well done to the volunteers who cleaned up the river bank last weekend.",
        "Is the swimming pool still closed for repairs? My kids keep asking.",
        "I remember when this was all fields. The town has changed so much.",
        "The bin collection schedule changed and nobody told us.",
        "Lovely to see the old cinema being restored instead of knocked down.",
        "Police presence in the park has really helped in the evenings.",
        "The bus from the station now runs every 20 minutes instead of hourly, small win.",
        "Congratulations to the school's robotics team on making the national finals!",
    ],
    "ham/sport": [
        "That second half was a completely different team. The substitutions changed everything.",
        "The referee got the penalty call right, even if it hurt to watch.",
        "Our defence has been leaking goals all season, we need a proper centre back.",
        "What a finish in the last lap! I was on my feet.",
        "The new coach deserves at least one full season before anyone judges him.",
        "He's 38 and still playing at this level, incredible fitness.",
        "VAR took four minutes to decide that. It's killing the atmosphere in the stadium.",
        "The transfer fee seems huge for a player with one good season.",
        "Anyone else think the bowling attack looked tired on day four?",
        "Best match I've watched all year, both teams left everything on the pitch.",
        "Relegation battle is going to go down to the final day again.",
        "Proud of the women's team, they've been brilliant in this tournament.",
        "The tie-break in the third set was nerve-wracking.",
        "Ticket prices are getting out of hand for ordinary fans.",
        "We should have rested the starters with the cup final next week.",
        "His free kick technique is unreal, it dipped right under the bar.",
        "Great to see the local club promoted after so many years.",
        "Marathon training update: finally ran 30k without stopping.",
    ],
    "ham/tech": [
        "I updated to the new version and my battery life got noticeably worse.",
        "The article skips over the privacy implications of storing all this data in the cloud.",
        "Has anyone tried running this on a Raspberry Pi? Curious about performance.",
        "Linux support would make this an instant buy for me.",
        "The keyboard on the new model is so much better than the old butterfly one.",
        "Open source alternatives exist and they are honestly good enough for most people.",
        "I've been using the beta for a month and it's surprisingly stable.",
        "Price is too high for what is basically last year's phone with a better camera.",
        "Rust's borrow checker was painful at first but now I miss it in other languages.",
        "You can fix that error by clearing the cache and restarting the app.",
        "Self-hosting my email was a fun weekend project but I wouldn't recommend it to everyone.",
        "The benchmark results look good but they didn't test with real-world workloads.",
        "AI features are nice, but I'd rather have a headphone jack back.",
        "Our team switched from Jenkins to GitHub Actions and build times dropped by half.",
        "My router kept dropping the connection until I updated the firmware.",
        "The repair score for this laptop is terrible, glued battery again.",
        "Dark mode finally! Only took them five years.",
        "Interesting that they chose PostgreSQL over a NoSQL store for this.",
    ],
    "ham/cooking": [
        "I tried this recipe last night and added a bit more garlic. Family loved it.",
        "Can I use Greek yogurt instead of sour cream here?",
        "The dough was too sticky for me, maybe my flour was different.",
        "Roasting the tomatoes first makes a huge difference to the sauce.",
        "I halved the sugar and it was still plenty sweet.",
        "What size tin did you use? Mine overflowed a bit in the oven.",
        "Made this vegan with oat milk and flax eggs, worked perfectly.",
        "My grandmother made something very similar but with cardamom.",
        "Do you think this would freeze well? I want to batch cook for the week.",
        "Ten minutes prep is optimistic, it took me closer to thirty.",
        "The tip about salting the aubergine first is a game changer.",
        "Sourdough starter finally alive after three attempts!",
        "Cooked it for 45 minutes at 180C and it came out perfect.",
        "Could you add metric measurements? Cups confuse me.",
        "Added chickpeas for protein, highly recommend.",
        "This curry is now a weekly staple in our house.",
    ],
    "ham/music-video": [
        "This song never gets old, I've been listening since I was 12.",
        "Who's still here in 2024? 🙋",
        "The guitar solo at 3:12 gives me chills every time.",
        "Her voice live is even better than the studio version.",
        "Came here after hearing it in a movie trailer, what a tune.",
        "My dad used to play this in the car on road trips. Miss you dad.",
        "The choreography in this video is so creative.",
        "This was our first dance at our wedding ❤️",
        "Billions of views and it still deserves more.",
        "The drummer doesn't get enough credit on this track.",
        "Saw them live in Berlin last summer, absolutely unreal concert.",
        "Anyone know the name of the actress in the video?",
        "The bridge of this song is perfect, no notes.",
        "I can't stop dancing to this lol",
        "Such a classic. They don't make music like this anymore.",
        "The lyrics hit different when you're older.",
        "Listening to this while studying for my exams, wish me luck!",
        "This cover is better than the original, sorry not sorry.",
        "Every time this comes on shuffle I have to turn it up.",
        "That key change at the end!!",
        "The music video looks so good for something filmed in 2012.",
        "I love how the bass comes in at 1:05",
        "Been on repeat all week 🔁",
        "The harmonies in the chorus are beautiful.",
    ],
    "ham/science": [
        "The sample size in this study is pretty small, so I'd wait for replication.",
        "Fascinating that the telescope can detect light that old.",
        "Correlation isn't causation, but the mechanism they propose is plausible.",
        "The paper is open access if anyone wants to read the methods section.",
        "I wish science journalism linked to the original papers more often.",
        "So the vaccine trial results are promising but still phase two, right?",
        "My kids watched the eclipse through pinhole cameras we made, they loved it.",
        "The climate data in the second chart is from the Met Office, for anyone wondering.",
        "CRISPR raises so many ethical questions that the article barely touches.",
        "Incredible that the rover is still working years after its planned mission ended.",
        "The peer review process for this journal is rigorous, so I trust it more.",
        "Bees are more important than most people realise.",
        "Good explanation of quantum entanglement without the usual hype.",
        "The error bars on that graph are huge, hard to draw firm conclusions.",
        "Deep sea creatures are basically aliens, I love these discoveries.",
        "Fusion has been 30 years away for 60 years, but this result looks real.",
    ],
    "ham/forum-help": [
        "Did you try reinstalling the drivers? That fixed it for me.",
        "Same problem here, following this thread.",
        "Marking this as solved, the issue was a loose cable. Thanks all!",
        "What version are you running? The bug was fixed in 2.3.",
        "You need to set the environment variable before starting the server.",
        "Try booting in safe mode and see if it still crashes.",
        "I had the same error on Windows 11, disabling the antivirus scan on that folder helped.",
        "Could you post the full log? Hard to tell from just the last line.",
        "Check that the file permissions are correct, it needs write access.",
        "The manual says to hold the reset button for 10 seconds, that worked for me.",
        "Bumping this, still happening after the latest patch.",
        "Thanks, that workaround saved me hours.",
        "Had a similar issue with my bike gears, a new cable sorted it.",
        "Use a torque wrench for those bolts, don't guess.",
    ],
}
TOPIC_TARGETS = {
    "ham/politics": 150, "ham/local-news": 100, "ham/sport": 110, "ham/tech": 110, "ham/cooking": 90,
    "ham/music-video": 160, "ham/science": 80, "ham/forum-help": 70,
}

SHORT_REPLIES = [
    "thanks!", "+1", "lol", "Agreed.", "this", "Same here", "haha", "So true", "nice", "wow", "Great video",
    "Thank you for sharing", "Love this", "first!", "me too", "lmao", "👍", "❤️", "😂😂😂", "Well said", "Exactly.",
    "Bookmarked.", "Following", "great job", "beautiful", "cool", "Interesting!", "I agree", "no way", "omg",
    "Thanks, that helped", "Good point", "Nope.", "yes!", "brilliant", "Congrats!", "RIP", "so cute",
    "Happy birthday!", "gg", "love it", "amazing", "true", "ok", "+100", "🔥🔥", "Well done!", "LOL same",
    "I needed this today", "facts", "underrated", "masterpiece", "Hear hear.", "Fair enough.", "ha, nice one",
    "can't wait", "take my upvote", "saving this", "best one yet", "Thanks for the reply!", "Cheers mate",
    "great recipe", "goosebumps", "Legend.", "what a goal", "Merci!", "Gracias", "Danke!", "obrigado",
]
SMS_CHAT = [
    "ok see you at 5, can you bring the charger", "running late, be there in 10 mins", "did you eat yet?",
    "call me when you get this", "haha ok", "where are you?", "mum says dinner at 7", "can't talk now, in a meeting",
    "happy birthday!! have a great day", "just got home, so tired", "what time is the film tomorrow?",
    "sorry I missed your call, was driving", "can you pick up milk on the way home", "I'll call you later okay",
    "are you still coming tonight?", "text me when you land", "thanks for today, had a great time",
    "the train is delayed again, ugh", "good luck with your exam tomorrow!", "did you see the game last night",
    "ok no problem", "leaving now", "love you, see you soon", "can we move it to Thursday instead?",
    "i'm outside", "how was the interview?", "don't forget your keys this time lol", "kids are asleep finally",
    "what do you want for dinner", "I'm at the shop, need anything?", "lunch tomorrow? my treat",
    "the doctor said it's nothing serious, don't worry", "my phone is dying, talk later", "send me the address",
    "hey, you free this weekend?", "got your message, will reply properly later", "yes please!",
    "i left my jacket at yours", "omg that's amazing news congrats", "did you finish the assignment",
    "its raining so bring an umbrella", "how much do I owe you for the tickets", "ok cool, call me back",
    "just woke up lol", "we're at the pub on the corner", "the parcel came today, thanks",
    "sorry, I'll be home late tonight, work is crazy", "what's the wifi password again", "can u call me now",
    "miss you already", "on my way", "grandma says hi", "bring a jumper it's cold here",
    "do you want to come over and watch something", "I'll transfer the money tonight",
    "meeting got cancelled so I'm free at 3", "did you feed the cat", "haha that's so you",
    "pick me up at the station at 6?", "the plumber is coming between 8 and 12",
]
SMS_OPENERS = ["", "", "", "hey ", "Hi! ", "Yo ", "Ok ", "lol ", "Hiya, ", "Morning! ", "hey babe ", "Sorry, "]
SMS_TAILS = ["", "", "", " x", " xx", " :)", " :-)", " ;)", " 😊", " thanks", "!", "...", " haha", " pls"]

TWEET_HAM = [
    "can't believe it's already friday", "watching the game with the fam tonight", "new blog post is up!",
    "birds outside my window at 5am like it's a concert", "coffee first, people later", "this weather is unreal",
    "finally finished my thesis!!", "Yankees win! what a comeback", "traffic on the M25 is a joke today",
    "monday again huh", "who else is watching the finale tonight", "best pizza in town, no debate",
    "my dog just stole my sandwich", "So proud of my little sister graduating today",
    "listening to old albums and feeling nostalgic", "gym done, now tacos", "can't sleep, anyone else up?",
    "the new season drops tomorrow and I'm ready", "rainy days are for books", "that sunset tho",
    "happy mother's day to all the moms out there", "just got my first paycheck", "missing summer already",
    "this song has been stuck in my head all day", "road trip this weekend!!",
    "the bus driver waited for me, faith in humanity restored",
    "first snow of the year", "on my way to the concert", "Monday motivation: just show up",
    "the colored leaves in the park this week are gorgeous", "I really need a vacation", "trash day again already?",
    "charlie brown christmas is on tonight", "the monkey exhibit at the zoo was the highlight of the trip",
    "cheesecake for dessert, don't judge me", "spent all day at the yankees game", "football season is finally back",
    "my team is trash this year but I still love them",
    "brb eating", "that's it, I'm deleting twitter. see you tomorrow",
    "just saw the best street performer downtown", "new phone who dis", "my mom just discovered emojis help",
    "when the wifi goes out and you have to talk to your family", "i swear this cat understands english",
    "beach day with the crew", "the new album is a masterpiece front to back", "studying for finals all night",
    "lakers looking good this season", "cannot believe that ending", "got the job!!!", "throwback to last summer",
    "my little brother beat me at 2k again", "this heat is no joke, stay hydrated y'all",
    "drove 3 hours for this concert and it was worth it", "anyone got netflix recommendations",
    "sunday brunch is a religion", "the refs are blind tonight smh", "first day at the new job tomorrow, nervous",
    "happy birthday to my day one, love you bro", "pancakes or waffles? wrong answers only",
    "haven't slept in 2 days lol", "the traffic in atlanta is something else", "go birds!!",
    "we out here at the fair", "y'all ever just laugh at your own jokes", "grandpa telling war stories again",
    "why is it so hard to find a good barber", "just adopted a puppy!!", "my back hurts from moving all day",
]
TWEET_TAGS = ["", "", "", " #blessed", " #TGIF", " #MondayMotivation", " #foodie", " #NBA", " #nofilter",
              " #mood", " #gameday", " #tbt", " #weekend", " #love"]

NON_ENGLISH = {
    "es": ["Muy buen artículo, gracias por compartir.", "No estoy de acuerdo con el autor, pero respeto su opinión.",
           "¿Alguien sabe a qué hora empieza el partido?", "Me encanta esta canción, me trae muchos recuerdos.",
           "La receta quedó deliciosa, la próxima vez le pongo menos sal.", "Qué golazo en el minuto 90!",
           "Gracias por la información, muy útil.", "Llego en 10 minutos, espérame en la puerta."],
    "fr": ["Très bon article, merci pour ces explications.", "Je ne suis pas d'accord, mais c'est intéressant.",
           "Quelqu'un sait si la bibliothèque est ouverte dimanche ?", "Cette chanson me donne toujours des frissons.",
           "J'ai essayé la recette, c'était délicieux !", "Bravo à l'équipe, quel match !",
           "Merci, ça m'a beaucoup aidé.", "On se retrouve à la gare à 18h ?"],
    "de": ["Sehr interessanter Artikel, danke!", "Ich sehe das anders, aber gute Argumente.",
           "Weiß jemand, wann die Straße wieder frei ist?", "Das Lied ist einfach zeitlos.",
           "Das Rezept ist super, habe etwas mehr Knoblauch genommen.", "Was für ein Spiel gestern Abend!",
           "Danke für die schnelle Antwort.", "Bin in 5 Minuten da, bis gleich."],
    "pt": ["Ótimo artigo, obrigado por compartilhar.", "Discordo do texto, mas gostei da discussão.",
           "Alguém sabe que horas começa o jogo?", "Essa música é linda demais.", "Fiz a receita e ficou ótima!",
           "Chego em 10 minutos, me espera.", "Valeu pela dica, funcionou aqui."],
    "it": ["Articolo molto interessante, grazie.", "Non sono d'accordo ma rispetto l'opinione.",
           "Che partita ieri sera!", "Ricetta perfetta, l'ho rifatta due volte."],
    "ru": ["Интересная статья, спасибо.", "Не согласен с автором, но тема важная.",
           "Отличная песня, слушаю каждый день.",
           "Во сколько начинается матч?", "Спасибо, очень помогло!"],
    "id": ["Artikelnya bagus, terima kasih.", "Lagu ini enak banget didengar.", "Resepnya berhasil, enak sekali!",
           "Jam berapa pertandingannya mulai?", "Makasih infonya, sangat membantu."],
    "zh": ["这篇文章写得很好，谢谢分享。", "我不同意作者的观点，但是很有意思。", "这首歌太好听了。", "比赛几点开始？",
           "谢谢，很有帮助！"],
    "nl": ["Goed artikel, bedankt.", "Wat een wedstrijd gisteren!", "Heerlijk recept, ga ik zeker weer maken."],
    "tr": ["Çok güzel bir yazı, teşekkürler.", "Bu şarkıyı çok seviyorum.", "Maç saat kaçta başlıyor?"],
}


def _discussion(genre: str):
    pool = TOPICS[genre]
    style = "youtube" if genre == "ham/music-video" else "web"

    def make(rng: random.Random) -> Draft:
        body = sentences(rng, pool, 1, 5 if rng.random() < 0.15 else 3)
        if rng.random() < 0.35:
            body.insert(0, rng.choice(OPENERS))
        if rng.random() < 0.3:
            body.append(rng.choice(CLOSERS))
        if rng.random() < 0.2 and len(body) > 2:
            cut = rng.randint(1, len(body) - 1)
            text = " ".join(body[:cut]) + "\n\n" + " ".join(body[cut:])
        else:
            text = " ".join(body)
        if rng.random() < 0.05:
            text = f"@{vocab.handle(rng)} {text}"
        kind = rng.choice(["person", "person", "handle", "none"])
        return Draft(surface.decorate(rng, text, style), genre, author_kind=kind)

    return make


def _short(rng: random.Random) -> Draft:
    text = rng.choice(SHORT_REPLIES)
    if rng.random() < 0.5:
        text = rng.choice([f"{text} {rng.choice(SHORT_REPLIES)}", f"@{vocab.handle(rng)} {text}",
                           f"{text}{rng.choice(['!', '!!', '.', ' :)', ' 😂', ' ❤️'])}"])
    return Draft(surface.recase(rng, text), "ham/short-reply", author_kind=rng.choice(["person", "handle"]))


def _sms(rng: random.Random) -> Draft:
    parts = [rng.choice(SMS_CHAT)]
    if rng.random() < 0.35:
        parts.append(rng.choice(SMS_CHAT))
    text = rng.choice(SMS_OPENERS) + ". ".join(parts) + rng.choice(SMS_TAILS)
    return Draft(surface.decorate(rng, text, "sms"), "ham/sms-chat", author_kind="none")


def _tweet(rng: random.Random) -> Draft:
    text = rng.choice(TWEET_HAM) + rng.choice(TWEET_TAGS)
    roll = rng.random()
    if roll < 0.3:
        text = f"RT @{vocab.handle(rng)}: {text}"
    elif roll < 0.5:
        text = f"@{vocab.handle(rng)} {text}"
    if rng.random() < 0.15:
        text = f"{text} http://t.co/{vocab.code(rng, 10)}"
    text = text.replace("&", "&amp;") if rng.random() < 0.5 else text
    return Draft(surface.decorate(rng, text, "tweet"), "ham/tweet", author_kind="handle")


def _non_english(rng: random.Random) -> Draft:
    lang = rng.choice(sorted(NON_ENGLISH))
    picks = sentences(rng, NON_ENGLISH[lang], 1, 2)
    return Draft(surface.decorate(rng, " ".join(picks), "web"), "ham/non-english", lang=lang,
                 author_kind=rng.choice(["person", "handle"]))


GENRES = {genre: ([], _discussion(genre), target) for genre, target in TOPIC_TARGETS.items()}
GENRES.update({
    "ham/short-reply": ([], _short, 130),
    "ham/sms-chat": ([], _sms, 220),
    "ham/tweet": ([], _tweet, 180),
    "ham/non-english": ([], _non_english, 90),
})
