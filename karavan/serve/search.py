"""The dashboard's search: full text (SQLite FTS5, migration 4) over documents and fact quotes, read the way an
analyst types: a pair code (KZ-TJ), a country in any language (Tajikistan finds Таджикистан, Тәжікстан and
Tájikstan), a person in any script (Бектенов, Bektenov: his statements and meetings too), or words
(мука finds муки: a word of four letters or more is searched as a prefix, less a final vowel).

    found = search(store, "Таджикистан")   # Found(pairs, countries, people, facts, docs)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from karavan.lookup import countries_named, lexicon_names, pair_named, people_matching
from karavan.reconcile.countries import country_table
from karavan.serve.queries import counted
from karavan.store import Store

TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
ENDING = re.compile(r"[аеёиоуыэюяйьaeiouy]$", re.IGNORECASE)  # dropped before a prefix search: мука -> мук*
MARK_START, MARK_END = "\x02", "\x03"  # snippet() marks, split into text and <mark> by the template
STEM_MIN = 4
FACT_LIMIT, DOC_LIMIT = 100, 25  # a page's (?page=: the next ones)
RANK_WINDOW = 2000
"""A word search ranks (bm25) the newest RANK_WINDOW of its matches, by stored order: bm25 scores every
match it ranks, and a common word matches most of an archive (товарооборот: 15k of 100k quotes, 12 ms a
list; its newest 2,000: 2.5 ms). Fewer matches than that are all ranked."""
MAX_PAGE = RANK_WINDOW // FACT_LIMIT
"""The last page a search offers: its facts reach the ranked window's end (a narrower search finds more)."""


@dataclass(slots=True)
class Found:
    pairs: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    fact_ids: list[int] = field(default_factory=list)
    docs: list[dict[str, Any]] = field(default_factory=list)
    page: int = 1
    more: bool = False  # a next page has facts or documents


def term(word: str) -> str:
    """One FTS5 term: the word quoted, searched as a prefix (less a final vowel) when long enough."""
    low = word.lower()
    if len(low) >= STEM_MIN:
        return f'"{ENDING.sub("", low)}"*'
    return f'"{low}"'


def words_query(text: str) -> str | None:
    """Every word of `text` (AND), as FTS5 terms; None when it has no word."""
    words = TOKEN.findall(text)
    return " ".join(term(w) for w in words) if words else None


def any_of(phrases: list[str]) -> str | None:
    """An FTS5 OR of phrases, each phrase's words ANDed."""
    parts = [q for q in (words_query(p) for p in phrases) if q]
    return " OR ".join(f"({p})" for p in sorted(set(parts))) or None


@cache
def country_forms(code: str) -> list[str]:
    """The one-word names and adjective stems of a country in every language (data/countries.tsv)."""
    from karavan.annotate.countries import country_entries

    return [
        form
        for c, kind, _, form in country_entries()
        if c == code and kind in ("name", "adj") and " " not in form
    ]


def person_forms(name: str) -> list[str]:
    """A person's surname forms in every script (data/people.toml), else the English name's last word."""
    from karavan.annotate.people_data import people_data

    for p in people_data().people:
        if p.name == name:
            return sorted(p.last)
    return [name.split()[-1]]


def search(
    store: Store, q: str, people: list[str] | None = None, pairs: list[str] | None = None, page: int = 1
) -> Found:
    """What `q` names (pairs, countries, people) and the facts and documents it finds, newest first, the
    `page`-th FACT_LIMIT facts and DOC_LIMIT documents (up to MAX_PAGE). `people`: the names in the store
    (the people lexicon's are added); `pairs`: the store's pairs ('KZ-TJ'), of which those of a country
    named alone are offered."""
    found = Found(page=min(max(page, 1), MAX_PAGE))
    pair = pair_named(q)
    if pair and all(c in country_table() for c in pair):
        found.pairs = ["-".join(sorted(pair))]
        found.countries = list(pair)
    else:
        found.countries = countries_named(q)
        if len(found.countries) == 2:
            found.pairs = ["-".join(sorted(found.countries))]
        elif len(found.countries) == 1:
            found.pairs = [p for p in pairs or [] if found.countries[0] in p.split("-")]
    found.people = people_matching(q, [*(people or []), *lexicon_names()]) if not found.countries else []
    if len(found.people) > 5:
        found.people = []  # a common word matching many first names is no person search
    before = found.page - 1
    ids = _fact_ids(store, q, found, found.page * FACT_LIMIT + 1)  # one more: is there a next page
    found.fact_ids = ids[before * FACT_LIMIT : found.page * FACT_LIMIT]
    docs = _docs(store, q, found, DOC_LIMIT + 1, before * DOC_LIMIT)
    found.docs = docs[:DOC_LIMIT]
    found.more = found.page < MAX_PAGE and (len(ids) > found.page * FACT_LIMIT or len(docs) > DOC_LIMIT)
    return found


def window_start(store: Store, table: str, query: str) -> int:
    """The oldest rowid among the newest RANK_WINDOW matches of `query` in `table` (0 when fewer match).
    FTS5 reads a match's rowids in order, without scoring them."""
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?"
    row = store.conn.execute(sql, (query, RANK_WINDOW - 1)).fetchone()
    return int(row[0]) if row else 0


def _fts(store: Store, table: str, query: str | None, limit: int) -> list[int]:
    """The `limit` best-ranked of the newest RANK_WINDOW matches of `query`."""
    if not query:
        return []
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid >= ? ORDER BY rank LIMIT ?"
    return [r[0] for r in store.conn.execute(sql, (query, window_start(store, table, query), limit))]


def _doc_query(q: str, found: Found) -> str | None:
    if found.countries:
        groups = [any_of(country_forms(c)) for c in found.countries]
        return " AND ".join(f"({g})" for g in groups if g) or None
    if found.people:
        return any_of([f for name in found.people for f in person_forms(name)])
    return words_query(q)


def _fact_ids(store: Store, q: str, found: Found, want: int) -> list[int]:
    """The first `want` facts found, in order: those naming the countries or people newest first, then
    those whose quotes match best."""
    ids: list[int] = []
    if found.countries:  # facts naming every one of the countries (fact_countries: indexed, newest first)
        # walked newest first down the country with fewest facts, each looked up under the others by key, until
        # the page is full: an IN list of the others read every fact of theirs first (KZ-RU: 35k, 11-21 ms)
        first, *rest = sorted(found.countries, key=lambda c: (counted(store, "country", c), c))
        also = "".join(
            " AND EXISTS (SELECT 1 FROM fact_countries y WHERE y.country = ? AND y.fact_id = x.fact_id)"
            for _ in rest
        )
        sql = f"SELECT x.fact_id FROM fact_countries x WHERE x.country = ?{also} ORDER BY x.fact_id DESC LIMIT ?"
        ids = [r[0] for r in store.conn.execute(sql, (first, *rest, want))]
    elif found.people:  # facts they claim or meet in (fact_people)
        marks = ", ".join("?" * len(found.people))
        sql = (
            f"SELECT DISTINCT fact_id FROM fact_people WHERE name IN ({marks}) ORDER BY fact_id DESC LIMIT ?"
        )
        ids = [r[0] for r in store.conn.execute(sql, (*found.people, want))]
    if len(ids) < want:  # the quotes' full text only when the indexed facts leave room
        have = set(ids)
        ids += [i for i in _fts(store, "facts_fts", _doc_query(q, found), want) if i not in have]
    return ids[:want]


def _docs(store: Store, q: str, found: Found, limit: int, offset: int) -> list[dict[str, Any]]:
    """Documents naming a country, a pair or a person come newest stored first (FTS5 reads its rowids in
    order and stops at the LIMIT); words are ranked, the newest RANK_WINDOW matches (bm25 scores each one it
    ranks, so only they pay it). `limit` of them after the first `offset`."""
    query = _doc_query(q, found)
    if not query:
        return []
    newest = bool(found.countries or found.people)
    rows = store.conn.execute(
        "SELECT d.id, d.published, d.source, substr(d.text, 1, 4000), d.excluded, d.meta,"
        f" snippet(documents_fts, 0, '{MARK_START}', '{MARK_END}', '…', 24)"
        " FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid"
        " WHERE documents_fts MATCH ? AND documents_fts.rowid >= ?"
        f" ORDER BY {'documents_fts.rowid DESC' if newest else 'rank'} LIMIT ? OFFSET ?",
        (query, 0 if newest else window_start(store, "documents_fts", query), limit, offset),
    ).fetchall()
    from karavan.headline import headline

    return [
        {
            "id": r[0],
            "published": r[1],
            "source": r[2],
            "title": headline(r[3], r[4], r[5]),
            "snippet": marked(r[6]),
        }
        for r in rows
    ]


def marked(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, is_match) pieces, for the template to escape and <mark>."""
    pieces: list[tuple[str, bool]] = []
    for i, part in enumerate(re.split(f"[{MARK_START}{MARK_END}]", snippet or "")):
        if part:
            pieces.append((part, i % 2 == 1))
    return pieces
