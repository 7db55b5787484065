"""The shortcuts that make people/speech/event matching fast give exactly what a full regex scan gives."""

import re

import pytest

from karavan.annotate.people_data import (
    LiteralGate,
    PrefixGate,
    caseless,
    literal_prefix,
    people_data,
    place_data,
    scan,
)

PREFIXES = [
    (r"президент\w*", "президент"),
    (r"сказал[аи]?", "сказал"),
    (r"Туркестан[аеуо]?м?", "Туркестан"),
    (r"abc?", "ab"),
    (r"ab{0,2}", "a"),
    (r"senate (speaker|chairman)", "senate "),
    (r"Нур-Султан\w*", "Нур-Султан"),
    (r"глав\w* государства|мемлекет басшы\w*", ""),  # top-level alternation: no common prefix
    (r"\s+и\s+", ""),
    (r"(?:в|во)\s+", ""),
]


@pytest.mark.parametrize(("pattern", "expected"), PREFIXES)
def test_people_literal_prefix(pattern: str, expected: str) -> None:
    assert literal_prefix(pattern) == expected


CASELESS = [
    ("Prezıdent РК", "prezident рк"),  # dotless ı is the same letter as i to a case-insensitive regex
    ("ſenate", "senate"),
    ("ᲀстреча", "встреча"),  # old Cyrillic ve
    ("ҚАЗАҚСТАН", "қазақстан"),
    ("İstanbul", None),  # its lower case is two characters: offsets would move
]


@pytest.mark.parametrize(("text", "expected"), CASELESS)
def test_people_caseless_keeps_offsets(text: str, expected: str | None) -> None:
    assert caseless(text) == expected


TEXTS = [
    "Президент Казахстана Касым-Жомарт Токаев и премьер-министр РК встретились в Астане.",
    "ПРЕЗИДЕНТ Узбекистана, глава государства, mınıstr; Prezıdent Tájikstan; PRESIDENT of Russia",
    "Kelvin: \u212aazakhstan PRESİDENT Tashkent-Astana, Нур-Султане и нур-султан; Ошского, в Оше",
    "пре-президент, экс-премьер, Душанбе́ «Астана» ДУШАНБЕ\nбасшысы Қазақстан Республикасының Президенті",
    "Ош Osh osh Ошу; Ашхабад ашғабат; Tash-Kumyr Таш-Көмір; Бухара, бухарской",
]


@pytest.mark.parametrize("text", TEXTS)
def test_people_gated_scan_equals_finditer(text: str) -> None:
    data, places = people_data(), place_data()
    n = len(data.role_patterns)
    rxs = [rx for _, rx in data.role_patterns] + [data.country_only, data.generic_head]
    for low in (caseless(text), None):  # the fast scan and the one for texts without a caseless form
        at = data.gate.positions(text, low)
        for i, rx in enumerate(rxs):
            assert [m.span() for m in scan(rx, text, at[i])] == [m.span() for m in rx.finditer(text)], i
        (city_at,) = places.city_gate.positions(text, low)
        assert [m.span() for m in scan(places.city, text, city_at)] == [
            m.span() for m in places.city.finditer(text)
        ]
    assert len(rxs) == n + 2


def test_people_prefix_gate_without_literal_start_scans_everywhere() -> None:
    gate = PrefixGate([([r"\w+ство"], re.IGNORECASE), ([r"завод\w*"], re.IGNORECASE)])
    at = gate.positions("Строительство завода", caseless("Строительство завода"))
    assert at == [None, [14]]


GATES = [
    # (alternatives, inner, text, span, may match)
    ([r"сказал[аи]?", r"атап\s+өтті"], False, "Он СКАЗАЛ, что рост есть.", (0, 10), True),
    ([r"сказал[аи]?", r"атап\s+өтті"], False, "Он СКАЗАЛ, что рост есть.", (10, 25), False),
    ([r"сказал[аи]?", r"атап\s+өтті"], False, "Рахмон атап\nөтті.", (0, 17), True),
    ([r"по\s+его\s+словам", r"according\s+to"], True, "По его словам, рост есть. По плану.", (0, 25), True),
    ([r"по\s+его\s+словам", r"according\s+to"], True, "По его словам, рост есть. По плану.", (25, 35), False),
    ([r"\w+ство"], False, "Строительство", (0, 13), True),  # no literal start: anywhere
]


@pytest.mark.parametrize(("alternatives", "inner", "text", "span", "expected"), GATES)
def test_people_literal_gate_within(
    alternatives: list[str], inner: bool, text: str, span: tuple[int, int], expected: bool
) -> None:
    hits = LiteralGate(alternatives, re.IGNORECASE, inner=inner).hits(caseless(text))
    assert hits.within(*span) is expected


def test_people_literal_gate_first_is_where_a_match_can_start() -> None:
    text = "Рост есть. Президент отметил, что рост есть."
    hits = LiteralGate([r"отметил[аи]?"], re.IGNORECASE).hits(caseless(text))
    assert hits.first(0, 10) is None
    assert hits.first(11, len(text)) == text.index("отметил")
