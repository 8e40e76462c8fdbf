"""What a briefing looks like on Discord, on Slack and in the terminal: ``docs/previews/``.

Run from the project root::

    python tools/previews.py                # payloads, pages, pictures and links
    python tools/previews.py --no-pictures  # everything but the two pictures (no Chromium)

It briefs ``korea-japan`` from the bundled demo corpus the way ``briefbot brief korea-japan
--demo`` does (a throwaway SQLite file, the demo ingested, ``BriefingService.brief``), with the
clock fixed so that the files only change when the renderers or the corpus do, and writes:

* ``discord.json``: the messages ``adapters.discord.render.render_briefing`` makes, as Discord's
  REST API receives them (``DiscordMessage.to_json``: content, embeds, allowed_mentions);
* ``slack.json``: the messages ``adapters.slack.render.render_briefing`` makes
  (``chat.postMessage`` bodies: fallback ``text`` and Block Kit ``blocks``);
* ``brief.txt`` and ``brief.md``: ``adapters.cli_render`` text (88 columns) and Markdown;
* ``discord.html`` and ``slack.html``: each payload drawn as the client draws it (Discord's dark
  theme, Slack's light one), every string escaped; only the markup we use is converted
  (bold, italics, code, links, Discord ``<t:…>`` and Slack ``<!date^…>`` dates, shown in UTC);
* ``discord.png`` and ``slack.png``: those pages, screenshot by headless Chromium from Debian's
  packages (``apt-get install chromium fonts-lato``), 800 CSS pixels wide at twice the pixel
  density, as tall as the page;
* ``links.md``: each payload in the platform's own preview tool (Slack's Block Kit Builder, which
  takes the blocks in its URL; Discohook, which takes Discord messages in its ``data`` parameter).

The pictures are renderings of the payloads, not screenshots of Discord or Slack.
``tests/test_previews.py`` fails when the committed files are not what the renderers make now.
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from bot.models import Briefing

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "previews"

TOPIC = "korea-japan"
COUNT = 3
# The morning after the demo editorial (2025-06-19, noon in Seoul): a fixed "now", so the files
# are the same on every run.
NOW = datetime(2025, 6, 20, 7, 30, tzinfo=UTC)
TEXT_WIDTH = 88  # what `briefbot brief` prints when its output is not a terminal
PAGE_WIDTH = 800  # CSS pixels
SCALE = 2  # device pixels per CSS pixel in the pictures

PAYLOAD_FILES = ("discord.json", "slack.json", "brief.txt", "brief.md")
PAGE_FILES = ("discord.html", "slack.html", "links.md")
PICTURES = {"discord.html": "discord.png", "slack.html": "slack.png"}

BLOCK_KIT_BUILDER = "https://app.slack.com/block-kit-builder/#"
DISCOHOOK = "https://discohook.app/?data="


# ---------------------------------------------------------------------------------------------
# the briefing and its payloads


def build_briefing(now: datetime = NOW) -> Briefing:
    """The demo briefing, built with the calls ``briefbot brief TOPIC --demo`` makes."""
    from bot.briefing import BriefingService
    from bot.ingest import Ingestor
    from bot.settings import Settings
    from bot.store import Store
    from bot.topics import TopicRegistry

    registry = TopicRegistry.default()
    with tempfile.TemporaryDirectory(prefix="briefbot-previews-") as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        try:
            report = Ingestor(store, Settings(_env_file=None), registry.tag).ingest_demo()
            if report.added == 0:
                reasons = "; ".join(i.reason or i.status for i in report.items)
                raise SystemExit(f"the demo corpus gave no article: {reasons or 'no documents'}")
            return BriefingService(store, registry, clock=lambda: now).brief(TOPIC, COUNT)
        finally:
            store.close()


def discord_messages(briefing: Briefing) -> list[dict[str, Any]]:
    from adapters.discord.render import render_briefing

    return [message.to_json() for message in render_briefing(briefing)]


def slack_messages(briefing: Briefing) -> list[dict[str, Any]]:
    from adapters.slack.render import render_briefing

    return render_briefing(briefing)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def payloads(briefing: Briefing) -> dict[str, str]:
    """File name -> contents, for the four payload files."""
    from adapters.cli_render import render_markdown, render_text

    return {
        "discord.json": _json(discord_messages(briefing)),
        "slack.json": _json(slack_messages(briefing)),
        "brief.txt": render_text(briefing, width=TEXT_WIDTH),
        "brief.md": render_markdown(briefing),
    }


def pages(files: Mapping[str, str], now: datetime = NOW) -> dict[str, str]:
    """File name -> contents, for the two HTML pages and ``links.md``, from the payload files."""
    discord = json.loads(files["discord.json"])
    slack = json.loads(files["slack.json"])
    return {
        "discord.html": discord_page(discord, now),
        "slack.html": slack_page(slack, now),
        "links.md": links_markdown(discord, slack),
    }


def write_files(out: Path, briefing: Briefing | None = None) -> dict[str, str]:
    """Write the payload files, the pages and ``links.md`` into ``out``; no Chromium."""
    files = payloads(briefing if briefing is not None else build_briefing())
    files.update(pages(files))
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8", newline="\n")
    return files


# ---------------------------------------------------------------------------------------------
# links to the platforms' preview tools


def block_kit_builder_url(message: Mapping[str, Any]) -> str:
    """Slack's Block Kit Builder with this message's blocks (it reads them from the fragment)."""
    payload = json.dumps({"blocks": message["blocks"]}, ensure_ascii=False, separators=(",", ":"))
    return BLOCK_KIT_BUILDER + quote(payload, safe="")


def discohook_url(messages: Sequence[Mapping[str, Any]]) -> str:
    """Discohook with these messages: base64url (no padding) of UTF-8 JSON
    ``{"version": "d2", "messages": [{"data": <message>}, ...]}``, as discohook.app writes its
    own ``?data=`` links (fields it does not know, such as ``allowed_mentions``, it ignores)."""
    data = {"version": "d2", "messages": [{"data": dict(m)} for m in messages]}
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return DISCOHOOK + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def links_markdown(discord: Sequence[Mapping[str, Any]], slack: Sequence[Mapping[str, Any]]) -> str:
    lines = [
        "# The demo briefing in each platform's own preview tool",
        "",
        "Made by `python tools/previews.py` from [`discord.json`](discord.json) and "
        "[`slack.json`](slack.json), the exact payloads the renderers produce.",
        "",
    ]
    for number, message in enumerate(slack, start=1):
        part = f" (message {number} of {len(slack)})" if len(slack) > 1 else ""
        lines.append(
            f"- [Slack: Block Kit Builder{part}]({block_kit_builder_url(message)}) "
            "(asks you to sign in to a Slack workspace)"
        )
    lines.append(f"- [Discord: Discohook]({discohook_url(discord)})")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# dates as the clients show them (en-US, UTC)


def _clock(moment: datetime, seconds: bool = False) -> str:
    hour = moment.hour % 12 or 12
    secs = f":{moment:%S}" if seconds else ""
    return f"{hour}:{moment:%M}{secs} {moment:%p}"


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _relative_day(moment: datetime, now: datetime) -> str | None:
    days = (moment.date() - now.date()).days
    return {0: "Today", -1: "Yesterday", 1: "Tomorrow"}.get(days)


def _ago(moment: datetime, now: datetime) -> str:
    seconds = int((now - moment).total_seconds())
    units = (("year", 365 * 86400), ("month", 30 * 86400), ("day", 86400), ("hour", 3600))
    unit, size = next(((u, n) for u, n in units if abs(seconds) >= n), ("minute", 60))
    count = max(1, abs(seconds) // size)
    text = f"{count} {unit}{'' if count == 1 else 's'}"
    return f"in {text}" if seconds < 0 else f"{text} ago"


def discord_timestamp(epoch: int, style: str, now: datetime) -> str:
    """``<t:epoch:style>`` as Discord shows it to an en-US reader in UTC."""
    moment = datetime.fromtimestamp(epoch, UTC)
    day = f"{moment:%B} {moment.day}, {moment.year}"
    return {
        "t": _clock(moment),
        "T": _clock(moment, seconds=True),
        "d": f"{moment.month}/{moment.day}/{moment.year}",
        "D": day,
        "F": f"{moment:%A}, {day} at {_clock(moment)}",
        "R": _ago(moment, now),
    }.get(style, f"{day} at {_clock(moment)}")


def discord_when(moment: datetime, now: datetime) -> str:
    """A message or embed time: "Today at 7:30 AM", else the date and time."""
    moment = moment.astimezone(UTC)
    relative = _relative_day(moment, now)
    if relative in ("Today", "Yesterday"):
        return f"{relative} at {_clock(moment)}"
    return f"{moment.month}/{moment.day}/{moment.year} {_clock(moment)}"


def slack_date(epoch: int, template: str, now: datetime) -> str | None:
    """A ``<!date^epoch^template|…>`` token as Slack shows it to an en-US reader in UTC; None
    for a template Slack would not understand (it shows the fallback then)."""
    moment = datetime.fromtimestamp(epoch, UTC)
    short = f"{moment:%b} {moment.day}, {moment.year}"
    date = f"{moment:%B} {_ordinal(moment.day)}, {moment.year}"
    long = f"{moment:%A}, {date}"
    relative = _relative_day(moment, now)
    values = {
        "date_num": f"{moment:%Y-%m-%d}",
        "date": date,
        "date_short": short,
        "date_long": long,
        "date_pretty": relative or date,
        "date_short_pretty": relative or short,
        "date_long_pretty": relative or long,
        "time": _clock(moment),
        "time_secs": _clock(moment, seconds=True),
        "ago": _ago(moment, now),
    }
    if any(token not in values for token in re.findall(r"\{(\w+)\}", template)):
        return None
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], template)


# ---------------------------------------------------------------------------------------------
# markup to HTML: only what the renderers write; everything else is text, escaped


def _inline(
    text: str,
    pattern: re.Pattern[str],
    convert: Callable[[re.Match[str]], str],
    plain: Callable[[str], str] = html.escape,
) -> str:
    """``text`` as HTML: each match of ``pattern`` converted, the text between made ``plain``
    (escaped)."""
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        out.append(plain(text[position : match.start()]))
        out.append(convert(match))
        position = match.end()
    out.append(plain(text[position:]))
    return "".join(out)


def _link(url: str, label_html: str, cls: str = "link") -> str:
    return f'<a class="{cls}" href="{html.escape(url, quote=True)}">{label_html}</a>'


_DISCORD_INLINE = re.compile(
    r"\\(?P<escaped>[^\w\s])"
    r"|`(?P<code>[^`]+)`"
    r"|<t:(?P<epoch>-?\d+)(?::(?P<style>[tTdDfFR]))?>"
    r"|\[(?P<label>[^\[\]]+)\]\((?P<target>https?://[^()\s]+)\)"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|__(?P<underline>.+?)__"
    r"|~~(?P<strike>.+?)~~"
    r"|\*(?P<star>[^*\s](?:.*?[^*\s])?)\*"
    r"|\b_(?P<under>[^_\s](?:.*?[^_\s])?)_\b"
    r"|(?P<url>https?://[^\s<]+[^\s<.,:;\"')\]])"
)


def discord_markdown(text: str, now: datetime = NOW) -> str:
    """Discord message markdown as HTML: backslash escapes, code, ``<t:…>``, masked links,
    bold, underline, strike, italics, bare links; line breaks kept."""

    def convert(match: re.Match[str]) -> str:
        group = match.lastgroup
        value = match.group(group or 0)
        if group == "escaped":
            return html.escape(value)
        if group == "code":
            return f"<code>{html.escape(value)}</code>"
        if group in ("epoch", "style"):
            when = discord_timestamp(int(match["epoch"]), match["style"] or "f", now)
            return f'<span class="timestamp">{html.escape(when)}</span>'
        if group in ("label", "target"):
            return _link(match["target"], discord_markdown(match["label"], now))
        if group == "url":
            return _link(value, html.escape(value))
        tag = {"bold": "strong", "underline": "u", "strike": "s"}.get(group or "", "em")
        return f"<{tag}>{discord_markdown(value, now)}</{tag}>"

    return "<br>".join(_inline(line, _DISCORD_INLINE, convert) for line in text.split("\n"))


_SLACK_INLINE = re.compile(
    r"<(?P<angle>[^<>]+)>"
    r"|`(?P<code>[^`\n]+)`"
    r"|(?<![\w*])\*(?P<bold>[^*\n]+)\*(?![\w*])"
    r"|(?<![\w_])_(?P<italic>[^_\n]+)_(?![\w_])"
    r"|(?<![\w~])~(?P<strike>[^~\n]+)~(?![\w~])"
)


def _slack_text(text: str) -> str:
    """Slack's three entities decoded, then everything escaped for HTML."""
    return html.escape(html.unescape(text))


def slack_mrkdwn(text: str, now: datetime = NOW) -> str:
    """Slack mrkdwn as HTML: ``<url|label>`` links, ``<!date^…>`` dates, mentions, code, bold,
    italics, strike; ``&amp; &lt; &gt;`` decoded; line breaks kept."""

    def angle(inner: str) -> str:
        target, _, label = inner.partition("|")
        if target.startswith("!date^"):
            parts = target.split("^")
            if len(parts) >= 3 and parts[1].lstrip("-").isdigit():
                shown = slack_date(int(parts[1]), html.unescape(parts[2]), now)
                if shown is None:
                    return _slack_text(label)
                body = f'<span class="date">{html.escape(shown)}</span>'
                return _link(html.unescape(parts[3]), body) if len(parts) > 3 else body
            return _slack_text(label or target)
        if target.startswith("!"):
            name = target[1:].split("^")[0]
            return f'<span class="mention">@{_slack_text(label or name)}</span>'
        if target[:1] in "@#" and target[1:2].isupper():
            return f'<span class="mention">{_slack_text(target[:1] + (label or target[1:]))}</span>'
        url = html.unescape(target)
        if not re.match(r"(?i)(https?|mailto):", url):
            return _slack_text(f"<{inner}>")
        return _link(url, _slack_text(label) if label else html.escape(url))

    def convert(match: re.Match[str]) -> str:
        group = match.lastgroup
        value = match.group(group or 0)
        if group == "angle":
            return angle(value)
        if group == "code":
            return f"<code>{_slack_text(value)}</code>"
        tag = {"bold": "strong", "italic": "em"}.get(group or "", "s")
        return f"<{tag}>{slack_mrkdwn(value, now)}</{tag}>"

    lines = text.split("\n")
    return "<br>".join(_inline(line, _SLACK_INLINE, convert, _slack_text) for line in lines)


# ---------------------------------------------------------------------------------------------
# the pages

_MEASURE = (
    "<script>document.body.dataset.height = "
    "Math.ceil(document.getElementById('shot').getBoundingClientRect().bottom);</script>"
)


def _page(title: str, css: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width">\n'
        f"<style>\n{css.strip()}\n</style>\n</head>\n<body>\n"
        f'<main id="shot">\n{body}</main>\n{_MEASURE}\n</body>\n</html>\n'
    )


DISCORD_CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; background: #313338; }
body { font: 16px/1.375 "gg sans", "Noto Sans", "Helvetica Neue", Helvetica, Lato, Arial,
       sans-serif; color: #dbdee1; }
main { padding: 8px 0 16px; }
.channel { padding: 0 16px 10px; margin-bottom: 8px; border-bottom: 1px solid #26272b;
           color: #f2f3f5; font-weight: 600; }
.channel span { color: #80848e; font-weight: 400; margin-right: 6px; }
.message { position: relative; padding: 2px 48px 4px 72px; min-height: 44px; margin-top: 8px; }
.avatar { position: absolute; left: 16px; top: 4px; width: 40px; height: 40px;
          border-radius: 50%; background: #2b6cb0; color: #fff; font-weight: 700;
          display: flex; align-items: center; justify-content: center; }
.username { color: #f2f3f5; font-weight: 500; }
.badge { background: #5865f2; color: #fff; font-size: 10px; font-weight: 600;
         border-radius: 3px; padding: 1px 4px; margin-left: 4px; vertical-align: 2px; }
.time { color: #949ba4; font-size: 12px; margin-left: 6px; }
.content { overflow-wrap: anywhere; }
code { font: 0.85em/1.125rem Consolas, "DejaVu Sans Mono", monospace; background: #2b2d31;
       border: 1px solid #1e1f22; border-radius: 4px; padding: 0 2px; }
.timestamp { background: rgba(255, 255, 255, 0.06); border-radius: 3px; padding: 0 2px; }
a.link, a.title-link { color: #00a8fc; text-decoration: none; }
.embed { max-width: 520px; margin-top: 4px; background: #2b2d31; border-radius: 4px;
         border-left: 4px solid; padding: 8px 16px 16px 12px; overflow-wrap: anywhere; }
.embed .author { margin-top: 8px; color: #f2f3f5; font-size: 14px; font-weight: 600; }
.embed .title { margin-top: 8px; color: #f2f3f5; font-weight: 600; }
.embed .description { margin-top: 8px; font-size: 14px; line-height: 18px; }
.embed .field { margin-top: 8px; font-size: 14px; line-height: 18px; }
.embed .field-name { color: #f2f3f5; font-weight: 600; margin-bottom: 2px; }
.embed .footer { margin-top: 8px; font-size: 12px; line-height: 16px; }
"""


def _colour(value: object) -> str:
    return f"#{value:06x}" if isinstance(value, int) else "#1e1f22"


def _discord_embed(embed: Mapping[str, Any], now: datetime) -> str:
    parts = []
    if author := embed.get("author", {}).get("name"):
        parts.append(f'<div class="author">{html.escape(author)}</div>')
    if title := embed.get("title"):
        title_html = discord_markdown(title, now)
        if url := embed.get("url"):
            title_html = _link(url, title_html, cls="title-link")
        parts.append(f'<div class="title">{title_html}</div>')
    if description := embed.get("description"):
        parts.append(f'<div class="description">{discord_markdown(description, now)}</div>')
    for field in embed.get("fields", ()):
        parts.append(
            '<div class="field">'
            f'<div class="field-name">{discord_markdown(field.get("name", ""), now)}</div>'
            f'<div class="field-value">{discord_markdown(field.get("value", ""), now)}</div>'
            "</div>"
        )
    footer = [html.escape(embed.get("footer", {}).get("text", ""))]
    if stamp := embed.get("timestamp"):
        footer.append(html.escape(discord_when(datetime.fromisoformat(stamp), now)))
    if any(footer):
        parts.append(f'<div class="footer">{" • ".join(p for p in footer if p)}</div>')
    style = f"border-left-color: {_colour(embed.get('color'))}"
    return f'<div class="embed" style="{style}">{"".join(parts)}</div>\n'


def discord_page(messages: Sequence[Mapping[str, Any]], now: datetime = NOW) -> str:
    """Discord messages (REST payloads) drawn in Discord's dark theme."""
    body = ['<div class="channel"><span>#</span>briefings</div>\n']
    for index, message in enumerate(messages):
        head = ""
        if index == 0:
            head = (
                '<div class="avatar">b</div><div><span class="username">briefbot</span>'
                f'<span class="badge">APP</span><span class="time">'
                f"{html.escape(discord_when(now, now))}</span></div>\n"
            )
        content = message.get("content", "")
        body.append(
            f'<div class="message">{head}'
            f'<div class="content">{discord_markdown(content, now)}</div>\n'
            + "".join(_discord_embed(e, now) for e in message.get("embeds", ()))
            + "</div>\n"
        )
    return _page("briefbot on Discord (a rendering of discord.json)", DISCORD_CSS, "".join(body))


SLACK_CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; background: #ffffff; }
body { font: 15px/1.46668 Slack-Lato, Lato, "Helvetica Neue", Helvetica, Arial, sans-serif;
       color: #1d1c1d; }
main { padding: 8px 0 12px; }
.channel { padding: 0 20px 10px; margin-bottom: 8px; border-bottom: 1px solid #dddddd;
           font-weight: 900; font-size: 18px; }
.message { position: relative; padding: 8px 20px 8px 72px; min-height: 52px; }
.avatar { position: absolute; left: 20px; top: 10px; width: 36px; height: 36px;
          border-radius: 6px; background: #2b6cb0; color: #fff; font-weight: 900;
          display: flex; align-items: center; justify-content: center; }
.username { font-weight: 900; }
.badge { background: rgba(29, 28, 29, 0.13); color: rgba(29, 28, 29, 0.7); font-size: 10px;
         font-weight: 700; border-radius: 2px; padding: 1px 3px; margin-left: 4px;
         vertical-align: 2px; }
.time { color: #616061; font-size: 12px; margin-left: 6px; }
.header { font-size: 18px; font-weight: 900; line-height: 1.33; margin: 6px 0 4px; }
.section { margin: 4px 0; overflow-wrap: anywhere; }
.context { margin: 6px 0 2px; font-size: 12px; color: #616061; }
hr { border: 0; border-top: 1px solid #dddddd; margin: 12px 0; }
a.link { color: #1264a3; text-decoration: none; }
code { font: 12px/1.5 Monaco, Menlo, Consolas, "DejaVu Sans Mono", monospace; color: #e01e5a;
       background: rgba(29, 28, 29, 0.04); border: 1px solid rgba(29, 28, 29, 0.13);
       border-radius: 3px; padding: 2px 3px 1px; }
.mention { color: #1264a3; background: rgba(29, 155, 209, 0.1); border-radius: 3px; }
.fallback { color: #616061; font-style: italic; }
"""


def _slack_text_object(obj: Mapping[str, Any] | None, now: datetime) -> str:
    if not obj:
        return ""
    text = str(obj.get("text", ""))
    if obj.get("type") == "mrkdwn":
        return slack_mrkdwn(text, now)
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def _slack_block(block: Mapping[str, Any], now: datetime) -> str:
    kind = block.get("type")
    if kind == "divider":
        return "<hr>\n"
    if kind == "header":
        return f'<div class="header">{_slack_text_object(block.get("text"), now)}</div>\n'
    if kind == "context":
        elements = " ".join(_slack_text_object(e, now) for e in block.get("elements", ()))
        return f'<div class="context">{elements}</div>\n'
    if kind == "section":
        text = _slack_text_object(block.get("text"), now)
        fields = "".join(
            f"<div>{_slack_text_object(f, now)}</div>" for f in block.get("fields", ())
        )
        return f'<div class="section">{text}{fields}</div>\n'
    return f'<div class="fallback">[{html.escape(str(kind))} block]</div>\n'


def slack_page(messages: Sequence[Mapping[str, Any]], now: datetime = NOW) -> str:
    """Slack messages (``chat.postMessage`` bodies) drawn in Slack's light theme; messages after
    the first are the thread replies the adapter posts under it."""
    body = ['<div class="channel"># briefings</div>\n']
    for message in messages:
        blocks = message.get("blocks")
        inner = (
            "".join(_slack_block(b, now) for b in blocks)
            if blocks
            else f'<div class="section">{slack_mrkdwn(message.get("text", ""), now)}</div>\n'
        )
        body.append(
            '<div class="message"><div class="avatar">b</div>'
            '<div><span class="username">briefbot</span><span class="badge">APP</span>'
            f'<span class="time">{html.escape(_clock(now))}</span></div>\n{inner}</div>\n'
        )
    return _page("briefbot on Slack (a rendering of slack.json)", SLACK_CSS, "".join(body))


# ---------------------------------------------------------------------------------------------
# pictures


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _chromium(chromium: str, profile: Path, *args: str) -> str:
    command = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--no-first-run",
        "--disable-extensions",
        "--mute-audio",
        f"--user-data-dir={profile}",
        f"--force-device-scale-factor={SCALE}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    if done.returncode != 0:
        raise SystemExit(f"chromium failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return done.stdout


def screenshot(chromium: str, page: Path, picture: Path, width: int = PAGE_WIDTH) -> int:
    """``page`` as a PNG ``width`` CSS pixels wide and as tall as its content; the height."""
    url = page.resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="briefbot-chromium-") as profile:
        dom = _chromium(chromium, Path(profile), f"--window-size={width},200", "--dump-dom", url)
        match = re.search(r'data-height="(\d+)"', dom)
        if match is None:
            raise SystemExit(f"could not measure {page.name}: no data-height in Chromium's DOM")
        height = int(match.group(1))
        _chromium(
            chromium,
            Path(profile),
            f"--window-size={width},{height}",
            f"--screenshot={picture.resolve()}",
            url,
        )
    return height


# ---------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python tools/previews.py",
        description="Regenerate docs/previews/: the demo briefing's payloads, pages, pictures "
        "and preview-tool links.",
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where to write (docs/previews)")
    parser.add_argument("--no-pictures", action="store_true", help="skip the Chromium screenshots")
    options = parser.parse_args(argv)
    out: Path = options.out
    if str(ROOT) not in sys.path:  # run as a script: the project's packages from its root
        sys.path.insert(0, str(ROOT))

    files = write_files(out)
    for name in files:
        print(f"wrote {out / name}")
    if not options.no_pictures:
        chromium = find_chromium()
        if chromium is None:
            print(
                "chromium not found: `apt-get install chromium fonts-lato` to draw the pictures "
                "(or pass --no-pictures)",
                file=sys.stderr,
            )
            return 1
        for page, picture in PICTURES.items():
            height = screenshot(chromium, out / page, out / picture)
            print(f"wrote {out / picture} ({PAGE_WIDTH}x{height} CSS px, x{SCALE})")
    discord = json.loads(files["discord.json"])
    slack = json.loads(files["slack.json"])
    print()
    for message in slack:
        print(f"Slack Block Kit Builder: {block_kit_builder_url(message)}")
    print(f"Discohook: {discohook_url(discord)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
