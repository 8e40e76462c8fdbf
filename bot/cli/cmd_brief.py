"""`briefbot brief TOPIC`, `briefbot brief --subscription ID` and `briefbot topics`.

``brief --demo`` briefs from the bundled corpus in a throwaway SQLite file: no network, and
the user's database is never opened.  ``brief --subscription ID`` previews a subscription's
next slot: what ``bot.scheduling.content.compose_slot`` (the scheduler's own) makes of it now.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli import app

if TYPE_CHECKING:
    from bot.models import Briefing

log = logging.getLogger(__name__)
DEMO_TOPIC = "korea-japan"  # what the bundled sample (bot/data/demo) is about


class BriefFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class ListFormat(StrEnum):
    text = "text"
    json = "json"


def _terminal_width() -> int:
    return min(100, shutil.get_terminal_size((88, 24)).columns)


@app.command()
def brief(
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="TOPIC",
            help="A topic slug or country names: korea-japan, us-china, japan.",
            show_default=False,
        ),
    ] = None,
    count: Annotated[
        int | None,
        typer.Option(
            "--count", "-n", help="How many pieces (1-10, default 3).", show_default=False
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Only pieces from this recent window: 36h, 7d, 2w, 90m."),
    ] = None,
    output: Annotated[
        BriefFormat, typer.Option("--format", "-f", help="text, json or markdown.")
    ] = BriefFormat.text,
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Brief from the bundled sample corpus (no network, no DB)."),
    ] = False,
    subscription: Annotated[
        int | None,
        typer.Option(
            "--subscription",
            help="Instead of TOPIC: preview what subscription ID's next slot would post now "
            "(nothing is recorded).",
            metavar="ID",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The briefing for TOPIC: the most relevant recent pieces, each in a few bullets.

    With --subscription ID instead of TOPIC: what that scheduled briefing's next slot would
    post now (a preview; nothing is posted or recorded).
    """
    from bot import messages
    from bot.errors import BadInput

    if subscription is not None:
        given = [
            flag
            for flag, value in (
                ("TOPIC", topic),
                ("--count", count),
                ("--since", since),
                ("--demo", demo or None),
            )
            if value is not None
        ]
        if given:
            raise BadInput(messages.PREVIEW_NOT_WITH.format(options=", ".join(given)))
        _preview(subscription, output)
        return
    if topic is None:
        raise BadInput(messages.BRIEF_NO_TOPIC)
    briefing = _brief(topic, count, since, demo)
    _print(briefing, output)


def _brief(topic: str, count: int | None, since: str | None, demo: bool) -> Briefing:
    from bot import messages
    from bot.briefing import DEFAULT_COUNT, BriefingService, check_count, parse_duration
    from bot.cli import current_settings
    from bot.store import Store
    from bot.topics import TopicRegistry

    registry = TopicRegistry.default()
    registry.resolve(topic)  # an unknown topic fails before any work
    count = check_count(DEFAULT_COUNT if count is None else count)
    window = parse_duration(since) if since is not None else None
    settings = current_settings()
    if demo:
        from bot.demo import open_demo_store

        with (
            tempfile.TemporaryDirectory(prefix="briefbot-demo-") as tmp,
            open_demo_store(Path(tmp)) as store,
        ):
            return BriefingService(store, registry).brief(topic, count, window)
    store = Store.open(settings.resolved_database_url)
    try:
        briefing = BriefingService(store, registry).brief(topic, count, window)
        if not briefing.items and store.count_articles() == 0:
            # the sample covers one relationship: suggest that, whatever was asked
            typer.echo(messages.STORE_EMPTY_HINT.format(demo_topic=DEMO_TOPIC), err=True)
    finally:
        store.close()
    return briefing


def _print(briefing: Briefing, output: BriefFormat, *, header: str | None = None) -> None:
    """``briefing`` on stdout in ``output``'s format, after a preview's ``header`` line."""
    from adapters.cli_render import render_markdown, render_text

    if output is BriefFormat.json:
        typer.echo(json.dumps(briefing.to_json(), ensure_ascii=False, indent=2))
        return
    if header is not None:
        typer.echo(f"> {header}\n" if output is BriefFormat.markdown else header)
    if output is BriefFormat.markdown:
        typer.echo(render_markdown(briefing), nl=False)
    else:
        typer.echo(render_text(briefing, width=_terminal_width()), nl=False)


def _preview(subscription_id: int, output: BriefFormat) -> None:
    """``brief --subscription ID``: the subscription's next slot as the scheduler would make
    it now, with a header line saying so; the ledger is only read."""
    from bot import messages
    from bot.briefing import BriefingService
    from bot.cli import current_settings
    from bot.cli.cmd_subscriptions import local_time
    from bot.errors import NotFound
    from bot.store import Store
    from bot.topics import TopicRegistry

    settings = current_settings()
    store = Store.open(settings.resolved_database_url)
    try:
        try:
            preview = BriefingService(store, TopicRegistry.default()).preview_slot(subscription_id)
        except NotFound:
            raise NotFound(messages.PREVIEW_NOT_FOUND.format(id=subscription_id)) from None
    finally:
        store.close()
    sub = preview.subscription
    zone = sub.schedule.timezone
    about = {
        "id": sub.id,
        "slug": sub.topic_slug,
        "schedule": sub.schedule.describe() + (messages.PREVIEW_QUIET if sub.quiet else ""),
        "when": local_time(preview.slot_at, zone),
    }
    if preview.paused:
        header = messages.PREVIEW_PAUSED_HEADER.format(**about)
    elif preview.slot_at is None:
        header = messages.PREVIEW_NO_NEXT_HEADER.format(**about)
    else:
        header = messages.PREVIEW_HEADER.format(**about)
    if output is BriefFormat.json:
        payload = {
            "preview": {
                "subscription_id": sub.id,
                "topic": sub.topic_slug,
                "status": sub.status,
                "quiet": sub.quiet,
                "next_run": preview.slot_at.isoformat() if preview.slot_at else None,
                "timezone": zone,
                "posts": preview.briefing is not None,
                "note": preview.briefing.note if preview.briefing is not None else None,
            },
            "briefing": preview.briefing.to_json() if preview.briefing is not None else None,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if preview.briefing is None:  # quiet, nothing new: the slot posts nothing
        nothing = messages.PREVIEW_NOTHING.format(slug=sub.topic_slug)
        if output is BriefFormat.markdown:
            typer.echo(f"> {header}\n\n{nothing}")
        else:
            typer.echo(f"{header}\n{nothing}")
        return
    _print(preview.briefing, output, header=header)


@app.command()
def topics(
    output: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ListFormat.text,
) -> None:
    """The curated topics with their slugs (any country or pair of countries works too)."""
    from bot import messages
    from bot.topics import TopicRegistry

    registry = TopicRegistry.default()
    curated = registry.curated()
    if output is ListFormat.json:
        payload = {
            "topics": [
                {
                    "slug": t.slug,
                    "title": t.title,
                    "countries": list(t.entities),
                    "description": t.description,
                    "curated": True,
                }
                for t in curated
            ],
            "note": messages.TOPICS_ANY_COUNTRY,
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    slug_width = max(len(t.slug) for t in curated)
    title_width = max(len(t.title) for t in curated)
    lines = [messages.TOPICS_CURATED_HEADER]
    for t in curated:
        line = f"  {t.slug:<{slug_width}}  {t.title:<{title_width}}  {t.description or ''}"
        lines.append(line.rstrip())
    lines += ["", messages.TOPICS_ANY_COUNTRY]
    typer.echo("\n".join(lines))
