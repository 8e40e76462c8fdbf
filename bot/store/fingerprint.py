"""Content fingerprints for cross-outlet deduplication.

* ``content_hash``: SHA-256 of the text reduced to lower-case words (punctuation, quotes,
  dashes, case and whitespace differences vanish), so a copy re-typeset by another outlet
  hashes the same.
* ``minhash_bands``: MinHash over word 3-shingles, banded for locality-sensitive lookup
  (Broder 1997; Leskovec, Rajaraman, Ullman, *Mining of Massive Datasets* ch. 3).  24 hash
  functions in 8 bands of 3: two texts whose shingle sets overlap with Jaccard similarity
  ``J`` share at least one band with probability ``1 - (1 - J**3)**8``: 0.99 at J = 0.78 (an
  editorial with a paragraph dropped and a credit line added), 0.0001 at J = 0.025 (the most
  similar *different* pieces among the 141 real articles in ../shared/data).  The store finds
  candidates by an indexed equality lookup on the bands, then confirms with the exact
  ``jaccard`` of the texts (``NEAR_JACCARD``).

Why not simhash: over these articles a one-paragraph edit moved a 64-bit simhash by up to
10 bits (median 3), so the usual 3-bit threshold missed a third of real near-copies and a
wider one cannot be looked up by index.

The hash constants derive from fixed strings: changing them, or the shingle size, makes
stored bands incomparable and needs a migration that recomputes them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np

ROWS = 3
BANDS = 8
NEAR_JACCARD = 0.5
SHINGLE = 3
MIN_WORDS = 12  # shorter texts are only compared by exact content hash

_WORD = re.compile(r"\w+", re.UNICODE)


def _constants(tag: str) -> np.ndarray:
    raw = b"".join(
        hashlib.blake2b(f"briefbot-minhash-{tag}-{i}".encode(), digest_size=8).digest()
        for i in range(ROWS * BANDS)
    )
    return np.frombuffer(raw, dtype=np.uint64).copy()


_MULTIPLIERS = _constants("a") | np.uint64(1)  # odd: multiply-shift hashing
_ADDENDS = _constants("b")


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def content_hash(text: str) -> str:
    """Hex SHA-256 of the normalized words of ``text``."""
    return hashlib.sha256(" ".join(words(text)).encode("utf-8")).hexdigest()


def shingles(text: str) -> frozenset[str]:
    """The word 3-shingles of ``text`` (empty when it is shorter than ``MIN_WORDS``)."""
    tokens = words(text)
    if len(tokens) < MIN_WORDS:
        return frozenset()
    return frozenset(" ".join(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def minhash_bands(shingle_set: frozenset[str]) -> list[int]:
    """``BANDS`` non-negative 31-bit band keys of the MinHash signature (empty set: none)."""
    if not shingle_set:
        return []
    digests = b"".join(
        hashlib.blake2b(s.encode("utf-8"), digest_size=8).digest() for s in sorted(shingle_set)
    )
    x = np.frombuffer(digests, dtype=np.uint64)
    # (a * x + b) mod 2**64, high 32 bits: one hash function per row; numpy arrays wrap.
    hashed = (x[None, :] * _MULTIPLIERS[:, None] + _ADDENDS[:, None]) >> np.uint64(32)
    signature = hashed.min(axis=1).astype(np.uint32)
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=4).digest()) & 0x7FFFFFFF)
    return keys


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
