"""Prism (``@stoplight/prism-cli``, pinned at 5.16.0) as an independent judge of requests.

The live tests record what a sample sends; :class:`PrismJudge` replays each recorded request
against ``prism mock <definition> --errors`` and turns Prism's answer into a :class:`Verdict`.
Prism was written by other people from the same specification, so a request it accepts is
one the definition allows, independently of our own normalizer.

What Prism 5.16.0 does (measured, and relied on below)
------------------------------------------------------
Routing
  * Prism mock matches the request path against the definition's path keys alone. It ignores
    the path of the server URL (OpenAPI 3: ``https://{env}.x.com/v1`` -> ``GET /pets``, while
    ``GET /v1/pets`` is ``404 NO_PATH_MATCHED_ERROR``) and Swagger 2.0's ``basePath`` in the
    same way. :meth:`PrismJudge.prism_path` strips that prefix; ``judge`` does it for you.
  * A path key holding a literal query string (``/execute?api-version=2.0``, as Azure ML
    Studio definitions have) never matches a real request: Prism compares the key with the
    request path only, which has no ``?``. Sending ``?`` percent-encoded (``%3F``) makes the
    route match, but only for keys without ``{templates}``: for ``/jobs/{jobId}?api-version=2.0``
    Prism then fails to extract ``jobId`` (uri-template matching against the still-encoded
    path) and reports "Request path must have required property 'jobid'". So the judge mocks
    a rewritten copy of such a definition instead: the key loses its query string and each
    operation under it gets a required query parameter per literal pair, with the literal
    value as its only ``enum`` value. The request must then carry ``api-version=2.0`` in its
    real query string, which is what the definition means.
  * Unknown path: ``404`` ``application/problem+json``, type ``...#NO_PATH_MATCHED_ERROR``;
    known path, wrong method: ``405`` ``...#NO_METHOD_MATCHED_ERROR``.

Request validation (``--errors``)
  * Valid request: the mocked response (lowest 2xx, from the definition's examples), no
    ``sl-violations`` header.
  * Invalid request (missing required body property, wrong type in query/path/header,
    missing body, bad enum, pattern, const, format ...): when the operation defines a 422, 400
    or ``default`` response, Prism answers with THAT response of the definition (status 422,
    the definition's own content type and example) and lists the problems in the
    ``sl-violations`` response header: a JSON list of ``{"location": ["request", "query",
    "limit"], "severity": "Error", "code": "type", "message": "Request query parameter limit
    must be integer"}``. Otherwise it answers ``422`` ``application/problem+json``, type
    ``...#UNPROCESSABLE_ENTITY`` with the same list in ``validation`` (locations there lack the
    leading ``"request"``: ``["path", "petid"]``; a missing body has no location at all).
    Names of path, query and header parameters are lower-cased in locations and messages.
  * Security: Prism checks that some security alternative is present and well-formed
    (apiKey header/query/cookie present; ``Authorization: Bearer <x>`` for http bearer;
    ``Basic <base64 of user:pass>`` for http basic; a ``Basic zzz`` is refused). If not:
    ``401``, either the definition's own 401/default response with ``sl-violations``
    ``[{"location": ["request"], "code": 401, "message": "Invalid security scheme used"}]``,
    or ``application/problem+json`` type ``...#UNAUTHORIZED`` with a ``WWW-Authenticate``
    header naming the expected scheme(s).
  * Content type not among the operation's request media types: ``415`` problem+json
    ``...#INVALID_CONTENT_TYPE`` ("Supported content types: application/json").
  * ``Accept`` that no response media type satisfies: ``406`` problem+json ``...#NOT_ACCEPTABLE``.

Response-side findings are not request violations
  * Prism also validates its own mocked response. With ``--errors`` a response violation
    (e.g. a generated example for a recursive schema missing a required property) turns the
    answer into ``500`` problem+json ``...#VIOLATIONS`` whose entries are all located under
    ``"response"``; the ``sl-violations`` header holds request AND response entries. Only
    entries located under ``"request"`` count against the request; the rest become notes.
  * Mocking failures (``NO_RESPONSE_RESPONSE_DEFINED``, ``NOT_FOUND`` for a missing example,
    ``SCHEMA_TOO_COMPLEX``, ``NO_COMPLEX_OBJECT_TEXT``) are notes too.

Faults of Prism that the judge works around
  * A multipart part whose ``Content-Disposition`` has an unquoted ``name``/``filename`` (or a
    quoted value holding ``=`` or ``;``), or a file part without its own ``Content-Type``,
    kills the Prism process (an uncaught exception in ``parse-multipart-data``).
  * A body Prism cannot parse (malformed JSON under a JSON content type, an unknown charset,
    more than 10 MB) is never answered: the connection hangs.
  The judge screens for these before replaying (a verdict that says why, no request sent);
  anything else that kills Prism or times out is reported as a failed verdict and Prism is
  restarted before the next request.
"""
from __future__ import annotations

import codecs
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import parse_qsl, urlsplit

__all__ = [
    "PRISM_VERSION",
    "PrismError",
    "PrismJudge",
    "Verdict",
    "find_prism",
    "rewrite_query_path_keys",
]

PRISM_VERSION = "5.16.0"
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
# Hop-by-hop headers (RFC 9110 7.6.1) plus those the replay sets itself.
_DROP_HEADERS = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
    "expect",
}
_MAX_BODY = 10 * 1024 * 1024  # Prism's body parser limit ('10mb'); above it Prism hangs
_RAW_LIMIT = 64 * 1024
_JSON_MEDIA = re.compile(r"^application/(?:[\w.+-]+\+)?json$", re.I)


class PrismError(RuntimeError):
    """Prism could not be started."""


@dataclass
class Verdict:
    """Prism's judgement of one request.

    ``ok`` is True when Prism found no request-side violation. ``status`` is the status Prism
    answered with (0 when it did not answer). ``violations`` are readable one-liners,
    ``location: message``. ``raw`` is Prism's answer (status line, headers, body) or the
    details of a failure. ``notes`` hold findings that are not held against the request
    (response-side violations, warnings). ``judge_error`` is set when Prism could not judge
    the request at all (it died, timed out, or the request would have crashed it): ``ok`` is
    then False and the reason is also the first violation.
    """

    ok: bool
    status: int
    violations: list[str]
    raw: str
    notes: list[str] = field(default_factory=list)
    judge_error: str = ""

    def describe(self) -> str:
        head = f"Prism: {'ok' if self.ok else 'REJECTED'} (HTTP {self.status})"
        lines = [head] + [f"  - {v}" for v in self.violations]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def find_prism() -> str | None:
    """The Prism executable: ``$PRISM_BIN``, else ``node_modules/.bin/prism`` under the
    repository root or the working directory, else ``prism`` on PATH. None when absent."""
    env = os.environ.get("PRISM_BIN", "").strip()
    if env:
        found = shutil.which(env)
        return found if found else None
    for base in (_repo_root(), Path.cwd()):
        candidate = base / "node_modules" / ".bin" / "prism"
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which("prism")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- definition


def _load_definition(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    import yaml  # a declared dependency; imported late so JSON-only use needs nothing

    return yaml.safe_load(text)


def _fill_variables(url: str, variables: dict[str, Any] | None) -> str:
    variables = variables or {}

    def repl(match: re.Match[str]) -> str:
        var = variables.get(match.group(1))
        if isinstance(var, dict) and "default" in var:
            return str(var["default"])
        return match.group(0)

    return re.sub(r"\{([^{}]+)\}", repl, url)


def _base_paths(doc: Any) -> list[str]:
    """Path prefixes of the servers (OpenAPI 3) or ``basePath`` (Swagger 2.0), longest first."""
    found: set[str] = set()
    if not isinstance(doc, dict):
        return []
    if "swagger" in doc:
        base = doc.get("basePath")
        if isinstance(base, str):
            found.add(base)
    else:
        servers: list[Any] = list(doc.get("servers") or [])
        for item in (doc.get("paths") or {}).values():
            if isinstance(item, dict):
                servers += list(item.get("servers") or [])
                for op in item.values():
                    if isinstance(op, dict) and isinstance(op.get("servers"), list):
                        servers += op["servers"]
        for server in servers:
            if isinstance(server, dict) and isinstance(server.get("url"), str):
                url = _fill_variables(server["url"], server.get("variables"))
                found.add(urlsplit(url).path if "://" in url else url.split("?")[0])
    cleaned = {p.rstrip("/") for p in found if p.startswith("/") and "{" not in p}
    return sorted((p for p in cleaned if p), key=len, reverse=True)


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def rewrite_query_path_keys(doc: Any) -> tuple[Any, list[str]]:
    """Move literal query strings out of path keys into required, single-valued query
    parameters, so that Prism can route and check such operations (see the module notes).

    autorest's ``x-ms-paths`` (which Prism does not read) are merged into ``paths`` first.
    A key whose query-less path is already taken gets its operations added to that path
    item when the method is free there; otherwise it is kept as is, with a note.

    Returns the rewritten document (the input is not modified) and notes about keys that
    could not be rewritten. Documents without such keys come back unchanged (same object).
    """
    paths = doc.get("paths") if isinstance(doc, dict) else None
    extra = doc.get("x-ms-paths") if isinstance(doc, dict) else None
    if not isinstance(paths, dict):
        paths = {}
    if not isinstance(extra, dict):
        extra = {}
    if not extra and not any("?" in str(k) for k in paths):
        return doc, []
    merged = dict(paths)
    for key, item in extra.items():
        merged.setdefault(key, item)
    swagger2 = "swagger" in doc
    new_doc = {k: v for k, v in doc.items() if k != "x-ms-paths"}
    new_paths: dict[str, Any] = {k: v for k, v in merged.items() if "?" not in str(k)}
    notes: list[str] = []
    for key, item in merged.items():
        if "?" not in str(key):
            continue
        path_part, _, query = str(key).partition("?")
        if not isinstance(item, dict) or "$ref" in item:
            notes.append(f"path key {key!r} kept as is (Prism cannot match it)")
            new_paths[key] = item
            continue
        values: dict[str, list[str]] = {}
        for name, value in parse_qsl(query, keep_blank_values=True):
            values.setdefault(name, []).append(value)
        fixed = []
        for name, vals in values.items():
            enum = sorted(set(vals))
            description = "Fixed by the path key of the definition."
            if swagger2:
                param = {"name": name, "in": "query", "required": True, "type": "string", "enum": enum,
                         "description": description}
            else:
                param = {"name": name, "in": "query", "required": True, "description": description,
                         "schema": {"type": "string", "enum": enum}}
            fixed.append(param)
        target = new_paths.get(path_part)
        if target is None:
            new_item = dict(item)
            new_item["parameters"] = list(item.get("parameters") or []) + fixed
            new_paths[path_part] = new_item
            continue
        # the query-less path exists: add each operation whose method is free there
        shared = list(item.get("parameters") or [])
        target = dict(target)
        kept = {}
        for method, op in item.items():
            if method not in _METHODS or not isinstance(op, dict):
                continue
            if method in target or not isinstance(target, dict):
                kept[method] = op
                continue
            target[method] = dict(op, parameters=shared + list(op.get("parameters") or []) + fixed)
        new_paths[path_part] = target
        if kept:
            notes.append(f"path key {key!r} kept as is for {', '.join(m.upper() for m in kept)} "
                         f"(Prism cannot match it: {path_part} has that method already)")
            new_paths[key] = item
    new_doc["paths"] = new_paths
    return new_doc, notes


def _absolutize_refs(node: Any, folder: Path) -> Any:
    """External ``$ref``s made absolute, so a rewritten copy stored elsewhere still resolves."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and not v.startswith("#") and "://" not in v:
                file_part, hash_, frag = v.partition("#")
                out[k] = str((folder / file_part).resolve()) + hash_ + frag
            else:
                out[k] = _absolutize_refs(v, folder)
        return out
    if isinstance(node, list):
        return [_absolutize_refs(v, folder) for v in node]
    return node


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


# --------------------------------------------------------------------------- the judge


class PrismJudge:
    """Start `prism mock <definition> --errors -p <free port> -h 127.0.0.1` (binary from
    node_modules/.bin/prism, found relative to the repo root or via PRISM_BIN env var or PATH),
    wait until it answers, and judge recorded requests by replaying them.

    Use as a context manager. A definition whose path keys hold query strings is mocked from a
    rewritten copy (see :func:`rewrite_query_path_keys`; ``rewrite_query_keys=False`` serves
    the file as it is); ``self.served_definition`` is the file Prism actually reads and
    ``self.rewrite_notes`` what could not be rewritten.
    """

    def __init__(self, definition_path: Path, *, startup_timeout: float = 60, request_timeout: float = 10,
                 prism_bin: str | None = None, rewrite_query_keys: bool = True) -> None:
        self.definition_path = Path(definition_path).resolve()
        self.startup_timeout = startup_timeout
        self.request_timeout = request_timeout
        self.prism_bin = prism_bin or find_prism()
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._lock = threading.RLock()
        self._tmp = tempfile.TemporaryDirectory(prefix="prism-judge-")
        self._log_path = Path(self._tmp.name) / "prism.log"
        self._log_file: Any = None
        doc = _load_definition(self.definition_path)
        self.base_paths = _base_paths(doc)
        rewritten, self.rewrite_notes = rewrite_query_path_keys(doc) if rewrite_query_keys else (doc, [])
        if rewritten is doc:
            self.served_definition = self.definition_path
        else:
            rewritten = _absolutize_refs(rewritten, self.definition_path.parent)
            self.served_definition = Path(self._tmp.name) / (self.definition_path.stem + ".prism.json")
            self.served_definition.write_text(json.dumps(rewritten, indent=1, default=str), encoding="utf-8")

    # ----------------------------------------------------------------- lifecycle

    def __enter__(self) -> "PrismJudge":
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start Prism and wait until it answers; raise PrismError when it cannot."""
        with self._lock:
            if self.prism_bin is None:
                raise PrismError("Prism not found: run `npm ci` in the repository root or set PRISM_BIN")
            self.stop()
            last = ""
            for _ in range(3):  # the free port may be taken between probe and bind
                self.port = _free_port()
                self._log_file = open(self._log_path, "ab")
                env = dict(os.environ, NO_COLOR="1", FORCE_COLOR="0", SCARF_ANALYTICS="false", DO_NOT_TRACK="1")
                self.process = subprocess.Popen(
                    [self.prism_bin, "mock", str(self.served_definition), "--errors",
                     "-p", str(self.port), "-h", "127.0.0.1"],
                    stdin=subprocess.DEVNULL, stdout=self._log_file, stderr=subprocess.STDOUT,
                    start_new_session=True, env=env, cwd=str(self.served_definition.parent),
                )
                ready, last = self._wait_ready()
                if ready:
                    return
                self.stop()
                if "EADDRINUSE" not in last:
                    break
            raise PrismError(f"Prism did not start for {self.definition_path.name}: {last}")

    def _wait_ready(self) -> tuple[bool, str]:
        deadline = time.monotonic() + self.startup_timeout
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False, f"exited with {self.process.returncode}: {self.log_tail()}"
            if "Prism is listening on" in self.log_tail(4000):
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        return True, ""
                except OSError:
                    pass
            time.sleep(0.1)
        return False, f"not listening after {self.startup_timeout}s: {self.log_tail()}"

    def stop(self) -> None:
        """Terminate Prism's process group and reap it."""
        with self._lock:
            proc, self.process = self.process, None
            if proc is not None:
                if proc.poll() is None:
                    try:
                        os.killpg(proc.pid, signal.SIGTERM)
                    except ProcessLookupError:
                        pass
                    try:
                        proc.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        try:
                            os.killpg(proc.pid, signal.SIGKILL)
                        except ProcessLookupError:
                            pass
                        proc.wait(timeout=5)
                else:
                    # The leader is gone; make sure nothing it left in its group lingers.
                    try:
                        os.killpg(proc.pid, signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        pass
            if self._log_file is not None:
                self._log_file.close()
                self._log_file = None

    def close(self) -> None:
        self.stop()
        self._tmp.cleanup()

    def restart(self) -> None:
        with self._lock:
            self.restarts += 1
            self.start()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _died_within(self, seconds: float) -> bool:
        proc = self.process
        if proc is None:
            return True
        try:
            proc.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            return False
        return True

    def last_request_log(self, limit: int = 3000) -> str:
        """Prism's log from the last request it received on (where a crash's message is)."""
        text = self.log_tail(200_000)
        start = text.rfind("Request received")
        if start >= 0:
            start = text.rfind("\n", 0, start) + 1
            text = text[start:]
        return text[:limit] + ("\n..." if len(text) > limit else "")

    def log_tail(self, limit: int = 1500) -> str:
        try:
            data = self._log_path.read_bytes()
        except OSError:
            return ""
        return data[-limit:].decode("utf-8", errors="replace").strip()

    # ----------------------------------------------------------------- paths

    def prism_path(self, request_path_from_server_root: str) -> str:
        """The path (and query) to send Prism for a request path taken from the server root.

        Prism mock matches only the definition's path keys: it ignores the path part of the
        server URL (OpenAPI 3: ``https://{environment}.petstore.example.com/v1``) and
        Swagger 2.0's ``basePath``. So ``/v1/pets?limit=25`` becomes ``/pets?limit=25``. The
        longest base path of the definition that prefixes the path at a segment boundary is
        removed; a path without one is returned unchanged.
        """
        path, sep, query = request_path_from_server_root.partition("?")
        for base in self.base_paths:
            if path == base or path.startswith(base + "/"):
                path = path[len(base):] or "/"
                break
        return path + sep + query

    # ----------------------------------------------------------------- judging

    def judge(self, method: str, path_and_query: str, headers: list[tuple[str, str]], body: bytes, *,
              from_server_root: bool = True) -> Verdict:
        """Replay one request on Prism and say whether it conforms to the definition.

        ``path_and_query`` is the request target as recorded; with ``from_server_root`` (the
        default) the server's base path is stripped first (see :meth:`prism_path`).
        """
        body = body or b""
        with self._lock:
            target = self.prism_path(path_and_query) if from_server_root else path_and_query
            if not target.startswith("/"):
                target = "/" + target
            violations, error = _screen(headers, body)
            if violations or error:
                reason = error or "the request would crash or hang Prism; not sent"
                return Verdict(False, 0, violations or [f"judge: {reason}"], f"not sent to Prism: {reason}",
                               judge_error=error or "")
            if not self.alive():
                try:
                    self.restart()
                except PrismError as exc:
                    return self._failure(f"Prism is not running and could not be restarted: {exc}")
            try:
                status, reason, resp_headers, resp_body = self._send(method, target, headers, body)
            except socket.timeout:
                tail = self.last_request_log()
                self._restart_quietly()
                return self._failure(f"Prism did not answer {method} {target} within {self.request_timeout}s"
                                     " (restarted it)", tail)
            except (OSError, http.client.HTTPException) as exc:
                died = self._died_within(2.0)
                tail = self.last_request_log()
                self._restart_quietly()
                what = "Prism died while judging" if died else "the connection to Prism failed during"
                return self._failure(f"{what} {method} {target}: {exc.__class__.__name__}: {exc} (restarted it)",
                                     tail)
            except ValueError as exc:  # http.client refuses e.g. control characters in the target
                return self._failure(f"cannot replay {method} {target!r}: {exc}")
            violations, notes, error = _interpret(status, resp_headers, resp_body)
            raw = _raw(status, reason, resp_headers, resp_body)
            if error:
                return Verdict(False, status, [f"judge: {error}"] + violations, raw, notes, judge_error=error)
            return Verdict(not violations, status, violations, raw, notes)

    def judge_recorded(self, recorded: Any) -> Verdict:
        """Judge a recorded request (anything with ``method``, ``target``, ``headers``, ``body``)."""
        return self.judge(recorded.method, recorded.target, list(recorded.headers), recorded.body)

    def _send(self, method: str, target: str, headers: list[tuple[str, str]],
              body: bytes) -> tuple[int, str, list[tuple[str, str]], bytes]:
        connection_tokens = {
            token.strip().lower()
            for name, value in headers if name.lower() == "connection"
            for token in value.split(",")
        }
        had_length = any(n.lower() in ("content-length", "transfer-encoding") for n, _ in headers)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.request_timeout)
        try:
            conn.putrequest(method.upper(), target, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", f"127.0.0.1:{self.port}")
            for name, value in headers:
                if name.lower() in _DROP_HEADERS or name.lower() in connection_tokens:
                    continue
                try:
                    value.encode("latin-1")
                    conn.putheader(name, value)
                except UnicodeEncodeError:  # send what a client encoding UTF-8 would have sent
                    conn.putheader(name, value.encode("utf-8"))
            if body or had_length:
                conn.putheader("Content-Length", str(len(body)))
            conn.putheader("Connection", "close")
            conn.endheaders(body if body else None)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, resp.reason, list(resp.getheaders()), data
        finally:
            conn.close()

    def _restart_quietly(self) -> None:
        try:
            self.restart()
        except PrismError:
            pass  # reported by the next judge() call

    def _failure(self, reason: str, details: str = "") -> Verdict:
        raw = reason + (f"\n--- Prism log (tail) ---\n{details}" if details else "")
        return Verdict(False, 0, [f"judge: {reason}"], raw, judge_error=reason)
