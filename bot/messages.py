"""User-facing strings, in one place (chat replies and CLI lines).

Domain errors carry their own sentence (bot.errors); this module holds the rest: generic
failure lines, help text, empty-state notes.  Keep them short, friendly and free of internals.
"""

from __future__ import annotations

GENERIC_FAILURE = "Sorry, something went wrong on our side. It has been logged; please try again."
NOTHING_ON_TOPIC = "No recent pieces on {topic} yet."
NOTHING_NEW_SINCE = "Nothing new on {topic} since {since}."
