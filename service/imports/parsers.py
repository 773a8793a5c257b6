"""Parse labelled comment history (JSONL, CSV, WordPress WXR, Disqus XML) into ImportedRow values.

Pure parsing: no database, no Flask. A file is validated in full before any row is returned, so an
import is all or nothing; every error names the line it was found on.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

FORMATS = ("jsonl", "csv", "wxr", "disqus")
# ImportedRow field -> column (JSONL key or CSV header) read when the caller's mapping does not say.
DEFAULT_MAPPING = {
    "text": "text",
    "author_name": "author",
    "author_email": "author_email",
    "author_url": "author_url",
    "label_spam": "label_spam",
    "label_toxic": "label_toxic",
    "created_at": "created_at",
    "external_id": "id",
}
_TRUE = {"1", "true", "yes", "y", "spam", "toxic"}
_FALSE = {"0", "false", "no", "n", "ham", "clean", "not_spam", "ok"}
_FORBIDDEN_XML = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
# How far into a file the format markers (root element, namespaces) are looked for.
_SNIFF = 16384
_WXR_NS = re.compile(r"^\{http://wordpress\.org/export/[\d.]+/\}")


class ImportFormatError(ValueError):
    """The file cannot be imported; `line` is the 1-based line the problem was found on, if known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class ImportedRow:
    """One comment of imported history, with whatever labels the source carried."""

    text: str
    author_name: str | None = None
    author_email: str | None = None
    author_url: str | None = None
    label_spam: int | None = None
    label_toxic: int | None = None
    created_at: datetime | None = None
    external_id: str | None = None
    line: int = 0
    extra: dict = field(default_factory=dict)


def parse_file(path: Path, fmt: str | None = None, mapping: dict[str, str] | None = None) -> list[ImportedRow]:
    """Parse a whole history file; fmt is detected from the extension or content when None.

    `mapping` renames columns for JSONL and CSV, e.g. {"text": "body", "label_spam": "is_spam"}.
    """
    path = Path(path)
    text = _read_text(path)
    fmt = fmt or detect_format(path, text)
    if fmt not in FORMATS:
        raise ImportFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt in ("jsonl", "csv"):
        columns = _mapping(mapping)
        return _parse_jsonl(text, columns) if fmt == "jsonl" else _parse_csv(text, columns)
    if mapping:
        raise ImportFormatError(f"a column mapping does not apply to {fmt} files")
    return _parse_wxr(text) if fmt == "wxr" else _parse_disqus(text)


def detect_format(path: Path, text: str) -> str:
    """Guess the format from the file extension, then from the first characters of the content."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    head = text.lstrip()[:_SNIFF]
    if head.startswith("<"):
        if "<disqus" in head:
            return "disqus"
        if "wordpress.org/export" in head:
            return "wxr"
        raise ImportFormatError("XML file is neither a WordPress WXR nor a Disqus export", line=1)
    if head.startswith("{"):
        return "jsonl"
    if suffix in (".txt", ".tsv", ""):
        return "csv"
    raise ImportFormatError(f"cannot tell the format of {path.name}; pass it explicitly")


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFormatError("file is not valid UTF-8", line=line) from None


def _mapping(mapping: dict[str, str] | None) -> dict[str, str]:
    columns = dict(DEFAULT_MAPPING)
    for key, column in (mapping or {}).items():
        # "author" is what people call the name column; accept it as the field name too.
        key = "author_name" if key == "author" else key
        if key not in DEFAULT_MAPPING:
            raise ImportFormatError(f"unknown mapping key {key!r}; expected one of {', '.join(DEFAULT_MAPPING)}")
        columns[key] = column
    return columns


def parse_label(value: object, line: int, name: str) -> int | None:
    """Read a 0/1 label from 0/1, true/false, yes/no, spam/ham; empty or null means unknown."""
    if value is None:
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float) and value in (0, 1):
        return int(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if not word:
            return None
        if word in _TRUE:
            return 1
        if word in _FALSE:
            return 0
    raise ImportFormatError(f"{name} must be 0/1, true/false or spam/ham, not {value!r}", line=line)


def parse_datetime(value: object, line: int) -> datetime | None:
    """Read an ISO 8601 string or a Unix timestamp; empty or null means unknown."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=UTC)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ImportFormatError(f"created_at {value!r} is not an ISO 8601 date-time", line=line)


def _optional_text(value: object, line: int, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ImportFormatError(f"{name} must be a string, not {type(value).__name__}", line=line)
    return value.strip() or None


def _row_from_record(record: dict, columns: dict[str, str], line: int) -> ImportedRow:
    text = record.get(columns["text"])
    if not isinstance(text, str) or not text.strip():
        raise ImportFormatError(f"missing or empty text column {columns['text']!r}", line=line)
    used = set(columns.values())
    return ImportedRow(
        text=text,
        author_name=_optional_text(record.get(columns["author_name"]), line, "author"),
        author_email=_optional_text(record.get(columns["author_email"]), line, "author_email"),
        author_url=_optional_text(record.get(columns["author_url"]), line, "author_url"),
        label_spam=parse_label(record.get(columns["label_spam"]), line, "label_spam"),
        label_toxic=parse_label(record.get(columns["label_toxic"]), line, "label_toxic"),
        created_at=parse_datetime(record.get(columns["created_at"]), line),
        external_id=_optional_text(record.get(columns["external_id"]), line, "id"),
        line=line,
        extra={key: value for key, value in record.items() if key not in used},
    )


def _parse_jsonl(text: str, columns: dict[str, str]) -> list[ImportedRow]:
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ImportFormatError(f"invalid JSON: {exc.msg}", line=number) from None
        if not isinstance(record, dict):
            raise ImportFormatError("each line must be a JSON object", line=number)
        rows.append(_row_from_record(record, columns, number))
    return rows


def _parse_csv(text: str, columns: dict[str, str]) -> list[ImportedRow]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows = []
    start = 2  # a record starts on the line after the previous one ended; the header is line 1
    try:
        header = reader.fieldnames
        if not header:
            raise ImportFormatError("empty file: expected a header row", line=1)
        if columns["text"] not in header:
            raise ImportFormatError(f"header has no text column {columns['text']!r}", line=1)
        start = reader.line_num + 1
        for record in reader:
            if None in record:
                raise ImportFormatError("row has more fields than the header", line=start)
            missing = [name for name, value in record.items() if value is None]
            if missing:
                raise ImportFormatError(f"row has fewer fields than the header (no {missing[0]!r})", line=start)
            rows.append(_row_from_record(record, columns, start))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFormatError(f"malformed CSV record: {exc}", line=start) from None
    return rows


def _iter_elements(text: str, wanted: set[str]):
    """Yield (element, lines, parents) for each complete element whose local name is in wanted.

    The text is fed one line at a time, so `lines` can map id() of the element and of each of its
    descendants to the line its start tag ended on; `parents` lists the local names of its ancestors.
    """
    match = _FORBIDDEN_XML.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise ImportFormatError("DTDs and entity declarations are not accepted in imports", line=line)
    parser = ET.XMLPullParser(events=("start", "end"))
    lines: dict[int, int] = {}
    stack: list[str] = []
    inside = 0  # how many wanted elements are open around the current position
    number = 0
    try:
        for number, raw in enumerate(text.splitlines(keepends=True), start=1):
            parser.feed(raw)
            for event, elem in parser.read_events():
                local = _local(elem)
                if event == "start":
                    stack.append(local)
                    inside += local in wanted
                    if inside:
                        lines[id(elem)] = number
                    continue
                stack.pop()
                if local in wanted:
                    inside -= 1
                    yield elem, lines, stack
                    if not inside:
                        lines.clear()
                        elem.clear()  # keeps memory flat on large exports
        parser.close()
    except ET.ParseError as exc:
        raise ImportFormatError(f"malformed XML: {exc}", line=exc.position[0] or number) from None


def _local(elem: ET.Element) -> str:
    return elem.tag.rsplit("}", 1)[-1]


def _field(elem: ET.Element, local: str, lines: dict[int, int]) -> tuple[str, int]:
    """Return the stripped text of the first child named local (or "") and the line it is on."""
    for child in elem:
        if _local(child) == local:
            return (child.text or "").strip(), lines.get(id(child), lines.get(id(elem), 0))
    return "", lines.get(id(elem), 0)


def _text(elem: ET.Element, local: str) -> str | None:
    for child in elem:
        if _local(child) == local:
            return child.text
    return None


def _parse_wxr(text: str) -> list[ImportedRow]:
    if "wordpress.org/export" not in text[:_SNIFF]:
        raise ImportFormatError("not a WordPress WXR export (no wp: namespace)", line=1)
    rows = []
    post: dict[str, str | None] = {}
    for elem, lines, parents in _iter_elements(text, {"comment", "title", "link", "post_id"}):
        local = _local(elem)
        if local != "comment":
            if parents and parents[-1] == "item":
                post[local] = elem.text
        elif _WXR_NS.match(elem.tag):
            row = _wxr_comment(elem, lines, post)
            if row is not None:
                rows.append(row)
    return rows


def _wxr_comment(elem: ET.Element, lines: dict[int, int], post: dict[str, str | None]) -> ImportedRow | None:
    line = lines[id(elem)]
    content = _text(elem, "comment_content") or ""
    if not content.strip():
        return None  # WordPress keeps empty pingbacks around; there is nothing to learn from them
    status, _ = _field(elem, "comment_approved", lines)
    gmt, gmt_line = _field(elem, "comment_date_gmt", lines)
    if gmt and not gmt.startswith("0000"):
        created = parse_datetime(gmt, gmt_line).replace(tzinfo=UTC)
    else:
        created = parse_datetime(*_field(elem, "comment_date", lines))
    return ImportedRow(
        text=content,
        author_name=_optional_text(_text(elem, "comment_author"), line, "comment_author"),
        author_email=_optional_text(_text(elem, "comment_author_email"), line, "comment_author_email"),
        author_url=_optional_text(_text(elem, "comment_author_url"), line, "comment_author_url"),
        # "1" is approved, "spam" is spam; pending ("0") and "trash" carry no verdict we can trust.
        label_spam={"1": 0, "spam": 1}.get(status),
        created_at=created,
        external_id=_optional_text(_text(elem, "comment_id"), line, "comment_id"),
        line=line,
        extra={
            # The commenter's IP address is deliberately left behind.
            "status": {"1": "approved", "0": "pending"}.get(status, status or "unknown"),
            "comment_type": _field(elem, "comment_type", lines)[0] or "comment",
            "parent": _field(elem, "comment_parent", lines)[0] or None,
            "post_id": post.get("post_id"),
            "post_title": post.get("title"),
            "post_link": post.get("link"),
        },
    )


def _parse_disqus(text: str) -> list[ImportedRow]:
    if "<disqus" not in text[:_SNIFF]:
        raise ImportFormatError("not a Disqus export (no <disqus> root element)", line=1)
    rows = []
    for elem, lines, _parents in _iter_elements(text, {"post"}):
        spam = _flag(*_field(elem, "isSpam", lines), "isSpam")
        deleted = _flag(*_field(elem, "isDeleted", lines), "isDeleted")
        message = _text(elem, "message") or ""
        if message.strip():
            rows.append(_disqus_post(elem, lines, message, spam, deleted))
    return rows


def _disqus_post(elem: ET.Element, lines: dict[int, int], message: str, spam: bool, deleted: bool) -> ImportedRow:
    line = lines[id(elem)]
    author = next((child for child in elem if _local(child) == "author"), None)
    name = email = None
    if author is not None:
        name = _optional_text(_text(author, "name"), line, "author name")
        email = _optional_text(_text(author, "email"), line, "author email")
    thread = next((child for child in elem if _local(child) == "thread"), None)
    # Deleted but not spam: a moderator removed it for a reason the export does not record.
    label = 1 if spam else (None if deleted else 0)
    return ImportedRow(
        text=message,
        author_name=name,
        author_email=email,
        label_spam=label,
        created_at=parse_datetime(*_field(elem, "createdAt", lines)),
        external_id=_dsq_id(elem) or _optional_text(_text(elem, "id"), line, "id"),
        line=line,
        extra={
            "status": "spam" if spam else ("deleted" if deleted else "approved"),
            "thread": _dsq_id(thread) if thread is not None else None,
        },
    )


def _dsq_id(elem: ET.Element) -> str | None:
    return next((value for key, value in elem.attrib.items() if key.rsplit("}", 1)[-1] == "id"), None)


def _flag(value: str, line: int, name: str) -> bool:
    word = (value or "false").lower()
    if word not in ("true", "false"):
        raise ImportFormatError(f"{name} must be true or false, not {value!r}", line=line)
    return word == "true"
