"""The shortcuts that make people, speech and city annotation cheaper give what the plain scans give."""

from __future__ import annotations

import re

import pytest

from karavan.annotate.people_data import (
    LiteralGate,
    _caseless_char,
    _find_words,
    _trie,
    caseless,
    doc_caseless,
    people_data,
    place_data,
    word_starts,
)
from karavan.annotate.speakers import _closings, _end_subject, _speech
from karavan.doc import Doc


def test_people_caseless_keeps_word_characters() -> None:
    """`word_starts` takes \\b on the caseless text for a word start of the text itself."""
    for i in range(0x10000):
        ch = chr(i)
        if 0xD800 <= i < 0xE000 or len(ch.lower()) != 1:
            continue
        assert bool(re.match(r"\w", ch)) == bool(re.match(r"\w", _caseless_char(ch))), hex(i)


@pytest.mark.parametrize(
    "text",
    [
        "Президент Казахстана Касым-Жомарт Токаев прибыл в Душанбе.",
        "Премьер-министр Таджикистана Кохир Расулзода и министр иностранных дел в Астане",
        "Qazaqstan Prezıdenti Toqaev Astanada, Ташкентте және Бишкекте",
        "Встреча в АСТАНЕ, астане и «Алматы»; президентом, ПРЕЗИДЕНТ",
        "",
    ],
)
def test_people_word_starts_serve_both_gates(text: str) -> None:
    doc = Doc("d", text)
    low = caseless(text)
    starts = word_starts(doc, text)
    roles, cities = people_data().gate, place_data().city_gate
    assert roles.positions(text, low, starts) == roles.positions(text, low)
    assert cities.positions(text, low, starts) == cities.positions(text, low)


def test_people_doc_caseless_is_per_document() -> None:
    text = "Президент ИТАЛИИ"
    a, b = Doc("a", text), Doc("b", text)
    assert doc_caseless(a, text) == caseless(text) == doc_caseless(b, text)
    assert doc_caseless(a, text) is doc_caseless(a, text)


@pytest.mark.parametrize(
    ("words", "low"),
    [
        (("аа",), "ааааа аа"),
        (("туралы", "жөніндегі"), "туралы келісім жөніндегітуралы"),
        (("словам", "according"), "по его словам, according to him, словамсловам"),
        (("ab", "ba"), "ababab"),
    ],
)
def test_people_find_words_is_the_trie_scan(words: tuple[str, ...], low: str) -> None:
    rx = re.compile(_trie(list(words)))
    assert _find_words(words, low) == [m.span() for m in rx.finditer(low)]


def test_people_few_word_gate_hits() -> None:
    gate = LiteralGate(["по\\s+словам", "according\\s+to"], re.IGNORECASE)
    text = "По словам министра, ACCORDING to him"
    assert gate.rx is not None
    assert (
        gate.hits(caseless(text)).spans
        == [(0, 2), (20, 29)]
        == [m.span() for m in gate.rx.finditer(caseless(text) or "")]
    )


@pytest.mark.parametrize(
    "chunk",
    [
        "«Мы договорились», – сказал Токаев.",
        "«Мы договорились» , —  отметил он, – подчеркнул министр.",
        "Казахстан-Таджикистан - добрые соседи - заявил президент",
        "Это важно - Bektenov said, - added the minister ",
        "без тире сказал он",
    ],
)
def test_people_closings_are_the_full_scan(chunk: str) -> None:
    sp = _speech()
    assert [m.span() for m in _closings(chunk, sp)] == [m.span() for m in sp.closing.finditer(chunk)]


@pytest.mark.parametrize(
    "chunk",
    [
        "Trade will grow, Bektenov said.",
        "Trade, investment and transit will grow, Uzbek President Shavkat Mirziyoyev said.",
        "No comma here Bektenov said.",
        "Trade will grow, he said, and more.",
    ],
)
def test_people_end_subject_from_the_last_comma(chunk: str) -> None:
    sp = _speech()
    got, full = _end_subject(chunk, sp), sp.end_subject.search(chunk)
    assert (got.span() if got else None) == (full.span() if full else None)
