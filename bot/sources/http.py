"""Our HTTP client for feeds and pages (httpx, async).

What it does for every fetch:

* a User-Agent naming the bot and the operator's contact (``Settings.user_agent``);
* timeouts: connect/read/write per httpx, plus a total deadline per attempt, so neither a
  hanging server nor one that drips a byte a second holds a worker;
* a body-size cap on the *decoded* body, read as a stream and abandoned at the cap (a 50 MB
  page or a gzip bomb costs at most ``max_bytes``);
* conditional GET: ``If-None-Match`` / ``If-Modified-Since`` from the last fetch; a 304
  comes back as ``FetchResult.not_modified``;
* gzip/deflate (and brotli/zstd when their packages are installed) decoded by httpx;
* politeness: at most ``per_host`` requests in flight to one host and ``host_delay`` seconds
  between the starts of two requests to it;
* redirects followed by hand, at most ``max_redirects``, http(s) only;
* tenacity retries with exponential backoff ("full jitter") for transient failures (connection
  errors, timeouts, 429/502/503/504, honouring a short ``Retry-After``);
* a name that does not resolve fails at once, without retries, and every other request to
  that host in the next ``dns_negative_ttl`` seconds fails at once too (no lookup, no wait
  for the host's turn): a dead host costs one lookup, not one per entry.

``FetchError.retry_later`` tells a caller whether the same request may work on a later poll
(timeouts, connection and name failures, 5xx, 429) or not (404, not HTML, too large).

Seam for untrusted URLs (issue 7): pass ``guard``, an async callable that receives every URL
before it is requested, the first one and each redirect target, and raises ``UnsafeURL`` to
refuse it.  A guard that must also pin the resolved address (against DNS rebinding) can
come with its own ``transport`` (an ``httpx.AsyncBaseTransport`` that checks the peer
address when it connects); the client passes both through unchanged.  ``trust_env=False``
keeps environment proxies (which would resolve names themselves) out of such a client.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Final

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from bot.errors import SourceError

log = logging.getLogger(__name__)

UrlGuard = Callable[[httpx.URL], Awaitable[None]]

FEED_ACCEPT: Final = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT: Final = "text/html, application/xhtml+xml;q=0.9, text/plain;q=0.8, */*;q=0.5"
_RETRY_STATUSES: Final = frozenset({429, 502, 503, 504})
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)


class FetchError(SourceError):
    """A fetch failed.  ``reason`` is the short cause ("HTTP 404 Not Found", "timed out after
    20 s") kept in feed health; ``str()`` names the URL too."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        transient: bool = False,
        status: int | None = None,
        unresolved: bool = False,
    ) -> None:
        self.url = url
        self.reason = reason
        self.transient = transient  # worth retrying now (within this fetch)
        self.status = status  # the HTTP status, when the server answered
        self.unresolved = unresolved  # the host name did not resolve
        self.retry_after: float | None = None
        super().__init__(f"Could not fetch {url}: {reason}")

    @property
    def retry_later(self) -> bool:
        """The same request may well work on a later poll: a timeout, a connection or name
        failure, a server error or a rate limit.  A 404, a page that is not HTML or is too
        large will not."""
        if self.unresolved or self.transient:
            return True
        return self.status is not None and (self.status >= 500 or self.status in (408, 429))


def _unresolved(exc: BaseException) -> bool:
    """Whether a connection failure was the name not resolving (``getaddrinfo`` failed)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, socket.gaierror):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


@dataclass(frozen=True)
class FetchResult:
    url: str  # the final URL, after redirects
    status: int  # 200 (or another 2xx), or 304
    content: bytes
    content_type: str  # media type, lower case, no parameters ("" when the server sent none)
    charset: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str:
        """The body as text: the HTTP charset, else an XML/HTML declaration, else UTF-8."""
        candidates = [self.charset]
        head = self.content[:4096]
        for pattern in (_XML_ENCODING, _META_CHARSET):
            match = pattern.search(head)
            if match:
                candidates.append(match.group(1).decode("ascii", "replace"))
        for encoding in [*candidates, "utf-8"]:
            if not encoding:
                continue
            try:
                return self.content.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
        return self.content.decode("utf-8", errors="replace")


class _HostGate:
    """At most ``concurrency`` requests in flight to one host, starts ``delay`` s apart.

    :meth:`waive` ends the wait of the next request at once: a request that never reached
    the host (its name did not resolve) owes it no courtesy delay.
    """

    def __init__(self, concurrency: int, delay: float) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._lock = asyncio.Lock()
        self._delay = delay
        self._next_start = 0.0
        self._waived = asyncio.Event()

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._slots:
            async with self._lock:
                loop = asyncio.get_running_loop()
                wait = self._next_start - loop.time()
                if wait > 0:
                    self._waived.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._waived.wait(), wait)
                self._next_start = loop.time() + self._delay
            yield

    def waive(self) -> None:
        self._next_start = 0.0
        self._waived.set()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(UTC)).total_seconds())


class HttpClient:
    """One per process (or per ingestion run); use as ``async with HttpClient(...) as c``."""

    def __init__(
        self,
        *,
        user_agent: str,
        timeout: float = 20.0,
        connect_timeout: float = 10.0,
        max_bytes: int = 5 * 2**20,
        max_redirects: int = 5,
        per_host: int = 2,
        host_delay: float = 0.5,
        attempts: int = 3,
        retry_wait: float = 1.0,
        max_retry_after: float = 60.0,
        dns_negative_ttl: float = 60.0,
        guard: UrlGuard | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        trust_env: bool = True,
    ) -> None:
        if per_host < 1 or attempts < 1 or max_bytes < 1:
            raise ValueError("per_host, attempts and max_bytes must be positive")
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.attempts = attempts
        self.retry_wait = retry_wait
        self.max_retry_after = max_retry_after
        self._per_host = per_host
        self._host_delay = host_delay
        self._guard = guard
        self._gates: dict[str, _HostGate] = {}
        self._dns_negative_ttl = dns_negative_ttl
        self._unresolved: dict[str, tuple[float, str]] = {}  # host -> (until, reason)
        self._client = httpx.AsyncClient(
            headers={"User-Agent": user_agent},
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            follow_redirects=False,
            transport=transport,
            trust_env=trust_env,  # False for untrusted URLs: no env proxy bypasses the guard
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )

    async def __aenter__(self) -> HttpClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def _gate(self, url: httpx.URL) -> _HostGate:
        key = f"{url.host}:{url.port or ''}"
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = _HostGate(self._per_host, self._host_delay)
        return gate

    def _wait(self, state: RetryCallState) -> float:
        base = wait_random_exponential(multiplier=self.retry_wait, max=30.0)(state)
        outcome = state.outcome
        exc = outcome.exception() if outcome is not None else None
        if isinstance(exc, FetchError) and exc.retry_after is not None:
            return min(max(exc.retry_after, base), self.max_retry_after)
        return base

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = PAGE_ACCEPT,
    ) -> FetchResult:
        """GET ``url`` (see the module docstring); raises ``FetchError`` (a ``SourceError``)."""
        try:
            start = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise FetchError(url, f"not a valid URL ({exc})") from exc
        if start.scheme not in ("http", "https") or not start.host:
            raise FetchError(url, "only http and https URLs can be fetched")
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception(lambda e: isinstance(e, FetchError) and e.transient),
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                if attempt.retry_state.attempt_number > 1:
                    log.info("retrying %s (attempt %d)", url, attempt.retry_state.attempt_number)
                return await self._follow(start, headers)
        raise AssertionError("unreachable")  # pragma: no cover - reraise=True

    def _known_unresolved(self, url: httpx.URL) -> None:
        """Fail at once for a host whose name did not resolve a moment ago."""
        known = self._unresolved.get(url.host)
        if known is None:
            return
        until, reason = known
        if asyncio.get_running_loop().time() < until:
            raise FetchError(str(url), reason, unresolved=True)
        del self._unresolved[url.host]

    async def _follow(self, start: httpx.URL, headers: dict[str, str]) -> FetchResult:
        url = start
        for _hop in range(self.max_redirects + 1):
            self._known_unresolved(url)
            try:
                if self._guard is not None:
                    await self._guard(url)
                async with self._gate(url).slot(), asyncio.timeout(self.timeout):
                    self._known_unresolved(url)  # it may have failed while this one waited
                    result = await self._get(url, headers)
            except TimeoutError as exc:
                raise FetchError(
                    str(url), f"timed out after {self.timeout:g} s", transient=True
                ) from exc
            except FetchError as exc:
                if exc.unresolved:
                    until = asyncio.get_running_loop().time() + self._dns_negative_ttl
                    self._unresolved[url.host] = (until, exc.reason)
                    self._gate(url).waive()
                raise
            if isinstance(result, FetchResult):
                return result
            url = result
        raise FetchError(str(start), f"too many redirects (more than {self.max_redirects})")

    async def _get(self, url: httpx.URL, headers: dict[str, str]) -> FetchResult | httpx.URL:
        """One request: a result, or the URL a redirect points to."""
        where = str(url)
        try:
            request = self._client.build_request("GET", url, headers=headers)
            response = await self._client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            raise FetchError(where, f"timed out after {self.timeout:g} s", transient=True) from exc
        except httpx.TransportError as exc:
            if _unresolved(exc):
                raise FetchError(where, f"could not resolve {url.host}", unresolved=True) from exc
            reason = str(exc) or type(exc).__name__
            raise FetchError(where, f"could not connect ({reason})", transient=True) from exc
        try:
            status = response.status_code
            if status in _REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(where, f"HTTP {status} redirect without a Location")
                target = url.join(location)
                if target.scheme not in ("http", "https"):
                    raise FetchError(where, f"redirect to a non-http URL ({target.scheme}:)")
                return target
            if status == 304:
                return self._result(url, response, b"")
            if status >= 400 or status < 200:
                error = FetchError(
                    where,
                    f"HTTP {status} {response.reason_phrase}".strip(),
                    transient=status in _RETRY_STATUSES,
                    status=status,
                )
                error.retry_after = _retry_after(response.headers.get("Retry-After"))
                raise error
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(where, self._too_large())
            body = bytearray()
            try:
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise FetchError(where, self._too_large())
            except httpx.TimeoutException as exc:
                raise FetchError(
                    where, f"timed out after {self.timeout:g} s", transient=True
                ) from exc
            except httpx.DecodingError as exc:
                raise FetchError(where, f"could not decode the response ({exc})") from exc
            except httpx.TransportError as exc:
                reason = str(exc) or type(exc).__name__
                raise FetchError(where, f"connection lost ({reason})", transient=True) from exc
            return self._result(url, response, bytes(body))
        finally:
            await response.aclose()

    def _too_large(self) -> str:
        return f"response larger than {self.max_bytes / 2**20:.1f} MB; stopped reading"

    @staticmethod
    def _result(url: httpx.URL, response: httpx.Response, body: bytes) -> FetchResult:
        content_type = response.headers.get("Content-Type", "")
        media = content_type.split(";", 1)[0].strip().lower()
        charset = None
        for param in content_type.split(";")[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                charset = value.strip().strip("\"'") or None
        return FetchResult(
            url=str(url),
            status=response.status_code,
            content=body,
            content_type=media,
            charset=charset,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
        )
