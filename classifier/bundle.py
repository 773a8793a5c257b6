"""ModelBundle: the heads of one trained model version, scored together; saving and loading them.

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
from classifier.features import Featurizer, HashingParams
from classifier.heads import HEAD_LABELS
from classifier.inputs import CommentInput
from classifier.modelfiles import read_head, read_sidecar, write_head
from classifier.scoring import HeadScorer, clean_probabilities


class ModelBundle:
    """Heads trained together, sharing one featurizer."""

    def __init__(
        self, version: str, pipelines: Mapping[str, Pipeline], sidecars: dict[str, dict], *,
        arrays: Mapping[str, HeadArrays] | None = None,
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
            arrays = {h: HeadArrays.from_pipeline(pipelines[h]) for h in self.heads}
        self.compact = CompactHeads(self.heads, n_columns, arrays)
        self._scorers = {h: HeadScorer(h, self.featurizer, self.compact) for h in self.heads}

    def probabilities(self, items: Sequence[CommentInput]) -> np.ndarray:
        """Return the (len(items), len(heads)) matrix of probabilities, columns in `heads` order."""
        if not items:
            return np.zeros((0, len(self.heads)))
        return clean_probabilities(self.compact.predict(self.featurizer.rows(items)))

    def score(self, items: Sequence[CommentInput]) -> list[dict[str, float]]:
        """Return one {head: probability} dict per comment, for every head of the bundle."""
        if not items:
            return []
        heads = self.heads
        return [dict(zip(heads, row, strict=True)) for row in self.probabilities(items).tolist()]

    def explain(self, item: CommentInput, heads: Sequence[str] = ("spam", "toxicity"), top_k: int = 5) -> dict:
        """Explain the scores of one comment: original-text spans and metadata features that raised them."""
        return {head: self._scorers[head].explain(item, top_k=top_k) for head in heads if head in self._scorers}


def save_bundle(bundle: ModelBundle, directory: Path) -> None:
    """Write each head as `<head>.skops` plus `<head>.json` into directory."""
    directory = Path(directory)
    for head in bundle.heads:
        bundle.sidecars[head] = write_head(directory, head, bundle.pipelines[head], bundle.sidecars[head])


def load_bundle(directory: Path) -> ModelBundle:
    """Load every head in directory; raise ModelFileError if any file is missing, changed or incompatible."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ModelFileError(f"{directory}: no such model directory")
    sidecars = {}
    for path in sorted(directory.glob("*.json")):
        if (directory / f"{path.stem}.skops").exists():
            sidecar = read_sidecar(path)
            if sidecar["head"] != path.stem:
                raise ModelFileError(f"{path}: sidecar names head {sidecar['head']!r}, file is for {path.stem!r}")
            sidecars[path.stem] = sidecar
    if not sidecars:
        raise ModelFileError(f"{directory}: no model files (<head>.skops with <head>.json)")
    arrays = {}
    for head, sidecar in sidecars.items():
        pipeline = read_head(directory, sidecar)
        try:
            arrays[head] = HeadArrays.from_pipeline(pipeline)
        except (ValueError, KeyError, AttributeError, IndexError) as error:
            raise ModelFileError(f"{directory / (head + '.skops')}: not a head Pipeline this version scores "
                                 f"({type(error).__name__}: {error})") from error
        del pipeline  # one Pipeline in memory at a time
    versions = {str(s.get("version")) for s in sidecars.values()}
    version = sidecars.get("spam", next(iter(sidecars.values()))).get("version") or "unknown"
    if len(versions) > 1:
        version = "+".join(sorted(versions))
    try:
        return ModelBundle(version=str(version), pipelines=PipelinesOnDisk(directory, sidecars), sidecars=sidecars,
                           arrays=arrays)
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
