"""The project file (samplegen.toml, [tool.samplegen] in pyproject.toml, --config), `samplegen
init`, and the filters --tag / --exclude-tag / --exclude-operation."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
AZURE = ROOT / "specs" / "azureml-adult-income.json"
PETSTORE = ROOT / "specs" / "petstore.yaml"

TWO_APIS = """\
# two services
[[api]]
definition = "specs/azureml-adult-income.json"
output = "docs/samples/azureml"
targets = ["python", "r"]
formats = ["programs"]
base_url = "https://example.net/ws"
exclude_operations = ["getSwaggerDocument"]

[[api]]
name = "pets"
definition = "specs/petstore.yaml"
output = "docs/samples/petstore"
targets = ["python", "curl"]
include_tags = ["pets"]
"""


@pytest.fixture()
def repo(tmp_path, monkeypatch) -> Path:
    """A docs repository: the two definitions in specs/, the current folder."""
    (tmp_path / "specs").mkdir()
    shutil.copy(AZURE, tmp_path / "specs")
    shutil.copy(PETSTORE, tmp_path / "specs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_two_apis_generate_and_check(repo):
    (repo / "samplegen.toml").write_text(TWO_APIS, encoding="utf-8")
    result = run("generate")
    assert result.exit_code == 0, result.output
    azure, pets = repo / "docs/samples/azureml", repo / "docs/samples/petstore"
    assert manifest(azure)["targets"] == ["python", "r"]
    assert "getSwaggerDocument" not in [op["id"] for op in manifest(azure)["operations"]]
    assert "https://example.net/ws" in (azure / "python" / "execute.py").read_text(encoding="utf-8")
    assert manifest(pets)["targets"] == ["python", "curl"]
    pet_ops = {op["id"] for op in manifest(pets)["operations"]}
    assert "listPets" in pet_ops and "get_store_inventory" not in pet_ops  # tagged "store"
    assert result.stdout.startswith("azureml-adult-income: 5 operations x 2 targets")
    assert "\npets: " in result.stdout

    check = run("generate", "--check")
    assert check.exit_code == 0, check.output
    assert check.stdout == ""

    (azure / "python" / "execute.py").write_text("edited\n", encoding="utf-8")
    (pets / "python" / "list_pets.py").unlink()
    check = run("generate", "--check")
    assert check.exit_code == 1
    assert check.stdout.splitlines() == [
        f"changed {Path('docs/samples/azureml/python/execute.py')}",
        f"missing {Path('docs/samples/petstore/python/list_pets.py')}"]


def test_found_from_a_subfolder_paths_relative_to_the_file(repo, monkeypatch):
    (repo / "samplegen.toml").write_text(TWO_APIS, encoding="utf-8")
    sub = repo / "docs" / "deep"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert run("generate", "--api", "pets").exit_code == 0
    assert (repo / "docs/samples/petstore/manifest.json").is_file()
    assert not (repo / "docs/samples/azureml").exists()
    assert not (sub / "docs").exists()


def test_pyproject_tool_table(repo, monkeypatch):
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "docs"\n\n[[tool.samplegen.api]]\ndefinition = "specs/petstore.yaml"\n'
        'output = "out/pets"\ntargets = ["python"]\nbogus = 1\n', encoding="utf-8")
    result = run("generate")
    assert result.exit_code == 2
    assert "pyproject.toml:8: api[0].bogus: unknown key" in result.stderr
    text = (repo / "pyproject.toml").read_text(encoding="utf-8").replace("bogus = 1\n", "")
    (repo / "pyproject.toml").write_text(text, encoding="utf-8")
    assert run("generate").exit_code == 0
    assert manifest(repo / "out/pets")["targets"] == ["python"]


def test_samplegen_toml_wins_over_pyproject(repo):
    (repo / "pyproject.toml").write_text('[tool.samplegen]\napi = "not even a list"\n', encoding="utf-8")
    (repo / "samplegen.toml").write_text(TWO_APIS, encoding="utf-8")
    assert run("generate", "--api", "pets", "-q").exit_code == 0


def test_explicit_config_and_unknown_api(repo):
    (repo / "conf").mkdir()
    (repo / "conf" / "samples.toml").write_text(
        '[[api]]\ndefinition = "../specs/petstore.yaml"\noutput = "../out"\ntargets = ["python"]\n', encoding="utf-8")
    assert run("generate", "--config", "conf/samples.toml").exit_code == 0
    assert (repo / "out" / "python" / "list_pets.py").is_file()
    result = run("generate", "--config", "conf/samples.toml", "--api", "nope")
    assert result.exit_code == 2 and "no API named 'nope'" in result.stderr and "petstore" in result.stderr


@pytest.mark.parametrize("text, line, key", [
    ('[[api]]\ndefinition = "specs/petstore.yaml"\noutput = "o"\ntarget = ["python"]\n', 4, "api[0].target"),
    ('[[api]]\ndefinition = "specs/petstore.yaml"\noutput = "o"\n\n[[api]]\ndefinition = "specs/nope.json"\n'
     'output = "p"\n', 6, "api[1].definition"),
    ('[[api]]\ndefinition = "specs/petstore.yaml"\noutput = "o"\nlenient = "yes"\n', 4, "api[0].lenient"),
    ('[[api]]\ndefinition = "specs/petstore.yaml"\noutput = "o"\ntargets = ["python", "cobol"]\n', 4,
     "api[0].targets[1]"),
    ('[[api]]\ndefinition = "specs/petstore.yaml"\n', 1, "api[0].output"),
    ('[[api]]\ndefinition = "specs/petstore.yaml"\noutput = "o"\ntemplates = "missing"\n', 4, "api[0].templates"),
    ('apis = []\n', 1, "apis"),
    ('[[api]]\ndefinition = "specs/petstore.yaml"\noutput = "o"\n[[api]]\ndefinition = "specs/petstore.yaml"\n'
     'output = "p"\n', 5, "api[1].definition"),  # the same name twice
    ('[[api]]\ndefinition = "specs/petstore.yaml"\noutput = "o"\n[[api]]\nname = "b"\n'
     'definition = "specs/azureml-adult-income.json"\noutput = "o/"\n', 7, "api[1].output"),  # one folder
    ('[[api]]\ndefinition = "specs/petstore.yaml"\noutput = "o/pets"\n[[api]]\nname = "b"\n'
     'definition = "specs/azureml-adult-income.json"\noutput = "o"\n', 7, "api[1].output"),  # nested
])
def test_bad_config_is_exit_2_naming_file_line_and_key(repo, text, line, key):
    (repo / "samplegen.toml").write_text(text, encoding="utf-8")
    result = run("generate")
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"error: {Path('samplegen.toml')}:{line}: {key}: "), result.stderr
    assert "Traceback" not in result.output
    assert not (repo / "o").exists() and not (repo / "p").exists()  # nothing ran


def test_toml_syntax_error_names_the_line(repo):
    (repo / "samplegen.toml").write_text('[[api]]\ndefinition = "specs/petstore.yaml"\noutput = \n', encoding="utf-8")
    result = run("generate")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {Path('samplegen.toml')}:3: ")


def test_no_config_and_no_definition(repo):
    result = run("generate")
    assert result.exit_code == 2
    assert "samplegen.toml" in result.stderr and "samplegen init" in result.stderr


def test_command_line_overrides_the_file(repo):
    (repo / "samplegen.toml").write_text(TWO_APIS, encoding="utf-8")
    assert run("generate", "-t", "python", "--operation", "listPets", "--api", "pets").exit_code == 0
    data = manifest(repo / "docs/samples/petstore")
    assert data["targets"] == ["python"] and [op["id"] for op in data["operations"]] == ["listPets"]
    result = run("generate", "-o", "elsewhere")
    assert result.exit_code == 2 and "--api NAME" in result.stderr
    assert run("generate", "-o", "elsewhere", "--api", "pets").exit_code == 0
    assert (repo / "elsewhere" / "manifest.json").is_file()
    result = run("generate", str(PETSTORE), "--api", "pets")
    assert result.exit_code == 2


MIXED = """\
[[api]]
definition = "specs/azureml-adult-income.json"
output = "docs/samples/azureml"
targets = ["python", "r"]
formats = ["programs", "markdown", "redoc"]

[[api]]
name = "pets"
definition = "specs/petstore.yaml"
output = "docs/pets"
targets = ["python", "curl"]
formats = ["mkdocs", "html"]
"""


def test_mixed_formats_generate_and_check(repo):
    (repo / "samplegen.toml").write_text(MIXED, encoding="utf-8")
    result = run("generate")
    assert result.exit_code == 0, result.output
    azure, pets = repo / "docs/samples/azureml", repo / "docs/pets"
    assert (azure / "python" / "execute.py").is_file()
    docs = manifest(azure / "docs")  # the docs formats beside the programs, in docs/
    assert docs["targets"] == ["docs:markdown", "docs:redoc"]
    assert (azure / "docs" / "README.md").is_file()
    assert sorted(manifest(pets)["targets"]) == ["docs:html", "docs:mkdocs"]
    assert not (pets / "python").exists()  # no programs for this one
    assert run("generate", "--check").exit_code == 0
    assert run("docs", "--check").exit_code == 0

    (pets / "index.html").write_text("edited\n", encoding="utf-8")
    for command in ("generate", "docs"):
        check = run(command, "--check")
        assert check.exit_code == 1
        assert check.stdout.splitlines() == [f"changed {Path('docs/pets/index.html')}"]
    # docs runs only the docs formats: the samples are not rewritten
    (azure / "python" / "execute.py").unlink()
    assert run("docs", "--force").exit_code == 0
    assert not (azure / "python" / "execute.py").exists()
    assert run("docs", "--check").exit_code == 0


def test_docs_without_docs_formats_is_exit_2(repo):
    (repo / "samplegen.toml").write_text(TWO_APIS, encoding="utf-8")
    result = run("docs", "--check")
    assert result.exit_code == 2 and "samplegen.toml" in result.stderr and "formats" in result.stderr


def test_docs_output_key(repo):
    (repo / "samplegen.toml").write_text(MIXED.replace('output = "docs/pets"\n', 'output = "docs/pets"\n'
                                                       'docs_output = "site/pets"\n'), encoding="utf-8")
    assert run("docs", "--api", "pets").exit_code == 0
    assert (repo / "site" / "pets" / "index.html").is_file() and not (repo / "docs" / "pets").exists()


def test_init_writes_a_starter_that_works(repo):
    (repo / "specs" / "not-a-definition.json").write_text('{"name": "x"}', encoding="utf-8")
    (repo / "specs" / "notes.yaml").write_text("- a\n", encoding="utf-8")
    result = run("init")
    assert result.exit_code == 0, result.output
    text = (repo / "samplegen.toml").read_text(encoding="utf-8")
    assert 'definition = "specs/azureml-adult-income.json"' in text
    assert 'definition = "specs/petstore.yaml"' in text
    assert "not-a-definition" not in text and "notes" not in text
    assert text.splitlines().count("[[api]]") == 2 and "# include_tags" in text
    assert run("generate", "-q").exit_code == 0
    assert (repo / "samples" / "petstore" / "manifest.json").is_file()
    assert run("generate", "--check").exit_code == 0
    again = run("init")
    assert again.exit_code == 2
    assert (repo / "samplegen.toml").read_text(encoding="utf-8") == text


# -- filters ------------------------------------------------------------------------------------


def test_tag_filters_on_generate(tmp_path):
    out = tmp_path / "out"
    result = run("generate", str(AZURE), "-o", str(out), "-t", "python", "--tag", "Batch Execution",
                 "--exclude-operation", "canceljob")
    assert result.exit_code == 0, result.output
    assert [op["id"] for op in manifest(out)["operations"]] == ["submitjob", "startjob", "getjobstatus"]
    result = run("generate", str(AZURE), "-o", str(tmp_path / "o2"), "-t", "python",
                 "--exclude-tag", "Batch Execution", "--exclude-tag", "Documentation")
    assert [op["id"] for op in manifest(tmp_path / "o2")["operations"]] == ["execute"]


def test_a_filtered_run_removes_nothing(tmp_path):
    out = tmp_path / "out"
    assert run("generate", str(AZURE), "-o", str(out), "-t", "python").exit_code == 0
    samples = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.parent != out}
    for args in (["--tag", "Documentation"], ["--exclude-tag", "Batch Execution"],
                 ["--exclude-operation", "execute"]):
        result = run("generate", str(AZURE), "-o", str(out), "-t", "python", *args)
        assert result.exit_code == 0 and "0 removed" in result.stdout, result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.parent != out} == samples
    assert len(manifest(out)["operations"]) == 6


def test_unknown_tag_or_operation_is_exit_2(tmp_path):
    result = run("generate", str(PETSTORE), "-o", str(tmp_path / "o"), "--tag", "petz")
    assert result.exit_code == 2 and "'petz'" in result.stderr and "pets" in result.stderr
    result = run("list", str(PETSTORE), "--exclude-operation", "nope")
    assert result.exit_code == 2 and "'nope'" in result.stderr
    assert not (tmp_path / "o").exists()


def test_list_filters(tmp_path):
    result = run("list", str(PETSTORE), "--tag", "store")
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["get_store_inventory"]
    result = run("list", str(AZURE), "--exclude-tag", "Batch Execution", "--exclude-operation", "execute")
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["getSwaggerDocument"]


def test_skipped_operations_follow_the_filters(tmp_path):
    src = tmp_path / "skips.yaml"
    src.write_text("""openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /ok:
    get:
      operationId: ok
      tags: [a]
      responses: {'200': {description: ok}}
  /bad:
    get:
      operationId: bad
      tags: [b]
      parameters:
        - {name: "X Bad Header", in: header, required: true, schema: {type: string}}
      responses: {'200': {description: ok}}
""")
    with_bad = run("generate", str(src), "-o", str(tmp_path / "o"), "--lenient", "-t", "python", "--tag", "b")
    assert with_bad.exit_code == 4 and "skipped bad" in with_bad.stderr
    without = run("generate", str(src), "-o", str(tmp_path / "p"), "--lenient", "-t", "python", "--tag", "a")
    assert without.exit_code == 0 and "skipped" not in without.stderr
