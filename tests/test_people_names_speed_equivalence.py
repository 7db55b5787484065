"""The people annotator's shortcuts give what the plain code they replace gave."""

from __future__ import annotations

import re

import pytest

from karavan.annotate import people
from karavan.annotate.people_context import _YEAR
from karavan.annotate.people_data import Person, _gate_word_starts, _word_start_gate, fold, people_data

TEXTS = [
    "Президент Казахстана Касым-Жомарт Токаев встретился с Шавкатом Мирзиёевым в 2023 году.",
    "Мемлекет басшысы Қасым-Жомарт Тоқаев Жапаровпен кездесті. 1999 және 2049 жылдар.",
    "President Tokayev met Xi Jinping in Astana on 12.05.2024; Си Цзиньпин и Путин.",
    "Тоқаевтың сапары, Токаева, TOKAYEV, Tokayev's visit, Mirziyoyev-Tokayev talks.",
    "12019 20245 1989 2050 199 2000a a2001 ٢٠٢٣ 2015-2016 2030/2040",
    "Глава государства Садыр Жапаров и президент Таджикистана Эмомали Рахмон.",
    "",
]

_PLAIN_YEAR = re.compile(r"(?<!\d)(19[9]\d|20[0-4]\d)(?!\d)")


@pytest.mark.parametrize("text", TEXTS)
def test_people_year_pattern_same_years(text: str) -> None:
    assert _YEAR.findall(text) == _PLAIN_YEAR.findall(text)


@pytest.mark.parametrize("text", TEXTS)
def test_people_names_same_as_plain_loop(text: str) -> None:
    assert people._names(text) == _plain_names(text)


def _plain_names(text: str) -> list[tuple[int, int, tuple[Person, ...], str]]:
    """people._names as it was: one loop over every capitalised token."""
    out: list[tuple[int, int, tuple[Person, ...], str]] = []
    taken = 0
    for m in people._capital_token().finditer(text):
        t_start, t_end = m.span()
        if t_start < taken:
            continue
        key = people._name_key(m.group())
        if key is None:
            continue
        nxt = people._TOKEN.search(text, t_end)
        if nxt is not None:
            n_start, n_end = nxt.span()
            n_text = nxt.group()
            if n_text[:1].isupper() and people._SPACES.fullmatch(text, t_end, n_start):
                nkey = fold(n_text)
                lasts_next = people._lasts(nkey, True)
                full = [p for p in people._firsts(key, False) if p in lasts_next and not p.last_first]
                firsts_next = people._firsts(nkey, True)
                full += [p for p in people._lasts(key, False) if p in firsts_next and p.last_first]
                if full:
                    out.append((t_start, n_end, tuple(full), "full"))
                    taken = n_end
                    continue
        cands = tuple(p for p in people._lasts(key, True) if p.surname_alone)
        if cands:
            out.append((t_start, t_end, cands, "surname"))
    return out


def _role_country_pairs() -> list[tuple[str, str]]:
    data = people_data()
    codes = sorted({p.country for p in data.people}) + ["XX"]
    return [(role, code) for role in sorted(data.role_ranks) for code in codes]


@pytest.mark.parametrize(("role", "code"), _role_country_pairs())
def test_people_holders_same_as_scan_of_all_people(role: str, code: str) -> None:
    data = people_data()
    plain = tuple(p for p in data.people if p.country == code and p.holds(role, None))
    assert people._holders(role, code) == plain


@pytest.mark.parametrize("name", sorted({p.name for p in people_data().people}) + ["Nobody"])
def test_people_head_names_same_as_any_over_people(name: str) -> None:
    plain = any(p.name == name and p.holds("president", None) for p in people_data().people)
    assert (name in people._head_names()) == plain


@pytest.mark.parametrize("text", TEXTS)
def test_people_roles_skipping_patterns_without_positions(text: str) -> None:
    """A pattern whose gate gives no position is skipped: scanning everywhere finds nothing either."""
    data = people_data()
    at = data.gate.positions(text)
    patterns = [rx for _, rx in data.role_patterns] + [data.country_only, data.generic_head]
    for rx, where in zip(patterns, at, strict=True):
        if where == []:
            assert list(rx.finditer(text)) == []


@pytest.mark.parametrize(
    "low",
    [t.lower() for t in TEXTS]
    + ["президент", "-президент", "aпрезидент президент", "астана,астана", "12астана"],
)
def test_people_word_starts_same_as_boundary_scan(low: str) -> None:
    rx = _word_start_gate()
    assert rx is not None
    assert _gate_word_starts(low) == [m.start() for m in rx.finditer(low)]
