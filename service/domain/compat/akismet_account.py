"""Akismet's account calls for a Moderato site: subscription, statistics, usage and the key's sites.

WordPress's Akismet plugin shows these on Settings -> Akismet (get-subscription must say "active" or the
plugin will not keep the key); the 1.2 usage-limit and key-sites calls serve Akismet's other clients.
Every figure is counted from the site's stored comments and their decisions, never invented.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.domain.errors import FieldError, ValidationFailed
from service.storage.models import Comment, Decision, Site

SPAM_CODES = ("spam", "banned_author", "honeypot")
# Akismet's intervals: the plugin asks for "6-months" and "all", its command line for "60-days" too.
INTERVALS = {"60-days": timedelta(days=60), "6-months": timedelta(days=183), "all": None}
KEY_SITES_ORDER = ("total", "spam", "ham", "missed_spam", "false_positives", "is_revoked")
MAX_KEY_SITES_LIMIT = 100


def subscription() -> dict:
    """get-subscription for a live key: an active account, so the plugin keeps and uses the key."""
    return {"status": "active", "account_type": "self-hosted", "account_name": "Moderato (self-hosted)",
            "next_billing_date": None, "limit_reached": False}


@dataclass
class Tally:
    """Akismet's four counts for a set of comments."""

    spam: int = 0
    ham: int = 0
    missed_spam: int = 0
    false_positives: int = 0

    def add(self, caught: bool, human: str | None) -> None:
        if caught:
            self.spam += 1
            self.false_positives += human == "ham"
        else:
            self.ham += 1
            self.missed_spam += human == "spam"

    def as_dict(self) -> dict:
        return {"spam": self.spam, "ham": self.ham, "missed_spam": self.missed_spam,
                "false_positives": self.false_positives, "accuracy": self.accuracy()}

    def accuracy(self) -> float:
        total = self.spam + self.ham
        wrong = self.missed_spam + self.false_positives
        return round(100.0 * (total - wrong) / total, 2) if total else 100.0


def stats(session: Session, site: Site, interval: str | None, now: datetime | None = None) -> dict:
    """get-stats: spam caught, ham, missed spam and false positives for the interval, with a breakdown
    per month (per day for "60-days"). Spam "caught" means the automatic decision found spam; missed spam
    and false positives are the ones a person (a moderator, or the site through submit-spam/ham) corrected."""
    interval = interval if interval in INTERVALS else "all"
    now = now or datetime.now(UTC)
    window = INTERVALS[interval]
    since = now - window if window is not None else None
    period = "%Y-%m-%d" if interval == "60-days" else "%Y-%m"
    total, breakdown = Tally(), {}
    for created_at, caught, human in _verdicts(session, site, since, now):
        total.add(caught, human)
        breakdown.setdefault(created_at.strftime(period), Tally()).add(caught, human)
    return {**total.as_dict(), "time_saved": None,
            "breakdown": {name: tally.as_dict() for name, tally in sorted(breakdown.items())}}


def usage(session: Session, site: Site, now: datetime | None = None) -> dict:
    """usage-limit: no limit; usage is the comments comment-check stored for the site this month."""
    start = _month_start(now or datetime.now(UTC))
    return {"limit": "none", "usage": _checked(session, site, start, None), "percentage": "0.00",
            "throttled": False}


def key_sites(session: Session, site: Site, *, month: str | None, order: str | None, limit: str | None,
              offset: str | None, now: datetime | None = None) -> dict:
    """key-sites: the sites using this key in a month (a Moderato key belongs to exactly one site)."""
    now = now or datetime.now(UTC)
    errors = []
    start = _parse_month(month, now, errors)
    if order and order not in KEY_SITES_ORDER:
        errors.append(FieldError("order", f"must be one of {', '.join(KEY_SITES_ORDER)}"))
    limit_value = _bounded_int("limit", limit, 10, 1, MAX_KEY_SITES_LIMIT, errors)
    offset_value = _bounded_int("offset", offset, 0, 0, 10**9, errors)
    if errors:
        raise ValidationFailed(errors)
    end = _month_start(start + timedelta(days=32))
    tally = Tally()
    for _created, caught, human in _verdicts(session, site, start, end):
        tally.add(caught, human)
    row = {"site": urlsplit(site.url).hostname or site.url, "api_calls": str(_checked(session, site, start, end)),
           "spam": str(tally.spam), "ham": str(tally.ham), "missed_spam": str(tally.missed_spam),
           "false_positives": str(tally.false_positives), "is_revoked": False}
    rows = [row][offset_value:offset_value + limit_value]
    return {start.strftime("%Y-%m"): rows, "limit": limit_value, "offset": offset_value, "total": 1}


def key_sites_csv(document: dict) -> str:
    """key-sites as the CSV Akismet offers with format=csv."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Site", "Total API Calls", "Spam", "Ham", "Missed Spam", "False Positives", "Is Revoked"])
    for rows in document.values():
        for row in rows if isinstance(rows, list) else ():
            writer.writerow([row["site"], row["api_calls"], row["spam"], row["ham"], row["missed_spam"],
                             row["false_positives"], str(row["is_revoked"]).lower()])
    return out.getvalue()


def _verdicts(session: Session, site: Site, since: datetime | None, until: datetime | None):
    """(created_at, caught as spam automatically, what a person said: "spam", "ham" or None) per comment."""
    query = (select(Decision.comment_id, Comment.created_at, Decision.kind, Decision.to_status,
                    Decision.reason_code, Decision.reasons)
             .join(Comment, Comment.id == Decision.comment_id)
             .where(Comment.site_id == site.id)
             .order_by(Decision.id))
    if since is not None:
        query = query.where(Comment.created_at >= since)
    if until is not None:
        query = query.where(Comment.created_at < until)
    automatic: dict[int, tuple[datetime, bool]] = {}
    human: dict[int, str | None] = {}
    for comment_id, created_at, kind, to_status, reason_code, reasons in session.execute(query):
        if kind == "automatic" and comment_id not in automatic:
            codes = {r.get("code") for r in reasons or [] if isinstance(r, dict)}
            automatic[comment_id] = (created_at, to_status != "approved" and bool(codes & set(SPAM_CODES)))
        elif kind == "human":
            human[comment_id] = ("spam" if to_status == "rejected" and reason_code == "spam"
                                 else "ham" if to_status == "approved" else None)
    for comment_id, (created_at, caught) in automatic.items():
        yield created_at, caught, human.get(comment_id)


def _checked(session: Session, site: Site, since: datetime, until: datetime | None) -> int:
    query = select(func.count()).select_from(Comment).where(
        Comment.site_id == site.id, Comment.source == "akismet", Comment.created_at >= since)
    if until is not None:
        query = query.where(Comment.created_at < until)
    return int(session.scalar(query) or 0)


def _month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _parse_month(value: str | None, now: datetime, errors: list[FieldError]) -> datetime:
    if not value:
        return _month_start(now)
    try:
        return datetime.strptime(value, "%Y-%m").replace(tzinfo=UTC)
    except ValueError:
        errors.append(FieldError("month", "must be a month as YYYY-MM"))
        return _month_start(now)


def _bounded_int(name: str, value: str | None, default: int, low: int, high: int, errors: list[FieldError]) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit() or not low <= int(value) <= high:
        errors.append(FieldError(name, f"must be an integer between {low} and {high}"))
        return default
    return int(value)

