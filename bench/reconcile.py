"""Benchmark: reconcile on a real store filled through ingest, and (--synthetic) synthetic facts in memory.

    .venv/bin/python bench/reconcile.py [--store DIR] [--sizes 100000,1000000] [--added 20]
    .venv/bin/python bench/reconcile.py --synthetic [--max 100000]

Real store (the default; bench/store_run.py): bench/corpus.py's archive of visits (meetings, agreements,
targets, trade figures, near-duplicate reposts) is ingested (`--jobs` processes) until the store holds each
of `--sizes` facts in turn. At each size a full reconcile runs in a child process: its seconds and its
peak memory (ru_maxrss). After the first size, `--added` documents (the archive's next ones) are ingested
one at a time, each followed by the incremental reconcile an ingest runs: its seconds, with the facts of
the blocks it redid. Last, the growth exponent of the full reconcile (log-log slope over the sizes;
1.0 = linear). `--store DIR` keeps the store, so a later run goes on from the size it reached.

--synthetic: synthetic facts (no events, no store): 50 country pairs, 10 years, flows turnover/export/import,
products total/agri/industrial, full years and year-to-date periods; each statement is repeated by several
documents (some reposts with the same text hash), written at different precisions, hedged (почти, порядка,
более), sometimes from the other side's statistics (+8 %: a discrepancy), sometimes without a period; plus
ranks and targets dated by their documents. Prints times at 10k, 25k, 50k and 100k facts, the ratio to a
plain group-by of the same rows, and the growth exponent. The comparison with official statistics
(karavan.official.compare, issue 15) runs on the same facts: each side's full-year figure of every pair,
flow, product and year (the reporter's, and the partner's mirror 8 % higher), about 9k figures; its time,
ratio and growth exponent are printed beside.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_run import slope  # noqa: E402

from karavan.official.compare import compare_facts  # noqa: E402
from karavan.official.model import Figure  # noqa: E402
from karavan.reconcile import DocInfo, reconcile  # noqa: E402

COUNTRIES = ["KZ", "TJ", "KG", "UZ", "TM", "RU", "CN", "AZ", "TR", "IR", "AF", "BY", "AM", "GE", "MN", "PK"]
PERIODS = [(1, 12), (1, 3), (1, 6), (1, 11), (1, 2)]
YEARS = list(range(2015, 2025))


def _written(value: float, digits: int) -> tuple[float, str]:
    for div, word in ((1e9, "млрд"), (1e6, "млн"), (1e3, "тыс.")):
        if value >= div:
            x = round(value / div, digits)
            return x * div, f"{x:.{digits}f}".replace(".", ",") + f" {word} долларов"
    return round(value), f"{round(value)} долларов"


def synthesize(n: int, seed: int = 7) -> tuple[list[dict], dict[str, DocInfo]]:
    rng = random.Random(seed)
    pairs = sorted({tuple(sorted(rng.sample(COUNTRIES, 2))) for _ in range(400)})[:50]
    pair_level = {pair: 10 ** rng.uniform(8.3, 9.7) for pair in pairs}
    level = {
        (a, b, flow, product): pair_level[(a, b)]
        * (1.0 if product == "total" else 0.3)
        * (1.0 if flow == "turnover" else 0.45)
        for a, b in pairs
        for flow in ("turnover", "export", "import")
        for product in ("total", "agri", "industrial")
    }
    truth: dict[tuple, float] = {}
    facts: list[dict] = []
    n_docs = max(1, n // 8)
    docs: dict[str, DocInfo] = {}
    for i in range(n_docs):
        year = rng.choice(YEARS)
        repost_of = rng.randrange(i) if i and rng.random() < 0.1 else None
        text_hash = f"h{repost_of}" if repost_of is not None else f"h{i}"
        published = (
            f"{year + 1}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.7 else None
        )
        docs[f"doc{i}"] = DocInfo(
            published=published, source=f"site{i % 40}", text_hash=text_hash, year_hint=year + 1
        )
    for _ in range(n):
        doc = f"doc{rng.randrange(n_docs)}"
        a, b = rng.choice(pairs)
        kind = rng.random()
        if kind < 0.03:
            facts.append(
                {
                    "doc": doc,
                    "type": "partner_rank",
                    "reporter": a,
                    "partner": b,
                    "flow": "turnover",
                    "rank": rng.randint(1, 5),
                    "quote": "торговый партнер",
                    "claimant": None,
                }
            )
            continue
        if kind < 0.06:
            v = rng.choice([1e9, 2e9, 3e9, 5e9, 10e9])
            facts.append(
                {
                    "doc": doc,
                    "type": "target",
                    "flow": "turnover",
                    "reporter": a,
                    "partner": b,
                    "product": "total",
                    "value": v,
                    "unit": "USD",
                    "factor": None,
                    "by": None,
                    "quote": f"до {v / 1e9:g} млрд долларов",
                }
            )
            continue
        flow = rng.choice(["turnover", "turnover", "export", "import"])
        product = rng.choice(["total", "total", "agri", "industrial"])
        year = rng.choice(YEARS)
        m0, m1 = rng.choice(PERIODS)
        key = (a, b, flow, product, year, m1)
        if key not in truth:
            growth = 1.06 ** (year - YEARS[0])
            truth[key] = level[(a, b, flow, product)] * growth * m1 / 12 * rng.uniform(0.95, 1.05)
        value = truth[key]
        approx, bound = False, None
        r = rng.random()
        if r < 0.05:
            value *= 1.08  # the other side's statistics
        written, quote = _written(value, 1 if rng.random() < 0.8 else 2)
        if 0.05 <= r < 0.12:
            approx, quote = True, "порядка " + quote
        elif 0.12 <= r < 0.16:
            approx, bound, quote = True, "lt", "почти " + quote
        reporter, partner = (a, b) if rng.random() < 0.5 else (b, a)
        period = f"{year}-{m0:02d}/{year}-{m1:02d}" if rng.random() > 0.03 else None
        facts.append(
            {
                "doc": doc,
                "type": "trade",
                "flow": flow,
                "reporter": reporter,
                "partner": partner,
                "product": product,
                "period": period,
                "value": written,
                "unit": "USD",
                "approx": approx,
                "bound": bound,
                "change_pct": None,
                "change_factor": None,
                "claimant": None,
                "quote": "товарооборот составил " + quote,
                "start": rng.randrange(5000),
            }
        )
    return facts, docs


MIRROR_FLOW = {"export": "import", "import": "export", "turnover": "turnover"}


def official_figures(facts: list[dict]) -> list[Figure]:
    """The official statistics of the synthetic corpus: for every full-year trade statement, the reporter's
    figure (its first value) and the partner's mirror (8 % higher), one each."""
    out: dict[tuple, Figure] = {}
    for f in facts:
        period = f.get("period")
        if f["type"] != "trade" or not period or not period.endswith("-12") or period[5:7] != "01":
            continue
        a, b, flow, product, value = f["reporter"], f["partner"], f["flow"], f["product"], f["value"]
        for who, other, fl, v in ((a, b, flow, value), (b, a, MIRROR_FLOW[flow], value * 1.08)):
            key = (who, other, fl, product, period)
            if key not in out:
                out[key] = Figure("bench", who, other, fl, product, period, v, "USD", revised="2025-01-01")
    return list(out.values())


def group_by(facts: list[dict]) -> dict[tuple, list[dict]]:
    out: dict[tuple, list[dict]] = defaultdict(list)
    for f in facts:
        pair = tuple(sorted((f.get("reporter") or "", f.get("partner") or "")))
        out[(f["type"], pair, f.get("flow"), f.get("product"), f.get("period"), f.get("value"))].append(f)
    return out


def _timed(fn, *args) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def in_memory(args: argparse.Namespace) -> None:
    """The synthetic facts of `synthesize`, reconciled in memory, against a group-by (module doc)."""
    facts, docs = synthesize(args.max, args.seed)
    figures = official_figures(facts)
    sizes = [s for s in (10_000, 25_000, 50_000, 100_000) if s <= args.max] or [args.max]
    print(
        f"{'facts':>8} {'reconcile s':>12} {'group-by s':>11} {'ratio':>7} {'clusters':>9} {'discrep.':>9} "
        f"{'flags':>6} {'series':>7} {'compare s':>10} {'ratio':>6} {'verdicts':>9}"
    )
    points, compared = [], []
    for n in sizes:
        part = facts[:n]
        t_rec, result = _timed(reconcile, part, docs)
        t_grp = min(_timed(group_by, part)[0] for _ in range(3))
        t_cmp, verdicts = _timed(compare_facts, part, figures)
        points.append((n, t_rec))
        compared.append((n, t_cmp))
        given = sum(v is not None for v in verdicts)  # type: ignore[union-attr]
        print(
            f"{n:>8} {t_rec:>12.3f} {t_grp:>11.4f} {t_rec / t_grp:>7.0f} {len(result.clusters):>9} "
            f"{len(result.discrepancies):>9} {len(result.flags):>6} {len(result.series):>7} "
            f"{t_cmp:>10.3f} {t_cmp / t_grp:>6.0f} {given:>9}"
        )
    if len(points) > 1:
        exponent = slope(points)
        codes = defaultdict(int)
        for f in result.flags:
            codes[f.code] += 1
        print("flags at the largest size:", dict(sorted(codes.items())))
        print(f"growth exponent (log-log slope of reconcile time vs facts): {exponent:.2f}  (1.00 = linear)")
        print(f"official figures: {len(figures)}; growth exponent of the comparison: {slope(compared):.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synthetic", action="store_true", help="the in-memory run of synthetic facts instead")
    ap.add_argument("--max", type=int, default=100_000, help="--synthetic: facts at most")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--store", type=Path, default=None, help="keep the filled store here (reused when present)"
    )
    ap.add_argument("--sizes", default="100000,1000000", help="facts, comma-separated, ascending")
    ap.add_argument(
        "--added", type=int, default=20, help="documents added one at a time after the first size"
    )
    ap.add_argument("--jobs", type=int, default=2, help="ingest processes when filling")
    args = ap.parse_args()
    if args.synthetic:
        in_memory(args)
    else:
        from store_run import real_store

        real_store(args)


if __name__ == "__main__":
    main()
