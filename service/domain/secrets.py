"""Random credentials and their hashes: keys and tokens are high-entropy, so SHA-256 suffices at rest."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token(prefix: str) -> str:
    """Return a new credential such as `mod_site_3f9a...` (the prefix tells what it is in logs and leaks)."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def token_prefix(token: str) -> str:
    """The non-secret start of a token, shown in UIs so people can tell keys apart."""
    return token[: min(len(token), 14)]


def email_hash(normalised_email: str) -> str:
    """Stable hash of an e-mail address used to match authors without reading the address."""
    return hashlib.sha256(normalised_email.strip().lower().encode("utf-8")).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
