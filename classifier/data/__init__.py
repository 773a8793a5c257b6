"""Real labelled data shipped with Moderato: six public sets the default model is trained on.

Each folder holds `train.jsonl.gz` (one JSON object a line: text, author, label_spam or label_toxic, source,
id, orig_label, and per set `perspective` or `gold_spans`), `PROVENANCE.md` (where it came from, counts) and
`ATTRIBUTION.md` (authors, licence, citation). Two sets are CC BY-SA 3.0 and stay under it.
"""

from __future__ import annotations

import gzip
import json
from importlib.resources import files

BUNDLED_SETS = (
    "youtube_spam",
    "sms_spam",
    "davidson_hate_offensive",
    "toxic_spans",
    "stormfront_hate",
    "wiki_talk_cat",
)


def load_bundled_rows(sets: tuple[str, ...] | list[str] | None = None) -> list[dict]:
    """Read the rows of the named bundled sets (default: all), each tagged with `bundled` = its set name."""
    rows: list[dict] = []
    for name in sets or BUNDLED_SETS:
        if name not in BUNDLED_SETS:
            raise ValueError(f"unknown bundled data set {name!r}; known: {', '.join(BUNDLED_SETS)}")
        raw = files(__name__).joinpath(name, "train.jsonl.gz").read_bytes()
        for line in gzip.decompress(raw).decode("utf-8").splitlines():
            if line.strip():
                rows.append({**json.loads(line), "bundled": name})
    return rows
