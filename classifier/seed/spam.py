"""Spam genres: link drops, pharmacy, scams, promotion and SMS-style prize messages (label_spam=1)."""

from __future__ import annotations

import random

from classifier.seed import surface, vocab
from classifier.seed.draft import Draft, fill, sentences

PILLS = [
    "viagra", "cialis", "levitra", "tramadol", "xanax", "valium", "phentermine", "ambien", "soma", "kamagra",
    "modafinil", "adderall", "oxycodone", "generic viagra", "diet pills", "weight loss pills", "hgh",
    "propecia", "accutane", "clomid",
]
PHARMA_WORDS = ["rx", "meds", "pharma", "pills", "drugstore", "healthmart", "medsdeal", "pillshop", "cheaprx"]
PHARMA_CLAIMS = [
    "no prescription needed", "overnight delivery", "lowest prices guaranteed", "discreet packaging",
    "100% satisfaction", "free shipping worldwide", "FDA approved generics", "no doctor visit required",
    "up to 80% off", "bonus pills with every order", "secure checkout", "worldwide shipping in 24h",
]

PHARMA_TEMPLATES = [
    "Buy {pill} online {claim}! {url}",
    "cheap {pill} here -> {url} {claim}",
    "Best prices for {pill} and {pill2}. {claim}. Order now at {url}",
    "{Pill} without prescription, {claim}, visit {url}",
    "Looking for {pill}? We have it. {claim}. {url}",
    "order {pill} {claim} {url} {claim2}",
    "<a href=\"{url}\">buy {pill} online</a> <a href=\"{url}\">cheap {pill2}</a> <a href=\"{url}\">{pill} no rx</a>",
    "Great site! <b>{Pill}</b> at the lowest price: {url}",
    "[url={url}]{pill}[/url] [url={url}]buy {pill2} online[/url]",
    "I ordered {pill} from {url} and it arrived in 2 days, {claim}. highly recommend!!",
    "{Pill} 100mg x 30 pills only $29.99 - {claim} - {url}",
    "men's health problem? try {pill}, {claim}. {url}",
    "lose 10kg in 2 weeks with {pill}!! doctors hate this. {url}",
    "{pill} {pill2} {pill3} online pharmacy {url}",
    "Hi, nice blog. If you need {pill} check {url} - {claim}, {claim2}.",
]
PHARMA_EXAMPLES = [
    "Online pharmacy with no prescription required. Pain killers, sleeping pills, anxiety meds. Fast and discreet.",
    "Tired of paying too much at the chemist? Our Canadian pharmacy ships brand and generic meds to your door.",
    "buy tramadol 50mg overnight cod no rx",
    "Erectile dysfunction is nothing to be ashamed of. Get the blue pill today, delivered in plain packaging.",
    "Weight loss miracle!!! Burn fat while you sleep, 100% natural keto pills, order before stock runs out",
    "we sell oxy, percs, xans and more. DM on telegram for menu. discreet shipping",
    "Hair loss? Our clinically proven formula regrows hair in 30 days or your money back.",
]

CRYPTO_WORDS = ["coin", "crypto", "bitwealth", "tradex", "profit", "chain", "yield", "moon", "btcfx", "forexpro"]
COINS = ["bitcoin", "BTC", "ETH", "USDT", "crypto", "forex", "binary options", "NFT", "dogecoin", "solana"]
ADVISORS = [
    "Mrs Susan Clarke", "Mr James Harrington", "Expert Linda Moore", "Mr Daniel Foster", "Madam Angela Ruiz",
    "Mr Robert Kingsley", "Anna Brooks", "Mr Thomas Wayne", "Expert Rachel Adams",
]
CRYPTO_TEMPLATES = [
    "I started investing with {advisor} with just {small} and now I earn {big} every week. Contact on WhatsApp {phone}",
    "Turn {small} into {big} in 7 days with our {coin} trading bot. Guaranteed profit! {url}",
    "Free {coin} giveaway!!! Send 0.1 and receive 1 back. Limited time only. {url}",
    "All thanks to {advisor} for helping me recover my lost {coin}. Reach her on telegram @{tg}",
    "Stop working for peanuts. My {coin} signals group made 340% last month. Join: {url}",
    "{coin} is going to the moon 🚀🚀 buy $ {ticker} before launch, 1000x guaranteed {url}",
    "Many people don't know how to make money from {coin}. I was introduced to {advisor} and my life changed. {phone}",
    "Passive income: earn {big} daily from {coin} mining, no experience needed, withdraw anytime -> {url}",
    "Invest {small}, get {big} back in 48 hours. 100% legit, payment proof in my profile. {url}",
    "Anyone interested in {coin} should contact {advisor}. She is the best trader, I got my profit of {big} today.",
    "Airdrop LIVE: claim your free {ticker} tokens now before they're gone {url}",
    "Want to earn {big} a month trading {coin}? Message me 'INFO' on telegram @{tg}",
]
CRYPTO_EXAMPLES = [
    "I never believed in online trading until I tried it. Now I make more in a week than my old job paid in a"
    " month. DM me.",
    "Guaranteed 20% weekly returns. Regulated, insured and totally risk free. Limited slots available.",
    "Hello everyone, I want to testify about a woman who helped me double my pension in three months. God bless her.",
    "ELON MUSK BITCOIN GIVEAWAY LIVE NOW - send any amount and get 2x back instantly",
    "If you lost money to a crypto scam, a recovery hacker can get it back for you. Contact me for details.",
    "Buy this token now, devs doxxed, liquidity locked, 100x easy, do not miss the next pump",
]

LOAN_WORDS = ["loan", "cash", "credit", "payday", "quickfunds", "easymoney", "lend", "debtfree"]
LOAN_TEMPLATES = [
    "Need cash fast? Get up to {money} today, bad credit OK, no credit check! Apply at {url}",
    "Payday loans approved in 5 minutes. {money} in your account by tomorrow. {url}",
    "Are you in debt? We offer loans at 2% interest to individuals and businesses. Email {email}",
    "Guaranteed loan approval, even with bad credit. Call {phone}",
    "Consolidate your debts into one low payment. Free quote: {url}",
    "Do you need a loan to pay bills or start a business? Contact us now: {email} WhatsApp {phone}",
    "Instant cash advance up to {money}, no paperwork, {url}",
    "Government grant of {money} available for you, no repayment needed. Apply now {url}",
    "Your pre-approved credit line of {money} is waiting. Claim it before Friday: {url}",
]
LOAN_EXAMPLES = [
    "I am a private lender offering loans to serious individuals at 3% interest rate. Contact me for more info.",
    "Bad credit? No problem! Fast loans with no questions asked, money in your account within the hour.",
    "Get out of debt fast with our debt relief program, stop creditors calling you today!",
]

ADULT_WORDS = ["hotgirls", "datingfun", "sexycams", "meetlocal", "xxxvid", "lonelyladies", "naughty", "flirt"]
ADULT_TEMPLATES = [
    "Hot singles in your area want to meet tonight 😘 {url}",
    "I'm bored and lonely, check my private photos here {url}",
    "Free live cams, no signup, 18+ only: {url}",
    "Want to see more of me? 🔥 click my profile or go to {url}",
    "Sexy girls waiting to chat with you right now. Text DATE to {short} (18+, £1.50/msg)",
    "my pics got deleted from insta lol. all of them are on {url} now 💋",
    "Meet and f*ck local women tonight, no strings attached {url}",
    "XXX videos free, best adult site {url}",
    "hey cutie, I saw your comment, message me on {url} I wanna talk 😉",
    "Married but bored? Discreet affairs start here: {url}",
]
ADULT_EXAMPLES = [
    "Tired of boring dates? Join thousands of open-minded adults looking for fun tonight.",
    "New naughty pics every day, link in my bio 😈",
    "Lonely housewives near you are online now. Don't keep them waiting.",
]

CHANNEL_TEMPLATES = [
    "Check out my channel, I make {content}! {plea}",
    "Hey guys, I just started a YouTube channel about {content}. {plea}",
    "{plea} I upload {content} every week!",
    "if you like this you will love my {content} 👉 {yt}",
    "Please check out my new video {yt} {plea}",
    "I'm a small youtuber doing {content}, it would mean the world if you checked me out 🙏 {plea}",
    "sub4sub? I subscribe back to everyone who subscribes to me",
    "Who wants to sub4sub? comment done when you subbed and I will sub back",
    "Hi everyone, I'm 14 and I make {content}. My dream is to reach 1000 subs. {plea}",
    "Follow me on instagram @{tg} for {content} and giveaways!",
    "Yo check out my mixtape on soundcloud: {url} {plea}",
    "Like this comment so everyone can see my channel!! I do {content}",
    "go watch my cover of this song on my channel, {plea}",
    "Can I get 100 subscribers before tomorrow? I post {content}. {yt}",
    "Don't read my name!! 😂 ok now that you did, check out my {content} pls",
    "I make {content} and nobody watches them 😢 please give me a chance {yt}",
]
CHANNEL_CONTENT = [
    "beats", "gaming videos", "covers", "vlogs", "minecraft let's plays", "dance videos", "rap music",
    "makeup tutorials", "guitar covers", "fortnite montages", "prank videos", "lyric videos", "remixes",
    "piano covers", "reaction videos", "cooking shorts", "fitness tips",
]
CHANNEL_PLEAS = [
    "please subscribe!", "subscribe and I will sub back!", "please like and subscribe :)", "sub to my channel pls",
    "Thanks for reading, subscribe!!", "any support means a lot!", "hit that subscribe button 🔔",
    "check it out and tell me what you think!", "please help me grow!", "share it with your friends!",
]
CHANNEL_EXAMPLES = [
    "Hey everyone, I know nobody reads comments but I just released my first song on my channel. Give it a listen?",
    "pls subscribe to my channel I'm trying to get my mom a new house",
    "I know you probably skip these comments, but if you read this far please check my channel. I promise it's good.",
    "new rapper here, just dropped a track, link on my page, tell me what you think 🔥🔥",
    "SUBSCRIBE TO MY CHANNEL!!!!!!",
    "check out my video about how I got 10k subs in a month",
]

SEO_WORDS = [
    "seo", "rank", "backlinks", "webdesign", "marketing", "digital", "leads", "traffic", "casino", "bestbet",
    "replica", "watches", "roofing", "plumber", "essay", "writers", "cbd", "vape", "shoes", "outlet",
]
SEO_SERVICES = [
    "cheap replica watches", "essay writing service", "best online casino", "SEO services", "roofing contractor",
    "buy backlinks", "CBD oil", "discount designer bags", "cheap football shirts", "web design agency",
    "emergency plumber", "buy instagram followers", "online slots", "moving company", "keto diet plan",
    "cheap nike shoes", "dissertation help", "sports betting tips", "vape juice wholesale", "wedding photographer",
]
SEO_TEMPLATES = [
    "{service} {url}",
    "<a href=\"{url}\">{service}</a>",
    "<a href=\"{url}\">{service}</a> <a href=\"{url2}\">{service2}</a> <a href=\"{url}\">{service3}</a>",
    "Looking for {service}? Visit {url} for the best deals.",
    "{service} | {service2} | {service3} | {url}",
    "[url={url}]{service}[/url]",
    "Thanks for the info. By the way, {service} at {url}",
    "top {service} in town, call {phone} or visit {url}",
    "We offer {service} at affordable prices. {url}",
    "If you need {service}, check out {url} - they are the best!",
    "<b>{service}</b> - <a href=\"{url}\">{url}</a>",
    "{service} {service2} {service3}",
    "Great article about {topic}. We provide {service}: {url}",
    "Get more traffic to your website! Guaranteed first page of Google in 30 days. {url}",
    "I will give you 500 high quality dofollow backlinks for $5. Contact {email}",
]
SEO_TOPICS = ["marketing", "gardening", "health", "travel", "home improvement", "this topic", "the subject"]
SEO_EXAMPLES = [
    "Your website could be ranking higher. We noticed some SEO issues on your site, reply for a free audit.",
    "Hello admin, I'd like to place a guest post on your blog with a dofollow link. What is your price?",
    "Hi, I saw your site and thought you might need a new design. We build modern websites from $199.",
    "Want more leads for your business? We send targeted traffic, 10,000 visitors for just $49.",
    "Dear webmaster, we want to buy text links on your site. Please reply with your rates.",
]

PRAISE_OPENERS = [
    "Great post!", "Very informative article, thanks for sharing.", "I really like your blog.", "Nice post.",
    "Wow, this is exactly what I was looking for.", "Thanks for the great information!", "Awesome article!",
    "Hello there! This post couldn't be written any better!",
    "I've been browsing online for hours and this is the best.",
    "Your writing style is awesome, keep it up!", "This is a really good read for me.", "Excellent blog you have here.",
    "Hi, I do think this is an excellent site.", "Hey! I just wanted to say I love your content.",
    "What a great article, bookmarked!", "Very nice post. I just stumbled upon your blog.",
    "Pretty section of content.", "Good day! I found your website by accident and I'm glad I did.",
]
PRAISE_MIDDLES = [
    "I will share it with my friends.", "I have bookmarked your site.", "Keep up the good work.",
    "I learned a lot from this.", "You made some good points there.", "It was very helpful for me.",
    "I will definitely come back for more.", "Your site loads really fast too.",
    "I have a similar blog about {service}.", "Many thanks for sharing this wonderful content.",
]
PRAISE_CLOSERS = [
    "Visit my site: {url}", "Feel free to visit my website {url}", "Check out my blog at {url}",
    "Also visit my page: {service} {url}", "My site: {url}", "Here is my web site :: {url}",
    "Look at my homepage - {url}", "Feel free to surf to my blog post; {service}", "my web page - {url}",
    "You can also check my website for {service}: {url}", "<a href=\"{url}\">{service}</a>",
    "please visit {url} for more tips", "also see: {url}",
]

JOB_WORDS = ["jobs", "workhome", "earn", "income", "remote", "careers", "freedom", "hustle", "dailycash"]
JOB_TEMPLATES = [
    "My neighbour makes {money} a month working from home just a few hours a day. Go to {url} to find out how.",
    "I'm making over {money} a month working part time online. This is what I do: {url}",
    "Start earning {money} per week from your phone! No experience needed. {url}",
    "Google is paying {money} per hour for people to work from home. Check this: {url}",
    "We are hiring! Remote data entry job, {money}/week, apply via WhatsApp {phone}",
    "I quit my 9-5 and now I earn {money} every month from home. Copy my method: {url}",
    "Be your own boss! Join our team and earn {money} in your first month. DM me 'JOB'",
    "Hiring now: package reshipper, work from home, paid weekly. Send your CV to {email}",
    "Earn {money} daily just by liking videos and writing reviews. Sign up: {url}",
    "Mystery shoppers needed in your area, {money} per assignment. Reply to {email}",
]
JOB_EXAMPLES = [
    "My cousin showed me this side gig last month and I already paid off my credit card from it, ask me for the link.",
    "Work from home opportunity!! Make money in your spare time. Serious inquiries only.",
    "I've started making money online at home with little effort, everyone can do it, ask me how.",
    "Urgent hiring for online typing jobs, students and housewives welcome, daily payment.",
]

SMS_PRIZE_TEMPLATES = [
    "CONGRATULATIONS! Your number has been selected to receive a {money} prize. Call {phone} now to claim. T&Cs apply.",
    "URGENT! You have won a {money} cash award. To claim call {phone} before midnight. Claim code {claim_code}.",
    "You have been chosen for a free {gift}! Text CLAIM to {short} now. £1.50/msg, 18+",
    "Final notice: your unclaimed reward of {money} expires today. Call {phone} quoting ref {claim_code}.",
    "WINNER! Our records show you won the weekly draw. Reply YES to {short} to receive your {gift}.",
    "Dear customer, you are entitled to a free {gift} upgrade. Call {phone} free from your mobile.",
    "Free entry into our {money} weekly draw, just text WIN to {short}. Std txt rate. Over 16s only.",
    "Your mobile number won {money} in the international lottery. Send your name and address to {email} to claim.",
    "U have a secret admirer who wants 2 meet u! Find out who, txt ADMIRER to {short} now. £1/msg",
    "Your {gift} is waiting! Collect it today by calling {phone}. Landline only. PO Box {claim_code}",
    "Pls call our customer service on {phone}: you have won a guaranteed {money} or a {gift}!",
    "Hi, this is the Prize Dept. You were randomly picked to get {money} in vouchers. Reply 1 to accept.",
    "Amazon: you won a {gift} in our loyalty raffle, confirm shipping at {url}",
    "Ur awarded a city break 4 2 plus {money} spending money! 2 claim call {phone} now. 18+",
]
SMS_GIFTS = [
    "iPhone 15", "holiday for two", "Nokia phone", "camcorder", "£500 voucher", "$1000 Walmart gift card",
    "Samsung Galaxy", "cruise", "PlayStation 5", "shopping spree", "mp3 player", "laptop", "free ringtone pack",
]
SMS_PROMO_TEMPLATES = [
    "FREE ringtone! Reply TONE to {short} to get the hottest tones. £3/week, text STOP to end.",
    "Get the latest chart hits on your mobile, txt MUSIC to {short}. 18+ £4.50/wk",
    "Your mobile contract is due for renewal: get a free upgrade and 500 mins. Call {phone}",
    "Last chance! 50% off all pizzas tonight only, show this text in store. Reply STOP to opt out",
    "You have 1 new voicemail. Please call {phone} to listen.",
    "Hey! Your friend invited you to a free chat service. Txt CHAT to {short}. 25p/msg",
    "Missed call from an unknown number? Find out who rang you, text WHO to {short} £1.50",
    "Double mins & txts with our new tariff, call {phone} or reply YES. Offer ends Sunday.",
    "Play our mobile quiz and win {money}! Question 1: What is the capital of France? Txt answer to {short}",
    "Dating service: 3 local matches found for you! Call {phone} to hear their messages. Calls cost 60p/min",
    "Cheap intl calls from just 1p/min, dial {phone} before your number. No contract!",
    "Your subscription to Daily Jokes is active. 1 joke a day for £1.50. Reply STOP to cancel",
]
SMS_EXAMPLES = [
    "FREE MSG: Your mobile may be entitled to a refund of mis-sold insurance. Reply YES for a callback.",
    "Guaranteed cash prize or holiday! Just call now. Landline rates apply. Box 39 London",
    "Reply with your bank details to receive your tax refund today.",
    "We tried to contact you re your reply to our offer of a video handset. Call now!",
    "URGENT: we have been trying to reach you about your prize. This is our final attempt to contact you.",
    "Congrats! 2 free cinema tickets are yours. Text FILM to claim. Sub service, 18+ only.",
]

PHISH_TEMPLATES = [
    "Your account has been suspended due to unusual activity. Verify your identity at {url}",
    "{bank}: a payment of {money} was declined. If this was not you, secure your account here {url}",
    "Royal Mail: your parcel is on hold due to unpaid shipping fee (£1.99). Pay now: {url}",
    "USPS: we could not deliver your package. Update your address: {url}",
    "Your Netflix membership is on hold. Update your payment details at {url}",
    "{bank} ALERT: new device signed in to your account. Not you? Call {phone} immediately",
    "HMRC: you are due a tax refund of {money}. Claim within 48 hours: {url}",
    "Your Apple ID will be locked today. Confirm your details to keep access: {url}",
    "Dear user, your mailbox is full. Click {url} to upgrade storage or lose your emails.",
]
BANKS = ["HSBC", "Chase", "Barclays", "Wells Fargo", "Santander", "Lloyds", "PayPal", "Bank of America"]

MULTI_SPAM = {
    "es": [
        "Gana {money} desde casa trabajando solo 2 horas al día. Más información en {url}",
        "¡Felicidades! Has ganado un {gift}. Llama al {phone} para reclamar tu premio.",
        "Compra {pill} sin receta, envío discreto y rápido: {url}",
        "Préstamos rápidos sin aval, aprobación en 10 minutos. Escríbenos por WhatsApp {phone}",
        "Invierte en bitcoin con nuestro asesor y duplica tu dinero en una semana {url}",
        "Suscríbete a mi canal, subo videos todos los días!! {yt}",
        "chicas solteras cerca de ti quieren conocerte esta noche 😘 {url}",
    ],
    "fr": [
        "Gagnez {money} par semaine en travaillant à domicile ! Inscription gratuite sur {url}",
        "Félicitations, vous avez gagné un {gift} ! Cliquez ici pour le récupérer : {url}",
        "Achetez du {pill} sans ordonnance, livraison rapide et discrète {url}",
        "Crédit rapide sans justificatif, réponse immédiate. Contactez-nous : {email}",
        "Votre colis est en attente, veuillez régler les frais de livraison ici {url}",
        "Abonnez-vous à ma chaîne svp, je fais des vidéos de gaming !! {yt}",
    ],
    "de": [
        "Verdienen Sie {money} im Monat von zu Hause aus! Jetzt anmelden: {url}",
        "Herzlichen Glückwunsch! Sie haben einen {gift} gewonnen. Jetzt abholen unter {url}",
        "{Pill} rezeptfrei kaufen, diskreter Versand, beste Preise: {url}",
        "Schneller Kredit ohne Schufa, Auszahlung in 24 Stunden. {url}",
        "Ihr Konto wurde gesperrt. Bitte bestätigen Sie Ihre Daten hier: {url}",
        "Abonniert meinen Kanal, ich mache Musik!! {yt}",
    ],
    "pt": [
        "Ganhe {money} por mês trabalhando em casa, sem experiência! Acesse {url}",
        "Parabéns! Você foi sorteado e ganhou um {gift}. Ligue {phone} agora",
        "Compre {pill} sem receita com entrega rápida {url}",
        "Empréstimo rápido para negativados, libera na hora! Chama no WhatsApp {phone}",
        "Se inscreve no meu canal por favor, posto vídeo todo dia 🙏 {yt}",
        "Invista em cripto e tenha lucro garantido de 30% ao mês {url}",
    ],
    "ru": [
        "Заработок в интернете от {money} в день без вложений! Подробнее: {url}",
        "Поздравляем! Вы выиграли {gift}. Чтобы получить приз, перейдите по ссылке {url}",
        "Купить {pill} без рецепта, быстрая доставка {url}",
        "Быстрые займы без проверки кредитной истории, деньги на карту за 5 минут {url}",
        "Подписывайтесь на мой канал, там много интересного!! {yt}",
        "Раскрутка сайтов, вывод в ТОП Яндекса и Google. Недорого! {url}",
    ],
    "id": [
        "Dapatkan penghasilan {money} per hari dari rumah! Daftar sekarang di {url}",
        "Selamat! Anda memenangkan hadiah {gift}. Hubungi {phone} untuk klaim.",
        "Pinjaman online cepat cair tanpa jaminan, proses 5 menit {url}",
        "Situs slot gacor terpercaya, deposit pulsa tanpa potongan, bonus 100% {url}",
        "Jual obat {pill} asli, pengiriman cepat ke seluruh Indonesia, WA {phone}",
        "Mampir ke channel aku ya kak, jangan lupa subscribe 🙏 {yt}",
    ],
    "zh": [
        "在家兼职，日赚{money}，无需经验，详情请加微信 {tg}",
        "恭喜您获得{gift}一部！请点击链接领取：{url}",
        "专业代开发票，价格优惠，联系电话 {phone}",
        "网上赌场注册即送彩金，立即访问 {url}",
        "快速贷款，无需抵押，当天到账 {url}",
    ],
    "it": [
        "Guadagna {money} al mese lavorando da casa! Scopri come su {url}",
        "Complimenti! Hai vinto un {gift}. Clicca qui per riscattarlo {url}",
        "Prestiti veloci senza busta paga, risposta in 24 ore. Scrivi a {email}",
    ],
}


def _slots(rng: random.Random, words: list[str]) -> tuple[dict[str, list[str]], str]:
    domain = vocab.spam_domain(rng, words)
    url = vocab.spam_url(rng, domain)
    roll = rng.random()
    if roll < 0.12:
        url = vocab.short_url(rng)
    elif roll < 0.2:
        url = surface.obfuscate_domain(rng, domain)
    pill = rng.choice(PILLS)
    slots = {
        "url": [url],
        "url2": [vocab.spam_url(rng, vocab.spam_domain(rng, words))],
        "pill": [pill], "Pill": [pill.capitalize()], "pill2": PILLS, "pill3": PILLS,
        "claim": PHARMA_CLAIMS, "claim2": PHARMA_CLAIMS,
        "coin": COINS, "ticker": ["PEPE2", "MOONX", "SAFEAI", "ELONX", "GEMZ", "TURBO9", "KITTY"],
        "advisor": ADVISORS, "tg": [vocab.handle(rng)],
        "small": ["$200", "$500", "£250", "$1,000", "€300", "$100"],
        "big": ["$5,000", "$12,500", "£8,000", "$30,000", "€10,000", "$2,800"],
        "money": [vocab.money(rng)], "phone": [vocab.premium_number(rng)],
        "email": [f"{vocab.code(rng, 6).lower()}@{rng.choice(vocab.DISPOSABLE_EMAIL_DOMAINS)}"],
        "short": [vocab.short_code(rng)], "claim_code": [vocab.code(rng, 5).upper()],
        "gift": SMS_GIFTS, "bank": BANKS,
        "content": CHANNEL_CONTENT, "plea": CHANNEL_PLEAS,
        "yt": [f"youtube.com/watch?v={vocab.code(rng, 11)}", f"youtube.com/@{vocab.handle(rng)}",
               f"https://www.youtube.com/channel/UC{vocab.code(rng, 22)}", f"youtu.be/{vocab.code(rng, 11)}"],
        "service": SEO_SERVICES, "service2": SEO_SERVICES, "service3": SEO_SERVICES, "topic": SEO_TOPICS,
    }
    return slots, domain if url.count(domain) else ""


def _obfuscate_keyword(rng: random.Random, text: str, keywords: list[str]) -> str:
    for word in keywords:
        if word in text and " " not in word:
            return text.replace(word, surface.obfuscate_word(rng, word), 1)
    return text


def _templated(genre: str, templates: list[str], words: list[str], style: str = "spam", obfuscate: float = 0.0):
    def make(rng: random.Random) -> Draft:
        slots, domain = _slots(rng, words)
        template = rng.choice(templates)
        text = fill(rng, template, slots)
        if obfuscate and rng.random() < obfuscate:
            text = _obfuscate_keyword(rng, text, PILLS + COINS + ["casino", "loan", "cash", "subscribe", "sex"])
        text = surface.decorate(rng, text, style)
        kind = "none" if style == "sms" else "spammer"
        return Draft(text, genre, author_kind=kind, link_domain=domain or None)

    return make


def _praise(rng: random.Random) -> Draft:
    slots, domain = _slots(rng, SEO_WORDS)
    parts = [rng.choice(PRAISE_OPENERS)] + sentences(rng, PRAISE_MIDDLES, 0, 2) + [rng.choice(PRAISE_CLOSERS)]
    sep = "\n" if rng.random() < 0.3 else " "
    text = fill(rng, sep.join(parts), slots)
    return Draft(surface.decorate(rng, text, "web"), "spam/fake-praise", author_kind="spammer",
                 link_domain=domain or None)


def _multilingual(rng: random.Random) -> Draft:
    lang = rng.choice(sorted(MULTI_SPAM))
    slots, domain = _slots(rng, ["ganar", "geld", "dinheiro", "promo", "bonus", "gacor", "zarabotok", "win"])
    text = fill(rng, rng.choice(MULTI_SPAM[lang]), slots)
    return Draft(surface.decorate(rng, text, "spam"), "spam/multilingual", lang=lang, author_kind="spammer",
                 link_domain=domain or None)


def _fixed(genre: str, examples: list[str], style: str) -> list[Draft]:
    kind = "none" if style == "sms" else "spammer"
    return [Draft(text, genre, author_kind=kind) for text in examples]


# genre -> (hand-written examples, candidate maker, target row count)
GENRES = {
    "spam/seo": (_fixed("spam/seo", SEO_EXAMPLES, "web"),
                 _templated("spam/seo", SEO_TEMPLATES, SEO_WORDS, obfuscate=0.1), 170),
    "spam/pharmacy": (_fixed("spam/pharmacy", PHARMA_EXAMPLES, "web"),
                      _templated("spam/pharmacy", PHARMA_TEMPLATES, PHARMA_WORDS, obfuscate=0.25), 150),
    "spam/crypto": (_fixed("spam/crypto", CRYPTO_EXAMPLES, "web"),
                    _templated("spam/crypto", CRYPTO_TEMPLATES, CRYPTO_WORDS, obfuscate=0.1), 170),
    "spam/loans": (_fixed("spam/loans", LOAN_EXAMPLES, "web"),
                   _templated("spam/loans", LOAN_TEMPLATES, LOAN_WORDS, obfuscate=0.1), 110),
    "spam/adult": (_fixed("spam/adult", ADULT_EXAMPLES, "web"),
                   _templated("spam/adult", ADULT_TEMPLATES, ADULT_WORDS, obfuscate=0.2), 110),
    "spam/channel-promo": (_fixed("spam/channel-promo", CHANNEL_EXAMPLES, "youtube"),
                           _templated("spam/channel-promo", CHANNEL_TEMPLATES, ["music", "beats", "vlog"],
                                      style="youtube", obfuscate=0.05), 200),
    "spam/fake-praise": ([], _praise, 170),
    "spam/job": (_fixed("spam/job", JOB_EXAMPLES, "web"),
                 _templated("spam/job", JOB_TEMPLATES, JOB_WORDS), 150),
    "spam/prize-sms": (_fixed("spam/prize-sms", SMS_EXAMPLES, "sms"),
                       _templated("spam/prize-sms", SMS_PRIZE_TEMPLATES, ["prize", "claim", "win"], style="sms"),
                       200),
    "spam/sms-promo": ([], _templated("spam/sms-promo", SMS_PROMO_TEMPLATES, ["promo", "deal"], style="sms"), 110),
    "spam/phishing": ([], _templated("spam/phishing", PHISH_TEMPLATES, ["secure", "verify", "account", "login"]),
                      80),
    "spam/multilingual": ([], _multilingual, 130),
}
