"""What the people, speech, meeting, agreement and project rules need from a Doc: the normalised text,
sentences, the document's date, language, countries and cities.

The pipeline's stages provide sentences (annotate/sentences.py), country mentions (annotate/countries.py)
and paragraph languages (clean); the extractors are also called on a bare Doc (tests, library use), and
then the same shared pieces are run here on the fly. Cities come from data/places.toml (`find_cities`).

All offsets returned here are ORIGINAL offsets (doc.text).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from karavan.annotate.countries import read_countries
from karavan.annotate.people_data import Hits, doc_caseless, place_data, scan, word_starts
from karavan.annotate.sentences import split_sentences
from karavan.clean.langid import guess
from karavan.doc import Doc, Mention, Span, View

# A year 1990-2049 standing alone: (?<!\d)(19[9]\d|20[0-4]\d)(?!\d). The "no digit before" test is written
# after the first two digits ((?<!\d..) there looks at the same character) so that the pattern begins with
# literal digits, which the regex engine skips to directly instead of trying every position: several times
# faster, same matches (tests/test_people_names_speed_equivalence.py).
_YEAR = re.compile(r"(19(?<!\d..)9\d|20(?<!\d..)[0-4]\d)(?!\d)")
_LINE = re.compile(r"[^\n]+")


def view_of(doc: Doc) -> View:
    return doc.norm if doc.norm is not None else View.identity(doc.text)


def sentences(doc: Doc) -> list[Span]:
    """Sentences in original offsets: doc.sentences when annotate set them, else the annotator's splitter
    on the view (outside page chrome)."""
    if doc.sentences:
        return list(doc.sentences)
    view = view_of(doc)
    out = [Span(*view.orig_span(a, b)) for a, b in split_sentences(view.text)]
    return [s for s in out if not doc.is_excluded(s.start, s.end)]


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


def lang_at(doc: Doc, start: int, end: int) -> str | None:
    """ru, kk or en for a stretch of original text: the clean stage's answer, else the language guesser's."""
    return doc.lang_at(start) or guess(doc.text[start:end]).lang


@dataclass(frozen=True, slots=True)
class Place:
    start: int
    end: int
    code: str  # ISO2 of a country, or of the city's country
    city: str | None = None  # English city name when a city


def countries(doc: Doc) -> list[Place]:
    """Country mentions outside page chrome: the country annotator's, run here when annotate has not."""
    given = doc.mentions_of("country")
    if given:
        return [Place(m.start, m.end, str(m.value)) for m in given]  # annotate drops those in chrome
    view = view_of(doc)
    out = []
    for c in read_countries(view.text):
        a, b = view.orig_span(c.start, c.end)
        if not doc.is_excluded(a, b):
            out.append(Place(a, b, c.code))
    return out


def find_cities(doc: Doc) -> list[Mention]:
    """Cities of data/places.toml outside page chrome: Mention(kind="city", value="Dushanbe",
    attrs={"country": "TJ"}) in original offsets, in text order."""
    data = place_data()
    view = view_of(doc)
    out = []
    (at,) = data.city_gate.positions(view.text, doc_caseless(doc, view.text), word_starts(doc, view.text))
    for m in scan(data.city, view.text, at):
        a, b = view.orig_span(m.start(), m.end())
        if doc.is_excluded(a, b) or not m.group()[:1].isupper():
            continue
        name, code = data.cities[int((m.lastgroup or "c0")[1:])]
        out.append(Mention(a, b, "city", name, {"country": code}))
    return out


def cities(doc: Doc) -> list[Place]:
    """The document's cities: annotate's city mentions when present, else `find_cities` run here."""
    found = doc.mentions_of("city") or find_cities(doc)
    return [Place(m.start, m.end, str(m.attrs["country"]), str(m.value)) for m in found]


def doc_pair(
    doc: Doc,
    extra: list[str] | None = None,
    places: list[Place] | None = None,
    nations: list[Place] | None = None,
) -> list[str]:
    """The two countries the document is about: the most mentioned countries (cities count for theirs).
    `places` (cities) and `nations` (countries): the document's, when the caller has them. When its places
    name fewer than two, the countries of the people it names count too: a side said only by its leader
    («Касым-Жомарт Токаев провел переговоры с Президентом Таджикистана»)."""
    counts: Counter[str] = Counter(p.code for p in (countries(doc) if nations is None else nations))
    counts.update(p.code for p in (cities(doc) if places is None else places))
    counts.update(extra or [])
    if len(counts) < 2:
        from karavan.annotate.people import find_people  # people.py reads this module: imported when needed

        people = doc.mentions_of("person") or find_people(doc)
        counts.update(str(m.attrs["country"]) for m in people if m.attrs.get("country"))
    return sorted(c for c, _ in counts.most_common(2)) if counts else []
