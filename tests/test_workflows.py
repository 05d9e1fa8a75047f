"""Workflows (Arazzo): the expression parser, the goldens of the workflow programs (every
language that has them, byte for byte), determinism, the manifest and the index, and the
warning for a language without workflow programs."""
from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from generator.api import Options, generate_path
from generator.languages import REGISTRY, TARGETS
from generator.workflows.expressions import (Concat, ExpressionError, Lit, Op, Ref, parse_condition,
                                             parse_jsonpath, parse_value)
from helpers.golden_cases import read_tree, write_tree

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden_workflows"
# (case, the Arazzo document): the bundled ones, and the hostile strings of golden_workflows/hostile
DOCUMENTS = [("azureml-adult-income", ROOT / "specs" / "azureml-adult-income.arazzo.yaml"),
             ("petstore", ROOT / "specs" / "petstore.arazzo.yaml"),
             ("hostile", GOLDEN / "hostile" / "flow.arazzo.yaml")]
ALL = tuple(TARGETS)


def workflow_files(result) -> dict[str, str]:
    """The workflow programs (every file of them), the index and the manifest."""
    paths = {p for wf in result.workflows for lang in REGISTRY if lang.workflow for _, p in lang.workflow_files(wf)}
    return {p: t for p, t in result.files.items() if p in paths or p in ("README.md", "manifest.json")}


@pytest.mark.parametrize("name, document", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_workflow_goldens(name, document, update_goldens):
    actual = workflow_files(generate_path(document, Options(targets=ALL)))
    expected_dir = GOLDEN / name / "expected"
    if update_goldens:
        changed = write_tree(expected_dir, actual)
        pytest.fail(f"updated {changed} golden files of {name}: review the diff and run again")
    expected = read_tree(expected_dir)
    assert sorted(expected) == sorted(actual)
    diffs = ["".join(difflib.unified_diff(expected[p].splitlines(True), actual[p].splitlines(True), p, p))
             for p in sorted(actual) if expected[p] != actual[p]]
    assert not diffs, "\n".join(diffs) + "\nrewrite with: python -m pytest tests/test_workflows.py --update-goldens"


def test_generation_is_deterministic():
    doc = DOCUMENTS[1][1]
    assert generate_path(doc, Options(targets=ALL)).files == generate_path(doc, Options(targets=ALL)).files


def test_manifest_and_index_list_the_workflows():
    result = generate_path(DOCUMENTS[0][1], Options(targets=("python", "r")))
    manifest = json.loads(result.files["manifest.json"])
    assert manifest["workflows"] == [{"id": "batchScoring",
                                      "summary": "Score a CSV file in blob storage and report where the results are",
                                      "steps": ["submit", "start", "poll"],
                                      "files": {"python": "python/workflow_batch_scoring.py",
                                                "r": "r/workflow_batch_scoring.R"}}]
    assert manifest["files"]["r/workflow_batch_scoring.R"] == {"target": "r"}
    assert "[workflow_batch_scoring.py](python/workflow_batch_scoring.py)" in result.files["README.md"]
    assert {op["id"] for op in manifest["operations"]} >= {"submitjob", "startjob", "getjobstatus"}


def test_a_language_without_workflow_programs_is_named_in_a_warning(monkeypatch):
    from dataclasses import replace

    monkeypatch.setitem(TARGETS, "curl", replace(TARGETS["curl"], workflow="", workflow_files=None,
                                                 workflow_missing="not in this test"))
    result = generate_path(DOCUMENTS[0][1], Options(targets=("curl",)))
    assert [d for d in result.diagnostics if d.level == "warning" and "curl" in d.message
            and "not in this test" in d.message]
    assert not [p for p in result.files if "workflow" in p]


def test_every_language_has_workflow_programs():
    assert [lang.name for lang in REGISTRY if not lang.workflow] == []


# -- the expression subset -------------------------------------------------------------------------

def test_conditions_parse_with_precedence():
    tree = parse_condition("$statusCode == 200 && !($response.header.X-A != 'x') || $inputs.n >= -1.5")
    assert tree == Op("||", (
        Op("&&", (Op("==", (Ref("statusCode"), Lit(200))),
                  Op("!", (Op("!=", (Ref("response.header", "X-A"), Lit("x"))),)))),
        Op(">=", (Ref("inputs", "n"), Lit(-1.5)))))


def test_values_embed_expressions_and_pointers():
    assert parse_value("a {$steps.s-1.outputs.o.p#/x~1y/0} b") == Concat((
        Lit("a "), Ref("steps", "s-1.o.p", "/x~1y/0"), Lit(" b")))
    assert parse_value("$response.body#/a") == Ref("response.body", "", "/a")
    assert parse_value(7) == Lit(7)
    assert parse_value("no expression") == Lit("no expression")


def test_the_jsonpath_subset():
    body = Ref("response.body")
    assert parse_jsonpath(body, "$.a['b c'][2]") == Op("!=", (Ref("response.body", "", "/a/b c/2"), Lit(None)))
    assert parse_jsonpath(body, "$.items[?(@.s == 'ok')]") == Op(
        "any", (Ref("response.body", "", "/items"), Lit("/s"), Lit("=="), Lit("ok")))


@pytest.mark.parametrize("text", ["$statusCode ==", "$nope", "$inputs.a == (1", "1 2", "'open",
                                  "$url#/x", "$workflows.w.outputs.x == 1"])
def test_unreadable_conditions_are_refused(text):
    with pytest.raises(ExpressionError):
        parse_condition(text)


@pytest.mark.parametrize("text", ["$..a", "$.a[*]", "$.a[?(@.b)]"])
def test_jsonpath_outside_the_subset_is_refused(text):
    with pytest.raises(ExpressionError):
        parse_jsonpath(Ref("response.body"), text)


# -- the safety checks of the samples hold for the workflow programs ---------------------------------

def _programs():
    for name, document in DOCUMENTS:
        result = generate_path(document, Options(targets=ALL))
        for wf in result.workflows:
            for lang in REGISTRY:
                if lang.workflow and lang.safety is not None:
                    yield f"{name}/{lang.name}/{wf.id}", lang, wf, result.files[lang.workflow_files(wf)[0][1]]


@pytest.mark.parametrize("ident, lang, wf, text", list(_programs()), ids=lambda v: v if isinstance(v, str) else "")
def test_workflow_programs_set_timeouts_keep_tls_and_read_secrets_from_the_environment(ident, lang, wf, text):
    import re

    code = "\n".join(line for line in text.split("\n") if not line.lstrip().startswith(lang.comment_prefix))
    assert lang.safety.timeout_problems(text, code) == []
    assert not [p for p in lang.safety.tls_off if re.search(p, code)]
    for name in wf.secret_vars:
        assert any(re.search(p.replace("{name}", re.escape(name)), code) for p in lang.safety.reads_env), name
    assert re.search(lang.safety.exits_2, code)


def test_operation_selection_keeps_every_workflow_step():
    result = generate_path(DOCUMENTS[0][1], Options(targets=("python",), operations=("startjob",)))
    assert [op.id for op in result.model.operations] == ["startjob"]
    assert [s.id for s in result.workflows[0].steps] == ["submit", "start", "poll"]
    assert "python/workflow_batch_scoring.py" in result.files


def test_a_workflow_never_takes_the_file_of_an_operation(tmp_path):
    import shutil

    definition = (ROOT / "specs" / "azureml-adult-income.json").read_text(encoding="utf-8")
    (tmp_path / "azureml-adult-income.json").write_text(
        definition.replace('"operationId": "execute"', '"operationId": "workflow_batch_scoring"'), encoding="utf-8")
    shutil.copy(DOCUMENTS[0][1], tmp_path)
    result = generate_path(tmp_path / DOCUMENTS[0][1].name, Options(targets=("python", "csharp")))
    assert result.workflows[0].snake == "workflow_batch_scoring_2"
    assert "def step_submit" in result.files["python/workflow_batch_scoring_2.py"]
    assert "def step_submit" not in result.files["python/workflow_batch_scoring.py"]


def test_a_definition_that_mentions_arazzo_is_read_as_a_definition(tmp_path):
    from generator.workflows import looks_like_arazzo

    path = tmp_path / "api.yaml"
    path.write_text("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
                    "    Flow:\n      properties:\n        arazzo: {type: string}\n", encoding="utf-8")
    flat = tmp_path / "api.json"
    flat.write_text('{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, '
                    '"x-note": {"arazzo": "1.0.1"}}', encoding="utf-8")
    assert not looks_like_arazzo(path)
    assert looks_like_arazzo(flat)  # only the parsed document can tell
    for definition in (path, flat):
        result = generate_path(definition, Options(targets=("python",)))
        assert result.workflows == [] and "manifest.json" in result.files
    assert looks_like_arazzo(DOCUMENTS[0][1])
