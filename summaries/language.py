"""Is this English?  A cheap, dependency-free check that is good enough to refuse a page.

English prose is glued together by a few dozen function words ("the", "of", "and", ...):
they make up 35-50 % of the tokens of any English article and almost none of French,
German, Spanish, Korean or Japanese text.  That share is the first test; no model, no
download.

A low share alone does not make a page foreign: an English box score, recipe, spec sheet or
list of deals has few function words of *any* language.  So below the threshold a text is
refused only on evidence of another language:

* its letters are mostly of another script (Korean, Japanese, Russian, Arabic, ...);
* the function words of other languages (French, Spanish, Portuguese, Italian, German,
  Dutch, the Scandinavian languages, Indonesian and Malay, Tagalog, Swahili, Polish, Czech,
  Croatian, Romanian, Turkish, Finnish, Hungarian; none that English also uses) are common
  enough to be prose: one word in twenty (English lists have next to none);
* its Latin letters carry the diacritics other Latin-script languages write (é, ã, ß, ł,
  ş, ő, ...) far more often than English names do.
"""

from __future__ import annotations

import re

__all__ = ["MIN_ENGLISH_SHARE", "english_share", "foreign_share", "looks_english"]

_FUNCTION_WORDS_TEXT = (
    "the of and to a in is that for it was on with as by he be at this are from his have "
    "or not but they an which had has were their been its who will would there she her "
    "him them we our you your i my me what when can if about than into no more also after "
    "so then only could should up out over other all do did does being these those such "
    "some any how while because through between where over said says"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())

# Frequent function words of other languages that are not English words (no "a", "in",
# "on", "die", "also", "men", "van", "no", "as", "come"...), nor single letters English
# text yields ("U.S." gives "s").
_FOREIGN_WORDS_TEXT = (
    # French
    "le la les des du une et est que qui dans pour pas sur au aux avec ce cette ces sont "
    "par ne il ils elle nous vous leur leurs mais où être été fait comme très sans entre "
    "lui sa ses votre cela ça qu c'est n'est d'un d'une l'on "
    # Spanish, Catalan
    "el los las del una unos y en por para es se lo su sus al más este esta está son "
    "también fue ha muy sobre ser cuando todo hay ya desde donde ni porque qué sí "
    "els amb però és "
    # Portuguese
    "os do da dos das um uma em na nos nas ao aos pelo pela mais não é foi são seu sua "
    "ele ela isso muito já quando também você às "
    # Italian
    "il e gli di della dei delle è che sono si nel nella anche più questo questa essere tra "
    "sul sulla loro dopo alla perché "
    # German
    "der das und ist nicht ein eine einen dem den des mit von zu sich auf für sie es auch "
    "wird werden sind dass wie bei oder aus nach noch nur über wir ich im zum zur vom kann "
    "einer eines ihre ihr sehr "
    # Dutch
    "het een van niet zijn te voor aan maar ook bij wordt werd naar uit deze dit heeft "
    "hebben worden geen wel zo "
    # Swedish, Danish, Norwegian
    "och att det som ett är på för av till inte jag om var eller kan ska vi hon sig från "
    "og er af ikke jeg et har "
    # Indonesian, Malay
    "yang dan ini itu dengan untuk dari dalam tidak akan ke pada adalah juga saya kami "
    "kita mereka ada atau oleh karena sudah telah bisa dapat seperti lebih tersebut bahwa "
    # Tagalog
    "ang ng mga sa ay si ni ko mo niya siya nila ito hindi lang po kung pero dahil "
    # Swahili
    "na ya wa kwa za katika ni cha kwamba hii lakini pia kama sana "
    # Polish, Czech, Slovak, Croatian
    "się nie że jest jak ale od za przez dla jego są tak już może tylko który która które "
    "je že jako jsou pro jeho které který už jen také jsem sú ako "
    "su kao koji što ili iz sam "
    # Romanian
    "și în cu pe care că este fost din pentru sau mai sunt fi au "
    # Turkish
    "ve bir bu için ile olarak çok daha gibi ama kadar olan sonra ise değil ki "
    # Finnish, Hungarian
    "ja ei että oli ovat hän mutta tai kun myös kuin mitä niin joka ole sen tämä "
    "az és hogy egy van meg csak már mint ez volt azt"
)
# Foreign function words that English text spells too, as names, abbreviations or words:
# "Los Angeles", "Sen.", "MIT", "9 a.m. ET", "Det.", "Al Gore", "DA", "ADA".
_ENGLISH_TOO_TEXT = (
    "d l c pro den dem sen mit al da par dont hay os im det till hon er et dan ada mo hindi "
    "ale sam care din ama van meg mint volt los las la mon notre"
)
_FOREIGN_WORDS = (
    frozenset(_FOREIGN_WORDS_TEXT.split()) - _FUNCTION_WORDS - frozenset(_ENGLISH_TOO_TEXT.split())
)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
MIN_ENGLISH_SHARE = 0.15
MIN_FOREIGN_SHARE = 0.05  # other languages' function words this common make prose
MAX_DIACRITIC_SHARE = 0.02  # of Latin letters; English names (é, ñ) stay well below
MIN_WORDS = 20  # below this the share is too noisy to refuse anything
SAMPLE_WORDS = 3000


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text[: SAMPLE_WORDS * 12])[:SAMPLE_WORDS]]


def english_share(text: str) -> tuple[float, int]:
    """The share of English function words among the first words of ``text``, and how many
    words were looked at."""
    tokens = _tokens(text)
    if not tokens:
        return 0.0, 0
    hits = sum(1 for t in tokens if t in _FUNCTION_WORDS)
    return hits / len(tokens), len(tokens)


def foreign_share(text: str) -> float:
    """The share of other languages' function words among the first words of ``text``."""
    tokens = [t.replace("’", "'") for t in _tokens(text)]
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if t in _FOREIGN_WORDS) / len(tokens)


def looks_english(text: str) -> bool:
    """False only when there is enough text to tell and it is not English (see above)."""
    share, n = english_share(text)
    if n < MIN_WORDS:
        return n > 0 and (share > 0 or not _mostly_non_latin(text))
    if share >= MIN_ENGLISH_SHARE:
        return True
    if _mostly_non_latin(text):
        return False
    if foreign_share(text) >= MIN_FOREIGN_SHARE:
        return False
    return _diacritic_share(text) < MAX_DIACRITIC_SHARE


def _latin_letters(text: str) -> tuple[list[str], int]:
    sample = text[: SAMPLE_WORDS * 12]
    letters = [c for c in sample if c.isalpha()]
    latin = [c for c in letters if c.isascii() or "\u00c0" <= c <= "\u024f"]
    return latin, len(letters)


def _mostly_non_latin(text: str) -> bool:
    latin, letters = _latin_letters(text)
    return bool(letters) and len(latin) < 0.5 * letters


def _diacritic_share(text: str) -> float:
    latin, _ = _latin_letters(text)
    if not latin:
        return 0.0
    return sum(1 for c in latin if not c.isascii()) / len(latin)
