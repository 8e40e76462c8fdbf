"""Parse the text of a ``/brief`` slash command into one typed command (pure, no I/O).

    /brief <topic> [count]                           -> Brief
    /brief topics [prefix]                           -> Topics
    /brief help  (or nothing)                        -> Help
    /brief subscribe <topic> <HH:MM> [zone] [days]   -> Subscribe
    /brief list                                      -> ListSubscriptions
    /brief unsubscribe <id>                          -> Unsubscribe
    /brief resume <id>                               -> Resume
    /brief preview <id>                              -> Preview
    /brief source add <url>                          -> AddSource
    /brief source list   (or: /brief sources)        -> ListSources
    /brief source remove <url or id>                 -> RemoveSource

The parser only gives the text its shape; the core validates meaning (is the topic known, is
``25:00`` a time, is ``Mars/Olympus`` a zone, is that URL a safe feed) and raises its own
domain errors.  Shape errors
raise :class:`bot.errors.BadInput` with a usage line for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot import messages
from bot.errors import BadInput, BadSchedule
from bot.subscriptions import days_guess, parse_days, parse_zone

MIN_COUNT = 1
MAX_COUNT = 5
DEFAULT_COUNT = 3

# What looks like a time; the core says whether it is one ("25:00" is not) and normalizes it.
_TIME = re.compile(r"^\d{1,2}[:.h]\d{2}$|^\d{1,2}(?::\d{2})?[ap]\.?m\.?$", re.IGNORECASE)
_HOUR = re.compile(r"^\d{1,2}(?::\d{2})?$")
_MERIDIEM = re.compile(r"^[ap]\.?m\.?$", re.IGNORECASE)
# Not HH:MM, but what someone means as the time ("8", "0800", "noon"): the core accepts it or
# answers with the HH:MM it probably means, better than the usage line.
_LOOSE_TIME = re.compile(r"^\d{1,4}$|^(noon|midday|midnight)$", re.IGNORECASE)
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


@dataclass(frozen=True, slots=True)
class Resume:
    subscription_id: int


@dataclass(frozen=True, slots=True)
class Preview:
    subscription_id: int  # what its next run would post, shown only to the asker


@dataclass(frozen=True, slots=True)
class AddSource:
    url: str  # as typed (Slack may wrap it as ``<url>``; the core cleans it)


@dataclass(frozen=True, slots=True)
class ListSources:
    pass


@dataclass(frozen=True, slots=True)
class RemoveSource:
    which: str  # an id from ``/brief source list`` or the feed's URL


Command = (
    Brief
    | Topics
    | Help
    | Subscribe
    | ListSubscriptions
    | Unsubscribe
    | Resume
    | Preview
    | AddSource
    | ListSources
    | RemoveSource
)


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
    if head == "resume":
        return Resume(subscription_id=_id(rest, messages.SLACK_USAGE_RESUME))
    if head == "preview":
        return Preview(subscription_id=_id(rest, messages.SLACK_USAGE_PREVIEW))
    if head == "subscribe":
        return _subscribe(rest)
    if head in {"source", "sources"}:
        return _source(rest, plural=head == "sources")
    return _brief(words)


def is_days(word: str) -> bool:
    """A word the core reads as days: ``daily``, ``weekdays``, ``mon,wed,fri``, ``mon-fri``."""
    try:
        parse_days(word)
    except BadSchedule:
        return False
    return bool(word.strip())


def _days_typo(word: str) -> bool:
    """A near miss of days ("wekdays", "mon,wen"), not a zone: the core answers with the fix.

    Three letters alone are read as a zone ("kst" is not "sat").
    """
    if not (len(word) > 3 or "," in word or "-" in word) or days_guess(word) is None:
        return False
    return not _is_zone(word)


def _is_zone(text: str) -> bool:
    try:
        parse_zone(text)
    except BadSchedule:
        return False
    return True


def _brief(words: list[str]) -> Brief:
    count = DEFAULT_COUNT
    if len(words) > 1 and re.fullmatch(r"[+-]?\d+", words[-1]):
        count = int(words[-1])
        words = words[:-1]
        if not MIN_COUNT <= count <= MAX_COUNT:
            raise BadInput(messages.SLACK_USAGE_COUNT)
    return Brief(topic=" ".join(words), count=count)


def _subscribe(words: list[str]) -> Subscribe:
    # "5:30 pm" arrives as two words: join them first.
    joined: list[str] = []
    for word in words:
        if joined and _MERIDIEM.match(word) and _HOUR.match(joined[-1]):
            joined[-1] += word
        else:
            joined.append(word)
    times = [index for index, word in enumerate(joined) if _TIME.match(word)]
    if not times:
        times = [index for index, word in enumerate(joined) if index and _LOOSE_TIME.match(word)]
    if len(times) != 1 or times[0] == 0:
        raise BadInput(messages.SLACK_USAGE_SUBSCRIBE)
    index = times[0]
    zones: list[str] = []
    days: list[str] = []
    for word in joined[index + 1 :]:
        (days if is_days(word) or _days_typo(word) else zones).append(word)
    if len(zones) > 1 and _is_zone(" ".join(zones)):  # a city of two words: "New York"
        zones = [" ".join(zones)]
    if len(zones) > 1:
        raise BadInput(messages.SLACK_USAGE_SUBSCRIBE)
    return Subscribe(
        topic=" ".join(joined[:index]),
        at=joined[index],
        zone=zones[0] if zones else None,
        days=",".join(day.strip(",").lower() for day in days) if days else None,
    )


def _unsubscribe(words: list[str]) -> Unsubscribe:
    return Unsubscribe(subscription_id=_id(words, messages.SLACK_USAGE_UNSUBSCRIBE))


def _id(words: list[str], usage: str) -> int:
    match = _ID.match(words[0]) if len(words) == 1 else None
    if match is None:
        raise BadInput(usage)
    return int(match.group(1))


def _source(words: list[str], *, plural: bool) -> AddSource | ListSources | RemoveSource:
    if not words:
        if plural:  # `/brief sources`: the list
            return ListSources()
        raise BadInput(messages.SLACK_USAGE_SOURCE)
    action, rest = words[0].lower(), words[1:]
    if action == "list" and not rest:
        return ListSources()
    if action == "add" and rest:
        return AddSource(url=" ".join(rest))
    if action in {"remove", "delete", "rm"} and len(rest) == 1:
        return RemoveSource(which=rest[0])
    raise BadInput(messages.SLACK_USAGE_SOURCE)


def _unescape(text: str) -> str:
    # Slack escapes &, < and > in slash command text (https://docs.slack.dev/messaging/formatting-message-text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
