"""A progress bar on stderr for long runs: phase (load, validate, render, write), operations
done / total and their rate, drawn with click's progress bar.

Nothing is drawn unless the bar is enabled (stderr is a terminal and the run is not quiet),
nor before ``delay`` seconds have passed, so short runs and pipes print what they always
printed. A background thread draws the bar, so a long phase without steps (validating a large
definition) shows it too. The bar's line is cleared when the run ends.
"""
from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator, TextIO

import click

DELAY = 1.0  # seconds before the bar appears
INTERVAL = 0.2  # seconds between redraws

# The callback that generator.api passes along: (phase, done, total).
ProgressCallback = Callable[[str, int, int], None]


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _delay() -> float:
    try:
        return float(os.environ.get("SAMPLEGEN_PROGRESS_DELAY", DELAY))
    except ValueError:
        return DELAY


class Progress:
    """The callback for generator.api (``progress(phase, done, total)``) that draws the bar."""

    def __init__(self, enabled: bool, *, file: TextIO | None = None, delay: float | None = None) -> None:
        self.enabled = enabled
        self.file = file if file is not None else sys.stderr
        self.delay = _delay() if delay is None else delay
        self._lock = threading.Lock()
        self._phase = "load"
        self._done = 0
        self._total = 0
        self._phase_start = time.monotonic()
        self._start = self._phase_start
        self._bar: click._termui_impl.ProgressBar | None = None
        self._paused = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_draw = 0.0

    # -- the callback -------------------------------------------------------------------
    def __call__(self, phase: str, done: int = 0, total: int = 0) -> None:
        if not self.enabled:
            return
        with self._lock:
            if phase != self._phase:
                self._phase, self._phase_start = phase, time.monotonic()
            self._done, self._total = done, total or self._total
            if self._bar is not None and time.monotonic() - self._last_draw >= INTERVAL / 4:
                self._draw()

    # -- life cycle ---------------------------------------------------------------------
    def __enter__(self) -> "Progress":
        if self.enabled and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="samplegen-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        with self._lock:
            self._clear()
            self._bar = None

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Clear the bar while something else prints to stderr, then draw it again."""
        with self._lock:
            self._paused = True
            self._clear()
        try:
            yield
        finally:
            with self._lock:
                self._paused = False
                if self._bar is not None:
                    self._draw()

    # -- drawing (called with the lock held) --------------------------------------------
    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while True:
            with self._lock:
                if self._bar is None:
                    self._bar = click.progressbar(length=max(self._total, 1), file=self.file, width=24,
                                                  show_eta=False, show_percent=False,
                                                  bar_template="%(label)s [%(bar)s] %(info)s",
                                                  item_show_func=lambda _: self._info())
                self._draw()
            if self._stop.wait(INTERVAL):
                return

    def _info(self) -> str:
        if not self._total:
            return ""
        elapsed = time.monotonic() - self._phase_start
        rate = f", {self._done / elapsed:.0f}/s" if self._phase == "render" and elapsed > 0 else ""
        return f"{self._done}/{self._total} operations{rate}"

    def _draw(self) -> None:
        if self._paused or self._bar is None:
            return
        bar = self._bar
        bar.label = f"{self._phase:<8}"
        bar.length = max(self._total, 1)
        bar.pos = min(self._done, bar.length)
        bar.render_progress()
        self._last_draw = time.monotonic()

    def _clear(self) -> None:
        if self._bar is not None:
            self.file.write("\r\033[K\033[?25h")  # clear the line, show the cursor again
            self.file.flush()
