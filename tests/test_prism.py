"""Prism as an independent judge: what it accepts, what it reports, how failures surface."""
from __future__ import annotations

import base64
import json
import os
import signal
import time
from pathlib import Path

import pytest

from generator.verify.prism import (
    PrismJudge,
    Verdict,
    _interpret,
    find_prism,
    rewrite_query_path_keys,
)

ROOT = Path(__file__).resolve().parents[1]
SPECS = ROOT / "specs"
BEARER = [("Authorization", "Bearer test-token")]
JSON = [("Content-Type", "application/json")]
AZURE_BASE = "/workspaces/2b3f7a0c5e1d4c8e9f6a1b2c3d4e5f60/services/8d4c2e1f0a9b4c7d8e6f5a4b3c2d1e0f"
ROW = {
    "age": 39, "workclass": "State-gov", "fnlwgt": 77516, "education": "Bachelors", "education-num": 13,
    "marital-status": "Never-married", "occupation": "Adm-clerical", "relationship": "Not-in-family",
    "race": "White", "sex": "Male", "capital-gain": 2174, "capital-loss": 0, "hours-per-week": 40,
    "native-country": "United-States", "income": "<=50K",
}
PET = {"name": "Rex", "photoUrls": ["https://images.petstore.example.com/rex.png"], "status": "available"}


def require_prism() -> str:
    found = find_prism()
    if found is None:
        message = "Prism not found: run `npm ci` in the repository root (or set PRISM_BIN)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def petstore():
    require_prism()
    with PrismJudge(SPECS / "petstore.yaml") as judge:
        yield judge


@pytest.fixture(scope="module")
def azure():
    require_prism()
    with PrismJudge(SPECS / "azureml-adult-income.json") as judge:
        yield judge


def multipart(parts: list[tuple[str, bytes]], boundary: str = "b0undary") -> tuple[list[tuple[str, str]], bytes]:
    body = b""
    for head, data in parts:
        body += f"--{boundary}\r\n{head}\r\n\r\n".encode() + data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return [("Content-Type", f"multipart/form-data; boundary={boundary}")], body


# ----------------------------------------------------------------------------- pure parts


def test_pinned_version_is_the_installed_one():
    package = json.loads((ROOT / "package.json").read_text())
    assert package["devDependencies"]["@stoplight/prism-cli"] == "5.16.0"
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/@stoplight/prism-cli"]["version"] == "5.16.0"


def test_rewrite_moves_literal_query_into_required_parameters():
    doc = json.loads((SPECS / "azureml-adult-income.json").read_text())
    new, notes = rewrite_query_path_keys(doc)
    assert notes == []
    assert "/execute?api-version=2.0&format=swagger" in doc["paths"], "input left untouched"
    assert set(new["paths"]) == {"/execute", "/jobs", "/jobs/{jobId}/start", "/jobs/{jobId}", "/swagger.json"}
    params = {p["name"]: p for p in new["paths"]["/execute"]["parameters"]}
    assert params["api-version"] == {**params["api-version"], "in": "query", "required": True, "enum": ["2.0"]}
    assert params["format"]["enum"] == ["swagger"]
    plain = {"openapi": "3.0.3", "paths": {"/a": {}}}
    assert rewrite_query_path_keys(plain) == (plain, [])


def test_interpret_sl_violations_and_problem_documents():
    header = json.dumps([
        {"location": ["request", "query", "limit"], "severity": "Error", "code": "type",
         "message": "Request query parameter limit must be integer"},
        {"location": ["response", "body"], "severity": "Error", "code": "required", "message": "x"},
    ])
    violations, notes, error = _interpret(422, [("sl-violations", header), ("Content-type", "application/json")],
                                          b'{"code": 422}')
    assert violations == ["query.limit: Request query parameter limit must be integer [type]"]
    assert notes == ["response.body: x [required]"] and error == ""
    # The definition's own problem+json response is not one of Prism's findings.
    own = json.dumps({"type": "https://example.com/probs/out-of-credit", "title": "No credit"}).encode()
    assert _interpret(403, [("content-type", "application/problem+json")], own) == ([], [], "")


# ----------------------------------------------------------------------------- petstore


@pytest.mark.live
def test_finds_prism_binary():
    path = require_prism()
    assert os.access(path, os.X_OK)


@pytest.mark.live
def test_petstore_valid_requests_pass(petstore):
    verdict = petstore.judge("GET", "/v1/pets?limit=25&tags=dog&tags=small&status=available", BEARER, b"")
    assert verdict.ok, verdict.describe()
    assert verdict.status == 200 and verdict.violations == []
    verdict = petstore.judge("POST", "/v1/pets", BEARER + JSON, json.dumps(PET).encode())
    assert verdict.ok and verdict.status == 201, verdict.describe()
    verdict = petstore.judge("GET", "/v1/pets/42?api_key=secret", [], b"")  # the apiKey alternative
    assert verdict.ok, verdict.describe()
    headers, body = multipart([
        ('Content-Disposition: form-data; name="file"; filename="rex.png"\r\nContent-Type: image/png', b"\x89PNG\r\n"),
        ('Content-Disposition: form-data; name="description"', b"Rex asleep"),
    ])
    verdict = petstore.judge("POST", "/v1/pets/42/image", BEARER + headers, body)
    assert verdict.ok, verdict.describe()


@pytest.mark.live
def test_petstore_base_path_is_stripped(petstore):
    assert petstore.prism_path("/v1/pets?limit=2") == "/pets?limit=2"
    assert petstore.prism_path("/v1") == "/"
    assert petstore.prism_path("/v10/pets") == "/v10/pets"
    # Prism itself serves the operation paths without the server's /v1.
    verdict = petstore.judge("GET", "/pets", BEARER, b"", from_server_root=False)
    assert verdict.ok, verdict.describe()
    verdict = petstore.judge("GET", "/v1/pets", BEARER, b"", from_server_root=False)
    assert not verdict.ok and verdict.status == 404
    assert verdict.violations[0].startswith("path: no operation of the definition matches")


@pytest.mark.live
def test_petstore_invalid_body_is_reported(petstore):
    body = json.dumps({"photoUrls": []}).encode()
    verdict = petstore.judge("POST", "/v1/pets", BEARER + JSON, body)
    assert not verdict.ok and verdict.status == 422
    # createPet declares a 422 response: Prism mocks it and lists problems in sl-violations.
    assert verdict.violations == ["body: Request body must have required property 'name' [required]"]
    assert "sl-violations" in verdict.raw


@pytest.mark.live
def test_petstore_wrong_query_type_is_reported(petstore):
    verdict = petstore.judge("GET", "/v1/pets?limit=many", BEARER, b"")
    assert not verdict.ok
    assert verdict.violations == ["query.limit: Request query parameter limit must be integer [type]"]


@pytest.mark.live
def test_petstore_problem_json_violations(petstore):
    # deletePet has no 4xx validation response: Prism answers with its own problem document.
    verdict = petstore.judge("DELETE", "/v1/pets/42", BEARER + [("X-Request-ID", "not-a-uuid")], b"")
    assert not verdict.ok and verdict.status == 422
    assert "application/problem+json" in verdict.raw
    assert verdict.violations == ['header.x-request-id: Request header parameter x-request-id must match format "uuid" [format]']
    verdict = petstore.judge("PUT", "/v1/pets/42", BEARER + [("Content-Type", "text/plain")], b"Rex")
    assert verdict.violations == ["header.content-type: Supported content types: application/json"]


@pytest.mark.live
def test_petstore_missing_auth_is_reported(petstore):
    verdict = petstore.judge("GET", "/v1/pets/42", [], b"")
    assert not verdict.ok and verdict.status == 401
    (violation,) = verdict.violations
    assert violation.startswith("security: no security requirement of the operation is met")
    assert "Bearer" in violation
    verdict = petstore.judge("GET", "/v1/pets", [("Authorization", "Basic dTpw")], b"")
    assert not verdict.ok and verdict.status == 401


@pytest.mark.live
def test_petstore_unknown_path_is_reported(petstore):
    verdict = petstore.judge("GET", "/v1/kittens", BEARER, b"")
    assert not verdict.ok and verdict.status == 404
    assert "/kittens" in verdict.violations[0]


@pytest.mark.live
def test_response_side_findings_are_notes_not_violations(petstore):
    # Prism's generated example for the recursive Category breaks its own schema: a 500
    # VIOLATIONS problem about the response, which says nothing about the request.
    verdict = petstore.judge("GET", "/v1/categories/3", BEARER, b"")
    assert verdict.ok, verdict.describe()
    assert all(note.startswith("response") for note in verdict.notes)


@pytest.mark.live
def test_requests_that_would_break_prism_are_screened(petstore):
    pid = petstore.process.pid
    verdict = petstore.judge("PUT", "/v1/pets/42", BEARER + JSON, b'{"name": ')
    assert not verdict.ok and verdict.status == 0
    assert verdict.violations[0].startswith("body: not valid JSON")
    headers, body = multipart([("Content-Disposition: form-data; name=file; filename=rex.png\r\n"
                                "Content-Type: image/png", b"png")])
    verdict = petstore.judge("POST", "/v1/pets/42/image", BEARER + headers, body)
    assert not verdict.ok and "not quoted" in verdict.violations[0]
    headers, body = multipart([('Content-Disposition: form-data; name="file"; filename="rex.png"', b"png")])
    verdict = petstore.judge("POST", "/v1/pets/42/image", BEARER + headers, body)
    assert not verdict.ok and "without a Content-Type" in verdict.violations[0]
    assert petstore.process.pid == pid, "nothing reached Prism"


@pytest.mark.live
def test_hop_by_hop_headers_are_not_replayed(petstore):
    headers = BEARER + JSON + [("Host", "api.petstore.example.com"), ("Transfer-Encoding", "chunked"),
                               ("Connection", "keep-alive, X-Hop"), ("X-Hop", "1"), ("Expect", "100-continue")]
    verdict = petstore.judge("POST", "/v1/pets", headers, json.dumps(PET).encode())
    assert verdict.ok, verdict.describe()


# ----------------------------------------------------------------------------- failures


@pytest.mark.live
def test_crash_becomes_a_failure_verdict_and_prism_restarts():
    require_prism()
    with PrismJudge(SPECS / "petstore.yaml") as judge:
        assert judge.judge("GET", "/v1/pets", BEARER, b"").ok
        old = judge.process
        os.killpg(old.pid, signal.SIGKILL)
        old.wait(timeout=10)
        # Dead before the request: restarted, then judged normally.
        verdict = judge.judge("GET", "/v1/pets", BEARER, b"")
        assert verdict.ok, verdict.describe()
        assert judge.restarts == 1 and judge.process is not old and judge.alive()


@pytest.mark.live
def test_death_during_a_request_is_a_failure_verdict(monkeypatch):
    require_prism()
    with PrismJudge(SPECS / "petstore.yaml") as judge:
        def dying_send(*args, **kwargs):
            os.killpg(judge.process.pid, signal.SIGKILL)
            raise ConnectionResetError("connection reset by peer")

        monkeypatch.setattr(judge, "_send", dying_send)
        verdict = judge.judge("GET", "/v1/pets", BEARER, b"")
        assert isinstance(verdict, Verdict) and not verdict.ok and verdict.status == 0
        assert "Prism died" in verdict.judge_error and verdict.violations[0].startswith("judge: ")
        monkeypatch.undo()
        assert judge.alive() and judge.restarts == 1
        assert judge.judge("GET", "/v1/pets", BEARER, b"").ok


@pytest.mark.live
def test_real_prism_crash_is_caught(monkeypatch):
    # Bypass the screening to check that Prism's real multipart crash is survived too.
    require_prism()
    with PrismJudge(SPECS / "petstore.yaml", request_timeout=10) as judge:
        monkeypatch.setattr(judge, "screen", lambda headers, body: ([], ""))  # this judge only
        headers, body = multipart([('Content-Disposition: form-data; name="file"; filename=rex.png\r\n'
                                    "Content-Type: image/png", b"png")])
        verdict = judge.judge("POST", "/v1/pets/42/image", BEARER + headers, body)
        assert not verdict.ok and verdict.status == 0
        assert "Prism died" in verdict.judge_error, verdict.raw
        assert "JSON" in verdict.raw  # Prism's own crash message is in the details
        assert judge.judge("GET", "/v1/pets", BEARER, b"").ok


@pytest.mark.live
def test_timeout_becomes_a_failure_verdict(monkeypatch):
    require_prism()
    with PrismJudge(SPECS / "petstore.yaml", request_timeout=2) as judge:
        monkeypatch.setattr(judge, "screen", lambda headers, body: ([], ""))  # this judge only
        started = time.monotonic()
        verdict = judge.judge("PUT", "/v1/pets/42", BEARER + JSON, b'{"name": ')  # Prism never answers
        assert time.monotonic() - started < 30
        assert not verdict.ok and "did not answer" in verdict.judge_error
        assert judge.restarts == 1
        assert judge.judge("GET", "/v1/pets", BEARER, b"").ok


@pytest.mark.live
def test_no_process_left_behind():
    require_prism()
    judge = PrismJudge(SPECS / "petstore.yaml")
    with judge:
        proc = judge.process
    assert proc.poll() is not None
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)


# ----------------------------------------------------------------------------- Azure ML


def execute_body(row=ROW) -> bytes:
    return json.dumps({"Inputs": {"input1": [row]}, "GlobalParameters": {}}).encode()


@pytest.mark.live
def test_azureml_prism_cannot_match_query_string_path_keys_as_written():
    require_prism()
    with PrismJudge(SPECS / "azureml-adult-income.json", rewrite_query_keys=False) as judge:
        verdict = judge.judge("POST", AZURE_BASE + "/execute?api-version=2.0&format=swagger",
                              BEARER + JSON, execute_body())
        assert verdict.status == 404 and not verdict.ok
        assert "/execute hasn't been found" in verdict.violations[0]
        assert judge.judge("GET", AZURE_BASE + "/swagger.json", [], b"").ok


@pytest.mark.live
def test_azureml_valid_requests_pass(azure):
    assert azure.prism_path(AZURE_BASE + "/jobs?api-version=2.0") == "/jobs?api-version=2.0"
    cases = [
        ("POST", "/execute?api-version=2.0&format=swagger", BEARER + JSON, execute_body()),
        ("POST", "/jobs?api-version=2.0", BEARER + JSON, json.dumps({
            "Inputs": {"input1": {"ConnectionString": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=<key>",
                                  "RelativeLocation": "adultcensus/input1.csv"}},
            "Outputs": {"output1": {"ConnectionString": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=<key>",
                                    "RelativeLocation": "adultcensus/output1.csv"}},
            "GlobalParameters": {}}).encode()),
        ("POST", "/jobs/3c1d7a2e9b4f4e6a8c5d2b1a0f9e8d7c/start?api-version=2.0", BEARER, b""),
        ("GET", "/jobs/3c1d7a2e9b4f4e6a8c5d2b1a0f9e8d7c?api-version=2.0", BEARER, b""),
        ("DELETE", "/jobs/3c1d7a2e9b4f4e6a8c5d2b1a0f9e8d7c?api-version=2.0", BEARER, b""),
        ("GET", "/swagger.json", [], b""),
    ]
    for method, path, headers, body in cases:
        verdict = azure.judge(method, AZURE_BASE + path, headers, body)
        assert verdict.ok, f"{method} {path}: {verdict.describe()}"
        assert 200 <= verdict.status < 300


@pytest.mark.live
def test_azureml_invalid_requests_are_reported(azure):
    verdict = azure.judge("POST", AZURE_BASE + "/execute?api-version=2.0&format=swagger",
                          BEARER + JSON, execute_body({**ROW, "age": "thirty-nine"}))
    assert verdict.violations == ["body.Inputs.input1.0.age: Request body property Inputs.input1.0.age must be integer [type]"]
    verdict = azure.judge("POST", AZURE_BASE + "/execute?api-version=2.0", BEARER + JSON, execute_body())
    assert verdict.violations == ["query: Request query must have required property 'format' [required]"]
    verdict = azure.judge("GET", AZURE_BASE + "/jobs/3c1d?api-version=1.0", BEARER, b"")
    assert verdict.violations == [
        "query.api-version: Request query parameter api-version must be equal to one of the allowed values: 2.0 [enum]"]


@pytest.mark.live
def test_azureml_missing_api_key_is_reported(azure):
    verdict = azure.judge("POST", AZURE_BASE + "/execute?api-version=2.0&format=swagger", JSON, execute_body())
    assert not verdict.ok and verdict.status == 401
    assert verdict.violations[0].startswith("security: no security requirement of the operation is met")


# ----------------------------------------------------------------------------- OpenAPI 3.1


@pytest.mark.live
def test_features_31_requests():
    require_prism()
    key = [("X-API-Key", "k")]
    basic = [("Authorization", "Basic " + base64.b64encode(b"user:pass").decode())]
    with PrismJudge(SPECS / "features-3.1.yaml") as judge:
        assert judge.judge("GET", "/v2/health", [], b"").ok
        assert judge.judge("GET", "/v2/parcels/RR123456785GB?lang=fr", key + [("Cookie", "session=abc")], b"").ok
        update = {"recipient": {"name": "Ada", "phone": None}, "instructions": None, "schemaVersion": 2}
        assert judge.judge("PUT", "/v2/parcels/RR123456785GB", basic + JSON, json.dumps(update).encode()).ok
        assert judge.judge("POST", "/v2/parcels/RR123456785GB/notes", key + [("Content-Type", "text/plain")],
                           b"Leave it with the neighbour").ok
        assert judge.judge("PUT", "/v2/parcels/RR123456785GB/proof",
                           key + [("Content-Type", "application/octet-stream")], bytes(range(256))).ok
        form = [("Content-Type", "application/x-www-form-urlencoded")]
        assert judge.judge("POST", "/v2/pickups", key + form, b"postcode=SW1A+1AA&date=2024-07-01&parcels=2").ok

        verdict = judge.judge("PUT", "/v2/parcels/RR123456785GB", key + JSON, json.dumps(update).encode())
        assert verdict.status == 401 and "Basic" in verdict.violations[0]
        verdict = judge.judge("PUT", "/v2/parcels/RR123456785GB", basic + JSON,
                              json.dumps({**update, "schemaVersion": 3}).encode())
        assert verdict.violations == ["body.schemaVersion: Request body property schemaVersion must be equal to constant [const]"]
        verdict = judge.judge("POST", "/v2/pickups", key + form, b"postcode=SW1A+1AA")
        assert verdict.violations == ["body: Request body must have required property 'date' [required]"]
