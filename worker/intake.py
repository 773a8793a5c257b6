"""The intake pump: a thread in each scoring worker that turns the intake list's ids into scoring batches.

The list itself, and why a comment is never lost between it and a worker, is `service/intake.py`.
"""

from __future__ import annotations

import logging
import threading

from celery import bootsteps

from service.intake import POP_WAIT_SECONDS, SCORING_QUEUE, Intake, is_redis_url

log = logging.getLogger(__name__)
# How often the pump looks at the scoring queue again while the workers are busy.
BUSY_WAIT_SECONDS = 0.01


class IntakePump(bootsteps.StartStopStep):
    """A thread in each worker that consumes the scoring queue on a Redis broker: intake ids -> batches."""

    requires = {"celery.worker.components:Pool"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()

    def start(self, worker) -> None:
        flask_app = getattr(worker.app, "flask_app", None)
        if flask_app is None or not is_redis_url(flask_app.config["BROKER_URL"]):
            return
        queues = worker.app.amqp.queues
        consumed = set(queues.consume_from or queues)
        if SCORING_QUEUE not in consumed:
            return
        intake: Intake = flask_app.extensions["intake"]
        backlog_limit = max(int(flask_app.config["INTAKE_BACKLOG"]), 1)
        self.stopping.clear()
        self.thread = threading.Thread(target=self.run, args=(intake, backlog_limit), name="intake-pump",
                                       daemon=True)
        self.thread.start()

    def stop(self, worker) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(POP_WAIT_SECONDS + 5)
            self.thread = None

    def terminate(self, worker) -> None:
        # StartStopStep.terminate only acts on an `obj` from create(); this step is its own service.
        self.stop(worker)

    def run(self, intake: Intake, backlog_limit: int) -> None:
        from worker.tasks import score_comments

        while not self.stopping.is_set():
            ids: list[int] = []
            try:
                if intake.backlog() >= backlog_limit:
                    # Workers are busy: let ids gather so the next batch is bigger.
                    self.stopping.wait(BUSY_WAIT_SECONDS)
                    continue
                ids = intake.pop_batch()
                if ids:
                    score_comments.apply_async(args=[ids], retry=False)
            except Exception as exc:  # noqa: BLE001 - Redis restarting: wait, then carry on
                log.warning("intake_pump_error", extra={"error": type(exc).__name__, "count": len(ids)})
                if ids:
                    try:
                        intake.requeue(ids)
                    except Exception:  # noqa: BLE001 - still pending in the database: the relay re-sends them
                        log.warning("intake_requeue_failed", extra={"count": len(ids)})
                self.stopping.wait(1.0)
