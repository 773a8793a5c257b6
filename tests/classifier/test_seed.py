"""The committed seed corpus: big enough, balanced, labelled consistently and reproducible."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from classifier.seed import SEED_PATH, generate, load_seed_rows, vocab

LABELS = ("label_spam", "label_toxic", "label_insult", "label_threat", "label_identity_attack", "label_obscene",
          "label_severe_toxic")
SUB_LABELS = LABELS[2:]
REQUIRED_GENRES = {
    "spam/seo", "spam/pharmacy", "spam/crypto", "spam/loans", "spam/adult", "spam/channel-promo",
    "spam/fake-praise", "spam/job", "spam/prize-sms", "spam/multilingual",
    "toxic/insult", "toxic/threat", "toxic/identity-attack", "toxic/obscene", "toxic/harassment", "toxic/social",
    "ham/politics", "ham/sport", "ham/tech", "ham/cooking", "ham/music-video", "ham/science", "ham/local-news",
    "ham/short-reply", "ham/sms-chat", "ham/tweet", "ham/non-english",
    "ham/hard-negative/disagreement", "ham/hard-negative/quoted-slur", "ham/hard-negative/legit-link",
    "ham/hard-negative/casual-swearing",
}


@pytest.fixture(scope="module")
def rows():
    return load_seed_rows()


def test_corpus_is_large_enough(rows):
    assert len(rows) >= 3000


def test_every_genre_is_present_as_generated(rows):
    counts = Counter(row["genre"] for row in rows)
    assert set(counts) >= REQUIRED_GENRES
    for genre, _examples, _make, target in generate.genre_table():
        assert counts[genre] == target, genre


def test_labels_are_binary_and_match_the_genre(rows):
    for row in rows:
        assert all(row[name] in (0, 1) for name in LABELS), row["id"]
        assert row["label_spam"] == int(row["genre"].startswith("spam/")), row["id"]
        assert row["label_toxic"] == int(row["genre"].startswith("toxic/")), row["id"]
        assert row["source"] == "seed"
        assert row["text"].strip()


def test_sub_attributes_imply_toxic(rows):
    for row in rows:
        if any(row[name] for name in SUB_LABELS):
            assert row["label_toxic"] == 1, row["id"]
    toxic = [row for row in rows if row["label_toxic"]]
    for name in SUB_LABELS:
        assert sum(row[name] for row in toxic) >= 20, name


def test_class_balance(rows):
    share = Counter("spam" if r["label_spam"] else "toxic" if r["label_toxic"] else "ham" for r in rows)
    assert 0.30 <= share["spam"] / len(rows) <= 0.40
    assert 0.25 <= share["toxic"] / len(rows) <= 0.35
    assert share["ham"] / len(rows) >= 0.35
    hard = sum(row["genre"].startswith("ham/hard-negative/") for row in rows)
    assert hard >= 0.25 * share["ham"]


def test_rows_are_deduplicated_with_unique_ids(rows):
    keys = [re.sub(r"[\W_]+", " ", row["text"].lower()).strip() for row in rows]
    assert len(set(keys)) == len(rows)
    assert [row["id"] for row in rows] == [f"seed-{n:05d}" for n in range(1, len(rows) + 1)]


def test_emails_use_reserved_or_disposable_domains(rows):
    allowed = set(vocab.ORDINARY_EMAIL_DOMAINS) | set(vocab.DISPOSABLE_EMAIL_DOMAINS)
    emails = [row["author_email"] for row in rows if row["author_email"]]
    assert emails
    assert {email.rsplit("@", 1)[1] for email in emails} <= allowed
    spam_disposable = sum(
        row["author_email"].rsplit("@", 1)[1] in vocab.DISPOSABLE_EMAIL_DOMAINS
        for row in rows if row["label_spam"] and row["author_email"]
    )
    assert spam_disposable >= 300


def test_several_languages_in_spam_and_ordinary_rows(rows):
    spam_langs = {row["lang"] for row in rows if row["label_spam"]}
    ham_langs = {row["lang"] for row in rows if not row["label_spam"] and not row["label_toxic"]}
    assert len(spam_langs) >= 7 and len(ham_langs) >= 7


def test_generator_reproduces_the_committed_file():
    assert generate.dumps(generate.build_rows()) == SEED_PATH.read_text(encoding="utf-8")


def test_corpus_file_stays_small():
    assert len(SEED_PATH.read_bytes()) < 3_000_000
