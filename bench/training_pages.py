"""How long the admin's training pages take to render: a run's report (seven heads, two charts each, drawn as
inline SVG) and the runs list, in-process through the test client on a fresh SQLite database.

    .venv/bin/python -m bench.training_pages [--requests 20]

The report is synthetic but shaped like a real one (seven heads, 2,000 holdout labels, 120-point curves).
The figure is the median of `--requests` renders after one warm-up, against a 1 s target.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from bench._support import figure

TARGET_SECONDS = 1.0
HEADS = ("spam", "toxicity", "insult", "threat", "identity_attack", "obscene", "severe_toxic")
PASSWORD = "a long enough password"  # noqa: S105 - a throwaway account in a temporary database


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    requests = parser.parse_args(argv).requests
    from service.app import create_app
    from service.domain.users import create_user
    from service.storage import migrate
    from service.storage.models import TrainingRun
    from tests.service.training.test_training_pages import figures

    with tempfile.TemporaryDirectory(prefix="moderato-pages-bench-") as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{Path(tmp) / 'db.sqlite3'}", "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False}, instance_path=str(Path(tmp) / "instance"))
        migrate.upgrade(app.extensions["db"].engine)
        heads = {head: {"n": 2000, "recent_n": 0, "thresholds": {"hold": 0.5}, "candidate": figures(3.4, n),
                        "active": figures(2.9, n + 10)} for n, head in enumerate(HEADS)}
        report = {"version": "v2", "active_version": "v1", "heads": heads, "no_worse": True, "no_worse_reasons": [],
                  "data": {"provenance": {}, "train_rows": 1800, "holdout_rows": 200, "recent_moderator_rows": 0},
                  "replay": {"days": 7.0, "replayed": 0, "flips": {}, "flipped": 0, "examples": {}}}
        with app.extensions["db"].session() as s:
            create_user(s, "bench@example.org", PASSWORD, "admin")
            run = TrainingRun(status="succeeded", stage="done", percent=100.0, params={"kind": "retrain"},
                              version="v2", report=report)
            s.add(run)
            s.flush()
            run_id = run.id
        client = app.test_client()
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        client.post("/login", data={"email": "bench@example.org", "password": PASSWORD, "csrf_token": token})
        for name, path in (("report", f"/admin/training/runs/{run_id}"), ("runs", "/admin/training")):
            assert client.get(path).status_code == 200  # warm-up: templates compiled, first queries
            times = []
            for _ in range(requests):
                started = time.perf_counter()
                client.get(path)
                times.append(time.perf_counter() - started)
            figure(f"training_{name}_page_seconds", f"{statistics.median(times):.3f}", TARGET_SECONDS)
        app.extensions["db"].dispose()


if __name__ == "__main__":
    main()
