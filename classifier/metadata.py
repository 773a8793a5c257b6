"""Numeric features of a comment besides its words: links, author fields, capitals, length, punctuation.

Values are counts, flags (1.0) or 1 + a share, so that every present feature is >= 1: the head Pipeline's
sublinear TF-IDF turns each into 1 + log(value), like an n-gram count, and absent features stay 0.
"""

from __future__ import annotations

import functools
import re
import string

import numpy as np

from classifier.inputs import CommentInput
from classifier.links import email_domain, registrable_domain
from classifier.normalise import Normalised

METADATA_FEATURES = (
    "links",
    "link_domains",
    "emails_in_text",
    "author_url",
    "author_url_matches_link",
    "author_name_has_url",
    "author_name_spam_keyword",
    "disposable_email",
    "capitals_share",
    "length",
    "repeated_punctuation",
    "long_digit_runs",
    "currency_signs",
)

_AUTHOR_SPAM_WORDS = re.compile(
    r"seo|casino|loan|viagra|cialis|pharma|crypto|bitcoin|forex|invest|porn|sex|xxx|dating|escort|"
    r"cheap|discount|promo|marketing|backlink|traffic|followers|subscribe|earn|money|profit|bet|slots|"
    r"replica|outlet|pills|weight ?loss|keto|essay|hack",
    re.IGNORECASE,
)
_AUTHOR_URL = re.compile(r"https?://|www\.|\.(?:com|net|org|info|biz|ru|xyz|top|io)\b", re.IGNORECASE)
_REPEATED_PUNCT = re.compile(r"[!?]{2,}|\.{4,}|[!?][!?.]+[!?]")
_DIGIT_RUN = re.compile(r"\d{5,}")
_CURRENCY = re.compile(r"[$£€¥₹₿]")
_ASCII_UPPER = string.ascii_uppercase.encode("ascii")
_ASCII_CASED = string.ascii_letters.encode("ascii")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_DIGITS = b"0123456789"


@functools.cache
def _disposable_domains() -> frozenset[str]:
    from disposable_email_domains import blocklist

    return frozenset(blocklist)


def _capitals(text: str) -> tuple[int, int]:
    """Count upper-case letters and letters that have case (any script, fullwidth included)."""
    if text.isascii():  # the common case, counted in C: A-Z are the upper-case letters, a-zA-Z the cased ones
        raw = text.encode("ascii")
        return len(raw) - len(raw.translate(None, _ASCII_UPPER)), len(raw) - len(raw.translate(None, _ASCII_CASED))
    others = _NON_ASCII.findall(text)
    # Mostly ASCII (an emoji, a byte-order mark, an accent): the ASCII part in C, the rest one by one.
    if len(others) <= 32:
        raw = text.encode("ascii", "ignore")
        upper = len(raw) - len(raw.translate(None, _ASCII_UPPER)) + sum(c != c.lower() for c in others)
        cased = len(raw) - len(raw.translate(None, _ASCII_CASED)) + sum(c.lower() != c.upper() for c in others)
        return upper, cased
    lower, upper = text.lower(), text.upper()
    if not len(text) == len(lower) == len(upper):  # a few letters change length ("İ"): count one by one
        return sum(c != c.lower() for c in text), sum(c.lower() != c.upper() for c in text)
    original = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lowered = np.frombuffer(lower.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    uppered = np.frombuffer(upper.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return int(np.count_nonzero(original != lowered)), int(np.count_nonzero(lowered != uppered))


def metadata_row(item: CommentInput, normalised: Normalised) -> list[float]:
    """Return the METADATA_FEATURES of one comment, in order."""
    text = item.text
    author_domain = registrable_domain(item.author_url) if item.author_url else None
    name = item.author_name or ""
    upper, cased = _capitals(text[:5000])
    mail_domain = email_domain(item.author_email)
    return [
        float(normalised.n_links),
        float(len(set(normalised.link_domains))),
        float(normalised.n_emails),
        float(bool(item.author_url and item.author_url.strip())),
        float(author_domain is not None and author_domain in normalised.link_domains),
        float(bool(name and _AUTHOR_URL.search(name))),
        float(bool(name and _AUTHOR_SPAM_WORDS.search(name))),
        float(mail_domain is not None and mail_domain in _disposable_domains()),
        1.0 + upper / cased if cased >= 4 else 0.0,
        float(len(text)),
        float(_count(_REPEATED_PUNCT, text) if "!" in text or "?" in text or "...." in text else 0),
        float(_count(_DIGIT_RUN, text) if _has_digits(text) else 0),
        float(text.count("$") if text.isascii() else _count(_CURRENCY, text)),
    ]


def display_value(name: str, value: float) -> float:
    """A feature's value as a person reads it (the matrix holds 1 + share for shares, so present is >= 1)."""
    if name == "capitals_share":
        return round(value - 1.0, 4)
    return value


def _has_digits(text: str) -> bool:
    """Whether text may hold a digit (exact for ASCII text, counted in C; otherwise assume so)."""
    if not text.isascii():
        return True
    raw = text.encode("ascii")
    return len(raw.translate(None, _DIGITS)) != len(raw)


def _count(pattern: re.Pattern, text: str) -> int:
    """Number of non-overlapping matches of pattern in text."""
    return len(pattern.findall(text))


def metadata_matrix(items: list[CommentInput], normalised: list[Normalised]) -> np.ndarray:
    """Return an (n, len(METADATA_FEATURES)) float64 matrix."""
    rows = [metadata_row(item, norm) for item, norm in zip(items, normalised, strict=True)]
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(METADATA_FEATURES))
