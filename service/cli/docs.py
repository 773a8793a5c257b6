"""Write the command-line reference (docs/cli.md) from the click commands themselves.

    .venv/bin/python -m service.cli.docs > docs/cli.md

A test compares the file with this output, so the reference cannot drift from the commands.
"""

from __future__ import annotations

import inspect
import sys

import click

INTRO = """\
# Command line reference

<!-- Generated from the click commands by `.venv/bin/python -m service.cli.docs > docs/cli.md`;
     tests/service/test_cli_docs.py fails when it is out of date. Edit the commands, not this file. -->

`make run` and `make test` install the command into the virtual environment: run it as
`.venv/bin/moderato` (or `moderato` after `. .venv/bin/activate`). `moderato COMMAND --help` prints the
same help as below.

Every command reads the same settings as the service: `instance/moderato.cfg`, then `MODERATO_*`
environment variables, with `DATABASE_URL` and `REDIS_URL` also read without the prefix
([operations.md](operations.md#configuration)). Without them it works on the embedded default,
`instance/moderato.sqlite3`. A command prints what it did on standard output; a failure is one line,
`Error: ...`, on standard error with exit status 1 (`MODERATO_LOG_LEVEL=DEBUG` adds the traceback).
"""


def render(group: click.Group, name: str = "moderato") -> str:
    """The whole reference: the introduction, a table of contents, then every command in order."""
    root = click.Context(group, info_name=name, max_content_width=200, terminal_width=200)
    entries = list(_walk(group, root))
    lines = [INTRO, "## Commands", ""]
    for ctx, command in entries:
        if not isinstance(command, click.Group):
            lines.append(f"- [`{ctx.command_path}`](#{_anchor(ctx.command_path)}): {command.get_short_help_str(90)}")
    lines.append("")
    for ctx, command in entries:
        lines += _section(ctx, command)
    return "\n".join(lines).rstrip() + "\n"


def _walk(command: click.Command, ctx: click.Context):
    yield ctx, command
    if isinstance(command, click.Group):
        for sub_name in command.list_commands(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                yield from _walk(sub, click.Context(sub, info_name=sub_name, parent=ctx, max_content_width=200,
                                                    terminal_width=200))


def _section(ctx: click.Context, command: click.Command) -> list[str]:
    level = "##" if ctx.parent is None or isinstance(command, click.Group) else "###"
    lines = [f"{level} {ctx.command_path}", ""]
    if command.help:
        lines += [inspect.cleandoc(click.unstyle(command.help)), ""]
    if isinstance(command, click.Group):
        return lines
    usage = " ".join(command.collect_usage_pieces(ctx))
    lines += ["```", f"{ctx.command_path} {usage}".rstrip(), "```", ""]
    # Arguments show in the usage line; every command has --help.
    options = [record for param in command.get_params(ctx)
               if isinstance(param, click.Option) and param is not command.get_help_option(ctx)
               and (record := param.get_help_record(ctx)) is not None]
    if options:
        lines += ["| option | meaning |", "|---|---|"]
        lines += [f"| `{_cell(name)}` | {_cell(text) or ' '} |" for name, text in options]
        lines.append("")
    return lines


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, spaces to hyphens, punctuation dropped."""
    return "".join(c for c in heading.lower().replace(" ", "-") if c.isalnum() or c in "-_")


def main() -> None:
    from service.cli import cli

    sys.stdout.write(render(cli))


if __name__ == "__main__":
    main()
