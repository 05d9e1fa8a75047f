"""The request grid: one tiny definition per request feature (tests/grid/<fixture>/) × every
language of the registry, byte for byte against tests/grid/<fixture>/expected/, compared like
the golden cases: a run with --update-goldens rewrites them and then fails, so that the diff is
always read. The live tier runs every fixture like a golden case."""
from __future__ import annotations

import yaml
import pytest

from helpers.golden_cases import compare_trees, read_tree, write_tree
from helpers.grid import fixtures

FIXTURES = fixtures()
FEATURES = {"path-encoding", "query-array", "header", "cookie", "json-body", "form-body", "multipart",
            "binary-body", "text-body", "basic-auth", "bearer", "api-key-header", "api-key-query",
            "api-key-cookie", "oauth2-client-credentials", "server-variables", "no-server"}


def test_the_grid_covers_the_request_features():
    assert FEATURES <= {f.name for f in FIXTURES}


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_a_fixture_is_one_operation(fixture):
    doc = yaml.safe_load(fixture.definition.read_text(encoding="utf-8"))
    operations = [op for item in doc["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert len(operations) == 1


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_grid(fixture, update_goldens):
    actual = fixture.main_files()
    if update_goldens:
        changed = write_tree(fixture.expected_dir, actual)
        pytest.fail(f"updated {changed} grid files of {fixture.name}: review the diff (git diff {fixture.expected_dir}) "
                    "and run the tests again without --update-goldens")
    problems = compare_trees(read_tree(fixture.expected_dir), actual)
    if problems:
        command = f"python -m pytest tests/test_grid.py -k {fixture.name} --update-goldens"
        pytest.fail("\n".join(problems) + f"\n\nIf the new output is right, rewrite the grid files with:\n    {command}")
