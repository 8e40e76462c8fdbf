"""Feeds that chat workspaces add themselves (issue 7): untrusted, per workspace, validated.

    sources = UserSourceService(store, settings)
    feed = await sources.add("slack", "T0123", "https://example.com/rss", added_by="U42")
    sources.list("slack", "T0123")             # [FeedState, ...], oldest first
    sources.remove("slack", "T0123", "7")      # by id (as listed) or by URL

Chat commands (``/briefing source add|list|remove`` on Discord, ``/brief source ...`` on
Slack) call this service; the adapters check who may (Manage Channels / the subscribe
permission).  A URL is accepted only when:

* the SSRF guard passes it (``bot.sources.safety.UrlPolicy``: http(s), public addresses
  only, pinned at connect, redirects re-checked) and the fetch stays within the untrusted
  caps;
* the body parses as RSS or Atom and lists at least one entry;
* no feed has that URL yet (the operator's or another workspace's) and the workspace has
  fewer than ``limit`` sources.

Only then is it saved: ``trusted=False``, owned by ``(platform, workspace)``.  The poller
fetches it (and every page it links to) through the same guard.  Its articles join the one
shared store and appear in every briefing whose topic they match, like the operator's feeds'
(simple, and what "a source for this workspace" means to most users; per-workspace
briefings would need per-workspace article visibility).  Removing a source deletes the feed;
the articles already ingested stay.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from bot import messages
from bot.errors import BadInput, NotFound, SourceError, UnsafeURL
from bot.models import Platform
from bot.settings import Settings
from bot.sources.feeds import ParsedFeed, parse_feed
from bot.sources.http import FEED_ACCEPT, FetchError, HttpClient
from bot.sources.safety import UrlPolicy
from bot.store import FeedState, Store
from bot.store.urls import url_host

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 20
MAX_URL_LENGTH = 2048
ADD_TIMEOUT_SECONDS = 10.0  # the person who typed the command is waiting (deferred reply)
_NOT_FEEDS = ("image/", "audio/", "video/", "font/")


def clean_url_text(text: str) -> str:
    """The URL in what a user typed: Slack sends links as ``<url>`` or ``<url|label>``."""
    text = (text or "").strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].split("|", 1)[0].strip()
    return text


class UserSourceService:
    """See the module docstring.  ``add`` is async (it fetches); ``list`` and ``remove``
    are synchronous store calls (run them in a worker thread from an event loop).

    ``policy`` is the SSRF guard (tests pass one with a 127.0.0.1 allowance);
    ``http_factory`` builds the client ``add`` validates with (default: the policy's
    guarded client, one attempt, ``ADD_TIMEOUT_SECONDS``).
    """

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        policy: UrlPolicy | None = None,
        http_factory: Callable[[], HttpClient] | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be positive")
        self.store = store
        self.settings = settings
        self.policy = policy or UrlPolicy()
        self.limit = limit
        self._http_factory = http_factory or self._default_client

    def _default_client(self) -> HttpClient:
        return self.policy.client(
            user_agent=self.settings.user_agent, attempts=1, timeout=ADD_TIMEOUT_SECONDS
        )

    # -- add ------------------------------------------------------------------------------

    async def add(
        self, platform: Platform, workspace_id: str, url: str, *, added_by: str | None = None
    ) -> FeedState:
        """Validate ``url`` as a safe RSS/Atom feed and save it for the workspace.

        Raises ``BadInput`` (no URL, already known, limit reached), ``UnsafeURL`` (the guard
        refused it) or ``SourceError`` (unreachable, not a feed, no entries); every message
        is one user-facing line.  Nothing is saved unless every check passed.
        """
        text = self._url(url)
        known = await asyncio.to_thread(self.store.feed, text)
        if known is not None:
            raise BadInput(self._known_message(known, platform, workspace_id))
        owned = await asyncio.to_thread(self.store.user_feeds, platform, workspace_id)
        if len(owned) >= self.limit:
            raise BadInput(messages.SOURCE_LIMIT.format(limit=self.limit))

        parsed = await self._fetch_feed(text)
        outlet = parsed.title or url_host(parsed.link) or url_host(text)
        result = await asyncio.to_thread(
            self.store.add_user_feed,
            text,
            platform=platform,
            workspace=workspace_id,
            limit=self.limit,
            name=parsed.title,
            outlet=outlet,
        )
        if result.outcome == "full":
            raise BadInput(messages.SOURCE_LIMIT.format(limit=self.limit))
        if result.outcome == "known" or result.feed is None:
            assert result.feed is not None
            raise BadInput(self._known_message(result.feed, platform, workspace_id))
        log.info(
            "%s workspace %s added feed %s (id %d, by %s, %d entries)",
            platform,
            workspace_id,
            text,
            result.feed.id,
            added_by or "unknown",
            len(parsed.entries),
        )
        return result.feed

    def _url(self, url: str) -> str:
        text = clean_url_text(url)
        if not text:
            raise BadInput(messages.SOURCE_USAGE)
        if len(text) > MAX_URL_LENGTH:
            raise BadInput(messages.SOURCE_TOO_LONG)
        if "://" not in text and " " not in text and "." in text:
            text = "https://" + text  # "example.com/rss": what people type
        try:
            parsed = self.policy.check_url(text)
        except UnsafeURL as exc:
            raise UnsafeURL(messages.SOURCE_REFUSED.format(reason=_reason(exc))) from None
        return str(parsed)

    async def _fetch_feed(self, url: str) -> ParsedFeed:
        try:
            async with self._http_factory() as client:
                result = await client.fetch(url, accept=FEED_ACCEPT)
        except UnsafeURL as exc:
            raise UnsafeURL(messages.SOURCE_REFUSED.format(reason=_reason(exc))) from None
        except FetchError as exc:
            raise SourceError(messages.SOURCE_UNREACHABLE.format(reason=exc.reason)) from None
        if result.content_type.startswith(_NOT_FEEDS) or result.content_type in (
            "application/pdf",
            "application/json",
            "application/zip",
            "application/octet-stream",
        ):
            raise SourceError(
                messages.SOURCE_NOT_A_FEED.format(reason=f"it sent {result.content_type}")
            )
        try:
            parsed = await asyncio.to_thread(
                parse_feed, result.content, url=result.url, content_type=result.content_type
            )
        except SourceError as exc:
            raise SourceError(messages.SOURCE_NOT_A_FEED.format(reason=_reason(exc))) from None
        if not parsed.entries:
            raise SourceError(messages.SOURCE_NO_ENTRIES)
        return parsed

    @staticmethod
    def _known_message(feed: FeedState, platform: str, workspace_id: str) -> str:
        if feed.owner_platform == platform and feed.owner_workspace == workspace_id:
            return messages.SOURCE_ALREADY_YOURS
        return messages.SOURCE_ALREADY_FOLLOWED

    # -- list and remove ------------------------------------------------------------------

    def list(self, platform: Platform, workspace_id: str) -> list[FeedState]:
        """The workspace's sources, oldest first, with health (``FeedState.status``)."""
        return self.store.user_feeds(platform, workspace_id)

    def remove(self, platform: Platform, workspace_id: str, url_or_id: str | int) -> FeedState:
        """Remove one of the workspace's sources, named by its id or its URL; the removed one.

        ``NotFound`` when the workspace has no such source (another workspace's or the
        operator's feeds cannot be removed from chat)."""
        which = clean_url_text(str(url_or_id)).lstrip("#")
        if not which:
            raise BadInput(messages.SOURCE_USAGE)
        owned = self.store.user_feeds(platform, workspace_id)
        target = None
        if which.isdigit():
            target = next((f for f in owned if f.id == int(which)), None)
        else:
            candidates = {which, which.rstrip("/")}
            with contextlib.suppress(UnsafeURL):
                candidates.add(str(self.policy.check_url(which)))
            target = next((f for f in owned if f.url in candidates), None)
        if target is None or not self.store.delete_user_feed(
            target.id, platform=platform, workspace=workspace_id
        ):
            raise NotFound(messages.SOURCE_NOT_FOUND.format(which=_clip(which)))
        log.info(
            "%s workspace %s removed feed %s (id %d)", platform, workspace_id, target.url, target.id
        )
        return target


def _reason(exc: BaseException) -> str:
    """An error's sentence as a clause: no trailing full stop."""
    return str(exc).strip().rstrip(".")


def _clip(text: str, limit: int = 80) -> str:
    text = "".join(ch for ch in text if ch.isprintable()).replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"
