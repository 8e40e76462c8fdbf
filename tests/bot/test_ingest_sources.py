"""Sources that are not feeds (sitemaps, section pages) and each piece's own kind, through
the real ingest path: real HTTP on 127.0.0.1, the real summarizer, real stores."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.ingest import Ingestor
from bot.settings import Settings
from bot.store import Store
from bot.topics import TopicRegistry
from tests.bot.test_ingest_backlog import story
from tests.support.content import FeedItem, article_page, editorials, rss
from tests.support.web import LocalWeb

# A loaded CI machine can take seconds to answer a local request.
FAST_HTTP = {"timeout": 10.0, "attempts": 1, "host_delay": 0.0, "max_bytes": 2 * 2**20}
NOW = datetime.now(UTC)
SITEMAP = "application/xml; charset=utf-8"


@pytest.fixture(scope="module")
def tagger() -> TopicRegistry:
    return TopicRegistry.default()


def list_settings(tmp_path: Path, toml: str) -> Settings:
    path = tmp_path / "feeds.toml"
    path.write_text(toml)
    return Settings(feeds_file=path, contact="ops@example.test", poll_minutes=30)


def ingestor(store: Store, settings: Settings, tagger: TopicRegistry) -> Ingestor:
    return Ingestor(store, settings, tagger.tag, http_options=FAST_HTTP)


def serve_article(web: LocalWeb, path: str, n: int, **page: object) -> str:
    title, text = story(n)
    return web.add(path, article_page(title, text, chrome=False, **page))  # type: ignore[arg-type]


def news_sitemap(entries: list[tuple[str, str, datetime]]) -> str:
    rows = "".join(
        f"<url><loc>{loc}</loc><news:news><news:publication><news:name>Wire</news:name>"
        f"<news:language>en</news:language></news:publication>"
        f"<news:publication_date>{when.isoformat()}</news:publication_date>"
        f"<news:title>{title}</news:title></news:news></url>"
        for loc, title, when in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset '
        'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{rows}</urlset>'
    )


async def test_a_news_sitemap_index_is_read_through_its_newest_children(
    local_web: LocalWeb, store: Store, tmp_path: Path, tagger: TopicRegistry
) -> None:
    fresh = [
        (serve_article(local_web, f"/news/2026/opinion/editorials/piece-{n}", n), n)
        for n in range(3)
    ]
    old = serve_article(local_web, "/news/2019/national/old-piece-9", 9)
    local_web.add(
        "/sitemap-news.xml",
        news_sitemap(
            [(url, f"Sitemap title {n}", NOW - timedelta(hours=n + 1)) for url, n in fresh]
            + [(old, "Old", NOW - timedelta(days=400))]
        ),
        content_type=SITEMAP,
    )
    local_web.add(
        "/sitemap-2019.xml",
        news_sitemap([(old, "Old", NOW - timedelta(days=400))]),
        content_type=SITEMAP,
    )
    index = local_web.add(
        "/sitemap_index.xml",
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{local_web.url('/sitemap-2019.xml')}</loc>"
        "<lastmod>2019-12-31</lastmod></sitemap>"
        f"<sitemap><loc>{local_web.url('/sitemap-news.xml')}</loc>"
        f"<lastmod>{NOW.date().isoformat()}</lastmod></sitemap></sitemapindex>",
        content_type=SITEMAP,
        etag='"idx"',
    )
    settings = list_settings(
        tmp_path,
        f'[[feeds]]\nurl = "{index}"\ntype = "sitemap"\noutlet = "Wire"\ncountry = "KR"\n',
    )
    report = await ingestor(store, settings, tagger).ingest_feeds()
    assert report.feeds[0].status == "ok"
    assert report.added == 3
    assert local_web.hits("/sitemap-2019.xml") == 0  # an old child is not read
    assert local_web.hits("/news/2019/national/old-piece-9") == 0
    stored = store.articles()
    assert {a.url for a in stored} == {url for url, _n in fresh}
    for article in stored:
        assert article.outlet == "Wire"
        assert article.kind == "editorial"  # /opinion/editorials/ in its URL
        assert article.title.startswith("Sitemap title")  # the news sitemap's own title
    [state] = store.feeds()
    assert (state.source_type, state.country) == ("sitemap", "KR")

    again = await ingestor(store, settings, tagger).ingest_feeds()
    assert again.feeds[0].status == "not-modified"
    assert local_web.requests_for("/sitemap_index.xml")[-1].headers["If-None-Match"] == '"idx"'


async def test_a_plain_sitemaps_lastmod_is_only_a_date_of_last_resort(
    local_web: LocalWeb, store: Store, tmp_path: Path, tagger: TopicRegistry
) -> None:
    published = datetime(2026, 11, 30, 21, 15, tzinfo=UTC)
    dated = serve_article(local_web, "/news/2026/11/30/dated-piece", 11, published=published)
    undated = serve_article(local_web, "/news/a-piece-with-no-date", 12)
    touched = NOW - timedelta(hours=3)  # the site touched both pages today
    sitemap = local_web.add(
        "/sitemap.xml",
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(
            f"<url><loc>{url}</loc><lastmod>{touched.isoformat()}</lastmod></url>"
            for url in (dated, undated)
        )
        + "</urlset>",
        content_type=SITEMAP,
    )
    settings = list_settings(tmp_path, f'[[feeds]]\nurl = "{sitemap}"\ntype = "sitemap"\n')
    report = await ingestor(store, settings, tagger).ingest_feeds()
    assert report.added == 2
    dates = {a.url: a.published_at for a in store.articles()}
    assert dates[dated] == published  # the page's own date, not the sitemap's lastmod
    assert dates[undated] is not None
    assert abs(dates[undated] - touched) < timedelta(seconds=1)  # no other date: lastmod


async def test_a_section_page_is_followed_to_its_articles_only(
    local_web: LocalWeb, store: Store, tmp_path: Path, tagger: TopicRegistry
) -> None:
    editorial = serve_article(local_web, "/news/2026-11-02/opinion/editorials/Seoul-Tokyo/101", 1)
    column = serve_article(local_web, "/news/2026-11-02/opinion/columns/A-column-here/102", 2)
    national = serve_article(local_web, "/news/2026-11-02/national/diplomacy/Talks-end/103", 3)
    for path in ("/about", "/section/opinion", "/tag/japan"):
        local_web.add(path, "<html><body><p>Not an article.</p></body></html>")
    section = local_web.add(
        "/section/allArticles",
        "<!doctype html><html><body><nav><a href='/'>Home</a> <a href='/section/opinion'>"
        "Opinion</a> <a href='/tag/japan'>Japan</a> <a href='/about'>About us</a></nav><ul>"
        f"<li><a href='{editorial}'>Seoul and Tokyo</a></li>"
        f"<li><a href='/news/2026-11-02/opinion/columns/A-column-here/102?utm_source=x'>c</a></li>"
        f"<li><a href='{national}'>Talks end</a></li>"
        "<li><a href='https://elsewhere.test/news/2026/1'>elsewhere</a></li></ul></body></html>",
    )
    settings = list_settings(
        tmp_path,
        f'[[feeds]]\nurl = "{section}"\ntype = "page"\nmatch = "/opinion/"\n'
        'outlet = "Daily"\ncountry = "KR"\n',
    )
    report = await ingestor(store, settings, tagger).ingest_feeds()
    assert report.feeds[0].status == "ok"
    assert report.feeds[0].entries == 2  # match: the opinion links only
    assert {a.url for a in store.articles()} == {editorial, column}
    assert {a.kind for a in store.articles()} == {"editorial"}
    national_path = national.removeprefix(local_web.base_url)
    for path in ("/about", "/section/opinion", "/tag/japan", national_path):
        assert local_web.hits(path) == 0

    # Without a match every article link is followed, navigation still is not.
    settings = list_settings(tmp_path, f'[[feeds]]\nurl = "{section}"\ntype = "page"\n')
    more = await ingestor(store, settings, tagger).ingest_feeds()
    assert more.added == 1
    assert national in {a.url for a in store.articles()}
    assert local_web.hits("/about") == 0


async def test_a_page_source_that_is_not_html_fails_with_its_reason(
    local_web: LocalWeb, store: Store, tmp_path: Path, tagger: TopicRegistry
) -> None:
    feed = local_web.add("/notapage.xml", "<rss/>", content_type="application/rss+xml")
    broken = local_web.add("/broken-sitemap.xml", "<html><body>oops</body></html>")
    settings = list_settings(
        tmp_path,
        f'[[feeds]]\nurl = "{feed}"\ntype = "page"\n'
        f'[[feeds]]\nurl = "{broken}"\ntype = "sitemap"\n',
    )
    report = await ingestor(store, settings, tagger).ingest_feeds()
    reasons = {f.url: f.reason for f in report.feeds}
    assert reasons[feed] == "not an HTML page (got application/rss+xml)"
    assert reasons[broken] == "not an XML or text sitemap"
    assert {f.status for f in store.feeds()} == {"failing"}


# ---------------------------------------------------------------- each piece's own kind


def _editorial_texts(shared: Path) -> list[dict[str, str]]:
    return list(editorials(shared))


async def test_each_piece_is_summarized_as_what_it_is_whatever_the_feed_says(
    local_web: LocalWeb, store: Store, tmp_path: Path, tagger: TopicRegistry, shared_data: Path
) -> None:
    pieces = _editorial_texts(shared_data)[:5]
    items: list[FeedItem] = []

    def page(path: str, piece: dict[str, str], **extra: object) -> str:
        return local_web.add(
            path,
            article_page(piece["title"], piece["text"], chrome=False, **extra),  # type: ignore[arg-type]
        )

    # An editorial behind an editorial URL; one marked only by the feed's category; one only
    # by a title marker; one only by its page's schema.org type; one by nothing at all.
    items.append(FeedItem(title=pieces[0]["title"], link=page("/opinion/editorials/0", pieces[0])))
    items.append(FeedItem(title=pieces[1]["title"], link=page("/articles/1", pieces[1])))
    items.append(
        FeedItem(title=f"[Editorial] {pieces[2]['title']}", link=page("/articles/2", pieces[2]))
    )
    json_ld = local_web.add(
        "/articles/3",
        article_page(pieces[3]["title"], pieces[3]["text"], chrome=False).replace(
            "</head>",
            '<script type="application/ld+json">{"@type": "OpinionNewsArticle"}</script></head>',
        ),
    )
    items.append(FeedItem(title=pieces[3]["title"], link=json_ld))
    items.append(FeedItem(title=pieces[4]["title"], link=page("/articles/4", pieces[4])))
    title, text = story(40)
    items.append(
        FeedItem(
            title=title,
            link=local_web.add("/articles/news", article_page(title, text, chrome=False)),
        )
    )
    xml = rss(items).replace(
        f"<title>{pieces[1]['title']}</title>",
        f"<title>{pieces[1]['title']}</title><category>Opinion</category>",
    )
    feed = local_web.add("/mixed/rss", xml, content_type="application/rss+xml")
    settings = list_settings(tmp_path, f'[[feeds]]\nurl = "{feed}"\nkind = "news"\n')
    report = await ingestor(store, settings, tagger).ingest_feeds()
    kinds = {item.url: item.kind for item in report.items}
    assert report.added == 6, [(i.title, i.status, i.reason) for i in report.items]
    by_path = {
        url.rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1]: kind
        for url, kind in kinds.items()
        if url
    }
    assert by_path == {
        "editorials/0": "editorial",
        "articles/1": "editorial",
        "articles/2": "editorial",
        "articles/3": "editorial",
        "articles/4": "editorial",  # nothing but its text says so
        "articles/news": "news",
    }
    stored = {a.url: a.kind for a in store.articles()}
    assert stored == kinds


async def test_a_feed_declared_editorial_still_reads_a_news_story_as_news(
    local_web: LocalWeb, store: Store, tmp_path: Path, tagger: TopicRegistry
) -> None:
    title, text = story(41)
    url = local_web.add("/n/1", article_page(title, text, chrome=False))
    feed = local_web.add(
        "/op/rss", rss([FeedItem(title=title, link=url)]), content_type="application/rss+xml"
    )
    settings = list_settings(tmp_path, f'[[feeds]]\nurl = "{feed}"\nkind = "editorial"\n')
    await ingestor(store, settings, tagger).ingest_feeds()
    [article] = store.articles()
    assert article.kind == "news"
    assert json.dumps(article.bullets)  # summarized, as news: the lead first
    assert article.bullets[0] == text.split(". ")[0] + "."
