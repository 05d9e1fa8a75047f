"""A loopback HTTP server that records every request that reaches it.

The live tests point a generated sample at it (through ``API_BASE_URL``) and then compare
what arrived with the operation's SampleRequest. Everything a comparison needs is kept
raw *and* parsed: the raw path and query, the decoded query pairs in order, the headers in
order, the raw body bytes, the body parsed as JSON, as a form or as multipart parts.

Standard library only. Chunked request bodies and ``Expect: 100-continue`` are handled.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, unquote_to_bytes

__all__ = [
    "Part",
    "RecordedRequest",
    "RecordingServer",
    "Response",
    "parse_cookies",
    "parse_multipart",
    "TOKEN_PATH",
    "TOKEN",
]

TOKEN_PATH = "/__token__"
TOKEN = "recorded-access-token"
_MAX_BODY = 64 * 1024 * 1024


@dataclass
class Part:
    """One part of a multipart body."""

    name: str | None
    filename: str | None
    content_type: str | None
    data: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class RecordedRequest:
    method: str
    target: str  # the request target exactly as sent: raw path + "?" + raw query
    path: str  # raw path (still percent-encoded)
    decoded_path: str
    raw_query: str
    query: list[tuple[str, str]]  # decoded pairs, order and repeats kept, blanks kept
    headers: list[tuple[str, str]]  # in the order received, names as sent
    body: bytes
    http_version: str = "HTTP/1.1"
    chunked: bool = False
    json: Any = None  # parsed body when the content type is JSON (see ``has_json``)
    has_json: bool = False
    json_error: str = ""
    form: list[tuple[str, str]] | None = None  # application/x-www-form-urlencoded
    parts: list[Part] | None = None  # multipart/*
    multipart_error: str = ""
    cookies: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # anything that did not parse cleanly

    def header_values(self, name: str) -> list[str]:
        lower = name.lower()
        return [v for n, v in self.headers if n.lower() == lower]

    def header(self, name: str) -> str | None:
        values = self.header_values(name)
        return ", ".join(values) if values else None

    @property
    def content_type(self) -> str:
        return self.header("Content-Type") or ""

    def describe(self) -> str:
        lines = [f"{self.method} {self.target}"]
        lines += [f"{n}: {v}" for n, v in self.headers]
        if self.body:
            text = self.body[:2000].decode("utf-8", errors="replace")
            lines += ["", text + (" ..." if len(self.body) > 2000 else "")]
        return "\n".join(lines)


@dataclass
class Response:
    """What the server answers."""

    status: int = 200
    body: bytes | str | Any = b'{"ok": true}'
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _header_params(value: str) -> Message:
    msg = Message()
    msg["Content-Type"] = value
    return msg


def parse_cookies(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Cookie pairs from every ``Cookie`` header, in order (values as sent, not unquoted)."""
    out: list[tuple[str, str]] = []
    for name, value in headers:
        if name.lower() != "cookie":
            continue
        for piece in value.split(";"):
            piece = piece.strip()
            if not piece:
                continue
            key, sep, val = piece.partition("=")
            out.append((key.strip(), val.strip() if sep else ""))
    return out


def _disposition(value: str) -> tuple[str | None, str | None]:
    msg = Message()
    msg["Content-Disposition"] = value
    name = msg.get_param("name", header="content-disposition")
    filename = msg.get_filename()
    if isinstance(name, tuple):  # RFC 2231 encoded
        name = name[2]
    return (str(name) if name is not None else None, filename)


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """Split a multipart body on its boundary; raises ValueError when it is malformed."""
    boundary = _header_params(content_type).get_param("boundary")
    if not boundary or not isinstance(boundary, str):
        raise ValueError(f"no boundary in Content-Type {content_type!r}")
    delim = b"--" + boundary.encode("latin-1")
    if body.startswith(delim):
        pos = len(delim)
    else:
        start = body.find(b"\r\n" + delim)
        if start < 0:
            raise ValueError("the body does not contain the boundary")
        pos = start + 2 + len(delim)
    parts: list[Part] = []
    while True:
        if body[pos : pos + 2] == b"--":
            return parts  # closing delimiter (an epilogue after it is ignored)
        # transport padding, then CRLF
        eol = body.find(b"\r\n", pos)
        if eol < 0 or body[pos:eol].strip(b" \t"):
            raise ValueError("malformed boundary line")
        pos = eol + 2
        end = body.find(b"\r\n" + delim, pos)
        if end < 0:
            raise ValueError("the closing boundary is missing")
        raw = body[pos:end]
        pos = end + 2 + len(delim)
        head_end = raw.find(b"\r\n\r\n")
        if raw.startswith(b"\r\n"):
            head, data = b"", raw[2:]
        elif head_end < 0:
            raise ValueError("a part has no blank line after its headers")
        else:
            head, data = raw[:head_end], raw[head_end + 4 :]
        headers: list[tuple[str, str]] = []
        for line in head.decode("utf-8", errors="replace").split("\r\n"):
            if not line:
                continue
            if line[0] in " \t" and headers:  # folded header
                n, v = headers[-1]
                headers[-1] = (n, v + " " + line.strip())
                continue
            n, sep, v = line.partition(":")
            if not sep:
                raise ValueError(f"malformed part header {line!r}")
            headers.append((n.strip(), v.strip()))
        name = filename = ctype = None
        for n, v in headers:
            if n.lower() == "content-disposition":
                name, filename = _disposition(v)
            elif n.lower() == "content-type":
                ctype = v
        parts.append(Part(name=name, filename=filename, content_type=ctype, data=data, headers=headers))


def _decode_query(raw_query: str, errors: list[str]) -> list[tuple[str, str]]:
    if not raw_query:
        return []
    try:
        unquote_to_bytes(raw_query.replace("+", " ")).decode("utf-8")
    except UnicodeDecodeError:
        errors.append(f"query string is not UTF-8 after percent-decoding: {raw_query!r}")
    pairs = parse_qsl(raw_query, keep_blank_values=True, errors="replace")
    for piece in raw_query.split("&"):
        if not piece:
            errors.append(f"empty query component in {raw_query!r}")
        elif "=" not in piece:
            errors.append(f"query component without '=': {piece!r}")
    return pairs


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"
    timeout = 30

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence stderr
        pass

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def _read_body(self, errors: list[str]) -> tuple[bytes, bool]:
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks: list[bytes] = []
            total = 0
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    errors.append("connection closed inside a chunked body")
                    break
                size_text = line.split(b";", 1)[0].strip()
                try:
                    size = int(size_text, 16)
                except ValueError:
                    errors.append(f"bad chunk size line {line!r}")
                    break
                if size == 0:
                    while True:  # trailers up to the blank line
                        trailer = self.rfile.readline(65537)
                        if trailer in (b"\r\n", b"\n", b""):
                            break
                    break
                total += size
                if total > _MAX_BODY:
                    errors.append("chunked body too large")
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)  # CRLF after the chunk
            return b"".join(chunks), True
        length = self.headers.get("Content-Length")
        if length is None:
            return b"", False
        try:
            n = int(length)
        except ValueError:
            errors.append(f"bad Content-Length {length!r}")
            self.close_connection = True
            return b"", False
        return self.rfile.read(min(n, _MAX_BODY)), False

    def _handle(self) -> None:
        errors: list[str] = []
        body, chunked = self._read_body(errors)
        target = self.path
        raw_path, _, raw_query = target.partition("?")
        raw_path = raw_path.split("#", 1)[0]
        try:
            decoded_path = unquote_to_bytes(raw_path).decode("utf-8")
        except UnicodeDecodeError:
            decoded_path = unquote(raw_path, errors="replace")
            errors.append(f"path is not UTF-8 after percent-decoding: {raw_path!r}")
        headers = [(k, v) for k, v in self.headers.items()]
        rec = RecordedRequest(
            method=self.command,
            target=target,
            path=raw_path,
            decoded_path=decoded_path,
            raw_query=raw_query,
            query=_decode_query(raw_query, errors),
            headers=headers,
            body=body,
            http_version=self.request_version,
            chunked=chunked,
            cookies=parse_cookies(headers),
            errors=errors,
        )
        ctype = rec.content_type
        media = _media_type(ctype)
        if media == "application/json" or media.endswith("+json") or media.endswith("/json"):
            try:
                rec.json = json.loads(body.decode("utf-8"))
                rec.has_json = True
            except (UnicodeDecodeError, ValueError) as exc:
                rec.json_error = str(exc)
        elif media == "application/x-www-form-urlencoded":
            try:
                rec.form = parse_qsl(body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError as exc:
                rec.errors.append(f"form body is not UTF-8: {exc}")
        elif media.startswith("multipart/"):
            try:
                rec.parts = parse_multipart(body, ctype)
            except ValueError as exc:
                rec.multipart_error = str(exc)
        self.server.owner._record(rec)
        resp = self.server.owner.response_for(rec)
        payload = resp.payload()
        self.send_response(resp.status)
        if resp.content_type:
            self.send_header("Content-Type", resp.content_type)
        for n, v in resp.headers:
            self.send_header(n, v)
        no_body = self.command == "HEAD" or resp.status in (204, 304) or 100 <= resp.status < 200
        self.send_header("Content-Length", "0" if resp.status in (204, 304) else str(len(payload)))
        self.end_headers()
        if not no_body:
            self.wfile.write(payload)
        self.wfile.flush()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: "RecordingServer"


class RecordingServer:
    """Records every request; answers with ``default`` or the exact-path ``routes``.

    Use as a context manager::

        with RecordingServer() as server:
            ... run a client against server.url ...
            requests = server.take()
    """

    def __init__(
        self,
        default: Response | None = None,
        routes: dict[str, Response] | None = None,
        *,
        token_path: str | None = TOKEN_PATH,
    ) -> None:
        self._lock = threading.Lock()
        self._records: list[RecordedRequest] = []
        self.default = default or Response()
        self.routes: dict[str, Response] = dict(routes or {})
        if token_path:
            self.routes.setdefault(
                token_path,
                Response(200, {"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3600}),
            )
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------
    def start(self) -> "RecordingServer":
        if self._httpd is not None:
            return self
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> "RecordingServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses -----------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running")
        return self._httpd.server_address[1]

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>`` (no trailing slash)."""
        return f"http://127.0.0.1:{self.port}"

    # -- behaviour -----------------------------------------------------------------------
    def respond(self, status: int = 200, body: Any = b'{"ok": true}', content_type: str = "application/json") -> None:
        """Set the default answer (for every path without a route)."""
        with self._lock:
            self.default = Response(status, body, content_type)

    def route(self, path: str, response: Response) -> None:
        with self._lock:
            self.routes[path] = response

    def response_for(self, rec: RecordedRequest) -> Response:
        with self._lock:
            return self.routes.get(rec.path, self.default)

    # -- recordings ----------------------------------------------------------------------
    def _record(self, rec: RecordedRequest) -> None:
        with self._lock:
            self._records.append(rec)

    def take(self) -> list[RecordedRequest]:
        """Return the requests recorded so far and forget them."""
        with self._lock:
            out, self._records = self._records, []
        return out

    def peek(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._records)
