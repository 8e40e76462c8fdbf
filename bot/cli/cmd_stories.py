"""`briefbot stories [TOPIC]`: the stories in the store, most recently updated first."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.cli import app
from bot.cli.cmd_brief import ListFormat, _terminal_width


@app.command()
def stories(
    topic: Annotated[
        str | None,
        typer.Argument(
            metavar="[TOPIC]",
            help="Only stories on this topic (korea-japan, japan, us-china); all by default.",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str,
        typer.Option("--since", help="Stories with an article from this window: 36h, 7d, 2w."),
    ] = "36h",
    limit: Annotated[
        int, typer.Option("--limit", "-n", help="How many stories (0: all).", min=0)
    ] = 20,
    output: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ListFormat.text,
) -> None:
    """The stories in the store: articles from any outlets about the same event, grouped."""
    from adapters.cli_render import render_stories
    from bot.briefing import BriefingService, parse_duration
    from bot.cli import current_settings
    from bot.store import Store
    from bot.topics import TopicRegistry

    registry = TopicRegistry.default()
    if topic is not None:
        registry.resolve(topic)  # an unknown topic fails before any work
    window = parse_duration(since)
    settings = current_settings()
    store = Store.open(settings.resolved_database_url)
    try:
        listed = BriefingService(store, registry).stories(topic, since=window, limit=limit)
    finally:
        store.close()
    if output is ListFormat.json:
        typer.echo(json.dumps(listed.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_stories(listed, width=_terminal_width()), nl=False)
