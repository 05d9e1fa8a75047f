"""Tests of the live tier itself: the recorder, the comparator, the runners.

Hand-written fixture samples (tests/live/fixtures/) in Python, C# and R send a known request;
a correct run must match, and each deliberate fault must be reported.
"""
from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest
import requests

from generator.languages.csharp import build_csharp
from generator.model import (
    ApiKeyCookie,
    ApiKeyHeader,
    ApiKeyQuery,
    Basic,
    BinaryBody,
    FileSpec,
    FormBody,
    FormField,
    JsonBody,
    MultipartBody,
    OAuth2ClientCredentials,
    SampleRequest,
    TextBody,
)
from generator.verify import compare as cmp
from generator.verify.core import BASE_PATH, SampleJob, run_job, sample_env
from generator.verify.recorder import TOKEN, TOKEN_PATH, RecordingServer, Response, parse_multipart
from generator.verify.runners import (
    RunResult,
    base_env,
    missing_tools,
    require_tools,
    run_process,
    sample_command,
)

FIXTURES = Path(__file__).parent / "fixtures"
LANGS = ["python", "csharp", "r"]

PET = SampleRequest(
    method="POST",
    base_url="https://api.example.com/v1",
    path="/pets/42%20a/tags",
    query=[("tag", "a"), ("tag", "b"), ("q", "x y&z")],
    headers=[("X-Request-Id", "req-1")],
    cookies=[("session", "abc")],
    auth=[ApiKeyHeader(scheme="key", name="X-API-Key")],
    body=JsonBody(
        media_type="application/json",
        json={"id": 1, "name": "Rex", "tags": ["a"], "vaccinated": True, "weight": 1.5, "owner": None},
    ),
)
UPLOAD = SampleRequest(
    method="POST",
    base_url="https://api.example.com/v1",
    path="/files",
    auth=[Basic(scheme="basic")],
    body=MultipartBody(
        media_type="multipart/form-data",
        fields=[
            FormField(name="description", value="a note"),
            FormField(
                name="file",
                file=FileSpec(env_var="UPLOAD_FILE", filename="report.csv", content_type="text/csv", default_content="a,b\n1,2\n"),
            ),
        ],
    ),
)
FILES = {
    ("python", "pet"): FIXTURES / "python" / "pet.py",
    ("python", "upload"): FIXTURES / "python" / "upload.py",
    ("python", "sleep"): FIXTURES / "python" / "sleep.py",
    ("r", "pet"): FIXTURES / "r" / "pet.R",
    ("r", "upload"): FIXTURES / "r" / "upload.R",
    ("r", "sleep"): FIXTURES / "r" / "sleep.R",
    ("csharp", "pet"): FIXTURES / "csharp" / "Pet" / "Program.cs",
    ("csharp", "upload"): FIXTURES / "csharp" / "Upload" / "Program.cs",
    ("csharp", "sleep"): FIXTURES / "csharp" / "Sleep" / "Program.cs",
}
SAMPLES = {"pet": PET, "upload": UPLOAD}


# -- fixtures --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def csharp_build(tmp_path_factory):
    require_tools("csharp")
    programs = [FILES[("csharp", n)] for n in ("pet", "upload", "sleep")]
    build = build_csharp(programs, tmp_path_factory.mktemp("cs"))
    assert build.dll is not None, build.log
    return build


@pytest.fixture
def server():
    with RecordingServer() as s:
        yield s


def _job(lang: str, name: str, request, fault: str = "") -> SampleJob:
    require_tools("csharp" if lang == "csharp" else lang)
    build = request.getfixturevalue("csharp_build") if lang == "csharp" else None
    file = FILES[(lang, name)]
    job = SampleJob(name, lang, file, SAMPLES.get(name, PET), command=sample_command(lang, file, build))
    if fault:
        job.env["FIXTURE_FAULT"] = fault
    return job


# -- the fixture samples through the whole pipeline ----------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["pet", "upload"])
def test_correct_fixture_matches(lang, name, request, server):
    result = run_job(_job(lang, name, request), server, timeout=60)
    assert result.status == "ok", result.format()
    assert result.messages == []
    assert len(result.recorded) == 1


FAULTS = [
    ("pet", "header", "header X-Request-Id: expected 'req-1', got 'req-2'"),
    ("pet", "query_merged", "query: expected [('tag', 'a'), ('tag', 'b')"),
    ("pet", "json_string", "body $.id: expected number 1, got string \"1\""),
    ("pet", "extra_header", "header X-Debug: not expected"),
    ("upload", "filename", "multipart part 'file': expected filename 'report.csv', got 'wrong.csv'"),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name,fault,message", FAULTS, ids=[f[1] for f in FAULTS])
def test_fault_is_reported(lang, name, fault, message, request, server):
    result = run_job(_job(lang, name, request, fault), server, timeout=60, behaviours=False)
    assert result.status == "mismatch", result.format()
    assert any(message in m for m in result.messages), result.format()


@pytest.mark.parametrize("lang", LANGS)
def test_sample_that_never_ends_is_killed(lang, request, server, tmp_path):
    job = _job(lang, "sleep", request)
    pid_file = tmp_path / "child.pid"
    job.env["CHILD_PID_FILE"] = str(pid_file)
    started = time.monotonic()
    result = run_job(job, server, timeout=4)
    assert time.monotonic() - started < 30
    assert result.status == "error"
    assert "timed out after 4s" in result.messages[0]
    if pid_file.exists():  # the python fixture leaves a child: it must be gone too
        pid = int(pid_file.read_text())
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"child {pid} of the killed sample still runs")


def test_crashing_sample_is_an_error(server):
    job = SampleJob("crash", "python", FIXTURES / "python" / "crash.py", PET)
    result = run_job(job, server, timeout=30)
    assert result.status == "error"
    assert "no request sent" in result.messages[0]
    assert "this fixture always fails" in result.stderr_tail


def test_missing_secret_is_checked(server):
    """A sample that sends without its secret is caught (the pet fixture reads API_KEY)."""
    job = SampleJob("pet", "python", FILES[("python", "pet")], PET)
    # claim a secret the fixture never checks: it sends anyway, which must be reported
    sample = SampleRequest(**{**PET.__dict__, "auth": PET.auth + [ApiKeyQuery(scheme="q", name="k", env_var="API_KEY_Q")]})
    res = run_process(sample_command("python", job.file), sample_env(sample, server.url, secrets=False, extra={"API_KEY": "x"}), timeout=30)
    msgs = cmp.check_behaviour("missing_secret", res, secret_vars=["API_KEY_Q"], recorded=server.take())
    assert any("expected exit 2" in m for m in msgs)
    assert any("nothing may be sent" in m for m in msgs)


def test_csharp_compile_errors_are_reported_per_file(tmp_path):
    require_tools("csharp")
    broken = FIXTURES / "csharp-broken" / "Broken" / "Program.cs"
    fine = FIXTURES / "csharp-broken" / "Fine" / "Program.cs"
    build = build_csharp([broken, fine], tmp_path)
    assert broken.resolve() in build.errors
    assert any("UndefinedMethod" in e for e in build.errors[broken.resolve()])
    assert fine.resolve() not in build.errors
    assert build.dll is not None  # rebuilt without the broken file
    res = run_process(build.command(fine), base_env(), timeout=60)
    assert res.returncode == 0 and res.stdout.strip() == "fine", res
    with pytest.raises(RuntimeError, match="did not compile"):
        build.command(broken)


# -- runners ------------------------------------------------------------------------------------------


def test_environment_is_not_inherited(monkeypatch, tmp_path):
    monkeypatch.setenv("API_KEY", "a-real-secret")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:1")
    script = tmp_path / "env.py"
    script.write_text("import os, json; print(json.dumps(dict(os.environ)))")
    res = run_process(sample_command("python", script), base_env({"EXTRA": "1"}), timeout=30)
    env = json.loads(res.stdout)
    assert "API_KEY" not in env and "HTTPS_PROXY" not in env
    assert env["EXTRA"] == "1" and env["LANG"] == "C.UTF-8" and "PATH" in env and "HOME" in env


def test_require_tools_fails_under_ci_and_skips_elsewhere(monkeypatch):
    from generator.verify import runners

    monkeypatch.setattr(runners, "missing_tools", lambda t: ["Rscript"] if t == "r" else [])
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="r-base-core r-cran-httr2 r-cran-jsonlite"):
        runners.require_tools(["python", "r"])
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="Rscript"):
        runners.require_tools("r")
    runners.require_tools("python")  # nothing missing: returns


def test_missing_tools_names_known_targets():
    assert missing_tools("python-urllib") == []
    with pytest.raises(ValueError):
        missing_tools("cobol")


# -- recorder -----------------------------------------------------------------------------------------


def test_recorder_keeps_raw_and_decoded(server):
    requests.post(
        server.url + "/a%20b/%C3%A9?x=1&x=2&empty=&plus=a+b%2B",
        data=b'{"n": 1}',
        headers={"Content-Type": "application/json; charset=utf-8", "X-One": "1", "Cookie": "a=1; b=2"},
    )
    (rec,) = server.take()
    assert rec.method == "POST"
    assert rec.path == "/a%20b/%C3%A9" and rec.decoded_path == "/a b/é"
    assert rec.raw_query == "x=1&x=2&empty=&plus=a+b%2B"
    assert rec.query == [("x", "1"), ("x", "2"), ("empty", ""), ("plus", "a b+")]
    assert ("X-One", "1") in rec.headers
    assert rec.json == {"n": 1} and rec.has_json
    assert rec.cookies == [("a", "1"), ("b", "2")]
    assert server.take() == []


def test_recorder_chunked_and_expect_continue(server):
    def gen():
        yield b"hello "
        yield b"world"

    requests.post(server.url + "/chunked", data=gen(), headers={"Content-Type": "text/plain"})
    (rec,) = server.take()
    assert rec.chunked and rec.body == b"hello world"

    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            b"POST /expect HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n"
            b"Content-Length: 5\r\nExpect: 100-continue\r\n\r\n"
        )
        first = sock.recv(100)
        assert first.startswith(b"HTTP/1.1 100"), first
        sock.sendall(b"abcde")
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(1000)
        assert answer.startswith(b"HTTP/1.1 200") or b"HTTP/1.1 200" in answer
    (rec,) = server.take()
    assert rec.body == b"abcde"


def test_recorder_routes_and_status(server):
    server.respond(503, "busy", "text/plain")
    r = requests.get(server.url + "/x")
    assert r.status_code == 503 and r.text == "busy"
    r = requests.post(server.url + TOKEN_PATH, data={"grant_type": "client_credentials"})
    assert r.json()["access_token"] == TOKEN
    server.route("/special", Response(201, {"made": True}))
    assert requests.put(server.url + "/special").status_code == 201
    assert [rec.path for rec in server.take()] == ["/x", TOKEN_PATH, "/special"]


def test_recorder_is_thread_safe(server):
    def hit(i: int) -> None:
        requests.get(server.url + f"/n/{i}")

    threads = [threading.Thread(target=hit, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.path for r in server.take()) == sorted(f"/n/{i}" for i in range(40))


def test_multipart_parser():
    body = (
        b"preamble\r\n--XyZ\r\n"
        b'Content-Disposition: form-data; name="a"\r\n\r\n'
        b"text\r\n"
        b"--XyZ\r\n"
        b"Content-Disposition: form-data; name=\"f\"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt\r\n"
        b"Content-Type: text/plain\r\n\r\n"
        b"line1\r\nline2\r\n"
        b"--XyZ--\r\nepilogue"
    )
    parts = parse_multipart(body, 'multipart/form-data; boundary="XyZ"')
    assert [(p.name, p.filename, p.content_type, p.data) for p in parts] == [
        ("a", None, None, b"text"),
        ("f", "résumé.txt", "text/plain", b"line1\r\nline2"),
    ]
    with pytest.raises(ValueError):
        parse_multipart(b"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nx", "multipart/form-data; boundary=XyZ")


# -- the comparator on requests sent in-process ---------------------------------------------------------


def _send(server: RecordingServer, method: str, path: str, **kw):
    requests.request(method, server.url + BASE_PATH + path, **kw)
    return server.take()


def _env(sample: SampleRequest, server: RecordingServer) -> dict[str, str]:
    return sample_env(sample, server.url)


@pytest.mark.parametrize(
    "expected,actual,equal",
    [
        (1, 1, True),
        (1, 1.0, True),
        (1, "1", False),
        (True, 1, False),
        (1, True, False),
        (None, {}, False),
        ({}, None, False),
        ("", None, False),
        ([1, 2], [2, 1], False),
        ({"a": [1, {"b": None}]}, {"a": [1, {"b": None}]}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
        (0.1, 0.1000001, False),
    ],
)
def test_json_diff(expected, actual, equal):
    assert (cmp.json_diff(expected, actual) == []) is equal


def test_compare_path_escaping(server):
    sample = SampleRequest(method="GET", base_url="", path="/files/a%2Fb/x%2Cy")
    env = _env(sample, server)
    assert cmp.compare(sample, _send(server, "GET", "/files/a%2Fb/x%2Cy"), env, BASE_PATH) == []
    assert cmp.compare(sample, _send(server, "GET", "/files/a%2fb/x,y"), env, BASE_PATH) == []
    msgs = cmp.compare(sample, _send(server, "GET", "/files/a/b/x%2Cy"), env, BASE_PATH)
    assert msgs and msgs[0].startswith("path:")
    # the definition's base path must not be added: API_BASE_URL replaces the server URL
    msgs = cmp.compare(sample, _send(server, "GET", "/v1/files/a%2Fb/x%2Cy"), env, BASE_PATH)
    assert msgs and msgs[0].startswith("path:")


def test_compare_auth_query_cookie_and_order(server):
    sample = SampleRequest(
        method="GET",
        base_url="",
        path="/items",
        query=[("b", "2"), ("a", "1")],
        auth=[
            ApiKeyQuery(scheme="q", name="key"),
            ApiKeyCookie(scheme="c", name="sid", env_var="API_KEY_C"),
        ],
    )
    env = _env(sample, server)
    key, sid = env["API_KEY"], env["API_KEY_C"]
    good = _send(server, "GET", "/items", params=[("b", "2"), ("a", "1"), ("key", key)], headers={"Cookie": f"sid={sid}"})
    assert cmp.compare(sample, good, env, BASE_PATH) == []
    reordered = _send(server, "GET", "/items", params=[("a", "1"), ("b", "2"), ("key", key)], headers={"Cookie": f"sid={sid}"})
    assert any(m.startswith("query:") for m in cmp.compare(sample, reordered, env, BASE_PATH))
    no_cookie = _send(server, "GET", "/items", params=[("b", "2"), ("a", "1"), ("key", key)])
    assert any(m.startswith("cookies:") for m in cmp.compare(sample, no_cookie, env, BASE_PATH))
    requests.get(server.url + BASE_PATH + f"/items?b=2&a=1&key={key}", headers={"Cookie": f"sid={sid}"})
    # the key's '+' and '&' sent unescaped
    assert any(m.startswith("query:") for m in cmp.compare(sample, server.take(), env, BASE_PATH))


def test_compare_basic_bearer_and_header_prefix(server):
    sample = SampleRequest(method="DELETE", base_url="", path="/x", auth=[Basic(scheme="b")])
    env = _env(sample, server)
    assert cmp.compare(sample, _send(server, "DELETE", "/x", auth=(env["API_USERNAME"], env["API_PASSWORD"])), env, BASE_PATH) == []
    msgs = cmp.compare(sample, _send(server, "DELETE", "/x", auth=(env["API_USERNAME"], "nope")), env, BASE_PATH)
    assert msgs and msgs[0].startswith("header Authorization")
    sample = SampleRequest(method="GET", base_url="", path="/x", auth=[ApiKeyHeader(scheme="k", name="Authorization", prefix="Bearer ")])
    env = _env(sample, server)
    assert cmp.compare(sample, _send(server, "GET", "/x", headers={"authorization": "Bearer " + env["API_KEY"]}), env, BASE_PATH) == []
    msgs = cmp.compare(sample, _send(server, "GET", "/x", headers={"Authorization": env["API_KEY"]}), env, BASE_PATH)
    assert msgs


def test_compare_oauth2_client_credentials(server):
    sample = SampleRequest(method="GET", base_url="", path="/me", auth=[OAuth2ClientCredentials(scheme="o", token_url="https://login.example.com/token")])
    env = _env(sample, server)
    assert env["API_TOKEN_URL"] == server.url + TOKEN_PATH

    def client(good_grant: bool = True):
        tok = requests.post(env["API_TOKEN_URL"], data={"grant_type": "client_credentials" if good_grant else "password"},
                            auth=(env["API_CLIENT_ID"], env["API_CLIENT_SECRET"])).json()["access_token"]
        requests.get(env["API_BASE_URL"] + "/me", headers={"Authorization": "Bearer " + tok})
        return server.take()

    assert cmp.compare(sample, client(), env, BASE_PATH) == []
    msgs = cmp.compare(sample, client(False), env, BASE_PATH)
    assert any("grant_type=client_credentials" in m for m in msgs)
    requests.get(env["API_BASE_URL"] + "/me", headers={"Authorization": "Bearer " + TOKEN})
    assert any("token request: none arrived" in m for m in cmp.compare(sample, server.take(), env, BASE_PATH))


def test_compare_bodies(server):
    form = SampleRequest(method="POST", base_url="", path="/f", body=FormBody(media_type="application/x-www-form-urlencoded", fields=[FormField(name="a", value="1 2"), FormField(name="b", value=""), FormField(name="a", value="&")]))
    env = _env(form, server)
    assert cmp.compare(form, _send(server, "POST", "/f", data=[("a", "1 2"), ("b", ""), ("a", "&")]), env, BASE_PATH) == []
    assert cmp.compare(form, _send(server, "POST", "/f", data=[("a", "1 2"), ("a", "&"), ("b", "")]), env, BASE_PATH)

    text = SampleRequest(method="PUT", base_url="", path="/t", body=TextBody(media_type="text/plain", text="héllo\n"))
    assert cmp.compare(text, _send(server, "PUT", "/t", data="héllo\n".encode(), headers={"Content-Type": "text/plain; charset=utf-8"}), env, BASE_PATH) == []
    assert cmp.compare(text, _send(server, "PUT", "/t", data=b"hello\n", headers={"Content-Type": "text/plain"}), env, BASE_PATH)
    assert cmp.compare(text, _send(server, "PUT", "/t", data="héllo\n".encode(), headers={"Content-Type": "text/csv"}), env, BASE_PATH)

    spec = FileSpec(env_var="BODY_FILE", filename="x.bin", content_type="application/octet-stream", default_content="0123")
    binary = SampleRequest(method="POST", base_url="", path="/b", body=BinaryBody(media_type="application/octet-stream", file=spec))
    assert cmp.compare(binary, _send(server, "POST", "/b", data=b"0123", headers={"Content-Type": "application/octet-stream"}), env, BASE_PATH) == []
    assert cmp.compare(binary, _send(server, "POST", "/b", data=b"01234", headers={"Content-Type": "application/octet-stream"}), env, BASE_PATH)

    nobody = SampleRequest(method="GET", base_url="", path="/n")
    assert cmp.compare(nobody, _send(server, "GET", "/n"), env, BASE_PATH) == []
    assert cmp.compare(nobody, _send(server, "GET", "/n", json={}), env, BASE_PATH)

    js = SampleRequest(method="POST", base_url="", path="/j", body=JsonBody(media_type="application/json", json={"a": 1}))
    dup = _send(server, "POST", "/j", data=b'{"a": 2, "a": 1}', headers={"Content-Type": "application/json"})
    assert any("duplicate" in m for m in cmp.compare(js, dup, env, BASE_PATH))


def test_compare_multipart_parts(server):
    env = _env(UPLOAD, server)
    auth = (env["API_USERNAME"], env["API_PASSWORD"])
    good = [("description", (None, "a note")), ("file", ("report.csv", b"a,b\n1,2\n", "text/csv"))]
    assert cmp.compare(UPLOAD, _send(server, "POST", "/files", files=good, auth=auth), env, BASE_PATH) == []
    swapped = [good[1], good[0]]
    assert any("in this order" in m for m in cmp.compare(UPLOAD, _send(server, "POST", "/files", files=swapped, auth=auth), env, BASE_PATH))
    wrong_type = [good[0], ("file", ("report.csv", b"a,b\n1,2\n", "application/octet-stream"))]
    assert any("expected Content-Type 'text/csv'" in m for m in cmp.compare(UPLOAD, _send(server, "POST", "/files", files=wrong_type, auth=auth), env, BASE_PATH))
    as_file = [("description", ("d.txt", "a note")), good[1]]
    assert any("sent as a file" in m for m in cmp.compare(UPLOAD, _send(server, "POST", "/files", files=as_file, auth=auth), env, BASE_PATH))
    bytes_differ = [good[0], ("file", ("report.csv", b"a,b\r\n1,2\r\n", "text/csv"))]
    assert any("bytes" in m for m in cmp.compare(UPLOAD, _send(server, "POST", "/files", files=bytes_differ, auth=auth), env, BASE_PATH))


def test_compare_counts_requests(server):
    sample = SampleRequest(method="GET", base_url="", path="/x")
    env = _env(sample, server)
    assert cmp.compare(sample, [], env, BASE_PATH) == ["no request arrived"]
    requests.get(server.url + BASE_PATH + "/x")
    requests.get(server.url + BASE_PATH + "/x")
    assert any("2 requests arrived" in m for m in cmp.compare(sample, server.take(), env, BASE_PATH))


def _result(code, stdout="", stderr="") -> RunResult:
    return RunResult(["x"], code, stdout, stderr)


def test_check_behaviour():
    body = {"a": [1, 2], "b": {"c": None}}
    pretty = "HTTP 200\n" + json.dumps(body, indent=2) + "\n"
    assert cmp.check_behaviour("success", _result(0, pretty), status=200, response_body=body) == []
    assert any("exit 0" in m for m in cmp.check_behaviour("success", _result(1, pretty), status=200, response_body=body))
    flat = "HTTP 200\n" + json.dumps(body) + "\n"
    assert any("not pretty-printed" in m for m in cmp.check_behaviour("success", _result(0, flat), status=200, response_body=body))
    assert any("status line" in m for m in cmp.check_behaviour("success", _result(0, json.dumps(body, indent=2)), status=200, response_body=body))
    r_style = "HTTP 404 \n{\n    \"code\": 404\n}\n"
    assert cmp.check_behaviour("error_status", _result(1, r_style), status=404, response_body={"code": 404}) == []
    assert cmp.check_behaviour("error_status", _result(0, r_style), status=404, response_body={"code": 404})
    assert cmp.check_behaviour("missing_secret", _result(2, "", "error: set API_KEY"), secret_vars=["API_KEY"]) == []
    assert cmp.check_behaviour("missing_secret", _result(2, "set API_KEY", ""), secret_vars=["API_KEY"])  # stdout, not stderr
    assert cmp.check_behaviour("missing_secret", _result(1, "", "API_KEY"), secret_vars=["API_KEY"])
    assert cmp.check_behaviour("transport_error", _result(1, "", "connection refused")) == []


# -- verify() end to end on a small definition (python only: fast, always available) ---------------

TINY = """\
openapi: 3.0.3
info: {title: Tiny, version: "1"}
servers: [{url: "https://tiny.example.com/api"}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
security: [{key: []}]
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, example: "zebra-123"}}
        - {name: limit, in: query, required: true, schema: {type: integer, example: 5}}
      responses:
        "200": {description: OK, content: {application/json: {schema: {type: object}}}}
"""


@pytest.fixture
def tiny(tmp_path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_verify_end_to_end(tiny):
    from generator.verify import verify

    report = verify(tiny, ["python"], prism=False, jobs=1)
    assert report.ok, report.format(verbose=True)
    assert report.summary_lines() == ["python: 1 run, 1 matched, 0 failed"]


def test_verify_reports_a_sample_that_sends_something_else(tiny):
    from generator.api import Options, generate_path
    from generator.verify.core import verify_generated

    result = generate_path(str(tiny), Options(targets=("python",)))
    (name,) = [n for n in result.files if n.startswith("python/") and n.endswith(".py")]
    assert "zebra-123" in result.files[name]
    result.files[name] = result.files[name].replace("zebra-123", "zebra-124")
    report = verify_generated(result, tiny, ["python"], prism=False, jobs=1)
    assert not report.ok
    (case,) = report.results
    assert case.status == "mismatch"
    assert any(m.startswith("path: expected /live-base/items/zebra-123") for m in case.messages), case.format()


def test_cli_verify(tiny):
    from click.testing import CliRunner

    from generator.cli import cli

    res = CliRunner().invoke(cli, ["verify", str(tiny), "-t", "python", "--no-prism"])
    assert res.exit_code == 0, res.output
    assert "python: 1 run, 1 matched, 0 failed" in res.output


def test_each_secret_variable_must_be_checked(server, tmp_path):
    """A sample that checks API_USERNAME but not API_PASSWORD is caught."""
    source = (FIXTURES / "python" / "upload.py").read_text(encoding="utf-8")
    lax = source.replace("if not user or not password:", "if not user:")
    assert lax != source
    script = tmp_path / "upload_lax.py"
    script.write_text(lax, encoding="utf-8")
    result = run_job(SampleJob("upload", "python", script, UPLOAD), server, timeout=60)
    assert result.status == "mismatch", result.format()
    assert any(m.startswith("missing API_PASSWORD only: expected exit 2") for m in result.messages), result.format()
