"""``--json``: one JSON document on stdout per command, described by schemas/output.schema.json.

The document is built from the values the commands already have (diagnostics, skipped
operations, write reports, verify reports); locations, carried as text
(``file:line:col #/pointer``), are split into their parts here.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from . import __version__
from .errors import Diagnostic, SpecError
from .model import SkippedOperation

SCHEMA = "output.schema.json"

_LOCATION = re.compile(r"(?P<file>.*?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?(?: ?#(?P<pointer>/.*|))?", re.S)


def schema() -> dict:
    """The JSON Schema of the documents this module writes (shipped in the package)."""
    return json.loads(resources.files("generator.schemas").joinpath(SCHEMA).read_text(encoding="utf-8"))


def location(text: str) -> dict[str, Any]:
    """``file:line:col #/pointer`` (any part may be missing) as {file, line, col, pointer}."""
    m = _LOCATION.fullmatch(text or "")
    file, line, col, ptr = m.group("file", "line", "col", "pointer") if m else (text, None, None, None)
    return {"file": file or None, "line": int(line) if line else None, "col": int(col) if col else None,
            "pointer": ptr if ptr is not None else None}


def diagnostic(d: Diagnostic) -> dict[str, Any]:
    return {"level": d.level, "message": d.message, **location(d.location)}


def skipped(s: SkippedOperation) -> dict[str, Any]:
    return {"id": s.id, "method": s.method, "path": s.path, "reason": s.reason, **location(s.location)}


def error(exc: SpecError) -> dict[str, Any]:
    """A failure: its message (with the hint) and where; edited files are listed."""
    from .api import ValidationFailed
    from .writer import EditedFiles

    out = {"message": f"{exc.message} ({exc.hint})" if exc.hint else exc.message, **location(exc.location)}
    if getattr(exc, "key", ""):
        out["key"] = exc.key
    if isinstance(exc, EditedFiles):
        out["files"] = list(exc.files)
    if isinstance(exc, ValidationFailed) or getattr(exc, "diagnostics", None):  # also an invalid Arazzo document
        out["diagnostics"] = [diagnostic(d) for d in exc.diagnostics]
    return out


def verify_data(report: Any) -> dict[str, Any]:
    """The members of a verify run: one result per sample (``report``: a VerifyReport, or None
    when the definition could not be generated)."""
    if report is None:
        return {"targets": [], "results": [], "skipped_targets": {}, "errors": [], "notes": []}
    return {
        "targets": list(report.targets),
        "duration": round(report.duration, 3),
        "results": [{"operation": r.operation_id, "target": r.target, "status": r.status, "file": r.file,
                     "messages": list(r.messages), "notes": list(r.notes), "exit_code": r.exit_code}
                    for r in report.results],
        "skipped_targets": dict(report.skipped_targets),
        "errors": list(report.errors),
        "notes": list(report.notes),
    }


@dataclass
class Run:
    """What one command did with one definition (and, for generate, one output format)."""

    definition: str
    api: str | None = None
    data: dict[str, Any] = field(default_factory=dict)  # the command's own members
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: list[SkippedOperation] = field(default_factory=list)
    error: SpecError | None = None

    def as_json(self) -> dict[str, Any]:
        return {"api": self.api, "definition": self.definition, **self.data,
                "diagnostics": [diagnostic(d) for d in self.diagnostics],
                "skipped": [skipped(s) for s in self.skipped],
                "error": error(self.error) if self.error is not None else None}


def document(command: str, runs: list[Run], exit_code: int, *, failure: SpecError | None = None,
             **extra: Any) -> str:
    """The whole document: ``failure`` is an error before any definition was read (the
    command line or the configuration file)."""
    data = {"samplegen": __version__, "command": command, "exit_code": exit_code, "ok": exit_code == 0,
            **extra, "runs": [r.as_json() for r in runs],
            "error": error(failure) if failure is not None else None}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
