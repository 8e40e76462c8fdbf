"""The HTTP server of `briefbot run` (adapters/http.py), over real TCP on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from adapters.http import bound_port, build_web_app, start_web_server

Health = Callable[[], Awaitable[dict[str, Any]]]


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[web.Application], Awaitable[str]]]:
    runners: list[web.AppRunner] = []

    async def _serve(app: web.Application) -> str:
        runner = await start_web_server(app, "127.0.0.1", 0)
        runners.append(runner)
        return f"http://127.0.0.1:{bound_port(runner)}"

    yield _serve
    for runner in runners:
        await runner.cleanup()


async def _get(url: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


async def test_healthz_reports_ok(serve: Callable[[web.Application], Awaitable[str]]) -> None:
    async def healthy() -> dict[str, Any]:
        return {"ok": True, "database": "ok", "slack": "connected"}

    base = await serve(build_web_app(healthy))
    assert await _get(f"{base}/healthz") == (
        200,
        {"ok": True, "database": "ok", "slack": "connected"},
    )


@pytest.mark.parametrize("report", [{"ok": False, "database": "down"}, {"database": "ok"}])
async def test_healthz_is_503_unless_ok_is_true(
    serve: Callable[[web.Application], Awaitable[str]], report: dict[str, Any]
) -> None:
    async def unhealthy() -> dict[str, Any]:
        return report

    base = await serve(build_web_app(unhealthy))
    status, body = await _get(f"{base}/healthz")
    assert status == 503
    assert body == {**report, "ok": False}


async def test_a_failing_health_check_is_503_without_details(
    serve: Callable[[web.Application], Awaitable[str]], caplog: pytest.LogCaptureFixture
) -> None:
    async def broken() -> dict[str, Any]:
        raise RuntimeError("password=hunter2 in a DSN")

    base = await serve(build_web_app(broken))
    status, body = await _get(f"{base}/healthz")
    assert (status, body) == (503, {"ok": False, "error": "health check failed"})
    assert "health check failed" in caplog.text  # logged for the operator, not shown


async def test_a_hanging_health_check_times_out(
    serve: Callable[[web.Application], Awaitable[str]],
) -> None:
    async def hangs() -> dict[str, Any]:
        await asyncio.sleep(30)
        return {"ok": True}

    base = await serve(build_web_app(hangs, health_timeout=0.1))
    assert await _get(f"{base}/healthz") == (
        503,
        {"ok": False, "error": "health check timed out"},
    )


async def test_adapters_can_mount_routes_and_the_port_is_discoverable(
    serve: Callable[[web.Application], Awaitable[str]],
) -> None:
    async def healthy() -> dict[str, Any]:
        return {"ok": True}

    app = build_web_app(healthy)

    async def echo(request: web.Request) -> web.Response:
        return web.Response(text=await request.text())

    app.router.add_post("/slack/events", echo)
    base = await serve(app)
    assert base.rsplit(":", 1)[1] != "0"
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/slack/events", data="hi") as response:
            assert (response.status, await response.text()) == (200, "hi")
        async with session.get(f"{base}/nope") as response:
            assert response.status == 404


async def test_metrics_are_served_in_prometheus_text_format(
    serve: Callable[[web.Application], Awaitable[str]],
) -> None:
    async def healthy() -> dict[str, Any]:
        return {"ok": True}

    base = await serve(build_web_app(healthy))  # the default source: bot.metrics
    async with aiohttp.ClientSession() as session, session.get(f"{base}/metrics") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=")
        body = await response.text()
    families = {
        line.split()[2] for line in body.splitlines() if line.startswith("# TYPE briefbot_")
    }
    assert {
        "briefbot_briefs_total",
        "briefbot_brief_seconds",
        "briefbot_ack_seconds",
        "briefbot_deliveries_total",
        "briefbot_feed_failures_total",
        "briefbot_summarize_seconds",
    } <= families
    assert 'briefbot_briefs_total{outcome="ok",platform="slack"}' in body


async def test_a_metrics_source_can_be_given(
    serve: Callable[[web.Application], Awaitable[str]],
) -> None:
    async def healthy() -> dict[str, Any]:
        return {"ok": True}

    def source() -> tuple[bytes, str]:
        return b"up 1\n", "text/plain; version=0.0.4; charset=utf-8"

    base = await serve(build_web_app(healthy, metrics=source))
    async with aiohttp.ClientSession() as session, session.get(f"{base}/metrics") as response:
        assert (response.status, await response.text()) == (200, "up 1\n")
        assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
