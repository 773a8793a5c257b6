"""End to end: gunicorn -> PostgreSQL -> Redis intake -> Celery (prefork 2, batches), 400 submissions/s
offered for 30 s. Every accepted comment must end decided. Submit-to-decision latency runs from when the
open-loop client was due to send each comment to its decided_at (same machine, same clock); the
insert-to-decision figure from the server's own timestamps is printed beside it."""

from __future__ import annotations

import sys
import time

from bench._support import Stack, figure, paced_load, percentile, pg_database, private_redis, save_json

RATE = 400
SECONDS = 30
DRAIN_SECONDS = 120


CURVE = ((150, 15), (250, 15))  # below the target rate: where the whole system saturates on this machine


def offer(port: int, key: str, db, rate: float, seconds: float, start_n: int) -> dict:
    """Offer `rate` submissions/s for `seconds`, wait for every accepted one to be decided, and measure."""
    from sqlalchemy import func, select

    from service.storage.models import Comment

    run = paced_load(port, key, rate, seconds, threads=48, start_n=start_n)
    ids = run["ids"]
    deadline = time.monotonic() + DRAIN_SECONDS
    pending = len(ids)
    while time.monotonic() < deadline and pending:
        with db.session() as session:
            pending = session.scalar(select(func.count()).where(Comment.id.in_(ids), Comment.status == "pending"))
        time.sleep(1)
    with db.session() as session:
        rows = session.execute(select(Comment.id, Comment.created_at, Comment.decided_at)
                               .where(Comment.id.in_(ids), Comment.decided_at.is_not(None))).all()
    # Server side: from the comment's INSERT to its decision. Client side: from when the load generator
    # was due to send it (open loop) to its decision, which also counts any wait to be accepted.
    lags = [(decided - created).total_seconds() for _, created, decided in rows]
    client_lags = [_epoch(decided) - run["due"][comment_id] for comment_id, _, decided in rows]
    result = {"rate": rate, "seconds": seconds, "accepted": len(ids), "refused": run["errors"],
              "decided": len(rows), "lost": len(ids) - len(rows), "achieved_submit_per_s": run["achieved"],
              "submit_p99_ms": run["p99_ms"],
              "submit_to_decision_p50_ms": percentile(client_lags, 50) * 1000,
              "submit_to_decision_p99_ms": percentile(client_lags, 99) * 1000,
              "insert_to_decision_p50_ms": percentile(lags, 50) * 1000,
              "insert_to_decision_p99_ms": percentile(lags, 99) * 1000}
    print(f"bench: e2e offered {rate}/s for {seconds}s: accepted {len(ids)} ({run['achieved']:.0f}/s), "
          f"refused {run['errors']}, decided {len(rows)}; submit-to-decision p50 "
          f"{result['submit_to_decision_p50_ms']:.1f} ms p99 {result['submit_to_decision_p99_ms']:.1f} ms "
          f"(insert-to-decision p50 {result['insert_to_decision_p50_ms']:.1f} ms "
          f"p99 {result['insert_to_decision_p99_ms']:.1f} ms)", file=sys.stderr, flush=True)
    return result


def main() -> int:
    from sqlalchemy import func, select

    from service.storage.models import Comment

    with pg_database() as database_url, private_redis() as redis_url:
        stack = Stack(database_url, redis_url)
        key = stack.prepare()
        app = stack.app()
        port = stack.gunicorn()
        stack.worker(queues="scoring", concurrency=2)
        db = app.extensions["db"]
        try:
            warm = paced_load(port, key, 50, 2, start_n=10_000_000)  # the worker loads its model
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with db.session() as session:
                    if not session.scalar(select(func.count()).where(Comment.id.in_(warm["ids"]),
                                                                     Comment.status == "pending")):
                        break
                time.sleep(0.5)
            curve = [offer(port, key, db, rate, seconds, start_n=(n + 1) * 1_000_000)
                     for n, (rate, seconds) in enumerate(CURVE)]
            target = offer(port, key, db, RATE, SECONDS, start_n=0)
        finally:
            stack.stop()
            db.dispose()
    save_json("e2e", {**target, "curve": [*curve, target]})
    for point in curve:
        figure(f"e2e_at_{point['rate']}_p99_ms", round(point["submit_to_decision_p99_ms"], 1))
    figure("e2e_accepted_per_s", round(target["achieved_submit_per_s"], 1))
    figure("e2e_refused", target["refused"], target=0)
    figure("e2e_insert_to_decision_p99_ms", round(target["insert_to_decision_p99_ms"], 1))
    figure("e2e_p99_ms", round(target["submit_to_decision_p99_ms"], 1), target=300)
    figure("e2e_lost", sum(point["lost"] for point in [*curve, target]), target=0)
    return 0


def _epoch(value) -> float:
    """Seconds since the epoch of a stored UTC timestamp (SQLite hands back naive ones)."""
    from datetime import UTC

    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


if __name__ == "__main__":
    sys.exit(main())
