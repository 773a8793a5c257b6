"""Text normalisation before features, with a map from normalised characters back to the original text.

Steps: HTML tags dropped (their links kept) and entities decoded; links replaced by " urltoken <domain> "
and e-mail addresses by " emailtoken "; every character folded (NFKC, casefold, combining marks,
look-alikes, fullwidth); leetspeak mapped to letters; runs of one character squashed to two and runs
of spaces to one; line breaks are kept (one or two "\n"), for sentence splitting. Character i of the
normalised text came from original[starts[i]:ends[i]].
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from classifier.folding import FoldTable, unleet
from classifier.links import (
    TAG_OR_LINK,
    href_domain,
    is_bare_domain_link,
    registrable_domain,
    strip_trailing_punctuation,
)

MAX_CHARS = 20_000  # longer comments are cut: features of the first 20k characters decide
URL_TOKEN = "urltoken"  # noqa: S105 (a placeholder word, not a password)
EMAIL_TOKEN = "emailtoken"  # noqa: S105

_FOLD = FoldTable()
# Tags need "<", entities "&", e-mails "@", links "://" or a dot before a letter ("x.com", "www."): a
# sentence-ending ". " alone cannot start any of them, so most comments skip the link scan.
_SPECIAL_HINT = re.compile(r"[<&@]|\.[a-zA-Z]|://")
_RUNS = re.compile(r" {2,}|([^ ])\1{2,}")
_EDGES = " \n"  # stripped from both ends of the normalised text


@dataclass(frozen=True, slots=True)
class Normalised:
    """Normalised text, the link domains found in it, and (optionally) its map to the original text."""

    text: str
    link_domains: tuple[str, ...]
    n_links: int
    n_emails: int
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def original_span(self, begin: int, end: int) -> tuple[int, int]:
        """Map normalised text[begin:end] (end > begin) to its [begin, end) span in the original text."""
        if self.starts is None or self.ends is None:
            raise ValueError("normalised without offsets")
        return self.starts[begin], self.ends[end - 1]


def normalise(text: str, *, offsets: bool = False) -> Normalised:
    """Normalise comment text for features; with offsets, also map each character back to the original."""
    text = text[:MAX_CHARS]
    pieces, domains, n_links, n_emails = _split_specials(text)
    if not offsets:
        folded = "".join(piece.translate(_FOLD) for piece, _, _, _ in pieces)
        squashed = _RUNS.sub(_squash, unleet(folded)).strip(_EDGES)
        return Normalised(squashed, tuple(domains), n_links, n_emails)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for piece, begin, end, verbatim in pieces:
        folded = piece.translate(_FOLD)
        if verbatim and len(folded) == len(piece):
            chars.append(folded)
            starts.extend(range(begin, end))
            ends.extend(range(begin + 1, end + 1))
        elif verbatim:
            for i, char in enumerate(piece):
                one = char.translate(_FOLD)
                chars.append(one)
                starts.extend([begin + i] * len(one))
                ends.extend([begin + i + 1] * len(one))
        else:
            chars.append(folded)
            starts.extend([begin] * len(folded))
            ends.extend([end] * len(folded))
    folded = unleet("".join(chars))  # leet mapping keeps the length, so the map still holds
    squashed, starts, ends = _squash_with_offsets(folded, starts, ends)
    lead = len(squashed) - len(squashed.lstrip(_EDGES))
    stripped = squashed.strip(_EDGES)
    stop = lead + len(stripped)
    return Normalised(stripped, tuple(domains), n_links, n_emails, tuple(starts[lead:stop]), tuple(ends[lead:stop]))


def _split_specials(text: str) -> tuple[list[tuple[str, int, int, bool]], list[str], int, int]:
    """Cut text into (piece, begin, end, verbatim) with tags, entities, links and e-mails replaced."""
    if not _SPECIAL_HINT.search(text):
        return [(text, 0, len(text), True)], [], 0, 0
    pieces: list[tuple[str, int, int, bool]] = []
    domains: list[str] = []
    n_links = n_emails = 0
    position = 0
    for match in TAG_OR_LINK.finditer(text):
        kind, begin, end = match.lastgroup, match.start(), match.end()
        found = match.group()
        if kind == "url":
            found = strip_trailing_punctuation(found)
            end = begin + len(found)
            if not found or (not found.lower().startswith(("http://", "https://")) and not is_bare_domain_link(found)):
                continue
        replacement = _replacement(kind, found)
        if replacement is None:
            continue
        if kind in ("url", "tag") and replacement.strip():
            n_links += 1
            domains.append(replacement.split()[-1])
        n_emails += kind == "email"
        if begin > position:
            pieces.append((text[position:begin], position, begin, True))
        pieces.append((replacement, begin, end, False))
        position = end
    if position < len(text):
        pieces.append((text[position:], position, len(text), True))
    return pieces, domains, n_links, n_emails


def _replacement(kind: str | None, found: str) -> str | None:
    if kind == "tag":
        domain = href_domain(found)
        return f" {URL_TOKEN} {domain} " if domain else " "
    if kind == "entity":
        decoded = html.unescape(found)
        return None if decoded == found else decoded
    if kind == "email":
        return f" {EMAIL_TOKEN} "
    domain = registrable_domain(found)
    return f" {URL_TOKEN} {domain} " if domain else None


def _squash(match: re.Match) -> str:
    return " " if match.group(1) is None else match.group(1) * 2


def _squash_with_offsets(text: str, starts: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    """Squash runs like `_RUNS`, keeping each kept character's span (the last covers the squashed run)."""
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    position = 0
    for match in _RUNS.finditer(text):
        begin, end = match.span()
        out.append(text[position:begin])
        new_starts.extend(starts[position:begin])
        new_ends.extend(ends[position:begin])
        kept = _squash(match)
        out.append(kept)
        new_starts.extend(starts[begin:begin + len(kept)])
        new_ends.extend(ends[begin:begin + len(kept) - 1])
        new_ends.append(ends[end - 1])
        position = end
    out.append(text[position:])
    new_starts.extend(starts[position:])
    new_ends.extend(ends[position:])
    return "".join(out), new_starts, new_ends
