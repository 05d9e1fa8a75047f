"""The x-codeSamples of ``samplegen docs --format redoc``, run as they are: for every language
whose snippet is a whole script, each operation's ``source`` is taken from the written
definition, saved to a file of its own and run against the recording server, then replayed
to Prism, exactly as the live tier runs the programs (``verify``). What arrives must be the
operation's SampleRequest. (The C# snippet is the body of a method: its program runs in
tests/live/test_live_samples.py.)"""
from __future__ import annotations

import json
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from generator.api import Options, generate_path
from generator.docs import build_path
from generator.docs.redoc import KEY, MARK, split
from generator.languages import REGISTRY
from generator.verify.core import verify_generated
from generator.verify.prism import find_prism
from generator.verify.runners import missing_tools

from .expected_failures import EXPECTED_FAILURES, PRISM_BLIND_SPOTS

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = [lang for lang in REGISTRY if lang.script_snippet]
# One definition is enough here: tests/test_docs.py proves, for every bundled definition, that
# each source read back from the written file is the snippet, and for these languages the
# program the live tier runs without its opening comment.
DEFINITIONS = [("golden-docs/shop", ROOT / "tests" / "golden-docs" / "shop" / "definition.yaml")]


def code_samples(text: str, json_text: bool, location: str) -> list[dict]:
    node = json.loads(text) if json_text else yaml.safe_load(text)
    for part in split(location):
        node = node[part]
    return [s for s in node.get(KEY, []) if s.get(MARK) is True]


def accepted(ident: str, result) -> bool:
    if any((ident, op, t) in EXPECTED_FAILURES for op in (result.operation_id, "*") for t in (result.target, "*")):
        return True
    spot = PRISM_BLIND_SPOTS.get((ident, result.operation_id))
    return spot is not None and result.status == "mismatch" and all(re.search(spot[0], m) for m in result.messages)


@pytest.mark.parametrize("case", DEFINITIONS, ids=[d[0] for d in DEFINITIONS])
def test_redoc_code_samples_run_as_they_are(case):
    ident, path = case
    targets = [lang.name for lang in SCRIPTS if not missing_tools(lang.name)]
    if len(targets) < len(SCRIPTS) and os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"tools missing for {sorted(set(l.name for l in SCRIPTS) - set(targets))}", pytrace=False)
    if not targets:
        pytest.skip("no script language has its tools on this machine")
    options = Options(targets=tuple(targets), lenient=True)
    generated = generate_path(str(path), options)
    docs = build_path(str(path), options, formats=("redoc",)).files
    name = next(n for n in docs if n != "manifest.json")
    files = dict(generated.files)
    replaced = 0
    for op in generated.model.operations:
        samples = code_samples(docs[name], name.endswith(".json"), op.location)
        assert len(samples) == len(targets), op.id
        for lang_name, sample in zip(targets, samples):
            main = next(lang for lang in SCRIPTS if lang.name == lang_name).main_file(op)
            replaced += files[main] != sample["source"]
            files[main] = sample["source"]
    assert replaced  # the sources differ from the programs (no opening comment): they are what runs
    # the request and Prism's verdict (the programs' exit-code contract is the live tier's)
    report = verify_generated(replace(generated, files=files), path, targets, timeout=60, jobs=2, behaviours=False,
                              prism=os.environ.get("CI", "").lower() == "true" or find_prism() is not None)
    assert not report.errors, report.errors
    failed = [r for t in targets for r in report.for_target(t) if r.failed and not accepted(ident, r)]
    ran = [r for t in targets for r in report.for_target(t)]
    assert len(ran) == len(generated.model.operations) * len(targets)
    if failed:
        pytest.fail(f"{ident}: {len(failed)} code sample(s) failed\n" + "\n".join(r.format() for r in failed),
                    pytrace=False)
