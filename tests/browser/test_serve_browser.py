"""The dashboard in headless Chromium: overview -> KZ-TJ chart -> seed 001 -> the 1.4 bn span -> its cluster."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from browser_support import ARGS, CHROMIUM, XSS, chromium_mark, free_port, shot
from conftest import shared

pytestmark = chromium_mark()
SEED_001 = "001_343e52f150faa84a"
XSS_IDS = [json.loads(line)["id"] for line in XSS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from karavan.serve.app import create_app
    from tests.serve_store import reconciled_store

    db = reconciled_store(
        tmp_path_factory.mktemp("browser") / "k.db", shared("seeds", "seeds/meta.jsonl"), XSS
    )
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run must install Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser: object, site: str) -> Iterator[object]:
    """A fresh page; any dialog (alert/confirm/prompt) is recorded in page.dialogs and dismissed."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-US")  # type: ignore[attr-defined]
    pg = context.new_page()
    pg.dialogs = []
    pg.requests = []

    def on_dialog(dialog: object) -> None:
        pg.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    pg.on("dialog", on_dialog)
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


def only_local(page: object, site: str) -> list[str]:
    return [u for u in page.requests if not (u.startswith(site) or u.startswith("data:"))]  # type: ignore[attr-defined]


def test_serve_overview_to_pair_chart_with_target(page: object, site: str) -> None:
    page.goto(site + "/")  # type: ignore[attr-defined]
    row = page.locator("table.overview tr", has_text="KZ-TJ")  # type: ignore[attr-defined]
    assert "2 bn USD" in row.inner_text()
    shot(page, "overview")
    page.get_by_role("link", name="KZ-TJ", exact=True).click()  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/pairs/KZ-TJ$"))  # type: ignore[attr-defined]
    chart = page.locator("svg#chart")  # type: ignore[attr-defined]
    assert chart.is_visible()
    assert "2 bn USD" in page.locator("svg#chart .target-label").text_content()  # type: ignore[attr-defined]
    points = page.locator("svg#chart a.point")  # type: ignore[attr-defined]
    assert points.count() >= 2
    assert page.locator("svg#chart a.point.discrepant").count() >= 1  # type: ignore[attr-defined]
    page.locator("svg#chart a.point.year.discrepant").first.focus()  # type: ignore[attr-defined]
    tip = page.locator("#tip")  # type: ignore[attr-defined]
    assert tip.is_visible()
    assert "Emomali Rahmon" in tip.inner_text() and "Kassym-Jomart Tokayev" in tip.inner_text()
    shot(page, "pair-KZ-TJ")
    assert only_local(page, site) == []


def test_serve_document_span_leads_to_cluster_with_discrepant_quote(page: object, site: str) -> None:
    page.goto(f"{site}/documents/{SEED_001}")  # type: ignore[attr-defined]
    assert page.locator("article .chrome").count() > 0  # type: ignore[attr-defined]
    shot(page, "document-001")
    span = page.locator("article a.span", has_text="1,4 млрд")  # type: ignore[attr-defined]
    span.first.focus()
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r"/clusters/"))  # type: ignore[attr-defined]
    body = page.locator("main").inner_text()  # type: ignore[attr-defined]
    assert "1,4 млрд" in body and "Kassym-Jomart Tokayev" in body
    disagree = page.locator("section.disc")  # type: ignore[attr-defined]
    assert "Emomali Rahmon" in disagree.inner_text()
    assert "1,5 млрд" in disagree.inner_text()
    shot(page, "cluster-1.4bn")
    assert only_local(page, site) == []


@pytest.mark.parametrize("doc_id", XSS_IDS)
def test_serve_hostile_documents_render_inert(page: object, site: str, doc_id: str) -> None:
    page.goto(f"{site}/documents/{quote(doc_id, safe='')}")  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    article = page.locator("article")  # type: ignore[attr-defined]
    assert article.locator("script, img, iframe, svg, style").count() == 0
    assert page.locator("script:not([src='/static/app.js'])").count() == 0  # type: ignore[attr-defined]
    assert page.locator("a[href^='javascript' i], [onmouseover], [onerror], [onload], [onfocus]").count() == 0  # type: ignore[attr-defined]
    if page.locator("article a.span").count():  # type: ignore[attr-defined]
        page.locator("article a.span").first.hover()  # type: ignore[attr-defined]
    page.locator("dl.meta").hover()  # type: ignore[attr-defined]
    assert page.evaluate("document.body.innerText").count("alert(") >= 1  # type: ignore[attr-defined]
    assert page.dialogs == []  # type: ignore[attr-defined]
    shot(page, "xss-" + re.sub(r"\W+", "_", doc_id)[:20])
    for path in ("/search?q=alert", "/discrepancies", "/pairs/KG-KZ", "/"):
        page.goto(site + path)  # type: ignore[attr-defined]
        assert page.locator("script:not([src='/static/app.js'])").count() == 0  # type: ignore[attr-defined]
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert only_local(page, site) == []


def test_serve_russian_pages_on_a_phone(browser: object, site: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ru-RU", is_mobile=True)  # type: ignore[attr-defined]
    pg = context.new_page()
    for name, path in (
        ("phone-overview-ru", "/"),
        ("phone-pair-ru", "/pairs/KZ-TJ"),
        ("discrepancies-ru", "/discrepancies"),
        ("search-ru", "/search?q=" + quote("товарооборот")),
        ("document-001-ru", f"/documents/{SEED_001}"),
    ):
        pg.goto(site + path)
        assert pg.locator("html").get_attribute("lang") == "ru"
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"{path} scrolls sideways on a phone ({width}px)"
        shot(pg, name)
    assert "Обзор" in pg.locator("header").inner_text()
    context.close()


def test_serve_keyboard_reaches_chart_points(page: object, site: str) -> None:
    page.goto(site + "/pairs/KZ-TJ")  # type: ignore[attr-defined]
    focused = []
    for _ in range(40):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        focused.append(page.evaluate("document.activeElement.getAttribute('class') || ''"))  # type: ignore[attr-defined]
    assert any("point" in c for c in focused)
