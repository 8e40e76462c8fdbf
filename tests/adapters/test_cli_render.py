"""The terminal and Markdown renderers of a Briefing (pure functions, no store)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.cli_render import clean, escape_markdown, render_markdown, render_stories, render_text
from bot.models import Briefing, BriefingItem, StoryItem, StoryList, StorySource, TopicRef
from tests.support.invisible import SMUGGLERS, hidden

GENERATED = datetime(2025, 6, 20, 9, 5, tzinfo=UTC)
TOPIC = TopicRef("korea-japan", "Korea – Japan")
SEED = BriefingItem(
    title="Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties",
    url="https://koreajoongangdaily.joins.com/news/2025-06-18/opinion/editorials/x/123",
    source="Korea JoongAng Daily",
    published=datetime(2025, 6, 18, tzinfo=UTC),
    bullets=(
        "President Lee Jae Myung held his first summit with Japanese Prime Minister Shigeru "
        "Ishiba in Canada on June 17 on the sidelines of the G7 summit.",
        "It is now Japan’s turn to reciprocate Korea’s outreach by filling the proverbial glass "
        "halfway — not just with words, but with concrete actions.",
    ),
    also_in=("Japan Wire",),
    article_id=1,
)


def briefing(*items: BriefingItem, note: str | None = None) -> Briefing:
    return Briefing(topic=TOPIC, generated_at=GENERATED, items=items, note=note)


def test_text_shows_title_outlet_date_link_and_bullets() -> None:
    out = render_text(briefing(SEED), width=80)
    lines = out.splitlines()
    assert lines[0] == "Korea – Japan (korea-japan) · 1 story · generated 2025-06-20 09:05 UTC"
    assert lines[2] == "1. Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties"
    assert lines[3] == "   Korea JoongAng Daily · 18 Jun 2025 · also in Japan Wire"
    assert lines[4] == "   " + SEED.url
    assert lines[5].startswith("   - President Lee Jae Myung held his first summit")
    assert lines[6].startswith("     ")  # wrapped under its bullet
    assert "   - It is now Japan’s turn to reciprocate" in out
    assert "concrete actions." in out
    assert all(len(line) <= 80 for line in lines if "https://" not in line)


def test_an_editorial_is_labelled_as_opinion_in_text_and_markdown() -> None:
    news = BriefingItem("Leaders meet", None, "Wire", GENERATED, ("One point.",))
    opinion = replace(news, title="Seoul should not wait", kind="editorial")
    text = render_text(briefing(opinion, news))
    assert f"   Opinion · Wire · {GENERATED.day} {GENERATED:%b %Y}\n" in text
    assert f"   Wire · {GENERATED.day} {GENERATED:%b %Y}\n" in text
    markdown = render_markdown(briefing(opinion, news))
    assert f"*Opinion · Wire · {GENERATED.day} {GENERATED:%b %Y}*" in markdown
    assert markdown.count("Opinion") == 1


def test_text_numbers_pieces_and_says_when_undated() -> None:
    undated = BriefingItem("Second", None, "Wire", None, ("One point.",))
    out = render_text(briefing(SEED, undated), width=100)
    assert "2 stories" in out.splitlines()[0]
    assert "2. Second\n   Wire · undated\n   - One point.\n" in out


def test_empty_briefing_prints_its_note() -> None:
    out = render_text(briefing(note="Nothing on korea-japan in the last 36 hours."))
    assert out.splitlines()[-1] == "Nothing on korea-japan in the last 36 hours."
    assert "0 stories" in out
    md = render_markdown(briefing(note="Nothing new."))
    assert md.rstrip().endswith("Nothing new.")


def test_control_characters_never_reach_the_terminal() -> None:
    evil = BriefingItem(
        title="Hello\x1b[2J\x1b]0;pwned\x07 world",
        url="https://x.example/\x1b[31m",
        source="Out\u202elet",
        published=None,
        bullets=("Bullet\r\nwith\ttabs and \x00 nulls",),
    )
    out = render_text(briefing(evil))
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\u202e" not in out
    assert "\r" not in out
    assert "- Bullet with tabs and nulls" in out


def test_markdown_links_titles_and_escapes_source_text() -> None:
    md = render_markdown(briefing(SEED))
    assert md.startswith("## Korea – Japan\n")
    assert f"### 1. [{SEED.title}](<{SEED.url}>)" in md
    assert "*Korea JoongAng Daily · 18 Jun 2025 · also in Japan Wire*" in md
    assert "- It is now Japan’s turn to reciprocate" in md
    sneaky = BriefingItem(
        title="[Click me](https://evil.example) *now*",
        url="https://ok.example/a)b c",
        source="# Wire",
        published=None,
        bullets=("- not a nested list", "1. not numbered", "<script>x</script> _under_"),
    )
    md = render_markdown(briefing(sneaky))
    assert "[Click me](https://evil.example)" not in md
    assert r"\[Click me\]\(https://evil.example\) \*now\*" in md
    assert "(<https://ok.example/a)b%20c>)" in md
    assert r"*\# Wire · undated*" in md
    assert r"- \- not a nested list" in md
    assert r"- 1\. not numbered" in md
    assert r"\<script\>x\</script\> \_under\_" in md


def test_escape_markdown_and_clean() -> None:
    assert escape_markdown("a*b_c") == r"a\*b\_c"
    assert clean("  a \n b\x1b ") == "a b"


printable = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=300)


@pytest.mark.parametrize("sneaky", SMUGGLERS)
def test_no_invisible_or_control_character_reaches_the_terminal(sneaky: str) -> None:
    """The terminal's renderer uses the one filter too (summaries.inert): tags, selectors
    and private-use characters go with the controls."""
    text = f"Seoul {sneaky} talks"
    item = BriefingItem(text, "https://x.example/a", text, GENERATED, (text, sneaky))
    for out in (render_text(briefing(item)), render_markdown(briefing(item))):
        assert hidden(out, allowed="\n") == [], out


@settings(max_examples=60, deadline=None)
@given(
    titles=st.lists(printable, min_size=1, max_size=6),
    bullets=st.lists(printable, max_size=5),
    width=st.integers(min_value=40, max_value=120),
)
def test_any_briefing_renders_clean_text(titles: list[str], bullets: list[str], width: int) -> None:
    items = tuple(
        BriefingItem(t, "https://example.org/a", "Wire", GENERATED, tuple(bullets)) for t in titles
    )
    out = render_text(briefing(*items), width=width)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out)
    for line in out.splitlines():
        # Only a single unbreakable word may run past the width.
        assert len(line) <= width or len(max(line.split(), key=len)) > width - 8
    md = render_markdown(briefing(*items))
    assert md.count("\n### ") == len(items)


def test_a_story_member_without_a_link_is_listed_without_a_dangling_colon() -> None:
    # a text-only RSS item (no link) is kept; it was listed as "* Test:" with nothing after
    when = datetime(2025, 6, 19, 3, 0, tzinfo=UTC)
    story = StoryItem(
        id="4",
        title="Leaders meet",
        first_seen=when,
        last_seen=when,
        outlets=2,
        bullets=("The leaders met in Canada.",),
        perspectives=(),
        articles=(
            StorySource(source="Wire", url=None, country="KR"),
            StorySource(source="Daily", url="https://daily.example/1", country="JP"),
        ),
    )
    text = render_stories(StoryList(generated_at=when, stories=(story,)))
    assert "   * Wire (KR)\n" in text
    assert "   * Daily (JP): https://daily.example/1\n" in text
