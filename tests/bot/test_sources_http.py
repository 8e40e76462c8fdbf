"""Our HTTP client against a real local server."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from bot.errors import UnsafeURL
from bot.sources.http import FetchError, HttpClient
from tests.support.web import LocalWeb

UA = "briefbot/test (+contact: ops@example.test)"


def client(**kw: object) -> HttpClient:
    options: dict[str, object] = {
        "user_agent": UA,
        "timeout": 2.0,
        "attempts": 1,
        "retry_wait": 0.01,
        "host_delay": 0.0,
    }
    options.update(kw)
    return HttpClient(**options)  # type: ignore[arg-type]


async def test_fetch_sends_our_user_agent_and_returns_the_body(local_web: LocalWeb) -> None:
    url = local_web.add("/page", "<html><body><p>Hello</p></body></html>")
    async with client() as c:
        result = await c.fetch(url)
    assert result.status == 200
    assert result.content_type == "text/html"
    assert result.charset == "utf-8"
    assert "Hello" in result.text()
    assert local_web.requests_for("/page")[0].headers["User-Agent"] == UA


async def test_conditional_get_returns_not_modified(local_web: LocalWeb) -> None:
    url = local_web.add(
        "/rss", "<rss/>", etag='"v1"', last_modified="Wed, 18 Jun 2025 09:00:00 GMT"
    )
    async with client() as c:
        first = await c.fetch(url)
        second = await c.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert (first.status, first.etag) == (200, '"v1"')
    assert second.not_modified
    assert second.content == b""
    sent = local_web.requests_for("/rss")[1].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Wed, 18 Jun 2025 09:00:00 GMT"


async def test_gzip_bodies_are_decoded(local_web: LocalWeb) -> None:
    text = "<p>" + "Seoul and Tokyo " * 500 + "</p>"
    url = local_web.add("/gz", text, gzip=True)
    async with client() as c:
        result = await c.fetch(url)
    assert result.text() == text
    assert "gzip" in local_web.requests_for("/gz")[0].headers["Accept-Encoding"]


async def test_redirects_are_followed_within_limits(local_web: LocalWeb) -> None:
    local_web.add("/final", "<p>here</p>")
    local_web.add_redirect("/hop1", "/final")
    start = local_web.add_redirect("/hop0", local_web.url("/hop1"), status=301)
    async with client() as c:
        result = await c.fetch(start)
    assert result.url == local_web.url("/final")

    for i in range(5):
        local_web.add_redirect(f"/loop{i}", f"/loop{i + 1}")
    async with client(max_redirects=3) as c:
        with pytest.raises(FetchError, match="too many redirects"):
            await c.fetch(local_web.url("/loop0"))


async def test_http_errors_are_one_clear_reason(local_web: LocalWeb) -> None:
    url = local_web.add("/gone", "nope", status=404)
    async with client() as c:
        with pytest.raises(FetchError) as info:
            await c.fetch(url)
    assert info.value.reason == "HTTP 404 Not Found"
    assert url in str(info.value)


async def test_transient_errors_are_retried(local_web: LocalWeb) -> None:
    url = local_web.add("/flaky", "busy", status=503)
    async with client(attempts=3) as c:
        with pytest.raises(FetchError, match="HTTP 503"):
            await c.fetch(url)
    assert local_web.hits("/flaky") == 3
    local_web.add("/missing", "", status=404)
    async with client(attempts=3) as c:
        with pytest.raises(FetchError):
            await c.fetch(local_web.url("/missing"))
    assert local_web.hits("/missing") == 1  # a 404 is not transient


async def test_a_hanging_server_times_out(local_web: LocalWeb) -> None:
    url = local_web.add_hang("/hang")
    started = time.monotonic()
    async with client(timeout=0.5) as c:
        with pytest.raises(FetchError, match="timed out"):
            await c.fetch(url)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "until-close"])
async def test_a_50_mb_body_is_cut_at_the_cap(local_web: LocalWeb, declared: bool) -> None:
    url = local_web.add_stream("/huge", 50 * 2**20, declare_length=declared)
    started = time.monotonic()
    async with client(max_bytes=2**20) as c:
        with pytest.raises(FetchError, match=r"larger than 1\.0 MB"):
            await c.fetch(url)
    assert time.monotonic() - started < 3  # stopped early, did not read 50 MB


async def test_a_huge_body_without_content_length_is_cut_while_streaming(
    local_web: LocalWeb,
) -> None:
    # gzip makes the decoded size unknown up front: the cap applies while reading.
    url = local_web.add("/bomb", b"a" * (8 * 2**20), gzip=True)
    async with client(max_bytes=2**20) as c:
        with pytest.raises(FetchError, match="larger than"):
            await c.fetch(url)


async def test_non_http_urls_are_refused() -> None:
    async with client() as c:
        with pytest.raises(FetchError, match="only http and https"):
            await c.fetch("file:///etc/passwd")


async def test_the_guard_sees_every_url_including_redirects(local_web: LocalWeb) -> None:
    local_web.add("/inside", "<p>secret</p>")
    start = local_web.add_redirect("/out", "/inside")
    seen: list[str] = []

    async def guard(url: httpx.URL) -> None:
        seen.append(url.path)
        if url.path == "/inside":
            raise UnsafeURL("That address is not allowed.")

    async with client(guard=guard) as c:
        with pytest.raises(UnsafeURL):
            await c.fetch(start)
    assert seen == ["/out", "/inside"]
    assert local_web.hits("/inside") == 0


async def test_requests_to_one_host_are_spaced_and_limited(local_web: LocalWeb) -> None:
    for i in range(4):
        local_web.add(f"/p{i}", "<p>x</p>", delay=0.05)
    async with client(per_host=1, host_delay=0.1) as c:
        started = time.monotonic()
        await asyncio.gather(*(c.fetch(local_web.url(f"/p{i}")) for i in range(4)))
        elapsed = time.monotonic() - started
    # one at a time, starts at least 0.1 s apart: >= 3 gaps of 0.1 s plus the last request
    assert elapsed >= 0.3


async def test_charset_from_meta_when_the_header_has_none(local_web: LocalWeb) -> None:
    body = '<html><head><meta charset="euc-kr"></head><body>서울</body></html>'.encode("euc-kr")
    url = local_web.add("/kr", body, content_type="text/html")
    async with client() as c:
        result = await c.fetch(url)
    assert "서울" in result.text()
