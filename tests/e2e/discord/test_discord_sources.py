"""``/briefing source add|list|remove`` end to end: the real discord.py client against the fake
Discord, the real ``UserSourceService`` (SSRF guard, feed validation, per-server limit) and a
real feed served by a local web server under a public-looking name (the guard's explicit
test-only allowance for 127.0.0.1; every other private address is refused as in production).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.discord import DiscordAdapter
from bot import messages
from bot.store import FeedState
from tests.fakes.discord_fake import (
    ADMIN_PERMISSIONS,
    EPHEMERAL,
    MEMBER_PERMISSIONS,
    DiscordFake,
    Request,
    message_problems,
    option,
)
from tests.support.content import FeedItem, rss
from tests.support.discord_system import (
    FEED_HOST,
    GUILD,
    OTHER_GUILD,
    SOURCE_LIMIT,
    Core,
    MakeAdapter,
)
from tests.support.web import LocalWeb

RSS = "application/rss+xml; charset=utf-8"
SUMMARY = (
    "South Korea and Japan agreed on Tuesday to expand a currency swap line. "
    "The finance ministers of Seoul and Tokyo met in Busan to sign the deal."
)


def serve_feed(web: LocalWeb, path: str = "/rss", *, title: str = "Seoul Ledger") -> str:
    """A valid RSS feed at ``path``; its address under the public-looking test name."""
    port = web.host.rsplit(":", 1)[1]
    item = FeedItem(
        title="Korea and Japan expand currency swap",
        link=f"http://{FEED_HOST}:{port}/story/1",
        guid="story-1",
        summary=SUMMARY,
        published=datetime(2025, 6, 18, tzinfo=UTC),
    )
    web.add(path, rss([item], title=title), content_type=RSS)
    return f"http://{FEED_HOST}:{port}{path}"


async def source(
    fake: DiscordFake,
    action: str,
    options: Sequence[Mapping[str, Any]] = (),
    *,
    permissions: int = ADMIN_PERMISSIONS,
) -> Mapping[str, Any]:
    """Dispatch ``/briefing source <action> ...``; the interaction payload."""
    return await fake.send_interaction(
        fake.interaction(
            "briefing", options, subcommand=f"source {action}", permissions=permissions
        )
    )


async def answer(fake: DiscordFake, interaction: Mapping[str, Any]) -> tuple[Request, Request]:
    callback, [reply] = await fake.wait_for_answers(interaction)
    assert callback.status == 200
    assert message_problems(reply.body) == []
    assert reply.body["allowed_mentions"] == {"parse": []}
    return callback, reply


def owned(core: Core, guild: int = GUILD) -> list[FeedState]:
    return core.sources.list("discord", str(guild))


async def test_add_list_remove_round_trip(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, local_web: LocalWeb
) -> None:
    url = serve_feed(local_web)
    added = await source(fake, "add", [option("url", url)])
    callback, reply = await answer(fake, added)
    assert callback.body == {"type": 5}  # deferred: validating fetches the feed
    [feed] = owned(core)
    assert (feed.url, feed.trusted, feed.name) == (url, False, "Seoul Ledger")
    assert (feed.owner_platform, feed.owner_workspace) == ("discord", str(GUILD))
    assert reply.method == "PATCH"  # the deferred response becomes the confirmation
    assert reply.body["content"] == messages.DISCORD_SOURCE_ADDED.format(
        name="Seoul Ledger", id=feed.id, url=f"`{url}`"
    )
    assert not fake.original_message(added)["flags"] & EPHEMERAL  # the channel sees it
    assert local_web.hits("/rss") == 1

    listed = await source(fake, "list")
    callback, listing = await answer(fake, listed)
    assert callback.body == {"type": 5, "data": {"flags": EPHEMERAL}}
    assert fake.original_message(listed)["flags"] & EPHEMERAL
    assert listing.body["content"].split("\n") == [
        messages.DISCORD_SOURCE_LIST_HEADER.format(count=1, limit=SOURCE_LIMIT),
        f"`{feed.id}` **Seoul Ledger** · `{url}` · {messages.DISCORD_SOURCE_NEW}",
    ]

    removed = await source(fake, "remove", [option("url", str(feed.id))])
    _, gone = await answer(fake, removed)
    assert gone.body["content"] == messages.DISCORD_SOURCE_REMOVED.format(
        id=feed.id, name="Seoul Ledger", url=f"`{url}`"
    )
    assert owned(core) == []

    empty = await source(fake, "list")
    _, nothing = await answer(fake, empty)
    assert nothing.body["content"] == messages.DISCORD_NO_SOURCES
    assert fake.pings == []


async def test_remove_by_url_as_typed(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, local_web: LocalWeb
) -> None:
    url = serve_feed(local_web)
    await core.sources.add("discord", str(GUILD), url)
    removed = await source(fake, "remove", [option("url", f"  {url}/ ")])
    _, gone = await answer(fake, removed)
    assert gone.body["content"].startswith("Removed source")
    assert owned(core) == []


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("http://10.0.0.1/feed", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://intranet.example.test/rss", "private network"),  # a name resolving to 10.x
        ("http://[::ffff:127.0.0.2]/rss", "loopback"),  # IPv4-mapped, outside the allowance
        ("http://2130706433/rss", "non-standard form"),
        ("http://localhost/rss", "local-only name"),
        ("file:///etc/passwd", "only http and https"),
    ],
)
async def test_an_unsafe_address_is_refused_with_one_ephemeral_line(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, typed: str, reason: str
) -> None:
    attempt = await source(fake, "add", [option("url", typed)])
    _, refusal = await answer(fake, attempt)
    token = attempt["token"]
    # the public "thinking…" placeholder is removed; the refusal goes to the asker only
    [delete] = fake.calls("DELETE", rf"/webhooks/\d+/{token}/messages/@original")
    assert delete.at < refusal.at
    assert refusal.method == "POST"
    assert refusal.body["flags"] & EPHEMERAL
    content = refusal.body["content"]
    assert content.startswith("Cannot add that feed: ")
    assert reason in content
    assert "\n" not in content
    assert "Traceback" not in content
    assert fake.original_message(attempt) is None
    assert core.store.feeds() == []


async def test_a_page_that_is_not_a_feed_is_refused_and_nothing_is_saved(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, local_web: LocalWeb
) -> None:
    port = local_web.host.rsplit(":", 1)[1]
    local_web.add("/page", "<html><body><p>Just a page.</p></body></html>")
    attempt = await source(fake, "add", [option("url", f"http://{FEED_HOST}:{port}/page")])
    _, refusal = await answer(fake, attempt)
    assert refusal.body["flags"] & EPHEMERAL
    assert refusal.body["content"].startswith("That address is not an RSS or Atom feed")
    assert core.store.feeds() == []


async def test_the_per_server_limit_holds(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, local_web: LocalWeb
) -> None:
    for n in range(SOURCE_LIMIT):
        await core.sources.add("discord", str(GUILD), serve_feed(local_web, f"/rss{n}"))
    extra = serve_feed(local_web, "/one-more")
    attempt = await source(fake, "add", [option("url", extra)])
    _, refusal = await answer(fake, attempt)
    assert refusal.body["flags"] & EPHEMERAL
    assert refusal.body["content"] == messages.SOURCE_LIMIT.format(limit=SOURCE_LIMIT)
    assert len(owned(core)) == SOURCE_LIMIT
    assert local_web.hits("/one-more") == 0  # refused before any fetch


async def test_another_servers_sources_are_neither_listed_nor_removable_here(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, local_web: LocalWeb
) -> None:
    theirs = await core.sources.add("discord", str(OTHER_GUILD), serve_feed(local_web))
    listed = await source(fake, "list")
    _, listing = await answer(fake, listed)
    assert listing.body["content"] == messages.DISCORD_NO_SOURCES
    for which in (str(theirs.id), theirs.url):
        attempt = await source(fake, "remove", [option("url", which)])
        _, refusal = await answer(fake, attempt)
        assert refusal.body["flags"] & EPHEMERAL
        assert refusal.body["content"].startswith("No source ")
    assert [f.id for f in owned(core, OTHER_GUILD)] == [theirs.id]
    # and adding the same feed here says it is followed already, without a second copy
    again = await source(fake, "add", [option("url", theirs.url)])
    _, known = await answer(fake, again)
    assert known.body["content"] == messages.SOURCE_ALREADY_FOLLOWED
    assert len(core.store.feeds()) == 1


async def test_a_member_without_manage_channels_is_refused_at_once(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, local_web: LocalWeb
) -> None:
    url = serve_feed(local_web)
    kept = await core.sources.add("discord", str(GUILD), serve_feed(local_web, "/kept"))
    for action, options in (
        ("add", [option("url", url)]),
        ("list", []),
        ("remove", [option("url", str(kept.id))]),
    ):
        attempt = await source(fake, action, options, permissions=MEMBER_PERMISSIONS)
        [callback] = await fake.wait_for_request(
            "POST", rf"/interactions/{attempt['id']}/{attempt['token']}/callback"
        )
        assert callback.body["type"] == 4  # answered at once, no defer
        data = callback.body["data"]
        assert (data["content"], data["flags"]) == (
            messages.DISCORD_SOURCES_NEED_MANAGE_CHANNELS,
            EPHEMERAL,
        )
        assert data["allowed_mentions"] == {"parse": []}
    assert [f.id for f in owned(core)] == [kept.id]
    assert local_web.hits("/rss") == 0


async def test_without_a_source_service_the_commands_say_so(
    fake: DiscordFake, make_adapter: MakeAdapter, core: Core
) -> None:
    bot = make_adapter(without_sources=True)
    await bot.start()
    try:
        await bot.wait_ready(5)
        for action, options in (("add", [option("url", "https://example.com/rss")]), ("list", [])):
            attempt = await source(fake, action, options)
            [callback] = await fake.wait_for_request(
                "POST", rf"/interactions/{attempt['id']}/{attempt['token']}/callback"
            )
            data = callback.body["data"]
            assert (data["content"], data["flags"]) == (
                messages.DISCORD_SOURCES_DISABLED,
                EPHEMERAL,
            )
    finally:
        await bot.close()
    assert core.store.feeds() == []


async def test_a_hostile_feed_title_is_inert_in_the_public_confirmation(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, local_web: LocalWeb
) -> None:
    hostile = "@everyone [Official](http://evil.example) <@&123456789012345678> \u202eLedger"
    url = serve_feed(local_web, title=hostile)
    added = await source(fake, "add", [option("url", url)])
    _, reply = await answer(fake, added)
    content = reply.body["content"]
    assert fake.pings == []
    assert "@everyone" not in content
    assert "<@&" not in content
    assert "\u202e" not in content
    assert "\\[Official\\](http:\u200b//evil.example)" in content  # shown, not a link
    assert not re.search(r"(?<!\\)\[Official", content)
    [feed] = owned(core)
    # stored as the feed said it (the feed parser drops tag-like text); only rendering is inert
    assert feed.name is not None
    assert feed.name.startswith("@everyone [Official](http://evil.example)")
