"""The aiohttp lifecycle the fakes share: serve ``app()`` on 127.0.0.1, on a free port."""

from __future__ import annotations

from typing import Self

from aiohttp import web


class LocalAiohttpServer:
    """``start``/``stop`` and ``async with`` for a fake that builds its routes in ``app()``.

    A subclass sets ``port = 0``, ``_runner = None`` and ``_sockets = []`` (the websockets it
    holds open, closed on ``stop``) in its own ``__init__``/``__post_init__``.
    """

    port: int
    _runner: web.AppRunner | None
    _sockets: list[web.WebSocketResponse]

    def app(self) -> web.Application:
        raise NotImplementedError

    async def start(self) -> Self:
        self._runner = web.AppRunner(self.app(), handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = next(int(a[1]) for a in self._runner.addresses if isinstance(a, tuple))
        return self

    async def stop(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
