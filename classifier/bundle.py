"""ModelBundle: the heads of one trained model version (and their span taggers), scored together; files.

A bundle scores with `CompactHeads`, arrays derived from its Pipelines when it is built. A loaded
bundle derives them one head at a time and lets each Pipeline go: the files on disk stay the source of
truth, and `bundle.pipelines[head]` reads one back (hash-checked) when something needs the Pipeline itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
from sklearn.pipeline import Pipeline

from classifier.compact import CompactHeads, HeadArrays
from classifier.errors import ModelFileError
from classifier.explain import explain_comment
from classifier.features import Featurizer, HashingParams
from classifier.heads import HEAD_LABELS, MAIN_HEADS
from classifier.inputs import CommentInput
from classifier.modelfiles import read_head, read_sidecar, write_head
from classifier.scoring import clean_probabilities
from classifier.spans import SpanTagger

SPANS_PREFIX = "spans-"  # spans-<head>.skops / .json: the head's span tagger


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
            arrays = {h: HeadArrays.from_pipeline(pipelines[h], sentences=scores_sentences(sidecars[h]))
                      for h in self.heads}
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

    def explain(self, item: CommentInput, heads: Sequence[str] = MAIN_HEADS,
                thresholds: Mapping[str, float] | None = None, top_k: int = 5) -> dict:
        """Explain one comment's scores, head by head (classifier/explain.py).

        A head "fires" at or above its threshold (`thresholds`, default DEFAULT_HOLD_THRESHOLD); only a head
        that fires gets highlighted spans, and only of what raised its score.
        """
        return explain_comment(self, item, [h for h in heads if h in self.heads], thresholds or {}, top_k)


def scores_sentences(sidecar: dict) -> bool:
    """Whether a head scores sentences as well as the whole comment (from its sidecar's recipe)."""
    return bool(((sidecar.get("params") or {}).get("recipe") or {}).get("sentences"))


def save_bundle(bundle: ModelBundle, directory: Path) -> None:
    """Write each head as `<head>.skops` plus `<head>.json`, each span tagger as `spans-<head>.*`."""
    directory = Path(directory)
    for head in bundle.heads:
        bundle.sidecars[head] = write_head(directory, head, bundle.pipelines[head], bundle.sidecars[head])
    for head, tagger in bundle.span_taggers.items():
        name = SPANS_PREFIX + head
        bundle.span_sidecars[head] = write_head(directory, name, tagger.pipeline, bundle.span_sidecars[head])


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
                span_sidecars[path.stem.removeprefix(SPANS_PREFIX)] = sidecar
            else:
                sidecars[path.stem] = sidecar
    if not sidecars:
        raise ModelFileError(f"{directory}: no model files (<head>.skops with <head>.json)")
    arrays = {}
    for head, sidecar in sidecars.items():
        pipeline = read_head(directory, sidecar)
        try:
            arrays[head] = HeadArrays.from_pipeline(pipeline, sentences=scores_sentences(sidecar))
        except (ValueError, KeyError, AttributeError, IndexError) as error:
            raise ModelFileError(f"{directory / (head + '.skops')}: not a head Pipeline this version scores "
                                 f"({type(error).__name__}: {error})") from error
        del pipeline  # one Pipeline in memory at a time
    taggers = {}
    for head, sidecar in span_sidecars.items():
        tagger_params = sidecar.get("params") or {}
        try:
            taggers[head] = SpanTagger(read_head(directory, sidecar), threshold=float(tagger_params["threshold"]),
                                       fallback=float(tagger_params["fallback"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFileError(f"{directory / (SPANS_PREFIX + head + '.json')}: not a span tagger sidecar "
                                 f"({type(error).__name__}: {error})") from error
    versions = {str(s.get("version")) for s in sidecars.values()}
    version = sidecars.get("spam", next(iter(sidecars.values()))).get("version") or "unknown"
    if len(versions) > 1:
        version = "+".join(sorted(versions))
    try:
        return ModelBundle(version=str(version), pipelines=PipelinesOnDisk(directory, sidecars), sidecars=sidecars,
                           arrays=arrays, span_taggers=taggers, span_sidecars=span_sidecars)
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
