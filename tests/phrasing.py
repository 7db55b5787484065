"""Shared checks of the phrasing tables (test_extract_{ru,kk,en}_phrasings.py).

A row names the facts it expects by the fields that matter (`pair` for an
unordered pair of countries); every numeric fact produced must be expected, and
every quote must be the original text under its offsets.
"""

from __future__ import annotations

from karavan.doc import Doc
from karavan.pipeline import process

NUMERIC = {"trade", "target", "export_offer", "partner_rank", "share"}


def numeric_facts(text: str, published: str | None) -> list[dict]:
    doc = process(Doc("t", text, published=published))
    return [f.to_dict() for f in doc.facts if f.type in NUMERIC]


def agrees(fact: dict, want: dict) -> bool:
    for key, value in want.items():
        if key == "pair":
            if {fact.get("reporter"), fact.get("partner")} != value:
                return False
        elif isinstance(value, float) and fact.get(key) is not None:
            if abs(fact[key] - value) > 1e-6 * max(1.0, abs(value)):
                return False
        elif fact.get(key) != value:
            return False
    return True


def check(text: str, published: str | None, expected: list[dict], lang: str | None = None) -> list[dict]:
    """The numeric facts of `text`, asserted to be exactly the expected ones."""
    got = numeric_facts(text, published)
    unmatched = list(got)
    for want in expected:
        hit = next((f for f in unmatched if agrees(f, want)), None)
        assert hit is not None, f"missing {want}\n got {got}"
        unmatched.remove(hit)
    assert not unmatched, f"unexpected facts {unmatched}"
    for f in got:
        assert text[f["start"] : f["end"]] == f["quote"]
        if lang:
            assert f["lang"] == lang
    return got
