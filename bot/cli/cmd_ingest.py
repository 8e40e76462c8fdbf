"""`briefbot ingest` and `briefbot feeds`."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli import app, fail

if TYPE_CHECKING:
    from bot.ingest import FeedOutcome, IngestReport
    from bot.store import FeedState


class Format(StrEnum):
    text = "text"
    json = "json"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


def _render_report(report: IngestReport) -> str:
    from bot import messages

    lines = []
    for feed in report.feeds:
        if feed.status in ("failed", "skipped"):
            lines.append(f"{feed.status:<11} {feed.url}: {feed.reason}")
        elif feed.status == "not-modified":
            lines.append(f"{'unchanged':<11} {feed.url}")
    for item in report.items:
        where = f" <{item.url}>" if item.url else ""
        why = f": {item.reason}" if item.reason else ""
        lines.append(f"{item.status:<11} {item.title}{where}{why}")
    lines.append(
        messages.INGEST_SUMMARY.format(
            added=report.added,
            duplicate=report.duplicates,
            syndicated=report.syndicated,
            failed=report.failed,
        )
    )
    return "\n".join(lines)


def _progress(outcome: FeedOutcome) -> None:
    """One stderr line per feed as it finishes (stdout carries the final report)."""
    detail = outcome.reason or (f"{outcome.entries} entries" if outcome.status == "ok" else "")
    typer.echo(
        f"feed {outcome.status}: {outcome.url}" + (f" ({detail})" if detail else ""), err=True
    )


@app.command()
def ingest(
    feed: Annotated[
        list[str] | None,
        typer.Option("--feed", help="An RSS/Atom feed URL (repeatable).", show_default=False),
    ] = None,
    file: Annotated[
        list[Path] | None,
        typer.Option("--file", help="A local text or HTML file (repeatable).", show_default=False),
    ] = None,
    demo: Annotated[bool, typer.Option("--demo", help="Load the bundled sample corpus.")] = False,
    output: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
) -> None:
    """Fetch, extract, summarize and store. With no flags: the configured feed list."""
    from bot.ingest import Ingestor, IngestReport
    from bot.settings import Settings
    from bot.store import Store
    from bot.topics import TopicRegistry

    settings = Settings()
    for path in file or ():
        if not path.expanduser().is_file():
            raise fail(f"no such file: {path}")
    store = Store.open(settings.resolved_database_url)
    try:
        ingestor = Ingestor(store, settings, TopicRegistry.default().tag)
        report = IngestReport()
        if demo:
            report.extend(ingestor.ingest_demo())
        if file:
            report.extend(ingestor.ingest_files(file))
        if feed or not (demo or file):
            report.extend(asyncio.run(ingestor.ingest_feeds(feed or None, progress=_progress)))
    finally:
        store.close()
    if output is Format.json:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(_render_report(report))
    succeeded = (
        report.added
        + report.duplicates
        + report.syndicated
        + sum(1 for f in report.feeds if f.status in ("ok", "not-modified"))
    )
    if report.failed and not succeeded:
        raise typer.Exit(1)


def _feed_json(feed: FeedState) -> dict[str, Any]:
    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "id": feed.id,
        "url": feed.url,
        "name": feed.name,
        "outlet": feed.outlet,
        "kind": feed.kind,
        "language": feed.language,
        "trusted": feed.trusted,
        "status": feed.status,
        "articles": feed.articles,
        "last_success": iso(feed.last_success_at),
        "last_attempt": iso(feed.last_attempt_at),
        "consecutive_failures": feed.consecutive_failures,
        "next_attempt": iso(feed.next_attempt_at),
        "last_error": feed.last_error,
        "disabled_reason": feed.disabled_reason,
    }


def _feed_text(feed: FeedState) -> str:
    head = f"{feed.status:<9} {feed.name or feed.outlet or feed.url}"
    detail = [feed.url, f"{feed.kind}", f"{feed.articles} article(s)"]
    detail.append(f"last success {_when(feed.last_success_at)}")
    if feed.status == "failing":
        detail.append(
            f"{feed.consecutive_failures} failure(s) in a row, next try "
            f"{_when(feed.next_attempt_at)}: {feed.last_error}"
        )
    if feed.status == "disabled":
        detail.append(f"disabled: {feed.disabled_reason}")
    return head + "\n          " + " | ".join(detail)


@app.command()
def feeds(
    output: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
) -> None:
    """List the feeds with their health (last success, failures, backoff, disabled)."""
    from bot import messages
    from bot.ingest import Ingestor
    from bot.settings import Settings
    from bot.store import Store

    settings = Settings()
    store = Store.open(settings.resolved_database_url)
    try:
        # The operator's list is the truth for which feeds exist; health comes from the store.
        Ingestor(store, settings, lambda _title, _text: {}).sync_feed_list()
        states = store.feeds()
    finally:
        store.close()
    if output is Format.json:
        typer.echo(json.dumps([_feed_json(f) for f in states], ensure_ascii=False, indent=2))
    elif not states:
        typer.echo(messages.NO_FEEDS)
    else:
        typer.echo("\n".join(_feed_text(f) for f in states))
