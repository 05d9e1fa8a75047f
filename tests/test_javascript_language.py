"""What the JavaScript unit promises beyond the shared tiers: node reads every string literal,
JSON body and comment back exactly as meant (ONE node process for all of them); a JSON answer
holding an integer a JavaScript number cannot hold is printed as it came; an operation Node's
fetch cannot send (TRACE) is refused at generation, naming where it is."""
from __future__ import annotations

import json

import pytest

from generator.api import Options, generate, generate_path
from generator.errors import SpecError
from generator.languages import javascript as js
from generator.verify.runners import base_env, require_tools, run_process
from helpers.golden_cases import GOLDEN

STRINGS = [
    "", "plain", '"', "'", "`${x}`", "\\", "\\u0041", "a\nb", "\r\n", "\t", "\0", "\x01\x1b\x7f",
    "\x0b\x0c\x1c\x85", "\u2028", "\u2029", "\u202e\u2066\u200b\ufeff", "\xa0\xad", "é日😀", "\U0010ffff",
    "\ufffe\ue000", "</script>", "*/ /* //", "x" * 3000 + "\n" + "y",
]
JSON_VALUES = [
    {"__proto__": {"polluted": True}, "a": [1, 2.5, 1e300, None, True, "s\u2028"]},
    {"big": 1234567890123456789, "neg": -(2**60)},
    [{"": ""}, [], {}],
    3.0, 2**53 - 1,
]
COMMENTS = ["*/ end", "line\u2028break\nnext\rcr", "\x85nel \u2029", "// nested /* open", "a" * 300]


def _node(tmp_path, source: str):
    require_tools("javascript")
    path = tmp_path / "probe.mjs"
    path.write_text(source, encoding="utf-8")
    res = run_process(js.command(path), base_env(), timeout=60)
    assert res.returncode == 0, res.tail()
    return json.loads(res.stdout)


@pytest.mark.live
def test_node_reads_back_every_literal(tmp_path):
    lines = ["const strings = ["] + [f"  {js.js_string(s)}," for s in STRINGS] + ["];", "const bodies = ["]
    lines += [f"  {js.js_json_text(v, 2)}," for v in JSON_VALUES] + ["];", "let reached = 0;"]
    for text in COMMENTS:
        lines += [js.FILTERS["comment"](text), "reached += 1;"]
    lines.append("console.log(JSON.stringify({ strings, bodies, reached }));")
    out = _node(tmp_path, "\n".join(lines) + "\n")
    assert out["strings"] == STRINGS
    assert [json.loads(b) for b in out["bodies"]] == JSON_VALUES  # a __proto__ key is a member
    assert out["reached"] == len(COMMENTS)  # no comment swallowed the line after it


@pytest.mark.parametrize("value", STRINGS)
def test_a_literal_is_one_line_of_printable_text(value):
    text = js.js_string(value)
    assert not any(ch in text for ch in "\n\r\u2028\u2029")
    assert all(ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def test_a_body_with_unsafe_integers_is_sent_as_its_json_text():
    assert js.js_json_text({"id": 2**53 - 1}) == 'JSON.stringify({\n  "id": 9007199254740991,\n})'
    assert js.js_json_text({"id": 2**53}) == js.js_string('{"id": 9007199254740992}')


@pytest.mark.live
def test_the_printed_answer_keeps_every_digit(tmp_path):
    program = (GOLDEN / "oas3-big-numbers" / "expected" / "javascript" / "add_entry.mjs").read_text(encoding="utf-8")
    start = program.index("function pretty(")
    helper = program[start:program.index("\n}\n", start) + 3]
    answers = ['{"id": 1234567890123456789, "x": [1]}', '{"a": [1, 2.5], "b": "c"}', "not json", "", "[]"]
    printed = _node(tmp_path, helper + f"console.log(JSON.stringify({json.dumps(answers)}.map(pretty)));\n")
    assert printed == [answers[0], json.dumps(json.loads(answers[1]), indent=2), "not json", "", "[]"]


TRACE = {
    "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "servers": [{"url": "https://example.com"}],
    "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": {"description": "ok"}}},
                     "trace": {"operationId": "traceX", "responses": {"200": {"description": "ok"}}}}},
}


def test_trace_is_refused_at_generation_with_its_location(tmp_path):
    with pytest.raises(SpecError, match="Node's fetch cannot send the TRACE method") as caught:
        generate(TRACE, version="3.0", options=Options(targets=("javascript",)), source="d.json")
    assert caught.value.location == "d.json#/paths/~1x/trace"
    spec = tmp_path / "d.json"
    spec.write_text(json.dumps(TRACE, indent=2), encoding="utf-8")
    with pytest.raises(SpecError) as placed:
        generate_path(str(spec), Options(targets=("javascript",)))
    assert placed.value.location.startswith(f"{spec}:") and "traceX" in placed.value.message
    assert generate(TRACE, version="3.0", options=Options(targets=("python",))).files  # other targets write it


def test_the_comparison_allows_only_what_fetch_adds_and_only_where_it_adds_it():
    from generator.model import SampleRequest
    from generator.verify.compare import compare
    from generator.verify.recorder import RecordedRequest

    def request(*headers):
        return RecordedRequest("GET", "/x", "/x", "/x", "", [], list(headers), b"")

    added = js.LANGUAGE.toolchain.client_headers
    plain = SampleRequest(method="GET", base_url="", path="/x")
    fetch_headers = [("Accept-Language", "*"), ("Sec-Fetch-Mode", "cors")]
    assert compare(plain, request(*fetch_headers), {}, "", added) == []
    assert compare(plain, request(*fetch_headers), {}, "") != []  # another language's client adds none
    assert compare(plain, request(("Cache-Control", "no-cache")), {}, "", added) != []  # not conditional
    conditional = SampleRequest(method="GET", base_url="", path="/x", headers=[("If-None-Match", '"v1"')])
    sent = request(("If-None-Match", '"v1"'), ("Cache-Control", "no-cache"), ("Pragma", "no-cache"))
    assert compare(conditional, sent, {}, "", added) == []
    # a header the sample sets itself is compared with its value, never waved through
    own = SampleRequest(method="GET", base_url="", path="/x", headers=[("Accept-Language", "de")])
    assert compare(own, request(("Accept-Language", "*")), {}, "", added) != []


@pytest.mark.parametrize("terminator", ["\r", "\u2028", "\u2029"])
def test_the_static_check_catches_a_raw_line_terminator_in_a_comment(terminator):
    program = (GOLDEN / "hostile-strings" / "expected" / "javascript").glob("*.mjs")
    text = next(iter(sorted(program))).read_text(encoding="utf-8")
    assert js.check_text(text) == ""
    assert "line 2" in js.check_text(text.replace("\n", "\n// x" + terminator + "y\n", 1))
