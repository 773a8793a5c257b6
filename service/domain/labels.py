"""Training labels with provenance: one per moderated comment (the latest decision wins), de-duplicated
by content hash for imported and API-fed examples."""

from __future__ import annotations

import hashlib
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.storage.models import Comment, Label

# What a human decision teaches each head. Rejected-as-toxic is not evidence of spam, and so on.
STATUS_LABELS = {
    ("approved", None): (0, 0),
    ("rejected", "spam"): (1, None),
    ("rejected", "toxic"): (None, 1),
    ("rejected", "off-topic"): (None, None),
    ("rejected", "other"): (None, None),
}


def content_hash(text: str) -> str:
    """Hash of the text after NFKC, casefold and whitespace folding, so trivial variants de-duplicate."""
    folded = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()


def label_from_decision(status: str, reason_code: str | None) -> tuple[int | None, int | None]:
    """The (spam, toxic) labels a human decision implies; (None, None) when it teaches nothing."""
    if status == "approved":
        return 0, 0
    if status == "rejected":
        return STATUS_LABELS.get(("rejected", reason_code), (None, None))
    return None, None


def record_comment_label(session: Session, comment: Comment, *, label_spam: int | None, label_toxic: int | None,
                         source: str, provenance: dict) -> Label | None:
    """Create or correct the label of a moderated comment; a decision that teaches nothing removes it."""
    label = session.scalar(select(Label).where(Label.comment_id == comment.id))
    if label_spam is None and label_toxic is None:
        if label is not None:
            session.delete(label)
        return None
    if label is None:
        label = Label(comment_id=comment.id, site_id=comment.site_id, text=comment.content,
                      author_name=comment.author_name, author_url=comment.author_url,
                      content_hash=content_hash(comment.content), source=source, provenance={})
        session.add(label)
    label.label_spam = label_spam
    label.label_toxic = label_toxic
    label.source = source
    label.provenance = provenance
    session.flush()
    return label


def record_example(session: Session, *, text: str, label_spam: int | None, label_toxic: int | None, source: str,
                   provenance: dict, site_id: int | None = None, author_name: str | None = None,
                   author_url: str | None = None) -> tuple[Label, bool]:
    """Store a labelled example not tied to a comment; returns (label, created). Same source + text updates."""
    digest = content_hash(text)
    label = session.scalar(
        select(Label).where(Label.content_hash == digest, Label.source == source, Label.comment_id.is_(None))
    )
    created = label is None
    if created:
        label = Label(text=text, content_hash=digest, source=source, site_id=site_id, author_name=author_name,
                      author_url=author_url, provenance=provenance)
        session.add(label)
    label.label_spam = label_spam if label_spam is not None else label.label_spam
    label.label_toxic = label_toxic if label_toxic is not None else label.label_toxic
    label.provenance = provenance
    session.flush()
    return label, created
