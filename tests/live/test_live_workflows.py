"""Workflow programs (Arazzo) run live in every language that has them, against a stateful
fake of the batch service: the steps' requests are compared with the definition (the
recorder comparison of single operations), the printed steps and outputs, the exit codes,
the retry limit and the time limit. Hostile strings travel in the inputs and responses."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest

from generator.api import Options, generate_path
from generator.languages import REGISTRY
from generator.model import JsonBody
from generator.verify.compare import compare
from generator.verify.replay import _prism_target
from generator.verify.runners import base_env, run_process
from generator.writer import write_files

from .batch_service import BASE, BatchService
from .pet_service import BASE as PET_BASE, PetService

ROOT = Path(__file__).resolve().parents[2]
ARAZZO = ROOT / "specs" / "azureml-adult-income.arazzo.yaml"
WORKFLOW_LANGUAGES = [lang for lang in REGISTRY if lang.workflow]
HOSTILE = "q\"uote' back\\slash $(x) `y` {z} %41 & ; | é\u2028ü/<>\n\tend"


def _generate(arazzo: Path, out: Path):
    result = generate_path(arazzo, Options(targets=tuple(l.name for l in WORKFLOW_LANGUAGES)))
    write_files(out, result.files)
    return result


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    out = tmp_path_factory.mktemp("wf-bundled")
    return out, _generate(ARAZZO, out)


@pytest.fixture(scope="module")
def fast(tmp_path_factory):
    """The bundled document with short waits and a small retry limit (same definition)."""
    folder = tmp_path_factory.mktemp("wf-fast-src")
    shutil.copy(ROOT / "specs" / "azureml-adult-income.json", folder)
    text = ARAZZO.read_text(encoding="utf-8").replace("retryAfter: 2", "retryAfter: 0.2") \
        .replace("retryLimit: 150", "retryLimit: 3")
    (folder / "flow.arazzo.yaml").write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("wf-fast")
    return out, _generate(folder / "flow.arazzo.yaml", out)


_BUILDS: dict = {}


def _command(lang, out: Path, wf) -> list[str]:
    """How to run the workflow program (the C# ones are built first, once each)."""
    if lang.missing_tools():
        import os

        message = f"{lang.name}: missing {', '.join(lang.missing_tools())}"
        if os.environ.get("CI") == "true":  # CI must run every language
            pytest.fail(message)
        pytest.skip(message)
    program = out / lang.workflow_files(wf)[0][1]
    if lang.toolchain.build is not None:
        key = (lang.name, str(program))
        if key not in _BUILDS:
            _BUILDS[key] = lang.toolchain.build([program], out / f".build-{lang.name}-{wf.snake}")
        error = _BUILDS[key].error(program)
        assert not error, error
        return _BUILDS[key].command(program)
    return lang.toolchain.command(program)


def _run(lang, out, result, service, extra, timeout=120):
    wf = result.workflows[0]
    env = base_env({"API_BASE_URL": service.url + BASE, "API_KEY": "key-\"'\\ %", **extra})
    return run_process(_command(lang, out, wf), env, timeout=timeout, cwd=out), wf, env


def _expected(step, values: dict, payload=None):
    """The step's SampleRequest with the values the workflow gave its variables."""
    s = step.sample
    path = "".join(p.text if not p.var else (quote(values[p.var], safe="") if p.encode else values[p.var])
                   for p in s.path_parts)
    query = [(n, values.get(v, val)) for n, val, v in s.query_items]
    headers = [(n, values.get(v, val)) for n, val, v in s.header_items]
    body = JsonBody(media_type=s.body.media_type, json=payload) if payload is not None else s.body
    return replace(s, path=path, query=query, headers=headers, body=body)


INPUTS = {"WF_CONNECTION_STRING": "DefaultEndpointsProtocol=https;AccountKey=" + HOSTILE,
          "WF_INPUT_LOCATION": "in/" + HOSTILE, "WF_OUTPUT_LOCATION": "out/" + HOSTILE}


def _payload():
    conn = INPUTS["WF_CONNECTION_STRING"]
    return {"Inputs": {"input1": {"ConnectionString": conn, "RelativeLocation": INPUTS["WF_INPUT_LOCATION"]}},
            "Outputs": {"output1": {"ConnectionString": conn, "RelativeLocation": INPUTS["WF_OUTPUT_LOCATION"]}},
            "GlobalParameters": {}}


@pytest.fixture(scope="module")
def prism_azureml():
    """Prism serving the bundled Azure ML definition, to judge the workflow's requests (None
    when Prism is not installed: the recorder comparison still runs)."""
    import os

    from generator.verify import prism

    if prism.find_prism() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Prism is not installed (npm ci)")
        yield None
        return
    with prism.PrismJudge(ROOT / "specs" / "azureml-adult-income.json") as judge:
        yield judge


@pytest.mark.parametrize("lang", WORKFLOW_LANGUAGES, ids=lambda l: l.name)
def test_batch_flow_submits_starts_polls_and_prints_the_outputs(lang, bundled, prism_azureml):
    out, result = bundled
    job_id = "job/" + HOSTILE
    results = {"output1": {"RelativeLocation": "out/" + HOSTILE, "BaseLocation": "https://x/" + HOSTILE,
                           "SasBlobToken": "?sig=" + HOSTILE}}
    with BatchService(job_id=job_id, results=results) as service:
        res, wf, env = _run(lang, out, result, service, INPUTS)
        recorded = service.take()
    assert res.returncode == 0, res.tail()
    lines = res.stdout.split("\n")
    steps = [line for line in lines if line.startswith("step ")]
    # NotStarted, Running, Finished: three polls
    assert steps == ["step submit: HTTP 200", "step start: HTTP 200"] + ["step poll: HTTP 200"] * 3, res.stdout
    outputs = json.loads("\n".join(lines[len(steps):]))
    assert outputs == {"jobId": job_id, "status": "Finished", "outputLocation": "out/" + HOSTILE,
                       "resultUrl": "https://x/" + HOSTILE}
    by_id = {s.id: s for s in wf.steps}
    assert len(recorded) == 5
    expect = [_expected(by_id["submit"], {}, _payload())] + \
             [_expected(by_id[name], {"JOB_ID": job_id}) for name in ("start", "poll", "poll", "poll")]
    for want, rec in zip(expect, recorded):
        assert compare(want, rec, env, BASE, lang.toolchain.client_headers) == [], rec.describe()
        if prism_azureml is not None:
            verdict = prism_azureml.judge(rec.method, _prism_target(rec, BASE), list(rec.headers), rec.body,
                                          from_server_root=False)
            assert verdict.ok, verdict.describe()


@pytest.mark.parametrize("lang", WORKFLOW_LANGUAGES, ids=lambda l: l.name)
def test_a_failed_job_ends_the_workflow_with_exit_1(lang, fast):
    out, result = fast
    with BatchService(outcome="Failed") as service:
        res, _, _ = _run(lang, out, result, service, INPUTS)
    assert res.returncode == 1, res.tail()
    assert res.stdout.rstrip("\n").split("\n")[-1] == "step poll: HTTP 200"
    assert "poll" in res.stderr and "jobFailed" in res.stderr


@pytest.mark.parametrize("lang", WORKFLOW_LANGUAGES, ids=lambda l: l.name)
def test_a_job_that_never_finishes_hits_the_retry_limit(lang, fast):
    out, result = fast
    with BatchService(outcome="never") as service:
        res, _, _ = _run(lang, out, result, service, INPUTS)
        polls = [r for r in service.take() if r.method == "GET"]
    assert res.returncode == 1, res.tail()
    assert len(polls) == 4  # the first poll and 3 retries
    assert "poll" in res.stderr and "3 retries" in res.stderr


@pytest.mark.parametrize("lang", WORKFLOW_LANGUAGES, ids=lambda l: l.name)
def test_the_time_limit_bounds_the_workflow(lang, fast):
    out, result = fast
    with BatchService(outcome="never") as service:
        res, _, _ = _run(lang, out, result, service, dict(INPUTS, WF_TIMEOUT_SECONDS="0.5"))
        polls = [r for r in service.take() if r.method == "GET"]
    assert res.returncode == 1, res.tail()
    assert "time limit" in res.stderr
    assert len(polls) <= 3  # 0.2 s apart: the limit (0.5 s) stops the polling before its retry limit


@pytest.mark.parametrize("lang", WORKFLOW_LANGUAGES, ids=lambda l: l.name)
def test_a_missing_input_exits_2_before_any_request(lang, fast):
    out, result = fast
    with BatchService() as service:
        res, _, _ = _run(lang, out, result, service, {})
        recorded = service.take()
    assert res.returncode == 2, res.tail()
    assert "WF_CONNECTION_STRING" in res.stderr
    assert recorded == []


# -- the petstore flows: goto and response headers ---------------------------------------------

PETSTORE = ROOT / "specs" / "petstore.arazzo.yaml"
NAME = "Rex \"the\" 'dog' \\ $(x) {y} é\u2028ü"
TRACE = "trace-\"q\" 'a' \\ $(x) {y} %41 &;|"


@pytest.fixture(scope="module")
def petstore(tmp_path_factory):
    out = tmp_path_factory.mktemp("wf-petstore")
    result = _generate(PETSTORE, out)
    return out, result, {wf.id: wf for wf in result.workflows}


def _run_workflow(lang, out, wf, service, extra):
    env = base_env({"API_BASE_URL": service.url + PET_BASE, "API_KEY": "key-1", **extra})
    return run_process(_command(lang, out, wf), env, timeout=120, cwd=out), env


def _outputs(res) -> dict:
    lines = res.stdout.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("{"))
    return json.loads("\n".join(lines[start:]))


@pytest.mark.parametrize("lang", WORKFLOW_LANGUAGES, ids=lambda l: l.name)
def test_create_then_read_goes_to_the_read_step(lang, petstore):
    out, _, flows = petstore
    wf = flows["createAndRead"]
    with PetService() as service:
        res, env = _run_workflow(lang, out, wf, service, {"WF_NAME": NAME})
        recorded = service.take()
    assert res.returncode == 0, res.tail()
    assert [line for line in res.stdout.split("\n") if line.startswith("step ")] == [
        "step create: HTTP 201", "step read: HTTP 200"]
    assert _outputs(res) == {"petId": 7, "name": NAME, "firstAvailable": None}
    by_id = {s.id: s for s in wf.steps}
    payload = dict(by_id["create"].sample.body.json, name=NAME)
    extra = lang.toolchain.client_headers
    assert compare(_expected(by_id["create"], {}, payload), recorded[0], env, PET_BASE, extra) == []
    assert compare(_expected(by_id["read"], {"PET_ID": "7"}), recorded[1], env, PET_BASE, extra) == []


@pytest.mark.parametrize("lang", WORKFLOW_LANGUAGES, ids=lambda l: l.name)
def test_a_refused_pet_goes_to_the_list_step_and_ends(lang, petstore):
    out, _, flows = petstore
    with PetService(refuse=True) as service:
        res, _ = _run_workflow(lang, out, flows["createAndRead"], service, {})
        recorded = service.take()
    assert res.returncode == 0, res.tail()
    assert [r.method for r in recorded] == ["POST", "GET"]
    assert _outputs(res) == {"petId": None, "name": None, "firstAvailable": "Old \"Tom\" 'é'"}


@pytest.mark.parametrize("lang", WORKFLOW_LANGUAGES, ids=lambda l: l.name)
def test_a_next_page_header_leads_to_the_delete_step(lang, petstore):
    out, _, flows = petstore
    wf = flows["pageAndDelete"]
    with PetService(next_page="/v1/pets?page=2&x=\"'\\") as service:
        res, env = _run_workflow(lang, out, wf, service, {"WF_REQUEST_ID": TRACE, "WF_LIMIT": "5"})
        recorded = service.take()
    assert res.returncode == 0, res.tail()
    assert _outputs(res) == {"next": "/v1/pets?page=2&x=\"'\\", "deleted": 3, "trace": TRACE}
    by_id = {s.id: s for s in wf.steps}
    assert compare(_expected(by_id["list"], {"LIMIT": "5"}), recorded[0], env, PET_BASE,
                   lang.toolchain.client_headers) == []
    assert compare(_expected(by_id["delete"], {"PET_ID": "3", "X_REQUEST_ID": TRACE}), recorded[1], env,
                   PET_BASE, lang.toolchain.client_headers) == []


@pytest.mark.parametrize("lang", WORKFLOW_LANGUAGES, ids=lambda l: l.name)
def test_without_a_next_page_the_workflow_ends_after_the_list(lang, petstore):
    out, _, flows = petstore
    with PetService() as service:
        res, _ = _run_workflow(lang, out, flows["pageAndDelete"], service, {"WF_REQUEST_ID": "t-1"})
        recorded = service.take()
    assert res.returncode == 0, res.tail()
    assert [r.method for r in recorded] == ["GET"]
    assert recorded[0].query[0] == ("limit", "2")  # the input's example
    assert _outputs(res) == {"next": None, "deleted": 3, "trace": None}


# -- hostile strings in the document, the inputs' defaults and the responses -------------------

HOSTILE_DOC = ROOT / "tests" / "golden_workflows" / "hostile" / "flow.arazzo.yaml"


@pytest.mark.parametrize("lang", WORKFLOW_LANGUAGES, ids=lambda l: l.name)
def test_hostile_strings_reach_the_request_and_the_outputs_unchanged(lang, tmp_path_factory):
    from generator.verify.recorder import RecordingServer, Response

    out = tmp_path_factory.mktemp(f"wf-hostile-{lang.name}")
    result = generate_path(HOSTILE_DOC, Options(targets=(lang.name,)))
    write_files(out, result.files)
    wf = result.workflows[0]
    # (no line separator in "text": JavaScript's "." does not match one, the others' does)
    answer = {"text": "plain \"q\" 'a' \\ é", "items": [{"name": "a \"b\" c"}], "echo/x": "o\u2028\n"}
    note = "h'\"\\ $(x) {y}"
    server = RecordingServer(Response(200, answer, headers=[("X-Note", note)]), token_path=None)
    with server:
        address = server.url
        env = base_env({"API_BASE_URL": address + "/v1", "API_KEY": "k \"'\\"})
        res = run_process(_command(lang, out, wf), env, timeout=120, cwd=out)
        recorded = server.take()
    assert res.returncode == 0, res.tail()
    outputs = _outputs(res)
    assert outputs.pop("url").startswith(address + "/v1/items/x%2Fy%3Fz%23w%20%2541")
    name = "n \" ' \\ \u2028 é {x}"
    assert outputs == {"result.x": answer["text"], "whole": f"pre {note} 200",
                       "request": f"POST x/y?z#w %41 \" ' \\ é pre {name} post 3 3 3 items"}
    payload = {"text": name, "list": ["literal \" ' \\ $(x)", "3 items"],
               "nested": {"a\"b": {"k\"ey": ["v'al", None, True, 1.5]}}}
    values = {"ID": "x/y?z#w %41 \" ' \\ é", "Q": f"pre {name} post 3", "X_NOTE": "3"}
    assert compare(_expected(wf.steps[0], values, payload), recorded, env, "/v1",
                   lang.toolchain.client_headers) == []
