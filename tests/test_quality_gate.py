"""The quality gate: extraction on the seeds must not score below the floors in quality-floor.toml.

The real pipeline runs on every seed document (with the seeds' meta.jsonl); each
[[floor]] entry is checked on its documents and types under its rule.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import need

from karavan.evaluate import MODES, Report, load_docs, predict, read_gold, score

ROOT = Path(__file__).resolve().parents[1]
FLOOR_FILE = ROOT / "quality-floor.toml"
KNOWN_TYPES = {"trade", "target", "export_offer", "partner_rank", "share", "meeting", "agreement", "project"}


@dataclass(frozen=True)
class Floor:
    name: str
    docs: tuple[str, ...]  # document id prefixes
    types: frozenset[str]
    mode: str
    f1: float
    precision: float
    corpus: str = "seeds"  # a key of [corpus] in the floor file
    lang: str | None = None  # only the facts quoted in this language (gold and predicted)
    claimant: float | None = None  # claimant accuracy over the strict matches, when set


def load_floors(path: Path) -> tuple[dict[str, Any], list[Floor]]:
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    floors = [
        Floor(
            f["name"],
            tuple(f["docs"]),
            frozenset(f["types"]),
            f["mode"],
            float(f["f1"]),
            float(f["precision"]),
            f.get("corpus", "seeds"),
            f.get("lang"),
            float(f["claimant"]) if "claimant" in f else None,
        )
        for f in config["floor"]
    ]
    return config, floors


CONFIG, FLOORS = load_floors(FLOOR_FILE)
CORPORA = {
    name: ((ROOT / c["docs"]).resolve(), (ROOT / c["gold"]).resolve()) for name, c in CONFIG["corpus"].items()
}
_RUNS: dict[str, tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str]]] = {}


def corpus_run(name: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str]]:
    """Gold facts, the pipeline's predictions and the texts of a corpus (run once per test session)."""
    if name not in _RUNS:
        docs_dir, gold = CORPORA[name]
        need(docs_dir, gold, why=f"the quality gate's corpus {name!r}")
        docs = load_docs(docs_dir)
        _RUNS[name] = (read_gold(gold), predict(docs.values()), {d.id: d.text for d in docs.values()})
    return _RUNS[name]


def in_floor(floor: Floor, fact: dict[str, Any]) -> bool:
    doc_id = fact.get("doc")
    if floor.lang is not None and fact.get("lang") != floor.lang:
        return False
    return isinstance(doc_id, str) and doc_id.startswith(floor.docs)


def describe(report: Report, floor: Floor) -> str:
    lines = [f"floor {floor.name!r} ({floor.mode}): F1 >= {floor.f1}, P >= {floor.precision}; measured:"]
    mode = report.mode(floor.mode)
    for kind, f in [("overall", mode.overall), *mode.per_type.items()]:
        lines.append(
            f"  {kind:13} P={f.p:.3f} R={f.r:.3f} F1={f.f1:.3f} ({f.tp}/{f.gold} gold, {f.pred} pred)"
        )
    shown = [("missed", r) for r in report.missed] + [("spurious", r) for r in report.spurious]
    lines += [f"  {what}: {r.type} {r.line()}" for what, r in shown[:30]]
    return "\n".join(lines)


def test_quality_floor_file_is_well_formed() -> None:
    assert [(f.mode in MODES, f.types <= KNOWN_TYPES, bool(f.docs)) for f in FLOORS] == [
        (True, True, True)
    ] * len(FLOORS)
    assert all(0.0 <= x <= 1.0 for f in FLOORS for x in (f.f1, f.precision, f.claimant or 0.0))
    assert len({f.name for f in FLOORS}) == len(FLOORS)
    assert all(f.corpus in CORPORA for f in FLOORS)


@pytest.mark.parametrize("floor", FLOORS, ids=[f.name for f in FLOORS])
def test_quality_floor(floor: Floor) -> None:
    gold, pred, texts = corpus_run(floor.corpus)
    gold = [g for g in gold if in_floor(floor, g)]
    pred = [p for p in pred if in_floor(floor, p)]
    texts = {i: t for i, t in texts.items() if i.startswith(floor.docs)}
    report = score(gold, pred, texts, set(floor.types))
    measured = report.mode(floor.mode).overall
    assert measured.gold > 0, f"floor {floor.name!r} selects no gold fact: check its docs and types"
    message = describe(report, floor)
    assert measured.f1 >= floor.f1, message
    assert measured.p >= floor.precision, message
    if floor.claimant is not None:
        got = report.attributes.get("claimant", 0.0)
        assert got >= floor.claimant, f"floor {floor.name!r}: claimant accuracy {got:.3f} < {floor.claimant}"
