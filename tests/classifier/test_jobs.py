"""The jobs behind `moderato model train|score|evaluate`, on small files the tests write."""

from __future__ import annotations

import json

import pytest

from classifier import jobs
from classifier.errors import DataFileError


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def trained(rows, tmp_path_factory):
    work = tmp_path_factory.mktemp("jobs")
    spam_only = [r for r in rows if r["label_toxic"] is None]
    data = write_jsonl(work / "train.jsonl", spam_only)
    summary = jobs.train_to_dir([data], use_seed=False, output=work / "model")
    return work, summary


def test_train_writes_the_heads_the_data_has_labels_for(trained):
    work, summary = trained
    assert set(summary["heads"]) == {"spam"}
    assert (work / "model" / "spam.skops").is_file() and (work / "model" / "spam.json").is_file()


def test_score_adds_probabilities_and_nulls_for_missing_heads(trained, tmp_path):
    work, _ = trained
    source = write_jsonl(tmp_path / "in.jsonl", [{"text": "buy cheap viagra now at http://x.com", "id": 1},
                                                 {"text": "great video about chess", "extra": [1, 2]}])
    with source.open("a") as handle:
        handle.write("\n")  # blank lines are skipped
    written = jobs.score_file(work / "model", source, tmp_path / "out.jsonl")
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert written == 2
    assert out[0]["id"] == 1 and out[1]["extra"] == [1, 2]
    assert out[0]["spam"] > 0.5 > out[1]["spam"]
    assert out[0]["toxicity"] is None


def test_evaluate_reports_metrics_and_draws_a_plot(trained, rows, tmp_path):
    work, _ = trained
    data = write_jsonl(tmp_path / "eval.jsonl", rows)
    report = jobs.evaluate_file(work / "model", data, plot_path=tmp_path / "pr.png")
    spam = report["heads"]["spam"]
    assert spam["n"] == sum(r["label_spam"] is not None for r in rows)
    assert spam["roc_auc"] > 0.9
    assert set(spam["at_thresholds"]) == {"hold", "reject"}
    assert set(spam["at_thresholds"]["hold"]["confusion_matrix"]) == {"tn", "fp", "fn", "tp"}
    assert (tmp_path / "pr.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    json.dumps(report)


def test_bad_lines_are_named(trained, tmp_path):
    work, _ = trained
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n\n{"text": broken\n')
    with pytest.raises(DataFileError, match=r"bad.jsonl:3"):
        jobs.score_file(work / "model", bad, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_use_seed_adds_the_seed_corpus(monkeypatch, rows, tmp_path):
    import classifier.seed

    monkeypatch.setattr(classifier.seed, "load_seed_rows", lambda: rows)
    summary = jobs.train_to_dir([], use_seed=True, output=tmp_path / "model")
    assert set(summary["heads"]) == {"spam", "toxicity", "insult"}
    assert summary["rows"] == len(rows)


def test_score_with_explain_adds_the_spans_the_ui_would_highlight(bundle, tmp_path):
    from classifier import save_bundle

    save_bundle(bundle, tmp_path / "model")
    texts = ["You are a pathetic idiot and nobody likes you", "buy cheap viagra now at http://spam-site.com/x",
             "nice point about chess, thanks", "😀 ümlaut stupid idiot 🎉"]
    source = write_jsonl(tmp_path / "in.jsonl", [{"text": t} for t in texts])
    jobs.score_file(tmp_path / "model", source, tmp_path / "out.jsonl", explain=True)
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [row["text"] for row in out] == texts
    for row in out:
        assert set(row["spans"]) == {"spam", "toxicity"}
        for head, spans in row["spans"].items():
            assert all(0 <= b < e <= len(row["text"]) for b, e in spans)
            # Only a head at or above the default hold threshold (0.5) highlights anything.
            if row[head] < 0.5:
                assert spans == [], (row["text"], head)
    insult, spam, civil, emoji = out
    assert any(insult["text"][b:e] == "idiot" or "idiot" in insult["text"][b:e] for b, e in insult["spans"]["toxicity"])
    assert insult["spans"]["spam"] == [] and civil["spans"] == {"spam": [], "toxicity": []}
    assert spam["spans"]["spam"] and spam["spans"]["toxicity"] == []
    # Offsets are code points: the insult after an emoji and an umlaut is found at its Python index.
    assert any("idiot" in emoji["text"][b:e] for b, e in emoji["spans"]["toxicity"])
