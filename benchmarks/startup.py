"""Start-up time of the `briefbot` command, side by side with a bare `python -c pass`.

    python benchmarks/startup.py                       # 10 runs of each command
    python benchmarks/startup.py --runs 20
    python benchmarks/startup.py --source /tmp/old     # another checkout's code, same venv
    python benchmarks/startup.py --before /tmp/old     # that one and this one, interleaved
    python benchmarks/startup.py --no-bytecode-cache   # every run compiles our modules

Each command runs as a fresh subprocess (the interpreter, the imports and the work, as a
user pays them), in turn, ``--runs`` times after one untimed warm-up; the table gives the
median and the minimum wall time.  The store commands run against an empty SQLite store in a
temporary ``BRIEFBOT_DATA_DIR`` (created by the warm-up, as a new user's first command
creates it), in a ``.env``-free working directory, with no ``BRIEFBOT_``/``DISCORD_``/
``SLACK_`` variable of the machine's own.

Bytecode: an installed briefbot has its modules compiled (pip does it); a checkout run with
``PYTHONDONTWRITEBYTECODE=1`` compiles every module of ours on every start.  By default the
runs share a bytecode cache in a temporary ``PYTHONPYCACHEPREFIX`` (filled by the warm-up),
as an installed copy does; ``--no-bytecode-cache`` measures the other case.

Goals (issue 14): ``briefbot --help`` <= 0.3 s and ``briefbot brief korea-japan --demo``
<= 0.6 s (medians).  The "floor" row imports only the libraries every store command needs
(typer with pydantic, pydantic-settings, SQLAlchemy's ORM), nothing of ours: the part of a
store command that only replacing those libraries would remove.  The machine is shared: note
``uptime``'s load beside the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import table  # noqa: E402

GOALS = {"briefbot --help": 0.3, "briefbot brief korea-japan --demo": 0.6}


def briefbot() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m bot``."""
    script = Path(sys.executable).with_name("briefbot")
    if script.exists():
        return [str(script)]
    found = shutil.which("briefbot")
    return [found] if found else [sys.executable, "-m", "bot"]


# What any store command must import before our code runs: typer (0.29 converts parameters
# with pydantic), pydantic-settings (the settings are checked before every command) and
# SQLAlchemy with its ORM (the store).  Short of replacing them, no change of ours goes below.
LIBRARIES = "import typer, typer._adapters, pydantic_settings, sqlalchemy.orm"


def commands() -> list[tuple[str, list[str]]]:
    cli = briefbot()
    return [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("libraries of a store command (floor)", [sys.executable, "-c", LIBRARIES]),
        ("briefbot --help", [*cli, "--help"]),
        ("briefbot brief korea-japan --demo", [*cli, "brief", "korea-japan", "--demo"]),
        ("briefbot topics", [*cli, "topics"]),
        ("briefbot brief korea-japan (empty store)", [*cli, "brief", "korea-japan"]),
    ]


def timed(argv: Sequence[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr.decode(errors='replace')}"
        )
    return elapsed


def environment(folder: Path, source: Path | None, *, bytecode_cache: bool) -> dict[str, str]:
    """The commands' environment: none of the machine's settings, a data dir of their own,
    ``source``'s packages found first when given."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BRIEFBOT_", "DISCORD_", "SLACK_", "PYTHON"))
    }
    folder.mkdir(parents=True)
    env["BRIEFBOT_DATA_DIR"] = str(folder / "data")
    env["COLUMNS"] = "88"
    if source is not None:  # found before the editable install's finder
        env["PYTHONPATH"] = str(source.resolve())
    if bytecode_cache:
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each command (10)")
    parser.add_argument(
        "--source", type=Path, help="run the bot, summaries and adapters packages of this checkout"
    )
    parser.add_argument(
        "--before",
        type=Path,
        help="also run this checkout's packages (say, `git archive` of the old commit), "
        "interleaved with the others, and show both",
    )
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="compile our modules on every run (PYTHONDONTWRITEBYTECODE=1)",
    )
    args = parser.parse_args()
    cache = not args.no_bytecode_cache
    sides = [("after", args.source)] if args.before is None else [("before", args.before)]
    if args.before is not None:
        sides.append(("after", args.source))
    with tempfile.TemporaryDirectory(prefix="briefbot-startup-") as tmp:
        envs = {
            side: environment(Path(tmp) / side, source, bytecode_cache=cache)
            for side, source in sides
        }
        runs: dict[tuple[str, str], list[float]] = {}
        for side in envs:  # one untimed warm-up each: the page cache, bytecode, the store
            for name, argv in commands():
                timed(argv, envs[side], Path(tmp) / side)
                runs[side, name] = []
        for _ in range(args.runs):  # interleaved, so load changes fall on every command
            for name, argv in commands():
                for side in envs:
                    runs[side, name].append(timed(argv, envs[side], Path(tmp) / side))
    header = ["command"]
    for side, _source in sides:
        header += [f"{side} median", "min"] if len(sides) > 1 else ["median", "min"]
    header += ["over python", "goal", ""]
    rows = []
    last = sides[-1][0]
    base = statistics.median(runs[last, "python -c pass"])
    for name, _ in commands():
        row = [name]
        for side, _source in sides:
            row += [f"{statistics.median(runs[side, name]):.3f}", f"{min(runs[side, name]):.3f}"]
        median = statistics.median(runs[last, name])
        goal = GOALS.get(name)
        verdict = "" if goal is None else ("met" if median <= goal else "NOT met")
        row += [f"{median - base:+.3f}", f"{goal:.1f}" if goal else "", verdict]
        rows.append(row)
    load = os.getloadavg()
    code = f"{args.source.resolve() if args.source else ROOT}"
    if args.before is not None:
        code = f"before: {args.before.resolve()}, after: {code}"
    table(
        f"Start-up ({code}), {'bytecode cached' if cache else 'no bytecode cache'}, "
        f"{args.runs} runs each (s); load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        header,
        rows,
    )


if __name__ == "__main__":
    main()
