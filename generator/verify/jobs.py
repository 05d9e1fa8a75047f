"""What a verification run is made of: the fixed values every sample runs with, the jobs, their
results and the report."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Hashable, Iterable

from ..model import SampleRequest
from .recorder import RecordedRequest


# The path part of the API_BASE_URL every sample runs with. Deliberately not the
# definition's base path: API_BASE_URL must replace the server URL entirely.
BASE_PATH = "/live-base"

# Secret values look like real ones: base64 keys carry + / =, passwords spaces and slashes.
# (Not a colon: RFC 7617 allows one in a password, but Prism 5.16 rejects such credentials.)
SECRETS = {
    "API_KEY": "live-key+/=&1",
    "API_USERNAME": "live-user",
    "API_PASSWORD": "pa ss w/rd+1",
    "API_CLIENT_ID": "live-client",
    "API_CLIENT_SECRET": "live-client-secret",
}
SUCCESS_BODY = {"id": 7, "name": "recorded", "ok": True, "tags": ["a", "b"], "detail": {"score": 0.5, "note": None}}
ERROR_BODY = {"code": 404, "message": "not found (recorded)"}
ERROR_STATUS = 404
UPLOAD_FROM_FILE = "live upload read from the file named by its variable\n"


@dataclass
class SampleJob:
    """One sample to run and check."""

    operation_id: str
    target: str
    file: Path
    sample: SampleRequest
    command: list[str] | None = None  # None: derived from the target (a batch build gives it)
    build_error: str = ""  # the sample could not even be built
    env: dict[str, str] = field(default_factory=dict)  # added to every run's environment
    behaviours: bool = True  # also run the behaviour runs (error status, missing secrets, ...)


def behaviour_shape(sample: SampleRequest) -> tuple:
    """What the behaviour runs of a sample depend on: two samples of one language with the same
    shape take the same code paths on an error status, a missing secret, a server variable and
    a refused connection (their requests still differ, and every request is compared)."""
    body = type(sample.body).__name__ if sample.body is not None else ""
    return (sample.method == "HEAD", tuple(type(a).__name__ for a in sample.auth), tuple(sample.secret_vars),
            sample.auth_optional, tuple(spec.env_var for spec in sample.file_vars), body,
            sample.server is not None and tuple(v.name for v in sample.server.variables))


@dataclass
class CaseResult:
    operation_id: str
    target: str
    status: str  # ok | mismatch | error | skipped
    messages: list[str] = field(default_factory=list)
    file: str = ""
    exit_code: int | None = None
    stderr_tail: str = ""
    duration: float = 0.0
    recorded: list[RecordedRequest] = field(default_factory=list)  # the success run's API request(s)
    notes: list[str] = field(default_factory=list)  # findings that do not fail the sample
    prism: Any = None  # the Prism verdict, when judged

    @property
    def failed(self) -> bool:
        return self.status in ("mismatch", "error")

    def format(self) -> str:
        head = f"{self.status.upper():8} {self.target:13} {self.operation_id}"
        lines = [head]
        if self.file:
            lines.append(f"    file: {self.file}")
        lines += [f"    - {m}" for m in self.messages]
        lines += [f"    note: {n}" for n in self.notes]
        if self.status == "error" and self.stderr_tail:
            lines.append(f"    exit code {self.exit_code}; output tail:")
            lines += ["      " + line for line in self.stderr_tail.splitlines()[-20:]]
        return "\n".join(lines)


@dataclass
class VerifyReport:
    definition: str
    targets: list[str]
    results: list[CaseResult] = field(default_factory=list)
    skipped_targets: dict[str, str] = field(default_factory=dict)  # target -> why
    errors: list[str] = field(default_factory=list)  # problems not tied to one sample
    notes: list[str] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    found: list = field(default_factory=list)  # the diagnostics themselves (Diagnostic)
    skipped_operations: list = field(default_factory=list)  # what lenient mode skipped (SkippedOperation)
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and not any(r.failed for r in self.results)

    def for_target(self, target: str) -> list[CaseResult]:
        return [r for r in self.results if r.target == target]

    def counts(self, target: str) -> tuple[int, int, int, int]:
        """(run, matched, failed, skipped) for one target."""
        rs = self.for_target(target)
        run = sum(1 for r in rs if r.status != "skipped")
        matched = sum(1 for r in rs if r.status == "ok")
        failed = sum(1 for r in rs if r.failed)
        skipped = sum(1 for r in rs if r.status == "skipped")
        return run, matched, failed, skipped

    def summary_lines(self) -> list[str]:
        lines = []
        for target in self.targets:
            run, matched, failed, skipped = self.counts(target)
            line = f"{target}: {run} run, {matched} matched, {failed} failed"
            if skipped:
                why = self.skipped_targets.get(target, "")
                line += f", {skipped} skipped" + (f" ({why})" if why else "")
            lines.append(line)
        return lines

    def format(self, verbose: bool = False) -> str:
        lines = [f"verify {self.definition} ({self.duration:.1f}s)"]
        lines += [f"error: {e}" for e in self.errors]
        lines += [f"note: {n}" for n in self.notes]
        for r in self.results:
            if verbose or r.failed or r.notes:
                lines.append(r.format())
        lines += self.summary_lines()
        return "\n".join(lines)


def first_of_each_shape(samples: Iterable[tuple[Hashable, str, SampleRequest]]) -> set[tuple[Hashable, str]]:
    """Of ``(key, target, sample)`` triples in a fixed order (e.g. every sample of several
    definitions), the keys and targets of the first sample of each language with a given
    ``behaviour_shape``: the samples whose behaviour runs cover every shape once."""
    seen: set[tuple] = set()
    first: set[tuple[Hashable, str]] = set()
    for key, target, sample in samples:
        shape = (target, behaviour_shape(sample))
        if shape not in seen:
            seen.add(shape)
            first.add((key, target))
    return first
