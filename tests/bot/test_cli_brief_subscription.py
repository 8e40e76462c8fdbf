"""`briefbot brief --subscription ID`: a preview of what the subscription's next slot would post,
made by the scheduler's own function, which records nothing (real store, real scheduler)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from bot import messages
from bot.briefing import BriefingService
from bot.models import ChannelRef
from bot.scheduling import BriefingScheduler, DeliveryLedger
from bot.store import Store
from bot.store.schema import BriefedArticle, Delivery
from bot.subscriptions import SubscriptionService
from bot.topics import TopicRegistry
from tests.support.cli import one_clear_line, run
from tests.support.scheduling import RecordingPublisher, add_articles, add_subscription

CHANNEL = ChannelRef("slack", "C1", "T1")


@pytest.fixture
def store(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("BRIEFBOT_DATABASE_URL", database_url)
    monkeypatch.setenv("BRIEFBOT_TIMEZONE", "Asia/Seoul")
    with Store.open(database_url) as opened:
        add_articles(opened, TopicRegistry.default())
        yield opened


def preview(capsys: pytest.CaptureFixture[str], sid: int) -> dict[str, Any]:
    code, out, err = run(capsys, "brief", "--subscription", str(sid), "--format", "json")
    assert code == 0, err
    found: dict[str, Any] = json.loads(out)
    return found


def urls(briefing: dict[str, Any]) -> list[str]:
    return [item["url"] for item in briefing["items"]]


def recorded(store: Store) -> tuple[int, int]:
    """How many delivery rows and briefed-article rows the store holds."""
    with store.session(write=False) as session:
        return session.query(Delivery).count(), session.query(BriefedArticle).count()


async def deliver(store: Store, sid: int, slot: datetime) -> RecordingPublisher:
    """The real scheduler delivers ``sid``'s slot; what it posted."""
    registry = TopicRegistry.default()
    slack = RecordingPublisher()
    scheduler = BriefingScheduler(
        store=store,
        briefings=BriefingService(store, registry),
        subscriptions=SubscriptionService(store, registry),
        publishers={"slack": slack},
        replica_id="test",
        misfire_grace=timedelta(hours=1),
        pacing={},
    )
    try:
        assert await scheduler.deliver_slot(sid, slot) == "sent"
    finally:
        await scheduler.shutdown()
    return slack


async def test_the_preview_is_what_the_next_slot_posts_and_changes_nothing(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = add_subscription(store)
    first = preview(capsys, sid)
    again = preview(capsys, sid)
    assert first["preview"] == again["preview"]  # twice: the same
    assert urls(first["briefing"]) == urls(again["briefing"])
    assert len(first["briefing"]["items"]) == 3
    assert first["preview"]["subscription_id"] == sid
    assert first["preview"]["posts"] is True
    assert recorded(store) == (0, 0)  # nothing claimed, nothing marked as briefed

    next_run = SubscriptionService.next_run(
        SubscriptionService(store, TopicRegistry.default()).get(sid)
    )
    assert first["preview"]["next_run"] == next_run.isoformat()  # type: ignore[union-attr]

    # The real slot still posts exactly the previewed stories.
    slot = datetime.fromisoformat(first["preview"]["next_run"])
    [post] = (await deliver(store, sid, slot)).posts
    assert [item.url for item in post.briefing.items] == urls(first["briefing"])

    # Now the next slot would bring only the story the channel has not seen.
    second = preview(capsys, sid)
    assert len(second["briefing"]["items"]) == 1
    assert set(urls(second["briefing"])).isdisjoint(urls(first["briefing"]))
    ledger = DeliveryLedger(store, holder="inspector", lease=timedelta(minutes=1))
    assert ledger.delivery(sid, slot).status == "sent"  # type: ignore[union-attr]
    assert recorded(store)[0] == 1  # the real slot's row; previews add none


async def test_the_text_preview_says_what_it_is_in_the_subscriptions_zone(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = add_subscription(store)
    code, out, _ = run(capsys, "brief", "--subscription", str(sid))
    assert code == 0
    header, *rest = out.splitlines()
    assert header.startswith(f"Preview of subscription {sid}'s next run at ")
    assert header.endswith(
        " KST (korea-japan, 08:00 Asia/Seoul daily); nothing is posted or recorded."
    )
    assert " 08:00 KST " in header
    assert rest[0].startswith("Korea – Japan (korea-japan) · 3 stories")  # rendered like brief

    code, out, _ = run(capsys, "brief", "--subscription", str(sid), "-f", "markdown")
    assert code == 0
    assert out.startswith(f"> Preview of subscription {sid}'s next run at ")
    assert "\n## Korea – Japan\n" in out


async def test_nothing_new_is_the_note_the_slot_would_post_or_nothing_when_quiet(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    loud = add_subscription(store)
    quiet = add_subscription(store, channel="C2", quiet=True)
    for sid in (loud, quiet):  # two slots: each channel has seen every story
        slot = datetime.fromisoformat(preview(capsys, sid)["preview"]["next_run"])
        await deliver(store, sid, slot - timedelta(days=1))
        await deliver(store, sid, slot)
    before = recorded(store)

    note = preview(capsys, loud)
    assert note["briefing"]["items"] == []
    assert note["preview"]["note"].startswith("Nothing new on korea-japan since ")
    code, out, _ = run(capsys, "brief", "--subscription", str(loud))
    assert "Nothing new on korea-japan since " in out

    nothing = preview(capsys, quiet)
    assert (nothing["preview"]["posts"], nothing["briefing"]) == (False, None)
    code, out, _ = run(capsys, "brief", "--subscription", str(quiet))
    assert code == 0
    header, said = out.splitlines()
    assert "(korea-japan, 08:00 Asia/Seoul daily quiet)" in header
    assert said == messages.PREVIEW_NOTHING.format(slug="korea-japan")
    assert recorded(store) == before


def test_a_paused_subscription_is_previewed_as_it_would_post_once_resumed(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    sid = add_subscription(store)
    SubscriptionService(store, TopicRegistry.default()).pause(sid, "Slack channel C1 is archived")
    code, out, _ = run(capsys, "brief", "--subscription", str(sid))
    assert code == 0
    assert out.startswith(f"Preview of subscription {sid} (korea-japan, 08:00 Asia/Seoul daily)")
    assert ", paused: resumed, its next run at " in out.splitlines()[0]
    assert preview(capsys, sid)["preview"]["status"] == "paused"


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (("korea-japan", "--subscription", "1"), "leave out TOPIC"),
        (("--subscription", "1", "--since", "7d"), "leave out --since"),
        (("--subscription", "1", "--count", "2"), "leave out --count"),
        (("--subscription", "1", "--demo"), "leave out --demo"),
        (("--subscription", "424242"), "no subscription 424242; `briefbot subscriptions`"),
        (("--subscription", "99999999999999"), "`briefbot subscriptions`"),
        (("--subscription", "0"), "`briefbot subscriptions`"),
        (("--subscription", "abc"), "--subscription takes a whole number"),
        ((), "Give a TOPIC"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    store: Store, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], said: str
) -> None:
    add_subscription(store)
    code, out, err = run(capsys, "brief", *argv)
    assert code == 2
    assert out == ""
    assert said in one_clear_line(err)
    assert recorded(store) == (0, 0)
