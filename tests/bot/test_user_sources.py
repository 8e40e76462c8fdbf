"""User-added sources (bot/user_sources.py): validated through the SSRF guard before they are
saved, limited per workspace, polled through the guard.  Real web server, real stores (SQLite
and PostgreSQL), the real summarizer at poll time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import messages
from bot.errors import BadInput, NotFound, SourceError, UnsafeURL
from bot.ingest import Ingestor
from bot.settings import Settings
from bot.sources.safety import StaticResolver, UrlPolicy
from bot.store import Store
from bot.topics import TopicRegistry
from bot.user_sources import UserSourceService, clean_url_text
from tests.support.content import FeedItem, rss
from tests.support.web import LocalWeb

RSS = "application/rss+xml; charset=utf-8"
WS = "T0WORKSPACE"
SUMMARY = (
    "South Korea and Japan agreed on Tuesday to expand a currency swap line. "
    "The finance ministers of Seoul and Tokyo met in Busan to sign the deal. "
    "Officials said the arrangement would steady markets in the region. "
    "Critics in both capitals called for more transparency in the talks."
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    empty = tmp_path / "no-feeds.toml"
    empty.write_text("# no operator feeds\n")
    return Settings(feeds_file=empty, contact="ops@example.test")


def _port(web: LocalWeb) -> int:
    return int(web.host.rsplit(":", 1)[1])


def local_policy(extra: dict[str, list[str]] | None = None) -> UrlPolicy:
    """127.0.0.1 allowed (the test's server), reached through public-looking names."""
    table = {"news.example.test": ["127.0.0.1"], "other.example.test": ["127.0.0.1"]}
    return UrlPolicy(
        allow_networks=["127.0.0.1/32"], resolver=StaticResolver({**table, **(extra or {})})
    )


def serve_feed(
    web: LocalWeb, path: str = "/rss", *, title: str = "Seoul Ledger", n: int = 1
) -> str:
    items = [
        FeedItem(
            title=f"Korea and Japan expand currency swap ({i})",
            link=f"http://news.example.test:{_port(web)}/story/{i}",
            guid=f"story-{i}",
            summary=SUMMARY,
            published=datetime(2025, 6, 18, tzinfo=UTC),
        )
        for i in range(n)
    ]
    web.add(path, rss(items, title=title), content_type=RSS)
    return f"http://news.example.test:{_port(web)}{path}"


@pytest.fixture
def sources(store: Store, settings: Settings) -> UserSourceService:
    return UserSourceService(store, settings, policy=local_policy(), limit=3)


# -- add ------------------------------------------------------------------------------------


async def test_a_valid_feed_is_saved_untrusted_and_owned(
    sources: UserSourceService, store: Store, local_web: LocalWeb
) -> None:
    url = serve_feed(local_web)
    feed = await sources.add("slack", WS, url, added_by="U1")
    assert (feed.url, feed.trusted) == (url, False)
    assert (feed.owner_platform, feed.owner_workspace) == ("slack", WS)
    assert feed.name == "Seoul Ledger"
    assert [f.id for f in sources.list("slack", WS)] == [feed.id]
    assert sources.list("discord", WS) == []
    assert store.feed(url) is not None


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("http://127.0.0.1:{port}/rss", "loopback"),
        ("http://localhost:{port}/rss", "local-only name"),
        ("http://loopback.example.test:{port}/rss", "loopback"),  # a name -> 127.0.0.1
        ("http://[::1]:{port}/rss", "loopback"),
        ("http://[::ffff:127.0.0.1]:{port}/rss", "loopback"),
        ("http://10.0.0.7/rss", "private network"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://2130706433:{port}/rss", "non-standard form"),
        ("http://0177.0.0.1:{port}/rss", "non-standard form"),
        ("http://intranet.example.test/rss", "private network"),  # a name -> 10.x
        ("file:///etc/passwd", "only http and https"),
    ],
)
async def test_unsafe_urls_are_refused_with_one_line_and_nothing_saved(
    store: Store, settings: Settings, local_web: LocalWeb, typed: str, reason: str
) -> None:
    serve_feed(local_web)
    # Production policy (no allowance) with a resolver that knows the test names.
    policy = UrlPolicy(
        resolver=StaticResolver(
            {"intranet.example.test": ["10.2.3.4"], "loopback.example.test": ["127.0.0.1"]}
        )
    )
    service = UserSourceService(store, settings, policy=policy)
    with pytest.raises(UnsafeURL, match=reason) as caught:
        await service.add("discord", WS, typed.format(port=_port(local_web)))
    assert str(caught.value).startswith("Cannot add that feed: ")
    assert "\n" not in str(caught.value)
    assert store.feeds() == []
    assert local_web.hits("/rss") == 0


async def test_a_public_feed_redirecting_to_a_private_address_is_refused(
    store: Store, settings: Settings, local_web: LocalWeb
) -> None:
    serve_feed(local_web)
    local_web.add_redirect("/moved", "http://169.254.169.254/latest/meta-data/")
    service = UserSourceService(store, settings, policy=local_policy())
    with pytest.raises(UnsafeURL, match="link-local"):
        await service.add("slack", WS, f"http://news.example.test:{_port(local_web)}/moved")
    assert store.feeds() == []


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda web: web.add("/x", "<html><body><p>Hello</p></body></html>"), "not an RSS or Atom"),
        (lambda web: web.add("/x", rss([]), content_type=RSS), "no entries yet"),
        (lambda web: web.add("/x", "", status=404), "HTTP 404"),
        (lambda web: web.add("/x", b"\x89PNG\r\n", content_type="image/png"), "it sent image/png"),
        (lambda web: web.add_stream("/x", 8 * 2**20, content_type=RSS), "larger than"),
    ],
)
async def test_what_is_not_a_usable_feed_is_refused_and_not_saved(
    sources: UserSourceService, store: Store, local_web: LocalWeb, setup: object, expected: str
) -> None:
    setup(local_web)  # type: ignore[operator]
    with pytest.raises(SourceError, match=expected) as caught:
        await sources.add("slack", WS, f"http://news.example.test:{_port(local_web)}/x")
    assert not isinstance(caught.value, UnsafeURL)
    assert "\n" not in str(caught.value)
    assert store.feeds() == []


async def test_known_feeds_and_the_limit_are_refused_before_fetching(
    sources: UserSourceService, store: Store, local_web: LocalWeb
) -> None:
    first = await sources.add("slack", WS, serve_feed(local_web, "/a"))
    with pytest.raises(BadInput, match=messages.SOURCE_ALREADY_YOURS):
        await sources.add("slack", WS, first.url)
    with pytest.raises(BadInput, match="already follows"):
        await sources.add("slack", "T0OTHER", first.url)
    operator = store.upsert_feed(serve_feed(local_web, "/op"), trusted=True)
    with pytest.raises(BadInput, match="already follows"):
        await sources.add("slack", WS, operator.url)

    await sources.add("slack", WS, serve_feed(local_web, "/b"))
    await sources.add("slack", WS, serve_feed(local_web, "/c"))
    fourth = serve_feed(local_web, "/d")
    with pytest.raises(BadInput, match="has 3 sources, the most"):
        await sources.add("slack", WS, fourth)
    assert local_web.hits("/d") == 0
    assert local_web.hits("/op") == 0
    assert len(sources.list("slack", WS)) == 3
    # Another workspace has its own allowance.
    assert (await sources.add("discord", WS, fourth)).owner_platform == "discord"


async def test_store_level_limit_and_duplicate_hold_when_checks_race(
    store: Store,
) -> None:
    for i in range(2):
        added = store.add_user_feed(
            f"https://e{i}.example/rss", platform="slack", workspace=WS, limit=2
        )
        assert added.outcome == "added"
    assert store.add_user_feed(
        "https://e9.example/rss", platform="slack", workspace=WS, limit=2
    ) == (type(added)("full", None))
    again = store.add_user_feed("https://e0.example/rss", platform="slack", workspace="X", limit=2)
    assert again.outcome == "known"
    assert again.feed is not None
    assert again.feed.owner_workspace == WS


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("<https://news.example.test/rss>", "https://news.example.test/rss"),
        ("<https://news.example.test/rss|news.example.test/rss>", "https://news.example.test/rss"),
        ("  https://news.example.test/rss  ", "https://news.example.test/rss"),
        ("", ""),
    ],
)
def test_slack_link_markup_is_unwrapped(typed: str, expected: str) -> None:
    assert clean_url_text(typed) == expected


async def test_what_people_type_is_accepted(
    sources: UserSourceService, local_web: LocalWeb
) -> None:
    url = serve_feed(local_web)
    feed = await sources.add("slack", WS, f"<{url}|{url.removeprefix('http://')}>")
    assert feed.url == url
    with pytest.raises(BadInput, match="address of an RSS or Atom feed"):
        await sources.add("slack", WS, "   ")
    with pytest.raises(BadInput, match="too long"):
        await sources.add("slack", WS, "https://example.com/" + "a" * 3000)


# -- remove ---------------------------------------------------------------------------------


async def test_remove_by_id_or_url_only_within_the_workspace(
    sources: UserSourceService, store: Store, local_web: LocalWeb
) -> None:
    a = await sources.add("discord", WS, serve_feed(local_web, "/a"))
    b = await sources.add("discord", WS, serve_feed(local_web, "/b"))
    operator = store.upsert_feed("https://operator.example/rss", trusted=True)
    with pytest.raises(NotFound, match="No source"):
        sources.remove("discord", "G-OTHER", str(a.id))
    with pytest.raises(NotFound):
        sources.remove("slack", WS, a.url)
    with pytest.raises(NotFound):
        sources.remove("discord", WS, str(operator.id))
    assert sources.remove("discord", WS, f"#{a.id}").id == a.id
    assert sources.remove("discord", WS, f"<{b.url}>").id == b.id
    assert sources.list("discord", WS) == []
    assert store.feed(operator.url) is not None
    with pytest.raises(NotFound):
        sources.remove("discord", WS, str(a.id))
    with pytest.raises(BadInput):
        sources.remove("discord", WS, "")


# -- polling: user feeds go through the guard ---------------------------------------------


async def test_polling_fetches_user_feeds_through_the_guard(
    store: Store, settings: Settings, local_web: LocalWeb
) -> None:
    """One server, two feeds: the operator's (trusted) is fetched plainly; the user's, with the
    production policy, is refused because it points at 127.0.0.1."""
    tagger = TopicRegistry.default().tag
    user_url = serve_feed(local_web, "/user", n=1)
    added = await UserSourceService(store, settings, policy=local_policy()).add(
        "slack", WS, user_url
    )
    local_web.add("/op", rss([]), content_type=RSS)
    store.upsert_feed(local_web.url("/op"), trusted=True)
    fast = {"attempts": 1, "host_delay": 0.0, "timeout": 2.0}

    production_policy = UrlPolicy(resolver=StaticResolver({"news.example.test": ["127.0.0.1"]}))
    production = Ingestor(store, settings, tagger, http_options=fast, url_policy=production_policy)
    report = await production.ingest_feed_states(store.due_feeds())
    outcomes = {outcome.url: outcome for outcome in report.feeds}
    assert outcomes[local_web.url("/op")].status == "ok"
    refused = outcomes[user_url]
    assert refused.status == "failed"
    assert refused.reason is not None
    assert "loopback" in refused.reason
    state = store.feed(user_url)
    assert state is not None
    assert state.consecutive_failures == 1
    assert state.last_error is not None
    assert "only public addresses" in state.last_error
    assert added.id == state.id


async def test_a_user_feed_is_ingested_and_its_private_links_are_not_fetched(
    store: Store, settings: Settings, local_web: LocalWeb
) -> None:
    policy = local_policy({"intranet.example.test": ["10.0.0.9"]})
    sources = UserSourceService(store, settings, policy=policy)
    items = [
        FeedItem(
            title="Korea and Japan expand currency swap",
            link="http://intranet.example.test/admin/story",
            guid="s-1",
            summary=SUMMARY,
            published=datetime(2025, 6, 18, tzinfo=UTC),
        )
    ]
    local_web.add("/feed", rss(items, title="Seoul Ledger"), content_type=RSS)
    await sources.add("discord", WS, f"http://news.example.test:{_port(local_web)}/feed")
    ingestor = Ingestor(
        store, settings, TopicRegistry.default().tag, url_policy=policy, http_options={}
    )
    report = await ingestor.ingest_feed_states(store.due_feeds())
    assert [f.status for f in report.feeds] == ["ok"]
    assert [i.status for i in report.items] == ["added"]  # from the feed's own text
    [article] = store.articles()
    assert "currency swap" in " ".join(article.bullets)
    assert "intranet.example.test" in (policy_lookups := policy._resolve.lookups)  # type: ignore[attr-defined]
    assert policy_lookups.count("intranet.example.test") == 1  # refused by the guard, never dialled
