"""Python with requests: literal filters (strings, JSON values as Python literals, comments),
toolchain, safety patterns and the escaping driver (python-urllib uses the same ones)."""
from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

from . import EscapingDriver, KnownFault, Language, Outcome, Safety, Toolchain
from .text import make_comment, one_line, workflow_filters

_SIMPLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}


def py_string(value: Any) -> str:
    """A double-quoted Python literal; anything not printable is escaped."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # nothing to escape
    out = ['"']
    for ch in text:
        if ch in _SIMPLE:
            out.append(_SIMPLE[ch])
        elif ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            if code <= 0xFF:
                out.append(f"\\x{code:02x}")
            elif code <= 0xFFFF:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def py_value(value: Any, indent: int = 0, step: int = 4) -> str:
    """A JSON value as a Python literal, pretty-printed; ``indent`` is the current column."""
    if value is None:
        return "None"
    if value is True:
        return "True"
    if value is False:
        return "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return py_string(value)
    inner = " " * (indent + step)
    close = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{py_string(k)}: {py_value(v, indent + step, step)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + "\n" + close + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [f"{inner}{py_value(v, indent + step, step)}," for v in value]
        return "[\n" + "\n".join(items) + "\n" + close + "]"
    return py_string(str(value))


_CONSTANT = re.compile(r"[A-Z][A-Z0-9_]*")


def py_constant(name: str) -> str:
    """A module-level name for one of the sample's values to change (an UPPER_SNAKE name
    from the model, checked)."""
    if not _CONSTANT.fullmatch(name):
        raise ValueError(f"not an UPPER_SNAKE name: {name!r}")
    return name


FILTERS = {
    **workflow_filters(py_value, lambda name, args: f"{name}({', '.join(args)})", "True"),
    "var": str.lower,
    "input_var": py_constant,
    "lit": py_string,
    "value": py_value,
    "comment": make_comment("# "),
    "one_line": one_line,
}


# -- toolchain and the escaping driver (shared with python-urllib) -------------------------------

def command(file: Path) -> list[str]:
    return [sys.executable, str(file)]


def check(files: list[Path], workdir: Path) -> str:
    """Byte-compile every file (nothing runs)."""
    import py_compile

    errors = []
    for f in files:
        try:
            py_compile.compile(str(f), doraise=True, cfile=str(Path(workdir) / (f.name + "c")))
        except py_compile.PyCompileError as exc:
            errors.append(str(exc))
    return "\n".join(errors)


_PY_DRIVER = r'''
import contextlib, io, json, runpy, sys
results = {}
for path in json.load(open(sys.argv[1], encoding="utf-8")):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_path(path, run_name="__main__")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException as exc:  # a crash of the sample
            err.write(repr(exc))
            code = 70
    text = err.getvalue()
    results[path] = {"code": code, "stderr": text if len(text) < 1500 else text[:700] + " ... " + text[-700:]}
json.dump(results, open(sys.argv[2], "w", encoding="utf-8"))
'''


def run_batch(files: list[Path], env: dict[str, str], work: Path) -> dict[Path, Outcome]:
    """Every Python sample of a batch in ONE interpreter (runpy, exit codes caught): the
    samples are the same programs, the interpreter's start-up is paid once."""
    from ..verify.runners import run_process

    driver, listing, out = work / "driver.py", work / "py-files.json", work / "py-results.json"
    driver.write_text(_PY_DRIVER, encoding="utf-8")
    listing.write_text(json.dumps([str(f) for f in files]), encoding="utf-8")
    res = run_process([sys.executable, str(driver), str(listing), str(out)], env, timeout=600, cwd=work)
    if res.returncode != 0 or not out.exists():
        raise AssertionError(res.tail())
    data = json.loads(out.read_text(encoding="utf-8"))
    return {f: Outcome(code=data[str(f)]["code"], error=data[str(f)]["stderr"]) for f in files}


HEAD = ["#!/usr/bin/env python3", "# -*- coding: utf-8 -*-"]


def check_text(text: str) -> str:
    """Lines 1-2 are the fixed coding lines (PEP 263 reads them only there); the file compiles."""
    if text.split("\n")[:2] != HEAD:
        return "lines 1-2 must be the fixed coding lines"
    try:
        compile(text, "<sample>", "exec")
    except SyntaxError as exc:
        return f"does not compile: {exc}"
    return ""


def base_url(text: str) -> str | None:
    """The second argument of ``BASE_URL = os.environ.get("API_BASE_URL", <literal>)``."""
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "BASE_URL":
            return ast.literal_eval(node.value.args[1])
    return None


def known_issue(placement: str, s: str, message: str) -> str | None:
    if (s[:1] in (" ", "\t") or s[-1:] in (" ", "\t")) and placement in ("run", "request") and (
            "leading whitespace" in message or "0 requests" in message):
        return "header/cookie value with leading or trailing whitespace (normalize.py)"
    return None


def calls(text: str, wanted) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Call) and wanted(node.func)]


_REQUESTS_CALLS = {"get", "post", "put", "patch", "delete", "head", "options", "request"}


def timeout_problems(text: str, code: str) -> list[str]:
    found = calls(text, lambda f: isinstance(f, ast.Attribute) and f.attr in _REQUESTS_CALLS
                  and isinstance(f.value, ast.Name) and f.value.id == "requests")
    problems = [] if found else ["no requests call"]
    problems += [f"{c.lineno}: requests call without timeout="
                 for c in found if not any(k.arg == "timeout" for k in c.keywords)]
    if "urlopen" in code or "http.client" in code:
        problems.append("a second HTTP client")
    return problems


TLS_OFF = (r"verify\s*=\s*(False|0)\b", r"_create_unverified_context", r"CERT_NONE", r"check_hostname\s*=\s*False",
           r"PYTHONHTTPSVERIFY", r"(REQUESTS|CURL)_CA_BUNDLE", r"\binsecure\b")
READS_ENV = (r'require\("{name}"\)', r'os\.environ\["{name}"\]', r'os\.environ\.get\("{name}"', r'os\.getenv\("{name}"')


def _missing() -> list[str]:
    return [] if importlib.util.find_spec("requests") is not None else ["requests (pip install requests)"]


DOT_SEGMENTS = KnownFault("path_value", "..", "serialize.path_segment leaves '.' and '..' literal: the client removes dot "
                                  "segments (RFC 3986 5.2.4), so /p/.. is sent as /")


LANGUAGE = Language(
    name="python", label="Python", description="Python 3.9+ with requests", folder="python",
    info_string="python", filters=FILTERS, default=True,
    per_operation=lambda op: [("program.py.j2", f"python/{op.snake}.py")],
    snippet="snippet.py.j2", script_snippet=True,
    workflow="workflow.py.j2",
    workflow_files=lambda wf: [("workflow.py.j2", f"python/{wf.snake}.py")],
    shared=(("requirements.txt.j2", "python/requirements.txt"),),
    run_hint="pip install -r python/requirements.txt && python python/<name>.py",
    toolchain=Toolchain(command=command, check=check, missing=_missing, install="pip install requests"),
    safety=Safety(
        timeout_problems=timeout_problems, tls_off=TLS_OFF, reads_env=READS_ENV, local=str.lower,
        program_start="def main(", sends=r"requests\.\w+\(|fetch_token\(", exits_2=r"exit\(2\)",
        mutations=(("tls", "timeout=TIMEOUT_SECONDS,", "timeout=TIMEOUT_SECONDS, verify=False,"),
                   ("timeout", "timeout=TIMEOUT_SECONDS,", ""),
                   ("secret", 'require("API_KEY")', '"live-key-123"'),
                   ("order", 'require("API_KEY")', 'os.environ.get("API_KEY_X")')),
    ),
    escaping=EscapingDriver(run_batch=run_batch, check_text=check_text, base_url=base_url, known_issue=known_issue,
                            known_faults=(DOT_SEGMENTS,)),
)
