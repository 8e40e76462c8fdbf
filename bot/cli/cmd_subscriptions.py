"""`briefbot subscribe`, `briefbot subscriptions`, `briefbot unsubscribe` and `briefbot resume`.

The operator's view of the scheduled briefings that chat users manage with `/briefing`
(Discord) and `/brief subscribe` (Slack): the same table, the same validation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bot.cli import app

if TYPE_CHECKING:
    from bot.models import Subscription
    from bot.subscriptions import SubscriptionService


class PlatformName(StrEnum):
    discord = "discord"
    slack = "slack"


class ListFormat(StrEnum):
    text = "text"
    json = "json"


@contextmanager
def _service() -> Iterator[SubscriptionService]:
    from bot.cli import current_settings
    from bot.store import Store
    from bot.subscriptions import SubscriptionService
    from bot.topics import TopicRegistry

    settings = current_settings()
    store = Store.open(settings.resolved_database_url)
    try:
        yield SubscriptionService(store, TopicRegistry.default(), default_tz=settings.timezone)
    finally:
        store.close()


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def local_time(value: datetime | None, zone: str) -> str:
    """A run time as the subscription's channel reads it: ``2025-06-19 08:00 KST``."""
    from bot import messages
    from bot.scheduling.slots import zone_of

    if value is None:
        return messages.SUB_NO_NEXT_RUN
    return value.astimezone(zone_of(zone)).strftime("%Y-%m-%d %H:%M %Z")


def subscription_json(
    sub: Subscription,
    *,
    next_run: datetime | None = None,
    last_delivery: datetime | None = None,
) -> dict[str, Any]:
    return {
        "id": sub.id,
        "platform": sub.channel.platform,
        "workspace_id": sub.channel.workspace_id,
        "channel_id": sub.channel.channel_id,
        "topic": {"slug": sub.topic.slug, "title": sub.topic.title},
        "schedule": {
            "timezone": sub.schedule.timezone,
            "at": sub.schedule.at,
            "days": None if sub.schedule.cron else list(sub.schedule.days),
            "cron": sub.schedule.cron,
            "description": sub.schedule.describe(),
        },
        "quiet": sub.quiet,
        "status": sub.status,
        "paused_reason": sub.paused_reason,
        "next_run": _iso(next_run),
        "last_delivery": _iso(last_delivery),
        "created_by": sub.created_by,
        "created_at": sub.created_at.isoformat() if sub.created_at else None,
    }


@app.command()
def subscribe(
    platform: Annotated[PlatformName, typer.Option("--platform", help="discord or slack.")],
    channel: Annotated[str, typer.Option("--channel", help="The channel id.")],
    topic: Annotated[str, typer.Option("--topic", help="A topic: korea-japan, us-china, ...")],
    workspace: Annotated[
        str | None, typer.Option("--workspace", help="Discord guild or Slack team id.")
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="Daily time: 24-hour HH:MM (08:00), or noon, midnight."),
    ] = None,
    days: Annotated[
        str | None,
        typer.Option("--days", help="With --at: daily (default), weekdays, or mon,tue,..."),
    ] = None,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz",
            help="IANA time zone or its city: Asia/Seoul, Seoul (default BRIEFBOT_TIMEZONE).",
        ),
    ] = None,
    cron: Annotated[
        str | None,
        typer.Option("--cron", help='Instead of --at: "MIN HOUR DOM MON DOW", e.g. "0 8 * * 1-5".'),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", help="Skip slots with nothing new instead of saying so.")
    ] = False,
) -> None:
    """Schedule a briefing for a channel; prints the new subscription's id."""
    from bot import messages
    from bot.models import ChannelRef

    ref = ChannelRef(platform.value, channel, workspace)
    with _service() as service:
        sub, resumed = service.subscribe_or_resume(
            ref, topic, at=at, days=days, tz=tz, cron=cron, quiet=quiet, created_by="cli"
        )
    if resumed:  # the same subscription, paused: subscribing again means "deliver it"
        text = messages.SUB_RESUMED_BY_SUBSCRIBE.format(
            id=sub.id,
            slug=sub.topic.slug,
            schedule=sub.schedule.describe(),
            next=local_time(service.next_run(sub), sub.schedule.timezone),
        )
    else:
        text = messages.SUB_CREATED.format(
            platform=platform.value,
            channel=channel,
            slug=sub.topic.slug,
            schedule=sub.schedule.describe(),
            id=sub.id,
        )
    typer.echo(text, err=True)
    typer.echo(sub.id)


@app.command()
def subscriptions(
    output: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text or json.")
    ] = ListFormat.text,
) -> None:
    """List the scheduled briefings of every channel."""
    from bot import messages

    with _service() as service:
        listed = service.listing()
    if output is ListFormat.json:
        found = [
            subscription_json(s, next_run=next_run, last_delivery=last)
            for s, next_run, last in listed
        ]
        typer.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if not listed:
        typer.echo(messages.SUB_NONE)
        return
    header = (
        "ID", "PLATFORM", "WORKSPACE", "CHANNEL", "TOPIC", "SCHEDULE", "NEXT RUN",
        "LAST DELIVERY", "STATUS",
    )  # fmt: skip
    rows = [
        (
            str(s.id),
            s.channel.platform,
            s.channel.workspace_id or "-",
            s.channel.channel_id,
            s.topic.slug,
            s.schedule.describe() + (" quiet" if s.quiet else ""),
            local_time(next_run, s.schedule.timezone) if s.status == "active" else "-",
            local_time(last, s.schedule.timezone) if last is not None else "-",
            s.status if s.status == "active" else f"paused: {s.paused_reason or '-'}",
        )
        for s, next_run, last in listed
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        typer.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@app.command()
def unsubscribe(
    sub_id: Annotated[int, typer.Argument(metavar="ID", help="The id from `subscriptions`.")],
) -> None:
    """Remove a scheduled briefing."""
    from bot import messages

    with _service() as service:
        sub = service.remove(sub_id)
    typer.echo(
        messages.SUB_REMOVED.format(
            id=sub.id, slug=sub.topic.slug, schedule=sub.schedule.describe()
        )
    )


@app.command()
def resume(
    sub_id: Annotated[int, typer.Argument(metavar="ID", help="The id from `subscriptions`.")],
) -> None:
    """Resume a paused scheduled briefing (paused when its channel refused a post)."""
    from bot import messages

    with _service() as service:
        sub, was_paused = service.resume(sub_id)
        next_run = local_time(service.next_run(sub), sub.schedule.timezone)
    if not was_paused:
        typer.echo(messages.SUB_NOT_PAUSED.format(id=sub.id, next=next_run))
        return
    typer.echo(
        messages.SUB_RESUMED.format(
            id=sub.id, slug=sub.topic.slug, schedule=sub.schedule.describe(), next=next_run
        )
    )
