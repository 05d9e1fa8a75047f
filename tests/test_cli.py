"""The `samplegen` command: every command, option and exit code, through click's CliRunner."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import __version__
from generator.cli import cli
from generator.languages import REGISTRY

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


@pytest.mark.parametrize("command", [[], ["generate"], ["list"], ["targets"], ["verify"], ["init"]])
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
    assert (out / "csharp" / "Execute" / "Helpers.cs").is_file()
    assert (out / "csharp" / "Execute" / "Execute.csproj").is_file()
    assert (out / "python" / "execute.py").is_file()
    assert (out / "python" / "requirements.txt").is_file()
    assert (out / "r" / "execute.R").is_file()
    assert (out / "README.md").is_file()
    assert not (out / "python-urllib").exists()
    assert "wrote 33 files" in result.output


def test_generate_again_rewrites_nothing(runner, tmp_path):
    out = tmp_path / "out"
    run(runner, "generate", str(AZURE), "-o", str(out))
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    result = run(runner, "generate", str(AZURE), "-o", str(out))
    assert result.exit_code == 0
    assert "wrote 0 files" in result.output and "33 unchanged" in result.output
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
    assert names == [lang.name for lang in REGISTRY]
    for line in result.output.strip().splitlines():
        folder = Path(line.split("templates: ")[1])
        assert folder.is_dir()


def test_user_templates_override_builtin(runner, tmp_path):
    custom = tmp_path / "tpl" / "python"
    custom.mkdir(parents=True)
    (custom / "program.py.j2").write_text("# custom sample for {{ op.id }}\n")
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
    assert len([line for line in commands.splitlines() if line.strip()]) == len(cli.commands)


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


@pytest.mark.live
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


@pytest.mark.live
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
    assert result.exit_code == 4, result.output
    assert "X Bad Header" in result.output and "0 removed" in result.output
    assert (out / "python" / "bad.py").is_file()
    assert "python/bad.py" in json.loads((out / "manifest.json").read_text())["files"]


# --------------------------------------------------------------------------- lenient, per operation

DANGLING = """openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /sign:
    post:
      operationId: sign
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Envelope'}
      responses: {'200': {description: ok}}
  /sign/{id}:
    put:
      operationId: resign
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                doc: {$ref: '#/components/schemas/signHashDocument'}
      responses: {'200': {description: ok}}
  /verify:
    get:
      operationId: verifySignature
      parameters:
        - $ref: '#/components/parameters/Missing'
      responses: {'200': {description: ok}}
  /ping:
    get:
      operationId: ping
      responses: {'200': {description: ok}}
  /status:
    get:
      operationId: status
      parameters:
        - {name: q, in: query, required: true, schema: {type: string, example: up}}
      responses: {'200': {description: ok}}
components:
  schemas:
    Envelope:
      type: object
      properties:
        doc: {$ref: '#/components/schemas/signHashDocument'}
"""


def test_lenient_skips_only_the_operations_that_reach_a_dangling_ref(runner, tmp_path):
    src = tmp_path / "api.yaml"
    src.write_text(DANGLING)
    strict = run(runner, "generate", str(src), "-o", str(tmp_path / "s"), "-t", "python")
    assert strict.exit_code == 2
    assert strict.stderr.startswith(f"error: {src}:")
    assert "points to nothing" in strict.stderr and "--lenient" in strict.stderr
    assert not (tmp_path / "s").exists()

    out = tmp_path / "o"
    result = run(runner, "generate", str(src), "-o", str(out), "--lenient", "-t", "python")
    assert result.exit_code == 4, result.output
    skipped = [ln for ln in result.stderr.splitlines() if ln.startswith("skipped ")]
    assert skipped == [
        f"skipped sign: $ref '#/components/schemas/signHashDocument' points to nothing, at {src}:46:9 "
        "#/components/schemas/Envelope/properties/doc",
        f"skipped resign: $ref '#/components/schemas/signHashDocument' points to nothing, at {src}:23:17 "
        "#/paths/~1sign~1{id}/put/requestBody/content/application~1json/schema/properties/doc",
        f"skipped verifySignature: $ref '#/components/parameters/Missing' points to nothing, at {src}:29:11 "
        "#/paths/~1verify/get/parameters/0",
    ]
    assert sorted(p.name for p in (out / "python").iterdir()) == ["ping.py", "requirements.txt", "status.py"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert [op["id"] for op in manifest["operations"]] == ["ping", "status"]
    assert [(s["id"], s["method"], s["path"]) for s in manifest["skipped"]] == [
        ("sign", "POST", "/sign"), ("resign", "PUT", "/sign/{id}"), ("verifySignature", "GET", "/verify")]
    assert manifest["skipped"][2]["location"] == "/paths/~1verify/get/parameters/0"
    index = (out / "README.md").read_text()
    assert "## Skipped operations" in index
    assert "| verifySignature | GET | `/verify` | $ref '#/components/parameters/Missing' points to nothing |" in index


def test_asking_for_a_skipped_operation_lists_it(runner, tmp_path):
    src = tmp_path / "api.yaml"
    src.write_text(DANGLING)
    result = run(runner, "generate", str(src), "-o", str(tmp_path / "o"), "--lenient", "-t", "python",
                 "--operation", "verifySignature", "--operation", "ping")
    assert result.exit_code == 4
    assert [ln.split(":")[0] for ln in result.stderr.splitlines() if ln.startswith("skipped ")] == [
        "skipped verifySignature"]
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert [op["id"] for op in manifest["operations"]] == ["ping"]
    assert [s["id"] for s in manifest["skipped"]] == ["verifySignature"]


def test_a_valid_definition_has_no_skipped_section(runner, tmp_path):
    out = tmp_path / "o"
    assert run(runner, "generate", str(PETSTORE), "-o", str(out), "-t", "python").exit_code == 0
    assert "skipped" not in json.loads((out / "manifest.json").read_text())
    assert "Skipped operations" not in (out / "README.md").read_text()


def test_list_lenient_lists_the_skipped_operations_exit_4(runner, tmp_path):
    src = tmp_path / "api.yaml"
    src.write_text(DANGLING)
    assert run(runner, "list", str(src)).exit_code == 2
    result = run(runner, "list", str(src), "--lenient")
    assert result.exit_code == 4
    assert [ln.split()[0] for ln in result.stdout.splitlines()] == ["ping", "status"]
    assert f"skipped verifySignature: $ref '#/components/parameters/Missing' points to nothing, at {src}:29:11 " \
           "#/paths/~1verify/get/parameters/0" in result.stderr.splitlines()


def test_a_fault_samplegen_cannot_read_costs_only_its_operation_in_lenient_mode(runner, tmp_path):
    src = tmp_path / "api.yaml"
    src.write_text("""openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /odd:
    get:
      operationId: odd
      tags: 5
      responses: {'200': {description: ok}}
  /ping:
    get:
      operationId: ping
      responses: {'200': {description: ok}}
""")
    result = run(runner, "generate", str(src), "-o", str(tmp_path / "o"), "--lenient", "-t", "python")
    assert result.exit_code == 4
    line = next(ln for ln in result.stderr.splitlines() if ln.startswith("skipped "))
    assert line.startswith("skipped odd: samplegen could not read it (TypeError")
    assert line.endswith(f", at {src}:5:5 #/paths/~1odd/get")
    assert (tmp_path / "o" / "python" / "ping.py").is_file()


DUPLICATE_ID = """openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /metrics:
    get:
      operationId: GetEMetrics
      operationId: getEMetrics
      responses: {'200': {description: ok}}
  /ping:
    get:
      operationId: ping
      responses: {'200': {description: ok}}
"""


def test_duplicate_operation_id_key_strict_error_lenient_warning(runner, tmp_path):
    src = tmp_path / "api.yaml"
    src.write_text(DUPLICATE_ID)
    strict = run(runner, "generate", str(src), "-o", str(tmp_path / "s"), "-t", "python")
    assert strict.exit_code == 2
    assert strict.stderr.startswith(f"error: {src}:7:7 #/paths/~1metrics/get/operationId: duplicate key "
                                    "'operationId' at line 6 and line 7")
    assert "--lenient" in strict.stderr
    result = run(runner, "generate", str(src), "-o", str(tmp_path / "o"), "--lenient", "-t", "python")
    assert result.exit_code == 0, result.output
    assert (f"warning: {src}:7:7 #/paths/~1metrics/get/operationId: duplicate key 'operationId' at line 6 "
            "and line 7: the value at line 7 (the last) is kept") in result.stderr.splitlines()
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert [op["id"] for op in manifest["operations"]] == ["getEMetrics", "ping"]


WHAPI = """openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /translate:
    get:
      operationId: translate
      parameters:
        - $ref: '#/components/parameters/param_languageAsPerTerritory'
      responses: {'200': {description: ok}}
components:
  parameters:
    param_languageAsPerTerritory:
      name: language
      in: query
      schema:
        type: string
        enum: [en, fr]
        default: de
"""


@pytest.mark.parametrize("full", [[], ["--full-validation"]], ids=["fast", "full"])
def test_a_default_that_contradicts_its_schema_is_placed_at_the_node(runner, tmp_path, full):
    src = tmp_path / "whapi.yaml"
    src.write_text(WHAPI)
    result = run(runner, "generate", str(src), "-o", str(tmp_path / "o"), "-t", "python", "--no-cache", *full)
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {src}:18:9 #/components/parameters/param_languageAsPerTerritory/schema/default: ")


@pytest.mark.parametrize("command", [["generate", "-t", "python"], ["list"]])
def test_full_validation_runs_openapi_spec_validator_and_caches_apart(runner, tmp_path, monkeypatch, command):
    from generator import validate

    calls = []
    for name in ("_run_validator", "_run_fast"):
        real = getattr(validate, name)
        monkeypatch.setattr(validate, name, lambda *a, _real=real, _name=name: calls.append(_name) or _real(*a))
    monkeypatch.setenv("SAMPLEGEN_CACHE_DIR", str(tmp_path / "cache"))
    src = tmp_path / "api.yaml"
    src.write_text(WHAPI.replace("default: de", "default: en"))
    out = ["-o", str(tmp_path / "o")] if command[0] == "generate" else []
    for extra in ([], ["--full-validation"], [], ["--full-validation"]):
        assert run(runner, *command, str(src), *out, *extra).exit_code == 0
    assert calls == ["_run_fast", "_run_validator"]  # then both verdicts come from the cache


def test_a_parameter_with_an_unknown_in_names_the_allowed_places(runner, tmp_path):
    src = tmp_path / "api.yaml"
    src.write_text(WHAPI.replace("in: query", "in: pth"))
    result = run(runner, "generate", str(src), "-o", str(tmp_path / "o"), "-t", "python", "--no-cache")
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first == (f"error: {src}:14:7 #/components/parameters/param_languageAsPerTerritory/in: "
                     '`in` is "pth"; it must be one of path, query, header, cookie')


def test_an_ecma_pattern_python_cannot_read_is_a_warning(runner, tmp_path):
    src = tmp_path / "api.yaml"
    src.write_text(WHAPI.replace("enum: [en, fr]\n        default: de", r"pattern: '^\p{L}+$'"))
    out = tmp_path / "o"
    result = run(runner, "generate", str(src), "-o", str(out), "-t", "python", "--no-cache")
    assert result.exit_code == 0, result.output
    warnings = [ln for ln in result.stderr.splitlines() if "ECMA-262" in ln]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"warning: {src}:17:9 #/components/parameters/param_languageAsPerTerritory/schema/pattern:")
    assert (out / "python" / "translate.py").is_file()


@pytest.mark.parametrize("command", [["generate", "-t", "python"], ["list"], ["verify", "--no-prism", "-t", "python"]])
def test_max_size_is_an_option_and_the_message_names_it(runner, tmp_path, command):
    src = tmp_path / "big.yaml"
    src.write_text(PETSTORE.read_text() + "x-pad: '" + "x" * (1024 * 1024) + "'\n")
    out = ["-o", str(tmp_path / "o")] if command[0] == "generate" else []
    small = run(runner, command[0], str(src), *command[1:], *out, "--max-size", "1")
    assert small.exit_code == 2
    assert "definitions larger than 1 MiB are refused (--max-size 2 (MiB) raises the limit)" in small.stderr
    if command[0] != "verify":
        assert run(runner, command[0], str(src), *command[1:], *out, "--max-size", "2").exit_code == 0


def test_max_size_must_be_positive(runner, tmp_path):
    result = run(runner, "generate", str(PETSTORE), "-o", str(tmp_path / "o"), "--max-size", "0")
    assert result.exit_code == 2


@pytest.mark.parametrize("text, line, what", [
    ("# {{ op.id }}\n{% if %}\n", 2, "template syntax error"),
    ("# {{ op.id }}\n\n# {{ op.no_such_thing.deeper }}\n", 3, "template error (undefined variable)"),
])
def test_an_error_in_a_user_template_is_bad_input_at_its_line(runner, tmp_path, text, line, what):
    custom = tmp_path / "tpl" / "python"
    custom.mkdir(parents=True)
    (custom / "program.py.j2").write_text(text)
    result = run(runner, "generate", str(AZURE), "-o", str(tmp_path / "o"), "-t", "python",
                 "--templates", str(tmp_path / "tpl"))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {custom / 'program.py.j2'}:{line}: {what}")
    assert not (tmp_path / "o").exists()


def test_an_error_in_a_user_index_template_is_bad_input_too(runner, tmp_path):
    common = tmp_path / "tpl" / "common"
    common.mkdir(parents=True)
    (common / "README.md.j2").write_text("# {{ api.title }}\n{{ nothing_here }}\n")
    result = run(runner, "generate", str(AZURE), "-o", str(tmp_path / "o"), "-t", "python",
                 "--templates", str(tmp_path / "tpl"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {common / 'README.md.j2'}:2: template error (undefined variable)")


def test_a_dangling_ref_no_sample_needs_is_only_a_warning(runner, tmp_path):
    src = tmp_path / "api.yaml"
    src.write_text("""openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Gone'}
""")
    result = run(runner, "generate", str(src), "-o", str(tmp_path / "o"), "--lenient", "-t", "python")
    assert result.exit_code == 0
    assert (f"warning: {src}:12:15 #/paths/~1a/get/responses/200/content/application~1json/schema: "
            "$ref '#/components/schemas/Gone' points to nothing") in result.stderr.splitlines()
    assert (tmp_path / "o" / "python" / "get_a.py").is_file()


def test_an_unreadable_part_outside_the_operations_names_lenient(runner, tmp_path):
    src = tmp_path / "api.yaml"
    src.write_text("""swagger: '2.0'
info: {title: T, version: '1'}
securityDefinitions: [not, a, mapping]
paths:
  /a:
    get:
      responses: {'200': {description: ok}}
""")
    from generator.api import Options, generate
    from generator.errors import SpecError
    from generator.loader import load_document

    doc = load_document(str(src))
    with pytest.raises(SpecError) as info:  # the validator would refuse it first; the normalizer too
        generate(doc.data, version=doc.version, options=Options(targets=("python",)), source=str(src))
    assert "--lenient" in info.value.format()
    result = generate(doc.data, version=doc.version, options=Options(targets=("python",), lenient=True),
                      source=str(src))
    assert [op.id for op in result.model.operations] == ["get_a"]
    assert any(d.location.endswith("#/securityDefinitions") for d in result.diagnostics)
