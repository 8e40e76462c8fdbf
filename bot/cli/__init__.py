"""The `briefbot` command line (typer).  CONTRACT.md "CLI" is its outside.

Exit codes: 0 success; 2 bad input or usage (one line on stderr, no traceback);
1 an unexpected failure (logged).  Output goes to stdout; logs and progress to stderr.

Each command lives in its own module and registers itself on ``app``; heavy imports
(sumy, SQLAlchemy, discord.py) happen inside the command functions so `--help` stays fast.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

from bot.errors import BadInput, BriefbotError, SourceError, SummaryError

if TYPE_CHECKING:
    from bot.settings import Settings

app = typer.Typer(
    name="briefbot",
    help="Keep a team briefed on foreign affairs: editorials and news as a few honest bullets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

log = logging.getLogger("bot.cli")


_HELP_FLAGS = frozenset(("-h", "--help"))
_argv: tuple[str, ...] = ()  # this invocation's arguments, as main() received them


@app.callback()
def _root(ctx: typer.Context) -> None:
    """Keep a team briefed on foreign affairs: editorials and news as a few honest bullets."""
    setup_logging("WARNING")  # until the settings are read
    if _HELP_FLAGS.intersection(_argv):
        return  # help needs no settings, and must show even when one is wrong
    # Every setting (the environment and .env) is read and checked before any command runs:
    # a bad one is one line naming its variable, exit 2 (main), before anything is touched.
    from bot.settings import Settings

    settings = Settings()
    setup_logging(settings.log_level_for(ctx.invoked_subcommand), settings)


def _register_commands() -> None:
    # Imported for their side effect: each module adds its commands to ``app``.
    from bot.cli import commands  # noqa: F401


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one line to stderr and return an Exit to raise."""
    typer.echo(f"briefbot: {message}", err=True)
    return typer.Exit(code)


def setup_logging(level: str = "INFO", settings: Settings | None = None) -> None:
    """Logs go to stderr (stdout is the command's output); called again, it replaces.

    Every record passes ``bot.logs``' filters: secrets redacted (the configured ones when
    ``settings`` is given, credential-shaped strings always) and the request id added.
    """
    from bot.logs import configure, secret_values

    configure(
        level,
        secrets=secret_values(settings) if settings else (),
        json=settings is not None and settings.log_format == "json",
        stream=sys.stderr,
    )


def bad_settings_line(exc: BaseException) -> str | None:
    """One line naming each bad setting by its environment variable, for a pydantic
    validation error raised while reading ``Settings``; None for any other exception.
    (The values are never echoed: ``hide_input_in_errors``; some are secrets.)"""
    errors = getattr(exc, "errors", None)
    if type(exc).__name__ != "ValidationError" or getattr(exc, "title", None) != "Settings":
        return None
    if not callable(errors):
        return None
    from bot.settings import Settings

    problems = []
    for error in errors(include_url=False, include_input=False, include_context=False):
        field = str(error["loc"][0]) if error.get("loc") else ""
        info = Settings.model_fields.get(field)
        alias = getattr(info.validation_alias, "choices", None) if info else None
        name = str(alias[0]) if alias else field.upper() or "a setting"
        # pydantic prefixes what our own validators say with "Value error, ": not for users
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(f"{name}: {message.rstrip('.')}")
    return "bad setting " + "; ".join(problems) + " (check the environment and .env)"


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point: maps every failure to the contract's exit codes."""
    global _argv
    _register_commands()
    _argv = tuple(argv if argv is not None else sys.argv[1:])
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
            message = " ".join(message.split())  # click lists choices on several lines
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
    except Exception as exc:
        problem = bad_settings_line(exc)
        if problem is not None:
            typer.echo(f"briefbot: {problem}", err=True)
            sys.exit(2)
        log.exception("unexpected failure")
        typer.echo("briefbot: unexpected failure (details logged above)", err=True)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)
