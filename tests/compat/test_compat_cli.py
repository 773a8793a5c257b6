"""`moderato compat ...`: the Coral signing secret and the store switches reach the site's settings."""

from __future__ import annotations

from sqlalchemy import select

from service.storage.models import Site


def settings(app) -> dict:
    with app.extensions["db"].session() as session:
        return session.scalar(select(Site.settings).where(Site.name == "news"))


def test_coral_secret_is_read_from_a_prompt_and_can_be_cleared(app, runner, site_key):
    secret = "phsec_" + "a1" * 20
    result = runner.invoke(args=["compat", "coral-secret", "news"], input=f"{secret}\n")
    assert result.exit_code == 0, result.output
    assert secret not in result.output and settings(app)["coral_signing_secret"] == secret
    short = runner.invoke(args=["compat", "coral-secret", "news"], input="short\n")
    assert short.exit_code != 0 and "at least 16" in short.output
    assert runner.invoke(args=["compat", "coral-secret", "news", "--clear"]).exit_code == 0
    assert "coral_signing_secret" not in settings(app)
    assert runner.invoke(args=["compat", "coral-secret", "nope", "--clear"]).exit_code != 0


def test_store_switches(app, runner, site_key):
    assert runner.invoke(args=["compat", "store", "news", "perspective", "on"]).exit_code == 0
    assert settings(app)["perspective_store_comments"] is True
    assert runner.invoke(args=["compat", "store", "news", "perspective", "off"]).exit_code == 0
    assert settings(app)["perspective_store_comments"] is False
