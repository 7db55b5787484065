"""The central data model: a document, spans into its original text, views and facts.

The original text of a document never changes. Every stage adds annotations that
point into it by character offsets. Derived texts (the normalised view, the
Kazakh Latin→Cyrillic transliteration) are `View`s that carry a map from each of
their characters back to the original, so a span found in a view is always
reported in original offsets.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True, frozen=True)
class Span:
    """A half-open interval [start, end) of the original text, with a label."""

    start: int
    end: int
    label: str = ""

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


class ViewPositions:
    """`positions[p]`: the first view offset whose original offset is at or after p."""

    __slots__ = ("to_orig", "size")

    def __init__(self, to_orig: list[int], size: int) -> None:
        self.to_orig = to_orig
        self.size = size

    def __getitem__(self, pos: int) -> int:
        return bisect_left(self.to_orig, pos, 0, self.size)


@dataclass(slots=True)
class View:
    """A derived text with a map from its characters back to original offsets.

    `to_orig[i]` is the original offset of view character i; `to_orig[len(text)]`
    is the original offset just past the end. Characters inserted by the view
    (no original counterpart) map to the original character they stand for.
    """

    text: str
    to_orig: list[int]

    @classmethod
    def identity(cls, text: str) -> View:
        return cls(text, list(range(len(text) + 1)))

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the view's [start, end)."""
        if end <= start:
            pos = self.to_orig[start]
            return pos, pos
        return self.to_orig[start], self.to_orig[end - 1] + 1

    def inverse(self, n: int) -> ViewPositions:
        """Original offset -> the first view offset at or after it (`n` = length of the original).

        A lookup, not a table: `to_orig` never decreases, so a binary search answers each offset.
        """
        return ViewPositions(self.to_orig, len(self.text))

    def compose(self, inner: View) -> View:
        """A view of this view (`inner.to_orig` points into self.text) as a view of the original.

        The result is of the inner view's kind, so it maps spans the way the inner view does.
        """
        outer = self.to_orig  # one entry per character of self.text plus the end: every inner index fits
        return type(inner)(inner.text, [outer[i] for i in inner.to_orig])


class RunView(View):
    """A View whose characters each cover a contiguous run of the original, in order.

    A span ends where the next character's run starts, so a span ending on a
    composed letter (`Ó` from `О` + U+0301) or on `ш` (from Latin `sh`) covers
    the whole run.
    """

    __slots__ = ()

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            pos = self.to_orig[start]
            return pos, pos
        return self.to_orig[start], self.to_orig[end]


@dataclass(slots=True, frozen=True)
class Paragraph:
    start: int
    end: int
    lang: str | None = None  # ru, kk, en
    script: str | None = None  # Cyrl, Latn


def _para_start(p: Paragraph) -> int:
    return p.start


@dataclass(slots=True, frozen=True)
class Mention:
    """Something an annotator recognised: a number, money amount, period, country, person.

    `value` is the normalised reading (a float, an ISO code, a period string, a
    dict for compound readings); offsets are original offsets.
    """

    start: int
    end: int
    kind: str
    value: Any = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Fact:
    """One fact in the shape of shared/FACTS.md plus its provenance.

    `fields` holds the type-specific FACTS.md fields (flow, reporter, value, ...).
    """

    type: str
    doc: str
    start: int
    end: int
    quote: str
    fields: dict[str, Any] = field(default_factory=dict)
    claimant: str | None = None
    lang: str | None = None
    rule: str = ""
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"doc": self.doc, "type": self.type}
        out.update(self.fields)
        out.update(
            claimant=self.claimant,
            quote=self.quote,
            start=self.start,
            end=self.end,
            lang=self.lang,
            rule=self.rule,
            confidence=self.confidence,
        )
        return out


COMMON_FACT_KEYS = ("doc", "type", "claimant", "quote", "start", "end", "lang", "rule", "confidence")


def fact_from_dict(d: dict[str, Any]) -> Fact:
    """Inverse of Fact.to_dict: rebuild a Fact from its FACTS.md JSON form."""
    fields = {k: v for k, v in d.items() if k not in COMMON_FACT_KEYS}
    return Fact(
        type=d["type"],
        doc=d["doc"],
        start=int(d.get("start") or 0),
        end=int(d.get("end") or 0),
        quote=d.get("quote") or "",
        fields=fields,
        claimant=d.get("claimant"),
        lang=d.get("lang"),
        rule=d.get("rule") or "",
        confidence=float(d.get("confidence") if d.get("confidence") is not None else 1.0),
    )


@dataclass(slots=True)
class Doc:
    """A document and everything the pipeline found in it.

    Metadata comes from ingest; `excluded`, `norm`, `articles`, `paragraphs`,
    `lang`, `script` from clean; `sentences`, `mentions`, `reference_year` from annotate;
    `facts` from extract.
    """

    id: str
    text: str
    url: str | None = None
    published: str | None = None  # ISO date "YYYY-MM-DD" or None
    source: str | None = None
    encoding: str | None = None
    path: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # unknown input keys, kept as they came

    excluded: list[Span] = field(default_factory=list)  # page chrome; label says which kind
    norm: View | None = None
    articles: list[Span] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    lang: str | None = None
    script: str | None = None

    sentences: list[Span] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    reference_year: int | None = None  # the document's current year: its date, or anchors in its text
    facts: list[Fact] = field(default_factory=list)
    # what a stage computed from one of the document's texts for later stages to reuse (a caseless copy,
    # word starts): a cache that never changes a result; (what, id(text)) -> (text, value)
    derived: dict[tuple[str, int], tuple[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    def derive(self, what: str, text: str, make: Callable[[], Any]) -> Any:
        """`make()`, computed once per document for one of its texts (doc.text or a view's text) and kept
        in `derived`; later stages asking for the same thing of the same text get it back."""
        key = (what, id(text))
        hit = self.derived.get(key)
        if hit is not None and hit[0] is text:
            return hit[1]
        value = make()
        self.derived[key] = (text, value)
        return value

    def is_excluded(self, start: int, end: int) -> bool:
        """True when [start, end) lies inside page chrome (an overlap of at least half of it)."""
        spans = self.excluded
        if not spans:
            return False
        # chrome spans do not overlap: only those starting before `end`, latest first, can cover the span
        i = bisect_left(spans, end, key=lambda sp: sp.start)
        covered = 0
        while i > 0:
            i -= 1
            sp = spans[i]
            if sp.end <= start:
                break
            covered += min(end, sp.end) - max(start, sp.start)
        return covered > 0 and covered * 2 >= (end - start)

    def paragraph_at(self, pos: int) -> Paragraph | None:
        """The first paragraph holding `pos`: by bisection when they are in order and apart (as clean makes
        them; a scan per fact was quadratic in a document of many paragraphs), else by a scan."""
        ps = self.paragraphs
        ordered = self.derive(
            f"paragraphs-in-order:{id(ps)}:{len(ps)}",
            self.text,
            lambda: all(a.end <= b.start for a, b in zip(ps, ps[1:], strict=False)),
        )
        if ordered:
            i = bisect_right(ps, pos, key=_para_start) - 1
            return ps[i] if i >= 0 and ps[i].start <= pos < ps[i].end else None
        for p in ps:
            if p.start <= pos < p.end:
                return p
        return None

    def lang_at(self, pos: int) -> str | None:
        p = self.paragraph_at(pos)
        return (p.lang if p and p.lang else None) or self.lang

    def mentions_of(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]
