"""A promise's head: the promise as the lists show it, kept beside its whole data (promises.head).

A list (the ledger's pages, a pair's page, the feeds, /api/promises) shows a promise with its first
HEAD_MEMBERS restatements and each shown statement's first HEAD_MEMBERS sources, with their counts
(`n_restatements`, each statement's `n_sources`); its whole data, every statement with every source and
quote, is for its own page. A big pair's promise holds hundreds of restatements (up to 400 kB of JSON), which
SQLite and json.loads would read whole to show three, at every page: the head is that list form, written
with the data by the ledger's refresh (promises.store) and filled for older stores by migration 18.
"""

from __future__ import annotations

from typing import Any

HEAD_MEMBERS = 3
"""Restatements of a promise, and sources of a statement, that a list shows (serve/lists.MEMBERS)."""


def capped(p: dict[str, Any], members: int | None) -> dict[str, Any]:
    """`p` with its first `members` restatements and each statement's first `members` sources
    (`n_restatements` and each statement's `n_sources` count them all), changed in place; as it is with None."""
    statements = p.get("restatements") or []
    p.setdefault("n_restatements", len(statements))
    if members is None:
        return p
    p["restatements"] = statements[:members]
    for s in [p.get("declared") or {}, *p["restatements"]]:
        s["n_sources"] = len(s.get("sources") or [])
        s["sources"] = (s.get("sources") or [])[:members]
    return p


def _statement(s: Any) -> Any:
    if not isinstance(s, dict):
        return s
    sources = s.get("sources") or []
    return {**s, "n_sources": len(sources), "sources": sources[:HEAD_MEMBERS]}


def promise_head(data: dict[str, Any]) -> dict[str, Any]:
    """The list form of a promise's stored dict (Promise.to_dict), without its history (read from
    promise_history) and without changing `data`: its keys in the order the lists gave them when they
    cut the restatements in SQL (every other key in place, then `restatements`, `n_restatements`)."""
    head = {k: v for k, v in data.items() if k not in ("restatements", "history")}
    if "declared" in head:
        head["declared"] = _statement(head["declared"])
    statements = data.get("restatements")
    if statements is None and "restatements" not in data:
        head["n_restatements"] = 0
        head["restatements"] = []
        return head
    statements = statements if isinstance(statements, list) else []
    head["restatements"] = [_statement(s) for s in statements[:HEAD_MEMBERS]]
    head["n_restatements"] = len(statements)
    return head


def restated_cells(data: dict[str, Any]) -> list[list[Any]]:
    """promises.restated: each restatement's date and documents, in order, all a CSV row reads of them."""
    statements = data.get("restatements")
    statements = statements if isinstance(statements, list) else []
    return [[s.get("date"), s.get("docs")] if isinstance(s, dict) else [None, None] for s in statements]
