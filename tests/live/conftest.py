"""The live tier's shared state: one verify run per definition, one Prism per definition,
and the per-language summary printed at the end of the session."""
from __future__ import annotations

import os
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.languages import TARGETS  # noqa: E402
from helpers.live_cases import ALL_PARAMS  # noqa: E402


class LiveRuns:
    """Runs ``verify`` once per definition for every target the session selected."""

    def __init__(self) -> None:
        self.reports: dict[str, object] = {}
        self.wanted: dict[str, list[str]] = defaultdict(list)
        self.started = time.monotonic()
        self.elapsed = 0.0
        self._judge = None
        self._judge_for: str | None = None

    def _prism_judge(self, ident: str, path: Path):
        """One Prism at a time: started for a definition, stopped when the next one starts."""
        from generator.verify import prism as prism_mod

        if self._judge_for == ident:
            return self._judge
        self.close()
        if prism_mod.find_prism() is None:
            return None
        judge = prism_mod.PrismJudge(path)
        judge.start()
        self._judge, self._judge_for = judge, ident
        return judge

    def report(self, ident: str, path: Path):
        if ident not in self.reports:
            from generator.verify import verify

            targets = self.wanted.get(ident) or list(TARGETS)
            judge = None
            note = ""
            try:
                judge = self._prism_judge(ident, path)
            except Exception as exc:  # noqa: BLE001 - reported below, as the report's error
                note = f"prism: could not start for {ident}: {exc}"
            t0 = time.monotonic()
            rep = verify(path, targets, prism=judge is not None or os.environ.get("CI") == "true",
                         judge=judge, timeout=60, jobs=4, lenient=True, all_params=ident in ALL_PARAMS)
            if judge is None and os.environ.get("CI") != "true" and not note:
                rep.notes.append("Prism not installed (npm ci): requests not judged")
            if note:
                rep.errors.append(note)
            self.elapsed += time.monotonic() - t0
            self.reports[ident] = rep
        return self.reports[ident]

    def close(self) -> None:
        if self._judge is not None:
            self._judge.close()
        self._judge, self._judge_for = None, None


_RUNS = LiveRuns()


@pytest.fixture(scope="session")
def live_runs():
    yield _RUNS
    _RUNS.close()


def pytest_collection_finish(session):
    """Remember which targets of each definition were selected (after -k, deselection...)."""
    for item in session.items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or "live_case" not in callspec.params:
            continue
        ident, target = callspec.params["live_case"][0], callspec.params["live_case"][2]
        if target not in _RUNS.wanted[ident]:
            _RUNS.wanted[ident].append(target)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not _RUNS.reports:
        return
    from .expected_failures import EXPECTED_FAILURES

    totals: dict[str, list[int]] = {t: [0, 0, 0, 0, 0] for t in TARGETS}
    for ident, rep in _RUNS.reports.items():
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
    tr.section(f"live samples: {len(_RUNS.reports)} definitions, {_RUNS.elapsed:.0f}s")
    for target, (run, matched, failed, skipped, expected) in totals.items():
        if run or skipped:
            line = f"{target}: {run} run, {matched} matched, {failed} failed"
            if expected:
                line += f" ({expected} expected, see tests/live/expected_failures.py)"
            tr.write_line(line + (f", {skipped} skipped (tools missing)" if skipped else ""))
