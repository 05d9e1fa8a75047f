"""The garbage collector in a one-shot `samplegen` process.

A large definition makes tens of millions of objects that live until the process ends (the
parsed document, then its model). Python's cyclic collector walks every one of them again in
each full collection, and once more when the process exits: for Microsoft Graph beta (47 MB)
that was about 4 s of a 30 s run, and 3 s more after the last file was written. The command
line therefore (``for_this_process``) collects less often and, at ``settle()`` points (after
loading, after building the model), moves what exists to the collector's permanent generation
(``gc.freeze``), where it is never walked. Frozen objects are still freed by reference
counting when dropped; only a reference cycle among them stays until the process ends, which
in a one-shot process is when they would go anyway (a project file of several APIs keeps such
cycles of the earlier APIs until the end). Library callers (tests, other programs) are not
affected: ``settle`` does nothing unless the command line asked for it.
"""
from __future__ import annotations

import gc

_ACTIVE = False


def for_this_process() -> None:
    """The command line: a run is one process, and what it loads lives until it ends."""
    global _ACTIVE
    _ACTIVE = True
    gc.set_threshold(10_000, 10, 10)  # the young generation: 700 objects by default


def settle() -> None:
    """Everything made so far lives until the process ends: stop walking it."""
    if _ACTIVE:
        gc.freeze()
