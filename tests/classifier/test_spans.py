"""The toxic span tagger: what it marks, its files, and the character F1 it is judged by."""

from __future__ import annotations

import numpy as np
import pytest

from classifier import CommentInput, ModelFileError, load_bundle, save_bundle
from classifier.normalise import normalise
from classifier.prepare import strip_identities
from classifier.spans import merged_spans, select, span_f1, tokens


def test_span_f1_is_semeval_2021_task_5s_measure():
    assert span_f1(set(), set()) == 1.0
    assert span_f1({1}, set()) == 0.0
    assert span_f1(set(), {1}) == 0.0
    assert span_f1({1, 2, 3, 4}, {3, 4, 5, 6}) == pytest.approx(0.5)


def test_adjacent_tokens_merge_into_one_span_with_what_lies_between():
    norm = strip_identities(normalise("You  stupid,   ugly troll", offsets=True))
    toks = tokens(norm)
    chosen = select(np.array([0.1, 0.9, 0.8, 0.2]), 0.5, 0.05)
    assert merged_spans(norm, toks, chosen) == [[5, 19]]  # "stupid,   ugly" in the original text


def test_the_tagger_marks_the_insult_of_a_comment_that_fires(bundle):
    assert "toxicity" in bundle.span_taggers
    assert bundle.span_sidecars["toxicity"]["metrics"]["span_f1"] > 0.8
    text = "Honestly you are a pathetic idiot, nobody likes you"
    spans = bundle.explain(CommentInput(text), heads=("toxicity",))["toxicity"]["spans"]
    marked = "".join(text[s["begin"]:s["end"]] for s in spans)
    assert "idiot" in marked and "pathetic" in marked
    assert "Honestly" not in marked and "nobody" not in marked


def test_the_tagger_round_trips_through_its_two_files_and_refuses_a_changed_one(bundle, tmp_path):
    save_bundle(bundle, tmp_path / "model")
    assert sorted(p.name for p in (tmp_path / "model").glob("spans-*")) == [
        "spans-toxicity-1.json", "spans-toxicity-1.skops", "spans-toxicity-2.json", "spans-toxicity-2.skops"]
    loaded = load_bundle(tmp_path / "model")
    item = CommentInput("shut up you stupid idiot, the ending was fine")
    assert loaded.explain(item) == bundle.explain(item)
    path = tmp_path / "model" / "spans-toxicity-2.skops"
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ModelFileError, match="sha256"):
        load_bundle(tmp_path / "model")
