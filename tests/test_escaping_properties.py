"""Property tests: hostile strings from a definition never break out of the literal or comment
they land in, and arrive at the server exactly.

Each example is a batch of strings. Every string is placed in a small OpenAPI 3.0 definition
(one per batch, several operations per string):

- ``a<i>``: path, query, header and cookie parameter examples (and the path and query
  parameters' descriptions, comments of the "Values to change" block); a JSON body whose keys and
  values carry the string; the operation's server URL (path part); the summary, the
  description and schema titles (comments); the operationId;
- ``b<i>``: an urlencoded form (the string as a field name and a value);
- ``c<i>``: a multipart body (the string as text field values);
- ``d<i>``: a text/plain body.

Every language of the registry is generated; each file passes its language's static check
(``escaping.check_text``: Python compiles, R lines with escapes stay short); then every sample
runs against the recorder through its language's escaping driver (``escaping.run_batch``: one
process per language and batch, e.g. the C# of a batch built in ONE mcs call; a language
without one runs one process per sample) and what arrives must equal the SampleRequest (through
``generator.verify.compare``) AND the original string: the path segment and query value
decoded, the JSON after parsing, form fields after parsing, multipart parts and the text
body byte for byte; the default base URL literal of every sample holds the server URL.
Header and cookie values must equal the SampleRequest's (the normalizer percent-encodes what
HTTP cannot carry, with a warning), and equal the string whenever HTTP can carry it.

Some languages' strings cannot hold NUL (``escaping.no_nul``: R, curl's shell): a batch with a
NUL where such a language needs a string literal must make its generation fail with a
SpecError; its samples are then generated with the NUL removed from those places. The operationId never holds a NUL (the normalizer refuses it; tested here).

A problem that is a known fault of another part (``known_issue``: the normalizer, a template,
a language's client, declared by the language as ``escaping.known_issue``) does not fail a batch; each one is reproduced by a strict xfail test at the end.

Fixed seed (``derandomize``) and no shrinking (each example is a slow batch): a failure
names the strings; keep them in tests/escaping_regressions.json, which runs as a batch of
its own on every run.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.api import Options, generate
from generator.errors import SpecError
from generator.loader import load_document
from generator.languages import REGISTRY, TARGETS
from generator.languages.text import comment_lines, one_line
from generator.verify.compare import compare
from generator.verify.core import BASE_PATH, SUCCESS_BODY, sample_env
from generator.verify.recorder import RecordingServer
from generator.verify.runners import base_env, require_tools, run_process, sample_command

from helpers.hostile import REGRESSIONS, SERVER, definition, for_r, form_body, json_body, regressions

ALL = tuple(TARGETS)
BATCH = 20  # strings per example
EXAMPLES = 4  # examples per run (plus the regression batch)

# -- the strings ---------------------------------------------------------------------------------

HOSTILE = [
    '"', "'", "`", "\\", "$", "{", "}", "#", "%", ";", ",", "&", "=", "+", "?", "/", "@", ":", "!",
    "*", "(", ")", "[", "]", "<", ">", "|", "^", "~", " ", ".", "-", "_", "0", "a", "Z",
    "\n", "\r", "\t", "\0", "\x01", "\x1b", "\x7f", "\x0b", "\x0c", "\x1c", "\x85", "\u2028",
    "\u2029", "\u202e", "\u2066", "\u200b", "\ufeff", "\xa0", "\xad", "é", "日", "😀", "\U0010ffff",
    "\ufffe", "\ue000", "%2F", "%00", "*/", "/*", "//", "${", "#{", "{{", '"""', "'''", "\\u0041",
    "\r\n", "\\x", "@\"",
]
_char = st.sampled_from(HOSTILE) | st.characters(blacklist_categories=("Cs",))
_short = st.lists(_char, max_size=24).map("".join)
_long = st.tuples(st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=6).map("".join),
                  st.integers(200, 700)).map(lambda t: t[0] * t[1])
hostile_text = st.one_of(_short, _short, _short, _long)


# -- running a batch -----------------------------------------------------------------------------

@dataclass
class Outcome:
    """What one sample did: exit code, the default base URL its literal holds, its requests."""

    code: int | None = None
    base_url: str | None = None
    error: str = ""
    requests: list = field(default_factory=list)


def _write(files: dict[str, str], root: Path) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")


def _env(server: RecordingServer) -> dict[str, str]:
    # no operation here needs a secret: API_BASE_URL is all a sample reads
    return base_env({"API_BASE_URL": server.url + BASE_PATH})


def _run_each(language, files: list[Path], env: dict[str, str], work: Path) -> dict[Path, Outcome]:
    """A language without a batch driver: one process per sample (its toolchain's command)."""
    out = {}
    for f in files:
        res = run_process(sample_command(language.name, f), env, timeout=120, cwd=f.parent)
        out[f] = Outcome(code=res.returncode, error=res.tail(1500))
    return out


def _run(language, files: list[Path], server: RecordingServer, work: Path) -> dict[Path, Outcome]:
    """Every sample of a batch, through the language's escaping driver."""
    work.mkdir(parents=True, exist_ok=True)
    run_batch = language.escaping.run_batch
    got = (run_batch or (lambda f, e, w: _run_each(language, f, e, w)))(files, _env(server), work)
    return {f: Outcome(code=o.code, base_url=o.base_url, error=o.error) for f, o in got.items()}


def _string_of(op, strings: list[str]) -> str:
    """The string an operation carries: /a<i>/{id}, /b<i>, /c<i>, /d<i> carry strings[i]."""
    return strings[int(op.path_template[2:].split("/")[0])]


def _segment(path: str) -> str:
    """The operation of a recorded request: /live-base/<op>/..."""
    parts = path.split("/")
    return parts[2] if len(parts) > 2 else ""


# -- the checks ----------------------------------------------------------------------------------

def _http_safe(text: str, *, cookie: bool) -> bool:
    """Whether a header (cookie) value can travel as it is: printable ASCII and tabs, with no
    whitespace around it (HTTP drops that)."""
    return (all(0x20 <= ord(ch) < 0x7F or ch == "\t" for ch in text) and not (cookie and ";" in text)
            and text == text.strip(" \t"))


def _comment_prefix(target: str) -> str:
    return TARGETS[target].comment_prefix


def check_batch(strings: list[str], work: Path) -> None:
    require_tools(list(ALL))
    problems: list[Problem] = []
    full = definition(strings)
    needs_literal_nul = any("\0" in s for s in strings)
    plain = tuple(t for t in ALL if not TARGETS[t].escaping.no_nul)
    no_nul = tuple(t for t in ALL if TARGETS[t].escaping.no_nul)
    results = {"main": (plain, generate(full, version="3.0", options=Options(targets=plain)))}
    if no_nul:
        if needs_literal_nul:
            for target in no_nul:
                with pytest.raises(SpecError, match="NUL"):
                    generate(full, version="3.0", options=Options(targets=(target,)))
        results["no-nul"] = (no_nul, generate(definition(strings, r=True), version="3.0",
                                              options=Options(targets=no_nul)))

    files: dict[str, list[tuple[Path, object, str, str]]] = {t: [] for t in ALL}
    for key, (targets, result) in results.items():
        root = work / key
        _write(result.files, root)
        for op in result.model.operations:
            for target in targets:
                rel = TARGETS[target].main_file(op)
                files[target].append((root / rel, op, result.files[rel], key))

    # static checks (each language's: Python compiles, R lines holding an escape stay short...);
    # comments keep the definition's text inside them
    for target, entries in files.items():
        for path, op, text, _ in entries:
            lines = text.split("\n")
            problem = TARGETS[target].escaping.check_text(text)
            if problem:
                problems.append((target, "compile", _string_of(op, strings), f"{target} {op.id!r}: {problem}"))
            if op.id.startswith("a"):
                problems += _comment_problems(target, op, lines)

    servers = [RecordingServer().start() for _ in ALL]
    try:
        for server in servers:
            server.respond(200, SUCCESS_BODY)
        outcomes: dict[str, dict[Path, Outcome]] = {}
        errors: dict[str, BaseException] = {}

        def run(target: str, server: RecordingServer) -> None:
            try:
                outcomes[target] = _run(TARGETS[target], [p for p, *_ in files[target]], server, work / f"run-{target}")
            except BaseException as exc:  # reported below
                errors[target] = exc

        threads = [threading.Thread(target=run, args=(t, s)) for t, s in zip(ALL, servers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for target, exc in errors.items():
            raise AssertionError(f"{target}: the batch did not run for the strings {_show(strings)}: {exc}") from exc
        for target, server in zip(ALL, servers):
            grouped: dict[str, list] = {}
            for rec in server.take():
                grouped.setdefault(_segment(rec.path), []).append(rec)
            for path, op, text, key in files[target]:
                out = outcomes[target].get(path) or Outcome(error="no outcome")
                out.requests = grouped.get(op.path_template.split("/")[1], [])
                problems += _request_problems(target, op, out, strings, key == "no-nul", server, text)
    finally:
        for server in servers:
            server.stop()
    report(strings, problems)


def _show(strings: list[str]) -> str:
    """The strings as Python literals; a long one as an expression that rebuilds it."""
    shown = []
    for s in strings:
        if len(s) <= 120:
            shown.append(repr(s))
            continue
        for size in range(1, 13):
            unit = s[:size]
            if unit * (len(s) // size) == s:
                shown.append(f"{unit!r} * {len(s) // size}")
                break
        else:
            shown.append(f"{s[:100]!r}... ({len(s)} characters)")
    return "[" + ", ".join(shown) + "]"


def report(strings: list[str], problems: list[Problem]) -> None:
    """Fail on every problem that is not a known issue of another part (see KNOWN_ISSUES)."""
    unknown = [p for p in problems if known_issue(*p) is None]
    if unknown:
        failing = list(dict.fromkeys(p[2] for p in unknown))
        pytest.fail(f"{len(unknown)} problem(s); failing strings (keep them in {REGRESSIONS.name}): {_show(failing)}\n"
                    + "\n".join(p[3] for p in unknown[:40]), pytrace=False)


def _comment_problems(target: str, op, lines: list[str]) -> list[Problem]:
    """The summary and description are in the opening comment, sanitized."""
    out: list[Problem] = []
    prefix = _comment_prefix(target)
    present = {line.rstrip() for line in lines}
    for line in comment_lines(op.summary) + comment_lines(op.description):
        if line and (prefix + " " + line).rstrip() not in present:
            out.append((target, "comment", op.summary, f"{target} {op.id!r}: comment line {line!r} is missing"))
    # the "Values to change" block: each variable under its parameter's description
    stripped = {line.strip() for line in lines}
    for inp in op.sample.inputs:
        for line in comment_lines(inp.comment):
            if line and (prefix + " " + line).strip() not in stripped:
                out.append((target, "comment", op.summary,
                            f"{target} {op.id!r}: comment line {line!r} of the value {inp.var} is missing"))
    words = " ".join(line.lstrip()[len(prefix):] for line in lines if line.lstrip().startswith(prefix)).split()
    if " ".join(one_line(op.id).split()) not in " ".join(words):
        out.append((target, "comment", op.summary, f"{target} {op.id!r}: the operation id is not in the opening comment"))
    return out


Problem = tuple[str, str, str, str]  # (target, placement, the string, message)


def _placement(message: str, kind: str) -> str:
    """Which placement a message of ``compare`` is about."""
    for prefix, name in (("path", "path"), ("query", "query"), ("header X-Value", "header"),
                         ("cookies", "cookie"), ("header Cookie", "cookie"), ("multipart", "multipart")):
        if message.startswith(prefix):
            return name
    if message.startswith("body") or message.startswith("header Content-Type"):
        return {"a": "json", "b": "form", "c": "multipart", "d": "text"}[kind]
    return "request"


def _request_problems(target: str, op, out: Outcome, strings: list[str], r: bool, server, text: str) -> list[Problem]:
    kind, index = op.path_template[1], int(op.path_template[2:].split("/")[0])
    s = _string_of(op, strings)
    lit = for_r(s, r)
    label = f"{target} {op.id!r}"
    problems: list[Problem] = []

    def add(placement: str, message: str) -> None:
        problems.append((target, placement, s, f"{label}: {message}"))

    if out.error and out.code is None:
        add("run", out.error)
        return problems
    if out.code != 0:
        error = out.error if len(out.error) <= 600 else out.error[:300] + " ... " + out.error[-300:]
        add("run", f"exit code {out.code}: {error}")
    if len(out.requests) != 1:
        add("request", f"{len(out.requests)} requests arrived")
        return problems
    sample = op.sample
    env = sample_env(sample, server.url)
    for message in compare(sample, out.requests, env, BASE_PATH, TARGETS[target].toolchain.client_headers):
        add(_placement(message, kind), message)
    rec = out.requests[0]
    # a required value is never sent empty: "" is replaced by a value built from the schema (the
    # request still has to equal the model, checked by compare() above)
    if kind == "a" and s == "":
        values = [sample.path.rsplit("/", 1)[-1], dict(sample.query).get("q"), dict(sample.headers)["X-Value"],
                  dict(sample.cookies)["c"]]
        if any(not v for v in values):
            add("empty", f"a required value is sent empty: {values!r}")
    elif kind == "a":
        decoded = unquote_to_bytes(rec.path).decode("utf-8", "replace")
        if decoded != f"{BASE_PATH}/a{index}/{s}":
            add("path", f"path segment arrived as {decoded!r}")
        if lit == "" and not dict(sample.query).get("q"):  # (R: a string of NULs only)
            add("empty", "a required query value is sent empty")
        elif lit != "" and rec.query != [("q", lit)]:
            add("query", f"query arrived as {rec.query!r}")
        want_header = dict(sample.headers)["X-Value"]
        if rec.header_values("X-Value") != [want_header]:
            add("header", f"header arrived as {rec.header_values('X-Value')!r}, expected {want_header!r}")
        if _http_safe(s, cookie=False) and want_header != s:
            add("header-model", f"header value {s!r} can travel as it is, the model has {want_header!r}")
        want_cookie = dict(sample.cookies)["c"]
        if _http_safe(s, cookie=True) and want_cookie != s:
            add("cookie-model", f"cookie value {s!r} can travel as it is, the model has {want_cookie!r}")
    if kind == "a":
        if rec.json != json_body(s):
            add("json", f"JSON arrived as {rec.json!r}")
        expected_base = (SERVER + lit).rstrip("/")
        if sample.base_url != expected_base:
            add("server-model", f"the model's server URL is {sample.base_url!r}, expected {expected_base!r}")
        reader = TARGETS[target].escaping.base_url
        held = reader(text) if reader is not None else out.base_url
        if held != sample.base_url:
            add("server", f"the default base URL literal holds {held!r}")
    elif kind == "b":
        if rec.form != list(form_body(lit).items()):
            add("form", f"form arrived as {rec.form!r}")
    elif kind == "c":
        got = [(p.name, p.data) for p in rec.parts or []]
        want = [("t", lit.encode("utf-8")), ("u", ("before " + lit).encode("utf-8"))]
        if got != want:
            add("multipart", f"multipart parts arrived as {got!r}")
    elif kind == "d" and lit == "":
        if not rec.body:
            add("empty", "a required text body is sent empty")
    elif kind == "d":
        if rec.body != lit.encode("utf-8"):
            add("text", f"text body arrived as {rec.body[:300]!r}")
    return problems


# -- known issues of other parts ------------------------------------------------------------------

def known_issue(target: str, placement: str, s: str, message: str = "") -> str | None:
    """Why a problem is a known fault outside the filters (each one is reproduced by a strict
    xfail test below, which fails once the fault is fixed: then drop it from here)."""
    own = TARGETS[target].escaping.known_issue(placement, s, message)
    if own is not None:
        return own
    if (placement == "path" or (placement == "request" and "0 requests" in message)) and s in (".", ".."):
        return "dot segments: a path parameter '.' or '..' is sent literally and removed by clients (serialize.py)"
    if s[:1] in (" ", "\t") or s[-1:] in (" ", "\t"):
        # HTTP strips whitespace around a field value, so the normalizer percent-encodes it
        # (with a warning): what arrives is the SampleRequest's value, not the raw example.
        if placement in ("cookie", "header"):
            return "header/cookie value with leading or trailing whitespace: sent percent-encoded by design"
    return None


# -- the tests -----------------------------------------------------------------------------------

@pytest.mark.live
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(strings=st.lists(hostile_text, min_size=BATCH, max_size=BATCH))
def test_hostile_strings_arrive_exactly(strings, tmp_path_factory):
    check_batch(strings, tmp_path_factory.mktemp("batch"))


@pytest.mark.live
def test_kept_regressions_arrive_exactly(tmp_path):
    check_batch(regressions(), tmp_path)


def test_regression_file_is_well_formed():
    entries = json.loads(REGRESSIONS.read_text(encoding="utf-8"))
    assert entries and all(set(e) == {"value", "why"} and isinstance(e["value"], str) for e in entries)


# -- what the loader and the normalizer refuse ----------------------------------------------------

@pytest.mark.parametrize("raw", [
    b'{"openapi": "3.0.3", "info": {"title": "\\ud800", "version": "1"}, "paths": {}}',
    b'{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/x": {"get": {'
    b'"operationId": "a\\udfffb", "responses": {"200": {"description": "ok"}}}}}}',
    b'{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "x-\\udc00": 1}',
])
def test_lone_surrogates_are_refused_by_the_loader(raw):
    with pytest.raises(SpecError, match="surrogate"):
        load_document(raw, name="surrogate.json")


def test_a_paired_surrogate_escape_is_one_character():
    raw = b'{"openapi": "3.0.3", "info": {"title": "\\ud83d\\ude00", "version": "1"}, "paths": {}}'
    assert load_document(raw, name="pair.json").data["info"]["title"] == "\U0001F600"


def test_nul_in_operation_id_is_refused():
    doc = definition(["x"])
    doc["paths"]["/b0"]["post"]["operationId"] = "b\0"
    with pytest.raises(SpecError, match="NUL"):
        generate(doc, version="3.0", options=Options(targets=("python",)))


# -- known faults of other parts, reproduced (strict: a fix makes these fail; then drop the
# matching rule from known_issue) ----------------------------------------------------------------

def _one_operation(parameters: list[dict]) -> dict:
    return {
        "openapi": "3.0.3",
        "info": {"title": "known", "version": "1"},
        "servers": [{"url": "https://example.invalid"}],
        "paths": {"/p/{id}": {"get": {
            "operationId": "probe",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"},
                            "example": "x"}] + parameters,
            "responses": {"200": {"description": "ok"}},
        }}},
    }


def _mismatches(doc: dict, target: str) -> list[str]:
    from generator.verify.core import verify_generated

    require_tools(target)
    result = generate(doc, version="3.0", options=Options(targets=(target,)))
    report = verify_generated(result, "known.json", [target], prism=False, behaviours=False, jobs=1)
    return [m for r in report.results for m in r.messages]


def _path_example(value: str) -> dict:
    doc = _one_operation([])
    doc["paths"]["/p/{id}"]["get"]["parameters"][0]["example"] = value
    return doc


@pytest.mark.live
@pytest.mark.parametrize("target", ALL)
def test_header_value_with_leading_whitespace_arrives_as_sampled(target):
    doc = _one_operation([{"name": "X-V", "in": "header", "required": True, "schema": {"type": "string"},
                           "example": " a"}])
    assert _mismatches(doc, target) == []


@pytest.mark.live
@pytest.mark.parametrize("target", ALL)
def test_cookie_value_with_trailing_space_arrives_as_sampled(target):
    doc = _one_operation([{"name": "c", "in": "cookie", "required": True, "schema": {"type": "string"},
                           "example": "a "}])
    assert _mismatches(doc, target) == []


def _faults(probe: str) -> list:
    """Each language's declared known faults of one probe, as strict xfails."""
    return [pytest.param(lang.name, fault.value, id=f"{lang.name}-{fault.value!r}",
                         marks=pytest.mark.xfail(strict=True, reason=fault.reason))
            for lang in REGISTRY for fault in lang.escaping.known_faults if fault.probe == probe]


@pytest.mark.live
@pytest.mark.parametrize("target, value", _faults("path_value"))
def test_known_path_value_faults(target, value):
    assert _mismatches(_path_example(value), target) == []


@pytest.mark.live
@pytest.mark.parametrize("target, value", _faults("optional_header_value"))
def test_known_optional_header_value_faults(target, value):
    # (optional: a required value is never sent empty)
    doc = _one_operation([{"name": "X-V", "in": "header", "required": False, "schema": {"type": "string"},
                           "example": value}])
    assert _mismatches(doc, target) == []
