"""The language-neutral workflow model: what a workflow program does, step by step.

Every step holds its operation's own ``SampleRequest`` (the one the per-operation sample
prints), so a workflow program builds each request with the same template code; the step
adds only where values come from (runtime expressions, see ``expressions.py``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import ApiModel, Operation, SampleRequest

DEFAULT_TIMEOUT_SECONDS = 300


@dataclass
class WorkflowInput:
    """One of the workflow's ``inputs``: read from ``env_var`` (WF_<NAME>)."""

    name: str
    env_var: str
    kind: str  # how the text of the variable is read: string | integer | number | boolean | json
    description: str = ""
    default: Any = None  # the value used when the variable is not set (has_default)
    has_default: bool = False


@dataclass
class Action:
    """One onSuccess / onFailure action (or the workflow's successActions / failureActions)."""

    name: str
    kind: str  # end | goto | retry
    step: str = ""  # goto (and retry, when given): the step to go to ("" with retry: this step)
    retry_after: float = 0.0  # seconds
    retry_limit: int = 1
    criteria: list[Any] = field(default_factory=list)  # conditions (expressions.Op/Ref...), all must hold


@dataclass
class Step:
    id: str
    description: str
    operation: Operation
    sample: SampleRequest  # the operation's request (body replaced by the step's payload, if any)
    # Input variable of the sample (UPPER_SNAKE) -> value tree: the step's parameters
    values: dict[str, Any] = field(default_factory=dict)
    # JSON pointer in the body -> value tree (a requestBody's expressions and replacements)
    body_values: list[tuple[str, Any]] = field(default_factory=list)
    criteria: list[Any] = field(default_factory=list)  # successCriteria (default: a 2xx status)
    on_success: list[Action] = field(default_factory=list)
    on_failure: list[Action] = field(default_factory=list)
    outputs: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def snake(self) -> str:
        from ..naming import snake

        return snake(self.id, "step")


@dataclass
class Workflow:
    id: str
    snake: str  # file names (python, r, curl)
    pascal: str  # C# folder and namespace
    summary: str
    description: str
    api: ApiModel  # the definition the steps call
    source: str  # the Arazzo document's file name
    inputs: list[WorkflowInput] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    outputs: list[tuple[str, Any]] = field(default_factory=list)
    timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS
    location: str = ""  # JSON pointer of the workflow in the Arazzo document

    @property
    def server(self) -> SampleRequest:
        """The first step's request, whose server block every step shares."""
        return self.steps[0].sample

    @property
    def shared(self) -> SampleRequest:
        """The first step's request without its values, with the credentials (and files) of
        every step: what the program's server block and helpers are written from."""
        from dataclasses import replace

        auth, seen = [], set()
        for step in self.steps:
            for plan in step.sample.auth:
                key = (plan.kind, plan.env_var, plan.username_var, plan.client_id_var)
                if key not in seen:
                    seen.add(key)
                    auth.append(plan)
        body = next((s.sample.body for s in self.steps if s.sample.file_vars), None)
        # every step's path pieces and query pairs: whether the helpers that encode them are needed
        parts = [p for s in self.steps for p in s.sample.path_parts]
        query = [q for s in self.steps for q in s.sample.query]
        return replace(self.steps[0].sample, inputs=[], auth=auth, body=body, path_parts=parts, query=query)

    @property
    def secret_vars(self) -> list[str]:
        return list(dict.fromkeys(v for step in self.steps for v in step.sample.secret_vars))

    @property
    def env_vars(self) -> list[tuple[str, str]]:
        """Every variable the program reads, with what it is for."""
        out: list[tuple[str, str]] = []
        for i in self.inputs:
            need = f"default {_short(i.default)}" if i.has_default else "required"
            text = f"workflow input {i.name} ({i.kind}, {need})"
            if i.description:
                text += f": {i.description}"
            out.append((i.env_var, text))
        seen = {name for name, _ in out}
        for step in self.steps:
            for name, text in step.sample.env_vars:
                if name not in seen:
                    seen.add(name)
                    out.append((name, text))
        out.append(("WF_TIMEOUT_SECONDS", f"time limit of the whole workflow in seconds (default "
                                          f"{self.timeout_seconds})"))
        return out

    @property
    def step_index(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.steps)}


def _short(value: Any) -> str:
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."
