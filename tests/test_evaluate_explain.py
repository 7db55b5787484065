"""`karavan eval --explain`: every miss and spurious fact gets a guessed cause and its nearest counterpart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from karavan.evaluate import run_eval
from karavan.explain import Mark, explain, format_explained

TEXT = "Товарооборот между Казахстаном и Узбекистаном в 2023 году составил 4,4 млрд долларов."
QUOTE = "Товарооборот между Казахстаном и Узбекистаном в 2023 году составил 4,4 млрд долларов"
BASE = dict(
    doc="d",
    type="trade",
    flow="turnover",
    reporter="KZ",
    partner="UZ",
    product="total",
    period="2023-01/2023-12",
    value=4.4e9,
    unit="USD",
    change_pct=None,
    quote=QUOTE,
    lang="ru",
)


def fact(**changes: object) -> dict:
    return {**BASE, **changes}


# (prediction, cause of the miss, cause of the spurious fact)
CASES = [
    (fact(period="2022-01/2022-12"), "period", "period"),
    (fact(partner="TJ"), "countries", "countries"),
    (fact(flow="export"), "flow", "flow"),
    (fact(value=4.0e9), "value", "value"),
    (fact(product="wheat"), "product", "product"),
    (fact(change_pct=5.0), "change", "change"),
    (fact(type="target"), "type", "type"),
]


@pytest.mark.parametrize("pred,missed,spurious", CASES, ids=[c[1] + "/" + c[2] for c in CASES])
def test_evaluate_explain_cause_of_a_differing_field(pred: dict, missed: str, spurious: str) -> None:
    items, _ = explain([fact()], [pred], {"d": TEXT}, [])
    causes = {(i.side, i.cause) for i in items}
    assert causes == {("missed", missed), ("spurious", spurious)}


def test_evaluate_explain_marks_name_traps_and_restatements() -> None:
    text = TEXT + " Инвестиции составили 1 млрд долларов. Товарооборот достиг 4,4 млрд долларов."
    trap_at = text.index("Инвестиции")
    alt_at = text.rindex("Товарооборот")
    preds = [
        fact(),
        fact(quote="Инвестиции составили 1 млрд долларов", value=1e9),
        fact(quote="Товарооборот достиг 4,4 млрд долларов"),
    ]
    marks = [
        Mark("d", trap_at, trap_at + 30, "trap:investment"),
        Mark("d", alt_at, alt_at + 20, "restatement"),
    ]
    items, _ = explain([fact()], preds, {"d": text}, marks)
    assert sorted(i.cause for i in items if i.side == "spurious") == ["restatement", "trap:investment"]
    assert not [i for i in items if i.side == "missed"]


def test_evaluate_explain_lists_a_missed_list_item() -> None:
    text = "Экспорт в Россию - 2,9 млрд долларов; в Китай - 1,2 млрд долларов."
    gold = [
        fact(flow="export", partner="RU", value=2.9e9, quote="в Россию - 2,9 млрд долларов"),
        fact(flow="export", partner="CN", value=1.2e9, quote="в Китай - 1,2 млрд долларов"),
    ]
    items, figures = explain(gold, [], {"d": text}, [])
    assert [i.cause for i in items] == ["list", "list"]
    assert (figures[("ru", "trade")].tp, figures[("ru", "trade")].gold) == (0, 2)


def test_evaluate_explain_figures_per_language() -> None:
    gold = [fact(), fact(lang="kk", quote="Товарооборот между Казахстаном")]
    items, figures = explain(gold, [fact()], {"d": TEXT}, [])
    assert (figures[("ru", "all")].tp, figures[("ru", "all")].gold, figures[("ru", "all")].pred) == (1, 1, 1)
    assert (figures[("kk", "all")].tp, figures[("kk", "all")].gold) == (0, 1)
    report = format_explained(items, figures)
    assert "missed: 1" in report and "spurious: 0" in report


def test_evaluate_explain_gold_without_language_takes_the_documents() -> None:
    """A gold file that gives no `lang` (the seeds' own) is counted under the language of the document's
    predicted facts, not under "?"."""
    gold = [{k: v for k, v in fact().items() if k != "lang"}]
    _, figures = explain(gold, [fact()], {"d": TEXT}, [])
    assert ("?", "all") not in figures
    assert (figures[("ru", "all")].tp, figures[("ru", "all")].gold, figures[("ru", "all")].pred) == (1, 1, 1)


def test_evaluate_explain_through_run_eval(tmp_path: Path) -> None:
    docs = tmp_path / "docs.jsonl"
    docs.write_text(
        json.dumps({"id": "d", "text": TEXT, "published": "2024-02-01"}, ensure_ascii=False) + "\n"
    )
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(fact(value=5e9), ensure_ascii=False) + "\n")
    (tmp_path / "traps.jsonl").write_text("")

    class Out:
        text = ""

        def write(self, s: str) -> None:
            self.text += s

    out = Out()
    assert run_eval(gold, docs, None, False, None, {"trade"}, out, explain=True) == 0  # type: ignore[arg-type]
    assert "  value (1)" in out.text and "figures per language and type" in out.text
