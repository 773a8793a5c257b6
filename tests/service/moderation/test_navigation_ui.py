"""Finding your way: `/` leads to the queue or the login page, the navigation reaches every page an account
may use, and there is an icon."""

from __future__ import annotations

import re

from tests.service.moderation.conftest import login

NAV = re.compile(r'<nav aria-label="Main">(.*?)</nav>', re.S)
# Pages reached from another page rather than the navigation: a comment (from the queue), a site's rules
# (from Sites), a run's report, a shadow version (from Training), and the public example form (needs a key).
NOT_IN_NAV = {"/", "/login", "/favicon.ico", "/examples/comment-form"}


def nav_links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', NAV.search(html).group(1)))


def ui_pages(app) -> set[str]:
    """Every GET page of the UI without a parameter in its path."""
    return {rule.rule for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and not rule.arguments and rule.endpoint.startswith("ui_")}


def test_the_front_door_sends_visitors_to_the_login_page_and_accounts_to_the_queue(client, make_user):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    make_user("mod@example.org")
    login(client, "mod@example.org")
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/moderate"
    assert client.get("/login").headers["Location"] == "/moderate"  # already logged in


def test_the_navigation_reaches_every_page_an_admin_may_use(app, client, make_user):
    make_user("boss@example.org", "admin")
    login(client, "boss@example.org")
    links = nav_links(client.get("/moderate").text)
    assert ui_pages(app) - NOT_IN_NAV <= links, ui_pages(app) - NOT_IN_NAV - links
    assert "/admin/training" in links
    for link in links:
        page = client.get(link)
        assert page.status_code == 200, link
        assert 'aria-current="page"' in NAV.search(page.text).group(1), link


def test_a_moderator_sees_only_the_pages_they_may_use(client, make_user):
    make_user("mod@example.org")
    login(client, "mod@example.org")
    links = nav_links(client.get("/moderate").text)
    assert links == {"/moderate", "/tokens"}
    for link in links:
        assert client.get(link).status_code == 200


def test_a_favicon_for_every_page(client):
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/login").text
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response.headers["Location"] == "/static/favicon.svg"
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
