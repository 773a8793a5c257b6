"""Configuration: code defaults, then the instance file, then MODERATO_* env vars, then the test dict."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULTS: dict[str, object] = {
    # Storage: a SQLite file in the instance folder unless DATABASE_URL says otherwise.
    "DATABASE_URL": None,
    # Broker: kombu's filesystem transport under the instance folder unless REDIS_URL/BROKER_URL is set.
    "REDIS_URL": None,
    "BROKER_URL": None,
    # Where model versions live on disk (each version one folder of skops files and JSON sidecars).
    "MODEL_DIR": None,
    # How often a worker checks the database for a newly activated model version, in seconds.
    "MODEL_REFRESH_SECONDS": 5.0,
    # Submission limits.
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "CHECK_EMAIL_DELIVERABILITY": False,
    # Default routing thresholds (a site's own settings override them).
    "SPAM_HOLD_THRESHOLD": 0.5,
    "SPAM_REJECT_THRESHOLD": 0.97,
    "TOXICITY_HOLD_THRESHOLD": 0.5,
    # Outbox relay: comments still pending after this many seconds are enqueued again.
    "RELAY_AFTER_SECONDS": 30,
    # The relay re-sends one comment at most once per this many seconds (default: 10 x RELAY_AFTER_SECONDS).
    "RELAY_MARKER_SECONDS": None,
    # Scoring batches (Redis broker): at most this many comments per task; the pump waits this long after
    # the first id for more, and publishes only while fewer than INTAKE_BACKLOG tasks wait in the scoring
    # queue (see worker/intake.py).
    "INTAKE_BATCH_MAX": 500,
    "INTAKE_BACKLOG": 1,
    # 50 ms: at 350-400 comments/s a batch of ~20 instead of ~8 cut the worker's CPU per comment by a fifth
    # (bench/e2e.py's machine), for 30 ms more latency than 20 ms gave.
    "INTAKE_LINGER_SECONDS": 0.05,
    # A web process remembers an authenticated site key this many seconds (0: ask the database every time).
    "AUTH_CACHE_SECONDS": 10.0,
    # Rate limits on submissions (Flask-Limiter notation); sites may set their own.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_PER_KEY": "100/second;3000/minute",
    "RATELIMIT_PER_IP": "20/second;600/minute",
    "RATELIMIT_STORAGE_URI": None,
    # Wrong Akismet keys one client address may present before it is refused for the rest of the window.
    "AKISMET_KEY_FAILURE_LIMIT": "20/hour",
    # Retention: rejected spam and stored IP addresses are purged after this many days.
    "RETENTION_SPAM_DAYS": 15,
    "RETENTION_IP_DAYS": 30,
    # Optional nightly retrain on the training queue (off by default).
    "RETRAIN_NIGHTLY": False,
    "RETRAIN_NIGHTLY_HOUR": 3,
    "RETRAIN_NIGHTLY_AUTO_PROMOTE": False,
    "WEBHOOK_TIMEOUT_SECONDS": 10.0,
    # The decisions feed holds back the newest seconds so a cursor never skips a late commit.
    "DECISIONS_FEED_SETTLE_SECONDS": 2.0,
    "SECRET_KEY": None,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "LOG_LEVEL": "INFO",
    # How many reverse proxies in front of Moderato set each X-Forwarded-* header (0: do not trust it).
    "PROXY_FIX_X_FOR": 0,
    "PROXY_FIX_X_PROTO": 0,
    "PROXY_FIX_X_HOST": 0,
    "PROXY_FIX_X_PORT": 0,
    "PROXY_FIX_X_PREFIX": 0,
}


class ConfigError(RuntimeError):
    """Raised when the configuration cannot be used; the message says which setting and why."""


def apply_env_aliases(config: dict) -> None:
    """Take the conventional unprefixed DATABASE_URL and REDIS_URL env vars as well as MODERATO_*."""
    for name in ("DATABASE_URL", "REDIS_URL", "BROKER_URL"):
        value = os.environ.get(name)
        if value and not config.get(name):
            config[name] = value


def finalise(config: dict, instance_path: str) -> None:
    """Fill derived settings and fail fast with a clear message on unusable ones."""
    instance = Path(instance_path)
    if not config.get("DATABASE_URL"):
        config["DATABASE_URL"] = f"sqlite:///{instance / 'moderato.sqlite3'}"
    if not config.get("MODEL_DIR"):
        config["MODEL_DIR"] = str(instance / "models")
    if not config.get("BROKER_URL"):
        config["BROKER_URL"] = config.get("REDIS_URL") or "filesystem://"
    url = str(config["DATABASE_URL"])
    if not url.startswith(("sqlite", "postgresql")):
        raise ConfigError(f"DATABASE_URL must be a sqlite:// or postgresql:// URL, got {url.split(':', 1)[0]}://")
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we install; SQLAlchemy's bare postgresql:// means psycopg2.
        config["DATABASE_URL"] = "postgresql+psycopg://" + url[len("postgresql://"):]
    for key in ("SPAM_HOLD_THRESHOLD", "SPAM_REJECT_THRESHOLD", "TOXICITY_HOLD_THRESHOLD"):
        value = float(config[key])
        if not 0.0 <= value <= 1.0:
            raise ConfigError(f"{key} must be between 0 and 1, got {value}")
        config[key] = value
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = _instance_secret(instance)


def _instance_secret(instance: Path) -> str:
    """Read (or create once) a random secret key kept in the instance folder, readable by its owner only."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    import secrets

    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
