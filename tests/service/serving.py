"""Drive a real `moderato serve` (or `make run`) process: start it, read its key, talk HTTP, stop it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any Moderato, database, broker or metrics settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MODERATO_", "DATABASE_URL", "REDIS_URL", "BROKER_URL", "PROMETHEUS_"))}
    env.update(extra)
    return env


class Served:
    """A serving process group on `port`; its output is kept in `log` for assertion messages."""

    def __init__(self, command: list[str], port: int, env: dict[str, str], cwd: Path | None = None,
                 startup_seconds: float = 120):
        self.port, self.base = port, f"http://127.0.0.1:{port}"
        self.log: list[str] = []
        self.key: str | None = None
        self.proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + startup_seconds
        while time.monotonic() < deadline and (self.key is None or not self._healthy()):
            if self.proc.poll() is not None:
                raise AssertionError(f"{command} exited early:\n" + "".join(self.log[-40:]))
            time.sleep(0.2)
        if self.key is None or not self._healthy():
            self.stop()
            raise AssertionError(f"{command} did not come up in {startup_seconds}s:\n" + "".join(self.log[-40:]))

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line)
            if self.key is None and (match := re.search(r"API key: (mod_key_\S+)", line)):
                self.key = match.group(1)

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base}/healthz", timeout=1):  # noqa: S310 - loopback test server
                return True
        except OSError:
            return False

    def request(self, path: str, body: dict | None = None, key: str | None = None) -> tuple[int, dict]:
        """One JSON request with the site key; returns (status, body), errors included."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.base}{path}", data=data, headers={
            "Authorization": f"Bearer {key or self.key}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310 - loopback test server
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def get(self, path: str) -> tuple[int, str, str]:
        """GET without credentials, not following redirects: (status, final URL, body)."""
        try:
            with urllib.request.urlopen(f"{self.base}{path}", timeout=10) as response:  # noqa: S310
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.url, exc.read().decode()

    def metrics(self) -> dict[str, list]:
        """One scrape of /metrics: samples by name."""
        _, _, text = self.get("/metrics")
        out: dict[str, list] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                out.setdefault(sample.name, []).append(sample)
        return out

    def submit(self, text: str, n: int = 0) -> int:
        status, body = self.request("/api/v1/comments", {
            "content": text, "author_name": f"Reader {n}", "author_email": f"reader{n}@example.org",
            "thread": "https://news.example/2026/budget"})
        assert status == 202, body
        return body["id"]

    def wait_decided(self, comment_id: int, seconds: float = 30) -> tuple[dict, int]:
        """Poll the comment until it is decided: (its view, how many GETs that took)."""
        deadline, polls = time.monotonic() + seconds, 0
        while True:
            status, body = self.request(f"/api/v1/comments/{comment_id}")
            polls += 1
            assert status == 200, body
            if body["status"] != "pending" or time.monotonic() > deadline:
                return body, polls
            time.sleep(0.1)

    def stop(self) -> None:
        """Ctrl-C, as in a terminal: the whole foreground group (make and `moderato serve`) gets SIGINT."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # anything of the group still holding our pipe
        self._reader.join(10)
        assert not self._reader.is_alive(), "a process of the server still holds its output open"
        self.proc.stdout.close()
