"""Slot vocabularies shared by the genres: people, handles, domains, numbers and codes.

Every domain below is invented for the corpus except the well-known legitimate sites that the
hard negatives link to; e-mail addresses only use reserved or disposable-mail domains.
"""

from __future__ import annotations

import random
import string

FIRST_NAMES = [
    "Anna", "Ben", "Carlos", "Dana", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jamal", "Katya", "Liam",
    "Maya", "Nikhil", "Olga", "Pedro", "Quinn", "Rosa", "Sam", "Tomasz", "Uma", "Victor", "Wen", "Ximena",
    "Yusuf", "Zoe", "Marcus", "Priya", "Sean", "Aisha", "Lukas", "Mei", "Diego", "Hannah", "Kwame", "Nora",
    "Oscar", "Fatima", "Jens", "Chloe", "Rafael", "Sofia", "Tariq", "Emma", "Luca", "Ngozi", "Pablo",
    "Ruth", "Ahmed", "Julia", "Kenji", "Leah", "Mateo", "Nadia", "Owen", "Paula", "Raj", "Sara", "Tom",
    "Beatriz", "Dmitri", "Eleanor", "Gustavo", "Helga", "Ivan", "Joanna", "Karim", "Linda", "Mohammed",
]
LAST_NAMES = [
    "Smith", "Garcia", "Nguyen", "Okafor", "Müller", "Rossi", "Kowalski", "Johnson", "Tanaka", "Silva",
    "Dubois", "Ivanova", "Haddad", "Patel", "O'Brien", "Andersen", "Kim", "Lopez", "Schneider", "Brown",
    "Moreau", "Novak", "Yilmaz", "Mensah", "Wright", "Fischer", "Costa", "Walsh", "Hughes", "Cohen",
    "Bianchi", "Larsen", "Petrov", "Reyes", "Singh", "Murphy", "Chen", "Fernandes", "Baker", "Hoffmann",
]
HANDLE_WORDS = [
    "blue", "fox", "night", "owl", "pixel", "river", "storm", "coffee", "jazz", "tiger", "ghost", "lemon",
    "retro", "gamer", "chef", "north", "wolf", "lazy", "cat", "dad", "mama", "runner", "rocket", "geek",
    "salty", "viking", "ninja", "panda", "doc", "grumpy", "sunny", "dusty", "iron", "urban", "moss",
]
ORDINARY_EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com", "example.co.uk"]
DISPOSABLE_EMAIL_DOMAINS = [
    "mailinator.com", "guerrillamail.com", "yopmail.com", "10minutemail.com", "trashmail.com",
    "sharklasers.com", "maildrop.cc", "dispostable.com", "tempmail.net", "getnada.com",
]

SPAM_TLDS = [".com", ".net", ".biz", ".info", ".top", ".xyz", ".ru", ".online", ".shop", ".club", ".site"]
SHORTENERS = ["bit.ly", "tinyurl.com", "cutt.ly", "goo.gl", "t.ly", "is.gd", "rb.gy", "shorturl.at"]

LEGIT_LINKS = [
    "https://en.wikipedia.org/wiki/Photosynthesis", "https://en.wikipedia.org/wiki/Offside_(association_football)",
    "https://en.wikipedia.org/wiki/Maillard_reaction", "https://en.wikipedia.org/wiki/Filibuster",
    "https://en.wikipedia.org/wiki/Rust_(programming_language)", "https://www.nasa.gov/missions/",
    "https://www.cdc.gov/flu/prevent/", "https://www.gov.uk/council-tax", "https://www.usa.gov/voter-registration",
    "https://www.nhs.uk/conditions/hay-fever/", "https://github.com/python/cpython/issues",
    "https://github.com/scikit-learn/scikit-learn", "https://docs.python.org/3/library/json.html",
    "https://www.bbc.co.uk/news", "https://www.reuters.com/world/", "https://apnews.com/",
    "https://www.theguardian.com/environment", "https://www.metoffice.gov.uk/weather/forecast",
    "https://www.noaa.gov/", "https://www.who.int/news-room/fact-sheets", "https://arxiv.org/abs/1706.03762",
    "https://www.census.gov/data.html", "https://stackoverflow.com/questions/tagged/python",
    "https://developer.mozilla.org/en-US/docs/Web/HTML", "https://www.openstreetmap.org/",
    "https://www.ons.gov.uk/", "https://www.epa.gov/air-quality", "https://www.europa.eu/", "https://archive.org/",
]


def person_name(rng: random.Random) -> str:
    """Return a plausible real name, sometimes shortened the way people sign comments."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    roll = rng.random()
    if roll < 0.55:
        return f"{first} {last}"
    if roll < 0.75:
        return f"{first} {last[0]}."
    if roll < 0.9:
        return first
    return f"{first.lower()}{last.lower()}"


def handle(rng: random.Random) -> str:
    """Return a forum or social-media handle."""
    a, b = rng.sample(HANDLE_WORDS, 2)
    roll = rng.random()
    if roll < 0.35:
        return f"{a}{b}{rng.randint(1, 99)}"
    if roll < 0.6:
        return f"{a}_{b}"
    if roll < 0.8:
        return f"{a.capitalize()}{b.capitalize()}"
    return f"{rng.choice(FIRST_NAMES).lower()}_{a}{rng.randint(70, 2005)}"


def code(rng: random.Random, length: int = 7, alphabet: str = string.ascii_letters + string.digits) -> str:
    """Return a random referral or short-link code."""
    return "".join(rng.choice(alphabet) for _ in range(length))


def spam_domain(rng: random.Random, words: list[str]) -> str:
    """Invent a spammy domain from topic words, e.g. 'rx-meds24.top'."""
    a = rng.choice(words)
    b = rng.choice(["online", "24", "direct", "pro", "hub", "4u", "zone", "club", "now", "best", "world", "365"])
    sep = rng.choice(["", "-", ""])
    return f"{a}{sep}{b}{rng.choice(SPAM_TLDS)}"


def spam_url(rng: random.Random, domain: str) -> str:
    """Return a URL on a spam domain, with a path or tracking code now and then."""
    scheme = rng.choice(["https://", "http://", "http://www.", "www.", ""])
    path = rng.choice(["", "", "/", f"/?ref={code(rng, 5)}", f"/go/{code(rng, 6)}", "/promo", "/offer.html"])
    return f"{scheme}{domain}{path}"


def short_url(rng: random.Random) -> str:
    """Return a link-shortener URL."""
    return f"{rng.choice(['https://', 'http://', ''])}{rng.choice(SHORTENERS)}/{code(rng, rng.randint(5, 8))}"


def premium_number(rng: random.Random) -> str:
    """Return a premium-rate, freephone or mobile number in one of several national styles."""
    digits = string.digits
    roll = rng.random()
    if roll < 0.3:
        return "09" + "".join(rng.choice(digits) for _ in range(9))
    if roll < 0.45:
        return "0800 " + "".join(rng.choice(digits) for _ in range(3)) + " " + code(rng, 4, digits)
    if roll < 0.6:
        return "087" + "".join(rng.choice(digits) for _ in range(8))
    if roll < 0.8:
        return f"+1 ({rng.randint(200, 989)}) {rng.randint(200, 989)}-{rng.randint(1000, 9999)}"
    if roll < 0.9:
        return f"1-8{rng.randint(0, 8)}{rng.randint(0, 8)}-{rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
    return f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}"


def short_code(rng: random.Random) -> str:
    """Return an SMS short code."""
    return str(rng.randint(10000, 89999)) if rng.random() < 0.8 else str(rng.randint(60000, 89999))[:4]


def money(rng: random.Random) -> str:
    """Return a prize or offer amount in one of several currencies."""
    amount = rng.choice([100, 250, 500, 750, 900, 1000, 1500, 2000, 5000, 10000, 250000, 1000000])
    cur = rng.choice(["£", "$", "€", "$", "£"])
    return f"{cur}{amount:,}"
