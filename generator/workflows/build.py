"""From an Arazzo document and the models of its source definitions to ``Workflow``s, with
the checks the schema cannot make: every operation resolves, every ``goto`` finds its step,
every runtime expression parses and names something that exists. Each problem is one
located Diagnostic; anything a generated program could not do faithfully is one too."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..errors import Diagnostic
from ..model import ApiModel, JsonBody, Operation
from ..naming import UniqueNames, pascal, safe_file_stem, snake, upper_snake
from .document import ArazzoDocument
from .checks import Checks
from .model import Step, Workflow, WorkflowInput

_KINDS = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean",
          "object": "json", "array": "json"}


class Builder(Checks):
    def __init__(self, doc: ArazzoDocument, sources: dict[str, ApiModel]) -> None:
        self.doc = doc
        self.sources = sources
        self.problems: list[Diagnostic] = []
        self.components = doc.data.get("components") or {}

    def problem(self, message: str, *where: object) -> None:
        self.problems.append(Diagnostic("error", self.doc.where(*where), message))

    # -- the whole document ----------------------------------------------------------------------

    def build(self) -> list[Workflow]:
        files = UniqueNames()
        classes = UniqueNames()
        for api in self.sources.values():  # the operations' samples keep their names
            for op in api.operations:
                files.take(op.snake)
                classes.take(op.pascal, "")
        out = []
        for w, data in enumerate(self.doc.data["workflows"]):
            wf = self.workflow(w, data)
            if wf is not None:
                wf.snake = files.take(safe_file_stem("workflow_" + snake(wf.id, "workflow")))
                wf.pascal = classes.take("Workflow" + pascal(wf.id, "Workflow"), "")
                out.append(wf)
        ids = [wf.get("workflowId") for wf in self.doc.data["workflows"]]
        for w, wid in enumerate(ids):
            if ids.index(wid) != w:
                self.problem(f"workflowId {wid!r} is used twice", "workflows", w, "workflowId")
        return out

    def workflow(self, w: int, data: dict) -> Workflow | None:
        at = ("workflows", w)
        inputs = self.inputs(data.get("inputs"), at + ("inputs",))
        step_ids = [s["stepId"] for s in data["steps"]]
        for k, sid in enumerate(step_ids):
            if step_ids.index(sid) != k:
                self.problem(f"stepId {sid!r} is used twice in workflow {data['workflowId']!r}",
                             *at, "steps", k, "stepId")
        outputs_of = {s["stepId"]: set((s.get("outputs") or {})) for s in data["steps"]}
        scope = {"inputs": {i.name for i in inputs}, "steps": outputs_of}
        steps, models = [], set()
        defaults = {key: self.actions(data.get(key) or [], at + (key,), step_ids, scope)
                    for key in ("successActions", "failureActions")}
        if data.get("dependsOn"):
            self.problem("a workflow that depends on other workflows (dependsOn) is not supported in generated "
                         "programs", *at, "dependsOn")
        defaults["parameters"] = [(p, pdata) for p, pdata in enumerate(data.get("parameters") or [])]
        for k, sdata in enumerate(data["steps"]):
            step, api = self.step(sdata, at + ("steps", k), step_ids, scope, defaults)
            if step is not None:
                steps.append(step)
                models.add(id(api))
        outputs = [(name, self.value(text, scope, at + ("outputs", name), step=False))
                   for name, text in (data.get("outputs") or {}).items()]
        if len(steps) != len(data["steps"]):
            return None
        if len(models) > 1:
            self.problem("the steps of a workflow program must call one source description", *at, "steps")
            return None
        first = steps[0].sample
        for k, step in enumerate(steps):
            if (step.sample.base_url, step.sample.server) != (first.base_url, first.server):
                self.problem(f"step {step.id!r} calls another server than the first step: a workflow "
                             "program has one server address", *at, "steps", k)
                return None
        api = next(a for a in self.sources.values() if id(a) in models)
        return Workflow(id=data["workflowId"], snake="", pascal="", summary=data.get("summary", ""),
                        description=data.get("description", ""), api=api, source=self.doc.source,
                        inputs=inputs, steps=steps, outputs=outputs, location="/" + "/".join(map(str, at)))

    def inputs(self, schema: Any, at: tuple) -> list[WorkflowInput]:
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            name = ref.rsplit("/", 1)[-1]
            if not ref.startswith("#/components/inputs/") or name not in (self.components.get("inputs") or {}):
                self.problem(f"inputs $ref {ref!r} does not name an entry of components/inputs", *at, "$ref")
                return []
            schema = self.components["inputs"][name]
        if not isinstance(schema, dict):
            return []
        props = schema.get("properties") or {}
        out, names = [], UniqueNames()
        for name, prop in props.items():
            prop = prop if isinstance(prop, dict) else {}
            kind = _KINDS.get(prop.get("type") if isinstance(prop.get("type"), str) else "", "json")
            if "type" not in prop:
                kind = "string"
            default, has = None, False
            for key in ("default", "example"):
                if key in prop:
                    default, has = prop[key], True
                    break
            else:
                if isinstance(prop.get("examples"), list) and prop["examples"]:
                    default, has = prop["examples"][0], True
            if prop.get("format") == "password" or prop.get("writeOnly"):
                default, has = None, False  # secrets are never written into a program
            out.append(WorkflowInput(name=name, env_var=names.take("WF_" + upper_snake(name)), kind=kind,
                                     description=str(prop.get("description", "")), default=default,
                                     has_default=has))
        return out

    # -- one step --------------------------------------------------------------------------------

    def operation(self, sdata: dict, at: tuple) -> tuple[Operation | None, ApiModel | None]:
        if "workflowId" in sdata:
            self.problem("a step that runs another workflow (workflowId) is not supported in generated "
                         "programs", *at, "workflowId")
            return None, None
        if "operationId" in sdata:
            text = sdata["operationId"]
            m = re.fullmatch(r"\$sourceDescriptions\.([A-Za-z0-9_\-]+)\.(.+)", text)
            names = [m.group(1)] if m else list(self.sources)
            op_id = m.group(2) if m else text
            if m and m.group(1) not in self.sources:
                self.problem(f"operationId {text!r}: no source description named {m.group(1)!r}", *at, "operationId")
                return None, None
            found = [(op, self.sources[n]) for n in names for op in self.sources[n].operations if op.id == op_id]
            if len(found) > 1:
                self.problem(f"operationId {op_id!r} is in several source descriptions: write "
                             f"$sourceDescriptions.<name>.{op_id}", *at, "operationId")
                return None, None
            if not found:
                known = ", ".join(op.id for n in names for op in self.sources[n].operations)
                self.problem(f"unknown operationId {op_id!r} (known: {known})", *at, "operationId")
                return None, None
            return found[0]
        text = sdata["operationPath"]
        m = re.fullmatch(r"\{\$sourceDescriptions\.([A-Za-z0-9_\-]+)\.url\}#(/.*)", text)
        if m is None or m.group(1) not in self.sources:
            self.problem(f"operationPath {text!r} must be '{{$sourceDescriptions.<name>.url}}#/paths/...' "
                         "with the name of a source description", *at, "operationPath")
            return None, None
        api = self.sources[m.group(1)]
        for op in api.operations:
            if op.location == m.group(2):
                return op, api
        self.problem(f"operationPath {text!r} names no operation of {m.group(1)!r}", *at, "operationPath")
        return None, None

    def step(self, sdata: dict, at: tuple, step_ids: list[str], scope: dict,
             defaults: dict) -> tuple[Step | None, ApiModel | None]:
        op, api = self.operation(sdata, at)
        if op is None or op.sample is None:
            return None, None
        sample = op.sample
        step = Step(id=sdata["stepId"], description=sdata.get("description", ""), operation=op, sample=sample)
        before = len(self.problems)
        # the workflow's parameters first (for the operations that have them), then the step's
        given = [(at[:2] + ("parameters", p), pdata, True) for p, pdata in defaults["parameters"]]
        given += [(at + ("parameters", p), pdata, False) for p, pdata in enumerate(sdata.get("parameters") or [])]
        for where, pdata, shared in given:
            pdata = self.reusable(pdata, "parameters", where)
            if pdata is None:
                continue
            match = [i for i in sample.inputs if i.param == pdata.get("name")
                     and pdata.get("in", i.location) == i.location]
            if not match and shared:
                continue  # a workflow parameter applies to the steps whose operation has it
            if not match:
                self.problem(f"parameter {pdata.get('name')!r} (in {pdata.get('in', '?')}) is not one the "
                             f"sample of {op.id!r} sends", *where, "name")
                continue
            if match[0].format:
                self.problem(f"parameter {pdata.get('name')!r} is not one plain value ({match[0].format}): "
                             "not supported in generated programs", *where)
                continue
            step.values[match[0].var] = self.value(pdata.get("value"), scope, where + ("value",), step=False)
        body = sdata.get("requestBody")
        if body is not None:
            self.body(step, body, scope, at + ("requestBody",))
        step.criteria = [self.criterion(c, scope, at + ("successCriteria", i))
                         for i, c in enumerate(sdata.get("successCriteria") or [])]
        step.on_success = self.actions(sdata.get("onSuccess") or [], at + ("onSuccess",), step_ids, scope) \
            if "onSuccess" in sdata else defaults["successActions"]
        step.on_failure = self.actions(sdata.get("onFailure") or [], at + ("onFailure",), step_ids, scope) \
            if "onFailure" in sdata else defaults["failureActions"]
        step.outputs = [(name, self.value(text, scope, at + ("outputs", name), step=True))
                        for name, text in (sdata.get("outputs") or {}).items()]
        return (step if len(self.problems) == before else None), api

    def body(self, step: Step, body: dict, scope: dict, at: tuple) -> None:
        sample = step.sample
        if sample.body is None:
            self.problem(f"operation {step.operation.id!r} takes no request body", *at)
            return
        if sample.body.kind != "json":
            self.problem(f"a requestBody for a {sample.body.media_type} body is not supported in generated "
                         "programs (JSON bodies only)", *at)
            return
        media = body.get("contentType")
        if media and media != sample.body.media_type:
            self.problem(f"contentType {media!r} is not the media type the sample sends "
                         f"({sample.body.media_type})", *at, "contentType")
        payload = body["payload"] if "payload" in body else sample.body.json
        if isinstance(payload, str) and not payload.startswith("$") and "{$" not in payload:
            import json

            try:
                payload = json.loads(payload)
            except ValueError:
                self.problem("a payload given as text must be JSON", *at, "payload")
                return
        for ptr, node in _strings(payload, ""):
            if node.startswith("$") or "{$" in node:
                step.body_values.append((ptr, self.value(node, scope, at + ("payload",) + _parts(ptr), step=False)))
        for r, rep in enumerate(body.get("replacements") or []):
            target = rep["target"]
            if not target.startswith("/"):
                self.problem(f"replacement target {target!r} must be a JSON pointer (JSONPath targets are "
                             "not supported)", *at, "replacements", r, "target")
                continue
            step.body_values.append((target, self.value(rep["value"], scope, at + ("replacements", r, "value"),
                                                        step=False)))
        step.sample = replace(sample, body=JsonBody(media_type=sample.body.media_type, json=payload,
                                                    other_media_types=sample.body.other_media_types,
                                                    required=sample.body.required))


def _strings(node: Any, ptr: str):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(v, ptr + "/" + str(k).replace("~", "~0").replace("/", "~1"))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _strings(v, f"{ptr}/{i}")
    elif isinstance(node, str):
        yield ptr, node


def _parts(ptr: str) -> tuple:
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in ptr.split("/")[1:])


__all__ = ["Builder"]
