"""Logging: one stderr handler, secrets redacted from every record, a request id per command.

    configure("INFO", secrets=secret_values(settings), json=False)   # bot.cli.setup_logging

    with request_context("slack", "brief"):      # adapters: one line around a command
        ...                                      # every log line inside carries its id

Redaction (``RedactingFilter``) runs on the handler, so it sees every record that is
written, whichever logger (ours, discord.py, slack-bolt, aiohttp, httpx) made it.  It
removes the configured secret values (tokens, signing secret, the database password) and
anything shaped like a credential even when it is not configured: Slack tokens (``xoxb-``,
``xoxp-``, ``xapp-``, ...), Discord bot tokens, ``Bot``/``Bearer`` authorization values,
passwords in URLs, Discord interaction and webhook tokens in REST paths, and Slack
``response_url`` hooks.  The message, the formatted traceback and the stack are redacted.

The request id lives in a ``contextvars.ContextVar``: asyncio tasks and ``asyncio.to_thread``
started inside the ``with`` inherit it, so the core's lines about that command carry it too.
Text lines show it as ``[id]`` (``-`` outside a command); ``json=True`` writes one JSON object
per line with ``request_id``, ``platform`` and ``command`` fields.
"""

from __future__ import annotations

import asyncio
import json as json_module
import logging
import re
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Final

if TYPE_CHECKING:
    from bot.settings import Settings

REDACTED: Final = "[redacted]"
TEXT_FORMAT: Final = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
MIN_SECRET_LENGTH: Final = 6  # shorter configured values would redact ordinary words

# (pattern, replacement): credential shapes, whether or not they are configured.
_PATTERNS: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    # Slack: bot/user/app-level/refresh/config tokens.
    (re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{6,}"), "xox?-" + REDACTED),
    (re.compile(r"\bxoxe\.xox[bp]-[A-Za-z0-9-]{6,}"), "xoxe-" + REDACTED),
    (re.compile(r"\bxapp-[A-Za-z0-9-]{6,}"), "xapp-" + REDACTED),
    # Authorization header values ("Bot <token>", "Bearer <token>", "Basic <b64>").
    (re.compile(r"\b(Bot|Bearer|Basic)(\s+|%20)[A-Za-z0-9._~+/=-]{16,}"), r"\1 " + REDACTED),
    # Discord bot tokens: base64(user id) . timestamp . HMAC (JWT-like, three parts).
    (re.compile(r"\b[A-Za-z0-9_-]{18,40}\.[A-Za-z0-9_-]{5,10}\.[A-Za-z0-9_-]{20,}"), REDACTED),
    # Passwords in URLs: scheme://user:password@host.
    (re.compile(r"(?<=://)([^/\s:@]*):[^/\s@]+@"), r"\1:" + REDACTED + "@"),
    # Discord interaction and webhook tokens (valid 15 minutes; they post as the bot).
    (re.compile(r"(/(?:webhooks|interactions)/\d+/)[A-Za-z0-9_.:-]{16,}"), r"\1" + REDACTED),
    # Slack response_url hooks (post into a channel for 30 minutes).
    (
        re.compile(
            r"(hooks\.slack(?:-gov)?\.com(?:/|%2F)(?:commands|actions|services|workflows)"
            r"(?:/|%2F))[^\s&\"']+",
            re.IGNORECASE,
        ),
        r"\1" + REDACTED,
    ),
    # Slack request signatures.
    (re.compile(r"\bv0=[0-9a-f]{64}\b"), "v0=" + REDACTED),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the given secret values and every credential-shaped string removed."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def secret_values(settings: Settings) -> list[str]:
    """The configured secrets to redact: tokens, the signing secret, the database password."""
    values = []
    for secret in (
        settings.discord_token,
        settings.slack_bot_token,
        settings.slack_signing_secret,
        settings.slack_app_token,
    ):
        if secret is not None:
            values.append(secret.get_secret_value())
    if settings.database_url:
        try:
            from sqlalchemy.engine import make_url

            password = make_url(settings.database_url).password
        except Exception:  # an unparsable URL fails later, clearly, in the store
            password = None
        if password:
            values.append(str(password))
    return sorted(
        {v for v in values if len(v) >= MIN_SECRET_LENGTH}, key=len, reverse=True
    )  # longest first: a secret containing another is removed whole


class RedactingFilter(logging.Filter):
    """Rewrites each record so that no secret reaches any handler after this one."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(sorted(set(secrets), key=len, reverse=True))

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # bad %-args: logging would print its own error; keep the template
            message = str(record.msg)
        record.msg = redact(message, self.secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


# -- request ids ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequestContext:
    id: str
    platform: str | None = None
    command: str | None = None


_REQUEST: ContextVar[RequestContext | None] = ContextVar("briefbot_request", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex[:12]


@contextmanager
def request_context(
    platform: str | None = None, command: str | None = None, *, request_id: str | None = None
) -> Iterator[RequestContext]:
    """Everything logged inside carries a request id (given, e.g. Discord's interaction id,
    or a new random one); ``platform`` also labels the metrics of briefs served inside."""
    context = RequestContext(id=request_id or new_request_id(), platform=platform, command=command)
    token = _REQUEST.set(context)
    try:
        yield context
    finally:
        _REQUEST.reset(token)


def current_request() -> RequestContext | None:
    return _REQUEST.get()


class RequestIdFilter(logging.Filter):
    """Adds ``request_id``, ``platform`` and ``command`` to each record (``-`` when none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _REQUEST.get()
        record.request_id = context.id if context else "-"
        record.platform = (context.platform if context else None) or "-"
        record.command = (context.command if context else None) or "-"
        return True


class ShutdownCancellationFilter(logging.Filter):
    """APScheduler cancels the jobs still running when the scheduler shuts down and logs each
    as "Job ... raised an exception" at ERROR with a ``CancelledError`` traceback.  On a
    SIGTERM that is the expected end of a feed poll or a delivery, not a failure: such a record
    becomes one INFO line without the traceback.  Every other error is left as it is."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, asyncio.CancelledError) and record.name.startswith(_SCHEDULER_LOGGERS):
            record.msg = f"{record.getMessage()} - cancelled by shutdown"
            record.args = None
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
        return True


# APScheduler's own loggers and the one the delivery scheduler gives it (bot.scheduling)
_SCHEDULER_LOGGERS: Final = ("apscheduler.", "bot.scheduling.scheduler.apscheduler")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request fields, exception.

    Kept hand-written (20 lines): python-json-logger formats ``record.exc_info`` again
    whenever it is set, which would write the traceback past the redaction that
    ``RedactingFilter`` applied to ``exc_text``.  This one writes only ``exc_text``."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "platform": getattr(record, "platform", "-"),
            "command": getattr(record, "command", "-"),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json_module.dumps(entry, ensure_ascii=False)


def configure(
    level: str = "INFO",
    *,
    secrets: Iterable[str] = (),
    json: bool = False,
    stream: IO[str] | None = None,
) -> logging.Handler:
    """Replace the root logger's handlers with one redacting, request-tagging stderr handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(ShutdownCancellationFilter())
    handler.addFilter(RedactingFilter(secrets))
    handler.setFormatter(JsonFormatter() if json else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(getattr(logging, level.strip().upper(), logging.INFO))
    # APScheduler logs "Running job ..." / "executed successfully" at INFO for every job that
    # fires (every delivery slot, every poll): keep that for DEBUG only.
    chatty = logging.DEBUG if root.level <= logging.DEBUG else logging.WARNING
    logging.getLogger("apscheduler.executors").setLevel(chatty)
    # Alembic (1.17+) logs each of its autogenerate plugins at INFO when it is imported.
    logging.getLogger("alembic.runtime.plugins").setLevel(chatty)
    return handler
