"""`/brief source add|list|remove` end to end: signed slash commands over HTTP, real Bolt, the
real ``UserSourceService`` with its SSRF guard, a real feed served on 127.0.0.1.

The guard runs as in production except for one explicit, test-only allowance (127.0.0.1/32,
a constructor argument no setting can reach), so the test's own web server can stand in for a
public feed at ``news.example.test``; every other private address is refused as it would be.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from adapters.slack.render import render_text
from bot import messages
from bot.store import Store
from bot.topics import TopicRegistry
from tests.support.content import FeedItem, rss
from tests.support.slack_system import ADMIN, MEMBER, SOURCE_LIMIT, Slack, running_slack
from tests.support.web import LocalWeb

RSS = "application/rss+xml; charset=utf-8"
SUMMARY = (
    "South Korea and Japan agreed on Tuesday to expand a currency swap line. "
    "The finance ministers of Seoul and Tokyo met in Busan to sign the deal."
)


def serve_feed(web: LocalWeb, path: str = "/rss", *, title: str = "Seoul Ledger") -> str:
    """A valid RSS feed on the test server, addressed by a public-looking name."""
    port = web.host.rsplit(":", 1)[1]
    item = FeedItem(
        title="Korea and Japan expand currency swap",
        link=f"http://news.example.test:{port}/story/1",
        guid=f"{path}-1",
        summary=SUMMARY,
        published=datetime(2025, 6, 18, tzinfo=UTC),
    )
    web.add(path, rss([item], title=title), content_type=RSS)
    return f"http://news.example.test:{port}{path}"


async def reply_to(slack: Slack, text: str, *, user: str = ADMIN) -> tuple[str, str]:
    """Send a command and wait for its one reply: (response_type, text)."""
    before = len(slack.replies())
    status, body, _ = await slack.command(text, user=user)
    assert (status, body) == (200, "")  # acked empty: the work happens after the ack
    await slack.fake.wait_for(lambda: len(slack.replies()) == before + 1, within=15)
    reply = slack.replies()[-1]
    return reply.response_type or "", reply.text


async def test_add_list_remove_a_feed(slack: Slack, store: Store, local_web: LocalWeb) -> None:
    url = serve_feed(local_web)
    kind, text = await reply_to(slack, f"source add {url}")
    [feed] = store.user_feeds("slack", slack.fake.team_id)
    assert (feed.url, feed.trusted, feed.name) == (url, False, "Seoul Ledger")
    assert kind == "in_channel"  # the workspace's sources changed: the channel sees it
    assert text == (
        f"Added *Seoul Ledger* as source `{feed.id}` for this workspace (`{url}`); "
        "its articles join briefings once it has been polled."
    )
    assert local_web.hits("/rss") == 1  # fetched once, to validate it

    kind, text = await reply_to(slack, "source list", user=MEMBER)  # anyone may look
    assert kind == "ephemeral"
    assert text.split("\n") == [
        f"*Sources this workspace added* (1 of at most {SOURCE_LIMIT})",
        f"• `{feed.id}` *Seoul Ledger* · `{url}` · not polled yet",
    ]

    kind, text = await reply_to(slack, f"source remove {feed.id}")
    assert (kind, text) == (
        "in_channel",
        f"Removed source `{feed.id}` (*Seoul Ledger*, `{url}`); articles already collected stay.",
    )
    assert store.user_feeds("slack", slack.fake.team_id) == []
    kind, text = await reply_to(slack, "sources")
    assert (kind, text) == ("ephemeral", messages.SLACK_NO_SOURCES)


async def test_a_link_as_slack_sends_it_is_accepted(
    slack: Slack, store: Store, local_web: LocalWeb
) -> None:
    url = serve_feed(local_web)
    kind, _ = await reply_to(slack, f"source add <{url}|news.example.test>")
    assert kind == "in_channel"
    assert [feed.url for feed in store.user_feeds("slack", slack.fake.team_id)] == [url]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.1/feed", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/rss", "loopback"),
        ("http://[::ffff:10.0.0.1]/rss", "private network"),
        ("http://intranet.example.test/rss", "private network"),  # a name resolving to 10.x
        ("http://localhost/rss", "local-only name"),
        ("http://2130706433/rss", "non-standard form"),
        ("file:///etc/passwd", "only http and https"),
    ],
)
async def test_a_private_or_odd_address_is_refused_in_one_ephemeral_line(
    slack: Slack, store: Store, local_web: LocalWeb, url: str, reason: str
) -> None:
    kind, text = await reply_to(slack, f"source add {url}")
    assert kind == "ephemeral"
    assert text.startswith("Cannot add that feed: ")
    assert reason in text
    assert "\n" not in text
    assert "Traceback" not in text
    assert store.user_feeds("slack", slack.fake.team_id) == []
    assert local_web.requests == []  # nothing was fetched


async def test_a_page_that_is_not_a_feed_is_refused(
    slack: Slack, store: Store, local_web: LocalWeb
) -> None:
    port = local_web.host.rsplit(":", 1)[1]
    local_web.add("/page", "<html><body><p>Just a page.</p></body></html>")
    kind, text = await reply_to(slack, f"source add http://news.example.test:{port}/page")
    assert kind == "ephemeral"
    assert text.startswith("That address is not an RSS or Atom feed")
    assert store.user_feeds("slack", slack.fake.team_id) == []


async def test_members_may_not_add_or_remove(
    slack: Slack, store: Store, local_web: LocalWeb
) -> None:
    url = serve_feed(local_web)
    assert (await reply_to(slack, f"source add {url}"))[0] == "in_channel"  # the admin's
    [feed] = store.user_feeds("slack", slack.fake.team_id)
    for text in (f"source add {serve_feed(local_web, '/other')}", f"source remove {feed.id}"):
        kind, reply = await reply_to(slack, text, user=MEMBER)
        assert (kind, reply) == ("ephemeral", messages.SLACK_SOURCES_NOT_ALLOWED)
    assert store.user_feeds("slack", slack.fake.team_id) == [feed]  # nothing changed
    assert local_web.hits("/other") == 0  # refused before any fetch


async def test_the_workspace_limit_and_unknown_ids(
    slack: Slack, store: Store, local_web: LocalWeb
) -> None:
    for number in range(SOURCE_LIMIT):
        url = serve_feed(local_web, f"/rss{number}", title=f"Feed {number}")
        assert (await reply_to(slack, f"source add {url}"))[0] == "in_channel"
    kind, text = await reply_to(slack, f"source add {serve_feed(local_web, '/one-more')}")
    assert (kind, text) == ("ephemeral", messages.SOURCE_LIMIT.format(limit=SOURCE_LIMIT))
    kind, text = await reply_to(slack, f"source add {serve_feed(local_web, '/rss0')}")
    assert (kind, text) == ("ephemeral", messages.SOURCE_ALREADY_YOURS)
    kind, text = await reply_to(slack, "source remove 999")
    assert (kind, text) == ("ephemeral", messages.SOURCE_NOT_FOUND.format(which="999"))
    assert len(store.user_feeds("slack", slack.fake.team_id)) == SOURCE_LIMIT


async def test_a_hostile_feed_title_is_inert_in_the_channel(
    slack: Slack, local_web: LocalWeb
) -> None:
    url = serve_feed(local_web, title="*BREAKING* @everyone ```x``` <!channel> <@U1>")
    kind, text = await reply_to(slack, f"source add {url}")
    assert kind == "in_channel"
    assert "*∗BREAKING∗ @\u2060everyone ˋˋˋxˋˋˋ" in text  # however the feed parser read the rest
    for live in ("<!channel>", "<@U1>", "```", "*BREAKING*"):
        assert live not in text


async def test_usage_errors_are_answered_in_the_ack(slack: Slack) -> None:
    for text in ("source", "source add", "source remove 1 2", "source follow x"):
        status, body, _ = await slack.command(text, user=ADMIN)
        assert status == 200
        assert json.loads(body) == {
            "text": render_text(messages.SLACK_USAGE_SOURCE)["text"],
            "response_type": "ephemeral",
        }
    assert slack.fake.posted == []


async def test_without_a_source_service_the_commands_say_so(
    store: Store, registry: TopicRegistry
) -> None:
    async with running_slack(store, registry, sources=None) as slack:
        for text in ("source list", "source add https://example.com/rss", "source remove 1"):
            status, body, _ = await slack.command(text, user=ADMIN)
            assert status == 200
            assert messages.SLACK_SOURCES_DISABLED in body
        assert slack.fake.posted == []
        assert slack.fake.calls == []  # not even a permission check
