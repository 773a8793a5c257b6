"""Links and e-mail addresses in comment text, reduced to registrable domains with the bundled suffix list."""

from __future__ import annotations

import functools
import re

import tldextract

# Top-level labels accepted for bare domains without a scheme ("cheap-pills.com"): the public suffix
# list alone would turn "hello.world" or "end.now" typed without a space into links.
_BARE_TLDS = frozenset(
    {
        "com", "net", "org", "info", "biz", "io", "co", "me", "ly", "tk", "ml", "ga", "cf", "gq", "xyz", "top",
        "online", "site", "club", "shop", "store", "app", "dev", "live", "link", "click", "win", "bid", "loan",
        "vip", "pro", "mobi", "tv", "cc", "ws", "su", "ru", "ua", "cn", "uk", "de", "fr", "it", "es", "nl", "pl",
        "br", "in", "au", "ca", "us", "jp", "be", "ch", "at", "se", "no", "eu", "gl", "gd", "to", "ro", "cz",
        "hu", "gr", "pt", "ie", "nz", "za", "mx", "ar", "tr", "ir", "kr", "tw", "hk", "sg", "my", "id", "ph",
        "vn", "th", "pk", "ng", "ke",
    }
)

TAG_OR_LINK = re.compile(
    r"(?P<tag><[a-zA-Z/!][^<>]{0,2000}>)"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<email>(?<![\w.+-])[\w.+-]{1,64}@(?:[\w-]{1,63}\.)+[a-zA-Z]{2,24}\b)"
    r"|(?P<url>(?:https?://|www\.)[^\s<>\"'\]\[]{1,2000}"
    r"|(?<![\w@.-])(?:[a-zA-Z0-9][a-zA-Z0-9-]{0,62}\.)++[a-zA-Z]{2,24}\b(?:/[^\s<>\"']{0,2000})?)"
)
_HREF = re.compile(r"""(?:href|src)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_TRAILING = ".,;:!?)]}'\""


@functools.cache
def _extractor() -> tldextract.TLDExtract:
    # No suffix-list URLs and no cache dir: the snapshot shipped in the package, never the network.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def strip_trailing_punctuation(url: str) -> str:
    """Drop sentence punctuation glued to the end of a link ("see x.com/a." -> "x.com/a")."""
    return url.rstrip(_TRAILING)


@functools.lru_cache(maxsize=65536)
def registrable_domain(url: str) -> str | None:
    """Return the registrable domain of a URL or host ("http://a.b.co.uk/x" -> "b.co.uk"), or None."""
    host = _SCHEME.sub("", url.strip()).split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].strip(".").lower()
    if not host or len(host) > 253:
        return None
    parts = _extractor()(host)
    if parts.suffix and parts.domain:
        return f"{parts.domain}.{parts.suffix}"
    return parts.domain or None


def is_bare_domain_link(match_text: str) -> bool:
    """Tell whether a scheme-less match is a link ("shop.xyz") rather than words ("e.g.", "end.now")."""
    if match_text.lower().startswith("www."):
        return True
    host = match_text.split("/", 1)[0]
    return host.rsplit(".", 1)[-1].lower() in _BARE_TLDS


def href_domain(tag: str) -> str | None:
    """Return the registrable domain an HTML tag links to (href or src), or None."""
    found = _HREF.search(tag)
    if not found or not _SCHEME.match(found.group(1)) and not found.group(1).lower().startswith("www."):
        return None
    return registrable_domain(found.group(1))


def email_domain(address: str | None) -> str | None:
    """Return the lower-cased domain of an e-mail address, or None."""
    if not address or "@" not in address:
        return None
    return address.rsplit("@", 1)[1].strip().strip(">").lower() or None
