"""`moderato user create EMAIL --role ... [--site ...] --password-stdin`."""

from __future__ import annotations

from sqlalchemy import select

from service.cli.user_commands import user
from service.domain.users import authenticate_password, site_ids_for
from service.storage.models import User


def test_create_admin_and_scoped_moderator_from_the_shell(app, sites):
    runner = app.test_cli_runner()
    result = runner.invoke(user, ["create", "Boss@Example.org", "--role", "admin", "--password-stdin"],
                           input="a long admin password\n")
    assert result.exit_code == 0, result.output
    assert "Created admin boss@example.org." in result.output
    result = runner.invoke(user, ["create", "mod@example.org", "--role", "moderator", "--site", "news",
                                  "--password-stdin"], input="another long password\n")
    assert result.exit_code == 0, result.output
    with app.extensions["db"].session() as s:
        admin = authenticate_password(s, "boss@example.org", "a long admin password")
        assert admin.role == "admin" and "long" not in admin.password_hash
        moderator = s.scalar(select(User).where(User.email == "mod@example.org"))
        assert site_ids_for(s, moderator) == {sites["news"]["id"]}
        assert site_ids_for(s, admin) is None


def test_create_refuses_bad_input_naming_the_problem(app, sites):
    runner = app.test_cli_runner()
    short = runner.invoke(user, ["create", "a@example.org", "--role", "admin", "--password-stdin"], input="short\n")
    assert short.exit_code != 0 and "password" in short.output
    nosite = runner.invoke(user, ["create", "m@example.org", "--role", "moderator", "--site", "nope",
                                  "--password-stdin"], input="long enough password\n")
    assert nosite.exit_code != 0 and "unknown site(s): nope" in nosite.output
    runner.invoke(user, ["create", "a@example.org", "--role", "admin", "--password-stdin"],
                  input="long enough password\n")
    again = runner.invoke(user, ["create", "a@example.org", "--role", "admin", "--password-stdin"],
                          input="long enough password\n")
    assert again.exit_code != 0 and "already exists" in again.output
