"""bench/corpus.py's synthetic archive, which the scale benchmarks fill stores with: the same documents for
a seed, a stream that can be read from any point, reposts among them, and the facts the pipeline reads from
each language's reports (a template the extractor stopped reading would make the benchmarks measure less)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from corpus import Archive  # noqa: E402

from karavan.doc import Doc  # noqa: E402
from karavan.pipeline import process  # noqa: E402

N = 120


@pytest.fixture(scope="module")
def stream() -> list[dict]:
    return list(Archive(7).documents(0, N))


def test_bench_archive_is_one_stream_readable_from_any_point(stream: list[dict]) -> None:
    assert [d["id"] for d in stream] == [d["id"] for d in Archive(7).documents(0, N)]
    assert list(Archive(7).documents(50, 30)) == stream[50:80]
    assert len({d["id"] for d in stream}) == N
    assert [d["id"] for d in Archive(8).documents(0, 10)] != [d["id"] for d in stream[:10]]


def test_bench_archive_has_reposts(stream: list[dict]) -> None:
    bodies = Counter(d["text"].split("\n\n", 1)[1].rsplit("\n\n", 1)[0] for d in stream)
    assert any(n > 1 for n in bodies.values())


# each language's reports: the fact types the pipeline must read from them
KINDS: list[tuple[str, set[str]]] = [
    ("ru", {"trade", "target", "meeting", "agreement", "project"}),
    ("en", {"trade", "target", "meeting", "agreement"}),
    ("kk", {"trade", "target", "meeting", "agreement"}),
]


@pytest.mark.parametrize("lang,types", KINDS, ids=[k[0] for k in KINDS])
def test_bench_archive_reports_give_their_facts(stream: list[dict], lang: str, types: set[str]) -> None:
    found: Counter[str] = Counter()
    docs = [d for d in stream if d["lang"] == lang]
    for d in docs:
        found.update(f.type for f in process(Doc(d["id"], d["text"], published=d["published"])).facts)
    assert docs and types <= set(found)
    assert found["trade"] >= len(docs)  # every report states last year's trade at least
    assert found["meeting"] >= 0.9 * len(docs)  # and the meeting
