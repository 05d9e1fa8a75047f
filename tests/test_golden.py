"""Golden tests: the output of every case, every target, byte for byte.

A mismatch shows the diff and the command that rewrites the goldens; a run with
--update-goldens rewrites them and then FAILS, so that the diff is always read.
"""
from __future__ import annotations

import pytest

from helpers.golden_cases import all_cases, compare_trees, read_tree, write_tree

CASES = all_cases()


def test_there_are_golden_cases():
    assert len(CASES) >= 5


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case, update_goldens):
    actual = case.actual_files()
    if update_goldens:
        changed = write_tree(case.expected_dir, actual)
        pytest.fail(f"updated {changed} golden files of {case.name}: review the diff (git diff {case.expected_dir}) "
                    "and run the tests again without --update-goldens")
    command = f"python -m pytest tests/test_golden.py -k {case.name} --update-goldens"
    problems = compare_trees(read_tree(case.expected_dir), actual)
    if problems:
        pytest.fail("\n".join(problems) + f"\n\nIf the new output is right, rewrite the goldens with:\n    {command}")
