"""The quote filter's index: every fact's quote, case-folded, as trigrams (migration 20's fact_quote_grams).

A quote filter (`q=`: the facts whose quote holds a text, in any case) is exact only as `instr(kv_fold(quote),
kv_fold(q))`: SQLite folds no case but ASCII's, so the store registers Python's full case folding as
`kv_fold` on every connection it opens (`register`). Tested on every candidate, that reads and folds the
quote of every fact a list walks past: 30-130 ms for a filter that matches few of 26k facts.

fact_quote_grams is an FTS5 table of the folded quotes, tokenised into trigrams (case-sensitive: the text is
folded already, by the same function as the query). A fact whose folded quote holds the folded query holds
each of the query's trigrams, so `match_expr`'s AND of those trigrams selects a superset of the facts the
exact test passes: the filter reads candidates from the index and keeps the exact test after it. A query
shorter than a trigram has no index (`match_expr` is None): it is tested on every fact, as before.

Which is cheaper depends on how the filter's text and the list's other filters meet (`filtered`): a common
word ('млрд') among a pair's facts is found in the first few dozen the list walks, and reading its 24k
matches from the index would cost more than the whole page; a word of another language, or a rare one, is
found in none, and the walk tests every fact of the pair. So a list is first read as before, for at most
WALK_SECONDS (SQLite's progress handler looks at the clock every STEP of its steps); one not done by then
is read again with the index: a list in id order (the API's, the CSV's) from the candidates themselves
(LEAD: the index's rowids are fact ids, so they come in the list's order and the page stops it), a list
newest first by walking it again with each fact tested against the candidates, an index of ids in
memory, before its quote is read (PROBE: reading every candidate to sort them cost more, 14 ms for a word
in 4% of the quotes where the probing walk takes 2). Both ways give the same rows. On a 100k-fact store:
KZ-RU's facts filtered by a Russian word and English, 65-72 ms -> 9-10; every fact, by an English word
and Russian, 105-130 -> 11; a page the walk finds at once is read as before (under 1 ms).

Reads: facts.quote (its triggers keep the table current: a fact inserted, deleted or with its quote changed).
Sets: fact_quote_grams (rowid = facts.id).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

GRAM = 3  # FTS5's trigram tokenizer
WALK_SECONDS = 0.003  # a list's walk before the index is read: about 2,000 quotes folded and tested
STEP = 1_000  # the progress handler's period, in SQLite's steps (15-50 µs)
LEAD, PROBE = "lead", "probe"


def fold(text: str | None) -> str | None:
    """The store's one case folding (Python's full folding: 'Straße' and 'STRASSE' are one)."""
    return None if text is None else text.casefold()


def register(conn: sqlite3.Connection) -> None:
    """`kv_fold` on `conn`: the quote filter and the triggers that keep fact_quote_grams call it."""
    conn.create_function("kv_fold", 1, fold, deterministic=True)


def match_expr(q: str) -> str | None:
    """The FTS5 query of fact_quote_grams that every fact whose quote holds `q` (folded) matches: the trigrams
    that cover the folded text end to end (at 0, 3, 6, ... and the last: its other trigrams narrow the
    candidates little and each costs a merge of its list), quoted, ANDed; None when it has fewer than GRAM
    characters."""
    folded = fold(q) or ""
    if len(folded) < GRAM:
        return None
    starts = [*range(0, len(folded) - GRAM + 1, GRAM), len(folded) - GRAM]
    grams = dict.fromkeys(folded[i : i + GRAM] for i in starts)
    return " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams)


def candidates(fact_id: str, how: str) -> str:
    """The condition that `fact_id` (a column) is a candidate of the quote index's query (bound as `?`):
    LEAD lets the planner read the list from them, PROBE (`+`: no index for the term) keeps the list's own
    order and tests each of its rows against them."""
    column = fact_id if how == LEAD else f"+{fact_id}"
    return f"{column} IN (SELECT rowid FROM fact_quote_grams WHERE fact_quote_grams MATCH ?)"


def filtered(conn: sqlite3.Connection, q: str | None, read: Callable[[str | None], T], how: str) -> T:
    """`read(how)`'s result for a list whose quote filter is `q`: `read(None)` tests the quote of every fact
    it walks, `read(LEAD)` or `read(PROBE)` reads the index's candidates (`candidates`). The walk first,
    for WALK_SECONDS; the index when the walk is not done by then (the walk alone when `q` has no trigram).
    Which one reads the list depends on the machine's speed; the rows do not."""
    if not q or match_expr(q) is None:
        return read(None)
    done, rows = within(conn, WALK_SECONDS, lambda: read(None))
    return rows if done else read(how)  # type: ignore[return-value]


def within(conn: sqlite3.Connection, seconds: float, run: Callable[[], T]) -> tuple[bool, T | None]:
    """(True, run()) when `run`'s statements on `conn` finish within `seconds`, else (False, None):
    interrupted there (only reads: an interrupted SELECT changes nothing)."""
    deadline = time.perf_counter() + seconds
    late = False

    def tick() -> bool:
        nonlocal late
        late = time.perf_counter() > deadline
        return late

    conn.set_progress_handler(tick, STEP)
    try:
        return True, run()
    except sqlite3.OperationalError as e:
        if late and "interrupt" in str(e):
            return False, None
        raise
    finally:
        conn.set_progress_handler(None, STEP)
