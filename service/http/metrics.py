"""Prometheus `/metrics`: HTTP traffic, comments by outcome, queue depth, scoring latency, models, training.

Counters and histograms live in this process, or, with PROMETHEUS_MULTIPROC_DIR set (`moderato serve`
sets it; see docs/operations.md for gunicorn and Celery elsewhere), in one file per process in that shared
folder, which `/metrics` adds up: every gunicorn worker then answers with the totals of all web and
scoring processes. Figures that the database or broker already know (comments by status, active model
versions, training runs, queue depth, the intake backlog) are read at scrape time, so every web process
reports the same truth without extra bookkeeping.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from service.domain.policy import STATUSES
from service.intake import INTAKE_KEY, is_redis_url
from service.storage.models import Comment, ModelVersion, TrainingRun
from service.tasks_app import QUEUES, broker_folder

log = logging.getLogger(__name__)
bp = Blueprint("metrics", __name__)
RUN_STATUSES = ("queued", "running", "succeeded", "failed")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass
class Metrics:
    """The metric objects one app (web or worker process) records into."""

    registry: CollectorRegistry
    requests: Counter
    latency: Histogram
    scoring_seconds: Histogram
    scored: Counter


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def build_metrics() -> Metrics:
    """Create the metric objects; in multiprocess mode they write to PROMETHEUS_MULTIPROC_DIR."""
    # A private registry per app: tests build many apps, and the global one would reject duplicates.
    registry = CollectorRegistry(auto_describe=True)
    return Metrics(
        registry=registry,
        requests=Counter("moderato_http_requests", "HTTP requests by route, method and status",
                         ["route", "method", "status"], registry=registry),
        latency=Histogram("moderato_http_request_duration_seconds", "HTTP request latency by route and status",
                          ["route", "method", "status"], buckets=LATENCY_BUCKETS, registry=registry),
        scoring_seconds=Histogram("moderato_scoring_duration_seconds",
                                  "Scoring and deciding time per comment (its share of its batch's time)",
                                  buckets=LATENCY_BUCKETS, registry=registry),
        scored=Counter("moderato_comments_scored", "Comments decided by the scoring pipeline, by outcome",
                       ["outcome"], registry=registry),
    )


class StateCollector:
    """Gauges read at scrape time from the database and the broker."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        by_status = GaugeMetricFamily("moderato_comments", "Comments by current status (outcome)",
                                      labels=["status"])
        active = GaugeMetricFamily("moderato_active_model_version", "Active model version per head (1 = active)",
                                   labels=["head", "version"])
        runs = GaugeMetricFamily("moderato_training_runs", "Training runs by status", labels=["status"])
        oldest = GaugeMetricFamily("moderato_oldest_pending_seconds",
                                   "Age of the oldest comment still waiting for its automatic decision (0: none)")
        try:
            with self.app.extensions["db"].session() as session:
                counted = dict(session.execute(select(Comment.status, func.count()).group_by(Comment.status)).all())
                for status in STATUSES:
                    by_status.add_metric([status], counted.get(status, 0))
                first = session.scalar(select(func.min(Comment.created_at)).where(Comment.status == "pending"))
                oldest.add_metric([], _age_seconds(first))
                for head, version in session.execute(
                    select(ModelVersion.head, ModelVersion.version).where(ModelVersion.state == "active")
                ):
                    active.add_metric([head, version], 1)
                counted = dict(session.execute(
                    select(TrainingRun.status, func.count()).group_by(TrainingRun.status)).all())
                for status in dict.fromkeys((*RUN_STATUSES, *counted)):
                    runs.add_metric([status], counted.get(status, 0))
            yield from (by_status, active, runs, oldest)
        except Exception as exc:  # noqa: BLE001 - a scrape must not fail because the database is down
            log.warning("metrics_database_unavailable", extra={"error": type(exc).__name__})
        depth = GaugeMetricFamily("moderato_queue_depth", "Messages waiting in each Celery queue", labels=["queue"])
        backlog = GaugeMetricFamily("moderato_intake_backlog",
                                    "Accepted comments whose ids wait in the intake list for a scoring batch")
        try:
            depths, waiting = broker_backlog(self.app)
            for queue, length in depths.items():
                depth.add_metric([queue], length)
            backlog.add_metric([], waiting)
            yield from (depth, backlog)
        except Exception as exc:  # noqa: BLE001
            log.warning("metrics_broker_unavailable", extra={"error": type(exc).__name__})


def broker_backlog(app: Flask) -> tuple[dict[str, int], int]:
    """Messages waiting per Celery queue, and ids waiting in the intake list (Redis broker only)."""
    url = app.config["BROKER_URL"]
    if url.startswith("filesystem"):
        # kombu's filesystem transport keeps one `<time>_<uuid>.<queue>.msg` file per waiting message.
        names = [entry.name for entry in os.scandir(broker_folder(app)) if entry.is_file()]
        return {queue: sum(name.endswith(f".{queue}.msg") for name in names) for queue in QUEUES}, 0
    if not is_redis_url(url):
        return {}, 0
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        pipe = client.pipeline()
        for queue in QUEUES:
            pipe.llen(queue)
        pipe.llen(INTAKE_KEY)
        *lengths, waiting = pipe.execute()
        return dict(zip(QUEUES, lengths, strict=True)), waiting
    finally:
        client.close()


def _age_seconds(moment) -> float:
    if moment is None:
        return 0.0
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return max((datetime.now(UTC) - moment).total_seconds(), 0.0)


def observe_scoring(app: Flask, seconds: float, outcomes: dict[str, int]) -> None:
    """Record one scoring batch: each decided comment's share of its time, and the count of each outcome.

    One observation per decided comment, so `moderato_scoring_duration_seconds_count` counts comments and
    its `_sum` is the scoring time they took (500 observations cost about a millisecond, next to a batch's
    few hundred).
    """
    metrics: Metrics | None = app.extensions.get("metrics")
    if metrics is None:
        return
    decided = sum(n for k, n in outcomes.items() if k not in ("skipped", "duplicate", "retried"))
    for _ in range(decided):
        metrics.scoring_seconds.observe(seconds / decided)
    for outcome, count in outcomes.items():
        metrics.scored.labels(outcome).inc(count)


def init_metrics(app: Flask) -> None:
    """Time every request and serve `/metrics`."""
    metrics = build_metrics()
    app.extensions["metrics"] = metrics
    app.register_blueprint(bp)

    @app.before_request
    def _start_timer():
        g.metrics_started = time.perf_counter()

    # Labelled children by (route, method, status): a `labels()` lookup takes a lock and validates its
    # arguments on every call. Bounded like the labels themselves (routes x methods x statuses).
    children: dict[tuple[str, str, int], tuple] = {}

    @app.after_request
    def _record(response):
        started = g.pop("metrics_started", None)
        if started is not None:
            # The route template, not the path: /api/v1/comments/<int:comment_id>, so labels stay bounded.
            route = request.url_rule.rule if request.url_rule else "unmatched"
            key = (route, request.method, response.status_code)
            child = children.get(key)
            if child is None:
                labels = (route, request.method, str(response.status_code))
                child = children[key] = (metrics.requests.labels(*labels), metrics.latency.labels(*labels))
            child[0].inc()
            child[1].observe(time.perf_counter() - started)
        return response


@bp.get("/metrics")
def metrics_view():
    app = current_app._get_current_object()
    if multiprocess_dir():
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = app.extensions["metrics"].registry
    scrape = CollectorRegistry()
    scrape.register(StateCollector(app))
    body = generate_latest(registry) + generate_latest(scrape)
    return Response(body, mimetype=CONTENT_TYPE_LATEST.split(";")[0], headers={"Content-Type": CONTENT_TYPE_LATEST})
