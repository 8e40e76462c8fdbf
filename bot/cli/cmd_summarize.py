"""`briefbot summarize`: bullets for a file, a URL, stdin, or a JSON-lines batch.

SOURCE is a file path, an http(s) URL, or ``-``/nothing for stdin; plain text or HTML,
detected from the content (and from Content-Type for URLs).  Bad input (empty, binary,
too large, not prose, not English, a URL that times out or is not a page) is one line on
stderr and exit 2 (bot.cli.main maps the domain errors).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from bot.cli import app

if TYPE_CHECKING:
    from summaries import Summary

log = logging.getLogger(__name__)

MAX_INPUT_BYTES = 5 * 2**20  # an article page is well under 5 MB; a 20 MB file is not one
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})


class Format(StrEnum):
    text = "text"
    json = "json"


class Kind(StrEnum):
    editorial = "editorial"
    news = "news"


# --- reading sources ---------------------------------------------------------------------


def _read_capped(stream: IO[bytes], source: str) -> bytes:
    from bot.errors import SourceError

    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise SourceError(_too_large(source))
    return data


def _too_large(source: object) -> str:
    """One message naming both limits: the bytes read of a page, the characters of text."""
    from bot import messages
    from summaries.core import MAX_TEXT_CHARS

    return messages.SUMMARIZE_TOO_LARGE.format(
        source=source, limit=MAX_INPUT_BYTES // 2**20, chars=f"{MAX_TEXT_CHARS:,}"
    )


def _read_file(path: Path) -> bytes:
    from bot import messages
    from bot.errors import SourceError

    path = path.expanduser()
    if not path.exists():
        raise SourceError(messages.NO_SUCH_FILE.format(path=path))
    if not path.is_file():
        raise SourceError(messages.SUMMARIZE_NOT_A_FILE.format(path=path))
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise SourceError(_too_large(path))
        with path.open("rb") as stream:
            return _read_capped(stream, str(path))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SourceError(messages.SUMMARIZE_UNREADABLE.format(path=path, reason=reason)) from exc


def _fetch(url: str, timeout: float) -> tuple[bytes, bool]:
    """GET a page with the project's HTTP client (one attempt, a total deadline, the size
    cap); returns the body and whether it is HTML."""
    import asyncio

    from bot import messages
    from bot.cli import current_settings
    from bot.errors import SourceError
    from bot.sources.http import HttpClient

    async def get() -> tuple[bytes, str]:
        async with HttpClient(
            user_agent=current_settings().user_agent,
            timeout=timeout,
            connect_timeout=min(timeout, 10.0),
            max_bytes=MAX_INPUT_BYTES,
            attempts=1,
            host_delay=0.0,
        ) as client:
            result = await client.fetch(url)
            return result.content, result.content_type

    content, content_type = asyncio.run(get())
    if content_type in PAGE_TYPES:
        return content, True
    if content_type in TEXT_TYPES:
        return content, False
    raise SourceError(
        messages.SUMMARIZE_NOT_A_PAGE.format(url=url, content_type=content_type or "no type")
    )


_TEXT_CONTROLS = frozenset(b"\t\n\r\f\b\x1b")


def _is_binary(head: bytes) -> bool:
    controls = sum(1 for byte in head if byte < 32 and byte not in _TEXT_CONTROLS)
    return b"\x00" in head or controls > 0.02 * len(head)


def _decode(data: bytes) -> str:
    """Bytes as text: UTF-8 (with or without BOM), else Windows-1252; binary refused."""
    from bot.errors import SummaryError
    from summaries.errors import BINARY

    if _is_binary(data[:8192]):
        raise SummaryError(BINARY)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _summarize_source(
    source: str | None,
    *,
    sentences: int | None,
    algorithm: str,
    kind: str | None,
    timeout: float,
) -> Summary:
    from bot import messages
    from bot.errors import from_summaries
    from summaries import looks_like_html, summarize, summarize_html

    url: str | None = None
    if source is None or source == "-":
        if sys.stdin.isatty():
            typer.echo(messages.SUMMARIZE_READING_STDIN, err=True)
        data = _read_capped(sys.stdin.buffer, "stdin")
        is_html = None
    elif source.lower().startswith(("http://", "https://")):
        url = source
        data, html = _fetch(source, timeout)
        is_html = html
    else:
        data = _read_file(Path(source))
        is_html = None
    text = _decode(data)
    if is_html is None:
        is_html = looks_like_html(text)
    with from_summaries():
        if is_html:
            return summarize_html(
                data, url=url, sentences=sentences, algorithm=algorithm, kind=kind
            )
        return summarize(text, sentences=sentences, algorithm=algorithm, kind=kind)


# --- batch -------------------------------------------------------------------------------


def _batch_lines(batch: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of the batch; a binary file is refused before any line is read
    (it used to give one "not a JSON object" per chunk of bytes, and exit 0)."""
    from bot import messages
    from bot.errors import SourceError

    if batch == "-":
        stream: IO[bytes] = sys.stdin.buffer
        closing: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
        name = "stdin"  # and stdin stays open
    else:
        path = Path(batch).expanduser()
        if not path.is_file():
            raise SourceError(messages.NO_SUCH_FILE.format(path=path))
        try:
            stream = path.open("rb")
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise SourceError(
                messages.SUMMARIZE_UNREADABLE.format(path=path, reason=reason)
            ) from exc
        name, closing = str(path), stream  # closed when the batch ends
    with closing:
        pending = stream.read(8192)
        if _is_binary(pending):
            raise SourceError(messages.SUMMARIZE_BATCH_BINARY.format(path=name))
        number = 0
        for piece in itertools.chain((b"",), stream):
            pending += piece
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                number += 1
                yield number, line.decode("utf-8", errors="replace")
        if pending:
            yield number + 1, pending.decode("utf-8", errors="replace")


def _batch_item(
    line: str, *, sentences: int | None, algorithm: str, kind: str | None
) -> dict[str, Any]:
    from bot import messages
    from bot.errors import BriefbotError, from_summaries
    from summaries import summarize, summarize_html

    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": messages.SUMMARIZE_BATCH_NOT_JSON.format(reason=exc.msg)}
    if not isinstance(item, dict):
        reason = f"got {type(item).__name__}"
        return {"id": None, "error": messages.SUMMARIZE_BATCH_NOT_JSON.format(reason=reason)}
    ident = item.get("id")
    for field in ("title", "url", "kind"):
        if item.get(field) is not None and not isinstance(item[field], str):
            return {"id": ident, "error": messages.SUMMARIZE_BATCH_BAD_FIELD.format(field=field)}
    line_kind = item.get("kind") or kind
    try:
        with from_summaries():
            if isinstance(item.get("html"), str):
                summary = summarize_html(
                    item["html"],
                    url=item.get("url"),
                    sentences=sentences,
                    algorithm=algorithm,
                    kind=line_kind,
                )
            elif isinstance(item.get("text"), str):
                summary = summarize(
                    item["text"],
                    title=item.get("title"),
                    sentences=sentences,
                    algorithm=algorithm,
                    kind=line_kind,
                )
            else:
                return {"id": ident, "error": messages.SUMMARIZE_BATCH_NO_TEXT}
    except BriefbotError as exc:
        return {"id": ident, "error": str(exc)}
    except Exception:  # one bad article must not stop the batch
        log.exception("batch item %r failed", ident)
        return {"id": ident, "error": messages.GENERIC_FAILURE}
    return {"id": ident, "bullets": list(summary.bullets)}


def _run_batch(batch: str, *, sentences: int | None, algorithm: str, kind: str | None) -> None:
    from bot import messages

    out = sys.stdout
    for number, line in _batch_lines(batch):
        if not line.strip():
            continue
        result = _batch_item(line, sentences=sentences, algorithm=algorithm, kind=kind)
        if "error" in result:  # which line, for lines without an id (or with a repeated one),
            # in the message: the error object keeps CONTRACT's shape {"id", "error"}
            result["error"] = messages.SUMMARIZE_BATCH_LINE.format(
                line=number, error=result["error"]
            )
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        out.flush()


# --- the command -------------------------------------------------------------------------


@app.command()
def summarize(
    source: Annotated[
        str | None,
        typer.Argument(
            help="A file, an http(s) URL, or - (the default) for stdin; plain text or HTML.",
            show_default=False,
        ),
    ] = None,
    sentences: Annotated[
        int | None,
        typer.Option(
            "--sentences",
            "-n",
            min=1,
            max=10,
            help="How many bullets (default: 3-5, by the article's length).",
            show_default=False,
        ),
    ] = None,
    algorithm: Annotated[
        str,
        typer.Option(
            "--algorithm",
            "-a",
            help="default (the project's best) or a sumy algorithm: lexrank, lsa, textrank, "
            "luhn, edmundson, kl, sumbasic, reduction.",
        ),
    ] = "default",
    output: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    batch: Annotated[
        str | None,
        typer.Option(
            "--batch",
            help='A JSON-lines file (or -): each line {"id", "text", "title"?} or '
            '{"id", "html", "url"?}; writes {"id", "bullets"} or {"id", "error"} per line.',
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        Kind | None,
        typer.Option(
            "--kind",
            help="editorial or news, when you know it (default: read from the text).",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=0.1, max=120.0, help="Seconds to wait for a URL."),
    ] = 15.0,
) -> None:
    """Turn an article into a few bullets: whole sentences, in order, chrome removed."""
    from bot import messages
    from bot.errors import BadInput, from_summaries
    from summaries.core import check_options

    kind_name = kind.value if kind else None
    algorithm = algorithm.strip().lower()  # names are not case-sensitive: LexRank is lexrank
    with from_summaries():
        check_options(sentences, algorithm, kind_name)
    if batch is not None:
        if source is not None:
            raise BadInput(messages.SUMMARIZE_BATCH_AND_SOURCE)
        _run_batch(batch, sentences=sentences, algorithm=algorithm, kind=kind_name)
        return
    summary = _summarize_source(
        source, sentences=sentences, algorithm=algorithm, kind=kind_name, timeout=timeout
    )
    if output is Format.json:
        payload = {"title": summary.title, "bullets": list(summary.bullets)}
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for bullet in summary.bullets:
            typer.echo(f"- {bullet}")
