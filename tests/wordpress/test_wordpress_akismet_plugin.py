"""WordPress's bundled Akismet plugin (5.0.2) pointed at Moderato, as docs/compatibility.md describes:
the must-use plugin, an Akismet-format key typed into Settings -> Akismet, comments posted through
wp-comments-post.php, decisions reaching WordPress through the plugin's own re-checks, clicks as labels."""

from __future__ import annotations

import pytest

from tests.compat.compat_texts import BLATANT_SPAM, INSULT, ORDINARY
from tests.wordpress.wordpress import REPO

SITE = "akismet-blog"
MU_PLUGIN = REPO / "integrations/wordpress/moderato-akismet.php"
DECIDED = 40


class Blog:
    def __init__(self, wp, admin, moderato, key, settings_page):
        self.wp, self.admin, self.moderato, self.key, self.settings_page = wp, admin, moderato, key, settings_page
        self.visitors = iter(range(20, 250))

    def comment(self, text: str, **fields):
        """Post as a new visitor (own 127.0.0.x address and e-mail: WordPress's flood check is 15 s)."""
        n = next(self.visitors)
        email = f"reader{n}@example.org"
        response = self.wp.post_comment(f"127.0.0.{n}", fields.pop("author", f"Reader {n}"), email, text, **fields)
        assert response.status_code == 302, response.text[:2000]
        return self.wp.comment_id(email)


@pytest.fixture(scope="module")
def blog(moderato, make_wordpress):
    # The re-check interval is the must-use plugin's setting; 2 s keeps this test short.
    wp = make_wordpress("akismet", mu_plugins=(MU_PLUGIN,),
                        constants={"MODERATO_URL": moderato.url, "MODERATO_AKISMET_RECHECK_SECONDS": 2})
    moderato.site(SITE, wp.url)
    key = moderato.akismet_key(SITE)
    # Nothing is "blatant" (never discarded unseen), and a moderation word makes the insult's hold certain.
    moderato.rules(SITE, spam_reject_threshold=1.0, moderation_words=["idiot"])
    admin = wp.admin()
    wp.activate_plugin(admin, "akismet/akismet.php")
    # Settings -> Discussion: WordPress itself would hold every first-time commenter otherwise.
    saved = wp.submit_admin_form(admin, "/wp-admin/options-discussion.php", {"comment_previously_approved": None},
                                 action="options.php")
    assert saved.status_code == 302
    # Settings -> Akismet -> "Manually enter an API key", typed in upper case as it may be copied.
    page = wp.submit_admin_form(admin, "/wp-admin/options-general.php?page=akismet-key-config",
                                {"key": key.upper()}, action="akismet-key-config")
    yield Blog(wp, admin, moderato, key, page)
    admin.close()


def test_the_key_typed_into_settings_is_kept_and_the_page_shows_it_connected(blog):
    assert blog.settings_page.status_code == 200
    # The plugin keeps what it was given after its own sanitising (hex digits only).
    assert blog.wp.option("wordpress_api_key") == blog.key.upper()
    page = blog.admin.get("/wp-admin/options-general.php?page=akismet-key-config").text
    assert "connect to the Akismet servers" not in page  # /1.1/test answered `connected`
    assert "Moderato (self-hosted)" in page and "Active" in page  # get-subscription
    assert "Akismet is active and ready to stop spam" in page  # get-stats answered


def test_comments_are_routed_and_stored_as_written(blog):
    wp, moderato = blog.wp, blog.moderato
    written = ORDINARY + " It's \"fine\" by me \\o/"
    ordinary = blog.comment(written)
    spam = blog.comment(BLATANT_SPAM, url="http://cheap-pills.example")
    toxic = blog.comment(INSULT)
    assert (wp.approved(ordinary), wp.approved(spam), wp.approved(toxic)) == ("1", "spam", "0")
    stored = moderato.comment(SITE, written)
    assert stored is not None and stored.status == "approved"  # no backslashes added
    assert moderato.comment(SITE, INSULT).status == "held"
    assert wp.meta(toxic, "akismet_error") is not None  # the plugin re-checks it until Moderato decides


def test_a_moderators_decision_reaches_wordpress_through_the_plugins_recheck(blog):
    wp, moderato = blog.wp, blog.moderato
    approved_text = "The idiot-proof guide to the new bins is on the council site, worth a read."
    rejected_text = "Only an idiot would take the bus, you all deserve to be stuck in traffic forever."
    approved, rejected = blog.comment(approved_text), blog.comment(rejected_text)
    assert (wp.approved(approved), wp.approved(rejected)) == ("0", "0")
    moderato.decide(moderato.comment(SITE, approved_text).id, "approved")
    moderato.decide(moderato.comment(SITE, rejected_text).id, "rejected", "toxic")
    # A system cron job calling wp-cron.php runs the plugin's re-check.
    assert wp.wait_for(lambda: (wp.approved(approved), wp.approved(rejected)) == ("1", "spam"), DECIDED,
                       cron=True), (wp.approved(approved), wp.approved(rejected))
    assert moderato.comment(SITE, approved_text).status == "approved"  # the re-check stored nothing twice


def test_spam_and_not_spam_clicks_become_labels_on_the_stored_comment(blog):
    wp, moderato = blog.wp, blog.moderato
    text = "Lovely photos of the harbour; we walked there on Sunday & it's as pretty as this."
    comment_id = blog.comment(text)
    assert wp.approved(comment_id) == "1"
    stored = moderato.comment(SITE, text)
    wp.click(blog.admin, comment_id, "spamcomment")
    label = moderato.label(stored.id)
    assert (label.label_spam, label.source) == (1, "akismet")
    assert moderato.comment(SITE, text).status == "rejected"
    wp.click(blog.admin, comment_id, "unspamcomment")
    assert moderato.label(stored.id).label_spam == 0
    assert moderato.comment(SITE, text).status == "approved"
    actors = [d.actor for d in moderato.decisions(stored.id) if d.kind == "human"]
    assert actors == [f"akismet:{SITE}", f"akismet:{SITE}"]
