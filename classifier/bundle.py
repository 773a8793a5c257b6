"""ModelBundle: the heads of one trained model version (and their span taggers), scored together; files.

A bundle scores with `CompactHeads`, arrays derived from its Pipelines when it is built. A loaded
bundle derives them one head at a time and lets each Pipeline go: the files on disk stay the source of
truth, and `bundle.pipelines[head]` reads one back (hash-checked) when something needs the Pipeline itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
from sklearn.pipeline import Pipeline

from classifier.compact import CompactHeads, HeadArrays
from classifier.errors import ModelFileError
from classifier.explain import explain_comment
from classifier.features import Featurizer, HashingParams
from classifier.heads import HEAD_LABELS, MAIN_HEADS
from classifier.inputs import CommentInput
from classifier.model import recipe_from_json
from classifier.modelfiles import read_head, read_sidecar, write_head
from classifier.scoring import clean_probabilities
from classifier.spans import SpanTagger

SPANS_PREFIX = "spans-"  # spans-<head>-1.skops / -2.skops (+ .json): the head's two-stage span tagger


class ModelBundle:
    """Heads trained together, sharing one featurizer."""

    def __init__(
        self, version: str, pipelines: Mapping[str, Pipeline], sidecars: dict[str, dict], *,
        arrays: Mapping[str, HeadArrays] | None = None, span_taggers: Mapping[str, SpanTagger] | None = None,
        span_sidecars: dict[str, dict] | None = None,
    ) -> None:
        if not pipelines or set(pipelines) != set(sidecars):
            raise ValueError("a bundle needs a sidecar for each of at least one pipeline")
        params = {str(HashingParams.from_json(s["params"]["hashing"])) for s in sidecars.values()}
        if len(params) != 1:
            raise ValueError("heads of one bundle must share hashing parameters")
        order = list(HEAD_LABELS)
        self.version = version
        self.heads: tuple[str, ...] = tuple(sorted(pipelines, key=lambda h: (order.index(h) if h in order else 99, h)))
        self.pipelines = pipelines
        self.sidecars = sidecars
        self.thresholds: dict[str, dict[str, float]] = {h: dict(sidecars[h].get("thresholds", {})) for h in self.heads}
        self.featurizer = Featurizer(HashingParams.from_json(sidecars[self.heads[0]]["params"]["hashing"]))
        n_columns = self.featurizer.params.n_columns
        if arrays is None:
            arrays = {h: HeadArrays.from_pipeline(pipelines[h], **sentence_params(sidecars[h])) for h in self.heads}
        self.compact = CompactHeads(self.heads, n_columns, arrays)
        # Per head: the token tagger that says which words to highlight (toxicity), if trained.
        self.span_taggers: dict[str, SpanTagger] = dict(span_taggers or {})
        self.span_sidecars: dict[str, dict] = dict(span_sidecars or {})

    def probabilities(self, items: Sequence[CommentInput]) -> np.ndarray:
        """Return the (len(items), len(heads)) matrix of probabilities, columns in `heads` order."""
        if not items:
            return np.zeros((0, len(self.heads)))
        featurized = self.featurizer.featurize(items)
        return clean_probabilities(self.compact.predict(featurized.whole, featurized.sentences, featurized.owner))

    def score(self, items: Sequence[CommentInput]) -> list[dict[str, float]]:
        """Return one {head: probability} dict per comment, for every head of the bundle."""
        if not items:
            return []
        heads = self.heads
        return [dict(zip(heads, row, strict=True)) for row in self.probabilities(items).tolist()]

    def word_scores(self, head: str) -> Callable[[list[str]], np.ndarray]:
        """A function scoring each word on its own with `head` (the span tagger's word-toxicity feature)."""
        column = self.heads.index(head)

        def score(words: list[str]) -> np.ndarray:
            if not words:
                return np.zeros(0)
            return self.probabilities([CommentInput(word) for word in words])[:, column]

        return score

    def explain(self, item: CommentInput, heads: Sequence[str] = MAIN_HEADS,
                thresholds: Mapping[str, float] | None = None, top_k: int = 5) -> dict:
        """Explain one comment's scores, head by head (classifier/explain.py).

        A head "fires" at or above its threshold (`thresholds`, default DEFAULT_HOLD_THRESHOLD); only a head
        that fires gets highlighted spans, and only of what raised its score.
        """
        return explain_comment(self, item, [h for h in heads if h in self.heads], thresholds or {}, top_k)


def sentence_params(sidecar: dict) -> dict:
    """Whether a head scores sentences as well as the whole comment, and their weight (its sidecar's recipe)."""
    recipe = recipe_from_json((sidecar.get("params") or {}).get("recipe"))
    return {"sentences": recipe.sentences, "sentence_weight": recipe.sentence_weight}


def save_bundle(bundle: ModelBundle, directory: Path) -> None:
    """Write each head as `<head>.skops` plus `<head>.json`, each span tagger as `spans-<head>.*`."""
    directory = Path(directory)
    for head in bundle.heads:
        bundle.sidecars[head] = write_head(directory, head, bundle.pipelines[head], bundle.sidecars[head])
    for head, tagger in bundle.span_taggers.items():
        sidecar = bundle.span_sidecars[head]
        for stage, pipeline in (("1", tagger.first), ("2", tagger.second)):
            written = write_head(directory, f"{SPANS_PREFIX}{head}-{stage}", pipeline, {**sidecar, "stage": int(stage)})
            sidecar.setdefault("files", {})[stage] = {"file": written["file"], "sha256": written["sha256"]}


def load_bundle(directory: Path) -> ModelBundle:
    """Load every head in directory; raise ModelFileError if any file is missing, changed or incompatible."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ModelFileError(f"{directory}: no such model directory")
    sidecars, span_sidecars = {}, {}
    for path in sorted(directory.glob("*.json")):
        if (directory / f"{path.stem}.skops").exists():
            sidecar = read_sidecar(path)
            if sidecar["head"] != path.stem:
                raise ModelFileError(f"{path}: sidecar names head {sidecar['head']!r}, file is for {path.stem!r}")
            if path.stem.startswith(SPANS_PREFIX):
                head, _, stage = path.stem.removeprefix(SPANS_PREFIX).rpartition("-")
                span_sidecars.setdefault(head, {})[stage] = sidecar
            else:
                sidecars[path.stem] = sidecar
    if not sidecars:
        raise ModelFileError(f"{directory}: no model files (<head>.skops with <head>.json)")
    arrays = {}
    for head, sidecar in sidecars.items():
        pipeline = read_head(directory, sidecar)
        try:
            arrays[head] = HeadArrays.from_pipeline(pipeline, **sentence_params(sidecar))
        except (ValueError, KeyError, AttributeError, IndexError) as error:
            raise ModelFileError(f"{directory / (head + '.skops')}: not a head Pipeline this version scores "
                                 f"({type(error).__name__}: {error})") from error
        del pipeline  # one Pipeline in memory at a time
    taggers, tagger_sidecars = {}, {}
    for head, stages in span_sidecars.items():
        try:
            tagger_params = stages["2"]["params"]
            taggers[head] = SpanTagger(read_head(directory, stages["1"]), read_head(directory, stages["2"]),
                                       threshold=float(tagger_params["threshold"]),
                                       fallback=float(tagger_params["fallback"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFileError(f"{directory / (SPANS_PREFIX + head)}-*: not a complete span tagger "
                                 f"({type(error).__name__}: {error})") from error
        tagger_sidecars[head] = {key: value for key, value in stages["2"].items() if key not in ("stage", "head")}
    versions = {str(s.get("version")) for s in sidecars.values()}
    version = sidecars.get("spam", next(iter(sidecars.values()))).get("version") or "unknown"
    if len(versions) > 1:
        version = "+".join(sorted(versions))
    try:
        return ModelBundle(version=str(version), pipelines=PipelinesOnDisk(directory, sidecars), sidecars=sidecars,
                           arrays=arrays, span_taggers=taggers, span_sidecars=tagger_sidecars)
    except (ValueError, KeyError, TypeError) as error:
        raise ModelFileError(f"{directory}: inconsistent model files ({error})") from error


class PipelinesOnDisk(Mapping):
    """A loaded bundle's Pipelines, each read back from its file (hash-checked) when asked for."""

    def __init__(self, directory: Path, sidecars: dict[str, dict]) -> None:
        self.directory = Path(directory)
        self._sidecars = sidecars

    def __getitem__(self, head: str) -> Pipeline:
        return read_head(self.directory, self._sidecars[head])

    def __iter__(self) -> Iterator[str]:
        return iter(self._sidecars)

    def __len__(self) -> int:
        return len(self._sidecars)
