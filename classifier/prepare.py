"""What the n-gram features read: the normalised text without identity terms, cut into sentences.

Identity terms ("muslim", "gay", "elderly", ...; classifier/identity.py) are removed before any n-gram is
hashed, so no feature can carry one: a civil sentence that names a group scores as the same sentence
without the name, and a toxic one must be toxic by its other words. Site rules and the stored text never
see this step.

Sentences are cut at line breaks and after ".", "!" or "?" followed by a space; each sentence is hashed on
its own, and a comment's row is the sum of its sentences' rows (classifier/features.py).
"""

from __future__ import annotations

import re
from dataclasses import replace

from classifier.identity import identity_spans
from classifier.normalise import Normalised

_SPACES = re.compile(r" {2,}")
_EDGES = " \n"
_BOUNDARY = re.compile(r"(?<=[.!?]) +|\n[\n ]*")
_WORD = re.compile(r"\w")


def strip_identities(norm: Normalised) -> Normalised:
    """Remove identity terms from normalised text (runs of spaces left behind become one space).

    With offsets, the map to the original text is kept for every remaining character.
    """
    spans = identity_spans(norm.text)
    if not spans:
        return norm
    text = norm.text
    if norm.starts is None or norm.ends is None:
        pieces, at = [], 0
        for begin, end in spans:
            pieces.append(text[at:begin])
            at = end
        pieces.append(text[at:])
        return replace(norm, text=_SPACES.sub(" ", "".join(pieces)).strip(_EDGES))
    removed = bytearray(len(text))
    for begin, end in spans:
        removed[begin:end] = b"\x01" * (end - begin)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, char in enumerate(text):
        if removed[i] or (char == " " and chars and chars[-1] == " "):
            continue
        chars.append(char)
        starts.append(norm.starts[i])
        ends.append(norm.ends[i])
    joined = "".join(chars)
    lead = len(joined) - len(joined.lstrip(_EDGES))
    stripped = joined.strip(_EDGES)
    stop = lead + len(stripped)
    return replace(norm, text=stripped, starts=tuple(starts[lead:stop]), ends=tuple(ends[lead:stop]))


def one_line(text: str) -> str:
    """Text with line breaks as spaces (runs of spaces squashed): how models before sentences read it."""
    return _SPACES.sub(" ", text.replace("\n", " ")) if "\n" in text else text


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """[begin, end) of each sentence of prepared text that holds a word character, in order."""
    spans = []
    at = 0
    for match in _BOUNDARY.finditer(text):
        if match.start() > at:
            spans.append((at, match.start()))
        at = match.end()
    if at < len(text):
        spans.append((at, len(text)))
    return [(b, e) for b, e in spans if _WORD.search(text, b, e)]
