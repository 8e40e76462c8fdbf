"""URL normalization for deduplication: one story, one key, however the link was decorated.

``normalize_url`` lower-cases the scheme and host, drops default ports, fragments and
tracking parameters (``utm_*``, ``fbclid``, ``gclid`` ...), sorts the remaining query, and
removes a trailing slash from the path.  It is a *key*, never a link we show or fetch.

``split_url`` and ``url_host`` read untrusted addresses without raising: ``urlsplit`` refuses
some (an unclosed IPv6 bracket, a host that NFKC normalization turns into separators).
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

# Parameters that only say how a reader arrived, never which page they read.
_TRACKING = re.compile(
    r"^(utm_.*|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|"
    r"mc_cid|mc_eid|_ga|_gl|_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|"
    r"ref|ref_src|ref_url|referrer|cmpid|cmp|ocid|ito|rss|taid|sr_share|share|"
    r"s_cid|spm|xtor|at_medium|at_campaign|at_custom\d*)$",
    re.IGNORECASE,
)
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
    host = parts.hostname.lower().rstrip(".")
    with contextlib.suppress(UnicodeError):  # keep hosts the idna codec refuses as given
        host = host.encode("idna").decode("ascii")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(key)
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))
