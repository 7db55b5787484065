"""Clean stage: language and script of documents and paragraphs (ru, kk Cyrillic, kk Latin, en)."""

from __future__ import annotations

import pytest
from conftest import shared

from karavan.clean import clean
from karavan.clean.langid import guess
from karavan.doc import Doc


@pytest.mark.parametrize(
    ("seed", "lang", "script"),
    [
        ("000", "ru", "Cyrl"),
        ("001", "ru", "Cyrl"),
        ("002", "ru", "Cyrl"),
        ("003", "kk", "Latn"),  # Kazakh in the 2018 Latin alphabet (lingua says Slovak)
        ("004", "ru", "Cyrl"),
    ],
)
def test_clean_seed_language_and_script(seed: str, lang: str, script: str) -> None:
    path = next(shared("seeds").glob(f"{seed}_*.txt"))
    doc = clean(Doc(path.stem, path.read_text(encoding="utf-8")))
    assert (doc.lang, doc.script) == (lang, script)
    assert doc.paragraphs
    assert {(p.lang, p.script) for p in doc.paragraphs} == {(lang, script)}


@pytest.mark.parametrize(
    ("text", "lang", "script"),
    [
        ("Товарооборот между Казахстаном и Узбекистаном вырос на 12%.", "ru", "Cyrl"),
        ("Тоқаев встретился с Мирзиёевым в Ташкенте", "ru", "Cyrl"),  # a Kazakh name in a Russian line
        ("Қазақстан мен Өзбекстан арасындағы тауар айналымы 4,4 млрд долларды құрады.", "kk", "Cyrl"),
        ("Тоқаев Мирзиёевпен кездесті", "kk", "Cyrl"),
        ("Qazaqstan men Ózbekstan arasyndaǵy taýar aınalymy 4,4 mlrd dollardy qurady.", "kk", "Latn"),  # 2018
        ("Qazaqstan men Özbekstan arasyndağy tauar ainalymy 4,4 mlrd dollardy qūrady.", "kk", "Latn"),  # 2021
        ("Qazaqstan men O'zbekstan arasyndag'y tauar ainalymy o'sti.", "kk", "Latn"),  # 2017 apostrophes
        ("Trade between Kazakhstan and Uzbekistan reached $4.4 billion in 2024.", "en", "Latn"),
        ("The presidents of Kazakhstan and China met in Astana", "en", "Latn"),
    ],
)
def test_clean_paragraph_language(text: str, lang: str, script: str) -> None:
    g = guess(text)
    assert (g.lang, g.script) == (lang, script)


def test_clean_no_letters_gives_no_language() -> None:
    assert guess("1 662 - 446.49").lang is None


def test_clean_mixed_document_majority_and_paragraphs() -> None:
    ru = "Президенты Казахстана и Кыргызстана обсудили торговлю и транзит. " * 6
    kk = "Қазақстан мен Қырғызстан президенттері сауда мәселелерін талқылады."
    doc = clean(Doc("t", f"{ru}\n\n{kk}"))
    assert (doc.lang, doc.script) == ("ru", "Cyrl")
    assert [p.lang for p in doc.paragraphs] == ["ru", "kk"]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # English possessives and contractions are not the 2017 alphabet's apostrophes
        ("China remains Kazakhstan's largest trading partner.", "en"),
        ("Uzbekistan's exports didn't grow, we're told.", "en"),
        ("Tajikistan's trade with Kyrgyzstan isn't large.", "en"),
        # 2017 Kazakh Latin, short
        ("Ferroqorytpa zay'ytyn saly' josparlany'da.", "kk"),
        ("sy' resy'rstaryn birlesip basqary' ty'raly kelisim", "kk"),
        ("Qazaqstan men O'zbekstan arasyndag'y tay'ar ai'nalymy o'sti.", "kk"),
    ],
)
def test_clean_langid_apostrophes(text: str, lang: str) -> None:
    assert guess(text).lang == lang
