"""Site rules: whole-word lists after normalisation, link counts, prior approval, flood control."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.domain import site_rules
from service.domain.errors import ValidationFailed
from service.domain.policy import Thresholds, route
from service.domain.rules import evaluate_rules
from service.storage.models import Comment, Site


def test_words_match_whole_words_not_substrings():
    assert site_rules.match_words("I love WordPress", ["press"]) == []
    assert site_rules.match_words("Stop the PRESS!", ["press"]) == ["press"]
    assert site_rules.match_words("what an ａｓｓ", ["ass"]) == ["ass"]  # fullwidth folds to ASCII
    assert site_rules.match_words("a classic pass", ["ass"]) == []
    assert site_rules.match_words("buy cheap  pills", ["cheap pills"]) == ["cheap pills"]


def _findings(app, site_name, content, **comment_fields):
    with app.extensions["db"].session() as s:
        site = s.query(Site).filter_by(name=site_name).one()
        comment = Comment(site_id=site.id, thread="t", content=content, author_name="A", status="pending",
                          **comment_fields)
        s.add(comment)
        s.flush()
        return evaluate_rules(s, comment, site)


def _set(app, name, settings):
    with app.extensions["db"].session() as s:
        site = s.query(Site).filter_by(name=name).one()
        site_rules.update_site_settings(s, site, settings)


def test_links_and_word_lists_route_the_comment(app, sites):
    _set(app, "news", {"max_links": 2, "moderation_words": ["press"], "blocked_words": ["casino"]})
    two_links = "see https://a.example and https://b.example"
    codes = [f.reason.code for f in _findings(app, "news", two_links)]
    assert codes == ["too_many_links"]
    assert _findings(app, "news", "one link https://a.example only") == []
    findings = _findings(app, "news", "Best CASINO and the press")
    routing = route({"spam": 0.1, "toxicity": 0.1}, Thresholds(0.5, 0.97, 0.5), findings)
    assert routing.status == "rejected"
    assert {r.code for r in routing.reasons} == {"blocked_word", "moderation_word"}
    assert _findings(app, "news", "Built with WordPress") == []


def test_prior_approval_and_flood(app, sites, add_comment):
    from service.domain.secrets import email_hash

    _set(app, "news", {"require_prior_approval": True, "flood_seconds": 60})
    digest = email_hash("new@example.org")
    assert [f.reason.code for f in _findings(app, "news", "hi", author_email_hash=digest)] == ["first_comment"]
    add_comment(email="new@example.org", status="approved")
    codes = [f.reason.code for f in _findings(app, "news", "hi again", author_email_hash=digest)]
    assert codes == ["flood"]  # approved before, but only seconds ago
    old = datetime.now(UTC) + timedelta(seconds=120)
    assert _findings(app, "news", "later", author_email_hash=digest, created_at=old) == []


def test_settings_validation_names_each_field():
    with pytest.raises(ValidationFailed) as exc:
        site_rules.validate_settings({"max_links": -1, "flood_seconds": "soon", "auto_reject": "maybe",
                                      "spam_hold_threshold": 0.9, "spam_reject_threshold": 0.5, "nope": 1})
    fields = {e.field for e in exc.value.errors}
    assert fields == {"max_links", "flood_seconds", "auto_reject", "spam_reject_threshold", "nope"}
    assert site_rules.validate_settings({"blocked_words": "a\n\n b \n", "premoderate": "on"}) == {
        "blocked_words": ["a", "b"], "premoderate": True}
