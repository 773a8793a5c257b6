"""The Moderato plugin for WordPress, end to end: real WordPress (Debian's package, php -S, MariaDB),
comments posted through wp-comments-post.php as a visitor's browser posts them, Moderato as a server
with a Celery worker and beat, decisions by its webhook and its feed, wp-admin's clicks as labels."""

from __future__ import annotations

import hashlib
import hmac
import html
import json
import re
import time

import httpx
import pytest

from tests.compat.compat_texts import BLATANT_SPAM, INSULT, ORDINARY
from tests.faults.conftest import free_port
from tests.wordpress.wordpress import REPO

SITE = "blog"
# A moderation word makes the insult's hold certain whatever the toxicity model scores it.
RULES = {"moderation_words": ["idiot"]}
DECIDED = 45  # seconds: the beat's webhook sweep runs every 10 s, a moderator's decision is sent at once


class Blog:
    def __init__(self, wp, admin, moderato, key, secret):
        self.wp, self.admin, self.moderato, self.key, self.secret = wp, admin, moderato, key, secret
        self.visitors = iter(range(20, 250))

    def comment(self, text: str, **fields):
        """Post as a new visitor (own 127.0.0.x address and e-mail: WordPress's flood check is 15 s)."""
        n = next(self.visitors)
        email = fields.pop("email", f"visitor{n}@example.org")
        response = self.wp.post_comment(f"127.0.0.{n}", fields.pop("author", f"Visitor {n}"), email, text, **fields)
        assert response.status_code == 302, response.text[:2000]
        return self.wp.comment_id(email), response

    def moderato_id(self, comment_id: int) -> int:
        value = self.wp.meta(comment_id, "_moderato_id")
        assert value, f"comment {comment_id} was not sent to Moderato"
        return int(value)


def webhook_url(blog) -> str:
    """The webhook URL Settings -> Moderato tells the admin to give Moderato."""
    page = blog.admin.get("/wp-admin/options-general.php?page=moderato").text
    return html.unescape(re.search(r'<code id="moderato-webhook-url">([^<]+)</code>', page).group(1))


@pytest.fixture(scope="module")
def blog(moderato, make_wordpress, plugin_zip):
    wp = make_wordpress("plugin", plugin_zip=plugin_zip)
    key = moderato.site(SITE, wp.url)
    moderato.rules(SITE, **RULES)
    admin = wp.admin()
    wp.activate_plugin(admin, "moderato/moderato.php")
    secret = moderato.webhook(SITE, webhook_url(Blog(wp, admin, moderato, key, None)))
    saved = wp.submit_admin_form(admin, "/wp-admin/options-general.php?page=moderato", {
        "moderato_url": moderato.url, "moderato_site_key": key, "moderato_webhook_secret": secret,
        "moderato_poll_seconds": "5"}, id="moderato-settings")
    assert saved.status_code == 302 and "settings-updated=true" in saved.headers["location"]
    yield Blog(wp, admin, moderato, key, secret)
    admin.close()


def test_settings_page_keeps_url_key_and_secret(blog):
    assert blog.wp.option("moderato_url") == blog.moderato.url
    assert blog.wp.option("moderato_site_key") == blog.key
    assert blog.wp.option("moderato_webhook_secret") == blog.secret
    refused = blog.wp.submit_admin_form(blog.admin, "/wp-admin/options-general.php?page=moderato",
                                        {"moderato_url": "javascript:alert(1)"}, id="moderato-settings")
    assert refused.status_code == 302 and blog.wp.option("moderato_url") == blog.moderato.url


def test_new_comments_stay_pending_until_moderato_decides_then_follow_it(blog):
    wp = blog.wp
    ordinary, ordinary_reply = blog.comment(ORDINARY + " It's \"fine\" by me.")
    spam, _ = blog.comment(BLATANT_SPAM, url="http://cheap-pills.example")
    toxic, _ = blog.comment(INSULT)
    # WordPress redirects a visitor whose comment awaits moderation to ?unapproved=...: nothing was published.
    assert "unapproved=" in ordinary_reply.headers["location"]
    assert wp.wait_for(lambda: (wp.approved(ordinary), wp.approved(spam)) == ("1", "spam"), DECIDED), (
        wp.approved(ordinary), wp.approved(spam))
    assert wp.wait_for(lambda: wp.meta(toxic, "_moderato_status") == "held", DECIDED)
    assert wp.approved(toxic) == "0"  # held by Moderato: never published
    stored = blog.moderato.comment(SITE, ORDINARY + " It's \"fine\" by me.")
    assert stored is not None and stored.id == blog.moderato_id(ordinary) and stored.status == "approved"
    assert stored.thread.startswith(wp.url) and stored.thread.endswith("/hello-world/")  # the permalink
    # The comment list shows Moderato's scores and reasons.
    page = blog.admin.get("/wp-admin/edit-comments.php?comment_status=spam").text
    row = page[re.search(f"id=['\"]comment-{spam}['\"]", page).start():][:6000]
    assert re.search(r'class="moderato-status">held</strong>', row), row
    assert re.search(r"<li>spam: \d+\.\d%</li>", row) and "<li>spam: spam score" in row, row


def test_a_moderators_decision_in_moderato_reaches_wordpress(blog):
    wp = blog.wp
    first, _ = blog.comment("Is the " + "idiot-proof ticket machine back at the station yet?")
    second, _ = blog.comment("What an idiot rule, honestly, the old one was better.")
    for comment_id in (first, second):
        assert wp.wait_for(lambda c=comment_id: wp.meta(c, "_moderato_status") == "held", DECIDED)
    blog.moderato.decide(blog.moderato_id(first), "approved")
    blog.moderato.decide(blog.moderato_id(second), "rejected", "toxic")
    started = time.monotonic()
    assert wp.wait_for(lambda: (wp.approved(first), wp.approved(second)) == ("1", "trash"), 20), (
        wp.approved(first), wp.approved(second))
    assert time.monotonic() - started < 20


def test_wp_admin_clicks_reach_moderato_as_labels(blog):
    wp, moderato = blog.wp, blog.moderato
    held, _ = blog.comment("Honestly the idiot who planned this junction deserves a medal, it works.")
    assert wp.wait_for(lambda: wp.meta(held, "_moderato_status") == "held", DECIDED)
    wp.click(blog.admin, held, "approvecomment")
    moderato_id = blog.moderato_id(held)
    label = moderato.label(moderato_id)
    assert (label.label_spam, label.label_toxic, label.source) == (0, 0, "site")
    assert wp.approved(held) == "1"
    wp.click(blog.admin, held, "spamcomment")
    assert moderato.label(moderato_id).label_spam == 1
    wp.click(blog.admin, held, "unspamcomment")
    assert moderato.label(moderato_id).label_spam == 0
    actions = [(d.kind, d.actor, d.to_status, d.reason_code) for d in moderato.decisions(moderato_id)]
    assert actions[1:] == [("human", "site:blog:admin", "approved", None),
                           ("human", "site:blog:admin", "rejected", "spam"),
                           ("human", "site:blog:admin", "approved", None)], actions
    # The webhooks for the site's own clicks come back and change nothing.
    time.sleep(3)
    assert wp.approved(held) == "1"


def test_decisions_feed_catches_up_when_the_webhook_cannot_reach_wordpress(blog):
    wp, moderato = blog.wp, blog.moderato
    moderato.webhook(SITE, f"http://127.0.0.1:{free_port()}/unreachable")
    try:
        text = "Whoever thinks the idiot tax on parking is fair has never driven here."
        held, _ = blog.comment(text)
        moderato_id = blog.moderato_id(held)
        assert wp.wait_for(lambda: moderato.comment(SITE, text).status == "held", DECIDED)
        moderato.decide(moderato_id, "approved")
        # WP-cron polls the feed (every 5 s here); the feed holds back decisions for 2 s after they are made.
        assert wp.wait_for(lambda: wp.approved(held) == "1", 40, cron=True), wp.approved(held)
    finally:
        moderato.webhook(SITE, webhook_url(blog))


def test_webhook_refuses_bad_and_stale_signatures_and_applies_a_decision_once(blog):
    wp = blog.wp
    comment_id, _ = blog.comment("A calm note: the library opens at nine on Saturdays now.")
    moderato_id = blog.moderato_id(comment_id)
    assert wp.wait_for(lambda: wp.meta(comment_id, "_moderato_decision_id") is not None, DECIDED)
    applied = int(wp.meta(comment_id, "_moderato_decision_id"))
    url = webhook_url(blog)
    payload = {"comment_id": moderato_id, "thread": f"{wp.url}/?p=1", "status": "rejected",
               "reasons": [{"code": "spam"}], "decided_at": "2026-01-01T00:00:00Z", "decision_id": applied + 1000,
               "kind": "human", "reason_code": "spam"}
    body = json.dumps(payload).encode()

    def signed(t: int, secret: str = blog.secret) -> dict:
        mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
        return {"Content-Type": "application/json", "Moderato-Signature": f"t={t},v1={mac}"}

    now = int(time.time())
    assert httpx.post(url, content=body, headers=signed(now, "whsec_wrong")).status_code == 401
    assert httpx.post(url, content=body, headers=signed(now - 301)).status_code == 401
    assert httpx.post(url, content=body, headers={"Content-Type": "application/json"}).status_code == 401
    assert wp.approved(comment_id) == "1"
    first = httpx.post(url, content=body, headers=signed(now))
    assert (first.status_code, first.json()["outcome"]) == (200, "applied")
    assert wp.approved(comment_id) == "spam"
    blog.wp.click(blog.admin, comment_id, "unspamcomment")  # an admin undoes it; the replay must not redo it
    replay = httpx.post(url, content=body, headers=signed(now))
    assert (replay.status_code, replay.json()["outcome"]) == (200, "duplicate")
    assert wp.approved(comment_id) in ("0", "1")


def test_plugin_zip_holds_the_plugin_and_builds_from_make(plugin_zip):
    import zipfile

    names = zipfile.ZipFile(plugin_zip).namelist()
    assert "moderato/moderato.php" in names and "moderato/readme.txt" in names
    assert all(name.startswith("moderato/") for name in names)
    assert "wordpress-plugin:" in (REPO / "Makefile").read_text()
