"""Annotate stage: sentences, amounts, percents, factors, periods, countries, people, speech, cities.

Everything is read from the normalised view (doc.norm) and stored as Mentions in
original offsets; `attrs["v"]` keeps the view offsets for the fact rules, which
match patterns on the view text. Mentions inside page chrome are dropped.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache

from karavan.annotate.countries import country_keys, read_places
from karavan.annotate.numbers import read_all
from karavan.annotate.people import find_people
from karavan.annotate.people_context import find_cities
from karavan.annotate.periods import (
    mention_attrs,
    publication_month,
    read_periods,
    reference_year,
    resolve_all,
)
from karavan.annotate.sentences import split_sentences
from karavan.annotate.speakers import find_speech
from karavan.annotate.tokens import index_tokens
from karavan.annotate.translit import kazakh_latin_view
from karavan.annotate.unwrap import unwrap_lines
from karavan.annotate.windows import anchor_keys, anchors
from karavan.doc import Doc, Mention, Span, View


def _view(doc: Doc) -> View:
    if doc.norm is None:
        doc.norm = View.identity(doc.text)
    # Kazakh in Latin script is read through its Cyrillic transliteration (offsets stay original)
    doc.norm = unwrap_lines(kazakh_latin_view(doc, doc.norm))
    return doc.norm


def annotate(doc: Doc) -> Doc:
    view = _view(doc)
    text = view.text
    mentions: list[Mention] = []

    def add(vs: int, ve: int, kind: str, value: object, **attrs: object) -> None:
        s, e = view.orig_span(vs, ve)
        if doc.is_excluded(s, e):
            return
        attrs["v"] = (vs, ve)
        mentions.append(Mention(s, e, kind, value, attrs))

    doc.sentences = []
    for vs, ve in split_sentences(text, chrome_spans(doc, view)):
        s, e = view.orig_span(vs, ve)
        doc.sentences.append(Span(s, e, "sentence"))

    tokens = index_tokens(text, _indexed_keys())  # one pass over the words: anchors and country names
    wins = outside_chrome(anchors(text, tokens), doc, view)
    readings = read_all(text, doc.lang, wins)
    for r in readings:
        add(r.start, r.end, r.kind, r.value, unit=r.unit, decimals=r.decimals, **r.attrs)

    specs = read_periods(text, wins)
    doc.reference_year = reference_year(doc.published, text, specs, wins)
    month = publication_month(doc.published)
    resolved = resolve_all(specs, doc.reference_year, month)
    for sp in specs:
        add(
            sp.start, sp.end, "period", resolved.get(sp.start), **mention_attrs(sp, doc.reference_year, month)
        )

    amounts = sorted((r.start, r.end) for r in readings if r.kind == "amount")
    places = read_places(text, tokens)
    # the country names and adjectives, in view offsets: what the people's title phrases look up
    doc.derive("country_spans", text, lambda: [(c.start, c.end, c.code) for c in places if c.kind == "country"
                                                and c.form in ("name", "adj", "exact")])  # fmt: skip
    for c in places:  # countries, blocs (@EAEU) and regions (KZ-19)
        i = bisect_right(amounts, (c.start, len(text) + 1)) - 1
        if i < 0 or not amounts[i][0] <= c.start < amounts[i][1]:  # "долл. США" is a currency, not a country
            add(c.start, c.end, c.kind, c.code, form=c.form)

    mentions.extend(_people_and_speech(doc))
    mentions.sort(key=lambda m: (m.start, -m.end))
    doc.mentions = mentions
    return doc


@cache
def _indexed_keys() -> frozenset[str]:
    return anchor_keys() | country_keys()


def chrome_spans(doc: Doc, view: View) -> list[tuple[int, int]]:
    """Page chrome in view offsets, sorted."""
    pos = view.inverse(len(doc.text))
    return [(pos[sp.start], pos[sp.end]) for sp in doc.excluded]


def outside_chrome(starts: list[int], doc: Doc, view: View) -> list[int]:
    """The anchor offsets that are not in page chrome: readings there would be dropped anyway."""
    if not doc.excluded:
        return starts
    chrome = chrome_spans(doc, view)
    out = []
    for a in starts:
        i = bisect_right(chrome, (a, len(view.text) + 1)) - 1
        if i < 0 or not chrome[i][0] <= a < chrome[i][1]:
            out.append(a)
    return out


def _people_and_speech(doc: Doc) -> list[Mention]:
    """People, the stretches of text each of them is quoted as saying, and cities (for meetings and projects)."""
    people = find_people(doc)
    return [*people, *find_speech(doc, people), *find_cities(doc)]
