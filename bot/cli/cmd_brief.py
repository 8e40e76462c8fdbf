"""`briefbot brief TOPIC` and `briefbot topics`.

``brief --demo`` briefs from the bundled corpus in a throwaway SQLite file: no network, and
the user's database is never opened.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bot.cli import app

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
        str,
        typer.Argument(
            metavar="TOPIC", help="A topic slug or country names: korea-japan, us-china, japan."
        ),
    ],
    count: Annotated[int, typer.Option("--count", "-n", help="How many pieces (1-10).")] = 3,
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
) -> None:
    """The briefing for TOPIC: the most relevant recent pieces, each in a few bullets."""
    from adapters.cli_render import render_markdown, render_text
    from bot import messages
    from bot.briefing import BriefingService, check_count, parse_duration
    from bot.settings import Settings
    from bot.store import Store
    from bot.topics import TopicRegistry

    registry = TopicRegistry.default()
    registry.resolve(topic)  # an unknown topic fails before any work
    check_count(count)
    window = parse_duration(since) if since is not None else None
    settings = Settings()
    if demo:
        from bot.demo import open_demo_store

        with (
            tempfile.TemporaryDirectory(prefix="briefbot-demo-") as tmp,
            open_demo_store(Path(tmp)) as store,
        ):
            briefing = BriefingService(store, registry).brief(topic, count, window)
    else:
        store = Store.open(settings.resolved_database_url)
        try:
            briefing = BriefingService(store, registry).brief(topic, count, window)
            if not briefing.items and store.count_articles() == 0:
                # the sample covers one relationship: suggest that, whatever was asked
                typer.echo(messages.STORE_EMPTY_HINT.format(demo_topic=DEMO_TOPIC), err=True)
        finally:
            store.close()
    if output is BriefFormat.json:
        typer.echo(json.dumps(briefing.to_json(), ensure_ascii=False, indent=2))
    elif output is BriefFormat.markdown:
        typer.echo(render_markdown(briefing), nl=False)
    else:
        typer.echo(render_text(briefing, width=_terminal_width()), nl=False)


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
