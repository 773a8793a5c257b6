"""docs/cli.md is the reference the click commands generate, so it cannot drift from them."""

from __future__ import annotations

from pathlib import Path

from service.cli import cli
from service.cli.docs import render

CLI_MD = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_the_cli_reference_is_up_to_date():
    expected = render(cli)
    assert CLI_MD.read_text() == expected, (
        "docs/cli.md is out of date: run `.venv/bin/python -m service.cli.docs > docs/cli.md`")


def test_the_reference_covers_every_command_and_option():
    text = render(cli)
    for group in cli.commands.values():
        for command in getattr(group, "commands", {group.name: group}).values():
            path = f"moderato {group.name}" + (f" {command.name}" if command is not group else "")
            assert f"### {path}\n" in text or f"## {path}\n" in text, path
            for param in command.params:
                for opt in getattr(param, "opts", []):
                    if opt.startswith("--"):
                        assert f"`{opt}" in text, (path, opt)
