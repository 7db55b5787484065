"""Press against official: a verdict for each press trade fact (official, mirror, neither, none) and a typed
cause for each disagreement (rounding, preliminary, period, flow, currency, mirror gap); the KZ-CN split."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from official_support import doc_with, import_fixtures, store_docs, trade

from karavan import api, cli
from karavan.official.compare import Index, compare_fact
from karavan.official.model import Figure
from karavan.official.verdicts import verdicts_of

Y21, Y22, Y23, Y24 = (f"{y}-01/{y}-12" for y in (2021, 2022, 2023, 2024))


def fig(reporter: str, partner: str, flow: str, period: str, value: float, revised: str = "2025-03-01",
        source: str = "test", unit: str = "USD", preliminary: bool = False) -> Figure:  # fmt: skip
    return Figure(source, reporter, partner, flow, "total", period, value, unit, preliminary, revised)


# Public figures (tests/data/official says where each comes from): China's customs and Kazakhstan's statistics
# for 2021; Kazakhstan's for KZ-TJ 2022 (a first release of 1.40 bn, then 1.44 bn); Tajikistan's for 2023;
# Kyrgyzstan's (January-November and the year) and China's for KG-CN 2024.
FIGURES = [
    fig("CN", "KZ", "export", Y21, 13.98e9), fig("CN", "KZ", "import", Y21, 11.27e9),
    fig("KZ", "CN", "import", Y21, 8.24e9), fig("KZ", "CN", "export", Y21, 9.80e9),
    fig("KZ", "TJ", "turnover", Y22, 1.40e9, revised="2023-02-15", preliminary=True),
    fig("KZ", "TJ", "turnover", Y22, 1.44e9, revised="2023-05-02"),
    fig("TJ", "KZ", "export", Y23, 255.8e6), fig("TJ", "KZ", "import", Y23, 893.0e6),
    fig("KZ", "TJ", "turnover", Y23, 1.1e9),
    fig("KG", "CN", "turnover", "2024-01/2024-11", 5.1e9, preliminary=True), fig("KG", "CN", "turnover", Y24, 5.3e9),
    fig("CN", "KG", "turnover", Y24, 22.71e9),
]  # fmt: skip


@pytest.mark.parametrize(
    ("fact", "verdict", "cause", "sides"),
    [
        # the same figure as Kazakhstan's statistics
        (trade("KZ", "CN", "import", Y21, 8.24e9, "imports from China of $8.24 billion"), "official", None,
         {"official": (True, None), "mirror": (False, "mirror_gap")}),
        # written to one decimal: rounding; China's mirror differs by the gap the official data itself shows
        (trade("KZ", "CN", "import", Y21, 8.2e9, "imports from China of $8.2 billion"), "official", "rounding",
         {"official": (True, "rounding"), "mirror": (False, "mirror_gap")}),
        # a Kazakh claim that matches China's customs, not Kazakhstan's own statistics
        (trade("KZ", "CN", "import", Y21, 14e9, "imports from China of $14 billion"), "mirror", "rounding",
         {"official": (False, "mirror_gap"), "mirror": (True, "rounding")}),
        # China's exports, stated as China's: its own data
        (trade("CN", "KZ", "export", Y21, 13.98e9, "exports to Kazakhstan reached $13.98 billion"), "official", None,
         {"official": (True, None), "mirror": (False, "mirror_gap")}),
        # the first release, since revised
        (trade("KZ", "TJ", "turnover", Y22, 1.4e9, "turnover of $1.4 billion"), "official", "preliminary",
         {"official": (True, "preliminary"), "mirror": (False, None)}),
        # eleven months given as the year
        (trade("KG", "CN", "turnover", Y24, 5.1e9, "trade with China of $5.1 billion in 2024"), "neither", "period",
         {"official": (False, "period"), "mirror": (False, "unexplained")}),
        # Tajikistan's imports from Kazakhstan given as the turnover
        (trade("TJ", "KZ", "turnover", Y23, 893e6, "turnover of $893 million"), "neither", "flow",
         {"official": (False, "flow"), "mirror": (False, "unexplained")}),
        # the turnover in tenge (1.44 bn USD at the 2022 average of 460.48 KZT): the statistics are in dollars
        (trade("KZ", "TJ", "turnover", Y22, 663.1e9, "turnover of 663.1 billion tenge", unit="KZT"), "neither",
         "currency", {"official": (False, "currency"), "mirror": (False, None)}),
        # the dollar figure under the wrong currency
        (trade("KZ", "TJ", "turnover", Y23, 1.1e9, "turnover of 1.1 billion euros", unit="EUR"), "neither",
         "currency", {"official": (False, "currency"), "mirror": (False, "currency")}),
        # a figure neither side's statistics give, by how much
        (trade("KZ", "CN", "export", Y21, 12.5e9, "exports to China of $12.5 billion"), "neither", "unexplained",
         {"official": (False, "unexplained"), "mirror": (False, "unexplained")}),
        # no official figure yet for 2023
        (trade("KZ", "CN", "turnover", Y23, 31.5e9, "trade of $31.5 billion"), "none", None,
         {"official": (False, None), "mirror": (False, None)}),
    ],
)  # fmt: skip
def test_official_verdict_and_cause(
    fact: dict[str, Any], verdict: str, cause: str | None, sides: dict[str, tuple[bool, str | None]]
) -> None:
    v = compare_fact(fact, Index(FIGURES))
    assert v is not None
    assert (v.verdict, v.cause) == (verdict, cause)
    assert {s.role: (s.matches, s.cause) for s in v.sides} == sides


@pytest.mark.parametrize(
    ("fact", "diff", "gap"),
    [
        (trade("KZ", "CN", "import", Y21, 8.2e9, "imports of $8.2 billion"), -0.49, 69.66),
        (trade("KZ", "CN", "export", Y21, 12.5e9, "exports of $12.5 billion"), 10.91, 15.0),  # nearer: China's 11.27
        (trade("KG", "CN", "turnover", Y24, 5.1e9, "trade of $5.1 billion"), -3.77, 328.49),
    ],
)  # fmt: skip
def test_official_verdict_says_by_how_much(fact: dict[str, Any], diff: float, gap: float) -> None:
    v = compare_fact(fact, Index(FIGURES))
    assert v is not None and v.diff_pct == diff and v.gap_pct == gap


@pytest.mark.parametrize(
    "fact",
    [
        trade("KZ", "CN", "import", None, 8.2e9, "imports of $8.2 billion"),  # type: ignore[arg-type]
        trade("KZ", "CN", "import", Y21, None, "imports grew"),  # type: ignore[arg-type]
        trade("KZ", "KZ", "import", Y21, 8.2e9, "imports of $8.2 billion"),
        {**trade("KZ", "CN", "import", Y21, 8.2e9, "x"), "type": "target"},
    ],
)
def test_official_no_verdict_for_what_cannot_be_compared(fact: dict[str, Any]) -> None:
    assert compare_fact(fact, Index(FIGURES)) is None
    assert compare_fact(trade("KZ", "CN", "import", Y21, 8.2e9, "x"), Index([])) is None  # nothing imported


def test_official_turnover_from_exports_and_imports_of_one_release() -> None:
    v = compare_fact(
        trade("CN", "KZ", "turnover", Y21, 25.25e9, "trade reached $25.25 billion"), Index(FIGURES)
    )
    assert v is not None and v.verdict == "official" and v.cause is None
    own = v.side("official")
    assert own and own.figure and own.figure.derived and own.figure.value == pytest.approx(25.25e9)


KZ_CN_PRESS = [  # our own sentences: what Kazakh and Chinese outlets said of 2021, each as its reporter
    ("kz-customs", "Kazakhstan imported goods worth $8.2 billion from China in 2021, the statistics bureau said.",
     [trade("KZ", "CN", "import", Y21, 8.2e9, "imported goods worth $8.2 billion from China in 2021")]),
    ("cn-customs", "China's exports to Kazakhstan came to $14 billion in 2021, customs data show.",
     [trade("CN", "KZ", "export", Y21, 14e9, "China's exports to Kazakhstan came to $14 billion in 2021")]),
    ("kz-quoting-cn", "Chinese goods worth $14 billion entered Kazakhstan in 2021.",
     [trade("KZ", "CN", "import", Y21, 14e9, "Chinese goods worth $14 billion entered Kazakhstan in 2021")]),
    ("cn-turnover", "Trade between China and Kazakhstan reached $25.3 billion in 2021.",
     [trade("CN", "KZ", "turnover", Y21, 25.3e9, "Trade between China and Kazakhstan reached $25.3 billion in 2021")]),
    ("kz-turnover", "Kazakhstan's trade with China was $18 billion in 2021.",
     [trade("KZ", "CN", "turnover", Y21, 18e9, "Kazakhstan's trade with China was $18 billion in 2021")]),
]  # fmt: skip


@pytest.fixture
def kz_cn_db(tmp_path: Path) -> Path:
    db = store_docs(
        tmp_path / "k.db", [doc_with(d, text, facts, "2022-02-01") for d, text, facts in KZ_CN_PRESS]
    )
    api.reconcile(db)
    import_fixtures(db, ["comtrade_kz_cn_tj.csv"])
    return db


def test_official_kz_cn_verdicts_split_kazakh_statistics_from_chinese_customs(kz_cn_db: Path) -> None:
    with api.open_store(kz_cn_db) as store:
        facts = {f["doc"]: f for f in store.query_facts(pair="KZ-CN", with_id=True)}
        verdicts = verdicts_of(store, [f["fact_id"] for f in facts.values()])
    said = {doc: (verdicts[f["fact_id"]]["verdict"], next(s["country"] for s in verdicts[f["fact_id"]]["sides"]
                                                          if s["matches"])) for doc, f in facts.items()}  # fmt: skip
    assert said == {
        "kz-customs": ("official", "KZ"),  # Kazakhstan's statistics
        "cn-customs": ("official", "CN"),  # China's customs
        "kz-quoting-cn": ("mirror", "CN"),  # a Kazakh claim of China's figure
        "cn-turnover": ("official", "CN"),  # 13.98 + 11.27
        "kz-turnover": ("official", "KZ"),  # 9.80 + 8.24
    }
    gap = verdicts[facts["kz-customs"]["fact_id"]]
    assert gap["gap_pct"] == 69.66 and gap["sides"][1]["cause"] == "mirror_gap"


def test_official_verdict_column_in_the_facts_export(
    kz_cn_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["export", "--what", "facts", "--format", "json", "--db", str(kz_cn_db)]) == 0
    import json

    rows = {r["doc"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["kz-quoting-cn"]["official_verdict"] == "mirror"
    assert rows["kz-quoting-cn"]["official_by"] == "CN"
    assert rows["kz-quoting-cn"]["official_value"] == 13.98e9
    assert rows["kz-customs"]["official_verdict"] == "official"
    assert rows["kz-customs"]["official_cause"] == "rounding"


def test_official_verdicts_follow_new_facts_and_reingests(kz_cn_db: Path) -> None:
    extra = doc_with("late", "Exports of Kazakhstan to China were $9.8 billion in 2021.",
                     [trade("KZ", "CN", "export", Y21, 9.8e9, "Exports of Kazakhstan to China were $9.8 billion in 2021")])  # fmt: skip
    store_docs(kz_cn_db, [extra])
    api.reconcile(kz_cn_db)  # the hook compares the new fact
    with api.open_store(kz_cn_db) as store:
        [fact] = store.query_facts(doc="late", with_id=True)
        assert verdicts_of(store, [fact["fact_id"]])[fact["fact_id"]]["verdict"] == "official"
        store.put(
            doc_with("late", "Nothing here.", [])
        )  # re-ingested without facts: its verdict goes with it
        assert store.conn.execute("SELECT count(*) FROM official_verdicts WHERE fact_id = ?",
                                  (fact["fact_id"],)).fetchone()[0] == 0  # fmt: skip
