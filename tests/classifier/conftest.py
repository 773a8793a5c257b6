"""Fixtures for classifier tests: a small synthetic corpus and a bundle trained on it once per session."""

from __future__ import annotations

import random
import re

import pytest

from classifier import train_bundle

SPAM = [
    "check out my channel {url} please subscribe",
    "buy cheap viagra now at {url} best price",
    "earn money from home {url} free bitcoin offer",
    "hot singles in your area click {url}",
    "cheap loans approved today visit {url}",
    "free followers and likes at {url} subscribe now",
]
HAM = [
    "I loved this song, brings back memories of {thing}",
    "great video, the part about {thing} was really helpful",
    "I disagree with the argument about {thing} but it was well made",
    "thanks for sharing, my kids enjoy {thing} too",
    "does anyone know when the next episode about {thing} comes out",
    "the editing on {thing} is so good",
]
TOXIC = [
    "you are an idiot and nobody likes you",
    "shut up you stupid idiot",
    "what a moron, go away loser",
    "you are a pathetic idiot, {thing} is for morons",
    "get lost you stupid loser",
]
CLEAN = [
    "I think you are wrong about {thing}, here is why",
    "nice point about {thing}, thanks",
    "that is a fair criticism of {thing}",
    "we can disagree about {thing} and still be friends",
    "good luck with {thing}, looking forward to more",
]
INSULTS = re.compile(r"idiot|stupid|moron|loser|pathetic")
THINGS = ["summer", "the guitar solo", "physics", "cooking", "the old days", "football", "chess", "the ending"]
URLS = ["http://spam-site.com/x", "www.cheap-pills.ru", "https://bit.ly/abc", "http://free-money.xyz/win"]


def synthetic_rows(n: int = 240, seed: int = 7) -> list[dict]:
    """Labelled rows: spam/ham with label_spam, toxic/clean with label_toxic and label_insult."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        thing, url = rng.choice(THINGS), rng.choice(URLS)
        kind = i % 4
        template = [SPAM, HAM, TOXIC, CLEAN][kind][rng.randrange(5)]
        text = template.format(thing=thing, url=url)
        row = {"text": text, "author": rng.choice(["Ann", "bob77", "Cheap SEO Pro", None]), "source": "test"}
        if kind < 2:
            row["label_spam"] = int(kind == 0)
            row["label_toxic"] = None
        else:
            row["label_spam"] = 0
            row["label_toxic"] = int(kind == 2)
            row["label_insult"] = int(kind == 2)
            # Raters' spans, as the toxic_spans set carries them: the insulting words (none in clean rows).
            row["gold_spans"] = [c for m in INSULTS.finditer(text) for c in range(m.start(), m.end())]
        rows.append(row)
    return rows


@pytest.fixture(scope="session")
def rows() -> list[dict]:
    return synthetic_rows()


@pytest.fixture(scope="session")
def bundle(rows):
    return train_bundle(rows, seed=1461)
