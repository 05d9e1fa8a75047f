"""The live tier's shared state: one verify run per definition, one Prism per definition,
and the per-language summary printed at the end of the session."""
from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.languages import TARGETS  # noqa: E402
from helpers.live_cases import ALL_PARAMS  # noqa: E402


# definitions verified side by side: while one runs its samples, the next one generates, builds
# its C# and starts its Prism (SAMPLEGEN_LIVE_WORKERS overrides)
WORKERS = int(os.environ.get("SAMPLEGEN_LIVE_WORKERS") or max(2, os.cpu_count() or 2))


class _StartingJudge:
    """A Prism judge that is still starting: ``judge`` waits for it. Prism starts while the
    samples run; a judge that could not start makes each judgement an error."""

    def __init__(self, future: Future) -> None:
        self.future = future

    def judge(self, *args, **kwargs):
        return self.future.result().judge(*args, **kwargs)

    def close(self) -> None:
        try:
            judge = self.future.result()
        except Exception:  # noqa: BLE001 - it never started: nothing to close
            return
        judge.close()


def BEHAVIOURS(ident: str) -> bool | str:
    """Every request of every sample is run and compared; the behaviour runs (error status,
    missing secrets, server variables, refused connection) run for every sample of the bundled
    specs and the grid, and once per language and behaviour shape elsewhere (the same code
    paths: generator.verify.jobs.behaviour_shape)."""
    return True if ident.startswith(("specs/", "grid/")) else "per-shape"


class LiveRuns:
    """Runs ``verify`` once per definition for every target the session selected, with one
    Prism per definition; the definitions are verified ahead of their tests, ``WORKERS`` at
    a time, in the order the tests will ask for them."""

    def __init__(self) -> None:
        self.reports: dict[str, Future] = {}
        self.wanted: dict[str, list[str]] = defaultdict(list)
        self.order: list[tuple[str, Path]] = []  # the definitions of the selected tests, in test order
        self.started = time.monotonic()
        self.elapsed = 0.0  # from the first verify started to the last one finished
        self._first: float | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._starter: ThreadPoolExecutor | None = None
        # the first test of the unbroken run of live tests that ends with the last test asking
        # for a report: the runs start there (the fast tier's guard never sees them)
        self.start_at: str | None = None

    def _start_judge(self, path: Path):
        from generator.verify import prism as prism_mod

        judge = prism_mod.PrismJudge(path)
        judge.start()
        return judge

    def _verify(self, ident: str, path: Path):
        from generator.verify import prism as prism_mod
        from generator.verify import verify

        targets = self.wanted.get(ident) or list(TARGETS)
        judge = None
        if prism_mod.find_prism() is not None:
            judge = _StartingJudge(self._starter.submit(self._start_judge, path))
        try:
            rep = verify(path, targets, prism=judge is not None or os.environ.get("CI") == "true",
                         judge=judge, timeout=60, jobs=4, lenient=True, all_params=ident in ALL_PARAMS,
                         behaviours=BEHAVIOURS(ident))
        finally:
            if judge is not None:
                judge.close()  # (waits for it to have started)
        if judge is None and os.environ.get("CI") != "true":
            rep.notes.append("Prism not installed (npm ci): requests not judged")
        if judge is not None and judge.future.exception() is not None:
            rep.errors.append(f"prism: could not start for {ident}: {judge.future.exception()}")
        self.elapsed = time.monotonic() - (self._first or time.monotonic())
        return rep

    def _submit(self, ident: str, path: Path) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="live-verify")
            self._starter = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="live-prism")
            self._first = time.monotonic()
        if ident not in self.reports:
            self.reports[ident] = self._pool.submit(self._verify, ident, path)

    def start(self) -> None:
        """Submit every selected definition, in the order the tests will ask for them."""
        for known, known_path in self.order:
            self._submit(known, known_path)

    def report(self, ident: str, path: Path):
        if self._pool is None:
            self.start()
        self._submit(ident, path)
        return self.reports[ident].result()

    def done_reports(self) -> dict[str, object]:
        return {ident: f.result() for ident, f in self.reports.items() if f.done() and f.exception() is None}

    def close(self) -> None:
        for pool in (self._pool, self._starter):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)
        self._pool = self._starter = None


_RUNS = LiveRuns()


@pytest.fixture(scope="session")
def live_runs():
    yield _RUNS
    _RUNS.close()


def pytest_collection_finish(session):
    """Remember which targets of each definition were selected (after -k, deselection...), and
    the order in which the tests will ask for the definitions."""
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or "live_case" not in callspec.params:
            continue
        ident, path, target = callspec.params["live_case"]
        if ident not in _RUNS.wanted:
            _RUNS.order.append((ident, path))
        if target not in _RUNS.wanted[ident]:
            _RUNS.wanted[ident].append(target)
    items = session.items
    asking = [i for i, item in enumerate(items) if "live_case" in getattr(getattr(item, "callspec", None), "params", {})]
    if asking:
        start = asking[-1]
        while start > 0 and items[start - 1].get_closest_marker("live") is not None:
            start -= 1
        _RUNS.start_at = items[start].nodeid


def pytest_runtest_setup(item):
    """Start the live runs with the first test of the live stretch that needs them, so that
    they use the time the tests before them spend waiting (timeouts, sleeps)."""
    if item.nodeid == _RUNS.start_at and _RUNS._pool is None:
        _RUNS.start()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reports = _RUNS.done_reports()
    if not reports:
        return
    from .expected_failures import EXPECTED_FAILURES

    totals: dict[str, list[int]] = {t: [0, 0, 0, 0, 0] for t in TARGETS}
    for ident, rep in reports.items():
        for target in rep.targets:
            run, matched, failed, skipped = rep.counts(target)
            t = totals[target]
            t[0] += run
            t[1] += matched
            t[2] += failed
            t[3] += skipped
            for r in rep.for_target(target):
                if r.failed and any((ident, op, tg) in EXPECTED_FAILURES
                                    for op in (r.operation_id, "*") for tg in (target, "*")):
                    t[4] += 1
    tr = terminalreporter
    tr.section(f"live samples: {len(reports)} definitions, {_RUNS.elapsed:.0f}s ({WORKERS} side by side)")
    for target, (run, matched, failed, skipped, expected) in totals.items():
        if run or skipped:
            line = f"{target}: {run} run, {matched} matched, {failed} failed"
            if expected:
                line += f" ({expected} expected, see tests/live/expected_failures.py)"
            tr.write_line(line + (f", {skipped} skipped (tools missing)" if skipped else ""))
