"""What WordPress's Akismet plugin does differently from other Akismet clients, and how Moderato meets it.

WordPress hands the plugin a new comment's text with slashes added, and the plugin understands one
answer besides `true` and `false`: anything else means "not checked yet", so it keeps the comment
pending and checks it again later. Moderato uses that to keep a comment it holds for a person unpublished.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# comment-check's answer to WordPress for a comment Moderato holds for a person, not for spam. The plugin
# takes any answer but true/false as "not checked yet": it holds the comment and re-checks it from
# WP-cron (every 20 minutes; integrations/wordpress/moderato-akismet.php makes that 2) until Moderato has
# decided, and shows this text in the comment's history.
HELD_ANSWER = "held for moderation"
# Fields WordPress's preprocess_comment hands the plugin with slashes added (wp_slash / magic quotes).
SLASHED_FIELDS = ("comment_content", "comment_author", "comment_author_email", "comment_author_url",
                  "user_agent", "referrer")
_WORDPRESS_AGENT = re.compile(r"^WordPress/\S+")
_REST_REQUEST = re.compile(r"(/wp-json/|[?&]rest_route=)")


def from_wordpress(user_agent: str | None) -> bool:
    """Whether the caller is WordPress's Akismet plugin (`WordPress/6.1.9 | Akismet/5.0.2`)."""
    return bool(_WORDPRESS_AGENT.match(user_agent or ""))


def sent_slashed(form: Mapping[str, str], user_agent: str | None, endpoint: str) -> bool:
    """Whether WordPress added slashes to this request's text: a new comment's comment-check from the
    WordPress plugin carries `preprocess_comment`'s data, which WordPress has slashed; re-checks and
    submit-spam/ham read its database (unslashed), and so does a comment made through WordPress's REST API."""
    if endpoint != "comment-check" or not from_wordpress(user_agent):
        return False
    return not (form.get("recheck_reason") or "").strip() and not _REST_REQUEST.search(form.get("REQUEST_URI", ""))


def unslash(text: str) -> str:
    """PHP's stripslashes: `\\x` becomes `x`, `\\0` a NUL (which validation then refuses), a lone `\\` goes."""
    return re.sub(r"\\(.?)", lambda m: "\x00" if m.group(1) == "0" else m.group(1), text, flags=re.DOTALL)


def unslashed(form: Mapping[str, str]) -> dict[str, str]:
    """The form with WordPress's added slashes taken off the text fields."""
    return {**form, **{name: unslash(form[name]) for name in SLASHED_FIELDS if name in form}}
