"""Fixtures for the compatibility APIs: the real `akismet` client routed to the app, site settings, texts."""

from __future__ import annotations

import akismet
import httpx
import pytest
from compat_texts import SITE_URL
from sqlalchemy import select

from service.storage.models import Site


@pytest.fixture
def wsgi_http(app):
    """An httpx client whose requests, to any host, are served by the app in-process."""
    with httpx.Client(transport=httpx.WSGITransport(app=app), headers={"User-Agent": akismet.USER_AGENT},
                      timeout=10.0) as client:
        yield client


@pytest.fixture
def akismet_client(site_key, wsgi_http):
    """The real PyPI `akismet` client, configured with the `news` site's key and URL."""
    return akismet.SyncClient(config=akismet.Config(key=site_key, url=SITE_URL), http_client=wsgi_http)


@pytest.fixture
def configure_site(app, site_key):
    """Merge settings into the `news` site's settings."""
    def configure(**settings):
        with app.extensions["db"].session() as session:
            site = session.scalar(select(Site).where(Site.name == "news"))
            site.settings = {**(site.settings or {}), **settings}

    return configure
