"""Store labelled history from an export file as training labels, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from service.domain.labels import content_hash, record_example
from service.imports.parsers import ImportedRow, parse_file
from service.storage.models import Site


@dataclass
class ImportSummary:
    """What an import did, counted per outcome."""

    format: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    duplicates_in_file: int = 0
    unlabelled: int = 0
    by_label: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def import_file(session: Session, site: Site, path: Path, fmt: str | None = None,
                mapping: dict[str, str] | None = None) -> ImportSummary:
    """Parse `path` completely (any error names its line and stores nothing), then store its labels."""
    from service.imports.parsers import detect_format

    rows = parse_file(path, fmt, mapping)
    fmt = fmt or detect_format(path, path.read_text(encoding="utf-8-sig", errors="replace"))
    return import_rows(session, site, rows, fmt=fmt, filename=path.name)


def import_rows(session: Session, site: Site, rows: list[ImportedRow], *, fmt: str, filename: str) -> ImportSummary:
    """Store parsed rows as labels with provenance, de-duplicated by content hash; the caller's transaction
    makes the whole file land or none of it."""
    summary = ImportSummary(format=fmt, rows=len(rows))
    seen: set[str] = set()
    imported_at = datetime.now(UTC).isoformat()
    for row in rows:
        if row.label_spam is None and row.label_toxic is None:
            summary.unlabelled += 1
            continue
        digest = content_hash(row.text)
        if digest in seen:
            summary.duplicates_in_file += 1
            continue
        seen.add(digest)
        provenance = {"file": filename, "line": row.line, "format": fmt, "site": site.name,
                      "imported_at": imported_at}
        if row.external_id:
            provenance["external_id"] = row.external_id
        _, created = record_example(
            session, text=row.text, label_spam=row.label_spam, label_toxic=row.label_toxic,
            source=f"import:{fmt}", provenance=provenance, site_id=site.id, author_name=row.author_name,
            author_url=row.author_url,
        )
        if created:
            summary.created += 1
        else:
            summary.updated += 1
        for name, value in (("spam", row.label_spam), ("toxic", row.label_toxic)):
            if value is not None:
                key = f"{name}={value}"
                summary.by_label[key] = summary.by_label.get(key, 0) + 1
    return summary
