"""The live tier: every sample of every bundled, real-world and golden definition, in every
target, is run against a recording server; what it sends must be exactly its SampleRequest
(and valid for the definition, as judged by Prism), and it must behave as the contract says.

One test per (definition, target); the failing operations are listed in its message.
Known failures live in tests/live/expected_failures.py (strict: a fixed one fails the run).
"""
from __future__ import annotations

import re

import pytest

from generator.languages import TARGETS
from generator.verify.runners import require_tools

from helpers.live_cases import live_definitions

from .expected_failures import EXPECTED_FAILURES, PRISM_BLIND_SPOTS

CASES = [(ident, path, target) for ident, path in live_definitions() for target in TARGETS]


@pytest.mark.parametrize("live_case", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_live_samples(live_case, live_runs):
    ident, path, target = live_case
    require_tools(target)
    report = live_runs.report(ident, path)
    if report.errors:
        pytest.fail(f"{ident}:\n" + "\n".join(report.errors), pytrace=False)
    results = report.for_target(target)
    known = {op: why for (d, op, t), why in EXPECTED_FAILURES.items() if d == ident and t in (target, "*")}
    op_ids = {r.operation_id for r in results}
    problems: list[str] = []
    expected_seen: list[str] = []
    blind = {op: spot for (d, op), spot in PRISM_BLIND_SPOTS.items() if d == ident}
    for r in results:
        if r.operation_id in blind:
            pattern, reason = blind[r.operation_id]
            waived = [m for m in r.messages if re.search(pattern, m)]
            if not waived:
                problems.append(f"{r.operation_id}: Prism no longer reports {pattern!r}; remove it from "
                                "PRISM_BLIND_SPOTS in tests/live/expected_failures.py")
            others = [m for m in r.messages if m not in waived]
            if r.status == "mismatch" and waived and not others:
                expected_seen.append(f"{r.operation_id}: Prism cannot judge it ({reason.split(':')[0]})")
                continue
        why = known.get(r.operation_id) or known.get("*")
        if r.failed and why:
            expected_seen.append(f"{r.operation_id}: {why}")
        elif r.failed:
            problems.append(r.format())
        elif r.status == "ok" and r.operation_id in known:
            problems.append(f"{r.operation_id}: unexpectedly passed; remove it from tests/live/expected_failures.py")
    stale = [op for op in list(known) + list(blind) if op != "*" and op not in op_ids]
    problems += [f"{op}: listed in tests/live/expected_failures.py but not in the definition" for op in stale]
    if "*" in known and results and not any(r.failed for r in results):
        problems.append("'*': unexpectedly passed; remove it from tests/live/expected_failures.py")
    if problems:
        summary = [line for line in report.summary_lines() if line.startswith(target + ":")]
        pytest.fail(f"{ident} [{target}]: {len(problems)} problem(s)\n" + "\n".join(problems + summary), pytrace=False)
    if expected_seen:
        pytest.xfail("; ".join(expected_seen))
