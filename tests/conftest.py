"""Shared test configuration: the --update-goldens flag and a private validation cache."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


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
