"""Build the labelled seed corpus from the genre modules; `python -m classifier.seed.generate` rewrites it."""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

from classifier.seed import ham, hard_negatives, spam, toxic, vocab
from classifier.seed.draft import Draft

SEED = 20240611
CORPUS_FILE = Path(__file__).with_name("corpus.jsonl")
SUB_ATTRIBUTES = ("insult", "threat", "identity_attack", "obscene", "severe_toxic")
# Give up on a genre after this many candidates per requested row: its templates are exhausted.
MAX_TRIES_PER_ROW = 60

SPAM_AUTHOR_NAMES = {
    "spam/pharmacy": ["Cheap Viagra", "Buy Cialis Online", "rx pharmacy", "Canadian Pharmacy", "Online Meds",
                      "buy tramadol", "Generic Pills Store", "diet pills"],
    "spam/crypto": ["Crypto King", "Bitcoin Expert", "Forex Trader", "Mrs Investment", "BTC Mining Pro",
                    "Crypto Recovery", "Passive Income"],
    "spam/loans": ["Fast Loans", "payday loans", "Bad Credit Loans", "Cash Advance", "Loan Officer"],
    "spam/adult": ["Hot Girls", "Sexy Cams", "lonely_lady", "Dating Site", "xxx videos"],
    "spam/seo": ["SEO Expert", "Web Design Agency", "backlinks service", "Best Casino", "Replica Watches",
                 "Essay Writer", "Digital Marketing"],
    "spam/fake-praise": ["SEO Expert", "best essay service", "Roofing Contractor", "keto diet", "Plumber Near Me",
                         "cheap shoes", "Online Casino"],
    "spam/job": ["Work From Home", "Earn Money Online", "Jobs Hiring", "Easy Income", "Online Jobs"],
    "spam/channel-promo": ["Check My Channel", "SUBSCRIBE", "Free Beats", "Small Youtuber", "Sub4Sub"],
}
GENERIC_SPAM_NAMES = ["Admin", "Promo", "Special Offer", "Free Gift", "Winner Team", "Support Team"]

GENRE_MODULES = (spam, toxic, ham, hard_negatives)


def _dedup_key(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower()).strip()


def _author(rng: random.Random, draft: Draft) -> tuple[str | None, str | None, str | None]:
    """Invent (author, author_url, author_email) to suit the kind of commenter."""
    if draft.author_kind == "none":
        return None, None, None
    if draft.author_kind == "spammer":
        domain = draft.link_domain or vocab.spam_domain(rng, ["deal", "promo", "best", "top"])
        roll = rng.random()
        if roll < 0.45:
            name = rng.choice(SPAM_AUTHOR_NAMES.get(draft.genre, GENERIC_SPAM_NAMES))
        elif roll < 0.7:
            name = domain
        else:
            name = vocab.person_name(rng)
        url = f"https://{domain}/" if rng.random() < 0.7 else None
        # Addresses stay on disposable-mail or reserved domains: the spam domains above are invented.
        roll = rng.random()
        if roll < 0.65:
            email = f"{vocab.code(rng, 8).lower()}@{rng.choice(vocab.DISPOSABLE_EMAIL_DOMAINS)}"
        elif roll < 0.8:
            email = f"{re.sub(r'[^a-z0-9]+', '', domain.split('.')[0])}@{rng.choice(vocab.ORDINARY_EMAIL_DOMAINS)}"
        else:
            email = None
        return name, url, email
    name = vocab.person_name(rng) if draft.author_kind == "person" else vocab.handle(rng)
    local = re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".") or "reader"
    email = f"{local}@{rng.choice(vocab.ORDINARY_EMAIL_DOMAINS)}" if rng.random() < 0.55 else None
    url = f"https://{local.replace('.', '')}.example.org/" if rng.random() < 0.08 else None
    return name, url, email


def _labels(draft: Draft) -> dict[str, int]:
    is_toxic = draft.genre.startswith("toxic/")
    labels = {"label_spam": int(draft.genre.startswith("spam/")), "label_toxic": int(is_toxic)}
    for name in SUB_ATTRIBUTES:
        labels[f"label_{name}"] = getattr(draft, name) if is_toxic else 0
    return labels


def genre_table() -> list[tuple[str, list[Draft], object, int]]:
    """List (genre, hand-written drafts, candidate maker, target count) in generation order."""
    table = []
    for module in GENRE_MODULES:
        for genre, (examples, make, target) in module.GENRES.items():
            table.append((genre, examples, make, target))
    return table


def build_rows(seed: int = SEED) -> list[dict]:
    """Generate every row of the corpus, deterministically for a given seed."""
    rng = random.Random(seed)
    seen: set[str] = set()
    drafts: list[Draft] = []
    for _genre, examples, make, target in genre_table():
        taken = 0
        candidates = iter(examples)
        for _ in range(target * MAX_TRIES_PER_ROW):
            if taken >= target:
                break
            draft = next(candidates, None) or make(rng)
            key = _dedup_key(draft.text)
            if not key or key in seen:
                continue
            seen.add(key)
            drafts.append(draft)
            taken += 1
    rng.shuffle(drafts)
    rows = []
    for number, draft in enumerate(drafts, start=1):
        author, author_url, author_email = _author(rng, draft)
        rows.append({
            "id": f"seed-{number:05d}", "text": draft.text, "author": author, "author_url": author_url,
            "author_email": author_email, **_labels(draft), "source": "seed", "genre": draft.genre,
            "lang": draft.lang,
        })
    return rows


def dumps(rows: list[dict]) -> str:
    """Serialise rows as JSON Lines, exactly as corpus.jsonl stores them."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def main() -> None:
    """Rewrite corpus.jsonl and print the count of each genre."""
    rows = build_rows()
    CORPUS_FILE.write_text(dumps(rows), encoding="utf-8")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["genre"]] = counts.get(row["genre"], 0) + 1
    for genre, target in ((g, t) for g, _, _, t in genre_table()):
        flag = "" if counts.get(genre, 0) >= target else f"  (short of {target})"
        print(f"{counts.get(genre, 0):6d}  {genre}{flag}")
    print(f"{len(rows):6d}  total -> {CORPUS_FILE}", file=sys.stderr)


if __name__ == "__main__":
    main()
