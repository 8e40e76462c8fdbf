"""Bullets short enough for a phone: trimmed at a clause boundary, never mid-word."""

from __future__ import annotations

import pytest

from summaries.bullets import ELLIPSIS, MAX_BULLET_CHARS, trim_bullet

LONG_CLAUSES = (
    "The two leaders reaffirmed their resolve to develop future-oriented relations and to "
    "enhance trilateral coordination with the United States in response to regional security "
    "threats, including those posed by North Korea, and they agreed to continue shuttle "
    "diplomacy through reciprocal visits; officials said a follow-up meeting would be held in "
    "Tokyo before the end of the year."
)


def test_short_sentence_is_unchanged() -> None:
    sentence = "It is now Japan’s turn — not just with words, but with concrete actions."
    assert trim_bullet(sentence) == sentence


def test_long_sentence_is_cut_at_the_last_clause_boundary_that_fits() -> None:
    assert len(LONG_CLAUSES) > MAX_BULLET_CHARS
    trimmed = trim_bullet(LONG_CLAUSES)
    assert len(trimmed) <= MAX_BULLET_CHARS
    assert trimmed.endswith("including those posed by North Korea" + ELLIPSIS)
    assert LONG_CLAUSES.startswith(trimmed.removesuffix(ELLIPSIS))


def test_a_semicolon_in_reach_wins_over_commas() -> None:
    trimmed = trim_bullet(LONG_CLAUSES, limit=330)
    head = trimmed.removesuffix(ELLIPSIS)
    assert LONG_CLAUSES[len(head)] == ";"


def test_cut_prefers_a_dash_over_a_comma() -> None:
    sentence = (
        "Seoul was frustrated when Tokyo failed to follow through on its promise, which it had "
        "made in public and in private, to include forced labour exhibits in its bid to list "
        "the Sado mine — a minimalist memorial service only added to the tensions that had "
        "been building between the neighbours for months, and that the summit could not ease."
    )
    trimmed = trim_bullet(sentence, limit=200)
    assert trimmed == sentence[: sentence.index(" — ")] + ELLIPSIS


def test_no_boundary_falls_back_to_a_word_boundary() -> None:
    sentence = " ".join(["diplomacy"] * 60) + "."
    trimmed = trim_bullet(sentence, limit=100)
    assert len(trimmed) <= 100
    assert trimmed.endswith("diplomacy" + ELLIPSIS)


def test_an_open_quotation_is_closed_after_the_ellipsis() -> None:
    sentence = (
        "Lee described the relationship as “inseparable, like neighbors sharing a yard, and "
        "bound by history, geography and a shared interest in the security of the region, which "
        "neither can secure alone, as both governments have said in every joint statement”."
    )
    trimmed = trim_bullet(sentence, limit=120)
    assert len(trimmed) <= 120
    assert trimmed.endswith(ELLIPSIS + "”")
    assert trimmed.count("“") == trimmed.count("”")


@pytest.mark.parametrize("limit", [60, 100, 140, 200, 280])
def test_limits_hold_and_cuts_are_never_mid_word(limit: int) -> None:
    trimmed = trim_bullet(LONG_CLAUSES, limit=limit)
    assert len(trimmed) <= limit
    head = trimmed.rstrip("”’\"'").removesuffix(ELLIPSIS)
    assert LONG_CLAUSES.startswith(head)
    following = LONG_CLAUSES[len(head) : len(head) + 1]
    assert following in {" ", ",", ";", ":", "—", "–", ""}
