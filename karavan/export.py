"""Exports of facts, clusters, series and a UN Comtrade layout, as CSV, JSON lines, XLSX or Parquet.

Each export is a fixed list of typed columns (COLUMNS), so the formats carry the same table: CSV writes
lists as JSON text (UTF-8 with a byte-order mark in a file, so that Excel reads Cyrillic right), JSON lines
keeps them as lists, XLSX (openpyxl) gives numbers as numbers and lists as '; '-joined text, Parquet gives
every column its Arrow type. Every fact row carries its fact id, cluster id and flags, and its document's
headline, url, publication date and source, so that a figure can be cited as it is. The Comtrade layout (README, "Exports") puts one row per trade cluster:
reporter and partner as Comtrade codes (UN M49) and ISO3, flowCode X/M (and T for turnover,
which Comtrade does not have), period YYYY or YYYYMM, cmdCode from data/comtrade_commodities.tsv,
primaryValue for USD only (no conversion), qty in tonnes, plus our cluster id, sources and quote.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any, TextIO

from karavan.data import read_text
from karavan.errors import BadArgument, KaravanError
from karavan.headline import HEAD_CHARS, headline
from karavan.official.verdicts import verdict_fields, verdicts_of
from karavan.reconcile.countries import codes
from karavan.reconcile.keys import period_months
from karavan.reconcile.series import period_kind
from karavan.store import FACT_COMMON, FACT_FIELDS, Store

WHATS = ("facts", "clusters", "series", "comtrade")
FORMATS = ("csv", "json", "xlsx", "parquet")
BINARY = ("xlsx", "parquet")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell as a formula

Columns = list[tuple[str, str]]  # (name, kind): str, float, int, bool, list_str, list_int

_FACT_KINDS = {
    "value": "float", "change_pct": "float", "change_factor": "float", "factor": "float", "pct": "float",
    "positions": "int", "rank": "int", "approx": "bool", "participants": "list_str", "countries": "list_str",
    "parties": "list_str", "start": "int", "end": "int", "confidence": "float",
}  # fmt: skip
COLUMNS: dict[str, Columns] = {
    "facts": [("fact_id", "int"), ("doc", "str"), ("doc_title", "str"), ("doc_url", "str")]
    + [("doc_published", "str"), ("doc_source", "str"), ("type", "str")]
    + [(f, _FACT_KINDS.get(f, "str")) for f in (*FACT_FIELDS, *FACT_COMMON)]
    + [("official_verdict", "str"), ("official_cause", "str"), ("official_diff_pct", "float")]
    + [
        ("official_by", "str"),
        ("official_value", "float"),
        ("official_period", "str"),
        ("official_source", "str"),
    ]
    + [("cluster_id", "str"), ("flags", "list_str")],
    "clusters": [
        ("cluster_id", "str"),
        ("type", "str"),
        ("pair", "str"),
        ("countries", "list_str"),
        ("flow", "str"),
        ("product", "str"),
        ("unit", "str"),
        ("measure", "str"),
        ("period", "str"),
        ("value", "float"),
        ("low", "float"),
        ("high", "float"),
        ("n_sources", "int"),
        ("n_facts", "int"),
        ("flags", "list_str"),
        ("discrepant", "bool"),
        ("claimants", "list_str"),
        ("docs", "list_str"),
        ("fact_ids", "list_int"),
        ("quote", "str"),
    ],  # fmt: skip
    "series": [
        ("series_id", "str"),
        ("pair", "str"),
        ("flow", "str"),
        ("product", "str"),
        ("unit", "str"),
        ("period", "str"),
        ("year", "int"),
        ("kind", "str"),
        ("value", "float"),
        ("low", "float"),
        ("high", "float"),
        ("discrepant", "bool"),
        ("flags", "list_str"),
        ("n_sources", "int"),
        ("official", "float"),  # the reporter's own statistics of the period (karavan.official.series)
        ("official_by", "str"),
        ("mirror", "float"),  # the partner's
        ("mirror_by", "str"),
        ("cluster_ids", "list_str"),
        ("docs", "list_str"),
    ],  # fmt: skip
    "comtrade": [
        ("typeCode", "str"),
        ("freqCode", "str"),
        ("refYear", "int"),
        ("refMonth", "int"),
        ("period", "str"),
        ("reporterCode", "int"),
        ("reporterISO", "str"),
        ("reporterDesc", "str"),
        ("flowCode", "str"),
        ("flowDesc", "str"),
        ("partnerCode", "int"),
        ("partnerISO", "str"),
        ("partnerDesc", "str"),
        ("cmdCode", "str"),
        ("cmdDesc", "str"),
        ("qty", "float"),
        ("qtyUnitAbbr", "str"),
        ("primaryValue", "float"),
        ("cluster_id", "str"),
        ("product", "str"),
        ("period_months", "str"),
        ("value", "float"),
        ("unit", "str"),
        ("discrepant", "bool"),
        ("flags", "list_str"),
        ("sources", "int"),
        ("docs", "list_str"),
        ("quote", "str"),
        ("claimants", "list_str"),
    ],  # fmt: skip
}
FLOWS = {
    "export": ("X", "Export"),
    "import": ("M", "Import"),
    "turnover": ("T", "Turnover (X+M, not a Comtrade flow)"),
}
ANNUAL_REF_MONTH = 52  # what Comtrade writes as refMonth of annual data


@cache
def commodity_codes() -> dict[str, tuple[str, str]]:
    """product -> (cmdCode, description), from data/comtrade_commodities.tsv."""
    text = read_text("comtrade_commodities.tsv")
    out = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            product, code, desc = line.split("\t")
            out[product] = (code, desc)
    return out


def _clusters(store: Store, where: str = "") -> Iterator[dict[str, Any]]:
    for (data,) in store.conn.execute(f"SELECT data FROM recon_clusters {where} ORDER BY ord"):
        yield json.loads(data)


def _discrepant_ids(store: Store) -> set[str]:
    out = set()
    for (data,) in store.conn.execute("SELECT data FROM recon_discrepancies"):
        out |= {s["cluster_id"] for s in json.loads(data)["sides"]}
    return out


def _cited_columns(alias: str) -> str:
    return f"{alias}id, substr({alias}text, 1, {HEAD_CHARS}), {alias}excluded, {alias}meta, {alias}url, {alias}published, {alias}source"


CITED_SQL = f"SELECT {_cited_columns('')} FROM documents"


def documents_cited(store: Store, doc_id: str | None = None) -> dict[str, dict[str, Any]]:
    """doc id -> {title (its headline), url, published, source}, what a citation of its facts needs: of
    every document, or of `doc_id` alone."""
    rows = store.conn.execute(
        CITED_SQL + (" WHERE id = ?" if doc_id is not None else ""), (doc_id,) if doc_id is not None else ()
    )
    return {r[0]: _cited(r) for r in rows}


def _cited(r: Any) -> dict[str, Any]:
    """A CITED_SQL row as a citation: title (its headline), url, published, source."""
    return {"title": headline(r[1], r[2], r[3]), "url": r[4], "published": r[5], "source": r[6]}


def fact_flags(store: Store, fact_ids: list[int]) -> tuple[dict[int, str], dict[str, list[str]]]:
    """fact id -> cluster id, and cluster id -> its flag codes (scale, part_exceeds_whole, ...), from the
    last reconciliation, for `fact_ids`."""
    marks = ", ".join("?" * len(fact_ids))
    cluster = dict(
        store.conn.execute(
            f"SELECT fact_id, cluster_id FROM recon_cluster_facts WHERE fact_id IN ({marks})", fact_ids
        ).fetchall()
    )
    flags: dict[str, list[str]] = {}
    ids = sorted(set(cluster.values()))
    if ids:
        marks = ", ".join("?" * len(ids))
        for cluster_id, code in store.conn.execute(
            f"SELECT cluster_id, code FROM recon_flags WHERE cluster_id IN ({marks}) ORDER BY cluster_id, ord",
            ids,
        ):
            flags.setdefault(cluster_id, []).append(code)
    return cluster, flags


CITE_BATCH = 500  # facts cited per look-up of their clusters, flags and documents


def cite_documents(store: Store, ids: set[str], docs: dict[str, dict[str, Any]]) -> None:
    """documents_cited of `ids` into `docs`, one query for them all ({} for an id the store lacks)."""
    wanted = sorted(ids)
    for i in range(0, len(wanted), CITE_BATCH):
        chunk = wanted[i : i + CITE_BATCH]
        # each id looked up by key (an IN list over a small table is read as a scan)
        sql = f"SELECT {_cited_columns('d.')} FROM json_each(?) AS j CROSS JOIN documents d ON d.id = j.value"
        for r in store.conn.execute(sql, (json.dumps(chunk),)):
            docs[r[0]] = _cited(r)
    for doc_id in wanted:
        docs.setdefault(doc_id, {})


def cite(
    facts: Iterable[dict[str, Any]], store: Store, docs: dict[str, dict[str, Any]] | None = None
) -> Iterator[dict[str, Any]]:
    """Each fact (with its fact_id) with its cluster id, flags and document's title, url, date, source;
    `docs` keeps the documents' citations across calls (a server's, until the store changes)."""
    docs = {} if docs is None else docs
    batch: list[dict[str, Any]] = []
    for f in chain(facts, [None]):
        if f is not None:
            batch.append(f)
            if len(batch) < CITE_BATCH:
                continue
        if not batch:
            break
        cluster, flags = fact_flags(store, [b["fact_id"] for b in batch])
        verdicts = verdicts_of(store, [b["fact_id"] for b in batch])  # against official statistics
        cite_documents(store, {g["doc"] for g in batch} - docs.keys(), docs)
        for g in batch:
            d = docs[g["doc"]]
            c = cluster.get(g["fact_id"])
            yield {
                **g, "doc_title": d.get("title"), "doc_url": d.get("url"), "doc_published": d.get("published"),
                "doc_source": d.get("source"), "cluster_id": c, "flags": flags.get(c, []) if c else [],
                **verdict_fields(verdicts.get(g["fact_id"])),
            }  # fmt: skip
        batch = []


def fact_rows(store: Store, **filters: Any) -> Iterator[dict[str, Any]]:
    """Stored facts (Store.query_facts filters), each cited (`cite`)."""
    yield from cite(store.query_facts(with_id=True, **filters), store)


def cluster_rows(store: Store) -> Iterator[dict[str, Any]]:
    disc = _discrepant_ids(store)
    for c in _clusters(store):
        iv = c.get("interval") or {}
        yield {
            **{k: c.get(k) for k in ("type", "countries", "flow", "product", "unit", "measure", "period", "value")},
            "cluster_id": c["id"], "pair": "-".join(c["countries"]), "low": iv.get("lo", c["value"]),
            "high": iv.get("hi", c["value"]), "n_sources": c["n_sources"], "n_facts": c["n_facts"],
            "flags": c["flags"], "discrepant": c["id"] in disc, "claimants": c["attrs"].get("claimants", []),
            "docs": sorted({e["doc"] for e in c["evidence"]}), "fact_ids": [int(e["fact_id"]) for e in c["evidence"]],
            "quote": c["evidence"][0]["quote"] if c["evidence"] else None,
        }  # fmt: skip


def series_rows(store: Store) -> Iterator[dict[str, Any]]:
    from karavan.official.series import official_series

    for (data,) in store.conn.execute("SELECT data FROM recon_series ORDER BY ord"):
        s = json.loads(data)
        sides = official_series(
            store, "-".join(s["countries"]), s["flow"] or "", s["product"] or "", s["unit"] or ""
        )
        official = {(x["role"], p["period"]): (p["value"], x["country"]) for x in sides for p in x["points"]}
        for p in s["points"]:
            own, mirror = (
                official.get(("official", p["period"]), (None, None)),
                official.get(("mirror", p["period"]), (None, None)),
            )
            low, high = p["value_range"] or [p["value"], p["value"]]
            yield {
                "series_id": s["id"], "pair": "-".join(s["countries"]), "flow": s["flow"], "product": s["product"],
                "unit": s["unit"], "period": p["period"], "year": int(p["period"][:4]), "kind": p["kind"],
                "value": p["value"], "low": low, "high": high, "discrepant": p["discrepant"], "flags": p["flags"],
                "n_sources": p["n_sources"], "cluster_ids": p["clusters"], "docs": p["docs"],
                "official": own[0], "official_by": own[1], "mirror": mirror[0], "mirror_by": mirror[1],
            }  # fmt: skip


def _comtrade_period(period: str) -> tuple[str, int, int, str] | None:
    """(freqCode, refYear, refMonth, period): A/52/YYYY for a year, M/month/YYYYMM, YTD or P ending a month."""
    months = period_months(period)
    if months is None:
        return None
    year, month = months[1] // 12, months[1] % 12 + 1
    kind = period_kind(period)
    if kind == "year":
        return "A", year, ANNUAL_REF_MONTH, str(year)
    freq = "M" if months[0] == months[1] else ("YTD" if kind == "ytd" else "P")
    return freq, year, month, f"{year}{month:02d}"


def comtrade_rows(store: Store) -> Iterator[dict[str, Any]]:
    disc = _discrepant_ids(store)
    for c in _clusters(store, "WHERE type = 'trade' AND measure = 'value'"):
        when = _comtrade_period(c["period"] or "")
        flow = FLOWS.get(c["flow"] or "")
        if when is None or flow is None or len(c["countries"]) != 2:
            continue
        rep, par = (codes(x) for x in c["countries"])
        cmd = commodity_codes().get(c["product"] or "", ("", ""))
        unit = c["unit"]
        yield {
            "typeCode": "C", "freqCode": when[0], "refYear": when[1], "refMonth": when[2], "period": when[3],
            "reporterCode": (rep.comtrade or rep.m49) if rep else None, "reporterISO": rep.iso3 if rep else None,
            "reporterDesc": rep.name if rep else c["countries"][0], "flowCode": flow[0], "flowDesc": flow[1],
            "partnerCode": (par.comtrade or par.m49) if par else None, "partnerISO": par.iso3 if par else None,
            "partnerDesc": par.name if par else c["countries"][1], "cmdCode": cmd[0] or None,
            "cmdDesc": cmd[1] or None, "qty": c["value"] if unit == "t" else None,
            "qtyUnitAbbr": "t" if unit == "t" else None, "primaryValue": c["value"] if unit == "USD" else None,
            "cluster_id": c["id"], "product": c["product"], "period_months": c["period"], "value": c["value"],
            "unit": unit, "discrepant": c["id"] in disc, "flags": c["flags"], "sources": c["n_sources"],
            "docs": sorted({e["doc"] for e in c["evidence"]}), "quote": c["evidence"][0]["quote"],
            "claimants": c["attrs"].get("claimants", []),
        }  # fmt: skip


ROWS = {"facts": fact_rows, "clusters": cluster_rows, "series": series_rows, "comtrade": comtrade_rows}


_TYPED: dict[str, Callable[[Any], Any]] = {
    "list_str": lambda v: [str(x) for x in v],
    "list_int": lambda v: [int(x) for x in v],
    "int": int,
    "float": float,
    "bool": bool,
    "str": str,
}
"""A column kind's typing of a value that is not None."""


def _cell(value: Any, kind: str) -> Any:
    return None if value is None else _TYPED[kind](value)


def _csv_text(value: Any) -> str:
    """spreadsheet_safe(str(value)) in one call (a cell of every text column of every row)."""
    text = value if type(value) is str else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_list_str(value: Any) -> str:
    """json.dumps([str(x) for x in value], ensure_ascii=False), its text built here: each item by the very
    encoder json.dumps uses for a text, ', ' between them (json.dumps makes an encoder at every call)."""
    return "[" + ", ".join([_json_text(x if type(x) is str else str(x)) for x in value]) + "]"


def _csv_list_int(value: Any) -> str:
    """json.dumps([int(x) for x in value]): an int is written as its repr."""
    return "[" + ", ".join([repr(int(x)) for x in value]) + "]"


_json_text: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]

_CSV_CELL: dict[str, Callable[[Any], Any]] = {
    **_TYPED, "str": _csv_text, "list_str": _csv_list_str, "list_int": _csv_list_int,
}  # fmt: skip
"""_TYPED, then as write_text's CSV writes it: a list as JSON, a text that starts like a formula quoted."""


def _texts_once() -> Callable[[Any], str]:
    """_csv_list_str, a list of texts encoded once however often it comes again (a cluster's flags, up to
    300 codes, are every one of its facts' flags), by its items: equal texts, the same JSON."""
    seen: dict[tuple[str, ...], str] = {}

    def cell(value: Any) -> str:
        if not set(map(type, value)) <= {str}:  # an equal number or None may be written otherwise
            return _csv_list_str(value)
        key = tuple(value)
        text = seen.get(key)
        if text is None:
            text = seen[key] = _csv_list_str(value)
        return text

    return cell


def write_typed_csv(
    rows: Iterable[dict[str, Any]], what: str, out: TextIO, ends: list[int] | None = None
) -> int:
    """write_text(typed rows of `rows`, what, "csv", out) in one pass: each cell typed and written as it is
    read, no typed row built in between (the same text). `ends`: where each row ends in `out` is appended
    (out.tell(): a StringIO's is in characters)."""
    texts = _texts_once()  # for this call only: its lists are its rows'
    cols = [(name, texts if kind == "list_str" else _CSV_CELL[kind]) for name, kind in COLUMNS[what]]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([name for name, _ in cols])
    n = 0
    for row in rows:
        get = row.get
        writer.writerow([None if (v := get(name)) is None else cell(v) for name, cell in cols])
        if ends is not None:
            ends.append(out.tell())
        n += 1
    return n


def typed_facts(store: Store, **filters: Any) -> Iterator[dict[str, Any]]:
    """The facts export's rows for the facts `filters` select (Store.query_facts), typed."""
    yield from typed_facts_of(fact_rows(store, **filters))


def typed_facts_of(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Cited fact rows (`cite`) with exactly the facts export's columns, typed."""
    cols = COLUMNS["facts"]
    for row in rows:
        yield {name: _cell(row.get(name), kind) for name, kind in cols}


def typed_rows(store: Store, what: str) -> Iterator[dict[str, Any]]:
    """The export's rows, each with exactly its columns, typed."""
    if what not in ROWS:
        raise KaravanError(f"cannot export {what!r}: choose one of {', '.join(WHATS)}")
    cols = COLUMNS[what]
    for row in ROWS[what](store):
        yield {name: _cell(row.get(name), kind) for name, kind in cols}


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet will show as text: one starting like a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_text(rows: Iterator[dict[str, Any]], what: str, fmt: str, out: TextIO) -> int:
    n = 0
    if fmt == "json":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
        return n
    writer = csv.DictWriter(out, [c for c, _ in COLUMNS[what]], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else spreadsheet_safe(v)
                for k, v in row.items()
            }
        )
        n += 1
    return n


def write_xlsx(rows: Iterator[dict[str, Any]], what: str, path: str | Path) -> int:
    """One sheet named after the export: a bold, frozen header row with filters, numbers as numbers, lists
    as '; '-joined text, every text cell stored as text (a quote is never run as a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    columns = COLUMNS[what]
    book = Workbook(write_only=True)
    sheet = book.create_sheet(what)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name, _ in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    n = 0
    for row in rows:
        cells = []
        for name, _ in columns:
            value = row.get(name)
            if isinstance(value, list):
                value = "; ".join(map(str, value))
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
        n += 1
    sheet.auto_filter.ref = f"A1:{_column_letter(len(columns))}{n + 1}"
    book.save(str(path))
    return n


def _column_letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def write_parquet(rows: Iterator[dict[str, Any]], what: str, path: str | Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise BadArgument(
            "parquet export needs pyarrow, an optional dependency: pip install 'karavan[parquet]'", str(path)
        ) from None

    arrow = {
        "str": pa.string(), "float": pa.float64(), "int": pa.int64(), "bool": pa.bool_(),
        "list_str": pa.list_(pa.string()), "list_int": pa.list_(pa.int64()),
    }  # fmt: skip
    schema = pa.schema([(name, arrow[kind]) for name, kind in COLUMNS[what]])
    table = pa.Table.from_pylist(list(rows), schema=schema)
    pq.write_table(table, str(path))
    return table.num_rows


def export(
    store: Store, what: str, fmt: str, out: TextIO | None = None, path: str | Path | None = None
) -> int:
    """Write one export to `path` (any format) or to `out` (csv, json); return the number of rows."""
    if fmt not in FORMATS:
        raise KaravanError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    rows = typed_rows(store, what)
    if fmt in BINARY and path is None:
        raise KaravanError(f"{fmt} is binary: give a file with --out")
    if fmt == "parquet":
        return write_parquet(rows, what, path)  # type: ignore[arg-type]
    if fmt == "xlsx":
        return write_xlsx(rows, what, path)  # type: ignore[arg-type]
    if path is not None:  # a CSV file starts with a byte-order mark: Excel then reads it as UTF-8
        with open(path, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
            return write_text(rows, what, fmt, fh)
    assert out is not None
    return write_text(rows, what, fmt, out)
