"""`moderato serve` (what `make run` runs) end to end, as separate processes on SQLite and the embedded broker:
two gunicorn workers, a prefork Celery worker with beat; comments decided; `/metrics` totals true."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.service.serving import Served, clean_env, free_port

BIN = Path(sys.executable).parent
COMMENTS = 8


@pytest.fixture(scope="module")
def served(tmp_path_factory, sqlite_template, model_bundle, model_dir):
    from tests.conftest import make_test_app

    tmp = tmp_path_factory.mktemp("serve")
    instance = tmp / "instance"
    shutil.copy(sqlite_template, tmp / "db.sqlite3")
    url = f"sqlite:///{tmp / 'db.sqlite3'}"
    make_test_app(url, instance, model_bundle, model_dir).extensions["db"].dispose()  # the model is active
    env = clean_env(MODERATO_INSTANCE_PATH=str(instance), DATABASE_URL=url)
    port = free_port()
    server = Served([str(BIN / "moderato"), "serve", "--port", str(port), "--web-workers", "2"], port, env)
    server.env = env
    yield server
    server.stop()


def test_serve_runs_web_worker_and_decides_a_comment(served):
    comment_id = served.submit("Really useful explainer, thank you.")
    body, _ = served.wait_decided(comment_id)
    assert body["status"] == "approved", body


def test_serve_prints_the_kept_local_key(served):
    shown = subprocess.run([str(BIN / "moderato"), "site", "key", "local", "--show"], env=served.env,
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == served.key


def _total(samples: dict, name: str, **labels) -> float:
    return sum(s.value for s in samples.get(name, []) if all(s.labels.get(k) == v for k, v in labels.items()))


def _scored(samples: dict) -> float:
    return sum(_total(samples, "moderato_comments_scored_total", outcome=o) for o in ("approved", "held", "rejected"))


def test_metrics_totals_equal_the_requests_and_decisions_made(served):
    """Every gunicorn worker answers /metrics with the totals of all processes (PROMETHEUS_MULTIPROC_DIR)."""
    before = served.metrics()
    ids = [served.submit(text, n) for n, text in enumerate(
        ["Cheap meds, no prescription: http://pills.example", "Thanks for the clear write-up."] * (COMMENTS // 2))]
    polls = 0
    for comment_id in ids:
        body, taken = served.wait_decided(comment_id)
        assert body["status"] != "pending", body
        polls += taken
    post = {"name": "moderato_http_requests_total", "route": "/api/v1/comments", "method": "POST", "status": "202"}
    get = {**post, "route": "/api/v1/comments/<int:comment_id>", "method": "GET", "status": "200"}
    for _ in range(6):  # scrapes land on either web worker: each must tell the same totals
        after = served.metrics()
        assert _total(after, **post) - _total(before, **post) == COMMENTS
        assert _total(after, **get) - _total(before, **get) == polls
        assert _scored(after) - _scored(before) == COMMENTS
        assert (_total(after, "moderato_scoring_duration_seconds_count")
                - _total(before, "moderato_scoring_duration_seconds_count")) == COMMENTS
        decided = sum(_total(after, "moderato_comments", status=s) for s in ("approved", "held", "rejected"))
        assert decided == _scored(after), "the database and the workers' counters disagree"
        depth = {s.labels["queue"]: s.value for s in after["moderato_queue_depth"]}
        assert set(depth) == {"scoring", "training", "webhooks", "maintenance"}
        assert [s.value for s in after["moderato_intake_backlog"]] == [0]
