"""Pacing a fan-out under the platforms' rate limits, instead of bouncing off them.

When thousands of subscriptions fall due in the same minute, posting them all at once would
make the platform answer 429 for most of them.  The adapters' HTTP layers do retry on 429
with ``Retry-After``, but on Discord 10,000 invalid (401/403/429) requests in ten minutes get
the bot's IP banned, so the scheduler spaces its own posts out to stay under the limits:

* Discord: a global budget per bot (50 requests/s; we pace a little below it);
* Slack: ``chat.postMessage`` allows about one message per second per channel.

A ``Pacer`` hands out *reservations*: each post gets the next free moment on each budget it
uses, and sleeps until then.  Waiting costs a sleeping coroutine, not a worker.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.models import ChannelRef

__all__ = ["DEFAULT_PACING", "Pacer", "Pacing"]


@dataclass(frozen=True, slots=True)
class Pacing:
    """Budgets for one platform: posts per second overall and per channel (None: no limit)."""

    global_per_second: float | None = None
    per_channel_per_second: float | None = None


# Discord allows 50 requests/s per bot; a 4% margin absorbs event-loop jitter so that no
# one-second window sees a 51st request.  Slack allows ~1 message/s per channel.
DEFAULT_PACING: Mapping[str, Pacing] = {
    "discord": Pacing(global_per_second=48.0),
    "slack": Pacing(per_channel_per_second=1.0),
}


class Pacer:
    """Reservation-based spacing of posts, per platform and per channel."""

    def __init__(
        self, pacing: Mapping[str, Pacing], *, time: Callable[[], float] | None = None
    ) -> None:
        self._pacing = dict(pacing)
        self._time = time  # the event loop's clock unless given (tests)
        self._next: dict[tuple[str, ...], float] = {}

    def _now(self) -> float:
        return self._time() if self._time else asyncio.get_running_loop().time()

    def reserve(self, channel: ChannelRef) -> float:
        """The moment (loop time) this post may go out; books it on every budget."""
        pacing = self._pacing.get(channel.platform)
        now = self._now()
        if pacing is None:
            return now
        budgets: list[tuple[tuple[str, ...], float]] = []
        if pacing.global_per_second:
            budgets.append(((channel.platform,), 1.0 / pacing.global_per_second))
        if pacing.per_channel_per_second:
            channel_key = (channel.platform, channel.workspace_id or "", channel.channel_id)
            budgets.append((channel_key, 1.0 / pacing.per_channel_per_second))
        at = max([now, *(self._next.get(key, now) for key, _ in budgets)])
        for key, interval in budgets:
            self._next[key] = at + interval
        if len(self._next) > 50_000:
            self._forget(now)
        return at

    def _forget(self, now: float) -> None:
        for key in [key for key, at in self._next.items() if at <= now]:
            del self._next[key]

    async def wait(self, channel: ChannelRef) -> None:
        """Sleep until this post's reserved moment."""
        delay = self.reserve(channel) - self._now()
        if delay > 0:
            await asyncio.sleep(delay)
