"""Schedules and the subscription service (SQLite file and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.errors import BadInput, BadSchedule, NotFound, UnknownTopic
from bot.models import ChannelRef, Schedule
from bot.scheduling.slots import parse_cron
from bot.store import Store
from bot.subscriptions import (
    SubscriptionService,
    parse_days,
    parse_schedule,
    parse_time,
    parse_zone,
)
from bot.topics import TopicRegistry

# -- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("08:00", "08:00"),
        ("8:00", "08:00"),
        ("17.30", "17:30"),
        ("23:59", "23:59"),
        ("00:00", "00:00"),
        ("8am", "08:00"),
        ("12am", "00:00"),
        ("12pm", "12:00"),
        ("5:30 pm", "17:30"),
    ],
)
def test_parse_time(typed: str, expected: str) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "7:60", "8", "noon", "13pm", "", "08:00:00"])
def test_parse_time_refuses_with_the_fix(typed: str) -> None:
    with pytest.raises(BadSchedule, match="use 24-hour HH:MM"):
        parse_time(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (None, (1, 2, 3, 4, 5, 6, 7)),
        ("daily", (1, 2, 3, 4, 5, 6, 7)),
        ("weekdays", (1, 2, 3, 4, 5)),
        ("Weekends", (6, 7)),
        ("mon,wed,fri", (1, 3, 5)),
        ("Monday Thursday", (1, 4)),
        ("tue-thu", (2, 3, 4)),
        ("fri-mon", (1, 5, 6, 7)),
        ("sun,sat,sun", (6, 7)),
    ],
)
def test_parse_days(typed: str | None, expected: tuple[int, ...]) -> None:
    assert parse_days(typed) == expected


@pytest.mark.parametrize("typed", ["someday", "mon,funday", "mon-", ",", "1,2"])
def test_parse_days_refuses_with_the_fix(typed: str) -> None:
    with pytest.raises(BadSchedule, match="daily, weekdays, weekends"):
        parse_days(typed)


def test_parse_zone() -> None:
    assert parse_zone("Asia/Seoul") == "Asia/Seoul"
    assert parse_zone("asia/seoul") == "Asia/Seoul"
    assert parse_zone("UTC") == "UTC"
    with pytest.raises(BadSchedule) as info:
        parse_zone("Asia/Seol")
    assert str(info.value) == (
        "Unknown time zone 'Asia/Seol'; use an IANA zone such as Asia/Seoul "
        "(did you mean Asia/Seoul?)."
    )
    with pytest.raises(BadSchedule, match="Unknown time zone"):
        parse_zone("Mars/Olympus")
    with pytest.raises(BadSchedule):
        parse_zone("../../etc/passwd")


def test_parse_schedule() -> None:
    daily = parse_schedule(at="8:00", days=None, tz=None, cron=None, default_tz="Asia/Seoul")
    assert daily == Schedule(timezone="Asia/Seoul", at="08:00", days=(1, 2, 3, 4, 5, 6, 7))
    assert daily.describe() == "08:00 Asia/Seoul daily"
    weekdays = parse_schedule(
        at="07:30", days="weekdays", tz="Europe/London", cron=None, default_tz="UTC"
    )
    assert weekdays.days == (1, 2, 3, 4, 5)
    assert weekdays.timezone == "Europe/London"
    cron = parse_schedule(at=None, days=None, tz=None, cron=" 0  8 * * 1-5 ", default_tz="UTC")
    assert cron == Schedule(timezone="UTC", cron="0 8 * * 1-5")


@pytest.mark.parametrize(
    ("kwargs", "fix"),
    [
        ({"at": "08:00", "cron": "0 8 * * *"}, "not both"),
        ({}, "Say when"),
        ({"cron": "0 8 * * *", "days": "weekdays"}, "last field"),
        ({"cron": "0 8 * *"}, "needs 5 fields"),
        ({"cron": "61 8 * * *"}, "higher than the maximum value (59)"),
        ({"cron": "0 8 * * 5-1"}, "runs backwards"),
        ({"cron": "0 8 * * funday"}, "day-of-week 'funday'"),
        ({"cron": "0 8 31 2 *"}, "never fires"),
        ({"at": "25:00"}, "HH:MM"),
        ({"at": "08:00", "tz": "Nowhere/City"}, "IANA"),
        ({"at": "08:00", "days": "someday"}, "weekdays"),
    ],
)
def test_parse_schedule_errors_are_one_line_with_the_fix(kwargs: dict[str, str], fix: str) -> None:
    args: dict[str, str | None] = {"at": None, "days": None, "tz": None, "cron": None}
    args.update(kwargs)
    with pytest.raises(BadSchedule) as info:
        parse_schedule(default_tz="UTC", **args)
    assert fix in str(info.value)
    assert "\n" not in str(info.value)


def test_a_stored_cron_fires_as_crontab_reads_it() -> None:
    # What subscribe accepts is what the scheduler fires: crontab(5) weekdays (Monday = 1),
    # not APScheduler 3's own numbering (Monday = 0), which would give Tuesday to Saturday.
    schedule = parse_schedule(at=None, days=None, tz=None, cron="30 7 * * 1-5", default_tz="UTC")
    assert schedule.cron is not None
    walls = parse_cron(schedule.cron).walls(datetime(2025, 6, 14))  # a Saturday
    fired = [next(walls).strftime("%a %H:%M") for _ in range(6)]
    assert fired == ["Mon 07:30", "Tue 07:30", "Wed 07:30", "Thu 07:30", "Fri 07:30", "Mon 07:30"]
    assert parse_schedule(at=None, days=None, tz=None, cron="@daily", default_tz="UTC").cron == (
        "0 0 * * *"
    )


# -- the service ---------------------------------------------------------------------------


@pytest.fixture
def service(store: Store) -> SubscriptionService:
    return SubscriptionService(store, TopicRegistry.default(), default_tz="Asia/Seoul")


DISCORD = ChannelRef("discord", "111", "900")
DISCORD_OTHER = ChannelRef("discord", "222", "900")
SLACK = ChannelRef("slack", "C0123", "T0001")


def test_subscribe_list_remove_round_trip(service: SubscriptionService, store: Store) -> None:
    first = service.subscribe(DISCORD, "Japan Korea", at="8:00", days="weekdays", created_by="u1")
    assert first.id > 0
    assert first.topic.slug == "korea-japan"
    assert first.topic.title == "Korea – Japan"
    assert first.schedule == Schedule(timezone="Asia/Seoul", at="08:00", days=(1, 2, 3, 4, 5))
    assert first.status == "active"
    assert first.created_by == "u1"
    assert first.created_at is not None
    second = service.subscribe(DISCORD_OTHER, "north-korea", cron="0 9 * * 1", quiet=True)
    third = service.subscribe(SLACK, "us-china", at="18:30", tz="America/New_York")
    assert second.quiet
    assert second.schedule.cron == "0 9 * * 1"

    assert [s.id for s in service.list()] == [first.id, second.id, third.id]
    assert [s.id for s in service.list(DISCORD)] == [first.id]
    assert [s.id for s in service.list(workspace_id="900")] == [first.id, second.id]
    assert service.get(third.id).schedule.timezone == "America/New_York"

    with store.session(write=False) as session:
        stored = session.execute(
            text("SELECT days, at_time, timezone FROM subscriptions WHERE id = :i"),
            {"i": first.id},
        ).one()
    assert tuple(stored) == ("1,2,3,4,5", "08:00", "Asia/Seoul")

    with pytest.raises(NotFound, match=f"no subscription {first.id} here"):
        service.remove(first.id, DISCORD_OTHER)  # another channel's
    removed = service.remove(first.id, DISCORD)
    assert removed.id == first.id
    assert [s.id for s in service.list(DISCORD)] == []
    with pytest.raises(NotFound):
        service.remove(first.id)
    with pytest.raises(NotFound):
        service.get(99999)


def test_duplicates_and_bad_input_store_nothing(service: SubscriptionService) -> None:
    made = service.subscribe(SLACK, "korea-japan", at="08:00")
    with pytest.raises(BadInput, match=f"subscription {made.id}"):
        service.subscribe(SLACK, "japan-korea", at="8:00", days="daily")
    # A different time or days is a different subscription.
    service.subscribe(SLACK, "korea-japan", at="08:00", days="weekends")
    with pytest.raises(UnknownTopic, match="korea-japan"):
        service.subscribe(SLACK, "korea-japn", at="08:00")
    with pytest.raises(BadSchedule):
        service.subscribe(SLACK, "korea-japan", at="08:00", tz="Asia/Seol")
    with pytest.raises(BadInput, match="channel"):
        service.subscribe(ChannelRef("slack", " "), "korea-japan", at="08:00")
    with pytest.raises(BadInput, match="platform"):
        service.subscribe(ChannelRef("irc", "x"), "korea-japan", at="08:00")  # type: ignore[arg-type]
    assert len(service.list()) == 2


def test_pause_and_resume(service: SubscriptionService) -> None:
    sub = service.subscribe(DISCORD, "korea", at="07:00")
    service.pause(sub.id, "403 Forbidden: the bot may not post in this channel")
    paused = service.get(sub.id)
    assert paused.status == "paused"
    assert paused.paused_reason is not None
    assert "403" in paused.paused_reason
    service.resume(sub.id)
    assert service.get(sub.id).status == "active"
    assert service.get(sub.id).paused_reason is None
    with pytest.raises(NotFound):
        service.pause(424242, "gone")


def test_a_paused_subscription_can_be_resumed_and_asked_for_again(
    service: SubscriptionService,
) -> None:
    sub = service.subscribe(DISCORD, "korea", at="07:00")
    service.pause(sub.id, "Missing Access (403)")
    with pytest.raises(NotFound):
        service.resume(sub.id, DISCORD_OTHER)  # another channel's: not found there
    # Asking for the same subscription again resumes it (it is not a duplicate any more)
    again, resumed = service.subscribe_or_resume(DISCORD, "korea", at="07:00", quiet=True)
    assert resumed
    assert again.id == sub.id
    assert again.status == "active"
    assert again.quiet  # as asked now
    assert [s.id for s in service.list()] == [sub.id]
    with pytest.raises(BadInput, match=f"subscription {sub.id}"):
        service.subscribe(DISCORD, "korea", at="07:00")  # active: a duplicate
    # resume: whether it was paused, and the subscription
    service.pause(sub.id, "gone")
    assert service.resume(sub.id, DISCORD) == (service.get(sub.id), True)
    assert service.resume(sub.id, DISCORD)[1] is False
    # the next run: the next 07:00 in Seoul; none while paused
    now = datetime(2025, 6, 18, 23, 0, tzinfo=UTC)  # 08:00 in Seoul
    assert service.next_run(service.get(sub.id), now) == datetime(2025, 6, 19, 22, 0, tzinfo=UTC)
    service.pause(sub.id, "gone")
    assert service.next_run(service.get(sub.id), now) is None
