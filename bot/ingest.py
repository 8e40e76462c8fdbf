"""Ingestion: source -> main text -> bullets (summarized once, here) -> topic tags -> store.

    ingestor = Ingestor(store, settings, TopicRegistry.default().tag)
    report = await ingestor.ingest_feeds()          # the operator's sources
    report = ingestor.ingest_files([Path("x.html")])
    report = ingestor.ingest_demo()                 # the bundled corpus, no network

Sources: an RSS/Atom feed, an XML sitemap (a news sitemap, a plain one, or an index and its
newest children) or a section page whose article links are followed.  Our HTTP client
fetches the source (conditional GET) and every entry it lists that is not stored yet goes
into the source's *backlog* (``feed_entries``) before any page is fetched.  Then the
backlog's due entries are taken, at most ``max_entries`` a poll: each entry's page is
fetched and its main text extracted; when the page fails for good, the feed's own content or
summary stands in; when it fails in a way that may pass (a timeout, a 5xx, a name that does
not resolve) and the feed has no full text, the entry waits for a later poll (backing off,
``entry_attempts`` tries in all).  What one poll does not reach, the next takes: no entry a
source lists is lost, and the report says how many were left for later.

Each source's health is recorded: success resets it; a failure counts, backs off
exponentially from the poll interval and, after ``DISABLE_AFTER`` in a row, disables the
source with its reason.  One bad source never stops the others, and one bad entry (our own
bug included) never fails its source.

Each piece is summarized as what it is: an explicit signal (its URL path, the feed's
category, a title marker, the page's metadata: ``summaries.kind``) makes it an editorial;
otherwise its text decides (``summaries``), and the source's declared ``kind`` is only the
default for a text that does not say.

CPU work (extraction, summarizing, tagging) and store writes run in worker threads, so the
event loop shared with the chat adapters stays responsive.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from bot import messages, metrics
from bot.errors import BadInput, BriefbotError, SourceError, from_summaries
from bot.settings import Settings
from bot.sources.feedlist import FeedSpec, load_feed_list
from bot.sources.feeds import FeedEntry
from bot.sources.files import SourceDocument, demo_documents, load_file
from bot.sources.http import PAGE_ACCEPT, FetchError, HttpClient
from bot.sources.read import ACCEPT, PAGE_TYPES, read_source
from bot.sources.safety import UrlPolicy
from bot.store import BacklogEntry, FeedState, NewArticle, NewEntry, Store
from bot.store.urls import split_url, url_host
from bot.stories.grouping import StoryGrouper
from bot.stories.refresh import refresh_story

log = logging.getLogger(__name__)

Tagger = Callable[[str, str], Mapping[str, float]]
ItemStatus = Literal["added", "duplicate", "syndicated", "failed", "retrying"]
FeedStatus = Literal["ok", "not-modified", "failed", "skipped"]

DISABLE_AFTER = 10
MAX_ENTRIES_PER_POLL = 100  # backlog entries one poll takes from a source; the next takes more
ENTRY_ATTEMPTS = 5  # tries for an entry whose page keeps failing in a way that may pass
_MAX_ENTRY_DELAY = timedelta(hours=12)


@dataclass(frozen=True)
class ItemOutcome:
    """What happened to one piece.  ``retrying``: its page failed in a way that may pass;
    it waits in its source's backlog for a later poll."""

    source: str  # the feed URL, file path or "demo:<name>" it came from
    title: str
    url: str | None
    status: ItemStatus
    article_id: int | None = None
    reason: str | None = None
    kind: str | None = None  # what it was summarized as (stored pieces)


@dataclass(frozen=True)
class FeedOutcome:
    url: str
    status: FeedStatus
    reason: str | None = None
    entries: int = 0  # entries the source listed
    new: int = 0  # of those, not seen before (queued in its backlog)
    left: int = 0  # due backlog entries this poll did not reach: the next takes them
    waiting: int = 0  # backlog entries waiting to retry their page later


# Told of each piece (an ItemOutcome) and each source (a FeedOutcome) as soon as it is done:
# `briefbot ingest` shows progress with it.
Progress = Callable[["ItemOutcome | FeedOutcome"], None]


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

    @property
    def retrying(self) -> int:
        return self.count("retrying")

    @property
    def left(self) -> int:
        """Entries left for later: not reached by this poll, or waiting to retry."""
        return sum(f.left + f.waiting for f in self.feeds)

    def extend(self, other: IngestReport) -> None:
        self.items.extend(other.items)
        self.feeds.extend(other.feeds)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "duplicate": self.duplicates,
            "syndicated": self.syndicated,
            "failed": self.failed,
            "retrying": self.retrying,
            "left_for_later": self.left,
            "items": [
                {
                    "source": i.source,
                    "title": i.title,
                    "url": i.url,
                    "status": i.status,
                    "article_id": i.article_id,
                    "reason": i.reason,
                    "kind": i.kind,
                }
                for i in self.items
            ],
            "feeds": [
                {
                    "url": f.url,
                    "status": f.status,
                    "reason": f.reason,
                    "entries": f.entries,
                    "new": f.new,
                    "left_for_later": f.left,
                    "waiting_to_retry": f.waiting,
                }
                for f in self.feeds
            ],
        }


def _new_entry(entry: FeedEntry, outlet_hint: str | None) -> NewEntry:
    data = entry.to_json()
    data["outlet_hint"] = outlet_hint  # the feed's own title, for pieces with no outlet
    return NewEntry(key=entry.key, entry=data, guid=entry.guid or entry.link, url=entry.link)


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
        max_entries: int = MAX_ENTRIES_PER_POLL,
        entry_attempts: int = ENTRY_ATTEMPTS,
        entry_retry_delay: timedelta | None = None,
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
        self._entry_attempts = entry_attempts
        self._entry_retry_delay = entry_retry_delay  # None: the poll interval
        self._disable_after = disable_after
        self.url_policy = url_policy or UrlPolicy()  # for feeds users added (untrusted)
        self.grouper = StoryGrouper(store)

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
                country=spec.country,
                source_type=spec.type,
                match=spec.match,
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
        progress: Progress | None = None,
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
        progress: Progress | None = None,
    ) -> IngestReport:
        """Ingest these feeds concurrently (bounded); one failing never stops the others.

        ``progress`` is told of each piece and each feed as soon as it is done.
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
        progress: Progress | None,
    ) -> None:
        slots = asyncio.Semaphore(self._feed_concurrency)

        async def one(feed: FeedState) -> IngestReport:
            async with slots:
                try:
                    part = await self.ingest_feed(feed, client, progress=progress)
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

    async def ingest_feed(
        self, feed: FeedState, client: HttpClient, *, progress: Progress | None = None
    ) -> IngestReport:
        """Poll one source: fetch it, queue its new entries in its backlog, then ingest the
        backlog's due entries (at most ``max_entries``); records the source's health.

        The backlog is what makes "no entry is lost" hold: an entry is queued the moment its
        source lists it, before any page is fetched, so a poll that stops early, a page that
        times out or a 304 on the next poll cannot hide it.  Entries already stored never
        enter the backlog, so they never count against ``max_entries``.
        """
        report = IngestReport()
        try:
            result = await client.fetch(
                feed.url,
                etag=feed.etag,
                last_modified=feed.last_modified,
                accept=ACCEPT[feed.source_type],
            )
            listed = (
                None
                if result.not_modified
                else await read_source(
                    client, result, source_type=feed.source_type, match=feed.match
                )
            )
        except SourceError as exc:  # FetchError, UnsafeURL (issue 7's guard), unreadable
            reason = getattr(exc, "reason", None) or str(exc)
            await asyncio.to_thread(self._failure, feed, reason)
            report.feeds.append(FeedOutcome(feed.url, "failed", reason))
            return report  # its backlog waits: the host may well be down for its pages too
        queued = 0
        if listed is not None:
            report.items.extend(
                ItemOutcome(feed.url, f"({why})", None, "failed", reason=why)
                for why in listed.skipped
            )
            outlet_hint = listed.title or url_host(listed.link) or url_host(feed.url)
            queued = await asyncio.to_thread(
                self.store.enqueue_new_entries,
                feed.id,
                [_new_entry(entry, outlet_hint) for entry in listed.entries],
            )
        # Every entry is safe in the backlog now: the validators can be kept for the next GET.
        await asyncio.to_thread(
            self.store.record_feed_success,
            feed.id,
            etag=result.etag or (feed.etag if result.not_modified else None),
            last_modified=result.last_modified
            or (feed.last_modified if result.not_modified else None),
            next_attempt_at=datetime.now(UTC) + self.poll_interval,
        )
        due = await asyncio.to_thread(self.store.due_entries, feed.id, limit=self._max_entries)
        slots = asyncio.Semaphore(self._entry_concurrency)

        async def one(entry: BacklogEntry) -> ItemOutcome:
            async with slots:
                outcome = await self._ingest_backlog_entry(feed, entry, client)
            if progress is not None:
                progress(outcome)
            return outcome

        report.items.extend(await asyncio.gather(*(one(entry) for entry in due)))
        left, waiting = await asyncio.to_thread(self.store.backlog_counts, feed.id)
        report.feeds.append(
            FeedOutcome(
                feed.url,
                "not-modified" if listed is None else "ok",
                entries=len(listed.entries) if listed is not None else 0,
                new=queued,
                left=left,
                waiting=waiting,
            )
        )
        log.info(
            "source %s: %d listed, %d new, %d taken, %d left for later, %d waiting to retry",
            feed.url,
            len(listed.entries) if listed is not None else 0,
            queued,
            len(due),
            left,
            waiting,
        )
        return report

    async def _ingest_backlog_entry(
        self, feed: FeedState, waiting: BacklogEntry, client: HttpClient
    ) -> ItemOutcome:
        """Ingest one backlog entry and settle it: stored or known (it leaves the backlog),
        to retry later (its page failed in a way that may pass), or failed for good."""
        entry = FeedEntry.from_json(waiting.entry)
        outlet_hint = waiting.entry.get("outlet_hint")
        label = entry.title or entry.link or "(untitled)"
        attempt = waiting.attempts + 1
        try:
            outcome = await self._ingest_entry(
                feed,
                outlet_hint if isinstance(outlet_hint, str) else None,
                entry,
                client,
                last_attempt=attempt >= self._entry_attempts,
            )
        except Exception as exc:  # our own bug: the entry waits, the feed is not to blame
            log.exception("entry %s of %s: unexpected failure", label, feed.url)
            outcome = ItemOutcome(
                feed.url, label, entry.link, "retrying", reason=f"internal error: {exc}"
            )
        if outcome.status == "retrying" and attempt < self._entry_attempts:
            base = (
                self.poll_interval if self._entry_retry_delay is None else self._entry_retry_delay
            )
            delay = min(base * (2 ** (attempt - 1)), _MAX_ENTRY_DELAY)
            retry_at = datetime.now(UTC) + delay
            await asyncio.to_thread(
                self.store.entry_retry, waiting.id, outcome.reason or "", next_attempt_at=retry_at
            )
            return replace(
                outcome,
                reason=f"{outcome.reason}; attempt {attempt} of {self._entry_attempts}, "
                f"next after {retry_at:%Y-%m-%d %H:%M} UTC",
            )
        if outcome.status in ("retrying", "failed"):
            reason = outcome.reason or "failed"
            if attempt > 1 or outcome.status == "retrying":
                reason = f"{reason} (gave up after {attempt} attempts)"
            await asyncio.to_thread(self.store.entry_failed, waiting.id, reason)
            return replace(outcome, status="failed", reason=reason)
        await asyncio.to_thread(self.store.entry_done, waiting.id)
        return outcome

    async def _ingest_entry(
        self,
        feed: FeedState,
        outlet_hint: str | None,
        entry: FeedEntry,
        client: HttpClient,
        *,
        last_attempt: bool = True,
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
                later = isinstance(exc, FetchError) and exc.retry_later
                # The feed's full text stands in now; a bare summary waits for the page.
                if later and not last_attempt and not entry.content:
                    return ItemOutcome(
                        feed.url,
                        title,
                        entry.link,
                        "retrying",
                        reason=f"page failed ({page_problem})",
                    )
            else:
                page_url = page.url
                if page.content_type in PAGE_TYPES:
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
            title=entry.title if entry.titled else None,
            outlet=feed.outlet or entry.outlet,  # the operator's word, else the item's <source>
            url=page_url,
            guid=guid,
            author=entry.author,
            published=entry.published,
            kind=feed.kind,
            language=feed.language,
            categories=entry.categories,
            modified=entry.modified,
            country=feed.country,
        )
        if html is None and not fallback:
            reason = f"page failed ({page_problem})" if page_problem else "no link and no text"
            return ItemOutcome(feed.url, title, entry.link, "failed", reason=reason)
        outcome = await asyncio.to_thread(
            self._store_document,
            doc,
            feed_id=feed.id,
            fallback_text=fallback,
            fallback_outlet=outlet_hint,
            fallback_title=entry.title or None,
        )
        return outcome

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

    # ------------------------------------------------------------------ the pipeline

    def _store_document(
        self,
        doc: SourceDocument,
        *,
        feed_id: int | None = None,
        fallback_text: str | None = None,
        fallback_outlet: str | None = None,
        fallback_title: str | None = None,
    ) -> ItemOutcome:
        """Extract, summarize, tag and store one document (sync: runs in a worker thread)."""
        label = doc.title or fallback_title or doc.url or doc.origin
        try:
            article = self._prepare(
                doc,
                feed_id=feed_id,
                fallback_text=fallback_text,
                fallback_outlet=fallback_outlet,
                fallback_title=fallback_title,
            )
            result = self.store.add_article(article)
        except BriefbotError as exc:
            log.info("%s: %s", label, exc)
            return ItemOutcome(doc.origin, label, doc.url, "failed", reason=str(exc))
        if result.status == "added":
            self._group(result.article_id)
        return ItemOutcome(
            doc.origin,
            article.title,
            article.url,
            result.status,
            result.article_id,
            kind=article.kind,
        )

    def _group(self, article_id: int) -> None:
        """Put a new article in its story and bring the story's summary up to date.  The
        article is stored already: a failure here is logged, and the article waits for
        ``assign_missing`` on a later poll (or its story keeps its previous summary)."""
        try:
            assigned = self.grouper.assign(article_id)
            if assigned is not None:
                refresh_story(self.store, assigned.story_id)
        except Exception:
            log.exception("article %d: could not add it to its story", article_id)

    def _prepare(
        self,
        doc: SourceDocument,
        *,
        feed_id: int | None,
        fallback_text: str | None,
        fallback_outlet: str | None,
        fallback_title: str | None = None,
    ) -> NewArticle:
        from summaries import extract_page, summarize
        from summaries.kind import opinion_signal

        title = doc.title
        text = doc.text
        url = doc.url
        author = doc.author
        published = doc.published
        outlet = doc.outlet
        language = doc.language
        page_opinion = False
        if doc.html is not None:
            page = None
            try:
                with from_summaries():
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
                page_opinion = page.opinion
            else:
                text = fallback_text
        if not text or not text.strip():
            raise SourceError(f"{doc.origin}: no article text found")
        # What the piece says of itself first; then its text; the source's kind last.
        explicit = page_opinion or opinion_signal(
            urls=(url, doc.url), categories=doc.categories, title=title
        )
        kind: str | None = "editorial" if explicit else doc.kind if doc.kind_known else None
        with metrics.summarizing(), from_summaries():
            summary = summarize(text, title=title, kind=kind)
        bullets = tuple(summary.bullets)
        kind = summary.kind or doc.kind
        title = (title or "").strip() or fallback_title or "(untitled)"
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
            published_at=_aware(published) or doc.modified,
            mentions=mentions,
            feed_id=feed_id,
            country=doc.country,
        )
