"""End to end on 127.0.0.1: briefbot's HTTP server with the real slack-bolt app, a fake Slack
Web API + response_url sink, and the demo corpus in a temp SQLite store.

Slash commands are signed the way Slack signs them (``tests.fakes.slack_fake.sign_request``:
an HMAC written here, not slack_sdk's own verifier).  Every payload that reaches the fake is
checked against Block Kit's limits there, so ``fake.refused`` must stay empty.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from adapters.http import bound_port, build_web_app, start_web_server
from adapters.slack import SlackAdapter
from adapters.slack.render import MAX_BLOCKS, escape, render_briefing, render_help
from bot import messages
from bot.briefing import BriefingService
from bot.errors import BadInput, ChannelUnavailable, DeliveryError
from bot.models import Briefing, BriefingItem, ChannelRef, TopicRef
from bot.settings import Settings
from bot.store import NewArticle, Store
from bot.subscriptions import SubscriptionService
from bot.topics import TopicRegistry
from tests.fakes.slack_fake import sign_request, slash_command_body, slash_command_payload
from tests.support.slack_system import (
    ADMIN,
    CHANNEL,
    MEMBER,
    SECRET,
    SEED_TITLE,
    Slack,
    sections,
    start_adapter,
)

# -- /brief <topic> ------------------------------------------------------------------------


async def test_brief_is_acked_at_once_then_posted_in_the_channel(slack: Slack) -> None:
    status, body, seconds = await slack.command("korea-japan")
    assert (status, body) == (200, "")  # an empty ack: the briefing is not in it
    assert seconds < 3.0  # Slack's deadline

    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    [post] = slack.replies()
    assert post.response_type == "in_channel"
    assert post.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Briefing: Korea – Japan"},
    }
    assert post.blocks[-1]["type"] == "context"
    assert len(post.blocks) <= MAX_BLOCKS
    assert post.text.startswith("Briefing: Korea – Japan (1 story): Korea, Japan leaders meet")

    # The posted piece is the demo editorial with the bullets the store holds for it.
    expected = slack.briefings.brief("korea-japan")
    [section] = sections(post)
    assert SEED_TITLE in section
    assert "Korea JoongAng Daily" in section
    for bullet in expected.items[0].bullets:
        assert f"• {escape(bullet)}" in section
    assert post.payload["unfurl_links"] is False
    assert slack.fake.calls_to("chat.postMessage") == []  # one message: response_url only


async def test_brief_with_a_count_and_a_country_pair_by_name(slack: Slack) -> None:
    status, _, _ = await slack.command("japan and korea 2")
    assert status == 200
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    assert slack.replies()[0].blocks[0]["text"]["text"] == "Briefing: Korea – Japan"


async def test_an_unknown_topic_is_an_ephemeral_line_naming_the_closest(slack: Slack) -> None:
    status, body, _ = await slack.command("korea-japn")
    assert (status, body) == (200, "")
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    [reply] = slack.replies()
    assert reply.response_type == "ephemeral"
    assert reply.text.startswith("Unknown topic 'korea-japn'; closest: korea-japan")
    assert "\n" not in reply.text
    assert "Traceback" not in reply.text


async def test_help_and_usage_errors_are_answered_in_the_ack(slack: Slack) -> None:
    status, body, _ = await slack.command("help")
    assert status == 200
    assert json.loads(body) == {"text": render_help()["text"], "response_type": "ephemeral"}
    assert "`/brief unsubscribe &lt;id&gt;`" in json.loads(body)["text"]  # shown as typed

    status, body, _ = await slack.command("korea-japan 9")
    assert status == 200
    assert json.loads(body) == {"text": messages.SLACK_USAGE_COUNT, "response_type": "ephemeral"}

    status, body, _ = await slack.command("")
    assert json.loads(body)["text"] == render_help()["text"]  # an empty /brief is help too
    await asyncio.sleep(0.2)
    assert slack.fake.posted == []  # nothing went to the channel
    assert slack.fake.calls == []  # nor to the Web API


async def test_topics_lists_the_curated_ones_ephemerally(slack: Slack) -> None:
    await slack.command("topics")
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    [reply] = slack.replies()
    assert reply.response_type == "ephemeral"
    assert "• `korea-japan` Korea – Japan" in reply.text

    await slack.command("topics kor")
    await slack.fake.wait_for(lambda: len(slack.replies()) == 2)
    assert "`korea-japan`" in slack.replies()[1].text
    assert "`north-korea`" in slack.replies()[1].text


# -- subscriptions ---------------------------------------------------------------------------


async def test_subscribe_list_unsubscribe_round_trip(slack: Slack) -> None:
    await slack.command("subscribe korea-japan 08:00 Asia/Seoul weekdays", user=ADMIN)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    confirmation = slack.replies()[0]
    assert confirmation.response_type == "in_channel"
    [sub] = slack.subscriptions.list(ChannelRef("slack", CHANNEL, slack.fake.team_id))
    assert (sub.topic.slug, sub.schedule.at, sub.schedule.timezone) == (
        "korea-japan",
        "08:00",
        "Asia/Seoul",
    )
    assert sub.schedule.days == (1, 2, 3, 4, 5)
    assert sub.channel.workspace_id == slack.fake.team_id
    assert sub.created_by == ADMIN
    assert confirmation.text == (
        f"Scheduled *korea-japan* for this channel: 08:00 Asia/Seoul weekdays "
        f"(subscription `{sub.id}`)."
    )

    await slack.command("list")  # anyone may look
    await slack.fake.wait_for(lambda: len(slack.replies()) == 2)
    listing = slack.replies()[1]
    assert listing.response_type == "ephemeral"
    next_run = slack.subscriptions.next_run(sub)
    assert next_run is not None
    assert (
        f"• `{sub.id}` *korea-japan* · 08:00 Asia/Seoul weekdays · active · next "
        f"<!date^{int(next_run.timestamp())}^{{date_short_pretty}} {{time}}|"
    ) in listing.text  # each reader sees it in their own zone

    await slack.command(f"unsubscribe {sub.id}", user=ADMIN)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 3)
    assert slack.replies()[2].text.startswith(f"Removed subscription `{sub.id}`")
    assert slack.subscriptions.list(ChannelRef("slack", CHANNEL, slack.fake.team_id)) == []

    await slack.command(f"unsubscribe {sub.id}", user=ADMIN)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 4)
    assert slack.replies()[3].response_type == "ephemeral"
    assert str(sub.id) in slack.replies()[3].text


async def test_a_paused_subscription_is_listed_with_why_and_resumed(slack: Slack) -> None:
    channel = ChannelRef("slack", CHANNEL, slack.fake.team_id)
    sub = slack.subscriptions.subscribe(channel, "korea-japan", at="08:00", tz="Asia/Seoul")
    slack.subscriptions.pause(sub.id, "Slack channel C1 is archived")

    await slack.command("list")
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    assert slack.replies()[0].text.endswith(
        f"· paused: Slack channel C1 is archived · no delivery yet · `/brief resume {sub.id}` "
        "resumes it"
    )

    await slack.command(f"resume {sub.id}", user=ADMIN)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 2)
    confirm = slack.replies()[1]
    assert confirm.response_type == "in_channel"
    assert confirm.text.startswith(
        f"Resumed subscription `{sub.id}` (*korea-japan*, 08:00 Asia/Seoul daily) · next <!date^"
    )
    assert slack.subscriptions.get(sub.id).status == "active"

    await slack.command(f"resume {sub.id}", user=ADMIN)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 3)
    assert slack.replies()[2].response_type == "ephemeral"
    assert slack.replies()[2].text.startswith(f"Subscription `{sub.id}` is not paused")

    slack.subscriptions.pause(sub.id, "gone")
    await slack.command("subscribe korea-japan 08:00 Asia/Seoul", user=ADMIN)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 4)
    assert "resumed subscription" in slack.replies()[3].text
    assert [s.status for s in slack.subscriptions.list(channel)] == ["active"]

    await slack.command("resume", user=ADMIN)  # no id: the usage, in the ack
    await slack.command("resume 12345", user=ADMIN)  # not this channel's
    await slack.fake.wait_for(lambda: len(slack.replies()) >= 5)
    slack.subscriptions.pause(sub.id, "gone")
    await slack.command(f"resume {sub.id}")  # not an admin: refused
    await slack.fake.wait_for(lambda: len(slack.replies()) >= 6)
    assert slack.subscriptions.get(sub.id).status == "paused"


async def test_a_member_who_is_not_an_admin_is_refused(slack: Slack) -> None:
    await slack.command("subscribe korea-japan 08:00", user=MEMBER)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    [reply] = slack.replies()
    assert (reply.response_type, reply.text) == ("ephemeral", messages.SLACK_NOT_ALLOWED)
    assert slack.subscriptions.list() == []
    assert [call.params["user"] for call in slack.fake.calls_to("users.info")] == [MEMBER]


async def test_a_bad_schedule_is_one_ephemeral_line_with_the_fix(slack: Slack) -> None:
    await slack.command("subscribe korea-japan 08:00 Asia/Seol", user=ADMIN)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    [reply] = slack.replies()
    assert reply.response_type == "ephemeral"
    assert "Asia/Seoul" in reply.text  # the core's suggestion
    assert slack.subscriptions.list() == []


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ("subscribe korea-japan 08:00 KST", "instead of 'KST' (did you mean Asia/Seoul?)"),
        ("subscribe korea-japan 8 Asia/Seoul", "did you mean 08:00 (or 20:00 in the evening)?"),
        ("subscribe korea-japan 24:00", "midnight is 00:00"),
        ("subscribe korea-japan 08:00 Asia/Seoul wekdays", "did you mean weekdays?"),
    ],
)
async def test_a_schedule_typed_loosely_is_answered_with_its_fix(
    slack: Slack, text: str, fix: str
) -> None:
    await slack.command(text, user=ADMIN)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    [reply] = slack.replies()
    assert reply.response_type == "ephemeral"
    assert fix in reply.text
    assert "\n" not in reply.text
    assert slack.subscriptions.list() == []


async def test_a_city_of_two_words_is_its_zone(slack: Slack) -> None:
    await slack.command("subscribe korea-japan 08:00 new york weekdays", user=ADMIN)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    [sub] = slack.subscriptions.list()
    assert (sub.schedule.timezone, sub.schedule.days) == ("America/New_York", (1, 2, 3, 4, 5))


async def test_allowed_users_and_groups_from_settings(
    store: Store, registry: TopicRegistry
) -> None:
    fake, adapter, _, _, subscriptions = await start_adapter(
        store, registry, slack_subscribe_allowed="UCHOSEN, SEDITORS"
    )
    fake.add_user("UCHOSEN")
    fake.add_user("UEDITOR")
    fake.usergroups["SEDITORS"] = ["UEDITOR"]
    web_app = build_web_app(_always_ok)
    adapter.mount(web_app)
    runner = await start_web_server(web_app, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{bound_port(runner)}/slack/events"
    try:
        async with aiohttp.ClientSession() as session:
            for number, (user, hour) in enumerate(
                [("UCHOSEN", "07:00"), ("UEDITOR", "08:00"), (ADMIN, "09:00")], start=1
            ):
                body = slash_command_body(
                    f"subscribe korea-japan {hour}", user_id=user, response_url=fake.response_url()
                )
                async with session.post(base, data=body, headers=sign_request(SECRET, body)):
                    pass
                await fake.wait_for(lambda n=number: len(fake.posted) == n)  # type: ignore[misc]
        # the setting replaces the admin default: the workspace admin is not on the list
        assert [sub.schedule.at for sub in subscriptions.list()] == ["07:00", "08:00"]
        assert fake.posted[2].text == messages.SLACK_NOT_ALLOWED
        assert fake.calls_to("users.info") == []
    finally:
        await adapter.close()
        await runner.cleanup()
        await fake.stop()


async def _always_ok() -> dict[str, Any]:
    return {"ok": True}


# -- request verification --------------------------------------------------------------------


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda body: sign_request("not-the-secret", body), id="forged-signature"),
        pytest.param(
            lambda body: sign_request(SECRET, body, int(time.time()) - 6 * 60), id="stale"
        ),
        pytest.param(
            lambda body: sign_request(SECRET, body, int(time.time()) + 6 * 60), id="future"
        ),
        pytest.param(
            lambda body: {"Content-Type": "application/x-www-form-urlencoded"},
            id="missing-headers",
        ),
        pytest.param(
            lambda body: {**sign_request(SECRET, body), "X-Slack-Signature": "v0=deadbeef"},
            id="bad-signature",
        ),
        pytest.param(lambda body: sign_request(SECRET, body + "&text=other"), id="body-tampered"),
    ],
)
async def test_unverified_requests_get_401_and_nothing_is_posted(slack: Slack, forge: Any) -> None:
    body = slash_command_body(
        "korea-japan", team_id=slack.fake.team_id, response_url=slack.fake.response_url()
    )
    async with slack.session.post(
        f"{slack.base_url}/slack/events", data=body.encode(), headers=forge(body)
    ) as response:
        assert response.status == 401
    await asyncio.sleep(0.3)
    assert slack.fake.posted == []
    assert slack.fake.calls == []


async def test_healthz_beside_slack_events(slack: Slack) -> None:
    async with slack.session.get(f"{slack.base_url}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"ok": True, "slack": "connected"}
    assert repr(slack.adapter) == "<SlackAdapter mode=http connected=True>"  # no secrets


# -- delivery paths --------------------------------------------------------------------------


async def test_a_spent_response_url_falls_back_to_chat_post_message(slack: Slack) -> None:
    slack.fake.response_url_uses = 0  # every response_url answers 404 used_url
    await slack.command("korea-japan")
    await slack.fake.wait_for(lambda: len(slack.replies("chat.postMessage")) == 1)
    [post] = slack.replies("chat.postMessage")
    assert post.channel == CHANNEL
    assert SEED_TITLE in sections(post)[0]
    assert post.thread_ts is None


async def test_when_the_bot_cannot_post_either_the_user_is_told(slack: Slack) -> None:
    slack.fake.response_url_uses = 0
    slack.fake.channel_errors["CPRIVATE"] = "not_in_channel"
    await slack.command("korea-japan", channel="CPRIVATE")
    await slack.fake.wait_for(lambda: len(slack.fake.calls_to("chat.postEphemeral")) == 1)
    [call] = slack.fake.calls_to("chat.postEphemeral")
    assert call.params["user"] == MEMBER
    assert slack.fake.posted == []  # CPRIVATE refuses ephemeral posts as well


async def test_failures_show_a_generic_line_and_are_logged(
    slack: Slack, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    with store.engine.begin() as connection:  # the store breaks under the running bot
        connection.exec_driver_sql("DROP TABLE article_mentions")
    await slack.command("korea-japan")
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    [reply] = slack.replies()
    assert (reply.response_type, reply.text) == ("ephemeral", messages.GENERIC_FAILURE)
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    found = re.match(
        r"/brief 'korea-japan' failed \(request ([0-9a-f]{12}), team T0FAKE, channel CBRIEF\)",
        record.getMessage(),
    )
    assert found is not None, record.getMessage()  # the command's id, for the operator
    assert found.group(1) not in reply.text  # and not in the user's line
    assert "no such table: article_mentions" in caplog.text  # for the operator


async def test_close_lets_an_in_flight_briefing_finish(slack: Slack) -> None:
    status, _, _ = await slack.command("korea-japan")
    assert status == 200
    await slack.adapter.close()  # right after the ack, before the work is done
    assert len(slack.replies()) == 1
    assert not slack.adapter.connected
    status, _, _ = await slack.command("korea-japan")
    assert status == 503


# -- publish (the scheduler's entry point) ---------------------------------------------------


def _long_briefing() -> Briefing:
    items = tuple(
        BriefingItem(
            title=f"Piece {n} <!channel>",
            url=f"https://example.com/{n}",
            source="Outlet",
            published=datetime(2025, 6, 18, tzinfo=UTC),
            bullets=tuple(f"Bullet {n}.{k} " + "words " * 300 for k in range(5)),
        )
        for n in range(12)
    )
    return Briefing(TopicRef("korea-japan", "Korea – Japan"), datetime.now(UTC), items)


async def test_publish_threads_a_long_briefing(slack: Slack) -> None:
    briefing = _long_briefing()
    rendered = render_briefing(briefing)
    assert len(rendered) > 1
    ts = await slack.adapter.publish(ChannelRef("slack", CHANNEL, "T0FAKE"), briefing)
    posts = slack.replies("chat.postMessage")
    assert len(posts) == len(rendered)
    assert posts[0].ts == ts
    assert posts[0].thread_ts is None
    assert all(post.thread_ts == ts for post in posts[1:])
    assert [post.blocks for post in posts] == [message["blocks"] for message in rendered]
    assert all("<!channel>" not in section for post in posts for section in sections(post))


async def test_publishing_reuses_one_connection_to_slack(slack: Slack) -> None:
    channel = ChannelRef("slack", CHANNEL, "T0FAKE")
    for _ in range(3):
        await slack.adapter.publish(channel, _long_briefing())
    posts = [call for call in slack.fake.calls if call.method == "chat.postMessage"]
    assert len(posts) == 3 * len(render_briefing(_long_briefing()))
    assert len({call.client_port for call in posts}) == 1  # keep-alive, not a socket per post


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
async def test_publish_to_a_gone_channel_raises_channel_unavailable(
    slack: Slack, error: str
) -> None:
    slack.fake.channel_errors["CGONE"] = error
    with pytest.raises(ChannelUnavailable) as caught:
        await slack.adapter.publish(ChannelRef("slack", "CGONE", "T0FAKE"), _long_briefing())
    assert error in str(caught.value)
    assert len(slack.fake.calls_to("chat.postMessage")) == 1  # not retried


async def test_publish_other_refusals_are_delivery_errors(slack: Slack) -> None:
    slack.fake.bot_token = "xoxb-rotated"  # the configured token is no longer valid
    with pytest.raises(DeliveryError) as caught:
        await slack.adapter.publish(ChannelRef("slack", CHANNEL, "T0FAKE"), _long_briefing())
    assert not isinstance(caught.value, ChannelUnavailable)
    assert "invalid_auth" in str(caught.value)
    assert "xoxb" not in str(caught.value)


async def test_publish_waits_out_a_429_retry_after(slack: Slack) -> None:
    slack.fake.rate_limit(CHANNEL, times=1, retry_after=1)
    item = BriefingItem("Title", None, "Outlet", None, ("One bullet.",))
    briefing = Briefing(TopicRef("korea-japan", "Korea – Japan"), datetime.now(UTC), (item,))
    ts = await slack.adapter.publish(ChannelRef("slack", CHANNEL, "T0FAKE"), briefing)
    first, second = slack.fake.calls_to("chat.postMessage")
    assert second.at - first.at >= 0.95  # Retry-After: 1 was honoured
    assert slack.replies("chat.postMessage")[0].ts == ts


async def test_publish_once_can_be_found_again(slack: Slack) -> None:
    channel = ChannelRef("slack", CHANNEL, "T0FAKE")
    since = datetime.now(UTC) - timedelta(seconds=5)
    assert await slack.adapter.find_published(channel, key="bb-1-100", since=since) is None
    ts = await slack.adapter.publish_once(channel, _long_briefing(), key="bb-1-100")
    assert await slack.adapter.find_published(channel, key="bb-1-100", since=since) == ts
    assert await slack.adapter.find_published(channel, key="bb-2-100", since=since) is None
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert await slack.adapter.find_published(channel, key="bb-1-100", since=later) is None


async def test_publish_refuses_another_platforms_channel(slack: Slack) -> None:
    with pytest.raises(DeliveryError):
        await slack.adapter.publish(ChannelRef("discord", "123"), _long_briefing())
    assert slack.fake.calls == []


# -- escaping, through the whole path ----------------------------------------------------------


async def test_mentions_in_stored_articles_arrive_inert(slack: Slack, store: Store) -> None:
    store.add_article(
        NewArticle(
            title="Seoul & Tokyo <!channel> talk again",
            text="Korea and Japan. " * 20,
            bullets=(
                "Officials in Seoul told <!here> that <@U0123> would visit Tokyo.",
                "Japan and Korea agreed @everyone should <b>benefit</b>.",
            ),
            outlet="<!subteam^S123> Herald",
            url="https://example.com/korea-japan?a=1&b=2",
            published_at=datetime.now(UTC),
            mentions={"KR": 1.0, "JP": 1.0, "topic:korea-japan": 1.0},
        )
    )
    await slack.command("korea-japan 5")
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    [post] = slack.replies()
    texts = "\n".join(sections(post))
    assert "Seoul &amp; Tokyo &lt;!channel&gt; talk again" in texts
    assert "told &lt;!here&gt; that &lt;@U0123&gt; would" in texts
    assert "@\u2060everyone" in texts
    assert "&lt;!subteam^S123&gt; Herald" in texts
    assert "<https://example.com/korea-japan?a=1&amp;b=2|" in texts
    for raw in ("<!channel>", "<!here>", "<@U0123>", "<!subteam^S123>"):
        assert raw not in texts
        assert raw not in post.text


async def test_start_refuses_a_bot_token_slack_rejects(
    store: Store, registry: TopicRegistry
) -> None:
    fake, adapter, _, _, _ = await start_adapter(store, registry)
    fake.bot_token = "xoxb-the-real-one"  # ours is not it
    try:
        with pytest.raises(BadInput) as caught:
            await adapter.start()
        assert str(caught.value) == messages.SLACK_BAD_TOKEN.format(error="invalid_auth")
    finally:
        await adapter.close()
        await fake.stop()


async def test_bolt_does_not_warn_about_the_environment_token(
    store: Store,
    registry: TopicRegistry,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-fake-bot-token")  # as under `briefbot run`
    caplog.set_level(logging.INFO)
    fake, adapter, _, _, _ = await start_adapter(store, registry)
    try:
        await adapter.start()
    finally:
        await adapter.close()
        await fake.stop()
    assert "token` will be unused" not in caplog.text
    assert "Slack bot UBRIEFBOT in team T0FAKE" in caplog.text


def test_an_adapter_without_credentials_is_refused(store: Store, registry: TopicRegistry) -> None:
    settings = Settings(_env_file=None, slack_bot_token="xoxb-only")  # type: ignore[call-arg]
    with pytest.raises(BadInput, match="SLACK_SIGNING_SECRET"):
        SlackAdapter(
            settings,
            briefings=BriefingService(store, registry),
            topics=registry,
            subscriptions=SubscriptionService(store, registry),
        )
    assert "xoxb" not in repr(settings)


# -- Socket Mode -------------------------------------------------------------------------------


async def test_socket_mode_takes_slash_commands_over_the_websocket(
    store: Store, registry: TopicRegistry
) -> None:
    fake, adapter, _, _, _ = await start_adapter(
        store, registry, slack_app_token="xapp-fake-app-token"
    )
    try:
        assert adapter.socket_mode
        assert not adapter.connected
        await adapter.start()
        assert adapter.connected
        assert fake.socket_connections == 1
        [opened] = fake.calls_to("apps.connections.open")
        assert opened.token == "xapp-fake-app-token"

        payload = slash_command_payload(
            "korea-japan", response_url=fake.response_url(), team_id=fake.team_id
        )
        envelope = await fake.send_envelope(
            "slash_commands", payload, accepts_response_payload=True
        )
        await fake.wait_for(lambda: envelope in fake.socket_acks)
        await fake.wait_for(lambda: len(fake.posted) == 1)
        [post] = fake.posted
        assert post.response_type == "in_channel"
        assert SEED_TITLE in sections(post)[0]

        payload = slash_command_payload(
            "help", response_url=fake.response_url(), team_id=fake.team_id
        )
        envelope = await fake.send_envelope(
            "slash_commands", payload, accepts_response_payload=True
        )
        await fake.wait_for(lambda: envelope in fake.socket_acks)
        assert "/brief subscribe" in fake.socket_acks[envelope]["payload"]["text"]
    finally:
        await adapter.close()
        await fake.stop()
    assert not adapter.connected


async def test_socket_mode_gives_up_with_one_line_when_the_app_token_is_refused(
    store: Store, registry: TopicRegistry
) -> None:
    fake, adapter, _, _, _ = await start_adapter(
        store, registry, slack_app_token="xapp-revoked", socket_connect_timeout=0.5
    )
    try:
        with pytest.raises(DeliveryError) as caught:
            await adapter.start()
        assert "did not connect within 0.5 s" in str(caught.value)
        assert "xapp" not in str(caught.value)
        assert fake.calls_to("apps.connections.open")
        assert not adapter.connected
    finally:
        await adapter.close()
        await fake.stop()
