"""The bodies of the server's CSV exports, as text chunks: what a route streams and what exports_ahead writes.

Every export is UTF-8 text starting with a byte-order mark (Excel reads it right). The lists (documents,
meetings, promises) are read a page of MAX_LIMIT rows at a time (lists.py), the facts CSV_BATCH at a time
in id order (queries.fact_page), each chunk one page written in one pass of one csv writer.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from karavan.export import cite, spreadsheet_safe, write_typed_csv
from karavan.promises.cli import CSV_COLUMNS, promise_cells
from karavan.serve.lists import PROMISES as PROMISE_ORDER
from karavan.serve.lists import current_changes, documents_page_of, meeting_ids, pair_block
from karavan.serve.paging import MAX_LIMIT, Page, Paging, read_page
from karavan.serve.queries import FactFilter, fact_page
from karavan.store import Store

CSV_BATCH = 500  # facts a streamed facts CSV reads at a time
BOM = "\ufeff"


def csv_rows(rows: Iterable[list[Any]]) -> str:
    """CSV lines of `rows` (lists '; '-joined, a cell that would start a formula quoted), in one pass."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(
        [spreadsheet_safe("; ".join(map(str, v)) if isinstance(v, list) else v) for v in values]
        for values in rows
    )
    return out.getvalue()


@dataclass(frozen=True)
class ListExport:
    """A list's CSV export: `read(store, paging, pair)` gives a page, `rows_of(page)` its rows as dicts."""

    name: str
    columns: list[str]
    read: Callable[[Store, Paging, str | None], Page]
    rows_of: Callable[[Page], list[dict[str, Any]]]

    def page_text(self, page: Page) -> str:
        return csv_rows([r.get(c) for c in self.columns] for r in self.rows_of(page))

    def header(self) -> str:
        return BOM + csv_rows([self.columns])

    def chunks(self, store_of: Callable[[], Store], pair: str | None, first: Page) -> Iterator[str]:
        """The whole export from `first` on: the header, then a page at a time. `store_of` is called at
        each page (a streamed body is read in the server's worker threads, each with its own store)."""
        page = first
        yield self.header()
        while True:
            yield self.page_text(page)
            if not page.next_cursor:
                return
            page = self.read(store_of(), Paging(MAX_LIMIT, page.next_cursor), pair)


DOCUMENT_COLUMNS = ["id", "title", "published", "source", "url", "lang", "facts"]
MEETING_COLUMNS = ["date", "countries", "participants", "place", "n_sources", "docs", "quote", "cluster_id"]


def _documents(store: Store, paging: Paging, pair: str | None) -> Page:
    return documents_page_of(store, paging)


def _meetings(store: Store, paging: Paging, pair: str | None) -> Page:
    page = meeting_ids(store, paging, pair)
    page.rows = meeting_rows(store, [r[0] for r in page.rows])  # type: ignore[assignment]
    return page


# a meeting's CSV cells read in SQL (one parse of its data in C, none in Python): the few fields, its first
# source's quote, and the distinct documents of all its sources
MEETING_CELLS_SQL = (
    "SELECT c.id, json_extract(coalesce(c.head, c.data), '$.period', '$.countries', '$.attrs.participants',"
    " '$.attrs.places[0]', '$.n_sources', '$.evidence[0].quote'), (SELECT json_group_array(DISTINCT"
    " json_extract(e.value, '$.doc')) FROM json_each(c.data, '$.evidence') AS e) FROM recon_clusters c"
)


def meeting_rows(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """The meetings of `ids` (a page of them) as MEETING_COLUMNS rows, in the order of `ids`: what
    meeting_dict gives with all its sources, each with its documents (`docs`) and first quote (`quote`)."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    cells = {cid: (first, docs) for cid, first, docs in store.conn.execute(f"{MEETING_CELLS_SQL} WHERE c.id IN ({marks})", ids)}  # fmt: skip
    out = []
    for cid in ids:
        if cid not in cells:
            continue
        first, docs = cells[cid]
        date, countries, participants, place, n_sources, quote = json.loads(first)
        out.append({
            "date": date, "countries": countries, "participants": participants or [], "place": place,
            "n_sources": n_sources, "docs": sorted(set(json.loads(docs))), "quote": quote, "cluster_id": cid,
        })  # fmt: skip
    return out


# a promise's CSV cells: its head (its data without its restatements, promises/heads.py) and each
# restatement's date and documents (promises.restated); for a promise stored without them, both cut from
# its data in SQL (a promise restated 600 times is not decoded in Python)
PROMISE_CELLS_SQL = (
    "SELECT p.id, coalesce(p.head, json_remove(p.data, '$.restatements', '$.history', '$.declared.sources')),"
    " coalesce(p.restated, (SELECT json_group_array(json_array(json_extract(r.value, '$.date'),"
    " json_extract(r.value, '$.docs'))) FROM json_each(p.data, '$.restatements') AS r)) FROM promises p"
)


def _promises(store: Store, paging: Paging, pair: str | None) -> Page:
    """promise_page(store, paging, pair, members=None)'s page (uncounted) with its rows as promise_row
    gives them."""
    key = pair_block(pair)
    where, args = (["p.pair = ?"], [key]) if key else ([], [])
    page = read_page(store.conn, PROMISE_ORDER, PROMISE_CELLS_SQL, where, args, paging)
    changes = current_changes(store, [r[0] for r in page.rows])
    rows = []
    for pid, data, restated in page.rows:
        statements = json.loads(restated)
        rows.append(promise_cells({**json.loads(data), "history": changes[pid]}, [d for d, _ in statements],
                                  sorted({x for _, docs in statements for x in docs or []})))  # fmt: skip
    page.rows = rows  # type: ignore[assignment]
    return page


def _rows(page: Page) -> list[dict[str, Any]]:
    return list(page.rows)  # type: ignore[arg-type]


DOCUMENTS = ListExport("documents", DOCUMENT_COLUMNS, _documents, _rows)
MEETINGS = ListExport("meetings", MEETING_COLUMNS, _meetings, _rows)
PROMISES = ListExport("promises", CSV_COLUMNS, _promises, _rows)


def facts_text(
    store: Store,
    facts: list[dict[str, Any]],
    docs: dict[str, dict[str, Any]],
    header: bool,
    ends: list[int] | None = None,
) -> str:
    """Facts as the facts export writes them (cited, typed), with the BOM and header line when `header`;
    `docs` keeps documents' citations across calls. `ends`: where each fact's row ends in the text is
    appended (in characters)."""
    out = io.StringIO()
    if header:
        out.write(BOM)
    mine: list[int] = []
    write_typed_csv(cite(facts, store, docs), "facts", out, mine if ends is not None else None)
    text = out.getvalue()
    cut = 0 if header else text.index("\n") + 1
    if ends is not None:
        ends += [e - cut for e in mine]
    return text[cut:]


@dataclass(frozen=True)
class FactRows:
    """A chunk of a facts export with where its rows are: `ids` its facts', `ends` where each fact's row
    ends in `text` (in characters); `head` characters of header before the first row (the first chunk's)."""

    text: str
    ids: list[int]
    ends: list[int]
    head: int


def fact_row_chunks(
    store_of: Callable[[], Store],
    flt: FactFilter,
    docs: dict[str, dict[str, Any]],
    first: list[dict[str, Any]],
    following: str | None,
) -> Iterator[FactRows]:
    """facts_chunks' chunks, each with where its rows are (exports_ahead keeps them, to send a page)."""
    facts, header = first, True
    while True:
        ends: list[int] = []
        text = facts_text(store_of(), facts, docs, header, ends)
        head = text.index("\n") + 1 if header else 0
        yield FactRows(text, [int(f["fact_id"]) for f in facts], ends, head)
        if not following:
            return
        facts, following = fact_page(store_of(), flt, CSV_BATCH, following)
        header = False


def facts_chunks(
    store_of: Callable[[], Store],
    flt: FactFilter,
    docs: dict[str, dict[str, Any]],
    first: list[dict[str, Any]],
    following: str | None,
) -> Iterator[str]:
    """Every fact `flt` selects from the page `first` on (`following`: the cursor after it), in id order."""
    for chunk in fact_row_chunks(store_of, flt, docs, first, following):
        yield chunk.text
