"""Shadow mode: a candidate scores each comment beside the active model; only the active model decides."""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from service.domain.policy import Thresholds, route
from service.domain.rules import evaluate_rules
from service.storage.models import Comment, ShadowScore

log = logging.getLogger(__name__)


def record_shadow_scores(session: Session, models, defaults: dict, comments: list[Comment]) -> int:
    """Score just-decided comments with the shadow candidate and store what it would have decided.

    Never raises: shadow mode must not fail or delay a real decision beyond its own scoring time.
    """
    if models.shadow is None or not comments:
        return 0
    from service.domain.scoring import comment_input

    bundle, version, heads = models.shadow
    try:
        scored = bundle.score([comment_input(c) for c in comments])
        with session.begin_nested():
            for comment, all_scores in zip(comments, scored, strict=True):
                if comment.status == "pending":
                    continue
                scores = {h: round(float(all_scores[h]), 6) for h in heads if h in all_scores}
                # Heads the candidate lacks are judged as the active model judged them.
                merged = {**(comment.scores or {}), **scores}
                thresholds = Thresholds.for_site(comment.site.settings, defaults)
                would = route(merged, thresholds, evaluate_rules(session, comment, comment.site)).status
                session.add(ShadowScore(comment_id=comment.id, version=version, scores=scores, status=would,
                                        active_status=comment.status))
            session.flush()
    except (SQLAlchemyError, ValueError, KeyError) as exc:
        log.warning("shadow_scoring_failed", extra={"error": f"{type(exc).__name__}: {exc}"[:300]})
        return 0
    return len(comments)


def agreement(session: Session, version: str, *, examples: int = 20) -> dict:
    """How often the shadow candidate agreed with the active decisions, and the latest disagreements."""
    counts = session.execute(
        select(ShadowScore.active_status, ShadowScore.status, func.count())
        .where(ShadowScore.version == version)
        .group_by(ShadowScore.active_status, ShadowScore.status)
    ).all()
    total = sum(n for _, _, n in counts)
    agreed = sum(n for a, s, n in counts if a == s)
    rows = session.execute(
        select(ShadowScore, Comment.content, Comment.scores)
        .join(Comment, Comment.id == ShadowScore.comment_id)
        .where(ShadowScore.version == version, ShadowScore.status != ShadowScore.active_status)
        .order_by(ShadowScore.id.desc()).limit(examples)
    ).all()
    return {
        "version": version,
        "scored": total,
        "agreed": agreed,
        "agreement": round(agreed / total, 4) if total else None,
        "disagreements": {f"{a}->{s}": n for a, s, n in sorted(counts) if a != s},
        "examples": [
            {"comment_id": shadow.comment_id, "excerpt": content[:200], "active_status": shadow.active_status,
             "shadow_status": shadow.status, "active_scores": {k: v for k, v in (scores or {}).items()
                                                               if k in shadow.scores},
             "shadow_scores": shadow.scores}
            for shadow, content, scores in rows
        ],
    }
