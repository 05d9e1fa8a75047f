"""Golden tests: the output of every case, every target, byte for byte.

A mismatch shows the diff and the command that rewrites the goldens; a run with
--update-goldens rewrites them and then FAILS, so that the diff is always read.
"""
from __future__ import annotations

import difflib

import pytest

from golden_cases import all_cases

CASES = all_cases()


def read_tree(folder) -> dict[str, str]:
    out = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out[path.relative_to(folder).as_posix()] = path.read_bytes().decode("utf-8")
    return out


def write_tree(folder, files: dict[str, str]) -> int:
    changed = 0
    existing = read_tree(folder)
    for rel in existing:
        if rel not in files:
            (folder / rel).unlink()
            changed += 1
    for rel, text in files.items():
        if existing.get(rel) != text:
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
            changed += 1
    for d in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(d.iterdir()):
            d.rmdir()
    return changed


def test_there_are_golden_cases():
    assert len(CASES) >= 5


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case, update_goldens):
    actual = case.actual_files()
    if update_goldens:
        changed = write_tree(case.expected_dir, actual)
        pytest.fail(f"updated {changed} golden files of {case.name}: review the diff (git diff {case.expected_dir}) "
                    "and run the tests again without --update-goldens")
    expected = read_tree(case.expected_dir)
    command = f"python -m pytest tests/test_golden.py -k {case.name} --update-goldens"
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    problems = []
    if missing:
        problems.append("files no longer generated: " + ", ".join(missing))
    if extra:
        problems.append("files generated but not in the goldens: " + ", ".join(extra))
    for rel in sorted(set(expected) & set(actual)):
        if expected[rel] != actual[rel]:
            diff = difflib.unified_diff(expected[rel].splitlines(True), actual[rel].splitlines(True),
                                        f"expected/{rel}", f"actual/{rel}")
            problems.append("".join(diff))
    if problems:
        pytest.fail("\n".join(problems) + f"\n\nIf the new output is right, rewrite the goldens with:\n    {command}")
