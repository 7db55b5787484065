"""Implausible figures: each case a few trade facts and the flags expected on them."""

import pytest

from karavan.reconcile import reconcile
from tests.reconcile_facts import trade_fact


def trade(
    period,
    value,
    quote=None,
    product="total",
    flow="turnover",
    pct=None,
    factor=None,
    doc="a",
    pair=("KZ", "UZ"),
):
    quote = quote or f"{value:g} {period} {product} {flow}"
    return trade_fact(
        doc, period, value, quote, pair=pair, flow=flow, product=product, change_pct=pct, change_factor=factor
    )


# facts -> {(period, product, flow, value): [flag codes]} for the flagged clusters only
CASES = [
    (
        "seed 004 with a second year",
        [
            trade("2021-01/2021-12", 4.3e6, "до 4,3 миллиона"),
            trade("2022-01/2022-04", 1.4e9, "до 1,4 миллиарда"),
            trade("2023-01/2023-12", 5.1e9, "5,1 млрд"),
        ],
        {("2021-01/2021-12", "total", "turnover", 4.3e6): ["scale"]},
    ),
    (
        "a thousand times larger",
        [
            trade("2020-01/2020-12", 3.9e9, "3,9 млрд"),
            trade("2021-01/2021-12", 4.2e12, "4,2 трлн"),
            trade("2022-01/2022-12", 4.5e9, "4,5 млрд"),
        ],
        {("2021-01/2021-12", "total", "turnover", 4.2e12): ["scale"]},
    ),
    (
        "ten times off is not a scale slip",
        [trade("2020-01/2020-12", 3.9e9, "3,9 млрд"), trade("2021-01/2021-12", 4.2e8, "420 млн")],
        {},
    ),
    (
        "11 months above the full year",
        [trade("2024-01/2024-11", 1.9e9, "1,9 млрд"), trade("2024-01/2024-12", 1.7e9, "1,7 млрд")],
        {("2024-01/2024-11", "total", "turnover", 1.9e9): ["part_exceeds_whole"]},
    ),
    (
        "11 months below the full year",
        [trade("2024-01/2024-11", 1.6e9, "1,6 млрд"), trade("2024-01/2024-12", 1.7e9, "1,7 млрд")],
        {},
    ),
    (
        "agri above total",
        [
            trade("2024-01/2024-11", 1.6e9, "1,6 млрд"),
            trade("2024-01/2024-11", 2.1e9, "2,1 млрд", product="agri"),
        ],
        {("2024-01/2024-11", "agri", "turnover", 2.1e9): ["part_exceeds_whole"]},
    ),
    (
        "agri within total",
        [
            trade("2024-01/2024-11", 1.6e9, "1,6 млрд"),
            trade("2024-01/2024-11", 313.6e6, "313,6 млн", product="agri"),
        ],
        {},
    ),
    (
        "export above turnover",
        [
            trade("2023-01/2023-12", 1.0e9, "1 млрд"),
            trade("2023-01/2023-12", 1.8e9, "1,8 млрд", flow="export", pair=("UZ", "KZ")),
        ],
        {("2023-01/2023-12", "total", "export", 1.8e9): ["part_exceeds_whole"]},
    ),
    (
        "growth that two values contradict",
        [
            trade("2021-01/2021-12", 1.0e9, "1,0 млрд"),
            trade("2022-01/2022-12", 1.5e9, "1,5 млрд, рост на 10%", pct=10),
        ],
        {("2022-01/2022-12", "total", "turnover", 1.5e9): ["growth_mismatch"]},
    ),
    (
        "growth the values allow",
        [
            trade("2021-01/2021-12", 1.0e9, "1,0 млрд"),
            trade("2022-01/2022-12", 1.5e9, "1,5 млрд, рост на 50%", pct=50),
        ],
        {},
    ),
    (
        "a factor the values contradict",
        [
            trade("2020-01/2020-12", 0.7e9, "0,7 млрд"),
            trade("2021-01/2021-12", 1.1e9, "вырос в 2,5 раза до 1,1 млрд", factor=2.5),
        ],
        {("2021-01/2021-12", "total", "turnover", 1.1e9): ["growth_mismatch"]},
    ),
    (
        "seed 004's factor, no year before",
        [trade("2021-01/2021-12", 1.1e9, "вырос в 1,5 раза", factor=1.5)],
        {},
    ),
    (
        "'более 20%' hedge",
        [
            trade("2021-01/2021-12", 1.1e9, "1,1 млрд"),
            trade("2022-01/2022-12", 1.5e9, "почти 1,5 млрд, рост более 20%", pct=20),
        ],
        {},
    ),
]


@pytest.mark.parametrize("name, facts, expected", CASES, ids=[c[0] for c in CASES])
def test_reconcile_flags(name, facts, expected):
    result = reconcile(facts, {})
    got = {(c.period, c.product, c.flow, c.value): c.flags for c in result.clusters if c.flags}
    assert got == expected
    assert {f.cluster_id for f in result.flags} == {c.id for c in result.clusters if c.flags}
    assert all(f.message for f in result.flags)
    assert sum(c.n_facts for c in result.clusters) == len(facts)  # flagged facts are kept


# a part above several readings of its whole: (facts, the part's value, the whole it is flagged against,
# how many other readings the message counts); one flag a part and whole, not one a reading
PART_ABOVE_READINGS = [
    (
        "11 months above two readings of the full year",
        [
            trade("2024-01/2024-11", 1.9e9, "1,9 млрд"),
            trade("2024-01/2024-12", 1.7e9, "1,7 млрд", doc="b"),
            trade("2024-01/2024-12", 1.5e9, "1,5 млрд", doc="c"),
        ],
        1.9e9,
        1.7e9,
        1,
    ),
    (
        "agri above three readings of the total, within a fourth",
        [
            trade("2024-01/2024-06", 2.1e9, "2,1 млрд", product="agri"),
            trade("2024-01/2024-06", 1.2e9, "1,2 млрд", doc="b"),
            trade("2024-01/2024-06", 1.4e9, "1,4 млрд", doc="c"),
            trade("2024-01/2024-06", 1.6e9, "1,6 млрд", doc="d"),
            trade("2024-01/2024-06", 2.5e9, "2,5 млрд", doc="e"),
        ],
        2.1e9,
        1.6e9,
        2,
    ),
    (
        "export above one reading of the turnover",
        [
            trade("2023-01/2023-12", 1.8e9, "1,8 млрд", flow="export", pair=("UZ", "KZ")),
            trade("2023-01/2023-12", 1.0e9, "1 млрд", doc="b"),
            trade("2023-01/2023-12", 2.4e9, "2,4 млрд", doc="c"),
        ],
        1.8e9,
        1.0e9,
        0,
    ),
]


@pytest.mark.parametrize(
    "name, facts, part, whole, others", PART_ABOVE_READINGS, ids=[c[0] for c in PART_ABOVE_READINGS]
)
def test_reconcile_flags_part_above_several_readings_is_flagged_once(name, facts, part, whole, others):
    result = reconcile(facts, {})
    flags = [f for f in result.flags if f.code == "part_exceeds_whole"]
    assert len(flags) == 1
    [f] = flags
    by_id = {c.id: c for c in result.clusters}
    assert by_id[f.cluster_id].value == part and by_id[f.related[0]].value == whole
    assert f.details == {"part": part, "whole": whole}
    assert ("other reading" in f.message) == bool(others) and (
        f"and {others} other" in f.message or not others
    )
