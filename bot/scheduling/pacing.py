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

    *Global* (many posts a second) posts overlap: turns come an interval apart on a fixed
    grid (a turn taken a few milliseconds late does not push every later one back), and a
    post starts only while fewer than the budget's posts per second are in flight or ended
    within the last second, so however the event loop bunches them, no second at the
    platform sees more.
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


# Discord allows 50 requests/s per bot (interaction callbacks are not counted, and posts are
# admitted closed-loop, see ``posting``, so the whole budget can be used); Slack about one
# message per second per channel.
DEFAULT_PACING: Mapping[str, Pacing] = {
    "discord": Pacing(global_per_second=50.0),
    "slack": Pacing(per_channel_per_second=1.0),
}


class _Budget:
    __slots__ = (
        "cap",
        "changed",
        "closed_loop",
        "ends",
        "in_flight",
        "interval",
        "last",
        "lock",
        "next_free",
    )

    def __init__(self, interval: float, *, closed_loop: bool) -> None:
        self.interval = interval
        self.closed_loop = closed_loop
        self.cap = max(1, round(1.0 / interval))  # global: posts that may overlap any second
        self.next_free = 0.0  # reservations (``wait``)
        self.last = float("-inf")  # per channel: the previous post's end; global: its turn
        self.ends: collections.deque[float] = collections.deque()  # global: recent ends
        self.in_flight = 0
        self.changed = asyncio.Event()  # global: a post ended
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
        shared = [budget for budget in budgets if not budget.closed_loop]
        async with contextlib.AsyncExitStack() as held:
            for budget in closed:  # a post holds one channel: no lock-order cycles
                await held.enter_async_context(budget.lock)
                delay = budget.last + budget.interval - self._now()
                if delay > 0:
                    await asyncio.sleep(delay)
            for budget in shared:
                await self._admit(budget)
            try:
                yield
            finally:
                now = self._now()
                for budget in closed:
                    budget.last = now
                for budget in shared:
                    budget.in_flight -= 1
                    budget.ends.append(now)
                    budget.changed.set()

    async def _admit(self, budget: _Budget) -> None:
        """A turn on a shared (global) budget.

        Turns come an interval apart on a fixed grid, so a turn taken a few milliseconds late
        does not push every later one back.  And a post starts only while fewer than ``cap``
        posts are in flight or ended within the last second: a request reaches the platform
        between its start and its end, so no second at the platform can see more than ``cap``
        of them, however late or bunched up the event loop ran them.
        """
        async with budget.lock:
            now = self._now()
            turn = max(budget.last + budget.interval, now - budget.interval)
            if turn > now:
                await asyncio.sleep(turn - now)
            budget.last = turn
            while True:
                now = self._now()
                while budget.ends and budget.ends[0] <= now - 1.0:
                    budget.ends.popleft()
                if budget.in_flight + len(budget.ends) < budget.cap:
                    break
                budget.changed.clear()
                expires = budget.ends[0] + 1.0 - now if budget.ends else None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(budget.changed.wait(), expires)
            budget.in_flight += 1
