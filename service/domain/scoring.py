"""Score pending comments and record their automatic decisions, exactly once per comment, in bulk."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from sqlalchemy import BigInteger, any_, bindparam, select, text, tuple_
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from classifier import CommentInput
from service.domain import webhooks
from service.domain.errors import NoActiveModel
from service.domain.model_registry import ActiveModels, ModelRegistry
from service.domain.policy import Reason, Routing, Thresholds, route
from service.domain.rules import evaluate_rules
from service.storage.database import Database
from service.storage.models import AuthorStanding, Comment, Decision

log = logging.getLogger(__name__)
# A batch that keeps colliding with other deliveries of the same comments is given up on after this many
# tries; its comments stay pending and the outbox relay sends them again.
MAX_ATTEMPTS = 3
_BIGINT_ARRAY = ARRAY(BigInteger)


def comment_input(comment: Comment) -> CommentInput:
    return CommentInput(
        text=comment.content,
        author_name=comment.author_name,
        author_email=comment.author_email,
        author_url=comment.author_url,
    )


def decide_comments(database: Database, registry: ModelRegistry, defaults: dict, ids: list[int]) -> dict:
    """Score and route the pending comments among `ids` in one transaction; returns counts by outcome.

    Safe to run twice for the same ids (at-least-once delivery): a comment that is no longer pending is
    skipped. On PostgreSQL the rows are locked (SKIP LOCKED), so two workers holding the same redelivered
    ids never both decide one; on SQLite, which cannot lock rows, the one-automatic-decision-per-comment
    unique index refuses the loser's insert, its whole batch rolls back and runs again without the
    comments the winner decided.
    """
    models = registry.get()
    for attempt in range(1, MAX_ATTEMPTS):
        try:
            return _decide_batch(database, models, defaults, ids)
        except IntegrityError:
            log.info("duplicate_decision_retry", extra={"count": len(ids), "attempt": attempt})
    return _decide_batch(database, models, defaults, ids)  # the last try: a collision propagates


def decide_isolating_failures(database: Database, registry: ModelRegistry, defaults: dict,
                              ids: list[int]) -> dict:
    """`decide_comments`, except that a batch failing on an unexpected error (not the database, not a
    missing model: those are transient and propagate, for the caller to send the batch again) is split
    in halves until the comment that fails is alone, and that comment is held for a moderator.

    Without this one unscorable comment (a bug meeting some input) would fail every batch it lands in,
    and the relay would keep re-sending it with new neighbours: they would all wait, and it never ends.
    """
    try:
        return decide_comments(database, registry, defaults, ids)
    except (DBAPIError, NoActiveModel):
        raise
    except Exception as exc:  # noqa: BLE001 - any other failure: find the comment that causes it
        if len(ids) == 1:
            return hold_unscorable(database, ids[0], exc)
        outcomes: dict[str, int] = {}
        middle = len(ids) // 2
        for part in (ids[:middle], ids[middle:]):
            for outcome, count in decide_isolating_failures(database, registry, defaults, part).items():
                outcomes[outcome] = outcomes.get(outcome, 0) + count
        return outcomes


def hold_unscorable(database: Database, comment_id: int, error: Exception) -> dict:
    """Hold a pending comment that scoring cannot handle, with reason `scoring_failed`, once."""
    log.error("scoring_failed_comment_held", extra={"comment_id": comment_id, "error": type(error).__name__})
    with database.session() as session:
        query = select(Comment).where(Comment.id == comment_id, Comment.status == "pending")
        if session.bind.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        comment = session.scalar(query)
        if comment is None:
            return {"skipped": 1}
        reason = Reason("scoring_failed", "system", f"scoring raised {type(error).__name__}; held for a moderator")
        record_automatic_decision(session, comment, Routing("held", [reason]), {}, None, None)
    return {"held": 1}


def _decide_batch(database: Database, models: ActiveModels, defaults: dict, ids: list[int]) -> dict:
    outcomes: dict[str, int] = {}
    with database.session() as session:
        if session.bind.dialect.name == "postgresql":
            # One array parameter, not one placeholder per id: the statement text stays the same for every
            # batch size, so the driver parses it once instead of once per batch.
            query = (select(Comment).where(Comment.id == any_(bindparam("ids", list(ids), type_=_BIGINT_ARRAY)),
                                           Comment.status == "pending")
                     .order_by(Comment.id).with_for_update(skip_locked=True))
        else:
            query = select(Comment).where(Comment.id.in_(ids), Comment.status == "pending").order_by(Comment.id)
        comments = list(session.scalars(query))
        if comments:
            inputs = [comment_input(c) for c in comments]
            scores = models.score_many(inputs)
            decided = _route_all(session, models, defaults, comments, inputs, scores, outcomes)
            # One INSERT of every decision (RETURNING their ids) and one executemany UPDATE of the comments.
            _insert_decisions(session, [decision for _, decision in decided])
            for comment, decision in decided:
                # Same transaction as the decisions; the webhook sweep sends them, so a crash loses nothing.
                webhooks.create_delivery(session, comment, decision, flush=False)
            if models.shadow is not None:
                from service.domain.training.shadow import record_shadow_scores

                record_shadow_scores(session, models, defaults, comments)
    skipped = len(ids) - sum(outcomes.values())
    if skipped:
        outcomes["skipped"] = skipped
    return outcomes


# One statement for any number of decisions: its text never changes, so PostgreSQL's driver parses and
# prepares it once. (The ORM's multi-row INSERT grew with the batch, and psycopg re-parses statements over
# 4 KB every time: a fifth of a 200-comment batch's CPU.)
_INSERT_DECISIONS_PG = text("""
INSERT INTO decisions (comment_id, kind, actor, from_status, to_status, reasons, model_version,
                       spam_score, toxicity_score, created_at)
SELECT comment_id, kind, actor, from_status, to_status, reasons::json, model_version,
       spam_score, toxicity_score, created_at
FROM unnest(CAST(:comment_id AS BIGINT[]), CAST(:kind AS VARCHAR[]), CAST(:actor AS VARCHAR[]),
            CAST(:from_status AS VARCHAR[]), CAST(:to_status AS VARCHAR[]), CAST(:reasons AS TEXT[]),
            CAST(:model_version AS VARCHAR[]), CAST(:spam_score AS FLOAT8[]), CAST(:toxicity_score AS FLOAT8[]),
            CAST(:created_at AS TIMESTAMPTZ[]))
     AS d(comment_id, kind, actor, from_status, to_status, reasons, model_version, spam_score, toxicity_score,
          created_at)
RETURNING id, comment_id
""")


def _insert_decisions(session: Session, decisions: list[Decision]) -> None:
    """INSERT the batch's automatic decisions and set their ids (webhook deliveries refer to them)."""
    if session.bind.dialect.name != "postgresql":
        session.add_all(decisions)
        session.flush()
        return
    columns = {
        "comment_id": [d.comment_id for d in decisions],
        "kind": [d.kind for d in decisions],
        "actor": [d.actor for d in decisions],
        "from_status": [d.from_status for d in decisions],
        "to_status": [d.to_status for d in decisions],
        "reasons": [json.dumps(d.reasons) for d in decisions],
        "model_version": [d.model_version for d in decisions],
        "spam_score": [d.spam_score for d in decisions],
        "toxicity_score": [d.toxicity_score for d in decisions],
        "created_at": [d.created_at for d in decisions],
    }
    ids = dict((comment_id, decision_id)
               for decision_id, comment_id in session.execute(_INSERT_DECISIONS_PG, columns))
    for decision in decisions:
        decision.id = ids[decision.comment_id]


def _route_all(session: Session, models: ActiveModels, defaults: dict, comments: list[Comment],
               inputs: list[CommentInput], scores: list[dict[str, float]],
               outcomes: dict[str, int]) -> list[tuple[Comment, Decision]]:
    """Route each comment and build its decision (not yet added to the session)."""
    standings = author_standings(session, comments)
    thresholds: dict[int, Thresholds] = {}
    # Authors approved earlier in this batch count as previously approved for the ones after them.
    approved_authors: set[tuple[int, str]] = set()
    now = datetime.now(UTC)
    decided = []
    for comment, item, head_scores in zip(comments, inputs, scores, strict=True):
        site = comment.site
        if site.id not in thresholds:
            thresholds[site.id] = Thresholds.for_site(site.settings, defaults)
        author = (comment.site_id, comment.author_email_hash)
        findings = evaluate_rules(session, comment, site, standing=standings.get(author),
                                  approved_authors=approved_authors)
        routing = route(head_scores, thresholds[site.id], findings)
        explanation = (models.explain(item, thresholds=thresholds[site.id].hold_by_head())
                       if routing.status != "approved" else None)
        decided.append((comment, apply_decision(comment, routing, head_scores, explanation, models.version, now)))
        if routing.status == "approved" and comment.author_email_hash:
            approved_authors.add(author)
        outcomes[routing.status] = outcomes.get(routing.status, 0) + 1
    return decided


def author_standings(session: Session, comments: list[Comment]) -> dict[tuple[int, str], str]:
    """Banned or trusted standing of every author in `comments`, by (site id, e-mail hash), in one query."""
    authors = {(c.site_id, c.author_email_hash) for c in comments if c.author_email_hash}
    if not authors:
        return {}
    rows = session.execute(
        select(AuthorStanding.site_id, AuthorStanding.author_email_hash, AuthorStanding.standing).where(
            tuple_(AuthorStanding.site_id, AuthorStanding.author_email_hash).in_(sorted(authors)))
    )
    return {(site_id, email_hash): standing for site_id, email_hash, standing in rows}


def apply_decision(comment: Comment, routing: Routing, scores: dict[str, float], explanation: dict | None,
                   model_version: str, now: datetime) -> Decision:
    """Set the comment's outcome and return its automatic decision row (the caller adds it)."""
    decision = Decision(
        comment_id=comment.id,
        kind="automatic",
        actor="system",
        from_status=comment.status,
        to_status=routing.status,
        reasons=routing.reasons_as_dicts(),
        model_version=model_version,
        spam_score=scores.get("spam"),
        toxicity_score=scores.get("toxicity"),
        created_at=now,
    )
    comment.status = routing.status
    comment.spam_score = scores.get("spam")
    comment.toxicity_score = scores.get("toxicity")
    comment.scores = {k: round(v, 6) for k, v in scores.items()}
    comment.reasons = routing.reasons_as_dicts()
    comment.explanation = explanation
    comment.model_version = model_version
    comment.decided_at = now
    return decision


def record_automatic_decision(session: Session, comment: Comment, routing: Routing, scores: dict[str, float],
                              explanation: dict | None, model_version: str) -> Decision:
    """Store one decision row and update the comment in the caller's transaction (the one-at-a-time path)."""
    decision = apply_decision(comment, routing, scores, explanation, model_version, datetime.now(UTC))
    session.add(decision)
    session.flush()
    webhooks.create_delivery(session, comment, decision)
    return decision
