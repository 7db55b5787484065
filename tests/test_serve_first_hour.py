"""The dashboard as an analyst meets it, over examples/ (runs on a plain clone): headlines name documents,
the overview gives the latest figure with its period, fact tables filter and download, lists of documents,
people and meetings, full-text search in any language and script, a Russian UI with no English label."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from karavan.serve.app import create_app

STRINGS = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "karavan" / "serve" / "strings.toml").read_text(encoding="utf-8")
)
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def app_client(examples_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(examples_db)) as c:
        yield c


@pytest.fixture
def client(app_client: TestClient) -> TestClient:
    """One server for the module; each test starts with no language chosen (?lang= keeps its choice in a
    cookie, which would carry into the next test)."""
    app_client.cookies.clear()
    return app_client


class Labels(HTMLParser):
    """The interface's own words on a page: headings, table heads, form labels and options, navigation,
    legends, the labels of stacked cells; never a quote, a name or a figure from the documents."""

    LABEL_TAGS = {"h1", "h2", "th", "dt", "label", "button", "option", "nav", "figcaption", "title"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.words: list[str] = []
        self.data_labels: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.stack.append(tag)
        if a.get("data-label"):
            self.data_labels.append(a["data-label"] or "")
        if tag == "a":
            self._href, self._text = a.get("href"), ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join(self._text.split())))
            self._href = None
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data
        if any(t in self.LABEL_TAGS for t in self.stack) and "blockquote" not in self.stack and data.strip():
            self.words.append(" ".join(data.split()))


def parse(html: str) -> Labels:
    p = Labels()
    p.feed(html)
    return p


def test_serve_documents_are_named_by_their_headline(client: TestClient) -> None:
    page = parse(client.get("/documents").text)
    links = dict((text, href) for href, text in page.links if href.startswith("/documents/"))
    assert (
        links["Kazakhstan and Uzbekistan aim for $10 billion in trade by 2030"]
        == "/documents/en_kz_uz_astana"
    )
    assert (
        links["Токаев и Мирзиёев обсудили в Ташкенте рост взаимной торговли"]
        == "/documents/ru_kz_uz_tashkent"
    )
    assert not any(re.fullmatch(r"[a-z]+(_[a-z0-9]+)+", text) for text in links)  # no id stands for a title
    doc = client.get("/documents/ru_kz_uz_tashkent").text
    assert "<h1>Токаев и Мирзиёев обсудили в Ташкенте рост взаимной торговли</h1>" in doc
    pair = parse(client.get("/pairs/KZ-UZ").text)
    assert (
        "/documents/en_kz_uz_astana",
        "Kazakhstan and Uzbekistan aim for $10 billion in trade by 2030",
    ) in pair.links


def row_text(html: str, pair: str) -> str:
    row = re.search(
        rf'<tr>\s*<th scope="row"[^>]*><a class="nowrap" href="/pairs/{pair}">.*?</tr>', html, re.S
    )
    assert row, pair
    cells = re.sub(r"</t[dh]>|<div>", " ", row.group())
    return " ".join(re.sub(r"<[^>]+>", "", cells).split())


@pytest.mark.parametrize(
    ("lang", "pair", "expected"),
    [
        ("en", "KZ-UZ", "3.15 bn USD (Jan–Sep 2024, year to date)"),
        ("ru", "KZ-UZ", "3,15 млрд USD (янв.–сент. 2024, с начала года)"),
        ("kk", "KZ-UZ", "3,15 млрд USD (қаң.–қыр. 2024, жыл басынан бері)"),
        ("en", "TJ-UZ", "700 mn USD (2023)"),
        ("en", "KG-KZ", "1.5 bn USD (Jan–Oct 2024, year to date)"),
        ("en", "CN-KZ", "export KZ→CN, agricultural: 610 mn USD (Jan–Jul 2024, year to date)"),
    ],
)
def test_serve_overview_shows_the_latest_figure_with_its_period(
    client: TestClient, lang: str, pair: str, expected: str
) -> None:
    assert expected in row_text(client.get("/", params={"lang": lang}).text, pair)


@pytest.mark.parametrize("path", ["/pairs/KZ-XX", "/pairs/KZ-FR", "/pairs/KZTJ", "/pairs/K1-TJ"])
def test_serve_unknown_pair_is_a_404(client: TestClient, path: str) -> None:
    r = client.get(path, headers=HTML)
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]


def test_serve_known_pair_in_either_order(client: TestClient) -> None:
    assert client.get("/pairs/UZ-KZ").status_code == client.get("/pairs/kz-uz").status_code == 200


def facts_on(html: str) -> list[str]:
    return re.findall(r'<a href="/facts/(\d+)">', html)


def overlaps(period: str, low: str, high: str) -> bool:
    return period[8:] >= low and period[:7] <= high


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"type": "trade"}, lambda r: r["type"] == "trade"),
        (
            {"period_from": "2024-07", "period_to": "2024-12"},
            lambda r: overlaps(r["period"], "2024-07", "2024-12"),
        ),
        ({"period_to": "2023"}, lambda r: overlaps(r["period"], "0000-01", "2023-12")),
        ({"product": "agri"}, lambda r: r["product"] == "agri"),
        ({"language": "kk"}, lambda r: r["lang"] == "kk"),
        (
            {"country": "TM"},
            lambda r: "TM" in (r["reporter"], r["partner"]) or "TM" in r["countries"] + r["parties"],
        ),
        ({"type": "trade", "country": "CN", "period_from": "2024"}, lambda r: r["type"] == "trade"),
    ],
)
def test_serve_fact_table_filters_and_its_csv_keeps_the_filter(
    client: TestClient, params: dict, check
) -> None:
    html = client.get("/facts", params=params).text
    shown = facts_on(html)
    everything = facts_on(client.get("/facts").text)
    assert 0 < len(shown) < len(everything)
    link = re.search(r'<a class="csv" href="([^"]+)" download>', html).group(1).replace("&amp;", "&")
    assert dict(parse_qsl(urlsplit(link).query)) == params
    r = client.get(link)
    assert r.content.startswith(b"\xef\xbb\xbf") and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert sorted(r["fact_id"] for r in rows) == sorted(shown)
    assert all(check(r) for r in rows), rows
    assert all(r["doc_title"] and r["doc_published"] and r["cluster_id"] for r in rows)


def test_serve_pair_facts_filter_by_period(client: TestClient) -> None:
    everything = facts_on(client.get("/pairs/KZ-UZ").text)
    html = client.get("/pairs/KZ-UZ", params={"period_from": "2024-01", "period_to": "2024-09"}).text
    assert 0 < len(facts_on(html)) < len(everything)
    assert 'name="period_from" value="2024-01"' in html
    assert "/facts.csv?pair=KZ-UZ&amp;period_from=2024-01&amp;period_to=2024-09" in html


def test_serve_a_bad_period_bound_says_so(client: TestClient) -> None:
    r = client.get("/facts", params={"period_from": "last year"}, headers=HTML)
    assert r.status_code == 422 and "YYYY or YYYY-MM" in r.text


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/people", ['href="/people/olzhas-bektenov">Olzhas Bektenov</a>', "prime minister"]),
        ("/meetings", ["Olzhas Bektenov", "Abdulla Aripov", "Astana"]),
        ("/documents", ["10 documents", "example.kz"]),
        ("/people/olzhas-bektenov", ["Olzhas Bektenov", "prime minister (2024-02–now)"]),
    ],
)
def test_serve_lists_of_documents_people_meetings(client: TestClient, path: str, expected: list[str]) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert all(e in r.text for e in expected), path
    assert "None" not in r.text


@pytest.mark.parametrize(
    ("q", "link", "doc"),
    [
        ("Таджикистан", "/pairs/KZ-TJ", "html_kz_tj_astana"),
        ("Tajikistan", "/pairs/KZ-TJ", "html_kz_tj_astana"),
        ("Тәжікстан", "/pairs/KZ-TJ", "ru_uz_tj_dushanbe"),
        ("KZ-TJ", "/pairs/KZ-TJ", "html_kz_tj_astana"),
        ("tj-kz", "/pairs/KZ-TJ", "html_kz_tj_astana"),
        ("Uzbekistan Kazakhstan", "/pairs/KZ-UZ", "en_kz_uz_astana"),
        ("Бектенов", "/people/Olzhas%20Bektenov", "kk_cyrl_kz_cn"),
        ("Bektenov", "/people/Olzhas%20Bektenov", "html_kz_tj_astana"),
        ("Túrkimenstan", "/pairs/KZ-TM", "kk_latn_kz_tm"),
        ("Туркменистан", "/pairs/KZ-TM", "kk_latn_kz_tm"),
        ("пшеницы", None, None),
        ("транзита", None, "ru_glued_tm_uz_kz_ru"),
    ],
)
def test_serve_search_finds_pairs_countries_and_people(
    client: TestClient, q: str, link: str | None, doc: str | None
) -> None:
    page = parse(client.get("/search", params={"q": q}).text)
    hrefs = [h for h, _ in page.links]
    if link:
        assert link in hrefs, (q, hrefs)
    if doc:
        assert f"/documents/{doc}" in hrefs, (q, hrefs)


def test_serve_search_finds_every_fact_of_a_person(client: TestClient) -> None:
    by_name = facts_on(client.get("/search", params={"q": "Bektenov"}).text)
    in_cyrillic = facts_on(client.get("/search", params={"q": "БЕКТЕНОВ"}).text)
    assert sorted(by_name) == sorted(in_cyrillic) and len(by_name) >= 5


def only_in(lang: str, page_lang: str) -> set[str]:
    """The interface strings of `lang` that the page language writes otherwise (placeholders and short words
    left out)."""
    return {
        v for k, v in STRINGS[lang].items() if STRINGS[page_lang].get(k) != v and "%(" not in v and len(v) > 2
    }


EN_ONLY = only_in("en", "ru")
EN_VOCABULARY = {
    "trade",
    "target",
    "turnover",
    "export",
    "import",
    "meeting",
    "agreement",
    "project",
    "total",
    "agri",
}
RU_PAGES = ["/", "/pairs/KZ-UZ", "/pairs/KZ-TM", "/facts", "/facts?type=trade", "/documents", "/people", "/meetings",
            "/discrepancies", "/search?q=Таджикистан", "/search?q=Bektenov", "/documents/en_kz_uz_astana",
            "/people/olzhas-bektenov", "/docs"]  # fmt: skip


@pytest.mark.parametrize(("lang", "others"), [("ru", ["en"]), ("kk", ["en", "ru"])])
@pytest.mark.parametrize("path", RU_PAGES)
def test_serve_pages_in_russian_or_kazakh_carry_no_label_of_another_language(
    client: TestClient, path: str, lang: str, others: list[str]
) -> None:
    r = client.get(path, params={"lang": lang})
    assert r.status_code == 200
    page = parse(r.text)
    foreign = set().union(*(only_in(other, lang) for other in others))
    wrong = [w for w in page.words + page.data_labels if w in foreign or w.lower() in EN_VOCABULARY]
    assert wrong == [], path
    cells = re.findall(rf'data-label="{STRINGS[lang]["type"]}">([^<]*)<', r.text)
    assert cells or "type" not in path, path  # the table of facts is labelled in the page's language
    assert not set(cells) & EN_VOCABULARY, cells
    assert "None" not in r.text
    assert f'<html lang="{lang}">' in r.text


def test_serve_russian_numbers_and_dates_by_locale(client: TestClient) -> None:
    html = client.get("/pairs/KZ-UZ", params={"lang": "ru"}).text
    assert "10 млрд USD" in html and "3,1 млрд USD" in html
    assert "12 нояб. 2024\u202fг." in html  # Babel: a narrow no-break space before г.
    assert "Nov 12, 2024" in client.get("/pairs/KZ-UZ", params={"lang": "en"}).text
    kk = client.get("/pairs/KZ-UZ", params={"lang": "kk"}).text
    assert "10 млрд USD" in kk and "2024\u202fж. 12 қар." in kk  # Babel's Kazakh: the year first


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("kk-KZ,kk;q=0.9,ru;q=0.8", "kk"),
        ("ru-RU,ru;q=0.9,kk;q=0.8", "ru"),
        ("de-DE,kk;q=0.5", "kk"),
        ("de", "en"),
    ],
)
def test_serve_language_from_accept_language(client: TestClient, header: str, lang: str) -> None:
    html = client.get("/", headers={"Accept-Language": header}).text
    assert f'<html lang="{lang}">' in html
    assert re.findall(r'hreflang="(\w+)"', html) == ["en", "ru", "kk"]  # a link to each language


def test_serve_series_counts_independent_sources_as_the_cli(client: TestClient, examples_db: Path) -> None:
    from karavan import api

    series = api.series(examples_db, "KZ-TM")
    html = client.get("/pairs/KZ-TM").text
    table = html[html.index('class="series-table"') :]
    counts = re.findall(r"<td(?: data-label=\"[^\"]*\")?>(\d+)</td>\s*</tr>", table)
    assert counts == [str(p["n_sources"]) for p in series["points"]]


@pytest.mark.parametrize(
    ("page", "rows_in_page", "first_column"),
    [
        ("/documents", r'<td data-label="Headline"><a href="/documents/', "id"),
        ("/people", r'<td data-label="Name"><a href="/people/', "id"),
        ("/meetings", r'<li><a href="/clusters/', "date"),
        (
            "/pairs/KZ-TM",
            r'<tr(?: class="discrepant")?>\s*<td(?: data-label="[^"]*")?><a href="/clusters/',
            "period",
        ),
    ],
)
def test_serve_every_table_has_its_csv(
    client: TestClient, page: str, rows_in_page: str, first_column: str
) -> None:
    html = client.get(page).text
    links = [
        h
        for h in re.findall(r'<a class="csv" href="([^"]+)" download>', html)
        if not h.startswith("/facts.csv")
    ]
    assert len(links) == 1, links
    r = client.get(links[0])
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert list(rows[0])[0] == first_column
    assert len(rows) == len(re.findall(rows_in_page, html))
