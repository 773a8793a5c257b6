"""The labelled seed corpus the default model is built from: one JSON object a line in corpus.jsonl."""

from __future__ import annotations

import json
from importlib.resources import files

# A Traversable (a pathlib.Path in ordinary installs); resolved here, but opened only when loaded.
SEED_PATH = files(__name__).joinpath("corpus.jsonl")


def load_seed_rows() -> list[dict]:
    """Read every row of the seed corpus."""
    text = SEED_PATH.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]
