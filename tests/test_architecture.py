"""The core never imports a chat platform (DESIGN convention 1)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANNED = ("discord", "slack_bolt", "slack_sdk")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_never_imports_platforms() -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for room in ("bot", "summaries")
        for path in sorted((ROOT / room).rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in BANNED
    ]
    assert offenders == []


def test_the_check_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("import discord.ext.commands\nfrom slack_sdk import WebClient\n")
    assert {"discord.ext.commands", "slack_sdk"} <= _imports(sample)
