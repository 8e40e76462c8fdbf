"""Schedules and the subscription service (SQLite file and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.errors import BadInput, BadSchedule, NotFound, UnknownTopic
from bot.models import ChannelRef, Schedule
from bot.scheduling.slots import parse_cron, schedule_key
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
        ("noon", "12:00"),
        ("Midnight", "00:00"),
    ],
)
def test_parse_time(typed: str, expected: str) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "7:60", "8", "tea time", "13pm", "", "08:00:00"])
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


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("KST", "Asia/Seoul"),
        ("kst", "Asia/Seoul"),
        ("JST", "Asia/Tokyo"),
        ("EST", "America/New_York"),  # a fixed -05:00 in the tz database: wrong all summer
        ("EDT", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("Korea", "Asia/Seoul"),
    ],
)
def test_a_zone_abbreviation_is_answered_with_its_iana_name(typed: str, suggested: str) -> None:
    # Not difflib on the letters ("KST" -> MST), and not taken silently either: the IANA name.
    with pytest.raises(BadSchedule) as info:
        parse_zone(typed)
    assert str(info.value) == (
        f"Use an IANA time zone name instead of '{typed}' (did you mean {suggested}?)."
    )


def test_an_ambiguous_abbreviation_names_each_zone_it_can_mean() -> None:
    with pytest.raises(BadSchedule) as info:
        parse_zone("CST")
    assert str(info.value) == (
        "'CST' names more than one time zone; use the IANA name of yours: "
        "Asia/Shanghai (China) or America/Chicago (US Central)."
    )
    with pytest.raises(BadSchedule, match=r"Asia/Kolkata \(India\), Europe/Dublin"):
        parse_zone("IST")


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Seoul", "Asia/Seoul"),
        ("seoul", "Asia/Seoul"),
        (" Tokyo ", "Asia/Tokyo"),
        ("new york", "America/New_York"),
        ("Buenos Aires", "America/Argentina/Buenos_Aires"),  # the fuller of a zone's two names
        ("UTC", "UTC"),
        ("GMT", "GMT"),
        ("Etc/UTC", "Etc/UTC"),
    ],
)
def test_the_city_of_a_zone_is_that_zone(typed: str, zone: str) -> None:
    assert parse_zone(typed) == zone


def test_a_misspelt_city_suggests_its_zone_and_localtime_is_no_zone() -> None:
    with pytest.raises(BadSchedule, match=r"did you mean Asia/Tokyo\?"):
        parse_zone("Tokio")
    with pytest.raises(BadSchedule, match=r"did you mean Asia/Seoul\?"):
        parse_zone("Seol")
    with pytest.raises(BadSchedule) as info:
        parse_zone("XYZ")  # no suggestion rather than a legacy zone such as MST
    assert "did you mean" not in str(info.value)
    with pytest.raises(BadSchedule):
        parse_zone("localtime")


def test_the_operators_default_zone_is_taken_as_set() -> None:
    # BRIEFBOT_TIMEZONE=EST is the operator's choice; a member typing EST gets the IANA name.
    assert parse_schedule(at="8:00", days=None, tz=None, cron=None, default_tz="EST").timezone == (
        "EST"
    )
    with pytest.raises(BadSchedule, match="America/New_York"):
        parse_schedule(at="8:00", days=None, tz="EST", cron=None, default_tz="UTC")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("8", "Cannot read the time '8'; use 24-hour HH:MM: did you mean 08:00 (or 20:00 in the "
         "evening)?"),
        ("20", "Cannot read the time '20'; use 24-hour HH:MM: did you mean 20:00?"),
        ("0830", "Cannot read the time '0830'; use 24-hour HH:MM: did you mean 08:30?"),
        ("24:00", "Cannot read the time '24:00': the day ends at 23:59 and midnight is 00:00; use "
         "24-hour HH:MM from 00:00 to 23:59."),
        ("7:60", "Cannot read the time '7:60': hours go from 00 to 23 and minutes from 00 to 59; "
         "use 24-hour HH:MM, e.g. 08:00 or 17:30."),
        ("13pm", "Cannot read the time '13pm': with am or pm the hour is 1 to 12; write e.g. 1pm, "
         "or use 24-hour HH:MM such as 13:00."),
        ("tea time", "Cannot read the time 'tea time'; use 24-hour HH:MM, e.g. 08:00 or 17:30 "
         "(8am and 5:30pm work too)."),
    ],
)  # fmt: skip
def test_a_time_refusal_says_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(BadSchedule) as info:
        parse_time(typed)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("wekdays", "weekdays"),
        ("mon,wen", "mon,wed"),
        ("mon-fir", "mon-fri"),
        ("tusday", "tuesday"),
    ],
)
def test_misspelt_days_are_answered_with_the_days_meant(typed: str, meant: str) -> None:
    with pytest.raises(BadSchedule, match=f"did you mean {meant}\\?"):
        parse_days(typed)


@pytest.mark.parametrize(
    ("cron", "often"),
    [
        ("* * * * *", "every minute"),
        ("*/10 * * * *", "6 times an hour"),
        ("0,30 8 * * *", "2 times an hour"),
        ("5/15 9 * * 1-5", "4 times an hour"),
    ],
)
def test_a_cron_that_posts_more_than_once_an_hour_is_refused(cron: str, often: str) -> None:
    with pytest.raises(BadSchedule) as info:
        parse_schedule(at=None, days=None, tz=None, cron=cron, default_tz="UTC")
    assert str(info.value) == (
        f"Cron expression '{cron}' would post {often}; a channel gets a briefing at most once an "
        "hour, so give the minute one value, e.g. '0 * * * *' (hourly) or '0 8 * * 1-5'."
    )


@pytest.mark.parametrize("cron", ["0 * * * *", "@hourly", "15 8-18 * * 1-5", "0 8,20 * * *"])
def test_hourly_is_the_most_a_cron_may_post(cron: str) -> None:
    assert parse_schedule(at=None, days=None, tz=None, cron=cron, default_tz="UTC").cron


def _key(**kwargs: str) -> tuple[object, ...]:
    args: dict[str, str | None] = {"at": None, "days": None, "tz": None, "cron": None}
    args.update(kwargs)
    return schedule_key(parse_schedule(default_tz="UTC", **args))


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"at": "08:00", "days": "weekdays"}, {"cron": "0 8 * * 1-5"}),
        ({"at": "8am", "days": "mon-fri"}, {"cron": "0 8 * * mon-fri"}),
        ({"at": "08:00"}, {"cron": "0 8 * * *"}),
        ({"at": "00:00"}, {"cron": "@daily"}),
        ({"at": "07:30", "days": "sun"}, {"cron": "30 7 * * 7"}),
        ({"at": "07:30", "days": "weekends"}, {"cron": "30 7 * * 0,6"}),
        ({"at": "09:00"}, {"cron": "0 9 1-31 * *"}),
        ({"at": "09:00"}, {"cron": "0 9 1-31 * 1"}),  # crontab: either day field, and 1-31 is all
        ({"cron": "0 8 * * 1,2,3,4,5"}, {"cron": "0 8 * * MON-FRI"}),
        ({"cron": "0 8,20 * * *"}, {"cron": "0 20,8 * * 0-6"}),
        ({"cron": "0 9 1 */3 *"}, {"cron": "0 9 1 jan,apr,jul,oct *"}),
    ],
)
def test_schedules_that_fire_alike_have_one_key(
    first: dict[str, str], second: dict[str, str]
) -> None:
    assert _key(**first) == _key(**second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"at": "08:00", "days": "weekdays"}, {"cron": "0 8 * * *"}),
        ({"at": "08:00"}, {"cron": "0 8 * * 1-5"}),
        ({"at": "08:00"}, {"cron": "0 8 1 * *"}),
        ({"at": "08:00"}, {"cron": "0 8 * 1-6 *"}),
        ({"at": "08:00"}, {"cron": "0 8,20 * * *"}),
        ({"cron": "0 9 1 * 1"}, {"cron": "0 9 1 * *"}),  # the 1st or Mondays, not the 1st only
    ],
)
def test_schedules_that_fire_differently_have_different_keys(
    first: dict[str, str], second: dict[str, str]
) -> None:
    assert _key(**first) != _key(**second)


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


GUILD = "900000000000000001"
DISCORD = ChannelRef("discord", "111111111111111111", GUILD)
DISCORD_OTHER = ChannelRef("discord", "222222222222222222", GUILD)
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
    assert [s.id for s in service.list(workspace_id=GUILD)] == [first.id, second.id]
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


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"at": "08:00", "days": "weekdays"}, {"cron": "0 8 * * 1-5"}),
        ({"cron": "0 8 * * 1-5"}, {"at": "08:00", "days": "weekdays"}),
        ({"cron": "0 8 * * *"}, {"at": "8am"}),
        ({"cron": "0 8 * * 1-5"}, {"cron": "0 8 * * mon-fri"}),
    ],
)
def test_the_same_schedule_written_another_way_is_a_duplicate(
    service: SubscriptionService, first: dict[str, str], second: dict[str, str]
) -> None:
    made = service.subscribe(SLACK, "korea-japan", tz="Asia/Seoul", **first)
    with pytest.raises(BadInput) as info:
        service.subscribe(SLACK, "korea-japan", tz="Asia/Seoul", **second)
    assert str(info.value) == (
        "This channel already has that scheduled briefing: "
        f"subscription {made.id}, {made.schedule.describe()}."
    )
    # ... and, paused, asking for it the other way resumes it
    service.pause(made.id, "Missing Access (403)")
    again, resumed = service.subscribe_or_resume(SLACK, "korea-japan", tz="Asia/Seoul", **second)
    assert (again.id, resumed, again.status) == (made.id, True, "active")
    assert again.schedule == made.schedule  # as first stored
    # in another zone it is another schedule
    other = service.subscribe(SLACK, "korea-japan", tz="Asia/Tokyo", **second)
    assert [s.id for s in service.list()] == [made.id, other.id]


@pytest.mark.parametrize(
    ("channel", "message"),
    [
        (
            ChannelRef("discord", "general", GUILD),
            "'general' is not a Discord channel id: that is a number of 17 to 20 digits (in "
            "Discord, turn on Developer Mode in Settings > Advanced, then right-click the "
            "channel > Copy Channel ID).",
        ),
        (
            ChannelRef("discord", "42", GUILD),
            "'42' is not a Discord channel id: that is a number of 17 to 20 digits",
        ),
        (
            ChannelRef("discord", "111111111111111111", "My Server"),
            "'My Server' is not a Discord server id: that is a number of 17 to 20 digits (with "
            "Developer Mode on, right-click the server's icon > Copy Server ID).",
        ),
        (
            ChannelRef("slack", "#general", "T0001"),
            "'#general' is not a Slack channel id: that looks like C0123ABCDE, a C, G or D then "
            "capital letters and digits (in Slack, click the channel's name: the id is at the "
            "bottom of About).",
        ),
        (ChannelRef("slack", "c0123abcd"), "'c0123abcd' is not a Slack channel id"),
        (ChannelRef("slack", "U0123ABCD"), "'U0123ABCD' is not a Slack channel id"),  # a user
        (
            ChannelRef("slack", "C0123", "acme"),
            "'acme' is not a Slack workspace id: that looks like T0123ABCDE, a T or E then "
            "capital letters and digits (it is in the workspace's web address, "
            "app.slack.com/client/T0123ABCDE).",
        ),
        (ChannelRef("slack", "C0123\nX"), "'C0123\\nX' is not a Slack channel id"),
        (ChannelRef("slack", " "), "' ' is not a Slack channel id"),
    ],
)
def test_a_channel_id_its_platform_never_sends_is_refused(
    service: SubscriptionService, channel: ChannelRef, message: str
) -> None:
    with pytest.raises(BadInput) as info:
        service.subscribe(channel, "korea-japan", at="08:00")
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)
    assert service.list() == []


@pytest.mark.parametrize(
    "channel",
    [
        ChannelRef("discord", "10000000000000000", None),  # 17 digits: the oldest snowflakes
        ChannelRef("discord", "18446744073709551615", "900000000000000001"),  # 20: the largest
        ChannelRef("slack", "C0123ABCDE", "T0123ABCDE"),
        ChannelRef("slack", "G0123ABCDE", "E0123ABCDE"),  # private channel, Enterprise Grid
        ChannelRef("slack", "D0123ABCDE"),  # a direct message
    ],
)
def test_real_channel_ids_are_accepted(service: SubscriptionService, channel: ChannelRef) -> None:
    assert service.subscribe(channel, "korea-japan", at="08:00").channel == channel


def test_a_cron_every_minute_stores_nothing(service: SubscriptionService) -> None:
    with pytest.raises(BadSchedule, match="at most once an hour"):
        service.subscribe(SLACK, "korea-japan", cron="* * * * *")
    assert service.list() == []
