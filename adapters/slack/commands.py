"""Parse the text of a ``/brief`` slash command into one typed command (pure, no I/O).

    /brief <topic> [count]                           -> Brief
    /brief topics [prefix]                           -> Topics
    /brief help  (or nothing)                        -> Help
    /brief subscribe <topic> <HH:MM> [zone] [days]   -> Subscribe
    /brief list                                      -> ListSubscriptions
    /brief unsubscribe <id>                          -> Unsubscribe

The parser only gives the text its shape; the core validates meaning (is the topic known, is
``25:00`` a time, is ``Mars/Olympus`` a zone) and raises its own domain errors.  Shape errors
raise :class:`bot.errors.BadInput` with a usage line for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import messages
from bot.errors import BadInput

MIN_COUNT = 1
MAX_COUNT = 5
DEFAULT_COUNT = 3

_TIME = re.compile(r"^\d{1,2}:\d{2}$")
_DAY_NAMES = frozenset(
    {
        *("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("tues", "weds", "thur", "thurs"),
    }
)
_DAY_WORDS = frozenset({"daily", "weekdays", "weekends", "everyday"})
_ID = re.compile(r"^#?(\d{1,18})$")


@dataclass(frozen=True, slots=True)
class Brief:
    topic: str
    count: int = DEFAULT_COUNT


@dataclass(frozen=True, slots=True)
class Topics:
    query: str | None = None  # `/brief topics kor`: the topics matching what was typed


@dataclass(frozen=True, slots=True)
class Help:
    pass


@dataclass(frozen=True, slots=True)
class Subscribe:
    topic: str
    at: str
    zone: str | None = None
    days: str | None = None


@dataclass(frozen=True, slots=True)
class ListSubscriptions:
    pass


@dataclass(frozen=True, slots=True)
class Unsubscribe:
    subscription_id: int


Command = Brief | Topics | Help | Subscribe | ListSubscriptions | Unsubscribe


def parse_command(text: str) -> Command:
    """The command in a ``/brief`` invocation's text.  Raises ``BadInput`` on a shape error."""
    words = _unescape(text).split()  # any whitespace, including the no-break spaces of phones
    if not words:
        return Help()
    head, rest = words[0].lower(), words[1:]
    if head in {"help", "?", "-h", "--help"}:
        return Help()
    if head == "topics":
        return Topics(query=" ".join(rest) or None)
    if head == "list":
        return ListSubscriptions()
    if head in {"unsubscribe", "remove"}:
        return _unsubscribe(rest)
    if head == "subscribe":
        return _subscribe(rest)
    return _brief(words)


def is_days(word: str) -> bool:
    """``daily``, ``weekdays`` or a comma list of day names (``mon,wed,fri``)."""
    word = word.lower()
    if word in _DAY_WORDS:
        return True
    parts = word.split(",")
    return all(part in _DAY_NAMES for part in parts)


def _brief(words: list[str]) -> Brief:
    count = DEFAULT_COUNT
    if len(words) > 1 and re.fullmatch(r"[+-]?\d+", words[-1]):
        count = int(words[-1])
        words = words[:-1]
        if not MIN_COUNT <= count <= MAX_COUNT:
            raise BadInput(messages.SLACK_USAGE_COUNT)
    return Brief(topic=" ".join(words), count=count)


def _subscribe(words: list[str]) -> Subscribe:
    times = [index for index, word in enumerate(words) if _TIME.match(word)]
    if len(times) != 1 or times[0] == 0:
        raise BadInput(messages.SLACK_USAGE_SUBSCRIBE)
    index = times[0]
    topic = " ".join(words[:index])
    zone: str | None = None
    days: str | None = None
    for word in words[index + 1 :]:
        if is_days(word) and days is None:
            days = word.lower()
        elif not is_days(word) and zone is None:
            zone = word
        else:
            raise BadInput(messages.SLACK_USAGE_SUBSCRIBE)
    return Subscribe(topic=topic, at=words[index], zone=zone, days=days)


def _unsubscribe(words: list[str]) -> Unsubscribe:
    match = _ID.match(words[0]) if len(words) == 1 else None
    if match is None:
        raise BadInput(messages.SLACK_USAGE_UNSUBSCRIBE)
    return Unsubscribe(subscription_id=int(match.group(1)))


def _unescape(text: str) -> str:
    # Slack escapes &, < and > in slash command text (https://docs.slack.dev/messaging/formatting-message-text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
