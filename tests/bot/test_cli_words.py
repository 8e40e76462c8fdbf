"""The CLI in our own words: what help shows, what a bad value is told, --version, and the
same short flags on every command -- through the real entry point."""

from __future__ import annotations

import re

import pytest

from bot import __version__
from bot.cli import _register_commands, app
from tests.support.cli import one_clear_line, run


def _command_paths() -> list[tuple[str, ...]]:
    import typer

    _register_commands()
    root = typer.main.get_command(app)
    paths: list[tuple[str, ...]] = [()]
    for name, command in getattr(root, "commands", {}).items():
        paths.append((name,))
        paths.extend((name, sub) for sub in getattr(command, "commands", {}))
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "briefbot")
def test_help_shows_no_library_type_labels(
    capsys: pytest.CaptureFixture[str], path: tuple[str, ...]
) -> None:
    # typer 0.29 labelled flags <bool> (so `--demo true` was tried), repeatable options
    # <list[str]> and arguments <str>.
    code, out, _ = run(capsys, *path, "--help")
    assert code == 0
    assert "Usage" in out
    assert not re.search(r"<(bool|str|int|float|list\[[^\]]*\]|Path)>", out), out


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "briefbot")
def test_every_format_option_also_answers_to_f(
    capsys: pytest.CaptureFixture[str], path: tuple[str, ...]
) -> None:
    _, out, _ = run(capsys, *path, "--help")
    if "--format" in out:
        assert re.search(r"--format\s+-f", out), out


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    code, out, err = run(capsys, flag)
    assert code == 0
    assert out == f"briefbot {__version__}\n"
    assert err == ""


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ("brief", "korea-japan", "--demo", "--format", "xml"),
            "briefbot: --format takes one of text, json, markdown, not 'xml' "
            "(see `briefbot brief --help`)",
        ),
        (
            ("unsubscribe", "abc"),
            "briefbot: ID takes a whole number, not 'abc' (see `briefbot unsubscribe --help`)",
        ),
        (
            ("brief", "korea-japan", "-n", "three"),
            "briefbot: --count takes a whole number, not 'three' (see `briefbot brief --help`)",
        ),
        (
            ("stories", "--limit", "-1"),
            "briefbot: --limit must be at least 0, not '-1' (see `briefbot stories --help`)",
        ),
    ],
)
def test_a_bad_value_is_told_in_our_words(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], line: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert one_clear_line(err) == line
    assert "Input should" not in err
    assert "Value error" not in err
