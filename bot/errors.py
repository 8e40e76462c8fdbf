"""The one exception tree of briefbot.

    BriefbotError                  anything the product raises on purpose; its message is
    │                              a user-facing sentence (safe to show in chat or on stderr)
    ├── BadInput                   the user or operator gave us something we cannot use (exit 2)
    │   ├── UnknownTopic           a topic slug nobody knows; carries the closest slugs
    │   ├── BadSchedule            a time, zone, day list or cron expression that does not parse
    │   └── NotFound               an id (subscription, feed) that does not exist
    ├── SourceError                a feed, page or file could not be fetched or read
    │   └── UnsafeURL              an untrusted URL that points somewhere we will not go
    ├── SummaryError               text that cannot be summarized (empty, binary, not prose)
    │                              (``summaries`` has its own tree: see ``from_summaries``)
    ├── StoreError                 the database is unreachable or refused a write
    └── DeliveryError              a platform refused a briefing
        └── ChannelUnavailable     403/404/archived: the subscription must be paused

Adapters show the message of a BriefbotError to the user and a generic line for anything
else (which they log with context).  Messages never contain secrets or tracebacks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager


class BriefbotError(Exception):
    """Base of everything briefbot raises on purpose.  ``str(err)`` is user-facing."""


class BadInput(BriefbotError):
    """Bad input or usage: CLI exit code 2, an ephemeral reply in chat."""


class UnknownTopic(BadInput):
    def __init__(self, slug: str, suggestions: Sequence[str] = ()) -> None:
        self.slug = slug
        self.suggestions = tuple(suggestions)
        hint = (
            "closest: " + ", ".join(self.suggestions)
            if self.suggestions
            else "try `topics` for the list"
        )
        super().__init__(f"Unknown topic '{slug}'; {hint}.")


class BadSchedule(BadInput):
    """A schedule (time, zone, days, cron) that does not parse."""


class NotFound(BadInput):
    """An id that does not exist (subscription, feed)."""


class SourceError(BriefbotError):
    """A feed, page or file could not be fetched or read."""


class UnsafeURL(SourceError):
    """An untrusted URL pointing at a private, loopback or otherwise refused address."""


class SummaryError(BriefbotError):
    """Text that cannot be summarized: empty, binary, or not prose."""


class StoreError(BriefbotError):
    """The database is unreachable or refused a write."""


class DeliveryError(BriefbotError):
    """A platform refused to take a briefing (after retries)."""


class ChannelUnavailable(DeliveryError):
    """The channel is gone, archived, or the bot may not post there: pause the subscription."""


@contextmanager
def from_summaries() -> Iterator[None]:
    """Where the core calls ``summaries``: the library's errors (``summaries.errors``) become
    the core's, their message unchanged.  Bad options are :class:`BadInput`; text that
    cannot be summarized is :class:`SummaryError` (both exit 2, an ephemeral reply in chat)."""
    from summaries.errors import BadOptions
    from summaries.errors import SummaryError as LibraryError

    try:
        yield
    except BadOptions as exc:
        raise BadInput(str(exc)) from exc
    except LibraryError as exc:
        raise SummaryError(str(exc)) from exc
