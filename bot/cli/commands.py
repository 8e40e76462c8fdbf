"""Registers every CLI command module on the app (import side effects only)."""

from __future__ import annotations

import importlib
import pkgutil

import bot.cli as _cli

# Every module in bot/cli/ named cmd_*.py defines its commands with ``@app.command()``.
for _info in pkgutil.iter_modules(_cli.__path__):
    if _info.name.startswith("cmd_"):
        importlib.import_module(f"bot.cli.{_info.name}")
