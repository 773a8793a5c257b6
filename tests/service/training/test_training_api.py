"""The admin retraining API and pages: auth, validation, versions, promotion, rollback, shadow mode."""

from __future__ import annotations

import pytest

from service.storage.models import ModelVersion, ShadowScore, TrainingRun
from tests.service.training.conftest import make_user


def add_version(app, version: str) -> None:
    """Register another version pointing at the active files (same hashes, so workers load it fine)."""
    with app.extensions["db"].session() as s:
        for row in s.query(ModelVersion).filter_by(state="active").all():
            s.add(ModelVersion(version=version, head=row.head, path=row.path, sha256=row.sha256,
                               state="candidate", metrics={}, thresholds=row.thresholds))


def test_admin_api_needs_an_admin_token(app, client):
    assert client.get("/api/v1/models/versions").status_code == 401
    body = client.get("/api/v1/training/runs", headers={"Authorization": "Bearer nope"}).get_json()
    assert body["status"] == 401 and body["errors"][0]["field"] == "Authorization"


def test_moderators_are_forbidden(app, client, site_key):
    _, secret = make_user(app, "moderator", "mod@example.org", ("news",))
    response = client.post("/api/v1/training/runs", headers={"Authorization": f"Bearer {secret}"}, json={})
    assert response.status_code == 403
    with app.extensions["db"].session() as s:
        assert s.query(TrainingRun).count() == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"replay_days": "seven"}, "replay_days"),
    ({"auto_promote": "yes"}, "auto_promote"),
    ({"heads": ["spam", "nonsense"]}, "heads"),
    ({"seed_limit": 5}, "seed_limit"),
    ({"colour": "red"}, "colour"),
])
def test_malformed_retrain_requests_name_the_field(client, admin_headers, body, field):
    response = client.post("/api/v1/training/runs", headers=admin_headers, json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert [e["field"] for e in response.get_json()["errors"]] == [field]


def test_bad_json_is_a_problem(client, admin_headers):
    response = client.post("/api/v1/models/rollback", headers={**admin_headers, "Content-Type": "application/json"},
                           data="{not json")
    assert response.status_code == 400 and response.get_json()["errors"]


def test_versions_promote_and_rollback(app, client, admin_headers, model_bundle):
    add_version(app, "v-candidate")
    items = client.get("/api/v1/models/versions", headers=admin_headers).get_json()["items"]
    states = {v["version"]: v["state"] for v in items}
    assert states == {model_bundle.version: "active", "v-candidate": "candidate"}

    assert client.post("/api/v1/models/rollback", headers=admin_headers).status_code == 409  # nothing earlier
    response = client.post("/api/v1/models/versions/v-candidate/promote", headers=admin_headers)
    assert response.status_code == 200 and set(response.get_json()["heads"].values()) == {"active"}
    assert app.extensions["models"].get().version == "v-candidate" or _eventually(app, "v-candidate")
    assert client.post("/api/v1/models/versions/v-candidate/promote", headers=admin_headers).status_code == 409
    assert client.post("/api/v1/models/versions/nope/promote", headers=admin_headers).status_code == 404

    response = client.post("/api/v1/models/rollback", headers=admin_headers)
    assert response.status_code == 200 and response.get_json()["version"] == model_bundle.version
    assert _eventually(app, model_bundle.version)
    # Rolling back by name works too, to any version that was once active.
    response = client.post("/api/v1/models/rollback", headers=admin_headers, json={"version": "v-candidate"})
    assert response.status_code == 200 and response.get_json()["version"] == "v-candidate"
    bad = client.post("/api/v1/models/rollback", headers=admin_headers, json={"version": 3})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "version"


def test_rollback_after_a_one_head_retrain_restores_that_head(app, client, admin_headers, model_bundle):
    # A retrain of the spam head alone leaves toxicity on the old version; rollback must still find it.
    with app.extensions["db"].session() as s:
        row = s.query(ModelVersion).filter_by(state="active", head="spam").one()
        s.add(ModelVersion(version="v-spam", head="spam", path=row.path, sha256=row.sha256, state="candidate",
                           metrics={}, thresholds=row.thresholds))
    response = client.post("/api/v1/models/versions/v-spam/promote", headers=admin_headers)
    assert response.status_code == 200 and response.get_json()["heads"] == {"spam": "active"}
    response = client.post("/api/v1/models/rollback", headers=admin_headers)
    assert response.status_code == 200 and response.get_json()["version"] == model_bundle.version
    with app.extensions["db"].session() as s:
        active = {r.head: r.version for r in s.query(ModelVersion).filter_by(state="active")}
    assert active == {head: model_bundle.version for head in model_bundle.heads}
    assert _eventually(app, model_bundle.version)
    # Never forward again to the version it just left: nothing served before the first model.
    response = client.post("/api/v1/models/rollback", headers=admin_headers)
    assert response.status_code == 409


def _eventually(app, version: str, timeout: float = 10.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.extensions["models"].get().version == version:
            return True
        time.sleep(0.1)
    return False


def test_shadow_mode_scores_alongside_without_deciding(app, client, auth, admin_headers):
    from service.domain.scoring import decide_comments

    add_version(app, "v-shadow")
    response = client.post("/api/v1/models/versions/v-shadow/shadow", headers=admin_headers, json={"enabled": True})
    assert response.status_code == 200 and response.get_json()["shadow"] is True
    bad = client.post("/api/v1/models/versions/v-shadow/shadow", headers=admin_headers, json={"enabled": "on"})
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["field"] == "enabled"
    assert _eventually_shadow(app)
    ids = []
    for text in ("Cheap meds, no prescription: http://pills.example", "Thanks for the careful reporting."):
        r = client.post("/api/v1/comments", headers=auth, json={"content": text, "author_name": "Sam",
                                                               "author_email": "sam@example.org",
                                                               "thread": "https://news.example/a"})
        assert r.status_code == 202, r.get_json()
        ids.append(r.get_json()["id"])
    decide_comments(app.extensions["db"], app.extensions["models"], app.config, ids)
    with app.extensions["db"].session() as s:
        shadows = s.query(ShadowScore).all()
        assert {sh.comment_id for sh in shadows} == set(ids)
        assert all(sh.version == "v-shadow" and sh.status == sh.active_status for sh in shadows)
    summary = client.get("/api/v1/models/versions/v-shadow/shadow", headers=admin_headers).get_json()
    assert summary["scored"] == 2 and summary["agreement"] == 1.0 and summary["disagreements"] == {}
    # The active version cannot be its own shadow.
    active = app.extensions["models"].get().version
    assert client.post(f"/api/v1/models/versions/{active}/shadow", headers=admin_headers,
                       json={"enabled": True}).status_code == 409


def _eventually_shadow(app, timeout: float = 10.0) -> bool:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.extensions["models"].get().shadow is not None:
            return True
        time.sleep(0.1)
    return False


def test_run_status_and_report_of_unknown_run(client, admin_headers):
    assert client.get("/api/v1/training/runs/999", headers=admin_headers).status_code == 404
    assert client.get("/api/v1/training/runs/999/report", headers=admin_headers).status_code == 404


def test_training_pages_for_admins_only(app, client, model_bundle):
    from service.domain.users import create_user

    with app.extensions["db"].session() as s:
        create_user(s, "root@example.org", "correct horse battery staple", "admin")
        run = TrainingRun(status="failed", stage="failed during training", percent=40.0,
                          params={"kind": "retrain"}, error="ValueError: <b>no data</b>", created_by="cli")
        s.add(run)
        s.flush()
        run_id = run.id
    assert client.get("/admin/training").status_code == 302  # to the login page
    login = client.get("/login")
    token = login.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"email": "root@example.org", "password": "correct horse battery staple",
                                "csrf_token": token})
    page = client.get("/admin/training")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert model_bundle.version in html and "<progress" in html
    report = client.get(f"/admin/training/runs/{run_id}").get_data(as_text=True)
    # The error is shown, escaped.
    assert "&lt;b&gt;no data&lt;/b&gt;" in report and "Nothing was changed" in report
    # Buttons post with the CSRF token; without it the promote is refused.
    assert client.post(f"/admin/models/{model_bundle.version}/promote").status_code == 400
