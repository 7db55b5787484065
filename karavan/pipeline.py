"""The per-document pipeline: a pure function of a document and its metadata.

Each stage takes a Doc and returns it with more annotations; no stage touches a
database or global mutable state, so the same code runs in one process, a
process pool or a Spark job.
"""

from __future__ import annotations

from collections.abc import Callable

from karavan.annotate import annotate
from karavan.clean import clean
from karavan.doc import Doc
from karavan.extract import extract

Stage = Callable[[Doc], Doc]

STAGES: tuple[tuple[str, Stage], ...] = (
    ("clean", clean),
    ("annotate", annotate),
    ("extract", extract),
)


def process(doc: Doc, until: str | None = None) -> Doc:
    """Run the stages in order on one document; stop after stage `until` if given."""
    for name, stage in STAGES:
        doc = stage(doc)
        if name == until:
            return doc
    doc.derived.clear()  # the stages' shared cache: nothing after extract reads it, and it need not travel
    return doc
