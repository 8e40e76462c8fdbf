"""URL normalization for deduplication: one story, one key, however the link was decorated.

``normalize_url`` is a *key*, never a link we show or fetch.  courlan (trafilatura's URL
library) normalizes the address itself: lower-case scheme and host, the host in Unicode
whether it was written in Unicode or punycode, one slash at a time, no leading ``/..``, the
path percent-encoded one way (``/été`` and ``/%C3%A9t%C3%A9`` are one page).  We keep our own
rules where courlan's would merge different pages into one key, which would drop the later
article as a "duplicate":

* the query: courlan drops parameters without a value (``news.php?12345``, every article of
  a site one key) and any parameter whose name merely *contains* a tracker word (``gallery``,
  ``source``, ``uid``, ``session``); we drop only the tracking parameters named below, keep
  the rest with their blank values, sorted;
* courlan unescapes HTML entities in the whole address first (``&region=`` becomes
  ``®ion=``): we hand it the parsed parts, never the text;
* fragments go (courlan keeps them unless "strict", which also drops every query parameter
  outside a short list), a trailing slash goes (``/a/`` is ``/a``; the root stays ``/``), and
  a port that is not a number is ignored rather than kept.

``split_url`` and ``url_host`` read untrusted addresses without raising: ``urlsplit`` refuses
some (an unclosed IPv6 bracket, a host that NFKC normalization turns into separators).
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit

# Parameters that only say how a reader arrived, never which page they read (ours, with
# courlan's whole-prefix ones: Matomo/Piwik pk_ and mtm_, itm_, Yandex ysclid).
_TRACKING = re.compile(
    r"^(utm_.*|pk_.*|mtm_.*|itm_.*|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|"
    r"ysclid|twclid|igshid|mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|"
    r"vero_id|ref|ref_src|ref_url|referrer|cmpid|cmp|ocid|ito|rss|taid|sr_share|share|"
    r"s_cid|spm|xtor|at_medium|at_campaign|at_custom\d*)$",
    re.IGNORECASE,
)
_ESCAPE = re.compile(r"%[0-9a-f]{2}", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def split_url(url: str) -> SplitResult | None:
    """``urlsplit(url)``, or None when urlsplit refuses the address."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def url_host(url: str | None) -> str | None:
    """The host of ``url`` (lower-cased, without ``www.``), or None when it has none."""
    parts = split_url(url) if url else None
    if parts is None:
        return None
    try:
        host = parts.hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def normalize_url(url: str) -> str:
    """The dedup key of ``url`` (see the module docstring).  Non-http(s) input, or input
    ``urlsplit`` refuses, comes back stripped of whitespace only, so it still compares equal
    to itself."""
    raw = url.strip()
    parts = split_url(raw)
    if parts is None:
        return raw
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return raw
    host = parts.hostname.rstrip(".")
    # IDNA first maps look-alike spellings (full-width letters) to one; courlan then shows
    # every punycode label in Unicode.
    with contextlib.suppress(UnicodeError):  # keep hosts the idna codec refuses as given
        host = host.encode("idna").decode("ascii")
    try:
        port = parts.port
    except ValueError:
        port = None
    if ":" in host:  # an IPv6 address, which urlsplit gave without its brackets
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    from courlan import normalize_url as courlan_normalize  # 0.1 s to import: when needed

    address = courlan_normalize(
        SplitResult(scheme, netloc, parts.path or "/", "", ""), strict=True, trailing_slash=False
    )
    address = _ESCAPE.sub(lambda escape: escape[0].upper(), address)  # %c3 is %C3
    if not urlsplit(address).path:  # "/.." went altogether
        address += "/"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(key)
    )
    return f"{address}?{urlencode(query)}" if query else address
