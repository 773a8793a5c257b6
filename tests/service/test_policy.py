"""Routing policy: thresholds, auto-reject, rules that override and rules that only tighten."""

from service.domain.policy import Reason, RuleFinding, Thresholds, route

T = Thresholds(spam_hold=0.5, spam_reject=0.9, toxicity_hold=0.6, auto_reject=False)


def test_low_scores_approve_with_no_reasons():
    routing = route({"spam": 0.1, "toxicity": 0.2}, T)
    assert routing.status == "approved" and routing.reasons == []


def test_spam_over_hold_threshold_holds_with_the_score_as_reason():
    routing = route({"spam": 0.95, "toxicity": 0.0}, T)
    assert routing.status == "held"
    assert routing.reasons_as_dicts()[0] == {
        "code": "spam", "source": "model", "detail": "spam score at or above the hold threshold",
        "score": 0.95, "threshold": 0.5,
    }


def test_auto_reject_only_when_the_site_enables_it():
    strict = Thresholds(0.5, 0.9, 0.6, auto_reject=True)
    assert route({"spam": 0.95, "toxicity": 0.0}, strict).status == "rejected"
    assert route({"spam": 0.85, "toxicity": 0.0}, strict).status == "held"


def test_toxicity_holds_and_both_reasons_are_recorded():
    routing = route({"spam": 0.7, "toxicity": 0.8}, T)
    assert routing.status == "held"
    assert [r.code for r in routing.reasons] == ["spam", "toxic"]


def test_rule_findings_only_tighten_unless_they_override():
    hold = RuleFinding("held", Reason("links", "rule", "too many links"))
    assert route({"spam": 0.0, "toxicity": 0.0}, T, [hold]).status == "held"
    trusted = RuleFinding("approved", Reason("trusted_author", "rule", "trusted"), overrides=True)
    assert route({"spam": 0.99, "toxicity": 0.99}, T, [trusted]).status == "approved"


def test_site_settings_override_app_defaults():
    defaults = {"SPAM_HOLD_THRESHOLD": 0.5, "SPAM_REJECT_THRESHOLD": 0.97, "TOXICITY_HOLD_THRESHOLD": 0.5}
    t = Thresholds.for_site({"spam_hold_threshold": 0.8, "auto_reject": True}, defaults)
    assert (t.spam_hold, t.spam_reject, t.toxicity_hold, t.auto_reject) == (0.8, 0.97, 0.5, True)
