"""Field validation as pure code: every problem is reported at once, values are normalised."""

import pytest

from service.domain.errors import ValidationFailed
from service.domain.validation import validate_submission

GOOD = {"content": "  hello  ", "author_name": " Ann ", "author_email": "ann@EXAMPLE.org", "thread": "t"}


def test_values_are_trimmed_and_email_normalised():
    s = validate_submission(GOOD)
    assert (s.content, s.author_name, s.author_email) == ("hello", "Ann", "ann@example.org")


def test_all_bad_fields_are_reported_together():
    with pytest.raises(ValidationFailed) as info:
        validate_submission({"content": "", "author_email": "nope", "thread": "t", "x": 1})
    fields = sorted(e.field for e in info.value.errors)
    assert fields == ["author_email", "author_name", "content", "x"]


def test_blank_optional_fields_are_ignored():
    s = validate_submission({**GOOD, "author_url": "", "user_ip": " ", "language": ""})
    assert s.author_url is None and s.user_ip is None and s.language is None


@pytest.mark.parametrize("url", ["https://a.example/x?y=1", "http://localhost:8000/"])
def test_http_urls_are_accepted(url):
    assert validate_submission({**GOOD, "author_url": url}).author_url == url


def test_ipv6_is_accepted_and_normalised():
    assert validate_submission({**GOOD, "user_ip": "2001:DB8::1"}).user_ip == "2001:db8::1"
