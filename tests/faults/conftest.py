"""Fault-test helpers: a private redis-server to stop and restart, a Celery worker in its own
process (so SIGKILL is real), and a freshly truncated PostgreSQL database."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A throwaway redis-server on its own port, so a fault test can stop and restart "the broker"
    without touching the shared server everyone else's tests use."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        from tests.conftest import wait_for_port

        wait_for_port(self.port, "private redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    server = PrivateRedis(free_port())
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_database_url) -> str:
    from tests.conftest import _truncate_pg

    _truncate_pg(pg_database_url)
    return pg_database_url


class WorkerProcess:
    """A real `celery -A worker.app worker` in its own process group, so SIGKILL takes all of it."""

    def __init__(self, env: dict, log_path: Path, queues: str = "scoring", concurrency: int = 2):
        self.env, self.log_path, self.queues, self.concurrency = env, log_path, queues, concurrency
        self.process: subprocess.Popen | None = None
        self.log = None

    def start(self) -> None:
        self.log = log = open(self.log_path, "ab")  # noqa: SIM115 - lives as long as the worker, closed in _reap
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "worker.app", "worker", "-Q", self.queues,
             "-c", str(self.concurrency), "--loglevel", "WARNING", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"fault{time.monotonic_ns()}@%h"],
            cwd=REPO, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self._reap()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._reap()

    def _reap(self) -> None:
        self.process = None
        if self.log is not None:
            self.log.close()
            self.log = None


@pytest.fixture
def worker_process(tmp_path):
    started: list[WorkerProcess] = []

    def _start(env: dict, **kwargs) -> WorkerProcess:
        worker = WorkerProcess(env, tmp_path / "worker.log", **kwargs)
        worker.start()
        started.append(worker)
        return worker

    yield _start
    for worker in started:
        worker.stop()
