"""Stores for the official-statistics and ledger tests: documents with the facts given (no pipeline), and
the official fixtures of tests/data/official imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from karavan.doc import Doc, fact_from_dict
from karavan.official.importer import import_file
from karavan.store import open_store

DATA = Path(__file__).with_name("data") / "official"
FIXTURES = [  # (file, format, mapping, revised): every official fixture, in the order a user would import them
    ("comtrade_kz_cn_tj.csv", "comtrade", None, "2025-03-01"),
    ("stat_gov_kz_tj.csv", "csv", "stat_gov_kz.toml", None),
    ("stat_kg_cn.csv", "csv", "stat_kg.toml", None),
    ("customs_cn_kg.csv", "csv", "customs_cn.toml", None),
]


def doc_with(doc_id: str, text: str, facts: list[dict[str, Any]], published: str | None = None) -> Doc:
    """A document holding `facts` (FACTS.md dicts; quote found in `text`, offsets filled in)."""
    out = []
    for f in facts:
        quote = f["quote"]
        start = text.index(quote)
        out.append(
            fact_from_dict({"doc": doc_id, "start": start, "end": start + len(quote), "lang": "en", **f})
        )
    return Doc(id=doc_id, text=text, published=published, lang="en", script="Latn", facts=out)


def store_docs(db: Path, docs: list[Doc]) -> Path:
    with open_store(db) as store:
        for d in docs:
            store.put(d)
    return db


def import_fixtures(db: Path, names: list[str] | None = None) -> list[dict[str, Any]]:
    out = []
    with open_store(db) as store:
        for name, fmt, mapping, revised in FIXTURES:
            if names is None or name in names:
                out.append(
                    import_file(store, DATA / name, fmt, DATA / mapping if mapping else None, revised=revised)
                )
    return out


def trade(reporter: str, partner: str, flow: str, period: str, value: float, quote: str, unit: str = "USD",
          **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {"type": "trade", "flow": flow, "reporter": reporter, "partner": partner, "product": "total",
            "period": period, "value": value, "unit": unit, "approx": False, "bound": None, "change_pct": None,
            "change_factor": None, "claimant": None, "quote": quote, **extra}  # fmt: skip
