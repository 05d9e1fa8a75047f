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

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .prism_answers import _interpret, _raw, _screen
from .prism_definition import _absolutize_refs, _base_paths, _load_definition, rewrite_query_path_keys

__all__ = [
    "PRISM_VERSION",
    "PrismError",
    "PrismJudge",
    "Verdict",
    "find_prism",
    "rewrite_query_path_keys",
]

PRISM_VERSION = "5.16.0"

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
        # what is never sent to Prism (requests that crash or hang it): prism_answers._screen
        self.screen = _screen
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
            violations, error = self.screen(headers, body)
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
