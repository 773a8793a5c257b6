"""The README's quick start, as a newcomer runs it: `make run` in a fresh copy of the repository, the README's
commands as written, then the UI in Chromium: log in as the first admin, approve the held comment, start a
retrain. Bounded: one server for the module, started once (first start trains the default model)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.service.serving import Served, clean_env, free_port

ROOT = Path(__file__).resolve().parent.parent
ADMIN, PASSWORD = "admin@example.org", "correct horse battery staple"


def quick_start_blocks() -> list[str]:
    """The ```sh blocks of the README's quick start, in order (its subsections included)."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Quick start"):]
    section = section[:re.search(r"^## (?!#)", section[3:], re.M).start() + 3]
    return re.findall(r"```sh\n(.*?)```", section, re.S)


def fresh_copy(target: Path) -> Path:
    """The repository's files as a fresh clone has them (tracked and new, nothing ignored: no instance/),
    sharing this checkout's virtual environment so `make` finds it installed and installs nothing."""
    names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, names):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    installed = (ROOT / ".venv" / ".installed").stat().st_mtime
    os.utime(target / "pyproject.toml", (installed - 60, installed - 60))
    return target


def run_block(block: str, cwd: Path, env: dict[str, str], stdin: str = "") -> str:
    done = subprocess.run(["bash", "-eo", "pipefail", "-c", block], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{block}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory):
    """`make run PORT=...` in a fresh copy, then the README's quick-start commands, outputs kept."""
    blocks = quick_start_blocks()
    assert "make run" in blocks[0], blocks[0]
    clone = fresh_copy(tmp_path_factory.mktemp("clone"))
    # The copy's own code, not the checkout the shared environment was installed from.
    env = clean_env(PYTHONPATH=str(clone))
    port = free_port()
    served = Served(["make", "run", f"PORT={port}"], port, env, cwd=clone, startup_seconds=300)
    try:
        base = "http://127.0.0.1:8000"
        api = blocks[1]
        assert base in api and "KEY=mod_key_..." in api
        api = re.sub(r"^KEY=mod_key_\.\.\..*$", f"KEY={served.key}", api.replace(base, served.base), flags=re.M)
        outputs = {"api": run_block(api, clone, env),
                   "admin": run_block(blocks[2], clone, env, stdin=f"{PASSWORD}\n{PASSWORD}\n"),
                   "readme_api": blocks[1], "clone": clone}
        yield served, outputs
    finally:
        served.stop()


def test_the_quick_start_commands_work_as_written(quickstart):
    served, out = quickstart
    assert "Moderato is serving on" in "".join(served.log)
    posted, decided = out["api"].split("\n{", 1)
    assert re.search(r"^HTTP/1.1 202", posted, re.M) and "Location: /api/v1/comments/1" in posted, posted
    promised = re.search(r'"status": "(\w+)"', out["readme_api"]).group(1)
    assert f'"status":"{promised}"' in ("{" + decided).replace(" ", ""), decided
    assert f"Created admin {ADMIN}." in out["admin"]
    # The front door: / leads to the login page, which is served.
    status, url, html = served.get("/")
    assert status == 200 and url.endswith("/login") and "Log in" in html
    # The key is kept: the instance folder holds it and the CLI shows it again.
    shown = subprocess.run([str(out["clone"] / ".venv" / "bin" / "moderato"), "site", "key", "local", "--show"],
                           cwd=out["clone"], env=clean_env(PYTHONPATH=str(out["clone"])), capture_output=True,
                           text=True, timeout=60)
    assert shown.stdout.strip() == served.key, shown.stderr


@pytest.mark.browser
def test_a_newcomer_logs_in_approves_the_held_comment_and_starts_a_retrain(quickstart, chromium_browser):
    """The path the README describes, in Chromium: nothing but the README and the pages."""
    served, _ = quickstart
    context = chromium_browser.new_context(viewport={"width": 1920, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(served.base + "/")
        page.fill("input[name=email]", ADMIN)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(served.base + "/moderate")
        held = page.locator("#c-1")
        assert "held" in held.inner_text().lower()
        assert held.locator("mark").count() >= 1  # the words that raised its score
        assert held.locator("select[name=reason_code]").input_value() == "spam"  # held as spam
        held.locator("button.btn-approve").click()
        page.wait_for_selector(".flash")
        assert "Comment 1 approved" in page.locator(".flash").inner_text()
        assert served.request("/api/v1/comments/1")[1]["status"] == "approved"

        page.click("nav >> text=Training")
        page.wait_for_url(served.base + "/admin/training")
        page.click("button:has-text('Retrain')")
        page.wait_for_selector("h1:has-text('Run #')")
        deadline = time.monotonic() + 60
        while "queued" in page.locator("h1").inner_text() and time.monotonic() < deadline:
            page.reload()  # the make run worker takes the training queue too
        assert re.search(r"Run #\d+ \(retrain\): (running|succeeded)", page.locator("h1").inner_text())
    finally:
        context.close()
