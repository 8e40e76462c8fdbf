"""Real web pages: do the bullets come from the article, and is any article wrongly refused?

    python benchmarks/pages.py                  # the pages table and the texts table
    python benchmarks/pages.py --show-leaks     # and every bullet that is not in the body
    python benchmarks/pages.py --show-refused   # and every refused page or text, with why

Reads ``../shared/data`` (pages_dev.jsonl.gz, news_dev.jsonl, editorials_dev.jsonl); it is
not in the repo.

1. **Pages** (pages_dev.jsonl.gz: 181 saved pages with a human-marked ``article_body``):
   for the default summarizer (``summarize_html(html, url=url)``, what ingestion does) and
   for trafilatura's text + plain sumy LexRank (sumy's own PlaintextParser on
   ``trafilatura.extract``'s text, as many sentences as the default would give for that
   many sentences: no cleaning of ours), how many pages are summarized or refused (split
   by the reason: not English, no prose, other; in brackets, how many of them have an
   English ``article_body`` by an independent check on sumy's stop-word lists), how many
   bullets, how many bullets are not in the body, how many of the candidate sentences
   (those the bullets were chosen from; for plain LexRank, sumy's sentences of the
   trafilatura text) are not in the body: chrome that another pick would have shown; and
   how many sentences of the English bodies are not in the text the bullets were picked
   from (lost to extraction, cleaning or a refusal).
2. **Texts** (news_dev.jsonl, editorials_dev.jsonl: clean article texts): refusals by
   ``summarize(text, title=title)``, and body sentences lost by the cleaning.

"In the body": both sides are normalised (NFKC, case-folded, curly quotes and every dash
unified, soft hyphens and zero-width marks dropped, whitespace removed: the human bodies
have tokenizer spacing such as "Boeing 's") and a bullet counts if its text (without a
list marker "- ") is a substring of the body.  A bullet trimmed with "…" counts by its
part before the ellipsis; a first sentence whose wire dateline was stripped (and its first
letter upper-cased) is a suffix of the body's sentence, so the substring test covers it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import table  # noqa: E402
from summaries import default_sentence_count, errors, summarize, summarize_html  # noqa: E402
from summaries.errors import SummaryError  # noqa: E402
from summaries.sentences import split_sentences  # noqa: E402

DATA = ROOT.parent / "shared" / "data"

# --- loading ------------------------------------------------------------------------------


def load(name: str) -> list[dict[str, Any]]:
    path = DATA / name
    if not path.is_file():
        sys.exit(f"{path} not found: run from a checkout with ../shared/data beside it")
    opener = gzip.open if name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


# --- "in the body" ------------------------------------------------------------------------

_QUOTES = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "´": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)
_WS = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")  # soft hyphen, zero-width marks


def normalize(text: str) -> str:
    """NFKC, case-folded, one kind of quote and dash, and no whitespace at all: the human
    bodies carry tokenizer spacing ("Boeing 's", '" Dancing with the Stars."') that the page
    does not, so spaces cannot be compared; a sentence is long enough to stay unambiguous."""
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFKC", text).casefold().translate(_QUOTES)
    return _WS.sub("", text.replace("--", "-"))


_LIST_MARK = re.compile(r"^\s*(?:[-*•·▪►]|\d{1,2}[.)])\s+")


def bullet_core(bullet: str) -> str:
    """What of a bullet must stand in the body: for a trimmed bullet, the part before "…";
    a list item's marker ("- ", "• ", "1. ") is the page's rendering, not its text."""
    head, ellipsis, _closers = bullet.partition("…")
    text = head if ellipsis and len(head) >= 20 else bullet
    return normalize(_LIST_MARK.sub("", text))


def in_body(bullet: str, body: str) -> bool:
    return bullet_core(bullet) in body


_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_STOPWORD_LANGUAGES = (
    "english",
    "french",
    "german",
    "italian",
    "portuguese",
    "spanish",
    "swedish",
    "polish",
    "czech",
    "slovak",
)


@cache
def _stop_words(language: str) -> frozenset[str]:
    from sumy.utils import get_stop_words

    return frozenset(get_stop_words(language))


def body_is_english(text: str) -> bool:
    """Independent of summaries.language: the letters are mostly Latin, and sumy's English
    stop-word list covers more of the words (at least 5 %) than any other language's list
    sumy ships (a box score or a recipe is English by its few "and"/"with"/"for")."""
    sample = text[:20000]
    letters = [c for c in sample if c.isalpha()]
    latin = sum(1 for c in letters if c.isascii() or "\u00c0" <= c <= "\u024f")
    if not letters or latin < 0.8 * len(letters):
        return False
    tokens = [t.casefold().replace("’", "'") for t in _TOKEN.findall(sample)]
    if not tokens:
        return False
    shares = {
        language: sum(t in _stop_words(language) for t in tokens) / len(tokens)
        for language in _STOPWORD_LANGUAGES
    }
    return shares["english"] >= 0.05 and max(shares, key=lambda k: shares[k]) == "english"


_ENDED = re.compile(r"[.!?…][\"'”’)\]]*$")


def body_sentences(text: str) -> list[str]:
    """The body's sentences worth looking for, normalised: six words or more, ending a
    sentence (subheads and unpunctuated list items are not prose a bullet is made of)."""
    out = []
    for paragraph in text.split("\n"):
        for sentence in split_sentences(paragraph.strip()):
            if len(sentence.split()) >= 6 and _ENDED.search(sentence):
                out.append(normalize(sentence))
    return out


def lost(sentences: Sequence[str], text: str) -> int:
    """Body sentences not in ``text`` (a sentence cut by a stripped dateline still counts:
    its last 60 characters must be there)."""
    haystack = normalize(text)
    return sum(1 for s in sentences if s not in haystack and s[-60:] not in haystack)


# --- summarizers --------------------------------------------------------------------------


@dataclass
class Outcome:
    bullets: list[str] = field(default_factory=list)
    text: str = ""  # what the bullets were chosen from
    sentences: list[str] = field(default_factory=list)  # the candidates, as the selector saw them
    refused: str | None = None  # "not English", "no prose", or the other message


def _refusal(exc: SummaryError) -> str:
    message = str(exc)
    if message == errors.NOT_ENGLISH:
        return "not English"
    if message == errors.NOT_PROSE:
        return "no prose"
    return message


def default_page(html: str, url: str) -> Outcome:
    try:
        summary = summarize_html(html, url=url)
    except SummaryError as exc:
        return Outcome(refused=_refusal(exc))
    from summaries.sentences import split_sentences as split

    candidates = [s for p in summary.text.split("\n\n") for s in split(p)]
    return Outcome(list(summary.bullets), summary.text, candidates)


def plain_lexrank_page(html: str, url: str) -> Outcome:
    """trafilatura's main text, then sumy's PlaintextParser and LexRank: no cleaning."""
    import trafilatura
    from sumy.parsers.plaintext import PlaintextParser

    from summaries.sumy_backend import summarizer, tokenizer

    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False)
    if not text or not text.strip():
        return Outcome(refused=errors.NO_ARTICLE_ON_PAGE)
    document = PlaintextParser.from_string(text, tokenizer()).document
    count = default_sentence_count(len(document.sentences))
    bullets = [str(s) for s in summarizer("lexrank")(document, count)]
    return Outcome(bullets, text, [str(s) for s in document.sentences])


SUMMARIZERS: dict[str, Callable[[str, str], Outcome]] = {
    "default": default_page,
    "lexrank": plain_lexrank_page,
}


# --- tables -------------------------------------------------------------------------------


def pages_table(show_leaks: bool, show_refused: bool) -> None:
    rows = load("pages_dev.jsonl.gz")
    bodies = [normalize(r["article_body"]) for r in rows]
    english = [body_is_english(r["article_body"]) for r in rows]
    # Body sentences lost count on English pages only: refusing a foreign page loses nothing.
    sentences = [
        body_sentences(r["article_body"]) if is_english else []
        for r, is_english in zip(rows, english, strict=True)
    ]
    n_sentences = sum(len(s) for s in sentences)
    out = []
    notes: list[str] = []
    for name, run in SUMMARIZERS.items():
        summarized = n_bullets = n_leaks = n_lost = n_candidates = n_foreign = 0
        refused: dict[str, list[bool]] = {"not English": [], "no prose": [], "other": []}
        for row, body, is_english, body_sents in zip(rows, bodies, english, sentences, strict=True):
            outcome = run(row["html"], row["url"])
            if outcome.refused is not None:
                reason = outcome.refused if outcome.refused in refused else "other"
                refused[reason].append(is_english)
                n_lost += len(body_sents)
                if show_refused:
                    language = "English" if is_english else "not English"
                    notes.append(
                        f"[{name}] {row['id']} refused ({outcome.refused}); body is "
                        f"{language}: {row['url']}"
                    )
                continue
            summarized += 1
            n_bullets += len(outcome.bullets)
            n_lost += lost(body_sents, outcome.text)
            n_candidates += len(outcome.sentences)
            n_foreign += sum(not in_body(c, body) for c in outcome.sentences)
            for bullet in outcome.bullets:
                if not in_body(bullet, body):
                    n_leaks += 1
                    if show_leaks:
                        notes.append(f"[{name}] {row['id']} {row['url']}\n    {bullet}")

        def cell(reason: str, refused: dict[str, list[bool]] = refused) -> str:
            flags = refused[reason]
            return f"{len(flags)} ({sum(flags)})"

        total = sum(len(v) for v in refused.values())
        total_english = sum(sum(v) for v in refused.values())
        out.append(
            [
                name,
                len(rows),
                summarized,
                f"{total} ({total_english})",
                cell("not English"),
                cell("no prose"),
                cell("other"),
                n_bullets,
                n_leaks,
                f"{n_foreign}/{n_candidates}",
                f"{n_lost}/{n_sentences}",
            ]
        )
    table(
        f"Pages: pages_dev.jsonl.gz, {len(rows)} real pages ({sum(english)} with an English "
        "body). default: summarize_html(html, url=url); lexrank: trafilatura text + plain "
        "sumy LexRank. Refused: N (of which English). leaks: bullets not in the body. cands: "
        "the sentences bullets are picked from. body lost: sentences of the English bodies "
        "not in that text",
        [
            "pipeline",
            "pages",
            "summarized",
            "refused",
            "not Eng.",
            "no prose",
            "other",
            "bullets",
            "leaks",
            "cands leaking",
            "body lost",
        ],
        out,
    )
    for line in notes:
        print(line)


def texts_table(show_refused: bool) -> None:
    out = []
    notes: list[str] = []
    for name in ("news_dev.jsonl", "editorials_dev.jsonl"):
        rows = load(name)
        summarized = not_english = no_prose = other = n_lost = n_sentences = n_leaks = 0
        for row in rows:
            sents = body_sentences(row["text"])
            n_sentences += len(sents)
            try:
                summary = summarize(row["text"], title=row.get("title"))
            except SummaryError as exc:
                reason = _refusal(exc)
                not_english += reason == "not English"
                no_prose += reason == "no prose"
                other += reason not in ("not English", "no prose")
                n_lost += len(sents)
                if show_refused:
                    notes.append(f"[{name}] {row['id']} refused ({reason})")
                continue
            summarized += 1
            n_lost += lost(sents, summary.text)
            body = normalize(row["text"])
            n_leaks += sum(not in_body(b, body) for b in summary.bullets)
        out.append(
            [
                name,
                len(rows),
                summarized,
                not_english,
                no_prose,
                other,
                n_leaks,
                f"{n_lost}/{n_sentences}",
            ]
        )
    table(
        "Texts: clean article texts through summarize(text, title=title)",
        [
            "file",
            "texts",
            "summarized",
            "not English",
            "no prose",
            "other",
            "bullets not in text",
            "sentences lost",
        ],
        out,
    )
    for line in notes:
        print(line)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show-leaks", action="store_true")
    parser.add_argument("--show-refused", action="store_true")
    parser.add_argument("--only", choices=["pages", "texts"])
    args = parser.parse_args(argv)
    if args.only in (None, "pages"):
        pages_table(args.show_leaks, args.show_refused)
    if args.only in (None, "texts"):
        texts_table(args.show_refused)


if __name__ == "__main__":
    main()
