"""Imports run one way: classifier <- service <- worker (the house style's layering)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# package -> the first-party packages it must never import
FORBIDDEN = {"classifier": ("service", "worker"), "service": ("worker",)}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports, at any depth (function-level imports count too)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def test_no_package_imports_a_layer_above_it():
    offences = []
    for package, forbidden in FORBIDDEN.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, module in imported_modules(path):
                if module.split(".")[0] in forbidden:
                    offences.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert offences == []


def test_the_worker_entry_point_registers_every_task_and_the_intake_pump(tmp_path):
    """`celery -A worker.app ...` loads the service's Celery app with the worker's tasks and bootsteps."""
    code = (
        "from worker.app import celery\n"
        "celery.finalize()\n"
        "print(sorted(n for n in celery.tasks if n.startswith('moderato.')))\n"
        "print(sorted(s.__name__ for s in celery.steps['worker']))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MODERATO_", "DATABASE_URL", "REDIS_URL"))}
    env["MODERATO_INSTANCE_PATH"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120, check=True).stdout.splitlines()
    from service import tasks_app

    names = {getattr(tasks_app, n) for n in ("SCORE_COMMENTS", "RELAY_PENDING", "RETRAIN", "RETRAIN_NIGHTLY",
                                             "RESCORE_HELD", "DELIVER_WEBHOOK", "SWEEP_WEBHOOKS", "PURGE_RETENTION")}
    assert names <= set(ast.literal_eval(out[0]))
    assert "IntakePump" in ast.literal_eval(out[1])
