"""The `moderato` command line: sites, migrations and `serve` end to end on the embedded default."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import select

from service.storage.models import ApiKey, Site

BIN = Path(sys.executable).parent


def test_site_create_prints_a_key_once_and_stores_only_its_hash(app, runner):
    result = runner.invoke(args=["site", "create", "blog", "--url", "https://blog.example"])
    assert result.exit_code == 0, result.output
    key = re.search(r"(mod_key_\S+)", result.output).group(1)
    with app.extensions["db"].session() as session:
        site = session.scalar(select(Site).where(Site.name == "blog"))
        stored = session.scalars(select(ApiKey).where(ApiKey.site_id == site.id)).all()
    assert len(stored) == 1 and key not in (stored[0].key_hash, stored[0].prefix)
    again = runner.invoke(args=["site", "create", "blog", "--url", "https://blog.example"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_site_create_refuses_a_bad_url(runner):
    result = runner.invoke(args=["site", "create", "blog", "--url", "ftp://blog.example"])
    assert result.exit_code != 0 and "url" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _request(url: str, key: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={"Authorization": f"Bearer {key}",
                                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310 - loopback test server
        return response.status, json.loads(response.read())


def test_serve_runs_web_worker_and_decides_a_comment(tmp_path, sqlite_template, model_bundle, model_dir):
    """`moderato serve` (what `make run` runs) on SQLite + the filesystem broker, as separate processes."""
    from tests.conftest import make_test_app

    instance = tmp_path / "instance"
    shutil.copy(sqlite_template, tmp_path / "db.sqlite3")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    make_test_app(url, instance, model_bundle, model_dir).extensions["db"].dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MODERATO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(MODERATO_INSTANCE_PATH=str(instance), DATABASE_URL=url)
    proc = subprocess.Popen([str(BIN / "moderato"), "serve", "--port", str(port), "--web-workers", "1"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        key = None
        deadline = time.monotonic() + 60
        while key is None and time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line or proc.poll() is None, "moderato serve exited early"
            if match := re.search(r"API key: (mod_key_\S+)", line):
                key = match.group(1)
        assert key, "serve never printed an API key"
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        status, created = _request(f"{base}/api/v1/comments", key, {
            "content": "Really useful explainer, thank you.", "author_name": "Jo",
            "author_email": "jo@example.org", "thread": "a1"})
        assert status == 202
        deadline = time.monotonic() + 20
        body = created
        while body["status"] == "pending" and time.monotonic() < deadline:
            time.sleep(0.1)
            _, body = _request(f"{base}/api/v1/comments/{created['id']}", key)
        assert body["status"] == "approved", body
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()
