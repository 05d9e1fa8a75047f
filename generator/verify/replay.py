"""The recorded requests replayed to Prism, whose verdict joins each sample's result."""
from __future__ import annotations

from typing import Any

from .jobs import BASE_PATH, CaseResult
from .recorder import RecordedRequest


# -- Prism ---------------------------------------------------------------------------------------


def _prism_target(rec: RecordedRequest, base_path: str) -> str:
    """The request target relative to the definition's paths (what Prism routes on).

    The sample ran with API_BASE_URL = <server><base_path>; what follows the base path is
    ``sample.path`` (plus the query), i.e. the operation's path without any server path.
    """
    path = rec.path
    base = base_path.rstrip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):] or "/"
    return path + ("?" + rec.raw_query if rec.raw_query else "")


def _judge_results(results: list[CaseResult], judge: Any, base_path: str = BASE_PATH) -> None:
    """Replay each recorded request to Prism; a request-side violation is a mismatch.

    Identical requests (the usual case: every language sends the same one) are judged once.
    """
    cache: dict[tuple, Any] = {}
    for r in results:
        if not r.recorded:
            continue
        rec = r.recorded[0]
        target = _prism_target(rec, base_path)
        headers = list(rec.headers)
        key = (rec.method, target, tuple(sorted((n.lower(), v) for n, v in headers if n.lower() not in _VOLATILE)), rec.body)
        if key not in cache:
            try:
                cache[key] = judge.judge(rec.method, target, headers, rec.body, from_server_root=False)
            except Exception as exc:  # noqa: BLE001 - report, do not crash
                cache[key] = exc
        verdict = cache[key]
        if isinstance(verdict, Exception):
            r.messages.append(f"prism: could not judge the request: {type(verdict).__name__}: {verdict}")
            if r.status == "ok":
                r.status = "error"
            continue
        r.prism = verdict
        if verdict.ok:
            continue
        violations = [v for v in verdict.violations if not v.startswith("judge:")]
        if getattr(verdict, "judge_error", "") and not violations:
            # Prism could not judge (it died, hung, or would have): not the sample's fault
            r.notes.append(f"prism could not judge the request: {verdict.judge_error}")
            continue
        for v in violations or [f"rejected with HTTP {verdict.status}"]:
            r.messages.append(f"prism: {v}")
        if r.status == "ok":
            r.status = "mismatch"


# headers that differ between languages without changing the request's meaning
_VOLATILE = {"user-agent", "host", "connection", "content-length", "transfer-encoding", "expect",
             "accept-encoding", "keep-alive", "te"}


def _prism_available() -> tuple[bool, str]:
    try:
        from . import prism as prism_mod
    except ImportError as exc:
        return False, f"Prism judge not available ({exc})"
    if prism_mod.find_prism() is None:
        return False, "Prism is not installed (npm ci installs the pinned @stoplight/prism-cli)"
    return True, ""
