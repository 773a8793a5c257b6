"""The moderator UI in a real browser: login, approve, reject, bulk, keyboard, undo, the example form,
untrusted HTML rendering inert, and form posts without a CSRF token refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import select

pytestmark = pytest.mark.browser


def _article(page, comment_id: int):
    return page.locator(f"#c-{comment_id}")


def test_login_approve_reject_with_reason_and_bulk(live, page):
    news = live.site("news")
    live.user("mod@example.org")
    ids = [live.comment(news, f"Comment number {i}") for i in range(4)]
    live.login(page, "mod@example.org")
    assert page.locator("li.comment").count() == 4

    _article(page, ids[0]).locator("button.btn-approve").click()
    page.wait_for_selector(".flash")
    assert "approved" in page.locator(".flash").inner_text()
    assert live.status(ids[0]) == "approved"

    _article(page, ids[1]).locator("select[name=reason_code]").select_option("off-topic")
    _article(page, ids[1]).locator("button.btn-reject").click()
    page.wait_for_selector(".flash")
    assert live.status(ids[1]) == "rejected"
    from service.storage.models import Decision

    with live.db.session() as s:
        assert s.scalars(select(Decision.reason_code).where(Decision.comment_id == ids[1])).all() == ["off-topic"]

    _article(page, ids[2]).locator("input[name=ids]").check()
    _article(page, ids[3]).locator("input[name=ids]").check()
    page.click("#bulk button[value=approved]")
    page.wait_for_selector(".flash")
    assert "2 comment(s) approved" in page.locator(".flash").inner_text()
    assert [live.status(i) for i in ids[2:]] == ["approved", "approved"]
    assert page.locator("li.comment").count() == 0


def test_keyboard_shortcuts_and_undo(live, page):
    news = live.site("news")
    live.user("mod@example.org")
    ids = [live.comment(news, f"Keyboard comment {i}") for i in range(3)]
    live.login(page, "mod@example.org")
    # The first comment is selected on load; j moves down, k back up.
    assert "current" in _article(page, ids[0]).get_attribute("class")
    page.keyboard.press("j")
    assert "current" in _article(page, ids[1]).get_attribute("class")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert "current" in _article(page, ids[1]).get_attribute("class")
    with page.expect_navigation():
        page.keyboard.press("a")
    assert live.status(ids[1]) == "approved"
    # The selection stays where the moderator was: on the comment that took the approved one's place.
    assert "current" in _article(page, ids[2]).get_attribute("class")
    with page.expect_navigation():
        page.keyboard.press("u")
    assert live.status(ids[1]) == "held"
    assert "Undone" in page.locator(".flash").inner_text()
    assert "current" in _article(page, ids[1]).get_attribute("class")  # back on the comment undone
    with page.expect_navigation():
        page.keyboard.press("r")
    assert live.status(ids[1]) == "rejected"
    assert "current" in _article(page, ids[2]).get_attribute("class")


XSS = [
    "<script>window.__xss = 1; alert('script')</script>",
    "<img src=x onerror=\"window.__xss = 2; alert('img')\">",
    "<a href=\"javascript:alert('link')\">click me</a> javascript:alert(4)",
    "Totally safe \u202egnp.exe\u202c comment <svg onload=alert(5)>",
    "\"><iframe srcdoc=\"<script>parent.alert(6)</script>\"></iframe>",
]


def test_untrusted_comments_render_inert(live, page):
    news = live.site("news")
    live.user("mod@example.org")
    ids = [live.comment(news, text, author_name="<b onmouseover=alert(7)>Eve</b>",
                        author_url="javascript:alert(8)") for text in XSS]
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    live.login(page, "mod@example.org")
    for url in (f"{live.url}/moderate?queue=held", f"{live.url}/moderate/comments/{ids[0]}",
                f"{live.url}/moderate/comments/{ids[3]}"):
        page.goto(url)
        page.mouse.move(200, 300)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__xss === undefined")
        assert page.locator("main img, main svg, main iframe, main script, main b").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
    page.goto(f"{live.url}/moderate?queue=held")
    text = _article(page, ids[0]).locator(".text").inner_text()
    assert "<script>window.__xss = 1" in text  # shown as text, not run
    assert "[U+202E]gnp.exe[U+202C]" in _article(page, ids[3]).locator(".text").inner_text()
    assert dialogs == []


def test_form_posts_without_csrf_token_are_refused(live, page):
    news = live.site("news")
    live.user("mod@example.org")
    comment_id = live.comment(news, "Target comment")
    live.login(page, "mod@example.org")
    # The browser holds a valid session cookie; a post without the form's token must still fail.
    response = page.request.post(f"{live.url}/moderate/comments/{comment_id}/decision",
                                 form={"status": "approved"}, max_redirects=0)
    assert response.status == 400
    # A cross-site page auto-submitting a form: the session cookie is sent (SameSite=Lax allows top-level
    # POST navigation only from same-site), but without the token the server refuses it.
    page.set_content(f"""<form method=post action="{live.url}/moderate/comments/{comment_id}/decision">
        <input name=status value=approved></form>""")
    with page.expect_navigation():
        page.evaluate("document.forms[0].submit()")
    assert live.status(comment_id) == "held"


def test_example_form_submission_reaches_the_queue(live, page):
    live.site("news")
    live.user("mod@example.org")
    key = live.publishable_key("news")
    page.goto(f"{live.url}/examples/comment-form?site_key={key}")
    assert "Your email address will not be published" in page.content()
    page.fill("#comment", "The new timetable is great, thanks for the write-up.")
    page.fill("#author", "Robin")
    page.fill("#email", "robin@example.org")
    page.fill("#url", "https://robin.example")
    page.click("#submit")
    page.wait_for_selector("#form-status:has-text('awaiting moderation')")

    moderator = page.context.browser.new_context().new_page()
    live.login(moderator, "mod@example.org")
    moderator.goto(f"{live.url}/moderate?queue=all")
    article = moderator.locator("li.comment", has_text="The new timetable is great")
    assert article.count() == 1
    assert "r***@example.org" in article.inner_text() and "robin@example.org" not in moderator.content()
    article.locator("button.btn-approve").click()
    moderator.wait_for_selector(".flash")
    moderator.context.close()

    page.reload()
    assert page.locator("ol.approved li", has_text="The new timetable is great").count() == 1


def test_queue_screenshots(live, page, tmp_path):
    """Screenshots for the README; written to MODERATO_SCREENSHOT_DIR when set (docs/screenshots)."""
    target = Path(os.environ.get("MODERATO_SCREENSHOT_DIR") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    news, blog = live.site("news"), live.site("blog")
    live.user("admin@example.org", role="admin")
    spam = "Cheap meds, no prescription needed! Visit http://pills.example today"
    subs = {"insult": 0.02, "threat": 0.01, "obscene": 0.03, "identity_attack": 0.01, "severe_toxic": 0.01}
    live.comment(news, spam, author_name="Pill Shop", email="sales@pills.example", spam_score=0.93,
                 toxicity_score=0.04, scores={"spam": 0.93, "toxicity": 0.04, **subs},
                 user_ip="203.0.113.9", author_url="http://pills.example",
                 reasons=[{"code": "spam", "source": "model", "detail": "spam score at or above the hold threshold"},
                          {"code": "too_many_links", "source": "rule", "detail": "1 links"}],
                 explanation={"spam": {"score": 0.93, "features": [], "spans": [
                     {"begin": 0, "end": 10, "score": 1.2, "text": spam[:10]},
                     {"begin": spam.index("no prescription"), "end": spam.index("no prescription") + 15,
                      "score": 0.8, "text": "no prescription"}]}})
    insult = "You are a pathetic idiot and everyone here hates you."
    live.comment(news, insult, author_name="Angry", email="angry@example.org", spam_score=0.08,
                 toxicity_score=0.88, user_ip="198.51.100.4",
                 scores={"spam": 0.08, "toxicity": 0.88, **subs, "insult": 0.91, "severe_toxic": 0.12},
                 reasons=[{"code": "toxic", "source": "model", "detail": "toxicity at or above the hold threshold"}],
                 explanation={"toxicity": {"score": 0.88, "features": [], "spans": [
                     {"begin": 10, "end": 24, "score": 1.5, "text": insult[10:24]}]}})
    live.comment(blog, "First time here, is the <b>recipe</b> gluten-free?", author_name="Sam",
                 email="sam@example.org", spam_score=0.41, toxicity_score=0.02,
                 scores={"spam": 0.41, "toxicity": 0.02, **subs},
                 reasons=[{"code": "first_comment", "source": "rule", "detail": "no approved comment yet"}])
    live.login(page, "admin@example.org")
    page.screenshot(path=str(target / "queue.png"), full_page=True)
    page.locator("li.comment .head a").first.click()
    page.wait_for_selector("h1:has-text('Comment #')")
    page.screenshot(path=str(target / "comment.png"), full_page=True)
    for name in ("queue.png", "comment.png"):
        assert (target / name).stat().st_size > 10_000
