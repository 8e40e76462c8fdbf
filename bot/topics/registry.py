"""The topic registry: curated topics, every country and every pair of countries.

A topic is one country ("japan", "north-korea") or a pair ("korea-japan"); curated topics
(``[[topics]]`` in ``bot/data/topics.toml``) add a title, a description and terms about the
relationship itself.  ``resolve`` turns what a user typed into exactly one topic or raises
``UnknownTopic`` naming the closest slugs; it never guesses ("korea-japn" is refused, with
"korea-japan" suggested).  A pair in either order is one topic: "japan korea", "KR-JP" and
"South Korea and Japan" all resolve to ``korea-japan``.
"""

from __future__ import annotations

import difflib
import functools
import logging
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from bot import messages
from bot.errors import BadInput, UnknownTopic
from bot.models import TopicRef
from bot.topics.countries import Country, fold, load_countries, slugify
from bot.topics.lexicon import Lexicon, tokenize
from bot.topics.tagging import pair_entity, salience

log = logging.getLogger(__name__)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Words around or between two country names that do not change the topic.
_CONNECTORS = frozenset({"and", "vs", "versus", "v", "x", "with", "the", "relations", "ties"})
_POPULOUS_CAPITALS = 1_000_000  # capitals of smaller places are too often other things


@dataclass(frozen=True, slots=True)
class Topic:
    """What a briefing is about: one country or a pair, curated or not.

    ``entities`` are the ISO alpha-2 codes whose ``article_mentions`` weights rank articles;
    ``terms`` are the curated people, places and disputes that count as mentions.
    """

    slug: str
    title: str
    entities: tuple[str, ...]
    terms: tuple[str, ...] = ()
    curated: bool = False
    description: str | None = None

    @property
    def entity(self) -> str:
        """The ``article_mentions`` entity of this topic's own terms."""
        return f"topic:{self.slug}"

    @property
    def ranking_entity(self) -> str:
        """The entity whose articles belong to this topic: the country, or the pair's
        ``pair:`` entity (articles substantively about both)."""
        if len(self.entities) == 2:
            return pair_entity(*self.entities)
        return self.entities[0]

    def ref(self) -> TopicRef:
        return TopicRef(slug=self.slug, title=self.title)


def _key(text: str) -> str:
    """What users type, normalized: "South-Korea", "south korea", "SOUTH_KOREA" -> "south korea"."""
    return " ".join(tokenize(fold(text)))


def _strip_connectors(words: Sequence[str]) -> list[str]:
    out = list(words)
    while out and out[0] in _CONNECTORS:
        out.pop(0)
    while out and out[-1] in _CONNECTORS:
        out.pop()
    return out


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where} must be a list of strings")
    return tuple(value)


class TopicRegistry:
    """Curated topics + every country and pair; resolution, autocomplete and tagging."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self._countries = load_countries(config.get("countries", {}))
        by_population = sorted(self._countries.values(), key=lambda c: -c.population)
        self._by_population = by_population
        self._keys = self._build_keys(by_population)
        self._curated: list[Topic] = []
        self._curated_by_slug: dict[str, Topic] = {}
        self._curated_by_entities: dict[frozenset[str], Topic] = {}
        self._aliases: dict[str, Topic] = {}
        shared_terms: dict[str, tuple[str, list[str]]] = {}
        for raw in config.get("topics", []):
            topic, shared, context = self._parse_topic(raw)
            self._curated.append(topic)
            self._curated_by_slug[topic.slug] = topic
            self._curated_by_entities[frozenset(topic.entities)] = topic
            for alias in _strings(raw.get("aliases"), f"topic {topic.slug} aliases"):
                self._aliases[_key(alias)] = topic
            for term in shared:
                self._collect(shared_terms, term, [*topic.entities, topic.entity])
            for term in context:
                self._collect(shared_terms, term, [topic.entity])
        ignore = _strings(config.get("ignore", {}).get("phrases"), "[ignore] phrases")
        self._lexicon = self._build_lexicon(by_population, shared_terms, ignore)
        log.debug(
            "topic registry: %d countries, %d curated topics, %d phrases",
            len(self._countries),
            len(self._curated),
            len(self._lexicon),
        )

    # -- construction -------------------------------------------------------------------

    @classmethod
    def default(cls) -> TopicRegistry:
        """The registry of the packaged ``bot/data/topics.toml`` (built once per process)."""
        return _default_registry()

    @classmethod
    def from_toml(cls, text: str) -> TopicRegistry:
        return cls(tomllib.loads(text))

    def _parse_topic(
        self, raw: Mapping[str, Any]
    ) -> tuple[Topic, tuple[str, ...], tuple[str, ...]]:
        slug = str(raw.get("slug", ""))
        if not _SLUG.match(slug):
            raise ValueError(f"curated topic slug {slug!r} must be lowercase and hyphen-joined")
        if slug in self._curated_by_slug:
            raise ValueError(f"curated topic {slug!r} is defined twice")
        entities = tuple(str(e).upper() for e in raw.get("entities", ()))
        if not entities or any(e not in self._countries for e in entities):
            raise ValueError(f"curated topic {slug!r}: entities must be ISO alpha-2 codes")
        if frozenset(entities) in self._curated_by_entities:
            raise ValueError(f"curated topic {slug!r} repeats the entities of another topic")
        shared = _strings(raw.get("shared"), f"topic {slug} shared")
        context = _strings(raw.get("context"), f"topic {slug} context")
        people = [t for code in entities for t in self._countries[code].terms]
        topic = Topic(
            slug=slug,
            title=str(raw.get("title") or slug),
            entities=entities,
            terms=tuple(dict.fromkeys([*shared, *context, *people])),
            curated=True,
            description=raw.get("description"),
        )
        return topic, shared, context

    @staticmethod
    def _collect(into: dict[str, tuple[str, list[str]]], term: str, counts: list[str]) -> None:
        key = _key(term)
        if key in into:
            into[key][1].extend(c for c in counts if c not in into[key][1])
        else:
            into[key] = (term, list(counts))

    @staticmethod
    def _build_keys(by_population: Sequence[Country]) -> dict[str, str]:
        """Normalized name -> country code, for what users type.  Earlier levels win."""
        keys: dict[str, str] = {}
        levels: list[tuple[str, Iterable[tuple[Country, Iterable[str]]]]] = [
            ("slug", ((c, [c.slug.replace("-", " ")]) for c in by_population)),
            ("code", ((c, [c.code, c.alpha3]) for c in by_population)),
            ("name", ((c, [c.title, *c.names]) for c in by_population)),
            ("lookup", ((c, c.lookups) for c in by_population)),
            ("demonym", ((c, c.demonyms) for c in by_population)),
            ("capital", ((c, c.capitals) for c in by_population)),
        ]
        for _level, pairs in levels:
            for country, names in pairs:
                for name in names:
                    key = _key(name)
                    if key:
                        keys.setdefault(key, country.code)
        return keys

    @staticmethod
    def _build_lexicon(
        by_population: Sequence[Country],
        shared_terms: Mapping[str, tuple[str, list[str]]],
        ignore: Iterable[str],
    ) -> Lexicon:
        lexicon = Lexicon()
        for phrase in ignore:
            lexicon.add(phrase, ())
        for term, counts in shared_terms.values():
            lexicon.add(term, counts)
        # Curated names and people first, then the packages' names, demonyms and capitals;
        # within a level the more populous country keeps a contested phrase ("Chinese").
        for country in by_population:
            for term in country.terms:
                lexicon.add(term, [country.code])
        for country in by_population:
            for name in country.names:
                lexicon.add(name, [country.code])
        for country in by_population:
            for demonym in country.demonyms:
                lexicon.add(demonym, [country.code])
        capital_owners: dict[str, list[str]] = {}
        for country in by_population:
            for capital in country.capitals:
                capital_owners.setdefault(_key(capital), []).append(country.code)
        for country in by_population:
            if country.population < _POPULOUS_CAPITALS:
                continue
            for capital in country.capitals:
                if len(capital_owners[_key(capital)]) == 1:
                    lexicon.add(capital, [country.code])
        return lexicon

    # -- queries ------------------------------------------------------------------------

    def curated(self) -> list[Topic]:
        return list(self._curated)

    def country(self, code: str) -> Country:
        return self._countries[code.upper()]

    def tag(self, title: str, text: str) -> dict[str, float]:
        """Entity -> salience for an article (ISO alpha-2 codes and ``topic:<slug>``)."""
        return salience(self._lexicon, title, text)

    def resolve(self, text: str) -> Topic:
        """The one topic ``text`` names; ``UnknownTopic`` with the closest slugs otherwise."""
        if len(text) > 200:
            raise BadInput(messages.TOPIC_TOO_LONG)
        words = _strip_connectors(_key(text).split())
        if not words:
            raise BadInput(messages.NO_TOPIC_GIVEN)
        key = " ".join(words)
        slug = "-".join(words)
        if slug in self._curated_by_slug:
            return self._curated_by_slug[slug]
        if key in self._aliases:
            return self._aliases[key]
        if (code := self._keys.get(key)) is not None:
            return self.topic_for((code,))
        for i in range(1, len(words)):
            left = _strip_connectors(words[:i])
            right = _strip_connectors(words[i:])
            a = self._keys.get(" ".join(left)) if left else None
            b = self._keys.get(" ".join(right)) if right else None
            if a is not None and b is not None and a != b:
                return self.topic_for((a, b))
        raise UnknownTopic(text.strip(), self._closest(words))

    def topic_for(self, codes: Sequence[str]) -> Topic:
        """The topic of one country or a pair (the curated one when there is one)."""
        codes = tuple(dict.fromkeys(c.upper() for c in codes))
        if curated := self._curated_by_entities.get(frozenset(codes)):
            return curated
        countries = sorted((self._countries[c] for c in codes), key=lambda c: c.slug)
        return Topic(
            slug="-".join(c.slug for c in countries),
            title=" – ".join(c.title for c in countries),
            entities=tuple(c.code for c in countries),
            terms=tuple(t for c in countries for t in c.terms),
        )

    def _closest(self, words: Sequence[str]) -> list[str]:
        """Up to three known slugs closest to what was typed (curated topics first)."""
        query = "-".join(words)
        scored: dict[str, float] = {}

        def consider(slug: str) -> None:
            ratio = difflib.SequenceMatcher(None, query, slug).ratio()
            scored[slug] = max(scored.get(slug, 0.0), ratio)

        pool = {t.slug: t.slug for t in self._curated}
        pool.update({slugify(k): t.slug for k, t in self._aliases.items()})
        for key, code in self._keys.items():
            pool.setdefault(key.replace(" ", "-"), self.topic_for((code,)).slug)
        for match in difflib.get_close_matches(query, list(pool), n=6, cutoff=0.6):
            consider(pool[match])
        # A pair with one side mistyped: "korea-japn" -> korea-japan.
        keys = list(self._keys)
        for i in range(1, len(words)):
            left, right = " ".join(words[:i]), " ".join(words[i:])
            for known, unsure in ((left, right), (right, left)):
                sure = self._keys.get(known)
                if sure is None:
                    continue
                for guess in difflib.get_close_matches(unsure, keys, n=3, cutoff=0.6):
                    other = self._keys[guess]
                    if other != sure:
                        pair = self.topic_for((sure, other)).slug
                        ratio = difflib.SequenceMatcher(None, unsure, guess).ratio()
                        scored[pair] = max(scored.get(pair, 0.0), ratio)
        ranked = sorted(scored, key=lambda s: (-scored[s], s not in self._curated_by_slug, s))
        return ranked[:3]

    def suggest(self, prefix: str, limit: int = 25) -> list[TopicRef]:
        """Autocomplete: curated topics first, then countries, then pairs."""
        words = _key(prefix).split()
        query = " ".join(words)
        out: dict[str, TopicRef] = {}

        def add(topic: Topic) -> None:
            if len(out) < limit:
                out.setdefault(topic.slug, topic.ref())

        if not query:
            for topic in self._curated:
                add(topic)
            for country in self._by_population:
                add(self.topic_for((country.code,)))
            return list(out.values())
        dashed = query.replace(" ", "-")
        for topic in self._curated:
            names = [topic.slug, _key(topic.title)]
            names += [self._countries[e].slug for e in topic.entities]
            if any(dashed in n.replace(" ", "-") for n in names):
                add(topic)
        for country in self._matching_countries(query):
            add(self.topic_for((country.code,)))
        # Pairs: "korea" -> korea-<populous countries>; "korea ja" -> korea-japan, ...
        for i in range(len(words), 0, -1):
            left = self._keys.get(" ".join(words[:i]))
            if left is None:
                continue
            rest = " ".join(_strip_connectors(words[i:]))
            others = self._matching_countries(rest) if rest else self._by_population
            for other in others:
                if other.code != left:
                    add(self.topic_for((left, other.code)))
            break
        return list(out.values())

    def _matching_countries(self, query: str) -> list[Country]:
        exact = self._keys.get(query)
        dashed = query.replace(" ", "-")
        found = [
            c
            for c in self._by_population
            if c.code != exact
            and (c.slug.startswith(dashed) or any(_key(n).startswith(query) for n in c.names))
        ]
        return ([self._countries[exact]] if exact else []) + found


@functools.cache
def _default_registry() -> TopicRegistry:
    text = resources.files("bot").joinpath("data/topics.toml").read_text(encoding="utf-8")
    return TopicRegistry.from_toml(text)
