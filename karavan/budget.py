"""A time limit for work in the current thread: `with time_limit(60): ...` raises OutOfTime inside the
block once 60 seconds have passed.

The limit is enforced from a timer thread with CPython's PyThreadState_SetAsyncExc, so it works in any
thread (the CLI's main thread, a pool worker, a server worker thread), not only where signals are
delivered. The exception arrives at the next Python instruction of the limited thread: a single call
into C that runs long (one regular expression over a huge text) is interrupted only when it returns.
OutOfTime derives from BaseException so that no `except Exception` in the limited code swallows it.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager

DEFAULT_BUDGET = 60.0  # seconds the pipeline may spend on one document; a news article takes well under one
OVER_BUDGET = "over_budget"  # the meta key of a document that ran out of its time


class OutOfTime(BaseException):
    """The time limit of the current block has passed."""


def _setter() -> object | None:
    try:
        fn = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except AttributeError:  # pragma: no cover - not CPython
        return None
    fn.restype = ctypes.c_int
    return fn


_SET_ASYNC_EXC = _setter()
CAN_INTERRUPT = _SET_ASYNC_EXC is not None


def _raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
    """Make `exc` go off in the thread at its next instruction; None (a NULL pointer) takes back one pending."""
    if _SET_ASYNC_EXC is not None:
        _SET_ASYNC_EXC(ctypes.c_ulong(thread_id), None if exc is None else ctypes.py_object(exc))  # type: ignore[operator]


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise OutOfTime in this thread if the block runs longer than `seconds` (None or <= 0: no limit)."""
    if not seconds or seconds <= 0 or not CAN_INTERRUPT:
        yield
        return
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"armed": True, "fired": False}

    def fire() -> None:
        with lock:
            if state["armed"]:
                state["fired"] = True
                _raise_in(thread_id, OutOfTime)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["armed"] = False
            fired = state["fired"]
        if fired:
            # the time ran out just as the block ended: the exception may still be pending, and must not
            # go off later in code that has nothing to do with this block
            _raise_in(thread_id, None)
