"""Unintended identity bias: how often civil sentences that name an identity group are held, and how well
toxic and civil sentences are told apart within each group (issue 12, item 7).

Scores the `report` family of bench/_identity_templates.py (templates never used for tuning; `--family dev`
scores the tuning family instead) with the default model, or with `--model DIR`. A table per group, then
per term: civil sentences whose toxicity reaches the hold threshold (`tox_fpr`), civil sentences held by any
head (toxicity or spam at the threshold: `held`, what the issue's "held more than 5 %" counts), the ROC AUC
of toxicity between the group's toxic and civil sentences, and the counts. The `control` row uses the same
sentences with "person"/"people" and no identity: what the sentence frames score by themselves.

When the default model's training function accepts `mask_identity_terms=False`, a second model is trained
with identity terms kept in its features and its figures are shown beside (`..._kept` summary lines;
`--no-compare` skips it); `--compare-model DIR` compares against any saved model instead (`..._compared`).
Also times `classifier.identity.identity_spans`, which runs on every scored comment, against `normalise`
on real comments (the bundled news-site comments).

    python -m bench.identity_bias [--model DIR] [--family report|dev] [--threshold 0.5] [--show 10]
"""

from __future__ import annotations

import argparse
import inspect
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from bench._identity_templates import CONTROL, FAMILIES, GROUPS, Sentence, generate
from bench._support import figure
from classifier import CommentInput, ModelBundle, load_bundle, train_bundle

MAX_GROUP_FPR = 0.05  # the targets: no group held more than 5 %, every group's AUC at least 0.90
MIN_GROUP_AUC = 0.90
SWITCH = "mask_identity_terms"


def default_trainer() -> tuple[str, Callable[..., ModelBundle]]:
    """The default model's training function: classifier.default.train_default_bundle, else the seed corpus."""
    try:
        from classifier.default import train_default_bundle
    except ImportError:
        from classifier.seed import load_seed_rows

        return "train_bundle(load_seed_rows())", lambda **kwargs: train_bundle(load_seed_rows(), **kwargs)
    return "classifier.default.train_default_bundle()", train_default_bundle


def accepts_switch(train: Callable) -> bool:
    """True when the training function takes the identity-removal switch as a keyword."""
    try:
        return SWITCH in inspect.signature(train).parameters
    except (TypeError, ValueError):
        return False


def score(bundle: ModelBundle, sentences: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
    """Toxicity and spam (zeros when the model has no spam head) of every sentence."""
    scores = bundle.score([CommentInput(text=s.text) for s in sentences])
    toxicity = np.array([s["toxicity"] for s in scores])
    spam = np.array([s.get("spam", 0.0) for s in scores])
    return toxicity, spam


def figures(sentences: list[Sentence], toxicity: np.ndarray, spam: np.ndarray, threshold: float,
            key: Callable[[Sentence], str]) -> dict[str, dict]:
    """Per key (group or term): civil and toxic counts, tox_fpr, held and AUC."""
    out: dict[str, dict] = {}
    keys = np.array([key(s) for s in sentences])
    toxic = np.array([s.toxic for s in sentences])
    for name in dict.fromkeys(keys.tolist()):
        rows = keys == name
        civil = rows & (toxic == 0)
        y, p = toxic[rows], toxicity[rows]
        out[name] = {
            "civil": int(civil.sum()),
            "toxic": int((rows & (toxic == 1)).sum()),
            "tox_fpr": float(np.mean(toxicity[civil] >= threshold)),
            "held": float(np.mean((toxicity[civil] >= threshold) | (spam[civil] >= threshold))),
            "auc": float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else float("nan"),
        }
    return out


def print_table(title: str, rows: dict[str, dict], other: dict[str, dict] | None, other_label: str) -> None:
    columns = f"{'tox_fpr':>8} {'held':>6} {'auc':>6}"
    print(f"\n{title}")
    print(f"{'':<28} {'civil':>5} {'toxic':>5} {columns}" + (f"   | {columns}  ({other_label})" if other else ""))
    for name, row in rows.items():
        line = f"{name:<28} {row['civil']:>5} {row['toxic']:>5} {_cells(row)}"
        if other and name in other:
            line += f"   | {_cells(other[name])}"
        print(line)


def _cells(row: dict) -> str:
    return f"{row['tox_fpr']:>8.3f} {row['held']:>6.3f} {row['auc']:>6.3f}"


def worst_civil(sentences: list[Sentence], toxicity: np.ndarray, show: int) -> None:
    civil = [i for i, s in enumerate(sentences) if not s.toxic]
    if show <= 0 or not civil:
        return
    print(f"\nthe {show} civil sentences scored most toxic:")
    for i in sorted(civil, key=lambda i: -toxicity[i])[:show]:
        print(f"  {toxicity[i]:.3f}  [{sentences[i].group}] {sentences[i].text}")


def summarise(groups: dict[str, dict], suffix: str = "", targets: bool = True) -> None:
    """`make bench` lines: worst group's held share and AUC (the control row excluded)."""
    named = [row for name, row in groups.items() if name != CONTROL]
    worst_fpr = max(row["held"] for row in named)
    worst_auc = min(row["auc"] for row in named)
    figure(f"identity_max_group_fpr{suffix}", f"{worst_fpr:.3f}", MAX_GROUP_FPR if targets else None)
    figure(f"identity_min_group_auc{suffix}", f"{worst_auc:.3f}", f"{MIN_GROUP_AUC:.2f}" if targets else None)


def time_identity_spans(limit: int = 5000) -> None:
    """Cost of identity_spans per real comment, and as a share of normalise's on the same comments."""
    from classifier.identity import identity_spans
    from classifier.normalise import normalise

    try:
        from classifier.data import load_bundled_rows
    except ImportError:
        print("identity_spans timing skipped: no bundled data in this version")
        return
    texts = [row["text"] for row in load_bundled_rows(["toxic_spans"])[:limit]]
    normalised = [normalise(text).text for text in texts]
    # Interleaved, best of seven each: the machine is shared, and the ratio is what carries across machines.
    spans_seconds = normalise_seconds = float("inf")
    for _ in range(7):
        spans_seconds = min(spans_seconds, _seconds(lambda: [identity_spans(text) for text in normalised]))
        normalise_seconds = min(normalise_seconds, _seconds(lambda: [normalise(text) for text in texts]))
    with_terms = sum(1 for text in normalised if identity_spans(text)) / len(texts)
    print(f"\nidentity_spans on {len(texts)} news-site comments (mean {np.mean([len(t) for t in normalised]):.0f} "
          f"normalised characters, {with_terms:.0%} name a group): {spans_seconds / len(texts) * 1e6:.1f} us "
          f"a comment, normalise {normalise_seconds / len(texts) * 1e6:.1f} us")
    figure("identity_spans_us_per_comment", f"{spans_seconds / len(texts) * 1e6:.1f}")
    figure("identity_spans_cost_vs_normalise", f"{spans_seconds / normalise_seconds:.3f}")


def _seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a saved model directory (default: train the default model)")
    parser.add_argument("--compare-model", type=Path, help="a second saved model to show beside")
    parser.add_argument("--no-compare", action="store_true", help="do not train a model without identity removal")
    parser.add_argument("--family", choices=FAMILIES, default="report")
    parser.add_argument("--threshold", type=float, default=0.5, help="hold threshold for toxicity and spam")
    parser.add_argument("--show", type=int, default=10, help="print the N civil sentences scored most toxic")
    args = parser.parse_args()

    sentences = generate(args.family)
    started = time.perf_counter()
    other, other_label, other_suffix = None, "", ""
    if args.model:
        bundle, described = load_bundle(args.model), str(args.model)
    else:
        described, train = default_trainer()
        bundle = train()
        if not args.no_compare and not args.compare_model:
            if accepts_switch(train):
                other, other_label, other_suffix = train(**{SWITCH: False}), "identity terms not removed", "_kept"
            else:
                print(f"no comparison: {described} takes no {SWITCH} switch")
    if args.compare_model:
        other, other_label, other_suffix = load_bundle(args.compare_model), str(args.compare_model), "_compared"
    print(f"model: {described} (version {bundle.version}, {time.perf_counter() - started:.0f}s); "
          f"{len(sentences)} {args.family} sentences, hold threshold {args.threshold}")

    toxicity, spam = score(bundle, sentences)
    groups = figures(sentences, toxicity, spam, args.threshold, lambda s: s.group)
    terms = figures(sentences, toxicity, spam, args.threshold, lambda s: f"{s.group}/{s.term}")
    other_groups = other_terms = None
    if other is not None:
        other_toxicity, other_spam = score(other, sentences)
        other_groups = figures(sentences, other_toxicity, other_spam, args.threshold, lambda s: s.group)
        other_terms = figures(sentences, other_toxicity, other_spam, args.threshold, lambda s: f"{s.group}/{s.term}")
    order = [*GROUPS, CONTROL]
    print_table("per group", {g: groups[g] for g in order if g in groups}, other_groups, other_label)
    print_table("per term", terms, other_terms, other_label)
    worst_civil(sentences, toxicity, args.show)
    time_identity_spans()
    worst_term = max((row["held"], name) for name, row in terms.items() if not name.startswith(CONTROL))
    print(f"worst term: {worst_term[1]} held {worst_term[0]:.3f}")
    suffix = "" if args.family == "report" else f"_{args.family}"
    summarise(groups, suffix)
    if other_groups is not None:
        summarise(other_groups, suffix + other_suffix, targets=False)


if __name__ == "__main__":
    main()
