"""The `briefbot` command line (typer).  CONTRACT.md "CLI" is its outside.

Exit codes: 0 success; 2 bad input or usage (one line on stderr, no traceback);
1 an unexpected failure (logged).  Output goes to stdout; logs and progress to stderr.

Each command lives in its own module and registers itself on ``app``; heavy imports
(sumy, SQLAlchemy, discord.py) happen inside the command functions so `--help` stays fast.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

import typer

from bot.errors import BadInput, BriefbotError, SourceError, SummaryError

app = typer.Typer(
    name="briefbot",
    help="Keep a team briefed on foreign affairs: editorials and news as a few honest bullets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

log = logging.getLogger("bot.cli")


@app.callback()
def _root() -> None:
    """Keep a team briefed on foreign affairs: editorials and news as a few honest bullets."""
    # One-shot commands log warnings only (stdout is their output); `run` raises the level.
    setup_logging(os.environ.get("BRIEFBOT_LOG_LEVEL", "WARNING"))


def _register_commands() -> None:
    # Imported for their side effect: each module adds its commands to ``app``.
    from bot.cli import commands  # noqa: F401


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one line to stderr and return an Exit to raise."""
    typer.echo(f"briefbot: {message}", err=True)
    return typer.Exit(code)


def setup_logging(level: str = "INFO") -> None:
    """Logs go to stderr (stdout is the command's output); called again, it replaces."""
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point: maps every failure to the contract's exit codes."""
    _register_commands()
    command = typer.main.get_command(app)
    try:
        result = command.main(
            args=list(argv) if argv is not None else None,
            prog_name="briefbot",
            standalone_mode=False,
        )
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("briefbot: aborted", err=True)
        sys.exit(130)
    except typer.TyperException as exc:  # usage errors: bad option, missing argument, ...
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            typer.echo(ctx.get_help(), err=True)
        else:
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            typer.echo(f"briefbot: {message}{hint}", err=True)
        sys.exit(getattr(exc, "exit_code", 2) or 2)
    except (BadInput, SourceError, SummaryError) as exc:
        typer.echo(f"briefbot: {exc}", err=True)
        sys.exit(2)
    except BriefbotError as exc:
        log.debug("failure", exc_info=True)
        typer.echo(f"briefbot: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:
        log.exception("unexpected failure")
        typer.echo("briefbot: unexpected failure (details logged above)", err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)
