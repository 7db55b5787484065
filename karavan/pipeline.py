"""The per-document pipeline: a pure function of a document and its metadata.

Each stage takes a Doc and returns it with more annotations; no stage touches a
database or global mutable state, so the same code runs in one process, a
process pool or a Spark job.

Each document has a time budget (DEFAULT_BUDGET seconds, `--budget`): one that runs out of it is
returned with what the finished stages found and no facts, marked in `meta["over_budget"]`, so it is
stored, reported, and never holds up the documents after it.

The cyclic garbage collector is paused while a document is processed (karavan/gc_pause.py: the pipeline
makes no reference cycles, and full collections over a long document's live objects grew with its square).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from karavan.annotate import annotate
from karavan.budget import DEFAULT_BUDGET, OVER_BUDGET, OutOfTime, time_limit
from karavan.clean import clean
from karavan.doc import Doc
from karavan.extract import extract
from karavan.gc_pause import gc_paused

Stage = Callable[[Doc], Doc]

STAGES: tuple[tuple[str, Stage], ...] = (
    ("clean", clean),
    ("annotate", annotate),
    ("extract", extract),
)
__all__ = ["DEFAULT_BUDGET", "OVER_BUDGET", "STAGES", "process", "process_within"]


def process(doc: Doc, until: str | None = None, budget: float | None = None) -> Doc:
    """Run the stages in order on one document; stop after stage `until` if given.

    With a `budget` (seconds), a document that runs out of it comes back with the results of the
    stages that finished (none of a stage cut short) and no facts, and meta["over_budget"] saying
    where it stopped.
    """
    with gc_paused():
        return _process(doc, until, budget)


def _process(doc: Doc, until: str | None, budget: float | None) -> Doc:
    if not budget:
        return _run(doc, until, [])
    given = _inputs(doc)
    done: list[str] = []
    began = time.monotonic()
    try:
        with time_limit(budget):
            return _run(doc, until, done)
    except OutOfTime:
        if done and done[-1] == (until or STAGES[-1][0]):  # the time ran out just as the last stage returned
            if until is None:
                doc.derived.clear()
            return doc
        out = doc if "clean" in done else given
        out.facts = []
        out.mentions, out.sentences = [], []
        out.derived.clear()
        stopped = next(name for name, _ in STAGES if name not in done)
        out.meta[OVER_BUDGET] = {
            "budget": budget,
            "seconds": round(time.monotonic() - began, 1),
            "stage": stopped,
            "done": list(done),
        }
        return out


def process_within(doc: Doc, budget: float | None = DEFAULT_BUDGET) -> Doc:
    """`process(doc, budget=budget)`: what ingest, extract and the server run (picklable for a pool)."""
    return process(doc, budget=budget)


def _run(doc: Doc, until: str | None, done: list[str]) -> Doc:
    for name, stage in STAGES:
        doc = stage(doc)
        done.append(name)
        if name == until:
            return doc
    doc.derived.clear()  # the stages' shared cache: nothing after extract reads it, and it need not travel
    return doc


def _inputs(doc: Doc) -> Doc:
    """A copy of what the document came with, before any stage ran (the text is shared, not copied)."""
    return Doc(
        id=doc.id,
        text=doc.text,
        url=doc.url,
        published=doc.published,
        source=doc.source,
        encoding=doc.encoding,
        path=doc.path,
        meta=dict(doc.meta),
    )
