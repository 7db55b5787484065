"""Ingest: .txt, .html, .jsonl files, folders (recursively) and standard input, read lazily into Docs.

    for doc in read_paths(["examples/", "-"], report=print):
        ...

Problems (a missing file, a binary file, a malformed JSONL line) go to `report`
and never stop the other inputs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from karavan.doc import Doc
from karavan.errors import DuplicateId, KaravanError, UnreadableInput
from karavan.ingest.records import Report
from karavan.ingest.sources import (
    DEFAULT_MAX_BYTES,
    MetaFiles,
    Source,
    estimate_count,
    plan_sources,
    read_source,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "KaravanError",
    "Report",
    "Source",
    "estimate_count",
    "log_problem",
    "plan_sources",
    "read_paths",
    "read_sources",
]

log = logging.getLogger("karavan.ingest")


def log_problem(problem: KaravanError) -> None:
    (log.warning if problem.warning else log.error)("%s", problem)


def read_sources(
    sources: Iterable[Source], report: Report = log_problem, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Doc]:
    """Documents of the sources in order; a second document with an id already read is reported and skipped."""
    metas = MetaFiles(report, max_bytes)
    seen: dict[str, str] = {}
    for src in sources:
        try:
            for doc in read_source(src, metas, max_bytes):
                first = seen.get(doc.id)
                if first is not None:
                    report(DuplicateId(f"id {doc.id!r} was already read from {first}; skipped", doc.path))
                    continue
                seen[doc.id] = doc.path or src.name
                yield doc
        except KaravanError as e:
            report(e)
        except Exception as e:  # a bug or a library's limit on one input must not stop the others
            report(UnreadableInput(f"cannot read ({type(e).__name__}: {e})", src.name))


def read_paths(
    paths: Iterable[str | Path], report: Report = log_problem, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Doc]:
    """Documents of files, folders and '-' (standard input), lazily, in a deterministic order."""
    return read_sources(plan_sources(paths, report), report, max_bytes)
