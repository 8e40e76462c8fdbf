"""What a command imports before it answers: start-up time is mostly imports (issue 14: a
store command took 1.1-1.7 s, about 1 s of it importing SQLAlchemy, Alembic and friends before
anything needed them).  Each command runs in a fresh interpreter, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def _loaded_by(argv: list[str], tmp_path: Path) -> tuple[str, set[str]]:
    """Run ``briefbot *argv`` in a fresh interpreter: its stdout, and the modules it imported
    (with their top-level packages)."""
    script = (
        "import json, sys\n"
        "from bot.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "sys.stdout.flush()\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stderr.splitlines()[-1])
    return done.stdout, {*modules, *(name.split(".")[0] for name in modules)}


def test_demo_briefs_from_the_shipped_store_without_summarizing_or_migrating(
    tmp_path: Path,
) -> None:
    out, loaded = _loaded_by(["brief", "korea-japan", "--demo"], tmp_path)
    assert "Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties" in out
    # it used to ingest the corpus (sumy, numpy, trafilatura) into a store it migrated
    # (alembic) on every run: seconds, for the same rows each time
    assert loaded.isdisjoint({"alembic", "sumy", "numpy", "trafilatura", "bot.ingest"})
    # the renderers need only summaries.inert, not the summarizer behind the package's names;
    # the countries come from the shipped snapshot, not from reading the packages' files
    assert loaded.isdisjoint({"summaries.core", "summaries.clean", "pycountry", "countryinfo"})


def test_help_loads_neither_the_store_nor_the_settings_nor_asyncio(tmp_path: Path) -> None:
    out, loaded = _loaded_by(["--help"], tmp_path)
    assert "Usage" in out
    assert loaded.isdisjoint({"sqlalchemy", "alembic", "pydantic", "asyncio", "numpy"})
