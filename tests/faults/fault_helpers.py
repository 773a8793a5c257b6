"""Shared steps of the fault tests: make a site, submit comments, wait for decisions, count them."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from service.storage.models import Comment, Decision


def make_site(app, name: str = "news", **fields) -> dict:
    from service.domain.sites import create_site

    with app.extensions["db"].session() as session:
        issued = create_site(session, name, f"https://{name}.example")
        for key, value in fields.items():
            setattr(issued.site, key, value)
    return {"Authorization": f"Bearer {issued.key}"}


def submit(client, auth, n: int) -> dict:
    return client.post("/api/v1/comments", headers=auth, json={
        "content": f"Comment number {n}: the bus timetable change helps my commute.",
        "author_name": "Sam", "author_email": "sam@example.org", "thread": "https://news.example/a"})


def status_counts(app) -> dict[str, int]:
    with app.extensions["db"].session() as session:
        return dict(session.execute(select(Comment.status, func.count()).group_by(Comment.status)).all())


def automatic_decisions_per_comment(app) -> dict[int, int]:
    with app.extensions["db"].session() as session:
        return dict(session.execute(
            select(Decision.comment_id, func.count()).where(Decision.kind == "automatic")
            .group_by(Decision.comment_id)
        ).all())


def wait_until(predicate, timeout: float, interval: float = 0.25, on_tick=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        if on_tick is not None:
            on_tick()
        time.sleep(interval)
    return predicate()


def worker_env(app, broker_url: str, **extra) -> dict[str, str]:
    """Environment for a `celery -A worker.app` subprocess serving `app`'s database and broker."""
    return {
        "DATABASE_URL": app.config["DATABASE_URL"],
        "REDIS_URL": broker_url,
        "BROKER_URL": broker_url,
        "MODERATO_INSTANCE_PATH": app.instance_path,
        "MODERATO_MODEL_REFRESH_SECONDS": "1",
        **extra,
    }


def relay_now(app) -> int:
    """Run the outbox relay once, as beat would, for comments pending longer than RELAY_AFTER_SECONDS."""
    from worker.tasks import relay_pending

    with app.app_context():
        try:
            return relay_pending.run()
        except Exception:  # noqa: BLE001 - the broker may still be down; the next tick tries again
            return -1
