"""The HTTP server of ``briefbot run`` (aiohttp): ``GET /healthz`` and what adapters mount.

    GET  /healthz        200 with the health report when it says ``"ok": true``, else 503
    GET  /metrics        Prometheus text format (``bot.metrics``)
    POST /slack/events   mounted by ``adapters.slack.SlackAdapter.mount`` (HTTP mode)

The composition root builds the app, lets adapters mount their routes, then starts it::

    app = build_web_app(health)
    slack.mount(app)
    runner = await start_web_server(app, settings.http_host, settings.http_port)
    ...
    await runner.cleanup()

``health`` is an async callable returning a JSON-serialisable dict with an ``"ok"`` boolean
(e.g. ``{"ok": true, "database": "ok", "slack": "connected"}``).  It must never contain
secrets; a health callable that raises or hangs is reported as unhealthy, never as a traceback.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.metrics import exposition

log = logging.getLogger(__name__)

HealthCheck = Callable[[], Awaitable[dict[str, Any]]]

HEALTH_TIMEOUT_SECONDS = 5.0
SHUTDOWN_TIMEOUT_SECONDS = 5.0  # in-flight requests get this long at shutdown (run: <= 10 s)

_HEALTH: web.AppKey[HealthCheck] = web.AppKey("briefbot_health")
_HEALTH_TIMEOUT = web.AppKey("briefbot_health_timeout", float)
MetricsSource = Callable[[], tuple[bytes, str]]  # -> (body, content type)
_METRICS: web.AppKey[MetricsSource] = web.AppKey("briefbot_metrics")


def build_web_app(
    health: HealthCheck,
    *,
    health_timeout: float = HEALTH_TIMEOUT_SECONDS,
    metrics: MetricsSource = exposition,
) -> web.Application:
    """The aiohttp application with ``GET /healthz`` and ``GET /metrics``; adapters add their
    routes before start."""
    app = web.Application()
    app[_HEALTH] = health
    app[_HEALTH_TIMEOUT] = health_timeout
    app[_METRICS] = metrics
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/metrics", _metrics)
    return app


async def start_web_server(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Serve ``app`` on ``host:port`` (port 0: any free port) and return the runner.

    The bound address is ``runner.addresses[0]`` (see :func:`bound_port`).  Stop the server
    with ``await runner.cleanup()``.
    """
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT_SECONDS)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    log.info("HTTP server listening on %s:%s", host, bound_port(runner))
    return runner


def bound_port(runner: web.AppRunner) -> int:
    """The TCP port a started runner listens on (useful when it was started on port 0)."""
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    raise RuntimeError("the web server is not listening on a TCP port")


async def _healthz(request: web.Request) -> web.Response:
    health, timeout = request.app[_HEALTH], request.app[_HEALTH_TIMEOUT]
    try:
        report = await asyncio.wait_for(health(), timeout)
    except TimeoutError:
        log.warning("health check did not answer within %ss", timeout)
        return web.json_response({"ok": False, "error": "health check timed out"}, status=503)
    except Exception:
        log.exception("health check failed")
        return web.json_response({"ok": False, "error": "health check failed"}, status=503)
    healthy = report.get("ok") is True
    return web.json_response({**report, "ok": healthy}, status=200 if healthy else 503)


async def _metrics(request: web.Request) -> web.Response:
    body, content_type = request.app[_METRICS]()
    response = web.Response(body=body)
    response.headers["Content-Type"] = content_type  # with its version and charset parameters
    return response
