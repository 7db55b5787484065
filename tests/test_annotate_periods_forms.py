"""Period phrases as the press writes them: full spans, compact forms, marketing years, relative periods and
their anchor, spans of years, deadlines, the year a text fixes, and what is not a period. Phrasings are our own."""

from __future__ import annotations

import pytest

from karavan.annotate.periods import PeriodSpec, read_periods, resolve_against
from karavan.doc import Doc, Mention
from karavan.pipeline import process


def periods(text: str, published: str | None = None) -> list[Mention]:
    doc = process(Doc(id="t", text=text, published=published), until="annotate")
    return [m for m in doc.mentions if m.kind == "period"]


def quoted(text: str, published: str | None = None) -> list[tuple[str, str | None]]:
    return [(text[m.start : m.end], m.value) for m in periods(text, published)]


# --- 1. full spans ---------------------------------------------------------------------------------------

FULL_SPANS = [
    # (text, published, [(phrase, period)])
    (
        "Mutual trade from January through December 2022 came to $1.2 billion.",
        None,
        [("January through December 2022", "2022-01/2022-12")],
    ),
    (
        "Exports grew from January through February 2023.",
        None,
        [("January through February 2023", "2023-01/2023-02")],
    ),
    ("In January-September 2018 the turnover rose.", None, [("January-September 2018", "2018-01/2018-09")]),
    ("Imports fell in Jan-Oct 2023.", None, [("Jan-Oct 2023", "2023-01/2023-10")]),
    (
        "Shipments from October 2022 through March 2023 doubled.",
        None,
        [("October 2022 through March 2023", "2022-10/2023-03")],
    ),
    (
        "Товарооборот за январь–сентябрь 2024 года вырос.",
        None,
        [("январь–сентябрь 2024 года", "2024-01/2024-09")],
    ),
    ("С января по май 2023 года экспорт увеличился.", None, [("января по май 2023 года", "2023-01/2023-05")]),
    ("Экспорт за янв.-окт. 2023 г. вырос.", None, [("янв.-окт. 2023 г.", "2023-01/2023-10")]),
    (
        "Поставки за январь-август текущего года выросли.",
        "2024-10-01",
        [("январь-август текущего года", "2024-01/2024-08")],
    ),
    (
        "Қазақстан 2017 жылдың қаңтар-мамыр айында бидай экспорттады.",
        None,
        [("2017 жылдың қаңтар-мамыр айында", "2017-01/2017-05")],
    ),
    (
        "Қаңтар-қыркүйек аралығында тауар айналымы өсті.",
        "2024-11-05",
        [("Қаңтар-қыркүйек аралығында", "2024-01/2024-09")],
    ),
    (
        "Eki el arasyndaǵy taýar aınalymy 2023 jyldyń qańtar-naýryz aılarynda ósti.",
        None,
        [("2023 jyldyń qańtar-naýryz aılarynda", "2023-01/2023-03")],
    ),
    # across the new year: resolved only when a year or a marketing year is given
    ("Экспорт зерна за сентябрь–март вырос.", "2024-05-01", [("сентябрь–март", None)]),
    ("Grain exports in September–March grew.", "2024-05-01", [("September–March", None)]),
    ("Grain exports in September–March 2023 grew.", None, [("September–March 2023", "2022-09/2023-03")]),
    (
        "2021/22 маркетингтік жылдың қыркүйек-наурыз айларында экспорт өсті.",
        None,
        [("2021/22 маркетингтік жылдың қыркүйек-наурыз айларында", "2021-09/2022-03")],
    ),
]


@pytest.mark.parametrize(("text", "published", "expected"), FULL_SPANS)
def test_annotate_full_month_spans(text: str, published: str | None, expected: list) -> None:
    assert quoted(text, published) == expected


# --- 2. compact and abbreviated forms --------------------------------------------------------------------

COMPACT = [
    ("Trade was valued at $259.5mn in 4M23.", None, "4M23", "2023-01/2023-04"),
    ("Exports reached $12mn in 4M2023.", None, "4M2023", "2023-01/2023-04"),
    ("Imports were $24.2mn in 10M2022.", None, "10M2022", "2022-01/2022-10"),
    ("Turnover in 9M 2024 rose.", None, "9M 2024", "2024-01/2024-09"),
    ("За 9М2024 экспорт вырос.", None, "9М2024", "2024-01/2024-09"),
    ("Revenue in 1H2023 grew.", None, "1H2023", "2023-01/2023-06"),
    ("Revenue in H1 2023 grew.", None, "H1 2023", "2023-01/2023-06"),
    ("Trade in Q1 2023 slowed.", None, "Q1 2023", "2023-01/2023-03"),
    ("Trade in 1Q24 slowed.", None, "1Q24", "2024-01/2024-03"),
    ("Товарооборот за I квартал 2024 года вырос.", None, "I квартал 2024 года", "2024-01/2024-03"),
    ("Товарооборот за первое полугодие вырос.", "2024-09-01", "первое полугодие", "2024-01/2024-06"),
    (
        "Экспорт за первые полгода этого года вырос.",
        "2025-09-11",
        "первые полгода этого года",
        "2025-01/2025-06",
    ),
    ("Экспорт бірінші тоқсанында өсті.", "2024-05-01", "бірінші тоқсанында", "2024-01/2024-03"),
    ("Trade in the 11 months of 2023 rose.", None, "11 months of 2023", "2023-01/2023-11"),
    ("Exports for 11 months of 2023 rose.", None, "11 months of 2023", "2023-01/2023-11"),
    ("Trade in the first half of 2022 rose.", None, "first half of 2022", "2022-01/2022-06"),
    ("Trade grew by 5% in six months.", "2024-08-01", "six months", "2024-01/2024-06"),
    ("Trade grew by 5% in three months.", "2024-05-01", "three months", "2024-01/2024-03"),
    ("Тауар айналымы үш айда өсті.", "2024-05-01", "үш айда", "2024-01/2024-03"),
    (
        "Eksport 2024 jyldyń birinshi toqsanynda ósti.",
        None,
        "2024 jyldyń birinshi toqsanynda",
        "2024-01/2024-03",
    ),
    ("Ал былтырғы 9 айда 326 тонна тері сатылды.", "2025-10-20", "былтырғы 9 айда", "2024-01/2024-09"),
]


@pytest.mark.parametrize(("text", "published", "phrase", "period"), COMPACT)
def test_annotate_compact_and_abbreviated_periods(
    text: str, published: str | None, phrase: str, period: str
) -> None:
    assert quoted(text, published) == [(phrase, period)]


# --- 3. marketing years ----------------------------------------------------------------------------------

SEASONS = [
    ("Экспорт муки за 2022/23 МГ вырос.", None, "2022/23 МГ", "2022-07/2023-06"),
    ("В 2021/22 маркетинговом году экспорт вырос.", None, "2021/22 маркетинговом году", "2021-07/2022-06"),
    ("Итоги сезона-2020/21 подведены.", None, "сезона-2020/21", "2020-07/2021-06"),
    ("Exports in the 2019/20 season fell.", None, "2019/20 season", "2019-07/2020-06"),
    ("Eksport 2021/22 marketıngtik jyly ósti.", None, "2021/22 marketıngtik jyly", "2021-07/2022-06"),
    (
        "За 5 месяцев 2022/23 МГ (июль-ноябрь) экспорт вырос.",
        None,
        "5 месяцев 2022/23 МГ (июль-ноябрь)",
        "2022-07/2022-11",
    ),
    ("За июль-май сезона-2020/21 экспорт вырос.", None, "июль-май сезона-2020/21", "2020-07/2021-05"),
    ("В текущем сезоне экспорт вырос.", "2023-10-01", "текущем сезоне", "2023-07/2024-06"),
    ("В текущем сезоне экспорт вырос.", "2024-03-01", "текущем сезоне", "2023-07/2024-06"),
    ("Экспорт за 2021/23 МГ вырос.", None, None, None),  # the two years do not follow each other
]


@pytest.mark.parametrize(("text", "published", "phrase", "period"), SEASONS)
def test_annotate_marketing_years(
    text: str, published: str | None, phrase: str | None, period: str | None
) -> None:
    found = [(p, v) for p, v in quoted(text, published) if "/" in p or "сезон" in p]
    assert found == ([(phrase, period)] if phrase else [])


# --- 4. relative periods and their anchor ----------------------------------------------------------------

DOC_ANCHORED = [
    ("Товарооборот в прошлом году вырос.", "прошлом году", "2023-01/2023-12"),
    ("Trade grew last year.", "last year", "2023-01/2023-12"),
    ("Тауар айналымы былтыр өсті.", "былтыр", "2023-01/2023-12"),
    ("Тауар айналымы биыл өсті.", "биыл", "2024-01/2024-12"),
    ("Trade grew this year.", "this year", "2024-01/2024-12"),
    ("Trade grew over the past year.", "past year", "2023-01/2023-12"),
    ("Товарооборот текущего года вырос.", "текущего года", "2024-01/2024-12"),
    ("Byltyr taýar aınalymy 10 paıyzǵa ósti.", "Byltyr", "2023-01/2023-12"),
    ("В следующем году товарооборот вырастет.", "следующем году", "2025-01/2025-12"),
]


@pytest.mark.parametrize(("text", "phrase", "period"), DOC_ANCHORED)
def test_annotate_relative_period_anchored_on_the_document(text: str, phrase: str, period: str) -> None:
    [m] = periods(text, "2024-06-01")
    assert (text[m.start : m.end], m.value, m.attrs["anchor"]) == (phrase, period, "doc")


FACT_ANCHORED = [
    # (text, the phrase, the fact's own period, the phrase's period)
    (
        "Exports rose 5% on the same period last year.",
        "same period last year",
        "2023-01/2023-11",
        "2022-01/2022-11",
    ),
    (
        "Экспорт вырос на 5% относительно аналогичного периода прошлого года.",
        "аналогичного периода прошлого года",
        "2024-01/2024-06",
        "2023-01/2023-06",
    ),
    (
        "Trade rose 5.7 percent compared to the same period in 2022.",
        "same period in 2022",
        "2023-01/2023-02",
        "2022-01/2022-02",
    ),
    ("Годом ранее экспорт был вдвое меньше.", "Годом ранее", "2024-01/2024-09", "2023-01/2023-09"),
    ("A year earlier exports were half as large.", "year earlier", "2024-01/2024-09", "2023-01/2023-09"),
    ("Бір жыл бұрын экспорт екі есе аз болды.", "Бір жыл бұрын", "2024-01/2024-09", "2023-01/2023-09"),
    ("Товарооборот вырос на 4% по сравнению с 2023-м.", "2023-м", "2024-01/2024-12", "2023-01/2023-12"),
    ("Trade grew 9% compared to the figure for 2021.", "2021", "2022-01/2022-12", "2021-01/2021-12"),
    (
        "Тауар айналымы өткен жылдың сәйкес кезеңімен салыстырғанда өсті.",
        "өткен жылдың сәйкес кезеңімен",
        "2024-01/2024-05",
        "2023-01/2023-05",
    ),
    (
        "Taýar aınalymy ótken jyldyń sáıkes kezeńimen salystyrǵanda ósti.",
        "ótken jyldyń sáıkes kezeńimen",
        "2024-01/2024-05",
        "2023-01/2023-05",
    ),
    (
        "Экспорт вырос по сравнению с первым полугодием прошлого года.",
        "первым полугодием прошлого года",
        "2024-01/2024-06",
        "2023-01/2023-06",
    ),
    ("Trade rose compared with last year.", "last year", "2024-01/2024-10", "2023-01/2023-10"),
    ("Exports hit $1 billion, up from $800 million in 2022.", "2022", "2023-01/2023-03", "2022-01/2022-03"),
    ("Экспорт вырос на 5% к уровню 2022 года.", "2022 года", "2023-01/2023-09", "2022-01/2022-09"),
    (
        "Экспорт муки вырос против 1,1 млн тонн в предыдущем сезоне.",
        "предыдущем сезоне",
        "2021-07/2022-06",
        "2020-07/2021-06",
    ),
    (
        "Это в 1,7 раза больше показателя аналогичного периода прошлого сезона.",
        "аналогичного периода прошлого сезона",
        "2022-07/2022-11",
        "2021-07/2021-11",
    ),
    (
        "Это на 53% больше, чем в аналогичный период 2019/20 МГ.",
        "аналогичный период 2019/20 МГ",
        "2020-07/2021-05",
        "2019-07/2020-05",
    ),
]


@pytest.mark.parametrize(("text", "phrase", "fact", "period"), FACT_ANCHORED)
def test_annotate_relative_period_anchored_on_the_fact(
    text: str, phrase: str, fact: str, period: str
) -> None:
    [m] = periods(text, "2024-12-01")
    assert (text[m.start : m.end], m.attrs["anchor"], m.value) == (phrase, "fact", None)
    assert resolve_against(m.attrs, fact) == period  # what the extractor does with the mention
    assert resolve_against(PeriodSpec.from_attrs(m.attrs), fact) == period


def test_annotate_fact_anchored_pieces_are_in_the_attrs() -> None:
    [m] = periods("Exports rose 5% on the same period last year.")
    assert (m.attrs["anchor"], m.attrs["months"], m.attrs["offset"], m.attrs["year"]) == (
        "fact",
        "fact",
        -1,
        None,
    )
    [m] = periods("Trade rose 5.7 percent compared to the same period in 2022.")
    assert (m.attrs["months"], m.attrs["year"], m.attrs["compare"]) == ("fact", 2022, True)


def test_annotate_resolve_against_leaves_other_anchors_to_their_own_reading() -> None:
    [spec] = read_periods("за 11 месяцев 2024 года")
    assert resolve_against(spec, "2023-01/2023-12") == "2024-01/2024-11"
    [spec] = read_periods("в прошлом году")
    assert resolve_against(spec, "2023-01/2023-12", ref_year=2025) == "2024-01/2024-12"
    [spec] = read_periods("the same period last year")
    assert resolve_against(spec, None) is None
    assert resolve_against(spec, "not a period") is None


CONTEXT_ANCHORED = [
    (
        "Exports from January through February 2023 were $1 million. In the reporting period imports were $2 million.",
        "reporting period",
        "2023-01/2023-02",
    ),
    (
        "Товарооборот за 9 месяцев 2024 года вырос. Экспорт за отчетный период составил 1 млрд.",
        "отчетный период",
        "2024-01/2024-09",
    ),
    (
        "2022 жылы тауар айналымы өсті. Қазақстан экспорты осы кезеңде 30%-ға өсті.",
        "осы кезеңде",
        "2022-01/2022-12",
    ),
    ("In the reporting period imports were $2 million.", "reporting period", None),
]


@pytest.mark.parametrize(("text", "phrase", "period"), CONTEXT_ANCHORED)
def test_annotate_this_period_is_the_one_named_before(text: str, phrase: str, period: str | None) -> None:
    found = [m for m in periods(text) if m.attrs["anchor"] == "context"]
    assert [(text[m.start : m.end], m.value) for m in found] == [(phrase, period)]


# --- 5. spans of several years, ranges of years, deadlines -----------------------------------------------

SPANS = [
    # (text, published, phrase, years, direction, by)
    ("Товарооборот за последние пять лет удвоился.", None, "последние пять лет", 5, "past", None),
    ("Trade doubled over the past five years.", None, "past five years", 5, "past", None),
    ("Trade grew in the past three decades.", None, "past three decades", 30, "past", None),
    ("За 30 лет страны ЕС вложили 76 млрд.", None, "30 лет", 30, "past", None),
    ("Сауда 6 жыл ішінде 3 есеге өсті.", None, "6 жыл ішінде", 6, "past", None),
    ("30 жылдан асатын ынтымақтастық нәтиже берді.", None, "30 жылдан асатын", 30, "past", None),
    ("Sońǵy bes jylda saýda eki ese ósti.", None, "Sońǵy bes jylda", 5, "past", None),
    ("Товарооборот с 2019 года вырос в четыре раза.", None, "2019 года", None, "since", None),
    ("Сауда 2019 жылдан бері екі есе өсті.", None, "2019 жылдан", None, "since", None),
    ("Trade has tripled since 2019.", None, "2019", None, "since", None),
    ("С января 2023 года экспорт вырос вдвое.", None, "января 2023 года", None, "since", None),
    ("Since March 2022 exports have doubled.", None, "March 2022", None, "since", None),
    (
        "Стороны намерены в ближайшее десятилетие довести товарооборот до $60 млрд.",
        "2015-11-07",
        "ближайшее десятилетие",
        10,
        "next",
        2025,
    ),
    ("В ближайшие годы товарооборот вырастет.", "2024-01-01", "ближайшие годы", None, "next", None),
    ("Trade will grow in the near future.", "2024-01-01", "near future", None, "next", None),
    ("The aim is $1 billion over the next five years.", "2023-02-24", "next five years", 5, "next", 2028),
    ("The aim is $1 billion over the next five years.", None, "next five years", 5, "next", None),
    (
        "Алдағы бес жылда тауар айналымын екі есе арттыру көзделген.",
        "2023-02-24",
        "Алдағы бес жылда",
        5,
        "next",
        2028,
    ),
    ("Жақын арада сауда өседі.", None, "Жақын арада", None, "next", None),
]


@pytest.mark.parametrize(("text", "published", "phrase", "years", "direction", "by"), SPANS)
def test_annotate_spans_of_years_have_no_single_period(
    text: str, published: str | None, phrase: str, years: int | None, direction: str, by: int | None
) -> None:
    [m] = periods(text, published)
    got = (
        text[m.start : m.end],
        m.value,
        m.attrs["shape"],
        m.attrs["years"],
        m.attrs["direction"],
        m.attrs["by"],
    )
    assert got == (phrase, None, "span", years, direction, by)


TO_DATE = [
    # from the start of a year to now, no end month: no period (FACTS.md), and no span of several years
    ("Экспорт с начала года вырос.", None, "с начала года"),
    ("Экспорт за прошедший период этого года вырос.", "2019-08-01", "этого года"),
    ("Экспорт с начала 2023 года вырос.", None, "2023 года"),
    (
        "Exports have doubled since the beginning of the year.",
        "2024-05-01",
        "since the beginning of the year",
    ),
    ("Жыл басынан бері экспорт өсті.", "2024-05-01", "Жыл басынан"),
]


@pytest.mark.parametrize(("text", "published", "phrase"), TO_DATE)
def test_annotate_year_to_date_has_no_period(text: str, published: str | None, phrase: str) -> None:
    [m] = periods(text, published)
    assert (text[m.start : m.end], m.value, m.attrs["shape"], m.attrs["direction"]) == (
        phrase,
        None,
        "to_date",
        "since",
    )


YEAR_RANGES = [
    ("Товарооборот за 1991-2014 гг. вырос с $90 млн до $4 млрд.", "1991-2014 гг.", 1991, 2014),
    ("Trade from 2019 to 2023 doubled.", "2019 to 2023", 2019, 2023),
    ("С 2019 по 2023 год экспорт вырос.", "2019 по 2023 год", 2019, 2023),
]


@pytest.mark.parametrize(("text", "phrase", "first", "last"), YEAR_RANGES)
def test_annotate_year_range_keeps_both_years(text: str, phrase: str, first: int, last: int) -> None:
    [m] = periods(text)
    assert (text[m.start : m.end], m.attrs["shape"], m.attrs["year"], m.attrs["year2"]) == (
        phrase,
        "year_range",
        first,
        last,
    )


DEADLINES = [
    # (text, published, phrase, by); a written year keeps its shape and period, as the target rule reads it
    ("Товарооборот планируют довести до $1 млрд к концу 2018 года.", None, "2018 года", 2018),
    ("Товарооборот планируют довести до $1 млрд к 2030 году.", None, "2030 году", 2030),
    ("The aim is to reach $1 billion by 2030.", None, "2030", 2030),
    ("The aim is to reach $1 billion by the end of the year.", "2024-03-01", "by the end of the year", 2024),
    ("Товарооборот до конца текущего года вырастет.", "2024-03-01", "текущего года", 2024),
    ("Тауар айналымын 2020 жылға дейін 5 млрд долларға жеткізу көзделуде.", None, "2020 жылға", 2020),
    ("Тауар айналымын 2020 жылға таман 5 млрд долларға жеткізу көзделуде.", None, "2020 жылға", 2020),
    ("Жыл соңына дейін сауда өседі.", "2024-03-01", "Жыл соңына", 2024),
    ("Qazaqstan 2030 jylǵa deıin taýar aınalymyn arttyrmaq.", None, "2030 jylǵa", 2030),
]


@pytest.mark.parametrize(("text", "published", "phrase", "by"), DEADLINES)
def test_annotate_deadline_year(text: str, published: str | None, phrase: str, by: int) -> None:
    [m] = periods(text, published)
    assert (text[m.start : m.end], m.attrs["shape"], m.attrs["deadline"], m.attrs["by"]) == (
        phrase,
        "year",
        True,
        by,
    )
    assert m.value == f"{by}-01/{by}-12"


# --- 6. the year a text fixes ----------------------------------------------------------------------------

TEXT_FIXES_THE_YEAR = [
    # (text, published, the period of the first phrase)
    ("Товарооборот за январь-март вырос на 5% к аналогичному периоду 2023 года.", None, "2024-01/2024-03"),
    ("Exports this year rose 5 percent compared to the same period in 2022.", None, "2023-01/2023-12"),
    (
        "Биыл екі айда тауар айналымы 2023 жылдың сәйкес кезеңімен салыстырғанда өсті.",
        None,
        "2024-01/2024-12",
    ),
    (
        "Былтыр сауда 800 млн долларға жетті. 2016 жылмен салыстырғанда өсім 32 пайыз.",
        None,
        "2017-01/2017-12",
    ),
    ("В прошлом году товарооборот вырос на 4% по сравнению с 2023-м.", None, "2024-01/2024-12"),
    # a comparison of a year stated in its own sentence says nothing of the current year
    ("2022 жылы сауда 2016 жылмен салыстырғанда өсті. Биыл сауда тағы өсті.", None, "2022-01/2022-12"),
    # the publication date comes first
    (
        "Товарооборот за январь-март вырос на 5% к аналогичному периоду 2023 года.",
        "2025-05-01",
        "2025-01/2025-03",
    ),
    # no date and no comparison base: a relative period is null, whatever else the text states (no "twin"
    # of the same shape lends it its year)
    ("За 11 месяцев прошлого года товарооборот вырос. За 11 месяцев 2024 года экспорт вырос.", None, None),
]


@pytest.mark.parametrize(("text", "published", "period"), TEXT_FIXES_THE_YEAR)
def test_annotate_year_fixed_by_the_text(text: str, published: str | None, period: str | None) -> None:
    assert periods(text, published)[0].value == period


def test_annotate_relative_period_without_anchor_is_null() -> None:
    text = "Тауар айналымы 2022 жылы өсті. Биыл сауда тағы өсті."
    assert quoted(text) == [("2022 жылы", "2022-01/2022-12"), ("Биыл", None)]


# --- 7. not periods --------------------------------------------------------------------------------------

NOT_PERIODS = [
    "Вопрос обсудили на 24-м заседании межправкомиссии.",
    "3-4 июля в Астане прошел форум.",
    "3-4 июля 2023 года в Астане прошел форум.",
    "Президенттер 30 қарашада кездесті.",
    "Президенттер 2023 жылғы 30 қарашада кездесті.",
    "On November 30, 2023 the ministers met.",
    "The forum opened on 5 June 2023 in Tashkent.",
    "Страны отметили 27-летие дипломатических отношений.",
    "Астананың 20 жылдығына арналған шара өтті.",
    "Просмотров: 2995",
    "Опубликовано 20 апреля, 11:11",
    "Тел.: +7 (727) 2021 2022",
    "Звоните 8-800-2020-2021",
    "Против санкций выступили многие.",
]


@pytest.mark.parametrize("text", NOT_PERIODS)
def test_annotate_not_a_period(text: str) -> None:
    assert quoted(text) == []
