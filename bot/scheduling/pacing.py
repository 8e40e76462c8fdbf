"""Pacing a fan-out under the platforms' rate limits, instead of bouncing off them.

When thousands of subscriptions fall due in the same minute, posting them all at once would
make the platform answer 429 for most of them.  The adapters' HTTP layers do retry on 429
with ``Retry-After``, but on Discord 10,000 invalid (401/403/429) requests in ten minutes get
the bot's IP banned, so the scheduler spaces its own posts out to stay under the limits:

* Discord: a global budget per bot (50 requests/s; we pace a little below it);
* Slack: ``chat.postMessage`` allows about one message per second per channel.

Two steps per post:

``wait(channel, lead=...)``
    books the post's place on each budget and sleeps until shortly before its turn; the
    caller then builds the briefing.  Briefings are composed just in time, so a fan-out of
    10,000 holds a few dozen in memory, not 10,000.
``async with posting(channel):``
    the gate around the platform call itself.

    *Per channel* (one post a second) the gate is closed-loop: posts to a channel go one at a
    time, and the next starts a full interval after the previous one *finished*, so however
    late the event loop runs, two posts never arrive at the platform closer than the limit
    (and a 429 retry inside the adapter cannot overlap the next post either).

    *Global* (many posts a second) it is open-loop: turns an interval apart on a fixed grid,
    so a turn taken a few milliseconds late does not push every later one back (the pace
    holds), plus a hard cap of the budget's whole number of posts in any one second, so posts
    held up and then released together cannot bunch up.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass

from bot.models import ChannelRef

__all__ = ["DEFAULT_PACING", "Pacer", "Pacing"]


@dataclass(frozen=True, slots=True)
class Pacing:
    """Budgets for one platform: posts per second overall and per channel (None: no limit)."""

    global_per_second: float | None = None
    per_channel_per_second: float | None = None


# Discord allows 50 requests/s per bot (48: room for the jitter between a post leaving here
# and arriving there); Slack about one message per second per channel.
DEFAULT_PACING: Mapping[str, Pacing] = {
    "discord": Pacing(global_per_second=48.0),
    "slack": Pacing(per_channel_per_second=1.0),
}


class _Budget:
    __slots__ = ("cap", "closed_loop", "interval", "last", "lock", "next_free", "starts")

    def __init__(self, interval: float, *, closed_loop: bool) -> None:
        self.interval = interval
        self.closed_loop = closed_loop
        self.cap = max(1, int(1.0 / interval))  # open loop: starts in any one second
        self.next_free = 0.0  # reservations (``wait``)
        self.last = float("-inf")  # closed loop: the previous post's end; open: its turn
        self.starts: collections.deque[float] = collections.deque()
        self.lock = asyncio.Lock()


class Pacer:
    """Spacing of posts, per platform and per channel (see the module docstring)."""

    def __init__(
        self, pacing: Mapping[str, Pacing], *, time: Callable[[], float] | None = None
    ) -> None:
        self._pacing = dict(pacing)
        self._time = time  # the event loop's clock unless given (tests)
        self._budgets: dict[tuple[str, ...], _Budget] = {}

    def _now(self) -> float:
        return self._time() if self._time else asyncio.get_running_loop().time()

    def _budgets_of(self, channel: ChannelRef) -> list[_Budget]:
        pacing = self._pacing.get(channel.platform)
        if pacing is None:
            return []
        wanted: list[tuple[tuple[str, ...], float, bool]] = []
        if pacing.per_channel_per_second:
            channel_key = (channel.platform, channel.workspace_id or "", channel.channel_id)
            wanted.append((channel_key, 1.0 / pacing.per_channel_per_second, True))
        if pacing.global_per_second:  # last: the gate nearest the platform call
            wanted.append(((channel.platform,), 1.0 / pacing.global_per_second, False))
        budgets = []
        for key, interval, closed_loop in wanted:
            budget = self._budgets.get(key)
            if budget is None:
                if len(self._budgets) > 50_000:
                    self._forget()
                budget = self._budgets[key] = _Budget(interval, closed_loop=closed_loop)
            budgets.append(budget)
        return budgets

    def _forget(self) -> None:
        now = self._now()
        for key in [
            key
            for key, budget in self._budgets.items()
            if budget.next_free <= now
            and budget.last + budget.interval <= now
            and not budget.lock.locked()
        ]:
            del self._budgets[key]

    def reserve(self, channel: ChannelRef) -> float:
        """The moment (loop time) this post's turn should come; books it on every budget."""
        budgets = self._budgets_of(channel)
        now = self._now()
        at = max([now, *(budget.next_free for budget in budgets)])
        for budget in budgets:
            budget.next_free = at + budget.interval
        return at

    async def wait(self, channel: ChannelRef, *, lead: float = 0.0) -> None:
        """Reserve, and sleep until ``lead`` seconds before the reserved moment."""
        delay = self.reserve(channel) - lead - self._now()
        if delay > 0:
            await asyncio.sleep(delay)

    @contextlib.asynccontextmanager
    async def posting(self, channel: ChannelRef) -> AsyncIterator[None]:
        """Around one platform call: returns when it may start, records when it ended."""
        budgets = self._budgets_of(channel)
        closed = [budget for budget in budgets if budget.closed_loop]
        async with contextlib.AsyncExitStack() as held:
            for budget in closed:  # a post holds one channel: no lock-order cycles
                await held.enter_async_context(budget.lock)
                delay = budget.last + budget.interval - self._now()
                if delay > 0:
                    await asyncio.sleep(delay)
            for budget in budgets:
                if not budget.closed_loop:
                    await self._open_turn(budget)
            try:
                yield
            finally:
                for budget in closed:
                    budget.last = self._now()

    async def _open_turn(self, budget: _Budget) -> None:
        async with budget.lock:
            now = self._now()
            turn = max(budget.last + budget.interval, now - budget.interval)
            if turn > now:
                await asyncio.sleep(turn - now)
            budget.last = turn
            now = self._now()
            while budget.starts and budget.starts[0] <= now - 1.0:
                budget.starts.popleft()
            if len(budget.starts) >= budget.cap:
                await asyncio.sleep(budget.starts[0] + 1.0 - now)
                budget.starts.popleft()
            budget.starts.append(self._now())
