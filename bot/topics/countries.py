"""Every country, from maintained data packages, with the curated corrections of topics.toml.

pycountry (ISO 3166) gives the codes and the official, short and common names; countryinfo
gives demonyms, capitals, alternative spellings and population (used to break ties: "Chinese"
is China's demonym before Hong Kong's).  ``[countries.XX]`` tables in ``bot/data/topics.toml``
add what the news says that the packages do not ("Korea" is the Republic of Korea, "Korean"
its demonym, "Washington" the US) and pick short slugs ("korea", "us", "uk").

The packages' facts ship as ``bot/data/countries.json`` (written by `python
tools/countries.py` from the installed packages; ``tests/bot/test_countries_snapshot.py``
fails when the two disagree): importing pycountry and reading countryinfo's 250 files cost
about 0.15 s of every command that names a topic, for facts that change with a package
release, not between runs.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

log = logging.getLogger(__name__)

_NO_PLURAL = ("ese", "sh", "ch", "ss", "s", "x", "z")


@dataclass(frozen=True, slots=True)
class Country:
    """One country and every way the news and users name it."""

    code: str  # ISO alpha-2, also its entity in article_mentions
    alpha3: str
    slug: str
    title: str
    names: tuple[str, ...]  # proper names found in text ("Japan", "Nippon" is not here)
    demonyms: tuple[str, ...]  # with plurals ("Korean", "Koreans")
    capitals: tuple[str, ...]
    terms: tuple[str, ...]  # curated: leaders, institutions, seats of government
    lookups: tuple[str, ...]  # everything a user may type for it (names, codes, spellings)
    population: int


def fold(text: str) -> str:
    """Lowercase ASCII-ish form for matching what users type ("Côte" -> "cote")."""
    if text.isascii():  # most names: NFKD changes nothing, casefold is lower
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text).replace("'", "")).strip("-")


def plural(demonym: str) -> str | None:
    word = demonym.split()[-1].lower()
    return None if word.endswith(_NO_PLURAL) else demonym + "s"


def _usable_name(name: str | None) -> str | None:
    """An ISO name usable as running text: "Korea, Republic of" is not, "Viet Nam" is."""
    if not name or "," in name or "(" in name:
        return None
    return name[4:] if name.lower().startswith("the ") else name


def _split_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,/]", value) if part.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


# The facts load_countries takes from the packages, per country (pycountry's order).
RECORD_FIELDS = (
    "alpha_2",
    "alpha_3",
    "name",
    "official_name",
    "common_name",
    "info_name",
    "demonym",
    "capital",
    "alt_spellings",
    "population",
)


def package_records() -> list[dict[str, Any]]:
    """The facts of every ISO 3166 country as the installed pycountry and countryinfo give
    them: what ``bot/data/countries.json`` ships (``tools/countries.py`` writes it)."""
    import pycountry
    from countryinfo import all_countries

    info: dict[str, dict[str, Any]] = {}
    for entry in all_countries():
        record = entry.info()
        code = str((record.get("ISO") or {}).get("alpha2") or "").upper()
        if code and code not in info:  # the first (sovereign) record of a code wins
            info[code] = dict(record)
    records = []
    for iso in pycountry.countries:
        data = info.get(iso.alpha_2, {})
        records.append(
            {
                "alpha_2": iso.alpha_2,
                "alpha_3": iso.alpha_3,
                "name": iso.name,
                "official_name": getattr(iso, "official_name", None),
                "common_name": getattr(iso, "common_name", None),
                "info_name": data.get("name"),
                "demonym": data.get("demonym"),
                "capital": data.get("capital"),
                "alt_spellings": data.get("altSpellings"),
                "population": data.get("population"),
            }
        )
    return records


def shipped_records() -> list[dict[str, Any]]:
    """The records of ``bot/data/countries.json``."""
    text = resources.files("bot").joinpath("data/countries.json").read_text(encoding="utf-8")
    records: list[dict[str, Any]] = json.loads(text)["countries"]
    return records


@functools.cache
def known_codes() -> frozenset[str]:
    """Every ISO 3166 alpha-2 code (read once per process)."""
    return frozenset(record["alpha_2"] for record in shipped_records())


def _dedupe(items: Iterable[str | None]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        if item and item.strip():
            seen.setdefault(fold(item.strip()), item.strip())
    return tuple(seen.values())


def load_countries(
    overrides: Mapping[str, Mapping[str, Any]],
    records: Iterable[Mapping[str, Any]] | None = None,
) -> dict[str, Country]:
    """All ISO 3166 countries by alpha-2 code, from ``records`` (the shipped ones unless
    given), with ``overrides`` (topics.toml) applied."""
    records = list(shipped_records() if records is None else records)
    unknown = set(overrides) - {record["alpha_2"] for record in records}
    if unknown:
        raise ValueError(f"topics.toml names unknown country codes: {sorted(unknown)}")
    countries: dict[str, Country] = {}
    for record in records:
        code = record["alpha_2"]
        extra = overrides.get(code, {})
        common = record["common_name"]
        official = _usable_name(record["official_name"])
        ci_name = _usable_name(record["info_name"])
        iso_name = _usable_name(record["name"])
        title = str(extra.get("title") or common or ci_name or iso_name or record["name"])
        names = _dedupe([*extra.get("names", ()), common, ci_name, iso_name, official])
        demonyms: list[str] = []
        for demonym in [*extra.get("demonyms", ()), *_split_list(record["demonym"])]:
            demonyms.append(demonym)
            if (many := plural(demonym)) is not None:
                demonyms.append(many)
        capitals = _dedupe(_split_list(record["capital"]))
        lookups = _dedupe(
            [
                *names,
                title,
                record["name"],
                record["official_name"],
                *_split_list(record["alt_spellings"]),
                *demonyms,
            ]
        )
        countries[code] = Country(
            code=code,
            alpha3=record["alpha_3"],
            slug=str(extra.get("slug") or slugify(title)),
            title=title,
            names=names,
            demonyms=_dedupe(demonyms),
            capitals=capitals,
            terms=tuple(extra.get("terms", ())),
            lookups=lookups,
            population=int(record["population"] or 0),
        )
    slugs: dict[str, str] = {}
    for country in countries.values():
        if country.slug in slugs:
            raise ValueError(
                f"two countries share the slug {country.slug!r}: "
                f"{slugs[country.slug]} and {country.code}; set one in topics.toml"
            )
        slugs[country.slug] = country.code
    log.debug("loaded %d countries", len(countries))
    return countries
