"""docs/interface.md is the users' full interface: it must name every command, option and
setting the code has, so that it cannot fall behind the CLI silently."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from bot.cli import _register_commands, app
from bot.settings import Settings

DOC = (Path(__file__).parents[1] / "docs" / "interface.md").read_text("utf-8")


def _commands() -> list[tuple[str, object]]:
    _register_commands()
    root = typer.main.get_command(app)
    found: list[tuple[str, object]] = [("briefbot", root)]
    for name, command in getattr(root, "commands", {}).items():
        found.append((f"briefbot {name}", command))
        for sub, deeper in getattr(command, "commands", {}).items():
            found.append((f"briefbot {name} {sub}", deeper))
    return found


@pytest.mark.parametrize(("path", "command"), _commands(), ids=lambda x: str(x)[:40])
def test_every_command_and_option_is_documented(path: str, command: object) -> None:
    words = path.split()
    if len(words) > 1:
        assert f"`{path}" in DOC or f"`{words[-1]} " in DOC, f"{path} is not in docs/interface.md"
    for param in getattr(command, "params", []):
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                assert f"`{opt}" in DOC, f"{path} {opt} is not in docs/interface.md"


def test_every_setting_is_documented() -> None:
    for field in Settings.model_fields.values():
        name = str(field.validation_alias.choices[0])  # type: ignore[union-attr]
        assert f"`{name}`" in DOC, f"{name} is not in docs/interface.md"
