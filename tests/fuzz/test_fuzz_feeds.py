"""Fuzz the feed parser: arbitrary bytes and mutated real feeds never raise anything but
``SourceError``, and what it returns keeps its promises (http(s) links only, plain strings).

Bounded for CI (see tests/fuzz/budget.py); a failure prints the example to replay."""

from __future__ import annotations

import time
import tracemalloc
from datetime import UTC

from hypothesis import given
from hypothesis import strategies as st

from bot.errors import SourceError
from bot.sources.feeds import ParsedFeed, parse_feed
from tests.fuzz.budget import fuzz_settings

FUZZ = fuzz_settings(120)

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Seoul Ledger &amp; Co</title><link>https://ledger.example/</link>
<item><title>Korea, Japan agree &lt;b&gt;swap&lt;/b&gt;</title>
<link>https://ledger.example/a/1?utm_source=rss</link><guid isPermaLink="false">a-1</guid>
<pubDate>Wed, 18 Jun 2025 19:30:00 +0900</pubDate><dc:creator>Kim</dc:creator>
<description><![CDATA[<p>Seoul and Tokyo agreed.</p><p>@everyone <@123> look</p>]]></description>
<content:encoded><![CDATA[<p>The full text.</p>]]></content:encoded></item>
<item><title>Second</title><link>javascript:alert(1)</link><guid>urn:x:2</guid></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Times</title>
<link href="https://atom.example/"/><id>urn:atom</id><updated>2025-06-18T10:00:00Z</updated>
<entry><title type="html">Talks &amp;amp; tensions</title><id>tag:atom,2025:1</id>
<link href="/news/1"/><published>2025-06-18T09:00:00+09:00</published>
<summary type="html">&lt;p&gt;North Korea fired a missile.&lt;/p&gt;</summary>
<author><name>Lee ‍Zero​Width</name></author></entry></feed>""".encode()

RDF = b"""<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/"><channel rdf:about="https://rdf.example/"><title>RDF</title>
<link>https://rdf.example/</link></channel><item rdf:about="https://rdf.example/1">
<title>One</title><link>https://rdf.example/1</link></item></rdf:RDF>"""

SEEDS = (RSS, ATOM, RDF)


def check(parsed: ParsedFeed) -> None:
    assert parsed.title is None or isinstance(parsed.title, str)
    for entry in parsed.entries:
        assert isinstance(entry.title, str)
        assert entry.title or entry.link
        assert entry.link is None or entry.link.startswith(("http://", "https://"))
        assert entry.published is None or entry.published.tzinfo == UTC
        for text in (entry.summary, entry.content, entry.author):
            assert text is None or isinstance(text, str)


def parse(data: bytes, content_type: str | None = None) -> None:
    try:
        parsed = parse_feed(data, url="https://feeds.example/rss", content_type=content_type)
    except SourceError as exc:
        message = str(exc)
        assert message
        assert "\n" not in message
        return
    check(parsed)


def test_the_seeds_parse() -> None:
    for seed in SEEDS:
        parsed = parse_feed(seed, url="https://feeds.example/rss")
        assert parsed.entries
        check(parsed)


@FUZZ
@given(st.binary(max_size=2048), st.sampled_from([None, "application/rss+xml", "text/html"]))
def test_arbitrary_bytes(data: bytes, content_type: str | None) -> None:
    parse(data, content_type)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["flip", "insert", "delete", "splice", "truncate"]))
        if op == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b"<",
                        b">",
                        b"&",
                        b"&#0;",
                        b"]]>",
                        b"<![CDATA[",
                        b"\x00",
                        b"\xff\xfe",
                        b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]>",
                        b"&a;",
                        b"<item>",
                        b"</channel>",
                        "\u202e\u200b".encode(),
                        b"<link>file:///etc/passwd</link>",
                    ]
                )
            )
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif op == "splice":
            other = draw(st.sampled_from(SEEDS))
            start = draw(st.integers(0, len(other)))
            data[at:at] = other[start : start + draw(st.integers(1, 200))]
        else:
            del data[at:]
    return bytes(data)


@FUZZ
@given(mutated())
def test_mutated_feeds(data: bytes) -> None:
    parse(data, "application/xml")


BOMB_SECONDS = 10.0  # expat refuses it in about 1.5 s; expanded, it would run for minutes
BOMB_PEAK_BYTES = 100 * 2**20  # expanded, the title alone would be 3 GB


def test_entity_expansion_is_not_a_bomb() -> None:
    """A billion-laughs document neither hangs nor escapes as anything but a result/error,
    within a time and a memory limit (tracemalloc sees expat's allocations and every string
    made from them)."""
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "lollollollollollollollollollol">'
        + b"".join(
            f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(8)
        )
        + b']><rss version="2.0"><channel><title>&i;</title><item><title>x</title>'
        b"<link>https://a.example/1</link></item></channel></rss>"
    )
    parse(RSS)  # the parser's own first-use costs are not the bomb's
    tracemalloc.start()
    started = time.perf_counter()
    try:
        parse(lol)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < BOMB_SECONDS
    assert peak < BOMB_PEAK_BYTES
