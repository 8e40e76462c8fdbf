"""Acknowledgements first: in a burst of commands, the work after each ack waits for a lull.

A command's work after its acknowledgement (the core call in a worker thread, rendering, the
reply) does not have to start at once: the user already sees that the command was taken
(Discord's "thinking…", Slack's empty ack).  In a burst (a server all asking at 9:00) starting
it at once costs the commands still to be acknowledged: the worker threads take the GIL from
the event loop (each socket call the loop makes may then wait out a thread's time slice, 5 ms)
and the replies take the loop's time, just when the loop has the burst's acks to send
(``benchmarks/discord_ack.py``, ``benchmarks/slack_ack.py``).

So a command's work waits (:meth:`Arrival.settled`) while other commands are still before
theirs: until every command that arrived is acknowledged and none has arrived for ``quiet``
seconds, and never longer than ``longest`` after the first waiter began.  A command alone, or
one whose ack came after a lull, does not wait at all.  One timer per lull wakes every waiter
at once.  Both adapters use it: Discord counts a command acknowledged when its ``defer`` is
sent, Slack when Bolt has its ack (``arrived(acked=True)``).
"""

from __future__ import annotations

import asyncio
import math
import time

QUIET_SECONDS = 0.02
LONGEST_WAIT_SECONDS = 0.5


class AcksFirst:
    """The commands in flight between their arrival and the start of their work
    (:meth:`arrived` hands each an :class:`Arrival`); one event loop at a time."""

    def __init__(
        self, *, quiet: float = QUIET_SECONDS, longest: float = LONGEST_WAIT_SECONDS
    ) -> None:
        self._quiet = quiet
        self._longest = longest
        self._unacked = 0  # arrived, not acknowledged (nor done)
        self._before_work = 0  # arrived, not settled (nor done)
        self._last = -math.inf  # perf_counter of the latest arrival
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lull = asyncio.Event()
        self._timer: asyncio.TimerHandle | None = None  # at the end of ``quiet``
        self._deadline: asyncio.TimerHandle | None = None  # ``longest`` after the first waiter

    def arrived(self, *, acked: bool = False) -> Arrival:
        """A command arrived (``acked``: and was acknowledged already)."""
        self._before_work += 1
        self._unacked += 0 if acked else 1
        self._last = time.perf_counter()
        loop = asyncio.get_running_loop()
        if loop is not self._loop:  # a new event loop (tests run one per test)
            self._loop, self._lull, self._timer, self._deadline = loop, asyncio.Event(), None, None
        self._lull.clear()
        if self._timer is None:
            self._timer = loop.call_later(self._quiet, self._check)
        return Arrival(self, acked=acked)

    async def lull(self, *, others: int = 0) -> None:
        """Return at once when at most ``others`` commands are in flight before their work,
        or in a lull; else when the lull comes, or ``longest`` seconds after the first
        command began to wait for it."""
        if self._before_work <= others or self._quiet_now() or self._loop is None:
            return
        if self._deadline is None and not self._lull.is_set():
            self._deadline = self._loop.call_later(self._longest, self._release)
        await self._lull.wait()

    def _quiet_now(self) -> bool:
        return not self._unacked and time.perf_counter() - self._last >= self._quiet

    def _check(self) -> None:
        """The timer: the lull once ``quiet`` has passed (or the last ack, if that is later)."""
        self._timer = None
        left = self._last + self._quiet - time.perf_counter()
        if left > 0 and self._loop is not None:
            self._timer = self._loop.call_later(left, self._check)
        elif not self._unacked:
            self._release()

    def _release(self) -> None:
        """The lull (or ``longest`` since the first waiter): every waiter goes."""
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        self._lull.set()

    def _acked(self) -> None:
        self._unacked = max(self._unacked - 1, 0)
        if not self._unacked and self._timer is None:
            self._check()

    def _left(self) -> None:
        self._before_work = max(self._before_work - 1, 0)


class Arrival:
    """One command in flight: :meth:`acked` once acknowledged, :meth:`settled` before the work
    that follows, :meth:`done` when it ends in any case (each counts once)."""

    __slots__ = ("_acked", "_gate", "_left")

    def __init__(self, gate: AcksFirst, *, acked: bool = False) -> None:
        self._gate = gate
        self._acked = acked
        self._left = False

    def acked(self) -> None:
        if not self._acked:
            self._acked = True
            self._gate._acked()

    async def settled(self) -> None:
        """After the ack: returns when this command's work may start."""
        self.acked()
        if not self._left:
            await self._gate.lull(others=1)
        self._leave()

    def done(self) -> None:
        self.acked()
        self._leave()

    def _leave(self) -> None:
        if not self._left:
            self._left = True
            self._gate._left()
