"""docs/previews/ (the README's pictures of a briefing) is what the renderers make now.

``tools/previews.py`` writes the demo briefing's payloads (the Discord and Slack messages, the
CLI text and Markdown), the pages drawn from them and the preview-tool links; only the two
pictures need Chromium.  Here the same code writes everything but the pictures into a temporary
directory, and the committed files must be identical: a renderer change that alters the payloads
fails here until ``python tools/previews.py`` is run and the result committed.
"""

from __future__ import annotations

import base64
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote

import pytest

from adapters.cli_render import render_markdown, render_text
from adapters.discord.render import render_briefing as render_discord
from adapters.slack.render import render_briefing as render_slack

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "docs" / "previews"
REGENERATE = "run `python tools/previews.py` and commit docs/previews/"


def _load_tool() -> ModuleType:
    name = "briefbot_tools_previews"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "previews.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    return _load_tool()


@pytest.fixture(scope="module")
def generated(tool: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The briefing and the files the tool writes from it (no pictures)."""
    briefing = tool.build_briefing()
    out = tmp_path_factory.mktemp("previews")
    written = tool.write_files(out, briefing)
    files = {path.name: path.read_text(encoding="utf-8") for path in out.iterdir()}
    assert files == written
    return {"briefing": briefing, "files": files}


def test_the_tool_writes_every_file_but_the_pictures(
    tool: ModuleType, generated: dict[str, Any]
) -> None:
    assert set(generated["files"]) == {*tool.PAYLOAD_FILES, *tool.PAGE_FILES}
    assert set(tool.PICTURES) <= set(tool.PAGE_FILES)


@pytest.mark.parametrize(
    "name",
    [
        "discord.json",
        "slack.json",
        "brief.txt",
        "brief.md",
        "discord.html",
        "slack.html",
        "links.md",
    ],
)
def test_the_committed_file_is_what_the_renderers_make_now(
    generated: dict[str, Any], name: str
) -> None:
    committed = COMMITTED / name
    assert committed.is_file(), f"docs/previews/{name} is missing: {REGENERATE}"
    assert committed.read_text(encoding="utf-8") == generated["files"][name], (
        f"docs/previews/{name} is not what the renderers produce now: {REGENERATE}"
    )


@pytest.mark.parametrize("name", ["discord.png", "slack.png"])
def test_the_committed_pictures_exist(name: str) -> None:
    picture = COMMITTED / name
    assert picture.is_file(), f"docs/previews/{name} is missing: {REGENERATE}"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_payloads_are_the_renderers_output(tool: ModuleType, generated: dict[str, Any]) -> None:
    briefing = generated["briefing"]
    files = generated["files"]
    assert briefing.items, "the demo briefing has a story to show"
    assert briefing.generated_at == tool.NOW
    discord = [message.to_json() for message in render_discord(briefing)]
    assert json.loads(files["discord.json"]) == discord
    assert json.loads(files["slack.json"]) == render_slack(briefing)
    assert files["brief.txt"] == render_text(briefing, width=tool.TEXT_WIDTH)
    assert files["brief.md"] == render_markdown(briefing)


def test_the_links_carry_the_exact_payloads(tool: ModuleType, generated: dict[str, Any]) -> None:
    discord = json.loads(generated["files"]["discord.json"])
    slack = json.loads(generated["files"]["slack.json"])
    links = generated["files"]["links.md"]

    builder = tool.block_kit_builder_url(slack[0])
    assert builder in links
    fragment = builder.removeprefix("https://app.slack.com/block-kit-builder/#")
    assert json.loads(unquote(fragment)) == {"blocks": slack[0]["blocks"]}

    discohook = tool.discohook_url(discord)
    assert discohook in links
    data = discohook.removeprefix("https://discohook.app/?data=")
    assert "=" not in data
    assert "+" not in data
    assert "/" not in data
    decoded = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    assert decoded == {"version": "d2", "messages": [{"data": m} for m in discord]}


def test_the_pages_show_each_payloads_text(generated: dict[str, Any]) -> None:
    briefing = generated["briefing"]
    files = generated["files"]
    title = briefing.items[0].title.replace("'", "&#x27;")
    for page in ("discord.html", "slack.html"):
        assert title in files[page], page
        assert 'href="https://koreajoongangdaily.joins.com/' in files[page], page
    # the dates are the clients' own words (UTC), not the raw tokens
    assert "<t:" not in files["discord.html"]
    assert "Today at 7:30 AM" in files["discord.html"]
    assert "!date^" not in files["slack.html"]
    assert "Today at 7:30 AM" in files["slack.html"]


def test_discord_markdown_converts_ours_and_escapes_the_rest(tool: ModuleType) -> None:
    out = tool.discord_markdown(
        "**bold** \\*not italic\\* <script>alert(1)</script> [x](https://a.example/?q=1&r=2)"
        " <t:1750404600:f> `a<b>`\nnext"
    )
    assert "<strong>bold</strong>" in out
    assert "*not italic*" in out
    assert "<em>" not in out
    assert "<script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert '<a class="link" href="https://a.example/?q=1&amp;r=2">x</a>' in out
    assert "June 20, 2025 at 7:30 AM" in out
    assert "<code>a&lt;b&gt;</code>" in out
    assert out.endswith("<br>next")


def test_slack_mrkdwn_converts_ours_and_escapes_the_rest(tool: ModuleType) -> None:
    out = tool.slack_mrkdwn(
        '*<https://a.example/?q=1&amp;r=2|T &lt;b&gt; "q">* _it_ &lt;!channel&gt; '
        "<!date^1750302000^{date_short}|2025-06-19> `c&amp;d` <javascript:alert(1)|x>"
    )
    assert (
        '<strong><a class="link" href="https://a.example/?q=1&amp;r=2">'
        "T &lt;b&gt; &quot;q&quot;</a></strong>"
    ) in out
    assert "<em>it</em>" in out
    assert "&lt;!channel&gt;" in out  # an escaped mention stays text
    assert "Jun 19, 2025" in out
    assert "<code>c&amp;d</code>" in out
    assert 'href="javascript' not in out
    assert "&lt;javascript:alert(1)|x&gt;" in out


README_SECTION = "## What a briefing looks like"


def _readme_section() -> str | None:
    """The README's section on the previews, up to the next heading outside a code block."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines(keepends=True)
    section: list[str] = []
    fenced = False
    for line in lines:
        if not section:
            if line.rstrip() == README_SECTION:
                section.append(line)
            continue
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            break
        section.append(line)
    return "".join(section) or None


def _fences(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.M | re.S)


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip().splitlines()]


def test_the_readme_shows_the_committed_previews() -> None:
    section = _readme_section()
    if section is None:
        pytest.skip(f"README.md has no {README_SECTION!r} section yet")
    for picture in ("discord.png", "slack.png", "discord.json", "slack.json", "links.md"):
        assert f"(docs/previews/{picture})" in section, picture
    (text,) = _fences(section, "text")
    (markdown,) = _fences(section, "markdown")
    assert _lines(text) == _lines((COMMITTED / "brief.txt").read_text(encoding="utf-8")), (
        "README.md's text block is not docs/previews/brief.txt: paste the file into it"
    )
    assert _lines(markdown) == _lines((COMMITTED / "brief.md").read_text(encoding="utf-8")), (
        "README.md's markdown block is not docs/previews/brief.md: paste the file into it"
    )
    # the README's shell blocks are what CI runs (.ci/run): this section adds none
    assert not _fences(section, "(?:sh|bash)")
