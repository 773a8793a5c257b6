"""Re-score the held queue with the active model and release what it no longer holds."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from service.domain.policy import Thresholds, route
from service.domain.rules import evaluate_rules
from service.domain.scoring import comment_input
from service.storage.database import Database
from service.storage.models import Comment, Decision

BATCH = 500


def held_ids(session: Session) -> list[int]:
    """Held comments no human has decided on (a moderator's own hold stands)."""
    human = exists().where(Decision.comment_id == Comment.id, Decision.kind == "human")
    return list(session.scalars(select(Comment.id).where(Comment.status == "held", ~human).order_by(Comment.id)))


def rescore_held(database: Database, models, defaults: dict, progress=None) -> dict:
    """Score every automatically held comment with `models`; move those it now routes elsewhere.

    Each move is recorded as a decision of kind "rescore" with the new model version.
    """
    report = progress or (lambda stage, percent: None)
    with database.session() as session:
        ids = held_ids(session)
    moved: dict[str, int] = {}
    for start in range(0, len(ids), BATCH):
        report("re-scoring held comments", 100.0 * start / max(len(ids), 1))
        with database.session() as session:
            comments = list(session.scalars(select(Comment).where(Comment.id.in_(ids[start:start + BATCH]),
                                                                  Comment.status == "held")))
            scored = models.score_many([comment_input(c) for c in comments]) if comments else []
            for comment, scores in zip(comments, scored, strict=True):
                thresholds = Thresholds.for_site(comment.site.settings, defaults)
                routing = route(scores, thresholds, evaluate_rules(session, comment, comment.site))
                if routing.status == comment.status:
                    continue
                kind = f"{comment.status}->{routing.status}"
                moved[kind] = moved.get(kind, 0) + 1
                now = datetime.now(UTC)
                session.add(Decision(
                    comment_id=comment.id, kind="rescore", actor="system", from_status=comment.status,
                    to_status=routing.status, reasons=routing.reasons_as_dicts(), model_version=models.version,
                    spam_score=scores.get("spam"), toxicity_score=scores.get("toxicity"), created_at=now,
                ))
                comment.status = routing.status
                comment.spam_score, comment.toxicity_score = scores.get("spam"), scores.get("toxicity")
                comment.scores = {k: round(v, 6) for k, v in scores.items()}
                comment.reasons = routing.reasons_as_dicts()
                comment.model_version = models.version
                comment.decided_at = now
    report("done", 100.0)
    return {"examined": len(ids), "moved": sum(moved.values()), "by_change": dict(sorted(moved.items())),
            "model_version": models.version}
