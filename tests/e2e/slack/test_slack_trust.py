"""Issue 7 on Slack, end to end: a request id on every log line of a command, the briefs and ack
metrics, and hypothesis fuzzing of everything a user can type into ``/brief`` (signed requests
through the real Bolt app): one clear ephemeral line for bad input, never a traceback, nothing
stored lost.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from adapters.slack.commands import RemoveSource, Unsubscribe, parse_command
from bot import messages
from bot.errors import BadInput
from bot.logs import RequestIdFilter
from bot.metrics import REGISTRY
from bot.models import ChannelRef
from bot.store import Store
from bot.user_sources import UserSourceService
from tests.support.slack_system import ADMIN, CHANNEL, MEMBER, Slack


class Recorder(logging.Handler):
    """Every record, with the request fields ``bot.logs`` adds (as ``briefbot run`` logs)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.addFilter(RequestIdFilter())
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    handler = Recorder()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def _ours(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    """Records from briefbot's code and from Bolt (which logs through ``adapters.slack.bolt``)."""
    return [r for r in records if r.name.startswith(("adapters.slack", "bot."))]


# -- request ids -------------------------------------------------------------------------------


async def test_every_log_line_of_a_command_carries_its_request_id(
    slack: Slack, recorder: Recorder
) -> None:
    ids: list[str] = []
    for text in ["korea-japan", "korea-japn", "help"]:
        start = len(recorder.records)
        status, _, _ = await slack.command(text)
        assert status == 200
        if text != "help":  # help is answered in the ack
            expected = len(ids) + 1
            await slack.fake.wait_for(lambda: len(slack.replies()) == expected)  # noqa: B023
        lines = _ours(recorder.records[start:])
        assert lines, text
        request_ids = {getattr(r, "request_id", None) for r in lines}
        assert len(request_ids) == 1, [(r.name, r.getMessage()) for r in lines]
        [request_id] = request_ids
        assert isinstance(request_id, str)
        assert re.fullmatch(r"[0-9a-f]{12}", request_id)
        ids.append(request_id)
        assert {getattr(r, "platform", None) for r in lines} == {"slack"}
        named = [r for r in lines if r.name == "adapters.slack.handlers"]
        assert named[0].getMessage().startswith("/brief ")  # the command is logged once, named
        assert getattr(named[0], "command", None) in {"brief", "help"}
    assert len(set(ids)) == 3  # one id per command
    # Bolt's own lines about the request (verification, routing) are among them.
    assert any(r.name == "adapters.slack.bolt" for r in recorder.records)


async def test_a_command_logged_in_the_core_carries_the_id_too(
    slack: Slack, store: Store, recorder: Recorder
) -> None:
    """Work done in worker threads (asyncio.to_thread) logs under the command's id."""
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE article_mentions")
    await slack.command("korea-japan")
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    [failure] = [r for r in recorder.records if r.levelno == logging.ERROR]
    store_lines = [r for r in recorder.records if r.name.startswith("bot.store")]
    assert store_lines  # the store logged the database error from its worker thread
    request_id = getattr(failure, "request_id", None)
    assert request_id != "-"
    assert f"(request {request_id}," in failure.getMessage()
    assert {getattr(r, "request_id", None) for r in store_lines} == {request_id}
    assert request_id not in slack.replies()[0].text


# -- metrics -----------------------------------------------------------------------------------


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_briefs_served_and_ack_latency_are_counted_for_slack(slack: Slack) -> None:
    ok = _sample("briefbot_briefs_total", platform="slack", outcome="ok")
    bad = _sample("briefbot_briefs_total", platform="slack", outcome="bad_input")
    internal = _sample("briefbot_briefs_total", platform="internal", outcome="ok")
    timed = _sample("briefbot_brief_seconds_count", platform="slack")
    acks = _sample("briefbot_ack_seconds_count", platform="slack")
    within_3s = _sample("briefbot_ack_seconds_bucket", platform="slack", le="3.0")

    for text in ("korea-japan", "korea-japan 2", "korea-japn", "help"):
        await slack.command(text)
    await slack.fake.wait_for(lambda: len(slack.replies()) == 3)

    assert _sample("briefbot_briefs_total", platform="slack", outcome="ok") == ok + 2
    assert _sample("briefbot_briefs_total", platform="slack", outcome="bad_input") == bad + 1
    assert _sample("briefbot_briefs_total", platform="internal", outcome="ok") == internal
    assert _sample("briefbot_brief_seconds_count", platform="slack") == timed + 3
    assert _sample("briefbot_ack_seconds_count", platform="slack") == acks + 4  # help too
    assert _sample("briefbot_ack_seconds_bucket", platform="slack", le="3.0") == within_3s + 4

    async with slack.session.get(f"{slack.base_url}/metrics") as response:
        assert response.status == 200
        body = await response.text()
    assert re.search(r'briefbot_briefs_total\{outcome="ok",platform="slack"\} \d', body)
    assert 'briefbot_ack_seconds_bucket{le="3.0",platform="slack"}' in body


# -- fuzzing what users type -------------------------------------------------------------------

_WORDS = [
    "help", "topics", "list", "subscribe", "unsubscribe", "remove", "source", "sources", "add",
    "rm", "delete", "korea-japan", "korea", "japan", "us-china", "08:00", "25:61", "5:30", "pm",
    "Asia/Seoul", "Mars/Olympus", "weekdays", "mon,wed", "mon-fri", "1", "#1", "0", "-3",
    "99999999999999999999999", "&lt;", "&gt;", "&amp;", "<", ">", "|", "`", "*", "_", "~",
    "<https://example.com/rss|rss>", "http://10.0.0.1/feed", "http://169.254.169.254/",
    "file:///etc/passwd", "http://[::1]/", "javascript:alert(1)", "<!channel>", "@here",
    "＠everyone", "\u200b", "\u202e", "\u00a0", "\t", "\n", "\x00", "😀", "%s", "{0}", "'", '"',
    "DROP TABLE feeds;", "x" * 300,
]  # fmt: skip
_texts = st.one_of(
    st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=10)), max_size=7).map(" ".join),
    st.text(max_size=60),
)
_LISTINGS = (
    messages.SLACK_TOPICS_HEADER,
    messages.SLACK_SUB_LIST_HEADER.split("(")[0],
    messages.SLACK_SOURCE_LIST_HEADER.split("(")[0],
    "*briefbot*",  # help
)


async def _seed(slack: Slack, store: Store) -> tuple[int, int]:
    """One subscription in the channel and one user source in the workspace: what must
    survive every bad command."""
    sub = slack.subscriptions.subscribe(
        ChannelRef("slack", CHANNEL, slack.fake.team_id), "korea-japan", at="08:00"
    )
    added = store.add_user_feed(
        "https://news.example.org/rss",
        platform="slack",
        workspace=slack.fake.team_id,
        limit=5,
        name="Kept",
        outlet="Kept",
    )
    assert added.feed is not None
    return sub.id, added.feed.id


def _stored(slack: Slack, store: Store) -> tuple[Any, ...]:
    with store.engine.connect() as connection:
        articles = connection.exec_driver_sql("SELECT count(*) FROM articles").scalar()
    return (
        [s.id for s in slack.subscriptions.list()],
        [f.id for f in store.user_feeds("slack", slack.fake.team_id)],
        articles,
    )


async def _one_answer(slack: Slack, text: str, user: str) -> tuple[str, str]:
    """Send ``text`` and return its one answer (response_type, text), from the ack or from
    the response_url: every command is answered exactly once."""
    key = uuid.uuid4().hex
    status, body, _ = await slack.command(text, user=user, response_key=key)
    assert status == 200
    if body:
        answer = json.loads(body)
        return answer["response_type"], answer["text"]
    await slack.fake.wait_for(lambda: any(p.channel == key for p in slack.fake.posted), 10)
    [post] = [p for p in slack.fake.posted if p.channel == key]
    return post.response_type or "", post.text


def _check_answer(kind: str, answer: str) -> None:
    assert answer.strip()
    assert "Traceback" not in answer
    assert "Error" not in answer.split(":")[0]  # no exception class names
    if kind == "ephemeral" and not answer.startswith(_LISTINGS):
        assert "\n" not in answer, answer  # a problem is one line
    for live in ("<!channel>", "<!here>", "<!everyone>"):
        assert live not in answer


_FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_FUZZ
@given(text=_texts)
async def test_a_member_typing_anything_gets_one_answer_and_changes_nothing(
    slack: Slack, store: Store, sources: UserSourceService, text: str
) -> None:
    if not slack.subscriptions.list():
        await _seed(slack, store)
    before = _stored(slack, store)
    kind, answer = await _one_answer(slack, text, MEMBER)
    _check_answer(kind, answer)
    assert _stored(slack, store) == before
    assert slack.fake.refused == []


_admin_texts = st.tuples(
    st.sampled_from(
        ["subscribe", "unsubscribe", "source add", "source remove", "source", "remove", "list"]
    ),
    _texts,
).map(" ".join)


@_FUZZ
@given(text=_admin_texts)
async def test_an_admin_mistyping_a_change_gets_one_line_and_loses_nothing(
    slack: Slack, store: Store, sources: UserSourceService, text: str
) -> None:
    if not slack.subscriptions.list():
        await _seed(slack, store)
    [sub_id], [feed_id], _ = _stored(slack, store)
    try:
        parsed = parse_command(text)
    except BadInput:
        parsed = None
    # A well-formed removal of the seeded rows is not a mistake; everything else must keep them.
    assume(not (isinstance(parsed, Unsubscribe) and parsed.subscription_id == sub_id))
    assume(not (isinstance(parsed, RemoveSource) and parsed.which.lstrip("#") == str(feed_id)))
    kind, answer = await _one_answer(slack, text, ADMIN)
    _check_answer(kind, answer)
    stored = _stored(slack, store)
    assert sub_id in stored[0]
    assert feed_id in stored[1]
    # whatever it added (a valid subscribe), clean it up so the next example starts alike
    for extra in set(stored[0]) - {sub_id}:
        slack.subscriptions.remove(extra, ChannelRef("slack", CHANNEL, slack.fake.team_id))


async def test_a_payload_without_team_or_user_is_answered_too(slack: Slack) -> None:
    status, _, _ = await slack.command("source list", team="")
    assert status == 200
    await slack.fake.wait_for(lambda: len(slack.replies()) == 1)
    assert slack.replies()[0].text == messages.SLACK_NO_WORKSPACE
    assert slack.replies()[0].response_type == "ephemeral"
