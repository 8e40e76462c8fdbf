"""Every country, from maintained data packages, with the curated corrections of topics.toml.

pycountry (ISO 3166) gives the codes and the official, short and common names; countryinfo
gives demonyms, capitals, alternative spellings and population (used to break ties: "Chinese"
is China's demonym before Hong Kong's).  ``[countries.XX]`` tables in ``bot/data/topics.toml``
add what the news says that the packages do not ("Korea" is the Republic of Korea, "Korean"
its demonym, "Washington" the US) and pick short slugs ("korea", "us", "uk").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pycountry

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


def _countryinfo_by_code() -> dict[str, dict[str, Any]]:
    """countryinfo's records by alpha-2; the first (sovereign) record of a code wins."""
    from countryinfo import all_countries

    records: dict[str, dict[str, Any]] = {}
    for entry in all_countries():
        info = entry.info()
        code = str((info.get("ISO") or {}).get("alpha2") or "").upper()
        if code and code not in records:
            records[code] = dict(info)
    return records


def _dedupe(items: Iterable[str | None]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        if item and item.strip():
            seen.setdefault(fold(item.strip()), item.strip())
    return tuple(seen.values())


def load_countries(overrides: Mapping[str, Mapping[str, Any]]) -> dict[str, Country]:
    """All ISO 3166 countries by alpha-2 code, with ``overrides`` (topics.toml) applied."""
    info = _countryinfo_by_code()
    unknown = set(overrides) - {c.alpha_2 for c in pycountry.countries}
    if unknown:
        raise ValueError(f"topics.toml names unknown country codes: {sorted(unknown)}")
    countries: dict[str, Country] = {}
    for iso in pycountry.countries:
        code = iso.alpha_2
        extra = overrides.get(code, {})
        data = info.get(code, {})
        common = getattr(iso, "common_name", None)
        official = _usable_name(getattr(iso, "official_name", None))
        ci_name = _usable_name(data.get("name"))
        iso_name = _usable_name(iso.name)
        title = str(extra.get("title") or common or ci_name or iso_name or iso.name)
        names = _dedupe([*extra.get("names", ()), common, ci_name, iso_name, official])
        demonyms: list[str] = []
        for demonym in [*extra.get("demonyms", ()), *_split_list(data.get("demonym"))]:
            demonyms.append(demonym)
            if (many := plural(demonym)) is not None:
                demonyms.append(many)
        capitals = _dedupe(_split_list(data.get("capital")))
        lookups = _dedupe(
            [
                *names,
                title,
                iso.name,
                getattr(iso, "official_name", None),
                *_split_list(data.get("altSpellings")),
                *demonyms,
            ]
        )
        countries[code] = Country(
            code=code,
            alpha3=iso.alpha_3,
            slug=str(extra.get("slug") or slugify(title)),
            title=title,
            names=names,
            demonyms=_dedupe(demonyms),
            capitals=capitals,
            terms=tuple(extra.get("terms", ())),
            lookups=lookups,
            population=int(data.get("population") or 0),
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
