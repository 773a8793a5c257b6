"""Training data: the seed corpus, imported history and moderators' labels, de-duplicated by content hash."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.labels import content_hash
from service.storage.models import Label

LABEL_KEYS = ("label_spam", "label_toxic")
# When the same text is labelled by several sources, the most authoritative one decides (per head).
PRECEDENCE = {"moderator": 3, "seed": 0}
OTHER_SOURCES = 2  # imports and API feedback: people labelled them, but not our moderators


@dataclass
class Example:
    """One training row with where it came from; `at` orders moderator labels by time."""

    row: dict
    source: str
    content_hash: str
    at: datetime | None = None
    label_id: int | None = None

    @property
    def family(self) -> str:
        return self.source.split(":", 1)[0]


@dataclass
class TrainingData:
    """De-duplicated examples plus how many rows each source gave and how many survived."""

    examples: list[Example]
    provenance: dict[str, dict[str, int]] = field(default_factory=dict)


def timestamp(at: datetime | None) -> float:
    """Seconds since the epoch; SQLite hands back naive UTC datetimes, PostgreSQL aware ones."""
    if at is None:
        return 0.0
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()


def source_rank(source: str) -> int:
    return PRECEDENCE.get(source.split(":", 1)[0], OTHER_SOURCES)


def label_rows(session: Session, batch: int = 5000) -> Iterable[Example]:
    """Every row of the labels table as an example (moderated comments carry their latest decision)."""
    query = select(Label).order_by(Label.id).execution_options(yield_per=batch)
    for label in session.scalars(query):
        if label.label_spam is None and label.label_toxic is None:
            continue
        row = {"text": label.text, "author_name": label.author_name, "author_url": label.author_url,
               "label_spam": label.label_spam, "label_toxic": label.label_toxic, "source": label.source}
        yield Example(row=row, source=label.source, content_hash=label.content_hash,
                      at=label.updated_at or label.created_at, label_id=label.id)


def seed_examples(rows: Iterable[dict]) -> Iterable[Example]:
    """The seed corpus rows as examples (every head they label is kept)."""
    for row in rows:
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        row = {**row, "source": "seed"}
        yield Example(row=row, source="seed", content_hash=content_hash(text))


def assemble(examples: Iterable[Example]) -> TrainingData:
    """De-duplicate by content hash: for each head the highest-precedence (then most recent) label wins."""
    groups: dict[str, list[Example]] = {}
    provenance: dict[str, dict[str, int]] = {}
    for example in examples:
        counts = provenance.setdefault(example.family, {"rows": 0, "kept": 0, "duplicates": 0})
        counts["rows"] += 1
        groups.setdefault(example.content_hash, []).append(example)
    kept: list[Example] = []
    for group in groups.values():
        ranked = sorted(group, key=lambda e: (source_rank(e.source), timestamp(e.at)), reverse=True)
        winner = ranked[0]
        row = dict(winner.row)
        for key in LABEL_KEYS:
            if row.get(key) is None:
                # A moderator who only judged spam still leaves the imported toxicity label usable.
                row[key] = next((e.row.get(key) for e in ranked[1:] if e.row.get(key) is not None), None)
        kept.append(Example(row=row, source=winner.source, content_hash=winner.content_hash, at=winner.at,
                            label_id=winner.label_id))
        provenance[winner.family]["kept"] += 1
        for loser in ranked[1:]:
            provenance[loser.family]["duplicates"] += 1
    return TrainingData(examples=kept, provenance=dict(sorted(provenance.items())))


def sample_seed(rows: list[dict], limit: int, seed: int = 1461) -> list[dict]:
    """At most `limit` seed rows, sampled in proportion within each (spam, toxic) label stratum."""
    if limit >= len(rows):
        return rows
    strata: dict[tuple, list[dict]] = {}
    for row in rows:
        strata.setdefault((row.get("label_spam"), row.get("label_toxic")), []).append(row)
    rng = random.Random(seed)
    out: list[dict] = []
    for key in sorted(strata, key=repr):
        members = strata[key]
        out.extend(rng.sample(members, max(1, round(len(members) * limit / len(rows)))))
    return out


def load_training_data(session: Session, seed_rows: Iterable[dict] | None = None, *,
                       seed_limit: int | None = None, seed: int = 1461) -> TrainingData:
    """Assemble the seed corpus (unless given other rows, optionally sampled down) and every label."""
    if seed_rows is None:
        from classifier.seed import load_seed_rows

        seed_rows = load_seed_rows()
    if seed_limit:
        seed_rows = sample_seed(list(seed_rows), seed_limit, seed)
    return assemble([*seed_examples(seed_rows), *label_rows(session)])
