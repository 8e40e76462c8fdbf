"""``/brief preview <id>`` and the last delivery in ``/brief list``, end to end: briefbot's HTTP
server with the real slack-bolt app, the fake Slack, and the real core (the demo corpus in
SQLite) with the scheduler's own composition of a slot."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from adapters.slack.render import render_briefing
from bot import messages
from bot.models import ChannelRef
from bot.scheduling import DeliveryLedger
from bot.store import Store
from bot.store.schema import BriefedArticle, Delivery
from tests.support.slack_system import ADMIN, CHANNEL, MEMBER, Slack

SLOT = datetime(2025, 6, 18, 23, 0, tzinfo=UTC)


def recorded(store: Store) -> tuple[int, int]:
    with store.session(write=False) as session:
        return session.query(Delivery).count(), session.query(BriefedArticle).count()


def mark_sent(store: Store, sid: int, channel: ChannelRef, article_ids: list[int]) -> None:
    """Record a delivered slot the way the scheduler does."""
    ledger = DeliveryLedger(store, holder="test", lease=timedelta(minutes=1))
    claim = ledger.claim(sid, SLOT, SLOT)
    assert claim is not None
    ledger.mark_sent(claim, "1", channel=channel, article_ids=article_ids, now=SLOT)


async def test_preview_shows_only_the_asker_what_the_next_run_would_post(
    slack: Slack, store: Store
) -> None:
    here = ChannelRef("slack", CHANNEL, slack.fake.team_id)
    sub = slack.subscriptions.subscribe(here, "korea-japan", at="08:00", tz="Asia/Seoul")
    await slack.command(f"preview {sub.id}", user=ADMIN)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 2)
    header, briefing = slack.replies()
    assert (header.response_type, briefing.response_type) == ("ephemeral", "ephemeral")
    next_run = slack.subscriptions.next_run(sub)
    assert next_run is not None
    assert header.text.startswith(
        f"Preview of subscription `{sub.id}`'s next run (*korea-japan*, 08:00 Asia/Seoul daily)"
        f" · next <!date^{int(next_run.timestamp())}^"
    )
    assert header.text.endswith("; only you see it, and nothing is recorded.")
    expected = slack.briefings.brief("korea-japan", 3, exclude_channel=here)
    [rendered] = render_briefing(expected)
    assert briefing.blocks[1:-1] == rendered["blocks"][1:-1]  # the stories, as the slot has them
    assert recorded(store) == (0, 0)  # nothing claimed, nothing marked as briefed
    assert [p for p in slack.fake.posted if p.response_type == "in_channel"] == []

    # once the channel has seen the story: the note the slot would post
    mark_sent(store, sub.id, here, [i for item in expected.items for i in item.article_ids])
    await slack.command(f"preview {sub.id}", user=ADMIN)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 4)
    assert "Nothing new on korea-japan since " in slack.replies()[3].text


async def test_quiet_with_nothing_new_says_it_would_post_nothing(
    slack: Slack, store: Store
) -> None:
    here = ChannelRef("slack", CHANNEL, slack.fake.team_id)
    sub = slack.subscriptions.subscribe(here, "korea-japan", at="08:00", quiet=True)
    items = slack.briefings.brief("korea-japan", 3, exclude_channel=here).items
    mark_sent(store, sub.id, here, [i for item in items for i in item.article_ids])
    await slack.command(f"preview {sub.id}", user=ADMIN)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    [reply] = slack.replies()
    assert reply.response_type == "ephemeral"
    assert reply.text.endswith(messages.SLACK_PREVIEW_NOTHING.format(slug="korea-japan"))


async def test_only_this_workspaces_subscriptions_and_only_for_those_allowed(
    slack: Slack, store: Store
) -> None:
    elsewhere = slack.subscriptions.subscribe(
        ChannelRef("slack", "COTHER", "TOTHER"), "korea-japan", at="08:00"
    )
    await slack.command(f"preview {elsewhere.id}", user=ADMIN)  # another workspace's
    await slack.command("preview 424242", user=ADMIN)  # none at all
    await slack.fake.wait_for(lambda: len(slack.replies()) == 2)
    refusals = {reply.text for reply in slack.replies()}
    assert refusals == {
        messages.SUB_NOT_FOUND.format(id=elsewhere.id),
        messages.SUB_NOT_FOUND.format(id=424242),
    }
    assert {reply.response_type for reply in slack.replies()} == {"ephemeral"}

    here = ChannelRef("slack", CHANNEL, slack.fake.team_id)
    sub = slack.subscriptions.subscribe(here, "korea-japan", at="08:00")
    await slack.command(f"preview {sub.id}", user=MEMBER)  # may not subscribe: may not preview
    await slack.fake.wait_for(lambda: len(slack.replies()) == 3)
    assert slack.replies()[2].text == messages.SLACK_PREVIEW_NOT_ALLOWED
    assert slack.replies()[2].response_type == "ephemeral"

    status, body, _ = await slack.command("preview", user=ADMIN)  # no id: the usage, in the ack
    assert status == 200
    assert json.loads(body) == {
        "text": messages.SLACK_USAGE_PREVIEW.replace("<", "&lt;").replace(">", "&gt;"),
        "response_type": "ephemeral",
    }
    assert recorded(store) == (0, 0)


async def test_the_list_shows_each_ones_last_delivery(slack: Slack, store: Store) -> None:
    here = ChannelRef("slack", CHANNEL, slack.fake.team_id)
    delivered = slack.subscriptions.subscribe(here, "korea-japan", at="08:00", tz="Asia/Seoul")
    fresh = slack.subscriptions.subscribe(here, "us-china", at="09:00")
    mark_sent(store, delivered.id, here, [])
    await slack.command("list")
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    lines = slack.replies()[0].text.split("\n")
    assert lines[1].startswith(f"• `{delivered.id}` *korea-japan* · 08:00 Asia/Seoul daily")
    assert " · active · next <!date^" in lines[1]
    assert lines[1].endswith(
        f" · last delivered <!date^{int(SLOT.timestamp())}^{{date_short_pretty}} {{time}}"
        "|2025-06-18 23:00 UTC>"
    )
    assert lines[2].startswith(f"• `{fresh.id}` *us-china*")
    assert lines[2].endswith(" · no delivery yet")
