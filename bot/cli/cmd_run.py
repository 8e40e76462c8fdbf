"""`briefbot run`: every configured adapter, the scheduler and feed polling, in one process."""

from __future__ import annotations

from bot.cli import app, fail


@app.command()
def run() -> None:
    """Start Discord and/or Slack (as configured), the scheduler and feed polling until
    SIGINT/SIGTERM, then stop cleanly."""
    from bot.cli import current_settings

    settings = current_settings()  # read and checked by the root callback, logging set up
    missing = settings.missing_for_run()
    if missing:
        raise fail(missing)
    import asyncio

    from bot import app as composition

    asyncio.run(composition.run(settings))
