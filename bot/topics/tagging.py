"""Salience: how strongly an article is about each country (and curated topic) it mentions.

Run once per article at ingest; the weights go to ``article_mentions`` and ``brief`` ranks by
them.  For every entity the article mentions (names, demonyms, capitals, curated people and
places; see ``bot.topics.lexicon``):

    weight = TITLE  if it is named in the title
           + BODY * min(1, mentions in the body / SATURATION)
           + LEAD   if the body names it early (first LEAD_SHARE of the text, at least
                    LEAD_TOKENS words)

capped at 1.  A passing mention (once, deep in the body) weighs ~0.11; an entity in the title,
or named SATURATION times, is at or above ``SUBSTANTIVE``, the bar every side of a topic must
clear for an article to belong to it.

The store adds, for every pair of countries that both clear that bar, an entity of their
own, ``pair:<A>-<B>`` (codes in order), weighted by the product of the two (``with_pairs``):
a pair topic reads its articles through one index entry instead of joining one side's
articles to the other's.
"""

from __future__ import annotations

from collections import Counter

from bot.topics.lexicon import Lexicon, tokenize

TITLE = 0.5
BODY = 0.45
LEAD = 0.05
SATURATION = 4
LEAD_SHARE = 0.2
LEAD_TOKENS = 80
SUBSTANTIVE = 0.3  # what each side of a topic needs: in the title, or named 3+ times
MIN_WEIGHT = 0.05  # below this nothing is stored
PAIR_PREFIX = "pair:"


def pair_entity(first: str, second: str) -> str:
    """The entity of articles substantively about both countries: ``pair:JP-KR``."""
    a, b = sorted((first.upper(), second.upper()))
    return f"{PAIR_PREFIX}{a}-{b}"


def with_pairs(weights: dict[str, float]) -> dict[str, float]:
    """``weights`` plus a ``pair:`` entity for every two countries both substantive."""
    countries = sorted(e for e, w in weights.items() if len(e) == 2 and w >= SUBSTANTIVE)
    for i, first in enumerate(countries):
        for second in countries[i + 1 :]:
            weights[pair_entity(first, second)] = round(weights[first] * weights[second], 6)
    return weights


def salience(lexicon: Lexicon, title: str, text: str) -> dict[str, float]:
    """Entity -> weight in (0, 1] for one article; see the module docstring."""
    in_title: Counter[str] = Counter()
    for hit in lexicon.scan(tokenize(title)):
        in_title.update(hit.entry.counts)
    body_tokens = tokenize(text)
    in_body: Counter[str] = Counter()
    first: dict[str, int] = {}
    for hit in lexicon.scan(body_tokens):
        in_body.update(hit.entry.counts)
        for entity in hit.entry.counts:
            first.setdefault(entity, hit.start)
    lead_end = max(LEAD_TOKENS, int(len(body_tokens) * LEAD_SHARE))
    weights: dict[str, float] = {}
    for entity in sorted(in_title.keys() | in_body.keys()):
        weight = (
            (TITLE if in_title[entity] else 0.0)
            + BODY * min(1.0, in_body[entity] / SATURATION)
            + (LEAD if first.get(entity, lead_end) < lead_end else 0.0)
        )
        weight = round(min(1.0, weight), 3)
        if weight >= MIN_WEIGHT:
            weights[entity] = weight
    return weights
