"""Discord sharding end to end: the real discord.py (``AutoShardedClient``) and our adapter,
split across "processes" by ``DISCORD_SHARD_COUNT`` / ``DISCORD_SHARD_IDS``, against the fake
Discord, which shards as Discord does (tests/fakes/discord_fake.py: per-connection shards,
guilds and interactions only on the shard that owns them, ``GET /gateway/bot``).

Two adapters in one test process stand for two replicas: each has its own discord.py client,
HTTP session and gateway connections; they share the core (as replicas share PostgreSQL).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import aiohttp
import discord
import pytest

from adapters.discord import DiscordAdapter
from tests.fakes.discord_fake import INVALID_SHARD, DiscordFake, option, shard_of
from tests.support.discord_system import CHANNEL, GUILD, Core, discord_settings

SHARD_1_GUILD = 200000000004194305  # (id >> 22) % 2 == 1; GUILD is on shard 0
GUILDS = (GUILD, SHARD_1_GUILD)


@pytest.fixture
async def fake() -> AsyncIterator[DiscordFake]:
    async with DiscordFake(guild_ids=GUILDS, channel_ids=(CHANNEL,)) as server:
        yield server


def test_the_guilds_sit_on_different_shards() -> None:
    assert (shard_of(GUILD, 2), shard_of(SHARD_1_GUILD, 2)) == (0, 1)


def _adapter(fake: DiscordFake, core: Core, **settings: Any) -> DiscordAdapter:
    return DiscordAdapter(
        discord_settings(fake, discord_guild_ids=",".join(map(str, GUILDS)), **settings),
        briefings=core.briefings,
        topics=core.topics,
        subscriptions=core.subscriptions,
        sources=core.sources,
        guild_ready_timeout=0.05,
        shard_identify_interval=0.05,  # discord.py's 5 s between a process's shards
    )


def _seen(adapter: DiscordAdapter) -> list[int]:
    """Ids of every interaction this adapter's discord.py client receives, in order, recorded
    through discord.py's own event hook (``Client.event``)."""
    client = adapter.client
    assert client is not None
    seen: list[int] = []

    async def on_interaction(interaction: discord.Interaction) -> None:
        seen.append(interaction.id)

    client.event(on_interaction)
    return seen


async def _brief(fake: DiscordFake, guild: int) -> Mapping[str, Any]:
    """A /brief in ``guild``, answered: the interaction payload."""
    interaction = await fake.send_interaction(
        fake.interaction("brief", [option("topic", "korea-japan")], guild_id=str(guild))
    )
    callback, [answer] = await fake.wait_for_answers(interaction)
    assert callback.status == 200
    assert answer.status == 200
    assert answer.body["embeds"]
    return interaction


async def _eventually(condition: Callable[[], bool], within: float) -> None:
    """Poll our side's state (the fake's wait_for wakes only on what it records)."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 (client state has no event to wait on)
            await asyncio.sleep(0.01)


def _guild_ids(adapter: DiscordAdapter) -> set[int]:
    assert adapter.client is not None
    return {guild.id for guild in adapter.client.guilds}


async def test_two_replicas_with_a_shard_each_answer_only_their_own_guilds(
    fake: DiscordFake, core: Core
) -> None:
    first = _adapter(fake, core, discord_shard_count=2, discord_shard_ids="0")
    second = _adapter(fake, core, discord_shard_count=2, discord_shard_ids="1")
    try:
        await first.start()
        await second.start()
        await first.wait_ready(5)
        await second.wait_ready(5)
        assert first.connected
        assert second.connected
        first_seen, second_seen = _seen(first), _seen(second)

        # One gateway connection per shard, each identified as its shard of two.
        assert sorted(identify["shard"] for identify in fake.identifies) == [[0, 2], [1, 2]]
        assert sorted(fake.live_shards(), key=str) == [(0, 2), (1, 2)]
        assert _guild_ids(first) == {GUILD}
        assert _guild_ids(second) == {SHARD_1_GUILD}

        on_shard_1 = await _brief(fake, SHARD_1_GUILD)
        # Then one for the first replica's guild: had the shard-1 interaction reached the
        # first replica too, it would sit before this one on the same connection.
        on_shard_0 = await _brief(fake, GUILD)
        assert second_seen == [int(on_shard_1["id"])]
        assert first_seen == [int(on_shard_0["id"])]
        for interaction in (on_shard_1, on_shard_0):  # acknowledged once, never refused
            callbacks = [r for r in fake.interaction_requests(interaction) if "/callback" in r.path]
            assert [r.status for r in callbacks] == [200]
    finally:
        await first.close()
        await second.close()
    await fake.wait_for(lambda: not fake.connected, within=3)
    assert not first.connected
    assert not second.connected


async def test_a_shard_count_alone_runs_every_shard_in_this_process(
    fake: DiscordFake, core: Core
) -> None:
    bot = _adapter(fake, core, discord_shard_count=2)
    await bot.start()
    try:
        await bot.wait_ready(5)
        assert bot.connected
        assert sorted(identify["shard"] for identify in fake.identifies) == [[0, 2], [1, 2]]
        assert _guild_ids(bot) == set(GUILDS)
        await _brief(fake, SHARD_1_GUILD)
        await _brief(fake, GUILD)

        # Discord restarts: each shard resumes its own session and keeps its guilds.
        await fake.disconnect()
        await fake.wait_for(lambda: len(fake.resumes) == 2 and len(fake.live_shards()) == 2)
        assert sorted(fake.live_shards(), key=str) == [(0, 2), (1, 2)]
        assert len(fake.identifies) == 2
        await _eventually(lambda: bot.connected, within=5)
        await _brief(fake, SHARD_1_GUILD)
    finally:
        await bot.close()


async def test_without_shard_settings_one_unsharded_connection_sees_every_guild(
    fake: DiscordFake, core: Core
) -> None:
    bot = _adapter(fake, core)
    await bot.start()
    try:
        await bot.wait_ready(5)
        [identify] = fake.identifies
        assert "shard" not in identify
        assert fake.live_shards() == [None]
        assert _guild_ids(bot) == set(GUILDS)
        assert fake.calls("GET", "/gateway/bot") == []  # the configured gateway URL is used
        await _brief(fake, SHARD_1_GUILD)
    finally:
        await bot.close()


async def test_the_fake_answers_gateway_bot_as_discord_py_expects(fake: DiscordFake) -> None:
    """``GET /gateway/bot`` (what an ``AutoShardedClient`` without a shard count asks) parsed
    by discord.py itself."""
    fake.recommended_shards = 3
    client = discord.AutoShardedClient(intents=discord.Intents(guilds=True))
    discord.http.Route.BASE = fake.api_base
    try:
        await client.login(fake.token)
        shards, url, limits = await client.http.get_bot_gateway()
        assert (shards, url) == (3, fake.gateway_url)
        assert limits["remaining"] == limits["total"]
        assert (await client.fetch_session_start_limits()).max_concurrency == 1
    finally:
        await client.close()


async def test_the_fake_closes_an_impossible_shard_with_4010(fake: DiscordFake) -> None:
    async with aiohttp.ClientSession() as session, session.ws_connect(fake.gateway_url) as ws:
        hello = await ws.receive_json()
        assert hello["op"] == 10
        await ws.send_json({"op": 2, "d": {"token": fake.token, "intents": 1, "shard": [2, 2]}})
        closing = await ws.receive()
        assert closing.type is aiohttp.WSMsgType.CLOSE
        assert ws.close_code == INVALID_SHARD
    assert fake.identifies == []
