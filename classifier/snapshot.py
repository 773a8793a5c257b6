"""Training-data snapshot recorded in sidecars: sources, row counts and a content hash."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence

from classifier.heads import HEAD_LABELS, label_value


def row_digest(row: dict) -> str:
    """Hash what training reads from a row (text, author fields, labels), nothing else."""
    keys = ("text", "author", "author_name", "author_email", "author_url", *HEAD_LABELS.values())
    picked = {k: row.get(k) for k in keys if row.get(k) is not None}
    return hashlib.sha256(json.dumps(picked, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def data_snapshot(rows: Sequence[dict], head: str | None = None, digests: Sequence[str] | None = None) -> dict:
    """Describe the rows one head trained on: per-source counts, label counts, order-independent hash.

    digests, when given, are `row_digest` of each row (computed once when several heads share rows).
    """
    label = HEAD_LABELS.get(head or "")
    if digests is None:
        digests = [row_digest(r) for r in rows]
    if label is not None:
        keep = [i for i, r in enumerate(rows) if label_value(r.get(label)) is not None]
        rows, digests = [rows[i] for i in keep], [digests[i] for i in keep]
    digests = sorted(digests)
    content = hashlib.sha256("\n".join(digests).encode()).hexdigest()
    sources = Counter(str(r.get("source") or "unknown").split(":", 1)[0] for r in rows)
    snapshot = {"rows": len(rows), "sources": dict(sorted(sources.items())), "content_sha256": content}
    if label is not None:
        snapshot["positives"] = sum(label_value(r.get(label)) == 1 for r in rows)
    return snapshot
