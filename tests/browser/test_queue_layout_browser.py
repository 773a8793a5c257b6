"""The queue as a moderator sees it on a 1080p screen: dense enough to work, with every score visible, a
legend for the highlights, and reject reasons that follow why a comment was held."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# A 1920x1080 screen less the browser's own tabs, address bar and the desktop's task bar.
SCREEN_VIEWPORT = {"width": 1920, "height": 940}
SUB_SCORES = {"insult": 0.81, "threat": 0.07, "identity_attack": 0.02, "obscene": 0.33, "severe_toxic": 0.05}
TOXIC_REASON = {"code": "toxic", "source": "model", "score": 0.86, "threshold": 0.5,
                "detail": "toxicity score at or above the hold threshold"}
SPAM_REASON = {"code": "spam", "source": "model", "score": 0.93, "threshold": 0.5,
               "detail": "spam score at or above the hold threshold"}
TEXTS = [
    "You are a pathetic idiot and everyone on this site knows it. Nobody wants to read your nonsense "
    "about the council budget; go back to whatever hole you crawled out of and stay there.",
    "Cheap meds, no prescription needed! Visit http://pills.example today for 80% off every order, "
    "free shipping worldwide, discreet packaging, and a bonus gift with every purchase over $50.",
    "I think the article misses the point about the bus routes. The Sunday timetable was cut last year "
    "and the new one does not bring it back, whatever the press release says. Has anyone asked the "
    "council why the 42 no longer runs after 8pm? Some of us work late and have no other way home, and "
    "taxis cost more than a day's pay. I wrote to them twice and never heard back.",
]


def _seed(live, count: int = 12) -> list[int]:
    news = live.site("news")
    ids = []
    for n in range(count):
        kind = n % 3
        scores = ({"spam": 0.04, "toxicity": 0.86, **SUB_SCORES} if kind == 0 else
                  {"spam": 0.93, "toxicity": 0.03, **{k: 0.01 for k in SUB_SCORES}} if kind == 1 else
                  {"spam": 0.55, "toxicity": 0.12, **{k: 0.02 for k in SUB_SCORES}})
        reasons = [TOXIC_REASON] if kind == 0 else [SPAM_REASON] if kind == 1 else [
            {**SPAM_REASON, "score": 0.55}, {"code": "first_comment", "source": "rule", "detail": "first"}]
        text = TEXTS[kind]
        ids.append(live.comment(news, text, author_name=f"Reader {n}", email=f"reader{n}@example.org",
                                spam_score=scores["spam"], toxicity_score=scores["toxicity"], scores=scores,
                                reasons=reasons, user_ip="203.0.113.9",
                                explanation={"toxicity" if kind == 0 else "spam": {"score": 0.9, "features": [],
                                             "spans": [{"begin": 10, "end": 24, "score": 1.0,
                                                        "text": text[10:24]}]}}))
    return ids


def test_a_1080p_screen_shows_eight_comments_with_their_scores(live, chromium_browser):
    ids = _seed(live)
    live.user("mod@example.org")
    context = chromium_browser.new_context(viewport=SCREEN_VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        live.login(page, "mod@example.org")
        page.keyboard.press("Escape")
        boxes = [page.locator(f"#c-{i}").bounding_box() for i in ids]
        # Measured with the first comment selected (it opens in full), as the moderator sees the page.
        visible = [b for b in boxes if b["y"] >= 0 and b["y"] + b["height"] <= SCREEN_VIEWPORT["height"]]
        assert len(visible) >= 8, [round(b["y"] + b["height"]) for b in boxes]

        first = page.locator(f"#c-{ids[0]}")
        scores = first.locator("dl.scores").inner_text()
        for head in ("spam", "toxicity", "insult", "threat", "identity attack", "obscene", "severe toxic"):
            assert head in scores
        assert "0.81" in scores and "0.86" in scores

        legend = page.locator(".legend")
        assert legend.locator("mark.span-spam").is_visible() and legend.locator("mark.span-toxicity").is_visible()
        assert "spam" in legend.inner_text() and "toxicity" in legend.inner_text()
        assert first.locator("mark.span-toxicity").count() == 1
    finally:
        context.close()


def test_reject_reason_follows_the_hold_reason_and_r_rejects_with_it(live, page):
    toxic, spam, mixed = _seed(live, 3)
    live.user("mod@example.org")
    live.login(page, "mod@example.org")
    chosen = {i: page.locator(f"#c-{i} select[name=reason_code]").input_value() for i in (toxic, spam, mixed)}
    assert chosen == {toxic: "toxic", spam: "spam", mixed: "spam"}
    with page.expect_navigation():
        page.keyboard.press("r")  # the first comment, held as toxic, is selected
    assert live.status(toxic) == "rejected"
    assert "rejected as toxic" in page.locator(".flash").inner_text()
    from sqlalchemy import select

    from service.storage.models import Label

    with live.db.session() as s:
        label = s.scalar(select(Label).where(Label.comment_id == toxic))
        assert (label.label_spam, label.label_toxic) == (None, 1)
