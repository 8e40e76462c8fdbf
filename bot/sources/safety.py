"""Fetching URLs that users gave us: the SSRF guard (issue 7).

Operator feeds are trusted; a feed a chat user adds is not.  Its URL could point at the
bot's own machine (``http://127.0.0.1:3000/``), the private network behind it, or a cloud
metadata service (``http://169.254.169.254/``).  ``UrlPolicy`` refuses all of those:

    policy = UrlPolicy()                          # production: public addresses only
    async with policy.client(user_agent=ua) as http:
        result = await http.fetch(url)            # UnsafeURL (a SourceError) when refused

What is checked, for the first URL and for every redirect target:

* the scheme is http or https, the URL carries no user name or password, and the host is
  a DNS name or a plain IP address: integer, octal, hex and short IPv4 forms
  (``2130706433``, ``0177.0.0.1``, ``0x7f.1``, ``127.1``) are refused outright, since
  resolvers disagree on what they mean, and so are local-only names (``localhost``,
  ``*.local``, ``*.internal``, ``*.home.arpa``);
* the host's *every* address is public: not loopback, private (RFC 1918, IPv6 ULA),
  link-local, multicast, reserved, unspecified, shared (CGNAT ``100.64.0.0/10``),
  documentation or otherwise not globally routable.  IPv6 forms that embed an IPv4 address
  (IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, 6to4 ``2002::/16``,
  Teredo, NAT64 ``64:ff9b::/96``) are judged by the address they embed as well;
* the TCP connection goes to an address that was checked *at connect time*: the client's
  transport resolves the name itself, checks every address and dials the IP, while the
  ``Host`` header and TLS SNI/certificate checks keep the name.  A DNS answer that changes
  between the check and the connection (DNS rebinding) cannot slip a private address in;
* size, time and redirect caps are the ``HttpClient``'s, set tighter for untrusted URLs
  (``UNTRUSTED_LIMITS``); environment proxies are never used for them (a proxy would
  resolve the name itself).

Tests serve "public" feeds from 127.0.0.1 through an explicit allowance, a constructor
argument that nothing in the settings or environment can set::

    UrlPolicy(allow_networks=["127.0.0.1/32"], resolver=StaticResolver({"news.test": [...]}))
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import socket
import ssl
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import httpcore
import httpx

from bot.errors import UnsafeURL
from bot.sources.http import FetchError, HttpClient

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[Sequence[str]]]
"""``async resolver(host, port) -> [address, ...]``: every address the name resolves to."""

# Caps for URLs users gave us (HttpClient keyword arguments): smaller bodies, shorter waits,
# fewer redirects and retries than the operator's feeds get.
UNTRUSTED_LIMITS: Final[Mapping[str, Any]] = {
    "timeout": 15.0,
    "connect_timeout": 5.0,
    "max_bytes": 3 * 2**20,
    "max_redirects": 3,
    "attempts": 2,
}

_SHARED = ipaddress.IPv4Network("100.64.0.0/10")  # RFC 6598, carrier-grade NAT
_PRIVATE: Final = tuple(  # RFC 1918 and IPv6 unique local addresses (RFC 4193)
    ipaddress.ip_network(net)
    for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_V4_COMPAT = ipaddress.IPv6Network("::/96")  # RFC 4291 IPv4-compatible (deprecated)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052 well-known prefix
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215 local-use
_HOST_NAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$")
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
# Special-use names that never mean a public host (RFC 6761 localhost, RFC 6762 mDNS .local,
# RFC 8375 home.arpa, ICANN's .internal), refused before any lookup.
_LOCAL_NAMES: Final = ("localhost", "local", "home.arpa", "internal", "localdomain")


def address_problem(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched from ("loopback", ...), or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            kind, inner = embedded
            problem = address_problem(inner)
            if problem is not None:
                return f"{problem} ({kind} {inner})"
        if address in _NAT64_LOCAL:
            return "local-use NAT64"
    if address.is_unspecified:
        return "unspecified address"
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local (where cloud metadata services live)"
    if address.is_multicast:
        return "multicast"
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED:
        return "shared address space (carrier-grade NAT)"
    if any(address in net for net in _PRIVATE if net.version == address.version):
        return "private network"
    if address.is_reserved:
        return "reserved range"
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return "site-local"
    if not address.is_global:
        return "not publicly routable"
    return None


def _embedded_ipv4(address: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    if address.ipv4_mapped is not None:
        return "IPv4-mapped", address.ipv4_mapped
    if address.sixtofour is not None:
        return "6to4", address.sixtofour
    if address.teredo is not None:
        server, client = address.teredo
        # Either end being private makes the address unusable from the public internet.
        return "Teredo", client if address_problem(client) else server
    if address in _NAT64:
        return "NAT64", ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    if address in _V4_COMPAT and int(address) > 1:  # :: and ::1 are judged as themselves
        return "IPv4-compatible", ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF)
    return None


def parse_host(host: str) -> IPAddress | None:
    """The IP address ``host`` spells, None for a DNS name; ``UnsafeURL`` for odd forms.

    Only dotted-quad IPv4 and standard IPv6 literals count as addresses.  A host made of
    numeric labels in any other form (``2130706433``, ``0177.0.0.1``, ``0x7f.0.0.1``,
    ``127.1``) is refused: ``inet_aton`` reads them as addresses, browsers and some
    resolvers do, others do not, and a guard must not guess differently from the resolver.
    """
    name = host.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if ":" in name:
        if "%" in name:
            raise UnsafeURL(
                f"`{_short(host)}` is a scoped IPv6 address; only public ones are fetched"
            )
        try:
            return ipaddress.IPv6Address(name)
        except ValueError:
            raise UnsafeURL(f"`{_short(host)}` is not a valid host name or IP address") from None
    labels = name.rstrip(".").split(".")
    if all(_NUMERIC_LABEL.match(label) for label in labels) or _NUMERIC_LABEL.match(labels[-1]):
        if len(labels) == 4 and all(
            label.isdigit() and (label == "0" or not label.startswith("0")) and int(label) < 256
            for label in labels
        ):
            return ipaddress.IPv4Address(".".join(labels))
        raise UnsafeURL(
            f"`{_short(host)}` is an IP address in a non-standard form (integer, octal, hex or "
            "shortened); write it as four decimal numbers or use the host's name"
        )
    if not _HOST_NAME.match(name):
        raise UnsafeURL(f"`{_short(host)}` is not a valid host name")
    bare = name.rstrip(".")
    if any(bare == suffix or bare.endswith("." + suffix) for suffix in _LOCAL_NAMES):
        raise UnsafeURL(f"`{_short(host)}` is a local-only name; only public hosts are fetched")
    return None


async def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's resolver (``getaddrinfo``), run off the event loop."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class StaticResolver:
    """A resolver from a fixed table (tests; pinning a name).  Unknown names do not resolve."""

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        self.table = {name.lower().rstrip("."): list(ips) for name, ips in table.items()}
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        name = host.lower().rstrip(".")
        self.lookups.append(name)
        if name not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, f"{host}: name does not resolve")
        return list(self.table[name])


class UrlPolicy:
    """Which URLs and addresses untrusted fetches may reach; see the module docstring.

    ``allow_networks`` is a test-only allowance: addresses inside these networks are
    accepted even though they are not public (e.g. ``["127.0.0.1/32"]`` to serve a feed from
    the test's own web server).  Production code builds ``UrlPolicy()`` with no allowance;
    no setting or environment variable reaches this argument.
    ``resolver`` replaces the system resolver (tests map names to addresses with it).
    """

    def __init__(
        self,
        *,
        allow_networks: Iterable[str | IPNetwork] = (),
        resolver: Resolver | None = None,
    ) -> None:
        self.allow_networks: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(net) if isinstance(net, str) else net for net in allow_networks
        )
        self._resolve = resolver or system_resolver
        if self.allow_networks:
            log.warning(
                "URL policy allows non-public networks %s (meant for tests only)",
                ", ".join(map(str, self.allow_networks)),
            )

    def __repr__(self) -> str:
        allowed = ", ".join(map(str, self.allow_networks)) or "none"
        return f"UrlPolicy(public addresses only; test allowance: {allowed})"

    # -- checks ---------------------------------------------------------------------------

    def problem(self, address: IPAddress) -> str | None:
        """Why this policy refuses ``address``, or None."""
        if any(address.version == net.version and address in net for net in self.allow_networks):
            return None
        return address_problem(address)

    def check_url(self, url: str | httpx.URL) -> httpx.URL:
        """The URL's shape: scheme, no credentials, a plain host; the parsed URL or UnsafeURL.

        IP-literal hosts are checked here too; names are resolved by :meth:`check`.
        """
        text = str(url).strip()
        if isinstance(url, str):
            # Check the host as written before httpx normalizes (or rejects) it.
            from urllib.parse import urlsplit

            try:
                parts = urlsplit(text)
                raw_host = parts.hostname
            except ValueError:
                raise UnsafeURL(f"`{_short(text)}` is not a valid URL") from None
            if parts.scheme.lower() not in ("http", "https"):
                raise UnsafeURL(f"`{_short(text)}`: only http and https URLs are accepted")
            if raw_host:
                parse_host(raw_host)
        try:
            parsed = httpx.URL(text)
        except (httpx.InvalidURL, TypeError, ValueError):
            raise UnsafeURL(f"`{_short(text)}` is not a valid URL") from None
        if parsed.scheme not in ("http", "https"):
            raise UnsafeURL(f"`{_short(text)}`: only http and https URLs are accepted")
        if not parsed.host:
            raise UnsafeURL(f"`{_short(text)}` has no host")
        if parsed.userinfo:
            raise UnsafeURL(f"`{_short(text)}`: URLs with a user name or password are not accepted")
        address = parse_host(parsed.host)
        if address is not None:
            self._refuse_if_bad(address, parsed.host)
        return parsed

    async def check(self, url: str | httpx.URL) -> list[IPAddress]:
        """Shape and every resolved address; the addresses, or ``UnsafeURL`` with the reason."""
        parsed = self.check_url(url)
        return await self.resolve(parsed.host, parsed.port or _default_port(parsed.scheme))

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Every address of ``host``, each checked; ``UnsafeURL`` if any one is refused.

        A name that does not resolve raises ``OSError`` (a connection failure, not a refusal).
        """
        literal = parse_host(host)
        if literal is not None:
            self._refuse_if_bad(literal, host)
            return [literal]
        answers = await self._resolve(host.rstrip("."), port)
        addresses: list[IPAddress] = []
        for answer in answers:
            try:
                address = ipaddress.ip_address(answer.split("%", 1)[0])
            except ValueError:
                raise UnsafeURL(
                    f"`{_short(host)}` resolved to something that is not an address"
                ) from None
            self._refuse_if_bad(address, host)
            addresses.append(address)
        if not addresses:
            raise OSError(f"{host}: no addresses")
        return addresses

    def _refuse_if_bad(self, address: IPAddress, host: str) -> None:
        problem = self.problem(address)
        if problem is None:
            return
        where = f"`{host}`" if host.strip("[]") == str(address) else f"`{host}` ({address})"
        raise UnsafeURL(f"{where} is a {problem} address; only public addresses are fetched")

    async def __call__(self, url: httpx.URL) -> None:
        """The ``HttpClient`` guard: every URL, first and redirected, before it is requested."""
        try:
            await self.check(url)
        except OSError as exc:  # the name does not resolve: a fetch failure, maybe transient
            raise FetchError(str(url), f"could not resolve {url.host}", unresolved=True) from exc

    # -- clients --------------------------------------------------------------------------

    def transport(
        self, *, limits: httpx.Limits | None = None, ssl_context: ssl.SSLContext | None = None
    ) -> PinnedTransport:
        return PinnedTransport(self, limits=limits, ssl_context=ssl_context)

    def client(
        self, *, user_agent: str, ssl_context: ssl.SSLContext | None = None, **options: Any
    ) -> HttpClient:
        """An ``HttpClient`` for untrusted URLs: this guard, a pinning transport, no env
        proxies, and ``UNTRUSTED_LIMITS`` unless ``options`` override them.
        ``ssl_context`` replaces the default certificate verification (tests' own CA)."""
        return HttpClient(
            user_agent=user_agent,
            guard=self,
            transport=self.transport(ssl_context=ssl_context),
            trust_env=False,
            **{**UNTRUSTED_LIMITS, **options},
        )


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _short(text: str, limit: int = 120) -> str:
    """User text fit to quote in a one-line message (in backticks, so none inside)."""
    text = "".join(ch if ch.isprintable() else "?" for ch in text).replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _PinningBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network layer with the name resolved, checked and dialled by IP.

    httpcore asks us for a TCP connection to ``(host, port)``; TLS is started afterwards on
    that stream with the URL's host as SNI and for certificate checks, and the request's
    ``Host`` header is the URL's, so only the socket's destination is pinned.
    """

    def __init__(self, policy: UrlPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await self._policy.resolve(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
        except OSError as exc:
            raise httpcore.ConnectError(f"{host} does not resolve ({exc})") from exc
        failure: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
        assert failure is not None
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise UnsafeURL("unix sockets are never fetched for untrusted URLs")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with :class:`_PinningBackend` underneath (no proxies, no env).

    httpx does not take a network backend, so the connection pool is rebuilt with one;
    TLS settings, limits and HTTP/1.1 are httpx's defaults.
    """

    def __init__(
        self,
        policy: UrlPolicy,
        *,
        limits: httpx.Limits | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        limits = limits or httpx.Limits(max_connections=32, max_keepalive_connections=8)
        super().__init__(trust_env=False, limits=limits)
        if not hasattr(self, "_pool"):  # pragma: no cover - guards an httpx internals change
            raise RuntimeError("this httpx version has no connection pool to pin")
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context or httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_PinningBackend(policy),
        )
