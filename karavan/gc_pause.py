"""The cyclic garbage collector paused while a document goes through the pipeline, or a block through
reconcile.

A document's annotations (tokens, mentions, sentences, clauses) are many small objects that live until the
document is done, and the pipeline makes no reference cycles (a 5M-character document leaves none for the
collector: gc.collect() after it finds 0). CPython still runs full collections as the heap grows, each over
every live object, so their cost grew with the square of a document's size: 0.4 s of 5.2 s at 1M
characters, 4.8 s of 27 s at 5M (bench/extract.py --long-only). Reference counting frees everything the
pipeline drops, so the collector is paused while any document is processed (in any thread) and restored
as it was when the last one finishes.

Reconciling a block is the same: its statements, clusters and rows are many small objects without cycles,
dropped when the block is written. A one-document run on the largest block of a 100k-fact store (26,575
facts): its input and clustering 1.01 -> 0.84 s CPU (the best of four runs each), the collector's full
passes over every statement gone.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_running = 0
_restore = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """No automatic cyclic collection inside; the collector as it was once no caller is inside."""
    global _running, _restore
    with _lock:
        if _running == 0:
            _restore = gc.isenabled()
            gc.disable()
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0 and _restore:
                gc.enable()
