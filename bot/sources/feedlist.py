"""The operator's feed list: the packaged curated one, or ``BRIEFBOT_FEEDS_FILE`` instead.

Shape (CONTRACT "Settings"): ``[[feeds]]`` tables with ``url`` (required), ``name``,
``outlet``, ``country`` (ISO 3166 alpha-2 of the outlet), ``kind`` (``editorial``/``news``:
a default only, each piece's own kind is decided from the piece), ``language``, ``type``
(``feed``, the default: RSS/Atom; ``sitemap``: a news or plain XML sitemap; ``page``: a
section page whose article links are followed) and ``match`` (sitemaps and pages: only links
containing it).  A file with no ``[[feeds]]`` means no feeds.  Anything else wrong is a
``BadInput`` naming the file and the problem.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from bot.errors import BadInput
from bot.store.urls import split_url

KINDS = ("editorial", "news")
SOURCE_TYPES = ("feed", "sitemap", "page")
_KEYS = {"url", "name", "outlet", "country", "kind", "language", "type", "match"}


@dataclass(frozen=True)
class FeedSpec:
    url: str
    name: str | None = None
    outlet: str | None = None
    kind: str = "news"
    language: str = "en"
    country: str | None = None  # ISO 3166 alpha-2, upper case
    type: str = "feed"  # feed | sitemap | page
    match: str | None = None  # sitemap/page: follow only links containing this


def packaged_feed_list() -> str:
    return resources.files("bot").joinpath("data", "feeds.toml").read_text(encoding="utf-8")


def load_feed_list(path: Path | None = None) -> list[FeedSpec]:
    """The feeds of ``path`` (or of the packaged list when ``path`` is None)."""
    if path is None:
        return parse_feed_list(packaged_feed_list(), origin="the packaged feed list")
    try:
        text = path.expanduser().read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BadInput(f"Feeds file {path} does not exist.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"Feeds file {path} cannot be read: {exc}.") from exc
    return parse_feed_list(text, origin=f"feeds file {path}")


def _string(entry: dict[str, Any], key: str, where: str) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadInput(f"{where}: `{key}` must be a string.")
    return value.strip() or None


def parse_feed_list(text: str, *, origin: str) -> list[FeedSpec]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"{origin[0].upper()}{origin[1:]} is not valid TOML: {exc}.") from exc
    raw = data.get("feeds", [])
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise BadInput(f"{origin[0].upper()}{origin[1:]}: `feeds` must be [[feeds]] tables.")
    specs: list[FeedSpec] = []
    seen: set[str] = set()
    for number, entry in enumerate(raw, start=1):
        where = f"{origin}, feed {number}"
        unknown = sorted(set(entry) - _KEYS)
        if unknown:
            raise BadInput(f"{where}: unknown key(s) {', '.join(unknown)}.")
        url = _string(entry, "url", where)
        if not url:
            raise BadInput(f"{where}: `url` is required.")
        parts = split_url(url)
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise BadInput(f"{where}: `{url}` is not an http(s) URL.")
        kind = _string(entry, "kind", where) or "news"
        if kind not in KINDS:
            raise BadInput(f"{where}: `kind` must be one of {', '.join(KINDS)}, not `{kind}`.")
        source_type = _string(entry, "type", where) or "feed"
        if source_type not in SOURCE_TYPES:
            raise BadInput(
                f"{where}: `type` must be one of {', '.join(SOURCE_TYPES)}, not `{source_type}`."
            )
        match = _string(entry, "match", where)
        if match is not None and source_type == "feed":
            raise BadInput(f"{where}: `match` is for sitemap and page sources, not feeds.")
        if url in seen:
            continue
        seen.add(url)
        specs.append(
            FeedSpec(
                url=url,
                name=_string(entry, "name", where),
                outlet=_string(entry, "outlet", where),
                kind=kind,
                language=_string(entry, "language", where) or "en",
                country=_country(entry, where),
                type=source_type,
                match=match,
            )
        )
    return specs


def _country(entry: dict[str, Any], where: str) -> str | None:
    code = _string(entry, "country", where)
    if code is None:
        return None
    from bot.topics.countries import known_codes

    if code.upper() not in known_codes():
        raise BadInput(
            f"{where}: `country` must be an ISO 3166 alpha-2 code (KR, JP), not `{code}`."
        )
    return code.upper()
