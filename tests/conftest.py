"""Shared test configuration: the --update-goldens flag, a private validation cache and the tiers.

Tiers: a test that starts a compiler, a sample, the recording server or Prism is marked
``live`` (everything under tests/live/ is live); ``pytest -m "not live"`` is the fast inner
loop, and a test of it that starts one of those anyway fails, naming the marker to add.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
for _path in (ROOT, TESTS):  # the generator package, and tests/helpers (code shared by test modules)
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

# the tiers: tests/live/ is live, and the fast tier's guard (tests/helpers/tiers.py)
from helpers.tiers import (pytest_collection_modifyitems, pytest_runtest_makereport,  # noqa: E402, F401
                           pytest_runtest_protocol)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="Rewrite the golden files from the current output (the run then fails: review the diff).")


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


@pytest.fixture(scope="session", autouse=True)
def _private_validation_cache(tmp_path_factory: pytest.TempPathFactory):
    """Tests never read or write the user's cache; one cache is shared by the whole run."""
    old = os.environ.get("SAMPLEGEN_CACHE_DIR")
    os.environ["SAMPLEGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("validation-cache"))
    yield
    if old is None:
        os.environ.pop("SAMPLEGEN_CACHE_DIR", None)
    else:
        os.environ["SAMPLEGEN_CACHE_DIR"] = old
