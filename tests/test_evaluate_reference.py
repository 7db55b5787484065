"""karavan.evaluate.score gives exactly the reference scorer's figures (shared/score.py).

Each case perturbs the seeds' gold facts into a prediction set; both scorers
must agree on every figure, per type and overall, strict and lenient, on the
attribute accuracies and on the list of missed facts.
"""

from __future__ import annotations

import copy
import importlib.util
import io
import json
import random
from collections.abc import Callable
from typing import Any

import pytest
from conftest import shared

import karavan.pipeline
from karavan.doc import Doc, Fact, fact_from_dict
from karavan.evaluate import load_docs, locate, run_eval, score

REFERENCE = shared("score.py", "gold/seeds.facts.jsonl", "seeds")  # the reference scorer and its data
SHARED = REFERENCE.parent

_spec = importlib.util.spec_from_file_location("reference_score", REFERENCE)
assert _spec is not None and _spec.loader is not None
ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ref)

GOLD: list[dict[str, Any]] = ref.load_jsonl(SHARED / "gold" / "seeds.facts.jsonl")
DOCS: dict[str, str] = ref.load_docs(SHARED / "seeds")
NUMERIC = {"trade", "target", "export_offer", "partner_rank", "share"}

Facts = list[dict[str, Any]]


def gold_copy() -> Facts:
    """The gold facts, each with its located span as start/end (as the pipeline would give them)."""
    facts = copy.deepcopy(GOLD)
    for f in facts:
        f["start"], f["end"] = locate(DOCS[f["doc"]], f["quote"])
    return facts


def each(kind: str | None, change: Callable[[dict[str, Any]], None]) -> Callable[[], Facts]:
    """A prediction set: the gold with `change` applied to every fact of type `kind` (all if None)."""

    def build() -> Facts:
        facts = gold_copy()
        for f in facts:
            if kind is None or f["type"] == kind:
                change(f)
        return facts

    return build


def every_other(change: Callable[[dict[str, Any]], None]) -> Callable[[], Facts]:
    def build() -> Facts:
        facts = gold_copy()
        for f in facts[::2]:
            change(f)
        return facts

    return build


def setter(**values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda f: f.update(values)


def scale(key: str, factor: float) -> Callable[[dict[str, Any]], None]:
    return lambda f: f.update({key: f[key] * factor}) if isinstance(f.get(key), int | float) else None


def shift(key: str, delta: float) -> Callable[[dict[str, Any]], None]:
    return lambda f: f.update({key: f[key] + delta}) if isinstance(f.get(key), int | float) else None


def swap_countries(f: dict[str, Any]) -> None:
    f["reporter"], f["partner"] = f.get("partner"), f.get("reporter")


def drop_quote(f: dict[str, Any]) -> None:
    f.pop("quote")


def wrong_quote_keep_offsets(f: dict[str, Any]) -> None:
    f["quote"] = "такой фразы в документе нет"


def respace_quote(f: dict[str, Any]) -> None:
    f["quote"] = "\u00a0 " + f["quote"].replace(" ", " \n\u202f") + "  "


def head_of_quote(f: dict[str, Any]) -> None:
    f["quote"] = f["quote"][: max(4, len(f["quote"]) // 3)]
    f.pop("start")
    f.pop("end")


def offsets_elsewhere(f: dict[str, Any]) -> None:
    f.pop("quote")
    f["start"], f["end"] = f["end"] + 5, f["end"] + 40


def offsets_past_the_end(f: dict[str, Any]) -> None:
    f.pop("quote")
    f["start"], f["end"] = 10**6, 10**6 + 30


def offsets_inverted(f: dict[str, Any]) -> None:
    f.pop("quote")
    f["start"], f["end"] = f["end"] - 2, f["start"] + 2


def numbers_as_strings(f: dict[str, Any]) -> None:
    for key in ("value", "change_pct", "pct"):
        if f.get(key) is not None:
            f[key] = str(f[key])


def flip_attributes(f: dict[str, Any]) -> None:
    if "approx" in f:
        f["approx"] = not f["approx"]
    if "claimant" in f:
        f["claimant"] = "Someone Else"
    f.pop("bound", None)


def with_spurious() -> Facts:
    """The gold, plus a duplicate of every fact and facts in a document the gold never names."""
    facts = gold_copy()
    extra = copy.deepcopy(facts)
    strangers = [dict(f, doc="not_a_document") for f in copy.deepcopy(facts[:3])]
    return facts + extra + strangers


def with_missing() -> Facts:
    return gold_copy()[1::3]


def reversed_order() -> Facts:
    return gold_copy()[::-1]


def shuffled_and_perturbed(seed: int = 20240611) -> Facts:
    """A seeded mix of every perturbation above, in shuffled order: the matching order matters here."""
    rng = random.Random(seed)
    changes = [
        scale("value", 1.003),
        scale("value", 1.02),
        shift("change_pct", 0.03),
        shift("change_pct", -0.2),
        swap_countries,
        setter(period="2023-01/2023-12"),
        drop_quote,
        head_of_quote,
        respace_quote,
        offsets_elsewhere,
        flip_attributes,
        setter(type="target"),
        setter(flow="export"),
    ]
    facts = gold_copy() + gold_copy()
    for f in facts:
        if rng.random() < 0.6:
            rng.choice(changes)(f)
    rng.shuffle(facts)
    return facts


def quote_repeated_elsewhere() -> Facts:
    """A prediction whose quote also occurs elsewhere: located near its `start`, not at the first hit."""
    facts = gold_copy()
    text = DOCS[facts[0]["doc"]]
    word = "Казахстан"
    hits = [i for i in range(len(text)) if text.startswith(word, i)]
    for f in facts:
        if f["doc"] == facts[0]["doc"]:
            f["quote"] = word
            f["start"] = hits[-1]
    return facts


CASES: list[tuple[str, Callable[[], Facts], set[str] | None]] = [
    ("gold itself", gold_copy, None),
    ("gold in reverse order", reversed_order, None),
    ("value within 0.5%", each("trade", scale("value", 1.004)), None),
    ("value off by 0.6%", each("trade", scale("value", 1.006)), None),
    ("target value off", each("target", scale("value", 1.5)), None),
    ("export offer positions off", each("export_offer", shift("positions", 1)), None),
    ("change_pct within 0.05", each("trade", shift("change_pct", 0.04)), None),
    ("change_pct off by 0.06", each("trade", shift("change_pct", 0.06)), None),
    ("share pct within 0.5", each("share", shift("pct", 0.4)), None),
    ("share pct off by 0.6", each("share", shift("pct", 0.6)), None),
    ("rank off", each("partner_rank", shift("rank", 1)), None),
    ("period wrong", each("trade", setter(period="2020-01/2020-12")), None),
    ("product wrong", each(None, setter(product="grain")), None),
    ("flow wrong", every_other(setter(flow="import")), None),
    ("reporter and partner swapped", each(None, swap_countries), None),
    ("partner wrong", every_other(setter(partner="UZ")), None),
    ("meeting countries dropped", each("meeting", setter(countries=["KZ"])), None),
    ("agreement parties reordered", each("agreement", lambda f: f.update(parties=f["parties"][::-1])), None),
    ("type wrong", every_other(setter(type="trade")), None),
    ("no quote, start/end only", each(None, drop_quote), None),
    ("quote absent from text, offsets right", each(None, wrong_quote_keep_offsets), None),
    ("start/end elsewhere, no quote", each(None, offsets_elsewhere), None),
    ("start/end inverted, no quote", each(None, offsets_inverted), None),
    ("quote with other whitespace", each(None, respace_quote), None),
    ("only the head of the quote", each(None, head_of_quote), None),
    ("quote repeated in the text", quote_repeated_elsewhere, None),
    ("numbers as strings", each(None, numbers_as_strings), None),
    ("attributes wrong", each(None, flip_attributes), None),
    ("extra spurious facts", with_spurious, None),
    ("missing facts", with_missing, None),
    ("empty prediction", lambda: [], None),
    ("shuffled mix of perturbations", shuffled_and_perturbed, None),
    ("another shuffled mix", lambda: shuffled_and_perturbed(7), None),
    ("a third shuffled mix", lambda: shuffled_and_perturbed(1999), None),
    ("numeric types only", shuffled_and_perturbed, NUMERIC),
    ("meetings only", each("meeting", drop_quote), {"meeting"}),
    ("trade only, values off", every_other(scale("value", 2.0)), {"trade"}),
]


@pytest.mark.parametrize(("name", "build", "types"), CASES, ids=[c[0] for c in CASES])
def test_evaluate_score_equals_reference(
    name: str, build: Callable[[], Facts], types: set[str] | None
) -> None:
    pred = build()
    expected = ref.score(copy.deepcopy(GOLD), copy.deepcopy(pred), DOCS, types)
    got = score(copy.deepcopy(GOLD), copy.deepcopy(pred), DOCS, types).to_dict()
    for mode in ("strict", "lenient"):
        assert got[mode]["overall"] == expected[mode]["overall"], (name, mode)
        assert got[mode]["per_type"] == expected[mode]["per_type"], (name, mode)
    assert got["attributes"] == expected["attributes"], name
    assert got["missed"] == expected["missed"], name


@pytest.mark.parametrize(
    ("name", "build", "strict_f1", "lenient_f1"),
    [
        ("gold itself", gold_copy, 1.0, 1.0),
        ("empty prediction", lambda: [], 0.0, 0.0),
        ("no quote, start/end only", each(None, drop_quote), 1.0, 1.0),
        ("quote with other whitespace", each(None, respace_quote), 1.0, 1.0),
        ("start/end past the end, no quote", each(None, offsets_past_the_end), 0.0, 0.0),
    ],
)
def test_evaluate_score_known_figures(
    name: str, build: Callable[[], Facts], strict_f1: float, lenient_f1: float
) -> None:
    report = score(GOLD, build(), DOCS)
    assert (report.strict.overall.f1, report.lenient.overall.f1) == (strict_f1, lenient_f1), name


def test_evaluate_gold_itself_scores_one_everywhere() -> None:
    report = score(GOLD, gold_copy(), DOCS)
    figures = [report.strict.overall, report.lenient.overall, *report.strict.per_type.values()]
    figures += report.lenient.per_type.values()
    assert {(f.p, f.r, f.f1) for f in figures} == {(1.0, 1.0, 1.0)}
    assert set(report.attributes.values()) == {1.0}
    assert (report.missed, report.spurious) == ([], [])


def test_evaluate_load_docs_gives_the_reference_texts() -> None:
    assert {i: d.text for i, d in load_docs(SHARED / "seeds").items()} == DOCS


def test_evaluate_run_eval_json_equals_reference_on_the_seeds(monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end: the pipeline's facts (here a fixed, perturbed set) scored by run_eval and by score.py."""
    by_doc: dict[str, list[Fact]] = {}
    for f in shuffled_and_perturbed(11):
        by_doc.setdefault(f["doc"], []).append(fact_from_dict(f))

    def process(doc: Doc, until: str | None = None) -> Doc:
        doc.facts = by_doc.get(doc.id, [])
        return doc

    monkeypatch.setattr(karavan.pipeline, "process", process)
    out = io.StringIO()
    status = run_eval(SHARED / "gold" / "seeds.facts.jsonl", SHARED / "seeds", None, True, 0.99, None, out)
    got = json.loads(out.getvalue())
    pred = [f.to_dict() for d in sorted(DOCS) for f in by_doc.get(d, [])]
    expected = ref.score(copy.deepcopy(GOLD), pred, DOCS)
    assert {k: got[k] for k in expected} == expected
    assert status == (0 if expected["strict"]["overall"]["f1"] >= 0.99 else 1) == 1
