"""What the people, speech, meeting, agreement and project rules need from a Doc, computed on the fly
when the clean/annotate stages have not set it: the normalised text, sentences, the document's date,
language, countries and cities (own small matcher on data/places.toml; the country annotator's
mentions win when present).

All offsets returned here are ORIGINAL offsets (doc.text).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from razdel import sentenize

from karavan.annotate.people_data import Hits, caseless, place_data, scan
from karavan.doc import Doc, Span, View

_YEAR = re.compile(r"(?<!\d)(19[9]\d|20[0-4]\d)(?!\d)")
_LATIN = re.compile(r"[A-Za-zÁáÓóÚúÝýıǴǵŃń]")
_CYRIL = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_KK_CYRIL = re.compile(r"[ӘәҒғҚқҢңӨөҰұҮүҺһІі]")
_LINE = re.compile(r"[^\n]+")
_KK_LATIN = re.compile(r"[ÁáÓóÚúÝýıǴǵŃń]")


def view_of(doc: Doc) -> View:
    return doc.norm if doc.norm is not None else View.identity(doc.text)


def orig(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Original span of a span of the normalised view."""
    return view_of(doc).orig_span(start, end)


def sentences(doc: Doc) -> list[Span]:
    """Sentences in original offsets: doc.sentences when annotate set them, else razdel on the view's
    blocks. A single line break ends a block after end punctuation or after a short (title) line; a
    long line running on into the next (a wrapped sentence) stays in one block."""
    if doc.sentences:
        return list(doc.sentences)
    view = view_of(doc)
    out: list[Span] = []
    for a, b in _blocks(view.text):
        for s in sentenize(view.text[a:b]):
            x, y = view.orig_span(a + s.start, a + s.stop)
            out.append(Span(x, y))
    return [s for s in out if not doc.is_excluded(s.start, s.end)]


def _blocks(text: str) -> list[tuple[int, int]]:
    blocks: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"\n", text):
        before = text[start : m.start()].rstrip()
        after = text[m.end() : m.end() + 1]
        if (
            not before
            or before[-1] in '.!?…:»"”'
            or len(before) < 100
            or not after.strip()
            or not after.isalpha()
        ):
            if text[start : m.start()].strip():
                blocks.append((start, m.start()))
            start = m.end()
    if text[start:].strip():
        blocks.append((start, len(text)))
    return blocks


def paragraphs(doc: Doc, where: Hits | None = None) -> list[Span]:
    """Non-empty lines of the original text, not in page chrome (only those `where` may hold a match)."""
    if where is not None and where.spans is not None:
        return _lines_with(doc, where.spans)
    out = []
    for m in _LINE.finditer(doc.text):
        if m.group().strip() and not doc.is_excluded(m.start(), m.end()):
            out.append(Span(m.start(), m.end()))
    return out


def _lines_with(doc: Doc, spans: list[tuple[int, int]]) -> list[Span]:
    """The lines of `paragraphs` holding one of the spans (which never cross a line end)."""
    text = doc.text
    out: list[Span] = []
    for start, _ in spans:
        if out and start < out[-1].end:
            continue
        a = text.rfind("\n", 0, start) + 1
        b = text.find("\n", start)
        b = len(text) if b < 0 else b
        if text[a:b].strip() and not doc.is_excluded(a, b):
            out.append(Span(a, b))
    return out


def doc_month(doc: Doc) -> str | None:
    """The document's date as "YYYY-MM": the publication date, else the latest year in the text (its end)."""
    if doc.published:
        return doc.published[:7]
    years = [int(y) for y in _YEAR.findall(view_of(doc).text)]
    return f"{max(years)}-12" if years else None


def lang_at(doc: Doc, start: int, end: int) -> str:
    """ru, kk or en for a stretch of original text: the clean stage's answer, else by its letters."""
    known = doc.lang_at(start)
    if known:
        return known
    text = doc.text[start:end]
    cyr, lat = len(_CYRIL.findall(text)), len(_LATIN.findall(text))
    if cyr >= lat:
        return "kk" if _KK_CYRIL.search(text) else "ru"
    return "kk" if _KK_LATIN.search(text) else "en"


@dataclass(frozen=True, slots=True)
class Place:
    start: int
    end: int
    code: str  # ISO2 of a country, or of the city's country
    city: str | None = None  # English city name when a city


def countries(doc: Doc) -> list[Place]:
    """Country mentions: the country annotator's when present, else data/places.toml names and adjectives."""
    given = [m for m in doc.mentions if m.kind == "country"]
    if given:
        return [Place(m.start, m.end, str(m.value)) for m in given if not doc.is_excluded(m.start, m.end)]
    data = place_data()
    view = view_of(doc)
    out: list[Place] = []
    for rx in (data.country, data.country_adj):
        for m in rx.finditer(view.text):
            a, b = view.orig_span(m.start(), m.end())
            if not doc.is_excluded(a, b):
                out.append(Place(a, b, m.lastgroup or ""))
    out.sort(key=lambda p: p.start)
    return out


def cities(doc: Doc) -> list[Place]:
    data = place_data()
    view = view_of(doc)
    out = []
    (at,) = data.city_gate.positions(view.text, caseless(view.text))
    for m in scan(data.city, view.text, at):
        a, b = view.orig_span(m.start(), m.end())
        if doc.is_excluded(a, b) or not m.group()[:1].isupper():
            continue
        name, code = data.cities[int((m.lastgroup or "c0")[1:])]
        out.append(Place(a, b, code, name))
    return out


def doc_pair(
    doc: Doc,
    extra: list[str] | None = None,
    places: list[Place] | None = None,
    nations: list[Place] | None = None,
) -> list[str]:
    """The two countries the document is about: the most mentioned countries (cities count for theirs).
    `places` (cities) and `nations` (countries): the document's, when the caller has them."""
    counts: Counter[str] = Counter(p.code for p in (countries(doc) if nations is None else nations))
    counts.update(p.code for p in (cities(doc) if places is None else places))
    counts.update(extra or [])
    return sorted(c for c, _ in counts.most_common(2)) if counts else []
