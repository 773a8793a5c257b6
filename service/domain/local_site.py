"""The development site `moderato serve` (`make run`) creates, and its API key kept across restarts.

API keys are stored as hashes, so the database can never show one again. For this one site the plain
key is also kept in the instance folder (`instance/local_site_key`, mode 0600: readable by the owner of
the instance only, like `instance/secret_key`), so every `make run` prints the same key and whatever was
configured with it keeps working. It is replaced only when asked (`moderato site key local --rotate`).
Deployments create their own sites (`moderato site create`) and never get such a file.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.orm import Session

from service.domain import sites
from service.domain.errors import NotFound, Unauthenticated

LOCAL_SITE = "local"
KEY_LABEL = "make-run"
KEY_FILE = "local_site_key"


def kept_key_path(instance: str | Path) -> Path:
    return Path(instance) / KEY_FILE


def kept_key(session: Session, instance: str | Path) -> str | None:
    """The kept key of the local site, if the file holds one that still authenticates as that site."""
    path = kept_key_path(instance)
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        return None
    try:
        site, _scope = sites.authenticate_key(session, key)
    except Unauthenticated:
        return None
    return key if site.name == LOCAL_SITE else None


def ensure_local_key(session: Session, instance: str | Path, url: str) -> tuple[str, bool]:
    """The local site's key, creating the site and a kept key the first time; returns (key, newly made)."""
    try:
        site = sites.get_site_by_name(session, LOCAL_SITE)
    except NotFound:
        issued = sites.create_site(session, LOCAL_SITE, url)
        # Only the kept key serves the local site: nobody saw the initial one.
        sites.revoke_keys(session, issued.site, "initial")
        site = issued.site
    key = kept_key(session, instance)
    if key is not None:
        return key, False
    return _replace_kept_key(session, site, instance), True


def rotate_local_key(session: Session, instance: str | Path) -> str:
    """Revoke the kept key of the local site and keep a new one."""
    return _replace_kept_key(session, sites.get_site_by_name(session, LOCAL_SITE), instance)


def _replace_kept_key(session: Session, site, instance: str | Path) -> str:
    sites.revoke_keys(session, site, KEY_LABEL)
    key = sites.issue_key(session, site, scope="full", label=KEY_LABEL).key
    _write_private(kept_key_path(instance), key)
    return key


def _write_private(path: Path, text: str) -> None:
    """Write `text` to `path` readable by its owner only, replacing any earlier file in one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text + "\n")
    os.replace(temporary, path)
