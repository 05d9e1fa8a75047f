"""The test tiers: markers are registered and strict, the fast tier starts nothing the live
tier owns (a test that tries fails, even an expected failure), the live tier's case list
holds every golden case and grid fixture, and test modules do not import each other (shared
code lives in tests/helpers/)."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from generator.languages import REGISTRY
from generator.verify.prism import PrismJudge
from generator.verify.recorder import RecordingServer
from helpers.grid import fixtures
from helpers.golden_cases import all_cases
from helpers.live_cases import ALL_PARAMS, live_definitions
from helpers.tiers import StartsALiveTool, live_programs, live_reason, pytest_collection_modifyitems

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


# -- the guard of the fast tier -----------------------------------------------------------------

@pytest.mark.parametrize("argv", [["mcs", "-version"], ["/usr/bin/mono", "a.exe"], ["Rscript", "-e", "1"],
                                  ["node", "-v"], ["env", "A=1", "Rscript", "x.R"], ["sh", "sample.sh"],
                                  ["sh", "-c", "mcs x.cs"], [sys.executable, "sample.py"],
                                  [sys.executable, "-u", "sample.py"]],
                         ids=lambda argv: " ".join(argv))
def test_the_fast_tier_refuses_to_start_a_live_program(argv):
    assert live_reason(argv)
    with pytest.raises(StartsALiveTool, match="mark the test @pytest.mark.live"):
        subprocess.run(argv, capture_output=True, timeout=30)


def test_every_language_s_sample_runner_is_refused(tmp_path):
    for lang in REGISTRY:
        if lang.toolchain.command is not None:
            assert live_reason(lang.toolchain.command(tmp_path / "sample")), lang.name
    assert {"mcs", "mono", "Rscript", "curl", "prism", "node"} <= live_programs()


def test_the_fast_tier_refuses_the_recording_server_and_prism():
    with pytest.raises(StartsALiveTool, match="the recording server"):
        RecordingServer().start()
    with pytest.raises(StartsALiveTool, match="Prism"):
        PrismJudge(ROOT / "specs" / "petstore.yaml").start()


def test_the_fast_tier_may_start_python_and_a_shell_syntax_check(tmp_path):
    done = subprocess.run([sys.executable, "-c", "print(6 * 7)"], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "42"
    script = tmp_path / "s.sh"
    script.write_text("echo 'unclosed\n", encoding="utf-8")
    assert subprocess.run(["sh", "-n", str(script)], capture_output=True, timeout=60).returncode != 0


def test_a_refusal_fails_an_expected_failure_and_a_wider_fixture_too(tmp_path):
    (tmp_path / "test_x.py").write_text("""
import subprocess
import pytest

@pytest.mark.xfail(strict=True, reason="a known fault")
def test_unmarked():
    subprocess.run(["mcs", "-version"])

@pytest.fixture(scope="module")
def compiled():
    subprocess.run(["mcs", "-version"])

def test_with_a_module_fixture(compiled):
    pass

@pytest.mark.live
def test_marked():
    subprocess.run(["mcs", "-version"])
""", encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    live: live\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(TESTS)])}
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "helpers.tiers", "-p", "no:cacheprovider",
                           "-m", "not live", "-rf", str(tmp_path / "test_x.py")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 failed, 1 deselected, 1 error" in done.stdout and "mark the test @pytest.mark.live" in done.stdout, done.stdout


# -- markers ----------------------------------------------------------------------------------------

def test_markers_are_registered_and_strict():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "--strict-markers" in config["addopts"].split()
    assert any(m.startswith("live:") for m in config["markers"])


def test_everything_under_tests_live_is_live():
    class Item:
        def __init__(self, path: Path):
            self.path, self.marks = path, []

        def add_marker(self, mark):
            self.marks.append(mark.name)

    items = [Item(TESTS / "live" / "test_live_samples.py"), Item(TESTS / "test_golden.py")]
    pytest_collection_modifyitems(None, items)
    assert [item.marks for item in items] == [["live"], []]


# -- the live tier's definitions --------------------------------------------------------------------

def test_every_golden_case_and_grid_fixture_is_a_live_definition():
    live = dict(live_definitions())
    grid = fixtures()
    assert len(grid) >= 14
    assert all(live.get(f"grid/{f.name}") == f.definition for f in grid)
    paths = {p.resolve() for p in live.values()}
    assert all(f"golden/{case.name}" in live or case.definition.resolve() in paths for case in all_cases())


def test_all_params_cases_run_with_all_params_even_on_a_shared_definition():
    """A golden case whose case.json says "all_params" is run live with --all-params, also
    when its definition is another case's (the pair is run twice, once each way)."""
    found = dict(live_definitions())
    assert "golden/swagger2-forms-auth-all" in found and "golden/swagger2-forms-auth-all" in ALL_PARAMS
    assert found["golden/swagger2-forms-auth-all"].resolve() == found["golden/swagger2-forms-auth"].resolve()
    assert "golden/swagger2-forms-auth" not in ALL_PARAMS
    assert {"golden/oas3-parameters-all", "golden/swagger2-parameters-all"} <= ALL_PARAMS


# -- test modules do not import each other ---------------------------------------------------------

def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names |= {"." * node.level + (node.module or "") + "." + a.name for a in node.names}
    return names


def _imports_a_test_module(name: str) -> bool:
    return any(part.startswith("test_") or part == "conftest" for part in name.lstrip(".").split("."))


def test_test_modules_do_not_import_each_other():
    modules = sorted(TESTS.rglob("*.py"))
    assert len(modules) > 20
    problems = [f"{path.relative_to(TESTS)} imports {name}" for path in modules for name in sorted(_imported(path))
                if _imports_a_test_module(name)]
    assert not problems, "shared test code belongs in tests/helpers/:\n" + "\n".join(problems)


def test_the_import_check_sees_an_import_of_a_test_module(tmp_path):
    module = tmp_path / "test_a.py"
    for line, seen in (("from test_normalize import v2", True), ("import test_normalize", True),
                       ("from .conftest import X", True), ("from . import test_b", True),
                       ("from helpers.documents import v2", False), ("import pytest", False)):
        module.write_text(line + "\n", encoding="utf-8")
        assert any(_imports_a_test_module(n) for n in _imported(module)) is seen, line
