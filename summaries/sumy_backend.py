"""sumy, wired to our tokenizer, stemmer and stop words; every sumy algorithm by name.

sumy's summarizers read a document model (``ObjectDocumentModel`` of ``Paragraph`` of
``Sentence``) whose sentences tokenise themselves through the tokenizer object they were
built with.  We build that model from the cleaned paragraphs directly (no second sentence
split), with our offline :class:`~summaries.sentences.SentenceTokenizer`.

sumy (and the NLTK and numpy it pulls in) is imported on first use, so ``import summaries``
stays cheap for the CLI and adapters; summarizers are built once per process and reused
(they hold no per-document state).

``FastLexRank`` (:func:`fast_lexrank_class`) is sumy's LexRank with its two quadratic
pure-Python loops (the idf table and the idf-modified-cosine matrix) done with numpy; the
maths is unchanged (tests/summaries compare its matrix with sumy's own).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

from summaries.sentences import SentenceTokenizer

__all__ = [
    "SUMY_ALGORITHMS",
    "build_document",
    "fast_lexrank_class",
    "lexrank_scores",
    "summarizer",
    "sumy_select",
    "too_long_for",
]

LANGUAGE = "english"

# name -> (module, class) in sumy.summarizers
_SUMY: dict[str, tuple[str, str]] = {
    "lexrank": ("lex_rank", "LexRankSummarizer"),
    "lsa": ("lsa", "LsaSummarizer"),
    "textrank": ("text_rank", "TextRankSummarizer"),
    "luhn": ("luhn", "LuhnSummarizer"),
    "edmundson": ("edmundson", "EdmundsonSummarizer"),
    "kl": ("kl", "KLSummarizer"),
    "sumbasic": ("sum_basic", "SumBasicSummarizer"),
    "reduction": ("reduction", "ReductionSummarizer"),
}
SUMY_ALGORITHMS: tuple[str, ...] = tuple(_SUMY)

# Edmundson's cue method needs bonus and stigma words (sumy's parsers ship Czech ones).
# English cue words in Edmundson's sense: words that announce what matters, and hedges.
_BONUS_WORDS_TEXT = (
    "important significant key main crucial essential central major vital critical conclude "
    "conclusion therefore thus must should need"
)
_STIGMA_WORDS_TEXT = "hardly perhaps maybe allegedly impossible trivial minor anecdote"


@cache
def tokenizer() -> SentenceTokenizer:
    return SentenceTokenizer()


STEM_CACHE = 65536  # words; an article has a few hundred distinct ones, a news day ~20k


@cache
def stemmer() -> Callable[[str], str]:
    """sumy's Snowball stemmer behind an LRU cache: stemming is most of LexRank's cost, and
    the same words come back in every sentence and every article."""
    from sumy.nlp.stemmers import Stemmer

    cached: Callable[[str], str] = lru_cache(maxsize=STEM_CACHE)(Stemmer(LANGUAGE))
    return cached


@cache
def stop_words() -> frozenset[str]:
    from sumy.utils import get_stop_words

    return frozenset(get_stop_words(LANGUAGE))


def build_document(
    paragraphs: Sequence[Sequence[str]], title: str | None = None
) -> tuple[Any, list[Any]]:
    """sumy's document model for our paragraphs (the title as a heading, which sumy's
    Edmundson title method reads), and its body sentences in document order."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tok = tokenizer()
    built: list[Any] = []
    body: list[Any] = []
    for i, paragraph in enumerate(paragraphs):
        sentences = [Sentence(s, tok) for s in paragraph]
        body.extend(sentences)
        if i == 0 and title:
            sentences = [Sentence(title, tok, is_heading=True), *sentences]
        built.append(Paragraph(sentences))
    return ObjectDocumentModel(built), body


@cache
def fast_lexrank_class() -> type[Any]:
    """sumy's ``LexRankSummarizer`` with numpy doing the idf table and cosine matrix."""
    import numpy as np
    from sumy.summarizers.lex_rank import LexRankSummarizer

    class FastLexRank(LexRankSummarizer):  # type: ignore[misc]
        @staticmethod
        def _compute_idf(sentences: list[list[str]]) -> dict[str, float]:
            count = len(sentences)
            document_frequency: Counter[str] = Counter()
            for sentence in sentences:
                document_frequency.update(set(sentence))
            return {t: math.log(count / (1 + df)) for t, df in document_frequency.items()}

        def _create_matrix(
            self,
            sentences: list[list[str]],
            threshold: float,
            tf_metrics: list[dict[str, float]],
            idf_metrics: dict[str, float],
        ) -> Any:
            index = {term: i for i, term in enumerate(idf_metrics)}
            idf = np.fromiter(idf_metrics.values(), dtype=np.float64, count=len(idf_metrics))
            vectors = np.zeros((len(sentences), len(index)))
            for row, tf in enumerate(tf_metrics):
                for term, value in tf.items():
                    vectors[row, index[term]] = value
            weighted = vectors * idf
            norms = np.sqrt((weighted**2).sum(axis=1))
            dots = weighted @ weighted.T
            both = np.outer(norms > 0, norms > 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                cosine = np.where(both, dots / np.outer(norms, norms), 0.0)
            matrix = (cosine > threshold).astype(np.float64)
            degrees = matrix.sum(axis=1)
            degrees[degrees == 0] = 1
            return matrix / degrees[:, None]

        @staticmethod
        def power_method(matrix: Any, epsilon: float) -> Any:
            # sumy's power iteration divides by the vector's norm, which is 0 when no two
            # sentences share a weighted word (two sentences: every idf is log(2/2) = 0).
            # No similarity means no sentence is more central: equal scores.
            if not np.any(matrix):
                return np.full(len(matrix), 1.0 / max(len(matrix), 1))
            return LexRankSummarizer.power_method(matrix, epsilon)

    return FastLexRank


@cache
def summarizer(name: str) -> Any:
    """The process-wide sumy summarizer for ``name`` ("lexrank-fast": our numpy LexRank)."""
    import importlib

    if name == "lexrank-fast":
        cls = fast_lexrank_class()
    else:
        module, cls_name = _SUMY[name]
        cls = getattr(importlib.import_module(f"sumy.summarizers.{module}"), cls_name)
    instance = cls(stemmer())
    if name == "edmundson":
        instance.null_words = stop_words()
        instance.bonus_words = _BONUS_WORDS_TEXT.split()
        instance.stigma_words = _STIGMA_WORDS_TEXT.split()
    else:
        instance.stop_words = stop_words()
    return instance


def lexrank_scores(sentences: Sequence[Any]) -> list[float]:
    """LexRank centrality of each sentence (sumy's maths, numpy speed), max-normalised."""
    lexrank = summarizer("lexrank-fast")
    words = [lexrank._to_words_set(s) for s in sentences]
    if not any(words):
        return [0.0] * len(sentences)
    tf = lexrank._compute_tf(words)
    idf = lexrank._compute_idf(words)
    matrix = lexrank._create_matrix(words, lexrank.threshold, tf, idf)
    scores = lexrank.power_method(matrix, lexrank.epsilon)
    top = float(max(scores)) or 1.0
    return [float(s) / top for s in scores]


# sumy's implementations are pure Python and some are far from linear in the number of
# sentences (KL is greedy and cubic: 0.7 s at 100 sentences, 5 s at 200).  Above these
# sizes the algorithm is refused with a clear message instead of hanging a worker.
MAX_SENTENCES: dict[str, int] = {"kl": 150, "lsa": 500, "reduction": 600, "textrank": 1000}
# "lexrank" by name is sumy's LexRankSummarizer with the similarity matrix built by numpy:
# the same scores (tests compare the matrices) without the quadratic Python loop.
_IMPLEMENTATION = {"lexrank": "lexrank-fast"}


def too_long_for(name: str, n_sentences: int) -> int | None:
    """The sentence limit ``name`` would exceed on ``n_sentences``, or None."""
    limit = MAX_SENTENCES.get(name)
    return limit if limit is not None and n_sentences > limit else None


def sumy_select(name: str, document: Any, count: int) -> list[int]:
    """Indices (in document order) of the sentences sumy's ``name`` algorithm picks."""
    chosen = summarizer(_IMPLEMENTATION.get(name, name))(document, count)
    position = {id(s): i for i, s in enumerate(document.sentences)}
    return sorted(position[id(s)] for s in chosen if id(s) in position)
