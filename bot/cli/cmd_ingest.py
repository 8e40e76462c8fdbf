"""`briefbot ingest`, `briefbot feeds` and `briefbot feeds check`."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli import app, fail

if TYPE_CHECKING:
    from bot.ingest import FeedOutcome, IngestReport, ItemOutcome
    from bot.sources.check import SourceCheck
    from bot.sources.feedlist import FeedSpec
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
        if feed.left or feed.waiting:
            lines.append(
                f"{'later':<11} {feed.url}: {feed.left} left for the next poll, "
                f"{feed.waiting} waiting to retry"
            )
    for item in report.items:
        where = f" <{item.url}>" if item.url else ""
        why = f": {item.reason}" if item.reason else ""
        kind = " [opinion]" if item.kind == "editorial" and item.status == "added" else ""
        lines.append(f"{item.status:<11} {item.title}{kind}{where}{why}")
    if report.duplicates or report.syndicated:
        lines.append(messages.INGEST_LEGEND)
    lines.append(
        messages.INGEST_SUMMARY.format(
            added=report.added,
            duplicate=report.duplicates,
            syndicated=report.syndicated,
            failed=report.failed,
        )
    )
    if report.retrying or report.left:
        lines.append(messages.INGEST_LATER.format(retrying=report.retrying, left=report.left))
    return "\n".join(lines)


class _Progress:
    """What `ingest` is doing, on stderr while it works: on a terminal a rich progress bar over
    the sources with running counts; otherwise one plain line per source as it finishes, with
    that source's counts (stdout carries only the final report)."""

    def __init__(self, sources: int, *, live: bool) -> None:
        self.counts: dict[str, int] = dict.fromkeys(_COUNTED, 0)
        self.per_source: dict[str, dict[str, int]] = {}
        self.bar: Any = None
        self.task: Any = None
        if live and sources:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(
                TextColumn("sources"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                console=Console(stderr=True),
                transient=True,
            )
            self.task = self.bar.add_task(self._counts(), total=sources)
            self.bar.start()

    def _counts(self) -> str:
        return ", ".join(f"{n} {status}" for status, n in self.counts.items())

    def __call__(self, outcome: ItemOutcome | FeedOutcome) -> None:
        from bot.ingest import FeedOutcome

        if isinstance(outcome, FeedOutcome):
            if self.bar is not None:
                self.bar.update(self.task, advance=1, description=self._counts())
            else:
                typer.echo(self._feed_line(outcome), err=True)
            return
        if outcome.status in self.counts:
            self.counts[outcome.status] += 1
            mine = self.per_source.setdefault(outcome.source, dict.fromkeys(_COUNTED, 0))
            mine[outcome.status] += 1
        if self.bar is not None:
            self.bar.update(self.task, description=self._counts())

    def _feed_line(self, outcome: FeedOutcome) -> str:
        mine = self.per_source.get(outcome.url, {})
        if outcome.status == "ok":
            taken = ", ".join(f"{n} {status}" for status, n in mine.items() if n)
            detail = f"{outcome.entries} entries, {outcome.new} new" + (
                f": {taken}" if taken else ""
            )
            detail += f", {outcome.left} left for later"
        else:
            detail = outcome.reason or ""
        return f"feed {outcome.status}: {outcome.url}" + (f" ({detail})" if detail else "")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


_COUNTED = ("added", "duplicate", "syndicated", "failed", "retrying")


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
    output: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress on stderr, only the report.")
    ] = False,
) -> None:
    """Fetch, extract, summarize and store. With no flags: the configured feed list."""
    import asyncio

    from bot import messages
    from bot.cli import current_settings
    from bot.ingest import Ingestor, IngestReport
    from bot.store import Store
    from bot.topics import TopicRegistry

    settings = current_settings()
    for path in file or ():
        if not path.expanduser().is_file():
            raise fail(messages.NO_SUCH_FILE.format(path=path))
    store = Store.open(settings.resolved_database_url)
    try:
        ingestor = Ingestor(store, settings, TopicRegistry.default().tag)
        report = IngestReport()
        if demo:
            report.extend(ingestor.ingest_demo())
        if file:
            report.extend(ingestor.ingest_files(file))
        if feed or not (demo or file):
            sources = len(set(feed)) if feed else len(ingestor.configured_feeds())
            progress = None if quiet else _Progress(sources, live=sys.stderr.isatty())
            try:
                report.extend(asyncio.run(ingestor.ingest_feeds(feed or None, progress=progress)))
            finally:
                if progress is not None:
                    progress.close()
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
        # Never 1 (an unexpected failure of ours): every failure is in the report.  A feed or
        # file given here that failed is bad input; the configured list failing as a whole
        # (the network, the sites) is a reported failure, as in `feeds check`.
        if feed or file:
            raise fail(messages.INGEST_GIVEN_FAILED.format(failed=report.failed), 2)
        raise fail(messages.INGEST_ALL_FAILED.format(failed=report.failed), 3)


def _feed_json(feed: FeedState | None, spec: FeedSpec | None) -> dict[str, Any]:
    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    described = spec or feed
    assert described is not None
    return {
        "id": feed.id if feed else None,
        "url": described.url,
        "name": described.name,
        "outlet": described.outlet,
        "country": spec.country if spec else feed.country if feed else None,
        "type": spec.type if spec else feed.source_type if feed else "feed",
        "match": spec.match if spec else feed.match if feed else None,
        "kind": described.kind,
        "language": described.language,
        "trusted": feed.trusted if feed else True,
        "in_feed_list": spec is not None,
        "status": feed.status if feed else "new",
        "articles": feed.articles if feed else 0,
        "entries_pending": feed.pending if feed else 0,
        "entries_failed": feed.failed_entries if feed else 0,
        "last_success": iso(feed.last_success_at) if feed else None,
        "last_attempt": iso(feed.last_attempt_at) if feed else None,
        "consecutive_failures": feed.consecutive_failures if feed else 0,
        "next_attempt": iso(feed.next_attempt_at) if feed else None,
        "last_error": feed.last_error if feed else None,
        "disabled_reason": feed.disabled_reason if feed else None,
    }


def _feed_text(row: dict[str, Any]) -> str:
    head = f"{row['status']:<9} {row['name'] or row['outlet'] or row['url']}"
    where = "/".join(part for part in (row["type"], row["country"]) if part)
    detail = [row["url"], f"{where}, {row['kind']} by default", f"{row['articles']} article(s)"]
    detail.append(f"last success {_when(_parse(row['last_success']))}")
    if row["entries_pending"]:
        detail.append(f"{row['entries_pending']} entries waiting")
    if row["entries_failed"]:
        detail.append(f"{row['entries_failed']} entries failed for good")
    if row["status"] == "failing":
        detail.append(
            f"{row['consecutive_failures']} failure(s) in a row, next try "
            f"{_when(_parse(row['next_attempt']))}: {row['last_error']}"
        )
    if row["status"] == "disabled":
        detail.append(f"disabled: {row['disabled_reason']}")
    if row["status"] == "new":
        detail.append("not polled yet")
    if not row["trusted"]:
        detail.append("added in chat")
    return head + "\n          " + " | ".join(detail)


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


feeds_app = typer.Typer(
    help="The sources and their health (read only); `feeds check` fetches them now.",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(feeds_app, name="feeds")


@feeds_app.callback()
def feeds(
    ctx: typer.Context,
    output: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """The sources and their health (last success, failures, backoff, waiting entries).

    Reads only: the configured list and what the store knows of each source.
    """
    if ctx.invoked_subcommand is not None:
        return
    from bot import messages
    from bot.cli import current_settings
    from bot.sources.feedlist import load_feed_list
    from bot.store import Store

    settings = current_settings()
    specs = load_feed_list(settings.feeds_file)
    store = Store.open(settings.resolved_database_url)
    try:
        states = store.feeds()
    finally:
        store.close()
    by_url = {state.url: state for state in states}
    listed = {spec.url for spec in specs}
    rows = [_feed_json(by_url.get(spec.url), spec) for spec in specs]
    # The sources are the configured list and the feeds workspaces added in chat.  A feed of
    # the operator's that is in neither -- given once to `ingest --feed`, or taken off the
    # list -- is not polled and not listed (it used to stay here for good as "disabled: no
    # longer in the feed list"); its articles stay in the store.
    rows += [
        _feed_json(state, None) for state in states if not state.trusted and state.url not in listed
    ]
    if output is Format.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        typer.echo(messages.NO_FEEDS)
    else:
        typer.echo("\n".join(_feed_text(row) for row in rows))


def _check_line(check: SourceCheck, now: datetime) -> str:
    verdict = "pass" if check.ok else "FAIL"
    head = f"{verdict:<5} {check.type:<8} {check.name or check.url}"
    facts = [check.url]
    if check.reachable and check.parses:
        age = check.age_hours(now)
        facts.append(f"{check.items} item(s)")
        facts.append(f"newest {age:.0f} h ago" if age is not None else "no dates")
        scope = f" of {check.sampled} pages sampled" if check.type == "page" else ""
        facts.append(f"{check.dated} dated{scope}")
        facts.append(f"{check.with_text} with text{scope}")
    if check.problem:
        facts.append(check.problem)
    facts.extend(check.notes)
    return head + "\n      " + " | ".join(facts)


@feeds_app.command("check")
def feeds_check(
    output: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    max_age: Annotated[
        int,
        typer.Option(
            "--max-age",
            min=1,
            help="Hours after which a source's newest item makes it stale.",
        ),
    ] = 96,
) -> None:
    """Fetch every configured source now: reachable, parses, items, newest item's age,
    items with dates and with text.  Exit 3 when any source fails."""
    import asyncio
    from datetime import UTC, timedelta

    from bot import messages
    from bot.cli import current_settings
    from bot.sources.check import check_sources
    from bot.sources.feedlist import load_feed_list
    from bot.sources.http import HttpClient

    settings = current_settings()
    specs = load_feed_list(settings.feeds_file)
    if not specs:
        typer.echo(messages.NO_FEEDS)
        return
    now = datetime.now(UTC)

    async def run() -> list[SourceCheck]:
        async with HttpClient(user_agent=settings.user_agent, timeout=15.0, attempts=2) as client:
            return await check_sources(specs, client, now=now, max_age=timedelta(hours=max_age))

    results = asyncio.run(run())
    if output is Format.json:
        typer.echo(json.dumps([r.to_json(now) for r in results], ensure_ascii=False, indent=2))
    else:
        typer.echo("\n".join(_check_line(r, now) for r in results))
        failed = sum(1 for r in results if not r.ok)
        typer.echo(messages.FEEDS_CHECKED.format(passed=len(results) - failed, failed=failed))
    if any(not r.ok for r in results):
        raise typer.Exit(3)
