"""The SSRF guard for untrusted URLs (bot/sources/safety.py), issue 7's table and more.

Address checks run without any network; the fetch tests use a real HTTP server on
127.0.0.1 (``local_web``), the real httpx/httpcore stack and a resolver table, so "a
public-looking name" can point wherever a test needs it.
"""

from __future__ import annotations

import ipaddress
import ssl

import httpx
import pytest
import trustme
from aiohttp import web

from bot.errors import SourceError, UnsafeURL
from bot.sources.http import FetchError, HttpClient
from bot.sources.safety import (
    UNTRUSTED_LIMITS,
    StaticResolver,
    UrlPolicy,
    address_problem,
    parse_host,
)
from tests.support.web import LocalWeb

UA = "briefbot-tests/1"
PUBLIC_V4 = "93.184.215.14"  # a globally routable address (never contacted by these tests)

# -- the table: every one refused, each with its reason ------------------------------------

REFUSED = [
    ("http://127.0.0.1/feed", "loopback"),
    ("http://127.8.9.10:8080/", "loopback"),
    ("http://10.0.0.5/rss", "private network"),
    ("http://172.16.3.4/", "private network"),
    ("http://192.168.1.1/", "private network"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://100.64.0.1/", "carrier-grade NAT"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://224.0.0.1/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://255.255.255.255/", "reserved"),
    ("http://198.51.100.7/", "not publicly routable"),  # documentation range
    ("http://[::1]/", "loopback"),
    ("http://[::]/", "unspecified"),
    ("http://[::ffff:127.0.0.1]/", r"loopback \(IPv4-mapped 127\.0\.0\.1\)"),
    ("http://[::ffff:169.254.169.254]/", "link-local"),
    ("http://[::10.0.0.1]/", r"private network \(IPv4-compatible 10\.0\.0\.1\)"),
    ("http://[2002:7f00:1::]/", r"loopback \(6to4 127\.0\.0\.1\)"),
    ("http://[2002:a9fe:a9fe::1]/", r"link-local .*\(6to4 169\.254\.169\.254\)"),
    ("http://[64:ff9b::a00:1]/", r"private network \(NAT64 10\.0\.0\.1\)"),
    ("http://[64:ff9b:1::1]/", "local-use NAT64"),
    ("http://[fc00::1]/", "private network"),
    ("http://[fd12:3456::1]/", "private network"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[ff02::1]/", "multicast"),
    ("http://[fe80::1%25eth0]/", "scoped IPv6"),
    ("http://2130706433/", "non-standard form"),  # 127.0.0.1 as one integer
    ("http://0177.0.0.1/", "non-standard form"),  # octal
    ("http://0x7f.0.0.1/", "non-standard form"),  # hex
    ("http://0x7f000001/", "non-standard form"),
    ("http://127.1/", "non-standard form"),  # shortened
    ("http://010.10.10.10/", "non-standard form"),  # leading zero: octal to inet_aton
    ("http://0/", "non-standard form"),
    ("http://example.123/", "non-standard form"),  # a numeric last label reads as IPv4
    ("ftp://example.com/feed.xml", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("gopher://example.com/", "only http and https"),
    ("javascript:alert(1)", "only http and https"),
    ("http://user:secret@example.com/rss", "user name or password"),
    ("http://exa mple.com/", "not a valid"),
    ("http:///nohost", "no host|not a valid"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED)
async def test_the_ssrf_table_is_refused_with_a_reason(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURL, match=reason) as caught:
        await UrlPolicy(resolver=StaticResolver({})).check(url)
    message = str(caught.value)
    assert "\n" not in message
    assert "Traceback" not in message
    assert isinstance(caught.value, SourceError)  # adapters show it as one line


async def test_a_name_resolving_to_loopback_is_refused() -> None:
    resolver = StaticResolver({"feeds.example.com": ["127.0.0.1"]})
    with pytest.raises(UnsafeURL, match=r"`feeds\.example\.com` \(127\.0\.0\.1\) is a loopback"):
        await UrlPolicy(resolver=resolver).check("http://feeds.example.com:3000/rss")


async def test_what_the_system_resolver_says_is_checked() -> None:
    """``localhost.`` plus a subdomain is not on the local-name list; the OS resolves it."""
    with pytest.raises(UnsafeURL, match=r"is a loopback"):
        await UrlPolicy().check("http://127.0.0.1:3000/healthz")


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:3000/healthz",
        "http://LOCALHOST./",
        "http://api.localhost/",
        "http://printer.local/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://nas.home.arpa/",
    ],
)
async def test_local_only_names_are_refused_without_a_lookup(url: str) -> None:
    resolver = StaticResolver({})
    with pytest.raises(UnsafeURL, match="local-only name"):
        await UrlPolicy(resolver=resolver).check(url)
    assert resolver.lookups == []


async def test_a_public_looking_name_mapped_to_a_private_address_is_refused() -> None:
    resolver = StaticResolver({"feeds.example.com": ["10.1.2.3"]})
    with pytest.raises(UnsafeURL, match=r"`feeds\.example\.com` \(10\.1\.2\.3\) is a private"):
        await UrlPolicy(resolver=resolver).check("https://feeds.example.com/rss")


async def test_every_address_of_a_name_must_be_public() -> None:
    resolver = StaticResolver({"mixed.example.com": [PUBLIC_V4, "2606:4700::1111", "::1"]})
    with pytest.raises(UnsafeURL, match="loopback"):
        await UrlPolicy(resolver=resolver).check("http://mixed.example.com/")


async def test_public_addresses_and_names_pass() -> None:
    resolver = StaticResolver({"news.example.com": [PUBLIC_V4, "2606:4700::1111"]})
    policy = UrlPolicy(resolver=resolver)
    assert await policy.check(f"http://{PUBLIC_V4}/rss") == [ipaddress.ip_address(PUBLIC_V4)]
    assert await policy.check("https://[2606:4700::1111]/") == [
        ipaddress.ip_address("2606:4700::1111")
    ]
    assert [str(a) for a in await policy.check("https://NEWS.example.com./feed")] == [
        PUBLIC_V4,
        "2606:4700::1111",
    ]


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("93.184.215.14", "93.184.215.14"),
        ("0.0.0.0", "0.0.0.0"),
        ("[2606:4700::1111]", "2606:4700::1111"),
        ("example.com", None),
        ("xn--r8jz45g.jp", None),
        ("my_host.example", None),
        ("1.example.com", None),  # a numeric first label is fine: the last one decides
    ],
)
def test_parse_host_reads_only_standard_forms(host: str, expected: str | None) -> None:
    address = parse_host(host)
    assert (str(address) if address else None) == expected


def test_teredo_is_judged_by_its_embedded_addresses() -> None:
    # Teredo 2001:0::/32: server 65.54.227.120, client 192.168.0.1 (stored inverted).
    client = int(ipaddress.IPv4Address("192.168.0.1")) ^ 0xFFFFFFFF
    teredo = ipaddress.IPv6Address(
        f"2001:0:4136:e378:8000:63bf:{client >> 16:x}:{client & 0xFFFF:x}"
    )
    assert teredo.teredo is not None
    problem = address_problem(teredo)
    assert problem is not None
    assert "Teredo 192.168.0.1" in problem


def test_the_allowance_is_explicit_and_exact() -> None:
    policy = UrlPolicy(allow_networks=["127.0.0.1/32"])
    assert policy.problem(ipaddress.ip_address("127.0.0.1")) is None
    assert policy.problem(ipaddress.ip_address("127.0.0.2")) == "loopback"
    assert policy.problem(ipaddress.ip_address("::1")) == "loopback"
    assert "127.0.0.1/32" in repr(policy)
    assert UrlPolicy().allow_networks == ()


# -- fetching through the guard: a real server, the real client stack ----------------------


def _feed(web: LocalWeb) -> str:
    return web.add(
        "/rss",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<item><title>One</title><link>https://news.example.test/1</link></item>"
        "</channel></rss>",
        content_type="application/rss+xml",
    )


def _port(web: LocalWeb) -> int:
    return int(web.host.rsplit(":", 1)[1])


async def test_a_guarded_client_refuses_a_local_server_without_contacting_it(
    local_web: LocalWeb,
) -> None:
    url = _feed(local_web)
    async with UrlPolicy().client(user_agent=UA) as client:
        with pytest.raises(UnsafeURL, match="loopback"):
            await client.fetch(url)
    assert local_web.hits("/rss") == 0


async def test_an_allowed_local_feed_is_fetched_by_name_with_its_host_header(
    local_web: LocalWeb,
) -> None:
    _feed(local_web)
    resolver = StaticResolver({"news.example.test": ["127.0.0.1"]})
    policy = UrlPolicy(allow_networks=["127.0.0.1/32"], resolver=resolver)
    url = f"http://news.example.test:{_port(local_web)}/rss"
    async with policy.client(user_agent=UA) as client:
        result = await client.fetch(url)
    assert result.status == 200
    assert b"<rss" in result.content
    [request] = local_web.requests_for("/rss")
    # The socket went to the checked address; the request still names the host.
    assert request.headers["Host"] == f"news.example.test:{_port(local_web)}"
    assert resolver.lookups == ["news.example.test", "news.example.test"]  # guard + connect


async def test_a_public_url_redirecting_to_a_private_one_is_refused(local_web: LocalWeb) -> None:
    port = _port(local_web)
    local_web.add("/internal", "secret admin page")
    local_web.add_redirect("/go", f"http://127.0.0.2:{port}/internal")
    local_web.add_redirect("/meta", "http://169.254.169.254/latest/meta-data/")
    local_web.add_redirect("/int", f"http://2130706433:{port}/internal")
    resolver = StaticResolver({"news.example.test": ["127.0.0.1"]})
    policy = UrlPolicy(allow_networks=["127.0.0.1/32"], resolver=resolver)
    async with policy.client(user_agent=UA) as client:
        with pytest.raises(UnsafeURL, match=r"`127\.0\.0\.2` is a loopback"):
            await client.fetch(f"http://news.example.test:{port}/go")
        with pytest.raises(UnsafeURL, match="link-local"):
            await client.fetch(f"http://news.example.test:{port}/meta")
        with pytest.raises(UnsafeURL, match="non-standard form"):
            await client.fetch(f"http://news.example.test:{port}/int")
    assert local_web.hits("/go") == 1
    assert local_web.hits("/internal") == 0


async def test_dns_rebinding_between_check_and_connect_is_refused(local_web: LocalWeb) -> None:
    """The guard sees a good answer, the connection's own lookup a bad one: refused."""
    _feed(local_web)
    answers = iter([["127.0.0.1"], ["127.0.0.2"]])

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    policy = UrlPolicy(allow_networks=["127.0.0.1/32"], resolver=rebinding)
    async with policy.client(user_agent=UA) as client:
        with pytest.raises(UnsafeURL, match=r"\(127\.0\.0\.2\) is a loopback"):
            await client.fetch(f"http://rebind.example.test:{_port(local_web)}/rss")
    assert local_web.hits("/rss") == 0


async def test_the_transport_alone_pins_and_checks_at_connect_time(local_web: LocalWeb) -> None:
    """Even a client without the guard cannot reach a private address through the transport."""
    _feed(local_web)
    async with HttpClient(user_agent=UA, transport=UrlPolicy().transport(), attempts=1) as c:
        with pytest.raises(UnsafeURL, match="local-only name"):
            await c.fetch(f"http://localhost:{_port(local_web)}/rss")
        with pytest.raises(UnsafeURL, match="loopback"):
            await c.fetch(local_web.url("/rss"))
    assert local_web.hits("/rss") == 0


async def test_a_name_that_does_not_resolve_is_a_fetch_failure_not_a_crash() -> None:
    policy = UrlPolicy(resolver=StaticResolver({}))
    async with policy.client(user_agent=UA, attempts=1) as client:
        with pytest.raises(FetchError, match=r"could not resolve nowhere\.example\.test"):
            await client.fetch("http://nowhere.example.test/rss")


async def test_untrusted_limits_cap_size_and_time(local_web: LocalWeb) -> None:
    local_web.add_stream("/huge", 20 * 2**20)
    local_web.add_hang("/hang")
    policy = UrlPolicy(allow_networks=["127.0.0.1/32"])
    async with policy.client(user_agent=UA) as client:
        assert client.max_bytes == UNTRUSTED_LIMITS["max_bytes"] < 5 * 2**20
        assert client.max_redirects == UNTRUSTED_LIMITS["max_redirects"]
        with pytest.raises(FetchError, match=r"larger than 3\.0 MB"):
            await client.fetch(local_web.url("/huge"))
    async with policy.client(user_agent=UA, timeout=0.3, attempts=1) as client:
        with pytest.raises(FetchError, match="timed out"):
            await client.fetch(local_web.url("/hang"))


async def test_environment_proxies_are_not_used_for_untrusted_urls(
    local_web: LocalWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A proxy would resolve the name itself; the guarded client never takes one from env."""
    _feed(local_web)
    monkeypatch.setenv("HTTP_PROXY", "http://10.9.9.9:3128")
    monkeypatch.setenv("ALL_PROXY", "http://10.9.9.9:3128")
    policy = UrlPolicy(allow_networks=["127.0.0.1/32"])
    async with policy.client(user_agent=UA, attempts=1, connect_timeout=5) as client:
        result = await client.fetch(local_web.url("/rss"))
    assert result.status == 200


def test_guard_accepts_httpx_urls_it_is_handed() -> None:
    policy = UrlPolicy()
    assert policy.check_url(httpx.URL(f"https://{PUBLIC_V4}/x")).host == PUBLIC_V4
    with pytest.raises(UnsafeURL, match="loopback"):
        policy.check_url(httpx.URL("http://[::1]:80/"))


# -- TLS: the socket is pinned to the checked IP, SNI and the certificate keep the name ------


class _TlsFeed:
    """An HTTPS server on 127.0.0.1 (aiohttp) with a certificate for one name; it records
    the SNI name each handshake asked for and the Host header of each request."""

    def __init__(self, cert_name: str) -> None:
        self.ca = trustme.CA()
        self.cert = self.ca.issue_cert(cert_name)
        self.sni: list[str | None] = []
        self.hosts: list[str] = []
        self.port = 0
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> _TlsFeed:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.cert.configure_cert(context)
        context.sni_callback = lambda _sock, name, _ctx: self.sni.append(name)

        async def feed(request: web.Request) -> web.Response:
            self.hosts.append(request.headers["Host"])
            return web.Response(body=b"<rss version='2.0'><channel/></rss>")

        app = web.Application()
        app.router.add_get("/rss", feed)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=context)
        await site.start()
        self.port = next(a[1] for a in self._runner.addresses if isinstance(a, tuple))
        return self

    async def __aexit__(self, *_exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context


async def test_https_is_verified_against_the_name_while_dialling_the_checked_ip() -> None:
    async with _TlsFeed("news.example.test") as server:
        policy = UrlPolicy(
            allow_networks=["127.0.0.1/32"],
            resolver=StaticResolver({"news.example.test": ["127.0.0.1"]}),
        )
        url = f"https://news.example.test:{server.port}/rss"
        async with policy.client(user_agent=UA, ssl_context=server.client_context()) as c:
            result = await c.fetch(url)
    assert result.status == 200
    assert server.sni == ["news.example.test"]  # not "127.0.0.1"
    assert server.hosts == [f"news.example.test:{server.port}"]


async def test_a_certificate_for_another_name_is_refused() -> None:
    async with _TlsFeed("elsewhere.example") as server:
        policy = UrlPolicy(
            allow_networks=["127.0.0.1/32"],
            resolver=StaticResolver({"news.example.test": ["127.0.0.1"]}),
        )
        url = f"https://news.example.test:{server.port}/rss"
        async with policy.client(
            user_agent=UA, ssl_context=server.client_context(), attempts=1
        ) as client:
            with pytest.raises(FetchError, match="could not connect"):
                await client.fetch(url)
    assert server.hosts == []
