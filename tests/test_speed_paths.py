"""The faster paths give what the plain ones give: JSON text with indent, remembered example
values, discriminator mappings looked up through a table."""
from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from generator.examples import ExampleBuilder
from generator.jsontext import indented, remembering
from generator.refs import Resolver

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    | st.tuples(inner) | st.dictionaries(st.integers(), inner, max_size=2),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_json)
def test_indented_is_json_dumps_text(value):
    for ascii_only in (True, False):
        assert indented(value, ensure_ascii=ascii_only) == json.dumps(value, indent=2, ensure_ascii=ascii_only)


def test_indented_deep_and_odd_values():
    deep: list = []
    node = deep
    for _ in range(600):
        node.append([])
        node = node[0]
    class Text(str):
        pass
    for value in (deep, {"a": Text("b")}, [float("nan"), float("-inf")], {True: 1, None: 2}):
        assert indented(value) == json.dumps(value, indent=2, ensure_ascii=True)


def test_remembered_text_only_within_the_scope():
    value = {"a": [1]}
    with remembering():
        first = indented(value)
        value["a"].append(2)  # never done while rendering; shows the text is remembered
        assert indented(value) == first
    assert indented(value) == json.dumps(value, indent=2)


DOC = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {},
    "components": {"schemas": {
        "Pet": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}},
                "discriminator": {"propertyName": "kind", "mapping": {
                    "first-cat": "#/components/schemas/Cat", "cat": "Cat", "dog": "#/components/schemas/Dog"}}},
        "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"},
                          {"type": "object", "properties": {
                              "name": {"type": "string", "minLength": 9},
                              "tags": {"type": "array", "minItems": 2, "uniqueItems": True,
                                       "items": {"enum": ["a"]}}}}]},
        "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
        "Bird": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
    }},
}


def _builder() -> ExampleBuilder:
    return ExampleBuilder(Resolver(DOC, "spec.yaml"), spec_version="3.0.3")


def test_mapping_first_key_wins_and_unmapped_uses_the_name():
    b = _builder()
    assert b.for_schema({"$ref": "#/components/schemas/Cat"}, "/a")["kind"] == "first-cat"
    assert b.for_schema({"$ref": "#/components/schemas/Dog"}, "/b")["kind"] == "dog"
    assert b.for_schema({"$ref": "#/components/schemas/Bird"}, "/c")["kind"] == "Bird"


def _calls(b: ExampleBuilder) -> list:
    """Values and warnings of a run of calls that meet the same schemas again, with a warning
    taken back between them (as a skipped operation does)."""
    ref = "#/components/schemas/Cat"
    out = []
    for i, (node, where) in enumerate([
        ({"$ref": ref}, "/paths/~1a/post/requestBody"),
        ({"$ref": ref}, "/paths/~1b/post/requestBody"),
        (DOC["components"]["schemas"]["Dog"], "/components/schemas/Dog"),
        ({"$ref": ref}, "/paths/~1c/post/requestBody"),
        (DOC["components"]["schemas"]["Dog"], "/components/schemas/Dog"),
    ]):
        value = b.for_schema(node, where)
        out.append(json.dumps(value))
        if isinstance(value, dict):
            value["name"] = "changed"  # the caller's to change
        if i == 2:
            b._rollback(0)
    return out + [list(b.diagnostics)]


def test_remembered_values_give_what_building_again_gives(monkeypatch):
    remembered = _calls(_builder())
    assert remembered[-1]  # the two tags cannot differ: warned
    monkeypatch.setattr(ExampleBuilder, "_memo_key", lambda *a, **k: None)
    assert _calls(_builder()) == remembered


def test_remembering_is_per_thread():
    import threading

    value = {"a": [1]}
    entered, leave = threading.Event(), threading.Event()

    def other():
        with remembering():
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    entered.wait(10)
    with remembering():
        first = indented(value)
        leave.set()
        thread.join(10)  # the other thread's scope ends inside this one's
        value["a"].append(2)
        assert indented(value) == first
    assert indented(value) == json.dumps(value, indent=2)


def test_the_collector_is_tuned_for_the_command_line_only(tmp_path):
    """generator.heap: a library caller's collector is left alone; the command line freezes what
    it loaded and built, and writes the same files."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    script = (
        "import gc, hashlib, json, sys\n"
        "from generator import api, heap\n"
        "if sys.argv[1] == 'cli': heap.for_this_process()\n"
        "result = api.generate_path(sys.argv[2])\n"
        "digest = hashlib.sha256(json.dumps(sorted(result.files.items())).encode()).hexdigest()\n"
        "print(gc.get_freeze_count() > 0, gc.get_threshold()[0], len(result.files), digest)\n"
    )
    spec = str(root / "specs" / "azureml-adult-income.json")
    outputs = {}
    for who in ("library", "cli"):
        run = subprocess.run([sys.executable, "-c", script, who, spec], cwd=root, capture_output=True, text=True,
                             env={**__import__("os").environ, "SAMPLEGEN_CACHE_DIR": str(tmp_path / who)})
        assert run.returncode == 0, run.stderr
        outputs[who] = run.stdout.split()
    assert outputs["library"][:2] == ["False", "700"]
    assert outputs["cli"][:2] == ["True", "10000"]
    assert outputs["library"][2:] == outputs["cli"][2:]
