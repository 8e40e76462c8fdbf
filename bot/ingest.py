"""Ingestion: source -> main text -> bullets (summarized once, here) -> topic tags -> store.

    ingestor = Ingestor(store, settings, TopicRegistry.default().tag)
    report = await ingestor.ingest_feeds()          # the operator's feed list
    report = ingestor.ingest_files([Path("x.html")])
    report = ingestor.ingest_demo()                 # the bundled corpus, no network

Feeds: our HTTP client fetches the feed (conditional GET), feedparser reads the bytes, each
new entry's page is fetched and its main text extracted; when the page fails, the feed's
own content or summary stands in.  Entries already stored (same GUID in the feed, or same
URL) cost no page fetch.  Each feed's health is recorded: success resets it; a failure
counts, backs off exponentially from the poll interval and, after ``DISABLE_AFTER`` in a
row, disables the feed with its reason.  One bad feed never stops the others, and one bad
entry never fails its feed.

CPU work (extraction, summarizing, tagging) and store writes run in worker threads, so the
event loop shared with the chat adapters stays responsive.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from bot import messages, metrics
from bot.errors import BadInput, BriefbotError, SourceError
from bot.settings import Settings
from bot.sources.feedlist import FeedSpec, load_feed_list
from bot.sources.feeds import FeedEntry, parse_feed
from bot.sources.files import SourceDocument, demo_documents, load_file
from bot.sources.http import FEED_ACCEPT, PAGE_ACCEPT, FetchError, HttpClient
from bot.sources.safety import UrlPolicy
from bot.store import FeedState, NewArticle, Store
from bot.store.urls import split_url, url_host

log = logging.getLogger(__name__)

Tagger = Callable[[str, str], Mapping[str, float]]
ItemStatus = Literal["added", "duplicate", "syndicated", "failed"]
FeedStatus = Literal["ok", "not-modified", "failed", "skipped"]

DISABLE_AFTER = 10
MAX_ENTRIES_PER_FEED = 50
_NOT_FEEDS = ("image/", "audio/", "video/", "font/")
_NOT_FEED_TYPES = frozenset(
    {"application/pdf", "application/json", "application/zip", "application/octet-stream"}
)
_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})


@dataclass(frozen=True)
class ItemOutcome:
    """What happened to one piece."""

    source: str  # the feed URL, file path or "demo:<name>" it came from
    title: str
    url: str | None
    status: ItemStatus
    article_id: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class FeedOutcome:
    url: str
    status: FeedStatus
    reason: str | None = None
    entries: int = 0  # entries the feed listed


@dataclass
class IngestReport:
    items: list[ItemOutcome] = field(default_factory=list)
    feeds: list[FeedOutcome] = field(default_factory=list)

    def count(self, status: ItemStatus) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def duplicates(self) -> int:
        return self.count("duplicate")

    @property
    def syndicated(self) -> int:
        return self.count("syndicated")

    @property
    def failed(self) -> int:
        return self.count("failed") + sum(1 for f in self.feeds if f.status == "failed")

    def extend(self, other: IngestReport) -> None:
        self.items.extend(other.items)
        self.feeds.extend(other.feeds)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "duplicate": self.duplicates,
            "syndicated": self.syndicated,
            "failed": self.failed,
            "items": [
                {
                    "source": i.source,
                    "title": i.title,
                    "url": i.url,
                    "status": i.status,
                    "article_id": i.article_id,
                    "reason": i.reason,
                }
                for i in self.items
            ],
            "feeds": [
                {"url": f.url, "status": f.status, "reason": f.reason, "entries": f.entries}
                for f in self.feeds
            ],
        }


def _aware(value: Any) -> datetime | None:
    """A page's published date as aware UTC (dates -> midnight UTC, naive -> UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            try:
                value = date.fromisoformat(value.strip()[:10])
            except ValueError:
                return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=UTC)
    return None


class Ingestor:
    """See the module docstring.  ``http`` is shared when given (the poller's long-lived
    client); otherwise each ``ingest_feeds`` call opens and closes its own."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        tagger: Tagger,
        *,
        http: HttpClient | None = None,
        http_options: Mapping[str, Any] | None = None,
        feed_concurrency: int = 4,
        entry_concurrency: int = 4,
        max_entries: int = MAX_ENTRIES_PER_FEED,
        disable_after: int = DISABLE_AFTER,
        url_policy: UrlPolicy | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.tagger = tagger
        self._http = http
        self._http_options = dict(http_options or {})
        self._feed_concurrency = feed_concurrency
        self._entry_concurrency = entry_concurrency
        self._max_entries = max_entries
        self._disable_after = disable_after
        self.url_policy = url_policy or UrlPolicy()  # for feeds users added (untrusted)

    @property
    def poll_interval(self) -> timedelta:
        return timedelta(minutes=self.settings.poll_minutes)

    def new_http_client(self) -> HttpClient:
        return HttpClient(user_agent=self.settings.user_agent, **self._http_options)

    def new_guarded_http_client(self) -> HttpClient:
        """For untrusted (user-added) feeds and the pages they link to: the SSRF guard."""
        return self.url_policy.client(user_agent=self.settings.user_agent)

    # ------------------------------------------------------------------ feed list

    def configured_feeds(self) -> list[FeedSpec]:
        """The operator's list: ``BRIEFBOT_FEEDS_FILE``, else the packaged curated one."""
        return load_feed_list(self.settings.feeds_file)

    def sync_feed_list(self) -> list[FeedState]:
        """Make the store's operator feeds match the configured list.

        Listed feeds are upserted (trusted: they are the operator's).  Operator feeds that
        left the list are disabled with the reason ``FEED_NOT_IN_LIST`` (their history and
        articles stay; listing them again re-enables them).  Feeds users added (untrusted)
        are not the list's business and are left alone.
        """
        specs = self.configured_feeds()
        states = []
        for spec in specs:
            state = self.store.upsert_feed(
                spec.url,
                name=spec.name,
                outlet=spec.outlet,
                kind=spec.kind,
                language=spec.language,
                trusted=True,
            )
            if state.disabled_reason == messages.FEED_NOT_IN_LIST:
                self.store.enable_feed(spec.url)
                state = self.store.feed(spec.url) or state
            states.append(state)
        retired = self.store.retire_feeds(
            keep={spec.url for spec in specs}, reason=messages.FEED_NOT_IN_LIST
        )
        if retired:
            log.info("%d operator feed(s) no longer in the feed list: disabled", retired)
        return states

    # ------------------------------------------------------------------ feeds

    async def ingest_feeds(
        self,
        urls: Sequence[str] | None = None,
        *,
        progress: Callable[[FeedOutcome], None] | None = None,
    ) -> IngestReport:
        """Fetch and ingest feeds: ``urls`` (the operator named them: re-enabled if they were
        disabled), or the configured list (disabled feeds are skipped with their reason)."""
        if urls is None:
            feeds = await asyncio.to_thread(self.sync_feed_list)
            explicit = False
        else:
            feeds = await asyncio.to_thread(self._explicit_feeds, urls)
            explicit = True
        report = IngestReport()
        runnable = []
        for feed in feeds:
            if feed.disabled_reason and not explicit:
                report.feeds.append(FeedOutcome(feed.url, "skipped", feed.disabled_reason))
            else:
                runnable.append(feed)
        report.extend(await self.ingest_feed_states(runnable, progress=progress))
        return report

    def _explicit_feeds(self, urls: Sequence[str]) -> list[FeedState]:
        feeds = []
        for url in dict.fromkeys(u.strip() for u in urls if u.strip()):
            parts = split_url(url)
            if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
                raise BadInput(f"`{url}` is not an http(s) feed URL.")
            known = self.store.feed(url)
            if known is None:
                known = self.store.upsert_feed(url, trusted=True)
            else:
                self.store.enable_feed(url)
            feeds.append(known)
        return feeds

    async def ingest_feed_states(
        self,
        feeds: Iterable[FeedState],
        *,
        progress: Callable[[FeedOutcome], None] | None = None,
    ) -> IngestReport:
        """Ingest these feeds concurrently (bounded); one failing never stops the others.

        ``progress`` is called with each feed's outcome as soon as that feed is done.
        """
        feeds = list(feeds)
        report = IngestReport()
        if not feeds:
            return report
        # Feeds users added, and every page they link to, go through the SSRF guard.
        trusted = [feed for feed in feeds if feed.trusted]
        untrusted = [feed for feed in feeds if not feed.trusted]
        if untrusted:
            async with self.new_guarded_http_client() as guarded:
                await self._run_feeds(guarded, untrusted, report, progress)
        if not trusted:
            return report
        if self._http is not None:
            await self._run_feeds(self._http, trusted, report, progress)
        else:
            async with self.new_http_client() as client:
                await self._run_feeds(client, trusted, report, progress)
        return report

    async def _run_feeds(
        self,
        client: HttpClient,
        feeds: list[FeedState],
        report: IngestReport,
        progress: Callable[[FeedOutcome], None] | None,
    ) -> None:
        slots = asyncio.Semaphore(self._feed_concurrency)

        async def one(feed: FeedState) -> IngestReport:
            async with slots:
                try:
                    part = await self.ingest_feed(feed, client)
                except Exception as exc:  # a bug must not stop the other feeds
                    log.exception("feed %s: unexpected failure", feed.url)
                    await asyncio.to_thread(self._failure, feed, f"internal error: {exc}")
                    part = IngestReport(feeds=[FeedOutcome(feed.url, "failed", "internal error")])
                for outcome in part.feeds:
                    metrics.feed_polled(trusted=feed.trusted, outcome=outcome.status)
                    if progress is not None:
                        progress(outcome)
                return part

        for part in await asyncio.gather(*(one(feed) for feed in feeds)):
            report.extend(part)

    def _failure(self, feed: FeedState, reason: str) -> FeedState:
        state = self.store.record_feed_failure(
            feed.id,
            reason,
            base_delay=self.poll_interval,
            disable_after=self._disable_after,
        )
        log.warning(
            "feed %s failed (%d in a row): %s", feed.url, state.consecutive_failures, reason
        )
        return state

    async def ingest_feed(self, feed: FeedState, client: HttpClient) -> IngestReport:
        """Fetch one feed and ingest its new entries; records the feed's health."""
        report = IngestReport()
        try:
            result = await client.fetch(
                feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT
            )
        except FetchError as exc:
            await asyncio.to_thread(self._failure, feed, exc.reason)
            report.feeds.append(FeedOutcome(feed.url, "failed", exc.reason))
            return report
        except SourceError as exc:  # the SSRF guard of issue 7 refuses with UnsafeURL
            await asyncio.to_thread(self._failure, feed, str(exc))
            report.feeds.append(FeedOutcome(feed.url, "failed", str(exc)))
            return report
        next_attempt = datetime.now(UTC) + self.poll_interval
        if result.not_modified:
            await asyncio.to_thread(
                self.store.record_feed_success,
                feed.id,
                etag=result.etag or feed.etag,
                last_modified=result.last_modified or feed.last_modified,
                next_attempt_at=next_attempt,
            )
            report.feeds.append(FeedOutcome(feed.url, "not-modified"))
            return report
        try:
            if result.content_type.startswith(_NOT_FEEDS) or (
                result.content_type in _NOT_FEED_TYPES
            ):
                raise SourceError(f"not an RSS or Atom feed (got {result.content_type})")
            parsed = await asyncio.to_thread(
                parse_feed, result.content, url=result.url, content_type=result.content_type
            )
        except SourceError as exc:
            await asyncio.to_thread(self._failure, feed, str(exc))
            report.feeds.append(FeedOutcome(feed.url, "failed", str(exc)))
            return report

        # The operator's name for the outlet wins; else the page's site name; else the feed's.
        outlet = parsed.title or url_host(parsed.link) or url_host(feed.url) or "unknown"
        entries = parsed.entries[: self._max_entries]
        slots = asyncio.Semaphore(self._entry_concurrency)

        async def one(entry: FeedEntry) -> ItemOutcome:
            async with slots:
                return await self._ingest_entry(feed, outlet, entry, client)

        report.items.extend(await asyncio.gather(*(one(entry) for entry in entries)))
        await asyncio.to_thread(
            self.store.record_feed_success,
            feed.id,
            etag=result.etag,
            last_modified=result.last_modified,
            next_attempt_at=next_attempt,
        )
        report.feeds.append(FeedOutcome(feed.url, "ok", entries=len(parsed.entries)))
        log.info(
            "feed %s: %d entries, %d added",
            feed.url,
            len(entries),
            sum(1 for i in report.items if i.status == "added"),
        )
        return report

    async def _ingest_entry(
        self, feed: FeedState, outlet: str, entry: FeedEntry, client: HttpClient
    ) -> ItemOutcome:
        guid = entry.guid or entry.link
        title = entry.title or entry.link or "(untitled)"
        known = await asyncio.to_thread(
            self.store.known_article, feed_id=feed.id, guid=guid, url=entry.link
        )
        if known is not None:
            return ItemOutcome(feed.url, title, entry.link, "duplicate", known)

        html: str | None = None
        page_url = entry.link
        page_problem: str | None = None
        if entry.link:
            try:
                page = await client.fetch(entry.link, accept=PAGE_ACCEPT)
            except SourceError as exc:
                page_problem = getattr(exc, "reason", None) or str(exc)
            else:
                page_url = page.url
                if page.content_type in _PAGE_TYPES:
                    html = page.text()
                else:
                    page_problem = f"the page is {page.content_type}, not HTML"
        if page_problem:
            log.info("entry %s: page failed (%s); using the feed's text", entry.link, page_problem)
        fallback = entry.content or entry.summary
        doc = SourceDocument(
            origin=feed.url,
            html=html,
            text=None if html else fallback,
            title=entry.title or None,
            outlet=feed.outlet,
            url=page_url,
            guid=guid,
            author=entry.author,
            published=entry.published,
            kind=feed.kind,
            language=feed.language,
        )
        if html is None and not fallback:
            reason = f"page failed ({page_problem})" if page_problem else "no link and no text"
            return ItemOutcome(feed.url, title, entry.link, "failed", reason=reason)
        return await asyncio.to_thread(
            self._store_document,
            doc,
            feed_id=feed.id,
            fallback_text=fallback,
            fallback_outlet=outlet,
        )

    # ------------------------------------------------------------------ files and demo

    def ingest_files(self, paths: Iterable[Path]) -> IngestReport:
        """Ingest local text or HTML files (the operator's: trusted)."""
        report = IngestReport()
        for path in paths:
            try:
                doc = load_file(path)
            except BriefbotError as exc:
                report.items.append(
                    ItemOutcome(str(path), path.name, None, "failed", reason=str(exc))
                )
                continue
            report.items.append(self._store_document(doc))
        return report

    def ingest_demo(self) -> IngestReport:
        """Ingest the bundled demo corpus (no network)."""
        report = IngestReport()
        for doc in demo_documents():
            report.items.append(self._store_document(doc))
        return report

    def ingest_documents(self, docs: Iterable[SourceDocument]) -> IngestReport:
        return IngestReport(items=[self._store_document(doc) for doc in docs])

    # ------------------------------------------------------------------ the pipeline

    def _store_document(
        self,
        doc: SourceDocument,
        *,
        feed_id: int | None = None,
        fallback_text: str | None = None,
        fallback_outlet: str | None = None,
    ) -> ItemOutcome:
        """Extract, summarize, tag and store one document (sync: runs in a worker thread)."""
        label = doc.title or doc.url or doc.origin
        try:
            article = self._prepare(
                doc, feed_id=feed_id, fallback_text=fallback_text, fallback_outlet=fallback_outlet
            )
            result = self.store.add_article(article)
        except BriefbotError as exc:
            log.info("%s: %s", label, exc)
            return ItemOutcome(doc.origin, label, doc.url, "failed", reason=str(exc))
        return ItemOutcome(doc.origin, article.title, article.url, result.status, result.article_id)

    def _prepare(
        self,
        doc: SourceDocument,
        *,
        feed_id: int | None,
        fallback_text: str | None,
        fallback_outlet: str | None,
    ) -> NewArticle:
        from summaries import extract_page, summarize

        title = doc.title
        text = doc.text
        url = doc.url
        author = doc.author
        published = doc.published
        outlet = doc.outlet
        language = doc.language
        kind = doc.kind
        if doc.html is not None:
            page = None
            try:
                page = extract_page(doc.html, doc.url or "")
            except BriefbotError as exc:
                if not fallback_text:
                    raise
                log.info("%s: extraction failed (%s); using the feed's text", doc.origin, exc)
            if page is not None and page.text and page.text.strip():
                text = page.text
                title = title or page.title
                url = page.canonical_url or url
                author = author or page.author
                published = published or _aware(page.published)
                outlet = outlet or page.sitename
                language = page.language or language
                if page.opinion:  # the page files itself under opinion: argument last
                    kind = "editorial"
            else:
                text = fallback_text
        if not text or not text.strip():
            raise SourceError(f"{doc.origin}: no article text found")
        title = (title or "").strip() or "(untitled)"
        with metrics.summarizing():
            bullets = tuple(summarize(text, title=title, kind=kind).bullets)
        mentions = dict(self.tagger(title, text))
        return NewArticle(
            title=title,
            text=text,
            bullets=bullets,
            outlet=outlet or fallback_outlet or url_host(url) or "Local file",
            url=url,
            guid=doc.guid,
            author=author,
            kind=kind,
            language=language or "en",
            published_at=_aware(published),
            mentions=mentions,
            feed_id=feed_id,
        )
