"""A model of the web: wrap a clean article in page chrome, as text and as HTML.

``wrap(title, paragraphs, rng, others)`` returns the article as a scraper would see it
(``Wrapped.text``: one block per line, the way ``innerText`` or a copy-paste renders a
page) and as a whole web page (``Wrapped.html``), plus every chrome string it put in
(``Wrapped.chrome``) so a benchmark can tell chrome bullets from body bullets.

The chrome is varied on purpose: each page draws a site profile (navigation style,
breadcrumbs, byline and date formats, share/print/font tools, caption grammar and agency
credits, related-article markers with headlines and teasers taken from *other* articles,
ads, newsletter and paywall boxes, comment widgets, translation credits and disclaimers,
copyright and footer links, icon-label debris) and places it above, inside and below the
body with random spacing.  Phrasings are written the way real sites write them, not the
way ``summaries.clean`` matches them; when the cleaner misses one, the fix belongs in the
cleaner's families, not here.
"""

from __future__ import annotations

import html as html_module
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["Wrapped", "wrap"]

SITES = (
    "The Daily Courier",
    "Korea JoongAng Daily",
    "The Korea Herald",
    "The Japan Times",
    "Asia Policy Review",
    "Global Affairs Today",
    "The Manila Standard",
    "Northern Post",
)
AUTHORS = (
    "Kim Min-ji",
    "Sarah O'Connell",
    "Takeshi Yamamoto",
    "Maria Santos",
    "David Chen",
    "Lee Ji-yoon",
    "Ahmed Hassan",
    "Editorial Board",
)
SECTIONS = ("Opinion", "Editorials", "Columns", "Commentary", "World", "Asia", "Politics")
NAV_ITEMS = (
    "Home",
    "News",
    "World",
    "Politics",
    "Opinion",
    "Business",
    "Tech",
    "Science",
    "Sports",
    "Culture",
    "Lifestyle",
    "Video",
    "Podcasts",
    "Newsletters",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
PLACES = ("Seoul", "Tokyo", "Washington", "Brussels", "Manila", "Beijing", "Calgary", "Kabul")
AGENCY_CREDITS = (
    "[YONHAP]",
    "[JOINT PRESS CORPS]",
    "[NEWS1]",
    "(Reuters)",
    "(AP Photo/Ahn Young-joon)",
    "(AFP)",
    "Photograph: Jim Watson/AFP/Getty Images",
    "Photo: EPA-EFE",
    "/ AFP",
    "(Kyodo)",
    "(Photo by Kim Hong-ji/Reuters)",
    "Credit: Lee Jin-man/AP",
    "[GETTY IMAGES]",
    "Image: Xinhua",
)
ICON_DEBRIS = (
    "lock icon",
    "help-image",
    "close",
    "search icon",
    "more_vert",
    "expand_more",
    "×",
    "▲",
    "s",
    "Loading...",
)

_NAME = re.compile(r"\b(?:[A-Z][a-z]+(?:-[a-z]+)? ){1,2}[A-Z][a-z]+(?:-[a-z]+)?\b")
_STOP_NAMES = frozenset({"The", "This", "That", "But", "And", "In", "On", "It", "As", "For"})


@dataclass
class Wrapped:
    """One article, wrapped."""

    text: str
    html: str
    chrome: list[str] = field(default_factory=list)


def _names(paragraphs: Sequence[str]) -> list[str]:
    found: list[str] = []
    for paragraph in paragraphs[:4]:
        for match in _NAME.finditer(paragraph):
            name = match.group(0)
            if name.split()[0] not in _STOP_NAMES and name not in found:
                found.append(name)
    return found or ["Officials", "Protesters"]


def _date(rng: random.Random) -> tuple[str, str]:
    month = rng.choice(MONTHS)
    day = rng.randint(1, 28)
    year = rng.choice((2024, 2025))
    hour, minute = rng.randint(0, 23), rng.randint(0, 59)
    meridiem = "a.m." if hour < 12 else "p.m."
    styles = (
        f"{month} {day}, {year}",
        f"{year}-{MONTHS.index(month) + 1:02d}-{day:02d} {hour:02d}:{minute:02d}",
        f"{day} {month} {year}",
        f"{month[:3]}. {day}, {year} {hour % 12 or 12}:{minute:02d} {meridiem}",
    )
    return rng.choice(styles), f"{month} {day}"


class _Profile:
    """The chrome one site renders, drawn once per page."""

    def __init__(self, rng: random.Random, title: str, paragraphs: Sequence[str]) -> None:
        self.rng = rng
        self.site = rng.choice(SITES)
        self.author = rng.choice(AUTHORS)
        self.date, self.day = _date(rng)
        self.names = _names(paragraphs)
        self.place = rng.choice(PLACES)
        self.title = title

    # --- pieces ------------------------------------------------------------------------

    def nav(self) -> list[str]:
        rng = self.rng
        items = rng.sample(NAV_ITEMS, rng.randint(5, 9))
        extras = rng.sample(["Subscribe", "Sign in", "Search", "Menu", "Log in", "Register"], 2)
        style = rng.randrange(3)
        if style == 0:
            return [" | ".join(items), "  ".join(extras)]
        if style == 1:
            return [*items, *extras]
        return ["☰ Menu", "  ".join(items), extras[0]]

    def strip(self) -> list[str]:
        rng = self.rng
        options = [
            f"{rng.choice(WEEKDAYS)}, {self.date}",
            f"{self.place} {rng.randint(-5, 34)}°C",
            f"KOSPI {rng.randint(2400, 3100)}.{rng.randint(10, 99)} "
            f"{rng.choice('+-')}0.{rng.randint(1, 9)}%",
            "Edition: International",
            f"Today's paper | {self.date}",
        ]
        return rng.sample(options, rng.randint(1, 2))

    def breadcrumb(self) -> str:
        rng = self.rng
        section = rng.choice(SECTIONS)
        sep = rng.choice([" > ", " » ", " / ", " › "])
        trail = ["Home", section] + (
            [rng.choice(["Editorials", "Columns", "Asia"])] * rng.randint(0, 1)
        )
        crumb = sep.join(trail)
        return crumb.upper() if rng.random() < 0.2 else crumb

    def byline(self) -> list[str]:
        rng = self.rng
        _, other = _date(rng)
        options = [
            [f"By {self.author}"],
            [f"{self.author} | {self.date}"],
            [f"Published: {self.date}", f"Updated: {other}"],
            [f"Posted {self.date}"],
            [self.author, rng.choice(["Staff Reporter", "Columnist", "Senior Writer"])],
            [f"{self.date} · {rng.randint(3, 12)} min read"],
        ]
        return rng.choice(options)

    def tools(self) -> list[str]:
        rng = self.rng
        options = [
            "print dictionary print",
            "A A A",
            "Text size",
            "Print",
            "Share",
            "Email",
            "Save",
            f"Listen to this article · {rng.randint(3, 9)} min",
            "Gift this article",
            "Copy link",
            "Facebook Twitter WhatsApp Email",
            "Share on Facebook",
            "Share on X",
            "Font size: A- A+",
            "Add to favorites",
        ]
        return rng.sample(options, rng.randint(1, 3))

    def caption(self) -> tuple[list[str], str]:
        """Caption lines (credit on the same line, the next line, or none; sometimes
        repeated as alt text and figcaption) and the caption text itself."""
        rng = self.rng
        a = rng.choice(self.names)
        b = rng.choice([n for n in self.names if n != a] or ["his counterpart"])
        templates = [
            f"{a}, {rng.choice(['left', 'right', 'center'])}, shakes hands with {b} "
            f"in {self.place} on {self.day}.",
            f"{a} speaks during a news conference in {self.place} on {rng.choice(WEEKDAYS)}.",
            f"{a} arrives for a meeting in {self.place}, {self.day}.",
            f"Protesters gather outside the parliament building in {self.place} "
            f"on {rng.choice(WEEKDAYS)}.",
            f"A file photo of {a} taken in {self.place}.",
            f"{a} and {b} pose for a photo before their talks in {self.place}",
            f"Members of the security forces stand guard in {self.place} on {self.day}.",
        ]
        caption = rng.choice(templates)
        credit = rng.choice(AGENCY_CREDITS)
        style = rng.randrange(4)
        if style == 0:
            lines = [f"{caption} {credit}"]
        elif style == 1:
            lines = [caption, credit]
        elif style == 2:
            lines = [f"{caption} {credit}", f"{caption} {credit}"]  # alt text + figcaption
        else:
            lines = [caption, caption]
        return lines, caption

    def related(self, others: Sequence[tuple[str, str]]) -> list[str]:
        rng = self.rng
        marker = rng.choice(
            [
                "Related Article",
                "RELATED ARTICLES",
                "Related stories",
                "Read more",
                "Read more:",
                f"More from {rng.choice(SECTIONS)}",
                "You might also like",
                "Recommended",
                "Most read",
                "Related coverage",
                "More on this topic",
                "Editor's Picks",
            ]
        )
        lines = [marker]
        teasers = rng.random() < 0.35  # a site's widget shows teasers for all or for none
        dates = rng.random() < 0.25
        for headline, teaser in rng.sample(list(others), min(len(others), rng.randint(1, 4))):
            lines.append(headline)
            if teasers:
                lines.append(teaser)
            if dates:
                lines.append(_date(rng)[0])
        return lines

    def inline_read_more(self, others: Sequence[tuple[str, str]]) -> str:
        rng = self.rng
        headline = rng.choice(list(others))[0]
        prefix = rng.choice(
            ["Read more: ", "READ MORE: ", "ALSO READ | ", "See also: ", "Related: "]
        )
        return prefix + headline

    def ad(self) -> str:
        return self.rng.choice(
            [
                "Advertisement",
                "ADVERTISEMENT",
                "Story continues below advertisement",
                "Scroll to continue with content",
                "Sponsored",
                "AD",
                "Advertisement · Scroll to continue",
                "Continue reading the main story",
            ]
        )

    def newsletter(self) -> list[str]:
        rng = self.rng
        options = [
            f"Sign up for our daily newsletter to get the best of {self.site} in your inbox.",
            "Get the Morning Briefing delivered to your inbox every weekday.",
            "Subscribe to our newsletter for the latest analysis from Asia.",
            "Enter your email address to receive our top stories.",
            "Want more stories like this? Join our mailing list.",
            "Don't miss a story: follow us on Google News.",
        ]
        lines = [rng.choice(options)]
        if rng.random() < 0.5:
            lines.append(
                rng.choice(["Email address", "Sign up", "Subscribe", "I agree to the terms"])
            )
        return lines

    def paywall(self) -> str:
        return self.rng.choice(
            [
                f"You have {self.rng.randint(1, 4)} free articles left this month.",
                "Already a subscriber? Log in.",
                "Support independent journalism: become a member today.",
                "Enjoy unlimited digital access for just $1 a week.",
            ]
        )

    def comments(self) -> list[str]:
        rng = self.rng
        options = [
            "To write comments, please log in to one of the accounts.",
            "Comments are closed for this article.",
            "Join the conversation: you must be signed in to comment.",
            "Be the first to comment on this story.",
            f"Show comments ({rng.randint(0, 250)})",
            "Please read our community guidelines before posting a comment.",
            "We welcome your thoughts in the comment section below.",
            "Log in to Twitter or Facebook account to connect\nwith the site",
            "Standards Board Policy (0/250자)",
        ]
        return rng.sample(options, rng.randint(1, 3))

    def provenance(self) -> str:
        rng = self.rng
        options = [
            f"Translated from the JoongAng Ilbo using generative AI and edited by "
            f"{self.site} staff.",
            f"This article was translated from Korean by {rng.choice(AUTHORS)}.",
            f"This editorial was originally published in the {self.site} on {self.date}.",
            f"Translation by {rng.choice(AUTHORS)}.",
            f"The views expressed in this article are the author's own and do not necessarily "
            f"reflect {self.site}'s editorial stance.",
            f"Reporting by {rng.choice(AUTHORS)}; Editing by {rng.choice(AUTHORS)}",
        ]
        return rng.choice(options)

    def legal(self) -> list[str]:
        rng = self.rng
        options = [
            f"© {rng.choice((2024, 2025))} {self.site}. All rights reserved.",
            f"Copyright {self.site}. Reproduction and redistribution prohibited.",
            "This material may not be published, broadcast, rewritten or redistributed.",
            "Terms of Use | Privacy Policy | Cookie Settings",
            "We use cookies to improve your experience on our site.",
        ]
        return rng.sample(options, rng.randint(1, 2))

    def footer(self) -> list[str]:
        rng = self.rng
        options = [
            "About Us | Contact Us | Careers | Advertise",
            "Follow us: Facebook Twitter Instagram YouTube",
            "Download our app on iOS and Android",
            f"{self.site}",
            "Back to top",
        ]
        return rng.sample(options, rng.randint(1, 3))

    def debris(self) -> list[str]:
        return self.rng.sample(ICON_DEBRIS, self.rng.randint(0, 3))


# --- assembly ----------------------------------------------------------------------------


@dataclass
class _Block:
    """One piece of the page: body paragraph or chrome, with the HTML it renders as."""

    lines: list[str]
    chrome: bool
    html: str


def _esc(text: str) -> str:
    return html_module.escape(text, quote=True)


def wrap(
    title: str,
    paragraphs: Sequence[str],
    rng: random.Random,
    others: Sequence[tuple[str, str]],
) -> Wrapped:
    """``paragraphs`` of one article wrapped in chrome; ``others``: (headline, teaser) pairs
    of other articles, for related-article blocks."""
    p = _Profile(rng, title, paragraphs)
    top: list[_Block] = []
    if rng.random() < 0.7:
        nav = p.nav()
        top.append(
            _Block(
                nav,
                True,
                "<nav><ul>"
                + "".join(f"<li><a href='#'>{_esc(n)}</a></li>" for n in nav)
                + "</ul></nav>",
            )
        )
    if rng.random() < 0.5:
        strip = p.strip()
        top.append(
            _Block(
                strip,
                True,
                "<div class='topbar'>"
                + "".join(f"<span>{_esc(s)}</span>" for s in strip)
                + "</div>",
            )
        )
    if rng.random() < 0.7:
        crumb = p.breadcrumb()
        top.append(_Block([crumb], True, f"<div class='breadcrumb'>{_esc(crumb)}</div>"))
    tools_above = rng.random() < 0.6
    head: list[_Block] = [_Block([title], True, f"<h1>{_esc(title)}</h1>")]
    byline = p.byline()
    head.append(
        _Block(
            byline, True, "<div class='byline'>" + "<br>".join(_esc(b) for b in byline) + "</div>"
        )
    )
    if tools_above:
        tools = p.tools()
        head.append(
            _Block(
                tools,
                True,
                "<div class='tools'>"
                + " ".join(f"<button>{_esc(t)}</button>" for t in tools)
                + "</div>",
            )
        )
    if rng.random() < 0.6:
        head.append(_caption_block(p))
    if rng.random() < 0.3:
        head.append(
            _Block([title], True, f"<p class='headline-echo'><strong>{_esc(title)}</strong></p>")
        )

    body: list[_Block] = [_Block([para], False, f"<p>{_esc(para)}</p>") for para in paragraphs]
    inserts: list[_Block] = []
    if others and rng.random() < 0.8:
        lines = p.related(others)
        inserts.append(_Block(lines, True, _related_html(lines)))
    for _ in range(rng.randint(0, 2)):
        ad = p.ad()
        inserts.append(_Block([ad], True, f"<div class='ad-slot'>{_esc(ad)}</div>"))
    if others and rng.random() < 0.4:
        line = p.inline_read_more(others)
        inserts.append(
            _Block([line], True, f"<p><strong><a href='#'>{_esc(line)}</a></strong></p>")
        )
    if rng.random() < 0.35:
        lines = p.newsletter()
        inserts.append(
            _Block(
                lines,
                True,
                "<div class='newsletter-box'>"
                + "".join(f"<p>{_esc(x)}</p>" for x in lines)
                + "<form><input placeholder='Email'><button>Sign up</button></form></div>",
            )
        )
    if rng.random() < 0.3:
        inserts.append(_caption_block(p))
    for block in inserts:
        body.insert(rng.randint(1, max(1, len(body) - 1)), block)

    bottom: list[_Block] = []
    if rng.random() < 0.5:
        line = p.provenance()
        bottom.append(_Block([line], True, f"<p class='credit'><em>{_esc(line)}</em></p>"))
    if not tools_above or rng.random() < 0.3:
        tools = p.tools()
        bottom.append(
            _Block(
                tools,
                True,
                "<div class='share'>"
                + " ".join(f"<a href='#'>{_esc(t)}</a>" for t in tools)
                + "</div>",
            )
        )
    if rng.random() < 0.3:
        line = p.paywall()
        bottom.append(_Block([line], True, f"<div class='paywall'><p>{_esc(line)}</p></div>"))
    if others and rng.random() < 0.5:
        lines = p.related(others)
        bottom.append(_Block(lines, True, "<aside>" + _related_html(lines) + "</aside>"))
    if rng.random() < 0.7:
        lines = p.comments()
        bottom.append(
            _Block(
                lines,
                True,
                "<section id='comments'>"
                + "".join(f"<p>{_esc(x)}</p>" for x in lines)
                + "</section>",
            )
        )
    if rng.random() < 0.3:
        lines = p.newsletter()
        bottom.append(
            _Block(
                lines,
                True,
                "<div class='newsletter'>" + "".join(f"<p>{_esc(x)}</p>" for x in lines) + "</div>",
            )
        )
    debris = p.debris()
    if debris:
        bottom.append(
            _Block(debris, True, "".join(f"<span class='icon'>{_esc(d)}</span>" for d in debris))
        )
    legal = p.legal() + p.footer()
    bottom.append(
        _Block(legal, True, "<footer>" + "".join(f"<p>{_esc(x)}</p>" for x in legal) + "</footer>")
    )

    blocks = top + head + body + bottom
    text = _render_text(blocks, rng)
    page = _render_html(p, title, top, head, body, bottom, rng)
    chrome = [line for block in blocks if block.chrome for line in block.lines]
    return Wrapped(text=text, html=page, chrome=chrome)


def _caption_block(p: _Profile) -> _Block:
    lines, caption = p.caption()
    credit = lines[-1] if len(lines) == 2 and lines[0] != lines[1] else ""
    credit_html = f" <span class=credit>{_esc(credit)}</span>" if credit else ""
    figure = (
        f"<figure><img src='photo.jpg' alt='{_esc(caption)}'>"
        f"<figcaption>{_esc(lines[0])}{credit_html}</figcaption></figure>"
    )
    return _Block(lines, True, figure)


def _related_html(lines: Sequence[str]) -> str:
    marker, *items = lines
    return (
        f"<div class='related'><h3>{_esc(marker)}</h3><ul>"
        + "".join(f"<li><a href='#'>{_esc(item)}</a></li>" for item in items)
        + "</ul></div>"
    )


def _render_text(blocks: Sequence[_Block], rng: random.Random) -> str:
    """innerText-like: one line per element, blank lines and stray spaces as sites make
    them (the seed has lines of a single space and doubled blank lines)."""
    out: list[str] = []
    for block in blocks:
        for line in block.lines:
            out.append(line + (" " if rng.random() < 0.1 else ""))
            gap = rng.random()
            if gap < 0.45:
                out.append("")
            elif gap < 0.55:
                out.append(rng.choice([" ", "\u00a0", "\t"]))
                out.append("")
    return "\n".join(out)


def _render_html(
    p: _Profile,
    title: str,
    top: Sequence[_Block],
    head: Sequence[_Block],
    body: Sequence[_Block],
    bottom: Sequence[_Block],
    rng: random.Random,
) -> str:
    body_class = rng.choice(
        ["article-body", "story-body", "content__article-body", "art_body", "entry-content"]
    )
    wrapper = rng.choice(["article", "div", "section"])
    meta = (
        f"<meta property='og:title' content='{_esc(title)}'>"
        f"<meta property='og:site_name' content='{_esc(p.site)}'>"
        f"<meta name='author' content='{_esc(p.author)}'>"
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_esc(title)} | {_esc(p.site)}</title>{meta}"
        "<script>window.dataLayer=[];</script><style>.ad-slot{min-height:250px}</style></head><body>"
        "<header>" + "".join(b.html for b in top) + "</header>"
        f"<main><{wrapper} class='article'>"
        + "".join(b.html for b in head)
        + f"<div class='{body_class}'>"
        + "".join(b.html for b in body)
        + "</div>"
        + "".join(b.html for b in bottom[:-1])
        + f"</{wrapper}></main>"
        + bottom[-1].html
        + "</body></html>"
    )
