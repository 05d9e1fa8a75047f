"""The checks of a workflow's expressions, criteria and actions (a part of ``Builder``): each
expression must parse and name something that exists where it is used; each criterion must
be of a kind a generated program supports; each ``goto`` must find its step."""
from __future__ import annotations

import re
from typing import Any

from .expressions import (ExpressionError, Lit, Op, Ref, parse_condition, parse_expression, parse_jsonpath,
                          parse_value, refs)
from .model import Action

_STEP_ONLY = ("statusCode", "url", "method", "response.body", "response.header", "request.header",
              "request.query", "request.path", "request.body")


class Checks:
    """Needs ``problem(message, *where)`` and ``components`` from the class it is part of."""

    components: dict
    problem: Any

    # -- expressions, criteria, actions ----------------------------------------------------------

    def value(self, value: Any, scope: dict, at: tuple, *, step: bool) -> Any:
        try:
            tree = parse_value(value)
        except ExpressionError as exc:
            self.problem(str(exc), *at)
            return Lit(None)
        self.check_refs(tree, scope, at, step)
        return tree

    def check_refs(self, tree: Any, scope: dict, at: tuple, step: bool) -> None:
        for ref in refs(tree):
            if ref.source == "inputs" and ref.name not in scope["inputs"]:
                self.problem(f"{ref.text}: the workflow has no input {ref.name!r}", *at)
            elif ref.source == "steps":
                sid, output = ref.name.split(".", 1)
                if sid not in scope["steps"]:
                    self.problem(f"{ref.text}: no step {sid!r} in this workflow", *at)
                elif output not in scope["steps"][sid]:
                    self.problem(f"{ref.text}: step {sid!r} has no output {output!r}", *at)
            elif ref.source in _STEP_ONLY and not step:
                self.problem(f"{ref.text} is only known after a step's request: it cannot be used here", *at)

    def criterion(self, data: dict, scope: dict, at: tuple) -> Any:
        kind = data.get("type", "simple")
        if isinstance(kind, dict):
            kind = kind.get("type")
        try:
            context = parse_expression(data["context"]) if "context" in data else None
            if kind == "simple":
                tree = parse_condition(data["condition"])
            elif kind == "regex":
                re.compile(data["condition"])
                tree = Op("regex", (context, Lit(data["condition"])))
            elif kind == "jsonpath":
                if not isinstance(context, Ref):
                    raise ExpressionError("a jsonpath criterion needs a context")
                tree = parse_jsonpath(context, data["condition"])
            else:
                self.problem(f"{kind} criteria are not supported in generated programs (simple, regex and "
                             "the jsonpath subset are)", *at, "type")
                return Lit(True)
        except ExpressionError as exc:
            self.problem(str(exc), *at, "condition")
            return Lit(True)
        except re.error as exc:
            self.problem(f"the regex does not compile: {exc}", *at, "condition")
            return Lit(True)
        self.check_refs(tree, scope, at + ("condition",), True)
        if context is not None:
            self.check_refs(context, scope, at + ("context",), True)
        return tree

    def reusable(self, data: dict, kind: str, at: tuple) -> dict | None:
        if "reference" not in data:
            return data
        m = re.fullmatch(r"\$components\.(\w+)\.([a-zA-Z0-9.\-_]+)", data["reference"])
        table = self.components.get(m.group(1)) if m and m.group(1) == kind else None
        if not table or m.group(2) not in table:
            self.problem(f"reference {data['reference']!r} names nothing in components/{kind}", *at, "reference")
            return None
        found = dict(table[m.group(2)])
        if "value" in data:
            found["value"] = data["value"]
        return found

    def actions(self, items: list, at: tuple, step_ids: list[str], scope: dict) -> list[Action]:
        out = []
        kind = "successActions" if at[-1] in ("onSuccess", "successActions") else "failureActions"
        for a, data in enumerate(items):
            data = self.reusable(data, kind, at + (a,))
            if data is None:
                continue
            if "workflowId" in data:
                self.problem("an action that runs another workflow (workflowId) is not supported in generated "
                             "programs", *at, a, "workflowId")
                continue
            if "stepId" in data and data["stepId"] not in step_ids:
                self.problem(f"{data['type']} to unknown stepId {data['stepId']!r} (steps: {', '.join(step_ids)})",
                             *at, a, "stepId")
                continue
            criteria = [self.criterion(c, scope, at + (a, "criteria", i)) for i, c in enumerate(data.get("criteria") or [])]
            out.append(Action(name=data["name"], kind=data["type"], step=data.get("stepId", ""),
                              retry_after=float(data.get("retryAfter", 0)),
                              retry_limit=int(data.get("retryLimit", 1)), criteria=criteria))
        return out

