"""The admin's training pages: a report that reads at a glance (comparison first, charts that show where the
models differ), one date format, and a roll back offered only when there is something to go back to."""

from __future__ import annotations

import re

import numpy as np
import pytest

from service.domain.training import evaluation, plots
from service.storage.models import TrainingRun
from tests.service.moderation.conftest import csrf_from
from tests.service.training.test_training_api import add_version

PASSWORD = "correct horse battery staple"


def figures(separation: float, seed: int) -> dict:
    """A model's report figures on 2,000 synthetic labels (15% positives): the better separated, the better."""
    rng = np.random.default_rng(seed)
    y = np.r_[np.ones(300), np.zeros(1700)].astype(int)
    p = 1 / (1 + np.exp(-(np.where(y == 1, separation, -separation) + rng.normal(0, 1.3, y.size))))
    return evaluation.model_figures(y, p, {"hold": 0.5, "reject": 0.97})


def synthetic_report(version: str, active_version: str) -> dict:
    heads = {head: {"n": 2000, "recent_n": 0, "thresholds": {"hold": 0.5, "reject": 0.97},
                    "candidate": figures(3.4, n), "active": figures(2.9, n + 10)}
             for n, head in enumerate(("spam", "toxicity", "insult"))}
    return {"version": version, "active_version": active_version, "heads": heads, "no_worse": True,
            "no_worse_reasons": [], "auto_promoted": False,
            "data": {"provenance": {"seed": {"rows": 2000, "kept": 2000, "duplicates": 0}}, "examples": 2000,
                     "train_rows": 1800, "holdout_rows": 200, "recent_moderator_rows": 0},
            "replay": {"days": 7.0, "replayed": 0, "flips": {}, "flipped": 0, "examples": {}}}


@pytest.fixture
def admin_client(app, client):
    from service.domain.users import create_user

    with app.extensions["db"].session() as s:
        create_user(s, "root@example.org", PASSWORD, "admin")
    client.post("/login", data={"email": "root@example.org", "password": PASSWORD,
                                "csrf_token": csrf_from(client.get("/login").text)})
    return client


@pytest.fixture
def run_id(app, model_bundle) -> int:
    add_version(app, "v-candidate")
    with app.extensions["db"].session() as s:
        run = TrainingRun(status="succeeded", stage="done", percent=100.0, params={"kind": "retrain"},
                          version="v-candidate", created_by="root@example.org",
                          report=synthetic_report("v-candidate", model_bundle.version))
        s.add(run)
        s.flush()
        return run.id


def test_report_shows_the_comparison_first_and_draws_every_head_inline(admin_client, run_id):
    html = admin_client.get(f"/admin/training/runs/{run_id}").text
    table, first_chart = html.index('<table class="compare">'), html.index("<svg")
    assert table < first_chart
    rows = re.findall(r'<tr><th><a href="#head-(\w+)">', html)
    assert rows == ["spam", "toxicity", "insult"]
    assert html.count("<svg") == 3 and "<img" not in html  # the page needs no further request
    assert 'class="better"' in html  # the candidate separates better on every head
    assert "Promote v-candidate" in html


def test_charts_zoom_to_where_the_models_differ_and_log_scale_the_errors():
    entry = synthetic_report("a", "b")["heads"]["spam"]
    zoomed, errors = plots.panels(entry)
    base_rate = 300 / 2000
    assert zoomed.y_range[0] > base_rate + 0.5, zoomed.y_range  # not stretched down to "flag everything"
    assert zoomed.x_range[0] >= 0.5
    assert not zoomed.log and errors.log and errors.x_range[0] <= 1 / 2000
    holds = [s.hold for s in zoomed.series]
    assert all(zoomed.y_range[0] <= p <= 1 and zoomed.x_range[0] <= r <= 1 for r, p in holds)


def test_plot_files_for_the_api_and_downloads(admin_client, run_id):
    svg = admin_client.get(f"/admin/training/runs/{run_id}/plots/spam.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"errors, log scale" in svg.data
    png = admin_client.get(f"/admin/training/runs/{run_id}/plots/spam.png")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    assert admin_client.get(f"/admin/training/runs/{run_id}/plots/spam.gif").status_code == 404


def test_one_date_format_on_the_training_pages(admin_client, run_id):
    for page in ("/admin/training", f"/admin/training/runs/{run_id}"):
        html = admin_client.get(page).text
        shown = re.sub(r"<[^>]+>", " ", html)  # text only: the ISO instants stay in datetime attributes
        assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", shown), page
        assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", shown), page


def test_roll_back_is_offered_only_when_there_is_something_to_go_back_to(app, admin_client, run_id, model_bundle):
    html = admin_client.get("/admin/training").text
    assert "Undo the latest promotion" not in html  # one version has ever been active
    token = csrf_from(html)
    assert admin_client.post("/admin/models/v-candidate/promote", data={"csrf_token": token}).status_code == 302
    html = admin_client.get("/admin/training").text
    assert f"Undo the latest promotion: back to {model_bundle.version} (" in html
    assert admin_client.post("/admin/models/rollback", data={"csrf_token": token}).status_code == 302
    assert "Undo the latest promotion" not in admin_client.get("/admin/training").text
