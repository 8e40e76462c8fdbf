"""``bot/data/countries.json`` ships the facts that pycountry and countryinfo give (read from
the packages, they cost ~0.15 s of every command naming a topic); it must say what the
installed packages say.  `python tools/countries.py` writes it anew after an upgrade."""

from __future__ import annotations

import tomllib
from importlib import resources

from bot.topics.countries import (
    RECORD_FIELDS,
    known_codes,
    load_countries,
    package_records,
    shipped_records,
)


def test_the_shipped_countries_are_what_the_installed_packages_give() -> None:
    shipped = shipped_records()
    assert shipped == package_records()
    assert all(tuple(record) == RECORD_FIELDS for record in shipped)


def test_the_registry_built_from_the_snapshot_equals_the_one_built_from_the_packages() -> None:
    text = resources.files("bot").joinpath("data/topics.toml").read_text(encoding="utf-8")
    overrides = tomllib.loads(text)["countries"]
    from_snapshot = load_countries(overrides)
    assert from_snapshot == load_countries(overrides, package_records())
    korea = from_snapshot["KR"]
    assert (korea.slug, korea.alpha3) == ("korea", "KOR")
    assert "Korean" in korea.demonyms
    assert "Seoul" in korea.capitals


def test_known_codes_are_every_iso_country() -> None:
    codes = known_codes()
    assert len(codes) == len(package_records()) == 249
    assert {"KR", "JP", "US", "CN", "KP", "TW"} <= codes
    assert "XX" not in codes
