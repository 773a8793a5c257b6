"""What the n-gram features read: identity terms removed (both code paths agree), sentences cut."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from classifier import CommentInput
from classifier.normalise import normalise
from classifier.prepare import sentence_spans, strip_identities

WORDS = st.sampled_from(["gay", "muslims", "old", "you", "idiot", "are", "!!", "...", "the", "Black", "women", "\n",
                         "  ", "😀", "<b>", "http://x.com/a", "İ", "ＭＵＳＬＩＭ"])
TEXTS = st.lists(WORDS, max_size=14).map(" ".join) | st.text(max_size=80)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_stripping_with_and_without_offsets_gives_the_same_text(text):
    fast = strip_identities(normalise(text))
    mapped = strip_identities(normalise(text, offsets=True))
    assert fast.text == mapped.text
    assert len(mapped.starts) == len(mapped.ends) == len(mapped.text)
    for i in range(len(mapped.text)):
        begin, end = mapped.original_span(i, i + 1)
        assert 0 <= begin < end <= len(text)


def test_identity_terms_are_removed_and_nothing_else():
    assert strip_identities(normalise("I am a gay person")).text == "i am a person"
    assert strip_identities(normalise("MUSLIMS are welcome here.")).text == "are welcome here."
    assert strip_identities(normalise("Nice weather today")).text == "nice weather today"
    norm = strip_identities(normalise("Hey, gay friend", offsets=True))
    assert norm.text == "hey, friend"
    assert norm.original_span(5, 11) == (9, 15)  # "friend" in the original


def test_sentences_are_cut_at_line_breaks_and_sentence_ends():
    text = normalise("You idiot. Nice weather today!\nSee you\n\nbye...").text
    assert [text[b:e] for b, e in sentence_spans(text)] == ["you idiot.", "nice weather today!", "see you", "bye.."]
    assert sentence_spans("one sentence only") == [(0, 17)]
    assert sentence_spans(". ! ?") == []


def test_a_civil_sentence_naming_a_group_scores_as_without_the_name(bundle):
    pairs = [("I am a gay person", "I am a person"), ("My muslim neighbours are kind", "My neighbours are kind"),
             ("Old women love chess", "love chess")]
    for named, unnamed in pairs:
        with_term, without = bundle.score([CommentInput(named), CommentInput(unnamed)])
        # Only the comment's length (a metadata feature) can tell them apart.
        for head in bundle.heads:
            assert abs(with_term[head] - without[head]) < 0.02, (named, head)
