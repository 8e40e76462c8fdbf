"""A real HTTP server on 127.0.0.1 serving feeds and pages with controllable behaviour.

    with LocalWeb() as web:                       # or the ``local_web`` fixture
        feed = web.add("/rss", rss_xml, content_type="application/rss+xml", etag='"v1"')
        web.add("/page/1", html)                  # 200 text/html
        web.add("/gone", "", status=404)
        web.add_hang("/slow")                     # accepts, then never answers
        web.add_stream("/huge", 50 * 2**20)       # 50 MB, streamed, never held in memory
        web.add_redirect("/old", "/page/1")
        ...
        web.hits("/rss"); web.requests[-1].headers["If-None-Match"]

Routes answer ``If-None-Match`` / ``If-Modified-Since`` with 304 when they carry an ETag or
Last-Modified, gzip their body when the client accepts it (``gzip=True``), and can be
replaced at any time (``add`` again).  Every request is recorded.  The server runs in a
daemon thread, so sync and async clients alike can use it.
"""

from __future__ import annotations

import gzip as gzip_module
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    delay: float = 0.0  # seconds before answering
    hang: bool = False  # never answer (until the server stops)
    stream_size: int | None = None  # stream this many bytes of filler instead of ``body``
    declare_length: bool = True  # send Content-Length with a stream (else: read until close)
    redirect_to: str | None = None


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: Mapping[str, str]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    web: LocalWeb


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def do_GET(self) -> None:
        self._answer(head=False)

    def _answer(self, *, head: bool) -> None:
        web = self.server.web
        path = self.path
        web._record(RecordedRequest(self.command, path, dict(self.headers.items())))
        route = web._route(path)
        if route is None:
            self._send(404, b"not found", "text/plain", {})
            return
        if route.hang:
            web._stopping.wait(60)
            self.close_connection = True
            return
        if route.delay:
            time.sleep(route.delay)
        if route.redirect_to is not None:
            self._send(route.status or 302, b"", "text/plain", {"Location": route.redirect_to})
            return
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        if route.status == 200 and self._not_modified(route):
            self._send(304, b"", None, headers, head=True)
            return
        if route.stream_size is not None:
            self._stream(route, headers, head=head)
            return
        body = route.body
        if route.gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip_module.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._send(route.status, body, route.content_type, headers, head=head)

    def _not_modified(self, route: Route) -> bool:
        inm = self.headers.get("If-None-Match")
        if route.etag and inm is not None:
            return route.etag in [tag.strip() for tag in inm.split(",")]
        ims = self.headers.get("If-Modified-Since")
        return bool(route.last_modified and ims == route.last_modified)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str | None,
        headers: Mapping[str, str],
        *,
        head: bool = False,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0" if status == 304 else str(len(body)))
        self.end_headers()
        if not head and status != 304:
            self.wfile.write(body)

    def _stream(self, route: Route, headers: Mapping[str, str], *, head: bool) -> None:
        size = route.stream_size or 0
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        if route.declare_length:
            self.send_header("Content-Length", str(size))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        chunk = (b"<p>" + b"filler " * 9362 + b"</p>\n")[: 64 * 1024]
        sent = 0
        try:
            while sent < size:
                piece = chunk[: size - sent]
                self.wfile.write(piece)
                sent += len(piece)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: what a body-size cap does
        self.close_connection = True


class LocalWeb:
    """The server (see the module docstring).  ``base_url`` has no trailing slash."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.requests: list[RecordedRequest] = []
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.web = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def host(self) -> str:
        """``127.0.0.1:PORT``: what a URL of this server carries as its netloc."""
        return self.base_url.removeprefix("http://")

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> LocalWeb:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    def __enter__(self) -> LocalWeb:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # ---------------------------------------------------------------- routes

    def add(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: Mapping[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        gzip: bool = False,
        delay: float = 0.0,
    ) -> str:
        """Serve ``body`` at ``path`` (replacing what was there); returns the full URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        return self._put(
            path,
            Route(
                body=data,
                status=status,
                content_type=content_type,
                headers=dict(headers or {}),
                etag=etag,
                last_modified=last_modified,
                gzip=gzip,
                delay=delay,
            ),
        )

    def add_hang(self, path: str) -> str:
        """Accept the connection and never answer (a hanging server)."""
        return self._put(path, Route(hang=True))

    def add_stream(
        self,
        path: str,
        size: int,
        *,
        content_type: str = "text/html; charset=utf-8",
        declare_length: bool = True,
    ) -> str:
        """Stream ``size`` bytes of HTML filler, generated on the fly (``declare_length=False``:
        no Content-Length, the body ends when the connection closes)."""
        return self._put(
            path,
            Route(stream_size=size, content_type=content_type, declare_length=declare_length),
        )

    def add_redirect(self, path: str, to: str, *, status: int = 302) -> str:
        return self._put(path, Route(status=status, redirect_to=to))

    def remove(self, path: str) -> None:
        with self._lock:
            self._routes.pop(path, None)

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r.path == path)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _put(self, path: str, route: Route) -> str:
        with self._lock:
            self._routes[path] = route
        return self.url(path)

    def _route(self, path: str) -> Route | None:
        with self._lock:
            return self._routes.get(path) or self._routes.get(path.split("?", 1)[0])

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)


@pytest.fixture
def local_web() -> Iterator[LocalWeb]:
    """A fresh ``LocalWeb`` for one test."""
    with LocalWeb() as web:
        yield web
