"""Extraction throughput: the seeds repeated to N documents, against a plain regular-expression pass.

Prints documents per second for the full per-document pipeline (clean, annotate,
extract) and for one plain regex pass over the same texts in the same run, and
their ratio; per language when the corpus has several. Not a test: nothing is
asserted.

usage: python bench/extract.py [--docs N] [--seeds DIR]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from karavan.doc import Doc
from karavan.pipeline import process

# The plain pass of STACK.md: one regular-expression pass over the text that looks at every word
# (here: every word, and money-like spans), with no other work.
PLAIN = re.compile(r"\d+(?:[.,]\d+)?\s*(?:млрд|млн|тыс|mlrd|mln|billion|million|%)|\w+", re.I)


def load(seeds: Path, n: int) -> list[Doc]:
    texts = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(seeds.glob("*.txt"))]
    return [Doc(f"{texts[i % len(texts)][0]}#{i}", texts[i % len(texts)][1]) for i in range(n)]


def rate(fn, docs: list[Doc]) -> float:
    t0 = time.perf_counter()
    for d in docs:
        fn(d)
    return len(docs) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seeds", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds")
    args = ap.parse_args()
    docs = load(args.seeds, args.docs)
    process(Doc("warm", docs[0].text))  # compile grammars once, outside the timing
    plain = rate(lambda d: sum(1 for _ in PLAIN.finditer(d.text)), docs)
    full = rate(lambda d: process(Doc(d.id, d.text)), docs)
    print(f"documents: {len(docs)}  chars/doc: {sum(len(d.text) for d in docs) / len(docs):.0f}")
    print(f"plain regex pass : {plain:10.1f} docs/s")
    print(f"karavan pipeline : {full:10.1f} docs/s   ratio {full / plain:.1%} of the plain pass")
    print("goal (issue 3): >= 100 docs/s on one core, >= 40% of the plain pass")
    by_lang: dict[str, list[Doc]] = {}
    for d in docs[: min(len(docs), 500)]:
        lang = process(Doc(d.id, d.text)).lang or "?"
        by_lang.setdefault(lang, []).append(d)
    if len(by_lang) > 1:
        base = None
        for lang, group in sorted(by_lang.items()):
            r = rate(lambda d: process(Doc(d.id, d.text)), group)
            base = base or r
            print(f"  {lang:3}: {r:10.1f} docs/s ({len(group)} docs)")


if __name__ == "__main__":
    main()
