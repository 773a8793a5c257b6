""""What would change": replay recent comments through a candidate and count decisions that would flip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from classifier import ModelBundle
from service.domain.policy import Thresholds, route
from service.domain.rules import evaluate_rules
from service.domain.scoring import comment_input
from service.storage.models import Comment, Decision

MAX_COMMENTS = 20_000
EXAMPLES_PER_FLIP = 10
EXCERPT_CHARS = 200


def replay(session: Session, candidate: ModelBundle, defaults: dict, *, days: float = 7.0,
           limit: int = MAX_COMMENTS, batch: int = 1000) -> dict:
    """Re-route the automatically decided comments of the last `days` with the candidate's scores.

    The comparison is with each comment's recorded automatic decision, under today's site rules and
    thresholds, so a flip is a decision this candidate would have made differently.
    """
    since = datetime.now(UTC) - timedelta(days=days)
    rows = session.execute(
        select(Comment, Decision.to_status)
        .join(Decision, (Decision.comment_id == Comment.id) & (Decision.kind == "automatic"))
        .options(joinedload(Comment.site))
        .where(Comment.created_at >= since)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    ).all()
    flips: dict[str, int] = {}
    examples: dict[str, list[dict]] = {}
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        scores = candidate.score([comment_input(c) for c, _ in chunk])
        for (comment, was), new_scores in zip(chunk, scores, strict=True):
            thresholds = Thresholds.for_site(comment.site.settings, defaults)
            would = route(new_scores, thresholds, evaluate_rules(session, comment, comment.site)).status
            if would == was:
                continue
            kind = f"{was}->{would}"
            flips[kind] = flips.get(kind, 0) + 1
            bucket = examples.setdefault(kind, [])
            if len(bucket) < EXAMPLES_PER_FLIP:
                bucket.append({
                    "comment_id": comment.id,
                    "excerpt": comment.content[:EXCERPT_CHARS],
                    "was": was,
                    "would_be": would,
                    "scores_before": {k: round(v, 4) for k, v in (comment.scores or {}).items()
                                      if isinstance(v, int | float)},
                    "scores_after": {k: round(v, 4) for k, v in new_scores.items() if k in ("spam", "toxicity")},
                })
    return {"days": days, "replayed": len(rows), "flips": dict(sorted(flips.items())),
            "flipped": sum(flips.values()), "examples": examples}
