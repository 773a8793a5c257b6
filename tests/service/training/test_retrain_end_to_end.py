"""Done means: a new spam style the default model approves is rejected by moderators, a retrain on a real
worker catches it, promotion makes workers hold it, rollback restores the old behaviour.

Real PostgreSQL, real Redis, a real Celery worker consuming the scoring and training queues."""

from __future__ import annotations

import time

import pytest
from celery.contrib.testing.worker import start_worker

from tests.conftest import _truncate_pg, make_test_app, worker_celery
from tests.service.training.conftest import make_user, style_comments

N_REJECTED = 36


def post(client, auth, content: str) -> int:
    response = client.post("/api/v1/comments", headers=auth, json={
        "content": content, "author_name": "Quill Keeper", "author_email": "keeper@example.org",
        "thread": "https://news.example/story"})
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def wait_decided(client, auth, comment_id: int, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/comments/{comment_id}", headers=auth).get_json()
        if body["status"] != "pending":
            return body
        time.sleep(0.05)
    raise AssertionError(f"comment {comment_id} still pending after {timeout}s")


def wait_run(client, headers, run_id: int, timeout: float = 300.0) -> tuple[dict, list[float]]:
    """Poll the status endpoint until the run finishes; returns its view and the percents seen."""
    seen: list[float] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        view = client.get(f"/api/v1/training/runs/{run_id}", headers=headers).get_json()
        seen.append(view["percent"])
        if view["status"] in ("succeeded", "failed"):
            return view, seen
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not finish in {timeout}s (last: {seen[-1:]})")


def status_of_fresh(client, auth, text: str, *, within: float = 10.0, expect: str) -> dict:
    """Post fresh comments until one is decided `expect`, for at most `within` seconds (the swap window)."""
    deadline = time.monotonic() + within
    while True:
        body = wait_decided(client, auth, post(client, auth, text))
        if body["status"] == expect or time.monotonic() > deadline:
            return body
        time.sleep(0.5)


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
def test_retrain_end_to_end(pg_database_url, redis_url, tmp_path, model_bundle, model_dir):
    from service.domain import moderation, users
    from service.domain.sites import create_site

    _truncate_pg(pg_database_url)
    app = make_test_app(pg_database_url, tmp_path / "instance", model_bundle, model_dir, BROKER_URL=redis_url,
                        MODEL_DIR=str(tmp_path / "models"), MODEL_REFRESH_SECONDS=1.0)
    database = app.extensions["db"]
    try:
        with database.session() as session:
            auth = {"Authorization": f"Bearer {create_site(session, 'news', 'https://news.example').key}"}
        admin_id, admin_token = make_user(app, "admin", "admin@example.org")
        admin = {"Authorization": f"Bearer {admin_token}"}
        client = app.test_client()
        texts = style_comments(N_REJECTED + 2, seed=5)
        fresh, fresh_again, rejected_texts = texts[0], texts[1], texts[2:]
        old_version = model_bundle.version

        # The worker runs in this process and shares the app's registry: load the models before the clock runs.
        app.extensions["models"].adopt(model_dir, model_bundle)
        app.extensions["models"].get()
        with start_worker(worker_celery(app), pool="solo", perform_ping_check=False,
                          queues=["scoring", "training"]):
            # 1. The default model approves the new style.
            decided = [wait_decided(client, auth, post(client, auth, t)) for t in rejected_texts]
            approved = [d for d in decided if d["status"] == "approved"]
            assert len(approved) >= 0.9 * len(decided), [d["scores"] for d in decided]

            # 2. Moderators reject it as spam a few dozen times.
            with database.session() as session:
                moderator = users.get_user(session, admin_id)
                for d in decided:
                    moderation.decide(session, moderator, d["id"], "rejected", "spam")

            # 3. A retrain on the training queue, followed through the status endpoint.
            response = client.post("/api/v1/training/runs", headers=admin,
                                   json={"heads": ["spam"], "seed_limit": 1200, "replay_days": 1})
            assert response.status_code == 202, response.get_json()
            run_id = response.get_json()["id"]
            view, seen = wait_run(client, admin, run_id)
            assert view["status"] == "succeeded", view["error"]
            assert seen[-1] == 100.0 and any(0 < p < 100 for p in seen), seen

            # 4. The report shows the candidate catching the style the active model misses.
            report = client.get(f"/api/v1/training/runs/{run_id}/report", headers=admin).get_json()["report"]
            spam = report["heads"]["spam"]
            assert spam["recent_n"] >= 5
            candidate_recall = spam["candidate"]["recent"]["at_thresholds"]["hold"]["recall"]
            active_recall = spam["active"]["recent"]["at_thresholds"]["hold"]["recall"]
            assert candidate_recall >= 0.8 > 0.2 >= active_recall, (candidate_recall, active_recall)
            assert report["replay"]["flips"].get("approved->held", 0) >= 0.8 * len(approved)
            assert report["data"]["provenance"]["moderator"]["kept"] == len(decided)
            plot = client.get(f"/api/v1/training/runs/{run_id}/plots/spam.svg", headers=admin)
            assert plot.status_code == 200 and plot.data.lstrip().startswith(b"<?xml")
            new_version = view["version"]

            # 5. Promote: within the refresh window, workers hold a fresh comment in that style.
            response = client.post(f"/api/v1/models/versions/{new_version}/promote", headers=admin)
            assert response.status_code == 200, response.get_json()
            held = status_of_fresh(client, auth, fresh, expect="held")
            assert held["status"] == "held" and held["model_version"] != old_version, held
            assert any(r["code"] == "spam" for r in held["reasons"])

            # 6. Roll back: the old model serves again and approves the style.
            response = client.post("/api/v1/models/rollback", headers=admin)
            assert response.status_code == 200 and response.get_json()["version"] == old_version
            again = status_of_fresh(client, auth, fresh_again, expect="approved")
            assert again["status"] == "approved" and again["model_version"] == old_version, again

            # 7. Re-scoring the held queue with the restored model releases the comment it held.
            response = client.post("/api/v1/models/rescore-held", headers=admin)
            assert response.status_code == 202, response.get_json()
            rescore, _ = wait_run(client, admin, response.get_json()["id"], timeout=30)
            rescore_report = client.get(f"/api/v1/training/runs/{rescore['id']}/report",
                                        headers=admin).get_json()["report"]
            assert rescore_report["moved"] >= 1 and rescore_report["by_change"].get("held->approved", 0) >= 1
            assert client.get(f"/api/v1/comments/{held['id']}", headers=auth).get_json()["status"] == "approved"
    finally:
        database.dispose()
