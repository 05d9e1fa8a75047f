"""--json: each command prints one JSON document on standard output (nothing else), valid
against the schema shipped in the package (generator/schemas/output.schema.json)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema_rs
import pytest
from click.testing import CliRunner

from generator import jsonout
from generator.cli import cli
from generator.verify import missing_tools

ROOT = Path(__file__).resolve().parent.parent
AZURE = ROOT / "specs" / "azureml-adult-income.json"
PETSTORE = ROOT / "specs" / "petstore.yaml"

SKIPS = """openapi: 3.0.3
info: {title: T}
paths:
  /ok:
    get:
      operationId: ok
      responses: {'200': {description: ok}}
  /bad:
    get:
      operationId: bad
      parameters:
        - {name: "X Bad Header", in: header, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
"""


@pytest.fixture(scope="module")
def validator():
    return jsonschema_rs.validator_for(jsonout.schema())


def run_json(validator, *args: str) -> tuple[dict, object]:
    """Run a command with --json: stdout must be exactly one valid document."""
    result = CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False)
    doc = json.loads(result.stdout)  # the whole of stdout, nothing else
    errors = [f"{list(e.instance_path)}: {e.message}" for e in validator.iter_errors(doc)]
    assert errors == [], errors
    assert doc["exit_code"] == result.exit_code and doc["ok"] == (result.exit_code == 0)
    return doc, result


def test_the_schema_is_a_valid_schema():
    assert jsonschema_rs.meta.is_valid(jsonout.schema())


def test_the_schema_rejects_what_it_should(validator):
    doc = {"samplegen": "0", "command": "list", "exit_code": 0, "ok": True, "error": None,
           "runs": [{"api": None, "definition": "x", "diagnostics": [], "skipped": [], "error": None}]}
    assert not validator.is_valid(doc)  # a list run without its operations
    doc["runs"][0]["operations"] = []
    assert validator.is_valid(doc)
    doc["command"] = "generate"  # a generate run needs formats, output, check
    assert not validator.is_valid(doc)


def test_generate_json(validator, tmp_path):
    out = tmp_path / "out"
    doc, _ = run_json(validator, "generate", str(PETSTORE), "-o", str(out), "-t", "python")
    assert doc["command"] == "generate" and doc["exit_code"] == 0 and doc["check"] is False
    (run,) = doc["runs"]
    assert run["formats"] == ["programs"] and run["output"] == str(out) and run["targets"] == ["python"]
    assert run["operations"] == 8
    assert "python/list_pets.py" in run["files"]["written"] and run["files"]["removed"] == []
    assert run["stale"] is None
    doc, _ = run_json(validator, "generate", str(PETSTORE), "-o", str(out), "-t", "python")
    assert doc["runs"][0]["files"]["written"] == [] and "python/list_pets.py" in doc["runs"][0]["files"]["unchanged"]


def test_check_json_lists_stale_files(validator, tmp_path):
    out = tmp_path / "out"
    CliRunner().invoke(cli, ["generate", str(PETSTORE), "-o", str(out), "-t", "python"], catch_exceptions=False)
    doc, _ = run_json(validator, "generate", str(PETSTORE), "-o", str(out), "-t", "python", "--check")
    assert doc["exit_code"] == 0 and doc["runs"][0]["stale"] == [] and doc["runs"][0]["files"] is None
    (out / "python" / "list_pets.py").write_text("edited\n", encoding="utf-8")
    (out / "python" / "create_pet.py").unlink()
    (out / "python" / "extra.py").write_text("x\n", encoding="utf-8")  # not ours: not listed
    doc, _ = run_json(validator, "generate", str(PETSTORE), "-o", str(out), "-t", "python", "--check")
    assert doc["exit_code"] == 1 and doc["check"] is True
    assert doc["runs"][0]["stale"] == [{"path": "python/create_pet.py", "state": "missing"},
                                       {"path": "python/list_pets.py", "state": "changed"}]


def test_lenient_skips_and_diagnostics_with_locations(validator, tmp_path):
    src = tmp_path / "skips.yaml"
    src.write_text(SKIPS, encoding="utf-8")
    doc, result = run_json(validator, "generate", str(src), "-o", str(tmp_path / "o"), "--lenient", "-t", "python")
    assert doc["exit_code"] == 4
    (skipped,) = doc["runs"][0]["skipped"]
    assert skipped["id"] == "bad" and skipped["method"] == "GET" and skipped["path"] == "/bad"
    assert (skipped["file"], skipped["line"], skipped["col"], skipped["pointer"]) == (
        str(src), 12, 11, "/paths/~1bad/get/parameters/0")
    # the definition has no info.version: the validator's finding, placed on its line
    assert "X Bad Header" in skipped["reason"]
    assert doc["runs"][0]["diagnostics"], "the validator's findings are listed"
    assert [(d["level"], d["file"], d["line"], d["pointer"]) for d in doc["runs"][0]["diagnostics"]] == [
        ("warning", str(src), 2, "/info")]
    assert "skipped bad" in result.stderr  # the prose goes to stderr


def test_bad_definition_json(validator, tmp_path):
    src = tmp_path / "broken.yaml"
    src.write_text(SKIPS, encoding="utf-8")
    doc, result = run_json(validator, "generate", str(src), "-o", str(tmp_path / "o"), "-t", "python")
    assert doc["exit_code"] == 2 and result.exit_code == 2
    error = doc["runs"][0]["error"]
    assert error["diagnostics"] and error["diagnostics"][0]["file"] == str(src)
    assert error["diagnostics"][0]["line"] is not None
    assert not (tmp_path / "o").exists()


def test_config_runs_and_config_errors_json(validator, tmp_path, monkeypatch):
    (tmp_path / "specs").mkdir()
    shutil.copy(AZURE, tmp_path / "specs")
    shutil.copy(PETSTORE, tmp_path / "specs")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "samplegen.toml").write_text(
        '[[api]]\ndefinition = "specs/azureml-adult-income.json"\noutput = "out/az"\ntargets = ["python"]\n\n'
        '[[api]]\nname = "pets"\ndefinition = "specs/petstore.yaml"\noutput = "out/pets"\ntargets = ["r"]\n',
        encoding="utf-8")
    doc, _ = run_json(validator, "generate")
    assert doc["config"] == "samplegen.toml"
    assert [(r["api"], r["definition"], r["output"]) for r in doc["runs"]] == [
        ("azureml-adult-income", str(Path("specs/azureml-adult-income.json")), str(Path("out/az"))),
        ("pets", str(Path("specs/petstore.yaml")), str(Path("out/pets")))]
    doc, _ = run_json(validator, "generate", "--check")
    assert doc["exit_code"] == 0 and all(r["stale"] == [] for r in doc["runs"])

    (tmp_path / "samplegen.toml").write_text('[[api]]\ndefinition = "specs/petstore.yaml"\noutput = "o"\nlenent = true\n',
                                             encoding="utf-8")
    doc, _ = run_json(validator, "generate")
    assert doc["exit_code"] == 2 and doc["runs"] == []
    assert (doc["error"]["file"], doc["error"]["line"], doc["error"]["key"]) == ("samplegen.toml", 4, "api[0].lenent")


def test_list_json(validator):
    doc, _ = run_json(validator, "list", str(AZURE), "--tag", "Batch Execution")
    (run,) = doc["runs"]
    assert [op["id"] for op in run["operations"]] == ["submitjob", "startjob", "getjobstatus", "canceljob"]
    assert run["operations"][0] == {"id": "submitjob", "method": "POST", "path": "/jobs",
                                    "summary": run["operations"][0]["summary"], "tags": ["Batch Execution"]}
    doc, result = run_json(validator, "list", str(AZURE), "--operation", "nope")
    assert result.exit_code == 2 and doc["runs"][0]["error"]["file"] == str(AZURE)


@pytest.mark.live
@pytest.mark.skipif(bool(missing_tools("python")), reason="python target tools missing")
def test_verify_json(validator):
    doc, result = run_json(validator, "verify", str(PETSTORE), "-t", "python", "--operation", "listPets",
                           "--operation", "getPetById", "--operation", "deletePet",
                           "--exclude-operation", "deletePet", "--no-prism")
    (run,) = doc["runs"]
    assert [(r["operation"], r["target"], r["status"]) for r in run["results"]] == [
        ("listPets", "python", "ok"), ("getPetById", "python", "ok")]
    assert result.exit_code == 0 and run["targets"] == ["python"]


def test_verify_json_bad_input(validator, tmp_path):
    doc, result = run_json(validator, "verify", str(PETSTORE), "--tag", "nope")
    assert result.exit_code == 2 and "nope" in doc["runs"][0]["error"]["message"]


def test_edited_files_json(validator, tmp_path):
    out = tmp_path / "out"
    CliRunner().invoke(cli, ["generate", str(PETSTORE), "-o", str(out), "-t", "python"], catch_exceptions=False)
    (out / "python" / "list_pets.py").write_text("mine\n", encoding="utf-8")
    doc, _ = run_json(validator, "generate", str(PETSTORE), "-o", str(out), "-t", "python", "--base-url",
                      "https://other.example.com")
    assert doc["exit_code"] == 2
    assert doc["runs"][0]["error"]["files"] == ["python/list_pets.py"]
    assert (out / "python" / "list_pets.py").read_text(encoding="utf-8") == "mine\n"


def test_docs_json(validator, tmp_path):
    doc, _ = run_json(validator, "docs", str(PETSTORE), "-o", str(tmp_path / "d"), "-f", "markdown", "-f", "html")
    (run,) = doc["runs"]
    assert doc["command"] == "docs" and run["formats"] == ["markdown", "html"]
    assert "index.html" in run["files"]["written"]
    doc, _ = run_json(validator, "docs", str(PETSTORE), "-o", str(tmp_path / "d"), "-f", "markdown", "-f", "html",
                      "--check")
    assert doc["exit_code"] == 0 and doc["runs"][0]["stale"] == []
