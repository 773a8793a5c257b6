"""`make bench`: run every bench/*.py module in its own process, then print one line per figure.

Each module prints result lines `name=value` or `name=value target=value` on stdout; anything else it
prints goes by. A module that fails or runs over its time budget is reported, and the others still run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
FIGURE = re.compile(r"^([A-Za-z_][\w.]*)=(\S+)(?:\s+target=(\S+))?\s*$")
# Ours first in a sensible order; anything else found in bench/ (other engineers' benches) after.
ORDER = ("ingest", "scoring", "e2e")
BUDGET_SECONDS = int(os.environ.get("MODERATO_BENCH_BUDGET", "480"))


def modules() -> list[str]:
    names = sorted(p.stem for p in BENCH.glob("*.py") if not p.stem.startswith("_"))
    return [n for n in ORDER if n in names] + [n for n in names if n not in ORDER]


def main(argv: list[str]) -> int:
    wanted = argv or modules()
    figures: list[tuple[str, str, str | None, str]] = []
    failures = []
    for name in wanted:
        print(f"== bench.{name}", flush=True)
        started = time.monotonic()
        try:
            proc = subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=BENCH.parent, text=True,
                                  stdout=subprocess.PIPE, timeout=BUDGET_SECONDS)
            output, code = proc.stdout, proc.returncode
        except subprocess.TimeoutExpired as exc:
            partial = exc.stdout or ""
            output, code = partial.decode() if isinstance(partial, bytes) else partial, -1
            failures.append(f"{name}: over its {BUDGET_SECONDS}s budget")
        print(output, end="", flush=True)
        if code not in (0, -1):
            failures.append(f"{name}: exit code {code}")
        for line in output.splitlines():
            if match := FIGURE.match(line.strip()):
                figures.append((match.group(1), match.group(2), match.group(3), name))
        print(f"== bench.{name} took {time.monotonic() - started:.0f}s", flush=True)
    print("\n== summary (figures from this run; targets where the issue sets one)")
    for failure in failures:
        print(f"# FAILED {failure}")
    for key, value, _target, _module in [f for f in figures if f[2] is None]:
        print(f"{key}={value}")
    for key, value, target, _module in [f for f in figures if f[2] is not None]:
        print(f"{key}={value} target={target}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
