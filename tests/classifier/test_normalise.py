"""Normalisation and its map back to the original text."""

from __future__ import annotations

import pytest

from classifier.normalise import EMAIL_TOKEN, URL_TOKEN, normalise


def spans(text: str) -> list[str]:
    norm = normalise(text, offsets=True)
    return [text[norm.starts[i]:norm.ends[i]] for i in range(len(norm.text))]


def test_html_tags_are_dropped_and_entities_decoded():
    norm = normalise("<p>Tom &amp; Jerry</p><br />rock")
    assert norm.text == "tom & jerry rock"


def test_links_in_tags_keep_their_registrable_domain():
    norm = normalise('<a href="https://shop.cheap-pills.co.uk/buy">here</a>')
    assert norm.text == f"{URL_TOKEN} cheap-pills.co.uk here"
    assert norm.link_domains == ("cheap-pills.co.uk",)


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("visit http://www.Example.com/path?q=1.", "example.com"),
        ("go to www.foo.bar.org now", "bar.org"),
        ("see bit.ly/xyz", "bit.ly"),
        ("https://192.168.0.1/admin", "192.168.0.1"),
    ],
)
def test_urls_become_their_registrable_domain(text, domain):
    norm = normalise(text)
    assert f"{URL_TOKEN} {domain}" in norm.text
    assert norm.link_domains == (domain,)


def test_words_joined_by_a_dot_are_not_links():
    assert normalise("the end.now what e.g. this").link_domains == ()


def test_emails_become_a_token():
    norm = normalise("mail me: John.Doe+x@mail.example.com")
    assert norm.text == f"mail me: {EMAIL_TOKEN}"
    assert norm.n_emails == 1 and norm.link_domains == ()


def test_case_width_and_lookalikes_fold_to_plain_ascii():
    assert normalise("ＦＲＥＥ Ｍｏｎｅｙ").text == "free money"
    assert normalise("ѕех раураl").text == "sex paypal"  # Cyrillic look-alikes
    assert normalise("🅵🆁🅴🅴 ᴍᴏɴᴇʏ").text == "free money"
    assert normalise("Café NAÏVE").text == "cafe naive"


def test_leetspeak_folds_only_inside_words():
    assert normalise("h3ll0 1d10t b@stard").text == "hello idiot bastard"
    assert normalise("call 08001234567 or txt80488, @user 2nd").text == "call 08001234567 or txt80488, @user 2nd"
    assert normalise("great!!").text == "great!!"


def test_runs_are_squashed():
    assert normalise("soooooo   coooool!!!!!!").text == "soo cool!!"


def test_invisible_and_control_characters_are_dropped():
    assert normalise("id\u200biot\u202e \x00ok\ud800").text == "idiot ok"
    assert normalise("z̷̢a̸l̵g̶o̴").text == "zalgo"


def test_offsets_point_at_the_original_characters():
    text = "<b>Ｈｉ</b> &amp; soooo 1d10t"
    assert spans(text) == ["Ｈ", "ｉ", "</b> ", "&amp;", " ", "s", "o", "ooo", " ", "1", "d", "1", "0", "t"]


def test_offsets_cover_expansions_and_links():
    text = "ﬁne http://x.com/a ok"
    norm = normalise(text, offsets=True)
    assert norm.text == f"fine {URL_TOKEN} x.com ok"
    assert spans(text)[:2] == ["ﬁ", "ﬁ"]
    begin = norm.text.index("x.com")
    assert text[slice(*norm.original_span(begin, begin + 5))] == "http://x.com/a"


def test_fast_and_offset_paths_agree():
    for text in ["", "   ", "a", "<p>Hi</p>", "ß ẞ İ ǅ", "aaa\n\n\tbbb", "x&#128512;y", "www.a.com www.b.com"]:
        fast, tracked = normalise(text), normalise(text, offsets=True)
        assert fast.text == tracked.text
        assert len(tracked.starts) == len(tracked.ends) == len(tracked.text)
