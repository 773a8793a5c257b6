"""Table models. Every table of the service is declared here; Alembic migrations mirror them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit id.
BigId = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict: JSON, list: JSON}


class Site(Base):
    """A website whose comments Moderato moderates; `settings` holds its rules and thresholds."""

    __tablename__ = "sites"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    settings: Mapped[dict] = mapped_column(default=dict)
    webhook_url: Mapped[str | None] = mapped_column(String(2000))
    webhook_secret: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiKey(Base):
    """A site's API key, stored as a SHA-256 hash (keys are long random tokens, so no slow hash is needed)."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str | None] = mapped_column(String(100))
    # "full": submit and read a site's comments; "submit": publishable, may only submit (HTML forms).
    scope: Mapped[str] = mapped_column(String(16), default="full")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    site: Mapped[Site] = relationship()


class Comment(Base):
    """A submitted comment and its current status; the decision history lives in `decisions`."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    thread: Mapped[str] = mapped_column(String(2000))
    parent_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("comments.id", ondelete="SET NULL"))
    content: Mapped[str] = mapped_column(Text)
    author_name: Mapped[str] = mapped_column(String(100))
    author_email: Mapped[str | None] = mapped_column(String(320))
    # sha256 of the normalised e-mail: author history and bans match on it without reading the address.
    author_email_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    author_url: Mapped[str | None] = mapped_column(String(2000))
    user_ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(1000))
    referrer: Mapped[str | None] = mapped_column(String(2000))
    language: Mapped[str | None] = mapped_column(String(35))
    # pending, approved, held, rejected
    status: Mapped[str] = mapped_column(String(16), default="pending")
    spam_score: Mapped[float | None] = mapped_column(Float)
    toxicity_score: Mapped[float | None] = mapped_column(Float)
    scores: Mapped[dict | None]
    reasons: Mapped[list | None]
    explanation: Mapped[dict | None]
    model_version: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(32), default="api")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    # Outbox bookkeeping: when the scoring task was last handed to the broker, and how often.
    enqueued_at: Mapped[datetime | None]
    enqueue_attempts: Mapped[int] = mapped_column(default=0)
    site: Mapped[Site] = relationship()

    __table_args__ = (
        Index("ix_comments_site_status_created", "site_id", "status", "created_at"),
        Index("ix_comments_status_created", "status", "created_at"),
        Index("ix_comments_site_thread", "site_id", "thread"),
    )


class Decision(Base):
    """One routing decision, automatic or human: who, when, from what to what, why, with which model."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    comment_id: Mapped[int] = mapped_column(BigId, ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    # "automatic" (the scoring pipeline) or "human" (a moderator or an API client's feedback)
    kind: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(320))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str | None] = mapped_column(String(32))
    reasons: Mapped[list] = mapped_column(default=list)
    model_version: Mapped[str | None] = mapped_column(String(64))
    spam_score: Mapped[float | None] = mapped_column(Float)
    toxicity_score: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        # At-least-once delivery may run the scoring task twice; this makes the second insert fail.
        Index(
            "uq_decisions_one_automatic",
            "comment_id",
            unique=True,
            sqlite_where=text("kind = 'automatic'"),
            postgresql_where=text("kind = 'automatic'"),
        ),
        Index("ix_decisions_created", "created_at", "id"),
    )


class User(Base):
    """A moderator or admin account."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16))  # admin | moderator
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]


class UserSite(Base):
    """Which sites a moderator may see and act on."""

    __tablename__ = "user_sites"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True)


class ApiToken(Base):
    """A personal API token for the moderation JSON API, stored hashed, revocable."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class AuthorStanding(Base):
    """A site's trust or ban of an author, keyed by the e-mail hash."""

    __tablename__ = "author_standings"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    author_email_hash: Mapped[str] = mapped_column(String(64))
    standing: Mapped[str] = mapped_column(String(16))  # trusted | banned
    created_by: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (UniqueConstraint("site_id", "author_email_hash", name="uq_author_standing"),)


class Label(Base):
    """A training example with provenance: seed, import, moderator decision or API feedback."""

    __tablename__ = "labels"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"), index=True)
    comment_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("comments.id", ondelete="SET NULL"), unique=True
    )
    text: Mapped[str] = mapped_column(Text)
    author_name: Mapped[str | None] = mapped_column(String(200))
    author_url: Mapped[str | None] = mapped_column(String(2000))
    label_spam: Mapped[int | None]
    label_toxic: Mapped[int | None]
    source: Mapped[str] = mapped_column(String(64))  # moderator | import:<format> | akismet | perspective
    provenance: Mapped[dict] = mapped_column(default=dict)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ModelVersion(Base):
    """One trained model head on disk; exactly one row per head is active."""

    __tablename__ = "model_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    head: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64))
    # candidate | active | retired | failed
    state: Mapped[str] = mapped_column(String(16), default="candidate")
    metrics: Mapped[dict] = mapped_column(default=dict)
    thresholds: Mapped[dict] = mapped_column(default=dict)
    training_run_id: Mapped[int | None] = mapped_column(ForeignKey("training_runs.id", ondelete="SET NULL"))
    shadow: Mapped[bool] = mapped_column(Boolean, default=False)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[datetime | None]
    __table_args__ = (
        UniqueConstraint("version", "head", name="uq_model_version_head"),
        Index(
            "uq_model_versions_one_active",
            "head",
            unique=True,
            sqlite_where=text("state = 'active'"),
            postgresql_where=text("state = 'active'"),
        ),
    )


class ModelActivation(Base):
    """One activation of a model version for a head: the history `moderato model rollback` walks back.

    A rollback marks the activation it undoes (`rolled_back_at`) and re-activates the one before, so a
    second rollback goes one step further back instead of returning to the version it just left.
    """

    __tablename__ = "model_activations"
    id: Mapped[int] = mapped_column(primary_key=True)
    model_version_id: Mapped[int] = mapped_column(ForeignKey("model_versions.id", ondelete="CASCADE"), index=True)
    head: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(64))
    activated_at: Mapped[datetime] = mapped_column(default=utcnow)
    rolled_back_at: Mapped[datetime | None]
    __table_args__ = (Index("ix_model_activations_head_id", "head", "id"),)


class TrainingRun(Base):
    """A retrain: its progress while it runs, and its evaluation report when done."""

    __tablename__ = "training_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued|running|succeeded|failed
    stage: Mapped[str | None] = mapped_column(String(64))
    percent: Mapped[float] = mapped_column(Float, default=0.0)
    params: Mapped[dict] = mapped_column(default=dict)
    report: Mapped[dict | None]
    error: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str | None] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class ShadowScore(Base):
    """A shadow candidate's scores for a comment and the status it would have given, beside the real one."""

    __tablename__ = "shadow_scores"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    comment_id: Mapped[int] = mapped_column(BigId, ForeignKey("comments.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(64))
    scores: Mapped[dict]
    status: Mapped[str] = mapped_column(String(16))
    active_status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (
        UniqueConstraint("comment_id", "version", name="uq_shadow_score_comment_version"),
        Index("ix_shadow_scores_version_created", "version", "created_at"),
    )


class WebhookDelivery(Base):
    """One webhook POST to a site, retried with backoff until delivered or given up."""

    __tablename__ = "webhook_deliveries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("comments.id", ondelete="SET NULL"))
    decision_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("decisions.id", ondelete="SET NULL"))
    payload: Mapped[dict]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|delivered|failed
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdempotencyKey(Base):
    """The first response to a POST carrying an Idempotency-Key, replayed to retries for 24 hours."""

    __tablename__ = "idempotency_keys"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response_body: Mapped[dict]
    headers: Mapped[dict] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (UniqueConstraint("site_id", "key", name="uq_idempotency_site_key"),)
