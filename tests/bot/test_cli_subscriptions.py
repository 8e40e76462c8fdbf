"""`briefbot resume`, and what `subscriptions` says of each one: next run, last delivery, and
why it is paused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.models import ChannelRef
from bot.scheduling import DeliveryLedger
from bot.store import Store
from bot.subscriptions import SubscriptionService
from bot.topics import TopicRegistry
from tests.support.cli import one_clear_line, run


@pytest.fixture
def service(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[SubscriptionService]:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    monkeypatch.setenv("BRIEFBOT_TIMEZONE", "Asia/Seoul")
    store = Store.open(database_url)
    yield SubscriptionService(store, TopicRegistry.default(), default_tz="Asia/Seoul")
    store.close()


CHANNEL, GUILD = "300000000000000042", "200000000000000009"
SUBSCRIBE = (
    "subscribe", "--platform", "discord", "--channel", CHANNEL, "--workspace", GUILD,
    "--topic", "korea-japan", "--at", "08:00",
)  # fmt: skip


def test_resume_brings_a_paused_subscription_back(
    service: SubscriptionService, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *SUBSCRIBE)
    assert code == 0
    sid = int(out)
    service.pause(sid, "Discord channel 42 is unavailable to the bot (403)")

    code, out, _ = run(capsys, "subscriptions", "--format", "json")
    [listed] = json.loads(out)
    assert listed["status"] == "paused"
    assert "403" in listed["paused_reason"]
    assert listed["next_run"] is None  # paused: it does not run
    code, out, _ = run(capsys, "subscriptions")
    assert "paused: Discord channel 42 is unavailable to the bot (403)" in out

    code, out, _ = run(capsys, "resume", str(sid))
    assert code == 0
    assert out.startswith(f"Resumed subscription {sid} (korea-japan, 08:00 Asia/Seoul daily)")
    assert " KST." in out  # the next run, in the subscription's zone
    assert service.get(sid).status == "active"

    code, out, _ = run(capsys, "resume", str(sid))  # again: nothing to do, and it says so
    assert code == 0
    assert out.startswith(f"Subscription {sid} is not paused; next run ")

    code, _, err = run(capsys, "resume", "424242")
    assert code == 2
    assert "no subscription 424242" in one_clear_line(err)


def test_the_list_shows_the_next_run_and_the_last_delivery(
    service: SubscriptionService, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *SUBSCRIBE)
    sid = int(out)
    slot = datetime(2025, 6, 18, 23, 0, tzinfo=UTC)
    ledger = DeliveryLedger(service._store, holder="test", lease=timedelta(minutes=1))
    claim = ledger.claim(sid, slot, slot)
    assert claim is not None
    ledger.mark_sent(
        claim, "1", channel=ChannelRef("discord", CHANNEL, GUILD), article_ids=(), now=slot
    )

    before = datetime.now(UTC)
    code, out, _ = run(capsys, "subscriptions", "--format", "json")
    [listed] = json.loads(out)
    next_run = datetime.fromisoformat(listed["next_run"])
    assert before < next_run <= before + timedelta(days=1)
    assert next_run.astimezone(UTC).minute == 0
    assert next_run.astimezone(UTC).hour == 23  # 08:00 in Seoul
    assert datetime.fromisoformat(listed["last_delivery"]) == slot

    code, out, _ = run(capsys, "subscriptions")
    assert code == 0
    header, line = out.splitlines()
    assert "NEXT RUN" in header
    assert "LAST DELIVERY" in header
    assert "2025-06-19 08:00 KST" in line  # the last delivery, as the channel reads it
    seoul = next_run.astimezone(ZoneInfo("Asia/Seoul"))
    assert seoul.strftime("%Y-%m-%d 08:00 KST") in line  # the next run, likewise


def test_subscribing_again_to_a_paused_subscription_resumes_it(
    service: SubscriptionService, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, *SUBSCRIBE)
    sid = int(out)
    service.pause(sid, "the channel was deleted")
    code, out, err = run(capsys, *SUBSCRIBE)
    assert code == 0
    assert int(out) == sid  # the same subscription, not a second one
    assert f"resumed subscription {sid}" in err
    assert service.get(sid).status == "active"
    assert len(service.list()) == 1
    code, _, err = run(capsys, *SUBSCRIBE)  # active now: a duplicate, refused
    assert code == 2
    assert f"subscription {sid}" in one_clear_line(err)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ("--channel", "general"),
            "briefbot: 'general' is not a Discord channel id: that is a number of 17 to 20 digits",
        ),
        (("--workspace", "my-server"), "briefbot: 'my-server' is not a Discord server id"),
        (
            ("--tz", "KST"),
            "briefbot: Use an IANA time zone name instead of 'KST' (did you mean Asia/Seoul?).",
        ),
        (("--tz", "CST"), "Asia/Shanghai (China) or America/Chicago (US Central)."),
        (("--at", "8"), "did you mean 08:00 (or 20:00 in the evening)?"),
        (("--at", "24:00"), "midnight is 00:00"),
        (("--days", "wekdays"), "(did you mean weekdays?)"),
        (("--at", "", "--cron", "* * * * *"), "would post every minute; a channel gets a briefing"),
    ],
)
def test_subscribe_refusals_are_one_line_exit_2_and_store_nothing(
    service: SubscriptionService,
    capsys: pytest.CaptureFixture[str],
    extra: tuple[str, ...],
    message: str,
) -> None:
    argv = list(SUBSCRIBE)
    for flag, value in zip(extra[::2], extra[1::2], strict=True):
        if flag in argv:
            argv[argv.index(flag) + 1] = value
        else:
            argv += [flag, value]
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert message in one_clear_line(err)
    assert service.list() == []


def test_a_city_is_taken_as_its_zone(
    service: SubscriptionService, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *SUBSCRIBE, "--tz", "seoul")
    assert code == 0, err
    assert "08:00 Asia/Seoul daily" in err
    assert service.get(int(out)).schedule.timezone == "Asia/Seoul"


def test_a_cron_and_a_daily_time_that_fire_alike_are_one_subscription(
    service: SubscriptionService, capsys: pytest.CaptureFixture[str]
) -> None:
    at = (*SUBSCRIBE, "--days", "weekdays")
    cron = (*SUBSCRIBE[:-2], "--cron", "0 8 * * 1-5")  # without --at 08:00
    code, out, _ = run(capsys, *at)
    sid = int(out)
    code, out, err = run(capsys, *cron)
    assert code == 2
    assert out == ""
    assert one_clear_line(err) == (
        "briefbot: This channel already has that scheduled briefing: "
        f"subscription {sid}, 08:00 Asia/Seoul weekdays."
    )
    service.pause(sid, "the channel was deleted")
    code, out, err = run(capsys, *cron)  # paused: asking again the other way resumes it
    assert (code, int(out)) == (0, sid)
    assert f"resumed subscription {sid}" in err
    service.remove(sid)
    code, out, _ = run(capsys, *cron)
    cron_id = int(out)
    code, _, err = run(capsys, *at)  # the other direction
    assert code == 2
    assert f"subscription {cron_id}, cron `0 8 * * 1-5` (Asia/Seoul)." in one_clear_line(err)
    assert [s.id for s in service.list()] == [cron_id]
