"""One token index per text, shared by the anchors of numbers/periods and the country names."""

import pytest

from karavan.annotate.countries import country_keys, read_countries
from karavan.annotate.tokens import index_tokens
from karavan.annotate.windows import anchor_keys, anchors

CASES = [
    # (text, the tokens at the anchors, the countries found)
    ("Товарооборот с РК за 11 месяцев 2024 года", ["11", "месяцев", "2024", "года"], ["KZ"]),
    ("2024года Казахстан", ["2024", "года"], ["KZ"]),  # a word glued to digits is still a word
    (
        "abc123 x2024 2024Казахстан",
        ["2024"],
        [],
    ),  # digits inside a word are not a number; letters glued after digits are no name
    ("III квартал, ii, IV", ["iii", "квартал", "ii", "iv"], []),
    ("Республика Казахстан и Кыргызская Республика", [], ["KZ", "KG"]),
    ("в первом полугодии прошлого года", ["первом", "полугодии", "прошлого", "года"], []),
    ("индивидуальный предприниматель из Индии", [], ["IN"]),
    ("", [], []),
]


@pytest.mark.parametrize(("text", "tokens", "countries"), CASES)
def test_annotate_token_index_serves_anchors_and_countries(
    text: str, tokens: list[str], countries: list[str]
) -> None:
    index = index_tokens(text)
    found = anchors(text, index)
    assert [index.token_at(p) for p in found] == tokens
    assert found == anchors(text)  # the same without a shared index
    assert [c.code for c in read_countries(text, index)] == countries
    assert read_countries(text, index) == read_countries(text)
    # an index filing only the keys the two annotators ask for gives them the same
    filed = index_tokens(text, anchor_keys() | country_keys())
    assert anchors(text, filed) == found
    assert read_countries(text, filed) == read_countries(text)


def test_annotate_token_index_keeps_offsets_when_lower_case_is_longer() -> None:
    text = "İstanbul və Bakı 2024"  # İ lower-cases to two characters
    index = index_tokens(text)
    assert len(index.low) == len(text)
    assert index.digits == [text.index("2024")]
