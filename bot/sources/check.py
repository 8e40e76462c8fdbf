"""`briefbot feeds check`: fetch every configured source now and say whether it works.

    results = await check_sources(specs, client, now=datetime.now(UTC))

A source *passes* when it is reachable, parses as its type, lists at least one item, some of
its items carry a date, and its newest item is at most ``max_age`` old (96 hours by
default: the bar public feed catalogs use; a feed whose newest item is older is stale or
dead).  Items with text (a description of 40 characters or more) are reported, not
required: briefbot reads each item's page anyway.  A section page lists links, not dates:
its first ``PAGE_SAMPLE`` article pages are fetched to read their dates and text.

Nothing is written to the store: this is a check, not a poll.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.errors import SourceError
from bot.sources.feedlist import FeedSpec
from bot.sources.feeds import FeedEntry
from bot.sources.http import PAGE_ACCEPT, HttpClient
from bot.sources.read import ACCEPT, PAGE_TYPES, advertised_feeds, read_source

__all__ = ["DEFAULT_MAX_AGE", "MIN_TEXT_CHARS", "PAGE_SAMPLE", "SourceCheck", "check_sources"]

DEFAULT_MAX_AGE = timedelta(hours=96)
MIN_TEXT_CHARS = 40
PAGE_SAMPLE = 3


@dataclass(frozen=True)
class SourceCheck:
    """What checking one source found.  ``problem`` says why it fails (None: it passes)."""

    url: str
    name: str | None
    type: str
    reachable: bool = False
    parses: bool = False
    items: int = 0
    newest: datetime | None = None
    dated: int = 0  # items with a date (page sources: of the sampled pages)
    with_text: int = 0  # items with text (page sources: sampled pages with an article)
    sampled: int = 0  # page sources: how many article pages were fetched to see
    problem: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.problem is None

    def age_hours(self, now: datetime) -> float | None:
        return None if self.newest is None else (now - self.newest).total_seconds() / 3600

    def to_json(self, now: datetime) -> dict[str, Any]:
        age = self.age_hours(now)
        return {
            "url": self.url,
            "name": self.name,
            "type": self.type,
            "ok": self.ok,
            "reachable": self.reachable,
            "parses": self.parses,
            "items": self.items,
            "newest": self.newest.isoformat() if self.newest else None,
            "newest_age_hours": round(age, 1) if age is not None else None,
            "items_with_dates": self.dated,
            "items_with_text": self.with_text,
            "pages_sampled": self.sampled if self.type == "page" else None,
            "problem": self.problem,
            "notes": list(self.notes),
        }


def _has_text(entry: FeedEntry) -> bool:
    return len(entry.content or entry.summary or "") >= MIN_TEXT_CHARS


async def check_sources(
    specs: Sequence[FeedSpec],
    client: HttpClient,
    *,
    now: datetime,
    max_age: timedelta = DEFAULT_MAX_AGE,
) -> list[SourceCheck]:
    """Check every source concurrently (the client keeps each host's politeness)."""
    return list(await asyncio.gather(*(_check(spec, client, now, max_age) for spec in specs)))


async def _check(
    spec: FeedSpec, client: HttpClient, now: datetime, max_age: timedelta
) -> SourceCheck:
    base = SourceCheck(url=spec.url, name=spec.name or spec.outlet, type=spec.type)
    try:
        result = await client.fetch(spec.url, accept=ACCEPT[spec.type])
    except SourceError as exc:
        return _with(base, problem=f"unreachable: {getattr(exc, 'reason', None) or exc}")
    base = _with(base, reachable=True)
    try:
        listed = await read_source(
            client, result, source_type=spec.type, match=spec.match, window=None
        )
    except SourceError as exc:
        notes: tuple[str, ...] = ()
        if spec.type == "feed" and (found := advertised_feeds(result)):
            notes = (f"the page advertises: {', '.join(found)}",)
        return _with(base, problem=f"does not parse: {exc}", notes=notes)
    entries = listed.entries
    checked = _with(
        base,
        parses=True,
        items=len(entries) + len(listed.skipped),
        notes=tuple(listed.skipped[:3]),
    )
    if spec.type == "page":
        checked = await _sample_pages(checked, entries, client)
    else:
        dates = [when for e in entries if (when := e.published or e.modified) is not None]
        checked = _with(
            checked,
            dated=len(dates),
            newest=max(dates, default=None),
            with_text=sum(1 for e in entries if _has_text(e)),
        )
    return _with(checked, problem=_problem(checked, now, max_age))


async def _sample_pages(
    checked: SourceCheck, entries: Sequence[FeedEntry], client: HttpClient
) -> SourceCheck:
    """A section page's dates and text, read off its first few article pages."""
    from summaries import extract_page

    dates: list[datetime] = []
    with_text = 0
    sampled = 0
    for entry in entries[:PAGE_SAMPLE]:
        if not entry.link:
            continue
        sampled += 1
        try:
            page = await client.fetch(entry.link, accept=PAGE_ACCEPT)
            if page.content_type not in PAGE_TYPES:
                continue
            article = await asyncio.to_thread(extract_page, page.text(), page.url)
        except Exception:  # a page that fails here is what the check reports on
            continue
        if article.published is not None:
            dates.append(article.published)
        if len(article.text) >= MIN_TEXT_CHARS:
            with_text += 1
    return _with(
        checked,
        sampled=sampled,
        dated=len(dates),
        newest=max(dates, default=None),
        with_text=with_text,
    )


def _problem(checked: SourceCheck, now: datetime, max_age: timedelta) -> str | None:
    if checked.items == 0:
        return "lists no items" if checked.type != "page" else "links to no articles"
    if checked.dated == 0:
        return "no item carries a date"
    age = checked.age_hours(now)
    if age is not None and age > max_age.total_seconds() / 3600:
        return f"stale: newest item is {_age_text(age)} old"
    return None


def _age_text(hours: float) -> str:
    return f"{hours:.0f} h" if hours < 72 else f"{hours / 24:.0f} days"


def _with(check: SourceCheck, **changes: Any) -> SourceCheck:
    from dataclasses import replace

    return replace(check, **changes)
