"""The processes `moderato serve` runs: start them, say when they are ready, stop them together."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable

import click

# Celery's worker logs `celery@<host> ready.` once its pool runs and it consumes its queues.
WORKER_READY = re.compile(r"celery@\S+ ready\.")
# A cold start trains nothing here (the model exists by then) but imports scikit-learn in every process.
READY_TIMEOUT_SECONDS = 180


class Worker:
    """A Celery worker process whose log goes to our stderr, watched for the line that says it is ready."""

    def __init__(self, command: list[str], env: dict[str, str]):
        self.ready = threading.Event()
        self.process = start(command, env, stderr=subprocess.PIPE, text=True, bufsize=1)
        threading.Thread(target=self._forward, name="worker-log", daemon=True).start()

    def _forward(self) -> None:
        for line in self.process.stderr:
            sys.stderr.write(line)
            if not self.ready.is_set() and WORKER_READY.search(line):
                self.ready.set()


def start(command: list[str], env: dict[str, str], **kwargs) -> subprocess.Popen:
    """Start a child in its own process group: Ctrl-C reaches `moderato serve` alone, which stops the children
    in order (a gunicorn worker signalled at the same moment as its master could hang in its shutdown), and
    whatever a child leaves behind can be killed with its group."""
    return subprocess.Popen(command, env=env, start_new_session=True, **kwargs)


def web_answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - our own server on a local address
            return True
    except OSError:
        return False


def supervise(children: list[subprocess.Popen], is_ready: Callable[[], bool], announce: Callable[[], None]) -> None:
    """Wait while every child runs, announcing once they are all ready; on Ctrl-C or a child's exit, stop all."""
    stopping = False
    announced = False
    started = time.monotonic()

    def stop(*_):
        nonlocal stopping
        stopping = True

    # The children are in their own process groups: whatever ends this process ends them through here.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    try:
        while not stopping and all(c.poll() is None for c in children):
            if not announced and (is_ready() or time.monotonic() - started > READY_TIMEOUT_SECONDS):
                announce()
                announced = True
            time.sleep(0.2 if not announced else 0.5)
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            # A worker process its master left behind (stuck, or orphaned by the kill) goes with the group.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.pid, signal.SIGKILL)
    failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
    if failed and not stopping:
        raise click.ClickException(f"{failed[0].args[0]} exited with {failed[0].returncode}")
