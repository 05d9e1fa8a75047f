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
    assert "broken.yaml#/info" in result.output
    assert "version" in result.output
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
    assert "X Bad Header" in strict.output
    result = run(runner, "generate", str(src), "-o", str(tmp_path / "o"), "--lenient", "-t", "python")
    assert result.exit_code == 0
    assert "operation skipped" in result.output and "X Bad Header" in result.output
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


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_filtered_regeneration_removes_nothing(runner, tmp_path):
    out = tmp_path / "out"
    assert run(runner, "generate", str(AZURE), "-o", str(out), "-t", "csharp", "-t", "python",
               "-t", "python-urllib", "-t", "r").exit_code == 0
    before = files_of(out)
    (out / "notes.txt").write_text("mine")
    result = run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python-urllib")
    assert result.exit_code == 0, result.output
    assert "0 removed" in result.output
    result = run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python", "--operation", "execute")
    assert result.exit_code == 0, result.output
    assert "0 removed" in result.output
    after = files_of(out)
    assert set(after) == set(before) | {"notes.txt"}
    assert all(after[rel] == before[rel] for rel in before if rel not in ("README.md", "manifest.json"))
    manifest = json.loads((out / "manifest.json").read_text())
    assert set(manifest["files"]) == set(before)
    assert len(manifest["operations"]) == 6
    assert all(len(op["files"]) == 4 for op in manifest["operations"])
    # the folder is up to date for the same filter
    result = run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python", "--operation", "execute", "--check")
    assert result.exit_code == 0, result.output


def two_operations(tmp_path: Path, *, with_second: bool = True) -> Path:
    src = tmp_path / "two.yaml"
    second = """  /b:
    get:
      operationId: second
      responses: {'200': {description: ok}}
""" if with_second else ""
    src.write_text(f"""openapi: 3.0.3
info: {{title: Two, version: '1'}}
servers: [{{url: 'https://example.com'}}]
paths:
  /a:
    get:
      operationId: first
      responses: {{'200': {{description: ok}}}}
{second}""")
    return src


def test_edited_sample_survives_regeneration(runner, tmp_path):
    out = tmp_path / "out"
    assert run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python").exit_code == 0
    sample = out / "python" / "execute.py"
    edited = sample.read_text() + "print('my own line')\n"
    sample.write_text(edited)
    before = files_of(out)
    result = run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python", "--base-url", "https://x.example")
    assert result.exit_code == 2
    assert str(Path("python") / "execute.py") in result.output
    assert "submitjob.py" not in result.output
    assert "--force" in result.output and "--templates" in result.output
    assert "Traceback" not in result.output
    assert files_of(out) == before  # nothing at all was written
    result = run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python", "--base-url", "https://x.example",
                 "--force")
    assert result.exit_code == 0, result.output
    assert "my own line" not in sample.read_text()
    assert "https://x.example" in sample.read_text()


def test_removed_operation_files_go_unless_edited(runner, tmp_path):
    out = tmp_path / "out"
    src = two_operations(tmp_path)
    assert run(runner, "generate", str(src), "-o", str(out), "-t", "python", "-t", "r").exit_code == 0
    two_operations(tmp_path, with_second=False)
    # left out of a filtered run, first: still there; then gone from the definition: removed
    result = run(runner, "generate", str(src), "-o", str(out), "-t", "python")
    assert result.exit_code == 0, result.output
    assert "2 removed" in result.output
    assert not (out / "python" / "second.py").exists() and not (out / "r" / "second.R").exists()
    assert (out / "r" / "first.R").is_file()
    # the same with an edited sample: refused, kept, then removed with --force
    src = two_operations(tmp_path)
    assert run(runner, "generate", str(src), "-o", str(out), "-t", "python").exit_code == 0
    (out / "python" / "second.py").write_text("# mine now\n")
    two_operations(tmp_path, with_second=False)
    result = run(runner, "generate", str(src), "-o", str(out), "-t", "python")
    assert result.exit_code == 2 and "second.py" in result.output
    assert (out / "python" / "second.py").read_text() == "# mine now\n"
    assert run(runner, "generate", str(src), "-o", str(out), "-t", "python", "--force").exit_code == 0
    assert not (out / "python" / "second.py").exists()


def test_operation_left_out_is_kept(runner, tmp_path):
    out = tmp_path / "out"
    src = two_operations(tmp_path)
    assert run(runner, "generate", str(src), "-o", str(out), "-t", "python").exit_code == 0
    result = run(runner, "generate", str(src), "-o", str(out), "-t", "python", "--operation", "first")
    assert result.exit_code == 0 and "0 removed" in result.output
    assert (out / "python" / "second.py").is_file()


def test_check(runner, tmp_path):
    out = tmp_path / "out"
    src = two_operations(tmp_path)
    result = run(runner, "generate", str(src), "-o", str(out), "-t", "python", "--check")
    assert result.exit_code == 1
    assert "missing python/first.py" in result.output.splitlines()
    assert not out.exists()
    assert run(runner, "generate", str(src), "-o", str(out), "-t", "python").exit_code == 0
    result = run(runner, "generate", str(src), "-o", str(out), "-t", "python", "--check")
    assert result.exit_code == 0 and result.output == ""
    (out / "python" / "first.py").write_text("# edited\n")
    (out / "python" / "requirements.txt").unlink()
    two_operations(tmp_path, with_second=False)
    before = files_of(out)
    result = run(runner, "generate", str(src), "-o", str(out), "-t", "python", "--check")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "changed python/first.py" in lines
    assert "missing python/requirements.txt" in lines
    assert "extra python/second.py" in lines
    assert files_of(out) == before
    result = run(runner, "generate", str(tmp_path / "nope.yaml"), "-o", str(out), "--check")
    assert result.exit_code == 2


def test_summary_plurals(runner, tmp_path):
    out = tmp_path / "out"
    result = run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python", "--operation", "execute")
    assert result.output.startswith("1 operation x 1 target: wrote 4 files")
    (out / "python" / "execute.py").unlink()
    result = run(runner, "generate", str(AZURE), "-o", str(out), "-t", "python", "--operation", "execute")
    assert "wrote 1 file to" in result.output


def test_manifest_lists_each_generated_file_once(runner, tmp_path):
    out = tmp_path / "out"
    assert run(runner, "generate", str(PETSTORE), "-o", str(out)).exit_code == 0
    text = (out / "manifest.json").read_text()
    assert text.count('"README.md"') == 1
    assert set(json.loads(text)["files"]) == set(files_of(out))


def test_index_table_rows_have_no_trailing_space(runner, tmp_path):
    out = tmp_path / "out"
    assert run(runner, "generate", str(PETSTORE), "-o", str(out)).exit_code == 0
    rows = [line for line in (out / "README.md").read_text().splitlines() if line.startswith("|")]
    assert len(rows) > 10
    assert all(row.endswith("|") for row in rows)


def test_help_lists_every_command_in_full(runner):
    result = run(runner, "--help")
    commands = result.output.split("Commands:")[1]
    assert "..." not in commands
    assert len([line for line in commands.splitlines() if line.strip()]) == 4


def test_targets_columns_line_up(runner):
    lines = run(runner, "targets").output.strip().splitlines()
    assert len({line.index("templates: ") for line in lines}) == 1
    assert len({line.index(line.split()[1]) for line in lines}) == 1


TINY = """openapi: 3.0.3
info: {title: Tiny, version: '1'}
servers: [{url: 'https://example.com'}]
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}, example: zebra-123}
      responses: {'200': {description: ok}}
"""


def test_verify_keep_with_a_relative_folder(runner, tmp_path, monkeypatch):
    (tmp_path / "tiny.yaml").write_text(TINY)
    monkeypatch.chdir(tmp_path)
    result = run(runner, "verify", "tiny.yaml", "-t", "python", "--no-prism", "--keep", "kept/python")
    assert result.exit_code == 0, result.output
    assert "1 matched" in result.output
    assert (tmp_path / "kept" / "python" / "python" / "get_item.py").is_file()
    # the kept folder is written like generate's output: an edited sample is not overwritten
    (tmp_path / "kept" / "python" / "python" / "get_item.py").write_text("# mine\n")
    result = run(runner, "verify", "tiny.yaml", "-t", "python", "--no-prism", "--keep", "kept/python")
    assert result.exit_code == 2 and "get_item.py" in result.output
    assert "--force" not in result.output  # verify has no such option
    assert (tmp_path / "kept" / "python" / "python" / "get_item.py").read_text() == "# mine\n"


def test_verify_reads_standard_input(runner):
    result = run(runner, "verify", "-", "-t", "python", "--no-prism", input=TINY)
    assert result.exit_code == 0, result.output
    assert "python: 1 run, 1 matched, 0 failed" in result.output
    assert "<stdin>" in result.output


def test_operation_skipped_in_lenient_mode_keeps_its_samples(runner, tmp_path):
    out = tmp_path / "out"
    src = tmp_path / "skips.yaml"
    good = """openapi: 3.0.3
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
        - {name: "X-Header", in: header, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
"""
    src.write_text(good)
    assert run(runner, "generate", str(src), "-o", str(out), "-t", "python").exit_code == 0
    src.write_text(good.replace("X-Header", "X Bad Header"))
    result = run(runner, "generate", str(src), "-o", str(out), "-t", "python", "--lenient")
    assert result.exit_code == 0, result.output
    assert "X Bad Header" in result.output and "0 removed" in result.output
    assert (out / "python" / "bad.py").is_file()
    assert "python/bad.py" in json.loads((out / "manifest.json").read_text())["files"]
