"""Progress on long work: a bar on a terminal, a few plain lines otherwise."""

from __future__ import annotations

import sys
import time

__all__ = ["Progress"]


class Progress:
    """Report ``done / total`` of a named task on stderr.

    On a terminal the line is redrawn in place; elsewhere (logs, CI) a plain
    line is printed at every quarter, so logs stay short.
    """

    def __init__(self, label: str, total: int, *, stream=None, enabled: bool = True):
        self.label, self.total = label, max(1, int(total))
        self.stream = sys.stderr if stream is None else stream
        self.enabled = enabled
        self.tty = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.done = 0
        self.start = time.perf_counter()
        self._next_quarter = 1

    def update(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.start
        if self.tty:
            width = 30
            filled = int(width * self.done / self.total)
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                              f"{self.done}/{self.total} {elapsed:.0f}s")
            if self.done == self.total:
                self.stream.write("\n")
            self.stream.flush()
        elif self.done * 4 >= self._next_quarter * self.total:
            while self.done * 4 >= self._next_quarter * self.total and self._next_quarter <= 4:
                self._next_quarter += 1
            print(f"{self.label}: {self.done}/{self.total} ({elapsed:.0f} s)", file=self.stream, flush=True)
