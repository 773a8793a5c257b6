"""How long the `moderato` commands an operator types most take to answer, wall clock, fresh process each time.

Runs the installed `.venv/bin/moderato` against a fresh SQLite database in a temporary instance folder:
`--help`, the site, key and user commands, and `db upgrade` on an up-to-date database. Each command runs
`--runs` times (default 7); the median is the figure, against a 1 s target. The floor measured in the same
run: a bare interpreter, and one importing Flask and SQLAlchemy (what every command needs at least).

    .venv/bin/python -m bench.cli_speed [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._support import BIN, figure

TARGET_SECONDS = 1.0
PASSWORD = "a long enough password\n"  # noqa: S105 - a throwaway account in a temporary database


def timed(args: list[str], env: dict[str, str], stdin: str = "") -> float:
    started = time.perf_counter()
    done = subprocess.run(args, env=env, input=stdin, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return elapsed


def median_of(runs: int, make_args, env: dict[str, str], stdin: str = "") -> float:
    return statistics.median(timed(make_args(i), env, stdin) for i in range(runs))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args(argv).runs
    moderato = str(BIN / "moderato")
    with tempfile.TemporaryDirectory(prefix="moderato-cli-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MODERATO_", "DATABASE_URL", "REDIS_URL"))}
        env.update(MODERATO_INSTANCE_PATH=str(Path(tmp) / "instance"),
                   DATABASE_URL=f"sqlite:///{Path(tmp) / 'moderato.sqlite3'}")
        timed([moderato, "db", "upgrade"], env)
        timed([moderato, "site", "create", "news", "--url", "https://news.example"], env)
        floor = median_of(runs, lambda _: [sys.executable, "-c", "pass"], env)
        flask_floor = median_of(runs, lambda _: [sys.executable, "-c", "import flask, sqlalchemy.orm"], env)
        commands = {
            "cli_help_seconds": lambda _: [moderato, "--help"],
            "cli_site_list_seconds": lambda _: [moderato, "site", "list"],
            "cli_site_create_seconds": lambda i: [moderato, "site", "create", f"s{i}", "--url", "https://s.example"],
            "cli_site_key_seconds": lambda _: [moderato, "site", "key", "news"],
            "cli_user_list_seconds": lambda _: [moderato, "user", "list"],
            "cli_db_upgrade_current_seconds": lambda _: [moderato, "db", "upgrade"],
        }
        results = {name: median_of(runs, make, env) for name, make in commands.items()}
        # Hashing the password with argon2 is part of this one: it is meant to cost time.
        results["cli_user_create_seconds"] = median_of(
            runs, lambda i: [moderato, "user", "create", f"u{i}@example.org", "--role", "admin", "--password-stdin"],
            env, PASSWORD)
    figure("cli_python_startup_seconds", f"{floor:.3f}")
    figure("cli_import_flask_sqlalchemy_seconds", f"{flask_floor:.3f}")
    for name, seconds in results.items():
        figure(name, f"{seconds:.3f}", TARGET_SECONDS)


if __name__ == "__main__":
    main()
