"""The ledger and a pair's official and press series in Debian's Chromium, at a laptop's width and a
phone's: the official statistics of both sides drawn beside the press series, the ledger's status, a
promise's statements and history, press figures against official ones on the discrepancies page, the feed
link. Our own documents (tests/official_support.py) and the official fixtures: runs on a plain clone.
Screenshots in screenshots/official-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import chromium, chromium_mark, serving, shot

from karavan import api

pytestmark = chromium_mark()
WIDTHS = [1366, 390]
Y21, Y22, Y24 = "2021-01/2021-12", "2022-01/2022-12", "2024-01/2024-12"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from official_support import doc_with, import_fixtures, store_docs, trade

    docs = [
        doc_with("kz-2021", "Kazakhstan's trade with China was $18 billion in 2021, the statistics bureau said.",
                 [trade("KZ", "CN", "turnover", Y21, 18e9, "Kazakhstan's trade with China was $18 billion in 2021")],
                 "2022-02-10"),
        doc_with("cn-2021", "Trade between China and Kazakhstan reached $25.3 billion in 2021, customs data show.",
                 [trade("CN", "KZ", "turnover", Y21, 25.3e9, "Trade between China and Kazakhstan reached $25.3 billion in 2021")],
                 "2022-01-18"),
        doc_with("kz-2022", "Trade between Kazakhstan and China grew to $24.1 billion last year.",
                 [trade("KZ", "CN", "turnover", Y22, 24.1e9, "Trade between Kazakhstan and China grew to $24.1 billion last year")],
                 "2023-02-01"),
        doc_with("cn-2024", "China and Kazakhstan traded goods worth $43.8 billion in 2024.",
                 [trade("CN", "KZ", "turnover", Y24, 43.8e9, "China and Kazakhstan traded goods worth $43.8 billion in 2024")],
                 "2025-01-24"),
        doc_with("target-2022", "The two presidents agreed to raise trade to $35 billion by 2030.",
                 [{"type": "target", "flow": "turnover", "reporter": "KZ", "partner": "CN", "product": "total",
                   "value": 35e9, "unit": "USD", "factor": None, "by": "2030", "claimant": "Kassym-Jomart Tokayev",
                   "quote": "raise trade to $35 billion by 2030"}], "2022-09-14"),
        doc_with("kg-2024", "Kyrgyzstan's trade with China reached $5.1 billion in 2024.",
                 [trade("KG", "CN", "turnover", Y24, 5.1e9, "Kyrgyzstan's trade with China reached $5.1 billion in 2024")],
                 "2025-01-20"),
    ]  # fmt: skip
    db = store_docs(tmp_path_factory.mktemp("official-browser") / "k.db", docs)
    api.reconcile(db)
    import_fixtures(db)
    with serving(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as b:
        yield b


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def page(request: pytest.FixtureRequest, browser: object) -> Iterator[object]:
    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": request.param, "height": 900}, locale="en-US", is_mobile=request.param < 600
    )
    pg = context.new_page()
    pg.width = request.param
    yield pg
    context.close()


def not_cut(page: object) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width + 1  # type: ignore[attr-defined]


def test_serve_official_ledger_page(page: object, site: str) -> None:
    page.goto(f"{site}/promises")  # type: ignore[attr-defined]
    row = page.locator("table.promises tbody tr").first  # type: ignore[attr-defined]
    assert "35 bn" in row.inner_text() and "met" in row.inner_text()
    assert "Kassym-Jomart Tokayev" in row.inner_text()
    page.locator("details.promise summary").first.click()  # type: ignore[attr-defined]
    history = page.locator("details.promise ol.history").first.inner_text()  # type: ignore[attr-defined]
    assert "on track" in history and "met" in history
    not_cut(page)
    path = shot(page, f"official-ledger-{page.width}")  # type: ignore[attr-defined]
    assert Path(path).stat().st_size > 10_000


def test_serve_official_and_press_series_on_the_pair_page(page: object, site: str) -> None:
    page.goto(f"{site}/pairs/CN-KZ")  # type: ignore[attr-defined]
    chart = page.locator("svg#chart")  # type: ignore[attr-defined]
    assert chart.locator("polyline.series").count() == 1  # the press
    assert chart.locator("g.official").count() == 2  # Kazakhstan's statistics and China's customs
    labels = page.locator("figcaption.legend").inner_text()  # type: ignore[attr-defined]
    assert "CN statistics" in labels and "KZ statistics" in labels
    chart.locator("g.opoint").first.focus()
    tip = page.locator("#tip")  # type: ignore[attr-defined]
    assert tip.is_visible() and "statistics" in tip.inner_text()
    head = page.locator("table.series-table thead").inner_text()  # type: ignore[attr-defined]
    assert "CN statistics" in head and "KZ statistics" in head
    assert "35 bn" in page.locator("section[aria-labelledby=promises-h]").inner_text()  # type: ignore[attr-defined]
    feed = page.locator("link[rel=alternate][type='application/atom+xml']").get_attribute("href")  # type: ignore[attr-defined]
    assert feed == "/pairs/CN-KZ/feed.atom"
    not_cut(page)
    shot(page, f"official-pair-CN-KZ-{page.width}")  # type: ignore[attr-defined]


def test_serve_official_press_against_official_on_the_discrepancies_page(page: object, site: str) -> None:
    page.goto(f"{site}/discrepancies")  # type: ignore[attr-defined]
    against = page.locator("section.disc-official")  # type: ignore[attr-defined]
    assert against.count() >= 1
    text = page.locator("main").inner_text()  # type: ignore[attr-defined]
    assert (
        "Press against official statistics" in text and "another period" in text
    )  # KG-CN: 11 months as the year
    not_cut(page)
    shot(page, f"official-discrepancies-{page.width}")  # type: ignore[attr-defined]


def test_serve_official_ledger_in_russian(page: object, site: str) -> None:
    page.goto(f"{site}/promises?lang=ru")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "Реестр обещаний"  # type: ignore[attr-defined]
    assert "достигнута" in page.locator("table.promises").inner_text()  # type: ignore[attr-defined]
