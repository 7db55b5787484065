"""Fact and document reads the HTTP API and pages need beyond the store's own (parameterised SQL only)."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any

from karavan.export import spreadsheet_safe
from karavan.headline import headline
from karavan.ingest.errors import KaravanError
from karavan.serve.errors import ApiError
from karavan.store import FACT_FIELDS, Store, parse_pair
from karavan.store.db import fact_filters, pair_key
from karavan.store.quote_grams import LEAD, PROBE, candidates, filtered, fold, match_expr

PERIOD_BOUND = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")
CSV_COLUMNS = (
    "fact_id", "doc", "doc_title", "doc_url", "doc_published", "doc_source", "type", *FACT_FIELDS,
    "claimant", "quote", "start", "end", "lang", "cluster_id", "flags",
    "official_verdict", "official_cause", "official_diff_pct", "official_by", "official_value",
)  # fmt: skip


@dataclass(slots=True)
class FactFilter:
    pair: str | None = None
    type: str | None = None
    flow: str | None = None
    product: str | None = None
    period_from: str | None = None
    period_to: str | None = None
    lang: str | None = None
    doc: str | None = None
    claimant: str | None = None
    q: str | None = None
    country: str | None = None

    def query(self) -> list[tuple[str, str]]:
        """The filter as a page's query parameters (its CSV link carries them on); the quote's language is
        `language` there, as `lang` picks the interface's."""
        return [(PAGE_PARAM.get(k, k), str(v)) for k in FILTER_KEYS if (v := getattr(self, k))]


FILTER_KEYS = (
    "pair",
    "country",
    "type",
    "flow",
    "product",
    "period_from",
    "period_to",
    "lang",
    "doc",
    "claimant",
    "q",
)
PAGE_PARAM = {"lang": "language"}


def month_bound(value: str, end: bool) -> str:
    """'2022' or '2022-03' as a 'YYYY-MM' bound ('2022' ends at '2022-12')."""
    m = PERIOD_BOUND.match(value.strip())
    if not m:
        raise ApiError(422, "bad_period", f"a period bound is YYYY or YYYY-MM, got {value!r}")
    return f"{m.group(1)}-{m.group(2) or ('12' if end else '01')}"


def norm_pair(pair: str) -> str:
    """'tj-kz' -> 'TJ-KZ'; anything but two ISO codes is a 422 `bad_pair`."""
    try:
        a, b = parse_pair(pair)
    except KaravanError as e:
        raise ApiError(422, "bad_pair", e.message.replace("--pair", "pair")) from None
    return f"{a}-{b}"


def where_clause(
    flt: FactFilter, period: str = "f.period", fact_id: str = "f.id", indexed: str | None = None
) -> tuple[list[str], list[Any]]:
    """Conditions and arguments of `flt` on facts `f` (and documents `d`); `period` and `fact_id` are the
    columns the period bounds and the quote index test (x.period, x.fact_id: a fact_pairs, fact_countries
    or fact_recent row's, tested before the fact is read). `indexed`: how a quote filter's candidates are
    read from its index (quote_grams.filtered: LEAD or PROBE); None: it tests every fact read."""
    where, args = fact_filters(flt.pair and norm_pair(flt.pair), flt.type, flt.lang, flt.doc)
    for column, value in (("flow", flt.flow), ("product", flt.product)):
        if value:
            where.append(f"f.{column} = ?")
            args.append(value)
    if flt.claimant:
        where.append("kv_fold(f.claimant) = ?")
        args.append(fold(flt.claimant))
    if flt.country:  # the reporter, the partner, or one of the countries or parties (fact_countries rows)
        where.append("f.id IN (SELECT fact_id FROM fact_countries WHERE country = ?)")
        args.append(flt.country.strip().upper())
    if flt.q:  # the candidates from the quote index when `indexed`, the exact test on them
        if indexed and (expr := match_expr(flt.q)) is not None:
            where.append(candidates(fact_id, indexed))
            args.append(expr)
        where.append("instr(kv_fold(f.quote), ?) > 0")
        args.append(fold(flt.q))
    if flt.period_from:
        where.append(f"{period} IS NOT NULL AND substr({period}, 9, 7) >= ?")
        args.append(month_bound(flt.period_from, end=False))
    if flt.period_to:
        where.append(f"{period} IS NOT NULL AND substr({period}, 1, 7) <= ?")
        args.append(month_bound(flt.period_to, end=True))
    return where, args


def encode_cursor(fact_id: int) -> str:
    return base64.urlsafe_b64encode(f"f{fact_id}".encode()).decode().rstrip("=")


MAX_ROW_ID = 2**63 - 1  # SQLite's largest rowid: a larger number is no row (and cannot be bound)
CURSOR = re.compile(r"f([1-9][0-9]{0,18})")


def row_id(value: int) -> int | None:
    """`value` when it can be a row id, else None."""
    return value if 0 < value <= MAX_ROW_ID else None


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raw = ""
    m = CURSOR.fullmatch(raw)
    fact_id = row_id(int(m.group(1))) if m else None
    if fact_id is None:
        raise ApiError(422, "bad_cursor", "the cursor is not one this server gave out")
    return fact_id


def driven(flt: FactFilter, indexed: str | None = None) -> tuple[str, list[str], list[Any]]:
    """FROM clause, conditions and arguments of the facts `flt` selects, read from the index of its most
    selective filter: a pair's facts from fact_pairs, a country's from fact_countries, a type, language or
    period alone tested on fact_recent's narrow rows (migration 10; all in fact id order, `x.fact_id`), else
    the facts table itself. `indexed`: as where_clause's."""
    rest = FactFilter(**{k: getattr(flt, k) for k in FILTER_KEYS})
    if flt.pair or flt.country:
        head, first, firsts = keyed(flt, rest)
        where, args = where_clause(rest, "x.period", "x.fact_id", indexed)
        head = f"{head} CROSS JOIN facts f ON f.id = x.fact_id JOIN documents d ON d.id = f.doc_id"
        return head, first + where, firsts + args
    elif flt.type or flt.lang or flt.period_from or flt.period_to:
        head = "fact_recent x INDEXED BY fact_recent_fact CROSS JOIN facts f ON f.id = x.fact_id"
        first, firsts = narrow(rest)
        where, args = where_clause(rest, "x.period", "x.fact_id", indexed)
        return f"{head} JOIN documents d ON d.id = f.doc_id", first + where, firsts + args
    where, args = where_clause(rest, "f.period", "f.id", indexed)
    return "facts f JOIN documents d ON d.id = f.doc_id", where, args


def keyed(flt: FactFilter, rest: FactFilter) -> tuple[str, list[str], list[Any]]:
    """The rows `x` of a pair's or a country's list (fact_pairs or fact_countries, newest first or in id
    order from their indexes), their conditions and arguments; with a type or language filter, each row's
    fact_recent row `r` joined (migration 10: its type and language, the document's when the fact has
    none), where they are tested before the fact and its document are read. What it tests is taken out of
    `rest`."""
    table, column, key = keyed_rows(flt)
    source, where, args = f"{table} x", [f"x.{column} = ?"], [key]
    setattr(rest, column, None)  # a country beside a pair stays in `rest`
    if rest.type or rest.lang:
        source += " CROSS JOIN fact_recent r INDEXED BY fact_recent_fact ON r.fact_id = x.fact_id"
        tested, values = narrow(rest, "r")
        where, args = where + tested, args + values
    return source, where, args


def down_narrow(store: Store, flt: FactFilter) -> bool:
    """Whether a pair's or a country's list with a type or language filter is read newest first down that
    type's (or language's) fact_recent index, each row probed among the pair's or the country's rows
    (`probed`), rather than down the pair's or country's own, each row's type tested: the shorter list, by
    fact_values' counts (of types, languages, countries and, from migration 22, pairs). A list that few
    facts pass is walked to its end: KZ-RU's 26,569 rows against a type's 2,376."""
    if not ((flt.pair or flt.country) and (flt.type or flt.lang)):
        return False
    _, column, key = keyed_rows(flt)
    narrow_n = counted(store, "type", flt.type) if flt.type else counted(store, "lang", flt.lang or "")
    return narrow_n < counted(store, column, key)


def counted(store: Store, field: str, value: str) -> int:
    """How many facts have `value` in `field` (fact_values, kept by the store's triggers: type, product,
    lang, country and, from migration 22, pair)."""
    row = store.conn.execute(
        "SELECT n FROM fact_values WHERE field = ? AND value = ?", (field, value)
    ).fetchone()
    return int(row[0]) if row else 0


def keyed_rows(flt: FactFilter) -> tuple[str, str, str]:
    """The table of a pair's or a country's rows, its key column and the key of `flt`'s."""
    if flt.pair:
        return "fact_pairs", "pair", pair_key(norm_pair(flt.pair))
    return "fact_countries", "country", (flt.country or "").strip().upper()


def probed(flt: FactFilter, rest: FactFilter) -> tuple[str, list[str], list[Any]]:
    """`down_narrow`'s rows `x`: fact_recent down the type's index (else the language's), each tested for
    the pair or the country by key. What it tests is taken out of `rest`."""
    table, column, key = keyed_rows(flt)
    setattr(rest, column, None)  # a country beside a pair stays in `rest`, as `keyed` leaves it
    source = recent_rows(flt)
    where, args = narrow(rest)
    where.append(f"EXISTS (SELECT 1 FROM {table} k WHERE k.{column} = ? AND k.fact_id = x.fact_id)")
    return source, where, [*args, key]


def recent_rows(flt: FactFilter) -> str:
    """fact_recent's rows `x`, newest first from its type's index when `flt` has a type, else from its
    language's when it has one, else from its own key."""
    index = "fact_recent_type" if flt.type else "fact_recent_lang" if flt.lang else None
    return f"fact_recent x INDEXED BY {index}" if index else "fact_recent x"


def narrow(rest: FactFilter, row: str = "x") -> tuple[list[str], list[Any]]:
    """The type and language conditions of `rest` on a fact_recent row `row` (taken out of `rest`)."""
    where: list[str] = []
    args: list[Any] = []
    for column in ("type", "lang"):
        if value := getattr(rest, column):
            where.append(f"{row}.{column} = ?")
            args.append(value)
            setattr(rest, column, None)
    return where, args


def fact_page(
    store: Store, flt: FactFilter, limit: int, cursor: str | None
) -> tuple[list[dict[str, Any]], str | None]:
    """Facts in id order after `cursor`, at most `limit`, and the cursor of the next page (None at the end)."""
    after = decode_cursor(cursor) if cursor else None

    def read(indexed: str | None) -> list[Any]:
        source, where, args = driven(flt, indexed)
        order = "x.fact_id" if source.startswith("fact_") else "f.id"
        if after is not None:
            where.append(f"{order} > ?")
            args.append(after)
        sql = (
            f"SELECT f.id, f.data FROM {source}"
            f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order} LIMIT ?"
        )
        return store.conn.execute(sql, (*args, limit + 1)).fetchall()

    rows = filtered(store.conn, flt.q, read, LEAD)  # in id order: the candidates' own
    facts = [{"fact_id": r[0], **json.loads(r[1])} for r in rows[:limit]]
    following = encode_cursor(rows[limit - 1][0]) if len(rows) > limit else None
    return facts, following


RECENT = ("recency", "doc_id", "fact_id")  # a newest-first cursor: the last fact shown's


def recent_facts(
    store: Store, flt: FactFilter, limit: int, after: tuple[str, str, int] | None = None
) -> list[dict[str, Any]]:
    """Facts newest first: by the document's publication date (undated last), then the newest fact.

    Read in that order from an index, so only the facts shown (and those the other filters pass over) are
    read: a pair's or a country's from fact_pairs / fact_countries (or, with a type or language filter that
    fewer facts pass, from fact_recent: `down_narrow`), any other from fact_recent; each keys its rows by
    `recency` (the document's date, '' when undated), the document's id and the fact's.
    `after` (as the last fact of a page has them: `recency_of`) starts after that fact, so that a list is
    paged in this order (pages.facts_page's cursor).
    """

    by_narrow = down_narrow(store, flt)

    def read(indexed: str | None) -> list[Any]:
        rest = FactFilter(**{k: getattr(flt, k) for k in FILTER_KEYS})
        if by_narrow:
            source, where, args = probed(flt, rest)
        elif flt.pair or flt.country:
            source, where, args = keyed(flt, rest)
        else:  # fact_recent (migration 10): from its type's or language's index when the filter has one
            source = recent_rows(flt)
            where, args = narrow(rest)
        # on the narrow rows what they hold, the rest on the facts
        more, more_args = where_clause(rest, "x.period", "x.fact_id", indexed)
        where, args = where + more, args + more_args
        if after is not None:  # a range of the rows' (recency, doc_id, fact_id) key
            where.append("(x.recency, x.doc_id, x.fact_id) < (?, ?, ?)")
            args += list(after)
        sql = (
            f"SELECT f.id, f.data, d.published FROM {source} CROSS JOIN facts f ON f.id = x.fact_id"
            f" JOIN documents d ON d.id = f.doc_id WHERE {' AND '.join(where) or '1'}"
            " ORDER BY x.recency DESC, x.doc_id DESC, x.fact_id DESC LIMIT ?"
        )
        return store.conn.execute(sql, [*args, limit]).fetchall()

    rows = filtered(store.conn, flt.q, read, PROBE)  # newest first: the walk's, each fact probed
    return [{"fact_id": r[0], "published": r[2], **json.loads(r[1])} for r in rows]


def recency_of(fact: dict[str, Any]) -> tuple[str, str, int]:
    """The newest-first sort key of a fact recent_facts gave (`after` of the page after it)."""
    return (fact.get("published") or "", fact["doc"], int(fact["fact_id"]))


def csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        value = ";".join(map(str, value))
    return spreadsheet_safe(value)  # a spreadsheet must not run a quote as a formula


def facts_csv(facts: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # a byte-order mark: Excel then reads the UTF-8 (Cyrillic) right
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in facts:
        writer.writerow([csv_cell(f.get(c)) for c in CSV_COLUMNS])
    return out.getvalue()


def get_fact(store: Store, fact_id: int) -> dict[str, Any] | None:
    row = store.conn.execute(
        "SELECT f.id, f.data, d.published FROM facts f JOIN documents d ON d.id = f.doc_id WHERE f.id = ?",
        (fact_id,),
    ).fetchone()
    return None if row is None else {"fact_id": row[0], "published": row[2], **json.loads(row[1])}


def document(store: Store, doc_id: str) -> dict[str, Any] | None:
    """A stored document with its chrome spans and fact spans (no pipeline run)."""
    row = store.conn.execute(
        "SELECT id, text, url, published, source, lang, script, excluded, paragraphs, meta FROM documents WHERE id = ?",
        (doc_id,),
    ).fetchone()
    if row is None:
        return None
    facts = [
        {
            "fact_id": r[0],
            "type": r[1],
            "start": r[2],
            "end": r[3],
            "quote": r[4],
            "claimant": r[5],
            "lang": r[6],
        }
        for r in store.conn.execute(
            'SELECT id, type, start, "end", quote, claimant, lang FROM facts WHERE doc_id = ? ORDER BY start, id',
            (doc_id,),
        )
    ]
    meta = json.loads(row["meta"] or "{}")
    return {
        "id": row["id"],
        "title": headline(row["text"], row["excluded"], meta),
        "text": row["text"],
        "url": row["url"],
        "published": row["published"],
        "source": row["source"],
        "lang": row["lang"],
        "script": row["script"],
        "excluded": json.loads(row["excluded"]),
        "paragraphs": json.loads(row["paragraphs"]),
        "facts": facts,
    }


def facts_by_ids(store: Store, ids: list[int]) -> list[dict[str, Any]]:
    """The facts of `ids`, newest document first (undated last), with fact_id and published."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    sql = (
        "SELECT f.id, f.data, d.published FROM facts f JOIN documents d ON d.id = f.doc_id"
        f" WHERE f.id IN ({marks}) ORDER BY d.published IS NULL, d.published DESC, d.id DESC, f.id DESC"
    )
    return [{"fact_id": r[0], "published": r[2], **json.loads(r[1])} for r in store.conn.execute(sql, ids)]


def fact_options(store: Store) -> dict[str, list[str]]:
    """The values a fact filter can take in this store: types, products, languages, countries (counted by
    the store's triggers in fact_values, so no fact is read)."""
    out: dict[str, list[str]] = {"type": [], "product": [], "lang": [], "country": []}
    for field, value in store.conn.execute(
        "SELECT field, value FROM fact_values WHERE field IN ('type', 'product', 'lang', 'country') AND n > 0"
        " ORDER BY field, value"
    ):
        if field in out and value:
            out[field].append(value)
    return {k: sorted(v) for k, v in out.items()}


def pair_known(store: Store, a: str, b: str) -> bool:
    """Whether the store has any fact of the pair (either order, or both in a list of countries)."""
    row = store.conn.execute(
        "SELECT 1 FROM fact_pairs WHERE pair = ? LIMIT 1", (pair_key(f"{a}-{b}"),)
    ).fetchone()
    return row is not None


def latest_figures(store: Store, pair: str | None = None) -> dict[str, dict[str, Any]]:
    """pair ('KZ-TJ', codes sorted) -> its latest total turnover point and its latest export and import
    points (store_bridge.latest_figures_of), as the last reconciliation wrote them; of one pair when given."""
    from karavan.reconcile import store_bridge

    if pair is None:
        return store_bridge.latest_figures(store)
    row = store.conn.execute("SELECT latest FROM recon_pairs WHERE pair = ?", (pair,)).fetchone()
    return json.loads(row[0]) if row and row[0] else {}


def document_list(store: Store, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """A page of documents, newest first, with their headline, and how many there are."""
    from karavan.headline import HEAD_CHARS

    total = store.count("documents")
    # the page's ids from the index alone (OFFSET steps over index entries, not document rows), then theirs
    order = "ORDER BY {0}published IS NULL, {0}published DESC, {0}id"
    rows = store.conn.execute(
        "SELECT d.id, d.published, d.source, d.lang, d.n_facts, d.url,"
        f" substr(d.text, 1, {HEAD_CHARS}), d.excluded, d.meta FROM (SELECT id, published FROM documents"
        f" INDEXED BY documents_recent {order.format('')} LIMIT ? OFFSET ?) AS top"
        f" CROSS JOIN documents d ON d.id = top.id {order.format('top.')}",
        (limit, offset),
    ).fetchall()
    docs = [
        {"id": r[0], "published": r[1], "source": r[2], "lang": r[3], "facts": r[4], "url": r[5],
         "title": headline(r[6], r[7], r[8])}
        for r in rows
    ]  # fmt: skip
    return docs, total
