"""autorest's extensions: x-ms-parameterized-host, x-ms-paths, x-ms-skip-url-encoding; and the
server variables every sample reads from API_<NAME> (the same for OpenAPI 3 servers)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.api import Options, generate
from generator.verify.core import SampleJob, run_job, server_variable_env
from generator.verify.prism import rewrite_query_path_keys
from generator.verify.recorder import RecordingServer

from helpers.documents import op, run, sample, v2, v3

ENDPOINT = {"name": "Endpoint", "in": "path", "required": True, "type": "string", "format": "url",
            "x-ms-skip-url-encoding": True, "x-ms-parameter-location": "client",
            "description": "The service's endpoint,\n  for example https://x.example.com."}
DETECT = {"/timeseries/entire/detect": {"post": {"operationId": "EntireDetect",
                                                 "responses": {"200": {"description": "OK"}}}}}


def anomaly(**host) -> dict:
    doc = v2(DETECT, parameters={"Endpoint": ENDPOINT})
    del doc["host"]
    doc["x-ms-parameterized-host"] = {"hostTemplate": "{Endpoint}/anomalydetector/v1.0", "useSchemePrefix": False,
                                      "parameters": [{"$ref": "#/parameters/Endpoint"}], **host}
    return doc


# -- x-ms-parameterized-host ----------------------------------------------------------------------

def test_parameterized_host_is_a_server_with_a_required_variable():
    model, _ = run(anomaly())
    [server] = model.servers
    assert server.url_template == "{Endpoint}/anomalydetector/v1.0"
    assert server.url == ""
    [var] = server.variables
    assert (var.name, var.env_var, var.required) == ("Endpoint", "API_ENDPOINT", True)
    assert var.description == "The service's endpoint, for example https://x.example.com."
    s = model.operations[0].sample
    assert s.server is server and s.base_url == "" and s.path == "/timeseries/entire/detect"
    assert "API_ENDPOINT" in s.base_url_message and "API_BASE_URL" in s.base_url_message
    assert [name for name, _ in s.env_vars] == ["API_BASE_URL", "API_ENDPOINT"]
    assert not any("names no server" in n for n in s.notes)
    assert [v.name for v in model.env_vars] == ["API_BASE_URL", "API_ENDPOINT"]


def test_parameterized_host_scheme_prefix_base_path_and_defaults():
    doc = v2(DETECT, schemes=["http"], basePath="/v2/")
    doc["x-ms-parameterized-host"] = {
        "hostTemplate": "{accountName}.{dnsSuffix}", "positionInOperation": "last",
        "parameters": [
            {"name": "accountName", "in": "path", "required": True, "type": "string", "x-ms-example": "acme"},
            {"name": "dnsSuffix", "in": "path", "required": True, "type": "string", "default": "example.net"},
        ]}
    s = sample(doc)
    assert s.server.url_template == "http://{accountName}.{dnsSuffix}/v2"
    assert [(v.env_var, v.default, v.required) for v in s.server.variables] == [
        ("API_ACCOUNT_NAME", "acme", False), ("API_DNS_SUFFIX", "example.net", False)]
    assert s.base_url == "http://acme.example.net/v2"
    assert s.server.parts == [("text", "http://", False), ("var", "API_ACCOUNT_NAME", False),
                              ("text", ".", False), ("var", "API_DNS_SUFFIX", False), ("text", "/v2", False)]


def test_server_variable_names_never_take_a_secret_variable():
    doc = anomaly(hostTemplate="{Endpoint}/{key}", parameters=[
        {"$ref": "#/parameters/Endpoint"}, {"name": "key", "in": "path", "type": "string", "default": "k1"}])
    names = [v.env_var for v in sample(doc).server.variables]
    assert names == ["API_ENDPOINT", "API_KEY_2"]


def test_undescribed_host_variable_is_required_with_a_warning():
    doc = anomaly(parameters=[])
    model, diags = run(doc)
    assert model.servers[0].required[0].env_var == "API_ENDPOINT"
    assert any("'Endpoint' is not described" in d.message and "/x-ms-parameterized-host" in d.location for d in diags)


def test_base_url_option_still_replaces_the_template():
    s = sample(anomaly(), base_url="https://fixed.example.com/")
    assert s.server is None and s.base_url == "https://fixed.example.com"


def test_oas3_server_variables_are_read_from_the_environment_too():
    doc = v3({"/a": {"get": {"responses": {"200": {"description": "OK"}}}}},
             servers=[{"url": "https://{region}.example.com/{v}", "variables": {
                 "region": {"default": "eu", "enum": ["eu", "us"]}, "v": {"default": ""}}}])
    s = sample(doc)
    assert [(v.env_var, v.default, v.required) for v in s.server.variables] == [
        ("API_REGION", "eu", False), ("API_V", "", False)]
    assert s.base_url == "https://eu.example.com"


# -- x-ms-paths -----------------------------------------------------------------------------------

def _get(**extra) -> dict:
    return {"get": {"responses": {"200": {"description": "OK"}}, **extra}}


def test_x_ms_paths_operations_are_generated_with_their_own_locations():
    doc = v2({"/models": {"post": {"operationId": "Train", "responses": {"201": {"description": "OK"}}}}},
             **{"x-ms-paths": {"/models?op=full": _get(operationId="ListFull"),
                               "/models?op=summary": _get(), "/models?op=brief": _get()}})
    model, _ = run(doc)
    ids = [o.id for o in model.operations]
    assert ids == ["Train", "ListFull", "get_models_op_summary", "get_models_op_brief"]
    full = model.operations[1]
    assert full.location == "/x-ms-paths/~1models?op=full/get"
    assert full.path_template == "/models" and full.sample.query == [("op", "full")]
    assert len({o.snake for o in model.operations}) == 4


def test_x_ms_paths_in_openapi_3():
    doc = v3({}, **{"x-ms-paths": {"/items?kind=a": _get(operationId="A")}})
    o, _ = op(doc)
    assert o.id == "A" and o.sample.query == [("kind", "a")] and o.location.startswith("/x-ms-paths/")


def test_x_ms_paths_must_be_a_mapping():
    import pytest

    from generator.errors import SpecError

    with pytest.raises(SpecError) as err:
        run(v2({}, **{"x-ms-paths": ["/a"]}))
    assert "x-ms-paths" in err.value.message


# -- x-ms-skip-url-encoding -----------------------------------------------------------------------

def _resource(skip: bool) -> dict:
    param = {"name": "id", "in": "path", "required": True, "type": "string", "x-example": "groups/main:eu,1 x"}
    if skip:
        param["x-ms-skip-url-encoding"] = True
    return v2({"/r/{id}": _get(parameters=[param])})


def test_skip_url_encoding_sends_the_path_value_as_is():
    assert sample(_resource(False)).path == "/r/groups%2Fmain%3Aeu%2C1%20x"
    skipped = sample(_resource(True))
    assert skipped.path == "/r/groups/main:eu,1%20x"  # only what a URL cannot carry is encoded
    assert any("x-ms-skip-url-encoding" in n for n in skipped.notes)


# -- the live harness -----------------------------------------------------------------------------

def test_server_variable_env_points_the_first_variable_at_the_recorder():
    s = sample(anomaly(hostTemplate="{Endpoint}/anomalydetector/{ApiVersion}", parameters=[
        {"$ref": "#/parameters/Endpoint"}, {"name": "ApiVersion", "in": "path", "type": "string", "default": "v1.0"}]))
    values, base_path = server_variable_env(s, "http://127.0.0.1:9")
    assert values == {"API_ENDPOINT": "http://127.0.0.1:9/"}
    assert base_path == "/anomalydetector/v1.0"
    oas3 = sample(v3({"/a": _get()}, servers=[{"url": "https://{r}.example.com", "variables": {"r": {"default": "x"}}}]))
    assert server_variable_env(oas3, "http://127.0.0.1:9") is None


def _python_sample(doc: dict, tmp_path: Path, edit=None) -> tuple[Path, object]:
    result = generate(doc, version="2.0", options=Options(targets=("python-urllib",)), source="d.yaml")
    op_ = result.model.operations[0]
    rel = f"python-urllib/{op_.snake}.py"
    text = result.files[rel]
    path = tmp_path / "s.py"
    path.write_text(edit(text) if edit else text, encoding="utf-8")
    return path, op_.sample


@pytest.mark.live
def test_sample_reads_the_endpoint_and_exits_2_without_it(tmp_path):
    path, s = _python_sample(anomaly(), tmp_path)
    with RecordingServer() as server:
        env = {"PATH": "/usr/bin:/bin", "API_ENDPOINT": server.url + "/", "API_KEY": "k"}
        done = subprocess.run([sys.executable, str(path)], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        [rec] = server.take()
        assert rec.path == "/anomalydetector/v1.0/timeseries/entire/detect"
        del env["API_ENDPOINT"]
        done = subprocess.run([sys.executable, str(path)], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and "API_ENDPOINT" in done.stderr
        assert server.take() == []


@pytest.mark.live
def test_live_harness_catches_a_sample_that_ignores_the_host_template(tmp_path):
    # a sample that drops the template's path when it builds the address from API_ENDPOINT
    broken, s = _python_sample(anomaly(), tmp_path, lambda t: t.replace('+ "/anomalydetector/v1.0"', ""))
    with RecordingServer() as server:
        result = run_job(SampleJob("EntireDetect", "python-urllib", broken, s), server, timeout=60)
    assert result.status == "mismatch"
    assert any("API_ENDPOINT=" in m and "instead of API_BASE_URL" in m and "path" in m for m in result.messages)
    fine, s = _python_sample(anomaly(), tmp_path)
    with RecordingServer() as server:
        assert run_job(SampleJob("EntireDetect", "python-urllib", fine, s), server, timeout=60).messages == []


def test_prism_copy_merges_x_ms_paths():
    doc = v2({"/models": {"post": {"responses": {"201": {"description": "OK"}}}}},
             **{"x-ms-paths": {"/models?op=full": _get(), "/models?op=summary": _get()}})
    new, notes = rewrite_query_path_keys(doc)
    assert "x-ms-paths" not in new and "x-ms-paths" in doc
    assert set(new["paths"]["/models"]) == {"post", "get"}
    assert new["paths"]["/models"]["get"]["parameters"][0]["enum"] == ["full"]
    assert "/models?op=summary" in new["paths"] and len(notes) == 1


def test_operation_listing_the_host_parameter_does_not_send_it_twice():
    doc = anomaly()
    doc["paths"]["/timeseries/entire/detect"]["post"]["parameters"] = [{"$ref": "#/parameters/Endpoint"}]
    o, diags = op(doc)
    assert o.parameters == [] and o.sample.path == "/timeseries/entire/detect"
    assert not any("Endpoint" in d.message for d in diags)


def test_lenient_mode_ignores_a_broken_extension_with_a_warning():
    import pytest

    from generator.errors import SpecError

    doc = anomaly(hostTemplate=7)
    doc["x-ms-paths"] = ["/a"]
    with pytest.raises(SpecError):
        run(doc)
    model, diags = run(doc, lenient=True)
    assert [o.id for o in model.operations] == ["EntireDetect"]
    assert model.operations[0].sample.server is None
    found = [d.message for d in diags]
    assert any("x-ms-parameterized-host ignored" in m and "hostTemplate" in m for m in found)
    assert any("`x-ms-paths` ignored" in m for m in found)


def test_parameterized_host_in_openapi_3_only_without_servers():
    host = {"hostTemplate": "{Endpoint}/v2", "useSchemePrefix": False,
            "parameters": [{"name": "Endpoint", "in": "path", "required": True, "schema": {"type": "string"}}]}
    doc = v3({"/a": _get()}, **{"x-ms-parameterized-host": host})
    del doc["servers"]
    assert sample(doc).server.url_template == "{Endpoint}/v2"
    assert sample(v3({"/a": _get()}, **{"x-ms-parameterized-host": host})).base_url == "https://api.example.com"
