"""The function `karavan spark extract` runs in each Python worker (karavan.spark.job._mapper), without
Spark: it hands its rows back in batches of about OUT_ROWS, so a worker's memory does not grow with the
number of records a task gives it, and the rows are the same whatever the batch size."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

pa = pytest.importorskip("pyarrow")

from karavan.spark import job  # noqa: E402

SENTENCES = [
    "Trade between Kazakhstan and Uzbekistan reached {n} billion dollars in 2023.",
    "Kazakhstan and Kyrgyzstan signed {n} agreements in Bishkek.",
]


def records(files: int, per_file: int) -> object:
    """A batch of `files` JSONL records (the binaryFile rows the job reads), `per_file` documents each."""
    contents = []
    for f in range(files):
        lines = [
            json.dumps({"id": f"d{f}-{i}", "text": SENTENCES[i % 2].format(n=i + 2)}) for i in range(per_file)
        ]
        contents.append(("\n".join(lines) + "\n").encode())
    return pa.RecordBatch.from_pydict(
        {
            "path": [f"file:/in/{f:03d}.jsonl" for f in range(files)],
            "kind": ["file"] * files,
            "content": contents,
            "pos": [0] * files,
        }
    )


def run(batch: object, rows: int, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    monkeypatch.setattr(job, "OUT_ROWS", rows)
    return list(job._mapper(SimpleNamespace(value={}), 10_000_000)(iter([batch])))


def flat(batches: list[object]) -> list[dict]:
    return [row for b in batches for row in b.to_pylist()]


@pytest.mark.parametrize(("files", "per_file", "rows"), [(6, 5, 8), (6, 5, 1), (3, 4, 1000), (1, 12, 5)])
def test_spark_worker_hands_rows_back_in_bounded_batches(
    monkeypatch: pytest.MonkeyPatch, files: int, per_file: int, rows: int
) -> None:
    batch = records(files, per_file)
    out = run(batch, rows, monkeypatch)
    per_record = max(len([r for r in flat(out) if r["src"] == src]) for src in {r["src"] for r in flat(out)})
    assert all(b.num_rows < rows + per_record for b in out)  # one record's rows past the bound, at most
    assert all(b.num_rows >= rows for b in out[:-1])
    assert sum(1 for r in flat(out) if r["doc"]) == files * per_file
    assert flat(out) == flat(run(batch, 1_000_000, monkeypatch))  # the same rows, in the same order
