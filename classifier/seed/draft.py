"""One candidate comment before authors, ids and de-duplication are applied."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_SLOT = re.compile(r"\{(\w+)\}")


@dataclass
class Draft:
    """A generated comment with its genre and the toxicity sub-attributes it carries."""

    text: str
    genre: str
    lang: str = "en"
    insult: int = 0
    threat: int = 0
    identity_attack: int = 0
    obscene: int = 0
    severe_toxic: int = 0
    # "spammer", "person", "handle", "none": how generate.py should invent the author fields.
    author_kind: str = "person"
    # The domain the comment links to, so a spammer's author_url can match it.
    link_domain: str | None = None


def fill(rng: random.Random, template: str, slots: dict[str, list[str]]) -> str:
    """Replace each {slot} in template with a random value; a slot repeated gets the same value."""
    chosen: dict[str, str] = {}

    def pick(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in chosen:
            chosen[name] = rng.choice(slots[name])
        return chosen[name]

    return _SLOT.sub(pick, template)


def sentences(rng: random.Random, pool: list[str], low: int, high: int) -> list[str]:
    """Pick between low and high distinct sentences from pool, in random order."""
    count = min(len(pool), rng.randint(low, high))
    return rng.sample(pool, count)
