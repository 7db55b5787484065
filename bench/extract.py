"""Extraction throughput: the seeds and ../shared/realpress repeated to N documents, against plain passes.

Prints documents per second for the full per-document pipeline (clean, annotate,
extract) and, over the same texts in the same run, for two plain passes: a word
pass (every word and money-like span: the cheapest look at every word) and a
money pass (our own amount regex, every scale, currency and number word of the
lexicons, run over the whole text the way a plain regex extractor reads money;
STACK.md's "one regular-expression pass over the text", 237 docs/s on this
machine, is of that kind). The ratios say how the pipeline compares with each. Then, over the seeds and examples/ (Russian, Kazakh in
both scripts, English), the throughput per language in characters per second and
its ratio to Russian (issue 4: within 20%). Last, one long document of 1M and one of 5M characters
(issue 14: the 5M one at most 5 times the 1M one's CPU time): realpress' articles one after another,
each round with its figures changed (varied), so the document reads as many articles, not one repeated.
Not a test: nothing is asserted.

usage: python bench/extract.py [--docs 1000] [--seeds DIR] [--examples DIR] [--long 1000000 --long 5000000]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

from karavan.doc import Doc
from karavan.ingest import read_paths
from karavan.pipeline import process

ROOT = Path(__file__).resolve().parents[1]
# The plain pass of STACK.md: one regular-expression pass over the text that looks at every word
# (here: every word, and money-like spans), with no other work.
PLAIN = re.compile(r"\d+(?:[.,]\d+)?\s*(?:млрд|млн|тыс|mlrd|mln|billion|million|%)|\w+", re.I)


def fresh(doc: Doc, i: int) -> Doc:
    return Doc(f"{doc.id}#{i}", doc.text, published=doc.published, source=doc.source)


def sized(doc: Doc, chars: int) -> Doc:
    """The document's text repeated (paragraph after paragraph) to about `chars` characters."""
    text = doc.text
    while len(text) < chars:
        text += "\n\n" + doc.text
    return Doc(doc.id, text, published=doc.published, source=doc.source)


NUMBER = re.compile(r"\d+")


def varied(text: str, round_: int) -> str:
    """The text with every number that is not a year raised by `round_` (round 0: the text as it is)."""
    if not round_:
        return text
    return NUMBER.sub(
        lambda m: m.group() if 1900 <= int(m.group()) <= 2100 else str(int(m.group()) + round_), text
    )


def long_document(texts: list[str], chars: int) -> Doc:
    """One document of `chars` characters: the texts one after another, paragraph-separated, round after
    round with their figures varied (a long report or a digest of many articles)."""
    parts: list[str] = []
    size = round_ = 0
    while size < chars:
        for text in texts:
            parts.append(varied(text, round_))
            size += len(parts[-1]) + 2
            if size >= chars:
                break
        round_ += 1
    return Doc(f"long-{chars}", "\n\n".join(parts)[:chars])


def rate(fn: Callable[[Doc], object], docs: list[Doc]) -> tuple[float, float]:
    """Documents and characters per second."""
    t0 = time.perf_counter()
    for d in docs:
        fn(d)
    dt = time.perf_counter() - t0
    return len(docs) / dt, sum(len(d.text) for d in docs) / dt


# STACK.md's "one regular-expression pass over the text" (237 docs/s on this machine): a fixed money regex
# (digits, scale words, currency words), not the lexicon's grammar, so that a growing lexicon does not move
# the baseline the pipeline is compared with.
MONEY = re.compile(
    r"(?:[$€₸]\s?)?\d+(?:[ ,.]\d{3})*(?:[.,]\d+)?\s*(?:трлн|млрд|млн|тыс|мың|mlrd|mln|billion|million|bn|mn)?\.?\s*"
    r"(?:доллар\w*|долл\.?|тенге|руб\w*|евро|сом\w*|dollars?|euros?|USD|KZT|тонн\w*|tons?|tonnes?|%|процент\w*|пайыз\w*)?",
    re.I,
)


def corpus_docs(name: str, seeds: Path, realpress: Path) -> list[Doc]:
    if name == "seeds":
        return list(read_paths([seeds]))
    if not realpress.is_file():
        return []
    return list(read_paths([realpress]))


def long_documents(args: argparse.Namespace, seeds: list[Doc]) -> None:
    """The long documents' CPU times and their ratio to the first (module doc)."""
    sizes = args.long or [1_000_000, 5_000_000]
    base = corpus_docs("realpress", args.seeds, args.realpress) or seeds
    print(f"\none long document ({len(base)} {'realpress' if args.realpress.is_file() else 'seed'} articles in turn, "
          "figures varied each round), CPU seconds on one core:")  # fmt: skip
    first = None
    for chars in sizes:
        doc = long_document([d.text for d in base], chars)
        began = time.process_time()
        done = process(doc)
        seconds = time.process_time() - began
        first = first or (chars, seconds)
        ratio = f"  x{seconds / first[1]:.2f} the {first[0] // 1_000_000}M one" if chars != first[0] else ""
        print(f"  {chars / 1e6:4.1f}M chars  {seconds:7.2f} s  {len(done.facts):6} facts{ratio}", flush=True)
    print("goal (issue 14): the 5M document at most 5 times the 1M one")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--realpress", type=Path, default=ROOT.parent / "shared" / "realpress" / "docs.jsonl")
    ap.add_argument("--examples", type=Path, default=ROOT / "examples")
    ap.add_argument("--corpus", choices=("seeds", "realpress", "both"), default="both")
    ap.add_argument("--long-only", action="store_true", help="only the long documents")
    ap.add_argument("--long", type=int, action="append", help="long document sizes (default 1M and 5M chars)")
    args = ap.parse_args()

    seeds = list(read_paths([args.seeds]))
    process(fresh(seeds[0], -1))  # compile grammars and load lexicons once, outside the timing
    if args.long_only:
        long_documents(args, seeds)
        return
    names = ("seeds", "realpress") if args.corpus == "both" else (args.corpus,)
    for name in names:
        base = corpus_docs(name, args.seeds, args.realpress)
        if not base:
            print(f"{name}: not found, skipped")
            continue
        docs = [fresh(base[i % len(base)], i) for i in range(args.docs)]
        plain, _ = rate(lambda d: sum(1 for _ in PLAIN.finditer(d.text)), docs)
        money, _ = rate(lambda d: sum(1 for _ in MONEY.finditer(d.text)), docs)
        full, _ = rate(lambda d: process(fresh(d, 0)), docs)
        print(
            f"{name} repeated: {len(docs)} documents, {sum(len(d.text) for d in docs) / len(docs):.0f} chars each"
        )
        print(f"  plain word pass  : {plain:10.1f} docs/s")
        print(
            f"  plain money pass : {money:10.1f} docs/s   (one fixed money regular expression over the text)"
        )
        print(
            f"  karavan pipeline : {full:10.1f} docs/s   {full / plain:.1%} of the word pass, "
            f"{full / money:.0%} of the money pass"
        )
    print("goal (issues 3, 11): >= 100 docs/s on one core, printed beside the plain regular-expression pass")

    corpus = seeds + list(read_paths([args.examples]))
    by_lang: dict[str, list[Doc]] = {}
    for d in corpus:
        done = process(fresh(d, 0))
        by_lang.setdefault(f"{done.lang}-{done.script}", []).append(d)
    print("\nper language (seeds + examples, each text repeated to about 4,000 characters, 200 documents):")
    base_rate = None
    for lang in sorted(by_lang, key=lambda k: (not k.startswith("ru"), k)):
        group = [sized(d, 4000) for d in by_lang[lang]]
        reps = [fresh(group[i % len(group)], i) for i in range(max(200, len(group)))]
        docs_s, chars_s = rate(lambda d: process(fresh(d, 0)), reps)
        base_rate = base_rate or chars_s
        print(
            f"  {lang:8} {len(group):3} docs  {docs_s:8.1f} docs/s  {chars_s / 1000:8.1f}k chars/s"
            f"  {chars_s / base_rate:6.0%} of Russian"
        )

    long_documents(args, seeds)


if __name__ == "__main__":
    main()
