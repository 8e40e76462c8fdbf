"""`briefbot version`."""

from __future__ import annotations

import typer

from bot.cli import app


@app.command()
def version() -> None:
    """Print the version."""
    from bot import __version__

    typer.echo(__version__)
