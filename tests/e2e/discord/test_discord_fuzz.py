"""Fuzzing every Discord input surface through the real client (issue 7, bounded: a few seconds).

Hypothesis builds INTERACTION_CREATE payloads for every command, subcommand and autocomplete
of ours (plus names we do not have), with options right, wrong, missing, extra, of the wrong
type, out of range, huge or hostile, and the fake Discord dispatches them to the real
discord.py client running our adapter over the real core.  Whatever arrives:

* the interaction is acknowledged within Discord's 3-second deadline (the fake refuses a
  later callback), and a deferred one is then answered;
* every message is one Discord accepts (limits) and pings nobody;
* an error is one line, shown only to the asker, with no exception text;
* nothing stored is lost: a subscription in another channel, another server's source and the
  articles stay.

Discord itself validates option types and ranges before it sends an interaction; these
payloads go further than Discord would let them, so the adapter is tested on its own checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from adapters.discord import DiscordAdapter
from bot import messages
from bot.models import ChannelRef
from tests.fakes.discord_fake import (
    ADMIN_PERMISSIONS,
    EPHEMERAL,
    MEMBER_PERMISSIONS,
    DiscordFake,
    message_mentions,
    message_problems,
)
from tests.support.discord_system import GUILD, OTHER_CHANNEL, OTHER_GUILD, Core

STRING, INTEGER, BOOLEAN, NUMBER = 3, 4, 5, 10

# (command, subcommand) -> the options it declares
SURFACES: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("brief", None): ("topic", "count"),
    ("briefing", "subscribe"): ("topic", "time", "timezone", "days"),
    ("briefing", "list"): (),
    ("briefing", "remove"): ("id",),
    ("briefing", "source add"): ("url",),
    ("briefing", "source list"): (),
    ("briefing", "source remove"): ("url",),
}
# What no synced command looks like (a stale sync): a group without a subcommand, a
# subcommand /brief does not have, a command we never had.
NOT_OURS: dict[tuple[str, str | None], tuple[str, ...]] = {
    ("briefing", None): (),
    ("briefing", "source"): (),
    ("brief", "subscribe"): ("topic",),
    ("unknown", None): ("topic",),
}
ours = st.sampled_from(sorted(SURFACES.items(), key=str))
surfaces = st.one_of(ours, ours, ours, st.sampled_from(sorted(NOT_OURS.items(), key=str)))

HOSTILE = [
    "korea-japan",
    "korea japan",
    "us-china",
    "08:30",
    "25:99",
    "Asia/Seoul",
    "Mars/Olympus",
    "weekdays",
    "mon,someday",
    "@everyone",
    "<@&123456789012345678>",
    "[x](http://evil.example)",
    "\u202e\u200b",
    "http://10.0.0.1/feed",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/rss",
    "http://news.example.test:1/rss",  # allowed by the test policy, nothing listening
    "file:///etc/passwd",
    "1",
    "-1",
    "",
    " ",
    "x" * 5000,
]
any_value = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
)
# The type each option is declared with, and values of that type (still hostile ones).
DECLARED = {"count": INTEGER, "id": INTEGER}  # every other option of ours is a string
typed_values = {
    STRING: st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=40)),
    INTEGER: st.one_of(st.integers(-3, 8), st.integers(min_value=-(2**70), max_value=2**70)),
}
REQUIRED = {"topic", "time", "id", "url"}


@st.composite
def interactions(draw: st.DrawFn) -> dict[str, Any]:
    """Half well-formed (declared names and types, hostile values: what Discord could send),
    half anything (what it would not)."""
    (name, sub), declared = draw(surfaces)
    options: list[dict[str, Any]] = []
    if draw(st.booleans()):
        optional = [o for o in declared if o not in REQUIRED]
        chosen = [o for o in declared if o in REQUIRED] + draw(
            st.lists(st.sampled_from(optional), unique=True) if optional else st.just([])
        )
        for option_name in chosen:
            kind = DECLARED.get(option_name, STRING)
            options.append({"name": option_name, "type": kind, "value": draw(typed_values[kind])})
    else:
        names = draw(
            st.lists(st.sampled_from([*declared, "count", "bogus"]), max_size=5, unique=True)
        )
        for option_name in names:
            kind = draw(st.sampled_from([STRING, INTEGER, BOOLEAN, NUMBER]))
            options.append({"name": option_name, "type": kind, "value": draw(any_value)})
    autocomplete = bool(options) and draw(st.integers(0, 3)) == 0
    if autocomplete:
        options[draw(st.integers(0, len(options) - 1))]["focused"] = True
    return {
        "name": name,
        "subcommand": sub,
        "options": options,
        "autocomplete": autocomplete,
        "permissions": draw(
            st.sampled_from([ADMIN_PERMISSIONS, ADMIN_PERMISSIONS, MEMBER_PERMISSIONS])
        ),
    }


def _check_message(payload: Mapping[str, Any]) -> None:
    assert message_problems(payload) == []
    assert payload.get("allowed_mentions") == {"parse": []}
    assert message_mentions(payload) == {}
    content = str(payload.get("content") or "")
    assert "Traceback" not in content
    assert "Error:" not in content


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=interactions())
async def test_any_interaction_is_acknowledged_answered_in_one_line_and_loses_nothing(
    fake: DiscordFake, adapter: DiscordAdapter, core: Core, case: dict[str, Any]
) -> None:
    elsewhere = ChannelRef("discord", str(OTHER_CHANNEL), str(GUILD))
    if not core.subscriptions.list(elsewhere):
        core.subscriptions.subscribe(elsewhere, "korea-japan", at="09:00")
    [kept_sub] = core.subscriptions.list(elsewhere)
    theirs = core.store.user_feeds("discord", str(OTHER_GUILD))
    if not theirs:
        core.store.add_user_feed(
            "https://other.example/rss", platform="discord", workspace=str(OTHER_GUILD), limit=3
        )
        theirs = core.store.user_feeds("discord", str(OTHER_GUILD))
    articles = core.store.count_articles()

    payload = fake.interaction(
        case["name"],
        case["options"],
        subcommand=case["subcommand"],
        autocomplete=case["autocomplete"],
        permissions=case["permissions"],
    )
    await fake.send_interaction(payload)
    [callback] = await fake.wait_for_request(
        "POST", rf"/interactions/{payload['id']}/{payload['token']}/callback", within=5
    )
    assert callback.status == 200, callback.body  # within the deadline, acknowledged once
    kind = callback.body["type"]
    event({4: "answered at once", 5: "deferred", 8: "suggestions"}.get(kind, str(kind)))
    if kind == 8:  # autocomplete
        choices = callback.body["data"]["choices"]
        assert len(choices) <= 25
        assert all(len(c["name"]) <= 100 and len(str(c["value"])) <= 100 for c in choices)
    elif kind == 4:  # answered at once: a refusal or a failure before the handler
        data = callback.body["data"]
        _check_message(data)
        assert data["flags"] & EPHEMERAL
        assert "\n" not in data["content"]
    else:
        assert kind == 5
        _, [answer] = await fake.wait_for_answers(payload, within=15)
        _check_message(answer.body)
        if answer.method == "POST":  # an error: after the placeholder, to the asker only
            assert answer.body["flags"] & EPHEMERAL
            assert "\n" not in answer.body["content"]
            if "Sorry, something went wrong" in answer.body["content"]:
                assert answer.body["content"] == messages.GENERIC_FAILURE

    assert [s.id for s in core.subscriptions.list(elsewhere)] == [kept_sub.id]
    assert [f.id for f in core.store.user_feeds("discord", str(OTHER_GUILD))] == [
        f.id for f in theirs
    ]
    assert core.store.count_articles() == articles
    assert fake.refused == []
    assert fake.pings == []
