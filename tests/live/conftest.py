"""The live tier's shared state: one verify run per definition, one Prism per definition,
and the per-language summary printed at the end of the session."""
from __future__ import annotations

import json
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


def behaviour_samples(ident: str, result, targets: list[str]):
    """(key, target, sample) of every sample ``verify`` will run for a generated definition, in
    its order (the operations of the manifest, each in the targets given)."""
    manifest = json.loads(result.files["manifest.json"])
    by_id = {op.id: op for op in result.model.operations}
    for entry in manifest.get("operations", []):
        op = by_id.get(entry["id"])
        if op is None or op.sample is None:
            continue
        for target in targets:
            if target in entry.get("files", {}):
                yield (ident, op.id), target, op.sample


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
        # (definition, operation), target of the samples that run the behaviour runs
        self.carriers: set[tuple] = set()

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
                         behaviours=lambda job: ((ident, job.operation_id), job.target) in self.carriers)
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

    def plan(self) -> None:
        """Choose the samples that run the behaviour runs (error status, missing secrets, server
        variables, refused connection): the first sample of each language and
        ``behaviour_shape`` over every selected definition in test order, so each shape runs
        them once (the same code paths: generator.verify.jobs.behaviour_shape). Every request of
        every sample is still run, compared and judged."""
        from generator.api import Options, generate_path
        from generator.errors import SpecError
        from generator.verify.jobs import first_of_each_shape

        def samples():
            for ident, path in self.order:
                targets = self.wanted.get(ident) or list(TARGETS)
                options = Options(targets=tuple(targets), base_url=None, lenient=True, all_params=ident in ALL_PARAMS)
                try:
                    result = generate_path(str(path), options)
                except SpecError:
                    continue  # its verify run reports it
                yield from behaviour_samples(ident, result, targets)

        self.carriers = first_of_each_shape(samples())

    def start(self) -> None:
        """Submit every selected definition, in the order the tests will ask for them."""
        if not self.carriers:
            self.plan()
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


@pytest.hookimpl(trylast=True)  # after tests/helpers/tiers.py has marked tests/live/ live
def pytest_collection_modifyitems(config, items):
    """The live tests run after the others, and the tests that read the live runs' reports
    (``live_case``) last of all: the definitions are verified in the background from the
    first live test on, while the other live tests run, and no test of the fast tier runs
    beside them. (Order within each group is kept.)"""
    def group(item) -> int:
        if item.get_closest_marker("live") is None:
            return 0
        return 2 if "live_case" in getattr(getattr(item, "callspec", None), "params", {}) else 1

    items[:] = sorted(items, key=group)  # stable


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
