"""Example values built from schemas: priority, structure, composition, recursion, checks."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from generator.examples import ExampleBuilder, pattern_example, plain
from generator.examples.context import Call
from generator.refs import Resolver

REAL_SPECS = Path(__file__).resolve().parents[1].parent / "shared" / "real-specs"
if not REAL_SPECS.is_dir():  # pragma: no cover - layout fallback
    REAL_SPECS = Path("/work/shared/real-specs")


def make(version: str = "3.0", schemas: dict | None = None, **top) -> ExampleBuilder:
    if version == "2.0":
        doc = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
               "definitions": schemas or {}, **top}
    else:
        doc = {"openapi": "3.1.0" if version == "3.1" else "3.0.3", "info": {"title": "t", "version": "1"},
               "paths": {}, "components": {"schemas": schemas or {}}, **top}
    return ExampleBuilder(Resolver(doc, "spec.yaml"), spec_version=doc.get("openapi", "2.0"))


def build(schema, version: str = "3.0", schemas: dict | None = None, **kw):
    builder = make(version, schemas)
    value = builder.for_schema(schema, "/x", **kw)
    return value, builder.diagnostics


def messages(diags) -> list[str]:
    return [d.message for d in diags]


# -- declared values and their priority --------------------------------------------------------
def test_example_wins_over_default_enum_and_type():
    value, diags = build({"type": "string", "example": "ex", "default": "d", "enum": ["ex", "d"]})
    assert value == "ex" and diags == []


def test_31_examples_array_first_item():
    assert build({"type": "integer", "examples": [7, 8]}, "3.1")[0] == 7


def test_default_before_const_and_enum():
    assert build({"type": "string", "default": "b", "enum": ["a", "b"]})[0] == "b"


def test_const():
    assert build({"const": "ok"}, "3.1")[0] == "ok"


def test_enum_first_non_null():
    assert build({"type": ["string", "null"], "enum": [None, "en", "fr"]}, "3.1")[0] == "en"


def test_enum_only_null():
    assert build({"enum": [None]}, "3.1")[0] is None


def test_x_examples_vendor_extension_used():
    assert build({"type": "object", "x-examples": {"first": {"a": 1}, "second": {"a": 2}}})[0] == {"a": 1}
    assert build({"type": "object", "x-examples": {}, "properties": {"a": {"type": "integer"}}})[0] == {"a": 0}


def test_declared_example_is_a_fresh_copy():
    schema = {"type": "object", "example": {"a": [1]}}
    value, _ = build(schema)
    value["a"].append(2)
    assert schema["example"] == {"a": [1]}


def test_yaml_dates_become_iso_strings():
    schema = yaml.safe_load(
        "type: object\nexample:\n  day: 2024-01-15\n  at: 2024-01-15T09:30:00Z\n  local: 2024-01-15 09:30:00\n"
        "  offset: 2024-01-15T09:30:00+02:00\n  1: one\n"
    )
    value, _ = build(schema)
    assert value == {"day": "2024-01-15", "at": "2024-01-15T09:30:00Z", "local": "2024-01-15T09:30:00",
                     "offset": "2024-01-15T09:30:00+02:00", "1": "one"}
    json.dumps(value)


def test_plain_converts_odd_values():
    assert plain({True: b"ab", "t": (1, float("inf"))}) == {"true": "YWI=", "t": [1, "Infinity"]}


# -- strings ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fmt, expected",
    [
        ("date", "2024-01-15"),
        ("date-time", "2024-01-15T09:30:00Z"),
        ("time", "09:30:00"),
        ("uuid", "3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        ("email", "user@example.com"),
        ("uri", "https://example.com"),
        ("url", "https://example.com"),
        ("hostname", "example.com"),
        ("ipv4", "192.0.2.1"),
        ("ipv6", "2001:db8::1"),
        ("byte", "ZXhhbXBsZQ=="),
        ("binary", ""),
        ("password", "secret-value"),
    ],
)
def test_string_formats(fmt, expected):
    assert build({"type": "string", "format": fmt})[0] == expected


def test_unknown_format_falls_back_to_name():
    schema = {"type": "object", "properties": {"arr": {"type": "string", "format": "numpy.ndarray"}}}
    assert build(schema)[0] == {"arr": "arr"}


def test_string_uses_property_name_else_string():
    assert build({"type": "string"})[0] == "string"
    assert build({"type": "string"}, name="city")[0] == "city"
    assert build({"properties": {"city": {"type": "string"}}})[0] == {"city": "city"}


def test_string_min_and_max_length():
    assert build({"type": "string", "minLength": 10})[0] == "stringstri"
    assert build({"type": "string", "maxLength": 3})[0] == "str"
    assert build({"type": "string", "minLength": 2}, name="a")[0] == "aa"


def test_pattern_simple_generated():
    value, diags = build({"type": "string", "pattern": r"^[A-Z]{3}-\d{4}$"})
    assert value == "AAA-0000" and diags == []


def test_pattern_matched_by_name_is_kept():
    assert build({"type": "string", "pattern": "^[a-z]+$"}, name="city")[0] == "city"


def test_pattern_with_length_bounds():
    value, _ = build({"type": "string", "pattern": "^[a-f0-9]+$", "minLength": 8})
    assert re.fullmatch("[a-f0-9]{8,}", value)


def test_pattern_not_simple_warns_and_keeps_text():
    value, diags = build({"type": "string", "pattern": r"^(?=.*(\d)\1)(?=.*[A-Z]).{8}$"})
    assert value == "string"
    assert len(diags) == 1 and "pattern" in diags[0].message
    assert diags[0].location == "spec.yaml#/x/pattern"


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[A-Z]{2}[0-9]{9}[A-Z]{2}$",
        r"^\d{3}-\d{2}-\d{4}$",
        r"^(foo|bar)-[a-z]+$",
        r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$",
        r"^\+?[1-9]\d{1,14}$",
        r"^https?://[\w.-]+(/\S*)?$",
        r"^[A-Za-z0-9_\-]{3,16}$",
        r"^(?:[0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$",
        r"^v\d+\.\d+\.\d+$",
        r"[0-9]",
        r"^\$\{[A-Z_]+\}$",
        r"^[]a]b$",
        r"^x{2,}y*z?$",
        r"^(?P<year>\d{4})-(?P<month>\d{2})$",
        r"^\x41\u00e9[\t ]$",
    ],
)
def test_pattern_example_matches(pattern):
    text = pattern_example(pattern)
    assert text is not None and re.search(pattern, text), text
    second = pattern_example(pattern, variant=1)
    assert second is not None and re.search(pattern, second), second


@pytest.mark.parametrize("pattern", [r"(a)\1", r"^(?=b)a$", r"a(?=a)", r"\p{L}+", r"(a", r"a)", r"*a", r"[z-a]"])
def test_pattern_example_refuses_what_it_cannot_do(pattern):
    assert pattern_example(pattern) is None


def test_pattern_python_cannot_compile_is_generated_unchecked():
    value, diags = build({"type": "string", "pattern": r"^(?<year>\d{4})$"})
    assert value == "0000" and diags == []


def test_string_variants_stay_valid():
    schema = {"type": "array", "minItems": 3, "uniqueItems": True,
              "items": {"type": "string", "pattern": r"^[A-Z]{3}$"}}
    value, diags = build(schema)
    assert value == ["AAA", "BBB", "CCC"] and diags == []


# -- numbers and booleans --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "schema, expected",
    [
        ({"type": "integer"}, 0),
        ({"type": "integer", "format": "int64"}, 0),
        ({"type": "integer", "minimum": 1}, 1),
        ({"type": "integer", "minimum": -5}, 0),
        ({"type": "integer", "minimum": 0, "exclusiveMinimum": True}, 1),
        ({"type": "integer", "maximum": -3}, -3),
        ({"type": "integer", "maximum": 0, "exclusiveMaximum": True}, -1),
        ({"type": "integer", "minimum": 12, "multipleOf": 5}, 15),
        ({"type": "integer", "minimum": 10, "maximum": 20}, 10),
        ({"type": "integer", "minimum": 0.5}, 1),
        ({"type": "number"}, 0),
        ({"type": "number", "format": "double", "minimum": 1.5}, 1.5),
        ({"type": "number", "minimum": 0, "exclusiveMinimum": True}, 1),
        # 0.3 / 0.1 is 2.9999999999999996 in floating point: validators refuse 0.3
        ({"type": "number", "minimum": 0.25, "multipleOf": 0.1}, 0.4),
        ({"type": "number", "minimum": 0.1, "maximum": 0.5, "exclusiveMinimum": True}, 0.3),
    ],
)
def test_numbers_30(schema, expected):
    value, diags = build(schema)
    assert value == expected and type(value) is type(expected) and diags == []


@pytest.mark.parametrize(
    "schema, expected",
    [
        ({"type": "integer", "exclusiveMinimum": 5}, 6),
        ({"type": "integer", "exclusiveMaximum": 0}, -1),
        ({"type": "number", "exclusiveMinimum": 0}, 1),
        ({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 0.5}, 0.25),
        ({"type": "integer", "minimum": 3, "exclusiveMinimum": 3}, 4),
    ],
)
def test_numbers_31_numeric_exclusive_bounds(schema, expected):
    value, _ = build(schema, "3.1")
    assert value == expected and type(value) is type(expected)


def test_contradictory_bounds_warn():
    value, diags = build({"type": "integer", "minimum": 5, "maximum": 1})
    assert value == 5 and "bounds" in messages(diags)[0]


def test_boolean_is_true():
    assert build({"type": "boolean"})[0] is True


# -- null and type lists ---------------------------------------------------------------------------
def test_type_null_gives_none():
    assert build({"type": "null"}, "3.1")[0] is None


def test_type_list_takes_first_non_null():
    assert build({"type": ["null", "integer"]}, "3.1")[0] == 0
    assert build({"type": ["string", "null"]}, "3.1")[0] == "string"


def test_nullable_gives_non_null_value():
    assert build({"type": "integer", "nullable": True})[0] == 0


@pytest.mark.parametrize("schema", [{}, True, None, {"description": "anything"}])
def test_schema_without_information_gives_none(schema):
    assert build(schema)[0] is None


def test_type_inferred_from_keywords():
    assert build({"properties": {"a": {"minimum": 2}}})[0] == {"a": 2}
    assert build({"items": {"format": "int32"}})[0] == [0]
    assert build({"maxLength": 2})[0] == "st"


# -- objects -----------------------------------------------------------------------------------------
def test_object_all_properties_in_declared_order():
    schema = {"type": "object", "required": ["z"],
              "properties": {"z": {"type": "string"}, "a": {"type": "integer"}, "m": {"type": "boolean"}}}
    value, _ = build(schema)
    assert list(value) == ["z", "a", "m"] and value == {"z": "z", "a": 0, "m": True}


def test_read_only_left_out_of_requests_write_only_out_of_responses():
    schema = {"type": "object", "properties": {
        "id": {"type": "integer", "readOnly": True},
        "password": {"type": "string", "writeOnly": True},
        "name": {"type": "string"}}}
    assert build(schema)[0] == {"password": "password", "name": "name"}
    assert build(schema, direction="response")[0] == {"id": 0, "name": "name"}


def test_read_only_through_ref_and_allof():
    schemas = {"Id": {"type": "integer", "readOnly": True}}
    schema = {"properties": {"id": {"$ref": "#/components/schemas/Id"},
                             "key": {"allOf": [{"$ref": "#/components/schemas/Id"}]},
                             "n": {"type": "integer"}}}
    assert build(schema, schemas=schemas)[0] == {"n": 0}


def test_empty_property_schema_nested_gives_empty_object():
    assert build({"properties": {"meta": {}, "any": True}})[0] == {"meta": {}, "any": {}}


def test_empty_object_schema():
    assert build({"type": "object"})[0] == {}


def test_additional_properties_one_entry():
    assert build({"type": "object", "additionalProperties": {"type": "integer"}})[0] == {"key": 0}
    assert build({"type": "object", "additionalProperties": True})[0] == {}
    two = build({"type": "object", "minProperties": 2, "additionalProperties": {"type": "string"}})[0]
    assert two == {"key1": "string", "key2": "string2"}


def test_additional_properties_ignored_beside_properties():
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "integer"}}
    assert build(schema)[0] == {"a": "a"}


def test_property_names_shape_keys():
    schema = {"type": "object", "propertyNames": {"pattern": "^[A-Z]{2}$"}, "additionalProperties": {"type": "integer"}}
    assert build(schema, "3.1")[0] == {"AA": 0}


# -- arrays ------------------------------------------------------------------------------------------
def test_array_one_item():
    assert build({"type": "array", "items": {"type": "string"}}, name="tags")[0] == ["tags"]


def test_array_min_items_honoured_up_to_ten():
    assert len(build({"type": "array", "minItems": 3, "items": {"type": "integer"}})[0]) == 3
    assert len(build({"type": "array", "minItems": 25, "items": {"type": "integer"}})[0]) == 10
    assert build({"type": "array", "maxItems": 0, "items": {"type": "integer"}})[0] == []


def test_array_without_items_is_empty():
    assert build({"type": "array"})[0] == []


@pytest.mark.parametrize(
    "items, expected",
    [
        ({"type": "string"}, ["string", "string2", "string3"]),
        ({"type": "integer", "minimum": 1}, [1, 2, 3]),
        ({"type": "integer", "multipleOf": 10}, [0, 10, 20]),
        ({"type": "integer", "maximum": 0}, [0, -1, -2]),
        ({"type": "string", "enum": ["a", "b", "c", "d"]}, ["a", "b", "c"]),
        ({"type": "string", "format": "date"}, ["2024-01-15", "2024-01-16", "2024-01-17"]),
        ({"type": "string", "format": "uuid"}, ["3fa85f64-5717-4562-b3fc-2c963f66afa6",
                                                "3fa85f64-5717-4562-b3fc-2c963f66afa7",
                                                "3fa85f64-5717-4562-b3fc-2c963f66afa8"]),
        ({"type": "string", "example": "x"}, ["x", "x2", "x3"]),
        ({"type": "object", "properties": {"n": {"type": "integer"}}}, [{"n": 0}, {"n": 1}, {"n": 2}]),
    ],
)
def test_unique_items_distinct(items, expected):
    value, diags = build({"type": "array", "minItems": 3, "uniqueItems": True, "items": items})
    assert value == expected and diags == []


def test_unique_items_impossible_warns():
    value, diags = build({"type": "array", "minItems": 3, "uniqueItems": True, "items": {"const": 1}}, "3.1")
    assert value == [1, 1, 1]
    assert "distinct" in messages(diags)[0]


def test_unique_booleans():
    assert build({"type": "array", "minItems": 2, "uniqueItems": True, "items": {"type": "boolean"}})[0] == [True, False]


def test_prefix_items():
    schema = {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}], "items": False}
    assert build(schema, "3.1")[0] == ["string", 1]


# -- composition -------------------------------------------------------------------------------------
PET_SCHEMAS = {
    "Pet": {"type": "object", "required": ["petType"],
            "properties": {"name": {"type": "string"}, "petType": {"type": "string"}},
            "discriminator": {"propertyName": "petType"}},
    "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"},
                      {"type": "object", "required": ["bark"], "properties": {"bark": {"type": "boolean"}}}]},
    "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"},
                      {"type": "object", "properties": {"lives": {"type": "integer", "minimum": 1}}}]},
}


def test_all_of_merges_properties_in_order():
    value, _ = build({"$ref": "#/components/schemas/Cat"}, schemas=PET_SCHEMAS)
    assert list(value) == ["name", "petType", "lives"]


def test_all_of_wrapper_keeps_enum_and_example():
    schemas = {"Status": {"type": "string", "enum": ["active", "gone"]},
               "Money": {"type": "object", "example": {"amount": 5}}}
    assert build({"allOf": [{"$ref": "#/components/schemas/Status"}], "description": "d"}, schemas=schemas)[0] == "active"
    assert build({"allOf": [{"$ref": "#/components/schemas/Money"}]}, schemas=schemas)[0] == {"amount": 5}


def test_all_of_does_not_take_a_base_example_for_a_bigger_schema():
    schemas = {"Base": {"type": "object", "properties": {"a": {"type": "integer"}}, "example": {"a": 9}}}
    schema = {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"b": {"type": "string"}}}]}
    assert build(schema, schemas=schemas)[0] == {"a": 0, "b": "b"}


def test_all_of_same_property_twice_is_merged():
    schema = {"allOf": [{"properties": {"a": {"type": "integer"}}}, {"properties": {"a": {"minimum": 4}}}]}
    assert build(schema)[0] == {"a": 4}


def test_discriminator_on_all_of_base_names_the_schema():
    value, _ = build({"$ref": "#/components/schemas/Dog"}, schemas=PET_SCHEMAS)
    assert value == {"name": "name", "petType": "Dog", "bark": True}


def test_discriminator_on_base_with_mapping():
    schemas = json.loads(json.dumps(PET_SCHEMAS))
    schemas["Pet"]["discriminator"]["mapping"] = {"dog": "#/components/schemas/Dog", "cat": "Cat"}
    assert build({"$ref": "#/components/schemas/Dog"}, schemas=schemas)[0]["petType"] == "dog"
    assert build({"$ref": "#/components/schemas/Cat"}, schemas=schemas)[0]["petType"] == "cat"


def test_one_of_discriminator_mapping_key():
    schema = {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
              "discriminator": {"propertyName": "petType",
                                "mapping": {"kitty": "#/components/schemas/Cat"}}}
    value, _ = build(schema, schemas=PET_SCHEMAS)
    assert value["petType"] == "kitty" and "lives" in value


def test_one_of_discriminator_without_mapping_uses_ref_name():
    schemas = {"A": {"type": "object", "properties": {"x": {"type": "integer"}}}}
    schema = {"oneOf": [{"$ref": "#/components/schemas/A"}], "discriminator": {"propertyName": "kind"}}
    value, _ = build(schema, schemas=schemas)
    assert value == {"kind": "A", "x": 0} and list(value) == ["kind", "x"]


def test_one_of_without_parent_discriminator_uses_base_one():
    schema = {"oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]}
    assert build(schema, schemas=PET_SCHEMAS)[0]["petType"] == "Cat"


def test_one_of_value_matching_several_branches_takes_another_branch():
    # a Dog ({petType, name, bark}) is also a valid Cat (nothing required beyond petType): a
    # server that ignores the discriminator refuses it; a Cat is not a valid Dog (no bark)
    schema = {"oneOf": [{"$ref": "#/components/schemas/Dog"}, {"$ref": "#/components/schemas/Cat"}]}
    value, diags = build(schema, schemas=PET_SCHEMAS)
    assert value == {"name": "name", "petType": "Cat", "lives": 1} and diags == []
    # when no branch gives an unambiguous value, the first one is kept
    loose = {"oneOf": [{"type": "object", "properties": {"a": {"type": "string"}}},
                       {"type": "object", "properties": {"b": {"type": "string"}}}]}
    assert build(loose)[0] == {"a": "a"}
    # anyOf allows several matches
    assert build({"anyOf": schema["oneOf"]}, schemas=PET_SCHEMAS)[0]["petType"] == "Dog"


def test_swagger2_discriminator_string():
    schemas = {"Pet": {"type": "object", "discriminator": "kind", "required": ["kind"],
                       "properties": {"kind": {"type": "string"}}},
               "Dog": {"allOf": [{"$ref": "#/definitions/Pet"}, {"properties": {"bark": {"type": "boolean"}}}]}}
    assert build({"$ref": "#/definitions/Dog"}, "2.0", schemas)[0] == {"kind": "Dog", "bark": True}


def test_one_of_skips_null_and_not_branches():
    assert build({"oneOf": [{"type": "null"}, {"not": {"type": "string"}}, {"type": "integer"}]}, "3.1")[0] == 0
    assert build({"anyOf": [{"type": "null"}, {"type": "string", "format": "date"}]}, "3.1")[0] == "2024-01-15"


def test_one_of_with_sibling_properties():
    schema = {"type": "object", "properties": {"id": {"type": "integer"}},
              "oneOf": [{"properties": {"a": {"type": "string"}}}, {"properties": {"b": {"type": "string"}}}]}
    assert build(schema)[0] == {"id": 0, "a": "a"}


def test_one_of_with_only_null_branches():
    assert build({"oneOf": [{"type": "null"}]}, "3.1")[0] is None


# -- $ref handling -----------------------------------------------------------------------------------
def test_ref_siblings_apply_in_31_only():
    schemas = {"Name": {"type": "string"}}
    schema = {"properties": {"n": {"$ref": "#/components/schemas/Name", "example": "Rex"}}}
    assert build(schema, "3.1", schemas)[0] == {"n": "Rex"}
    assert build(schema, "3.0", schemas)[0] == {"n": "n"}


def test_missing_ref_warns_and_gives_none():
    value, diags = build({"$ref": "#/components/schemas/Nope"})
    assert value is None and "points to nothing" in messages(diags)[0]


def test_missing_ref_inside_object_gives_empty_object():
    value, diags = build({"properties": {"a": {"$ref": "#/components/schemas/Nope"}, "b": {"type": "integer"}}})
    assert value == {"a": {}, "b": 0} and len(diags) == 1


# -- recursion and depth -----------------------------------------------------------------------------
def test_self_reference_stops_with_required_properties():
    schemas = {"Node": {"type": "object", "required": ["value"], "properties": {
        "value": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        "parent": {"$ref": "#/components/schemas/Node"}}}}
    value, _ = build({"$ref": "#/components/schemas/Node"}, schemas=schemas)
    assert value == {"value": "value", "children": [{"value": "value"}], "parent": {"value": "value"}}


def test_component_built_in_place_counts_as_expanded():
    schemas = {"Cat": {"type": "object", "required": ["name"], "properties": {
        "name": {"type": "string"}, "parent": {"$ref": "#/components/schemas/Cat"}}}}
    builder = make("3.0", schemas)
    in_place = builder.for_schema(schemas["Cat"], "/components/schemas/Cat")
    by_ref = builder.for_schema({"$ref": "#/components/schemas/Cat"}, "/x")
    assert in_place == by_ref == {"name": "name", "parent": {"name": "name"}}


def test_required_self_reference_stops_at_max_depth():
    schemas = {"Chain": {"type": "object", "required": ["next"],
                         "properties": {"next": {"$ref": "#/components/schemas/Chain"}}}}
    builder = make("3.0", schemas)
    value = builder.for_schema({"$ref": "#/components/schemas/Chain"}, "/x")
    depth = 0
    while value:
        value = value["next"]
        depth += 1
    # an endless chain of required objects: required properties are kept a few levels past the
    # depth limit (as far as a validating server looks, in practice), then it stops
    assert depth == builder.max_depth + 4
    assert value == {}


def test_recursive_any_of_prefers_the_non_recursive_branch():
    schemas = {"tensor": {"type": "array", "items": {"anyOf": [
        {"$ref": "#/components/schemas/tensor"}, {"type": "number"}, {"type": "string"}]}}}
    value, _ = build({"properties": {"data": {"$ref": "#/components/schemas/tensor"}}}, schemas=schemas)
    assert value == {"data": [0]}


def test_composition_loops_end_with_a_warning():
    schemas = {"A": {"oneOf": [{"$ref": "#/components/schemas/A"}]},
               "B": {"anyOf": [{"$ref": "#/components/schemas/C"}]},
               "C": {"allOf": [{"$ref": "#/components/schemas/B"}], "description": "c"}}
    for name in "ABC":
        value, diags = build({"$ref": f"#/components/schemas/{name}"}, schemas=schemas)
        assert value is None and "loop" in messages(diags)[0]


def test_deep_non_recursive_nesting_is_cut():
    schema: dict = {"type": "string"}
    for i in range(8):
        schema = {"type": "object", "required": ["r"], "properties": {"o": {"type": "integer"}, "r": schema}}
    # optional properties stop at the depth limit, required ones a few levels further
    text = json.dumps(make().for_schema(schema, "/x"))
    assert text.count('"r"') == 9 and text.count('"o"') == 5 and text.endswith('"r": "r"}}}}}}}}')
    for i in range(4):
        schema = {"type": "object", "required": ["r"], "properties": {"r": schema}}
    text = json.dumps(make().for_schema(schema, "/x"))
    assert text.count('"r"') == 9 and text.endswith('"r": {}}}}}}}}}}')


def test_nullable_object_past_the_depth_limit_is_null():
    schema: dict = {"type": "object", "nullable": True, "required": ["v"], "properties": {"v": {"type": "integer"}}}
    for i in range(6):
        schema = {"type": "object", "required": ["r"], "properties": {"r": schema}}
    text = json.dumps(make().for_schema(schema, "/x"))
    assert text.endswith('"r": null}}}}}}')


def test_max_depth_zero():
    builder = ExampleBuilder(Resolver({}), spec_version="3.0", max_depth=0)
    schema = {"type": "object", "required": ["a"], "properties": {"a": {"type": "object", "properties": {}},
                                                                    "b": {"type": "integer"}}}
    assert builder.for_schema(schema, "/x") == {"a": {}}


# -- declared values checked against their schema ----------------------------------------------------
REPLACED = "a value built from the schema is sent instead"


def shape(texts: list[str]) -> list[str]:
    """Our messages with the validator's own words (after "(", "at /x: " or ": ") cut to "...":
    the tests check what samplegen says, not another library's text."""
    out = []
    for text in texts:
        text = re.sub(r"\((at /[^:]*: )?[^;]*\);", lambda m: f"({m.group(1) or ''}...);", text)
        text = re.sub(r"(schema): .*$", r"\1: ...", text)
        out.append(text)
    return out


def test_example_contradicting_schema_is_replaced_by_a_built_value():
    value, diags = build({"type": "integer", "example": "ten"})
    assert value == 0
    assert shape(messages(diags)) == ["example does not match its schema (...); " + REPLACED]
    assert diags[0].location == "spec.yaml#/x/example"


def test_example_kept_when_the_built_value_is_not_valid_either():
    # no string satisfies both bounds: the built value fails too, so the declared one stays
    value, diags = build({"type": "string", "minLength": 5, "maxLength": 2, "example": "abc"})
    assert value == "abc"
    assert shape(messages(diags)) == ["example does not match its schema: ..."]


def test_default_contradicting_schema_is_replaced():
    value, diags = build({"type": "string", "enum": ["a"], "default": "b"})
    assert value == "a"
    assert shape(messages(diags)) == ["default does not match its schema (...); " + REPLACED]
    assert diags[0].location == "spec.yaml#/x/default"


def test_bad_example_falls_back_to_a_valid_default():
    value, diags = build({"type": "integer", "minimum": 1, "example": 0, "default": 5})
    assert value == 5 and len(diags) == 1 and REPLACED in diags[0].message


def test_bad_example_and_bad_default_both_reported():
    value, diags = build({"type": "integer", "minimum": 3, "example": 0, "default": 1})
    assert value == 3
    assert [d.location for d in diags] == ["spec.yaml#/x/example", "spec.yaml#/x/default"]


def test_example_checked_with_refs_and_formats():
    schemas = {"Age": {"type": "integer", "minimum": 0}}
    ok = {"type": "object", "properties": {"age": {"$ref": "#/components/schemas/Age"}}, "example": {"age": 3}}
    assert build(ok, schemas=schemas) == ({"age": 3}, [])
    bad = dict(ok, example={"age": -1})
    value, diags = build(bad, schemas=schemas)
    assert value == {"age": 0}
    assert shape(messages(diags)) == ["example does not match its schema (at /age: ...); " + REPLACED]
    assert build({"type": "string", "format": "date", "example": "soon"}) == (
        "2024-01-15", [build({"type": "string", "format": "date", "example": "soon"})[1][0]])


def test_bad_property_example_does_not_poison_its_object():
    schema = {"type": "object", "required": ["id", "when"], "properties": {
        "id": {"type": "string", "format": "uuid", "example": "42"},
        "when": {"type": "string", "format": "date-time", "example": "2024-01-15 10:00"},
        "name": {"type": "string", "example": "Rex"}}}
    value, diags = build(schema)
    assert value == {"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "when": "2024-01-15T09:30:00Z", "name": "Rex"}
    assert [d.location for d in diags] == ["spec.yaml#/x/properties/id/example",
                                           "spec.yaml#/x/properties/when/example"]


KEPT = REPLACED + " (the parts that match are kept)"


def test_bad_object_example_keeps_its_valid_properties():
    schema = {"type": "object", "required": ["n", "when"], "additionalProperties": False,
              "properties": {"n": {"type": "integer", "example": 7}, "s": {"type": "string", "example": "x"},
                             "when": {"type": "string", "format": "date"}},
              "example": {"n": 1, "s": 5, "extra": True}}
    value, diags = build(schema)
    # "s" rebuilt, "extra" dropped (additionalProperties false), the missing required "when" added
    assert value == {"n": 1, "s": "x", "when": "2024-01-15"}
    assert len(diags) == 1 and diags[0].message.endswith(KEPT)


def test_bad_array_example_repaired_item_by_item_and_to_its_bounds():
    schema = {"type": "array", "maxItems": 3, "items": {"type": "integer", "minimum": 1},
              "example": [4, -1, 5, 6]}
    value, diags = build(schema)
    assert value == [4, 1, 5] and diags[0].message.endswith(KEPT)
    value, _ = build({"type": "array", "minItems": 3, "uniqueItems": True,
                      "items": {"type": "string", "format": "email"}, "example": ["a@example.com"]})
    assert value == ["a@example.com", "user2@example.com", "user3@example.com"]


def test_repair_through_all_of_and_refs():
    schemas = {"Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "format": "uuid"}}}}
    schema = {"allOf": [{"$ref": "#/components/schemas/Base"},
                        {"type": "object", "properties": {"name": {"type": "string"}}}],
              "example": {"id": "7", "name": "Ada"}}
    value, diags = build(schema, schemas=schemas)
    assert value == {"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "name": "Ada"}


def test_example_of_a_one_of_is_rebuilt_whole():
    schema = {"oneOf": [{"type": "object", "required": ["a"], "properties": {"a": {"type": "integer"}}}],
              "example": {"a": "x", "keep": 1}}
    value, diags = build(schema)
    assert value == {"a": 0} and messages(diags)[0].endswith(REPLACED)


def test_bad_example_deep_in_an_array_of_refs():
    schemas = {"Tag": {"type": "object", "properties": {"code": {"type": "string", "pattern": "^[A-Z]{3}$",
                                                                   "example": "abc"}}}}
    value, diags = build({"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}, schemas=schemas)
    assert value == [{"code": "AAA"}]
    assert diags[0].location == "spec.yaml#/components/schemas/Tag/properties/code/example"


def test_31_examples_array_and_ref_sibling_example_checked():
    schemas = {"Id": {"type": "integer", "minimum": 1}}
    value, diags = build({"type": "integer", "minimum": 1, "examples": [0, 5]}, "3.1")
    assert value == 1 and diags[0].location == "spec.yaml#/x/examples/0"
    value, diags = build({"$ref": "#/components/schemas/Id", "example": -4}, "3.1", schemas)
    assert value == 1 and diags[0].location == "spec.yaml#/x/example"


def test_inherited_all_of_example_checked_against_the_merged_schema():
    schemas = {"Base": {"type": "string", "example": "toolong"}}
    value, diags = build({"allOf": [{"$ref": "#/components/schemas/Base"}], "maxLength": 3}, schemas=schemas)
    assert value == "str" and len(diags) == 1 and REPLACED in diags[0].message


def test_warnings_about_an_unused_built_value_are_dropped():
    # the built value fails (no string has length 5 and at most 2); the pattern warning
    # given while building it would describe a value that is not sent
    value, diags = build({"type": "string", "minLength": 5, "maxLength": 2, "pattern": "^(?=x)",
                          "example": "abc"})
    assert value == "abc"
    assert shape([d.message for d in diags]) == ["example does not match its schema: ..."]


def test_variant_of_a_declared_value_stays_valid():
    # array items vary the declared example; "red2" would not be one of the enum
    value, diags = build({"type": "array", "minItems": 2, "uniqueItems": True,
                          "items": {"type": "string", "enum": ["red", "green"], "example": "red"}})
    assert value == ["red", "green"] and diags == []
    value, _ = build({"type": "array", "minItems": 2,
                      "items": {"type": "string", "format": "date", "example": "2020-02-02"}})
    assert value == ["2020-02-02", "2024-01-16"]


def test_read_only_required_properties_do_not_fail_the_built_value():
    schema = {"type": "object", "required": ["id", "name"], "properties": {
        "id": {"type": "integer", "readOnly": True}, "name": {"type": "string"}},
        "example": {"name": 5}}
    value, diags = build(schema, "3.1")
    assert value == {"name": "name"} and REPLACED in diags[0].message


@pytest.mark.parametrize("fmt, good, bad", [
    ("uri", "https://example.com/a", "example.com"),
    ("email", "user@example.com", "user@localhost"),
    ("date", "2024-02-29", "20240115"),
    ("date-time", "2024-01-15T09:30:00+01:00", "2024-01-15T09:30:00"),
    ("time", "09:30:00", "9:30"),
    ("hostname", "api.example.com", "-bad-.com"),
    ("duration", "P3DT4H", "3 days"),
    ("byte", "ZXhhbXBsZQ==", "not base64!"),
    ("uuid", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "3fa85f64"),
    ("ipv4", "192.0.2.1", "192.0.2"),
])
def test_formats_checked_as_mock_servers_check_them(fmt, good, bad):
    assert build({"type": "string", "format": fmt, "example": good})[1] == []
    value, diags = build({"type": "string", "format": fmt, "example": bad})
    assert value != bad and len(diags) == 1 and REPLACED in diags[0].message


def test_built_values_of_every_format_pass_the_format_checks():
    from generator.examples import FORMAT_EXAMPLES
    for fmt in FORMAT_EXAMPLES:
        for version in ("3.0", "3.1"):
            builder = make(version)
            for i in range(3):
                value = builder._build(Call(), {"type": "string", "format": fmt}, "/x", name=None, level=0,
                                       chain=(), variant=i)
                assert builder._problem(Call(), value, {"type": "string", "format": fmt}) is None, (fmt, value)


def test_nested_declared_example_reported_once_at_its_place():
    schemas = {"P": {"type": "integer", "example": "x"}}
    builder = make("3.0", schemas)
    schema = {"properties": {"a": {"$ref": "#/components/schemas/P"}, "b": {"$ref": "#/components/schemas/P"}}}
    builder.for_schema(schema, "/x")
    builder.for_schema(schema, "/y")
    assert [d.location for d in builder.diagnostics] == ["spec.yaml#/components/schemas/P/example"]


def test_swagger2_example_checked_against_definitions():
    schemas = {"N": {"type": "integer"}}
    value, diags = build({"type": "object", "properties": {"n": {"$ref": "#/definitions/N"}},
                          "example": {"n": "x"}}, "2.0", schemas)
    assert value == {"n": 0} and len(diags) == 1


def test_nullable_null_example_is_fine():
    assert build({"type": "string", "nullable": True, "example": None})[1] == []
    assert build({"type": "string", "x-nullable": True, "example": None}, "2.0")[1] == []


# -- pick_declared ------------------------------------------------------------------------------------
def test_pick_declared_oas3_parameter_example():
    b = make()
    assert b.pick_declared({"name": "q", "in": "query", "schema": {"type": "string"}, "example": "cats"}, "/p") == (True, "cats")


def test_pick_declared_examples_map_first_value_and_refs():
    top = {"components": {"schemas": {}, "examples": {"Ex": {"value": {"a": 1}}}}}
    doc = {"openapi": "3.0.3", "info": {}, "paths": {}, **top}
    b = ExampleBuilder(Resolver(doc), spec_version="3.0.3")
    holder = {"schema": {"type": "object"}, "examples": {
        "ext": {"externalValue": "https://example.com/a.json"},
        "ref": {"$ref": "#/components/examples/Ex"},
        "later": {"value": {"a": 2}}}}
    assert b.pick_declared(holder, "/m") == (True, {"a": 1})


def test_pick_declared_examples_only_external():
    b = make()
    assert b.pick_declared({"examples": {"e": {"externalValue": "x.json", "summary": "s"}}}, "/m") == (False, None)


def test_pick_declared_raw_value_in_examples_map_warns():
    b = make()
    assert b.pick_declared({"examples": {"e": {"name": "Rex"}}}, "/m") == (True, {"name": "Rex"})
    assert "not an Example object" in b.diagnostics[0].message


def test_pick_declared_swagger2_x_example():
    b = make("2.0")
    param = {"name": "limit", "in": "query", "type": "integer", "x-example": 25}
    assert b.pick_declared(param, "/p") == (True, 25)
    bad = {"name": "limit", "in": "query", "type": "integer", "minimum": 1, "x-example": "many"}
    assert b.pick_declared(bad, "/q") == (True, 1) and len(b.diagnostics) == 1
    assert b.diagnostics[0].location == "spec.yaml#/q/x-example"
    assert shape([b.diagnostics[0].message]) == ["example does not match its schema (...); " + REPLACED]


def test_pick_declared_swagger2_response_examples_prefer_json():
    b = make("2.0")
    response = {"description": "ok", "schema": {"type": "string"},
                "examples": {"text/plain": "plain", "application/json": "Healthy"}}
    assert b.pick_declared(response, "/r") == (True, "Healthy")
    assert b.pick_declared({"examples": {"application/xml": "<a/>"}}, "/r2") == (True, "<a/>")


def test_pick_declared_swagger2_body_x_examples():
    b = make("2.0")
    body = {"name": "b", "in": "body", "schema": {"type": "object"}, "x-examples": {"application/json": {"a": 1}}}
    assert b.pick_declared(body, "/b") == (True, {"a": 1})


def test_pick_declared_nothing():
    b = make()
    assert b.pick_declared({"name": "q", "in": "query", "schema": {"type": "string", "example": "x"}}, "/p") == (False, None)
    assert b.pick_declared("not a dict", "/p") == (False, None)


def test_pick_declared_converts_yaml_dates():
    holder = yaml.safe_load("example: 2024-01-15\nschema: {type: string, format: date}\n")
    b = make()
    assert b.pick_declared(holder, "/p") == (True, "2024-01-15") and b.diagnostics == []


# -- robustness, real files, determinism --------------------------------------------------------------
def _load(path: Path):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) if path.suffix in (".yaml", ".yml") else json.load(fh)


def _schema_nodes(node, where=""):
    """Every schema position in a definition (components/definitions and under paths)."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if key == "schema" and isinstance(value, dict):
                yield value, here
            if key in ("schemas", "definitions") and isinstance(value, dict):
                for name, sub in value.items():
                    yield sub, f"{here}/{name}"
            yield from _schema_nodes(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _schema_nodes(value, f"{where}/{i}")


REAL_FILES = sorted(p for p in REAL_SPECS.glob("*") if p.suffix in (".json", ".yaml", ".yml"))


@pytest.mark.parametrize("path", REAL_FILES, ids=[p.name for p in REAL_FILES])
def test_every_schema_of_real_definitions(path):
    doc = _load(path)
    version = str(doc.get("openapi") or doc.get("swagger"))
    builder = ExampleBuilder(Resolver(doc, path.name), spec_version=version)
    count = 0
    for schema, where in _schema_nodes(doc):
        for direction in ("request", "response"):
            value = builder.for_schema(schema, where, direction=direction)
            assert json.loads(json.dumps(value)) == value
        count += 1
    assert count > 3


def test_largest_real_definition_gives_useful_bodies():
    path = max(REAL_FILES, key=lambda p: p.stat().st_size)
    doc = _load(path)
    builder = ExampleBuilder(Resolver(doc, path.name), spec_version=str(doc.get("openapi") or doc.get("swagger")))
    schemas = doc.get("definitions") or doc["components"]["schemas"]
    prefix = "/definitions/" if "definitions" in doc else "/components/schemas/"
    built = {name: builder.for_schema(s, prefix + name) for name, s in schemas.items()}
    assert all(v is not None for v in built.values())


_DETERMINISM_SCRIPT = r"""
import json, sys, yaml
from pathlib import Path
from generator.examples import ExampleBuilder
from generator.refs import Resolver
out = []
for path in sorted(Path(sys.argv[1]).glob("*")):
    if path.suffix not in (".json", ".yaml", ".yml"):
        continue
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    b = ExampleBuilder(Resolver(doc, path.name), spec_version=str(doc.get("openapi") or doc.get("swagger")))
    schemas = doc.get("definitions") or (doc.get("components") or {}).get("schemas") or {}
    for name, s in schemas.items():
        out.append([path.name, name, b.for_schema(s, "/s/" + name), b.for_schema(s, "/s/" + name, direction="response")])
    out.append([d.format() for d in b.diagnostics])
print(json.dumps(out, sort_keys=False))
"""


def test_deterministic_across_hash_seeds():
    root = Path(__file__).resolve().parents[1]
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-c", _DETERMINISM_SCRIPT, str(REAL_SPECS)], cwd=root, env=env,
                             capture_output=True, text=True, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1 and len(next(iter(outputs))) > 100


def test_same_builder_same_answer():
    schema = {"type": "object", "properties": {"a": {"type": "array", "minItems": 2, "uniqueItems": True,
                                                     "items": {"type": "string", "pattern": "^[a-c]{2}$"}}}}
    b = make()
    assert b.for_schema(schema, "/x") == b.for_schema(schema, "/x") == {"a": ["aa", "bb"]}


_SCALAR_SCHEMAS = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["string", "integer", "number", "boolean", "null", "object", "array"]),
        "format": st.sampled_from(["date", "uuid", "int32", "byte", "weird"]),
        "minimum": st.integers(-5, 5),
        "maximum": st.integers(-5, 5),
        "multipleOf": st.sampled_from([1, 2, 0.5]),
        "minLength": st.integers(0, 12),
        "maxLength": st.integers(0, 12),
        "pattern": st.sampled_from(["^[a-z]+$", r"\d", "^(x|y)z?$", "(?=a)"]),
        "minItems": st.integers(0, 4),
        "uniqueItems": st.booleans(),
        "enum": st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=3)), max_size=3),
    },
)
_SCHEMAS = st.recursive(
    _SCALAR_SCHEMAS,
    lambda inner: st.one_of(
        st.builds(lambda p, r: {"type": "object", "properties": p, "required": r},
                  st.dictionaries(st.sampled_from("abcde"), inner, max_size=3), st.lists(st.sampled_from("abc"))),
        st.builds(lambda i: {"type": "array", "items": i}, inner),
        st.builds(lambda xs: {"oneOf": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"allOf": xs}, st.lists(inner, min_size=1, max_size=3)),
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(_SCHEMAS)
def test_any_schema_gives_plain_json(schema):
    value = make("3.1").for_schema(schema, "/x")
    assert json.loads(json.dumps(value)) == value


def test_multiple_of_a_decimal_fraction_holds_in_floating_point():
    # 0.07 / 0.01 is 7.000000000000001 in floating point: validators read it as no multiple
    value, diags = build({"type": "number", "minimum": 0.07, "multipleOf": 0.01})
    assert value == 0.08 and diags == []
    assert build({"type": "number", "minimum": 0.07, "maximum": 0.07, "multipleOf": 0.01})[1] != []


def test_required_recursion_ends_in_an_empty_array_or_null():
    schemas = {"Node": {"type": "object", "required": ["name", "children"], "properties": {
        "name": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}},
        "Link": {"type": "object", "nullable": True, "required": ["next"], "properties": {
            "next": {"$ref": "#/components/schemas/Link"}}}}
    value, diags = build({"$ref": "#/components/schemas/Node"}, schemas=schemas)
    assert value == {"name": "name", "children": [{"name": "name", "children": []}]} and diags == []
    value, _ = build({"$ref": "#/components/schemas/Link"}, schemas=schemas)
    assert value == {"next": {"next": None}}
    # a recursive array that must not be empty cannot end: it is cut at the depth limit
    schemas["Node"]["properties"]["children"]["minItems"] = 1
    value, _ = build({"$ref": "#/components/schemas/Node"}, schemas=schemas)
    assert json.dumps(value).endswith('{"name": "name", "children": []}]}]}]}]}')


@pytest.mark.parametrize("pattern, min_length", [
    (r"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[!@#$%^&*]).{10,}$", None),
    (r"^(?=.*\d)[a-zA-Z0-9]{8,16}$", None),
    (r"^(?!.*admin).{3,}$", None),
    (r"^(?=.{8,32}$)[a-zA-Z0-9._]+$", None),
    (r"(?=.*[A-Z])\w+", 12),
])
def test_password_rules_written_as_lookaheads(pattern, min_length):
    for variant in (0, 1):
        text = pattern_example(pattern, variant, min_length)
        assert text is not None and re.search(pattern, text), text
        assert min_length is None or len(text) >= min_length


@pytest.mark.parametrize("schema", [
    {"format": "email", "maxLength": 12}, {"format": "email", "minLength": 30},
    {"format": "uri", "minLength": 40}, {"format": "uri", "maxLength": 5}, {"format": "url", "maxLength": 12},
    {"format": "uri-reference", "maxLength": 1},
    {"format": "hostname", "minLength": 100}, {"format": "hostname", "maxLength": 4},
    {"format": "byte", "minLength": 30}, {"format": "byte", "maxLength": 4},
])
def test_format_values_fitted_to_length_bounds_keep_their_format(schema):
    schema = dict(schema, type="string")
    value, diags = build(schema)
    assert make()._problem(Call(), value, schema) is None, value
    assert diags == []


def test_built_value_that_fails_its_schema_is_reported_once():
    schemas = {"Node": {"type": "object", "required": ["kids"], "properties": {
        "kids": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/Node"}}}}}
    _, diags = build({"$ref": "#/components/schemas/Node"}, schemas=schemas)
    assert len(diags) == 1 and "the value built from this schema does not match it" in diags[0].message
    # Swagger 2.0 x-nullable is nullable: a null example is fine
    value, diags = build({"type": "object", "properties": {"a": {"type": "string", "x-nullable": True,
                                                                 "example": None}}}, "2.0")
    assert value == {"a": None} and diags == []
