"""The layer rules (DESIGN, convention 1) are import-linter contracts in pyproject.toml
([tool.importlinter]); these tests run them, so a broken rule fails the suite.

    summaries   the text-to-bullets library: imports nothing of bot/ or adapters/
    bot         the core: imports no adapter (but its composition root and the CLI's
                text renderer), and, with summaries, no chat platform or web server
    tests       import nothing of benchmarks/ (shared helpers live in tests/support)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint_imports(cwd: Path, config: Path) -> subprocess.CompletedProcess[str]:
    beside = Path(sys.executable).with_name("lint-imports")
    command = str(beside) if beside.exists() else shutil.which("lint-imports")
    if command is None:
        pytest.fail("import-linter is not installed: pip install -e '.[dev]'")
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [command, "--no-cache", "--no-logo", str(config)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _contracts() -> dict[str, dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_the_layer_rules_hold() -> None:
    result = _lint_imports(ROOT, ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" not in result.stdout.replace("0 broken", "")
    assert f"{len(_contracts())} kept, 0 broken" in result.stdout


def test_every_layer_rule_is_declared() -> None:
    contracts = _contracts()
    assert set(contracts) == {
        "summaries-is-a-library",
        "core-without-adapters",
        "core-without-platforms",
        "tests-without-benchmarks",
    }
    assert set(contracts["summaries-is-a-library"]["forbidden_modules"]) == {"bot", "adapters"}  # type: ignore[arg-type]
    platforms = set(contracts["core-without-platforms"]["forbidden_modules"])  # type: ignore[arg-type]
    assert {"discord", "slack_bolt", "slack_sdk", "aiohttp"} <= platforms


# A small tree that breaks each rule once, checked against the project's own contracts.
_BREAKS = {
    "summaries/__init__.py": "",
    "summaries/core.py": "from bot.errors import BriefbotError\n",
    "bot/__init__.py": "",
    "bot/errors.py": "class BriefbotError(Exception):\n    pass\n",
    "bot/briefing.py": "import adapters.discord\n",
    "bot/store.py": "from slack_sdk import WebClient\n",
    "bot/app.py": "from adapters.discord import client\n",  # the composition root may
    "adapters/__init__.py": "",
    "adapters/discord/__init__.py": "",
    "adapters/discord/client.py": "import discord\n",
    "benchmarks/__init__.py": "",
    "benchmarks/chrome.py": "",
    "tests/__init__.py": "",
    "tests/test_quality.py": "def test_x() -> None:\n    from benchmarks.chrome import wrap\n",
}


@pytest.mark.parametrize(
    ("contract", "offender"),
    [
        ("summaries-is-a-library", "summaries.core -> bot.errors"),
        ("core-without-adapters", "bot.briefing -> adapters.discord"),
        ("core-without-platforms", "bot.store -> slack_sdk"),
        ("tests-without-benchmarks", "tests.test_quality -> benchmarks.chrome"),
    ],
)
def test_a_broken_rule_fails(tmp_path: Path, contract: str, offender: str) -> None:
    for name, text in _BREAKS.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    section = config["tool"]["importlinter"]
    (tmp_path / ".importlinter").write_text(_ini(section, contract), encoding="utf-8")
    result = _lint_imports(tmp_path, tmp_path / ".importlinter")
    assert result.returncode != 0, result.stdout
    assert offender in result.stdout
    assert "bot.app" not in result.stdout  # the composition root's imports are allowed


def _ini(section: dict[str, object], contract_id: str) -> str:
    """The contract ``contract_id`` of the project's configuration, as an INI file."""

    def value(v: object) -> str:
        if isinstance(v, list):
            return "".join(f"\n    {item}" for item in v)
        return str(v).lower() if isinstance(v, bool) else str(v)

    lines = ["[importlinter]"]
    lines += [f"{k} = {value(v)}" for k, v in section.items() if k != "contracts"]
    contract = next(c for c in section["contracts"] if c["id"] == contract_id)  # type: ignore[attr-defined]
    lines += [f"[importlinter:contract:{contract_id}]"]
    lines += [f"{k} = {value(v)}" for k, v in contract.items() if k != "id"]
    lines += ["unmatched_ignore_imports_alerting = none"]  # the small tree lacks some of them
    return "\n".join(lines) + "\n"
