"""The `moderato` command line: sites and their keys (`serve` end to end: test_serve.py)."""

from __future__ import annotations

import re

from sqlalchemy import select

from service.storage.models import ApiKey, Site


def test_site_create_prints_a_key_once_and_stores_only_its_hash(app, runner):
    result = runner.invoke(args=["site", "create", "blog", "--url", "https://blog.example"])
    assert result.exit_code == 0, result.output
    key = re.search(r"(mod_key_\S+)", result.output).group(1)
    with app.extensions["db"].session() as session:
        site = session.scalar(select(Site).where(Site.name == "blog"))
        stored = session.scalars(select(ApiKey).where(ApiKey.site_id == site.id)).all()
    assert len(stored) == 1 and key not in (stored[0].key_hash, stored[0].prefix)
    again = runner.invoke(args=["site", "create", "blog", "--url", "https://blog.example"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_site_create_refuses_a_bad_url(runner):
    result = runner.invoke(args=["site", "create", "blog", "--url", "ftp://blog.example"])
    assert result.exit_code != 0 and "url" in result.output
