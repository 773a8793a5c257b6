"""Akismet as WordPress's bundled plugin (5.0.2) uses it: Akismet-format keys, the account calls its
settings page makes, slashed text, held comments and feedback without a guid."""

from __future__ import annotations

import hashlib
import re

import pytest
from compat_texts import BLATANT_SPAM, ORDINARY, SITE_URL
from sqlalchemy import select

from service.storage.models import ApiKey, Comment, Decision, Label, Site

WORDPRESS_AGENT = "WordPress/6.1.9 | Akismet/5.0.2"
WP = {"User-Agent": WORDPRESS_AGENT}
PERMALINK = f"{SITE_URL}/2026/budget/"


@pytest.fixture
def akismet_key(app, runner, site_key) -> str:
    """An Akismet-format key for the `news` site, issued the way the docs say."""
    result = runner.invoke(args=["site", "key", "news", "--akismet"])
    assert result.exit_code == 0, result.output
    match = re.fullmatch(r"akismet key for news \(shown once\): ([0-9a-f]{12})\n", result.output)
    assert match, result.output
    return match.group(1)


def rows(app, model):
    with app.extensions["db"].session() as session:
        return list(session.scalars(select(model).order_by(model.id)))


def check(client, key: str, content: str, headers=WP, **extra):
    """A comment-check shaped like the plugin's auto_check_comment (slashed, as WordPress hands it over)."""
    body = {"api_key": key, "blog": SITE_URL, "user_ip": "203.0.113.9", "user_agent": "Mozilla/5.0",
            "permalink": PERMALINK, "comment_type": "comment", "comment_author": "Ada",
            "comment_author_email": "ada@example.com", "comment_content": content, "blog_lang": "en_US",
            "REQUEST_URI": "/wp-comments-post.php", **extra}
    return client.post("/1.1/comment-check", data=body, headers=headers)


def settle(app, **settings):
    with app.extensions["db"].session() as session:
        site = session.scalar(select(Site).where(Site.name == "news"))
        site.settings = {**(site.settings or {}), **settings}


def test_akismet_key_is_stored_hashed_and_works_in_any_case_on_akismet_only(app, client, akismet_key):
    (stored,) = [k for k in rows(app, ApiKey) if k.scope == "akismet"]
    assert stored.key_hash == hashlib.sha256(akismet_key.encode()).hexdigest()
    assert akismet_key not in (stored.prefix, stored.label or "") and len(stored.prefix) == 4
    for typed in (akismet_key, akismet_key.upper()):
        answer = client.post("/1.1/verify-key", data={"key": typed, "blog": SITE_URL})
        assert answer.get_data(as_text=True) == "valid", answer.headers
    bearer = {"Authorization": f"Bearer {akismet_key}"}
    submit = client.post("/api/v1/comments", headers=bearer, json={
        "content": ORDINARY, "author_name": "Ada", "author_email": "ada@example.com", "thread": PERMALINK})
    assert submit.status_code == 401 and "Akismet endpoints" in submit.get_json()["detail"]
    assert client.get("/api/v1/decisions", headers=bearer).status_code == 401
    perspective = client.post(f"/v1alpha1/comments:analyze?key={akismet_key}",
                              json={"comment": {"text": ORDINARY}, "requestedAttributes": {"TOXICITY": {}}})
    assert perspective.status_code == 400 and perspective.get_json()["error"]["status"] == "INVALID_ARGUMENT"
    assert rows(app, Comment) == []


def test_wrong_keys_lock_out_the_guessing_address_only(app, client, akismet_key):
    guesser = {"REMOTE_ADDR": "198.51.100.66"}
    for n in range(20):
        wrong = client.post("/1.1/verify-key", data={"key": f"{n:012x}", "blog": SITE_URL}, environ_base=guesser)
        assert wrong.get_data(as_text=True) == "invalid"
    locked = client.post("/1.1/verify-key", data={"key": akismet_key, "blog": SITE_URL}, environ_base=guesser)
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert "Too many invalid keys" in locked.headers["X-akismet-debug-help"]
    blocked_check = client.post("/1.1/comment-check", environ_base=guesser, data={
        "api_key": akismet_key, "blog": SITE_URL, "user_ip": "203.0.113.9", "comment_content": ORDINARY})
    assert blocked_check.status_code == 429 and rows(app, Comment) == []
    other = client.post("/1.1/verify-key", data={"key": akismet_key, "blog": SITE_URL},
                        environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert other.get_data(as_text=True) == "valid"


def test_settings_page_calls_answer_as_for_an_active_key(app, client, akismet_key):
    for method in (client.get, client.post):
        connected = method("/1.1/test")
        assert (connected.status_code, connected.get_data(as_text=True)) == (200, "connected")
    subscription = client.post("/1.1/get-subscription", data={"key": akismet_key, "blog": SITE_URL})
    assert subscription.get_json()["status"] == "active"
    assert client.post("/1.1/get-subscription", data={"key": "0" * 12, "blog": SITE_URL}).get_data(
        as_text=True) == "invalid"
    assert client.post("/1.1/deactivate", data={"key": akismet_key, "blog": SITE_URL}).get_data(
        as_text=True) == "deactivated"


def test_stats_count_caught_missed_and_false_positives(app, client, akismet_key):
    assert check(client, akismet_key, BLATANT_SPAM, user_ip="198.51.100.7").get_data(as_text=True) == "true"
    assert check(client, akismet_key, ORDINARY).get_data(as_text=True) == "false"
    other = "Nice photos of the harbour; I walked there on Sunday and it was lovely."
    assert check(client, akismet_key, other, comment_author="Bo",
                 comment_author_email="bo@example.org").get_data(as_text=True) == "false"
    # The site corrects two verdicts through the plugin's buttons (no guid, as WordPress sends them).
    feedback = {"api_key": akismet_key, "blog": SITE_URL, "user_ip": "203.0.113.9", "permalink": PERMALINK}
    client.post("/1.1/submit-spam", data={**feedback, "comment_author": "Bo", "comment_author_email":
                                          "bo@example.org", "comment_content": other}, headers=WP)
    client.post("/1.1/submit-ham", data={**feedback, "user_ip": "198.51.100.7", "comment_author": "Ada",
                                         "comment_author_email": "ada@example.com",
                                         "comment_content": BLATANT_SPAM}, headers=WP)
    for interval in ("6-months", "all", "60-days"):
        stats = client.post("/1.1/get-stats", data={"key": akismet_key, "blog": SITE_URL, "from": interval})
        figures = stats.get_json()
        assert {k: figures[k] for k in ("spam", "ham", "missed_spam", "false_positives")} == {
            "spam": 1, "ham": 2, "missed_spam": 1, "false_positives": 1}, interval
        assert figures["accuracy"] == pytest.approx(33.33)
        (period,) = figures["breakdown"].values()
        assert period["spam"] == 1
    usage = client.post("/1.2/usage-limit", data={"api_key": akismet_key}).get_json()
    assert usage == {"limit": "none", "usage": 3, "percentage": "0.00", "throttled": False}
    sites = client.post("/1.2/key-sites", data={"api_key": akismet_key}).get_json()
    (month,) = [k for k in sites if re.fullmatch(r"\d{4}-\d{2}", k)]
    assert sites[month] == [{"site": "news.example", "api_calls": "3", "spam": "1", "ham": "2",
                             "missed_spam": "1", "false_positives": "1", "is_revoked": False}]
    as_csv = client.post("/1.1/key-sites", data={"api_key": akismet_key, "format": "csv"})
    assert as_csv.mimetype == "text/csv" and "news.example,3,1,2,1,1,false" in as_csv.get_data(as_text=True)
    bad = client.post("/1.2/key-sites", data={"api_key": akismet_key, "month": "May"})
    assert bad.status_code == 400 and bad.get_json()["errors"][0]["field"] == "month"


def test_wordpress_slashes_are_taken_off_once_on_the_way_in(app, client, akismet_key):
    slashed = "You\\'re right: the \\\"Sunday\\\" change helps, C:\\\\bus is where I wait."
    written = "You're right: the \"Sunday\" change helps, C:\\bus is where I wait."
    assert check(client, akismet_key, slashed, comment_author="O\\'Brien").status_code == 200
    # Another client sends text as written: its backslashes are the author's.
    assert check(client, akismet_key, "A path: C:\\temp", headers={"User-Agent": "akismet-python"},
                 user_ip="203.0.113.10").status_code == 200
    stored = rows(app, Comment)
    assert [(c.content, c.author_name) for c in stored] == [(written, "O'Brien"), ("A path: C:\\temp", "Ada")]
    # Re-checks and the Not spam / Spam buttons send WordPress's database copy, already unslashed.
    recheck = check(client, akismet_key, written, comment_author="O'Brien", recheck_reason="recheck_queue")
    assert recheck.get_data(as_text=True) == "false" and len(rows(app, Comment)) == 2
    spam = client.post("/1.1/submit-spam", headers=WP, data={
        "api_key": akismet_key, "blog": SITE_URL, "user_ip": "203.0.113.9", "permalink": PERMALINK,
        "comment_author": "O'Brien", "comment_author_email": "ada@example.com", "comment_content": written})
    assert spam.get_data(as_text=True) == "Thanks for making the web a better place."
    (label,) = rows(app, Label)
    assert (label.comment_id, label.label_spam, label.text) == (stored[0].id, 1, written)


def test_held_comment_is_kept_unpublished_in_wordpress_until_a_moderator_decides(app, client, akismet_key):
    from service.domain.moderation import decide
    from service.domain.users import create_user
    from service.storage.models import User

    def moderator_decides(status, reason=None):
        with app.extensions["db"].session() as session:
            decide(session, session.scalar(select(User)), comment.id, status, reason)

    settle(app, premoderate=True)
    held = check(client, akismet_key, ORDINARY)
    assert held.get_data(as_text=True) == "held for moderation"  # the plugin holds it and re-checks later
    assert "moderator" in held.headers["X-akismet-debug-help"]
    other_client = check(client, akismet_key, ORDINARY + " Again.", headers={"User-Agent": "akismet-python"})
    assert other_client.get_data(as_text=True) == "false"  # a generic client keeps Akismet's two answers
    (comment, _) = rows(app, Comment)
    # WordPress's cron re-check sends its database copy: kses turned the text's markup around.
    recheck = {"recheck_reason": "retry", "comment_author": "Ada"}
    assert check(client, akismet_key, ORDINARY, **recheck).get_data(as_text=True) == "held for moderation"
    with app.extensions["db"].session() as session:
        create_user(session, "mod@example.org", "correct horse battery", "admin", [])
    moderator_decides("approved")
    assert check(client, akismet_key, ORDINARY, **recheck).get_data(as_text=True) == "false"
    moderator_decides("rejected", "toxic")
    assert check(client, akismet_key, ORDINARY, **recheck).get_data(as_text=True) == "true"
    assert len(rows(app, Comment)) == 2
    assert [d.kind for d in rows(app, Decision) if d.comment_id == comment.id] == ["automatic", "human", "human"]


def test_feedback_finds_the_database_copy_wordpress_filtered(app, client, akismet_key):
    written = 'Great tips & more at <a href="https://shop.example">my shop</a>'
    assert check(client, akismet_key, written).status_code == 200
    filtered = 'Great tips &amp; more at <a href="https://shop.example" rel="nofollow ugc">my shop</a>'
    client.post("/1.1/submit-spam", headers=WP, data={
        "api_key": akismet_key, "blog": SITE_URL, "user_ip": "203.0.113.9", "permalink": PERMALINK,
        "comment_author": "Ada", "comment_author_email": "ada@example.com", "comment_content": filtered})
    (comment,) = rows(app, Comment)
    (label,) = rows(app, Label)
    assert (comment.status, label.comment_id, label.label_spam) == ("rejected", comment.id, 1)
    # Same text by someone else on the thread is a different comment: never matched.
    client.post("/1.1/submit-ham", headers=WP, data={
        "api_key": akismet_key, "blog": SITE_URL, "user_ip": "203.0.113.9", "permalink": PERMALINK,
        "comment_author": "Eve", "comment_author_email": "eve@example.org", "comment_content": written})
    assert [(lbl.comment_id, lbl.label_spam) for lbl in rows(app, Label)] == [(comment.id, 1), (None, 0)]


def test_an_unusable_guess_limit_fails_at_start(tmp_path, sqlite_template):
    import shutil

    from service.config import ConfigError
    from tests.conftest import make_test_app

    shutil.copy(sqlite_template, tmp_path / "db.sqlite3")
    with pytest.raises(ConfigError, match="AKISMET_KEY_FAILURE_LIMIT"):
        make_test_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path / "instance", AKISMET_KEY_FAILURE_LIMIT="lots")


def test_unslash_undoes_phps_addslashes():
    from service.domain.compat.akismet_wordpress import unslash

    # PHP: addslashes("It's \"x\" C:\\y") and a NUL; stripslashes drops a lone trailing backslash.
    assert unslash("It\\'s \\\"x\\\" C:\\\\y") == "It's \"x\" C:\\y"
    assert unslash("nul:\\0") == "nul:\x00" and unslash("end\\") == "end" and unslash("plain") == "plain"
