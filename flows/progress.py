"""A progress display for runs of many files: a bar on a terminal, a line per tenth otherwise."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None, min_total: int = 2) -> None:
        self.stream = stream or sys.stderr
        self.total = 0
        self.min_total = min_total
        self.tty = self.stream.isatty()
        self._last_tenth = -1
        self._t0 = time.monotonic()
        self._shown = False

    def start(self, total: int, what: str = "files") -> None:
        self.total, self.what = total, what
        self._t0 = time.monotonic()
        self._last_tenth = -1

    def __call__(self, done: int) -> None:
        if self.total < self.min_total:
            return
        frac = done / self.total
        rate = done / max(time.monotonic() - self._t0, 1e-6)
        msg = f"{done}/{self.total} {self.what}  {rate:,.1f}/s"
        if self.tty:
            bar = "#" * int(frac * 30)
            self.stream.write(f"\r[{bar:<30}] {msg}")
            self._shown = True
        elif int(frac * 10) > self._last_tenth:
            self._last_tenth = int(frac * 10)
            self.stream.write(msg + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
