"""The served OpenAPI 3.1 document: valid, covering every API route, and true under schemathesis fuzzing."""

from __future__ import annotations

import re
import shutil

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests.conftest import make_test_app

PARAMETER = re.compile(r"\{[^}]*\}")
RULE_VARIABLE = re.compile(r"<[^>]*>")
# Schemathesis resolves the document once per module, so it gets its own app on a SQLite copy.


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory, sqlite_template, model_bundle, model_dir):
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(sqlite_template, folder / "moderato.sqlite3")
    app = make_test_app(f"sqlite:///{folder / 'moderato.sqlite3'}", folder / "instance", model_bundle, model_dir,
                        RATELIMIT_ENABLED=False)
    from service.domain.sites import create_site

    with app.extensions["db"].session() as session:
        app.config["FUZZ_KEY"] = create_site(session, "news", "https://news.example").key
    yield app
    app.extensions["db"].dispose()


def test_document_is_valid_openapi_3_1(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    # Every schema in components must itself be a valid JSON Schema (2020-12, the dialect of 3.1).
    for component in document["components"]["schemas"].values():
        jsonschema_rs.meta.validate({"$schema": "https://json-schema.org/draft/2020-12/schema", **component})
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("responses"), f"{method.upper()} {path} documents no responses"


def test_every_api_route_is_documented(app, client):
    # Compare URL shapes: a path parameter's name is the document's choice, not Flask's variable name.
    documented = {
        (PARAMETER.sub("{}", path), method.upper())
        for path, operations in client.get("/api/v1/openapi.json").get_json()["paths"].items()
        for method in operations
    }
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(("/api/", "/healthz", "/readyz", "/metrics")):
            continue
        path = RULE_VARIABLE.sub("{}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (path, method) not in documented:
                missing.append(f"{method} {path}")
    assert not missing, f"routes missing from the OpenAPI document: {missing}"


# Schemathesis's pytest integration (`from_fixture`) breaks on pytest 9.2 (it rewrites a node's private
# `_nodeid`), so each operation runs as its own hypothesis test inside a pytest subtest instead.
def test_fuzzed_requests_never_5xx_and_match_the_schema(fuzz_app, subtests):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", fuzz_app)
    headers = {"Authorization": f"Bearer {fuzz_app.config['FUZZ_KEY']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20, "the document lists the API's operations"
    for operation in operations:
        if operation.path == "/readyz":
            continue  # readiness depends on the broker, which this test does not run

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case):
            case.call_and_validate(
                headers=headers,
                checks=[checks.not_a_server_error, checks.status_code_conformance,
                        checks.content_type_conformance, checks.response_schema_conformance,
                        checks.response_headers_conformance],
            )

        with subtests.test(operation=operation.label):
            fuzz()
