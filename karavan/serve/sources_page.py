"""The sources page: what `karavan watch` does with each source (last success, last error, documents found,
errors by kind, URLs waiting), read from the watch tables of the store."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from karavan.serve.pages import handle, render
from karavan.store import Store

router = APIRouter(include_in_schema=False)


def source_rows(store: Store) -> list[dict[str, Any]]:
    """One dict a source, with its URLs counted by state (pending, failed, skipped...)."""
    from karavan.watch.state import WatchState  # the watch's table layout lives with the watch

    rows = WatchState(store).source_rows()
    states: dict[str, dict[str, int]] = {}
    for source, state, n in store.conn.execute(
        "SELECT source, state, count(*) FROM watch_urls WHERE role = 'article' GROUP BY source, state"
    ):
        states.setdefault(source, {})[state] = n
    failing = {
        name: state == "error"
        for name, state in store.conn.execute(
            "SELECT s.name, u.state FROM watch_sources s JOIN watch_urls u ON u.url = s.url AND u.role = 'index'"
        )
    }
    for row in rows:
        row["states"] = states.get(row["name"], {})
        row["failing"] = failing.get(row["name"], False)  # its last poll failed
        row["error_kinds"] = sorted(row["error_kinds"].items(), key=lambda kv: (-kv[1], kv[0]))
    return rows


def when(iso: str | None) -> str:
    """'2025-03-14 09:30 UTC' from an ISO time in UTC; a dash for none."""
    return f"{iso[:16].replace('T', ' ')} UTC" if iso else "—"


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request) -> HTMLResponse:
    store = handle(request).store()
    last_round = store.conn.execute(
        "SELECT started, seconds FROM watch_rounds ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return render(
        request,
        "sources.html",
        sources=source_rows(store),
        last_round=dict(last_round) if last_round else None,
        when=when,
    )
