"""The `briefbot` command line (typer).  CONTRACT.md "CLI" is its outside.

Exit codes: 0 success; 2 bad input or usage (one line on stderr, no traceback);
1 an unexpected failure (logged).  Output goes to stdout; logs and progress to stderr.

Each command lives in its own module and registers itself on ``app``; heavy imports
(sumy, SQLAlchemy, discord.py) happen inside the command functions so `--help` stays fast.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any

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
_settings: Settings | None = None  # this invocation's, read once by the root callback


def _print_version(value: bool) -> None:
    if value:
        from bot import __version__

        typer.echo(f"briefbot {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            help="Print the version and exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ] = False,
) -> None:
    """Keep a team briefed on foreign affairs: editorials and news as a few honest bullets."""
    global _settings
    _settings = None  # each invocation reads its own (tests run many in one process)
    setup_logging("WARNING")  # until the settings are read
    if _HELP_FLAGS.intersection(_argv):
        return  # help needs no settings, and must show even when one is wrong
    # Every setting (the environment and .env) is read and checked before any command runs:
    # a bad one is one line naming its variable, exit 2 (main), before anything is touched.
    from bot.settings import Settings

    _settings = Settings()
    setup_logging(_settings.log_level_for(ctx.invoked_subcommand), _settings)


def current_settings() -> Settings:
    """This invocation's settings, as the root callback read and checked them (read here
    when a command runs without it, as in tests calling a command function directly)."""
    global _settings
    if _settings is None:
        from bot.settings import Settings

        _settings = Settings()
    return _settings


def _register_commands() -> None:
    # Imported for their side effect: each module adds its commands to ``app``.
    from bot.cli import commands  # noqa: F401


_HELP_TYPES = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "Path": "PATH", "bool": ""}


def _no_type(ctx: Any) -> None:
    return None


def _plain_help(command: Any) -> None:
    """Help in the words people read in every CLI: flags take no value (typer 0.29 labels
    them ``<bool>``, so users typed ``--demo true``), values are TEXT, INTEGER, PATH, and
    choices ``[text|json]`` -- set as each parameter's metavar, the hook typer offers."""
    from typer._click.core import Context

    ctx = Context(command, info_name=command.name, **app.info.context_settings or {})
    help_option = command.get_help_option(ctx)  # created here, with our names, and cached
    params = [*command.params, *([help_option] if help_option is not None else [])]
    for param in params:
        if param.param_type_name == "argument":  # its NAME says it; no "<str>" beside it
            param.metavar = param.metavar or (param.name or "").upper()
            param.display_type_rich = _no_type
            continue
        if param.metavar is not None:
            continue
        if getattr(param, "is_flag", False):
            param.metavar = ""
            continue
        label = param.display_type(ctx).strip("<>")
        label = label.removeprefix("list[").removesuffix("]")
        if label in _HELP_TYPES:
            param.metavar = _HELP_TYPES[label]
        elif "|" in label:
            param.metavar = f"[{label}]"
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


def plain_error(error: Mapping[str, Any]) -> str | None:
    """What a pydantic validation error (typer 0.29 parses options with pydantic, settings
    are pydantic) says, in our words and without the value: "takes a whole number", "must
    be at least 0", "takes one of text, json"; None when we have no better words."""
    kind = str(error.get("type", ""))
    message = str(error.get("msg", ""))
    if kind == "value_error" and "is not one of" in message:
        choices = re.findall(r"'([^']*)'", message.split("is not one of", 1)[1])
        return f"takes one of {', '.join(choices)}"
    plain = {
        "int_parsing": "takes a whole number",
        "int_from_float": "takes a whole number",
        "float_parsing": "takes a number",
        "bool_parsing": "takes true or false",
        "literal_error": message.replace("Input should be", "takes").replace("'", ""),
    }.get(kind)
    if plain is not None:
        return plain
    bound = error.get("ctx") or {}
    limits = {
        "greater_than_equal": ("must be at least", "ge"),
        "greater_than": ("must be more than", "gt"),
        "less_than_equal": ("must be at most", "le"),
        "less_than": ("must be less than", "lt"),
    }.get(kind)
    if limits is not None and limits[1] in bound:
        return f"{limits[0]} {bound[limits[1]]}"
    return None


def _usage_message(exc: Exception) -> str:
    """A usage error in our words: typer reports a bad value with pydantic's wording
    ("Value error, 'xml' is not one of ...", "Input should be a valid integer, unable to
    parse string as an integer"); say which option took what, and what it takes."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = " ".join(message.split())  # click lists choices on several lines
    cause = exc.__cause__
    named = re.match(r"Invalid value for (.+?): ", message)
    if named is None or not callable(getattr(cause, "errors", None)):
        return message
    names = [name.strip("'") for name in named.group(1).split(" / ")]
    name = max(names, key=len)  # --format rather than -f; ID for an argument
    error = cause.errors(include_url=False)[0]  # type: ignore[union-attr]
    said = plain_error(error)
    if said is None:
        return f"{name}: {str(error.get('msg', message)).removeprefix('Value error, ')}"
    return f"{name} {said}, not {error.get('input')!r}"


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
    for error in errors(include_url=False, include_input=False, include_context=True):
        field = str(error["loc"][0]) if error.get("loc") else ""
        info = Settings.model_fields.get(field)
        alias = getattr(info.validation_alias, "choices", None) if info else None
        name = str(alias[0]) if alias else field.upper() or "a setting"
        # pydantic prefixes what our own validators say with "Value error, ": not for users
        said = plain_error(error)
        message = said or str(error.get("msg", "invalid")).removeprefix("Value error, ")
        problems.append(f"{name}: {message.rstrip('.')}")
    return "bad setting " + "; ".join(problems) + " (check the environment and .env)"


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point: maps every failure to the contract's exit codes."""
    global _argv
    _register_commands()
    _argv = tuple(argv if argv is not None else sys.argv[1:])
    command = typer.main.get_command(app)
    _plain_help(command)
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
            message = _usage_message(exc).rstrip(".")  # "... 'bogus'. (see" read oddly
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
