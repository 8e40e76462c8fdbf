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
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import messages
from bot.errors import BadInput, BadSchedule, BriefbotError, NotFound, UnknownTopic
from bot.models import ChannelRef, Platform, Schedule, Subscription, TopicRef
from bot.settings import zone_names
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
_TIME_WORDS = {"noon": "12:00", "midday": "12:00", "midnight": "00:00"}
_HOUR_ONLY = re.compile(r"^(\d{1,2})$")
_HHMM = re.compile(r"^(\d{1,2})(\d{2})$")  # "0800"


def parse_time(text: str) -> str:
    """ "8:00", "08:00", "17.30", "8am", "5:30 pm", "noon" -> "HH:MM" (24-hour)."""
    value = text.strip()
    if value.lower() in _TIME_WORDS:
        return _TIME_WORDS[value.lower()]
    if match := _TIME_24.match(value):
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour == 24 and minute == 0:
            raise BadSchedule(messages.BAD_TIME_24.format(text=text))
    elif match := _TIME_12.match(value):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12:
            raise BadSchedule(messages.BAD_TIME_MERIDIEM.format(text=text))
        hour = hour % 12 + (12 if match.group(3).lower() == "p" else 0)
    else:
        raise BadSchedule(_time_hint(value, text))
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise BadSchedule(messages.BAD_TIME_RANGE.format(text=text))
    return f"{hour:02d}:{minute:02d}"


def _time_hint(value: str, text: str) -> str:
    """The refusal of a time that is not HH:MM, with the HH:MM it probably means."""
    hour, minute = -1, 0
    if match := _HOUR_ONLY.match(value):  # "8": 08:00, or 20:00 in the evening
        hour = int(match.group(1))
    elif match := _HHMM.match(value):  # "0800": 08:00
        hour, minute = int(match.group(1)), int(match.group(2))
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return messages.BAD_TIME.format(text=text)
    guess = f"{hour:02d}:{minute:02d}"
    if 1 <= hour <= 11 and _HOUR_ONLY.match(value):
        guess = messages.TIME_OR_EVENING.format(morning=guess, evening=f"{hour + 12:02d}:00")
    return messages.BAD_TIME_GUESS.format(text=text, guess=guess)


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
                raise BadSchedule(_days_refusal(text, value))
            start, end = _DAY_WORDS[first], _DAY_WORDS[last]
            span = range(start, end + 1) if start <= end else [*range(start, 8), *range(1, end + 1)]
            days.update(span)
        elif part in _DAY_WORDS:
            days.add(_DAY_WORDS[part])
        elif part in _DAY_SETS:
            days.update(_DAY_SETS[part])
        else:
            raise BadSchedule(_days_refusal(text, value))
    if not days:
        raise BadSchedule(_days_refusal(text, value))
    return tuple(sorted(days))


def _days_refusal(text: str | None, value: str) -> str:
    """BAD_DAYS, with the days it probably means when each unknown word is a near miss."""
    guess = days_guess(value)
    hint = messages.DID_YOU_MEAN.format(suggestion=guess) if guess else ""
    return messages.BAD_DAYS.format(text=text, hint=hint)


def days_guess(text: str) -> str | None:
    """The days ``text`` probably means when it has typos ("wekdays", "mon,wen"), else None."""
    value = " ".join(text.lower().split())
    words = [*_DAY_WORDS, *_DAY_SETS]
    fixed: list[str] = []
    changed = False
    for token in re.split(r"([,\s-]+)", value):
        if not token or re.fullmatch(r"[,\s-]+", token) or token in words:
            fixed.append(token)
            continue
        cutoff = 0.6 if len(token) <= 3 else 0.75  # "wen": wed; "someday": not sunday
        close = difflib.get_close_matches(token, words, n=1, cutoff=cutoff)
        if not close:
            return None
        fixed.append(close[0])
        changed = True
    return "".join(fixed) if changed else None


# What people type for a zone that is not its IANA name: abbreviations (which name an offset,
# not a place's rules: "EST" in July is an hour off in New York) and a few countries and cities
# without a zone of their own.  Never taken as such: the answer names the IANA zone(s) to use.
_ZONE_ALIASES: dict[str, tuple[tuple[str, str], ...]] = {
    "kst": (("Asia/Seoul", "Korea"),),
    "korea": (("Asia/Seoul", "South Korea"),),
    "south korea": (("Asia/Seoul", "South Korea"),),
    "jst": (("Asia/Tokyo", "Japan"),),
    "cst": (("Asia/Shanghai", "China"), ("America/Chicago", "US Central")),
    "china": (("Asia/Shanghai", "China"),),
    "beijing": (("Asia/Shanghai", "China"),),
    "hkt": (("Asia/Hong_Kong", "Hong Kong"),),
    "sgt": (("Asia/Singapore", "Singapore"),),
    "pht": (("Asia/Manila", "Philippines"),),
    "ict": (("Asia/Bangkok", "Indochina"),),
    "wib": (("Asia/Jakarta", "Western Indonesia"),),
    "ist": (("Asia/Kolkata", "India"), ("Europe/Dublin", "Ireland"), ("Asia/Jerusalem", "Israel")),
    "delhi": (("Asia/Kolkata", "India"),),
    "new delhi": (("Asia/Kolkata", "India"),),
    "mumbai": (("Asia/Kolkata", "India"),),
    "pkt": (("Asia/Karachi", "Pakistan"),),
    "msk": (("Europe/Moscow", "Moscow"),),
    "est": (("America/New_York", "US Eastern"),),
    "edt": (("America/New_York", "US Eastern"),),
    "et": (("America/New_York", "US Eastern"),),
    "washington": (("America/New_York", "US Eastern"),),
    "cdt": (("America/Chicago", "US Central"),),
    "mst": (("America/Denver", "US Mountain"), ("America/Phoenix", "Arizona")),
    "mdt": (("America/Denver", "US Mountain"),),
    "pst": (("America/Los_Angeles", "US Pacific"),),
    "pdt": (("America/Los_Angeles", "US Pacific"),),
    "pt": (("America/Los_Angeles", "US Pacific"),),
    "san francisco": (("America/Los_Angeles", "US Pacific"),),
    "akst": (("America/Anchorage", "Alaska"),),
    "hst": (("Pacific/Honolulu", "Hawaii"),),
    "ast": (("America/Halifax", "Atlantic"), ("Asia/Riyadh", "Arabia")),
    "bst": (("Europe/London", "British Summer Time"), ("Asia/Dhaka", "Bangladesh")),
    "cest": (("Europe/Berlin", "Central Europe"),),
    "eest": (("Europe/Athens", "Eastern Europe"),),
    "aest": (("Australia/Sydney", "Australian Eastern"),),
    "aedt": (("Australia/Sydney", "Australian Eastern"),),
    "nzst": (("Pacific/Auckland", "New Zealand"),),
    "nzdt": (("Pacific/Auckland", "New Zealand"),),
}
# Zone names from the tz database's regions, the only ones whose last part is a city.
_REGIONS = frozenset(
    ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe",
     "Indian", "Pacific")
)  # fmt: skip
_zones = zone_names  # every IANA zone by its lower-case name (shared with the settings)


@functools.cache
def _cities() -> dict[str, str]:
    """The city part of regional zone names, lower case ("seoul", "new_york") -> the zone.

    A city in two names ("America/Buenos_Aires", "America/Argentina/Buenos_Aires") is one
    zone under two names (a link); the longer, fuller name is kept.
    """
    found: dict[str, str] = {}
    for zone in sorted(_zones().values(), key=lambda z: (len(z), z)):
        if zone.split("/", 1)[0] in _REGIONS and "/" in zone:
            found[zone.rsplit("/", 1)[1].lower()] = zone
    return found


def parse_zone(text: str, *, aliases: bool = True) -> str:
    """An IANA zone name, canonical case ("asia/seoul" -> "Asia/Seoul"); else ``BadSchedule``.

    A city of an IANA zone is that zone ("Seoul", "new york" -> "Asia/Seoul",
    "America/New_York").  With ``aliases``, an abbreviation such as KST, EST or CST is refused
    with the IANA name(s) to use instead (two places, two names: CST is China or US Central),
    even those the tz database keeps as fixed offsets (EST, MST, HST).
    """
    value = text.strip()
    key = " ".join(value.lower().replace("_", " ").split())
    if aliases and (choices := _ZONE_ALIASES.get(_alias_key(value))):
        if len(choices) == 1:
            raise BadSchedule(messages.ZONE_ALIAS.format(zone=value, suggestion=choices[0][0]))
        named = [messages.ZONE_CHOICE.format(zone=zone, place=place) for zone, place in choices]
        listed = ", ".join(named[:-1]) + messages.ZONE_OR + named[-1]
        raise BadSchedule(messages.ZONE_AMBIGUOUS.format(zone=value, choices=listed))
    canonical = _zones().get(value.lower()) or _cities().get(key.replace(" ", "_"))
    if canonical is not None:
        return canonical
    hint = ""
    if "/" not in value and (
        close := difflib.get_close_matches(key.replace(" ", "_"), _cities(), n=1, cutoff=0.75)
    ):
        hint = messages.DID_YOU_MEAN.format(suggestion=_cities()[close[0]])
    elif close := difflib.get_close_matches(value, _suggestible_zones(), n=1, cutoff=0.6):
        hint = messages.DID_YOU_MEAN.format(suggestion=close[0])
    raise BadSchedule(messages.BAD_ZONE.format(zone=value, hint=hint))


def _alias_key(text: str) -> str:
    """How ``_ZONE_ALIASES`` is keyed: "K.S.T." -> "kst", "New_York" -> "new york"."""
    return " ".join(text.strip().lower().replace("_", " ").replace(".", "").split())


def alias_zones(text: str) -> list[str]:
    """The IANA zones an abbreviation or alias stands for ("kst" -> ["Asia/Seoul"]), or []."""
    return [zone for zone, _ in _ZONE_ALIASES.get(_alias_key(text), ())]


@functools.cache
def _suggestible_zones() -> list[str]:
    """Zones worth suggesting for a typo: the regional names and UTC (not MST, EST5EDT, ...)."""
    return sorted(z for z in _zones().values() if z.split("/", 1)[0] in _REGIONS or z == "UTC")


def parse_schedule(
    *,
    at: str | None,
    days: str | None,
    tz: str | None,
    cron: str | None,
    default_tz: str,
) -> Schedule:
    """Validate a schedule; ``BadSchedule`` (one line, with the fix) when it does not parse."""
    # The operator's BRIEFBOT_TIMEZONE is taken as set (it may be a legacy name such as EST).
    zone = parse_zone(tz) if tz and tz.strip() else parse_zone(default_tz, aliases=False)
    cron = cron.strip() if cron else None
    at = at.strip() if at else None
    if cron and at:
        raise BadSchedule(messages.SCHEDULE_BOTH)
    if cron:
        if days:
            raise BadSchedule(messages.SCHEDULE_CRON_DAYS)
        # The scheduler's own reading of crontab(5), so what is accepted here is what fires.
        from bot.scheduling.slots import parse_cron, posts_per_hour

        expression = parse_cron(cron).expression
        # At most one briefing an hour: a single minute value (two values are two posts
        # within one hour, in every hour that matches).  Hourly ("0 * * * *") is the most.
        per_hour = posts_per_hour(expression)
        if per_hour > 1:
            often = (
                messages.EVERY_MINUTE
                if per_hour == 60
                else messages.TIMES_AN_HOUR.format(count=per_hour)
            )
            raise BadSchedule(messages.SCHEDULE_TOO_OFTEN.format(cron=cron, often=often))
        return Schedule(timezone=zone, cron=expression)
    if not at:
        raise BadSchedule(messages.SCHEDULE_MISSING)
    return Schedule(timezone=zone, at=parse_time(at), days=parse_days(days))


def _activate(row: SubscriptionRow) -> None:
    row.status = "active"
    row.paused_reason = None
    row.recheck_at = None
    row.rechecks = 0
    row.updated_at = utcnow()


# What each platform's ids look like: (channel, workspace).  Discord: snowflakes, 17 to 20
# digits since 2015; Slack: C (channel), G (private or group) or D (direct message) and
# T (team) or E (Enterprise Grid), then capital letters and digits.
_ID_SHAPES = {
    "discord": (re.compile(r"\d{17,20}"), re.compile(r"\d{17,20}")),
    "slack": (re.compile(r"[CGD][A-Z0-9]{1,20}"), re.compile(r"[TE][A-Z0-9]{1,20}")),
}
_ID_MESSAGES = {
    "discord": (messages.BAD_DISCORD_CHANNEL, messages.BAD_DISCORD_SERVER),
    "slack": (messages.BAD_SLACK_CHANNEL, messages.BAD_SLACK_WORKSPACE),
}


def _check_channel(channel: ChannelRef) -> None:
    """Refuse a channel or workspace id its platform could never send (one line: what it
    looks like and where to find it), e.g. Discord channel "general" instead of its number."""
    if channel.platform not in _PLATFORMS:
        raise BadInput(messages.BAD_PLATFORM.format(platform=channel.platform))
    shapes, refusals = _ID_SHAPES[channel.platform], _ID_MESSAGES[channel.platform]
    for value, shape, refusal in zip(
        (channel.channel_id, channel.workspace_id), shapes, refusals, strict=True
    ):
        if value is not None and not (isinstance(value, str) and shape.fullmatch(value)):
            raise BadInput(refusal.format(value=_shown(str(value))))


def _shown(value: str) -> str:
    """A refused value as one short line."""
    short = value if len(value) <= 40 else value[:40] + "..."
    return short if short.isprintable() else repr(short)[1:-1]


def _same_schedule(row: SubscriptionRow, schedule: Schedule) -> bool:
    days = tuple(int(d) for d in row.days.split(",")) if row.days else ALL_DAYS
    stored = Schedule(timezone=row.timezone, at=row.at_time, days=days, cron=row.cron)
    if not stored.cron and not schedule.cron:
        return stored.at == schedule.at and set(stored.days) == set(schedule.days)
    from bot.scheduling.slots import schedule_key

    try:
        return schedule_key(stored) == schedule_key(schedule)
    except BriefbotError:  # a stored cron this release no longer reads: not the same
        return False


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
            candidates = session.execute(
                select(SubscriptionRow)
                .where(
                    SubscriptionRow.platform == channel.platform,
                    SubscriptionRow.channel_id == channel.channel_id,
                    SubscriptionRow.topic_slug == resolved.slug,
                    SubscriptionRow.timezone == schedule.timezone,
                )
                .order_by(SubscriptionRow.status, SubscriptionRow.id)  # an active one first
            ).scalars()
            # The same schedule by meaning: "--at 08:00 --days weekdays" is "0 8 * * 1-5".
            same = next((row for row in candidates if _same_schedule(row, schedule)), None)
            if same is not None and same.status != "paused":
                stored = self._model(same).schedule.describe()  # as stored, maybe spelt otherwise
                raise BadInput(messages.SUB_DUPLICATE.format(id=same.id, schedule=stored))
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

    def last_deliveries(self, ids: Collection[int] | None = None) -> dict[int, datetime]:
        """Each subscription's last delivered slot (UTC), by id (none yet: absent); only those
        of ``ids`` when given (a channel's list need not aggregate every channel's rows)."""
        query = select(Delivery.subscription_id, func.max(Delivery.slot_at)).where(
            Delivery.status == "sent"
        )
        if ids is not None:
            query = query.where(Delivery.subscription_id.in_(list(ids)))
        with self._store.session(write=False) as session:
            rows = session.execute(query.group_by(Delivery.subscription_id)).all()
        # max() keeps the column's type: aware UTC datetimes on every database.
        return {sub_id: value for sub_id, value in rows if value is not None}

    def listing(
        self, channel: ChannelRef | None = None
    ) -> builtins.list[tuple[Subscription, datetime | None, datetime | None]]:
        """Subscriptions (of one channel, or all) with each one's next run and last delivery,
        as every list shows them (CLI, Discord, Slack)."""
        found = self.list(channel)
        if not found:
            return []
        last = self.last_deliveries([s.id for s in found] if channel is not None else None)
        return [(s, self.next_run(s), last.get(s.id)) for s in found]

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
