"""Where findings point: validator findings placed on the offending node, pointers placed on
lines, ECMA-262 patterns, and the skipped operations lenient mode reports."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.api import Options, generate_path
from generator.ecma import compile_pattern, is_ecma_only, to_python
from generator.lines import json_duplicates, locate
from generator.validate import real_pointer, validate

ROOT = Path(__file__).resolve().parent.parent
OK3 = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}


def findings(doc: dict, version: str) -> list[tuple[str, str, str]]:
    diags = validate(doc, spec_version=version, sha256="x", source="api", use_cache=False)
    return [(d.level, d.location, d.message) for d in diags]


def test_a_default_reached_through_a_ref_is_placed_where_it_is_written() -> None:
    doc = {**OK3, "paths": {"/a": {"get": {
        "parameters": [{"$ref": "#/components/parameters/lang"}],
        "responses": {"200": {"description": "ok"}}}}},
        "components": {"parameters": {"lang": {"name": "lang", "in": "query",
                                               "schema": {"type": "string", "enum": ["en"], "default": "de"}}}}}
    found = findings(doc, "3.0")
    assert [(level, loc) for level, loc, _ in found] == [("error", "api#/components/parameters/lang/schema/default")]


def test_a_schema_default_is_placed_at_the_member_that_breaks_it() -> None:
    doc = {**OK3, "paths": {}, "components": {"schemas": {"S": {
        "type": "object", "properties": {"n": {"type": "integer"}}, "default": {"n": "seven"}}}}}
    found = findings(doc, "3.0")
    assert [loc for _, loc, _ in found] == ["api#/components/schemas/S/default/n"]


@pytest.mark.parametrize("version, doc, places", [
    ("3.0", {**OK3, "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "pth", "schema": {"type": "string"}}],
                                             "responses": {"200": {"description": "ok"}}}}}},
     "path, query, header, cookie"),
    ("2.0", {"swagger": "2.0", "info": {"title": "t", "version": "1"},
             "paths": {"/a": {"get": {"parameters": [{"name": "x", "in": "pth", "type": "string"}],
                                      "responses": {"200": {"description": "ok"}}}}}},
     "body, header, formData, query, path"),
])
def test_an_unknown_parameter_place_names_the_allowed_ones(version: str, doc: dict, places: str) -> None:
    found = findings(doc, version)
    assert found == [("error", "api#/paths/~1a/get/parameters/0/in", f'`in` is "pth"; it must be one of {places}')]


def test_ecma_only_patterns_are_warnings_and_broken_ones_errors() -> None:
    doc = {**OK3, "paths": {}, "components": {"schemas": {
        "Name": {"type": "string", "pattern": r"^\p{L}+$"},
        "Broken": {"type": "string", "pattern": "^(unclosed$"}}}}
    found = findings(doc, "3.0")
    assert [(level, loc) for level, loc, _ in found] == [
        ("warning", "api#/components/schemas/Name/pattern"), ("error", "api#/components/schemas/Broken/pattern")]


def test_real_pointer_follows_refs_on_the_way() -> None:
    doc = {"paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/p"}]}}},
           "components": {"parameters": {"p": {"schema": {"$ref": "#/components/schemas/S"}}},
                          "schemas": {"S": {"default": 1}}}}
    assert real_pointer(doc, ("paths", "/a", "get", "parameters", 0, "schema", "default")) == \
        "/components/schemas/S/default"
    assert real_pointer(doc, ("paths", "/a", "get", "parameters", 0)) == "/components/parameters/p"
    assert real_pointer(doc, ("paths", "/nope", "get")) == "/paths/~1nope/get"


# --------------------------------------------------------------------------- lines

YAML = """openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a/b:
    get:
      parameters:
        - name: x
          in: query
        - &p {name: y, in: header}
        - *p
x-list: [1, [2, 3]]
"""


def test_locate_yaml() -> None:
    places = locate(YAML, ["", "/paths/~1a~1b/get/parameters/0/in", "/paths/~1a~1b/get/parameters/1",
                           "/paths/~1a~1b/get/parameters/2/name", "/x-list/1/1", "/paths/~1a~1b/nope/deeper"])
    assert places == {"": (1, 1), "/paths/~1a~1b/get/parameters/0/in": (8, 11),
                      "/paths/~1a~1b/get/parameters/1": (9, 11),
                      "/paths/~1a~1b/get/parameters/2/name": (10, 11),  # inside an alias: the alias
                      "/x-list/1/1": (11, 17),
                      "/paths/~1a~1b/nope/deeper": (4, 3)}  # not there: its deepest ancestor


def test_locate_json_with_escapes_and_nesting() -> None:
    text = json.dumps({"a\"b": {"c/d": [0, {"e~f": True}]}, "z": [[], {}]}, indent=2)
    places = locate(text, ["/a\"b/c~1d/1/e~0f", "/z/1", "/a\"b/c~1d/0"])
    lines = text.splitlines()
    for ptr, (line, col) in places.items():
        assert lines[line - 1][col - 1] in "\"0{", ptr
    assert lines[places["/a\"b/c~1d/1/e~0f"][0] - 1].strip().startswith('"e~f"')
    assert lines[places["/z/1"][0] - 1].strip() == "{}"


def _every_pointer(node, here=""):
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _every_pointer(value, here + "/" + key.replace("~", "~0").replace("/", "~1"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _every_pointer(value, f"{here}/{i}")


def _node(doc, ptr: str):
    for part in ptr.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        doc = doc[int(part)] if isinstance(doc, list) else doc[part]
    return doc


JSON_DEFINITIONS = (sorted(ROOT.glob("specs/*.json")) + sorted(ROOT.glob("tests/golden/*/definition.json"))
                    + sorted((ROOT.parent / "shared" / "real-specs").glob("*.json")))


@pytest.mark.parametrize("definition", JSON_DEFINITIONS, ids=lambda p: p.parent.name + "/" + p.name)
@pytest.mark.parametrize("layout", ["as written", "one line"])
def test_every_json_pointer_is_placed_on_its_key_or_value(definition, layout) -> None:
    """Each node of the definition, asked for at once: a member is placed on its key (the
    value after it is the node), a list item or the root on the node itself."""
    doc = json.loads(definition.read_text(encoding="utf-8"))
    text = definition.read_text(encoding="utf-8") if layout == "as written" else json.dumps(doc)
    pointers = list(_every_pointer(doc)) + ["/paths/~1nowhere/get"]
    places = locate(text, pointers)
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    decoder = json.JSONDecoder()
    for ptr in pointers[:-1]:
        line, col = places[ptr]
        at = starts[line - 1] + col - 1
        parent = _node(doc, ptr.rsplit("/", 1)[0]) if ptr else None
        if isinstance(parent, dict):
            key, end = json.decoder.scanstring(text, at + 1)
            assert text[at] == '"' and key == ptr.rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~"), ptr
            at = re.compile(r"\s*:\s*").match(text, end).end()
        assert decoder.raw_decode(text, at)[0] == _node(doc, ptr), ptr
    assert places["/paths/~1nowhere/get"] == places["/paths"]  # not there: its deepest ancestor


def test_json_duplicates_reports_every_pair() -> None:
    text = '{"a": 1,\n "b": {"x": 1, "x": 2},\n "a": 3, "l": [{"k": 1,\n "k": 2}]}'
    assert json_duplicates(text) == [("/b", "x", (2, 8), (2, 16)), ("/", "a", (1, 2), (3, 2)),
                                     ("/l/0", "k", (3, 17), (4, 2))]


# --------------------------------------------------------------------------- ECMA-262 patterns


@pytest.mark.parametrize("pattern, good, bad", [
    (r"^\p{L}+$", "Zoë", "Zoë1"),
    (r"^\P{L}+$", "123", "a1"),
    (r"^[\p{L}\p{N} ]+$", "Ab 12", "a-b"),
    (r"^(?<y>\d{2})-\k<y>$", "12-12", "12-13"),
    (r"^\u{1F600}$", "\U0001F600", "x"),
    (r"^[^]$", "\n", "ab"),
    (r"^\e$", "e", "x"),
])
def test_ecma_patterns_read_as_python(pattern: str, good: str, bad: str) -> None:
    with pytest.raises(re.error):
        re.compile(pattern)
    assert is_ecma_only(pattern)
    compiled = compile_pattern(pattern)
    assert compiled.search(good) and not compiled.search(bad)


def test_patterns_python_reads_are_left_alone() -> None:
    assert to_python(r"^[a-z]+\d{2}(?:x|y)$") == r"^[a-z]+\d{2}(?:x|y)$"
    assert not is_ecma_only(r"^[a-z]+$") and not is_ecma_only("(unclosed")
    assert compile_pattern("(unclosed") is None


# --------------------------------------------------------------------------- the API


def test_result_carries_the_skipped_operations(tmp_path) -> None:
    src = tmp_path / "api.yaml"
    src.write_text("""openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      parameters: [{$ref: '#/components/parameters/Nope'}]
      responses: {'200': {description: ok}}
  /b:
    get:
      responses: {'200': {description: ok}}
""")
    result = generate_path(str(src), Options(targets=("python",), lenient=True), use_cache=False)
    assert [op.id for op in result.model.operations] == ["get_b"]
    [s] = result.skipped
    assert (s.id, s.method, s.path) == ("get_a", "GET", "/a")
    assert s.reason == "$ref '#/components/parameters/Nope' points to nothing"
    assert s.location == f"{src}:6:20 #/paths/~1a/get/parameters/0"
    assert result.model.skipped[0].location == "/paths/~1a/get/parameters/0"
    assert not any("Nope" in d.message and "get_a" in d.message for d in result.diagnostics)


def test_example_values_for_ecma_patterns_match_them(tmp_path) -> None:
    src = tmp_path / "api.yaml"
    src.write_text("""openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a/{name}:
    get:
      parameters:
        - {name: name, in: path, required: true, schema: {type: string, pattern: '^\\p{Lu}\\p{L}*[0-9]$'}}
        - {name: code, in: query, required: true, schema: {type: string, pattern: '^[\\p{N}]{3}\\P{N}$'}}
      responses: {'200': {description: ok}}
""")
    result = generate_path(str(src), Options(targets=("python",)), use_cache=False)
    params = {p.name: p for p in result.model.operations[0].parameters}
    for p in params.values():
        assert compile_pattern(p.schema["pattern"]).search(p.example), (p.schema["pattern"], p.example)
    assert [d.level for d in result.diagnostics] == ["warning", "warning"]  # the two ECMA-only patterns


def test_a_body_parameter_without_schema_is_not_blamed_on_its_in() -> None:
    doc = {"swagger": "2.0", "info": {"title": "t", "version": "1"},
           "paths": {"/a": {"post": {"parameters": [{"name": "b", "in": "body"}],
                                     "responses": {"200": {"description": "ok"}}}}}}
    [(level, location, message)] = findings(doc, "2.0")
    assert (level, location) == ("error", "api#/paths/~1a/post/parameters/0")
    assert "`in`" not in message  # the alternative it meant (a body parameter) is the one shown


def test_faults_outside_the_users_templates_stay_internal_errors(tmp_path) -> None:
    from generator.render import user_template_errors

    with pytest.raises(ZeroDivisionError):
        with user_template_errors([str(tmp_path)]):
            1 / 0  # noqa: B018 - raised by samplegen's own code, not by a template of tmp_path
