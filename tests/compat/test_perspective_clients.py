"""Google's own Perspective clients against Moderato: only the discovery URL changed.

The Python sample is Perspective's documented one (google-api-python-client from PyPI); the Node.js
sample uses the `googleapis` npm package that `.ci/run` installs into tests/compat/node_client.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from compat_texts import INSULT, ORDINARY

from tests.conftest import make_test_app

NODE_CLIENT = Path(__file__).with_name("node_client")


@pytest.fixture
def served(tmp_path, sqlite_template, model_bundle, model_dir):
    """The app on a fresh SQLite file, served over HTTP on a free loopback port, with a site key."""
    from werkzeug.serving import make_server

    from service.domain.sites import create_site

    db_path = tmp_path / "moderato.sqlite3"
    shutil.copy(sqlite_template, db_path)
    app = make_test_app(f"sqlite:///{db_path}", tmp_path / "instance", model_bundle, model_dir)
    with app.extensions["db"].session() as session:
        key = create_site(session, "news", "https://news.example").key
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", key
    server.shutdown()
    thread.join(5)
    app.extensions["db"].dispose()


def test_googles_python_sample_works_with_only_the_discovery_url_changed(served):
    from googleapiclient import discovery
    from googleapiclient.errors import HttpError

    url, api_key = served
    # Perspective's documented sample, verbatim but for discoveryServiceUrl.
    client = discovery.build(
        "commentanalyzer",
        "v1alpha1",
        developerKey=api_key,
        discoveryServiceUrl=f"{url}/$discovery/rest?version=v1alpha1",
        static_discovery=False,
    )
    analyze_request = {
        "comment": {"text": INSULT},
        "requestedAttributes": {"TOXICITY": {}, "INSULT": {}},
    }
    response = client.comments().analyze(body=analyze_request).execute()
    toxic = response["attributeScores"]["TOXICITY"]["summaryScore"]
    assert toxic["type"] == "PROBABILITY" and 0.0 <= toxic["value"] <= 1.0
    assert set(response["attributeScores"]) == {"TOXICITY", "INSULT"}
    calm = client.comments().analyze(body={"comment": {"text": ORDINARY}, "requestedAttributes": {"TOXICITY": {}},
                                           "spanAnnotations": True, "clientToken": "t-1"}).execute()
    assert calm["clientToken"] == "t-1" and calm["attributeScores"]["TOXICITY"]["spanScores"][0]["begin"] == 0
    suggested = client.comments().suggestscore(body={
        "comment": {"text": INSULT}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.9}}},
        "clientToken": "t-2"}).execute()
    assert suggested == {"clientToken": "t-2"}
    with pytest.raises(HttpError) as refused:
        client.comments().analyze(body={"comment": {"text": ORDINARY},
                                        "requestedAttributes": {"NOT_AN_ATTRIBUTE": {}}}).execute()
    assert refused.value.resp.status == 400 and "Unknown attribute" in str(refused.value)


def test_discovery_document_describes_moderato_at_the_url_it_is_reached_at(client):
    document = client.get("/$discovery/rest?version=v1alpha1").get_json()
    assert (document["name"], document["version"], document["rootUrl"]) == (
        "commentanalyzer", "v1alpha1", "http://localhost/")
    assert set(document["resources"]["comments"]["methods"]) == {"analyze", "suggestscore"}
    assert "batchPath" not in document and "auth" not in document  # neither is implemented
    assert client.get("/$discovery/rest?version=v1").status_code == 404
    # Forwarded headers are ignored unless Moderato is configured to trust a proxy.
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "moderato.example.org",
                 "X-Forwarded-Prefix": "/moderato"}
    assert client.get("/$discovery/rest?version=v1alpha1", headers=forwarded).get_json()["rootUrl"] == (
        "http://localhost/")


def test_behind_a_configured_proxy_root_url_is_the_public_one(tmp_path, sqlite_template):
    db_path = tmp_path / "moderato.sqlite3"
    shutil.copy(sqlite_template, db_path)
    app = make_test_app(f"sqlite:///{db_path}", tmp_path / "instance", PROXY_FIX_X_PROTO=1, PROXY_FIX_X_HOST=1,
                        PROXY_FIX_X_PREFIX=1, PROXY_FIX_X_FOR=1)
    try:
        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "moderato.example.org",
                     "X-Forwarded-Prefix": "/moderato", "X-Forwarded-For": "203.0.113.50"}
        document = app.test_client().get("/$discovery/rest?version=v1alpha1", headers=forwarded).get_json()
        assert document["rootUrl"] == document["baseUrl"] == "https://moderato.example.org/moderato/"
    finally:
        app.extensions["db"].dispose()
    from service.config import ConfigError

    with pytest.raises(ConfigError, match="PROXY_FIX_X_FOR"):
        make_test_app(f"sqlite:///{db_path}", tmp_path / "other", PROXY_FIX_X_FOR="yes")


def test_googleapis_node_sample_works_with_only_the_discovery_url_changed(served):
    node = shutil.which("node")
    if node is None or not (NODE_CLIENT / "node_modules" / "googleapis").is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("CI installs the googleapis npm package: npm ci --prefix tests/compat/node_client")
        pytest.skip("googleapis (npm) is not installed: npm ci --prefix tests/compat/node_client")
    url, api_key = served
    result = subprocess.run(
        [node, str(NODE_CLIENT / "perspective_sample.js")], capture_output=True, text=True, timeout=60,
        env={**os.environ, "DISCOVERY_URL": f"{url}/$discovery/rest?version=v1alpha1", "API_KEY": api_key,
             "COMMENT_TEXT": INSULT},
    )
    assert result.returncode == 0, result.stderr
    response = json.loads(result.stdout)
    score = response["attributeScores"]["TOXICITY"]["summaryScore"]
    assert score["type"] == "PROBABILITY" and 0.0 <= score["value"] <= 1.0
