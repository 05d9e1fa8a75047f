"""The loader: parsing rules, bounds, $ref screening and bundling of external files."""
from __future__ import annotations

import hashlib
import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.errors import SpecError
from generator.loader import EXTERNAL_KEY, MAX_DEPTH, Document, load_document, parse_bytes
from generator.loader.yaml_text import _parse_yaml
from generator.refs import Resolver

ROOT = Path(__file__).resolve().parent.parent
OK3 = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\n'


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def all_refs(node) -> list[str]:
    out, stack = [], [node]
    while stack:
        cur = stack.pop()
        if isinstance(cur, dict):
            if isinstance(cur.get("$ref"), str):
                out.append(cur["$ref"])
            stack.extend(cur.values())
        elif isinstance(cur, list):
            stack.extend(cur)
    return out


# --------------------------------------------------------------------------- basics


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "specs").iterdir() if ".arazzo." not in p.name))
def test_bundled_specs_load(name: str) -> None:
    path = ROOT / "specs" / name
    doc = load_document(str(path))
    assert isinstance(doc, Document)
    assert doc.version in ("2.0", "3.0", "3.1")
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.source == str(path)
    assert doc.base_dir == path.parent
    if name.endswith(".json"):
        assert doc.data == json.loads(path.read_text(encoding="utf-8"))
    json.dumps(doc.data)  # plain JSON data, nothing else


def test_bytes_source_defaults_to_stdin_name() -> None:
    raw = (OK3 + "paths: {}\n").encode()
    doc = load_document(raw)
    assert doc.source == "<stdin>" and doc.base_dir is None and doc.version == "3.0"
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert load_document(raw, name="api.yaml").source == "api.yaml"


def test_utf8_bom_is_accepted_and_hashed_as_given() -> None:
    raw = b"\xef\xbb\xbf" + (OK3 + "paths: {}\n").encode()
    doc = load_document(raw)
    assert doc.data["openapi"] == "3.0.3"
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert load_document(b"\xef\xbb\xbf" + json.dumps({"swagger": "2.0"}).encode()).version == "2.0"


@pytest.mark.parametrize("encoding, name", [
    ("utf-16-le", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32-le", "UTF-32"), ("utf-32-be", "UTF-32"),
    ("utf-16", "UTF-16"), ("utf-32", "UTF-32"),  # these two write a byte order mark
])
def test_utf16_and_utf32_are_refused_with_or_without_bom(encoding: str, name: str) -> None:
    with pytest.raises(SpecError, match=f"{name} is not supported, save as UTF-8"):
        load_document((OK3 + "paths: {}\n").encode(encoding), name="api.yaml")


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.loader.reading as reading

    path = write(tmp_path, "api.yaml", OK3)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reading, "open", denied, raising=False)
    with pytest.raises(SpecError, match="permission denied") as info:
        load_document(str(path))
    assert info.value.location == str(path)


def test_json_is_chosen_by_first_character() -> None:
    # JSON errors come from the JSON parser (clear messages), even after leading blank lines
    with pytest.raises(SpecError, match="invalid JSON"):
        load_document(b"\n\n  {\"openapi\": \"3.0.3\",}")


@pytest.mark.parametrize("value, version", [
    ('"3.0.0"', "3.0"), ('"3.0.3"', "3.0"), ("3.0.3", "3.0"), ('"3.1.0"', "3.1"), ("3.1.1", "3.1"),
    ('"2.0"', None), ("2.0", None),
])
def test_versions(value: str, version: str | None) -> None:
    if version is None:  # swagger
        doc = load_document(f"swagger: {value}\ninfo: {{title: t, version: '1'}}\n".encode())
        assert doc.version == "2.0" and doc.data["swagger"] == "2.0"
    else:
        assert load_document(f"openapi: {value}\n".encode()).version == version


def test_swagger_written_as_yaml_float_becomes_the_string() -> None:
    doc = load_document(b"swagger: 2.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
    assert doc.data["swagger"] == "2.0" and doc.version == "2.0"


# --------------------------------------------------------------------------- YAML rules


def test_yaml_keys_stay_text_and_values_follow_yaml_1_2() -> None:
    text = OK3 + """paths:
  /a:
    get:
      responses:
        200: {description: ok}
        404: {description: missing}
        default: {description: other}
x-keys:
  on: 1
  yes: 2
  no: 3
  null: 4
  1.50: 5
  0x1F: 6
  true: 7
x-values:
  date: 2023-01-01
  datetime: 2023-01-01T10:00:00Z
  yes: yes
  off: off
  int: 42
  neg: -7
  float: 1.5
  exp: 1e3
  hex: 0x1F
  oct: 0o17
  bool: true
  nothing: null
  tilde: ~
  empty:
  quoted_int: "42"
  tagged_str: !!str 42
  tagged_int: !!int "7"
  sexagesimal: 12:30:00
  underscored: 1_000
  version: 1.0
"""
    data = load_document(text.encode()).data
    assert list(data["paths"]["/a"]["get"]["responses"]) == ["200", "404", "default"]
    assert list(data["x-keys"]) == ["on", "yes", "no", "null", "1.50", "0x1F", "true"]
    v = data["x-values"]
    assert v["date"] == "2023-01-01" and v["datetime"] == "2023-01-01T10:00:00Z"
    assert v["yes"] == "yes" and v["off"] == "off"
    assert v["int"] == 42 and type(v["int"]) is int and v["neg"] == -7
    assert v["float"] == 1.5 and v["exp"] == 1000.0 and type(v["exp"]) is float
    assert v["hex"] == 31 and v["oct"] == 15
    assert v["bool"] is True and v["nothing"] is None and v["tilde"] is None and v["empty"] is None
    assert v["quoted_int"] == "42" and v["tagged_str"] == "42" and v["tagged_int"] == 7
    assert v["sexagesimal"] == "12:30:00" and v["underscored"] == "1_000"
    assert v["version"] == 1.0
    json.dumps(data)


def test_yaml_merge_keys_and_aliases() -> None:
    text = OK3 + """paths: {}
x-base: &base {a: 1, b: 2}
x-other: &other {c: 3}
x-merged:
  <<: [*base, *other]
  b: 20
x-alias: *base
"""
    data = load_document(text.encode()).data
    assert data["x-merged"] == {"a": 1, "b": 20, "c": 3}
    assert data["x-alias"] == {"a": 1, "b": 2}


def test_yaml_duplicate_key_after_merge_is_allowed_but_explicit_duplicates_are_not() -> None:
    load_document((OK3 + "paths: {}\nx-b: &b {k: 1}\nx-m: {<<: *b, k: 2}\n").encode())
    with pytest.raises(SpecError, match="duplicate key 'k'") as info:
        load_document((OK3 + "paths: {}\nx-m:\n  k: 1\n  k: 2\n").encode())
    assert info.value.location == "<stdin>:6:3 #/x-m/k"
    assert "line 5 and line 6" in info.value.message
    with pytest.raises(SpecError, match="duplicate key '200'"):
        load_document((OK3 + "paths: {}\nx-m:\n  200: a\n  '200': b\n").encode())


def test_alias_bomb_is_refused_fast_and_small() -> None:
    text = OK3 + 'paths: {}\nx-lol:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for name in "bcdefghi":
        text += f"  {name}: &{name} [" + ",".join(["*" + prev] * 9) + "]\n"
        prev = name
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(SpecError, match="billion laughs"):
            load_document(text.encode())
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 0.5, elapsed
    assert peak < 20 * 1024 * 1024, peak


def test_many_small_aliases_are_fine() -> None:
    text = OK3 + "paths: {}\nx-err: &err {description: error, content: {}}\nx-uses:\n"
    text += "".join(f"  u{i}: *err\n" for i in range(500))
    data = load_document(text.encode()).data
    assert len(data["x-uses"]) == 500


def test_yaml_control_character_has_a_position() -> None:
    with pytest.raises(SpecError, match="control character U\\+007F") as info:
        load_document((OK3 + "paths: {}\nx: a\x7fb\n").encode())
    assert info.value.location == "<stdin>:4:5"


def test_nesting_just_under_the_limit_is_fine() -> None:
    depth = MAX_DEPTH - 5
    load_document(json.dumps({"openapi": "3.0.3", "x": json.loads("[" * depth + "]" * depth)}).encode())
    load_document(("openapi: 3.0.3\nx: " + "[" * depth + "]" * depth + "\n").encode())


# YAML text may not hold raw DEL, C1 controls or U+FFFE/U+FFFF (json.dumps leaves them raw)
_YAML_TEXT = st.characters(blacklist_categories=("Cs",)).filter(
    lambda c: not ("\x7f" <= c <= "\x9f") and c not in "\ufffe\uffff")


@settings(max_examples=150, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(_YAML_TEXT, max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(_YAML_TEXT, max_size=20), inner, max_size=4),
    max_leaves=25,
))
def test_json_text_reads_the_same_through_both_parsers(value) -> None:
    text = json.dumps({"v": value}, ensure_ascii=False)
    assert parse_bytes(text.encode("utf-8"), "t.json") == {"v": value}
    # JSON is YAML 1.2 too: the YAML reader must agree
    assert _parse_yaml(text, "t.yaml") == {"v": value}


# --------------------------------------------------------------------------- $ref screening


def test_refs_in_literal_places_are_data(tmp_path: Path) -> None:
    text = OK3 + """paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  $ref: {type: string}
                  other: {$ref: '#/components/schemas/S'}
              example: {$ref: 'http://json-schema.org/draft-07/schema#'}
              examples:
                one: {value: {$ref: 5}}
components:
  schemas:
    S: {type: string, default: {$ref: '/etc/passwd'}, enum: [{$ref: 1}]}
x-tool: {$ref: 'https://example.com/x'}
"""
    doc = load_document(str(write(tmp_path, "api.yaml", text)))
    props = doc.data["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert props["properties"]["$ref"] == {"type": "string"}


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write(outside, "secret.yaml", "Pet: {type: string}\n")
    folder = tmp_path / "api"
    folder.mkdir()
    try:
        os.symlink(outside / "secret.yaml", folder / "link.yaml")
    except OSError:  # pragma: no cover - no symlinks on this system
        pytest.skip("symlinks not available")
    main = write(folder, "api.yaml", OK3 + "paths: {}\ncomponents:\n  schemas:\n    P: {$ref: 'link.yaml#/Pet'}\n")
    with pytest.raises(SpecError, match="points outside the definition's folder") as info:
        load_document(str(main))
    assert info.value.location.endswith("#/components/schemas/P")
    # allowed on request
    doc = load_document(str(main), allow_external_refs=True)
    assert all(r.startswith("#/") for r in all_refs(doc.data))


def test_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    write(tmp_path, "real/common.yaml", "Pet: {type: string}\n")
    try:
        os.symlink(tmp_path / "real", tmp_path / "alias")
    except OSError:  # pragma: no cover
        pytest.skip("symlinks not available")
    main = write(tmp_path, "api.yaml", OK3 + "paths: {}\ncomponents:\n  schemas:\n    P: {$ref: 'alias/common.yaml#/Pet'}\n")
    doc = load_document(str(main))
    assert Resolver(doc.data).resolve(doc.data["components"]["schemas"]["P"]) == {"type": "string"}


def test_allow_external_refs_reads_outside_but_never_the_network(tmp_path: Path) -> None:
    write(tmp_path, "shared/pet.yaml", "Pet: {type: object}\n")
    main = write(tmp_path, "api/api.yaml",
                 OK3 + "paths: {}\ncomponents:\n  schemas:\n"
                 f"    A: {{$ref: '../shared/pet.yaml#/Pet'}}\n    B: {{$ref: '{tmp_path}/shared/pet.yaml#/Pet'}}\n")
    with pytest.raises(SpecError, match="outside the definition's folder"):
        load_document(str(main))
    doc = load_document(str(main), allow_external_refs=True)
    schemas = doc.data["components"]["schemas"]
    resolver = Resolver(doc.data)
    assert resolver.resolve(schemas["A"]) == {"type": "object"}
    assert resolver.resolve(schemas["B"]) == {"type": "object"}
    # both point at the same node: bundled once
    assert schemas["A"]["$ref"] == schemas["B"]["$ref"]
    net = write(tmp_path, "api/net.yaml", OK3 + "paths: {}\nx: {}\ncomponents: {schemas: {A: {$ref: 'https://h/x.yaml'}}}\n")
    with pytest.raises(SpecError, match="fetching definitions over the network is not supported"):
        load_document(str(net), allow_external_refs=True)


def test_stdin_with_allow_external_refs_resolves_from_the_working_folder(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "common.yaml", "Pet: {type: string}\n")
    monkeypatch.chdir(tmp_path)
    raw = (OK3 + "paths: {}\ncomponents: {schemas: {P: {$ref: 'common.yaml#/Pet'}}}\n").encode()
    with pytest.raises(SpecError, match="standard input"):
        load_document(raw)
    doc = load_document(raw, allow_external_refs=True)
    assert Resolver(doc.data).resolve(doc.data["components"]["schemas"]["P"]) == {"type": "string"}


def test_external_refs_are_bundled_with_relative_and_cyclic_refs(tmp_path: Path) -> None:
    main = write(tmp_path, "api.yaml", OK3 + """paths:
  /pets:
    get:
      parameters:
        - $ref: './common.yaml#/components/parameters/Limit'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: './common.yaml#/components/schemas/Pet'}
        default:
          $ref: 'common.yaml#/components/responses/Error'
components:
  schemas:
    Local: {type: string}
""")
    write(tmp_path, "common.yaml", """components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
  schemas:
    Pet:
      type: object
      properties:
        tag: {$ref: 'models/tag.yaml#/Tag'}
        parent: {$ref: '#/components/schemas/Pet'}
        local: {$ref: 'api.yaml#/components/schemas/Local'}
  responses:
    Error:
      description: error
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Pet'}
""")
    write(tmp_path, "models/tag.yaml", """Tag:
  type: object
  properties:
    name: {type: string}
    owner: {$ref: '../common.yaml#/components/schemas/Pet'}
    sibling: {$ref: '#/Other'}
Other: {type: integer}
""")
    doc = load_document(str(main))
    data = doc.data
    refs = all_refs(data)
    assert refs and all(r.startswith("#/") for r in refs), refs
    resolver = Resolver(data, doc.source)
    for r in refs:
        resolver.lookup(r)

    op = data["paths"]["/pets"]["get"]
    pet = resolver.resolve(op["responses"]["200"]["content"]["application/json"]["schema"])
    assert pet["type"] == "object"
    tag = resolver.resolve(pet["properties"]["tag"])
    assert tag["properties"]["name"] == {"type": "string"}
    assert resolver.resolve(tag["properties"]["sibling"]) == {"type": "integer"}
    # the cycle Pet -> Tag -> Pet ends in the same bundled node
    assert resolver.resolve(tag["properties"]["owner"]) is pet
    assert resolver.resolve(pet["properties"]["parent"]) is pet
    # a ref back into the main file becomes a plain local ref
    assert pet["properties"]["local"] == {"$ref": "#/components/schemas/Local"}
    assert resolver.resolve(op["parameters"][0])["name"] == "limit"
    error = resolver.resolve(op["responses"]["default"])
    assert resolver.resolve(error["content"]["application/json"]["schema"]) is pet
    assert set(data[EXTERNAL_KEY]) >= {"common.yaml_components_schemas_Pet", "models_tag.yaml_Tag"}
    json.dumps(data)

    from openapi_spec_validator import validate

    validate(data)  # the bundled document is a valid definition in its own right


def test_whole_file_ref_and_json_pointer_escapes(tmp_path: Path) -> None:
    main = write(tmp_path, "api.json", json.dumps({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {
            "Whole": {"$ref": "pet.json"},
            "Escaped": {"$ref": "pet.json#/defs/a~1b"},
            "Spaced": {"$ref": "my%20file.json#/X"},
        }},
    }))
    write(tmp_path, "pet.json", json.dumps({"type": "object", "defs": {"a/b": {"type": "boolean"}}}))
    write(tmp_path, "my file.json", json.dumps({"X": {"type": "number"}}))
    doc = load_document(str(main))
    schemas = doc.data["components"]["schemas"]
    r = Resolver(doc.data)
    assert r.resolve(schemas["Whole"])["type"] == "object"
    assert r.resolve(schemas["Escaped"]) == {"type": "boolean"}
    assert r.resolve(schemas["Spaced"]) == {"type": "number"}


def test_existing_bundle_key_is_kept(tmp_path: Path) -> None:
    main = write(tmp_path, "api.yaml", OK3 + "paths: {}\nx-samplegen-external: {mine: {type: string}}\n"
                 "components: {schemas: {P: {$ref: 'c.yaml#/P'}}}\n")
    write(tmp_path, "c.yaml", "P: {type: integer}\n")
    data = load_document(str(main)).data
    assert data[EXTERNAL_KEY]["mine"] == {"type": "string"}
    assert Resolver(data).resolve(data["components"]["schemas"]["P"]) == {"type": "integer"}


def test_long_ref_chain_does_not_hit_the_recursion_limit() -> None:
    n = 3000
    schemas = {f"S{i}": {"$ref": f"#/components/schemas/S{i + 1}"} for i in range(n)}
    schemas[f"S{n}"] = {"type": "string"}
    doc = load_document(json.dumps({"openapi": "3.0.3", "components": {"schemas": schemas}}).encode())
    assert Resolver(doc.data).resolve(doc.data["components"]["schemas"]["S0"]) == {"type": "string"}


def test_a_schema_containing_itself_is_not_a_cycle() -> None:
    text = OK3 + "paths: {}\ncomponents:\n  schemas:\n    Node:\n      type: object\n" \
                 "      properties:\n        next: {$ref: '#/components/schemas/Node'}\n"
    load_document(text.encode())


# --------------------------------------------------------------------------- speed


def test_a_big_definition_loads_quickly(tmp_path: Path) -> None:
    schemas = {
        f"S{i}": {"type": "object", "required": ["f1"], "properties": {
            **{f"f{j}": {"type": "string", "description": "text " * 20, "example": "x"} for j in range(25)},
            "next": {"$ref": f"#/components/schemas/S{(i + 1) % 1500}"},
        }} for i in range(1500)
    }
    paths = {
        f"/things/{i}/{{id}}": {"get": {
            "operationId": f"op{i}", "summary": "Summary " * 5,
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/S{i % 1500}"},
                "examples": {"one": {"value": {"a": [1, 2, 3], "b": "text " * 30}}}}}}},
        }} for i in range(4000)
    }
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
                                "paths": paths, "components": {"schemas": schemas}}, indent=2))
    assert path.stat().st_size > 12 * 1024 * 1024
    start = time.perf_counter()
    doc = load_document(str(path))
    elapsed = time.perf_counter() - start
    assert len(doc.data["paths"]) == 4000
    assert elapsed < 3.0, f"{elapsed:.2f}s"  # about 0.4 s on a laptop; slack for slow CI machines


def test_deep_flow_nesting_is_reported_as_ours_whichever_limit_fires_first():
    # PyYAML 6.0.4's scanner stops deep flow nesting with its own error before our builder
    # counts the levels; the loader must still say what the problem is, in its own words.
    from generator.loader import MAX_DEPTH
    from generator.loader.yaml_text import _yaml_flow_depth_offset

    text = "a: 1\nx: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    assert _yaml_flow_depth_offset(text, MAX_DEPTH, len(text)) == len("a: 1\nx: ") + MAX_DEPTH
    quoted = "x: ['" + "[" * (MAX_DEPTH + 5) + "', \"" + "{" * (MAX_DEPTH + 5) + "\"] # " + "[" * 300 + "\n"
    assert _yaml_flow_depth_offset(quoted, MAX_DEPTH, len(quoted)) is None
    shallow = "x: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert _yaml_flow_depth_offset(shallow, MAX_DEPTH, len(shallow)) is None


# --------------------------------------------------------------------------- lenient loading

DANGLING = OK3 + """paths:
  /a:
    get:
      parameters:
        - $ref: '#/components/parameters/Nope'
      responses: {'200': {description: ok}}
components: {parameters: {}}
"""


def test_dangling_ref_strict_names_lenient_and_lenient_warns(tmp_path: Path) -> None:
    path = write(tmp_path, "api.yaml", DANGLING)
    with pytest.raises(SpecError) as info:
        load_document(str(path))
    err = info.value
    assert err.recoverable and "--lenient" in err.format()
    assert err.location == f"{path}:7:11 #/paths/~1a/get/parameters/0"
    doc = load_document(str(path), lenient=True)
    assert [(w.level, w.location) for w in doc.warnings] == [("warning", f"{path}#/paths/~1a/get/parameters/0")]
    assert doc.locate([doc.warnings[0].location]) == {
        doc.warnings[0].location: f"{path}:7:11 #/paths/~1a/get/parameters/0"}
    assert "points to nothing" in doc.warnings[0].message
    # the reference is left as it is: following it fails (the normalizer skips what reaches it)
    resolver = Resolver(doc.data, str(path))
    with pytest.raises(SpecError, match="points to nothing"):
        resolver.deref(doc.data["paths"]["/a"]["get"]["parameters"][0], "/paths/~1a/get/parameters/0")
    assert len(resolver.failures) == 1 and resolver.failures[0].recoverable


def test_missing_external_file_lenient_leaves_a_reference_that_says_why(tmp_path: Path) -> None:
    main = write(tmp_path, "api.yaml", OK3 + "paths: {}\ncomponents:\n  schemas:\n    P: {$ref: 'gone.yaml#/Pet'}\n")
    with pytest.raises(SpecError, match="file not found") as info:
        load_document(str(main))
    assert "--lenient" in info.value.format()
    doc = load_document(str(main), lenient=True)
    assert len(doc.warnings) == 1 and doc.warnings[0].message.endswith("file not found: " + str(tmp_path / "gone.yaml"))
    holder = doc.data["components"]["schemas"]["P"]
    assert holder["$ref"].startswith("#/" + EXTERNAL_KEY + "/")
    with pytest.raises(SpecError, match="file not found: .*gone.yaml"):
        Resolver(doc.data).deref(holder, "/components/schemas/P")


@pytest.mark.parametrize("ref, message", [
    ("/etc/passwd", "absolute path outside the definition's folder"),
    ("../../../etc/passwd#/x", "points outside the definition's folder"),
    ("http://example.com/x.yaml", "over the network is not supported"),
    ("file:///etc/passwd", "URLs are not supported"),
])
def test_safety_refusals_stay_errors_in_lenient_mode(tmp_path: Path, ref: str, message: str) -> None:
    main = write(tmp_path, "api.yaml", OK3 + f"paths: {{}}\ncomponents:\n  schemas:\n    P: {{$ref: '{ref}'}}\n")
    with pytest.raises(SpecError, match=message) as info:
        load_document(str(main), lenient=True)
    assert not info.value.recoverable and "--lenient" not in info.value.format()


def test_alias_bomb_stays_an_error_in_lenient_mode() -> None:
    bomb = OK3 + "paths: {}\nx-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
    for i, prev in zip("bcdefgh", "abcdefg"):
        bomb += f"x-{i}: &{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    with pytest.raises(SpecError, match="alias"):
        load_document(bomb.encode(), lenient=True)


@pytest.mark.parametrize("text, first, second", [
    (OK3 + "paths:\n  /a:\n    get:\n      operationId: GetEMetrics\n      operationId: getEMetrics\n"
           "      responses: {'200': {description: ok}}\n", "line 6", "line 7"),
    ('{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {\n'
     '  "operationId": "GetEMetrics",\n  "operationId": "getEMetrics",\n'
     '  "responses": {"200": {"description": "ok"}}}}}}\n', "line 2", "line 3"),
])
def test_duplicate_key_strict_error_lenient_warning_keeps_the_last(text: str, first: str, second: str) -> None:
    with pytest.raises(SpecError) as info:
        load_document(text.encode(), name="api")
    err = info.value
    assert f"duplicate key 'operationId' at {first} and {second}" in err.message
    assert err.location.endswith(" #/paths/~1a/get/operationId")
    assert err.location.startswith(f"api:{second.split()[1]}:")
    assert "--lenient" in err.format()
    doc = load_document(text.encode(), name="api", lenient=True)
    assert doc.data["paths"]["/a"]["get"]["operationId"] == "getEMetrics"
    assert [w.level for w in doc.warnings] == ["warning"]
    assert doc.warnings[0].message == (f"duplicate key 'operationId' at {first} and {second}: "
                                       f"the value at {second} (the last) is kept")


def test_duplicate_key_in_a_list_item_is_placed_at_its_pointer() -> None:
    text = OK3 + "paths: {}\nx-list:\n  - a: 1\n  - b: 1\n    b: 2\n"
    with pytest.raises(SpecError) as info:
        load_document(text.encode(), name="api")
    assert info.value.location == "api:7:5 #/x-list/1/b"


# --------------------------------------------------------------------------- size limit


def test_max_bytes_is_a_limit_the_caller_sets_and_the_message_says_how_to_raise_it() -> None:
    text = (OK3 + "paths: {}\nx-pad: '" + "x" * (2 * 1024 * 1024) + "'\n").encode()
    with pytest.raises(SpecError) as info:
        load_document(text, max_bytes=1024 * 1024)
    assert "definitions larger than 1 MiB are refused" in info.value.message
    assert "--max-size 3 (MiB) raises the limit" in info.value.message
    assert load_document(text, max_bytes=4 * 1024 * 1024).version == "3.0"


def test_max_bytes_counts_the_referenced_files_too(tmp_path: Path) -> None:
    write(tmp_path, "big.yaml", "Pet: {type: string, description: '" + "x" * (700 * 1024) + "'}\n")
    main = write(tmp_path, "api.yaml", OK3 + "paths: {}\ncomponents:\n  schemas:\n    P: {$ref: 'big.yaml#/Pet'}\n"
                 "    Q: {description: '" + "y" * (400 * 1024) + "'}\n")
    with pytest.raises(SpecError, match=r"together exceed 1 MiB \(--max-size 2 \(MiB\) raises the limit\)"):
        load_document(str(main), max_bytes=1024 * 1024)
    load_document(str(main), max_bytes=2 * 1024 * 1024)
