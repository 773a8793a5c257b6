"""Shared bench plumbing: a private PostgreSQL database and redis-server, gunicorn and Celery processes,
a model trained once, and two load generators (wrk for closed-loop peak, a paced Python loop for
open-loop offered rates). Loopback only; every run is bounded in count and time."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("MODERATO_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# The same gunicorn configuration for every app a bench compares (as `moderato serve` runs it).
GUNICORN_ARGS = ["--workers", "2", "--threads", "4", "--backlog", "2048"]
UNLIMITED = "1000000/second"


def figure(name: str, value, target=None) -> str:
    """Print one result line `name=value target=value` (the line `make bench` collects)."""
    line = f"{name}={value}" + (f" target={target}" if target is not None else "")
    print(line, flush=True)
    return line


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout}s")


def model_dir() -> Path:
    """The seed-trained default model kept under bench/out, retrained only when it no longer loads."""
    from classifier import load_bundle, save_bundle, train_bundle
    from classifier.seed import load_seed_rows

    target = OUT / "model"
    if target.is_dir():
        with contextlib.suppress(Exception):
            load_bundle(target)
            return target
        shutil.rmtree(target)
    OUT.mkdir(parents=True, exist_ok=True)
    print("bench: training the default model once (cached under bench/out)...", file=sys.stderr, flush=True)
    save_bundle(train_bundle(load_seed_rows()), target)
    return target


@contextlib.contextmanager
def pg_database() -> Iterator[str]:
    """A fresh, migrated PostgreSQL database, dropped afterwards."""
    from sqlalchemy import create_engine, text

    from service.storage import migrate
    from service.storage.database import make_engine

    name = f"moderato_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def private_redis() -> Iterator[str]:
    """A throwaway redis-server (no persistence) on a free port."""
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port, 10)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


class Stack:
    """Env and instance folder for one Moderato deployment (database, broker, model registered)."""

    def __init__(self, database_url: str, redis_url: str, **config: str):
        self.instance = Path(tempfile.mkdtemp(prefix="moderato-bench-"))
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "MODERATO_INSTANCE_PATH": str(self.instance),
            "MODERATO_SECRET_KEY": "bench",
            "MODERATO_LOG_LEVEL": "WARNING",
            "MODERATO_RATELIMIT_PER_KEY": UNLIMITED,
            "MODERATO_RATELIMIT_PER_IP": UNLIMITED,
            **config,
        }
        self.processes: list[subprocess.Popen] = []

    def app(self):
        from service.app import create_app

        saved = dict(os.environ)
        os.environ.update(self.env)
        try:
            return create_app()
        finally:
            os.environ.clear()
            os.environ.update(saved)

    def prepare(self) -> str:
        """Register the model and create site `bench`; returns its API key."""
        from classifier import load_bundle
        from service.domain.model_versions import register_bundle
        from service.domain.sites import create_site

        app = self.app()
        folder = model_dir()
        with app.extensions["db"].session() as session:
            register_bundle(session, load_bundle(folder), folder, activate=True)
            key = create_site(session, "bench", "https://bench.example").key
        app.extensions["db"].dispose()
        return key

    def start(self, args: list[str], log_name: str) -> subprocess.Popen:
        OUT.mkdir(parents=True, exist_ok=True)
        log = open(OUT / f"{log_name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(args, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes.append(process)
        return process

    def gunicorn(self, target: str = "service.app:create_app()", log_name: str = "gunicorn") -> int:
        port = free_port()
        self.start([str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", *GUNICORN_ARGS, target], log_name)
        wait_port(port)
        wait_ready(port)
        return port

    def worker(self, queues: str = "scoring", concurrency: int = 2, log_name: str = "worker") -> None:
        self.start([str(BIN / "celery"), "-A", "worker.app", "worker", "-Q", queues, "-c", str(concurrency),
                    "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
                    "-n", f"bench{uuid.uuid4().hex[:6]}@%h"], log_name)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        self.processes.clear()
        shutil.rmtree(self.instance, ignore_errors=True)


def wait_ready(port: int, timeout: float = 120.0) -> None:
    """Wait until every gunicorn worker has booted: the master listens long before its workers can answer
    (each imports the app, scikit-learn included), and a load run started early measures only timeouts."""
    import http.client

    deadline = time.monotonic() + timeout
    answered = 0
    while time.monotonic() < deadline and answered < 20:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            conn.close()
            answered += 1
        except OSError:
            answered = 0
            time.sleep(0.2)
    if answered < 20:
        raise RuntimeError(f"gunicorn on port {port} did not answer /healthz within {timeout:.0f}s")


def submission(n: int) -> dict:
    return {"content": f"Comment {n}: the new bus timetable helps my commute, thanks for the report.",
            "author_name": "Bench", "author_email": "bench@example.org", "thread": "https://bench.example/a"}


def wrk(port: int, key: str | None, seconds: int = 8, connections: int = 16,
        path: str = "/api/v1/comments") -> dict:
    """Closed-loop peak: wrk POSTing submissions; returns req/s, p99 ms and the non-2xx count."""
    OUT.mkdir(parents=True, exist_ok=True)
    script = OUT / "post.lua"
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(json.dumps(submission(0)))}\n"
        + "".join(f'wrk.headers["{k}"] = "{v}"\n' for k, v in headers.items())
    )
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency",
                          "-s", str(script), f"http://127.0.0.1:{port}{path}"],
                         capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rps, "p99_ms": float(p99.group(1)) * scale, "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else ""}


class LeanHTTP:
    """A minimal keep-alive HTTP/1.1 client for the paced load generator: it shares the cores with what it
    measures, and http.client's header parsing (the email package) cost it about twice the CPU."""

    def __init__(self, port: int):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def post(self, head: bytes, body: bytes) -> tuple[int, bytes]:
        """Send `head` (request line and headers, without Content-Length) and `body`; (status, body)."""
        self.sock.sendall(head + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        header, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = header.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(self.buffer) < length:
            self._fill()
        payload, self.buffer = self.buffer[:length], self.buffer[length:]
        return status, payload

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk

    def close(self) -> None:
        self.sock.close()


def paced_load(port: int, key: str, rate: float, seconds: float, threads: int = 32,
               start_n: int = 0) -> dict:
    """Open loop: offer `rate` submissions/s for `seconds` (bounded); returns accepted ids and latencies."""
    total = int(rate * seconds)
    started = time.monotonic() + 0.2
    wall_started = time.time() + (started - time.monotonic())
    lock = threading.Lock()
    # "due": the wall-clock second each accepted comment was due to be sent, by id, so a caller can time
    # submit-to-decision from the client's side (the server's created_at hides any queueing before it).
    results: dict = {"ids": [], "latencies": [], "errors": 0, "late": 0, "due": {}}
    head = (f"POST /api/v1/comments HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {key}\r\n").encode()

    def run(offset: int) -> None:
        conn: LeanHTTP | None = None
        for n in range(offset, total, threads):
            due = started + n / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            t0 = time.monotonic()
            try:
                conn = conn or LeanHTTP(port)
                status, body = conn.post(head, json.dumps(submission(start_n + n)).encode())
                ok = status == 202
            except OSError:
                if conn is not None:
                    conn.close()
                conn, ok, body = None, False, b""
            # Latency from when the request was due, so a slow generator cannot hide queueing.
            latency = time.monotonic() - min(due, t0)
            with lock:
                if ok:
                    comment_id = json.loads(body)["id"]
                    results["ids"].append(comment_id)
                    results["latencies"].append(latency)
                    results["due"][comment_id] = wall_started + n / rate
                else:
                    results["errors"] += 1
        if conn is not None:
            conn.close()

    workers = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(seconds + 120)
    elapsed = time.monotonic() - started
    results["offered"] = rate
    results["achieved"] = len(results["ids"]) / max(elapsed, 1e-9)
    results["p99_ms"] = percentile(results["latencies"], 99) * 1000 if results["latencies"] else float("nan")
    return results


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(pct / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def save_json(name: str, data: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
