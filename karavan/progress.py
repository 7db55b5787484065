"""A progress bar on stderr (documents done, rate, time left) that stays quiet when nobody watches."""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from typing import TextIO

from tqdm import tqdm


class Progress:
    """Counts documents; draws only when `enabled` and stderr is a terminal."""

    def __init__(self, total: int | None, enabled: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        shown = enabled and self.stream.isatty()
        self.bar = tqdm(total=total, unit="doc", file=self.stream, disable=not shown, dynamic_ncols=True)

    def advance(self, n: int = 1) -> None:
        self.bar.update(n)

    @staticmethod
    def pause(stream: TextIO | None = None) -> AbstractContextManager[None]:
        """Clear any bar while a message is printed, then draw it again."""
        return tqdm.external_write_mode(file=stream or sys.stderr)

    def close(self) -> None:
        self.bar.close()
