"""Structured JSON logs with a request id; e-mail and IP addresses never reach INFO lines."""

from __future__ import annotations

import io
import json
import logging

import pytest

from service.logging_setup import make_handler, redact


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = make_handler(stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_redact_removes_emails_and_ips():
    text = redact("from ana.b+x@mail.example.org at 203.0.113.9 and 2001:db8::1 via fe80::1ff:fe23:4567:890a")
    assert "ana" not in text and "203.0.113" not in text and "2001:db8" not in text and "fe80" not in text
    assert text.count("[email]") == 1 and text.count("[ip]") == 3


def test_info_records_are_json_and_redacted_in_message_args_and_extras(log_lines):
    log = logging.getLogger("moderato.test")
    log.info("author %s from %s", "eve@example.org", "198.51.100.4", extra={"who": "eve@example.org",
                                                                             "ips": ["198.51.100.4"]})
    (line,) = [entry for entry in log_lines() if entry["logger"] == "moderato.test"]
    raw = json.dumps(line)
    assert "eve@example.org" not in raw and "198.51.100.4" not in raw
    assert line["level"] == "INFO" and line["event"] == "author [email] from [ip]"
    assert line["who"] == "[email]" and line["ips"] == ["[ip]"]


def test_request_logs_carry_the_request_id_and_no_personal_data(app, client, auth, log_lines):
    @app.get("/__log_probe")
    def _probe():
        logging.getLogger("moderato.probe").info("probe", extra={"email": "x@y.example"})
        return "ok"

    response = client.get("/__log_probe", headers={"X-Request-ID": "req-123"})
    assert response.headers["X-Request-ID"] == "req-123"
    (line,) = [entry for entry in log_lines() if entry["logger"] == "moderato.probe"]
    assert line["request_id"] == "req-123" and line["email"] == "[email]"


# HTTP itself refuses newlines in header values; quotes, spaces, tabs and long ids still reach the app.
@pytest.mark.parametrize("hostile", ['a" b', 'x","level":"ERROR', "a\tb", "x" * 65])
def test_a_hostile_request_id_is_replaced(client, hostile):
    response = client.get("/healthz", headers={"X-Request-ID": hostile})
    replaced = response.headers["X-Request-ID"]
    assert replaced != hostile and len(replaced) == 32 and replaced.isalnum()


def test_submission_logs_never_contain_the_authors_email_or_ip(client, auth, log_lines):
    logging.getLogger().setLevel(logging.DEBUG)
    client.post("/api/v1/comments", headers=auth, json={
        "content": "hi", "author_name": "Ana", "author_email": "ana.secret@example.org",
        "thread": "https://news.example/a", "user_ip": "192.0.2.77"})
    logging.getLogger().setLevel(logging.INFO)
    for entry in log_lines():
        if entry["level"] != "DEBUG":
            assert "ana.secret" not in json.dumps(entry) and "192.0.2.77" not in json.dumps(entry)
