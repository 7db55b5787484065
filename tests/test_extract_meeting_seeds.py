"""On the five seeds: meeting, agreement and project lenient recall vs gold >= 0.85, at most one
spurious fact of these types per document (same type, same countries, span overlaps the gold quote)."""

import json

from conftest import shared

from karavan.doc import Doc
from karavan.extract.agreement import extract_agreements
from karavan.extract.meeting import extract_meetings
from karavan.extract.project import extract_projects

TYPES = ("meeting", "agreement", "project")


def _countries(fact: dict) -> frozenset[str]:
    return frozenset(fact.get("countries") or fact.get("parties") or [])


def _seeds() -> list[tuple[Doc, list[dict]]]:
    base = shared("seeds", "seeds/meta.jsonl", "gold/seeds.facts.jsonl").parent
    meta = {
        json.loads(line)["id"]: json.loads(line)
        for line in (base / "seeds/meta.jsonl").read_text().splitlines()
        if line.strip()
    }
    gold = [
        json.loads(line)
        for line in (base / "gold/seeds.facts.jsonl").read_text().splitlines()
        if line.strip()
    ]
    out = []
    for path in sorted((base / "seeds").glob("*.txt")):
        doc = Doc(
            id=path.stem,
            text=path.read_text(encoding="utf-8"),
            published=meta.get(path.stem, {}).get("published"),
        )
        out.append((doc, [g for g in gold if g["doc"] == doc.id and g["type"] in TYPES]))
    return out


def test_extract_seed_recall_and_spurious() -> None:
    hit = total = 0
    for doc, gold in _seeds():
        preds = [
            f.to_dict() for f in (*extract_meetings(doc), *extract_agreements(doc), *extract_projects(doc))
        ]
        used: set[int] = set()
        for g in gold:
            total += 1
            gs = doc.text.find(g["quote"])
            ge = gs + len(g["quote"])
            for i, p in enumerate(preds):
                if i in used or p["type"] != g["type"] or _countries(p) != _countries(g):
                    continue
                if p["start"] < ge and gs < p["end"]:
                    used.add(i)
                    hit += 1
                    break
        assert len(preds) - len(used) <= 1, (
            doc.id,
            [p["quote"] for i, p in enumerate(preds) if i not in used],
        )
    assert total and hit / total >= 0.85, (hit, total)
