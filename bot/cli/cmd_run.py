"""`briefbot run`: every configured adapter, the scheduler and feed polling, in one process."""

from __future__ import annotations

import asyncio

from bot.cli import app, setup_logging


@app.command()
def run() -> None:
    """Start Discord and/or Slack (as configured), the scheduler and feed polling until
    SIGINT/SIGTERM, then stop cleanly."""
    from bot import app as composition
    from bot.settings import Settings

    settings = Settings()
    setup_logging(settings.log_level, settings)  # redacts the configured secrets
    asyncio.run(composition.run(settings))
