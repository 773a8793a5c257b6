"""Akismet 1.1: the real PyPI client and WordPress-shaped bodies against the app."""

from __future__ import annotations

import akismet
import pytest
from compat_texts import BLATANT_SPAM, MILD_SPAM, ORDINARY, SITE_URL
from sqlalchemy import func, select

from service.storage.models import Comment, Decision, Label


def rows(app, model):
    with app.extensions["db"].session() as session:
        return list(session.scalars(select(model).order_by(model.id)))


def count(app, model) -> int:
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(model))


def wordpress_body(key: str, content: str, **extra) -> dict:
    """A body shaped like the WordPress plugin's comment-check: comment fields plus forwarded server vars."""
    body = {
        "api_key": key, "blog": "https://www.news.example", "blog_lang": "en_US", "blog_charset": "UTF-8",
        "user_ip": "203.0.113.9", "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
        "referrer": "https://news.example/2026/budget/", "permalink": "https://news.example/2026/budget/",
        "comment_type": "comment", "comment_author": "Ada", "comment_author_email": "ada@example.com",
        "comment_author_url": "", "comment_content": content, "comment_date_gmt": "2026-11-27 15:00:00",
        "comment_post_modified_gmt": "2026-11-26 09:00:00", "user_role": "", "is_test": "",
        "honeypot_field_name": "hp_name", "hp_name": "",
        "comment_context[]": "budget", "POST_akismet_comment_nonce": "4f1c2a",
        "POST_comment_post_ID": "42", "HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.8", "HTTP_ACCEPT": "text/html",
        "SERVER_SOFTWARE": "nginx/1.24", "REQUEST_URI": "/wp-comments-post.php",
    }
    # WordPress also forwards every HTTP_* header it did not blacklist: far more than 50 fields is normal.
    body.update({f"HTTP_X_FORWARDED_{i}": str(i) for i in range(60)})
    body.update(extra)
    return body


def test_real_client_verifies_key_and_rejects_wrong_key_or_blog(site_key, akismet_client, wsgi_http):
    assert akismet_client.verify_key() is True
    assert akismet_client.verify_key(site_key, "https://elsewhere.example") is False
    assert akismet_client.verify_key("mod_key_not-a-real-key", SITE_URL) is False
    wrong = akismet.SyncClient(config=akismet.Config(key="mod_key_nope", url=SITE_URL), http_client=wsgi_http)
    with pytest.raises(akismet.APIKeyError):
        wrong.comment_check(user_ip="203.0.113.9", comment_content=ORDINARY)


def test_real_client_gets_spam_discard_and_ham_and_comments_are_queued(app, akismet_client, configure_site):
    assert akismet_client.comment_check(
        user_ip="198.51.100.7", comment_content=BLATANT_SPAM, comment_type="comment", comment_author="Deals",
        comment_author_email="deals@spam.example", permalink=f"{SITE_URL}/2026/budget",
    ) == akismet.CheckResponse.DISCARD
    # "Blatant" is the site's reject threshold: above any score, spam is still spam but never discarded.
    configure_site(spam_reject_threshold=1.0)
    assert akismet_client.comment_check(
        user_ip="198.51.100.8", comment_content=MILD_SPAM, comment_type="comment", comment_author="Pills",
    ) == akismet.CheckResponse.SPAM
    assert akismet_client.comment_check(
        user_ip="203.0.113.9", comment_content=ORDINARY, comment_type="comment", comment_author="Ada",
        comment_author_email="ada@example.com",
    ) == akismet.CheckResponse.HAM
    stored = rows(app, Comment)
    assert [(c.content, c.status, c.source) for c in stored] == [
        (BLATANT_SPAM, "held", "akismet"), (MILD_SPAM, "held", "akismet"), (ORDINARY, "approved", "akismet")]
    assert stored[0].thread == f"{SITE_URL}/2026/budget" and stored[0].user_ip == "198.51.100.7"
    assert stored[2].author_email == "ada@example.com"
    decisions = rows(app, Decision)
    assert [(d.comment_id, d.kind, d.to_status) for d in decisions] == [
        (stored[0].id, "automatic", "held"), (stored[1].id, "automatic", "held"),
        (stored[2].id, "automatic", "approved")]


def test_is_test_scores_but_stores_nothing(app, akismet_client):
    assert akismet_client.comment_check(user_ip="198.51.100.7", comment_content=BLATANT_SPAM, is_test=True)
    assert count(app, Comment) == 0 and count(app, Decision) == 0


def test_real_client_submit_ham_turns_a_stored_comment_into_a_label(app, akismet_client):
    assert akismet_client.comment_check(user_ip="198.51.100.8", comment_content=MILD_SPAM)
    assert akismet_client.submit_ham(user_ip="198.51.100.8", comment_content=MILD_SPAM) is True
    (comment,) = rows(app, Comment)
    (label,) = rows(app, Label)
    assert comment.status == "approved"
    assert (label.comment_id, label.label_spam, label.source) == (comment.id, 0, "akismet")
    assert label.provenance["endpoint"] == "submit-ham" and label.provenance["site"] == "news"
    human = [d for d in rows(app, Decision) if d.kind == "human"]
    assert [(d.from_status, d.to_status, d.actor) for d in human] == [("held", "approved", "akismet:news")]


def test_submit_spam_of_unseen_text_becomes_an_example(app, akismet_client):
    text = "Visit my totally legit store for watches, best replicas anywhere."
    assert akismet_client.submit_spam(user_ip="198.51.100.9", comment_content=text, comment_author="W") is True
    (label,) = rows(app, Label)
    assert (label.comment_id, label.text, label.label_spam, label.label_toxic, label.site_id is not None) == (
        None, text, 1, None, True)
    assert count(app, Comment) == 0


def test_wordpress_shaped_body_gets_a_guid_that_submit_spam_can_name(app, client, site_key):
    response = client.post("/1.1/comment-check", data=wordpress_body(site_key, ORDINARY))
    assert response.status_code == 200 and response.get_data(as_text=True) == "false"
    assert "X-akismet-pro-tip" not in response.headers
    guid = response.headers["X-akismet-guid"]
    (comment,) = rows(app, Comment)
    assert comment.language == "en-US" and comment.status == "approved"
    # WordPress sends the guid back with a slightly different text (an edit): the guid still finds it.
    body = wordpress_body(site_key, ORDINARY + " (edited)", guid=guid)
    response = client.post("/1.1/submit-spam", data=body)
    assert response.get_data(as_text=True) == "Thanks for making the web a better place."
    (label,) = rows(app, Label)
    assert (label.comment_id, label.label_spam) == (comment.id, 1)
    forged = wordpress_body(site_key, "never stored", guid=f"{comment.id}-0000")
    client.post("/1.1/submit-ham", data=forged)
    assert {(lbl.comment_id, lbl.label_spam) for lbl in rows(app, Label)} == {(comment.id, 1), (None, 0)}


def test_honeypot_and_administrator_rules(app, client, site_key):
    trapped = client.post("/1.1/comment-check", data=wordpress_body(site_key, ORDINARY, hp_name="I am a bot"))
    assert trapped.get_data(as_text=True) == "true" and trapped.headers["X-akismet-pro-tip"] == "discard"
    admin = client.post("/1.1/comment-check", data=wordpress_body(site_key, BLATANT_SPAM, user_role="administrator"))
    assert admin.get_data(as_text=True) == "false"
    assert [c.status for c in rows(app, Comment)] == ["rejected", "approved"]


def test_recheck_does_not_queue_a_comment_twice(app, client, site_key):
    client.post("/1.1/comment-check", data=wordpress_body(site_key, BLATANT_SPAM))
    again = client.post("/1.1/comment-check", data=wordpress_body(site_key, BLATANT_SPAM, recheck_reason="edit"))
    assert again.get_data(as_text=True) == "true"
    assert count(app, Comment) == 1 and count(app, Decision) == 1


@pytest.mark.parametrize("drop, field", [("user_ip", "user_ip"), ("blog", "blog")])
def test_missing_fields_get_debug_help_and_problem_json(app, client, site_key, drop, field):
    body = wordpress_body(site_key, ORDINARY)
    del body[drop]
    response = client.post("/1.1/comment-check", data=body)
    assert response.status_code == 400
    assert response.headers["X-akismet-debug-help"] == f"Missing required field: {field}."
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"][0]["field"] == field
    assert count(app, Comment) == 0


def test_field_names_with_line_breaks_get_a_400_with_a_safe_debug_header(client, site_key):
    # Found by schemathesis: a field named "\r" used to end up in the header and raise (500).
    response = client.post("/1.1/verify-key", data="%0D=null&%0D=null",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "\r" not in response.headers["X-akismet-debug-help"]
    assert response.mimetype == "application/problem+json"


def test_bad_key_and_bad_ip_answers(client, site_key):
    missing = client.post("/1.1/comment-check", data={"blog": SITE_URL, "user_ip": "203.0.113.9"})
    assert missing.get_data(as_text=True) == "invalid" and missing.headers["X-akismet-debug-help"]
    wrong_blog = client.post("/1.1/comment-check", data={**wordpress_body(site_key, ORDINARY),
                                                         "blog": "https://other.example"})
    assert wrong_blog.get_data(as_text=True) == "invalid"
    bad_ip = client.post("/1.1/comment-check", data={**wordpress_body(site_key, ORDINARY), "user_ip": "not-an-ip"})
    assert bad_ip.status_code == 400 and bad_ip.get_json()["errors"][0]["field"] == "user_ip"
    json_body = client.post("/1.1/comment-check", json={"api_key": site_key})
    assert json_body.status_code == 400 and json_body.get_json()["errors"][0]["field"] == "Content-Type"
