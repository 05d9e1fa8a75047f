"""Compare what a sample sent (as recorded) with what its SampleRequest says it must send.

``compare`` returns a list of human-readable mismatch messages; an empty list means equal.
``check_behaviour`` checks the other half of the contract: exit code and printed output.

Rules (see the design notes, section 3):
- method equal; path equal after normalising percent-encoding of characters that do not
  change the meaning of a path (everything but ``/ ? # %``), with the base path of
  ``API_BASE_URL`` in front of ``sample.path``;
- query: the decoded pairs, in order, repeats kept = ``sample.query`` + api_key_query plans;
- headers: every expected header present with exactly its value (names case-insensitive);
  only the headers HTTP libraries add on their own may be extra;
- cookies: ``sample.cookies`` + api_key_cookie plans, from one Cookie header;
- body by kind: JSON equal with exact types (``true``/``1``/``"1"``/``null``/``{}`` all
  differ; ``1`` and ``1.0`` are equal), form pairs in order, multipart parts in order
  (name, filename, content type when specified, bytes), text, binary.
"""
from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import parse_qsl, unquote, urlsplit

from ..model import AuthPlan, Body, FileSpec, SampleRequest
from .behaviour import check_behaviour
from .diff import _MAX_SHOWN, _duplicate_keys, _essence, _params, _short, json_diff
from .recorder import TOKEN, RecordedRequest

__all__ = [
    "compare",
    "compare_token_request",
    "check_behaviour",
    "json_diff",
    "expected_headers",
    "expected_query",
    "expected_cookies",
    "expected_path",
    "normalize_path",
    "split_token_requests",
]

# Headers an HTTP library may add on its own; any other extra header is a mismatch.
ALLOWED_EXTRA = frozenset(
    {
        "user-agent",
        "accept-encoding",
        "connection",
        "keep-alive",
        "host",
        "content-length",
        "transfer-encoding",
        "expect",
        "te",
        "accept",  # only when the sample does not set it itself
    }
)
# -- expected values -----------------------------------------------------------------------------


def _secret(env: dict[str, str], name: str) -> str:
    return env.get(name, "")


def expected_path(sample: SampleRequest, base_path: str) -> str:
    return base_path.rstrip("/") + sample.path


def expected_query(sample: SampleRequest, env: dict[str, str]) -> list[tuple[str, str]]:
    out = [(str(n), str(v)) for n, v in sample.query]
    out += [(p.name, _secret(env, p.env_var)) for p in sample.auth if p.kind == "api_key_query"]
    return out


def expected_cookies(sample: SampleRequest, env: dict[str, str]) -> list[tuple[str, str]]:
    out = [(str(n), str(v)) for n, v in sample.cookies]
    out += [(p.name, _secret(env, p.env_var)) for p in sample.auth if p.kind == "api_key_cookie"]
    return out


def _auth_header(plan: AuthPlan, env: dict[str, str]) -> tuple[str, str] | None:
    if plan.kind == "api_key_header":
        return (plan.name, plan.prefix + _secret(env, plan.env_var))
    if plan.kind == "basic":
        raw = f"{_secret(env, plan.username_var)}:{_secret(env, plan.password_var)}".encode("utf-8")
        return ("Authorization", "Basic " + base64.b64encode(raw).decode("ascii"))
    if plan.kind == "bearer":
        return ("Authorization", "Bearer " + _secret(env, plan.env_var))
    if plan.kind == "oauth2_client_credentials":
        return ("Authorization", "Bearer " + TOKEN)
    if plan.kind.startswith("oauth2"):  # an access token the user already has
        return ("Authorization", "Bearer " + _secret(env, plan.env_var))
    return None


def expected_headers(sample: SampleRequest, env: dict[str, str]) -> list[tuple[str, str]]:
    """Headers the request must carry, Content-Type excluded (it is checked by body kind)."""
    out = [(str(n), str(v)) for n, v in sample.headers]
    for plan in sample.auth:
        header = _auth_header(plan, env)
        if header is not None:
            out.append(header)
    return out


# -- path ----------------------------------------------------------------------------------------

_PCT = re.compile(r"%([0-9A-Fa-f]{2})")
_KEEP_ENCODED = {"/", "?", "#", "%"}


def normalize_path(path: str) -> str:
    """Decode percent-escapes except those of ``/ ? # %``; upper-case the ones kept.

    Two paths that normalise equal address the same resource for every server we know of;
    ``%2F`` versus ``/`` (and the like) is a real difference and stays one.
    """

    def repl(m: re.Match) -> str:
        ch = chr(int(m.group(1), 16))
        if ch in _KEEP_ENCODED or ord(ch) >= 0x80:
            return "%" + m.group(1).upper()
        return ch

    return _PCT.sub(repl, path)


def _compare_path(expected: str, rec: RecordedRequest) -> list[str]:
    if rec.path == expected:
        return []
    if normalize_path(rec.path) == normalize_path(expected):
        # different but equivalent escaping: also require the fully decoded forms to agree
        if unquote(rec.path) == unquote(expected):
            return []
    return [f"path: expected {_short(expected)} (decoded {_short(unquote(expected))}), got {_short(rec.path)} (decoded {_short(rec.decoded_path)})"]


# -- body ----------------------------------------------------------------------------------------


def _file_expectation(spec: FileSpec, env: dict[str, str]) -> tuple[bytes, set[str]]:
    """(bytes, acceptable filenames) a file upload must carry under ``env``."""
    path = env.get(spec.env_var) if spec.env_var else None
    if path:
        return Path(path).read_bytes(), {spec.filename, os.path.basename(path)}
    return spec.default_content.encode("utf-8"), {spec.filename}


def _check_content_type(expected: str, rec: RecordedRequest) -> list[str]:
    got = rec.header_values("Content-Type")
    if not got:
        return [f"header Content-Type: expected {expected!r}, not sent"]
    if len(got) > 1:
        return [f"header Content-Type sent {len(got)} times: {got!r}"]
    value = got[0]
    if _essence(value) != _essence(expected):
        return [f"header Content-Type: expected {expected!r}, got {value!r}"]
    want = _params(expected)
    have = _params(value)
    for key, val in want.items():
        if have.get(key, "").lower() != val.lower():
            return [f"header Content-Type: expected {expected!r}, got {value!r}"]
    return []


def _compare_body(body: Body | None, rec: RecordedRequest, env: dict[str, str]) -> list[str]:
    if body is None:
        out = []
        if rec.body:
            out.append(f"body: expected none, got {len(rec.body)} bytes: {_short(rec.body[:200].decode('utf-8', 'replace'))}")
        if rec.header_values("Content-Type"):
            out.append(f"header Content-Type: expected none (no body), got {rec.header('Content-Type')!r}")
        return out
    kind = body.kind
    if kind == "json":
        out = _check_content_type(body.media_type, rec)
        try:
            text = rec.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return out + [f"body: not UTF-8 ({exc})"]
        try:
            actual = json.loads(text)
        except ValueError as exc:
            return out + [f"body: not JSON ({exc}): {_short(text)}"]
        dups = _duplicate_keys(text)
        if dups:
            out.append(f"body: duplicate JSON member(s) {sorted(set(dups))!r}")
        return out + [f"body {m}" for m in json_diff(body.json, actual)]
    if kind == "form":
        out = _check_content_type(body.media_type or "application/x-www-form-urlencoded", rec)
        try:
            text = rec.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return out + [f"body: form not UTF-8 ({exc})"]
        got = parse_qsl(text, keep_blank_values=True)
        want = [(f.name, f.value if f.value is not None else "") for f in body.fields]
        if got != want:
            out.append(f"body: form pairs expected {want!r}, got {got!r} (raw {_short(text)})")
        return out
    if kind == "multipart":
        out = []
        ctype = rec.content_type
        if _essence(ctype) != _essence(body.media_type or "multipart/form-data"):
            out.append(f"header Content-Type: expected {body.media_type or 'multipart/form-data'} with a boundary, got {ctype!r}")
        if "boundary" not in _params(ctype):
            out.append(f"header Content-Type: no boundary in {ctype!r}")
        if rec.parts is None:
            return out + [f"body: not a valid multipart body ({rec.multipart_error or 'wrong content type'})"]
        return out + _compare_parts(body, rec, env)
    if kind == "text":
        out = _check_content_type(body.media_type, rec)
        try:
            text = rec.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return out + [f"body: not UTF-8 ({exc})"]
        if text != body.text:
            out.append(f"body: expected text {body.text!r}, got {text!r}"[: 2 * _MAX_SHOWN])
        return out
    if kind == "binary":
        out = _check_content_type(body.media_type, rec)
        if body.file is not None:
            want, _ = _file_expectation(body.file, env)
        else:
            want = body.text.encode("utf-8")
        if rec.body != want:
            out.append(f"body: expected {len(want)} bytes {_short(want[:200])}, got {len(rec.body)} bytes {_short(rec.body[:200])}")
        return out
    return [f"body: unknown body kind {kind!r} in the model"]


def _compare_parts(body: Body, rec: RecordedRequest, env: dict[str, str]) -> list[str]:
    out: list[str] = []
    parts = rec.parts or []
    names_got = [p.name for p in parts]
    names_want = [f.name for f in body.fields]
    if names_got != names_want:
        out.append(f"multipart: expected parts {names_want!r} in this order, got {names_got!r}")
        if sorted(map(str, names_got)) != sorted(map(str, names_want)):
            return out
        by_name: dict[str, list] = {}
        for p in parts:
            by_name.setdefault(str(p.name), []).append(p)
        parts = [by_name[str(f.name)].pop(0) for f in body.fields]
    for field, part in zip(body.fields, parts):
        label = f"multipart part {field.name!r}"
        if field.file is not None:
            want, filenames = _file_expectation(field.file, env)
            if part.filename is None:
                out.append(f"{label}: expected filename {field.file.filename!r}, sent without a filename")
            elif part.filename not in filenames:
                out.append(f"{label}: expected filename {field.file.filename!r}, got {part.filename!r}")
            want_type = field.content_type or field.file.content_type
        else:
            want = (field.value or "").encode("utf-8")
            if part.filename is not None:
                out.append(f"{label}: a text field, sent as a file (filename {part.filename!r})")
            want_type = field.content_type
        if want_type and _essence(part.content_type) != _essence(want_type):
            out.append(f"{label}: expected Content-Type {want_type!r}, got {part.content_type!r}")
        if part.data != want:
            out.append(f"{label}: expected {len(want)} bytes {_short(want[:200])}, got {len(part.data)} bytes {_short(part.data[:200])}")
    return out


# -- headers, cookies ----------------------------------------------------------------------------


def _compare_headers(sample: SampleRequest, rec: RecordedRequest, env: dict[str, str],
                     client_headers: Mapping[str, Iterable[str]] | None = None) -> list[str]:
    out: list[str] = []
    want = expected_headers(sample, env)
    grouped: dict[str, list[tuple[str, str]]] = {}
    for name, value in want:
        grouped.setdefault(name.lower(), []).append((name, value))
    for lower, items in grouped.items():
        got = rec.header_values(lower)
        values = [v for _, v in items]
        name = items[0][0]
        if not got:
            out.append(f"header {name}: expected {_short(', '.join(values))!r}, not sent")
        elif got != values and ", ".join(got) != ", ".join(values):
            out.append(f"header {name}: expected {_short(', '.join(values))!r}, got {_short(', '.join(got))!r}")
    expected_names = set(grouped) | {"content-type", "cookie"}
    sent = {name.lower() for name, _ in rec.headers}
    # what the sample's own HTTP client adds by itself (its language's toolchain says which,
    # and on which requests: e.g. the Fetch standard's Cache-Control on a conditional one)
    added = {name for name, when in (client_headers or {}).items() if not when or sent & set(when)}
    for name, value in rec.headers:
        lower = name.lower()
        if lower in expected_names or lower in ALLOWED_EXTRA or (lower in added and lower not in grouped):
            continue
        out.append(f"header {name}: not expected, got {_short(value)!r}")
    return out


def _compare_cookies(sample: SampleRequest, rec: RecordedRequest, env: dict[str, str]) -> list[str]:
    want = expected_cookies(sample, env)
    headers = rec.header_values("Cookie")
    if not want:
        return [f"header Cookie: not expected, got {_short(', '.join(headers))!r}"] if headers else []
    out = []
    if len(headers) > 1:
        out.append(f"header Cookie: sent {len(headers)} times (one header expected): {headers!r}")
    got = list(rec.cookies)

    def matches(g: tuple[str, str], w: tuple[str, str]) -> bool:
        return g[0] == w[0] and (g[1] == w[1] or unquote(g[1]) == w[1])

    remaining = list(got)
    missing = []
    for w in want:
        for i, g in enumerate(remaining):
            if matches(g, w):
                del remaining[i]
                break
        else:
            missing.append(w)
    if missing or remaining:
        out.append(f"cookies: expected {want!r}, got {got!r}")
    return out


# -- token requests ------------------------------------------------------------------------------


def _token_paths(sample: SampleRequest, env: dict[str, str]) -> set[str]:
    paths = set()
    for plan in sample.auth:
        if plan.kind == "oauth2_client_credentials":
            url = env.get(plan.token_url_var) or plan.token_url
            if url:
                paths.add(urlsplit(url).path or "/")
    return paths


def split_token_requests(
    sample: SampleRequest, recorded: Iterable[RecordedRequest], env: dict[str, str]
) -> tuple[list[RecordedRequest], list[RecordedRequest]]:
    """(token requests, API requests) among the recordings of one run."""
    paths = _token_paths(sample, env)
    token, api = [], []
    for rec in recorded:
        (token if rec.path in paths else api).append(rec)
    return token, api


def compare_token_request(plan: AuthPlan, rec: RecordedRequest, env: dict[str, str]) -> list[str]:
    """An oauth2 client-credentials token request: POST, form grant_type, client via basic auth."""
    out: list[str] = []
    label = "token request"
    if rec.method != "POST":
        out.append(f"{label}: expected POST, got {rec.method}")
    if _essence(rec.content_type) != "application/x-www-form-urlencoded":
        out.append(f"{label}: expected Content-Type application/x-www-form-urlencoded, got {rec.content_type!r}")
    form = parse_qsl(rec.body.decode("utf-8", "replace"), keep_blank_values=True)
    keys = [k for k, _ in form]
    if ("grant_type", "client_credentials") not in form:
        out.append(f"{label}: expected grant_type=client_credentials in the form, got {form!r}")
    extra = [k for k in keys if k not in ("grant_type", "scope")]
    if extra:
        out.append(f"{label}: unexpected form fields {extra!r}")
    raw = f"{env.get(plan.client_id_var, '')}:{env.get(plan.client_secret_var, '')}".encode("utf-8")
    want_auth = "Basic " + base64.b64encode(raw).decode("ascii")
    got_auth = rec.header("Authorization")
    if got_auth != want_auth:
        out.append(f"{label}: expected Authorization {want_auth!r} (client id and secret), got {got_auth!r}")
    return out


# -- the comparison ------------------------------------------------------------------------------


def compare(
    sample: SampleRequest,
    recorded: RecordedRequest | Iterable[RecordedRequest],
    env: dict[str, str],
    base_path: str = "",
    client_headers: Mapping[str, Iterable[str]] | None = None,
) -> list[str]:
    """Mismatches between the SampleRequest and what was recorded (empty list: equal).

    ``recorded`` is one request or every request of one run (a client-credentials sample
    first asks the token endpoint named by ``API_TOKEN_URL``; that request is checked too).
    ``base_path`` is the path part of the ``API_BASE_URL`` the sample ran with.
    ``client_headers``: the headers the sample's HTTP client adds by itself (its language's
    ``toolchain.client_headers``), allowed as extra headers.
    """
    recs = [recorded] if isinstance(recorded, RecordedRequest) else list(recorded)
    out: list[str] = []
    token_recs, api_recs = split_token_requests(sample, recs, env)
    plans = [p for p in sample.auth if p.kind == "oauth2_client_credentials"]
    if plans:
        if not token_recs:
            out.append("token request: none arrived at the token URL (API_TOKEN_URL)")
        elif len(token_recs) > len(plans):
            out.append(f"token request: {len(token_recs)} arrived, expected {len(plans)}")
        for plan, rec in zip(plans, token_recs):
            out += compare_token_request(plan, rec, env)
    if not api_recs:
        return out + ["no request arrived"]
    if len(api_recs) > 1:
        shown = "; ".join(f"{r.method} {r.target}" for r in api_recs)
        out.append(f"{len(api_recs)} requests arrived, expected 1: {shown}")
    rec = api_recs[0]
    if rec.method.upper() != sample.method.upper():
        out.append(f"method: expected {sample.method.upper()}, got {rec.method}")
    out += _compare_path(expected_path(sample, urlsplit(base_path).path if "://" in base_path else base_path), rec)
    want_query = expected_query(sample, env)
    if rec.query != want_query:
        out.append(f"query: expected {want_query!r}, got {rec.query!r} (raw {_short(rec.raw_query)!r})")
    out += _compare_headers(sample, rec, env, client_headers)
    out += _compare_cookies(sample, rec, env)
    out += _compare_body(sample.body, rec, env)
    out += [f"request: {e}" for e in rec.errors if "without '='" not in e]
    return out


