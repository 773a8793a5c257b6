"""A real WordPress for the tests: Debian's `wordpress` package served by `php -S` on a loopback port,
its own MariaDB database, installed and driven over HTTP as its admin and its visitors would."""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import shutil
import subprocess
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import httpx

from tests.faults.conftest import free_port

DEBIAN_WORDPRESS = Path("/usr/share/wordpress")
HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
ADMIN, ADMIN_PASSWORD = "admin", "correct horse battery staple"


def sql(database: str, statement: str, *parameters: object) -> list[dict]:
    """Run one statement, with `?` placeholders for `parameters`, against the machine's MariaDB (through
    PHP's mysqli, which WordPress uses too)."""
    result = subprocess.run(["php", str(HERE / "sql.php"), database, statement, *map(str, parameters)],
                            capture_output=True, text=True, timeout=30, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"SQL failed: {statement}\n{result.stdout}{result.stderr}")
    return json.loads(result.stdout or "[]")


class Form(HTMLParser):
    """The fields of one HTML form as a browser would submit it (checked boxes only, no submit buttons)."""

    def __init__(self, match):
        super().__init__(convert_charrefs=True)
        self.match, self.inside, self.action, self.fields = match, False, None, []
        self._textarea: str | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and not self.inside and self.match(a):
            self.inside, self.action = True, a.get("action", "")
        if not self.inside:
            return
        kind = a.get("type", "text").lower()
        if tag == "input" and "name" in a and kind not in ("submit", "button", "image", "reset", "file"):
            if kind not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((a["name"], a.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and "name" in a:
            self._textarea = a["name"]
            self.fields.append((a["name"], ""))
        elif tag == "select" and "name" in a:
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self._textarea is not None:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [v for v, _ in self._options[:1]]
            self.fields.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False
            self.match = lambda attrs: False  # the first matching form only

    @classmethod
    def find(cls, page: str, **attrs) -> Form:
        """The first form whose attributes contain `attrs` (`action` matches as a substring)."""
        def match(a: dict) -> bool:
            return all(v in a.get(k, "") if k == "action" else a.get(k) == v for k, v in attrs.items())

        form = cls(match)
        form.feed(page)
        if form.action is None:
            raise AssertionError(f"no form with {attrs} on the page")
        return form

    def data(self, **changes) -> dict:
        """The fields with `changes` applied; a change to None unticks (leaves out) that field."""
        values = dict(self.fields)
        values.update(changes)
        return {name: value for name, value in values.items() if value is not None}


class WordPress:
    """One WordPress site: files in `root`, database `database`, served at `url` by `php -S`."""

    def __init__(self, root: Path, database: str, log: Path):
        self.root, self.database, self.log = root, database, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    # -- building and serving -------------------------------------------------------------------------

    def build(self, *, plugin_zip: Path | None = None, mu_plugins: tuple[Path, ...] = (),
              constants: dict | None = None) -> None:
        """Lay out WordPress from Debian's package: its files, this site's wp-config.php and wp-content."""
        self.root.mkdir(parents=True)
        for entry in DEBIAN_WORDPRESS.iterdir():
            if entry.name in ("wp-config.php", "wp-content", ".htaccess"):
                continue
            if entry.name == "wp-includes":
                # Loaded through ABSPATH: sharing Debian's copy is safe and saves copying 46 MB.
                (self.root / entry.name).symlink_to(entry)
            elif entry.is_dir():
                # wp-admin's scripts find wp-load.php next to their own real path, so they need a copy.
                shutil.copytree(entry, self.root / entry.name, symlinks=True)
            else:
                shutil.copy2(entry, self.root / entry.name)
        content = self.root / "wp-content"
        for folder in ("plugins", "themes", "uploads", "mu-plugins"):
            (content / folder).mkdir(parents=True)
        shutil.copytree(DEBIAN_WORDPRESS / "wp-content/plugins/akismet", content / "plugins/akismet")
        shutil.copytree(HERE / "theme", content / "themes/moderato-test")
        if plugin_zip is not None:
            # What Plugins -> Add New -> Upload Plugin does with the zip.
            with zipfile.ZipFile(plugin_zip) as archive:
                archive.extractall(content / "plugins")
        for path in mu_plugins:
            shutil.copy2(path, content / "mu-plugins" / path.name)
        self._write_config(constants or {})
        sql("", f"CREATE DATABASE `{self.database}` CHARACTER SET utf8mb4")

    def _write_config(self, constants: dict) -> None:
        lines = ["<?php", "// Written by tests/wordpress/wordpress.py for one test session."]
        settings = {
            "DB_NAME": self.database, "DB_USER": "root", "DB_PASSWORD": "", "DB_HOST": "127.0.0.1:3306",
            "DB_CHARSET": "utf8mb4", "DB_COLLATE": "", "WP_DEFAULT_THEME": "moderato-test",
            "WP_DEBUG": True, "WP_DEBUG_DISPLAY": False, "WP_DEBUG_LOG": str(self.log.with_suffix(".debug.log")),
            # WP-cron runs when the test calls wp-cron.php, as a system cron job would.
            "DISABLE_WP_CRON": True, "AUTOMATIC_UPDATER_DISABLED": True,
            # No network here but loopback: refuse WordPress.org update checks at once instead of timing out.
            "WP_HTTP_BLOCK_EXTERNAL": True,
            **constants,
        }
        for name in ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT",
                     "LOGGED_IN_SALT", "NONCE_SALT"):
            settings[name] = secrets.token_hex(32)
        lines += [f"define( {json.dumps(k)}, {json.dumps(v)} );" for k, v in settings.items()]
        lines += ["$table_prefix = 'wp_';", "if ( ! defined( 'ABSPATH' ) ) { define( 'ABSPATH', __DIR__ . '/' ); }",
                  "require_once ABSPATH . 'wp-settings.php';", ""]
        (self.root / "wp-config.php").write_text("\n".join(lines))

    def serve(self) -> None:
        """Start `php -S` (4 workers: a webhook must get in while a comment's request waits on Moderato)."""
        self._log = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            ["php", "-d", "display_errors=0", "-d", "log_errors=1", "-d", f"error_log={self.log}",
             "-S", f"127.0.0.1:{self.port}", "-t", str(self.root)],
            cwd=self.root, stdout=self._log, stderr=subprocess.STDOUT,
            env={**os.environ, "PHP_CLI_SERVER_WORKERS": "4"}, start_new_session=True,
        )
        from tests.conftest import wait_for_port

        wait_for_port(self.port, f"php -S (log: {self.log})", timeout=15)

    def install(self) -> None:
        """Run WordPress's installer as its form posts (Settings: title, admin user, e-mail)."""
        with httpx.Client(base_url=self.url, timeout=60) as client:
            response = client.post("/wp-admin/install.php?step=2", data={
                "weblog_title": "Moderato test blog", "user_name": ADMIN, "admin_password": ADMIN_PASSWORD,
                "admin_password2": ADMIN_PASSWORD, "pw_weak": "on", "admin_email": "admin@example.org",
                "blog_public": "0", "Submit": "Install WordPress"})
        assert response.status_code == 200 and "Success!" in response.text, response.text[:2000]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(10)
        self.process = None
        if getattr(self, "_log", None) is not None:
            self._log.close()
        sql("", f"DROP DATABASE IF EXISTS `{self.database}`")

    # -- the admin -----------------------------------------------------------------------------------

    def admin(self) -> httpx.Client:
        """An httpx client logged in to wp-admin as the administrator (cookies as a browser keeps them)."""
        client = httpx.Client(base_url=self.url, timeout=60, follow_redirects=False)
        client.cookies.set("wordpress_test_cookie", "WP Cookie check")
        response = client.post("/wp-login.php", data={
            "log": ADMIN, "pwd": ADMIN_PASSWORD, "wp-submit": "Log In", "testcookie": "1",
            "redirect_to": f"{self.url}/wp-admin/"})
        assert response.status_code == 302, response.text[:2000]
        return client

    def activate_plugin(self, admin: httpx.Client, plugin: str) -> None:
        """Click "Activate" for `plugin` (e.g. moderato/moderato.php) on the Plugins page."""
        page = admin.get("/wp-admin/plugins.php").text
        link = re.search(r'href="(plugins\.php\?action=activate&amp;plugin=' + re.escape(plugin.replace("/", "%2F"))
                         + r'[^"]*)"', page)
        assert link, f"no Activate link for {plugin}"
        response = admin.get("/wp-admin/" + html.unescape(link.group(1)))
        assert response.status_code == 302 and "error" not in response.headers["location"], response.text[:2000]
        # The browser follows on to the page it is sent to (Akismet sends its new user to its settings).
        assert admin.get(response.headers["location"], follow_redirects=True).status_code == 200

    def submit_admin_form(self, admin: httpx.Client, page_path: str, changes: dict, **form_attrs) -> httpx.Response:
        """Open an admin page, fill in its form as an admin would, and submit it."""
        page = admin.get(page_path)
        assert page.status_code == 200, page.text[:2000]
        form = Form.find(page.text, **form_attrs)
        action = html.unescape(form.action) or page_path
        if not action.startswith("http"):
            action = action if action.startswith("/") else "/wp-admin/" + action
        return admin.post(action, data=form.data(**changes))

    def click(self, admin: httpx.Client, comment_id: int, action: str) -> None:
        """Follow a comment's row action link in Comments (approvecomment, spamcomment, unspamcomment, ...)."""
        page = admin.get("/wp-admin/edit-comments.php?comment_status=all").text
        if action == "unspamcomment":
            page = admin.get("/wp-admin/edit-comments.php?comment_status=spam").text
        link = re.search(r'href=["\'](comment\.php\?c=' + str(comment_id) + r'&(?:amp;|#038;)action=' + action
                         + r'&(?:amp;|#038;)_wpnonce=[0-9a-f]+)["\']', page)
        assert link, f"no {action} link for comment {comment_id}"
        response = admin.get("/wp-admin/" + html.unescape(link.group(1)))
        assert response.status_code == 302, response.text[:2000]

    # -- visitors -----------------------------------------------------------------------------------------

    def post_comment(self, source_ip: str, author: str, email: str, text: str, *, url: str = "",
                     post_id: int = 1) -> httpx.Response:
        """A visitor at `source_ip` opens the post, fills in WordPress's comment form and submits it."""
        transport = httpx.HTTPTransport(local_address=source_ip)
        headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"}
        with httpx.Client(base_url=self.url, transport=transport, headers=headers, timeout=60,
                          follow_redirects=False) as visitor:
            page = visitor.get(f"/?p={post_id}", follow_redirects=True)  # to its canonical permalink
            assert page.status_code == 200, page.text[:2000]
            form = Form.find(page.text, id="commentform")
            return visitor.post(html.unescape(form.action), headers={"Referer": str(page.url)},
                                data=form.data(author=author, email=email, url=url, comment=text))

    def comment_id(self, email: str) -> int | None:
        rows = sql(self.database, "SELECT comment_ID FROM wp_comments WHERE comment_author_email = ? "
                                  "ORDER BY comment_ID DESC LIMIT 1", email)
        return int(rows[0]["comment_ID"]) if rows else None

    def comment(self, comment_id: int) -> dict:
        (row,) = sql(self.database, "SELECT * FROM wp_comments WHERE comment_ID = ?", int(comment_id))
        return row

    def approved(self, comment_id: int) -> str:
        """WordPress's comment_approved: "1", "0" (pending), "spam" or "trash"."""
        return self.comment(comment_id)["comment_approved"]

    def meta(self, comment_id: int, key: str) -> str | None:
        rows = sql(self.database, "SELECT meta_value FROM wp_commentmeta WHERE comment_id = ? AND meta_key = ? "
                                  "ORDER BY meta_id DESC LIMIT 1", int(comment_id), key)
        return rows[0]["meta_value"] if rows else None

    def option(self, name: str) -> str | None:
        rows = sql(self.database, "SELECT option_value FROM wp_options WHERE option_name = ?", name)
        return rows[0]["option_value"] if rows else None

    def run_cron(self) -> None:
        """Run WP-cron's due events, as a system cron job calling wp-cron.php does."""
        with httpx.Client(base_url=self.url, timeout=60) as client:
            assert client.get("/wp-cron.php").status_code == 200

    def wait_for(self, predicate, timeout: float, *, cron: bool = False, interval: float = 0.5) -> bool:
        """Poll `predicate` until it holds; with `cron`, run WP-cron between polls."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            if cron:
                self.run_cron()
            time.sleep(interval)
        return predicate()
