"""docs/grafana/moderato.json queries only metrics that Moderato really exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.service.ops.test_metrics_ops import samples

DASHBOARD = Path(__file__).resolve().parents[3] / "docs" / "grafana" / "moderato.json"
METRIC = re.compile(r"\bmoderato_[a-z_]+\b")


def dashboard_metrics() -> set[str]:
    panels = json.loads(DASHBOARD.read_text())["panels"]
    exprs = [target["expr"] for panel in panels for target in panel["targets"]]
    assert exprs and all(isinstance(e, str) and e for e in exprs)
    return {name for expr in exprs for name in METRIC.findall(expr)}


def test_every_metric_the_dashboard_uses_is_exported(app, client, auth):
    """After a submission is scored (as a worker does), every series the dashboard queries is in /metrics."""
    from worker.tasks import score_ids

    posted = client.post("/api/v1/comments", headers=auth, json={
        "content": "Thanks for the clear write-up.", "author_name": "A", "author_email": "a@example.org",
        "thread": "https://n.example/t"})
    assert posted.status_code == 202
    score_ids(app, [posted.get_json()["id"]])
    exported = set(samples(client))
    used = dashboard_metrics()
    assert used, "the dashboard queries no Moderato metric"
    assert used - exported == set(), f"the dashboard queries metrics nobody exports: {sorted(used - exported)}"
