"""Scoring throughput through Celery (batched consumption, bulk writes) against raw model predict and the
trivial-task drain, all in the same run; plus the in-process throughput of decide_comments by batch size."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from bench._support import OUT, Stack, figure, model_dir, pg_database, private_redis, save_json, submission

N_CELERY = 10000
N_TRIVIAL = 4000
BATCH_SIZES = (1, 10, 50, 200, 500)
N_PER_BATCH_SIZE = 600


def insert_pending(app, n: int) -> list[int]:
    """Insert `n` pending comments of site `bench` in bulk (the ingest side is measured elsewhere)."""
    from sqlalchemy import insert, select

    from service.domain.secrets import email_hash
    from service.storage.models import Comment, Site

    now = datetime.now(UTC)
    with app.extensions["db"].session() as session:
        site_id = session.scalar(select(Site.id).where(Site.name == "bench"))
        rows = [{**submission(i), "site_id": site_id, "status": "pending", "source": "api", "created_at": now,
                 "author_email_hash": email_hash("bench@example.org"), "enqueue_attempts": 0} for i in range(n)]
        ids = list(session.scalars(insert(Comment).returning(Comment.id), rows))
    return sorted(ids)


def raw_predict_per_s() -> float:
    from classifier import CommentInput, load_bundle

    bundle = load_bundle(model_dir())
    items = [CommentInput(text=submission(i)["content"], author_name="Bench") for i in range(2000)]
    bundle.score(items[:100])
    started = time.perf_counter()
    bundle.score(items)
    return len(items) / (time.perf_counter() - started)


def by_batch_size(app) -> list[dict]:
    from service.domain.scoring import decide_comments

    out = []
    for size in BATCH_SIZES:
        ids = insert_pending(app, N_PER_BATCH_SIZE if size > 1 else 300)
        with app.app_context():
            registry = app.extensions["models"]
            registry.get()
            started = time.perf_counter()
            for start in range(0, len(ids), size):
                decide_comments(app.extensions["db"], registry, app.config, ids[start:start + size])
            rate = len(ids) / (time.perf_counter() - started)
        out.append({"batch_size": size, "comments_per_s": round(rate, 1)})
        print(f"bench: decide_comments batch={size}: {rate:.0f}/s", file=sys.stderr, flush=True)
    return out


def drain(redis_url: str, queue: str, deadline_s: float) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        if client.llen(queue) == 0 and client.hlen("unacked") == 0:
            return
        time.sleep(0.05)
    raise RuntimeError(f"queue {queue} not drained within {deadline_s}s")


def trivial_drain_per_s(stack: Stack, app, redis_url: str) -> float:
    celery = app.extensions["celery"]
    with celery.producer_or_acquire() as producer:
        for i in range(N_TRIVIAL):
            celery.send_task("celery.accumulate", args=(i,), queue="bench_trivial", producer=producer)
    started = time.monotonic()
    stack.worker(queues="bench_trivial", log_name="worker-trivial")
    drain(redis_url, "bench_trivial", 300)
    elapsed = time.monotonic() - started
    stack.stop()
    return N_TRIVIAL / elapsed


def celery_scoring_per_s(stack: Stack, app, workers: tuple[int, ...] = (2,)) -> tuple[float, float]:
    """Pre-fill the intake as the web processes do (one id per accepted comment), start a prefork-2
    worker whose intake pump batches them; rate between the first and last decision."""
    from sqlalchemy import func, select

    from service.storage.models import Comment, Decision

    ids = insert_pending(app, N_CELERY)
    for comment_id in ids:
        app.extensions["intake"].push([comment_id])
    started = time.monotonic()
    for n, concurrency in enumerate(workers):
        stack.worker(queues="scoring", concurrency=concurrency, log_name=f"worker-scoring-{n}")
    deadline = time.monotonic() + 600
    db = app.extensions["db"]
    while time.monotonic() < deadline:
        with db.session() as session:
            pending = session.scalar(select(func.count()).where(Comment.id.in_(ids), Comment.status == "pending"))
        if pending == 0:
            break
        time.sleep(0.5)
    wall = time.monotonic() - started
    with db.session() as session:
        first, last = session.execute(select(func.min(Comment.decided_at), func.max(Comment.decided_at))
                                      .where(Comment.id.in_(ids))).one()
        duplicates = session.scalar(select(func.count()).select_from(
            select(Decision.comment_id).where(Decision.comment_id.in_(ids), Decision.kind == "automatic")
            .group_by(Decision.comment_id).having(func.count() > 1).subquery()))
    stack.stop()
    if duplicates:
        raise RuntimeError(f"{duplicates} comments got more than one automatic decision")
    steady = (len(ids) - 1) / max((last - first).total_seconds(), 1e-9)
    return steady, len(ids) / wall


def main() -> int:
    predict = raw_predict_per_s()
    print(f"bench: raw predict {predict:.0f}/s", file=sys.stderr, flush=True)
    with pg_database() as database_url, private_redis() as redis_url:
        stack = Stack(database_url, redis_url)
        stack.prepare()
        app = stack.app()
        curve = by_batch_size(app)
        trivial = trivial_drain_per_s(stack, app, redis_url)
        print(f"bench: trivial drain {trivial:.0f}/s", file=sys.stderr, flush=True)
        steady, with_startup = celery_scoring_per_s(Stack(database_url, redis_url), app)
        # Scale-out: the same four processes' worth of work split over two worker instances (prefork 1 each
        # vs one instance of prefork 2) consume one intake, and no comment is decided twice.
        two_instances, _ = celery_scoring_per_s(Stack(database_url, redis_url), app, workers=(1, 1))
        print(f"bench: scoring one worker x2 {steady:.0f}/s, two workers x1 {two_instances:.0f}/s",
              file=sys.stderr, flush=True)
        app.extensions["db"].dispose()
    save_json("scoring", {"raw_predict_per_s": predict, "trivial_drain_per_s": trivial,
                          "celery_scoring_per_s": steady, "celery_scoring_incl_startup_per_s": with_startup,
                          "two_worker_instances_per_s": two_instances,
                          "by_batch_size": curve})
    plot(curve)
    figure("raw_predict_comments_per_s", round(predict))
    figure("trivial_task_drain_per_s", round(trivial))
    figure("scoring_incl_worker_startup_per_s", round(with_startup))
    figure("scoring_vs_trivial_drain", round(steady / trivial, 3))
    figure("scoring_two_instances_vs_one", round(two_instances / steady, 3))
    figure("scoring_comments_per_s", round(steady), target=2000)
    return 0


def plot(curve: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot([c["batch_size"] for c in curve], [c["comments_per_s"] for c in curve], "o-")
    ax.set_xscale("log")
    ax.set_xlabel("batch size (comments per decide_comments call)")
    ax.set_ylabel("comments decided per second (one process)")
    ax.set_title("Scoring throughput against batch size (PostgreSQL)")
    fig.tight_layout()
    fig.savefig(OUT / "scoring_batch_curve.png", dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(main())
