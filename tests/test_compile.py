"""Every generated file of every golden case compiles, parses or byte-compiles: each language's
``toolchain.check`` (C#: one mcs call per case, warnings as errors; R: parse; Python:
byte-compile), nothing runs. The checks of the selected tests run side by side (one per core),
started by the first test; each test reads its own.

The live tier runs them; this tier fails fast and names the file. Under CI=true a missing
tool fails the test instead of skipping it (require_tools).
"""
from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from generator.languages import REGISTRY
from generator.verify.runners import require_tools
from helpers.golden_cases import all_cases

CASES = all_cases()
CHECKED = [lang for lang in REGISTRY if lang.toolchain.check is not None]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[str, tuple[Path, object]]:
    out = {}
    for case in CASES:
        folder = tmp_path_factory.mktemp(case.name)
        result = case.generate()
        for rel, text in result.files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
        out[case.name] = (folder, result.model)
    return out


def test_every_language_has_a_check():
    assert CHECKED == REGISTRY, "a language without toolchain.check is not compiled by this tier"


@pytest.fixture(scope="module")
def checks(request, generated, tmp_path_factory) -> dict[tuple[str, str], Future]:
    """(case, language) -> its check's errors ('' when every file is fine), for every
    test of this module the session selected, all submitted at once."""
    pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="compile")
    selected = [item.callspec.params for item in request.session.items
                if getattr(item, "module", None) is request.module and hasattr(item, "callspec")]

    def check(case: str, language) -> str:
        folder, model = generated[case]
        files = [folder / language.main_file(op) for op in model.operations]
        assert files and all(f.exists() for f in files)
        return language.toolchain.check(files, tmp_path_factory.mktemp(f"{case}-{language.name}"))

    futures = {}
    for params in selected:
        case, language = params["case"], params["language"]
        if not language.missing_tools():
            futures[case, language.name] = pool.submit(check, case, language)
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.live  # compilers and parsers of every language
@pytest.mark.parametrize("language", CHECKED, ids=lambda lang: lang.name)
@pytest.mark.parametrize("case", [c.name for c in CASES])
def test_samples_compile(checks, case, language):
    require_tools(language.name)
    errors = checks[case, language.name].result()
    assert errors == "", errors
