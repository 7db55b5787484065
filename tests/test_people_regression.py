"""The seeds' person and speech mentions and meeting/agreement/project facts stay as snapshotted.

Guards the speed work on people/speech/events: any change of output shows here. To refresh the
snapshot after an intended change: `.venv/bin/python tests/test_people_regression.py`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import shared

from karavan.doc import Doc
from karavan.pipeline import process

SEEDS = shared("seeds", "seeds/meta.jsonl")  # the whole module reads the seeds at collection
SNAPSHOT = Path(__file__).resolve().parent / "data" / "people_seeds_snapshot.json"
KINDS = ("person", "speech")
EVENTS = ("meeting", "agreement", "project")


def _seed_docs() -> list[Doc]:
    meta = {}
    for line in (SEEDS / "meta.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            o = json.loads(line)
            meta[o["id"]] = o
    docs = []
    for p in sorted(SEEDS.glob("*.txt")):
        m = meta.get(p.stem, {})
        docs.append(
            Doc(p.stem, p.read_text(encoding="utf-8"), published=m.get("published"), source=m.get("source"))
        )
    return docs


def _observed(doc: Doc) -> dict[str, Any]:
    doc = process(doc)
    mentions = [
        {"start": m.start, "end": m.end, "kind": m.kind, "value": m.value, "attrs": m.attrs}
        for m in doc.mentions
        if m.kind in KINDS
    ]
    facts = [f.to_dict() for f in doc.facts if f.type in EVENTS]
    # through JSON so tuples and lists compare alike
    return json.loads(json.dumps({"mentions": mentions, "facts": facts}, ensure_ascii=False))


@pytest.mark.parametrize("doc", _seed_docs(), ids=lambda d: d.id)
def test_people_seed_people_speech_events_unchanged(doc: Doc) -> None:
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))[doc.id]
    got = _observed(doc)
    assert got["mentions"] == expected["mentions"]
    assert got["facts"] == expected["facts"]


if __name__ == "__main__":
    snap = {d.id: _observed(d) for d in _seed_docs()}
    SNAPSHOT.write_text(json.dumps(snap, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
