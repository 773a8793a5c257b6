"""Perspective API semantics: requested attributes mapped to model heads, summary and span scores, feedback."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from classifier import CommentInput
from service.domain.compat.feedback import label_text
from service.domain.compat.screening import Incoming, screen
from service.domain.errors import FieldError, ValidationFailed
from service.domain.model_registry import ModelRegistry
from service.storage.models import Site

SOURCE = "perspective"
# Perspective attribute -> the model head that scores it. Heads a model lacks fall back to `toxicity`.
ATTRIBUTE_HEADS = {
    "TOXICITY": "toxicity",
    "SEVERE_TOXICITY": "severe_toxic",
    "INSULT": "insult",
    "THREAT": "threat",
    "IDENTITY_ATTACK": "identity_attack",
    "PROFANITY": "obscene",
    "SPAM": "spam",
}
TOXIC_ATTRIBUTES = tuple(name for name in ATTRIBUTE_HEADS if name != "SPAM")
# The models are trained on English text; scores for other languages would be guesses.
SUPPORTED_LANGUAGES = ("en",)
MAX_TEXT_BYTES = 20480  # Perspective's own limit
ANALYZE_FIELDS = {"comment", "context", "requestedAttributes", "spanAnnotations", "languages", "doNotStore",
                  "clientToken", "sessionId", "communityId"}
SUGGEST_FIELDS = {"comment", "context", "attributeScores", "languages", "clientToken", "sessionId", "communityId"}
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n+|$)")


class UnsupportedRequest(ValidationFailed):
    """A well-formed request Perspective itself would refuse (unknown attribute, unsupported language)."""


@dataclass(frozen=True)
class AnalyzeRequest:
    text: str
    attributes: dict[str, float | None]  # name -> scoreThreshold
    languages: list[str]
    span_annotations: bool
    do_not_store: bool
    client_token: str | None
    community_id: str | None


def parse_analyze(body: Mapping) -> AnalyzeRequest:
    """Validate a comments:analyze body; raise ValidationFailed naming the offending field."""
    _reject_unknown(body, ANALYZE_FIELDS)
    text = _comment_text(body)
    requested = body.get("requestedAttributes")
    if not isinstance(requested, dict) or not requested:
        raise ValidationFailed([FieldError("requestedAttributes", "must be a non-empty object of attribute names")])
    attributes: dict[str, float | None] = {}
    for name, options in requested.items():
        if name not in ATTRIBUTE_HEADS:
            raise UnsupportedRequest([FieldError(f"requestedAttributes.{name}"[:100], f"Unknown attribute: {name}")])
        attributes[name] = _attribute_options(name, options)
    languages = _languages(body)
    supported = [lang for lang in languages if lang.split("-")[0].lower() in SUPPORTED_LANGUAGES]
    if languages and not supported:
        first = sorted(attributes)[0]
        raise UnsupportedRequest([FieldError("languages", f"Attribute {first} does not support request languages: "
                                             f"{', '.join(languages)}")])
    return AnalyzeRequest(
        text=text, attributes=attributes, languages=languages,
        span_annotations=_flag(body, "spanAnnotations"), do_not_store=_flag(body, "doNotStore"),
        client_token=_optional_string(body, "clientToken"), community_id=_optional_string(body, "communityId"),
    )


def analyze(session: Session, registry: ModelRegistry, defaults: Mapping, site: Site, req: AnalyzeRequest) -> dict:
    """Score the text for each requested attribute; store it only if the site opted in and the client allows."""
    store = bool((site.settings or {}).get("perspective_store_comments")) and not req.do_not_store
    screened = screen(session, registry, defaults, site,
                      Incoming(content=req.text, thread=req.community_id or site.url, author_name="perspective",
                               language=(req.languages or [None])[0]),
                      store=store, source=SOURCE)
    heads = {name: head_for(name, screened.scores) for name in req.attributes}
    spans = _sentence_spans(req.text) if req.span_annotations else [(0, len(req.text))]
    span_scores = _score_spans(registry, req.text, spans, set(heads.values())) if req.span_annotations else None
    scores = {}
    for name, threshold in req.attributes.items():
        value = screened.scores[heads[name]]
        if threshold is not None and value < threshold:
            continue  # Perspective omits attributes scoring under the requested threshold
        per_span = span_scores[heads[name]] if span_scores else [value]
        scores[name] = {
            "spanScores": [{"begin": b, "end": e, "score": _probability(v)} for (b, e), v in zip(spans, per_span,
                                                                                                  strict=True)],
            "summaryScore": _probability(value),
        }
    response = {"attributeScores": scores, "languages": req.languages or list(SUPPORTED_LANGUAGES)}
    if req.client_token:
        response["clientToken"] = req.client_token
    return response


def head_for(attribute: str, scores: Mapping[str, float]) -> str:
    """The head that scores `attribute`: its own if the active model has it, else `toxicity`."""
    head = ATTRIBUTE_HEADS[attribute]
    return head if head in scores else "toxicity"


def suggest_score(session: Session, site: Site, body: Mapping) -> dict:
    """Record a comments:suggestscore body as a labelled example; returns the response body."""
    _reject_unknown(body, SUGGEST_FIELDS)
    text = _comment_text(body)
    suggested = body.get("attributeScores")
    if not isinstance(suggested, dict) or not suggested:
        raise ValidationFailed([FieldError("attributeScores", "must be a non-empty object of attribute names")])
    values: dict[str, float] = {}
    for name, entry in suggested.items():
        field = f"attributeScores.{name}"[:100]
        if name not in ATTRIBUTE_HEADS:
            raise UnsupportedRequest([FieldError(field, f"Unknown attribute: {name}")])
        value = entry.get("summaryScore", {}).get("value") if isinstance(entry, dict) and isinstance(
            entry.get("summaryScore"), dict) else None
        if not _is_number(value) or not 0.0 <= value <= 1.0:
            raise ValidationFailed([FieldError(f"{field}.summaryScore.value"[:100], "must be a number from 0 to 1")])
        values[name] = float(value)
    _languages(body)
    label_spam = None if "SPAM" not in values else int(values["SPAM"] >= 0.5)
    toxic = [values[n] for n in TOXIC_ATTRIBUTES if n in values]
    # Any toxic-family attribute at 0.5 or more means toxic; only a low TOXICITY itself means "not toxic".
    label_toxic = 1 if any(v >= 0.5 for v in toxic) else (0 if "TOXICITY" in values else None)
    if label_spam is None and label_toxic is None:
        raise ValidationFailed([FieldError("attributeScores", "a low score for a sub-attribute teaches nothing; "
                                           "suggest TOXICITY or SPAM")])
    label_text(session, site, text=text, label_spam=label_spam, label_toxic=label_toxic, source=SOURCE, provenance={
        "via": SOURCE, "endpoint": "comments:suggestscore", "site": site.name, "suggested": values,
        "community_id": _optional_string(body, "communityId"), "received_at": datetime.now(UTC).isoformat(),
    })
    token = _optional_string(body, "clientToken")
    return {"clientToken": token} if token else {}


def _score_spans(registry: ModelRegistry, text: str, spans: list[tuple[int, int]], heads: set[str]) -> dict:
    """Score each sentence on its own, as Perspective's per-sentence span scores do."""
    results = registry.get().score_many([CommentInput(text=text[b:e]) for b, e in spans])
    return {head: [r.get(head, r["toxicity"]) for r in results] for head in heads}


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _SENTENCE.finditer(text):
        begin, end = match.start(), match.end()
        while begin < end and text[begin].isspace():
            begin += 1
        while end > begin and text[end - 1].isspace():
            end -= 1
        if end > begin:
            spans.append((begin, end))
    return spans or [(0, len(text))]


def _probability(value: float) -> dict:
    return {"value": round(float(value), 6), "type": "PROBABILITY"}


def _comment_text(body: Mapping) -> str:
    comment = body.get("comment")
    if not isinstance(comment, dict):
        raise ValidationFailed([FieldError("comment", "must be an object with a `text` field")])
    text = comment.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed([FieldError("comment.text", "Comment must be non-empty.")])
    if "\x00" in text or re.search(r"[\ud800-\udfff]", text):
        raise ValidationFailed([FieldError("comment.text", "must be valid Unicode text without NUL characters")])
    if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
        raise ValidationFailed([FieldError("comment.text", f"Comment text was too many bytes (at most "
                                           f"{MAX_TEXT_BYTES})")])
    kind = comment.get("type", "PLAIN_TEXT")
    if kind not in ("PLAIN_TEXT", "HTML"):
        raise ValidationFailed([FieldError("comment.type", "must be PLAIN_TEXT or HTML")])
    return text


def _attribute_options(name: str, options: object) -> float | None:
    field = f"requestedAttributes.{name}"
    if options is None:
        return None
    if not isinstance(options, dict):
        raise ValidationFailed([FieldError(field, "must be an object such as {}")])
    score_type = options.get("scoreType", "PROBABILITY")
    if score_type != "PROBABILITY":
        raise UnsupportedRequest([FieldError(f"{field}.scoreType", f"Unsupported scoreType: {score_type}")])
    threshold = options.get("scoreThreshold")
    if threshold is not None and (not _is_number(threshold) or not 0.0 <= threshold <= 1.0):
        raise ValidationFailed([FieldError(f"{field}.scoreThreshold", "must be a number from 0 to 1")])
    return None if threshold is None else float(threshold)


def _languages(body: Mapping) -> list[str]:
    languages = body.get("languages", [])
    if not isinstance(languages, list) or not all(isinstance(x, str) and x.strip() for x in languages):
        raise ValidationFailed([FieldError("languages", "must be a list of language codes such as [\"en\"]")])
    return [x.strip() for x in languages]


def _flag(body: Mapping, name: str) -> bool:
    value = body.get(name, False)
    if not isinstance(value, bool):
        raise ValidationFailed([FieldError(name, "must be true or false")])
    return value


def _optional_string(body: Mapping, name: str) -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationFailed([FieldError(name, "must be a string")])
    return value[:200]


def _reject_unknown(body: Mapping, allowed: set[str]) -> None:
    unknown = sorted(set(body) - allowed)
    if unknown:
        raise ValidationFailed([FieldError(str(name)[:100], f'Invalid JSON payload received. Unknown name "{name}": '
                                           "Cannot find field.") for name in unknown])


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
