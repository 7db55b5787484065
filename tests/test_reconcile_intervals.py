from decimal import Decimal as D

import pytest

from karavan.reconcile.hedges import change_hedge, own_data
from karavan.reconcile.intervals import Interval, compatible, stated_interval, written_unit

# value, quote, approx, bound -> lo, hi, lo_open, hi_open
INTERVALS = [
    (1.4e9, "составил 1,4 млрд долларов", False, None, "1.35e9", "1.45e9", False, True),
    (1.4e9, "составил 1,40 млрд долларов", False, None, "1.395e9", "1.405e9", False, True),
    (1.4e9, None, False, None, "1.35e9", "1.45e9", False, True),
    (1.5e9, "почти 1,5 млрд долларов", True, "lt", "1.45e9", "1.5e9", False, True),
    (2e9, "почти 2 млрд долларов", True, "lt", "1.8e9", "2e9", False, True),
    (203e6, "на сумму более 203 млн долларов", False, "gt", "203e6", "243.6e6", True, False),
    (190e6, "на сумму порядка 190 млн долларов", True, None, "180.5e6", "199.5e6", False, False),
    (190e6, "shamamen quny $190 mln bolatyn", True, None, "180.5e6", "199.5e6", False, False),
    (84.9e6, "$84,9 mln-dy qurady", False, None, "84.85e6", "84.95e6", False, True),
    (4.3e6, "до 4,3 миллиона долларов", False, None, "4.25e6", "4.35e6", False, True),
    (1.1e9, "достиг 1,1 миллиарда долларов", False, None, "1.05e9", "1.15e9", False, True),
    (40400.0, "достиг 40,4 тыс. тонн", False, None, "40350", "40450", False, True),
    (1.4e9, "объем 1 400 000 000 долларов", False, None, "1.35e9", "1.45e9", False, True),
    (1.5e9, "менее 1,5 млрд", False, "lt", "1.2e9", "1.5e9", False, False),
    (8.9, "с ростом на 8,9% к", False, None, "8.85", "8.95", False, True),
    (985.5e6, "составил 985,5 млн долларов", False, None, "985.45e6", "985.55e6", False, True),
    (20.0, "порядка 20% взаимной торговли", True, None, "19", "21", False, False),
    (-10.6, "снизился на 10,6%", False, None, "-10.65", "-10.55", False, True),
]


@pytest.mark.parametrize("value, quote, approx, bound, lo, hi, lo_open, hi_open", INTERVALS)
def test_reconcile_stated_interval(value, quote, approx, bound, lo, hi, lo_open, hi_open):
    iv = stated_interval(value, quote, approx, bound)
    assert (iv.lo, iv.hi, iv.lo_open, iv.hi_open) == (D(lo), D(hi), lo_open, hi_open)


# (value, quote, approx, bound) x 2 -> compatible?
COMPATIBILITY = [
    ((1.4e9, "1,4 млрд", False, None), (1.5e9, "почти 1,5 млрд", True, "lt"), False),
    ((1.4e9, "1,4 млрд", False, None), (1.4e9, "$1,4 mlrd", False, None), True),
    ((1.4e9, "1,4 млрд", False, None), (1.42e9, "1,42 млрд", False, None), True),
    ((1.4e9, "1,40 млрд", False, None), (1.42e9, "1,42 млрд", False, None), False),
    ((1.4e9, "1,4 млрд", False, None), (1.46e9, "1,46 млрд", False, None), False),
    ((1.5e9, "почти 1,5 млрд", True, "lt"), (1.48e9, "1,48 млрд", False, None), True),
    ((1.5e9, "почти 1,5 млрд", True, "lt"), (1.5e9, "1,5 млрд", False, None), True),
    ((203e6, "более 203 млн", False, "gt"), (210e6, "210 млн", False, None), True),
    ((203e6, "более 203 млн", False, "gt"), (203e6, "203 млн", False, None), True),
    ((203e6, "более 203 млн", False, "gt"), (250e6, "250 млн", False, None), False),
    ((203e6, "более 203 млн", False, "gt"), (200e6, "200 млн", False, None), False),
    ((190e6, "порядка 190 млн", True, None), (185e6, "185 млн", False, None), True),
    ((190e6, "порядка 190 млн", True, None), (170e6, "170 млн", False, None), False),
    ((4.3e6, "4,3 миллиона", False, None), (4.3e9, "4,3 млрд", False, None), False),
    ((84.9e6, "84,9 млн", False, None), (84.9e6, "$84,9 mln-dy", False, None), True),
    ((2e9, "2 млрд", False, None), (2.4e9, "2,4 млрд", False, None), True),
    ((2e9, "2 млрд", False, None), (2.6e9, "2,6 млрд", False, None), False),
]


@pytest.mark.parametrize("a, b, expected", COMPATIBILITY)
def test_reconcile_compatibility(a, b, expected):
    ia, ib = stated_interval(*a), stated_interval(*b)
    assert compatible(ia, ib) is expected
    assert compatible(ib, ia) is expected


@pytest.mark.parametrize(
    "a, b, expected",
    [
        (Interval(D(1), D(2), hi_open=True), Interval(D(2), D(3)), False),
        (Interval(D(1), D(2)), Interval(D(2), D(3)), True),
        (Interval(D(1), D(2)), Interval(D(2), D(3), lo_open=True), False),
        (Interval.point(4), Interval(D(3), D(5)), True),
    ],
)
def test_reconcile_interval_edges(a, b, expected):
    assert a.overlaps(b) is expected


@pytest.mark.parametrize(
    "value, quote, unit",
    [
        (1.4e9, "1,4 млрд", "1e8"),
        (1.4e9, "1,40 млрд", "1e7"),
        (190e6, "190 млн", "1e6"),
        (190e6, None, "1e7"),
        (2e9, "$2 mlrd-qa", "1e9"),
        (53200.0, "муки – 53,2 тыс. тонн", "100"),
    ],
)
def test_reconcile_written_unit(value, quote, unit):
    assert written_unit(value, quote) == D(unit)


@pytest.mark.parametrize(
    "quote, pct, expected",
    [
        ("его рост составил более 20%", 20, (False, "gt")),
        ("вырос на 5,5% и составил", 5.5, (False, None)),
        ("рост почти на 12%", 12, (False, "lt")),
        ("товарооборот 20%-dan astam ósti", 20, (False, "gt")),
        ("вырос примерно на 7%", 7, (True, None)),
        ("saýda 8,9%-ǵa artyp", 8.9, (False, None)),
    ],
)
def test_reconcile_change_hedge(quote, pct, expected):
    assert change_hedge(quote, pct) == expected


@pytest.mark.parametrize(
    "quote, expected",
    [
        ("Только за прошлый год, по нашим данным, объем взаимной торговли составил 1,4 млрд", True),
        ("В прошлом году товарооборот достиг отметки почти 1,5 млрд долларов", False),
        ("According to our data, trade reached $1.4 billion", True),
    ],
)
def test_reconcile_own_data(quote, expected):
    assert own_data(quote) is expected
