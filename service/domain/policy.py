"""Routing policy: turn model scores and rule findings into one decision with every reason. Pure code."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("pending", "approved", "held", "rejected")
_SEVERITY = {"approved": 0, "held": 1, "rejected": 2}


@dataclass(frozen=True)
class Thresholds:
    spam_hold: float
    spam_reject: float
    toxicity_hold: float
    auto_reject: bool = False

    @classmethod
    def for_site(cls, site_settings: dict | None, defaults: dict) -> Thresholds:
        """A site's thresholds, falling back to the app's defaults for anything it does not set."""
        s = site_settings or {}
        return cls(
            spam_hold=float(s.get("spam_hold_threshold", defaults["SPAM_HOLD_THRESHOLD"])),
            spam_reject=float(s.get("spam_reject_threshold", defaults["SPAM_REJECT_THRESHOLD"])),
            toxicity_hold=float(s.get("toxicity_hold_threshold", defaults["TOXICITY_HOLD_THRESHOLD"])),
            auto_reject=bool(s.get("auto_reject", False)),
        )

    def hold_by_head(self) -> dict[str, float]:
        """The score at which each model head holds a comment (an explanation highlights a head from there)."""
        return {"spam": self.spam_hold, "toxicity": self.toxicity_hold}


@dataclass(frozen=True)
class Reason:
    """Why a comment got its status: `source` is model or rule, `code` says what fired."""

    code: str
    source: str
    detail: str
    score: float | None = None
    threshold: float | None = None

    def as_dict(self) -> dict:
        d = {"code": self.code, "source": self.source, "detail": self.detail}
        if self.score is not None:
            d["score"] = round(self.score, 4)
        if self.threshold is not None:
            d["threshold"] = self.threshold
        return d


@dataclass(frozen=True)
class RuleFinding:
    """A site rule's verdict: the status it asks for at least (or exactly, with `overrides`)."""

    status: str
    reason: Reason
    # Trusted authors approve outright; a ban rejects outright. Other rules only ever make it stricter.
    overrides: bool = False


@dataclass
class Routing:
    status: str
    reasons: list[Reason] = field(default_factory=list)

    def reasons_as_dicts(self) -> list[dict]:
        return [r.as_dict() for r in self.reasons]


def route(scores: dict[str, float], thresholds: Thresholds, findings: list[RuleFinding] = ()) -> Routing:
    """Decide approved, held or rejected from scores and rule findings, recording every reason."""
    for finding in findings:
        if finding.overrides:
            return Routing(finding.status, [finding.reason])
    status = "approved"
    reasons: list[Reason] = []
    spam = scores.get("spam")
    toxicity = scores.get("toxicity")
    if spam is not None and thresholds.auto_reject and spam >= thresholds.spam_reject:
        status = "rejected"
        reasons.append(Reason("spam", "model", "spam score at or above the auto-reject threshold",
                              spam, thresholds.spam_reject))
    elif spam is not None and spam >= thresholds.spam_hold:
        status = "held"
        reasons.append(Reason("spam", "model", "spam score at or above the hold threshold",
                              spam, thresholds.spam_hold))
    if toxicity is not None and toxicity >= thresholds.toxicity_hold:
        status = _stricter(status, "held")
        reasons.append(Reason("toxic", "model", "toxicity score at or above the hold threshold",
                              toxicity, thresholds.toxicity_hold))
    for finding in findings:
        status = _stricter(status, finding.status)
        reasons.append(finding.reason)
    return Routing(status, reasons)


def _stricter(a: str, b: str) -> str:
    return a if _SEVERITY[a] >= _SEVERITY[b] else b
