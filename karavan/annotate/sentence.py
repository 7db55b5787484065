"""A sentence as the clause layer and the fact rules see it: its view text, language, mentions, word look-ups.

Offsets in this module are view offsets (doc.norm); `karavan.extract.sentence.make_fact` maps a view span to
the original text for a fact's quote.

Reads: doc.sentences, doc.mentions, doc.norm, doc.paragraphs. Sets nothing: `sentences_of` builds the views.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from karavan.annotate.lexicon import WORD_KEYS, Gated, finditer_words, fold_lower, may_match, word_keys
from karavan.doc import Doc, Mention, View


@dataclass(slots=True)
class Sentence:
    index: int
    start: int  # view offsets
    end: int
    text: str  # the sentence's view text
    mentions: list[Mention] = field(default_factory=list)
    lang: str | None = None  # ru, kk, en: the language of its paragraph
    low: str = ""  # the text lower-cased, for literal pre-checks
    _folded: str | None = field(default=None, repr=False)  # the text folded (lexicon.fold), for needle checks
    _keys: frozenset[str] | None = field(default=None, repr=False)  # first letters of its words (word_keys)
    _by_kind: dict[str, list[Mention]] | None = field(default=None, repr=False)  # kind -> mentions, in order
    _hits: dict[str, bool] = field(default_factory=dict, repr=False)  # regex source -> a needle occurs
    _matches: dict[str, list[re.Match[str]]] = field(
        default_factory=dict, repr=False
    )  # regex source -> matches

    def of(self, kind: str, lo: int | None = None, hi: int | None = None) -> list[Mention]:
        """The mentions of a kind starting in the view range [lo, hi) (the whole sentence by default)."""
        if self._by_kind is None:
            self._by_kind = {}
            for m in self.mentions:
                self._by_kind.setdefault(m.kind, []).append(m)
        found = self._by_kind.get(kind, [])
        if lo is None and hi is None:
            return list(found)  # every mention of the sentence starts inside it
        lo = self.start if lo is None else lo
        hi = self.end if hi is None else hi
        # mentions are in view-start order (sentences_of): the range is one slice, found by bisection
        return found[bisect_left(found, lo, key=vstart) : bisect_left(found, hi, key=vstart)]

    def find(
        self, rx: re.Pattern[str] | Gated, lo: int | None = None, hi: int | None = None
    ) -> list[re.Match[str]]:
        """Matches of rx in the view range [lo, hi) of this sentence; match offsets are sentence-relative."""
        hit = self._hits.get(rx.pattern)
        if hit is None:
            keys = WORD_KEYS.get(getattr(rx, "_required", None) or rx.pattern)
            if keys is not None:
                if self._keys is None:
                    self._keys = word_keys(self.low or self.text.lower())
                if keys.isdisjoint(self._keys):
                    self._hits[rx.pattern] = False
                    return []
            if self._folded is None:
                self._folded = fold_lower(self.low or self.text.lower())
            hit = may_match(rx.pattern, self._folded)
            self._hits[rx.pattern] = hit
        if not hit:
            return []
        found = self._matches.get(rx.pattern)
        if found is None:
            found = self._matches[rx.pattern] = finditer_words(rx, self.text, self.low or None)
        if lo is None and hi is None:
            return found
        a = 0 if lo is None else lo - self.start
        b = len(self.text) if hi is None else hi - self.start
        # matches of one finditer neither overlap nor go back: starts and ends both rise, so those
        # inside [a, b] are one slice (a scan of every match, per call, was quadratic in a long sentence)
        i = bisect_left(found, a, key=re.Match.start)
        j = bisect_right(found, b, key=re.Match.end)
        return found[i:j] if i < j else []

    def able(self, rxs: tuple[re.Pattern[str] | Gated, ...]) -> list[int]:
        """The indexes, in order, of the expressions of `rxs` that `find` may match in this sentence: those
        whose words' first letters (WORD_KEYS) begin some word of it, or that have no such letters. The others
        find nothing, so asking only these gives the same answers with far fewer look-ups."""
        if self._keys is None:
            self._keys = word_keys(self.low or self.text.lower())
        by_key, always = _key_index(rxs)
        found = set(always)
        for k in self._keys:
            hit = by_key.get(k)
            if hit:
                found.update(hit)
        return sorted(found)

    def has(self, rx: re.Pattern[str] | Gated, lo: int | None = None, hi: int | None = None) -> bool:
        return bool(self.find(rx, lo, hi))

    def countries(self, lo: int | None = None, hi: int | None = None) -> list[str]:
        out: list[str] = []
        for m in self.of("country", lo, hi):
            if m.value not in out:
                out.append(m.value)
        return out


_KEY_INDEX: dict[int, tuple[tuple[object, ...], dict[str, list[int]], list[int]]] = {}


def _key_index(rxs: tuple[re.Pattern[str] | Gated, ...]) -> tuple[dict[str, list[int]], list[int]]:
    """first letters -> indexes of the expressions of `rxs` needing them, and those that need none; kept per
    tuple (the grammars' tuples live as long as the process)."""
    hit = _KEY_INDEX.get(id(rxs))
    if hit is not None and hit[0] is rxs:
        return hit[1], hit[2]
    by_key: dict[str, list[int]] = {}
    always: list[int] = []
    for i, rx in enumerate(rxs):
        keys = WORD_KEYS.get(getattr(rx, "_required", None) or rx.pattern)
        if keys is None:
            always.append(i)
            continue
        for k in keys:
            by_key.setdefault(k, []).append(i)
    _KEY_INDEX[id(rxs)] = (rxs, by_key, always)
    return by_key, always


def vstart(m: Mention) -> int:
    return m.attrs["v"][0]


def vend(m: Mention) -> int:
    return m.attrs["v"][1]


def sentences_of(doc: Doc) -> list[Sentence]:
    """The document's sentences outside page chrome, in view offsets, each with its mentions."""
    view = doc.norm or View.identity(doc.text)
    inv = view.inverse(len(doc.text))
    by_start = sorted((m for m in doc.mentions if "v" in m.attrs), key=vstart)
    out: list[Sentence] = []
    j = 0
    for sp in doc.sentences:
        if doc.is_excluded(sp.start, sp.end):
            continue
        vs, ve = inv[sp.start], inv[sp.end]
        while j < len(by_start) and vstart(by_start[j]) < vs:
            j += 1
        k = j
        ms = []
        while k < len(by_start) and vstart(by_start[k]) < ve:
            ms.append(by_start[k])
            k += 1
        text = view.text[vs:ve]
        s = Sentence(len(out), vs, ve, text, ms, lang=doc.lang_at(sp.start) or doc.lang, low=text.lower())
        out.append(s)
    return out
