"""Scheduled briefings for a channel: schedule parsing and the subscription service.

One model for Discord, Slack and the CLI.  A schedule is either a daily time on some weekdays
in an IANA zone (``--at 08:00 --days weekdays --tz Asia/Seoul``) or a standard 5-field cron
expression (``--cron "0 8 * * 1-5"``).  Everything is validated before it is stored; every
error is one line that says how to fix it.

Cron expressions are read by ``bot.scheduling.slots.parse_cron``, the scheduler's own
crontab(5) reader (Sunday = 0 or 7, day-of-month OR day-of-week, ``@daily`` macros), on top of
APScheduler 3's ``CronTrigger``: what is accepted here is exactly what will fire.  (APScheduler's
``CronTrigger.from_crontab`` alone would not do: it numbers Monday 0, so "1-5" meant Tue-Sat.)
"""

from __future__ import annotations

import builtins
import difflib
import functools
import logging
import re
import zoneinfo
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import messages
from bot.errors import BadInput, BadSchedule, BriefbotError, NotFound, UnknownTopic
from bot.models import ChannelRef, Platform, Schedule, Subscription, TopicRef
from bot.store import Store
from bot.store.schema import Delivery, SubscriptionRow, utcnow
from bot.topics import TopicRegistry

log = logging.getLogger(__name__)

ALL_DAYS = (1, 2, 3, 4, 5, 6, 7)
_PLATFORMS: tuple[Platform, ...] = ("discord", "slack")
_DAY_WORDS = {
    "mon": 1, "monday": 1,
    "tue": 2, "tues": 2, "tuesday": 2,
    "wed": 3, "weds": 3, "wednesday": 3,
    "thu": 4, "thur": 4, "thurs": 4, "thursday": 4,
    "fri": 5, "friday": 5,
    "sat": 6, "saturday": 6,
    "sun": 7, "sunday": 7,
}  # fmt: skip
_DAY_SETS = {
    "daily": ALL_DAYS,
    "everyday": ALL_DAYS,
    "every day": ALL_DAYS,
    "weekdays": (1, 2, 3, 4, 5),
    "weekday": (1, 2, 3, 4, 5),
    "weekends": (6, 7),
    "weekend": (6, 7),
}
_TIME_24 = re.compile(r"^(\d{1,2})[:.h](\d{2})$")
_TIME_12 = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?$", re.I)


def parse_time(text: str) -> str:
    """ "8:00", "08:00", "17.30", "8am", "5:30 pm" -> "HH:MM" (24-hour)."""
    value = text.strip()
    if match := _TIME_24.match(value):
        hour, minute = int(match.group(1)), int(match.group(2))
    elif match := _TIME_12.match(value):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12:
            raise BadSchedule(messages.BAD_TIME.format(text=text))
        hour = hour % 12 + (12 if match.group(3).lower() == "p" else 0)
    else:
        raise BadSchedule(messages.BAD_TIME.format(text=text))
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise BadSchedule(messages.BAD_TIME.format(text=text))
    return f"{hour:02d}:{minute:02d}"


def parse_days(text: str | None) -> tuple[int, ...]:
    """ "daily", "weekdays", "weekends", "mon,wed,fri", "mon-fri" -> ISO weekdays (Mon = 1)."""
    value = " ".join((text or "daily").lower().split())
    if value in _DAY_SETS:
        return _DAY_SETS[value]
    days: set[int] = set()
    for part in re.split(r"[,\s]+", value):
        if not part:
            continue
        if "-" in part:
            first, _, last = part.partition("-")
            if first not in _DAY_WORDS or last not in _DAY_WORDS:
                raise BadSchedule(messages.BAD_DAYS.format(text=text))
            start, end = _DAY_WORDS[first], _DAY_WORDS[last]
            span = range(start, end + 1) if start <= end else [*range(start, 8), *range(1, end + 1)]
            days.update(span)
        elif part in _DAY_WORDS:
            days.add(_DAY_WORDS[part])
        elif part in _DAY_SETS:
            days.update(_DAY_SETS[part])
        else:
            raise BadSchedule(messages.BAD_DAYS.format(text=text))
    if not days:
        raise BadSchedule(messages.BAD_DAYS.format(text=text))
    return tuple(sorted(days))


@functools.cache
def _zones() -> dict[str, str]:
    return {zone.lower(): zone for zone in zoneinfo.available_timezones()}


def parse_zone(text: str) -> str:
    """An IANA zone name, canonical case ("asia/seoul" -> "Asia/Seoul"); else ``BadSchedule``."""
    value = text.strip()
    canonical = _zones().get(value.lower())
    if canonical is not None and value.lower() != "localtime":
        return canonical
    close = difflib.get_close_matches(value, sorted(_zones().values()), n=1, cutoff=0.6)
    hint = messages.DID_YOU_MEAN.format(suggestion=close[0]) if close else ""
    raise BadSchedule(messages.BAD_ZONE.format(zone=value, hint=hint))


def parse_schedule(
    *,
    at: str | None,
    days: str | None,
    tz: str | None,
    cron: str | None,
    default_tz: str,
) -> Schedule:
    """Validate a schedule; ``BadSchedule`` (one line, with the fix) when it does not parse."""
    zone = parse_zone(tz if tz and tz.strip() else default_tz)
    cron = cron.strip() if cron else None
    at = at.strip() if at else None
    if cron and at:
        raise BadSchedule(messages.SCHEDULE_BOTH)
    if cron:
        if days:
            raise BadSchedule(messages.SCHEDULE_CRON_DAYS)
        # The scheduler's own reading of crontab(5), so what is accepted here is what fires.
        from bot.scheduling.slots import parse_cron

        return Schedule(timezone=zone, cron=parse_cron(cron).expression)
    if not at:
        raise BadSchedule(messages.SCHEDULE_MISSING)
    return Schedule(timezone=zone, at=parse_time(at), days=parse_days(days))


def _activate(row: SubscriptionRow) -> None:
    row.status = "active"
    row.paused_reason = None
    row.recheck_at = None
    row.rechecks = 0
    row.updated_at = utcnow()


def _check_channel(channel: ChannelRef) -> None:
    if channel.platform not in _PLATFORMS:
        raise BadInput(messages.BAD_PLATFORM.format(platform=channel.platform))
    for value in (channel.channel_id, channel.workspace_id):
        if value is not None and (not value.strip() or len(value) > 64 or value != value.strip()):
            raise BadInput(messages.BAD_CHANNEL_ID.format(value=value))


class SubscriptionService:
    """Subscriptions in the store: create, list, remove, pause and resume."""

    def __init__(self, store: Store, topics: TopicRegistry, default_tz: str = "UTC") -> None:
        self._store = store
        self._topics = topics
        self._default_tz = default_tz

    def subscribe(
        self,
        channel: ChannelRef,
        topic: str,
        *,
        at: str | None = None,
        days: str | None = None,
        tz: str | None = None,
        cron: str | None = None,
        quiet: bool = False,
        created_by: str | None = None,
    ) -> Subscription:
        """Store a new subscription for ``channel``; raises ``BadInput`` subclasses.

        The same subscription, paused, is resumed instead (see :meth:`subscribe_or_resume`).
        """
        subscription, _ = self.subscribe_or_resume(
            channel, topic, at=at, days=days, tz=tz, cron=cron, quiet=quiet, created_by=created_by
        )
        return subscription

    def subscribe_or_resume(
        self,
        channel: ChannelRef,
        topic: str,
        *,
        at: str | None = None,
        days: str | None = None,
        tz: str | None = None,
        cron: str | None = None,
        quiet: bool = False,
        created_by: str | None = None,
    ) -> tuple[Subscription, bool]:
        """Store a new subscription, or resume the same one if it is paused: (it, resumed).

        Asking again for a subscription the channel has, paused, means "deliver it": it is
        resumed (with ``quiet`` as asked now), and the caller says so.  The same one, active,
        is refused as a duplicate (``BadInput``).
        """
        _check_channel(channel)
        resolved = self._topics.resolve(topic)
        schedule = parse_schedule(at=at, days=days, tz=tz, cron=cron, default_tz=self._default_tz)
        days_text = None if schedule.cron else ",".join(map(str, schedule.days))
        with self._store.session() as session:
            same = session.execute(
                select(SubscriptionRow)
                .where(
                    SubscriptionRow.platform == channel.platform,
                    SubscriptionRow.channel_id == channel.channel_id,
                    SubscriptionRow.topic_slug == resolved.slug,
                    SubscriptionRow.timezone == schedule.timezone,
                    SubscriptionRow.at_time.is_(None)
                    if schedule.at is None
                    else SubscriptionRow.at_time == schedule.at,
                    SubscriptionRow.days.is_(None)
                    if days_text is None
                    else SubscriptionRow.days == days_text,
                    SubscriptionRow.cron.is_(None)
                    if schedule.cron is None
                    else SubscriptionRow.cron == schedule.cron,
                )
                .order_by(SubscriptionRow.status, SubscriptionRow.id)  # an active one first
                .limit(1)
            ).scalar()
            if same is not None and same.status != "paused":
                raise BadInput(messages.SUB_DUPLICATE.format(id=same.id))
            if same is not None:
                _activate(same)
                same.quiet = quiet
                session.flush()
                resumed = self._model(same)
                log.info("subscription %d resumed by subscribing again", resumed.id)
                return resumed, True
            row = SubscriptionRow(
                platform=channel.platform,
                workspace_id=channel.workspace_id,
                channel_id=channel.channel_id,
                topic_slug=resolved.slug,
                timezone=schedule.timezone,
                at_time=schedule.at,
                days=days_text,
                cron=schedule.cron,
                quiet=quiet,
                status="active",
                created_by=created_by[:64] if created_by else None,
            )
            session.add(row)
            session.flush()
            subscription = self._model(row)
        log.info(
            "subscription %d: %s %s -> %s, %s",
            subscription.id,
            channel.platform,
            channel.channel_id,
            resolved.slug,
            schedule.describe(),
        )
        return subscription, False

    def list(
        self, channel: ChannelRef | None = None, *, workspace_id: str | None = None
    ) -> builtins.list[Subscription]:
        """Subscriptions, oldest first: of one channel, of one workspace, or all."""
        query = select(SubscriptionRow).order_by(SubscriptionRow.id)
        if channel is not None:
            query = query.where(
                SubscriptionRow.platform == channel.platform,
                SubscriptionRow.channel_id == channel.channel_id,
            )
        if workspace_id is not None:
            query = query.where(SubscriptionRow.workspace_id == workspace_id)
        with self._store.session(write=False) as session:
            return [self._model(row) for row in session.execute(query).scalars()]

    def get(self, sub_id: int) -> Subscription:
        with self._store.session(write=False) as session:
            return self._model(self._row(session, sub_id, None))

    def remove(self, sub_id: int, channel: ChannelRef | None = None) -> Subscription:
        """Delete one; ``NotFound`` if it does not exist or belongs to another channel."""
        with self._store.session() as session:
            row = self._row(session, sub_id, channel)
            subscription = self._model(row)
            session.delete(row)
        log.info("subscription %d removed", sub_id)
        return subscription

    def pause(self, sub_id: int, reason: str, *, recheck_at: datetime | None = None) -> None:
        """Stop delivering (e.g. the channel is gone); shown with ``reason`` in listings.

        ``recheck_at``: when the scheduler checks the channel again on its own (and resumes
        the subscription if the platform accepts); None: only a person resumes it.
        """
        with self._store.session() as session:
            row = self._row(session, sub_id, None)
            if row.status != "paused":
                row.rechecks = 0
            row.status = "paused"
            row.paused_reason = reason[:500]
            row.recheck_at = recheck_at
            row.updated_at = utcnow()
        log.warning("subscription %d paused: %s", sub_id, reason)

    def resume(self, sub_id: int, channel: ChannelRef | None = None) -> tuple[Subscription, bool]:
        """Deliver again: (the subscription, whether it was paused).  ``NotFound`` if it does
        not exist or belongs to another channel; resuming an active one changes nothing."""
        with self._store.session() as session:
            row = self._row(session, sub_id, channel)
            was_paused = row.status == "paused"
            if was_paused:
                _activate(row)
                session.flush()
            subscription = self._model(row)
        if was_paused:
            log.info("subscription %d resumed", sub_id)
        return subscription, was_paused

    def last_deliveries(self) -> dict[int, datetime]:
        """Each subscription's last delivered slot (UTC), by id (none yet: absent)."""
        with self._store.session(write=False) as session:
            rows = session.execute(
                select(Delivery.subscription_id, func.max(Delivery.slot_at))
                .where(Delivery.status == "sent")
                .group_by(Delivery.subscription_id)
            ).all()
        found: dict[int, datetime] = {}
        for sub_id, value in rows:
            if isinstance(value, str):  # SQLite answers max() of a typed column as text
                value = datetime.fromisoformat(value)
            if value is not None:
                found[sub_id] = value if value.tzinfo else value.replace(tzinfo=UTC)
        return found

    @staticmethod
    def next_run(sub: Subscription, now: datetime | None = None) -> datetime | None:
        """When ``sub`` posts next (UTC), or None: paused, or a schedule that never fires."""
        if sub.status != "active":
            return None
        from bot.scheduling.slots import next_slot_after

        try:
            return next_slot_after(sub.schedule, now or utcnow())
        except BriefbotError:
            return None

    # -- internals ------------------------------------------------------------------------

    @staticmethod
    def _row(session: Session, sub_id: int, channel: ChannelRef | None) -> SubscriptionRow:
        # Ids are INTEGER columns (32-bit on PostgreSQL): a larger number exists nowhere, and
        # the drivers would raise on it (found by tests/fuzz/test_fuzz_settings_cli.py).
        valid = isinstance(sub_id, int) and 0 < sub_id < 2**31
        row = session.get(SubscriptionRow, sub_id) if valid else None
        if row is None or (
            channel is not None
            and (row.platform != channel.platform or row.channel_id != channel.channel_id)
        ):
            raise NotFound(messages.SUB_NOT_FOUND.format(id=sub_id))
        return row

    def _topic_ref(self, slug: str) -> TopicRef:
        try:
            return self._topics.resolve(slug).ref()
        except (UnknownTopic, BadInput):
            return TopicRef(slug=slug, title=slug)  # a topic that left topics.toml

    def _model(self, row: SubscriptionRow) -> Subscription:
        days = tuple(int(d) for d in row.days.split(",")) if row.days else ALL_DAYS
        platform: Platform = "slack" if row.platform == "slack" else "discord"
        created_at: datetime | None = row.created_at
        return Subscription(
            id=row.id,
            channel=ChannelRef(platform, row.channel_id, row.workspace_id),
            topic=self._topic_ref(row.topic_slug),
            schedule=Schedule(timezone=row.timezone, at=row.at_time, days=days, cron=row.cron),
            quiet=row.quiet,
            status="paused" if row.status == "paused" else "active",
            paused_reason=row.paused_reason,
            created_by=row.created_by,
            created_at=created_at,
        )
