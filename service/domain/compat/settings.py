"""The per-site settings the compatibility APIs read, and how to change them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.domain.compat.coral import SECRET_SETTING
from service.domain.errors import FieldError, ValidationFailed
from service.domain.sites import get_site_by_name

# Switches an operator may flip; each defaults to off.
SWITCHES = {
    "perspective-store": "perspective_store_comments",
    "coral-store": "coral_store_comments",
}
MIN_SECRET_LENGTH = 16


def set_switch(session: Session, site_name: str, switch: str, on: bool) -> None:
    """Turn one of SWITCHES on or off for the named site."""
    if switch not in SWITCHES:
        raise ValidationFailed([FieldError("switch", f"must be one of {', '.join(SWITCHES)}")])
    _update(session, site_name, SWITCHES[switch], on)


def set_coral_secret(session: Session, site_name: str, secret: str | None) -> None:
    """Store the signing secret Coral shows for its external moderation phase (None removes it)."""
    if secret is not None:
        secret = secret.strip()
        if len(secret) < MIN_SECRET_LENGTH:
            raise ValidationFailed([FieldError("secret", f"must be at least {MIN_SECRET_LENGTH} characters")])
    _update(session, site_name, SECRET_SETTING, secret)


def _update(session: Session, site_name: str, name: str, value: object) -> None:
    site = get_site_by_name(session, site_name)
    # A new dict, so SQLAlchemy sees the JSON column change.
    settings = {k: v for k, v in (site.settings or {}).items() if k != name}
    if value is not None:
        settings[name] = value
    site.settings = settings
