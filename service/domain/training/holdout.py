"""The holdout a candidate never trains on: the most recent moderator labels plus a stratified sample."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from service.domain.training.dataset import Example, timestamp

RECENT_FRACTION = 0.2  # the newest share of moderator labels, held out by time
SAMPLE_FRACTION = 0.1  # a stratified sample of everything else


@dataclass
class Split:
    train: list[Example]
    holdout: list[Example]
    recent: list[Example]  # the time-based part of the holdout (moderator labels only)


def stratum(example: Example) -> tuple:
    return example.family, example.row.get("label_spam"), example.row.get("label_toxic")


def split(examples: list[Example], *, recent_fraction: float = RECENT_FRACTION,
          sample_fraction: float = SAMPLE_FRACTION, seed: int = 1461) -> Split:
    """Hold out the newest `recent_fraction` of moderator labels and `sample_fraction` of each stratum of the rest."""
    moderated = sorted((e for e in examples if e.family == "moderator"),
                       key=lambda e: (timestamp(e.at), e.label_id or 0))
    n_recent = math.ceil(len(moderated) * recent_fraction) if moderated else 0
    recent = moderated[len(moderated) - n_recent:] if n_recent else []
    recent_ids = {id(e) for e in recent}
    strata: dict[tuple, list[Example]] = {}
    for example in examples:
        if id(example) not in recent_ids:
            strata.setdefault(stratum(example), []).append(example)
    rng = random.Random(seed)
    sampled: list[Example] = []
    for key in sorted(strata, key=repr):
        members = strata[key]
        # Round down, so a tiny stratum stays in training rather than vanishing into the holdout.
        sampled.extend(rng.sample(members, int(len(members) * sample_fraction)))
    held = recent_ids | {id(e) for e in sampled}
    train = [e for e in examples if id(e) not in held]
    return Split(train=train, holdout=recent + sampled, recent=recent)
