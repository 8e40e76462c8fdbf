"""Page chrome removal for article text as a scraper saw it.

A scraped page is prose wrapped in chrome: navigation and breadcrumbs, print/share/font
tools, the headline echoed into the body, photo captions (often twice: alt text and
figcaption) with their agency credits, "Related Article" blocks with their headlines and
teasers, advertisements, login/comment/share prompts, newsletter and copyright lines,
translation credits.  Plain sumy happily picks those as "sentences".

Nothing here lists one site's strings.  The cleaner works on the shape of the text:

1. **Lines, not characters.**  A scraper emits one block per line.  Hard-wrapped paragraphs
   are rejoined first (a line that continues in lower case, or a block of similar-length
   lines none of which ends a sentence).
2. **Prose or not.**  A paragraph of an article ends a sentence (``. ! ? …`` before any
   closing quotes or brackets) and has a handful of words; menus, breadcrumbs, tool rows,
   headlines, credits and timestamps do not.  Long unpunctuated runs of lower-case prose
   are kept too, so a last paragraph missing its period survives.
3. **Captions.**  A bracketed credit at the end (``[JOINT PRESS CORPS]``, ``(AP Photo/...)``)
   makes a line non-prose already; caption grammar (", right, shakes hands", "pictured",
   "(L-R)") and a line repeated within a few lines of itself (alt text + figcaption) catch
   the rest.
4. **Interface prompts.**  Short lines (and short sentences) that talk to the reader about
   the website rather than the world: log in, subscribe, newsletter, comments, share,
   copyright, "translated from", bylines, advertisement.  These are cue *families*
   (account, subscription, social, legal, provenance), matched only on short text, and
   checked against real editorials and news for false positives (tests/summaries).
5. **Related blocks.**  A marker line ("Related Article", "Read more", "You may also like")
   starts a block; the headlines under it (non-prose) and a teaser right under a headline
   go with it.
6. **Echoes and duplicates.**  The headline echoed into the body, and exact or
   near-duplicate sentences (pull quotes, repeated teasers): the copy inside the longest
   paragraph is kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from summaries.sentences import split_sentences, words

__all__ = [
    "CleanDocument",
    "clean_document",
    "clean_text",
    "is_chrome_sentence",
    "normalize_whitespace",
]

# --- normalisation -----------------------------------------------------------------------

_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_BREAKS = re.compile("\r\n|\r|\u2028|\u2029|\x0b|\x0c|\x85")


def normalize_whitespace(text: str) -> str:
    """NFC, no invisible or control characters, one space between words, ``\\n`` line
    breaks.  Quotes, apostrophes and dashes are left exactly as they were."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


# --- what a line is ----------------------------------------------------------------------

_CLOSERS = "\"'”’»)]"
_TERMINAL = re.compile(rf"[.!?…][{re.escape(_CLOSERS)}]*$")
_CONTINUATION_END = re.compile(r"[,;:\-–—(]$|\b(?:and|or|but|the|a|an|of|to|in|with|that)$")
_ALPHA_WORD = re.compile(r"[^\W\d_]{2,}")
_LOWER_WORD = re.compile(r"\b[a-z]{2,}\b")

MIN_PROSE_WORDS = 5
LONG_UNPUNCTUATED_WORDS = 25  # a run this long of ordinary words is prose even unpunctuated
SHORT_LINE_WORDS = 40  # interface prompts are short; a cue word inside a long paragraph is prose
SHORT_SENTENCE_WORDS = 25
DUPLICATE_WINDOW = 4  # a line repeated within this many lines is a caption (alt + figcaption)
NEAR_DUPLICATE = 0.8  # Jaccard of word sets above which two sentences say the same thing


def _n_words(text: str) -> int:
    return len(text.split())


def _key(text: str) -> str:
    """Comparison key: case-folded letters and digits only."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _is_prose(line: str) -> bool:
    n = _n_words(line)
    alpha = len(_ALPHA_WORD.findall(line))
    if alpha < max(3, n // 2):  # timestamps, scores, "0/250", rows of symbols
        return False
    if _TERMINAL.search(line):
        return n >= MIN_PROSE_WORDS
    # Unpunctuated: prose only if long and written mostly in lower case (not a Title Case
    # headline, not a menu of capitalised section names).
    return n >= LONG_UNPUNCTUATED_WORDS and len(_LOWER_WORD.findall(line)) >= 0.6 * n


# --- cue families: text that speaks to the reader about the website ----------------------

_I = re.IGNORECASE
_SOCIAL = (
    r"(?:facebook|twitter|whatsapp|linkedin|telegram|reddit|pinterest|kakao(?:talk)?|line"
    r"|e-?mail)"
)
_CUES: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, _I)
    for p in (
        # account
        r"\b(?:please|to|or|and|now) (?:log|sign)[ -]?(?:in|on|up)\b",
        r"^(?:log|sign)[ -]?(?:in|on|up|out)\b(?=\s*(?:$|[.!,:;|]"
        r"|to (?:read|continue|comment|access|get|receive|join|view|see|save|follow|our|your)"
        r"|for (?:free|our|a)|with|or|now|here))",
        r"\b(?:log|sign)[ -]?(?:in|on|up)\b.{0,60}\baccounts?\b",
        r"\b(?:create|register|manage) (?:an |a free |your )?(?:account|profile)\b",
        r"\b(?:already|not) a (?:subscriber|member|registered user)\b",
        r"\bforgot(?:ten)? (?:your )?password\b",
        # subscription / paywall
        r"\bsubscri(?:be|ption|bers?)\b.{0,40}\b(?:now|today|free|here"
        r"|to (?:our|the|read|get|continue)|for (?:just|only|\$|£|€))",
        r"\b(?:subscribe|unsubscribe)\b\W*$",
        r"\bnewsletters?\b",
        r"\b(?:free|unlimited|digital|premium) (?:access|trial|subscription|membership)\b",
        r"\b(?:support|fund|donate to|contribute to) (?:our|independent|quality|the) journalism\b",
        r"\bcontinue reading\b",
        r"\b(?:to|and) (?:continue|keep) reading\b",
        # comments
        r"\b(?:write|post|leave|add|view|show|load|see|read|hide|report)"
        r" (?:a |the |all |\d+ |our )?(?:comments?|replies|reply)\b",
        r"\bcomments? (?:are|is|have been) (?:closed|disabled|moderated|open)\b",
        r"\b(?:join|start) the (?:conversation|discussion|debate)\b",
        r"\bcommunity (?:guidelines|standards|rules)\b",
        r"\(\d+/\d+\s*\w*\)",  # character counters "(0/250자)"
        # social / sharing / tools
        r"\bshare (?:this|on|via|the|your|article|story|page)\b",
        rf"\b{_SOCIAL}(?:\W+(?:{_SOCIAL}|x|copy link|print)){{2,}}",
        r"\bfollow (?:us|@\w+|the \w+ on)\b",
        r"\b(?:click|tap|swipe|scroll) (?:here|below|to|for|the|on)\b",
        r"\b(?:download|get|install) (?:our|the) (?:free )?app\b",
        r"\b(?:text|font) size\b",
        r"\b(?:print|save|bookmark|email) (?:this )?(?:article|story|page)\b",
        r"\b(?:listen to|play) (?:this|the) (?:article|story)\b",
        r"\bcopy link\b",
        # legal
        r"©|\(c\) ?\d{4}|\bcopyright\b|\ball rights reserved\b",
        r"\b(?:privacy (?:policy|notice|settings)|terms (?:of|and) (?:use|service|conditions)"
        r"|cookie (?:policy|settings|preferences))\b",
        r"\bwe use cookies\b|\bthis (?:site|website) uses cookies\b",
        r"\b(?:reproduction|redistribution|republication) .{0,40}\bprohibited\b",
        r"\bjavascript\b",
        # provenance: translation credits, bylines, editing notes, bios
        r"\btranslated (?:from|by|with|using)\b",
        r"\b(?:machine|ai|generative ai)[- ](?:translated|translation|assisted)\b",
        r"\bedited by\b.{0,60}\b(?:staff|desk|editor|team)\b",
        r"^\(?(?:additional )?(?:reporting|writing|editing|research|translation|photos?|video"
        r"|graphics?) by\b",
        r"^(?:by|written by|words by|story by|posted by|published by)\s+(?-i:[A-Z][\w'’.-]*"
        r"(?:\s+[A-Z][\w'’.-]*){0,3})\s*(?:$|[,|•·(]|and (?-i:[A-Z])|in (?-i:[A-Z]))",
        r"^(?:published|updated|posted|last (?:updated|modified)|first published)\b",
        r"\bthis (?:article|story|piece|editorial|column) (?:was|is|has been|first)"
        r" (?:originally |first )?(?:published|translated|produced|updated|corrected|amended"
        r"|appeared)\b",
        r"\bviews expressed\b|\bdo not necessarily (?:reflect|represent)\b",
        r"\b(?:letters? to the editor|send us (?:a|your) (?:letter|tip|story)"
        r"|contact (?:us|the (?:author|editor|writer|newsroom)))\b",
        r"^(?:the )?(?:writer|author|columnist|contributor) is (?:a|an|the)\b",
        # advertising
        r"^(?:advertisement|advertising|sponsored(?: content| by .{1,40})?|promoted|ad"
        r"|paid (?:content|post))\W*$",
        r"\bstory continues (?:below|after)\b",
        r"\b(?:skip|close) (?:this )?(?:ad|advertisement)\b",
    )
)

# A marker line that opens a block of links to other stories.
_RELATED_MARKER = re.compile(
    r"^(?:related(?: articles?| stories| story| coverage| content| news| reading| links?)?"
    r"|read (?:more|also|next|this)|also read|see also|more (?:from|on|in|stories|news)\b.*"
    r"|recommended(?: for you| stories| reading)?"
    r"|you (?:may|might) (?:also )?(?:like|be interested in)"
    r"|most (?:read|popular|viewed|shared)|trending(?: now)?|top stories|editor'?s picks?"
    r"|latest(?: news| stories)?|further reading|in (?:other|related) news|what to read next"
    r"|(?:read|see) (?:more|also)\s*[:>»|].*)\s*[:>»|\-–—]?\s*$",
    _I,
)

# Caption grammar: "President Lee, right, shakes hands with ...", "(L-R)", "pictured".
_CAPTION = re.compile(
    r",\s*(?:left|right|center|centre|second (?:from )?(?:left|right)|front|rear|top|bottom"
    r"|(?:top|bottom|front|back) (?:left|right|row))\s*,"
    r"|\((?:l-r|r-l|l to r|from (?:left|right)|left|right|center|centre|pictured|above|below)\b"
    r"|\b(?:pictured|in this (?:file |undated |handout )?(?:photo|picture|image)"
    r"|(?:file|handout|undated) (?:photo|picture|image)|(?:photo|picture|image) (?:shows|taken)"
    r"|poses? for (?:a )?(?:photo|picture|photograph))\b"
    r"|\b(?:photo(?:graph)?|image|picture|illustration|credit|source)\s*:\s*\S",
    _I,
)

_BYLINE_ONLY = re.compile(r"^(?:by\s+)?[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}$")


def is_chrome_sentence(text: str, *, max_words: int = SHORT_LINE_WORDS) -> bool:
    """Whether a short line or sentence talks about the website rather than the world."""
    if _n_words(text) > max_words:
        return False
    return any(p.search(text) for p in _CUES)


def _is_caption(line: str) -> bool:
    return _n_words(line) <= 60 and _CAPTION.search(line) is not None


def _is_related_marker(line: str) -> bool:
    return _n_words(line) <= 12 and _RELATED_MARKER.match(line) is not None


# --- lines -------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    gap_before: bool  # a blank line precedes it


def _join_wrapped(blocks: list[list[str]]) -> list[_Line]:
    """Lines of text as paragraphs: hard-wrapped blocks rejoined."""
    out: list[_Line] = []
    for block in blocks:
        wrapped = _looks_hard_wrapped(block)
        first = True
        for line in block:
            if out and not first and (wrapped or _continues(out[-1].text, line)):
                out[-1].text = f"{out[-1].text} {line}"
            else:
                out.append(_Line(line, gap_before=first))
            first = False
    return out


def _continues(previous: str, line: str) -> bool:
    """A line that carries on the previous one: it starts in lower case after a line that
    did not end a sentence, or the previous line broke after a comma or article."""
    if _TERMINAL.search(previous):
        return False
    head = line.lstrip(_CLOSERS + "“‘(")
    if head[:1].islower():
        return True
    return _n_words(previous) >= 8 and _CONTINUATION_END.search(previous) is not None


def _looks_hard_wrapped(block: Sequence[str]) -> bool:
    """Three or more similar-length lines that mostly do not end sentences: a paragraph
    wrapped at a fixed width (e-mail, terminal copy), not one paragraph per line."""
    if len(block) < 3:
        return False
    body = block[:-1]
    lengths = [len(line) for line in body]
    longest = max(lengths)
    if longest < 40 or min(lengths) < 0.6 * longest:
        return False
    unended = sum(1 for line in body if not _TERMINAL.search(line))
    return unended >= 0.6 * len(body)


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


# --- the document ------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanDocument:
    """Article body after cleaning: paragraphs of sentences, in order."""

    title: str | None
    paragraphs: tuple[tuple[str, ...], ...]
    opinion: bool = False  # the page labelled itself opinion (breadcrumb, headline prefix)

    @property
    def sentences(self) -> tuple[str, ...]:
        return tuple(s for p in self.paragraphs for s in p)

    @property
    def text(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs)


def _infer_title(lines: Sequence[_Line]) -> str | None:
    """A plain-text scrape usually starts with the headline: a short line that is not a
    sentence (or is a question).  Breadcrumbs, dates and tool rows are not headlines."""
    for line in lines[:3]:
        text = line.text
        n = _n_words(text)
        if n < 3 or n > 25 or _is_related_marker(text) or is_chrome_sentence(text):
            continue
        if any(sep in text for sep in (" > ", " » ", " | ", " › ", " / ")):
            continue
        if _TERMINAL.search(text) and not text.rstrip(_CLOSERS).endswith("?"):
            return None  # starts straight with prose
        if len(_ALPHA_WORD.findall(text)) >= 3:
            return text
    return None


_OPINION = r"(?:opinions?|editorials?|op-?eds?|commentary|columns?|columnists?|viewpoints?)"
_OPINION_CRUMB = re.compile(rf"(?:^|[>»›/|]\s*){_OPINION}\s*(?:$|[>»›/|])", _I)
_OPINION_PREFIX = re.compile(rf"^\W*{_OPINION}\s*[:|\]–—-]", _I)


def _labelled_opinion(lines: Sequence[_Line], title: str | None) -> bool:
    """A breadcrumb trail through an opinion section ("Home > Opinion > Editorials") near
    the top, or a headline labelled "Editorial:" / "[Column]"."""
    if title and _OPINION_PREFIX.search(title):
        return True
    for line in lines[:12]:
        text = line.text
        if _n_words(text) > 12 or not any(sep in text for sep in (">", "»", "›", "/")):
            continue
        if _OPINION_CRUMB.search(text):
            return True
    return False


def _strip_dateline(sentence: str) -> str:
    """Drop a wire dateline from the first sentence: "(CNN)", "SEOUL, June 18 (Yonhap) --"."""
    return _DATELINE.sub("", sentence, count=1)


_DATELINE = re.compile(
    r"^(?:\([A-Z][\w.&' -]{1,40}\)\s*(?:--|—|–|-)?\s*(?=[\"“‘'A-Z])"
    r"|[A-Z][A-Z .,'-]{2,40}(?:,\s+[A-Z][a-z]{2,9}\.? \d{1,2})?\s*\([A-Za-z .]{2,20}\)"
    r"\s*(?:--|—|–|-)\s*"
    r"|[A-Z][A-Z .'-]{2,30}\s*(?:--|—)\s*)"
)


def _line_is_kept(line: str, title_key: str | None) -> bool:
    if title_key is not None and _key(line) == title_key:
        return False
    if not _is_prose(line) or _is_caption(line):
        return False
    if is_chrome_sentence(line):
        return False
    return not (_n_words(line) <= 6 and _BYLINE_ONLY.match(line.rstrip(".")))


def _select_lines(lines: list[_Line], title: str | None) -> list[str]:
    title_key = _key(title) if title else None
    keys = [_key(line.text) for line in lines]
    # A line repeated close to itself is a caption (image alt text + figcaption) or a
    # widget rendered twice; a paragraph repeated far away is a scraper echo: keep one.
    near_repeat = [False] * len(lines)
    for i, key in enumerate(keys):
        for j in range(i + 1, min(len(lines), i + DUPLICATE_WINDOW + 1)):
            if keys[j] == key and _n_words(lines[i].text) <= 60:
                near_repeat[i] = near_repeat[j] = True
    kept: list[str] = []
    seen: set[str] = set()
    in_related = False
    after_headline = False
    for i, line in enumerate(lines):
        text = line.text
        if _is_related_marker(text):
            in_related, after_headline = True, False
            continue
        prose = _line_is_kept(text, title_key)
        if in_related:
            if not prose:
                after_headline = True
                continue
            if after_headline and _n_words(text) <= SHORT_LINE_WORDS and not line.gap_before:
                after_headline = False  # the teaser under a related headline
                continue
            in_related = False
        if not prose or near_repeat[i] or keys[i] in seen:
            continue
        seen.add(keys[i])
        kept.append(text)
    return kept


def _word_set(sentence: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in words(sentence))


def _dedupe(paragraphs: list[list[str]]) -> list[list[str]]:
    """Remove exact and near-duplicate sentences, keeping the copy inside the longest
    paragraph (a pull quote or teaser repeats a sentence of the body, not vice versa)."""
    flat = [(pi, si, s, _word_set(s)) for pi, p in enumerate(paragraphs) for si, s in enumerate(p)]
    drop: set[tuple[int, int]] = set()
    for a in range(len(flat)):
        pa, sa, _, wa = flat[a]
        if (pa, sa) in drop or not wa:
            continue
        for b in range(a + 1, len(flat)):
            pb, sb, _, wb = flat[b]
            if (pb, sb) in drop or not wb:
                continue
            small, large = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
            if len(small) < 0.5 * len(large):
                continue
            inter = len(small & large)
            if inter / len(small | large) < NEAR_DUPLICATE and not (
                len(small) >= 6 and inter >= 0.95 * len(small)
            ):
                continue
            # keep the copy in the longer paragraph (then the longer sentence, then the first)
            rank_a = (len(paragraphs[pa]), len(wa), -a)
            rank_b = (len(paragraphs[pb]), len(wb), -b)
            loser = (pb, sb) if rank_a >= rank_b else (pa, sa)
            drop.add(loser)
            if loser == (pa, sa):
                break
    return [
        [s for si, s in enumerate(p) if (pi, si) not in drop] for pi, p in enumerate(paragraphs)
    ]


def clean_document(text: str, title: str | None = None) -> CleanDocument:
    """Clean scraped text into paragraphs of sentences (see the module docstring)."""
    text = normalize_whitespace(text)
    lines = _join_wrapped(_blocks(text))
    if title is not None:
        title = normalize_whitespace(title).replace("\n", " ").strip() or None
    if title is None:
        title = _infer_title(lines)
    title_key = _key(title) if title else None
    paragraphs: list[list[str]] = []
    for line in _select_lines(lines, title):
        sentences = [
            s
            for s in split_sentences(line)
            if not is_chrome_sentence(s, max_words=SHORT_SENTENCE_WORDS)
            and (title_key is None or _key(s) != title_key)
        ]
        if sentences:
            paragraphs.append(sentences)
    paragraphs = [p for p in _dedupe(paragraphs) if p]
    if paragraphs:
        first = _strip_dateline(paragraphs[0][0])
        if first and first != paragraphs[0][0]:
            paragraphs[0][0] = first[0].upper() + first[1:]
    return CleanDocument(
        title=title,
        paragraphs=tuple(tuple(p) for p in paragraphs),
        opinion=_labelled_opinion(lines, title),
    )


def clean_text(text: str, title: str | None = None) -> str:
    """The article body of scraped plain text, chrome removed; paragraphs separated by a
    blank line, sentences by one space."""
    return clean_document(text, title).text


def iter_cues() -> Iterable[re.Pattern[str]]:
    """The interface-prompt cue patterns (for tests and the benchmark's report)."""
    return iter(_CUES)
