"""split_sentences skips razdel where it cannot split and shows it only the places where it can:
the spans must stay exactly those of plain razdel.sentenize (plus our abbreviation joins)."""

from __future__ import annotations

import re

import pytest
from razdel import sentenize

from karavan.annotate.lexicon import load_lexicon
from karavan.annotate.sentences import _blocks, _razdel_spans, split_sentences

LONG_LINE = "Президент Казахстана провёл долгие переговоры с делегацией соседней страны в столице, а затем"  # > TITLE_MAX

# (text, the sentences split_sentences returns)
CASES = [
    (
        "Экспорт составил 5 млрд. долл. США. Рост продолжится.",
        ["Экспорт составил 5 млрд. долл. США.", "Рост продолжится."],
    ),
    (
        "Товарооборот достиг 1,2 млрд. долл. в прошлом году. Это рекорд.",
        ["Товарооборот достиг 1,2 млрд. долл. в прошлом году.", "Это рекорд."],
    ),
    (
        "Президент К.-Ж. Токаев встретился с премьером. Переговоры прошли в Астане.",
        ["Президент К.-Ж. Токаев встретился с премьером.", "Переговоры прошли в Астане."],
    ),
    (
        "Он сказал: «Мы готовы». Затем делегация уехала.",
        ["Он сказал: «Мы готовы».", "Затем делегация уехала."],
    ),
    (
        'Министр отметил: "Работа продолжится". Встреча завершилась.',
        ['Министр отметил: "Работа продолжится".', "Встреча завершилась."],
    ),
    (
        "Рост (на 5%) продолжится. Итоги (см. ниже) будут позже.",
        ["Рост (на 5%) продолжится.", "Итоги (см. ниже) будут позже."],
    ),
    ("Итак… Всё ясно. А дальше?", ["Итак…", "Всё ясно.", "А дальше?"]),
    ("Первое; второе; Третье пришло позже.", ["Первое; второе;", "Третье пришло позже."]),
    ("Когда это будет?! Никто не знает!", ["Когда это будет?!", "Никто не знает!"]),
    ("   Один абзац без точки в конце   ", ["Один абзац без точки в конце"]),
    ("Астана", ["Астана"]),
    ("  Астана.  ", ["Астана."]),
    # "и т.д." before a capital ends the sentence (an abbreviation that may end one: lexicon may_end)
    ("В т.ч. зерно, мука и т.д. Поставки выросли.", ["В т.ч. зерно, мука и т.д.", "Поставки выросли."]),
    ("Рост на 5 млрд. Долларов США больше не ждут.", ["Рост на 5 млрд.", "Долларов США больше не ждут."]),
    ("Объем составил 5 млрд. долларов.", ["Объем составил 5 млрд. долларов."]),
    (
        "Товарооборот составил $2,3 млрд. По итогам года рост продолжится.",
        ["Товарооборот составил $2,3 млрд.", "По итогам года рост продолжится."],
    ),
    (
        "Цена выросла на 5.3% за год.Следующая фраза без пробела.",
        ["Цена выросла на 5.3% за год.Следующая фраза без пробела."],
    ),
    (
        "1. Первый пункт списка\n2. Второй пункт списка",
        ["1. Первый пункт списка", "2. Второй пункт списка"],
    ),
    (
        LONG_LINE + "\nвстретился с прессой. Вопросов было много.",
        [LONG_LINE + "\nвстретился с прессой.", "Вопросов было много."],
    ),
    (
        "Qazaqstan men Tájikstan kelisimge keldi. Saýda ósti!",
        ["Qazaqstan men Tájikstan kelisimge keldi.", "Saýda ósti!"],
    ),
    ("Смайлик в конце :) А потом ещё фраза.", ["Смайлик в конце :)", "А потом ещё фраза."]),
]

# Blocks where only some delimiters are followed by a space, or none is.
BLOCKS = [
    "Astana.kz сообщает, что курс 5.3 держится",
    "Сказал «да»,и ушёл",
    "Вот так;и всё.",
    "Конец.",
    "  ",
    "",
    'Цитата: "Мы готовы" - сказал он. (Прим. ред.) Далее [1] текст.',
    "Рост ;-))) был :( большим!!! Да… нет? «Так» 'вот' „так“ (1) [2] {3}.",
]


def _reference(text: str) -> list[tuple[int, int]]:
    """The splitter as it was: plain razdel on every block, abbreviation regex over whole sentences (a unit
    abbreviation before a capital ends the sentence)."""

    def regex(key: str) -> re.Pattern[str]:
        words = sorted(set(load_lexicon().words(key)), key=len, reverse=True)
        return re.compile(rf"(?<![\w])(?:{'|'.join(re.escape(w) for w in words)})$", re.IGNORECASE)

    abbrev, may_end = regex("abbreviations.words"), regex("abbreviations.may_end")
    out: list[tuple[int, int]] = []
    for bs, be in _blocks(text):
        chunk = text[bs:be]
        joined: list[tuple[int, int]] = []
        for s in sentenize(chunk):
            if not s.text.strip():
                continue
            before = chunk[joined[-1][0] : joined[-1][1]] if joined else ""
            capital = len(s.text) > 1 and s.text[0].isupper() and s.text[1].islower()
            if joined and abbrev.search(before) and not (capital and may_end.search(before)):
                joined[-1] = (joined[-1][0], s.stop)
            else:
                joined.append((s.start, s.stop))
        out.extend((bs + a, bs + b) for a, b in joined)
    return out


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_annotate_sentences_of_tricky_blocks(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == expected


@pytest.mark.parametrize("text", [t for t, _ in CASES] + BLOCKS)
def test_annotate_sentences_same_as_plain_razdel(text: str) -> None:
    assert split_sentences(text) == _reference(text)


@pytest.mark.parametrize("chunk", [t for t, _ in CASES] + BLOCKS)
def test_annotate_razdel_spans_same_as_sentenize(chunk: str) -> None:
    expected = [(s.start, s.stop) for s in sentenize(chunk) if s.text.strip()]
    assert _razdel_spans(chunk) == expected
