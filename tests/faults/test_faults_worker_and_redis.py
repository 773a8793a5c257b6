"""A worker SIGKILLed mid-run, and Redis restarted in the middle of 1,000 submissions."""

from __future__ import annotations

import json

import pytest

from tests.conftest import make_test_app
from tests.faults.fault_helpers import (
    automatic_decisions_per_comment,
    make_site,
    relay_now,
    status_counts,
    submit,
    wait_until,
    worker_env,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]
# Unacknowledged messages of a vanished worker come back after this many seconds.
SHORT_VISIBILITY = json.dumps({"broker_transport_options": {"visibility_timeout": 5}})


def test_fault_worker_sigkilled_mid_run_redelivers_and_decides_exactly_once(
    pg_url, redis_url, tmp_path, model_bundle, model_dir, worker_process
):
    app = make_test_app(pg_url, tmp_path / "instance", model_bundle, model_dir, BROKER_URL=redis_url,
                        RATELIMIT_ENABLED=False, RELAY_AFTER_SECONDS=10)
    try:
        auth = make_site(app)
        client = app.test_client()
        total = 2000
        assert all(submit(client, auth, n).status_code == 202 for n in range(total))
        env = worker_env(app, redis_url, MODERATO_CELERY=SHORT_VISIBILITY)
        first = worker_process(env)
        # Kill it once it has decided some but not all: batches are in flight, unacknowledged.
        assert wait_until(lambda: sum(n for s, n in status_counts(app).items() if s != "pending") > 0,
                          timeout=120, interval=0.05)
        first.kill()
        decided_before = total - status_counts(app).get("pending", 0)
        assert decided_before < total, "the worker finished before it could be killed; raise `total`"

        worker_process(env)  # a fresh worker; the killed one's messages are redelivered to it
        # Ids the killed worker's intake pump had popped but not yet published exist only as pending rows:
        # beat's relay re-sends them (here every few seconds, as beat would), as in production.
        assert wait_until(lambda: status_counts(app).get("pending", 0) == 0, timeout=180, interval=3,
                          on_tick=lambda: relay_now(app)), status_counts(app)
        per_comment = automatic_decisions_per_comment(app)
        assert len(per_comment) == total and set(per_comment.values()) == {1}
    finally:
        app.extensions["db"].dispose()


def test_fault_redis_restarted_mid_run_of_1000_submissions_all_end_decided(
    pg_url, private_redis, tmp_path, model_bundle, model_dir, worker_process
):
    private_redis.start()
    app = make_test_app(pg_url, tmp_path / "instance", model_bundle, model_dir, BROKER_URL=private_redis.url,
                        RELAY_AFTER_SECONDS=2, RATELIMIT_ENABLED=False)
    try:
        auth = make_site(app)
        client = app.test_client()
        worker_process(worker_env(app, private_redis.url))
        accepted = 0
        for n in range(1000):
            if n == 400:
                # Restarted without persistence: every message queued in Redis is gone.
                private_redis.stop()
            if n == 600:
                private_redis.start()
            response = submit(client, auth, n)
            assert response.status_code == 202, response.get_json()
            accepted += 1
        assert accepted == 1000

        def relay():
            relay_now(app)

        # The outbox relay (beat's job, run by hand here) re-enqueues whatever Redis lost.
        assert wait_until(lambda: status_counts(app).get("pending", 0) == 0, timeout=240, interval=1.0,
                          on_tick=relay), status_counts(app)
        per_comment = automatic_decisions_per_comment(app)
        assert len(per_comment) == 1000 and set(per_comment.values()) == {1}
    finally:
        app.extensions["db"].dispose()
