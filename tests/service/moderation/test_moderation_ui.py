"""The moderator web UI: login, scoping, actions, CSRF, safe rendering of untrusted comment text."""

from __future__ import annotations

import re

from sqlalchemy import select

from service.storage.models import Decision, Label, User


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/moderate?queue=held")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    page = client.get("/login")
    assert 'name="email"' in page.text and 'name="password"' in page.text and 'name="csrf_token"' in page.text


def test_login_sets_a_hardened_session_cookie_and_logout_ends_it(client, make_user, login, csrf_from):
    make_user("mod@example.org")
    response = login(client, "mod@example.org")
    assert response.status_code == 302 and response.headers["Location"] == "/moderate"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get("/moderate").status_code == 200
    token = csrf_from(client.get("/moderate").text)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/moderate").status_code == 302


def test_wrong_passwords_lock_the_account_out(app, client, make_user, login):
    make_user("mod@example.org")
    for _ in range(5):
        assert login(client, "mod@example.org", "wrong password!").status_code == 401
    # Locked: even the right password is refused until the lock expires.
    assert login(client, "mod@example.org").status_code == 429
    with app.extensions["db"].session() as s:
        user = s.scalar(select(User).where(User.email == "mod@example.org"))
        assert user.failed_logins == 5 and user.locked_until is not None


def test_post_without_csrf_token_is_refused(client, moderator, add_comment):
    comment_id = add_comment()
    response = client.post(f"/moderate/comments/{comment_id}/decision", data={"status": "approved"})
    assert response.status_code == 400
    wrong = client.post(f"/moderate/comments/{comment_id}/decision",
                        data={"status": "approved", "csrf_token": "forged"})
    assert wrong.status_code == 400
    assert "held" in client.get(f"/moderate/comments/{comment_id}").text


def test_login_form_needs_csrf_too(client, make_user):
    make_user("mod@example.org")
    response = client.post("/login", data={"email": "mod@example.org", "password": "correct horse battery"})
    assert response.status_code == 400


def test_moderator_sees_only_their_sites(client, moderator, add_comment):
    mine = add_comment("news", "A comment on news")
    theirs = add_comment("blog", "A comment on blog")
    page = client.get("/moderate?queue=held").text
    assert "A comment on news" in page and "A comment on blog" not in page
    assert client.get(f"/moderate/comments/{theirs}").status_code == 404
    response = client.post(f"/moderate/comments/{theirs}/decision",
                           data={"status": "approved", "csrf_token": moderator})
    assert response.status_code == 404
    assert client.get(f"/moderate/comments/{mine}").status_code == 200
    assert client.get("/admin/users").status_code == 404


def test_approve_records_decision_label_and_history(app, client, moderator, add_comment):
    comment_id = add_comment(content="A perfectly fine comment")
    response = client.post(f"/moderate/comments/{comment_id}/decision",
                           data={"status": "approved", "csrf_token": moderator, "next": "/moderate?queue=held"})
    assert response.status_code == 302 and response.headers["Location"] == "/moderate?queue=held"
    with app.extensions["db"].session() as s:
        decision = s.scalar(select(Decision).where(Decision.comment_id == comment_id))
        assert (decision.kind, decision.actor, decision.from_status, decision.to_status) == (
            "human", "mod@example.org", "held", "approved")
        label = s.scalar(select(Label).where(Label.comment_id == comment_id))
        assert (label.label_spam, label.label_toxic, label.source) == (0, 0, "moderator")
        assert label.provenance == {"user_id": decision.user_id, "decision_id": decision.id, "site": "news"}
    page = client.get(f"/moderate/comments/{comment_id}").text
    assert "mod@example.org (human)" in page


def test_reject_checks_its_reason_and_corrects_the_label(app, client, moderator, add_comment):
    comment_id = add_comment(status="approved")
    wrong = client.post(f"/moderate/comments/{comment_id}/decision",
                        data={"status": "rejected", "reason_code": "rude", "csrf_token": moderator})
    assert wrong.status_code == 422 and "reason_code" in wrong.text
    ok = client.post(f"/moderate/comments/{comment_id}/decision",
                     data={"status": "rejected", "reason_code": "spam", "csrf_token": moderator})
    assert ok.status_code == 302
    with app.extensions["db"].session() as s:
        label = s.scalar(select(Label).where(Label.comment_id == comment_id))
        assert (label.label_spam, label.label_toxic) == (1, None)
    # Reversing the decision from the rejected list corrects the label and keeps the history.
    client.post(f"/moderate/comments/{comment_id}/decision", data={"status": "approved", "csrf_token": moderator})
    with app.extensions["db"].session() as s:
        label = s.scalar(select(Label).where(Label.comment_id == comment_id))
        assert (label.label_spam, label.label_toxic) == (0, 0)
        assert [d.to_status for d in s.scalars(select(Decision).order_by(Decision.id))] == ["rejected", "approved"]


def test_bulk_and_undo(app, client, moderator, add_comment):
    ids = [add_comment(content=f"comment {i}") for i in range(3)]
    response = client.post("/moderate/bulk", data={"ids": [str(i) for i in ids[:2]], "status": "rejected",
                                                   "reason_code": "toxic", "csrf_token": moderator})
    assert response.status_code == 302
    page = client.get("/moderate?queue=held").text
    assert "comment 2" in page and "comment 0" not in page and "comment 1" not in page
    client.post("/moderate/undo", data={"csrf_token": moderator})
    with app.extensions["db"].session() as s:
        from service.storage.models import Comment

        assert s.get(Comment, ids[1]).status == "held"  # the latest decision was undone
        assert s.get(Comment, ids[0]).status == "rejected"
        undo = s.scalars(select(Decision).order_by(Decision.id.desc())).first()
        assert undo.note.startswith("undo:") and undo.to_status == "held"
        assert s.scalar(select(Label).where(Label.comment_id == ids[1])) is None


def test_untrusted_text_is_escaped_and_highlighted(client, moderator, add_comment):
    content = 'Buy <script>alert(1)</script> <img src=x onerror=alert(2)> now \u202eevil'
    begin = content.index("Buy")
    comment_id = add_comment(content=content, author_url="javascript:alert(3)",
                             explanation={"spam": {"score": 0.9, "spans": [
                                 {"begin": begin, "end": begin + 3, "score": 1.0, "text": "Buy"}], "features": []}})
    response = client.get(f"/moderate/comments/{comment_id}")
    page = response.text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert '<mark class="span-spam" title="raised the spam score">Buy</mark>' in page
    assert "[U+202E]evil" in page and "\u202e" not in page
    assert "a***@example.org" in page and "alice@example.org" not in page
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in page.replace('<script src="/static/moderato.js" defer></script>', "")


def test_queue_filters_and_counts(client, moderator, add_comment):
    add_comment(content="about the bus timetable", spam_score=0.2, reasons=[{"code": "toxic", "source": "model"}])
    add_comment(content="buy cheap pills", spam_score=0.9, reasons=[{"code": "spam", "source": "model"}])
    add_comment(content="already fine", status="approved")
    page = client.get("/moderate?queue=held&reason=spam").text
    assert "buy cheap pills" in page and "bus timetable" not in page
    page = client.get("/moderate?queue=held&q=timetable").text
    assert "bus timetable" in page and "cheap pills" not in page
    page = client.get("/moderate?queue=held&min_score=0.5").text
    assert "cheap pills" in page and "bus timetable" not in page
    page = client.get("/moderate?queue=held&order=score").text
    assert page.index("cheap pills") < page.index("bus timetable")
    page = client.get("/moderate?queue=all").text
    assert "already fine" in page
    assert client.get("/moderate?queue=nonsense").status_code == 422


def test_ban_author_rejects_their_next_comment(app, client, moderator, add_comment):
    from service.domain.rules import evaluate_rules
    from service.storage.models import Comment

    first = add_comment(email="troll@example.org")
    client.post(f"/moderate/comments/{first}/author", data={"standing": "banned", "csrf_token": moderator})
    second = add_comment(email="troll@example.org", status="pending")
    with app.extensions["db"].session() as s:
        comment = s.get(Comment, second)
        findings = evaluate_rules(s, comment, comment.site)
    assert findings[0].status == "rejected" and findings[0].overrides


def test_admin_pages_manage_users_and_site_rules(app, client, make_user, add_comment, login, csrf_from):
    make_user("admin@example.org", "admin")
    login(client, "admin@example.org")
    token = csrf_from(client.get("/admin/users").text)
    response = client.post("/admin/users", data={"email": "new@example.org", "password": "long enough pw",
                                                 "role": "moderator", "sites": ["blog"], "csrf_token": token})
    assert response.status_code == 302
    assert "new@example.org" in client.get("/admin/users").text
    response = client.post("/settings/sites/news", data={"max_links": "2", "blocked_words": "casino\nviagra",
                                                         "premoderate": "on", "csrf_token": token})
    assert response.status_code == 302
    page = client.get("/settings/sites/news").text
    assert "casino\nviagra" in page and 'name="premoderate" checked' in page
    bad = client.post("/settings/sites/news", data={"max_links": "many", "csrf_token": token})
    assert bad.status_code == 422 and "max_links" in bad.text


def test_admin_creates_a_site_and_sees_its_keys_and_webhook_secret_once(app, client, make_user, login, csrf_from):
    from service.domain.sites import authenticate_key
    from service.storage.models import Site

    make_user("admin@example.org", "admin")
    login(client, "admin@example.org")
    token = csrf_from(client.get("/admin/sites").text)
    created = client.post("/admin/sites", data={"name": "shop", "url": "https://shop.example", "csrf_token": token})
    key = re.search(r"(mod_key_[\w-]+)", created.text).group(1)
    published = client.post("/admin/sites/shop/keys", data={"scope": "submit", "csrf_token": token})
    pub = re.search(r"(mod_pub_[\w-]+)", published.text).group(1)
    hook = client.post("/admin/sites/shop/webhook", data={"webhook_url": "https://shop.example/hook",
                                                          "csrf_token": token})
    secret = re.search(r"(whsec_[\w-]+)", hook.text).group(1)
    with app.extensions["db"].session() as s:
        assert authenticate_key(s, key)[1] == "full" and authenticate_key(s, pub)[1] == "submit"
        site = s.scalar(select(Site).where(Site.name == "shop"))
        assert site.webhook_url == "https://shop.example/hook" and site.webhook_secret == secret
    assert key not in client.get("/admin/sites").text and secret not in client.get("/admin/sites").text
    bad = client.post("/admin/sites/shop/webhook", data={"webhook_url": "ftp://x", "csrf_token": token})
    assert bad.status_code == 422 and "webhook_url" in bad.text


def test_personal_tokens_are_shown_once_and_revocable(client, moderator):
    created = client.post("/tokens", data={"name": "laptop", "csrf_token": moderator})
    secret = re.search(r"(mod_tok_[\w-]+)", created.text).group(1)
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/moderation/counts", headers=auth).status_code == 200
    page = client.get("/tokens").text
    assert "laptop" in page and secret not in page
    token_id = re.search(r"/tokens/(\d+)/revoke", page).group(1)
    client.post(f"/tokens/{token_id}/revoke", data={"csrf_token": moderator})
    assert client.get("/api/v1/moderation/counts", headers=auth).status_code == 401


def test_example_page_takes_only_publishable_keys(app, client, sites, add_comment):
    from service.domain.sites import get_site_by_name, issue_key

    with app.extensions["db"].session() as s:
        pub = issue_key(s, get_site_by_name(s, "news"), scope="submit").key
    add_comment(content="An approved <i>reply</i>", status="approved", thread="https://news.example/example-article")
    add_comment(content="A held one", thread="https://news.example/example-article")
    page = client.get(f"/examples/comment-form?site_key={pub}")
    assert page.status_code == 200
    assert "An approved &lt;i&gt;reply&lt;/i&gt;" in page.text and "A held one" not in page.text
    assert "alice@example.org" not in page.text and "Your email address will not be published" in page.text
    assert client.get(f"/examples/comment-form?site_key={sites['news']['key']}").status_code == 404
    assert client.get("/examples/comment-form").status_code == 404
