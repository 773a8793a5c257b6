"""Hard negatives: ordinary comments that look like spam or abuse on the surface (both labels 0)."""

from __future__ import annotations

import random

from classifier.seed import surface, vocab
from classifier.seed.draft import Draft, fill

DISAGREEMENT = [
    "I completely disagree with this article. The author ignores the evidence from the last three studies.",
    "This is one of the worst-argued pieces I've read here. The conclusion doesn't follow from the data.",
    "No. Just no. Rent controls have failed in every city that tried them the way this proposal describes.",
    "With respect, you have this backwards. The tax cut went mostly to the top 10 percent.",
    "I strongly object to the way this story was framed. It reads like a press release from the developer.",
    "You're wrong about the offside rule, the defender was playing him on. Watch the replay.",
    "That's simply not true. The bill was passed in 2015, not 2018, you can check the record.",
    "I've been a subscriber for 20 years and this editorial is the reason I'm cancelling.",
    "Terrible decision by the council. They ignored every resident who spoke at the meeting.",
    "The policy is cruel and short-sighted, and the minister should be ashamed of defending it.",
    "This review is way too generous. The game is buggy, overpriced and unfinished.",
    "I think your argument is weak and your sources are cherry-picked.",
    "Absolutely ridiculous ruling. The referee should be reviewed after that performance.",
    "Hard disagree. The original film was far better and this remake adds nothing.",
    "The manager's tactics were a disaster today and he has to take responsibility.",
    "Your numbers are off by a factor of ten. Please correct the article.",
    "I find this column dishonest. It leaves out every fact that contradicts the headline.",
    "Nonsense. Vaccines went through the same trials as every other medicine.",
    "That's a lazy take, and I think you know it. The company has been warned about this twice.",
    "Sorry but this recipe is not authentic carbonara at all, no cream please!",
    "The mayor has failed this city on housing, transport and schools. Vote him out.",
    "Strongly disagree, but thanks for laying out the argument clearly.",
    "This decision is a disgrace and the board should resign.",
    "Your comment ignores everything the report actually says. Read page 12.",
]
QUOTED_SLUR = [
    "Someone yelled '{slur}' at my brother on the bus today and nobody said anything. That's not okay.",
    "Using the word \"{slur}\" is never acceptable, no matter how 'joking' you think you are.",
    "The article quotes the player calling his opponent a {slur}; he deserves the ban.",
    "My teacher explained why the word {slur} is so hurtful and where it comes from. Important lesson.",
    "Reporting the comment above that called someone a {slur}. Mods, please remove it.",
    "When I was a kid people called me a {slur} every day at school. It still hurts decades later.",
    "The court heard that the defendant shouted '{slur}' before the assault, which makes it a hate crime.",
    "Please stop using \"{slur}\" as an insult, it hurts real people.",
    "Historians still debate how the word '{slur}' became a slur in the first place.",
    "The league fined him for using the term '{slur}' on a livestream. Good.",
    "I flagged a post with '{slur}' in it and the platform said it didn't break the rules. Unbelievable.",
    "Teaching my son that calling someone a '{slur}' is bullying, not banter.",
]
SLURS = ["nigger", "faggot", "retard", "spic", "kike", "chink", "tranny", "dyke", "n-word", "f-word"]
LEGIT_LINK = [
    "There's a good overview of this on Wikipedia: {link}",
    "Source for the figures: {link}",
    "The official guidance is here {link} if anyone needs it.",
    "I reported the bug upstream, you can follow it at {link}",
    "For anyone confused, the documentation explains it well: {link}",
    "Here's the original report rather than the summary: {link}",
    "<a href=\"{link}\">This page</a> has the full details.",
    "Relevant: {link}",
    "The full dataset is public, see {link}",
    "Check the forecast before you go: {link}",
    "You can register to vote online here {link} - deadline is Friday!",
    "Fact check: {link}",
    "I wrote a longer reply but basically read this: {link}",
    "Thanks for the link to {link}, very useful.",
]
CASUAL_SWEARING = [
    "holy shit that game was amazing", "Damn, this song still slaps after all these years.",
    "What the hell happened in the second half?", "fuck yes, we finally won the league!!",
    "Oh shit, I forgot the exam is tomorrow.", "This recipe is so damn good.",
    "Bloody hell, the traffic was a nightmare today.", "that goal was fucking insane",
    "shit, I missed the bus again", "Hell yeah, road trip time!", "I dropped my phone in the toilet, fml",
    "Crap, the oven timer didn't go off and the cake burned.", "My kid said 'damn' at school, now I'm in trouble lol",
    "this album is fucking brilliant from start to finish", "Jesus christ that was a close finish",
    "goddamn, what a view from the summit", "I'm so fucking tired of winter", "holy crap this is good news",
    "the bass drop at 2:30 is sick as hell", "Best damn burger I've ever had.", "ah shit here we go again",
    "Pissing down with rain all weekend, typical bank holiday.", "the plot twist!!! what the fuck!!",
    "no fucking way, I have the same birthday as the drummer", "this patch fixed the lag, thank fuck",
]
# Swearing at nobody, written by templates: profanity about things, events and luck, never at a person. Real
# toxicity data (tweets above all) teaches that profanity is toxic; this is the product's policy that it is
# ordinary unless it is aimed at someone.
SWEAR_EXCLAIM = ["fuck yeah", "holy shit", "damn", "hell yeah", "bloody hell", "holy crap", "oh shit", "what the hell",
                 "what the fuck", "shit", "fucking hell", "goddamn", "jesus christ", "fuck me", "christ almighty",
                 "damn it", "oh hell", "fuck", "bugger"]
SWEAR_GOOD = ["fucking brilliant", "damn good", "bloody fantastic", "fucking delicious", "sick as hell",
              "damn impressive", "fucking gorgeous", "bloody lovely", "hella good", "fucking incredible"]
SWEAR_BAD = ["shit", "fucking awful", "bloody awful", "crap", "a shitshow", "fucking useless", "bollocks",
             "a pain in the arse", "a damn mess", "fucking slow", "total shite"]
SWEAR_THINGS = ["the match", "this recipe", "the gig last night", "the new album", "the weather", "the traffic",
                "the bus service", "the trains", "this update", "the finale", "my coffee this morning", "the view",
                "the second half", "the new bridge", "the fireworks", "this burger", "the festival", "the wifi",
                "the referee's decision", "the parking situation", "this winter", "the ending", "the roadworks"]
SWEAR_NEWS = ["we won the league", "the rain stopped just in time", "the bakery reopened", "the bridge is fixed",
              "the parade went ahead", "my flight was cancelled again", "I lost my keys again", "the heating broke",
              "I passed my driving test", "the power is out again", "my team scored twice"]
SWEAR_TEMPLATES = [
    "{exclaim}, {news}!", "{Exclaim}, {news}.", "{Thing} was {good}.", "{Thing} was {bad} today.",
    "{exclaim}, {thing} was {good}!", "Honestly {thing} is {bad}.", "{Exclaim}! {Thing} was {good}.",
    "What a {bad_event} {event}, {exclaim}.", "{thing} is {good}, no joke", "{Exclaim}, what a {event}!",
    "Not gonna lie, {thing} was {good}.", "{Exclaim}. {News}.", "I can't believe it, {news}. {Exclaim}!",
]
SWEAR_EVENTS = ["match", "finish", "comeback", "goal", "storm", "week", "drive home", "night", "concert", "season"]
SWEAR_BAD_EVENT = ["shit", "fucking awful", "bloody awful", "crap", "shitty"]
SPAM_TALK = [
    "I keep getting texts saying I've won a prize. Just block and delete, it's a scam.",
    "Does anyone else get those 'call this number to claim' messages? Never call them back.",
    "PSA: your bank will never text you asking for your password.",
    "The comment above is spam, please report it.",
    "My grandma almost fell for a crypto investment scam on Facebook. Talk to your parents about this stuff.",
    "Why are there so many bots posting links in these comments?",
    "Got a parcel delivery text today that was obviously fake. The link went to a weird domain.",
    "Careful, the 'free gift card' comments on this video are all phishing.",
    "Anyone know how to stop spam calls? I get three a day about car insurance.",
    "The viagra spam on this blog is getting out of hand, can the admin add a filter?",
    "The lottery email I received was fake, real lotteries don't contact winners like that.",
    "Report the 'work from home' comments, they're all the same scam.",
    "Friendly reminder: nobody is giving away bitcoin on YouTube livestreams.",
    "I turned on the spam filter and it caught 200 link comments overnight.",
]
VIOLENT_IDIOM = [
    "This band absolutely killed it last night.", "I would kill for a recipe this good.",
    "That punchline murdered me 😂", "The pitcher destroyed them in the ninth inning.",
    "The heat is killing me today.", "She slayed that performance.", "My feet are killing me after that hike.",
    "The new update shot my battery life to pieces.", "We got crushed 4-0, brutal.",
    "This cheesecake is to die for.", "The comedian bombed, I felt bad for him.",
    "I'm going to strangle my router if it disconnects one more time lol",
    "That defence got torn apart in the first half.", "The final exam absolutely destroyed me.",
    "Knock 'em dead at your interview tomorrow!", "The director nailed the ending.",
]
NOTIFICATIONS = [
    "Your appointment with Dr Patel is confirmed for Tue 3:40pm. Reply C to cancel.",
    "Your table for 4 at 7:30pm is booked. See you soon!", "Your parcel will be delivered today between 1pm and 3pm.",
    "Reminder: school closes early on Friday for the holidays.", "Your prescription is ready to collect.",
    "The 18:05 to Leeds is delayed by approximately 15 minutes. We apologise for the inconvenience.",
    "Your verification code is {digits}. Do not share it with anyone.",
    "Thanks for your payment of £{pay}. Your balance is now £0.00.", "Your car is ready for collection at the garage.",
    "Library reminder: 2 items are due back on Monday.", "Your flight check-in is now open.",
    "Hi, it's the dentist. Just confirming your check-up tomorrow at 9.",
    "Gym class cancelled tonight due to instructor illness, sorry!",
    "Your order has shipped and should arrive Thursday.",
]


def _pick(genre: str, pool: list[str], style: str = "web"):
    def make(rng: random.Random) -> Draft:
        slots = {"slur": SLURS, "link": vocab.LEGIT_LINKS, "digits": [vocab.code(rng, 6, "0123456789")],
                 "pay": [f"{rng.randint(5, 120)}.{rng.randint(10, 99)}"]}
        text = fill(rng, rng.choice(pool), slots)
        if rng.random() < 0.3 and genre != "ham/hard-negative/notification":
            prefix = rng.choice(["Honestly, ", "Ugh. ", "Update: ", "Well, ", "Hmm. "])
            text = prefix + (text[0].lower() + text[1:] if prefix.endswith(", ") else text)
        if rng.random() < 0.25 and style == "web":
            joiner = " " if text.rstrip()[-1] in ".!?" else ". "
            text = text + joiner + fill(rng, rng.choice(pool), slots)
        kind = "none" if style == "sms" else rng.choice(["person", "handle", "person"])
        return Draft(surface.decorate(rng, text, style), genre, author_kind=kind)

    return make


def _swearing(rng: random.Random) -> Draft:
    """Profanity about things and events, at nobody (templates of SWEAR_*)."""
    exclaim, thing, news = rng.choice(SWEAR_EXCLAIM), rng.choice(SWEAR_THINGS), rng.choice(SWEAR_NEWS)
    values = {"exclaim": exclaim, "Exclaim": exclaim[0].upper() + exclaim[1:], "thing": thing,
              "Thing": thing[0].upper() + thing[1:], "news": news, "News": news[0].upper() + news[1:],
              "good": rng.choice(SWEAR_GOOD), "bad": rng.choice(SWEAR_BAD), "event": rng.choice(SWEAR_EVENTS),
              "bad_event": rng.choice(SWEAR_BAD_EVENT)}
    text = rng.choice(SWEAR_TEMPLATES).format(**values)
    kind = rng.choice(["person", "handle", "person"])
    return Draft(surface.decorate(rng, text, "web"), "ham/hard-negative/swearing-at-nobody", author_kind=kind)


GENRES = {
    "ham/hard-negative/disagreement": ([], _pick("ham/hard-negative/disagreement", DISAGREEMENT), 110),
    "ham/hard-negative/quoted-slur": ([], _pick("ham/hard-negative/quoted-slur", QUOTED_SLUR), 70),
    "ham/hard-negative/legit-link": ([], _pick("ham/hard-negative/legit-link", LEGIT_LINK), 100),
    "ham/hard-negative/casual-swearing": ([], _pick("ham/hard-negative/casual-swearing", CASUAL_SWEARING), 90),
    "ham/hard-negative/swearing-at-nobody": ([], _swearing, 400),
    "ham/hard-negative/spam-talk": ([], _pick("ham/hard-negative/spam-talk", SPAM_TALK), 60),
    "ham/hard-negative/violent-idiom": ([], _pick("ham/hard-negative/violent-idiom", VIOLENT_IDIOM), 60),
    "ham/hard-negative/notification": ([], _pick("ham/hard-negative/notification", NOTIFICATIONS, "sms"), 60),
}
