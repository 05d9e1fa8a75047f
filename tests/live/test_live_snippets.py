"""The snippets docs pages show are complete scripts in every language whose registry entry
says so (``script_snippet``): each is written to a file of its own and run, alone, against
the recording server; what it sends
must be exactly the operation's SampleRequest, and it must print the status and the answer
(the success run of tests/live/test_live_samples.py, with the same recorder and comparison).
The C# snippet is the body of a method, compiled and run inside its program."""
from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from generator import __version__
from generator.api import Options, generate_path
from generator.render import render_snippet
from generator.languages import REGISTRY, TARGETS
from generator.verify.core import SampleJob, run_jobs
from generator.verify.runners import require_tools

from helpers.live_cases import ALL_PARAMS, live_definitions
from .expected_failures import EXPECTED_FAILURES

SCRIPT_TARGETS = tuple(lang.name for lang in REGISTRY if lang.script_snippet)
# The grid fixtures (one request feature each): every program is its snippet plus comments
# (tests/test_snippets.py proves it for every golden operation), and the live tier runs every
# program, so running each golden case's snippets again would only repeat those runs.
CASES = [(ident, path, target) for ident, path in live_definitions() if ident.startswith("grid/")
         for target in SCRIPT_TARGETS]
_RESULTS: dict[str, object] = {}


def _generated(ident: str, path: Path):
    if ident not in _RESULTS:
        _RESULTS[ident] = generate_path(str(path), Options(targets=SCRIPT_TARGETS, lenient=True,
                                                           all_params=ident in ALL_PARAMS))
    return _RESULTS[ident]


@pytest.mark.parametrize("snippet_case", CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_live_snippets(snippet_case, tmp_path):
    ident, path, name = snippet_case
    require_tools(name)
    target = TARGETS[name]
    result = _generated(ident, path)
    context = {"source_name": Path(path).name, "generator_version": __version__}
    jobs = []
    for op in result.model.operations:
        if op.sample is None:
            continue
        file = tmp_path / PurePosixPath(target.main_file(op)).name
        file.write_text(render_snippet(result.model, op, target, context), encoding="utf-8", newline="")
        jobs.append(SampleJob(op.id, name, file, op.sample))
    assert jobs or not result.model.operations
    known = {op for (d, op, t) in EXPECTED_FAILURES if d == ident and t in (name, "*")}
    failed = [r for r in run_jobs(jobs, workers=2, behaviours=False)
              if r.failed and r.operation_id not in known and "*" not in known]
    if failed:
        pytest.fail(f"{ident} [{name} snippets]: {len(failed)} failed\n" + "\n".join(r.format() for r in failed),
                    pytrace=False)
