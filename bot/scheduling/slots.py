"""When a subscription is due: slot computation in IANA zones, DST handled as a person expects.

A *slot* is one scheduled moment of a subscription, as an aware UTC datetime.  Slots are
computed in two steps:

1. **wall-clock times** in the subscription's zone: a daily ``HH:MM`` on some weekdays, or the
   matches of a 5-field cron expression (enumerated by APScheduler's ``CronTrigger`` on a
   zone-free clock, so its matching rules apply and DST cannot interfere);
2. each wall-clock time is **placed on the UTC time line** with ``fold=0`` (PEP 495):

   * a wall time that does not exist that day (the clocks jump 02:00 -> 03:00 and the
     briefing is at 02:30) is shifted forward by the length of the gap, to 03:30 -- the
     slot still happens, once (java.time and dateutil make the same choice);
   * a wall time that happens twice (the clocks fall back 03:00 -> 02:00) is taken at its
     first occurrence only: a repeated hour fires once;
   * two wall times that land on the same instant (``*/30`` in a gap: 02:30 -> 03:30, which
     is also a real 03:30) are one slot.

Cron expressions follow crontab(5), not APScheduler's own dialect, which differs in two ways
that would silently move briefings: APScheduler numbers weekdays from Monday = 0 (crontab:
Sunday = 0 or 7, Monday = 1), and when both day-of-month and day-of-week are restricted,
crontab fires when *either* matches while APScheduler requires both.  ``parse_cron``
translates; ``@daily``-style macros are accepted too.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger

from bot.errors import BadSchedule
from bot.models import Schedule

__all__ = [
    "CronSpec",
    "latest_slot",
    "next_slot_after",
    "next_slots",
    "parse_cron",
    "posts_per_hour",
    "schedule_key",
    "zone_of",
]

# Scan windows are widened on each side by the zone's offset swing nearby (sampled two days
# either side, which sees any DST change) plus this margin.
_MIN_PAD = timedelta(minutes=1)
# A cron expression with no match within this horizon is refused (Feb 29 recurs within 8 years).
_HORIZON = timedelta(days=366 * 9)

_MACROS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # crontab: Sunday = 0 (and 7)
_APS_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # APScheduler: Monday = 0
_NUMERIC_ITEM = re.compile(r"^(\*|\d{1,2}(-\d{1,2})?)(/\d{1,2})?$")
_NAMED_ITEM = re.compile(r"^(\*|[0-9a-z]{1,3}(-[0-9a-z]{1,3})?)(/\d{1,2})?$")


def zone_of(name: str) -> ZoneInfo:
    """The IANA zone called ``name``; ``BadSchedule`` when there is none."""
    try:
        return _zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadSchedule(
            f"Unknown time zone '{name}'; use an IANA name such as Asia/Seoul or Europe/London."
        ) from None


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    if not name or name != name.strip():
        raise ValueError(name)
    return ZoneInfo(name)


@dataclass(frozen=True, slots=True)
class CronSpec:
    """A crontab(5) expression, translated into one or two APScheduler cron triggers.

    Each trigger runs on a zone-free (UTC) clock and so enumerates *wall-clock* times; the
    union of their matches is the expression's.  ``expression`` is the normalized text.
    """

    expression: str
    triggers: tuple[CronTrigger, ...]

    def walls(self, start: datetime) -> Iterator[datetime]:
        """Naive wall-clock matches at or after the naive ``start``, ascending, no repeats."""
        streams = [_trigger_walls(trigger, start) for trigger in self.triggers]
        merged: Iterable[datetime] = streams[0] if len(streams) == 1 else heapq.merge(*streams)
        previous: datetime | None = None
        for wall in merged:
            if wall != previous:
                yield wall
            previous = wall


def _trigger_walls(trigger: CronTrigger, start: datetime) -> Iterator[datetime]:
    cursor: datetime | None = start.replace(tzinfo=UTC)
    while cursor is not None:
        fire: datetime | None = trigger.get_next_fire_time(None, cursor)
        if fire is None:
            return
        yield fire.replace(tzinfo=None)
        cursor = fire + timedelta(seconds=1)


def parse_cron(expression: str) -> CronSpec:
    """Parse a 5-field crontab expression (or an ``@daily``-style macro).

    Raises ``BadSchedule`` with a one-line explanation when it does not parse or never fires.
    """
    return _parse_cron(" ".join(expression.split()))


@lru_cache(maxsize=4096)
def _parse_cron(original: str) -> CronSpec:
    text = original.lower()
    text = _MACROS.get(text, text)
    fields = text.split(" ")
    if len(fields) != 5 or not all(fields):
        raise BadSchedule(
            f"Cron expression '{original}' needs 5 fields: minute hour day-of-month month "
            "day-of-week (e.g. '0 8 * * 1-5')."
        )
    minute, hour, dom, month, dow = fields
    for name, value, pattern in (
        ("minute", minute, _NUMERIC_ITEM),
        ("hour", hour, _NUMERIC_ITEM),
        ("day-of-month", dom, _NUMERIC_ITEM),
        ("month", month, _NAMED_ITEM),
        ("day-of-week", dow, _NAMED_ITEM),
    ):
        if not all(pattern.match(item) for item in value.split(",")):
            raise BadSchedule(f"Cron expression '{original}': cannot read the {name} '{value}'.")
    aps_dow = _crontab_days(dow, original)
    # crontab(5): when both day fields are restricted (do not start with '*'), either may match.
    if not dom.startswith("*") and not dow.startswith("*"):
        variants = [(dom, "*"), ("*", aps_dow)]
    else:
        variants = [(dom, aps_dow)]
    try:
        triggers = tuple(
            CronTrigger(
                minute=minute, hour=hour, day=day, month=month, day_of_week=weekday, timezone=UTC
            )
            for day, weekday in variants
        )
    except ValueError as exc:
        raise BadSchedule(f"Cron expression '{original}': {_aps_reason(exc)}.") from None
    spec = CronSpec(expression=text, triggers=triggers)
    probe = datetime(2024, 1, 1)
    first = next(spec.walls(probe), None)
    if first is None or first - probe > _HORIZON:
        raise BadSchedule(f"Cron expression '{original}' never fires (no such date).")
    return spec


def _aps_reason(exc: ValueError) -> str:
    reason = str(exc).split(": ", 1)[-1]
    return reason.rstrip(".") or "out of range"


def _crontab_days(field: str, original: str) -> str:
    """A crontab day-of-week field (Sunday = 0 or 7, names) as APScheduler weekday names."""
    days = _crontab_day_numbers(field, original)
    # crontab Sunday = 0 -> APScheduler Sunday = 6; Monday 1 -> 0; ...
    return ",".join(_APS_DAYS[(day - 1) % 7] for day in sorted(days, key=lambda d: (d - 1) % 7))


def _crontab_day_numbers(field: str, original: str) -> set[int]:
    """A crontab day-of-week field as crontab day numbers, Sunday = 0 ... Saturday = 6."""
    days: set[int] = set()
    for item in field.split(","):
        body, _, step_text = item.partition("/")
        step = int(step_text) if step_text else 1
        if step < 1:
            raise BadSchedule(f"Cron expression '{original}': a step must be at least 1.")
        if body == "*":
            first, last = 0, 6
        else:
            low, _, high = body.partition("-")
            first = _day_number(low, original)
            last = _day_number(high, original) if high else (6 if step_text else first)
            if high and last == 0 and first > 0:
                last = 7  # "5-7" / "fri-sun": Sunday at the end of the range
            if last < first:
                raise BadSchedule(
                    f"Cron expression '{original}': the day range '{body}' runs backwards."
                )
        days.update(day % 7 for day in range(first, last + 1, step))
    return days


def _day_number(token: str, original: str) -> int:
    if token.isdigit():
        number = int(token)
        if 0 <= number <= 7:
            return number
    elif token in _CRON_DAYS:
        return _CRON_DAYS.index(token)
    raise BadSchedule(
        f"Cron expression '{original}': '{token}' is not a day of the week "
        "(0-7 with Sunday = 0 or 7, or sun..sat)."
    )


# --- what a schedule means ---------------------------------------------------------------

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EVERY_DAY = frozenset(range(1, 8))


def _field_values(field: str, low: int, high: int, names: tuple[str, ...] = ()) -> frozenset[int]:
    """The numbers a (validated) cron field matches, as APScheduler reads it ("5/15": 5-59/15)."""

    def number(token: str) -> int:
        return int(token) if token.isdigit() else names.index(token) + low

    values: set[int] = set()
    for item in field.split(","):
        body, _, step_text = item.partition("/")
        step = int(step_text) if step_text else 1
        if body == "*":
            first, last = low, high
        else:
            start, _, end = body.partition("-")
            first = number(start)
            last = number(end) if end else (high if step_text else first)
        values.update(range(first, last + 1, max(step, 1)))
    return frozenset(values)


def posts_per_hour(expression: str) -> int:
    """How many times an hour a cron expression can fire: the values of its minute field."""
    return len(_field_values(parse_cron(expression).expression.split(" ")[0], 0, 59))


def schedule_key(schedule: Schedule) -> tuple[object, ...]:
    """What ``schedule`` means, apart from its zone: equal keys fire at the same wall times.

    A daily time and a cron expression that fires once a day at one time on whole weeks'
    days ("M H * * days") have the same key: ``--at 08:00 --days weekdays`` is
    ``--cron "0 8 * * 1-5"``; cron expressions spelled differently ("1-5", "mon-fri",
    "1,2,3,4,5") compare by the minutes, hours, days and months they match.
    """
    if not schedule.cron:
        return ("daily", schedule.at, frozenset(schedule.days) or _EVERY_DAY)
    original = schedule.cron
    minute, hour, dom, month, dow = parse_cron(original).expression.split(" ")
    minutes = _field_values(minute, 0, 59)
    hours = _field_values(hour, 0, 23)
    months = _field_values(month, 1, 12, _MONTHS)
    doms = _field_values(dom, 1, 31)
    weekdays = frozenset(day or 7 for day in _crontab_day_numbers(dow, original))  # ISO
    every_dom, every_weekday = len(doms) == 31, weekdays == _EVERY_DAY
    day_rule: tuple[object, ...]
    if not dom.startswith("*") and not dow.startswith("*"):  # crontab: either day field
        either = every_dom or every_weekday
        day_rule = ("weekdays", _EVERY_DAY) if either else ("or", doms, weekdays)
    elif every_dom:
        day_rule = ("weekdays", weekdays)
    elif every_weekday:
        day_rule = ("dom", doms)
    else:
        day_rule = ("and", doms, weekdays)
    if len(minutes) == 1 and len(hours) == 1 and len(months) == 12 and day_rule[0] == "weekdays":
        return ("daily", f"{min(hours):02d}:{min(minutes):02d}", day_rule[1])
    return ("cron", minutes, hours, months, day_rule)


# --- wall-clock times --------------------------------------------------------------------


def _daily_walls(schedule: Schedule, start: datetime) -> Iterator[datetime]:
    hour, minute = _hh_mm(schedule.at or "")
    days = set(schedule.days) or {1, 2, 3, 4, 5, 6, 7}
    day: date = start.date()
    while True:
        if day.isoweekday() in days:
            wall = datetime(day.year, day.month, day.day, hour, minute)
            if wall >= start:
                yield wall
        try:
            day += timedelta(days=1)
        except OverflowError:
            return


def _hh_mm(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise BadSchedule(f"'{text}' is not a time of day; use 24-hour HH:MM such as 08:00.")
    return int(match[1]), int(match[2])


def _walls(schedule: Schedule, start: datetime) -> Iterator[datetime]:
    if schedule.cron:
        return parse_cron(schedule.cron).walls(start)
    if schedule.at:
        return _daily_walls(schedule, start)
    raise BadSchedule("A schedule needs a time (HH:MM) or a cron expression.")


# --- placing wall-clock times on the time line -----------------------------------------------


def _place(wall: datetime, zone: ZoneInfo) -> datetime:
    """The instant of a wall-clock time: first occurrence when repeated, shifted when skipped."""
    return wall.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone).replace(tzinfo=None)


def _pad(zone: ZoneInfo, *instants: datetime) -> timedelta:
    """How far a wall time near ``instants`` may move when placed: the offset swing + margin."""
    offsets = []
    for instant in instants:
        for shift in (-2, 0, 2):
            try:
                offset = (instant + timedelta(days=shift)).astimezone(zone).utcoffset()
            except OverflowError:
                continue
            if offset is not None:
                offsets.append(offset)
    swing = (max(offsets) - min(offsets)) if offsets else timedelta(0)
    return swing + _MIN_PAD


def _check_aware(*instants: datetime) -> None:
    for instant in instants:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("slot computation needs aware datetimes")


def next_slots(schedule: Schedule, after: datetime, until: datetime) -> list[datetime]:
    """Every slot ``s`` of ``schedule`` with ``after < s <= until``, ascending, aware UTC."""
    _check_aware(after, until)
    if until <= after:
        return []
    zone = zone_of(schedule.timezone)
    pad = _pad(zone, after, until)
    stop = _wall(until, zone) + pad
    found: set[datetime] = set()
    for wall in _walls(schedule, _wall(after, zone) - pad):
        if wall > stop:
            break
        slot = _place(wall, zone)
        if after < slot <= until:
            found.add(slot)
    return sorted(found)


def next_slot_after(schedule: Schedule, after: datetime) -> datetime | None:
    """The first slot strictly after ``after`` (None when the schedule never fires again)."""
    _check_aware(after)
    zone = zone_of(schedule.timezone)
    start = _wall(after, zone) - _pad(zone, after)
    limit = _wall(after, zone) + _HORIZON
    best: datetime | None = None
    stop: datetime | None = None
    for wall in _walls(schedule, start):
        if (stop is not None and wall > stop) or wall > limit:
            break
        slot = _place(wall, zone)
        if slot > after and (best is None or slot < best):
            best = slot
            # Later wall times can only land earlier than ``best`` within the local swing.
            stop = _wall(best, zone) + _pad(zone, best)
    return best


def latest_slot(schedule: Schedule, after: datetime, until: datetime) -> datetime | None:
    """The last slot in ``(after, until]``, or None: what a late start should still deliver."""
    slots = next_slots(schedule, after, until)
    return slots[-1] if slots else None
