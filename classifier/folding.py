"""Character folding tables: look-alike letters and leetspeak mapped to plain ASCII letters."""

from __future__ import annotations

import re
import unicodedata

# Cyrillic and Greek letters that render like Latin ones (lower case: folding runs after casefold).
_LOOKALIKES = {
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ӏ": "l",
    "ԁ": "d", "ԛ": "q", "ԝ": "w", "ь": "b", "ɡ": "g", "ո": "n", "ս": "u", "օ": "o",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ω": "w", "γ": "y", "σ": "o", "ς": "c", "ϲ": "c", "ϳ": "j",
    # Small capitals and other phonetic look-alikes.
    "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ғ": "f", "ɢ": "g", "ʜ": "h", "ɪ": "i",
    "ᴊ": "j", "ᴋ": "k", "ʟ": "l", "ᴍ": "m", "ɴ": "n", "ᴏ": "o", "ᴘ": "p", "ǫ": "q", "ʀ": "r",
    "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v", "ᴡ": "w", "ʏ": "y", "ᴢ": "z", "ı": "i", "ł": "l",
    "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss", "æ": "ae", "œ": "oe",
}

# Enclosed Latin letters that NFKC leaves alone (squared, negative circled, negative squared,
# regional indicators), so "🅵🆁🅴🅴" folds to "free".
_ENCLOSED_BLOCKS = (0x1F130, 0x1F150, 0x1F170, 0x1F1E6)

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
                       "!": "i", "|": "l"})
# Cheap test for a leet character touching a letter; only then are tokens examined one by one.
_LEET_HINT = re.compile(r"[a-z][0-9@$|]|[0-9@$!|][a-z]")
# A whole token of letters and leet characters; possessive, so matching stays linear.
_LEET_TOKEN = re.compile(r"(?<![\w@$!|])[a-z0-9@$!|]++(?!\w)")
_LETTER = frozenset("abcdefghijklmnopqrstuvwxyz")
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


# Line breaks survive folding (as "\n"): sentences are split at them (classifier/sentences.py).
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")


def fold_char(char: str) -> str:
    """Fold one character: NFKC, casefold, strip combining marks, map look-alikes; "" drops it."""
    if char in _LINE_BREAKS:
        return "\n"
    if char.isspace():
        return " "
    category = unicodedata.category(char)
    if category in _DROPPED_CATEGORIES or category in ("Mn", "Me"):
        return ""
    code = ord(char)
    for block in _ENCLOSED_BLOCKS:
        if block <= code < block + 26:
            return chr(ord("a") + code - block)
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = unicodedata.normalize("NFKC", stripped).casefold()
    out = []
    for c in folded:
        if c.isspace():
            out.append(" ")
        elif unicodedata.category(c) not in _DROPPED_CATEGORIES and not unicodedata.combining(c):
            out.append(_LOOKALIKES.get(c, c))
    return "".join(out)


class FoldTable(dict):
    """A `str.translate` table that folds each character on first sight and caches the result."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        self[code] = folded
        return folded


def unleet_token(token: str) -> str:
    """Map the leet characters of one token to letters when each touches a letter ("h3ll0" -> "hello")."""
    body = token.rstrip("!|")
    tail = token[len(body):]
    if not body or body[0] == "@" or body.isalpha():  # "@name" is a mention, not "aname"
        return token
    for i, char in enumerate(body):
        if char in _LETTER:
            continue
        before = body[i - 1] if i else ""
        after = body[i + 1] if i + 1 < len(body) else ""
        if before not in _LETTER and after not in _LETTER:
            return token
    return body.translate(_LEET) + tail


def unleet(text: str) -> str:
    """Apply `unleet_token` to every candidate token; the length of the text never changes."""
    if not _LEET_HINT.search(text):
        return text
    return _LEET_TOKEN.sub(lambda m: unleet_token(m.group()), text)
