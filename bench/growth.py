"""How the pipeline's time grows on pathological texts: CPU seconds at 250 KB, 1 MB (and 4 MB with --large),
and the ratios; proportional growth is 4 for each step, square growth 16. The texts are those of
tests/test_pipeline_growth.py, which asserts the 250 KB -> 1 MB ratio is at most 5.

    python bench/growth.py [--large] [--gc] [--all] [NAME ...]

Texts the test marks as still square (SQUARE) are left out unless named or --all is given: at 1 MB each
takes minutes to hours.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from karavan.doc import Doc  # noqa: E402
from karavan.pipeline import process  # noqa: E402
from tests.test_pipeline_growth import SQUARE, TEXTS  # noqa: E402


def seconds(text: str, collect: bool) -> tuple[float, int]:
    gc.collect()
    if not collect:
        gc.disable()
    try:
        began = time.process_time()
        doc = process(Doc(id="growth", text=text))
        return time.process_time() - began, len(doc.facts)
    finally:
        gc.enable()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", help="only these texts")
    parser.add_argument("--large", action="store_true", help="also 4 MB")
    parser.add_argument("--gc", action="store_true", help="keep the garbage collector on while timing")
    parser.add_argument("--all", action="store_true", help="the texts still square too")
    args = parser.parse_args()
    sizes = [250_000, 1_000_000] + ([4_000_000] if args.large else [])
    for make in TEXTS.values():
        process(Doc(id="warm", text=make(3000)))
    print(f"{'text':30s}" + "".join(f"{s // 1000:>9,} KB" for s in sizes) + "   ratios   facts")
    for name, make in TEXTS.items():
        if (args.names and name not in args.names) or (not args.names and not args.all and name in SQUARE):
            continue
        times, facts = zip(*(seconds(make(s), args.gc) for s in sizes), strict=True)
        ratios = " ".join(f"x{b / a:.1f}" for a, b in zip(times, times[1:], strict=False))
        print(
            f"{name:30s}" + "".join(f"{t:10.2f} s" for t in times) + f"   {ratios}   {facts[-1]}", flush=True
        )


if __name__ == "__main__":
    main()
