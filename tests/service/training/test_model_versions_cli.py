"""`moderato model versions|promote|rollback|status|retrain` against the app's database."""

from __future__ import annotations

from service.domain.training import runs
from service.storage.models import TrainingRun
from tests.service.training.test_training_api import add_version


def test_versions_promote_rollback_from_the_shell(app, runner, model_bundle):
    add_version(app, "v-cli")
    out = runner.invoke(args=["model", "versions"])
    assert out.exit_code == 0
    lines = out.output.splitlines()
    assert any(line.startswith(f"{model_bundle.version}  active") for line in lines)
    assert any(line.startswith("v-cli  candidate") for line in lines)

    out = runner.invoke(args=["model", "promote", "v-cli"])
    assert out.exit_code == 0 and "Promoted v-cli" in out.output
    out = runner.invoke(args=["model", "rollback"])
    assert out.exit_code == 0 and f"Rolled back to {model_bundle.version}" in out.output
    out = runner.invoke(args=["model", "promote", "nope"])
    assert out.exit_code == 1 and "no model version 'nope'" in out.output and "Traceback" not in out.output


def test_status_shows_progress_and_errors(app, runner):
    with app.extensions["db"].session() as s:
        run = runs.start_run(s, created_by="cli")
        run.status, run.stage, run.percent = "running", "training spam", 42.0
        failed = TrainingRun(status="failed", stage="failed", percent=10.0, params={"kind": "retrain"},
                             error="ValueError: no head has 5+ labelled examples")
        s.add(failed)
        s.flush()
        run_id, failed_id = run.id, failed.id
    out = runner.invoke(args=["model", "status", str(run_id)])
    assert out.exit_code == 0 and "running" in out.output and "42.0%" in out.output and "training spam" in out.output
    out = runner.invoke(args=["model", "status", str(failed_id)])
    assert "failed" in out.output and "no head has 5+ labelled examples" in out.output
    assert runner.invoke(args=["model", "status", "999"]).exit_code == 1
    # A second retrain while one is running is refused with the reason.
    out = runner.invoke(args=["model", "retrain"])
    assert out.exit_code == 1 and f"run {run_id} is still in progress" in out.output


def test_rollback_run_twice_goes_two_steps_back_and_never_returns_to_the_version_it_left(app, runner, model_bundle):
    from service.domain.training.promotion import rollback_steps
    from service.storage.models import ModelActivation, ModelVersion

    first = model_bundle.version
    for version in ("v-second", "v-third"):
        add_version(app, version)
        assert runner.invoke(args=["model", "promote", version]).exit_code == 0
    out = runner.invoke(args=["model", "rollback"])
    assert out.exit_code == 0 and "Rolled back to v-second (" in out.output, out.output
    out = runner.invoke(args=["model", "rollback"])
    assert out.exit_code == 0 and f"Rolled back to {first} (" in out.output, out.output
    with app.extensions["db"].session() as s:
        assert {r.version for r in s.query(ModelVersion).filter_by(state="active")} == {first}
        assert rollback_steps(s) == []
    out = runner.invoke(args=["model", "rollback"])
    assert out.exit_code == 1 and "no earlier version to roll back to" in out.output
    # Promoting again starts a new history entry on top: one rollback returns to what served before it.
    assert runner.invoke(args=["model", "promote", "v-third"]).exit_code == 0
    out = runner.invoke(args=["model", "rollback"])
    assert f"Rolled back to {first} (" in out.output, out.output
    with app.extensions["db"].session() as s:
        kept = [(a.version, a.rolled_back_at is None) for a in
                s.query(ModelActivation).filter_by(head="spam").order_by(ModelActivation.id)]
    assert kept == [(first, True), ("v-second", False), ("v-third", False), ("v-third", False)]
