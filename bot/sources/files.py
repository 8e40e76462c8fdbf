"""Local files (plain text or HTML) and the bundled demo corpus.

A file may have a *sidecar*: a TOML file with the same stem next to it
(``editorial.txt`` + ``editorial.toml``) carrying what the text itself cannot say reliably::

    title = "Korea, Japan leaders meet ahead of 60th anniversary of diplomatic ties"
    outlet = "Korea JoongAng Daily"
    country = "KR"                     # ISO alpha-2 of the outlet
    kind = "editorial"                 # or "news"
    language = "en"
    published = 2025-06-18             # a date, or a datetime with its UTC offset
    url = "https://..."                # optional
    author = "..."                     # optional

The demo corpus (``bot/data/demo/``) is exactly such files, shipped inside the package.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from bot.errors import BadInput, SourceError

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
MAX_FILE_BYTES = 5 * 2**20


@dataclass(frozen=True)
class SourceDocument:
    """A piece as read from a source, before extraction and summarizing.

    Exactly one of ``text`` (plain text) and ``html`` (a whole page) is set.
    """

    origin: str  # where it came from, for reports: a path, a URL, "demo:<name>"
    text: str | None = None
    html: str | None = None
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    guid: str | None = None
    author: str | None = None
    published: datetime | None = None
    kind: str = "news"  # what the source declares: a default unless ``kind_known``
    language: str = "en"
    categories: tuple[str, ...] = ()  # the feed's own labels for the item
    kind_known: bool = False  # the kind was stated for this piece (a sidecar), not a default
    modified: datetime | None = None  # when the source last changed it (a date of last resort)
    country: str | None = None  # ISO alpha-2 of the outlet (a feed's, or a sidecar's)


def _published(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=UTC)
    raise BadInput(f"{where}: `published` must be a TOML date or datetime.")


def read_sidecar(text: str, *, where: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"{where} is not valid TOML: {exc}.") from exc
    for key in ("title", "outlet", "kind", "language", "url", "author", "country"):
        if key in data and not isinstance(data[key], str):
            raise BadInput(f"{where}: `{key}` must be a string.")
    if data.get("kind", "news") not in ("editorial", "news"):
        raise BadInput(f"{where}: `kind` must be editorial or news.")
    data["published"] = _published(data.get("published"), where)
    return data


def _looks_like_html(head: str) -> bool:
    start = head.lstrip()[:200].lower()
    return start.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head[:4096].lower()


def _first_line_title(text: str) -> str | None:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= 200 else None
    return None


def document_from_bytes(
    data: bytes, *, name: str, origin: str, meta: Mapping[str, Any] | None = None
) -> SourceDocument:
    """A document from a file's bytes; ``name`` decides text or HTML by suffix (or sniffing)."""
    if b"\x00" in data[:8192]:
        raise SourceError(f"{origin} is a binary file, not text or HTML.")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = data.decode("cp1252", errors="replace")
    if not content.strip():
        raise SourceError(f"{origin} is empty.")
    meta = dict(meta or {})
    suffix = Path(name).suffix.lower()
    is_html = suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(content))
    if suffix in TEXT_SUFFIXES and _looks_like_html(content):
        is_html = True
    title = meta.get("title") or (None if is_html else _first_line_title(content))
    return SourceDocument(
        origin=origin,
        text=None if is_html else content,
        html=content if is_html else None,
        title=title,
        outlet=meta.get("outlet"),
        url=meta.get("url"),
        author=meta.get("author"),
        published=meta.get("published"),
        kind=meta.get("kind", "news"),
        language=meta.get("language", "en"),
        kind_known="kind" in meta,
        country=(meta.get("country") or "").upper() or None,
    )


def load_file(path: Path) -> SourceDocument:
    """Read a local text or HTML file (and its sidecar, if any)."""
    path = path.expanduser()
    if not path.is_file():
        raise SourceError(f"{path} is not a file.")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SourceError(f"{path} is larger than {MAX_FILE_BYTES // 2**20} MB.")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path} cannot be read: {exc.strerror or exc}.") from exc
    meta: dict[str, Any] = {}
    sidecar = path.with_suffix(".toml")
    if sidecar != path and sidecar.is_file():
        meta = read_sidecar(sidecar.read_text(encoding="utf-8"), where=f"sidecar {sidecar}")
    return document_from_bytes(data, name=path.name, origin=str(path), meta=meta)


def _demo_dir() -> Traversable:
    return resources.files("bot").joinpath("data", "demo")


def demo_documents() -> Iterator[SourceDocument]:
    """The bundled demo corpus: real published pieces only, each with its sidecar."""
    entries = sorted(_demo_dir().iterdir(), key=lambda entry: entry.name)
    names = {entry.name for entry in entries}
    for entry in entries:
        suffix = Path(entry.name).suffix.lower()
        if suffix == ".toml" or not entry.is_file():
            continue
        sidecar_name = f"{Path(entry.name).stem}.toml"
        meta: dict[str, Any] = {}
        if sidecar_name in names:
            meta = read_sidecar(
                _demo_dir().joinpath(sidecar_name).read_text(encoding="utf-8"),
                where=f"demo sidecar {sidecar_name}",
            )
        yield document_from_bytes(
            entry.read_bytes(), name=entry.name, origin=f"demo:{entry.name}", meta=meta
        )
