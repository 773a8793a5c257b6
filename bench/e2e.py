"""End to end: gunicorn -> PostgreSQL -> Redis -> Celery (prefork 2, batched), 400 submissions/s offered for
30 s. Every accepted comment must end decided; submit-to-decision latency from the server's own timestamps."""

from __future__ import annotations

import sys
import time

from bench._support import Stack, figure, paced_load, percentile, pg_database, private_redis, save_json

RATE = 400
SECONDS = 30
DRAIN_SECONDS = 120


def main() -> int:
    from sqlalchemy import func, select

    from service.storage.models import Comment

    with pg_database() as database_url, private_redis() as redis_url:
        stack = Stack(database_url, redis_url)
        key = stack.prepare()
        app = stack.app()
        port = stack.gunicorn()
        stack.worker(queues="scoring", concurrency=2)
        try:
            warm = paced_load(port, key, 50, 2, start_n=10_000_000)  # the worker loads its model
            db = app.extensions["db"]
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                with db.session() as session:
                    if not session.scalar(select(func.count()).where(Comment.id.in_(warm["ids"]),
                                                                     Comment.status == "pending")):
                        break
                time.sleep(0.5)
            run = paced_load(port, key, RATE, SECONDS, threads=48)
            ids = run["ids"]
            deadline = time.monotonic() + DRAIN_SECONDS
            pending = len(ids)
            while time.monotonic() < deadline and pending:
                with db.session() as session:
                    pending = session.scalar(select(func.count()).where(Comment.id.in_(ids),
                                                                        Comment.status == "pending"))
                time.sleep(1)
            with db.session() as session:
                rows = session.execute(select(Comment.created_at, Comment.decided_at)
                                       .where(Comment.id.in_(ids), Comment.decided_at.is_not(None))).all()
        finally:
            stack.stop()
            app.extensions["db"].dispose()
    lags = [(decided - created).total_seconds() for created, decided in rows]
    decided = len(rows)
    lost = len(ids) - decided
    p50 = percentile(lags, 50) * 1000
    p99 = percentile(lags, 99) * 1000
    print(f"bench: e2e offered {RATE}/s for {SECONDS}s: accepted {len(ids)}, refused {run['errors']}, "
          f"decided {decided}, submit p99 {run['p99_ms']:.1f} ms, decision p50 {p50:.1f} ms p99 {p99:.1f} ms",
          file=sys.stderr, flush=True)
    save_json("e2e", {"rate": RATE, "seconds": SECONDS, "accepted": len(ids), "refused": run["errors"],
                      "decided": decided, "lost": lost, "achieved_submit_per_s": run["achieved"],
                      "submit_p99_ms": run["p99_ms"], "decision_p50_ms": p50, "decision_p99_ms": p99})
    figure("e2e_accepted_per_s", round(run["achieved"], 1))
    figure("e2e_refused", run["errors"], target=0)
    figure("e2e_p99_ms", round(p99, 1), target=300)
    figure("e2e_lost", lost, target=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
