"""sumy, wired to our tokenizer, stemmer and stop words; every sumy algorithm by name.

sumy's summarizers read a document model (``ObjectDocumentModel`` of ``Paragraph`` of
``Sentence``) whose sentences tokenise themselves through the tokenizer object they were
built with.  We build that model from the cleaned paragraphs directly (no second sentence
split), with our offline :class:`~summaries.sentences.SentenceTokenizer`.

Summarizers are built once per process and reused: they hold no per-document state.

:class:`FastLexRank` is sumy's LexRank with its two quadratic pure-Python loops (the idf
table and the idf-modified-cosine matrix) done with numpy; the maths is unchanged (the
tests compare its scores with sumy's own).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.reduction import ReductionSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from summaries.sentences import SentenceTokenizer

__all__ = [
    "SUMY_ALGORITHMS",
    "FastLexRank",
    "build_document",
    "lexrank_scores",
    "stemmed_words",
    "sumy_select",
]

LANGUAGE = "english"

_CLASSES: dict[str, Any] = {
    "lexrank": LexRankSummarizer,
    "lsa": LsaSummarizer,
    "textrank": TextRankSummarizer,
    "luhn": LuhnSummarizer,
    "edmundson": EdmundsonSummarizer,
    "kl": KLSummarizer,
    "sumbasic": SumBasicSummarizer,
    "reduction": ReductionSummarizer,
}
SUMY_ALGORITHMS: tuple[str, ...] = tuple(_CLASSES)

# Edmundson's cue method needs bonus and stigma words (sumy's parsers ship Czech ones).
# English cue words in Edmundson's sense: words that announce what matters, and hedges.
_BONUS_WORDS_TEXT = (
    "important significant key main crucial essential central major vital critical "
    "conclude conclusion therefore thus must should need"
)
_BONUS_WORDS = list(_BONUS_WORDS_TEXT.split())
_STIGMA_WORDS_TEXT = "hardly perhaps maybe allegedly impossible trivial minor anecdote"
_STIGMA_WORDS = list(_STIGMA_WORDS_TEXT.split())


@cache
def tokenizer() -> SentenceTokenizer:
    return SentenceTokenizer()


@cache
def stemmer() -> Stemmer:
    return Stemmer(LANGUAGE)


@cache
def stop_words() -> frozenset[str]:
    return frozenset(get_stop_words(LANGUAGE))


def stemmed_words(sentence: str) -> list[str]:
    """Lower-cased, stemmed content words of a sentence (stop words dropped)."""
    stem = stemmer()
    stops = stop_words()
    return [stem(w) for w in (w.lower() for w in tokenizer().to_words(sentence)) if w not in stops]


def build_document(
    paragraphs: Sequence[Sequence[str]], title: str | None = None
) -> tuple[ObjectDocumentModel, list[Sentence]]:
    """sumy's document model for our paragraphs (the title as a heading, which sumy's
    Edmundson title method reads), and its body sentences in document order."""
    tok = tokenizer()
    built: list[Paragraph] = []
    body: list[Sentence] = []
    for i, paragraph in enumerate(paragraphs):
        sentences = [Sentence(s, tok) for s in paragraph]
        body.extend(sentences)
        if i == 0 and title:
            sentences = [Sentence(title, tok, is_heading=True), *sentences]
        built.append(Paragraph(sentences))
    return ObjectDocumentModel(built), body


class FastLexRank(LexRankSummarizer):  # type: ignore[misc]
    """sumy's LexRank with the idf table and the similarity matrix computed by numpy."""

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
    ) -> np.ndarray[Any, np.dtype[np.float64]]:
        index = {term: i for i, term in enumerate(idf_metrics)}
        idf = np.fromiter(idf_metrics.values(), dtype=np.float64, count=len(idf_metrics))
        vectors = np.zeros((len(sentences), len(index)))
        for row, tf in enumerate(tf_metrics):
            for term, value in tf.items():
                vectors[row, index[term]] = value
        weighted = vectors * idf
        norms = np.sqrt((weighted**2).sum(axis=1))
        dots = weighted @ weighted.T
        with np.errstate(divide="ignore", invalid="ignore"):
            cosine = dots / np.outer(norms, norms)
        cosine = np.where(np.outer(norms > 0, norms > 0), cosine, 0.0)
        matrix = (cosine > threshold).astype(np.float64)
        degrees = matrix.sum(axis=1)
        degrees[degrees == 0] = 1
        result: np.ndarray[Any, np.dtype[np.float64]] = matrix / degrees[:, None]
        return result


@cache
def _summarizer(name: str) -> Any:
    cls = FastLexRank if name == "lexrank-fast" else _CLASSES[name]
    summarizer = cls(stemmer())
    if name == "edmundson":
        summarizer.null_words = stop_words()
        summarizer.bonus_words = _BONUS_WORDS
        summarizer.stigma_words = _STIGMA_WORDS
    else:
        summarizer.stop_words = stop_words()
    return summarizer


def lexrank_scores(sentences: Sequence[Sentence]) -> list[float]:
    """LexRank centrality of each sentence (sumy's maths, numpy speed), max-normalised."""
    lexrank = _summarizer("lexrank-fast")
    words = [lexrank._to_words_set(s) for s in sentences]
    if not any(words):
        return [0.0] * len(sentences)
    tf = lexrank._compute_tf(words)
    idf = lexrank._compute_idf(words)
    matrix = lexrank._create_matrix(words, lexrank.threshold, tf, idf)
    scores = lexrank.power_method(matrix, lexrank.epsilon)
    top = float(max(scores)) or 1.0
    return [float(s) / top for s in scores]


def sumy_select(name: str, document: ObjectDocumentModel, count: int) -> list[int]:
    """Indices (in document order) of the sentences sumy's ``name`` algorithm picks."""
    chosen = _summarizer(name)(document, count)
    position = {id(s): i for i, s in enumerate(document.sentences)}
    return sorted(position[id(s)] for s in chosen if id(s) in position)
