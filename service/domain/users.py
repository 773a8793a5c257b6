"""Moderator and admin accounts: password login with lockout, site scoping, personal API tokens."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from service.domain.errors import Conflict, FieldError, NotFound, Unauthenticated, ValidationFailed
from service.domain.secrets import new_token, token_hash, token_prefix
from service.storage.models import ApiToken, Site, User, UserSite

ROLES = ("admin", "moderator")
MIN_PASSWORD = 10
# Lockout: after FREE_ATTEMPTS failures each further failure doubles the wait, capped at MAX_LOCK.
FREE_ATTEMPTS = 5
FIRST_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(minutes=15)

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so a miss costs as much time as a wrong password.

    Made on first use: an argon2 hash at import cost every command line run a tenth of a second.
    """
    return _hasher.hash("not a real password, only for timing")


class LockedOut(Unauthenticated):
    """Too many failed logins: the account refuses passwords until `until`."""

    def __init__(self, until: datetime):
        super().__init__("too many failed logins; try again later")
        self.until = until


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def normalise_email(email: str) -> str:
    """Validate an account e-mail (syntax only) and return it lower-cased."""
    try:
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise ValidationFailed([FieldError("email", str(exc))]) from None


def create_user(session: Session, email: str, password: str, role: str, site_names: list[str] = ()) -> User:
    """Create an account; moderators are scoped to `site_names`, admins see every site."""
    errors = []
    try:
        email = normalise_email(email)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if role not in ROLES:
        errors.append(FieldError("role", f"must be one of {', '.join(ROLES)}"))
    if len(password or "") < MIN_PASSWORD:
        errors.append(FieldError("password", f"must be at least {MIN_PASSWORD} characters"))
    sites = _sites_named(session, site_names, errors)
    if role == "moderator" and not site_names:
        errors.append(FieldError("sites", "a moderator needs at least one site"))
    if errors:
        raise ValidationFailed(errors)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("an account with this e-mail already exists")
    user = User(email=email, password_hash=hash_password(password), role=role, is_active=True, failed_logins=0)
    session.add(user)
    session.flush()
    for site in sites:
        session.add(UserSite(user_id=user.id, site_id=site.id))
    session.flush()
    return user


def update_user(session: Session, user_id: int, *, role: str, site_names: list[str], is_active: bool,
                password: str | None = None) -> User:
    """Change an account's role, sites, active flag and (optionally) password."""
    user = get_user(session, user_id)
    errors = []
    if role not in ROLES:
        errors.append(FieldError("role", f"must be one of {', '.join(ROLES)}"))
    if password and len(password) < MIN_PASSWORD:
        errors.append(FieldError("password", f"must be at least {MIN_PASSWORD} characters"))
    sites = _sites_named(session, site_names, errors)
    if errors:
        raise ValidationFailed(errors)
    user.role, user.is_active = role, is_active
    if password:
        user.password_hash = hash_password(password)
    session.execute(delete(UserSite).where(UserSite.user_id == user.id))
    for site in sites:
        session.add(UserSite(user_id=user.id, site_id=site.id))
    session.flush()
    return user


def _sites_named(session: Session, names, errors: list[FieldError]) -> list[Site]:
    names = [n.strip() for n in names if n and n.strip()]
    found = list(session.scalars(select(Site).where(Site.name.in_(names)))) if names else []
    missing = sorted(set(names) - {s.name for s in found})
    if missing:
        errors.append(FieldError("sites", f"unknown site(s): {', '.join(missing)}"))
    return found


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    return user


def active_user(session: Session, user_id: int | None) -> User | None:
    """The account a session cookie names, if it still exists and is active."""
    if user_id is None:
        return None
    user = session.get(User, int(user_id))
    return user if user is not None and user.is_active else None


def authenticate_password(session: Session, email: str, password: str, now: datetime | None = None) -> User:
    """Return the account for a correct e-mail and password; count failures and lock out repeat offenders."""
    now = now or datetime.now(UTC)
    email = (email or "").strip().lower()
    user = session.scalar(select(User).where(User.email == email)) if email else None
    if user is None or not user.is_active:
        _verify(_dummy_hash(), password or "")
        raise Unauthenticated("wrong e-mail or password")
    locked_until = _aware(user.locked_until)
    if locked_until is not None and locked_until > now:
        raise LockedOut(locked_until)
    if not _verify(user.password_hash, password or ""):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= FREE_ATTEMPTS:
            wait = min(FIRST_LOCK * 2 ** (user.failed_logins - FREE_ATTEMPTS), MAX_LOCK)
            user.locked_until = now + wait
        session.flush()
        raise Unauthenticated("wrong e-mail or password")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:  # SQLite returns naive datetimes; we store UTC.
        return value.replace(tzinfo=UTC)
    return value


def site_ids_for(session: Session, user: User) -> set[int] | None:
    """The ids of the sites `user` may moderate; None means every site (admins)."""
    if user.role == "admin":
        return None
    return set(session.scalars(select(UserSite.site_id).where(UserSite.user_id == user.id)))


def visible_sites(session: Session, user: User) -> list[Site]:
    allowed = site_ids_for(session, user)
    query = select(Site).order_by(Site.name)
    if allowed is not None:
        query = query.where(Site.id.in_(allowed or {-1}))
    return list(session.scalars(query))


def site_for_user(session: Session, user: User, name: str) -> Site:
    """The site named `name` if `user` may moderate it; otherwise NotFound (never reveal it exists)."""
    site = session.scalar(select(Site).where(Site.name == name))
    allowed = site_ids_for(session, user)
    if site is None or (allowed is not None and site.id not in allowed):
        raise NotFound(f"no site named {name!r}")
    return site


def user_site_names(session: Session, user: User) -> list[str]:
    return list(session.scalars(
        select(Site.name).join(UserSite, UserSite.site_id == Site.id).where(UserSite.user_id == user.id)
        .order_by(Site.name)
    ))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def issue_token(session: Session, user: User, name: str) -> IssuedToken:
    """Create a personal API token; only its SHA-256 hash is kept."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed([FieldError("name", "must be 1-100 characters")])
    secret = new_token("mod_tok")
    token = ApiToken(user_id=user.id, name=name, prefix=token_prefix(secret), token_hash=token_hash(secret))
    session.add(token)
    session.flush()
    return IssuedToken(token, secret)


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def revoke_token(session: Session, user: User, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(f"no token {token_id}")
    if token.revoked_at is None:
        token.revoked_at = datetime.now(UTC)


def authenticate_token(session: Session, secret: str | None) -> User:
    """The active account owning a live personal API token, or Unauthenticated."""
    if not secret:
        raise Unauthenticated("missing API token")
    row = session.execute(
        select(User, ApiToken).join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == token_hash(secret), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row[0].is_active:
        raise Unauthenticated("unknown or revoked API token")
    row[1].last_used_at = datetime.now(UTC)
    return row[0]
