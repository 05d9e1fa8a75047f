"""Every generated file of every golden case compiles (C#), parses (R) or byte-compiles (Python).

The live tier runs them; this tier fails fast and names the file. Under CI=true a missing
compiler fails the test instead of skipping it.
"""
from __future__ import annotations

import os
import py_compile
import shutil
import subprocess
from pathlib import Path

import pytest

from golden_cases import all_cases

CASES = all_cases()
IN_CI = os.environ.get("CI", "").lower() == "true"


def need(tool: str, install: str) -> str:
    path = shutil.which(tool)
    if path:
        return path
    message = f"{tool} is not installed ({install})"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for case in CASES:
        folder = tmp_path_factory.mktemp(case.name)
        for rel, text in case.generate().files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
        out[case.name] = folder
    return out


def test_python_samples_compile(generated):
    count = 0
    for folder in generated.values():
        for path in sorted(folder.rglob("*.py")):
            py_compile.compile(str(path), doraise=True, cfile=str(path) + "c")
            count += 1
    assert count > 50


def test_r_samples_parse(generated):
    rscript = need("Rscript", "apt-get install -y --no-install-recommends r-base-core")
    files = sorted(str(p) for folder in generated.values() for p in folder.rglob("*.R"))
    assert len(files) > 30
    script = ("files <- commandArgs(trailingOnly = TRUE); bad <- 0\n"
              "for (f in files) tryCatch(invisible(parse(file = f, encoding = 'UTF-8')), error = function(e) {"
              " cat('PARSE ERROR', f, conditionMessage(e), '\\n'); bad <<- bad + 1 })\n"
              "quit(status = if (bad > 0) 1 else 0)")
    proc = subprocess.run([rscript, "-e", script, *files], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("case", [c.name for c in CASES])
def test_csharp_samples_compile(generated, case, tmp_path):
    mcs = need("mcs", "apt-get install -y --no-install-recommends mono-mcs libmono-system-net-http4.0-cil")
    files = sorted(str(p) for p in generated[case].rglob("*.cs"))
    assert files
    proc = subprocess.run([mcs, "-target:library", "-warnaserror+", "-r:System.Net.Http.dll",
                           f"-out:{tmp_path / 'samples.dll'}", *files],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
