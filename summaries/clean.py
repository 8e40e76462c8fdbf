"""Page chrome removal for article text as a scraper saw it.

A scraped page is prose wrapped in chrome: navigation and breadcrumbs, print/share/font
tools, the headline echoed into the body, photo captions (often twice: alt text and
figcaption) with their agency credits, "Related Article" blocks with their headlines and
teasers, advertisements, login/comment/share prompts, newsletter and copyright lines,
translation credits.  Plain sumy happily picks those as "sentences".

Nothing here lists one site's strings.  The cleaner works on the shape of the text:

1. **Lines, not characters.**  A scraper emits one block per line.  Hard-wrapped paragraphs
   are rejoined first (a line that continues in lower case, or a block of similar-length
   lines that mostly do not end sentences); a list item ("- ", "• ") is a line of its own
   and loses its marker.  The headline is the first headline-shaped line under the menus
   when the caller does not know it.
2. **Prose or not.**  A paragraph of an article ends a sentence (``. ! ? …`` before any
   closing quotes or brackets) and has a handful of words; menus, breadcrumbs, tool rows,
   headlines, credits and timestamps do not.  Long unpunctuated runs of lower-case prose
   are kept too, so a last paragraph missing its period survives.
3. **Captions.**  A bracketed credit at the end (``[JOINT PRESS CORPS]``, ``(AP Photo/...)``)
   makes a line non-prose already; caption grammar (", right, shakes hands", "pictured",
   "(L-R)", a present-tense verb ending on a day: "... in Seoul on Monday.") and a line
   repeated right after itself (alt text + figcaption) catch the rest.
4. **Interface prompts.**  Short lines (and short sentences) that talk to the reader about
   the website rather than the world: log in, subscribe, newsletter, comments, share,
   copyright, "translated from", bylines, advertisement.  These are cue *families*
   (account, subscription and membership pitches, social and follow prompts, app prompts,
   feedback and tips, reporter contact lines, legal and reprint notices, affiliate and
   shopping disclosures, interface errors, provenance), matched only on short text, and
   checked against real editorials and news for false positives (tests/summaries).  A
   short line that is mostly prompts goes whole (the pitch's plain sentences with it); an
   author's bio counts as a prompt in the last lines of the page only.  A line in
   look-alike letters (Cyrillic or Greek letters inside Latin words, mathematical or
   fullwidth letters) is spam, wherever it is.
5. **Related blocks.**  A marker line ("Related Article", "Read more", "You may also like")
   starts a block; its headlines (questions too), dates and teasers go with it.  A site's
   widget is consistent, so the block's own template (teasers or none) decides whether
   the prose line after a headline is a teaser or the article again.
6. **Echoes and duplicates.**  The headline echoed into the body (whole, or without the
   site's name the page title carries), and exact or near-duplicate sentences (pull
   quotes, repeated teasers): the copy inside the longest paragraph is kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from summaries.inert import inert
from summaries.sentences import split_sentences, words

__all__ = [
    "CleanDocument",
    "clean_document",
    "clean_text",
    "is_chrome_sentence",
    "normalize_whitespace",
]

# --- normalisation -----------------------------------------------------------------------

_SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def normalize_whitespace(text: str) -> str:
    """NFC, no invisible or control characters (:func:`summaries.inert.inert`), one space
    between words, ``\\n`` line breaks.  Quotes, apostrophes and dashes are left exactly as
    they were."""
    text = inert(unicodedata.normalize("NFC", text))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


# --- what a line is ----------------------------------------------------------------------

_CLOSERS = "\"'”’»)]"
_TERMINAL = re.compile(rf"[.!?…][{re.escape(_CLOSERS)}]*$")
_CONTINUATION_END = re.compile(r"[,;:\-–—(]$|\b(?:and|or|but|the|a|an|of|to|in|with|that)$")
_ALPHA_WORD = re.compile(r"[^\W\d_]{2,}")
_LOWER_WORD = re.compile(r"\b[a-z]{2,}\b")

MIN_PROSE_WORDS = 5
LONG_UNPUNCTUATED_WORDS = 25  # a run this long of ordinary words is prose even unpunctuated
LEAD_IN_WORDS = 8  # a line this long ending with ":" (a list follows) is a sentence
SHORT_LINE_WORDS = 40  # interface prompts are short; a cue word inside a long paragraph is prose
SHORT_SENTENCE_WORDS = 25
SHORT_PARAGRAPH_SENTENCES = 3  # sentence-level prompt checks run on lines this short
PROMPT_PARAGRAPH_SENTENCES = 6  # a line this short that is mostly prompts goes whole
TAIL_LINES = 3  # an author's bio is looked for in the last lines of the page only
TITLE_SEARCH_LINES = 15
WRAP_WIDTH = 100
RELATED_HEADLINE_WORDS = 20  # a headline in a related block, even one ending with "?"
TEASER_WORDS = 35
LONGEST_TEASER_WORDS = 120
DUPLICATE_WINDOW = 2  # a line repeated this close is a caption (alt text, credit, figcaption)
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
    if line.endswith(":") and n >= LEAD_IN_WORDS and len(_LOWER_WORD.findall(line)) >= 0.6 * n:
        return True  # a sentence leading into a list: "There are people who are selling:"
    # Unpunctuated: prose only if long and written mostly in lower case (not a Title Case
    # headline, not a menu of capitalised section names).
    return n >= LONG_UNPUNCTUATED_WORDS and len(_LOWER_WORD.findall(line)) >= 0.6 * n


# --- cue families: text that speaks to the reader about the website ----------------------

_I = re.IGNORECASE
_SOCIAL = (
    r"(?:facebook|twitter|whatsapp|linkedin|telegram|reddit|pinterest|kakao(?:talk)?|line"
    r"|e-?mail)"
)
_NETWORK = (
    r"(?:facebook|twitter|instagram|x|tiktok|youtube|linkedin|threads|bluesky|mastodon|snapchat"
    r"|pinterest|flipboard|whatsapp|telegram|reddit)"
)
_EMAIL = r"[\w.+-]+@[\w-]+\.[\w.-]*[a-z]"
_CUE_PATTERNS: tuple[str, ...] = (
    # account
    r"\b(?:please|or|and|now|here to|free to) (?:log|sign)[ -]?(?:in|on|up)\b",
    r"^(?:log|sign)[ -]?(?:in|on|up|out)\b(?=\s*(?:$|[.!,:;|]|(?:log|sign|register|subscribe)\b"
    r"|to (?:read|continue|comment|access|get|receive|join|view|see|save|follow|our|your)"
    r"|for (?:free|our|a)|with|or|now|here))",
    r"\b(?:log|sign)[ -]?(?:in|on|up)\b.{0,60}\baccounts?\b",
    r"\b(?:create|register|manage) (?:an |a free |your )?(?:account|profile)\b",
    r"\b(?:already|not) a (?:subscriber|member|registered user)\b",
    r"\bforgot(?:ten)? (?:your )?password\b",
    # subscription / paywall
    r"\bsubscri(?:be|ptions?|bers?)\b.{0,40}\b(?:now|today|free|here"
    r"|to (?:our|the|read|get|continue)|for (?:just|only|as little as|\$|£|€))",
    r"\b(?:subscribe|unsubscribe)\b\W*$",
    r"\bnewsletters?\b",
    r"\b(?:in|to|into|on) your inbox\b|\b(?:enter|your|valid) e-?mail(?: address)?\b",
    r"\bmailing list\b|\b(?:more )?(?:stories|articles) like this\b",
    r"\bfollow us\b|\bon google news\b",
    r"\bfree (?:articles?|stories|reads)\b|\b(?:articles?|stories) (?:left|remaining) this\b",
    r"\b(?:free|unlimited|digital|premium) (?:access|trial|subscription|membership)\b",
    r"\b(?:support|fund|donate to|contribute to) (?:our|independent|quality|the) journalism\b",
    r"\bcontinue reading\b",
    r"\b(?:to|and) (?:continue|keep) reading\b",
    # comments
    r"\b(?:write|post|leave|add|view|show|load|see|read|hide|report)"
    r" (?:a |the |all |\d+ |our )?(?:comments?|replies|reply)\b",
    r"\bcomments? (?:are|is|have been) (?:closed|disabled|moderated|open)\b",
    r"\bcomments? (?:section|below|thread)\b|\b(?:first|sign in|log in|signed in) to comment\b",
    r"\b(?:join|start) the (?:conversation|discussion|debate)\b",
    r"\bcommunity (?:guidelines|standards|rules)\b",
    r"\(\d+/\d+\s*\w*\)",  # character counters "(0/250자)"
    # social / sharing / tools
    r"\bshare (?:this|on|via|article|story|page)\b|\bshare the (?:article|story|page|link)\b",
    rf"\b{_SOCIAL}(?:\W+(?:{_SOCIAL}|x|copy link|print)){{2,}}",
    r"\bfollow (?:us|@\w+)\b|^\W*follow the \w+ on\b",
    # "Follow The Times's opinion section on Facebook", "Follow her on Twitter @handle": an
    # imperative to follow or find someone on a network (reporting on followers is not one)
    r"^\W*(?:(?:you can|be sure to|don'?t forget to|make sure to|please|and|or) )?"
    rf"(?:follow|find us|join us|connect with us|like us)\b.{{0,80}}\b(?:on|at|via) {_NETWORK}\b",
    r"\b(?:click|tap|swipe|scroll) (?:here|below|to|for|the|on)\b",
    r"\b(?:download|get|install) (?:our|the) (?:free )?app\b",
    r"^\W*(?:download|get|install|try)\b.{0,40}\bapps?\b|\b(?:available|download(?: it)?|get it)"
    r" (?:on|from|in) (?:the )?(?:app store|google play|play store)\b",
    r"\b(?:text|font) size\b",
    r"\b(?:print|save|bookmark|email) (?:this )?(?:article|story|page)\b",
    r"\b(?:listen to|play) (?:this|the) (?:article|story)\b",
    r"\bcopy link\b",
    # an imperative whose object is a link: "You can view our June open thread here."
    r"^\W*(?:(?:you can|please|or|and) )?(?:listen|watch|read|see|view|find|check|learn|sign up"
    r"|register|download|shop|click|tap|go)\b.{0,80}\bhere\W*$",
    # reader feedback and tips: "Have a tip?", "Tell us what you think", "Like this story?"
    r"^\W*(?:have|got) (?:a|any) (?:news |story )?tips?\b|\b(?:send|email|share) (?:us )?(?:your )?"
    r"(?:news |story )?tips\b",
    r"\b(?:tell|let) us (?:know )?what you think\b|\b(?:we'?d|we would) (?:like|love) to hear\b",
    r"\b(?:like|enjoy|enjoyed|liked) this (?:story|article|post|piece)\?|\bshare (?:it|this) with"
    r" (?:a friend|your friends|friends)\b",
    # reporter contact lines: "Amy Lee may be reached at alee@example.com.", "Write to ..."
    r"\b(?:can|may) be (?:reached|contacted|emailed)\b.{0,40}(?:@|\b(?:e-?mail|phone|twitter)\b"
    r"|\d{3})",
    r"^\W*(?:e-?mail|contact|reach|write to|tweet at|message)\s+(?:the (?:author|writer|reporter"
    r"|columnist|editor)s?|him|her|them|me|us|(?-i:[A-Z])[\w'’-]+(?: (?-i:[A-Z])[\w'’-]+){0,2})"
    r"\s+(?:at|via|on)\b",
    rf"\b(?:reach|reached|contact|e-?mail|write|tips?|send)\b.{{0,60}}{_EMAIL}"
    rf"|{_EMAIL}.{{0,60}}\b(?:reach|reached|contact)\b",
    # membership and subscription pitches
    r"\bif you (?:enjoyed|liked|value|valued|appreciate|appreciated) (?:this|our|reading)\b",
    r"\b(?:members|subscribers|supporters|readers)(?: like you)? (?:help )?(?:keep|make|fund"
    r"|support)\b.{0,30}\b(?:going|possible|journalism|independent|free|alive)\b",
    r"\bmembers (?:get|receive|enjoy) (?:all|full|unlimited|exclusive|access)\b",
    r"\bbecome a (?:paying |digital |premium )?(?:subscriber|supporter|patron)\b"
    r"|\bbecome a member (?:today|now|of our|and)\b",
    r"\b(?:no|without) (?:paywalls?|content meters?)\b",
    # affiliate and shopping disclosures
    r"\baffiliate (?:links?|commissions?|partnerships?|programs?|marketing)\b",
    r"\b(?:may|might|will|could|can) (?:earn|receive|get|collect|make) (?:a )?(?:small )?"
    r"(?:commission|share of (?:the )?(?:sale|revenue)|portion of (?:the )?(?:sale|revenue))",
    r"\bif you (?:buy|purchase|shop|click)\b.{0,40}\b(?:through|via|from|on) (?:our|these|this"
    r"|the|a|one of) (?:links?|post|article|page|site)\b",
    r"\bat no (?:extra|additional) cost to you\b",
    r"\bprices? (?:are |is )?(?:subject to change|accurate as of|correct at (?:the )?time)\b"
    r"|\bquantities (?:may be|are) limited\b|\b(?:deals?|offers?) may not be available\b"
    r"|\bcoupons? may expire\b|\bindependently (?:selected|chosen|reviewed)\b",
    # interface errors
    r"\b(?:an error (?:has )?occurred|there was an error|something went wrong)\b"
    r"|\bplease try again\b",
    # legal
    r"©|\(c\) ?\d{4}|\bcopyright\b|\ball rights reserved\b",
    r"\b(?:privacy (?:policy|notice|settings)|terms (?:of|and) (?:use|service|conditions)"
    r"|cookie (?:policy|settings|preferences))\b",
    r"\bwe use cookies\b|\bthis (?:site|website) uses cookies\b",
    r"\b(?:reproduction|redistribution|republication) .{0,40}\bprohibited\b",
    r"\bmay not be (?:re)?(?:published|produced|broadcast|distributed|copied)\b",
    r"\b(?:rewritten|redistributed) (?:or|and|without)\b",
    r"\bjavascript\b",
    # reprint notices: "This copy is for your personal, non-commercial use only."
    r"\bpersonal,? non-?commercial use\b|\b(?:order|request|buy|purchase) (?:presentation-ready"
    r" |multiple |additional |high-resolution )?(?:reprints?|copies)\b",
    r"\b(?:reprint|syndication|licensing|republishing) (?:rights|requests?|permissions?"
    r"|inquiries)\b|\bgoverned by our (?:subscriber agreement|terms)\b",
    # provenance: translation credits, bylines, editing notes, bios
    r"\btranslated (?:from|by|with|using)\b",
    r"\b(?:machine|ai|generative ai)[- ](?:translated|translation|assisted)\b",
    r"\bedited by\b.{0,60}\b(?:staff|desk|editor|team)\b",
    r"^\(?(?:additional )?(?:reporting|writing|editing|research|translation|photos?|video"
    r"|graphics?) by\b",
    r"^(?:by|written by|words by|story by|posted by|published by)\s+(?-i:[A-Z][\w'’.-]*"
    r"(?:\s+[A-Z][\w'’.-]*){0,3})\s*(?:$|[,|•·(]|and (?-i:[A-Z])|in (?-i:[A-Z]))",
    r"^(?:published|updated|posted|last (?:updated|modified)|first published)\b",
    r"[|·•].{0,60}\b\d{1,2}:\d{2}\b",  # "Kim Min-ji | Jan. 17, 2025 6:42 a.m."
    r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? .{0,40}\b\d{1,2}:\d{2}\b",
    r"\bthis (?:article|story|piece|editorial|column) (?:was|is|has been|first)"
    r" (?:originally |first )?(?:published|translated|produced|updated|corrected|amended"
    r"|appeared)\b",
    r"\b(?:views|opinions)(?: and (?:views|opinions))? expressed\b"
    r"|\bdo not necessarily (?:reflect|represent)\b|^\W*disclaimer\b",
    r"\bcontributed (?:reporting|research|to this (?:report|story|article))\b",
    r"\bmoderat\w* (?:all |the )?comments\b",
    r"\b(?:letters? to the editor|send us (?:a|your) (?:letter|tip|story)"
    r"|contact (?:us|the (?:author|editor|writer|newsroom)))\b",
    r"^(?:the )?(?:writer|author|columnist|contributor) is (?:a|an|the)\b",
    # advertising
    r"^(?:advertisement|advertising|sponsored(?: content| by .{1,40})?|promoted|ad"
    r"|paid (?:content|post))\W*$",
    r"\bstory continues (?:below|after)\b",
    r"\b(?:skip|close) (?:this )?(?:ad|advertisement)\b",
)
# One alternation, one pass per line: much faster than sixty searches.
_CUES = re.compile("|".join(f"(?:{p})" for p in _CUE_PATTERNS), _I)

# A marker line that opens a block of links to other stories.
_RELATED_MARKER = re.compile(
    r"^(?:related(?: articles?| stories| story| coverage| content| news| reading| links?)?"
    r"|read (?:more|also|next|this)|also read|see also|more (?:from|on|in|stories|news)\b.*"
    r"|recommended(?: for you| stories| reading)?"
    r"|you (?:may|might) (?:also )?(?:like|be interested in)"
    r"|most (?:read|popular|viewed|shared)|trending(?: now)?|top stories|editor'?s picks?"
    r"|latest(?: news| stories)?|further reading|in (?:other|related) news|what to read next"
    r"|(?:read|see) (?:more|also)\s*[:>»|].*|(?:also read|related|more)\s*[:>»|].*)"
    r"\s*[:>»|\-–—]?\s*$",
    _I,
)

_INLINE_RELATED = re.compile(
    r"^\W*(?:(?:read|see) (?:more|also)|also read|related)\s*[:>»|]\s*\w+\W+\w+", _I
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

# Photo captions are written in the present tense and end on where and when: "Protesters
# gather outside parliament in Seoul on Monday."  News prose reports in the past tense.
_CAPTION_VERB = re.compile(
    r"\b(?:speaks?|talks?|arrives?|attends?|gestures?|looks on|walks?|waves?|poses?|listens?"
    r"|shakes? hands|holds?|stands?(?: guard)?|gathers?|sits?|delivers?|leaves?|meets?|greets?"
    r"|smiles?|reacts?|march(?:es)?|rall(?:y|ies)|protests?|prays?|mourns?|celebrates?|casts?"
    r"|is seen|are seen|departs?|votes?|addresses?|chats?|inspects?|visits?|salutes?|wait)\b"
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_CAPTION_WHEN = re.compile(
    rf"(?:\bon (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    rf"|\b{_MONTH}\.? \d{{1,2}}(?:, \d{{4}})?)\s*[.)\]]?$"
)


def _is_present_tense_caption(line: str) -> bool:
    """A one-sentence line in caption grammar: a present-tense verb early, ending on a day
    or date ("... in Brussels on Thursday.", "..., Feb. 16.")."""
    if _n_words(line) > 35 or _sentence_ends(line) > 1 or not _CAPTION_WHEN.search(line):
        return False
    head = " ".join(line.split()[:10])
    return _CAPTION_VERB.search(head) is not None


_BYLINE_ONLY = re.compile(r"^(?:by\s+)?[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}$")


def is_chrome_sentence(text: str, *, max_words: int = SHORT_LINE_WORDS) -> bool:
    """Whether a short line or sentence talks about the website rather than the world."""
    if _n_words(text) > max_words:
        return False
    return _CUES.search(text) is not None


def _is_chrome_sentence_short(sentence: str) -> bool:
    return is_chrome_sentence(sentence, max_words=SHORT_SENTENCE_WORDS)


# A sign-off about the author, the last lines of a page only (mid-article, "Jane Doe is a
# reporter for the Post" is news about a reporter): "Eric Song is IGN's deal curator ...",
# "Jeff Foust (jeff@...) is the editor and publisher of ...".
_AUTHOR_BIO = re.compile(
    r"^(?:[A-Z][\w.'’-]+\s+){1,3}(?:\([^)]{1,80}\)\s*)?(?:is|was|has been)\s+"
    r"(?:(?:a|an|the)\s+|[A-Z][\w.&'’-]*['’]s\s+)(?:[\w&'’-]+\s+){0,5}?"
    r"(?:writer|reporter|columnist|correspondent|editor|contributor|journalist|author|publisher"
    r"|critic|blogger|curator|producer|anchor|host|fellow|professor|analyst)s?\b"
)


def _is_author_bio(sentence: str) -> bool:
    return _n_words(sentence) <= SHORT_SENTENCE_WORDS + 10 and bool(_AUTHOR_BIO.match(sentence))


# --- text in look-alike letters ----------------------------------------------------------
#
# Spam passes an ASCII eye by writing Latin words with letters of another script that look
# the same (Cyrillic "а", Greek "ο") or with styled letters (mathematical bold, fullwidth,
# circled, small capitals).  Real prose never mixes scripts inside one word, and a Greek
# letter in science ("β-amyloid", "5 μm") stands on its own.

_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LOOKALIKE_SCRIPT = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f]")
# Cyrillic and Greek letters drawn like Latin ones: a word made only of them, among Latin
# words, is a Latin word in disguise.
_CONFUSABLES = frozenset("аеорсухіјѕԁԛԝһӏАВЕКМНОРСТХЅІЈԌαοτυνικρΑΒΕΖΗΙΚΜΝΟΡΤΥΧ")
_STYLED = re.compile(
    "[\U0001d400-\U0001d7ff\uff21-\uff3a\uff41-\uff5a\u24b6-\u24e9\U0001f130-\U0001f189"
    "\u1d00-\u1d2b]"
)
_LETTER_RUN = re.compile(r"[^\W\d_]+")
SPOOFED_WORDS = 2  # one odd word can be a typo from a Russian keyboard; two are a disguise
STYLED_LETTERS = 3


def _is_spoofed(text: str) -> bool:
    """Text written (partly) in letters that imitate Latin ones (see above)."""
    if len(_STYLED.findall(text)) >= STYLED_LETTERS:
        return True
    if not _LOOKALIKE_SCRIPT.search(text):
        return False
    runs = _LETTER_RUN.findall(text)
    latin_words = sum(1 for r in runs if _LATIN_LETTER.search(r))
    spoofed = 0
    for run in runs:
        foreign = _LOOKALIKE_SCRIPT.search(run) is not None
        if not foreign:
            continue
        if _LATIN_LETTER.search(run):
            spoofed += 1  # one word in two scripts
        elif len(run) >= 2 and set(run) <= _CONFUSABLES and latin_words >= 0.7 * len(runs):
            spoofed += 1  # a Latin-looking word in another script, among Latin words
    return spoofed >= SPOOFED_WORDS


def _is_caption(line: str) -> bool:
    if _n_words(line) > 60:
        return False
    return _CAPTION.search(line) is not None or _is_present_tense_caption(line)


def _is_related_marker(line: str) -> bool:
    """ "Related Article", "You might also like", or an inline "Read more: <headline>"."""
    limit = 30 if _INLINE_RELATED.match(line) else 8
    return _n_words(line) <= limit and _RELATED_MARKER.match(line) is not None


# --- lines -------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    gap_before: bool  # a blank line precedes it


_LIST_ITEM = re.compile(r"^[-•*▪◦‣]\s+(?=\S)")


def _join_wrapped(blocks: list[list[str]]) -> list[_Line]:
    """Lines of text as paragraphs: hard-wrapped blocks rejoined.  A list item ("- ", "• ",
    as trafilatura and copy-paste render them) is a line of its own, without its marker."""
    out: list[_Line] = []
    for block in blocks:
        wrapped = _looks_hard_wrapped(block)
        first = True
        for raw in block:
            item = _LIST_ITEM.match(raw)
            line = raw[item.end() :] if item else raw
            if out and not first and not item and (wrapped or _continues(out[-1].text, line)):
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
    """Lines cut at a fixed width (e-mail, terminal copy), not one paragraph per line:
    four or more similar-length lines no wider than a terminal, most of them not ending a
    sentence, and the text often carrying on in lower case on the next line."""
    if len(block) < 4:
        return False
    body = block[:-1]
    lengths = [len(line) for line in body]
    longest = max(lengths)
    if longest > WRAP_WIDTH or longest < 40 or min(lengths) < 0.6 * longest:
        return False
    unended = sum(1 for line in body if not _TERMINAL.search(line))
    carried = sum(1 for line in block[1:] if line[:1].islower())
    return unended >= 0.6 * len(body) and carried >= 0.3 * len(body)


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


QUESTION_HEADLINE_WORDS = 15


def _headline_question(text: str) -> bool:
    """A question written as a headline ("Is Football Violence a Crime?"): one sentence,
    short.  A longer question, or one after another sentence, is the article asking."""
    return (
        text.rstrip(_CLOSERS).endswith("?")
        and _sentence_ends(text) <= 1
        and _n_words(text) <= QUESTION_HEADLINE_WORDS
    )


def _infer_title(lines: Sequence[_Line]) -> str | None:
    """A plain-text scrape shows the headline near the top, after any menus, date strips
    and breadcrumbs: a short line that is not a sentence (or is a question) and is written
    like a headline (it has small words: a menu of section names has none).  The first
    such line of four words or more wins (three-word lines are mostly menu debris)."""
    candidates: list[str] = []
    for line in lines[:TITLE_SEARCH_LINES]:
        text = line.text
        n = _n_words(text)
        if n < 3 or n > 25 or _is_related_marker(text) or is_chrome_sentence(text):
            continue
        if any(sep in text for sep in (">", "»", "|", "›", " / ", "·")):
            continue
        if len(_ALPHA_WORD.findall(text)) < 3:
            continue  # dates, prices, temperatures
        if text.endswith(":"):
            continue  # a lead-in to a list, not a headline
        if _TERMINAL.search(text) and not _headline_question(text):
            break  # the prose has started
        if _LOWER_WORD.search(text) or text.isupper():
            if n >= 4:
                return text
            candidates.append(text)
    return candidates[0] if candidates else None


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
    r"|[A-Z]{2}[A-Z .'-]{2,30}\s*(?:--|—)\s*(?=[\"“A-Z]))"
)


def _is_prompt_line(line: str) -> bool:
    """A short line with a prompt in it is a prompt box ("Start your day with our briefing.
    It is what traders read. Sign up for free."), unless one of its sentences is as long as
    an article's (a quote that mentions a subscription): then its sentences are weighed one
    by one, as :func:`_drop_prompts` will weigh them."""
    if not is_chrome_sentence(line):
        return False
    if _sentence_ends(line) <= 1:
        return True
    sentences = split_sentences(line)
    if all(_n_words(s) <= SHORT_SENTENCE_WORDS for s in sentences):
        return True
    return not _drop_prompts(sentences, tail=False)


def _line_is_kept(line: str, title_keys: frozenset[str]) -> bool:
    if _key(line) in title_keys:
        return False
    if not _is_prose(line) or _is_caption(line):
        return False
    if _is_spoofed(line):
        return False
    if _is_prompt_line(line):
        return False
    return not (_n_words(line) <= 6 and _BYLINE_ONLY.match(line.rstrip(".")))


def _select_lines(lines: list[_Line], title: str | None) -> list[str]:
    title_keys = _title_keys(title)
    keys = [_key(line.text) for line in lines]
    # A line repeated close to itself is a caption (image alt text + figcaption) or a
    # widget rendered twice; a paragraph repeated far away is a scraper echo: keep one.
    near_repeat = [False] * len(lines)
    for i, key in enumerate(keys):
        for j in range(i + 1, min(len(lines), i + DUPLICATE_WINDOW + 1)):
            if keys[j] == key and _n_words(lines[i].text) <= 60:
                near_repeat[i] = near_repeat[j] = True
    prose = [_line_is_kept(line.text, title_keys) for line in lines]
    # Whether any paragraph of the article is still to come after each line: a teaser under
    # the last related headline is followed by nothing but the page's footer.
    body_after = [False] * len(lines)
    for i in range(len(lines) - 2, -1, -1):
        following = lines[i + 1].text
        body_after[i] = body_after[i + 1] or (prose[i + 1] and not _looks_like_headline(following))
    kept: list[str] = []
    seen: set[str] = set()
    related = _RelatedBlock()
    for i, line in enumerate(lines):
        text = line.text
        if _is_related_marker(text):
            # "Read more: <headline>" is a block of one; a bare marker opens a block.
            related = _RelatedBlock(active=_INLINE_RELATED.match(text) is None)
            continue
        if related.active and related.swallows(
            text, prose[i], _next_content(lines, i), body_after=body_after[i]
        ):
            continue
        if not prose[i] or near_repeat[i] or keys[i] in seen:
            continue
        seen.add(keys[i])
        kept.append(text)
    return kept


def _next_content(lines: Sequence[_Line], i: int) -> str:
    """The next line after ``i`` with words in it (dates and counters skipped)."""
    for line in lines[i + 1 : i + 4]:
        if len(_ALPHA_WORD.findall(line.text)) >= 3:
            return line.text
    return ""


@dataclass
class _RelatedBlock:
    """The lines under a "Related" marker: headlines (questions too), each with or without
    a teaser and a date.  A site's widget is consistent, so once two headlines follow each
    other the block has no teasers, and the next prose line after a headline is the body
    again; with teasers, a teaser follows every headline."""

    active: bool = False
    after_headline: bool = False
    teasers: bool | None = None  # unknown until the block shows its template

    def swallows(self, text: str, prose: bool, following: str, *, body_after: bool) -> bool:
        if len(_ALPHA_WORD.findall(text)) < 3 and not prose:
            if any(ch.isdigit() for ch in text):
                return True  # a date or a counter inside the block
            self.active = False  # an ad slot or an icon: the widget is over
            return False
        if not prose and is_chrome_sentence(text):
            self.active = False  # "Story continues below advertisement": so is this one
            return False
        if not prose and _n_words(text) > RELATED_HEADLINE_WORDS and self.after_headline:
            self.teasers, self.after_headline = True, False  # a teaser cut off mid-sentence
            return True
        # A short line ending with a full stop right under a headline is a teaser (teasers
        # are sentences; headlines end bare or with a question mark).
        full_stop = text.rstrip(_CLOSERS).endswith(".")
        headline = not prose or (_headline_like(text) and not full_stop)
        if headline:
            if self.after_headline:
                self.teasers = False
            self.after_headline = True
            return True
        if self.after_headline and self.teasers is not False:
            # Unknown template: a teaser if it is short, if what follows is another
            # headline (a teaser, however long, sits between two), or if the article
            # does not go on after it (only the footer does).
            sandwiched = not body_after or _is_next_headline(following)
            if _teaser_like(text, bool(self.teasers or sandwiched), sandwiched=sandwiched):
                self.teasers = True
                self.after_headline = False
                return True
        self.active = False
        return False


def _sentence_ends(text: str) -> int:
    return len(re.findall(r"[.!?…][\"'”’)\]]*(?:\s|$)", text))


def _headline_like(text: str) -> bool:
    return _n_words(text) <= RELATED_HEADLINE_WORDS and _sentence_ends(text) <= 1


def _is_next_headline(text: str) -> bool:
    """The line after a teaser candidate is another related headline: written like a
    headline and not ending with a full stop (a short body sentence does)."""
    return (
        _looks_like_headline(text)
        and not text.rstrip(_CLOSERS).endswith(".")
        and not _is_related_marker(text)
    )


def _looks_like_headline(text: str) -> bool:
    """A line written like a headline: a few words with small words among them, at most
    one sentence, not an interface prompt ("Advertisement" is not a headline)."""
    return (
        3 <= _n_words(text) <= RELATED_HEADLINE_WORDS
        and _sentence_ends(text) <= 1
        and _LOWER_WORD.search(text) is not None
        and len(_ALPHA_WORD.findall(text)) >= 3
        and not is_chrome_sentence(text)
    )


def _teaser_like(text: str, known: bool, *, sandwiched: bool = False) -> bool:
    """A teaser is a sentence or two.  Before the block has shown its template, only one
    short sentence passes for one (a body paragraph is longer), unless the line is held
    between two related headlines or is the last prose on the page."""
    if known or sandwiched:
        return _n_words(text) <= LONGEST_TEASER_WORDS and _sentence_ends(text) <= 2
    return _n_words(text) <= TEASER_WORDS and _sentence_ends(text) <= 1


def _word_set(sentence: str) -> frozenset[str]:
    return frozenset(w.casefold() for w in words(sentence))


def _dedupe(paragraphs: list[list[str]]) -> list[list[str]]:
    """Remove exact and near-duplicate sentences, keeping the copy inside the longest
    paragraph (a pull quote or teaser repeats a sentence of the body, not vice versa).

    Near-duplicate: word-set Jaccard of at least :data:`NEAR_DUPLICATE`, or one sentence's
    words (six or more) almost all inside the other's.  Word sets are bitmasks over the
    document's vocabulary, so a pair costs an AND and a popcount."""
    flat = [(pi, si) for pi, p in enumerate(paragraphs) for si in range(len(p))]
    vocabulary: dict[str, int] = {}
    masks: list[int] = []
    for pi, si in flat:
        mask = 0
        for word in _word_set(paragraphs[pi][si]):
            mask |= 1 << vocabulary.setdefault(word, len(vocabulary))
        masks.append(mask)
    sizes = [m.bit_count() for m in masks]
    drop: set[tuple[int, int]] = set()
    for a in range(len(flat)):
        if not sizes[a] or flat[a] in drop:
            continue
        for b in range(a + 1, len(flat)):
            small, large = sorted((sizes[a], sizes[b]))
            if not small or small < 0.5 * large or flat[b] in drop:
                continue
            inter = (masks[a] & masks[b]).bit_count()
            if inter < NEAR_DUPLICATE * (sizes[a] + sizes[b] - inter) and not (
                small >= 6 and inter >= 0.95 * small
            ):
                continue
            # keep the copy in the longer paragraph (then the longer sentence, then the first)
            first, second = flat[a], flat[b]
            rank_a = (len(paragraphs[first[0]]), sizes[a], -a)
            rank_b = (len(paragraphs[second[0]]), sizes[b], -b)
            loser = second if rank_a >= rank_b else first
            drop.add(loser)
            if loser == first:
                break
    return [
        [s for si, s in enumerate(p) if (pi, si) not in drop] for pi, p in enumerate(paragraphs)
    ]


def _drop_prompts(sentences: list[str], *, tail: bool) -> list[str]:
    """A line's sentences without the prompts among them.

    Text in look-alike letters goes wherever it is.  A short line that is mostly prompts
    (a subscription pitch, a contact-and-follow sign-off, a shopping disclaimer) goes
    whole: its other sentences belong to the pitch ("Members get all of our content").  In a
    line of up to three sentences, each prompt goes on its own ("Already a subscriber? Log
    in.").  An author's bio is a prompt only in the last lines of the page.  A long sentence
    is the article's: a line half prompts, half long prose keeps its prose."""
    sentences = [s for s in sentences if not _is_spoofed(s)]
    if not sentences or len(sentences) > PROMPT_PARAGRAPH_SENTENCES:
        return sentences
    flags = [_is_chrome_sentence_short(s) or (tail and _is_author_bio(s)) for s in sentences]
    if not any(flags):
        return sentences
    # Sentences of a word or three ("Consider it?", "Thank you.") count for neither side; a
    # tie goes to the prompts only when the other sentences are as short as prompts are.
    counted = [(f, _n_words(s)) for s, f in zip(sentences, flags, strict=True)]
    counted = [(f, n) for f, n in counted if n >= MIN_PROSE_WORDS]
    prompts = sum(f for f, _ in counted)
    others_short = all(n <= SHORT_SENTENCE_WORDS for f, n in counted if not f)
    if not counted or 2 * prompts > len(counted) or (2 * prompts == len(counted) and others_short):
        return []
    if len(sentences) <= SHORT_PARAGRAPH_SENTENCES:
        return [s for s, f in zip(sentences, flags, strict=True) if not f]
    return sentences


_TITLE_PARTS = re.compile(r"\s+(?:[|•·]|::|[-–—])\s+")
TITLE_PART_WORDS = 4


def _title_keys(title: str | None) -> frozenset[str]:
    """Keys of the headline as a body line may echo it: whole, or without the site's name
    ("Visitors' reviews - Jeongdong Theater" is echoed as "Visitors' reviews")."""
    if not title:
        return frozenset()
    keys = {_key(title)}
    keys.update(
        _key(part) for part in _TITLE_PARTS.split(title) if _n_words(part) >= TITLE_PART_WORDS
    )
    return frozenset(k for k in keys if k)


def _paragraphs(lines: list[_Line], title: str | None) -> list[list[str]]:
    title_keys = _title_keys(title)
    paragraphs: list[list[str]] = []
    kept = _select_lines(lines, title)
    for i, line in enumerate(kept):
        sentences = [s for s in split_sentences(line) if _key(s) not in title_keys]
        # A sign-off comes after an article: the last lines, not the only ones.
        sentences = _drop_prompts(sentences, tail=i >= max(1, len(kept) - TAIL_LINES))
        if sentences:
            paragraphs.append(sentences)
    if paragraphs:
        # A flattened page (one paragraph for everything) carries its footer at the end.
        last = paragraphs[-1]
        tail = max(0, len(last) - SHORT_PARAGRAPH_SENTENCES)
        paragraphs[-1] = last[:tail] + [s for s in last[tail:] if not _is_chrome_sentence_short(s)]
    paragraphs = [p for p in _dedupe(paragraphs) if p]
    if paragraphs:
        first = _strip_dateline(paragraphs[0][0])
        if first and first != paragraphs[0][0]:
            paragraphs[0][0] = first[0].upper() + first[1:]
    return paragraphs


def clean_document(text: str, title: str | None = None) -> CleanDocument:
    """Clean scraped text into paragraphs of sentences (see the module docstring)."""
    text = normalize_whitespace(text)
    lines = _join_wrapped(_blocks(text))
    if title is not None:
        title = normalize_whitespace(title).replace("\n", " ").strip() or None
    inferred = title is None
    if title is None:
        title = _infer_title(lines)
    paragraphs = _paragraphs(lines, title)
    if not paragraphs and inferred and title is not None:
        # The only prose was the line taken for the headline: it was the article.
        title = None
        paragraphs = _paragraphs(lines, None)
    return CleanDocument(
        title=title,
        paragraphs=tuple(tuple(p) for p in paragraphs),
        opinion=_labelled_opinion(lines, title),
    )


def clean_text(text: str, title: str | None = None) -> str:
    """The article body of scraped plain text, chrome removed; paragraphs separated by a
    blank line, sentences by one space."""
    return clean_document(text, title).text
