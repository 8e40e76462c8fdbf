"""AcksFirst: in a burst, a command's work after its ack waits until every command that arrived
is acknowledged and none has arrived for ``quiet`` seconds (at most ``longest``); a command
alone never waits.  Real event loop and timers; the bounds are wide so a loaded machine does
not decide the outcome (quiet 0.3 s, longest 1.5 s; "no wait" is under 0.15 s)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable

from adapters.acks_first import AcksFirst

QUIET, LONGEST, AT_ONCE = 0.3, 1.5, 0.15


async def _seconds(waiting: Awaitable[object]) -> float:
    started = time.perf_counter()
    await waiting
    return time.perf_counter() - started


def _gate() -> AcksFirst:
    return AcksFirst(quiet=QUIET, longest=LONGEST)


async def test_a_command_alone_starts_its_work_at_once() -> None:
    gate = _gate()
    first = gate.arrived()
    first.acked()
    assert await _seconds(first.settled()) < AT_ONCE
    first.done()
    second = gate.arrived()  # right after, the first one finished: still alone
    assert await _seconds(second.settled()) < AT_ONCE
    second.done()


async def test_a_burst_waits_for_quiet_after_its_last_arrival() -> None:
    gate = _gate()
    burst = [gate.arrived() for _ in range(5)]
    for arrival in burst:
        arrival.acked()
    waits = await asyncio.gather(*(_seconds(arrival.settled()) for arrival in burst))
    assert all(QUIET * 0.9 <= wait < LONGEST for wait in waits), waits
    # one timer wakes them all together
    assert max(waits) - min(waits) < AT_ONCE
    for arrival in burst:
        arrival.done()
    assert await _seconds(gate.lull()) < AT_ONCE  # nobody in flight: the reply goes at once


async def test_work_waits_until_the_other_command_is_acknowledged() -> None:
    gate = _gate()
    ours, other = gate.arrived(), gate.arrived()
    ours.acked()

    async def ack_later() -> None:
        await asyncio.sleep(QUIET * 2)
        other.acked()

    later = asyncio.create_task(ack_later())
    wait = await _seconds(ours.settled())
    await later
    assert QUIET * 2 * 0.9 <= wait < LONGEST, wait
    ours.done()
    other.done()


async def test_a_command_never_acknowledged_holds_the_others_at_most_longest() -> None:
    gate = _gate()
    ours, stuck = gate.arrived(), gate.arrived()
    ours.acked()
    wait = await _seconds(ours.settled())
    assert LONGEST * 0.9 <= wait < LONGEST + 1.0, wait
    stuck.done()  # it ended without an ack: it no longer counts
    ours.done()
    after = gate.arrived()
    assert await _seconds(after.settled()) < AT_ONCE
    after.done()


async def test_commands_acknowledged_on_arrival_wait_for_the_quiet_only() -> None:
    # Slack's shape: Bolt has acked before the work is scheduled
    gate = _gate()
    burst = [gate.arrived(acked=True) for _ in range(4)]
    waits = await asyncio.gather(*(_seconds(arrival.settled()) for arrival in burst))
    assert all(QUIET * 0.9 <= wait < LONGEST for wait in waits), waits
    for arrival in burst:
        arrival.done()
