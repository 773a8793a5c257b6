"""The identity-term lexicon and matcher (classifier/identity.py) and the identity test set's generator."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench._identity_templates import CONTROL, FAMILIES, FILLERS, GROUPS, TEMPLATES, TERMS, generate
from classifier.identity import ALL_TERMS, IDENTITY_GROUPS, identity_spans, without_identity_terms
from classifier.normalise import normalise

# Dixon et al. 2018, "Measuring and mitigating unintended bias in text classification": the 50 terms
# (their "millenial" spelling too).
DIXON_TERMS = (
    "lesbian", "gay", "bisexual", "transgender", "trans", "queer", "lgbt", "lgbtq", "homosexual", "straight",
    "heterosexual", "male", "female", "nonbinary", "african", "african american", "black", "white", "european",
    "hispanic", "latino", "latina", "latinx", "mexican", "canadian", "american", "asian", "indian",
    "middle eastern", "chinese", "japanese", "christian", "buddhist", "catholic", "protestant", "sikh", "jewish",
    "muslim", "deaf", "blind", "paralyzed", "teenage", "young", "younger", "old", "older", "elderly",
    "millenial", "millennial", "middle aged",
)
# Slurs and insults: they must stay visible to the model, so the lexicon never hides them.
SLURS_AND_INSULTS = (
    "nigger", "nigga", "negro", "colored", "coon", "faggot", "fag", "fags", "dyke", "tranny", "trannies",
    "shemale", "homo", "lesbo", "poof", "retard", "retarded", "spaz", "spastic", "cripple", "midget", "mong",
    "spic", "wetback", "beaner", "kike", "yid", "heeb", "chink", "gook", "jap", "paki", "raghead", "towelhead",
    "sandnigger", "gypsy", "gyppo", "pikey", "oriental", "eskimo", "redskin", "squaw", "kraut", "wop", "dago",
    "gringo", "honky", "cracker", "feminazi", "whore", "slut", "bitch", "cunt", "hoe", "idiot", "moron",
    "stupid", "dumb", "imbecile", "scum", "vermin", "trash", "psycho", "lunatic", "insane", "crazy", "loser",
    "bastard", "pig", "animals", "parasites", "subhuman",
)


def matched(text: str) -> list[str]:
    """The identity terms found in text after normalisation, as written there."""
    norm = normalise(text).text
    return [norm[begin:end] for begin, end in identity_spans(norm)]


def test_the_seven_groups():
    assert list(IDENTITY_GROUPS) == ["religion", "ethnicity", "nationality", "sexuality", "gender", "age",
                                     "disability"]


@pytest.mark.parametrize("term", DIXON_TERMS)
def test_every_dixon_term_matches_whole(term):
    assert identity_spans(term) == [(0, len(term))]


@pytest.mark.parametrize(
    ("text", "terms"),
    [  # HateCheck's seven groups, as its test cases name them
        ("Women are scum.", ["women"]),
        ("Trans people are scum.", ["trans"]),
        ("Gay people are scum.", ["gay"]),
        ("Black people are scum.", ["black"]),
        ("Disabled people are scum.", ["disabled"]),
        ("Muslims are scum.", ["muslims"]),
        ("Immigrants are scum.", ["immigrants"]),
    ],
)
def test_hatecheck_groups_match(text, terms):
    assert matched(text) == terms


def test_every_term_matches_as_itself_between_punctuation():
    for term in sorted(ALL_TERMS):
        text = f"({term}), and {term}."
        assert [text[b:e] for b, e in identity_spans(text)] == [term, term], term


def test_no_term_is_listed_twice_or_in_two_groups():
    listed = [term for terms in IDENTITY_GROUPS.values() for term in terms]
    assert len(listed) == len(set(listed)) == len(ALL_TERMS)
    assert all(term == term.strip().lower() and "  " not in term for term in listed)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Muslims, Jews and Christians", ["muslims", "jews", "christians"]),
        ("African Americans and African-Americans", ["african americans", "african-americans"]),
        ("middle eastern and Native American people", ["middle eastern", "native american"]),
        ("people with disabilities and wheelchair users", ["disabilities", "wheelchair users"]),
        ("older people, millennials and the middle-aged", ["older", "millennials", "middle-aged"]),
        ("non-binary, non binary and nonbinary folks", ["non-binary", "non binary", "nonbinary"]),
        ("LGBTQ+ rights and LGBT rights", ["lgbtq+", "lgbt"]),
        ("Jehovah’s Witnesses and Jehovahs witnesses", ["jehovah’s witnesses", "jehovahs witnesses"]),
        ("people of colour and a person of color", ["people of colour", "person of color"]),
        ("women's rights, men's rights", ["women", "men"]),
        ("an anti-Muslim rally", ["muslim"]),
        ("a trans woman and a gay man", ["trans", "woman", "gay", "man"]),
    ],
)
def test_plurals_multi_word_and_hyphenated_forms(text, terms):
    assert matched(text) == terms


def test_case_accents_and_obfuscation_fold_before_matching():
    assert matched("MUSL1MS and Gáy and ＷＯＭＥＮ") == ["muslims", "gay", "women"]


@pytest.mark.parametrize(
    "text",
    ["blacksmith", "whitelist", "the oldest house", "mankind", "human", "germany", "transport", "gayle",
     "menu", "womenswear", "asiana", "britain", "jewellery", "boyfriend", "mexico", "violets",
     "straightforward", "deafening", "blinds"],
)
def test_never_matches_inside_other_words(text):
    # "oldest" is not a term: a superlative does not name a group ("older" does, as in Dixon et al.).
    assert identity_spans(text) == []


@pytest.mark.parametrize("word", SLURS_AND_INSULTS)
def test_never_matches_slurs_or_insults(word):
    assert identity_spans(word) == []
    assert identity_spans(f"you {word}s") == []
    assert word not in {w for term in ALL_TERMS for w in re.split(r"[ '-]", term)}


def test_spans_are_exact_offsets_into_the_text():
    text = normalise("I am a proud Black woman, an older Sikh and a wheelchair user.").text
    spans = identity_spans(text)
    assert [text[b:e] for b, e in spans] == ["black", "woman", "older", "sikh", "wheelchair user"]
    assert spans[0] == (text.index("black"), text.index("black") + 5)


def test_without_identity_terms_leaves_one_space_where_a_term_was():
    assert without_identity_terms("i hate black people") == "i hate people"
    assert without_identity_terms("african americans are great") == "are great"
    assert without_identity_terms("a trans woman, a gay man") == "a , a"
    assert without_identity_terms("nothing to see") == "nothing to see"
    # Cutting "gay" joins "non binary", a term of its own: that goes too.
    assert without_identity_terms("we are non gay binary") == "we are"


def _reference_pattern(term: str) -> re.Pattern:
    """One term as the documented rules say, independently of the matcher's prefix tree."""
    body = "".join("[ -]" if c == " " else "['’ʼ]?" if c == "'" else re.escape(c) for c in term)
    return re.compile(body + r"(?!\w)")


REFERENCE = [_reference_pattern(term) for term in sorted(ALL_TERMS)]


def reference_spans(text: str) -> list[tuple[int, int]]:
    """Leftmost-longest whole-term matches, by trying every term at every word start."""
    spans, position = [], 0
    while position < len(text):
        ends = [] if position and re.match(r"\w", text[position - 1]) else [
            m.end() for pattern in REFERENCE if (m := pattern.match(text, position))]
        if ends:
            spans.append((position, max(ends)))
            position = max(ends)
        else:
            position += 1
    return spans


WORDS = sorted({*ALL_TERMS, "people", "person", "s", "'s", "with", "of", "non", "anti", "smith", "man-made",
                "x", "1", "_", "+", "ok", "elders", "american", "african", "native", "gen", "z", "down"})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(["", " ", "-", ", ", "'"])), max_size=8))
def test_matcher_agrees_with_a_term_by_term_reference(parts):
    text = "".join(word + joiner for word, joiner in parts)
    assert identity_spans(text) == reference_spans(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*WORDS, "binary", "aged", "eastern"]), max_size=8).map(" ".join))
def test_no_term_survives_removal(text):
    assert identity_spans(without_identity_terms(text)) == []


# The identity test set (bench/_identity_templates.py).

def test_dev_family_covers_every_group_with_civil_and_toxic_sentences():
    sentences = generate("dev")
    for group in GROUPS:
        labels = {s.toxic for s in sentences if s.group == group}
        assert labels == {0, 1}, group
        assert len({s.term for s in sentences if s.group == group}) >= 5, group
    assert set(GROUPS) == set(IDENTITY_GROUPS)


def test_families_share_no_template_filler_or_name():
    assert not set(TEMPLATES["dev"]) & set(TEMPLATES["report"])
    dev_fillers = {word for words in FILLERS["dev"].values() for word in words}
    assert not dev_fillers & {word for words in FILLERS["report"].values() for word in words}
    dev = {s.text for s in generate("dev")}
    assert not dev & {s.text for s in generate("report")}


@pytest.mark.parametrize("family", FAMILIES)
def test_each_sentence_names_its_group_and_only_the_control_names_none(family):
    for sentence in generate(family):
        found = matched(sentence.text)
        if sentence.group == CONTROL:
            assert found == [], sentence.text
        else:
            assert found and set(found) <= set(IDENTITY_GROUPS[sentence.group]), sentence.text
            assert sentence.term in IDENTITY_GROUPS[sentence.group], sentence.term


def test_generation_is_deterministic():
    assert generate("report") == generate("report")
    assert len({t.term for t in TERMS}) == len(TERMS)
