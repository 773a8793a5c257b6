"""`moderato import`: labelled history lands as labels with provenance, de-duplicated, all or nothing."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from service.storage.models import Label


def label_count(app) -> int:
    with app.extensions["db"].session() as session:
        return session.scalar(select(func.count()).select_from(Label))


def test_jsonl_import_stores_labels_with_provenance_and_dedups(app, runner, site_key, tmp_path):
    path = tmp_path / "history.jsonl"
    rows = [
        {"text": "Buy followers now at cheapfollowers.example", "label_spam": 1},
        {"text": "Lovely photos of the harbour, thanks.", "label_spam": 0},
        {"text": "lovely   photos of the HARBOUR, thanks.", "label_spam": 0},
        {"text": "No label on this one"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = runner.invoke(args=["import", str(path), "--site", "news"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert (summary["created"], summary["duplicates_in_file"], summary["unlabelled"]) == (2, 1, 1)
    with app.extensions["db"].session() as session:
        labels = session.scalars(select(Label).order_by(Label.id)).all()
        assert [(lb.label_spam, lb.source) for lb in labels] == [(1, "import:jsonl"), (0, "import:jsonl")]
        assert labels[0].provenance["line"] == 1 and labels[0].provenance["file"] == "history.jsonl"
    again = runner.invoke(args=["import", str(path), "--site", "news"])
    assert json.loads(again.output)["updated"] == 2
    assert label_count(app) == 2


def test_a_bad_line_names_the_line_and_imports_nothing(app, runner, site_key, tmp_path):
    path = tmp_path / "broken.jsonl"
    path.write_text(json.dumps({"text": "fine", "label_spam": 0}) + "\n{not json\n")
    result = runner.invoke(args=["import", str(path), "--site", "news"])
    assert result.exit_code != 0
    assert "line 2" in result.output and "nothing was imported" in result.output
    assert label_count(app) == 0


def test_wordpress_export_maps_spam_and_approved(app, runner, site_key, tmp_path):
    path = tmp_path / "export.xml"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title>Post</title>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_author>Ann</wp:comment_author>
<wp:comment_content>Great analysis of the vote.</wp:comment_content>
<wp:comment_approved>1</wp:comment_approved></wp:comment>
<wp:comment><wp:comment_id>2</wp:comment_id><wp:comment_author>Pills</wp:comment_author>
<wp:comment_content>cheap pills online</wp:comment_content><wp:comment_approved>spam</wp:comment_approved></wp:comment>
</item></channel></rss>""")
    result = runner.invoke(args=["import", str(path), "--site", "news"])
    assert result.exit_code == 0, result.output
    with app.extensions["db"].session() as session:
        got = sorted((lb.text, lb.label_spam) for lb in session.scalars(select(Label)))
    assert got == [("Great analysis of the vote.", 0), ("cheap pills online", 1)]


def test_unknown_site_is_refused(runner, tmp_path):
    path = tmp_path / "h.jsonl"
    path.write_text(json.dumps({"text": "x", "label_spam": 0}) + "\n")
    result = runner.invoke(args=["import", str(path), "--site", "nope"])
    assert result.exit_code != 0 and "no site named" in result.output
