"""Score pending comments and record their automatic decisions, exactly once per comment."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from classifier import CommentInput
from service.domain import webhooks
from service.domain.model_registry import ActiveModels, ModelRegistry
from service.domain.policy import Routing, Thresholds, route
from service.domain.rules import evaluate_rules
from service.storage.database import Database
from service.storage.models import Comment, Decision

log = logging.getLogger(__name__)


def comment_input(comment: Comment) -> CommentInput:
    return CommentInput(
        text=comment.content,
        author_name=comment.author_name,
        author_email=comment.author_email,
        author_url=comment.author_url,
    )


def decide_comments(database: Database, registry: ModelRegistry, defaults: dict, ids: list[int]) -> dict:
    """Score and route the pending comments among `ids`; returns counts by outcome.

    Safe to run twice for the same ids (at-least-once delivery): a comment that is no longer pending
    is skipped, and the one-automatic-decision-per-comment unique index stops a concurrent duplicate.
    """
    outcomes: dict[str, int] = {}
    models = registry.get()
    with database.session() as session:
        query = select(Comment).where(Comment.id.in_(ids), Comment.status == "pending").order_by(Comment.id)
        if session.bind.dialect.name == "postgresql":
            # Lock the rows so two workers holding the same redelivered task serialise here.
            query = query.with_for_update(skip_locked=True)
        comments = list(session.scalars(query))
        scores = models.score_many([comment_input(c) for c in comments]) if comments else []
        for comment, head_scores in zip(comments, scores, strict=True):
            status = _decide_one(session, models, defaults, comment, head_scores)
            outcomes[status] = outcomes.get(status, 0) + 1
        if models.shadow is not None:
            from service.domain.training.shadow import record_shadow_scores

            record_shadow_scores(session, models, defaults, comments)
    skipped = len(ids) - sum(outcomes.values())
    if skipped:
        outcomes["skipped"] = skipped
    return outcomes


def _decide_one(session: Session, models: ActiveModels, defaults: dict, comment: Comment,
                scores: dict[str, float]) -> str:
    site = comment.site
    thresholds = Thresholds.for_site(site.settings, defaults)
    routing = route(scores, thresholds, evaluate_rules(session, comment, site))
    explanation = models.explain(comment_input(comment)) if routing.status != "approved" else None
    try:
        with session.begin_nested():
            record_automatic_decision(session, comment, routing, scores, explanation, models.version)
    except IntegrityError:
        # Another delivery of the same task won the race; its decision stands.
        log.info("duplicate_decision_skipped", extra={"comment_id": comment.id})
        return "duplicate"
    return routing.status


def record_automatic_decision(session: Session, comment: Comment, routing: Routing, scores: dict[str, float],
                              explanation: dict | None, model_version: str) -> Decision:
    """Store the decision row and update the comment in the caller's transaction."""
    now = datetime.now(UTC)
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
    session.add(decision)
    comment.status = routing.status
    comment.spam_score = scores.get("spam")
    comment.toxicity_score = scores.get("toxicity")
    comment.scores = {k: round(v, 6) for k, v in scores.items()}
    comment.reasons = routing.reasons_as_dicts()
    comment.explanation = explanation
    comment.model_version = model_version
    comment.decided_at = now
    session.flush()
    # Same transaction as the decision; the webhook sweep enqueues it, so a crash here loses nothing.
    webhooks.create_delivery(session, comment, decision)
    return decision
