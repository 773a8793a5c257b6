"""Finding the comment an Akismet call speaks about: by guid, else by what WordPress sends of it.

WordPress's Akismet plugin names a comment three ways: the comment-check that first stored it, its
re-checks (the comment as WordPress's database holds it, no guid), and submit-spam/submit-ham (the
database row overlaid with the fields comment-check saw, no guid). The database copy has been through
WordPress's own filters (kses: `&` becomes `&amp;`, links gain `rel="nofollow ugc"`, the author name is
sanitised), so an exact match is tried first and a tolerant one after it.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.domain.compat.screening import Incoming, stored_fields
from service.domain.secrets import email_hash
from service.storage.models import Comment, Site

# How many of a thread's comments by one author the tolerant match compares (newest first).
TOLERANT_CANDIDATES = 50
_TAG = re.compile(r"<[^>]*>")


def find_stored(session: Session, site: Site, incoming: Incoming, *, guid: str | None, secret: str) -> Comment | None:
    """The site's stored comment this request names: by guid, exactly, or tolerantly (in that order)."""
    if guid:
        comment = comment_by_guid(session, site, guid, secret)
        if comment is not None:
            return comment
    if not incoming.content.strip():
        return None
    return exact_match(session, site, incoming) or tolerant_match(session, site, incoming)


def exact_match(session: Session, site: Site, incoming: Incoming) -> Comment | None:
    """The newest comment with this site, permalink, author, e-mail and text, as they were stored."""
    fields = stored_fields(site, incoming)
    query = select(Comment).where(
        Comment.site_id == site.id, Comment.thread == fields["thread"], Comment.author_name == fields["author_name"],
        _same_email(fields["author_email"]),
        Comment.content.in_(list(dict.fromkeys((incoming.content, incoming.content.strip())))),
    )
    return session.scalar(query.order_by(Comment.id.desc()).limit(1))


def tolerant_match(session: Session, site: Site, incoming: Incoming) -> Comment | None:
    """The newest comment on the same thread by the same e-mail whose text is the same once WordPress's
    filters are undone (tags dropped, entities decoded, whitespace folded)."""
    fields = stored_fields(site, incoming)
    wanted = loose_text(incoming.content)
    candidates = session.scalars(
        select(Comment).where(Comment.site_id == site.id, Comment.thread == fields["thread"],
                              _same_email(fields["author_email"]))
        .order_by(Comment.id.desc()).limit(TOLERANT_CANDIDATES)
    )
    return next((c for c in candidates if loose_text(c.content) == wanted), None)


def loose_text(text: str) -> str:
    """Text with HTML tags removed, entities decoded and whitespace folded."""
    return " ".join(html.unescape(_TAG.sub(" ", text)).split())


def make_guid(secret: str, comment_id: int) -> str:
    """An opaque request id that names the stored comment and cannot be forged for another one."""
    return f"{comment_id}-{_guid_mac(secret, comment_id)}"


def comment_by_guid(session: Session, site: Site, guid: str, secret: str) -> Comment | None:
    raw_id, _, mac = guid.partition("-")
    if not raw_id.isdigit() or not hmac.compare_digest(mac, _guid_mac(secret, int(raw_id))):
        return None
    comment = session.get(Comment, int(raw_id))
    return comment if comment is not None and comment.site_id == site.id else None


def _guid_mac(secret: str, comment_id: int) -> str:
    return hmac.new(secret.encode(), f"akismet-guid:{comment_id}".encode(), hashlib.sha256).hexdigest()[:24]


def _same_email(address: str | None):
    if address is None:
        return Comment.author_email_hash.is_(None)
    return Comment.author_email_hash == email_hash(address)
