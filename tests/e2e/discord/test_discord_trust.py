"""Issue 7 on Discord, end to end: a request id on every log line of a command, the metrics a
command feeds, and hostile article text arriving inert on the wire, in the edit of a deferred
response (``/brief``) and in a new message (``publish``) alike.  Real discord.py, the fake
Discord, the real core."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from adapters.discord import DiscordAdapter
from bot import messages
from bot.logs import RequestIdFilter
from bot.metrics import REGISTRY
from bot.models import ChannelRef
from bot.store import NewArticle
from tests.fakes.discord_fake import (
    EPHEMERAL,
    DiscordFake,
    live_syntax,
    message_mentions,
    message_problems,
    option,
)
from tests.support.discord_system import CHANNEL, GUILD, Core
from tests.support.web import LocalWeb


class Collected(logging.Handler):
    """Every record, with the request fields ``bot.logs.RequestIdFilter`` adds (as the
    production handler has them)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.addFilter(RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def of(self, request_id: str) -> list[logging.LogRecord]:
        return [r for r in self.records if getattr(r, "request_id", None) == request_id]


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[Collected]:
    caplog.set_level(logging.INFO)
    handler = Collected()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


def metric(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def ask(fake: DiscordFake, name: str, options: Any = (), **kw: Any) -> Mapping[str, Any]:
    return await fake.send_interaction(fake.interaction(name, options, **kw))


# -- request ids ------------------------------------------------------------------------------


async def test_every_log_line_of_a_command_carries_its_request_id(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, logs: Collected, local_web: LocalWeb
) -> None:
    # a command whose work logs from the core, in a worker thread: removing a source
    port = local_web.host.rsplit(":", 1)[1]
    local_web.add(
        "/rss",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Ledger</title>'
        "<item><title>Seoul and Tokyo talk</title><guid>1</guid>"
        "<description>Seoul and Tokyo held talks.</description></item></channel></rss>",
        content_type="application/rss+xml",
    )
    feed = await core.sources.add("discord", str(GUILD), f"http://news.example.test:{port}/rss")
    removal = await ask(fake, "briefing", [option("url", str(feed.id))], subcommand="source remove")
    await fake.wait_for_answers(removal)
    request_id = str(removal["id"])  # the interaction's own id: logs and Discord agree
    mine = logs.of(request_id)
    core_lines = [r for r in mine if r.name == "bot.user_sources"]
    assert [r.getMessage() for r in core_lines] == [
        f"discord workspace {GUILD} removed feed {feed.url} (id {feed.id})"
    ]
    assert {(r.platform, r.command) for r in mine} == {("discord", "briefing source remove")}  # type: ignore[attr-defined]
    # lines logged outside any command carry no id
    assert all(r.request_id == "-" for r in logs.records if r not in mine)  # type: ignore[attr-defined]

    refused = await ask(fake, "brief", [option("topic", "korea-japn")])
    await fake.wait_for_answers(refused)
    [line] = logs.of(str(refused["id"]))
    assert line.getMessage().startswith("discord /brief refused: Unknown topic 'korea-japn'")


async def test_the_generic_failure_is_logged_with_the_request_id_the_user_never_sees(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, logs: Collected
) -> None:
    # a real fault: a subscription row damaged by hand in the database
    here = ChannelRef("discord", str(CHANNEL), str(GUILD))
    core.subscriptions.subscribe(here, "korea-japan", at="08:00")
    with core.store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE subscriptions SET days = 'mon,tue'")
    listing = await ask(fake, "briefing", subcommand="list")
    _, [reply] = await fake.wait_for_answers(listing)
    request_id = str(listing["id"])
    [failure] = [r for r in logs.of(request_id) if r.levelno == logging.ERROR]
    assert "/briefing list failed" in failure.getMessage()
    assert failure.exc_info is not None
    assert (failure.platform, failure.command) == ("discord", "briefing list")  # type: ignore[attr-defined]
    assert reply.body["content"] == messages.GENERIC_FAILURE
    assert reply.body["flags"] & EPHEMERAL
    assert request_id not in reply.body["content"]


# -- metrics ----------------------------------------------------------------------------------


async def test_briefs_served_and_ack_latency_are_counted_for_discord(
    fake: DiscordFake, adapter: DiscordAdapter
) -> None:
    ok = metric("briefbot_briefs_total", platform="discord", outcome="ok")
    bad = metric("briefbot_briefs_total", platform="discord", outcome="bad_input")
    timed = metric("briefbot_brief_seconds_count", platform="discord")
    acks = metric("briefbot_ack_seconds_count", platform="discord")
    ack_time = metric("briefbot_ack_seconds_sum", platform="discord")
    internal = metric("briefbot_briefs_total", platform="internal", outcome="ok")

    served = await ask(fake, "brief", [option("topic", "korea-japan")])
    await fake.wait_for_answers(served)
    refused = await ask(fake, "brief", [option("topic", "narnia")])
    await fake.wait_for_answers(refused)

    assert metric("briefbot_briefs_total", platform="discord", outcome="ok") == ok + 1
    assert metric("briefbot_briefs_total", platform="discord", outcome="bad_input") == bad + 1
    assert metric("briefbot_brief_seconds_count", platform="discord") == timed + 2
    assert metric("briefbot_briefs_total", platform="internal", outcome="ok") == internal
    assert metric("briefbot_ack_seconds_count", platform="discord") == acks + 2
    assert 0 < metric("briefbot_ack_seconds_sum", platform="discord") - ack_time < 2 * 3.0


async def test_an_immediate_refusal_counts_as_an_ack_too(
    fake: DiscordFake, adapter: DiscordAdapter
) -> None:
    acks = metric("briefbot_ack_seconds_count", platform="discord")
    refused = await ask(fake, "briefing", subcommand="list", permissions=1 << 10)
    [callback] = await fake.wait_for_request(
        "POST", rf"/interactions/{refused['id']}/{refused['token']}/callback"
    )
    assert callback.body["type"] == 4
    assert metric("briefbot_ack_seconds_count", platform="discord") == acks + 1


# -- hostile article text on the wire ---------------------------------------------------------

HOSTILE_TITLE = "@everyone Seoul and Tokyo \u202eSTOP <@&123456789012345678> # Breaking"
HOSTILE_BULLETS = (
    "Read [the official text](http://evil.example/phish) before @here votes.",
    "Japan\u200b and Korea: <@123456789012345678> said ```rm -rf``` ||hidden|| **now**.",
    "\uff20everyone \uff1c@&1\uff1e > quoted [[x](http://a.example)](http://b.example)",
    "-# small print and <t:1700000000:R> and <#123456789012345678> https://evil.example/x",
)


def _store_hostile_article(core: Core) -> None:
    text = " ".join(HOSTILE_BULLETS) + " South Korea and Japan held a summit in Tokyo."
    core.store.add_article(
        NewArticle(
            title=HOSTILE_TITLE,
            text=text,
            bullets=HOSTILE_BULLETS,
            outlet="@here Daily <@&1>",
            url="https://news.example/hostile",
            published_at=datetime.now(UTC) - timedelta(hours=1),
            mentions=core.topics.tag(HOSTILE_TITLE + " Korea Japan", text),
        )
    )


def _inert(payload: Mapping[str, Any]) -> None:
    assert message_problems(payload) == []
    assert payload["allowed_mentions"] == {"parse": []}
    assert message_mentions({**payload, "allowed_mentions": None}) == {}
    hostile = [e for e in payload["embeds"] if "news.example/hostile" in e.get("url", "")]
    assert hostile, "the hostile piece is in the briefing"
    for embed in payload["embeds"]:
        assert live_syntax(embed["title"]) == []
        for line in embed["description"].split("\n"):
            assert live_syntax(line.removeprefix("• ")) == []
        assert live_syntax(embed["footer"]["text"], markdown=False) == []


async def test_hostile_text_is_inert_in_the_edited_response_and_in_a_published_message(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core
) -> None:
    _store_hostile_article(core)
    interaction = await ask(fake, "brief", [option("topic", "korea-japan"), option("count", 5, 4)])
    _, [edit] = await fake.wait_for_answers(interaction)
    assert edit.method == "PATCH"  # the deferred response edited into the briefing
    _inert(edit.body)
    shown = fake.original_message(interaction)
    assert shown is not None
    assert (shown["mention_everyone"], shown["mentions"], shown["mention_roles"]) == (False, [], [])

    briefing = core.briefings.brief("korea-japan", count=5)
    await adapter.publish(ChannelRef("discord", str(CHANNEL), str(GUILD)), briefing)
    [post] = fake.calls("POST", rf"/channels/{CHANNEL}/messages")
    _inert(post.body)
    [message] = fake.channel_messages[str(CHANNEL)]
    assert (message["mention_everyone"], message["mentions"], message["mention_roles"]) == (
        False,
        [],
        [],
    )
    assert fake.pings == []
