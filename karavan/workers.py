"""The process pool of `--jobs N`: workers that never outlive the process that started them.

A pool worker blocks reading its next task; when its parent dies without shutting the pool down
(SIGKILL, or SIGTERM, whose default action ends a process at once), nothing tells it, and it
keeps the database and its memory for good. Each worker therefore
- asks Linux to send it SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG), and
- on any system, watches its parent from a daemon thread and exits within WATCH_EVERY seconds
  of being orphaned (its parent process id changes);
- ignores Ctrl-C (SIGINT goes to the whole process group): the parent decides, and the workers
  finish their document.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

WATCH_EVERY = 0.5  # seconds between looks at the parent
PR_SET_PDEATHSIG = 1


def die_with(parent: int) -> None:
    """The pool's initializer: run in each worker before its first task."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watch below still ends the worker
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCH_EVERY)
            if os.getppid() != parent:
                os._exit(1)  # no cleanup to do: results go to the parent, which is gone

    threading.Thread(target=watch, name="karavan-parent-watch", daemon=True).start()


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of `jobs` processes that die with this one."""
    return ProcessPoolExecutor(jobs, initializer=die_with, initargs=(os.getpid(),))
