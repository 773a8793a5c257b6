"""docker-compose.yml as Debian's docker-compose reads it (`docker-compose config`; Docker itself does not run
here): the order the services start in, and secrets that come from the environment, never the file."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MODERATO_SERVICES = ("web", "worker", "training-worker", "beat")


def compose_config(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    if shutil.which("docker-compose") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("docker-compose is required in CI (apt-get install -y docker-compose)")
        pytest.skip("docker-compose is not installed (apt-get install -y docker-compose)")
    # A copy without any .env a developer keeps in the checkout, so only `env` supplies the secrets.
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    clean = {k: v for k, v in os.environ.items() if k not in ("MODERATO_SECRET_KEY", "POSTGRES_PASSWORD")}
    return subprocess.run(["docker-compose", "--project-directory", str(tmp_path), "-f",
                           str(tmp_path / "docker-compose.yml"), "config"],
                          env={**clean, **env}, capture_output=True, text=True, timeout=60)


def test_compose_starts_everything_after_a_successful_migrate_with_secrets_from_the_environment(tmp_path):
    done = compose_config({"MODERATO_SECRET_KEY": "k" * 64, "POSTGRES_PASSWORD": "pw-from-env"}, tmp_path)
    assert done.returncode == 0, done.stderr
    services = yaml.safe_load(done.stdout)["services"]
    for name in MODERATO_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["postgres"]["condition"] == "service_healthy"
        env = services[name]["environment"]
        assert env["DATABASE_URL"] == "postgresql://moderato:pw-from-env@postgres:5432/moderato"
        assert env["MODERATO_SECRET_KEY"] == "k" * 64
        assert env["PROMETHEUS_MULTIPROC_DIR"] in " ".join(services[name]["volumes"])
    assert "migrate" not in services["migrate"]["depends_on"]
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == "pw-from-env"
    assert "pw-from-env" not in (ROOT / "docker-compose.yml").read_text()


def test_compose_refuses_to_start_without_the_database_password(tmp_path):
    done = compose_config({"MODERATO_SECRET_KEY": "k" * 64}, tmp_path)
    assert done.returncode != 0 and "POSTGRES_PASSWORD" in done.stderr


def test_the_env_example_names_every_variable_compose_requires(tmp_path):
    """Copying .env.example to .env and filling it in is all compose needs (as docs/operations.md says)."""
    lines = (ROOT / ".env.example").read_text().splitlines()
    filled = [f"{line}secret-value" if line.endswith("=") and not line.startswith("#") else line for line in lines]
    (tmp_path / ".env").write_text("\n".join(filled) + "\n")
    done = compose_config({}, tmp_path)
    assert done.returncode == 0, done.stderr
    web = yaml.safe_load(done.stdout)["services"]["web"]
    assert web["environment"]["MODERATO_SECRET_KEY"] == "secret-value"
