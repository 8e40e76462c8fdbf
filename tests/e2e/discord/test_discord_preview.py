"""``/briefing preview id`` and the last delivery in ``/briefing list``, end to end: the real
discord.py client and our adapter against the fake Discord, over the real core (the demo
corpus in SQLite) and the scheduler's own composition of a slot."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.discord import DiscordAdapter
from adapters.discord.render import render_briefing
from bot import messages
from bot.models import ChannelRef
from bot.scheduling import DeliveryLedger
from bot.store.schema import BriefedArticle, Delivery
from tests.fakes.discord_fake import EPHEMERAL, MEMBER_PERMISSIONS, DiscordFake, option
from tests.support.discord_system import CHANNEL, GUILD, OTHER_CHANNEL, OTHER_GUILD, Core

HERE = ChannelRef("discord", str(CHANNEL), str(GUILD))
SLOT = datetime(2025, 6, 18, 23, 30, tzinfo=UTC)


def recorded(core: Core) -> tuple[int, int]:
    with core.store.session(write=False) as session:
        return session.query(Delivery).count(), session.query(BriefedArticle).count()


def mark_sent(core: Core, sid: int, channel: ChannelRef, article_ids: list[int]) -> None:
    """Record a delivered slot the way the scheduler does."""
    ledger = DeliveryLedger(core.store, holder="test", lease=timedelta(minutes=1))
    claim = ledger.claim(sid, SLOT, SLOT)
    assert claim is not None
    ledger.mark_sent(claim, "1", channel=channel, article_ids=article_ids, now=SLOT)


async def preview(fake: DiscordFake, sid: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Ask ``/briefing preview id:sid``: (the callback's body, the answer's body)."""
    interaction = await fake.send_interaction(
        fake.interaction("briefing", [option("id", sid, 4)], subcommand="preview")
    )
    callback, [answer] = await fake.wait_for_answers(interaction, 1)
    original = fake.original_message(interaction)
    assert original is not None
    assert original["flags"] & EPHEMERAL  # only the asker sees it
    return callback.body, answer.body


async def test_preview_shows_only_the_asker_what_the_next_run_would_post(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    sub = core.subscriptions.subscribe(HERE, "korea-japan", at="08:30", tz="Asia/Tokyo")
    callback, answer = await preview(fake, sub.id)
    assert callback == {"type": 5, "data": {"flags": EPHEMERAL}}  # an ephemeral defer
    next_run = core.subscriptions.next_run(sub)
    assert next_run is not None
    header, briefing_header = answer["content"].split("\n", 1)
    assert header == (
        f"Preview of subscription {sub.id}'s next run (**korea-japan**, 08:30 Asia/Tokyo daily)"
        f" · next <t:{int(next_run.timestamp())}:f>; only you see it, and nothing is recorded."
    )
    assert briefing_header.startswith("**Korea – Japan** (`korea-japan`) · 1 story · generated")
    # the briefing exactly as the slot would render it
    expected = core.briefings.brief("korea-japan", 3, exclude_channel=HERE)
    [rendered] = render_briefing(expected)
    assert [dict(e) for e in rendered.embeds] == [
        {k: v for k, v in e.items() if k != "flags"} for e in answer["embeds"]
    ]
    assert answer["allowed_mentions"] == {"parse": []}
    assert recorded(core) == (0, 0)  # nothing claimed, nothing marked as briefed

    _, again = await preview(fake, sub.id)  # the same, again
    assert again["embeds"] == answer["embeds"]

    # once the channel has seen the story: the note the slot would post
    mark_sent(core, sub.id, HERE, [i for item in expected.items for i in item.article_ids])
    _, note = await preview(fake, sub.id)
    assert "Nothing new on korea-japan since " in note["content"]
    assert note.get("embeds", []) == []
    assert fake.refused == []


async def test_a_quiet_or_paused_subscription_says_what_it_would_do(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    quiet = core.subscriptions.subscribe(HERE, "korea-japan", at="07:00", quiet=True)
    items = core.briefings.brief("korea-japan", 3, exclude_channel=HERE).items
    mark_sent(core, quiet.id, HERE, [i for item in items for i in item.article_ids])
    _, answer = await preview(fake, quiet.id)
    assert answer["content"].endswith(messages.DISCORD_PREVIEW_NOTHING.format(slug="korea-japan"))
    assert "07:00 Asia/Seoul daily · quiet)" in answer["content"]

    paused = core.subscriptions.subscribe(HERE, "us-china", at="09:00")
    core.subscriptions.pause(paused.id, "gone")
    _, answer = await preview(fake, paused.id)
    assert answer["content"].startswith(
        f"Preview of subscription {paused.id} (**us-china**, 09:00 Asia/Seoul daily), paused: "
    )
    assert f"`/briefing resume id:{paused.id}`" in answer["content"]


async def test_only_this_servers_subscriptions_and_only_for_channel_managers(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    # another channel of this server: its managers may preview it
    nearby = core.subscriptions.subscribe(
        ChannelRef("discord", str(OTHER_CHANNEL), str(GUILD)), "korea-japan", at="09:00"
    )
    _, answer = await preview(fake, nearby.id)
    assert answer["content"].startswith(f"Preview of subscription {nearby.id}'s next run")

    # another server's: refused exactly as an id that does not exist
    elsewhere = core.subscriptions.subscribe(
        ChannelRef("discord", "300000000000000099", str(OTHER_GUILD)), "korea-japan", at="09:00"
    )
    for sid in (elsewhere.id, 424242):
        _, refusal = await preview(fake, sid)
        assert refusal["content"] == messages.SUB_NOT_FOUND.format(id=sid)
        assert refusal["flags"] & EPHEMERAL
        assert refusal.get("embeds", []) == []

    # a member who may not Manage Channels: one line at once, nothing composed
    interaction = await fake.send_interaction(
        fake.interaction(
            "briefing",
            [option("id", nearby.id, 4)],
            subcommand="preview",
            permissions=MEMBER_PERMISSIONS,
        )
    )
    [callback] = await fake.wait_for_request(
        "POST", rf"/interactions/{interaction['id']}/{interaction['token']}/callback"
    )
    assert callback.body["type"] == 4
    assert callback.body["data"]["flags"] == EPHEMERAL
    assert callback.body["data"]["content"] == messages.DISCORD_NEED_MANAGE_CHANNELS
    assert recorded(core) == (0, 0)


async def test_the_list_shows_each_ones_last_delivery(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    delivered = core.subscriptions.subscribe(HERE, "korea-japan", at="08:30", tz="Asia/Tokyo")
    fresh = core.subscriptions.subscribe(HERE, "us-china", at="09:00")
    mark_sent(core, delivered.id, HERE, [])
    listed = await fake.send_interaction(fake.interaction("briefing", subcommand="list"))
    _, [listing] = await fake.wait_for_answers(listed, 1)
    lines = listing.body["content"].split("\n")
    assert lines[1].startswith(
        f"`{delivered.id}` **korea-japan** · 08:30 Asia/Tokyo daily · active · next <t:"
    )
    assert lines[1].endswith(f" · last delivered <t:{int(SLOT.timestamp())}:f>")
    assert " · next <t:" in lines[1]
    assert lines[2].startswith(f"`{fresh.id}` **us-china**")
    assert lines[2].endswith(" · no delivery yet")
