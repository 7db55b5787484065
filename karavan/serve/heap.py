"""The server's long-lived heap, settled once at start-up so that the cycle collector stops walking it.

CPython's full (generation 2) collection walks every tracked object alive. In `karavan serve` most of
them are there for the server's whole life: the imported libraries (FastAPI and pydantic alone are
some 40k objects), the compiled templates, the interface strings and Babel's locale data. On the 100k
bench store such a collection came every 25-50 requests and took 48-75 ms, and with four requests in
flight on one core each pause landed on all four: that was the tail of the pages' p99.

`settle(*warm)` first runs the given warm-ups (each loads what the first requests would otherwise load
lazily), collects once, then moves everything alive into the permanent generation (`gc.freeze`).
Later collections walk only what requests make; a full one takes a few milliseconds. Frozen objects are
still freed by reference counting; only a reference cycle among them would never be collected, and
those are the start-up objects the server keeps anyway.

Done once per process: a test run that starts many apps freezes the heap of its first one only, so the
garbage cycles of later tests are still collected.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

_lock = threading.Lock()
_settled = False


def settle(*warm: Callable[[], object]) -> bool:
    """Run `warm`, collect, freeze what lives; True when this call did it, False when already done."""
    global _settled
    with _lock:
        if _settled:
            return False
        for step in warm:
            step()
        gc.collect()
        gc.freeze()
        _settled = True
        return True
