"""Driving ``bot.cli.main`` (the console script's entry point, exit-code mapping included)."""

from __future__ import annotations

import io
import sys

import pytest

from bot.cli import main


def run(
    capsys: pytest.CaptureFixture[str], *argv: str, stdin: bytes | None = None
) -> tuple[int, str, str]:
    """``briefbot *argv`` in-process (with ``stdin`` as its standard input when given):
    (exit code, stdout, stderr)."""
    if stdin is not None:
        stream = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys, "stdin", stream)
            return run(capsys, *argv)
    with pytest.raises(SystemExit) as exit_info:
        main(list(argv))
    out, err = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 1), out, err


def one_clear_line(err: str) -> str:
    """The one ``briefbot: ...`` line of a failure, with no traceback."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("briefbot: ")
    return lines[0]
