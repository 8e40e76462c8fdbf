"""Slot computation with controlled time: zones, DST, cron (crontab semantics), misfire windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import BadSchedule
from bot.models import Schedule
from bot.scheduling import (
    describe_since,
    latest_slot,
    next_slot_after,
    next_slots,
    parse_cron,
    zone_of,
)

SEOUL = "Asia/Seoul"
NEW_YORK = "America/New_York"
BERLIN = "Europe/Berlin"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def local(zone: str, *args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(zone), fold=fold)  # type: ignore[misc]


def daily(at: str, zone: str, days: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)) -> Schedule:
    return Schedule(timezone=zone, at=at, days=days)


def cron(expression: str, zone: str = "UTC") -> Schedule:
    return Schedule(timezone=zone, cron=expression)


# --- daily schedules in a zone ------------------------------------------------------------


def test_weekday_briefing_in_seoul_is_at_eight_local_on_weekdays_only() -> None:
    schedule = daily("08:00", SEOUL, (1, 2, 3, 4, 5))
    # Friday 2025-06-20 to the next Tuesday, Seoul time.
    slots = next_slots(schedule, local(SEOUL, 2025, 6, 20, 0, 0), local(SEOUL, 2025, 6, 24, 23, 0))
    assert [s.astimezone(ZoneInfo(SEOUL)).strftime("%a %H:%M") for s in slots] == [
        "Fri 08:00",
        "Mon 08:00",
        "Tue 08:00",
    ]
    assert slots[0] == utc(2025, 6, 19, 23, 0)  # 08:00 KST is 23:00 UTC the day before
    assert all(s.tzinfo is UTC for s in slots)


def test_window_is_after_exclusive_until_inclusive() -> None:
    schedule = daily("08:00", "UTC")
    assert next_slots(schedule, utc(2025, 1, 1, 8), utc(2025, 1, 2, 8)) == [utc(2025, 1, 2, 8)]
    assert next_slots(schedule, utc(2025, 1, 2, 8), utc(2025, 1, 2, 8)) == []


def test_spring_forward_gap_fires_once_at_the_shifted_time() -> None:
    # New York, 2025-03-09: clocks jump from 02:00 to 03:00; 02:30 does not exist that day.
    schedule = daily("02:30", NEW_YORK)
    slots = next_slots(schedule, utc(2025, 3, 8, 12), utc(2025, 3, 10, 12))
    assert slots == [
        utc(2025, 3, 9, 7, 30),  # 03:30 EDT: shifted forward by the length of the gap
        utc(2025, 3, 10, 6, 30),  # 02:30 EDT the next day
    ]
    assert slots[0].astimezone(ZoneInfo(NEW_YORK)).strftime("%H:%M") == "03:30"
    assert next_slot_after(schedule, utc(2025, 3, 9, 5)) == utc(2025, 3, 9, 7, 30)


def test_fall_back_repeated_hour_fires_once_at_the_first_occurrence() -> None:
    # New York, 2025-11-02: 01:00-01:59 happens twice (EDT, then EST).
    schedule = daily("01:30", NEW_YORK)
    slots = next_slots(schedule, utc(2025, 11, 1, 12), utc(2025, 11, 3, 12))
    assert slots == [utc(2025, 11, 2, 5, 30), utc(2025, 11, 3, 6, 30)]  # 01:30 EDT; 01:30 EST
    # Asked from between the two 01:30s, the repeat is not a new slot.
    between = local(NEW_YORK, 2025, 11, 2, 1, 45)  # first 01:45 (EDT)
    assert next_slot_after(schedule, between) == utc(2025, 11, 3, 6, 30)


def test_europe_gap_and_fold() -> None:
    schedule = daily("02:30", BERLIN)
    spring = next_slots(schedule, utc(2025, 3, 29, 12), utc(2025, 3, 30, 12))
    assert spring == [utc(2025, 3, 30, 1, 30)]  # 03:30 CEST
    autumn = next_slots(schedule, utc(2025, 10, 25, 12), utc(2025, 10, 26, 12))
    assert autumn == [utc(2025, 10, 26, 0, 30)]  # the first 02:30 (CEST), not the second


def test_a_calendar_day_that_does_not_exist_still_gets_one_briefing() -> None:
    # Samoa skipped 2011-12-30 entirely when it crossed the date line.
    schedule = daily("08:00", "Pacific/Apia")
    slots = next_slots(schedule, utc(2011, 12, 28, 0), utc(2011, 12, 31, 12))
    wall = [s.astimezone(ZoneInfo("Pacific/Apia")).strftime("%m-%d %H:%M") for s in slots]
    assert wall == ["12-28 08:00", "12-29 08:00", "12-31 08:00"]


def test_half_hour_dst_zone() -> None:
    # Lord Howe Island moves its clocks by 30 minutes (02:00 -> 02:30 on 2025-10-05).
    schedule = daily("02:15", "Australia/Lord_Howe")
    slots = next_slots(schedule, utc(2025, 10, 3, 12), utc(2025, 10, 5, 12))
    wall = [s.astimezone(ZoneInfo("Australia/Lord_Howe")).strftime("%d %H:%M") for s in slots]
    assert wall == ["04 02:15", "05 02:45"]


# --- cron ------------------------------------------------------------------------------------


def test_cron_weekdays_follow_crontab_numbering_not_apschedulers() -> None:
    # crontab: 1-5 is Monday-Friday (APScheduler's own numbering would make it Tuesday-Saturday)
    slots = next_slots(cron("0 8 * * 1-5"), utc(2025, 6, 15, 0), utc(2025, 6, 22, 0))  # Sun-Sun
    assert [s.strftime("%a") for s in slots] == ["Mon", "Tue", "Wed", "Thu", "Fri"]


@pytest.mark.parametrize(
    ("dow", "expected"),
    [
        ("0", ["Sun"]),
        ("7", ["Sun"]),
        ("sun", ["Sun"]),
        ("5-7", ["Fri", "Sat", "Sun"]),
        ("fri-sun", ["Fri", "Sat", "Sun"]),
        ("*/2", ["Sun", "Tue", "Thu", "Sat"]),
        ("mon,wed", ["Mon", "Wed"]),
        ("1-5/2", ["Mon", "Wed", "Fri"]),
    ],
)
def test_cron_day_of_week_forms(dow: str, expected: list[str]) -> None:
    slots = next_slots(cron(f"0 8 * * {dow}"), utc(2025, 6, 14, 12), utc(2025, 6, 21, 12))
    assert sorted(s.strftime("%a") for s in slots) == sorted(expected)


def test_cron_day_of_month_or_day_of_week_like_crontab() -> None:
    # "the 1st, and every Monday" (crontab ORs the two day fields when both are restricted)
    slots = next_slots(cron("0 9 1 * mon"), utc(2025, 6, 25, 0), utc(2025, 7, 15, 0))
    assert [s.date().isoformat() for s in slots] == [
        "2025-06-30",  # Monday
        "2025-07-01",  # the 1st (a Tuesday)
        "2025-07-07",
        "2025-07-14",
    ]


EVERY_DAY_OF_THE_WEEK = [f"{day} 08:00" for day in range(15, 22)]  # Sun 15 .. Sat 21 June


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # a range of one value is that value, in every field
        ("5-5 8 * * *", [f"{day} 08:05" for day in range(15, 22)]),
        ("0 8 * * 7-7", ["15 08:00"]),
        ("0 8 * * 6-6", ["21 08:00"]),
        # a full day-of-week range is still a restricted field: either day field matches
        ("0 8 17 * 0-6", EVERY_DAY_OF_THE_WEEK),
        ("0 8 17 * sun-sat", EVERY_DAY_OF_THE_WEEK),
        # so is a day-of-month list holding '*' that does not start with it (crontab(5)
        # looks at the first character)
        ("0 8 17,* * mon", EVERY_DAY_OF_THE_WEEK),
    ],
)
def test_cron_edge_forms_read_as_crontab_does(expression: str, expected: list[str]) -> None:
    """croniter 7.0 reads "a-a" as "*" (every minute, every day) and "17,* * mon" as Mondays
    only: the reason the crontab reader stays ours (bot/scheduling/slots.py)."""
    slots = next_slots(cron(expression), utc(2025, 6, 15, 0), utc(2025, 6, 22, 0))
    assert [s.strftime("%d %H:%M") for s in slots] == expected


def test_cron_in_a_zone_with_dst_gap_and_fold() -> None:
    every_half_hour = cron("*/30 * * * *", BERLIN)
    spring = next_slots(every_half_hour, utc(2025, 3, 30, 0, 0), utc(2025, 3, 30, 2, 0))
    # 01:30 CET, then 02:00 and 02:30 (which do not exist) land on 03:00 and 03:30 CEST,
    # which are slots anyway: each instant once.
    assert spring == [utc(2025, 3, 30, 0, 30), utc(2025, 3, 30, 1, 0), utc(2025, 3, 30, 1, 30),
                      utc(2025, 3, 30, 2, 0)]  # fmt: skip
    autumn = next_slots(every_half_hour, utc(2025, 10, 26, 0, 0), utc(2025, 10, 26, 2, 0))
    # 02:30 CEST (00:30 UTC); the repeated 02:00 and 02:30 CET are not slots; 03:00 CET is.
    assert autumn == [utc(2025, 10, 26, 0, 30), utc(2025, 10, 26, 2, 0)]


def test_cron_macros_and_every_minute() -> None:
    assert next_slots(cron("@daily"), utc(2025, 1, 1, 0), utc(2025, 1, 3, 0)) == [
        utc(2025, 1, 2),
        utc(2025, 1, 3),
    ]
    minutes = next_slots(cron("* * * * *"), utc(2025, 1, 1, 0, 0), utc(2025, 1, 1, 0, 5))
    assert len(minutes) == 5
    assert next_slot_after(cron("* * * * *"), utc(2025, 1, 1, 0, 0, 30)) == utc(2025, 1, 1, 0, 1)


def test_leap_day_cron() -> None:
    assert next_slot_after(cron("0 12 29 2 *"), utc(2025, 1, 1)) == utc(2028, 2, 29, 12)


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ("0 8 * *", "needs 5 fields"),
        ("0 8 * * * *", "needs 5 fields"),
        ("60 8 * * *", "higher than the maximum"),
        ("0 24 * * *", "higher than the maximum"),
        ("0 8 * * 8", "not a day of the week"),
        ("0 8 * * 5-1", "runs backwards"),
        ("0 8 31 2 *", "never fires"),
        ("0 8 L * *", "cannot read the day-of-month"),
        ("a b c d e", "cannot read the minute"),
        ("0 8 * * mon#2", "cannot read the day-of-week"),
    ],
)
def test_bad_cron_is_one_clear_line(expression: str, fragment: str) -> None:
    with pytest.raises(BadSchedule, match=fragment) as caught:
        parse_cron(expression)
    assert "\n" not in str(caught.value)
    assert expression in str(caught.value)


def test_unknown_zone_and_bad_time() -> None:
    with pytest.raises(BadSchedule, match="Unknown time zone 'Mars/Olympus'"):
        next_slots(daily("08:00", "Mars/Olympus"), utc(2025, 1, 1), utc(2025, 1, 2))
    with pytest.raises(BadSchedule, match="not a time of day"):
        next_slots(daily("25:00", "UTC"), utc(2025, 1, 1), utc(2025, 1, 2))
    assert zone_of("Asia/Seoul").key == "Asia/Seoul"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_slots(daily("08:00", "UTC"), datetime(2025, 1, 1), utc(2025, 1, 2))


# --- misfire windows ------------------------------------------------------------------------


def test_latest_slot_is_what_a_late_start_delivers() -> None:
    schedule = daily("08:00", SEOUL)
    eight = local(SEOUL, 2025, 6, 18, 8, 0)
    # Down from 07:50 to 08:40 with two hours of grace: 08:00 is delivered late, once.
    assert latest_slot(schedule, eight - timedelta(hours=2), eight + timedelta(minutes=40)) == (
        eight.astimezone(UTC)
    )
    # Down for three days with two hours of grace: nothing is within the window.
    later = eight + timedelta(days=3, hours=3)
    assert latest_slot(schedule, later - timedelta(hours=2), later) is None
    # Every minute, down for ten minutes: only the newest missed minute, not ten briefings.
    minute = cron("* * * * *")
    assert latest_slot(minute, utc(2025, 1, 1, 0, 0), utc(2025, 1, 1, 0, 10, 30)) == utc(
        2025, 1, 1, 0, 10
    )


# --- properties -----------------------------------------------------------------------------

ZONES = [
    "UTC",
    SEOUL,
    NEW_YORK,
    BERLIN,
    "Australia/Lord_Howe",
    "America/Santiago",
    "Asia/Kolkata",
    "Pacific/Chatham",
]
CRONS = ["0 8 * * 1-5", "*/20 * * * *", "30 2 * * *", "15 1,2,3 * * 0", "0 9 1 * mon", "@hourly"]


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    zone = draw(st.sampled_from(ZONES))
    if draw(st.booleans()):
        return cron(draw(st.sampled_from(CRONS)), zone)
    hour = draw(st.integers(0, 23))
    minute = draw(st.sampled_from([0, 15, 30, 45]))
    days = tuple(sorted(draw(st.sets(st.integers(1, 7), min_size=1))))
    return daily(f"{hour:02d}:{minute:02d}", zone, days)


instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=150, deadline=None)
@given(schedules(), instants)
def test_next_slot_after_agrees_with_the_window(schedule: Schedule, after: datetime) -> None:
    window = next_slots(schedule, after, after + timedelta(days=9))
    assert next_slot_after(schedule, after) == (window[0] if window else None)
    assert window == sorted(set(window))
    assert all(s > after for s in window)


@settings(max_examples=100, deadline=None)
@given(schedules(), instants)
def test_each_local_wall_time_fires_at_most_once(schedule: Schedule, after: datetime) -> None:
    zone = ZoneInfo(schedule.timezone)
    slots = next_slots(schedule, after, after + timedelta(days=3))
    walls = [s.astimezone(zone).replace(tzinfo=None) for s in slots]
    assert len(walls) == len(set(walls))


# --- "since" in the nothing-new note ----------------------------------------------------------


def test_describe_since_reads_like_a_person() -> None:
    now = local(SEOUL, 2025, 6, 19, 8, 0)  # a Thursday
    assert describe_since(local(SEOUL, 2025, 6, 19, 7, 0), now, SEOUL) == "07:00"
    assert describe_since(local(SEOUL, 2025, 6, 18, 8, 0), now, SEOUL) == "yesterday"
    assert describe_since(local(SEOUL, 2025, 6, 17, 8, 0), now, SEOUL) == "Tuesday"
    assert describe_since(local(SEOUL, 2025, 6, 2, 8, 0), now, SEOUL) == "2 June"
    assert describe_since(local(SEOUL, 2024, 12, 2, 8, 0), now, SEOUL) == "2 December 2024"
    # 08:00 in Seoul on Wednesday is still Tuesday in UTC; the subscriber's zone decides.
    assert describe_since(utc(2025, 6, 17, 23, 0), now, SEOUL) == "yesterday"
