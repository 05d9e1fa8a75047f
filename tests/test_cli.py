"""The `samplegen` command: every command, option and exit code, through click's CliRunner."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import __version__
from generator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
AZURE = ROOT / "specs" / "azureml-adult-income.json"
PETSTORE = ROOT / "specs" / "petstore.yaml"

INVALID = """openapi: 3.0.3
info: {title: Broken}
paths:
  /ping:
    get:
      operationId: ping
      responses: {'200': {description: ok}}
"""


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, input: str | bytes | None = None):
    return runner.invoke(cli, list(args), input=input, catch_exceptions=False)


def test_version(runner):
    result = run(runner, "--version")
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("command", [[], ["generate"], ["list"], ["targets"], ["verify"]])
def test_every_command_has_help_with_an_example(runner, command):
    result = run(runner, *command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output
    assert "samplegen" in result.output


def test_generate_default_targets(runner, tmp_path):
    out = tmp_path / "out"
    result = run(runner, "generate", str(AZURE), "-o", str(out))
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["targets"] == ["csharp", "python", "r"]
    assert [op["id"] for op in manifest["operations"]] == [
        "execute", "submitjob", "startjob", "getjobstatus", "canceljob", "getSwaggerDocument"]
    assert (out / "csharp" / "Execute" / "Program.cs").is_file()
    assert (out / "csharp" / "Execute" / "Execute.csproj").is_file()
    assert (out / "python" / "execute.py").is_file()
    assert (out / "python" / "requirements.txt").is_file()
    assert (out / "r" / "execute.R").is_file()
    assert (out / "README.md").is_file()
    assert not (out / "python-urllib").exists()
    assert "wrote 27 files" in result.output


def test_generate_again_rewrites_nothing(runner, tmp_path):
    out = tmp_path / "out"
    run(runner, "generate", str(AZURE), "-o", str(out))
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = run(runner, "generate", str(AZURE), "-o", str(out))
    assert result.exit_code == 0
    assert "wrote 0 files" in result.output and "27 unchanged" in result.output
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == before


def test_targets_and_operations_filter(runner, tmp_path):
    out = tmp_path / "out"
    result = run(runner, "generate", str(PETSTORE), "-o", str(out), "-t", "python-urllib", "-t", "r",
                 "--operation", "getPetById", "--operation", "create_pet")
    assert result.exit_code == 0, result.output
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == ["README.md", "manifest.json", "python-urllib/create_pet.py", "python-urllib/get_pet_by_id.py",
                     "r/create_pet.R", "r/get_pet_by_id.R"]


def test_unknown_operation_is_exit_2(runner, tmp_path):
    result = run(runner, "generate", str(PETSTORE), "-o", str(tmp_path / "o"), "--operation", "nope")
    assert result.exit_code == 2
    assert "no operation 'nope'" in result.output
    assert "listPets" in result.output


def test_unknown_target_is_a_usage_error(runner, tmp_path):
    result = run(runner, "generate", str(PETSTORE), "-o", str(tmp_path / "o"), "-t", "cobol")
    assert result.exit_code == 2
    assert "cobol" in result.output


def test_base_url_is_baked_in(runner, tmp_path):
    out = tmp_path / "out"
    result = run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python", "--base-url", "https://staging.example.com/ml/")
    assert result.exit_code == 0
    text = (out / "python" / "execute.py").read_text()
    assert 'os.environ.get("API_BASE_URL", "https://staging.example.com/ml")' in text


def test_auth_prefix(runner, tmp_path):
    out = tmp_path / "out"
    result = run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python", "--auth-prefix", "")
    assert result.exit_code == 0
    text = (out / "python" / "execute.py").read_text()
    assert 'headers["Authorization"] = api_key' in text


def test_stdin(runner, tmp_path):
    out = tmp_path / "out"
    result = run(runner, "generate", "-", "-o", str(out), "-t", "python", input=PETSTORE.read_bytes())
    assert result.exit_code == 0, result.output
    assert (out / "python" / "list_pets.py").is_file()
    assert "from <stdin>" in (out / "python" / "list_pets.py").read_text()


def test_invalid_definition_is_exit_2_and_names_lenient(runner, tmp_path):
    src = tmp_path / "broken.yaml"
    src.write_text(INVALID)
    result = run(runner, "generate", str(src), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "broken.yaml:2:1 #/info" in result.output
    assert "'version' is a required property" in result.output
    assert "--lenient" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_lenient_generates_with_warnings(runner, tmp_path):
    src = tmp_path / "broken.yaml"
    src.write_text(INVALID)
    result = run(runner, "generate", str(src), "-o", str(tmp_path / "o"), "--lenient", "-t", "python")
    assert result.exit_code == 0
    assert "warning:" in result.output
    assert (tmp_path / "o" / "python" / "ping.py").is_file()


def test_lenient_lists_skipped_operations(runner, tmp_path):
    src = tmp_path / "skips.yaml"
    src.write_text("""openapi: 3.0.3
info: {title: T, version: '1'}
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
""")
    strict = run(runner, "generate", str(src), "-o", str(tmp_path / "s"), "-t", "python")
    assert strict.exit_code == 2
    assert "X Bad Header" in strict.output and "--lenient" in strict.output
    result = run(runner, "generate", str(src), "-o", str(tmp_path / "o"), "--lenient", "-t", "python")
    assert result.exit_code == 4
    assert "skipped bad: " in result.stderr and "X Bad Header" in result.stderr
    assert ", at " + str(src) + ":12:11 #/paths/~1bad/get/parameters/0" in result.stderr
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert [(s["id"], s["method"], s["path"], s["location"]) for s in manifest["skipped"]] == [
        ("bad", "GET", "/bad", "/paths/~1bad/get/parameters/0")]
    index = (tmp_path / "o" / "README.md").read_text()
    assert "## Skipped operations" in index and "| bad | GET | `/bad` |" in index
    assert (tmp_path / "o" / "python" / "ok.py").is_file()
    assert not (tmp_path / "o" / "python" / "bad.py").exists()


def test_output_is_a_file(runner, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("mine")
    result = run(runner, "generate", str(AZURE), "-o", str(target))
    assert result.exit_code == 2
    assert result.output.startswith("error:")
    assert target.read_text() == "mine"


def test_foreign_file_is_never_overwritten(runner, tmp_path):
    out = tmp_path / "out"
    (out / "python").mkdir(parents=True)
    (out / "python" / "execute.py").write_text("# my own work\n")
    result = run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python")
    assert result.exit_code == 2
    assert "execute.py" in result.output
    assert (out / "python" / "execute.py").read_text() == "# my own work\n"


def test_missing_file(runner, tmp_path):
    result = run(runner, "generate", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "o"))
    assert result.exit_code == 2
    assert "nope.yaml" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_list(runner):
    result = run(runner, "list", str(AZURE))
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 6
    assert lines[0].split()[:3] == ["execute", "POST", "/execute"]
    assert lines[-1].split()[:3] == ["getSwaggerDocument", "GET", "/swagger.json"]


def test_list_invalid_is_exit_2(runner, tmp_path):
    src = tmp_path / "broken.yaml"
    src.write_text(INVALID)
    assert run(runner, "list", str(src)).exit_code == 2
    assert run(runner, "list", str(src), "--lenient").exit_code == 0


def test_targets(runner):
    result = run(runner, "targets")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.strip().splitlines()]
    assert names == ["csharp", "python", "python-urllib", "r"]
    for line in result.output.strip().splitlines():
        folder = Path(line.split("templates: ")[1])
        assert folder.is_dir()


def test_user_templates_override_builtin(runner, tmp_path):
    custom = tmp_path / "tpl" / "python"
    custom.mkdir(parents=True)
    (custom / "sample.py.j2").write_text("# custom sample for {{ op.id }}\n")
    out = tmp_path / "out"
    result = run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python", "--templates", str(tmp_path / "tpl"))
    assert result.exit_code == 0, result.output
    assert (out / "python" / "execute.py").read_text() == "# custom sample for execute\n"
    assert "import requests" not in (out / "python" / "submitjob.py").read_text()


def test_regeneration_removes_only_our_stale_files(runner, tmp_path):
    out = tmp_path / "out"
    run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python")
    (out / "notes.txt").write_text("mine")
    result = run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python", "--operation", "execute")
    assert result.exit_code == 0
    assert "5 removed" in result.output
    assert not (out / "python" / "submitjob.py").exists()
    assert (out / "notes.txt").read_text() == "mine"
