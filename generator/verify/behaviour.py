"""The other half of the sample contract: the exit code and what the sample printed."""
from __future__ import annotations

import json
import re
from typing import Any, Iterable

from .diff import _essence, _short, json_diff
from .recorder import RecordedRequest


# -- behaviour -----------------------------------------------------------------------------------

_STATUS_LINE = re.compile(r"^\s*HTTP[ /:]*(?:1\.[01] )?(\d{3})\b", re.M)


def _printed_json(text: str) -> tuple[bool, Any, str]:
    """Find a JSON document in ``text``: (found, value, the JSON text as printed)."""
    stripped = text.strip()
    if not stripped:
        return False, None, ""
    try:
        return True, json.loads(stripped), stripped
    except ValueError:
        pass
    decoder = json.JSONDecoder()
    for m in re.finditer(r"^[ \t]*[\[{]", text, re.M):
        start = m.end() - 1
        try:
            value, end = decoder.raw_decode(text, start)
        except ValueError:
            continue
        return True, value, text[start:end]
    return False, None, ""


def _response_printed(output: str, status: int, body: Any, content_type: str, label: str) -> list[str]:
    out: list[str] = []
    m = None
    for cand in _STATUS_LINE.finditer(output):
        if int(cand.group(1)) == status:
            m = cand
            break
    if m is None:
        return [f"{label}: expected the status line 'HTTP {status}' in the output, got {_short(output.strip())!r}"]
    after = output[m.end():]
    if isinstance(body, (bytes, str)):
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    else:
        text = json.dumps(body)
    if _essence(content_type).endswith("json"):
        value = json.loads(text)
        found, printed, raw = _printed_json(after)
        if not found:
            out.append(f"{label}: expected the JSON response body after the status line, got {_short(after.strip())!r}")
        else:
            diffs = json_diff(value, printed)
            if diffs:
                out.append(f"{label}: printed body differs from the response: " + "; ".join(diffs[:5]))
            elif isinstance(value, (dict, list)) and value and "\n" not in raw.strip():
                out.append(f"{label}: the JSON response body is not pretty-printed: {_short(raw)!r}")
    elif text.strip() and text.strip() not in after:
        out.append(f"{label}: expected the response body {_short(text)!r} in the output, got {_short(after.strip())!r}")
    return out


def _excerpt(text: str, n: int = 400) -> str:
    """Head and tail of a long output (an exception's message is at the head for .NET and
    at the tail for Python)."""
    text = text.strip()
    if len(text) <= 2 * n:
        return repr(text)
    return repr(text[:n] + " ... " + text[-n:])


def check_behaviour(
    kind: str,
    result: Any,
    *,
    status: int = 200,
    response_body: Any = None,
    content_type: str = "application/json",
    secret_vars: Iterable[str] = (),
    recorded: Iterable[RecordedRequest] = (),
) -> list[str]:
    """Exit code and printed output of one run.

    ``kind``: "success" (2xx answered: exit 0, status + body printed), "error_status"
    (4xx/5xx answered: exit 1, status + body printed), "missing_secret" (secrets removed:
    exit 2, stderr names the variable, nothing sent), "transport_error" (nothing listening:
    exit 1). ``result`` is a runners.RunResult.
    """
    label = kind.replace("_", " ")
    if result.timed_out:
        return [f"{label}: timed out after {result.duration:.0f}s (killed)"]
    code = result.returncode
    both = result.stdout + "\n" + result.stderr
    recs = list(recorded)
    if kind == "success":
        out = [] if code == 0 else [f"{label}: expected exit 0, got {code}; stderr: {_excerpt(result.stderr)}"]
        return out + _response_printed(result.stdout, status, response_body, content_type, label)
    if kind == "error_status":
        out = [] if code == 1 else [f"{label}: HTTP {status} answered, expected exit 1, got {code}; stderr: {_excerpt(result.stderr)}"]
        return out + _response_printed(both, status, response_body, content_type, label)
    if kind == "missing_secret":
        names = list(secret_vars)
        out = [] if code == 2 else [f"{label}: expected exit 2 with {names} unset, got {code}; stderr: {_excerpt(result.stderr)}"]
        if not any(n in result.stderr for n in names):
            out.append(f"{label}: expected a message on stderr naming {' or '.join(names)}, got {_short(result.stderr.strip())!r}")
        if recs:
            out.append(f"{label}: nothing may be sent without the secret, but {len(recs)} request(s) arrived: " + "; ".join(f"{r.method} {r.target}" for r in recs))
        return out
    if kind == "transport_error":
        out = [] if code == 1 else [f"{label}: expected exit 1 when nothing listens, got {code}; stderr: {_excerpt(result.stderr)}"]
        if not both.strip():
            out.append(f"{label}: expected an error message, nothing was printed")
        return out
    raise ValueError(f"unknown behaviour kind {kind!r}")
