"""What the judge screens before a request reaches Prism (requests that would crash or hang it),
and how Prism's answers read."""
from __future__ import annotations

import codecs
import json
import re
from typing import Any, Iterable

PROBLEM_TYPE_PREFIX = "https://stoplight.io/prism/errors#"

# Problem types that describe the request (its route, security, content type, shape).
_REQUEST_PROBLEMS = {
    "UNPROCESSABLE_ENTITY",
    "UNAUTHORIZED",
    "INVALID_CONTENT_TYPE",
    "NOT_ACCEPTABLE",
    "NO_PATH_MATCHED_ERROR",
    "NO_METHOD_MATCHED_ERROR",
    "NO_SERVER_MATCHED_ERROR",
}
# Problem types about Prism's own mocked response: never held against the request.
_MOCK_PROBLEMS = {
    "VIOLATIONS",
    "NO_RESPONSE_RESPONSE_DEFINED",
    "NOT_FOUND",
    "SCHEMA_TOO_COMPLEX",
    "NO_COMPLEX_OBJECT_TEXT",
}
_MAX_BODY = 10 * 1024 * 1024  # Prism's body parser limit ('10mb'); above it Prism hangs
_RAW_LIMIT = 64 * 1024
_JSON_MEDIA = re.compile(r"^application/(?:[\w.+-]+\+)?json$", re.I)


# --------------------------------------------------------------------------- screening


def _media_type(headers: Iterable[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    for name, value in headers:
        if name.lower() == "content-type":
            msg_parts = value.split(";")
            params = {}
            for p in msg_parts[1:]:
                k, _, v = p.strip().partition("=")
                params[k.strip().lower()] = v.strip().strip('"')
            return msg_parts[0].strip().lower(), params
    return "", {}


def _screen(headers: list[tuple[str, str]], body: bytes) -> tuple[list[str], str]:
    """Requests that would crash Prism or hang it. Returns (violations, judge_error)."""
    if not body:
        return [], ""
    if len(body) > _MAX_BODY:
        return [], f"body of {len(body)} bytes is over Prism's 10 MB limit (Prism would not answer)"
    media, params = _media_type(headers)
    charset = params.get("charset")
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            return [f"header.content-type: unknown charset {charset!r}"], (
                "Prism cannot decode the body (it would not answer)")
    if _JSON_MEDIA.match(media):
        try:
            json.loads(body.decode(charset or "utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            return [f"body: not valid JSON under Content-Type {media}: {exc}"], ""
    if media == "multipart/form-data":
        boundary = params.get("boundary")
        if boundary:
            problems = _screen_multipart(body, boundary)
            if problems:
                return problems, ""
    return [], ""


def _screen_multipart(body: bytes, boundary: str) -> list[str]:
    # Mirrors what parse-multipart-data (used by Prism 5.16) reads: the Content-Disposition
    # split on ';', the 2nd item is name=..., the 3rd (filename=...) goes through JSON.parse
    # of what follows its first '=', and a part with a 3rd item must have a Content-Type.
    problems = []
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    for index, chunk in enumerate(chunks[1:], start=1):
        if chunk.startswith(b"--"):
            break
        head, sep, _ = chunk.partition(b"\r\n\r\n")
        if not sep:
            continue
        lines = head.decode("latin-1").split("\r\n")
        disposition = next((l for l in lines if l.lower().startswith("content-disposition:")), None)
        has_type = any(l.lower().startswith("content-type:") for l in lines)
        where = f"body.multipart part {index}"
        if disposition is None:
            problems.append(f"{where}: no Content-Disposition header")
            continue
        items = disposition.split(":", 1)[1].split(";")
        if len(items) < 2 or "=" not in items[1]:
            problems.append(f"{where}: Content-Disposition has no name parameter")
            continue
        name_value = items[1].split("=", 1)[1].strip()
        if not (len(name_value) >= 2 and name_value[0] == name_value[-1] == '"'):
            problems.append(f"{where}: Content-Disposition name is not quoted ({items[1].strip()});"
                            " quote it (Prism 5.16 crashes on it)")
        if len(items) >= 3:
            k = items[2].split("=")
            try:
                ok = len(k) >= 2 and isinstance(json.loads(k[1].strip()), str)
            except ValueError:
                ok = False
            if not ok:
                problems.append(f"{where}: Content-Disposition parameter {items[2].strip()!r} is not a plain"
                                " quoted string; quote it and avoid '=', ';' and escapes (Prism 5.16"
                                " crashes on it)")
            elif not has_type:
                problems.append(f"{where}: file part without a Content-Type header (Prism 5.16 crashes"
                                " on it)")
    return problems


# --------------------------------------------------------------------------- answers


def _location(loc: Any, *, strip_request: bool) -> str:
    parts = [str(p) for p in loc] if isinstance(loc, list) else []
    if strip_request and parts and parts[0] == "request":
        parts = parts[1:]
    return ".".join(parts) or "request"


def _format_entry(entry: dict[str, Any], *, strip_request: bool) -> str:
    loc = _location(entry.get("location"), strip_request=strip_request)
    code = entry.get("code")
    suffix = f" [{code}]" if code not in (None, "") else ""
    return f"{loc}: {entry.get('message', '').strip()}{suffix}"


def _interpret(status: int, headers: list[tuple[str, str]], body: bytes) -> tuple[list[str], list[str], str]:
    """(violations, notes, judge_error) from Prism's answer."""
    violations: list[str] = []
    notes: list[str] = []
    lower = {n.lower(): v for n, v in headers}

    # 1. sl-violations: request and response entries, whatever the body is.
    header = lower.get("sl-violations")
    if header:
        try:
            entries = json.loads(header)
        except ValueError:
            # Prism truncates an over-long list to 8 KB and prefixes "Too many violations! ".
            entries = None
            if '"request"' in header:
                violations.append(f"request: many violations (list truncated by Prism): {header[:300]}")
            else:
                notes.append(f"response: many violations (list truncated by Prism): {header[:300]}")
        for entry in entries or []:
            if not isinstance(entry, dict):
                continue
            loc = entry.get("location") or []
            is_request = bool(loc) and loc[0] == "request"
            text = _format_entry(entry, strip_request=True)
            if is_request and entry.get("severity") == "Error":
                violations.append("security: no security requirement of the operation is met"
                                  f" ({entry.get('message')})" if entry.get("code") == 401 else text)
            else:
                notes.append(_format_entry(entry, strip_request=False))

    # 2. Problem documents Prism generates itself.
    ctype = lower.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/problem+json":
        try:
            problem = json.loads(body.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            problem = None
        if not isinstance(problem, dict):
            return violations, notes, f"Prism answered {status} with an unreadable problem document"
        ptype = str(problem.get("type", ""))
        if not ptype.startswith(PROBLEM_TYPE_PREFIX):
            # The definition's own problem+json response, mocked: not a finding of Prism's.
            return violations, notes, ""
        kind = ptype[len(PROBLEM_TYPE_PREFIX):]
        detail = str(problem.get("detail") or problem.get("title") or "").strip()
        if kind == "UNPROCESSABLE_ENTITY":
            entries = problem.get("validation") or []
            for entry in entries:
                if isinstance(entry, dict):
                    text = _format_entry(entry, strip_request=True)
                    if entry.get("severity", "Error") == "Error":
                        if text not in violations:
                            violations.append(text)
                    else:
                        notes.append("request." + text)
            if not entries:
                violations.append(f"request: {detail}")
        elif kind == "UNAUTHORIZED":
            expected = (problem.get("headers") or {}).get("WWW-Authenticate") or lower.get("www-authenticate")
            hint = f"; expected WWW-Authenticate: {expected}" if expected else ""
            violations.append(f"security: no security requirement of the operation is met"
                              f" (credentials missing or malformed){hint}")
        elif kind == "INVALID_CONTENT_TYPE":
            violations.append(f"header.content-type: {detail}")
        elif kind == "NOT_ACCEPTABLE":
            violations.append(f"header.accept: {detail}")
        elif kind in ("NO_PATH_MATCHED_ERROR", "NO_SERVER_MATCHED_ERROR"):
            violations.append(f"path: no operation of the definition matches ({detail})")
        elif kind == "NO_METHOD_MATCHED_ERROR":
            violations.append(f"method: {detail}")
        elif kind in _MOCK_PROBLEMS:
            for entry in problem.get("validation") or []:
                if isinstance(entry, dict):
                    text = _format_entry(entry, strip_request=False)
                    if text not in notes:
                        notes.append(text)
            if not problem.get("validation"):
                notes.append(f"mock: {kind}: {detail}")
        else:
            return violations, notes, f"Prism answered {status} with an unexpected problem type {ptype!r}: {detail}"
    return violations, notes, ""


def _raw(status: int, reason: str, headers: list[tuple[str, str]], body: bytes) -> str:
    text = body[:_RAW_LIMIT].decode("utf-8", errors="replace")
    if len(body) > _RAW_LIMIT:
        text += f"\n... ({len(body) - _RAW_LIMIT} more bytes)"
    head = "\n".join(f"{n}: {v}" for n, v in headers)
    return f"HTTP/1.1 {status} {reason}\n{head}\n\n{text}"
