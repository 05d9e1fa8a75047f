"""Golden tests of ``samplegen docs``: every file of every format, byte for byte, for each
case of tests/golden-docs/ (a definition, and a ``case.json`` naming the formats and,
optionally, "definition" and "targets"). ``--update-goldens`` rewrites them and fails, as
tests/test_golden.py does."""
from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from generator.api import Options
from generator.docs import build_path
from generator.languages import TARGETS
from helpers.golden_cases import read_tree, write_tree

GOLDEN = Path(__file__).resolve().parent / "golden-docs"
CASES = sorted(p for p in GOLDEN.iterdir() if p.is_dir())


def actual_files(case: Path) -> dict[str, str]:
    config = json.loads((case / "case.json").read_text(encoding="utf-8"))
    if "definition" in config:
        definition = (case / config["definition"]).resolve()
    else:
        definition = next(case.glob("definition.*"))
    options = Options(targets=tuple(config.get("targets", TARGETS)))
    return build_path(definition, options, formats=tuple(config["formats"])).files


def test_every_format_has_a_golden_case():
    from generator.docs import FORMATS

    covered = {f for case in CASES for f in json.loads((case / "case.json").read_text())["formats"]}
    assert covered == set(FORMATS)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_docs_golden(case, update_goldens):
    actual = actual_files(case)
    expected_dir = case / "expected"
    if update_goldens:
        changed = write_tree(expected_dir, actual)
        pytest.fail(f"updated {changed} golden files of {case.name}: review the diff (git diff {expected_dir}) "
                    "and run the tests again without --update-goldens")
    expected = read_tree(expected_dir)
    problems = []
    if set(expected) != set(actual):
        problems.append(f"files differ: missing {sorted(set(expected) - set(actual))}, "
                        f"new {sorted(set(actual) - set(expected))}")
    for rel in sorted(set(expected) & set(actual)):
        if expected[rel] != actual[rel]:
            problems.append("".join(difflib.unified_diff(expected[rel].splitlines(True), actual[rel].splitlines(True),
                                                         f"expected/{rel}", f"actual/{rel}")))
    if problems:
        pytest.fail("\n".join(problems) + "\n\nIf the new output is right, rewrite the goldens with:\n"
                    f"    python -m pytest tests/test_docs_golden.py -k {case.name} --update-goldens")
