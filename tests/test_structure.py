"""The shape of the code: small modules and classes, a typed model, explicit per-call settings."""
from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from generator.examples import ExampleBuilder
from generator.examples.context import Call
from generator.loader import load_document
from generator.model import AUTH_TYPES, BODY_TYPES, to_jsonable
from generator.normalize import normalize
from generator.refs import Resolver

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted((ROOT / "generator").rglob("*.py"))
MAX_MODULE_LINES = 500
MAX_CLASS_LINES = 300


def test_no_module_over_the_limit():
    big = {str(p.relative_to(ROOT)): n for p in MODULES
           if (n := p.read_text(encoding="utf-8").count("\n")) > MAX_MODULE_LINES}
    assert big == {}


def test_no_class_over_the_limit():
    big = {}
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES:
                big[f"{path.relative_to(ROOT)}:{node.name}"] = node.end_lineno - node.lineno + 1
    assert big == {}


def _golden_samples():
    for folder in sorted((ROOT / "tests" / "golden").iterdir()):
        found = [p for p in folder.glob("definition.*") if p.suffix in (".yaml", ".yml", ".json")]
        if not found:
            continue
        doc = load_document(str(found[0]), allow_external_refs=True, lenient=True)
        model, _ = normalize(doc.data, version=doc.version, source=found[0].name)
        for op in model.operations:
            if op.sample is not None:
                yield folder.name, op, op.sample


def test_every_body_and_credential_is_the_class_of_its_kind():
    bodies, plans = set(), set()
    for case, op, sample in _golden_samples():
        if sample.body is not None:
            assert type(sample.body) is BODY_TYPES[sample.body.kind], (case, op.id)
            bodies.add(sample.body.kind)
            # a body carries only what its kind sends
            own = {f.name for f in dataclasses.fields(sample.body)}
            assert set(to_jsonable(sample.body)) == own
            other = {"json", "text", "fields", "file"} - own
            assert all(not getattr(sample.body, name) for name in other), (case, op.id)
        for plan in sample.auth:
            assert type(plan) is AUTH_TYPES[plan.kind], (case, op.id)
            plans.add(plan.kind)
    # the golden cases reach every class, so the checks above cover them all
    assert bodies == set(BODY_TYPES)
    assert plans == set(AUTH_TYPES)


def test_call_settings_are_frozen():
    call = Call.make("response", text=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        call.direction = "request"  # type: ignore[misc]
    assert (call.direction, call.text, call.scalar_first, call.hidden_flag) == ("response", True, False, "writeOnly")


def test_one_call_does_not_change_the_next():
    schemas = {"Pet": {"type": "object", "properties": {
        "id": {"type": "integer", "readOnly": True},
        "secret": {"type": "string", "writeOnly": True},
        "kind": {"oneOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "integer"}]},
    }}}
    doc = {"openapi": "3.0.3", "components": {"schemas": schemas}}
    ref = {"$ref": "#/components/schemas/Pet"}
    holder = {"schema": ref, "example": {"id": 1, "secret": "s", "kind": 3}}

    def fresh() -> ExampleBuilder:
        return ExampleBuilder(Resolver(doc, "spec.yaml"), spec_version="3.0.3")

    used = fresh()
    used.for_schema(ref, "/x", direction="response", text=True, scalar_first=True)
    for builder in (used, fresh()):
        assert builder.for_schema(ref, "/y") == {"secret": "secret", "kind": {"a": "a"}}
        assert builder.pick_declared(holder, "/h") == (True, {"secret": "s", "kind": 3})
    assert not {"_direction", "_text", "_scalar_first"} & set(vars(used))
