"""ModelBundle: the heads of one trained model version, scored together; saving and loading them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sklearn.pipeline import Pipeline

from classifier.errors import ModelFileError
from classifier.features import Featurizer, HashingParams
from classifier.heads import HEAD_LABELS
from classifier.inputs import CommentInput
from classifier.modelfiles import read_head, read_sidecar, write_head
from classifier.scoring import HeadScorer


class ModelBundle:
    """Heads trained together, sharing one featurizer."""

    def __init__(self, version: str, pipelines: dict[str, Pipeline], sidecars: dict[str, dict]) -> None:
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
        self._scorers = {h: HeadScorer(pipelines[h], self.featurizer) for h in self.heads}

    def score(self, items: Sequence[CommentInput]) -> list[dict[str, float]]:
        """Return one {head: probability} dict per comment, for every head of the bundle."""
        if not items:
            return []
        X = self.featurizer.transform(items)
        columns = {head: scorer.probabilities(X) for head, scorer in self._scorers.items()}
        return [{head: float(columns[head][i]) for head in self.heads} for i in range(len(items))]

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
    pipelines = {head: read_head(directory, sidecar) for head, sidecar in sidecars.items()}
    versions = {str(s.get("version")) for s in sidecars.values()}
    version = sidecars.get("spam", next(iter(sidecars.values()))).get("version") or "unknown"
    if len(versions) > 1:
        version = "+".join(sorted(versions))
    try:
        return ModelBundle(version=str(version), pipelines=pipelines, sidecars=sidecars)
    except (ValueError, KeyError, TypeError) as error:
        raise ModelFileError(f"{directory}: inconsistent model files ({error})") from error
