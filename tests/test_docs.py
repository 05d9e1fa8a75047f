"""``samplegen docs``: every format written, every operation in each with every language;
the redoc format changes nothing but x-codeSamples; re-runs replace our samples and keep
others'; --check and safe regeneration as ``generate`` has them; escaping of what the
definition says."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.api import Options
from generator.cli import cli
from generator.docs import build, build_path
from generator.docs.redoc import KEY, MARK, split
from generator.docs.text import fence, md_code, md_inline, script_json
from generator.languages import REGISTRY, TARGETS

ROOT = Path(__file__).resolve().parent.parent
AZUREML = ROOT / "specs" / "azureml-adult-income.json"
PETSTORE = ROOT / "specs" / "petstore.yaml"
SHOP = ROOT / "tests" / "golden-docs" / "shop" / "definition.yaml"
ALL = ("markdown", "mkdocs", "redoc", "html")


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def without_samples(node):
    if isinstance(node, dict):
        return {k: without_samples(v) for k, v in node.items() if k != KEY}
    if isinstance(node, list):
        return [without_samples(v) for v in node]
    return node


def operations_of(data: dict):
    for path, item in data["paths"].items():
        for method, op in item.items():
            if method in ("get", "put", "post", "delete", "patch", "head", "options", "trace"):
                yield path, method, op


def html_data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="api-data">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_every_format_lists_every_operation_in_every_language(tmp_path):
    out = tmp_path / "docs"
    result = run("docs", str(AZUREML), "-o", str(out), *[a for f in ALL for a in ("--format", f)])
    assert result.exit_code == 0, result.output
    result_model = build_path(AZUREML).model
    ids = [op.id for op in result_model.operations]
    assert len(ids) >= 5
    titles = [lang.label for lang in REGISTRY]
    pages = {p.name: p.read_text(encoding="utf-8") for p in out.glob("*.md")}
    mkdocs_pages = {p.name: p.read_text(encoding="utf-8") for p in (out / "mkdocs" / "docs").glob("*.md")}
    assert "README.md" in pages and "index.md" in mkdocs_pages
    for op_id in ids:
        for kind in (pages, mkdocs_pages):
            holder = [text for name, text in kind.items() if f'<a id="{op_id}"></a>' in text]
            assert len(holder) == 1, op_id
            section = holder[0].split(f'<a id="{op_id}"></a>')[1].split('<a id="')[0]
            for lang in REGISTRY:
                if kind is pages:
                    assert f"```{lang.info_string}\n" in section, (op_id, lang.name)
                else:
                    assert f"```{lang.info_string}\n" in section, (op_id, lang.name)
            assert len(re.findall(r'^=== "', section, re.M)) == (len(REGISTRY) if kind is mkdocs_pages else 0)
    definition = json.loads((out / AZUREML.name).read_text(encoding="utf-8"))
    samples = {op["operationId"]: op[KEY] for _, _, op in operations_of(definition)}
    assert sorted(samples) == sorted(ids)
    assert all([s["lang"] for s in v] == titles for v in samples.values())
    data = html_data((out / "index.html").read_text(encoding="utf-8"))
    assert [o["id"] for o in data["ops"]] == ids
    assert all(len(o["code"]) == len(REGISTRY) and all(o["code"]) for o in data["ops"])
    mkdocs_yml = yaml.safe_load((out / "mkdocs" / "mkdocs.yml").read_text(encoding="utf-8"))
    nav_pages = [list(e.values())[0] for e in list(mkdocs_yml["nav"][0].values())[0]]
    assert sorted(nav_pages) == sorted(mkdocs_pages)


@pytest.mark.parametrize("definition", [AZUREML, PETSTORE, SHOP], ids=lambda p: p.name)
def test_redoc_changes_nothing_but_the_code_samples(definition):
    text = definition.read_text(encoding="utf-8")
    files = build_path(definition, formats=("redoc",)).files
    written = files[definition.name]
    load = json.loads if definition.suffix == ".json" else yaml.safe_load
    original, new = load(text), load(written)
    assert without_samples(new) == without_samples(original)
    assert list(new) == list(original)  # key order kept
    for _, _, op in operations_of(new):
        mine = [s for s in op[KEY] if s.get(MARK) is True]
        assert [s["label"] for s in mine][:1] == [REGISTRY[0].label]
        assert len(mine) == len(REGISTRY) and all(s["source"] for s in mine)
    assert written.lstrip().startswith("{") == (definition.suffix == ".json")  # YAML stays YAML
    # only lines were added: comments, quoting, indentation, others' samples are as they were
    added = iter(written.splitlines())
    assert all(any(line == have for have in added) for line in text.splitlines())


GOLDEN_DEFINITIONS = sorted((ROOT / "tests" / "golden").glob("*/definition.*"))


@pytest.mark.parametrize("definition", GOLDEN_DEFINITIONS, ids=lambda p: p.parent.name)
def test_redoc_edits_every_golden_definition_in_place(definition):
    """... and its sources are the snippets, byte for byte (tests/live/test_live_snippets.py runs
    those of every golden case)."""
    from generator import __version__
    from generator.render import render_snippet

    result = build_path(definition, Options(targets=tuple(TARGETS), lenient=True), formats=("redoc",))
    text = definition.read_text(encoding="utf-8")
    load = json.loads if definition.suffix == ".json" else yaml.safe_load
    written = load(result.files[definition.name])
    assert without_samples(written) == without_samples(load(text))
    context = {"source_name": definition.name, "generator_version": __version__}
    for op in result.model.operations:
        node = written
        for part in op.location.lstrip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        sources = [s["source"] for s in node[KEY] if s.get(MARK) is True]
        assert sources == [render_snippet(result.model, op, lang, context) for lang in REGISTRY], op.id
    assert not [d for d in result.diagnostics if "redoc" in d.message]
    if definition.suffix != ".json":
        added = iter(result.files[definition.name].splitlines())
        assert all(any(line == have for have in added) for line in text.splitlines())


def test_redoc_writes_a_flow_style_operation_again_and_says_so(tmp_path):
    flow = tmp_path / "flow.yaml"
    flow.write_text("# a comment\nopenapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://x.example.com'}]\n"
                    "paths:\n  /a:\n    get: {operationId: a, responses: {'200': {description: ok}}}\n", encoding="utf-8")
    result = build_path(flow, Options(targets=("python",)), formats=("redoc",))
    out = yaml.safe_load(result.files["flow.yaml"])
    assert without_samples(out) == without_samples(yaml.safe_load(flow.read_text(encoding="utf-8")))
    assert out["paths"]["/a"]["get"][KEY][0]["label"] == TARGETS["python"].label
    assert [d.level for d in result.diagnostics if "written again" in d.message] == ["warning"]


DOCS_DEFINITIONS = sorted(p for p in (ROOT / "specs").glob("*") if p.suffix in (".json", ".yaml")
                          and ".arazzo." not in p.name) + [SHOP]


@pytest.mark.parametrize("definition", DOCS_DEFINITIONS, ids=lambda p: p.name)
def test_redoc_sources_are_the_snippets(definition):
    """Each x-codeSamples source, read back from the written definition, is the operation's
    snippet, and for a language whose snippet is a whole script, the program the live tier
    runs (tests/live/test_live_samples.py) without its opening comment: so the sources run as
    the programs do (tests/live/test_live_docs_samples.py runs them once more on one of these)."""
    from generator import __version__
    from generator.api import generate_path
    from generator.render import render_snippet

    options = Options(targets=tuple(TARGETS), lenient=True)
    result = build_path(definition, options, formats=("redoc",))
    programs = generate_path(str(definition), options).files
    text = result.files[definition.name]
    written = json.loads(text) if definition.suffix == ".json" else yaml.safe_load(text)
    context = {"source_name": definition.name, "generator_version": __version__}
    checked = 0
    for operation in result.model.operations:
        node = written
        for part in split(operation.location):
            node = node[part]
        ours = [sample for sample in node[KEY] if sample.get(MARK) is True]
        assert len(ours) == len(TARGETS)
        assert all(sample["label"].startswith(lang.label) for lang, sample in zip(TARGETS.values(), ours))
        for lang, sample in zip(TARGETS.values(), ours):
            assert sample["source"] == render_snippet(result.model, operation, lang, context)
            if lang.script_snippet:
                program = programs[lang.main_file(operation)]
                head = program[: len(program) - len(sample["source"])]
                assert program.endswith(sample["source"]), (lang.name, operation.id)
                assert all(not line.strip() or line.startswith(("#!", lang.comment_prefix))
                           for line in head.splitlines()), (lang.name, operation.id)
            checked += 1
    assert checked == len(result.model.operations) * len(TARGETS) > 0


def test_redoc_rerun_replaces_ours_and_keeps_others(tmp_path):
    out = tmp_path / "site"
    assert run("docs", str(SHOP), "-o", str(out), "-f", "redoc", "-q").exit_code == 0
    first = (out / SHOP.name).read_text(encoding="utf-8")
    assert run("docs", str(out / SHOP.name), "-o", str(out), "-f", "redoc", "-q").exit_code == 0
    assert (out / SHOP.name).read_text(encoding="utf-8") == first  # replaced, not added
    get_item = yaml.safe_load(first)["paths"]["/items/{itemId}"]["get"]
    assert [s["lang"] for s in get_item[KEY]][0] == "Go"
    assert run("docs", str(out / SHOP.name), "-o", str(out), "-f", "redoc", "-q", "-t", "python",
               "--replace-code-samples").exit_code == 0
    get_item = yaml.safe_load((out / SHOP.name).read_text(encoding="utf-8"))["paths"]["/items/{itemId}"]["get"]
    assert [s["label"] for s in get_item[KEY]] == [TARGETS["python"].label]


def test_redoc_json_keeps_its_indentation_and_final_newline():
    data = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "h.example.com",
            "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}}}}
    for indent, newline in ((4, "\n"), (None, ""), ("\t", "\n")):
        text = json.dumps(data, indent=indent) + newline
        files = build(json.loads(text), version="2.0", formats=("redoc",), source="api.json", text=text,
                      options=Options(targets=("python",))).files
        out = files["api.json"]
        assert out.endswith("\n") == bool(newline)
        assert json.dumps(json.loads(out), indent=indent) + newline == out
        assert without_samples(json.loads(out)) == data


def test_check_after_docs_then_edit_and_delete(tmp_path):
    out = tmp_path / "docs"
    args = ["docs", str(PETSTORE), "-o", str(out), "-f", "markdown", "-f", "html", "-f", "redoc"]
    assert run(*args).exit_code == 0
    result = run(*args, "--check")
    assert (result.exit_code, result.output) == (0, "")
    (out / "pets.md").write_text("edited\n", encoding="utf-8")
    (out / "index.html").unlink()
    result = run(*args, "--check")
    assert result.exit_code == 1
    assert result.output.splitlines() == ["missing index.html", "changed pets.md"]
    # the edited page is not overwritten without --force
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "pets.md" in result.output
    assert (out / "pets.md").read_text(encoding="utf-8") == "edited\n"
    assert run(*args, "--force").exit_code == 0
    assert run(*args, "--check").exit_code == 0


def test_check_lists_extra_files_of_a_format_that_writes_fewer(tmp_path):
    out = tmp_path / "docs"
    assert run("docs", str(PETSTORE), "-o", str(out), "-f", "markdown").exit_code == 0
    result = run("docs", str(PETSTORE), "-o", str(out), "-f", "markdown", "--operation", "listPets", "--check")
    assert result.exit_code == 1 and "extra store.md" in result.output.splitlines()


def test_check_on_bad_input_exits_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["docs", str(bad), "-o", str(tmp_path / "o"), "--check"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_formats_of_other_runs_stay(tmp_path):
    out = tmp_path / "docs"
    assert run("docs", str(PETSTORE), "-o", str(out), "-f", "markdown").exit_code == 0
    assert run("docs", str(PETSTORE), "-o", str(out), "-f", "html").exit_code == 0
    assert (out / "pets.md").is_file() and (out / "index.html").is_file()
    assert run("docs", str(PETSTORE), "-o", str(out), "-f", "html", "-f", "markdown", "--check").exit_code == 0


def test_build_is_pure_and_deterministic(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = build_path(SHOP, formats=ALL).files
    second = build_path(SHOP, formats=ALL).files
    assert first == second
    assert list(tmp_path.iterdir()) == []
    assert set(first) >= {"README.md", "index.html", "mkdocs/mkdocs.yml", "definition.yaml", "manifest.json"}


def test_a_script_language_shows_its_snippet_and_the_others_their_program_too():
    result = build_path(PETSTORE, formats=("html",))
    data = html_data(result.files["index.html"])
    for i, lang in enumerate(REGISTRY):
        has_program = [str(i) in o.get("prog", {}) for o in data["ops"]]
        assert all(has_program) == (not lang.script_snippet) and any(has_program) == (not lang.script_snippet)


# -- escaping --------------------------------------------------------------------------------------

def test_fence_cannot_be_closed_by_the_code():
    code = "a\n```\n````python\nb"
    block = fence(code, "python")
    opening = block.split("\n")[0]
    assert opening.startswith("`````") and block.endswith("\n" + opening.rstrip("python"))
    assert block.split("\n")[1:-1] == code.split("\n")


@pytest.mark.parametrize("text", ["a | b", "<img src=x onerror=alert(1)>", "*bold* _it_ [l](u)", "# head",
                                  "1. item", "`tick` ``two``", "x\ny\rz"])
def test_markdown_inline_text_cannot_make_markup(text):
    out = md_inline(text)
    assert "\n" not in out and "\r" not in out
    assert re.search(r"(?<!\\)[|<>*_\[\]`]", out) is None
    assert not re.match(r"#|\d+\.", out)
    code = md_code(text)
    assert re.search(r"(?<!\\)\|", code) is None


def test_script_json_cannot_end_the_script_element():
    value = {"x": "</script><script>alert(1)</script>", "y": "<!-- \u2028"}
    out = script_json(value)
    assert "</" not in out and "<!--" not in out and "\u2028" not in out
    assert json.loads(out) == value


def test_html_page_escapes_the_definition(tmp_path):
    page = build_path(SHOP, formats=("html",)).files["index.html"]
    assert "<script>alert" not in page
    assert "<title>Shop &lt;API&gt; | docs</title>" in page
    outside_data = re.sub(r'<script type="application/json" id="api-data">.*?</script>', "", page, flags=re.S)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//|@import|url\(|<link\b""", outside_data)
    assert "default-src 'none'" in outside_data  # the page may load nothing from elsewhere


def test_unknown_format_is_a_usage_error():
    result = CliRunner().invoke(cli, ["docs", str(PETSTORE), "--format", "pdf"])
    assert result.exit_code == 2 and "pdf" in result.output


def test_pre_commit_hooks_run_the_checks(tmp_path):
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"samplegen-check", "samplegen-docs-check"}
    for hook_id, out, extra in (("samplegen-check", tmp_path / "samples", ["-t", "python"]),
                                ("samplegen-docs-check", tmp_path / "docs", ["--format", "markdown"])):
        hook = hooks[hook_id]
        assert hook["pass_filenames"] is False and hook["entry"].split()[0] == "samplegen"
        command, check = hook["entry"].split()[1:]
        args = [str(PETSTORE), "-o", str(out), *extra]
        assert run(command, *args).exit_code == 0
        assert run(command, check, *args).exit_code == 0  # as pre-commit runs it: entry, then args
        first = sorted(p for p in out.rglob("*.md") if p.is_file())[0]
        first.write_text("stale\n", encoding="utf-8")
        result = run(command, check, *args)
        assert result.exit_code == 1 and f"changed {first.relative_to(out).as_posix()}" in result.output


@pytest.mark.parametrize("text", ['a "quoted" \\ back', "line\nbreak\r", "\x85 \u2028 \u2029 \ufeff \x00 \x1b",
                                  "emoji \U0001F600 and é", "- not a list: {x} [y] # z", "", "\ud7ff\ue000"])
def test_yaml_string_holds_any_text(text):
    from generator.docs.text import yaml_string

    assert yaml.safe_load(f"key: {yaml_string(text)}\n") == {"key": text}


def test_tags_get_distinct_page_names():
    data = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "servers": [{"url": "https://x.example.com"}],
            "paths": {f"/{i}": {"get": {"operationId": f"op{i}", "tags": [tag],
                                        "responses": {"200": {"description": "ok"}}}}
                      for i, tag in enumerate(["Pets", "pets", "宠物", "ペット", "README", "Other operations"])}}
    data["paths"]["/u"] = {"get": {"operationId": "untagged", "responses": {"200": {"description": "ok"}}}}
    files = build(data, version="3.0", formats=("markdown",), options=Options(targets=("python",))).files
    pages = sorted(p for p in files if p.endswith(".md"))
    assert len(pages) == 8 and len({p.casefold() for p in pages}) == 8
    assert "README.md" in pages and "other-operations.md" in pages


def test_generation_options_reach_the_snippets(tmp_path):
    out = tmp_path / "docs"
    args = ["docs", str(AZUREML), "-o", str(out), "-f", "redoc", "-t", "python", "-q"]
    assert run(*args, "--base-url", "https://staging.example.com", "--auth-prefix", "Key ").exit_code == 0
    source = json.loads((out / AZUREML.name).read_text(encoding="utf-8"))
    sources = [s["source"] for _, _, op in operations_of(source) for s in op[KEY]]
    assert sources and all('"https://staging.example.com"' in s for s in sources)
    assert sum('"Key " + api_key' in s for s in sources) >= 4
