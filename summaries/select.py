"""Choosing the sentences: the project's default selector, and sumy's by name.

The default ("default") is built on sumy: sumy's document model and LexRank centrality
(:func:`~summaries.sumy_backend.lexrank_scores`), plus what plain sumy does not know about
the two kinds of text briefbot reads:

* **News** puts the story first.  On CNN/Daily Mail, the first three sentences (Lead-3)
  beat every plain sumy algorithm by ~7 ROUGE-1 points.  The default keeps the lead but
  skips lead sentences that carry no news (fragments, bare quotes, questions, bylines), and
  lets a strongly central sentence replace the weakest of them.
* **Editorials** put the peg first and the argument last.  The default keeps the peg and
  fills the rest with the author's claim: sentences that make a normative or evaluative
  point in the author's own voice (should, must, it is time, it is now X's turn, not just
  ... but), favouring the closing paragraphs, and always considers the last sentence.

Editorial or news, from the text alone
---------------------------------------
``kind`` may be known from the source (URL path, feed category, title marker, page
metadata: ``summaries.kind``).  The text says it too, and for callers that combine the two:

``kind_score(paragraphs) -> float``
    Log-odds that the text is an editorial: > 0 reads as editorial, < 0 as news,
    ``P(editorial) = 1 / (1 + exp(-score))``.  It weighs the share of sentences in which the
    author argues in their own words (I/we/you; must, should, wrong, a mistake; indeed,
    however, a sentence opening on "But"; questions; negation) and the share in which the
    author speaks as "I", against the share that report (said, told, according to; mostly
    quoted; "on Tuesday", "announced Monday", "last night").
    Quotations are followed across sentences, so an opinion the story quotes counts for the
    person quoted.  A short text scores nearer 0 (a text of n sentences carries
    ``n / (n + KIND_EVIDENCE)`` of the weight of a long one).
``KIND_MARGIN = 1.0``
    The text is sure when ``|kind_score| >= KIND_MARGIN`` (P(editorial) <= 0.27 or >= 0.73).
    On the dev texts about three in four are sure, and 5 of 141 sure the wrong way.
``text_kind(paragraphs, margin=KIND_MARGIN) -> str | None``
    "editorial" or "news" when the text is sure, None when it is not: then the source's
    declared kind should decide (``explicit signal or text_kind(...) or declared kind``).
``detect_kind(paragraphs) -> str``
    The more likely kind however unsure (the sign of ``kind_score``).

``select_default(..., kind=None)`` needs none of this from its caller: it reads the score
itself, summarizes a text that leans editorial as one, and hedges on a text that leans news
without being sure (the lead, plus one closing claim if the author ends on one).
:func:`register` is the earlier rule (normative and stance cues minus reporting cues per
sentence), kept for comparison in benchmarks/quality.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "KINDS",
    "KIND_MARGIN",
    "Features",
    "detect_kind",
    "features",
    "kind_features_of",
    "kind_score",
    "kind_score_of",
    "register",
    "register_of",
    "select_default",
    "text_kind",
]

KINDS = ("editorial", "news")

# --- the author's voice ------------------------------------------------------------------

_NORMATIVE = re.compile(
    r"\b(?:should(?:n['’]t)?|must(?:n['’]t)?|ought to|need(?:s)? to|needs|have to|has to"
    r"|cannot afford|can no longer|can ill afford|it(?: is|['’]s) (?:high )?time"
    r"|(?:is|it['’]s) (?:now )?\w+(?:['’]s?)? turn|let us|let['’]s|would do well"
    r"|would be wise|it is (?:essential|vital|crucial|imperative|important|necessary|clear"
    r"|wrong|right|a mistake|unacceptable|incumbent)|(?:the )?(?:only|best) way"
    r"|not (?:just|only|merely|simply) .{1,60}\bbut\b|deserves?|urge[sd]?|call(?:s|ed)? (?:on|for)"
    r"|demand(?:s|ed)?|responsib(?:le|ility)|instead|rather than"
    r"|mistake|failure|wrong(?:ly)?|dangerous|reckless|unacceptable|(?:more|less) than ever"
    r"|time (?:has come|to act)|cannot be|must not|should not|will have to|is (?:the )?key)\b",
)  # matched against lower-cased text (IGNORECASE is several times slower)
_STANCE = re.compile(
    r"\b(?:indeed|of course|surely|clearly|obviously|certainly|arguably|frankly|undoubtedly"
    r"|no doubt|in fact|after all|simply|truly|sadly|unfortunately|fortunately|ironically"
    r"|above all|at best|at worst|let alone|not least|however|nevertheless|nonetheless"
    r"|moreover|therefore|thus|hence|yet|rather|whether|why|perhaps)\b",
)  # matched against lower-cased text (IGNORECASE is several times slower)
_REPORTED = re.compile(
    r"\b(?:said|says|told|according to|reported|announced|added|claimed|confirmed|insisted"
    r"|explained|tweeted|wrote|stated|revealed|admitted|described|alleged|denied|police"
    r"|officials?|spokes(?:man|woman|person))\b",
)  # matched against lower-cased text (IGNORECASE is several times slower)
_NEWS_TIME = re.compile(
    r"\b(?:yesterday|today|tonight|on (?:monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday)|last (?:night|week|month|year)|this (?:week|morning|afternoon|evening))\b",
)  # matched against lower-cased text (IGNORECASE is several times slower)
_BYLINE_NOISE = re.compile(
    r"\b(?:published|updated|last updated|by \. |reporter|correspondent)\b|\d{1,2}:\d{2}",
)  # matched against lower-cased text (IGNORECASE is several times slower)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# a sentence the source cut off ("The program in...", a feed's "[…]"): never a bullet
_CUT_OFF = re.compile(r"(?:\.\.\.|…|\[(?:\.\.\.|…)\])[\"'”’)\]]*$")

# Register markers for telling an editorial from news (:func:`kind_score`).  Each is a
# general trait of one register (Biber's "overt argumentation" versus "reported
# narrative"), never a topic; all but the reporting ones are read in the author's own words.
_PERSON = re.compile(  # the author and the reader: I, we, you (not "US", the country)
    r"\b(?:I|[Mm]e|[Mm]y|[Mm]yself|[Ww]e|[Uu]s|[Oo]urs?|[Oo]urselves|[Yy]ou|[Yy]ours?"
    r"|[Yy]ourself|[Yy]ourselves|[Ll]et['’]s)\b"
)
_JUDGEMENT = re.compile(  # necessity modals and evaluative words
    r"\b(?:must|should|ought to|needs? to|have to|has to|had better|cannot afford"
    r"|it(?: is|['’]s) time|wrong|important|necessary|essential|crucial|vital|dangerous"
    r"|absurd|shameful|disgrace\w*|outrage\w*|failure|mistakes?|wise|unwise|foolish"
    r"|unacceptable|hypocri\w+|cynical|deserve\w*|responsib\w+|moral\w*|unjust|injustice"
    r"|unfair|legitimate|illegitimate|troubling|worrying|alarming|ridiculous|misguided"
    r"|reckless|sensible|naive|shameless|disastrous|ironic|pathetic|scandal\w*|folly"
    r"|nonsense|justif\w+)\b"
)  # matched against lower-cased text
_HEDGE_STANCE = re.compile(  # stance adverbs and argumentative connectives
    r"\b(?:indeed|of course|surely|clearly|obviously|certainly|arguably|frankly|undoubtedly"
    r"|no doubt|in fact|after all|simply|truly|sadly|unfortunately|fortunately|ironically"
    r"|perhaps|apparently|merely|even|rather|instead|at best|at worst|let alone"
    r"|in other words|to be sure|however|therefore|thus|hence|moreover|nevertheless"
    r"|nonetheless|yet|whereas|although|though)\b"
)  # matched against lower-cased text
_OPENING_CONNECTIVE = re.compile(  # a sentence that answers the one before it
    r"(?:but|and|yet|so|still|indeed|of course|in other words|in short|instead|rather"
    r"|after all|in fact|then again|worse|better|sadly|that is|this is|it is|nor|thus|hence"
    r"|therefore|yes|no)\b"
)  # matched against the lower-cased start of the sentence
_NEGATION = re.compile(r"\b(?:not|never|no|nothing|nor|neither|\w+n['’]t)\b")  # lower-cased
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|according to|added|explained|insisted|claimed|confirmed|reported"
    r"|announced|stated|revealed|admitted|denied|tweeted|warned|spokes(?:man|woman|person))\b"
)  # matched against lower-cased text
_NEWS_DAY = re.compile(  # the news day: "on Tuesday", "said Tuesday", "last night", "at 3pm"
    r"\b(?:yesterday|tonight|last night|this (?:morning|afternoon|evening)"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d{1,2}(?:[:.]\d\d)? ?[ap]\.?m\b)"
)  # matched against lower-cased text; a bare weekday too (US style: "announced Monday")
_FIRST_PERSON = re.compile(r"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself)\b")  # the author as "I"
_QUOTED_SENTENCE = 0.3  # a sentence more than this share quoted is someone else's words


def _is_question(sentence: str) -> bool:
    return sentence.rstrip("\"'”’)] ").endswith("?")


# --- quotation across sentences ----------------------------------------------------------
#
# A quotation often runs over several sentences ("... he said. 'We will appeal. We are
# confident.'"), and in news style each new paragraph of a long quotation reopens the mark
# without the previous one being closed.  Straight single quotes double as apostrophes.
# ``_voice`` follows the marks through a paragraph so that the words of the people quoted
# are not taken for the author's.

_QUOTE_MARK = re.compile("[\"“”‘’']")
_BEFORE_OPEN = frozenset(" \t([{—–-/")
_AFTER_CLOSE = frozenset('.,;:!?)]}—–-…"”')
_QUOTE_SPAN = 6  # sentences a quotation may run with no mark of its own before it is doubted
# "Joy Smith: If you don't hurry ..." / "Q: ..." -- a transcript line is quoted speech too.
_SPEAKER = re.compile(r"\s*[A-Z0-9][\w.'’-]*(?:\s+[A-Z0-9][\w.'’-]*){0,2}:\s+(?=\S)")

_Segments = list[tuple[str, bool]]


def _scan(sentence: str, state: str | None) -> tuple[_Segments, str | None, bool]:
    """Split a sentence into (text, quoted) pieces, entering it inside a quotation (``state``
    "d" or "s": double or single marks) or not.  Returns the pieces, the state at its end,
    and whether it reopened a running quotation (a mark at its very start)."""
    pieces: _Segments = []
    last = 0
    reopened = False
    for match in _QUOTE_MARK.finditer(sentence):
        i = match.start()
        mark = match.group()
        at_start = not sentence[:i].strip()
        prev = sentence[i - 1] if i else " "
        after = sentence[i + 1] if i + 1 < len(sentence) else " "
        opens = prev.isspace() or prev in _BEFORE_OPEN
        new: str | None
        if mark in '"“”':
            if state == "s":
                continue  # a quotation inside a quotation
            if state is None:
                if mark == "”":
                    continue
                new = "d"
            elif at_start or mark == "“":
                reopened = reopened or at_start
                continue  # the same quotation, reopened on a new sentence
            else:
                new = None
        else:  # ‘ ’ ': quotation marks or apostrophes
            if state == "d":
                continue
            if state is None:
                if mark == "’" or not opens or after.isspace():
                    continue  # an apostrophe: "don't", "the Joneses' house"
                new = "s"
            elif at_start and mark != "’":
                reopened = True
                continue
            elif not opens and (after.isspace() or after in _AFTER_CLOSE):
                new = None
            else:
                continue
        pieces.append((sentence[last:i], state is not None))
        last = i + 1
        state = new
    pieces.append((sentence[last:], state is not None))
    return pieces, state, reopened


def _voice(paragraph: Sequence[str]) -> list[tuple[str, int]]:
    """Per sentence of a paragraph: the author's own words (quotations removed) and how many
    characters were quoted.  A quotation never closed within ``_QUOTE_SPAN`` sentences of its
    last opening mark (or by the paragraph's end) is taken to stop at that sentence."""
    n = len(paragraph)
    pieces: list[_Segments] = [[] for _ in range(n)]
    i, state, opened = 0, None, -1
    while i < n:
        found, end, reopened = _scan(paragraph[i], state)
        pieces[i] = found
        if end is None:
            opened = -1
        elif state is None or reopened:
            opened = i
        if end is not None and (i == n - 1 or i - opened >= _QUOTE_SPAN):
            i, state, opened = opened + 1, None, -1  # unclosed: read on as the author's
            continue
        state = end
        i += 1
    out: list[tuple[str, int]] = []
    for sentence, found in zip(paragraph, pieces, strict=True):
        if len(found) == 1 and not found[0][1] and (label := _SPEAKER.match(sentence)):
            found = [(sentence[: label.end()], False), (sentence[label.end() :], True)]
        own = " ".join(text for text, quoted in found if not quoted)
        out.append((own, sum(len(text) for text, quoted in found if quoted)))
    return out


@dataclass(frozen=True)
class Features:
    """What the default selector knows about one sentence."""

    index: int
    paragraph: int
    n_words: int
    normative: int  # normative/evaluative cues in the author's own voice
    reported: bool  # reported speech ("said", "according to")
    quote_share: float  # share of characters inside quotation marks
    question: bool
    noise: bool  # byline/timestamp debris, or a sentence the source cut off
    stance: int  # stance markers and connectives in the author's own voice
    news_cues: int  # reported-speech verbs and news time expressions
    argues: int = 0  # kinds of argument marker in the author's own words (0-5)
    reports: bool = False  # attributes, quotes or dates its news (said, "...", on Tuesday)
    first_person: bool = False  # the author speaks as "I" (I, me, my) in their own words


def features(paragraphs: Sequence[Sequence[str]]) -> list[Features]:
    out: list[Features] = []
    index = 0
    for p, paragraph in enumerate(paragraphs):
        for sentence, (author, quoted_chars) in zip(paragraph, _voice(paragraph), strict=True):
            n_words = len(_WORD.findall(sentence))
            low, own_low = sentence.lower(), author.lower()
            reported = len(_REPORTED.findall(low))
            out.append(
                Features(
                    index=index,
                    paragraph=p,
                    n_words=n_words,
                    normative=len(_NORMATIVE.findall(own_low)),
                    reported=reported > 0,
                    quote_share=quoted_chars / max(1, len(sentence)),
                    question=_is_question(sentence),
                    noise=(n_words < 12 and _BYLINE_NOISE.search(low) is not None)
                    or _CUT_OFF.search(sentence) is not None,
                    stance=len(_STANCE.findall(own_low)),
                    news_cues=reported + len(_NEWS_TIME.findall(low)),
                    argues=_argues(author, sentence, quoted_chars),
                    reports=quoted_chars > _QUOTED_SENTENCE * len(sentence)
                    or _ATTRIBUTION.search(low) is not None
                    or _NEWS_DAY.search(low) is not None,
                    first_person=quoted_chars <= _QUOTED_SENTENCE * len(sentence)
                    and _FIRST_PERSON.search(author) is not None,
                )
            )
            index += 1
    return out


def _argues(author: str, sentence: str, quoted_chars: int) -> int:
    """How many kinds of argument marker the author's own words carry: I/we/you, a judgement
    (must, should, wrong, a mistake), a stance or connective (indeed, however, after all; a
    sentence opening on "But"), a question, a negation.  0 for a mostly quoted sentence."""
    if quoted_chars > _QUOTED_SENTENCE * len(sentence) or not author.strip():
        return 0
    low = author.lower()
    opening = low.lstrip(" \"'“‘([")
    return (
        (_PERSON.search(author) is not None)
        + (_JUDGEMENT.search(low) is not None)
        + (_HEDGE_STANCE.search(low) is not None or _OPENING_CONNECTIVE.match(opening) is not None)
        + _is_question(author)
        + (_NEGATION.search(low) is not None)
    )


def register(paragraphs: Sequence[Sequence[str]]) -> float:
    """How much the text argues rather than reports, per sentence: normative cues, stance
    markers and questions in the author's own voice, minus reported speech and news time
    expressions.  Positive reads as opinion, negative as news."""
    return register_of(features(paragraphs))


def register_of(feats: Sequence[Features]) -> float:
    """:func:`register` from already computed features."""
    if not feats:
        return 0.0
    opinion = sum(f.normative + f.stance + 2 * f.question for f in feats)
    news = sum(f.news_cues for f in feats)
    return (opinion - news) / len(feats)


# --- editorial or news, from the text alone ----------------------------------------------

# kind_score = ARGUES * (share of sentences where the author argues)
#            + ARGUES_HARD * (share where they do so with two markers or more)
#            + REPORTS * (share of sentences that attribute, quote or date the news)
#            + FIRST_PERSON * (share where the author speaks as "I")
#            + BIAS,                          times n / (n + KIND_EVIDENCE) for n sentences.
# A class-balanced logistic regression (L2, lambda 3 on standardised features) of the four
# shares on the 141 dev texts (news_dev, editorials_dev) cleaned with no title or URL; the
# leave-one-out figures are in benchmarks/quality.py, which refits them, beside texts the
# weights never saw (pages_dev filed under news or opinion, stories_dev's articles).  The
# score is log-odds: P(editorial) = 1 / (1 + exp(-score)).
KIND_WEIGHTS = (4.2, 6.4, -5.0, 7.8)
KIND_BIAS = -0.63
KIND_EVIDENCE = 5  # sentences: a text of n sentences carries n / (n + 5) of a long one's weight
KIND_MARGIN = 1.0  # |score| below this: the text does not say (P(editorial) within 0.27-0.73)


def kind_features_of(feats: Sequence[Features]) -> tuple[float, float, float, float]:
    """The shares :func:`kind_score` weighs: sentences where the author argues (one marker or
    more), argues hard (two or more), reports (attribution, quotation, news time), and speaks
    as "I" in their own words."""
    n = max(1, len(feats))
    return (
        sum(f.argues >= 1 for f in feats) / n,
        sum(f.argues >= 2 for f in feats) / n,
        sum(f.reports for f in feats) / n,
        sum(f.first_person for f in feats) / n,
    )


def kind_score_of(feats: Sequence[Features]) -> float:
    """:func:`kind_score` from already computed features."""
    if not feats:
        return 0.0
    shares = kind_features_of(feats)
    raw = KIND_BIAS + sum(w * x for w, x in zip(KIND_WEIGHTS, shares, strict=True))
    return raw * len(feats) / (len(feats) + KIND_EVIDENCE)


def kind_score(paragraphs: Sequence[Sequence[str]]) -> float:
    """How strongly the text reads as an editorial (> 0) or as news (< 0), as log-odds.

    Read from the text alone: the share of sentences in which the author argues in their own
    words (I/we/you, must/should/wrong, indeed/however/"But ...", questions, negation) and
    speaks as "I", against the share that report (said/told/according to, mostly quoted, "on
    Tuesday", "announced Monday").  Quotations are followed across sentences, so a quoted
    opinion counts for the person quoted, not the author.  Short texts score closer to 0:
    they carry less evidence.
    """
    return kind_score_of(features(paragraphs))


def text_kind(paragraphs: Sequence[Sequence[str]], margin: float = KIND_MARGIN) -> str | None:
    """ "editorial" or "news" when the text says so clearly (``|kind_score| >= margin``);
    None when it does not, and the source's declared kind should decide."""
    score = kind_score(paragraphs)
    if score >= margin:
        return "editorial"
    if score <= -margin:
        return "news"
    return None


def detect_kind(paragraphs: Sequence[Sequence[str]]) -> str:
    """The text's more likely kind, however unsure: "editorial" when ``kind_score > 0``."""
    return "editorial" if kind_score(paragraphs) > 0 else "news"


# --- selection ---------------------------------------------------------------------------

MIN_BULLET_WORDS = 6


def _usable(f: Features) -> bool:
    return f.n_words >= MIN_BULLET_WORDS and not f.noise


def select_default(
    paragraphs: Sequence[Sequence[str]],
    count: int,
    *,
    centrality: Callable[[], Sequence[float]],
    kind: str | None = None,
    opinion: float | None = None,
) -> list[int]:
    """Indices (document order) of ``count`` sentences.

    ``kind`` "news" keeps the lead; "editorial" keeps the peg and gives the other slots to
    the author's claim.  Unknown kind: :func:`kind_score` (or ``opinion``, a score the
    caller already has) decides.  A text that leans editorial (score > 0) is summarized as
    one: an editorial read as news loses its whole argument, a story read as an editorial
    only some of its lead.  A text that leans news but not clearly (``-KIND_MARGIN <
    score <= 0``) keeps its lead and gives one slot to a closing claim, and only to one in
    the author's own voice (normative, unquoted, unattributed, in the last third): most
    news has none.  Clear news keeps the lead.  ``centrality`` is called only when a claim
    is being chosen (news never pays for LexRank).
    """
    feats = features(paragraphs)
    n = len(feats)
    if n <= count:
        return list(range(n))
    usable = [f for f in feats if _usable(f)] or feats
    if kind == "news":
        claims = 0
    elif kind == "editorial":
        claims = count - _peg_count(count)
    else:
        score = kind_score_of(feats) if opinion is None else opinion
        if score <= -KIND_MARGIN:
            claims = 0
        elif score <= 0:
            claims = 1
        else:
            claims = count - _peg_count(count)
    lead = [f for f in usable if not f.question]
    if len(lead) < count:
        lead = usable
    if claims == 0:
        return sorted(f.index for f in lead[:count])
    chosen = {f.index for f in lead[: count - claims]}
    n_paragraphs = feats[-1].paragraph + 1
    central = centrality()
    scored = [
        (_claim_score(f, n, n_paragraphs, central), f) for f in usable if f.index not in chosen
    ]
    scored.sort(key=lambda pair: pair[0], reverse=True)
    for _score, f in scored:
        if len(chosen) >= count:
            break
        if kind is None and claims == 1 and not _closing_claim(f, n):
            continue  # in between: only a real closing claim earns a slot
        chosen.add(f.index)
    for f in lead:  # nothing qualified: back to the lead
        if len(chosen) >= count:
            break
        chosen.add(f.index)
    return sorted(chosen)


def _closing_claim(f: Features, n: int) -> bool:
    """A normative sentence in the author's own voice, in the last third of the text."""
    return (
        f.normative > 0
        and not (f.reported or f.reports)
        and f.quote_share < 0.1
        and f.index >= n * 2 // 3
    )


def _peg_count(count: int) -> int:
    return 2 if count >= 5 else 1


def _claim_score(f: Features, n: int, n_paragraphs: int, centrality: Sequence[float]) -> float:
    """How much a sentence reads as the author's closing argument."""
    score = 0.5 * min(f.normative, 2) + f.index / max(1, n - 1) + 0.5 * centrality[f.index]
    if f.paragraph == n_paragraphs - 1:
        score += 0.7
    if f.index == n - 1:
        score += 1.0
    if f.reported or f.quote_share > 0.2:
        score -= 0.7
    if f.question:
        score -= 0.4
    return score
