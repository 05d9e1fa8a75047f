"""What a `samplegen` command-line process sets up before it runs: one run per process."""
from __future__ import annotations

import signal
import sys

from . import heap


def _terminated(signum: int, frame: object) -> None:
    # as Ctrl-C does ("error: interrupted", 130): unwind, so that a staging folder or a
    # temporary file is removed
    sys.stderr.write("error: terminated\n")
    raise SystemExit(128 + signum)


def setup() -> None:
    """SIGTERM (what CI timeouts and process managers send) ends the run as Ctrl-C does,
    cleaning up on the way; the collector is tuned for a process that ends with its run."""
    signal.signal(signal.SIGTERM, _terminated)
    heap.for_this_process()
