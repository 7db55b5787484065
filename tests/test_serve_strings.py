"""The interface's words (karavan/serve/strings.toml): every language has every key of English, with the
same placeholders, a Babel locale, and a word of its own wherever English has one."""

from __future__ import annotations

import re

import pytest
from babel import Locale

from karavan.serve.i18n import DEFAULT_LANG, LANGS, strings, translator

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize("lang", LANGS)
def test_serve_strings_every_key_with_its_placeholders(lang: str) -> None:
    en, table = strings()[DEFAULT_LANG], strings()[lang]
    assert set(table) == set(en)
    wrong = {k for k in en if sorted(PLACEHOLDER.findall(table[k])) != sorted(PLACEHOLDER.findall(en[k]))}
    assert wrong == set()
    assert all(v.strip() for v in table.values())
    assert Locale.parse(table["locale"]).language == lang


@pytest.mark.parametrize(
    ("lang", "key", "values", "text"),
    [
        ("en", "page_of", {"page": 2, "pages": 7}, "page 2 of 7"),
        ("ru", "page_of", {"page": 2, "pages": 7}, "страница 2 из 7"),
        ("kk", "page_of", {"page": 2, "pages": 7}, "7 беттің 2-беті"),
        ("kk", "target_by", {"year": 2030}, "2030 жылға қарай"),
        ("kk", "no_such_key", {}, "no_such_key"),
    ],
)
def test_serve_strings_translate(lang: str, key: str, values: dict, text: str) -> None:
    assert translator(lang)(key, **values) == text
