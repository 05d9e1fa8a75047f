"""Invalid Arazzo documents: each one stops `samplegen generate` with exit 2 and located
one-line messages (file:line:col #/pointer), nothing written."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = (ROOT / "specs" / "azureml-adult-income.arazzo.yaml").read_text(encoding="utf-8")

# (case, [(text to replace, replacement)], JSON pointer of the message, text the line must hold, words of the message)
CASES = [
    ("unknown-operation-id", [("operationId: startjob", "operationId: startJob")],
     "/workflows/0/steps/1/operationId", "operationId: startJob", "unknown operationId"),
    ("unknown-goto-step", [("            type: end\n", "            type: goto\n            stepId: finish\n")],
     "/workflows/0/steps/2/onFailure/1/stepId", "stepId: finish", "unknown stepId"),
    ("bad-expression", [("value: $steps.submit.outputs.jobId\n        successCriteria:\n          - condition: $statusCode == 200\n      - stepId: poll",
                         "value: $step.submit.outputs.jobId\n        successCriteria:\n          - condition: $statusCode == 200\n      - stepId: poll")],
     "/workflows/0/steps/1/parameters/0/value", "value: $step.submit", "not a runtime expression"),
    ("unknown-input", [("RelativeLocation: $inputs.inputLocation", "RelativeLocation: $inputs.inputBlob")],
     "/workflows/0/steps/0/requestBody/payload/Inputs/input1/RelativeLocation", "$inputs.inputBlob", "no input"),
    ("unknown-step-output", [("resultUrl: $steps.poll.outputs.baseLocation", "resultUrl: $steps.poll.outputs.url")],
     "/workflows/0/outputs/resultUrl", "resultUrl:", "no output"),
    ("response-in-parameter", [("value: $steps.submit.outputs.jobId\n        successCriteria:\n          - condition: $statusCode == 200\n      - stepId: poll",
                                "value: $response.body\n        successCriteria:\n          - condition: $statusCode == 200\n      - stepId: poll")],
     "/workflows/0/steps/1/parameters/0/value", "value: $response.body", "cannot be used here"),
    ("unreadable-condition", [("- condition: $statusCode == 200\n        outputs:", "- condition: $statusCode ==\n        outputs:")],
     "/workflows/0/steps/0/successCriteria/0/condition", "condition: $statusCode ==", "condition"),
    ("unsupported-criterion", [("                type: regex", "                type: xpath")],
     "/workflows/0/steps/2/onFailure/1/criteria/0/type", "type: xpath", "not supported"),
    ("missing-source", [("url: ./azureml-adult-income.json", "url: ./batch.json")],
     "/sourceDescriptions/0/url", "url: ./batch.json", "no such file"),
    ("source-url", [("url: ./azureml-adult-income.json", "url: https://example.com/batch.json")],
     "/sourceDescriptions/0/url", "url: https://", "never fetches"),
    ("schema-missing-version", [("  version: 1.0.0\n", "")], "/info", "info:", "Arazzo schema"),
    ("schema-bad-arazzo-version", [("arazzo: 1.0.1", "arazzo: 2.0.0")], "/arazzo", "arazzo: 2.0.0", "Arazzo schema"),
    ("schema-two-operations", [("operationId: startjob", "operationId: startjob\n        operationPath: x")],
     "/workflows/0/steps/1", "- stepId: start", "Arazzo schema"),
    ("schema-retry-limit", [("retryLimit: 150", "retryLimit: -1")],
     "/workflows/0/steps/2/onFailure/0/retryLimit", "retryLimit: -1", "Arazzo schema"),
    ("duplicate-step-id", [("- stepId: start", "- stepId: submit")],
     "/workflows/0/steps/1/stepId", "- stepId: submit", "used twice"),
    ("parameter-not-sent", [("          - name: jobId\n            in: path\n            value: $steps.submit.outputs.jobId\n        successCriteria:\n          - condition: $statusCode == 200\n      - stepId: poll",
                             "          - name: jobid\n            in: query\n            value: $steps.submit.outputs.jobId\n        successCriteria:\n          - condition: $statusCode == 200\n      - stepId: poll")],
     "/workflows/0/steps/1/parameters/0/name", "- name: jobid", "not one the sample"),
    ("depends-on", [("    summary: Score a CSV", "    dependsOn: [other]\n    summary: Score a CSV")],
     "/workflows/0/dependsOn", "dependsOn: [other]", "not supported"),
    ("workflow-step", [("operationId: startjob", "workflowId: other")],
     "/workflows/0/steps/1/workflowId", "workflowId: other", "not supported"),
]


def _run(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    shutil.copy(ROOT / "specs" / "azureml-adult-income.json", tmp_path)
    (tmp_path / "flow.arazzo.yaml").write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "generator.cli", "generate", "flow.arazzo.yaml", "-o", "out"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "SAMPLEGEN_CACHE_DIR": str(tmp_path / "c")})


@pytest.mark.parametrize("case, edits, where, line_holds, words", CASES, ids=[c[0] for c in CASES])
def test_invalid_document_exits_2_with_a_located_message(tmp_path, case, edits, where, line_holds, words):
    text = BUNDLED
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    res = _run(tmp_path, text)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()
    found = [m for m in re.finditer(r"^error: flow\.arazzo\.yaml:(\d+):(\d+) #(\S*): (.*)$", res.stderr, re.M)
             if m.group(3) == where]
    assert found, res.stderr
    line = int(found[0].group(1))
    assert line_holds in text.split("\n")[line - 1], (line, res.stderr)
    assert words in found[0].group(4)


def test_the_bundled_document_is_valid(tmp_path):
    res = _run(tmp_path, BUNDLED)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "out" / "python" / "workflow_batch_scoring.py").is_file()


def test_workflow_parameters_apply_to_the_steps_whose_operation_has_them(tmp_path):
    from generator.api import Options, generate_path
    from generator.workflows.expressions import Ref

    text = BUNDLED.replace("""        parameters:
          - name: jobId
            in: path
            value: $steps.submit.outputs.jobId
""", "").replace("    steps:\n", "    parameters:\n      - name: jobId\n        in: path\n"
                 "        value: $steps.submit.outputs.jobId\n    steps:\n", 1)
    assert "parameters:" in text and text.count("name: jobId") == 1
    shutil.copy(ROOT / "specs" / "azureml-adult-income.json", tmp_path)
    (tmp_path / "flow.arazzo.yaml").write_text(text, encoding="utf-8")
    wf = generate_path(tmp_path / "flow.arazzo.yaml", Options(targets=("python",))).workflows[0]
    assert [s.values for s in wf.steps] == [{}, {"JOB_ID": Ref("steps", "submit.jobId")},
                                            {"JOB_ID": Ref("steps", "submit.jobId")}]
