"""Latency of the synchronous compatibility endpoints at light load (one client, sequential requests).

Serves the app with werkzeug on a local port and times requests end to end over HTTP, next to a
baseline measured in the same run: scoring the same comment with the active models and nothing else.

    .venv/bin/python bench/compat_latency.py [--requests 300] [--model-dir DIR] [--database-url URL]

Without --model-dir a model is trained from the seed corpus first (minutes). Without --database-url a
fresh SQLite file in a temporary folder is used.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
from werkzeug.serving import make_server

TEXTS = [
    "Good piece on the new bus routes; the Sunday timetable change will help my commute.",
    "BUY CHEAP VIAGRA NOW!!! Best prices, free shipping, click http://cheap-pills.example/buy",
    "You are a pathetic idiot and everyone here hates you.",
    "Thanks for the clear write-up on the council budget. The library hours change is overdue.",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def report(name: str, ms: list[float], baseline_p50: float | None) -> None:
    ratio = f"{statistics.median(ms) / baseline_p50:6.1f}x" if baseline_p50 else "   1.0x"
    print(f"{name:<28} p50 {statistics.median(ms):7.2f} ms  p95 {percentile(ms, 95):7.2f} ms  "
          f"p99 {percentile(ms, 99):7.2f} ms  max {max(ms):7.2f} ms  p50 vs baseline {ratio}")


def build_app(workdir: Path, model_dir: Path | None, database_url: str | None):
    from classifier import load_bundle, save_bundle, train_bundle
    from service.app import create_app
    from service.domain.model_versions import register_bundle
    from service.domain.sites import create_site
    from service.storage import migrate

    if model_dir is None:
        from classifier.seed import load_seed_rows

        model_dir = workdir / "model"
        save_bundle(train_bundle(load_seed_rows()), model_dir)
    app = create_app({"DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
                      "SECRET_KEY": "bench"}, instance_path=str(workdir / "instance"))
    database = app.extensions["db"]
    migrate.upgrade(database.engine)
    with database.session() as session:
        register_bundle(session, load_bundle(model_dir), model_dir, activate=True)
        key = create_site(session, f"bench-{int(time.time())}", "https://bench.example").key
    return app, key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--model-dir", type=Path)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    # Per-request access logs would be timed too, and would print the Perspective key from the query string.
    for name in ("werkzeug", "httpx"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        app, key = build_app(Path(tmp), args.model_dir, args.database_url)
        with app.app_context():
            from classifier import CommentInput
            from service.extensions import models

            active = models().get()
            baseline = []
            for i in range(args.requests):
                start = time.perf_counter()
                active.score_many([CommentInput(text=TEXTS[i % len(TEXTS)], author_name="Ada")])
                baseline.append((time.perf_counter() - start) * 1000)
        site_name = None
        with app.extensions["db"].session() as session:
            from service.domain.sites import authenticate_key

            site, _ = authenticate_key(session, key)
            site_name = site.name
            site.settings = {"coral_signing_secret": "bench-secret"}
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        timings: dict[str, list[float]] = {"akismet comment-check": [], "perspective analyze": [],
                                           "coral moderation-phase": []}
        with httpx.Client(base_url=base, timeout=10.0) as http:
            for i in range(args.requests + 20):
                text = TEXTS[i % len(TEXTS)]
                calls = {
                    "akismet comment-check": lambda text=text: http.post("/1.1/comment-check", data={
                        "api_key": key, "blog": "https://bench.example", "user_ip": "203.0.113.9",
                        "comment_content": text, "comment_author": "Ada", "comment_type": "comment"}),
                    "perspective analyze": lambda text=text: http.post(
                        "/v1alpha1/comments:analyze", params={"key": key},
                        json={"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}, "SPAM": {}}}),
                    "coral moderation-phase": lambda text=text: _coral(http, site_name, text),
                }
                for name, call in calls.items():
                    start = time.perf_counter()
                    response = call()
                    elapsed = (time.perf_counter() - start) * 1000
                    if response.status_code not in (200, 204):
                        raise SystemExit(f"{name}: HTTP {response.status_code} {response.text[:200]}")
                    if i >= 20:  # the first requests warm caches and connections
                        timings[name].append(elapsed)
        server.shutdown()
        app.extensions["db"].dispose()
    print(f"{args.requests} sequential requests each, database {args.database_url or 'sqlite (temporary file)'}")
    report("baseline: score_many only", baseline, None)
    for name, ms in timings.items():
        report(name, ms, statistics.median(baseline))


def _coral(http: httpx.Client, site_name: str, text: str) -> httpx.Response:
    body = json.dumps({"action": "NEW", "comment": {"body": text, "parentID": None},
                       "author": {"id": "u1", "role": "COMMENTER"}, "story": {"id": "s1", "url": "https://b.example/"},
                       "site": {"id": "x"}, "tenantID": "t", "tenantDomain": "b.example"}).encode()
    signature = "sha256=" + hmac.new(b"bench-secret", body, hashlib.sha256).hexdigest()
    return http.post(f"/coral/sites/{site_name}/moderation-phase", content=body,
                     headers={"Content-Type": "application/json", "X-Coral-Signature": signature})


if __name__ == "__main__":
    main()
