"""The intake list and its pump on a real Redis: order, batch bounds, back-pressure, and the relay."""

from __future__ import annotations

import threading
import time

import pytest
import redis

from service.intake import INTAKE_KEY, Intake
from tests.conftest import worker_celery
from worker.intake import IntakePump

pytestmark = pytest.mark.redis


@pytest.fixture
def intake(redis_url):
    return Intake(redis_url, batch_max=4, linger_seconds=0)


def test_pop_batch_takes_oldest_first_up_to_batch_max(intake):
    intake.push([1, 2, 3])
    intake.push([4, 5, 6])
    assert intake.depth() == 6
    assert intake.pop_batch() == [1, 2, 3, 4]
    assert intake.pop_batch() == [5, 6]
    assert intake.pop_batch(wait_seconds=0.05) == []


def test_requeued_ids_come_back_first(intake):
    intake.push([7, 8])
    taken = intake.pop_batch()
    intake.push([9])
    intake.requeue(taken)
    assert intake.pop_batch() == [7, 8, 9]


def test_linger_gathers_ids_that_arrive_just_after_the_first(redis_url):
    lingering = Intake(redis_url, batch_max=100, linger_seconds=0.2)
    lingering.push([1])
    late = threading.Timer(0.05, lambda: lingering.push([2, 3]))
    late.start()
    try:
        assert lingering.pop_batch() == [1, 2, 3]
    finally:
        late.join()


def test_pump_holds_back_while_the_scoring_queue_has_a_backlog(redis_url, monkeypatch):
    """While a task waits in the scoring queue the pump publishes nothing; ids gather into one batch."""
    published: list[list[int]] = []
    from worker import tasks

    monkeypatch.setattr(tasks.score_comments, "apply_async", lambda args, **_: published.append(args[0]))
    client = redis.Redis.from_url(redis_url)
    client.lpush("scoring", "a task nobody has taken yet")
    intake = Intake(redis_url, batch_max=500, linger_seconds=0)
    pump = IntakePump.__new__(IntakePump)
    pump.stopping = threading.Event()
    thread = threading.Thread(target=pump.run, args=(intake, 1), daemon=True)
    thread.start()
    try:
        for n in range(20):
            intake.push([n])
        time.sleep(0.3)
        assert published == [] and intake.depth() == 20
        client.delete("scoring")  # a worker took the waiting task: room for the next batch
        deadline = time.monotonic() + 5
        while not published and time.monotonic() < deadline:
            time.sleep(0.01)
        assert published == [list(range(20))]
    finally:
        pump.stopping.set()
        thread.join(5)
        client.delete(INTAKE_KEY)


def test_a_scoring_worker_runs_one_pump_and_stops_it(redis_url, tmp_path):
    from celery.contrib.testing.worker import start_worker

    from tests.conftest import make_test_app

    app = make_test_app(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "instance", BROKER_URL=redis_url)

    def pumps() -> int:
        return sum(t.name == "intake-pump" and t.is_alive() for t in threading.enumerate())

    before = pumps()
    with start_worker(worker_celery(app), pool="solo", perform_ping_check=False, queues=["scoring"]):
        assert pumps() == before + 1
    assert pumps() == before
    with start_worker(worker_celery(app), pool="solo", perform_ping_check=False, queues=["webhooks"]):
        assert pumps() == before  # only workers that consume the scoring queue pump
    app.extensions["db"].dispose()
