"""The restatement look-ups answer as the plain scans they replace (which were quadratic in a document of
thousands of figures): the groups of one figure found by key, and whether a fact's line is a title."""

from __future__ import annotations

import pytest

from karavan.doc import Fact
from karavan.extract.restate import _Titles, is_title, one_per_figure


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Заголовок без точки\nТекст статьи. Товарооборот вырос.\n",
        "\n\n  Title with spaces  \nBody ends here.",
        "One long line " * 40 + "\nShort title",
        "Ends with a quote»\nEnds with a colon:\n\nTrade grew",
        "x",
        "\n",
    ],
)
def test_extract_restate_titles_same_as_is_title_everywhere(text: str) -> None:
    titles = _Titles(text)
    for start in [*range(len(text) + 1), *range(len(text), -1, -1)]:  # forwards, then back: each line cached
        assert titles.at(start) == is_title(text, start), (text, start)


def trade(start: int, value: float | None, period: str | None = None, pct: float | None = None) -> Fact:
    fields = {"reporter": "KZ", "partner": "UZ", "flow": "turnover", "unit": "USD", "value": value}
    fields |= {"period": period, "change_pct": pct}
    return Fact(type="trade", doc="d", start=start, end=start + 3, quote="...", fields=fields)


def plain_groups(facts: list[Fact]) -> list[list[int]]:
    """The grouping one_per_figure made before: every group scanned for each fact."""
    from karavan.extract.restate import _agree, _figure

    groups: list[list[Fact]] = []
    for f in facts:
        for g in groups:
            if _figure(g[0]) == _figure(f) and all(_agree(f, o) for o in g):
                g.append(f)
                break
        else:
            groups.append([f])
    return [[f.start for f in g] for g in groups]


@pytest.mark.parametrize(
    "values",
    [
        [(1.5, "2023"), (1.5, None), (1.5, "2024"), (1.5, "2023"), (2.0, "2023")],
        [(1.5, "2023"), (2.0, "2023"), (1.5, "2024"), (2.0, None), (1.5, None)],
        [(float(i % 7), str(2000 + i % 3)) for i in range(40)],
        [(1.0, None)] * 5,
        [],
    ],
)
def test_extract_restate_one_per_figure_keeps_the_plain_groups(values: list) -> None:
    facts = [trade(10 * i, v, p) for i, (v, p) in enumerate(values)]
    expected = plain_groups([trade(10 * i, v, p) for i, (v, p) in enumerate(values)])
    kept = one_per_figure(facts)
    found = [{f.start, *(m["start"] for m in f.fields.get("mentions", []))} for f in kept]
    assert sorted(map(sorted, found)) == sorted(map(sorted, expected))
