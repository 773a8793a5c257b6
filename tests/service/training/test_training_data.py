"""Training data assembly, the holdout split and failed runs (no model is trained here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from service.domain.labels import content_hash, record_example
from service.domain.training import holdout, runs
from service.domain.training.dataset import Example, assemble, load_training_data, sample_seed
from service.storage.models import Label, ModelVersion, TrainingRun

SEED = [
    {"text": "Buy cheap pills now", "label_spam": 1, "label_toxic": 0},
    {"text": "Lovely article, thanks", "label_spam": 0, "label_toxic": 0},
    {"text": "You utter fool", "label_spam": 0, "label_toxic": 1},
]


def test_latest_moderator_label_wins_and_duplicates_are_counted_per_source(app):
    from service.domain import moderation
    from service.domain.sites import create_site
    from service.domain.users import create_user
    from service.storage.models import Comment

    with app.extensions["db"].session() as s:
        site = create_site(s, "news", "https://news.example").site
        mod = create_user(s, "mod@example.org", "correct horse battery staple", "admin")
        comment = Comment(site_id=site.id, thread="t", content="  BUY cheap pills NOW ", author_name="x",
                          status="approved")
        s.add(comment)
        s.flush()
        moderation.decide(s, mod, comment.id, "rejected", "spam")
        # The same text also came in an import, labelled the other way: the moderator outranks it.
        record_example(s, text="Buy cheap pills now", label_spam=0, label_toxic=0, source="import:jsonl",
                       provenance={})
        data = load_training_data(s, SEED)
        assert data.provenance["moderator"] == {"rows": 1, "kept": 1, "duplicates": 0}
        assert data.provenance["seed"] == {"rows": 3, "kept": 2, "duplicates": 1}
        assert data.provenance["import"] == {"rows": 1, "kept": 0, "duplicates": 1}
        pills = [e for e in data.examples if e.content_hash == content_hash("buy cheap pills now")]
        assert len(pills) == 1 and pills[0].source == "moderator" and pills[0].row["label_spam"] == 1
        # A reversed decision corrects the label: approving teaches "not spam".
        moderation.decide(s, mod, comment.id, "approved")
        data = load_training_data(s, SEED)
        pills = [e for e in data.examples if e.content_hash == content_hash("buy cheap pills now")]
        assert pills[0].source == "moderator" and pills[0].row["label_spam"] == 0
        assert s.query(Label).count() == 2


def test_a_moderator_spam_label_keeps_the_imported_toxicity_label():
    now = datetime.now(UTC)
    examples = [
        Example(row={"text": "a", "label_spam": 1, "label_toxic": None}, source="moderator", content_hash="h", at=now),
        Example(row={"text": "a", "label_spam": 0, "label_toxic": 1}, source="import:csv", content_hash="h"),
    ]
    (kept,) = assemble(examples).examples
    assert kept.row["label_spam"] == 1 and kept.row["label_toxic"] == 1


def test_holdout_takes_the_newest_fifth_of_moderator_labels_and_a_stratified_sample():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    moderated = [Example(row={"text": f"m{i}", "label_spam": i % 2}, source="moderator", content_hash=f"m{i}",
                         at=start + timedelta(hours=i), label_id=i) for i in range(50)]
    seed = [Example(row={"text": f"s{i}", "label_spam": int(i < 100)}, source="seed", content_hash=f"s{i}")
            for i in range(1000)]
    split = holdout.split(moderated + seed, seed=3)
    assert [e.label_id for e in split.recent] == list(range(40, 50))
    sampled_seed = [e for e in split.holdout if e.source == "seed"]
    assert len(sampled_seed) == 100 and sum(e.row["label_spam"] for e in sampled_seed) == 10
    held = {id(e) for e in split.holdout}
    assert not any(id(e) in held for e in split.train)
    assert len(split.train) + len(split.holdout) == 1050
    assert holdout.split(moderated + seed, seed=3).holdout == split.holdout  # reproducible


def test_seed_sample_keeps_label_proportions():
    rows = [{"text": str(i), "label_spam": int(i % 4 == 0), "label_toxic": 0} for i in range(4000)]
    sample = sample_seed(rows, 1000)
    assert len(sample) == 1000 and sum(r["label_spam"] for r in sample) == 250


def test_a_failed_run_says_why_and_changes_nothing(app):
    database = app.extensions["db"]
    with database.session() as s:
        run_id = runs.start_run(s, created_by="test", params={"use_seed": False}).id
        versions_before = s.query(ModelVersion).count()
    status = runs.execute_run(database, app.extensions["models"].get(), app.config, run_id)
    assert status == "failed"
    with database.session() as s:
        run = s.get(TrainingRun, run_id)
        assert run.status == "failed" and "labelled examples" in run.error
        assert s.query(ModelVersion).count() == versions_before
    models = Path(app.config["MODEL_DIR"])
    assert not models.exists() or not any(models.iterdir())
    # A finished run is not executed again when its task is redelivered.
    assert runs.execute_run(database, None, app.config, run_id) == "skipped"


def test_only_one_retrain_at_a_time(app):
    import pytest

    from service.domain.errors import Conflict

    with app.extensions["db"].session() as s:
        runs.start_run(s, created_by="test")
        with pytest.raises(Conflict):
            runs.start_run(s, created_by="test")
        # Re-scoring the held queue is a different kind of run and may go alongside.
        runs.start_run(s, created_by="test", kind="rescore_held")
