"""The command line as an operator meets it: quick commands import nothing heavy, say only what they have to,
fail in one clear line; the local site's key survives restarts and is replaced only when asked.

How fast the commands answer is measured in bench/cli_speed.py (never timed here)."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from service.domain import local_site
from service.domain.sites import authenticate_key

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sklearn", "scipy", "matplotlib", "skops", "numpy")
PROBE = """
import json, sys
sys.argv = ["moderato", *json.loads(sys.argv[1])]
from service.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules if "." not in m)}), file=sys.stderr)
"""


def moderato_env(instance: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MODERATO_", "DATABASE_URL", "REDIS_URL",
                                                                     "BROKER_URL", "PROMETHEUS_"))}
    env["MODERATO_INSTANCE_PATH"] = str(instance)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def probe(args: list[str], env: dict[str, str], stdin: str = "") -> tuple[int, str, str, set[str]]:
    """Run the `moderato` entry point in a fresh interpreter: exit code, stdout, stderr, top-level modules."""
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)
    *stderr, report = done.stderr.splitlines()
    found = json.loads(report)
    return found["code"], done.stdout, "\n".join(stderr), set(found["modules"])


@pytest.fixture
def migrated(tmp_path, sqlite_template) -> tuple[Path, str]:
    shutil.copy(sqlite_template, tmp_path / "db.sqlite3")
    return tmp_path / "instance", f"sqlite:///{tmp_path / 'db.sqlite3'}"


def test_help_lists_every_command_without_importing_scikit_learn(tmp_path):
    code, out, err, modules = probe(["--help"], moderato_env(tmp_path / "instance"))
    assert code == 0 and err == ""
    for group in ("compat", "db", "gdpr", "import", "model", "serve", "site", "user"):
        assert f"  {group} " in out
    assert not modules & {*HEAVY, "flask", "sqlalchemy"}, modules & {*HEAVY, "flask", "sqlalchemy"}


def test_help_lists_each_command_with_its_own_summary():
    from service.cli import COMMANDS, load_command

    for name, (_module, _attribute, summary) in COMMANDS.items():
        assert load_command(name).get_short_help_str(limit=1000) == summary, name


def test_site_user_and_key_commands_stay_light_and_quiet(migrated):
    instance, url = migrated
    env = moderato_env(instance, url)
    for args, stdin in ((["site", "create", "blog", "--url", "https://blog.example"], ""),
                        (["site", "key", "blog", "--scope", "submit"], ""),
                        (["site", "list"], ""),
                        (["user", "create", "boss@example.org", "--role", "admin", "--password-stdin"],
                         "a long admin password\n"),
                        (["user", "list"], "")):
        code, out, err, modules = probe(args, env, stdin)
        assert code == 0, (args, err)
        assert err == "", (args, err)  # no log lines on a normal command
        assert out.strip(), args
        assert not modules & {*HEAVY, "alembic", "celery"}, (args, modules & {*HEAVY, "alembic", "celery"})


def test_db_upgrade_says_what_changed_in_one_line(tmp_path):
    env = moderato_env(tmp_path / "instance", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    code, out, err, _ = probe(["db", "upgrade"], env)
    assert code == 0 and err == ""
    assert re.fullmatch(r"Database upgraded from an empty database to \w+ \(sqlite\)\.\n", out), out
    code, out, err, _ = probe(["db", "upgrade"], env)
    assert code == 0 and err == "" and out.startswith("Database already at ")


def test_a_database_without_tables_is_one_line_saying_what_to_run(tmp_path):
    env = moderato_env(tmp_path / "instance", f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    code, out, err, _ = probe(["site", "list"], env)
    assert code == 1 and out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("Error: ") and "moderato db upgrade" in err and "Traceback" not in err


def test_an_unreachable_database_is_one_line(tmp_path):
    env = moderato_env(tmp_path / "instance", "postgresql://nobody@127.0.0.1:1/none")
    code, _, err, _ = probe(["user", "list"], env)
    assert code == 1 and len(err.splitlines()) == 1 and "cannot reach the database" in err, err


def test_the_local_key_is_kept_across_restarts_and_replaced_only_when_asked(app, runner):
    instance = Path(app.instance_path)
    with app.extensions["db"].session() as s:
        first, made = local_site.ensure_local_key(s, instance, "http://127.0.0.1:8000/")
    assert made
    with app.extensions["db"].session() as s:
        again, made = local_site.ensure_local_key(s, instance, "http://127.0.0.1:8000/")
    assert (again, made) == (first, False)  # what `moderato serve` does on the next start
    mode = stat.S_IMODE((instance / local_site.KEY_FILE).stat().st_mode)
    assert mode == 0o600, oct(mode)

    shown = runner.invoke(args=["site", "key", "local", "--show"])
    assert shown.exit_code == 0 and shown.output.strip() == first

    rotated = runner.invoke(args=["site", "key", "local", "--rotate"])
    assert rotated.exit_code == 0, rotated.output
    new = rotated.output.strip().splitlines()[-1].rsplit(" ", 1)[-1]
    assert new != first and runner.invoke(args=["site", "key", "local", "--show"]).output.strip() == new
    with app.extensions["db"].session() as s:
        with pytest.raises(Exception, match="revoked"):
            authenticate_key(s, first)
        assert authenticate_key(s, new)[0].name == "local"
        assert local_site.ensure_local_key(s, instance, "http://127.0.0.1:8000/") == (new, False)


def test_show_refuses_a_site_whose_key_nobody_kept(app, runner, site_key):
    result = runner.invoke(args=["site", "key", "news", "--show"])
    assert result.exit_code == 1 and "stored hashed" in result.output and site_key not in result.output
