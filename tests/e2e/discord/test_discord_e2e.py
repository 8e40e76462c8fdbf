"""End to end: the real discord.py client, our adapter and the real core, against a fake Discord.

The fake (tests/fakes/discord_fake.py) is a REST API + gateway on 127.0.0.1 that the client
logs into (HELLO -> IDENTIFY -> READY -> GUILD_CREATE); the tests dispatch INTERACTION_CREATE
events and assert what discord.py sent back: the synced commands, the defer, the answer (the
deferred response edited into the first message; further messages as followups).
The core is real too: a SQLite store holding the bundled demo corpus.

Failures inside discord.py only log, so every assertion waits on recorded requests with a
timeout (``fake.wait_for...``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import shutil
import signal
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import discord
import pytest
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.discord import DiscordAdapter
from adapters.discord.render import render_briefing
from bot import messages
from bot.errors import BadInput, ChannelUnavailable, DeliveryError
from bot.models import Briefing, ChannelRef
from bot.settings import Settings
from tests.fakes.discord_fake import (
    EPHEMERAL,
    MANAGE_CHANNELS,
    MEMBER_PERMISSIONS,
    DiscordFake,
    Request,
    message_problems,
    option,
)
from tests.support.discord_system import CHANNEL, GUILD, OTHER_CHANNEL, Core, MakeAdapter

PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)  # members, presences, message content


async def _replies(
    fake: DiscordFake, interaction: Mapping[str, Any], *, followups: int = 1
) -> tuple[Request, list[Request]]:
    """The interaction's callback and the first ``followups`` requests of its answer (the
    edit of the deferred response, then followups)."""
    return await fake.wait_for_answers(interaction, followups)


async def _eventually(condition: Callable[[], bool], within: float) -> None:
    """Poll a condition on our side (the fake's wait_for wakes only on what it records)."""
    async with asyncio.timeout(within):
        while not condition():  # noqa: ASYNC110 (client state has no event to wait on)
            await asyncio.sleep(0.01)


def _by_name(commands: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in commands}


# -- connecting and syncing -----------------------------------------------------------------


async def test_logs_in_identifies_without_privileged_intents_and_syncs_to_the_guild(
    fake: DiscordFake, adapter: DiscordAdapter
) -> None:
    assert adapter.connected
    [identify] = fake.identifies
    assert identify["intents"] & PRIVILEGED_INTENTS == 0
    assert identify["intents"] == discord.Intents(guilds=True).value
    assert [r.path for r in fake.calls("PUT", r"/applications/\d+/commands")] == []
    [sync] = fake.calls("PUT", rf"/applications/{fake.application_id}/guilds/{GUILD}/commands")
    commands = _by_name(sync.body)
    assert set(commands) == {"brief", "briefing"}

    brief = commands["brief"]
    topic, count = brief["options"]
    assert topic == {
        "type": 3,
        "name": "topic",
        "description": topic["description"],
        "required": True,
        "autocomplete": True,
        "min_length": 1,
        "max_length": 100,
    }
    assert (count["name"], count["type"], count["required"]) == ("count", 4, False)
    assert (count["min_value"], count["max_value"]) == (1, 5)
    assert brief.get("default_member_permissions") is None  # everyone may /brief

    briefing = commands["briefing"]
    assert int(briefing["default_member_permissions"]) == MANAGE_CHANNELS
    assert briefing["contexts"] == [0]  # guild only
    assert briefing["dm_permission"] is False
    subs = _by_name(briefing["options"])
    assert set(subs) == {"subscribe", "list", "remove", "resume", "preview", "source"}
    assert all(
        subs[name]["type"] == 1 for name in ("subscribe", "list", "remove", "resume", "preview")
    )
    subscribe = {o["name"]: o for o in subs["subscribe"]["options"]}
    assert [o["name"] for o in subs["subscribe"]["options"]] == [
        "topic",
        "time",
        "timezone",
        "days",
    ]
    required = {name: bool(o.get("required")) for name, o in subscribe.items()}
    assert required == {"topic": True, "time": True, "timezone": False, "days": False}
    autocomplete = {name: bool(o.get("autocomplete")) for name, o in subscribe.items()}
    assert autocomplete == {"topic": True, "time": False, "timezone": True, "days": True}
    [remove_id] = subs["remove"]["options"]
    assert (remove_id["name"], remove_id["type"], remove_id["min_value"]) == ("id", 4, 1)
    [resume_id] = subs["resume"]["options"]
    assert (resume_id["name"], resume_id["type"], resume_id["min_value"]) == ("id", 4, 1)
    [preview_id] = subs["preview"]["options"]
    assert (preview_id["name"], preview_id["type"], preview_id["required"]) == ("id", 4, True)
    assert preview_id["min_value"] == 1
    # /briefing source add|list|remove: a subcommand group (type 2) under the same permission
    source = subs["source"]
    assert source["type"] == 2
    actions = _by_name(source["options"])
    assert set(actions) == {"add", "list", "remove"}
    assert all(a["type"] == 1 for a in actions.values())
    for name in ("add", "remove"):
        [url] = actions[name]["options"]
        assert (url["name"], url["type"], url["required"]) == ("url", 3, True)
        assert (url["min_length"], url["max_length"]) == (1, 2048)
    assert actions["list"].get("options", []) == []
    assert "options" not in subs["list"] or subs["list"]["options"] == []


async def test_without_guild_ids_commands_sync_globally_once_per_login(
    fake: DiscordFake, make_adapter: MakeAdapter
) -> None:
    bot = make_adapter(discord_guild_ids=None)
    await bot.start()
    try:
        await bot.wait_ready(5)
        [sync] = fake.calls("PUT", rf"/applications/{fake.application_id}/commands")
        assert _by_name(sync.body).keys() == {"brief", "briefing"}
        assert fake.calls("PUT", r"/applications/\d+/guilds/\d+/commands") == []
    finally:
        await bot.close()


async def test_close_ends_the_gateway_session(fake: DiscordFake, make_adapter: MakeAdapter) -> None:
    bot = make_adapter()
    await bot.start()
    await bot.wait_ready(5)
    assert fake.connected
    await bot.close()
    await fake.wait_for(lambda: not fake.connected, within=3)
    assert not bot.connected
    await bot.close()  # idempotent


async def test_a_dropped_gateway_resumes_and_commands_are_not_synced_again(
    fake: DiscordFake, adapter: DiscordAdapter
) -> None:
    await fake.disconnect()
    await fake.wait_for(lambda: fake.resumes and fake.connected, within=5)  # resumed
    await _eventually(lambda: adapter.connected, within=5)
    assert len(fake.identifies) == 1
    assert len(fake.calls("PUT", r"/applications/\d+/guilds/\d+/commands")) == 1
    interaction = await fake.send_interaction(
        fake.interaction("brief", [option("topic", "korea-japan")])
    )
    _, [followup] = await _replies(fake, interaction)
    assert followup.body["embeds"]


async def test_a_refused_token_is_one_clear_error(make_adapter: MakeAdapter) -> None:
    bot = make_adapter(discord_token="not-the-token")
    with pytest.raises(BadInput, match="DISCORD_TOKEN"):
        await bot.start()
    assert not bot.connected


async def test_an_unreachable_api_is_one_clear_error(core: Core) -> None:
    settings = Settings(
        discord_token="x", discord_api_base_url="http://127.0.0.1:9/api/v10", timezone="UTC"
    )
    bot = DiscordAdapter(
        settings, briefings=core.briefings, topics=core.topics, subscriptions=core.subscriptions
    )
    with pytest.raises(DeliveryError, match=r"127\.0\.0\.1:9"):
        await bot.start()


# -- /brief ---------------------------------------------------------------------------------


async def test_brief_defers_then_posts_the_demo_briefing(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    interaction = await fake.send_interaction(
        fake.interaction("brief", [option("topic", "korea-japan")])
    )
    callback, [followup] = await _replies(fake, interaction)

    # the defer: public, "thinking", answered well inside the 3-second deadline (the fake
    # answers 404 Unknown interaction after it)
    assert callback.status == 200
    assert callback.body == {"type": 5}
    assert callback.at < followup.at

    body = followup.body
    assert followup.status == 200
    assert body["allowed_mentions"] == {"parse": []}
    assert message_problems(body) == []
    assert re.fullmatch(
        r"\*\*Korea – Japan\*\* \(`korea-japan`\) · 1 story · generated <t:\d+:f>", body["content"]
    )
    [embed] = body["embeds"]
    assert embed["title"] == (
        "Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties"
    )
    assert embed["footer"]["text"] == "Korea JoongAng Daily"
    expected: Briefing = core.briefings.brief("korea-japan", count=3)
    [item] = expected.items
    # the title links to the source; the date is an instant Discord shows in each reader's zone
    assert item.url
    assert embed["url"] == item.url
    assert datetime.fromisoformat(embed["timestamp"]) == item.published
    bullets = embed["description"].split("\n")
    assert 3 <= len(bullets) <= 5
    assert all(b.startswith("• ") for b in bullets)
    assert any("Ishiba" in b for b in bullets)
    assert not any("JOINT PRESS CORPS" in b or b[2:] == "print" for b in bullets)

    # exactly what the pure renderer makes of the core's briefing (generated_at aside)
    [rendered] = render_briefing(expected)
    assert [dict(e) for e in rendered.embeds] == [
        {k: v for k, v in e.items() if k != "flags"} for e in body["embeds"]
    ]
    assert fake.refused == []


async def test_count_is_passed_through(fake: DiscordFake, adapter: DiscordAdapter) -> None:
    interaction = await fake.send_interaction(
        fake.interaction("brief", [option("topic", "Korea Japan"), option("count", 1, 4)])
    )
    _, [followup] = await _replies(fake, interaction)
    assert len(followup.body["embeds"]) == 1
    assert "`korea-japan`" in followup.body["content"]


async def test_unknown_topic_is_an_ephemeral_line_naming_the_closest_slugs(
    fake: DiscordFake, adapter: DiscordAdapter
) -> None:
    interaction = await fake.send_interaction(
        fake.interaction("brief", [option("topic", "korea-japn")])
    )
    callback, [followup] = await _replies(fake, interaction)
    assert callback.body == {"type": 5}
    token = interaction["token"]
    # the public "thinking…" placeholder is removed, then the error goes to the asker only
    [delete] = fake.calls("DELETE", rf"/webhooks/\d+/{token}/messages/@original")
    assert delete.status == 204
    assert delete.at < followup.at
    assert followup.body["flags"] & EPHEMERAL
    assert followup.body["content"].startswith("Unknown topic 'korea-japn'; closest: korea-japan")
    assert "Traceback" not in followup.body["content"]
    assert followup.body.get("embeds", []) == []


async def test_a_topic_with_nothing_stored_says_so_publicly(
    fake: DiscordFake, adapter: DiscordAdapter
) -> None:
    interaction = await fake.send_interaction(
        fake.interaction("brief", [option("topic", "brazil-argentina")])
    )
    _, [followup] = await _replies(fake, interaction)
    assert not followup.body.get("flags", 0) & EPHEMERAL
    assert "`argentina-brazil`" in followup.body["content"]
    assert followup.body.get("embeds", []) == []
    assert len(followup.body["content"].split("\n")) == 2  # header + the note


async def test_topic_autocomplete_offers_curated_topics_first(
    fake: DiscordFake, adapter: DiscordAdapter
) -> None:
    interaction = await fake.send_interaction(
        fake.interaction("brief", [option("topic", "kor", focused=True)], autocomplete=True)
    )
    [callback] = await fake.wait_for_request(
        "POST", rf"/interactions/{interaction['id']}/{interaction['token']}/callback"
    )
    assert callback.body["type"] == 8
    choices = callback.body["data"]["choices"]
    assert 1 <= len(choices) <= 25
    assert choices[0]["value"] == "korea-japan"
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    assert "north-korea" in [c["value"] for c in choices]

    empty = await fake.send_interaction(
        fake.interaction("brief", [option("topic", "", focused=True)], autocomplete=True)
    )
    [callback] = await fake.wait_for_request(
        "POST", rf"/interactions/{empty['id']}/{empty['token']}/callback"
    )
    assert len(callback.body["data"]["choices"]) == 25


async def test_timezone_autocomplete_offers_the_iana_name_of_an_abbreviation(
    fake: DiscordFake, adapter: DiscordAdapter
) -> None:
    interaction = await fake.send_interaction(
        fake.interaction(
            "briefing",
            [option("topic", "korea-japan"), option("time", "08:00"),
             option("timezone", "kst", focused=True)],
            subcommand="subscribe",
            autocomplete=True,
        )
    )  # fmt: skip
    [callback] = await fake.wait_for_request(
        "POST", rf"/interactions/{interaction['id']}/{interaction['token']}/callback"
    )
    assert [c["value"] for c in callback.body["data"]["choices"]] == ["Asia/Seoul"]


# -- /briefing ------------------------------------------------------------------------------


async def test_subscribe_list_remove_round_trip(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    channel = ChannelRef("discord", str(CHANNEL), str(GUILD))
    subscribe = await fake.send_interaction(
        fake.interaction(
            "briefing",
            [
                option("topic", "korea japan"),
                option("time", "08:30"),
                option("timezone", "Asia/Tokyo"),
                option("days", "weekdays"),
            ],
            subcommand="subscribe",
        )
    )
    callback, [confirm] = await _replies(fake, subscribe)
    assert callback.body == {"type": 5}
    [sub] = core.subscriptions.list(channel)
    assert (sub.topic.slug, sub.schedule.at, sub.schedule.timezone) == (
        "korea-japan",
        "08:30",
        "Asia/Tokyo",
    )
    assert sub.schedule.days == (1, 2, 3, 4, 5)
    assert sub.created_by == "400000000000000001"
    assert sub.channel == channel
    assert confirm.body["content"] == (
        f"Scheduled **korea-japan** for this channel: 08:30 Asia/Tokyo weekdays "
        f"(subscription {sub.id})."
    )
    assert confirm.body["allowed_mentions"] == {"parse": []}

    # defaults: the bot's zone, daily
    second = await fake.send_interaction(
        fake.interaction(
            "briefing",
            [option("topic", "us-china"), option("time", "7:05")],
            subcommand="subscribe",
        )
    )
    await _replies(fake, second)
    listed = await fake.send_interaction(fake.interaction("briefing", subcommand="list"))
    callback, [listing] = await _replies(fake, listed)
    assert callback.body == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert fake.original_message(listed)["flags"] & EPHEMERAL  # the ephemeral defer, edited
    lines = listing.body["content"].split("\n")
    assert lines[0] == "Scheduled briefings for this channel (2):"
    next_run = core.subscriptions.next_run(sub)
    assert next_run is not None
    assert lines[1] == (
        f"`{sub.id}` **korea-japan** · 08:30 Asia/Tokyo weekdays · active"
        f" · next <t:{int(next_run.timestamp())}:f>"  # each reader sees it in their own zone
        " · no delivery yet"
    )
    assert "**us-china** · 07:05 Asia/Seoul daily · active · next <t:" in lines[2]

    removed = await fake.send_interaction(
        fake.interaction("briefing", [option("id", sub.id, 4)], subcommand="remove")
    )
    _, [gone] = await _replies(fake, removed)
    assert gone.body["content"] == (
        f"Removed subscription {sub.id} (**korea-japan**, 08:30 Asia/Tokyo weekdays)."
    )
    assert [s.topic.slug for s in core.subscriptions.list(channel)] == ["us-china"]

    again = await fake.send_interaction(
        fake.interaction("briefing", [option("id", sub.id, 4)], subcommand="remove")
    )
    _, [missing] = await _replies(fake, again)
    assert missing.body["flags"] & EPHEMERAL
    assert str(sub.id) in missing.body["content"]


async def test_a_paused_subscription_is_listed_with_why_and_resumed(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    channel = ChannelRef("discord", str(CHANNEL), str(GUILD))
    sub = core.subscriptions.subscribe(channel, "korea-japan", at="08:30", tz="Asia/Tokyo")
    core.subscriptions.pause(sub.id, "Discord channel 1 is unavailable to the bot (403)")

    listed = await fake.send_interaction(fake.interaction("briefing", subcommand="list"))
    _, [listing] = await _replies(fake, listed)
    assert listing.body["content"].split("\n")[1] == (
        f"`{sub.id}` **korea-japan** · 08:30 Asia/Tokyo daily · paused: Discord channel 1 is "
        f"unavailable to the bot (403) · no delivery yet · `/briefing resume id:{sub.id}` "
        "resumes it"
    )

    resumed = await fake.send_interaction(
        fake.interaction("briefing", [option("id", sub.id, 4)], subcommand="resume")
    )
    _, [confirm] = await _replies(fake, resumed)
    next_run = core.subscriptions.next_run(core.subscriptions.get(sub.id))
    assert next_run is not None
    assert confirm.body["content"] == (
        f"Resumed subscription {sub.id} (**korea-japan**, 08:30 Asia/Tokyo daily)"
        f" · next <t:{int(next_run.timestamp())}:f>."
    )
    assert not confirm.body.get("flags", 0) & EPHEMERAL  # the channel sees it
    assert core.subscriptions.get(sub.id).status == "active"

    again = await fake.send_interaction(
        fake.interaction("briefing", [option("id", sub.id, 4)], subcommand="resume")
    )
    _, [noop] = await _replies(fake, again)
    assert noop.body["content"].startswith(f"Subscription {sub.id} is not paused")

    # asking for the same paused subscription again resumes it instead of refusing it
    core.subscriptions.pause(sub.id, "gone")
    subscribe = await fake.send_interaction(
        fake.interaction(
            "briefing",
            [
                option("topic", "korea-japan"),
                option("time", "08:30"),
                option("timezone", "Asia/Tokyo"),
            ],
            subcommand="subscribe",
        )
    )
    _, [back] = await _replies(fake, subscribe)
    assert back.body["content"].startswith(
        "This channel already had that briefing, paused: resumed subscription"
    )
    assert [s.status for s in core.subscriptions.list(channel)] == ["active"]

    elsewhere = core.subscriptions.subscribe(
        ChannelRef("discord", str(OTHER_CHANNEL), str(GUILD)), "korea", at="09:00"
    )
    core.subscriptions.pause(elsewhere.id, "gone")
    attempt = await fake.send_interaction(
        fake.interaction("briefing", [option("id", elsewhere.id, 4)], subcommand="resume")
    )
    _, [refusal] = await _replies(fake, attempt)
    assert refusal.body["flags"] & EPHEMERAL
    assert core.subscriptions.get(elsewhere.id).status == "paused"  # not from this channel


async def test_a_subscription_in_another_channel_cannot_be_removed_from_here(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    elsewhere = ChannelRef("discord", str(OTHER_CHANNEL), str(GUILD))
    sub = core.subscriptions.subscribe(elsewhere, "korea-japan", at="09:00")
    attempt = await fake.send_interaction(
        fake.interaction("briefing", [option("id", sub.id, 4)], subcommand="remove")
    )
    _, [refusal] = await _replies(fake, attempt)
    assert refusal.body["flags"] & EPHEMERAL
    assert [s.id for s in core.subscriptions.list(elsewhere)] == [sub.id]


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"time": "25:00"}, "HH:MM"),
        ({"timezone": "Mars/Olympus"}, "Mars/Olympus"),
        ({"topic": "narnia"}, "Unknown topic 'narnia'"),
        ({"days": "someday"}, "someday"),
        ({"timezone": "KST"}, "instead of 'KST' (did you mean Asia/Seoul?)"),
        ({"timezone": "CST"}, "Asia/Shanghai (China) or America/Chicago (US Central)"),
        ({"time": "8"}, "did you mean 08:00 (or 20:00 in the evening)?"),
        ({"days": "wekdays"}, "did you mean weekdays?"),
    ],
)
async def test_subscribe_validation_errors_are_ephemeral_one_liners(
    fake: DiscordFake,
    adapter: DiscordAdapter,
    core: Core,
    options: dict[str, str],
    needle: str,
) -> None:
    values = {"topic": "korea-japan", "time": "08:00", **options}
    interaction = await fake.send_interaction(
        fake.interaction(
            "briefing",
            [option(k, v) for k, v in values.items()],
            subcommand="subscribe",
        )
    )
    _, [error] = await _replies(fake, interaction)
    assert error.body["flags"] & EPHEMERAL
    assert needle in error.body["content"]
    assert "\n" not in error.body["content"]
    assert core.subscriptions.list() == []


async def test_a_member_without_manage_channels_is_refused(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    for subcommand, options in (
        ("subscribe", [option("topic", "korea-japan"), option("time", "08:00")]),
        ("list", []),
        ("remove", [option("id", 1, 4)]),
        ("resume", [option("id", 1, 4)]),
        ("preview", [option("id", 1, 4)]),
    ):
        interaction = await fake.send_interaction(
            fake.interaction(
                "briefing", options, subcommand=subcommand, permissions=MEMBER_PERMISSIONS
            )
        )
        [callback] = await fake.wait_for_request(
            "POST", rf"/interactions/{interaction['id']}/{interaction['token']}/callback"
        )
        assert callback.body["type"] == 4  # answered at once, no defer needed
        assert callback.body["data"]["flags"] == EPHEMERAL
        assert callback.body["data"]["content"] == messages.DISCORD_NEED_MANAGE_CHANNELS
    assert core.subscriptions.list() == []
    # the same member may still ask for a briefing
    brief = await fake.send_interaction(
        fake.interaction("brief", [option("topic", "korea-japan")], permissions=MEMBER_PERMISSIONS)
    )
    _, [followup] = await _replies(fake, brief)
    assert followup.body["embeds"]


async def test_an_unexpected_failure_is_logged_with_context_and_the_user_sees_a_generic_line(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, caplog: pytest.LogCaptureFixture
) -> None:
    # a real fault, not a mock: a subscription row damaged by hand in the database
    channel = ChannelRef("discord", str(CHANNEL), str(GUILD))
    core.subscriptions.subscribe(channel, "korea-japan", at="08:00")
    with core.store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE subscriptions SET days = 'mon,tue'")
    with caplog.at_level(logging.ERROR, logger="adapters.discord"):
        interaction = await fake.send_interaction(fake.interaction("briefing", subcommand="list"))
        _, [reply] = await _replies(fake, interaction)
    assert reply.body["flags"] & EPHEMERAL
    assert reply.body["content"] == messages.GENERIC_FAILURE
    [record] = [r for r in caplog.records if "/briefing list failed" in r.getMessage()]
    assert f"interaction={interaction['id']}" in record.getMessage()
    assert f"channel={CHANNEL}" in record.getMessage()
    assert record.exc_info is not None  # the traceback goes to the log, not to chat
    assert fake.token not in caplog.text


async def test_a_command_we_do_not_have_is_answered_with_a_clear_line(
    fake: DiscordFake, adapter: DiscordAdapter, caplog: pytest.LogCaptureFixture
) -> None:
    # An interaction shaped like a command we do not have (a stale sync: /briefing without a
    # subcommand) fails inside discord.py's tree, before any handler: on_error answers.
    with caplog.at_level(logging.WARNING, logger="adapters.discord"):
        interaction = await fake.send_interaction(fake.interaction("briefing"))
        [callback] = await fake.wait_for_request(
            "POST", rf"/interactions/{interaction['id']}/{interaction['token']}/callback"
        )
    assert callback.body["type"] == 4
    data = callback.body["data"]
    assert (data["content"], data["flags"]) == (messages.DISCORD_STALE_COMMAND, EPHEMERAL)
    assert data["allowed_mentions"] == {"parse": []}
    [record] = [r for r in caplog.records if "not one of our commands" in r.getMessage()]
    assert record.levelno == logging.WARNING  # not our fault: no traceback, no error


async def test_options_that_do_not_fit_the_command_get_one_line_not_silence(
    fake: DiscordFake, adapter: DiscordAdapter
) -> None:
    # discord.py's own parser would raise (float("korea-japan")) and never answer
    odd = await fake.send_interaction(
        fake.interaction("brief", [option("topic", "korea-japan", 10)])
    )
    [callback] = await fake.wait_for_request(
        "POST", rf"/interactions/{odd['id']}/{odd['token']}/callback"
    )
    data = callback.body["data"]
    assert data["flags"] == EPHEMERAL
    assert data["content"] == messages.DISCORD_BAD_OPTION.format(
        reason=messages.DISCORD_OPTION_WRONG_TYPE.format(name="topic")
    )
    # suggestions asked for an option that has none: an empty list, at once
    typing = await fake.send_interaction(
        fake.interaction("brief", [option("count", "3", focused=True)], autocomplete=True)
    )
    [callback] = await fake.wait_for_request(
        "POST", rf"/interactions/{typing['id']}/{typing['token']}/callback"
    )
    assert callback.body == {"type": 8, "data": {"choices": []}}


async def test_an_interaction_that_expired_before_the_defer_is_logged_not_lost(
    fake: DiscordFake, adapter: DiscordAdapter, caplog: pytest.LogCaptureFixture
) -> None:
    fake.ack_deadline = 0.0  # every callback now arrives too late: 404 Unknown interaction
    with caplog.at_level(logging.WARNING, logger="adapters.discord"):
        late = await fake.send_interaction(
            fake.interaction("brief", [option("topic", "korea-japan")])
        )
        [callback] = await fake.wait_for_request(
            "POST", rf"/interactions/{late['id']}/{late['token']}/callback"
        )
        await fake.wait_for(lambda: any("/brief failed" in r.getMessage() for r in caplog.records))
    assert callback.status == 404
    [failure] = [r for r in caplog.records if "/brief failed" in r.getMessage()]
    assert failure.levelno == logging.ERROR
    assert f"interaction={late['id']}" in failure.getMessage()
    assert fake.answers(late) == []  # nothing posted on an expired token


async def test_close_lets_a_brief_in_flight_finish(
    fake: DiscordFake, make_adapter: MakeAdapter
) -> None:
    bot = make_adapter()
    await bot.start()
    await bot.wait_ready(5)
    interaction = await fake.send_interaction(
        fake.interaction("brief", [option("topic", "korea-japan")])
    )
    await fake.wait_for_request(
        "POST", rf"/interactions/{interaction['id']}/{interaction['token']}/callback"
    )
    await bot.close()  # SIGTERM right after the defer: the answer still goes out
    [answer] = fake.answers(interaction)
    assert answer.status == 200
    assert answer.body["embeds"]


# -- publish (the scheduler's entry point) --------------------------------------------------


async def test_publish_posts_every_message_without_pings(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    briefing = core.briefings.brief("korea-japan")
    first = await adapter.publish(ChannelRef("discord", str(CHANNEL), str(GUILD)), briefing)
    [sent] = fake.channel_messages[str(CHANNEL)]
    assert first == sent["id"]
    [post] = fake.calls("POST", rf"/channels/{CHANNEL}/messages")
    assert post.body["allowed_mentions"] == {"parse": []}
    assert post.body["embeds"][0]["title"].startswith("Korea, Japan leaders meet")


@pytest.mark.parametrize("status", [403, 404])
async def test_publish_to_a_channel_we_may_not_use_raises_channel_unavailable(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, status: int
) -> None:
    fake.channel_status(OTHER_CHANNEL, status)
    briefing = core.briefings.brief("korea-japan")
    with pytest.raises(ChannelUnavailable, match=str(OTHER_CHANNEL)):
        await adapter.publish(ChannelRef("discord", str(OTHER_CHANNEL), str(GUILD)), briefing)
    assert len(fake.calls("POST", rf"/channels/{OTHER_CHANNEL}/messages")) == 1  # no retry


async def test_publish_server_error_is_a_delivery_error(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    # 503 is not retried by discord.py (500/502/504 are, for ~25 s, which is its business)
    fake.channel_status(OTHER_CHANNEL, 503)
    briefing = core.briefings.brief("korea-japan")
    with pytest.raises(DeliveryError) as caught:
        await adapter.publish(ChannelRef("discord", str(OTHER_CHANNEL), str(GUILD)), briefing)
    assert not isinstance(caught.value, ChannelUnavailable)


async def test_publish_waits_out_a_rate_limit_with_discord_py(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    fake.rate_limit_channel(CHANNEL, times=1, retry_after=0.2)
    briefing = core.briefings.brief("korea-japan")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await adapter.publish(ChannelRef("discord", str(CHANNEL), str(GUILD)), briefing)
    assert loop.time() - started >= 0.2
    assert [r.status for r in fake.calls("POST", rf"/channels/{CHANNEL}/messages")] == [429, 200]


async def test_publish_before_start_is_a_delivery_error(
    make_adapter: MakeAdapter, core: Core
) -> None:
    bot = make_adapter()
    with pytest.raises(DeliveryError):
        await bot.publish(ChannelRef("discord", "1", "2"), core.briefings.brief("korea-japan"))


async def test_endpoints_point_discord_py_at_the_configured_urls(
    fake: DiscordFake, adapter: DiscordAdapter
) -> None:
    assert fake.api_base == Route.BASE
    assert yarl.URL(fake.gateway_url) == DiscordWebSocket.DEFAULT_GATEWAY
    assert "fake-bot-token" not in repr(adapter)


# -- `briefbot run` -------------------------------------------------------------------------


async def test_briefbot_run_answers_brief_within_the_deadline_and_stops_on_sigterm(
    fake: DiscordFake, demo_db: Path, tmp_path: Path
) -> None:
    database = tmp_path / "run.sqlite3"
    feeds = tmp_path / "feeds.toml"
    await asyncio.to_thread(shutil.copyfile, demo_db, database)
    await asyncio.to_thread(feeds.write_text, "# no feeds: nothing to poll\n", "utf-8")
    env = {
        **os.environ,
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_BASE_URL": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DISCORD_GUILD_IDS": str(GUILD),
        "BRIEFBOT_DATABASE_URL": f"sqlite:///{database}",
        "BRIEFBOT_FEEDS_FILE": str(feeds),
        "BRIEFBOT_HTTP_HOST": "127.0.0.1",
        "BRIEFBOT_HTTP_PORT": "0",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake.wait_connected(within=30)
        await fake.wait_for_request(
            "PUT", rf"/applications/{fake.application_id}/guilds/{GUILD}/commands", within=5
        )
        interaction = await fake.send_interaction(
            fake.interaction("brief", [option("topic", "korea-japan")])
        )
        callback, [followup] = await _replies(fake, interaction)
        assert callback.status == 200  # the fake answers 404 after the 3-second deadline
        assert followup.body["embeds"][0]["title"].startswith("Korea, Japan leaders meet")
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), timeout=10)
    assert process.returncode == 0, err.decode()
    await fake.wait_for(lambda: not fake.connected, within=3)
    assert fake.token not in (out + err).decode()
    log_lines = err.decode().splitlines()
    assert [line for line in log_lines if " ERROR " in line and "discord" in line] == []
    assert any("adapters.discord: discord: closed" in line for line in log_lines)
