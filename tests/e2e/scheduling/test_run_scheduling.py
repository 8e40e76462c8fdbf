"""Scheduled briefings through real `briefbot run` processes and the fakes of Slack and Discord.

* Restart: a process SIGKILLed in the middle of a fan-out (one post accepted by the platform but
  not yet answered) and started again: every due briefing delivered, none twice.  On Slack the
  replica taking over finds the earlier post by its metadata; on Discord it posts again with
  the same nonces and Discord answers with the messages it already has.
* Replicas: three processes on one PostgreSQL, subscriptions due every minute, the replica
  holding claims SIGKILLed midway: every minute slot posted exactly once.

Counted at the fakes, by the delivery key each scheduled message carries (Slack: metadata;
Discord: the nonce).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.scheduling import delivery_key
from bot.store import Store
from bot.store.schema import Delivery
from bot.topics import TopicRegistry
from tests.e2e.scheduling.bot_process import (
    LEASE_SECONDS,
    BotProcess,
    SlowDiscord,
    SlowSlack,
    discord_run_env,
    run_env,
    wait_for,
)
from tests.support.scheduling import add_articles, add_subscription

pytestmark = pytest.mark.slow


def rows(store: Store) -> list[Delivery]:
    with store.session(write=False) as session:
        found = list(session.scalars(select(Delivery).order_by(Delivery.id)))
        for row in found:
            session.expunge(row)
        return found


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    with Store.open(database_url) as opened:
        add_articles(opened, TopicRegistry.default())
        yield opened


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_sigkill_mid_fan_out_then_restart_delivers_everything_once(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    slot = now.replace(second=0, microsecond=0)
    subs = [
        add_subscription(
            store,
            channel=f"C{n % 3}",
            at=f"{slot:%H:%M}",
            timezone="UTC",
            topic=("korea-japan", "japan", "korea")[n // 3],
            created_at=now - timedelta(days=1),
        )
        for n in range(9)
    ]  # 9 briefings due now, 3 per channel: paced a second apart per channel
    expected = {delivery_key(sid, slot) for sid in subs}
    slack = await SlowSlack(reply_delay=0.5).start()
    env = run_env(slack, database_url, tmp_path)
    first = BotProcess(env, "first")
    second = BotProcess(env, "second")
    try:
        await first.start()
        await first.ready()
        # Kill the moment Slack has taken a 4th briefing: its answer is still on the way.
        await wait_for(lambda: sum(slack.delivery_keys().values()) >= 4, 30, "four posts")
        await first.kill()
        posted_before_restart = sum(slack.delivery_keys().values())
        unfinished = [row for row in rows(store) if row.status != "sent"]
        assert unfinished, "the fan-out was over before the kill"
        assert any(row.status == "posting" for row in unfinished)

        await second.start()
        await second.ready()
        await wait_for(
            lambda: set(slack.delivery_keys()) >= expected, 30 + LEASE_SECONDS, "all posts"
        )
        await asyncio.sleep(2)  # anything posted twice would show up now
        assert await second.stop() == 0
    finally:
        for process in (first, second):
            await process.ensure_stopped()
        await slack.stop()

    keys = slack.delivery_keys()
    assert set(keys) == expected
    assert all(count == 1 for count in keys.values()), keys
    assert posted_before_restart < len(expected)
    final = rows(store)
    assert {row.status for row in final} == {"sent"}
    assert {row.subscription_id for row in final} == set(subs)
    # the post that was on the wire when the first process died was found, not repeated
    assert "was already posted" in second.log
    assert "took over delivery" in second.log


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_discord_sigkill_mid_fan_out_then_restart_delivers_everything_once(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    slot = now.replace(second=0, microsecond=0)
    # Discord forgets a nonce long before the second process takes the claims over (one
    # lease later): only the channel's history can tell it what is already there.
    discord = await SlowDiscord(
        reply_delay=1.5, nonce_window=1.0, channel_ids=[300000000000000001 + n for n in range(3)]
    ).start()
    expected = {
        (channel, topic)
        for channel in discord.channel_ids
        for topic in ("korea-japan", "japan", "korea")
    }  # 9 briefings due now, 3 per channel
    subs = [
        add_subscription(
            store,
            platform="discord",
            channel=channel,
            workspace=discord.guild_ids[0],
            at=f"{slot:%H:%M}",
            timezone="UTC",
            topic=topic,
            created_at=now - timedelta(days=1),
        )
        for channel, topic in sorted(expected)
    ]
    env = discord_run_env(discord, database_url, tmp_path)
    first = BotProcess(env, "first")
    second = BotProcess(env, "second")
    try:
        await first.start()
        await first.ready()
        # Kill once Discord has created messages whose answers are still on the way.
        await wait_for(lambda: sum(discord.briefings().values()) >= 1, 30, "a post")
        await first.kill()
        unfinished = [row for row in rows(store) if row.status != "sent"]
        assert any(row.status == "posting" for row in unfinished), "nothing was on the wire"

        await second.start()
        await second.ready()
        await wait_for(
            lambda: (
                {row.status for row in rows(store)} == {"sent"} and len(rows(store)) == len(subs)
            ),
            40 + LEASE_SECONDS,
            "every slot recorded as sent",
        )
        await asyncio.sleep(2)  # anything posted twice would show up now
        assert await second.stop() == 0
    finally:
        for process in (first, second):
            await process.ensure_stopped()
        await discord.stop()

    briefings = discord.briefings()
    assert set(briefings) == expected
    assert {row.subscription_id for row in rows(store)} == set(subs)
    assert all(count == 1 for count in briefings.values()), briefings
    # the posts on the wire when the first process died were found in the channel's history
    # (by their marker), not repeated
    assert "was already posted" in second.log
    assert discord.nonce_replays == 0
    assert "took over delivery" in second.log
    assert "may appear twice" not in second.log


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_three_replicas_post_each_minute_slot_once_when_one_is_killed(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    subs = [
        add_subscription(
            store,
            channel=f"C{n % 3}",
            cron="* * * * *",
            timezone="UTC",
            topic=("korea-japan", "japan", "korea", "us-china")[n // 3],
            created_at=now - timedelta(days=1),
        )
        for n in range(12)
    ]  # 12 briefings every minute, 4 per channel
    slack = await SlowSlack(reply_delay=0.3).start()
    env = run_env(slack, database_url, tmp_path)
    replicas = [BotProcess(env, f"replica-{n}") for n in range(3)]
    killed: BotProcess | None = None
    try:
        await asyncio.gather(*(replica.start() for replica in replicas))
        await asyncio.gather(*(replica.ready() for replica in replicas))

        # Kill a replica while it holds claims in the middle of a fan-out.
        by_pid = {replica.pid: replica for replica in replicas}
        deadline = asyncio.get_running_loop().time() + 75
        while killed is None:
            assert asyncio.get_running_loop().time() < deadline, "no replica ever held a claim"
            for row in rows(store):
                holder = (row.claimed_by or "").rsplit("#", 1)[0]
                pid = int(holder.rsplit(":", 1)[-1]) if ":" in holder else -1
                if row.status in ("claimed", "posting", "retrying") and pid in by_pid:
                    killed = by_pid[pid]
                    break
            else:
                await asyncio.sleep(0.05)
        await killed.kill()
        survivors = [replica for replica in replicas if replica is not killed]

        def minutes() -> dict[int, int]:
            per_minute: dict[int, int] = {}
            for key in slack.delivery_keys():
                minute = int(key.rsplit("-", 1)[1])
                per_minute[minute] = per_minute.get(minute, 0) + 1
            return per_minute

        # the minute the kill happened in, and the next one, delivered in full by the others
        await wait_for(
            lambda: sum(1 for count in minutes().values() if count == len(subs)) >= 2,
            130,
            "two complete minutes",
        )
        await asyncio.sleep(2)
        codes = [await replica.stop() for replica in survivors]
    finally:
        for replica in replicas:
            await replica.ensure_stopped()
        await slack.stop()

    assert codes == [0, 0]
    keys = slack.delivery_keys()
    assert keys, "nothing was posted"
    assert all(count == 1 for count in keys.values()), [k for k, c in keys.items() if c > 1]
    complete = sorted(minute for minute, count in minutes().items() if count == len(subs))
    assert len(complete) >= 2
    for minute in complete:
        slot = datetime.fromtimestamp(minute * 60, UTC)
        assert {delivery_key(sid, slot) for sid in subs} <= set(keys)
    # the killed replica's claims were taken over by the others
    assert killed is not None
    assert any("took over delivery" in replica.log for replica in survivors)
