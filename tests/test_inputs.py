"""The "Values to change" block: every value taken from the definition that the user is
expected to replace is a named variable near the top of every sample, commented with the
parameter's description; the request is built from the variables and sends exactly the
SampleRequest (the path byte for byte); ``--all-params`` sends the optional parameters too."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.api import Options, generate, generate_path
from generator.cli import cli
from generator.inputs import RESERVED
from generator.languages import TARGETS
from generator.verify.core import BASE_PATH, verify_generated
from generator.verify.runners import require_tools

ROOT = Path(__file__).resolve().parents[1]
ALL = tuple(TARGETS)


def one_operation(parameters: list[dict], path: str = "/things/{id}", security: dict | None = None) -> dict:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "inputs", "version": "1"},
        "servers": [{"url": "https://example.invalid"}],
        "paths": {path: {"get": {"operationId": "probe", "parameters": parameters,
                                 "responses": {"200": {"description": "ok"}}}}},
    }
    if security:
        doc["components"] = {"securitySchemes": security}
        doc["security"] = [{name: []} for name in security]
    return doc


def path_param(example=None, **schema) -> dict:
    p = {"name": "id", "in": "path", "required": True, "schema": schema or {"type": "string"}}
    if example is not None:
        p["example"] = example
    return p


def sample_text(result, target: str) -> str:
    op = result.model.operations[0]
    return result.files[TARGETS[target].main_file(op)]


def test_azureml_job_id_is_a_variable_with_its_description_in_every_target():
    result = generate_path(ROOT / "specs" / "azureml-adult-income.json", Options(targets=ALL))
    op = next(o for o in result.model.operations if o.id == "startjob")
    [inp] = op.sample.inputs
    assert (inp.var, inp.location, inp.param, inp.encode) == ("JOB_ID", "path", "jobId", True)
    assert "as returned by submitjob" in inp.description
    for target in ALL:
        text = result.files[TARGETS[target].main_file(op)]
        head = text[: text.index(TARGETS[target].assignment.format(TARGETS[target].filters["input_var"]("JOB_ID")))]
        assert "Values to change" in head and "as returned by submitjob" in head[head.index("Values to change"):]
        # the id is in the block once, and nowhere else: the path is built from the variable
        assert text.count(inp.value) == 1, target


def test_placeholder_from_a_bare_string_says_so():
    bare = generate(one_operation([path_param()]), version="3.0", options=Options(targets=ALL))
    [inp] = bare.model.operations[0].sample.inputs
    assert inp.placeholder and bare.model.operations[0].parameters[0].placeholder
    for target in ALL:
        assert "placeholder: no example in the definition" in sample_text(bare, target), target
    for schema in ({"type": "string", "format": "uuid"}, {"type": "string", "enum": ["a"]},
                   {"type": "string", "default": "d"}, {"type": "integer"}):
        made = generate(one_operation([path_param(**schema)]), version="3.0", options=Options(targets=ALL))
        assert not made.model.operations[0].sample.inputs[0].placeholder, schema
        assert "placeholder:" not in sample_text(made, "python"), schema
    declared = generate(one_operation([path_param("abc")]), version="3.0", options=Options(targets=ALL))
    assert not declared.model.operations[0].sample.inputs[0].placeholder


def test_path_is_built_from_parts_that_join_to_the_sample_path():
    doc = one_operation([
        path_param("a b/é!*'()~"),
        {"name": "cells", "in": "path", "required": True, "style": "label", "schema": {"type": "array"},
         "example": [1, 2]},
        {"name": "size", "in": "path", "required": True, "style": "matrix", "schema": {"type": "integer"},
         "example": 3},
    ], path="/t/{id}/{cells}/{size}")
    sample = generate(doc, version="3.0", options=Options(targets=("python",))).model.operations[0].sample
    values = {i.var: i for i in sample.inputs}
    from urllib.parse import quote

    joined = "".join(quote(values[p.var].value, safe="") if p.var and p.encode else
                     values[p.var].value if p.var else p.text for p in sample.path_parts)
    assert joined == sample.path == "/t/a%20b%2F%C3%A9%21%2A%27%28%29~/.1.2/;size=3"
    assert values["CELLS"].format and not values["CELLS"].encode  # a list: held serialized
    assert values["SIZE"].encode and values["SIZE"].value == "3"  # a scalar: matrix adds ";size="


def test_variables_never_collide_with_each_other_or_the_templates_names():
    names = ["url", "query", "class", "repeat", "name", "a-b", "a_b", "A_B", "api_key", "apiKey", "text",
             "Main", "headers", "x", "X", "value", "await", "e", "日本"]
    params = [{"name": n, "in": "query", "required": True, "schema": {"type": "string"}, "example": n}
              for n in names]
    doc = one_operation([path_param("p")] + params,
                        security={"key": {"type": "apiKey", "in": "header", "name": "X-Key"}})
    result = generate(doc, version="3.0", options=Options(targets=ALL))
    sample = result.model.operations[0].sample
    assert [i.param for i in sample.inputs] == ["id"] + names
    for target in ALL:
        projected = [TARGETS[target].filters["input_var"](i.var) for i in sample.inputs]
        assert len({n.lower().replace("_", "") for n in projected}) == len(projected), target
        assert not {n.lower().replace("_", "") for n in projected} & RESERVED
        for n in projected:
            assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", n), n


@pytest.mark.live
@pytest.mark.parametrize("target", ALL)
def test_samples_send_exactly_the_sample_request_path_bytes(target):
    """Run every target: the raw path that arrives is the SampleRequest's, byte for byte
    (percent-encoding at run time matches serialize.path_segment), and the request matches."""
    require_tools(target)
    values = ["a b/c?d#e&f=g+h%i,j;k:l@m$n!o*p'q(r)s~t_u.v-w", "é日😀", "%2F", "x" * 40000, "", "plain"]
    paths = {}
    for i, value in enumerate(values):
        paths[f"/v{i}/{{id}}/end"] = {"get": {"operationId": f"v{i}", "parameters": [path_param(value)],
                                              "responses": {"200": {"description": "ok"}}}}
    doc = {"openapi": "3.0.3", "info": {"title": "paths", "version": "1"},
           "servers": [{"url": "https://example.invalid"}], "paths": paths}
    result = generate(doc, version="3.0", options=Options(targets=(target,)))
    report = verify_generated(result, "paths.json", [target], prism=False, behaviours=False, jobs=2)
    problems = [m for r in report.results for m in r.messages] + report.errors
    assert problems == []
    by_id = {op.id: op for op in result.model.operations}
    for r in report.results:
        assert r.status == "ok", r.format()
        assert r.recorded[0].path == BASE_PATH + by_id[r.operation_id].sample.path, r.operation_id


@pytest.mark.live
@pytest.mark.parametrize("target", ALL)
def test_colliding_names_compile_and_send_the_request(target):
    require_tools(target)
    names = ["url", "query", "class", "repeat", "name", "a-b", "a_b", "api_key", "text", "headers",
             "request", "response", "cookies", "value", "await", "status", "e", "c"]
    params = [{"name": n, "in": "query", "required": True, "schema": {"type": "string"}, "example": n + "!"}
              for n in names]
    params += [{"name": "session", "in": "cookie", "required": True, "schema": {"type": "string"}, "example": "s"},
               {"name": "X-Url", "in": "header", "required": True, "schema": {"type": "string"}, "example": "h"}]
    doc = one_operation([path_param("p q")] + params,
                        security={"key": {"type": "apiKey", "in": "header", "name": "X-Key"}})
    result = generate(doc, version="3.0", options=Options(targets=(target,)))
    report = verify_generated(result, "names.json", [target], prism=False, behaviours=False, jobs=1)
    assert [r.status for r in report.results] == ["ok"], "\n".join(r.format() for r in report.results)


def test_optional_parameters_are_sent_only_with_all_params():
    doc = one_operation([path_param("p"),
                         {"name": "note", "in": "query", "schema": {"type": "string"}},
                         {"name": "tags", "in": "query", "style": "pipeDelimited", "explode": False,
                          "schema": {"type": "array", "minItems": 2, "items": {"type": "integer"}}},
                         {"name": "X-Opt", "in": "header", "schema": {"type": "string", "format": "date"}}])
    plain = generate(doc, version="3.0", options=Options(targets=("python",))).model.operations[0]
    assert plain.sample.query == [] and [i.param for i in plain.sample.inputs] == ["id"]
    assert any("'note' is not sent" in n for n in plain.sample.notes)
    full = generate(doc, version="3.0", options=Options(targets=("python",), all_params=True)).model.operations[0]
    assert full.sample.query == [("note", "string"), ("tags", "0|1")]
    assert ("X-Opt", "2024-01-15") in full.sample.headers or any(n == "X-Opt" for n, _ in full.sample.headers)
    assert [i.param for i in full.sample.inputs] == ["id", "note", "tags", "X-Opt"]
    assert [i.placeholder for i in full.sample.inputs] == [False, True, False, False]
    assert not any("is not sent" in n for n in full.sample.notes)


def test_all_params_fills_optional_swagger2_form_fields():
    doc = {"swagger": "2.0", "info": {"title": "f", "version": "1"}, "host": "example.invalid",
           "paths": {"/f": {"post": {"operationId": "form", "consumes": ["application/x-www-form-urlencoded"],
                                     "parameters": [{"name": "labels", "in": "formData", "type": "array",
                                                     "minItems": 2, "items": {"type": "string", "enum": ["a", "b"]},
                                                     "collectionFormat": "multi"}],
                                     "responses": {"200": {"description": "ok"}}}}}}
    plain = generate(doc, version="2.0", options=Options(targets=("python",))).model.operations[0]
    assert plain.sample.body is None  # an optional form with no field is left out
    full = generate(doc, version="2.0", options=Options(targets=("python",), all_params=True)).model.operations[0]
    assert [(f.name, f.value) for f in full.sample.body.fields] == [("labels", "a"), ("labels", "b")]


def test_cli_all_params(tmp_path):
    definition = tmp_path / "api.json"
    import json

    definition.write_text(json.dumps(one_operation([path_param("p"),
                                                    {"name": "note", "in": "query", "schema": {"type": "string"}}])))
    for flags, sent in (([], False), (["--all-params"], True)):
        out = tmp_path / ("all" if flags else "plain")
        res = CliRunner().invoke(cli, ["generate", str(definition), "-o", str(out), "-t", "python", *flags])
        assert res.exit_code == 0, res.output
        text = (out / "python" / "probe.py").read_text(encoding="utf-8")
        assert ('("note", NOTE)' in text) is sent


@pytest.mark.live
def test_verify_all_params_runs_the_optional_parameters(tmp_path):
    import json

    require_tools("python")
    definition = tmp_path / "api.json"
    definition.write_text(json.dumps(one_operation([path_param("p"),
                                                    {"name": "note", "in": "query", "schema": {"type": "string"}}])))
    keep = tmp_path / "kept"
    res = CliRunner().invoke(cli, ["verify", str(definition), "-t", "python", "--no-prism", "--all-params",
                                   "--keep", str(keep)])
    assert res.exit_code == 0, res.output
    assert '("note", NOTE)' in (keep / "python" / "probe.py").read_text(encoding="utf-8")
