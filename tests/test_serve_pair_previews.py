"""A pair page previews each of its lists (the newest facts, agreements and meetings, the ledger's first
promises), each with a link to the whole list a page at a time, which goes on where the preview stops."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from karavan.serve import pages
from karavan.serve.app import create_app


def section(html: str, heading: str) -> str:
    m = re.search(rf'<section aria-labelledby="{heading}">(.*?)</section>', html, re.S)
    assert m, heading
    return m.group(1)


def fact_ids(html: str) -> list[str]:
    return re.findall(r'<a href="/facts/(\d+)">', html)


@pytest.mark.parametrize(("facts", "meetings"), [(2, 1), (5, 2), (1000, 1000)])
def test_serve_pair_page_previews_link_to_the_whole_lists(
    examples_db: Path, monkeypatch: pytest.MonkeyPatch, facts: int, meetings: int
) -> None:
    monkeypatch.setattr(pages, "PAIR_FACT_LIMIT", facts)
    monkeypatch.setattr(pages, "PAIR_MEETING_LIMIT", meetings)
    app = create_app(examples_db, exports_ahead=False)
    with TestClient(app) as client:
        app.state.handle.reconciler.close()
        html = client.get("/pairs/KZ-UZ").text
        every = fact_ids(client.get("/facts", params={"pair": "KZ-UZ"}).text)
        shown = section(html, "facts-h")
        preview = fact_ids(shown)
        assert preview == every[:facts]
        link = re.search(r'<a href="([^"]+)" rel="next">', shown)
        if len(every) > facts:
            assert link is not None
            after = fact_ids(client.get(link.group(1).replace("&amp;", "&")).text)
            assert preview + after == every[: facts + len(after)] and after
        else:
            assert link is None
        met = section(html, "meet-h")
        n_meetings = len(re.findall(r'<li><a href="/clusters/', met))
        whole = client.get("/meetings", params={"pair": "KZ-UZ"}).text
        listed = len(re.findall(r'href="/clusters/', whole))
    assert len(every) > 5  # the examples' KZ-UZ has facts enough to preview
    assert n_meetings == min(meetings, listed) and listed > 1
    assert ('href="/meetings?pair=KZ-UZ"' in met) is (listed > meetings)
