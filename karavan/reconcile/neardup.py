"""Reposts: near-duplicate documents found by word shingles, MinHash and LSH banding.

A document is the set of its 5-word shingles (lower-cased `\\w+` words, so Kazakh
letters count as letters). Two documents are near duplicates when the Jaccard
similarity of their shingle sets is at least NEAR_DUP_JACCARD. Candidates come
from LSH: the MinHash signature is cut into LSH_BANDS bands of LSH_ROWS values;
documents sharing a band share a bucket. Inside a bucket each document is checked
only against the bucket's first document and its neighbour in id order, so the
work stays linear in the number of documents; union-find then closes the groups.
The representative of a group is its smallest document id.
"""

from __future__ import annotations

import hashlib
import operator
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

SHINGLE_WORDS = 5
"""Words per shingle."""

NEAR_DUP_JACCARD = 0.6
"""Shingle Jaccard at or above which two documents count as one source (reposts with other chrome)."""

NUM_HASHES = 63
LSH_BANDS = 21
LSH_ROWS = 3
"""21 bands of 3 rows: a pair at Jaccard 0.6 becomes a candidate with probability 0.99, at 0.2 with 0.16."""

_RNG = random.Random(20240501)
_MASKS = tuple(_RNG.getrandbits(64) for _ in range(NUM_HASHES))
del _RNG
_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[int]:
    """64-bit hashes of the k-word shingles of a text (stable across runs and machines)."""
    words = _WORD.findall(text.lower())
    if len(words) < k:
        grams = [" ".join(words)] if words else []
    else:
        grams = [" ".join(words[i : i + k]) for i in range(len(words) - k + 1)]
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams}


def minhash_signature(shingle_set: set[int] | str) -> tuple[int, ...]:
    """MinHash signature (XOR-masked 64-bit hashes) of a shingle set or of a text."""
    s = shingles(shingle_set) if isinstance(shingle_set, str) else shingle_set
    if not s:
        return tuple([0] * NUM_HASHES)
    return tuple(min(map(m.__xor__, s)) for m in _MASKS)


def jaccard(a: set[int], b: set[int]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def estimated_jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    if len(a) != len(b):
        raise ValueError("signatures of different lengths")
    return sum(map(operator.eq, a, b)) / len(a)  # a third of the time of a generator over zip


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {x: x for x in items}

    def find(self, x: str) -> str:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo  # the smallest id stays the root

    def groups(self) -> dict[str, str]:
        return {x: self.find(x) for x in sorted(self.parent)}


def _lsh_union(
    sigs: Mapping[str, tuple[int, ...]], uf: _UnionFind, similar: Callable[[str, str], bool]
) -> None:
    for band in range(LSH_BANDS):
        lo, hi = band * LSH_ROWS, (band + 1) * LSH_ROWS
        buckets: dict[tuple[int, ...], list[str]] = defaultdict(list)
        for doc in sorted(sigs):
            buckets[(band, *sigs[doc][lo:hi])].append(doc)
        for members in buckets.values():
            if len(members) < 2:
                continue
            first = members[0]
            for prev, doc in zip(members, members[1:], strict=False):
                for other in {first, prev}:
                    if uf.find(other) != uf.find(doc) and similar(other, doc):
                        uf.union(other, doc)


def near_duplicate_groups(texts: Mapping[str, str]) -> dict[str, str]:
    """doc -> representative doc of its near-duplicate group (checked by exact shingle Jaccard)."""
    sets = {doc: shingles(text) for doc, text in texts.items()}
    sigs = {doc: minhash_signature(s) for doc, s in sets.items() if s}
    uf = _UnionFind(texts)
    _lsh_union(sigs, uf, lambda a, b: jaccard(sets[a], sets[b]) >= NEAR_DUP_JACCARD)
    return uf.groups()


def groups_from_signatures(
    hashes: Mapping[str, str | None], sigs: Mapping[str, tuple[int, ...] | None]
) -> dict[str, str]:
    """doc -> representative, from text hashes (identical) and MinHash signatures (estimated Jaccard)."""
    docs = sorted(set(hashes) | set(sigs))
    uf = _UnionFind(docs)
    by_hash: dict[str, str] = {}
    for doc in docs:
        h = hashes.get(doc)
        if h:
            if h in by_hash:
                uf.union(by_hash[h], doc)
            else:
                by_hash[h] = doc
    present = {d: s for d, s in sigs.items() if s and len(s) == NUM_HASHES}
    _lsh_union(present, uf, lambda a, b: estimated_jaccard(present[a], present[b]) >= NEAR_DUP_JACCARD)
    return uf.groups()
