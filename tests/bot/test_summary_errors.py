"""summaries raises its own errors; the core maps them where it calls in (bot.errors)."""

from __future__ import annotations

import pytest

from bot.errors import BadInput, BriefbotError, SummaryError, from_summaries
from summaries import errors as library
from summaries import summarize


def test_the_library_errors_are_its_own() -> None:
    for cls in (library.SummaryError, library.BadOptions, library.Unsummarizable, library.TooLong):
        assert not issubclass(cls, BriefbotError)
        assert cls.__module__ == "summaries.errors"


def test_bad_options_become_bad_input_with_the_same_message() -> None:
    with pytest.raises(BadInput, match="Unknown algorithm 'gpt'") as caught, from_summaries():
        summarize("The envoys met in Singapore on Tuesday to talk.", algorithm="gpt")
    assert isinstance(caught.value.__cause__, library.BadOptions)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", library.EMPTY), ("x" * 200_001, "too long"), ("\x00" * 500 + "a", library.BINARY)],
)
def test_unsummarizable_text_becomes_a_summary_error(text: str, message: str) -> None:
    with pytest.raises(SummaryError) as caught, from_summaries():
        summarize(text)
    assert message in str(caught.value)
    assert not isinstance(caught.value, BadInput)
    assert isinstance(caught.value.__cause__, library.Unsummarizable)


def test_other_errors_pass_through_unchanged() -> None:
    with pytest.raises(KeyError), from_summaries():
        raise KeyError("not ours")
