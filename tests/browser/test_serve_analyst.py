"""An analyst's session in Debian's Chromium, at a laptop's width (1366 px) and a phone's (390 px), over
examples/ (runs on a plain clone): filter a pair's facts by period, download that CSV and read it back,
find KZ-TJ by «Таджикистан» and by "KZ-TJ", open a document by its headline, the Russian pages carry no
English label, an unknown pair answers 404, nothing is cut at phone width. Screenshots in screenshots/."""

from __future__ import annotations

import csv
import re
import shutil
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import ROOT, chromium, chromium_mark, serving, shot

pytestmark = chromium_mark()
WIDTHS = [1366, 390]
STRINGS = tomllib.loads((ROOT / "karavan" / "serve" / "strings.toml").read_text(encoding="utf-8"))
EN_ONLY = {v for k, v in STRINGS["en"].items() if STRINGS["ru"].get(k) != v and "%(" not in v and len(v) > 2}
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
}
LABELS_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('h1, h2, th, dt, label, button, option, nav a, figcaption span, title'))
    if (!el.closest('blockquote')) out.push(el.innerText || el.textContent);
  for (const el of document.querySelectorAll('[data-label]')) out.push(el.getAttribute('data-label'));
  return out.map(s => s.trim().replace(/\\s+/g, ' ')).filter(Boolean);
}"""
CUT_JS = """() => [...document.querySelectorAll('.table-wrap, table, main')]
  .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.className || el.tagName)"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, examples_db: Path) -> Iterator[str]:
    db = tmp_path_factory.mktemp("analyst") / "k.db"
    shutil.copy(examples_db, db)
    with serving(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def page(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    width = request.param
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": width, "height": 900}, locale="en-US", accept_downloads=True, is_mobile=width < 600
    )
    pg = context.new_page()
    pg.width = width
    yield pg
    context.close()


def not_cut(page: object) -> None:
    """No page, table or table wrapper scrolls sideways: every column is on the screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width + 1  # type: ignore[attr-defined]
    assert page.evaluate(CUT_JS) == []  # type: ignore[attr-defined]


def fact_ids(page: object) -> list[str]:
    hrefs = page.eval_on_selector_all(  # type: ignore[attr-defined]
        "section[aria-labelledby=facts-h] table.facts a[href^='/facts/']",
        "els => els.map(e => e.getAttribute('href'))",
    )
    return [h.rsplit("/", 1)[1] for h in hrefs]


def test_serve_filter_a_pairs_facts_by_period_and_download_the_csv(
    page: object, site: str, tmp_path: Path
) -> None:
    page.goto(site + "/pairs/KZ-UZ")  # type: ignore[attr-defined]
    everything = fact_ids(page)
    form = page.locator("form.filters")  # type: ignore[attr-defined]
    form.locator("input[name=period_from]").fill("2024-01")
    form.locator("input[name=period_to]").fill("2024-09")
    form.get_by_role("button").click()
    page.wait_for_url(re.compile(r"period_from=2024-01&period_to=2024-09"))  # type: ignore[attr-defined]
    shown = fact_ids(page)
    assert 0 < len(shown) < len(everything)
    shot(page, f"pair-filtered-{page.width}")  # type: ignore[attr-defined]
    not_cut(page)
    with page.expect_download() as download:  # type: ignore[attr-defined]
        page.locator("form.filters a.csv").click()  # type: ignore[attr-defined]
    path = tmp_path / "facts.csv"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["fact_id"] for r in rows) == sorted(shown)
    assert all(r["period"] and r["period"][8:] >= "2024-01" and r["period"][:7] <= "2024-09" for r in rows)
    assert all(
        {r["reporter"], r["partner"]} == {"KZ", "UZ"} or {"KZ", "UZ"} <= set(r["countries"]) for r in rows
    )


@pytest.mark.parametrize("query", ["Таджикистан", "KZ-TJ"])
def test_serve_find_kz_tj_by_country_name_and_by_code(page: object, site: str, query: str) -> None:
    page.goto(site + "/search")  # type: ignore[attr-defined]
    page.locator("input#q").fill(query)  # type: ignore[attr-defined]
    page.locator("input#q").press("Enter")  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/search\?q="))  # type: ignore[attr-defined]
    shot(page, f"search-{'name' if query[0] != 'K' else 'code'}-{page.width}")  # type: ignore[attr-defined]
    not_cut(page)
    page.locator("ul.found").get_by_role("link", name="KZ-TJ", exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/pairs/KZ-TJ$"))  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "KZ-TJ"  # type: ignore[attr-defined]


def test_serve_open_a_document_by_its_headline(page: object, site: str) -> None:
    headline = "Казахстан и Таджикистан обсудили рост торговли"
    page.goto(site + "/documents")  # type: ignore[attr-defined]
    not_cut(page)
    shot(page, f"documents-{page.width}")  # type: ignore[attr-defined]
    page.get_by_role("link", name=headline, exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/documents/html_kz_tj_astana$"))  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == headline  # type: ignore[attr-defined]
    assert page.locator("article a.span").count() > 0  # type: ignore[attr-defined]
    not_cut(page)


RU_PAGES = ["/", "/pairs/KZ-UZ", "/facts", "/documents", "/people", "/meetings", "/discrepancies",
            "/search?q=Bektenov", "/documents/en_kz_uz_astana", "/people/olzhas-bektenov"]  # fmt: skip


def test_serve_russian_pages_carry_no_english_label(page: object, site: str) -> None:
    for path in RU_PAGES:
        page.goto(site + path + ("&" if "?" in path else "?") + "lang=ru")  # type: ignore[attr-defined]
        assert page.locator("html").get_attribute("lang") == "ru"  # type: ignore[attr-defined]
        labels = page.evaluate(LABELS_JS)  # type: ignore[attr-defined]
        english = [w for w in labels if w in EN_ONLY or w.lower() in EN_VOCABULARY]
        assert english == [], (path, english)
        not_cut(page)
        shot(page, f"ru{path.replace('/', '-').split('?')[0] or '-overview'}-{page.width}")  # type: ignore[attr-defined]


def test_serve_unknown_pair_answers_404(page: object, site: str) -> None:
    for path in ("/pairs/KZ-XX", "/pairs/KZ-FR"):
        response = page.goto(site + path)  # type: ignore[attr-defined]
        assert response.status == 404
        assert "Not found" in page.locator("h1").inner_text()  # type: ignore[attr-defined]


def test_serve_phone_width_keeps_pair_codes_whole_and_chart_text_readable(page: object, site: str) -> None:
    page.goto(site + "/")  # type: ignore[attr-defined]
    not_cut(page)
    lines = page.eval_on_selector_all(
        "table.overview a[href^='/pairs/']", "els => els.map(e => e.getClientRects().length)"
    )  # type: ignore[attr-defined]
    assert lines and set(lines) == {1}  # "KZ-TJ" never breaks into "KZ-" / "TJ"
    shot(page, f"overview-{page.width}")  # type: ignore[attr-defined]
    page.goto(site + "/pairs/KZ-TM")  # type: ignore[attr-defined]
    heights = page.eval_on_selector_all(
        "svg#chart text", "els => els.map(e => e.getBoundingClientRect().height)"
    )  # type: ignore[attr-defined]
    assert heights and min(heights) >= 10, heights  # px on the screen
    not_cut(page)
    shot(page, f"pair-KZ-TM-{page.width}")  # type: ignore[attr-defined]
