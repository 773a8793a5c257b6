"""The moderation API under schemathesis with a real admin token: never a 5xx, always as documented."""

from __future__ import annotations

import shutil

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks


@pytest.fixture(scope="module")
def moderation_fuzz_app(tmp_path_factory, sqlite_template):
    from service.domain.secrets import email_hash
    from service.domain.sites import create_site
    from service.domain.users import create_user, issue_token
    from service.storage.models import Comment
    from tests.conftest import make_test_app

    folder = tmp_path_factory.mktemp("moderation-fuzz")
    shutil.copy(sqlite_template, folder / "moderato.sqlite3")
    app = make_test_app(f"sqlite:///{folder / 'moderato.sqlite3'}", folder / "instance", RATELIMIT_ENABLED=False,
                        DECISIONS_FEED_SETTLE_SECONDS=0)
    with app.extensions["db"].session() as s:
        issued = create_site(s, "news", "https://news.example")
        for i in range(5):
            s.add(Comment(site_id=issued.site.id, thread="t", content=f"c{i}", author_name="A", status="held",
                          author_email="a@example.org", author_email_hash=email_hash("a@example.org")))
        admin = create_user(s, "admin@example.org", "correct horse battery", "admin")
        app.config["FUZZ_TOKEN"] = issue_token(s, admin, "fuzz").secret
        app.config["FUZZ_SITE_KEY"] = issued.key
    yield app
    app.extensions["db"].dispose()


def test_moderation_api_matches_its_document(moderation_fuzz_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", moderation_fuzz_app)
    operations = [result.ok() for result in
                  schema.include(path_regex=r"^/api/v1/(moderation/|decisions)").get_all_operations()]
    assert len(operations) == 10
    for operation in operations:
        key = "FUZZ_SITE_KEY" if operation.path == "/api/v1/decisions" else "FUZZ_TOKEN"
        _fuzz(operation, moderation_fuzz_app.config[key])


def _fuzz(operation, secret: str) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {secret}"},
            checks=[checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
                    checks.response_schema_conformance],
        )

    check()
