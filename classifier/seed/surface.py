"""Surface noise: casing, typos, emoji, entities, SMS shorthand and deliberate obfuscation.

Every function takes the generator's own `random.Random` so the corpus stays reproducible.
"""

from __future__ import annotations

import random
import re

EMOJI_WEB = ["🙂", "😂", "👍", "🙏", "❤️", "😅", "🤔", "👏", "😊", "🔥", "💯", "😢", "😡", "🙄", "😬"]
EMOJI_TWEET = ["😂", "😂😂", "💀", "😭", "🙄", "🔥", "💯", "😩", "👀", "🤣", "😤", "🙌", "😍", "🤷‍♂️", "🥴"]
EMOJI_SPAM = ["💰", "🔥", "✅", "👉", "🚀", "💵", "🎁", "⭐", "📈", "💊", "🤑", "❗", "⚡", "🎉", "📲"]

# Cyrillic letters that render like Latin ones: a favourite trick for slipping keywords past filters.
CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і", "k": "к"}
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
SYMBOL_LEET = {"a": "@", "i": "!", "s": "$", "o": "0"}

SMS_SHORTHAND = [
    (r"\byou\b", "u"), (r"\bare\b", "r"), (r"\bto\b", "2"), (r"\bfor\b", "4"), (r"\btonight\b", "2nite"),
    (r"\blater\b", "l8r"), (r"\bplease\b", "pls"), (r"\bthanks\b", "thx"), (r"\bokay\b", "ok"),
    (r"\bbecause\b", "coz"), (r"\byour\b", "ur"), (r"\bwhat\b", "wat"), (r"\bsee\b", "c"),
    (r"\btomorrow\b", "tmrw"), (r"\bgreat\b", "gr8"), (r"\bwith\b", "w/"), (r"\bdon't\b", "dont"),
    (r"\bI'm\b", "im"), (r"\bthe\b", "da"), (r"\bknow\b", "kno"), (r"\bmessage\b", "msg"),
]


def typo(rng: random.Random, text: str) -> str:
    """Introduce one keyboard slip: a swapped, dropped or doubled letter inside a longer word."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    kind = rng.random()
    if kind < 0.4:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind < 0.7:
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


def recase(rng: random.Random, text: str, shout: float = 0.04, lower: float = 0.15) -> str:
    """Sometimes shout the whole text, sometimes drop all capitals."""
    roll = rng.random()
    if roll < shout:
        return text.upper()
    if roll < shout + lower:
        return text.lower()
    return text


def shorthand(rng: random.Random, text: str, rate: float = 0.6) -> str:
    """Rewrite some words the way people type them on a phone."""
    for pattern, short in SMS_SHORTHAND:
        if rng.random() < rate:
            text = re.sub(pattern, short, text, flags=re.IGNORECASE)
    return text


def entity_emoji(text: str) -> str:
    """Write emoji as numeric HTML entities, as some scrapers and exports store them."""
    return "".join(f"&#{ord(ch)};" if ord(ch) > 0xFFFF else ch for ch in text)


def obfuscate_word(rng: random.Random, word: str, style: str | None = None) -> str:
    """Disguise one word: spaced, dotted, leet, symbol, starred or Cyrillic look-alike letters."""
    style = style or rng.choice(["spaced", "dotted", "leet", "symbol", "cyrillic", "cyrillic"])
    if style == "spaced":
        return " ".join(word)
    if style == "dotted":
        return ".".join(word)
    if style == "leet":
        return "".join(LEET.get(ch.lower(), ch) if rng.random() < 0.7 else ch for ch in word)
    if style == "symbol":
        return "".join(SYMBOL_LEET.get(ch.lower(), ch) for ch in word)
    if style == "star":
        vowels = [i for i, ch in enumerate(word) if ch.lower() in "aeiou" and i > 0]
        if not vowels:
            return word[0] + "*" * (len(word) - 1)
        i = rng.choice(vowels)
        return word[:i] + "*" + word[i + 1 :]
    return "".join(CYRILLIC.get(ch, ch) if rng.random() < 0.6 else ch for ch in word)


def obfuscate_domain(rng: random.Random, domain: str) -> str:
    """Break a domain so it is not auto-linked: 'site dot com', 'site(.)com', 'site . com'."""
    name, _, tld = domain.rpartition(".")
    sep = rng.choice([" dot ", "(.)", " . ", "[.]", " DOT ", ",", " (dot) "])
    return f"{name}{sep}{tld}"


def decorate(rng: random.Random, text: str, style: str) -> str:
    """Apply the everyday noise of a channel: 'web', 'tweet', 'sms', 'youtube' or 'spam'."""
    if style == "sms":
        if rng.random() < 0.45:
            text = shorthand(rng, text)
        text = recase(rng, text, shout=0.03, lower=0.3)
    elif style == "tweet":
        text = recase(rng, text, shout=0.05, lower=0.35)
        if rng.random() < 0.3:
            text = text + " " + rng.choice(EMOJI_TWEET)
        if rng.random() < 0.25:
            text = entity_emoji(text)
    elif style == "spam":
        text = recase(rng, text, shout=0.08, lower=0.08)
        if rng.random() < 0.2:
            text = rng.choice(EMOJI_SPAM) + " " + text
        if rng.random() < 0.15:
            text = text.rstrip(".") + rng.choice(["!!", "!!!", " !!!", "!!1"])
    else:
        text = recase(rng, text, shout=0.02, lower=0.12)
        if rng.random() < 0.15:
            text = text + " " + rng.choice(EMOJI_WEB)
        if style == "youtube" and rng.random() < 0.2:
            text = text + " " + rng.choice(EMOJI_TWEET)
    if rng.random() < 0.15:
        text = typo(rng, text)
    if rng.random() < 0.05:
        text = text.replace(". ", ".  ", 1)
    return text
