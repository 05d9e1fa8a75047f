"""Every sample of every golden case and bundled definition is safe to run as written:

- no hard-coded secret: every secret the operation needs is read from its environment
  variable, no secret-like variable is assigned a literal, and a definition whose security
  schemes, descriptions and examples are full of ``sk-live-SECRET`` keeps that text in
  comments only;
- TLS certificate checks are never turned off (``verify=False``, certificate callbacks,
  unverified SSL contexts, ``ssl_verifypeer``...);
- every HTTP call has a timeout: requests ``timeout=`` on every call, urllib
  ``urlopen(..., timeout=)``, C# ``new HttpClient(...) { Timeout = ... }``, R ``req_timeout()``
  on every request that is performed.

The patterns are each language's own (``safety`` in ``generator/languages/<name>.py``); the
checks here iterate the registry.

Only the code is searched for these patterns (full-line comments are skipped: a definition
may well describe ``verify=False`` in its text).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.api import Options, Result, generate, generate_path
from generator.languages import TARGETS
from generator.verify.core import SECRETS
from helpers.golden_cases import all_cases
from helpers.hostile import definition as hostile_definition
from helpers.hostile import regressions

ROOT = Path(__file__).resolve().parent.parent
ALL = tuple(TARGETS)
SECRET = "sk-live-SECRET"

SECRET_DEFINITION = {
    "openapi": "3.0.3",
    "info": {"title": f"Keys {SECRET}-title", "version": "1",
             "description": f"Use your key, e.g. {SECRET}-info. verify=False is never needed."},
    "servers": [{"url": "https://{region}.example.com", "description": f"{SECRET}-server",
                 "variables": {"region": {"default": "eu", "description": f"{SECRET}-variable"}}}],
    "components": {"securitySchemes": {
        "header_key": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                       "description": f"Your key, for example {SECRET}-header", "x-example": f"{SECRET}-x-example"},
        "query_key": {"type": "apiKey", "in": "query", "name": "api_key", "description": f"{SECRET}-query"},
        "cookie_key": {"type": "apiKey", "in": "cookie", "name": "session", "description": f"{SECRET}-cookie"},
        "basic": {"type": "http", "scheme": "basic", "description": f"user:{SECRET}-basic"},
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": f"{SECRET}-format"},
        "oauth": {"type": "oauth2", "description": f"{SECRET}-oauth", "flows": {"clientCredentials": {
            "tokenUrl": "https://auth.example.com/token", "scopes": {"read": f"{SECRET}-scope"}}}},
        "azure_ml": {"type": "apiKey", "in": "header", "name": "Authorization",
                     "description": f"Bearer {SECRET}-azure"},
    }},
    "paths": {
        "/header": {"get": {"operationId": "headerKey", "summary": f"Call with {SECRET}-summary",
                            "security": [{"header_key": []}],
                            "parameters": [{"name": "Authorization", "in": "header", "schema": {"type": "string"},
                                            "example": f"Bearer {SECRET}-authorization-param"}],
                            "responses": {"200": {"description": "ok"}}}},
        "/query": {"get": {"operationId": "queryKey", "description": f"{SECRET}-description",
                           "security": [{"query_key": []}], "responses": {"200": {"description": "ok"}}}},
        "/cookie": {"get": {"operationId": "cookieKey", "security": [{"cookie_key": []}],
                            "responses": {"200": {"description": "ok"}}}},
        "/basic": {"post": {"operationId": "basicAuth", "security": [{"basic": []}],
                            "requestBody": {"content": {"application/json": {
                                "schema": {"type": "object", "description": f"{SECRET}-schema"},
                                "example": {"note": "no secret here"}}}},
                            "responses": {"200": {"description": "ok"}}}},
        "/bearer": {"get": {"operationId": "bearerAuth", "security": [{"bearer": []}, {"header_key": []}],
                            "responses": {"200": {"description": f"{SECRET}-response"}}}},
        "/oauth": {"get": {"operationId": "oauthAuth", "security": [{"oauth": ["read"]}],
                           "responses": {"200": {"description": "ok"}}}},
        "/azure": {"post": {"operationId": "azureScore", "security": [{"azure_ml": []}],
                            "requestBody": {"content": {"application/json": {"example": {"x": 1}}}},
                            "responses": {"200": {"description": "ok"}}}},
        "/all": {"get": {"operationId": "allKeys",
                         "security": [{"header_key": [], "query_key": [], "cookie_key": [], "basic": []}],
                         "responses": {"200": {"description": "ok"}}}},
    },
}


@dataclass
class Sample:
    ident: str
    target: str
    path: str
    text: str
    op: object

    @property
    def code(self) -> list[str]:
        """The lines that are not full-line comments."""
        mark = TARGETS[self.target].comment_prefix
        return [line for line in self.text.split("\n") if not line.lstrip().startswith(mark)]

    @property
    def code_text(self) -> str:
        return "\n".join(self.code)


def _definitions() -> list[tuple[str, Result]]:
    out = [(f"golden/{case.name}", case.generate()) for case in all_cases()]
    bundled = sorted(p for p in (ROOT / "specs").glob("*.*") if ".arazzo." not in p.name)  # workflow programs: tests/test_workflows.py
    shared = ROOT.parent / "shared" / "real-specs"
    if shared.is_dir():
        bundled += sorted(shared.glob("*.*"))
    for path in bundled:
        if path.suffix in (".json", ".yaml", ".yml"):
            out.append((f"specs/{path.name}", generate_path(path, Options(targets=ALL, lenient=True))))
    out.append(("secret-definition", generate(SECRET_DEFINITION, version="3.0", options=Options(targets=ALL))))
    hostile = [s for s in regressions() if "\0" not in s]
    out.append(("hostile-strings", generate(hostile_definition(hostile), version="3.0", options=Options(targets=ALL))))
    return out


@pytest.fixture(scope="module")
def generated() -> list[tuple[str, Result]]:
    return _definitions()


@pytest.fixture(scope="module")
def samples(generated) -> list[Sample]:
    out = []
    for ident, result in generated:
        for op in result.model.operations:
            for target in ALL:
                rel = TARGETS[target].main_file(op)
                if rel in result.files:
                    out.append(Sample(ident, target, rel, result.files[rel], op))
    assert len({s.ident for s in out}) >= 10
    return out


def _fail(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:50])


# -- TLS -----------------------------------------------------------------------------------------

# every language's patterns apply to every sample: no language's way of turning checks off
# may appear in another's code either
TLS_OFF = [re.compile(p) for p in dict.fromkeys(p for t in ALL for p in TARGETS[t].safety.tls_off)]


def test_no_sample_turns_off_certificate_checks(samples):
    _fail(tls_problems(samples))


def tls_problems(samples: list[Sample]) -> list[str]:
    problems = []
    for s in samples:
        for pattern in TLS_OFF:
            found = pattern.search(s.code_text)
            if found:
                problems.append(f"{s.ident} {s.path}: {found.group(0)!r}")
    return problems


# -- timeouts ------------------------------------------------------------------------------------

def test_every_http_call_has_a_timeout(samples):
    _fail(timeout_problems(samples))


def timeout_problems(samples: list[Sample]) -> list[str]:
    return [f"{s.ident} {s.path}: {p}" for s in samples
            for p in TARGETS[s.target].safety.timeout_problems(s.text, s.code_text)]


# -- secrets -------------------------------------------------------------------------------------

def _env_reads(target: str, name: str, code: str) -> list[int]:
    """Where the code reads the environment variable ``name`` (positions)."""
    patterns = [p.replace("{name}", re.escape(name)) for p in TARGETS[target].safety.reads_env]
    return sorted(m.start() for p in patterns for m in re.finditer(p, code))


def _reads_from_env(target: str, name: str, code: str) -> bool:
    return bool(_env_reads(target, name, code))


def _local(target: str, name: str) -> str:
    return TARGETS[target].safety.local(name)


# a secret-like variable given a literal value: api_key = "...", string apiKey = @"...", key <- '...',
# const apiKey = "..."
_SECRET_LITERAL = re.compile(
    r"""(?imx)^\s*(?:(?:const\s+)?(?:string|var)\s+|(?:const|let)\s+)?(?P<name>\w*(api_?key|secret|password|passwd|token|credential)\w*)
        \s*(=|<-)\s*(?P<literal>(@|f)?"[^"\n]*"?|'[^'\n]*'?)""")
_NOT_SECRETS = re.compile(r"(?i)(url|form|name|var)$")


def _secret_literals(code: str) -> list[str]:
    found = []
    for m in _SECRET_LITERAL.finditer(code):
        name, literal = m.group("name"), m.group("literal")
        if _NOT_SECRETS.search(name):
            continue  # token_url, token_form, ...: addresses and request parts, not secrets
        if literal.startswith("f") and "{" in literal:
            continue  # built from the variables that hold the secrets
        found.append(m.group(0))
    return found


def test_secrets_come_from_the_environment(samples):
    _fail(secret_problems(samples))


def secret_problems(samples: list[Sample]) -> list[str]:
    problems = []
    for s in samples:
        label = f"{s.ident} {s.path}"
        code = s.code_text
        for name in s.op.sample.secret_vars:
            if not _reads_from_env(s.target, name, code):
                problems.append(f"{label}: {name} is not read from the environment")
            local = re.escape(_local(s.target, name))
            assigned = re.search(rf"\b{local}\s*(=|<-)\s*(@?\"|')", code)
            if assigned:
                problems.append(f"{label}: {_local(s.target, name)} is given a literal")
        for text in _secret_literals(code):
            problems.append(f"{label}: a secret-like variable is given a literal: {text!r}")
        for value in SECRETS.values():
            if value in s.text:
                problems.append(f"{label}: holds the test secret {value!r}")
    return problems


def test_secret_definition_keeps_its_secrets_in_comments(generated, samples):
    result = dict(generated)["secret-definition"]
    ours = [s for s in samples if s.ident == "secret-definition"]
    assert len(ours) == len(SECRET_DEFINITION["paths"]) * len(ALL)
    problems = [f"{s.path}: {line.strip()!r}" for s in ours for line in s.code if SECRET in line]
    _fail(problems)
    needs = {op.id: op.sample.secret_vars for op in result.model.operations}
    assert needs["headerKey"] == ["API_KEY"]
    assert needs["basicAuth"] == ["API_USERNAME", "API_PASSWORD"]
    assert needs["oauthAuth"] == ["API_CLIENT_ID", "API_CLIENT_SECRET"]
    assert set(needs["allKeys"]) >= {"API_KEY", "API_USERNAME", "API_PASSWORD"}
    # the definition's text is still there for the reader (sanitized, in the opening comment)
    assert any(SECRET in s.text for s in ours if s.op.id == "headerKey")


def test_every_secret_is_checked_before_sending(samples):
    """A missing secret is named, and the sample stops (exit 2) before any request."""
    _fail(order_problems(samples))


def order_problems(samples: list[Sample]) -> list[str]:
    problems = []
    for s in samples:
        if not s.op.sample.secret_vars:
            continue
        code = s.code_text
        # where the program starts (helpers defined before it only run when called from it)
        safety = TARGETS[s.target].safety
        start = safety.program_start
        begin = code.find(start) if start else 0
        first_send = min((m.start() for m in re.finditer(safety.sends, code[begin:])), default=-1)
        if begin < 0 or first_send < 0:
            problems.append(f"{s.ident} {s.path}: no request found")
            continue
        for name in s.op.sample.secret_vars:
            where = min(_env_reads(s.target, name, code[begin:]), default=-1)
            if where < 0 or where > first_send:
                problems.append(f"{s.ident} {s.path}: {name} is not read before the request is sent")
        if not re.search(safety.exits_2, code):
            problems.append(f"{s.ident} {s.path}: no exit code 2 for a missing variable")
    return problems


def test_every_sample_passes_its_language_static_check(samples):
    """Each language's own check of its files (e.g. Python: the fixed coding lines, since PEP
    263 reads a coding declaration on lines 1-2 only, and the file compiles)."""
    problems = [f"{s.ident} {s.path}: {p}" for s in samples if (p := TARGETS[s.target].escaping.check_text(s.text))]
    _fail(problems)


# -- the checks themselves catch what they are for ----------------------------------------------

CHECKS = {"tls": tls_problems, "timeout": timeout_problems, "secret": secret_problems, "order": order_problems}


@pytest.mark.parametrize("target", ALL)
def test_the_checks_catch_unsafe_samples(samples, target):
    base = next(s for s in samples if s.ident == "secret-definition" and s.op.id == "headerKey" and s.target == target)
    mutations = TARGETS[target].safety.mutations
    assert {"tls", "timeout"} <= {m[0] for m in mutations}, "every language proves its TLS and timeout checks"
    for name, old, new in mutations:
        check = CHECKS[name]
        assert check([base]) == [], check.__name__
        assert old in base.text, (target, old)
        bad = Sample(base.ident, base.target, base.path, base.text.replace(old, new), base.op)
        assert check([bad]), f"{check.__name__} misses {new!r} in {target}"


# -- a parameter that is the credential ---------------------------------------------------------

def test_a_parameter_that_is_the_api_key_is_not_sent_as_a_literal():
    """Swagger files often declare the key as a parameter too: its example must not land in code."""
    doc = {
        "openapi": "3.0.3", "info": {"title": "dup", "version": "1"},
        "servers": [{"url": "https://api.example.com"}],
        "components": {"securitySchemes": {
            "hk": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "qk": {"type": "apiKey", "in": "query", "name": "api_key"}}},
        "paths": {"/x": {"get": {
            "operationId": "getX", "security": [{"hk": [], "qk": []}],
            "parameters": [
                {"name": "X-API-Key", "in": "header", "required": True, "schema": {"type": "string"},
                 "example": f"{SECRET}-5"},
                {"name": "api_key", "in": "query", "schema": {"type": "string", "default": f"{SECRET}-6"}}],
            "responses": {"200": {"description": "ok"}}}}},
    }
    result = generate(doc, version="3.0", options=Options(targets=ALL))
    leaked = [rel for rel, text in result.files.items() if rel != "manifest.json"
              and any(SECRET in line and not line.lstrip().startswith(tuple(t.comment_prefix for t in TARGETS.values())) for line in text.split("\n"))]
    assert not leaked, leaked
    sample = result.model.operations[0].sample
    assert [n for n, _ in sample.query] == [] and [n for n, _ in sample.headers if n == "X-API-Key"] == []
    assert sorted((p.kind, p.name) for p in sample.auth) == [("api_key_header", "X-API-Key"), ("api_key_query", "api_key")]
