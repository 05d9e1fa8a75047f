"""JavaScript: a Node.js 18+ ES module (``.mjs``) that sends the request with the built-in
``fetch`` and needs nothing from npm.

Every string from the definition is a double-quoted literal in which quotes, backslashes,
line terminators (U+2028/2029 included), controls, format characters and lone surrogates are
escaped. A JSON body is written as a JavaScript value given to ``JSON.stringify``, or as its
JSON text when a number in it would lose digits as a JavaScript number.

Node's ``fetch`` (undici) follows the Fetch standard: it adds ``Accept-Language: *`` and
``Sec-Fetch-Mode: cors`` to every request, and ``Cache-Control``/``Pragma: no-cache`` to a
conditional one (``CLIENT_HEADERS``, which the recorder comparison allows); it cannot send
``TRACE`` (generation refuses such an operation).
"""
from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jinja2

from ..errors import SpecError
from . import EscapingDriver, Language, Outcome, Safety, Toolchain, python
from .text import make_comment, one_line, workflow_filters

# -- filters -----------------------------------------------------------------------------------

_SIMPLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f",
           "\v": "\\v"}


def _escape(ch: str) -> str:
    if ch in _SIMPLE:
        return _SIMPLE[ch]
    code = ord(ch)
    if 0x20 <= code < 0x7F:
        return ch
    if ch.isprintable() and code not in (0x2028, 0x2029) and not 0xD800 <= code <= 0xDFFF:
        return ch
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\u{{{code:x}}}"


def js_string(value: Any) -> str:
    """A double-quoted JavaScript string literal no character can end or make read otherwise."""
    text = value if isinstance(value, str) else str(value)
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return '"' + "".join(_escape(ch) for ch in text) + '"'


_UPPER = re.compile(r"[A-Z][A-Z0-9_]*")


def js_constant(name: str) -> str:
    """A module-level constant for one of the values to change (the model's UPPER_SNAKE name,
    checked; no JavaScript reserved word or global is all upper case)."""
    if not _UPPER.fullmatch(name):
        raise ValueError(f"not an UPPER_SNAKE name: {name!r}")
    return name


def js_var(env_name: str) -> str:
    """The local variable holding an environment variable's value: API_CLIENT_ID -> apiClientId
    (every one starts with ``api``, which none of the template's own names does)."""
    if not _UPPER.fullmatch(env_name):
        raise ValueError(f"not an UPPER_SNAKE name: {env_name!r}")
    words = [w for w in env_name.lower().split("_") if w]
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


MAX_SAFE = 2**53 - 1


def _safe_numbers(value: Any) -> bool:
    """Whether every number of a JSON value keeps its exact value as a JavaScript number."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True
    if isinstance(value, int):
        return -MAX_SAFE <= value <= MAX_SAFE
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_safe_numbers(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_safe_numbers(v) for v in value)
    return True


def _key(name: Any) -> str:
    # {"__proto__": x} would set the prototype, not make a member: a computed key makes one
    return f"[{js_string(name)}]" if name == "__proto__" else js_string(name)


def js_value(value: Any, indent: int = 0, step: int = 2) -> str:
    """A JSON value as a JavaScript literal, pretty-printed; ``indent`` is the current column."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)
    if isinstance(value, str):
        return js_string(value)
    inner, close = " " * (indent + step), " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_key(k)}: {js_value(v, indent + step, step)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + "\n" + close + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [f"{inner}{js_value(v, indent + step, step)}," for v in value]
        return "[\n" + "\n".join(items) + "\n" + close + "]"
    return js_string(str(value))


def js_json_text(value: Any, indent: int = 0) -> str:
    """An expression giving the JSON text of a body: ``JSON.stringify(<literal>)``, or the text
    itself as a string literal when a number would lose digits as a JavaScript number."""
    if _safe_numbers(value):
        return f"JSON.stringify({js_value(value, indent)})"
    return js_string(json.dumps(value, ensure_ascii=False))


@jinja2.pass_context
def fetch_method(context, method: str) -> str:
    """The method as a literal for fetch(); Node's fetch refuses TRACE (and CONNECT, TRACK),
    so such an operation cannot have a JavaScript sample: generation stops, naming it."""
    upper = str(method).upper()
    if upper in ("TRACE", "TRACK", "CONNECT"):
        op, api = context.get("op"), context.get("api")
        where = f"{api.source}#{op.location}" if op is not None and api is not None and op.location else ""
        raise SpecError(f"Node's fetch cannot send the {upper} method: the javascript target has no sample "
                        f"for operation {getattr(op, 'id', '?')!r} (name the other operations with --operation, "
                        "or choose another --target)", where)
    return js_string(upper)


_WF_NAMES = {"ref": "wfRef", "concat": "wfConcat", "compare": "wfCompare", "all_of": "wfAllOf", "any_of": "wfAnyOf",
             "not_of": "wfNotOf", "matches": "wfMatches", "any_child": "wfAnyChild"}


FILTERS = {
    **workflow_filters(js_value, lambda name, args: f"{_WF_NAMES[name]}({', '.join(args)})", "true"),
    "var": js_var,
    "input_var": js_constant,
    "lit": js_string,
    "value": js_value,
    "json_text": js_json_text,
    "fetch_method": fetch_method,
    "comment": make_comment("// "),
    "one_line": one_line,
}

# -- toolchain ---------------------------------------------------------------------------------

MIN_NODE = 18


def node_major() -> int | None:
    """The major version of the ``node`` on PATH (None: none, or it does not answer)."""
    node = shutil.which("node")
    if node is None:
        return None
    try:
        out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.match(r"v(\d+)", out.strip())
    return int(m.group(1)) if m else None


def missing() -> list[str]:
    major = node_major()
    if major is None:
        return ["node"]
    return [f"node >= {MIN_NODE} (found {major})"] if major < MIN_NODE else []


def command(file: Path) -> list[str]:
    return ["node", str(file)]


# Parses every module named on the command line (nothing runs): vm.SourceTextModule where
# this node has it (one process for all), else `node --check` per file.
_CHECK = r"""
const { readFileSync } = require("node:fs");
const { execFileSync } = require("node:child_process");
const vm = require("node:vm");
let failed = 0;
for (const file of process.argv.slice(1)) {
  try {
    if (vm.SourceTextModule) new vm.SourceTextModule(readFileSync(file, "utf8"), { identifier: file });
    else execFileSync(process.execPath, ["--check", file], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (error) {
    failed += 1;
    console.error(`${file}: ${String(error.stderr || error.message || error).trim()}`);
  }
}
process.exitCode = failed ? 1 : 0;
"""


def check(files: list[Path], workdir: Path) -> str:
    from ..verify.runners import base_env, run_process

    res = run_process(["node", "--experimental-vm-modules", "--no-warnings", "-e", _CHECK, *map(str, files)],
                      base_env(), timeout=300, cwd=workdir)
    return "" if res.returncode == 0 else (res.stderr + res.stdout).strip()


def check_text(text: str) -> str:
    """A static check (no node): JavaScript ends a line, and so a // comment, at CR, U+2028
    and U+2029 too, so none of them may stand raw in a file (literals and comments escape them;
    node parses every file in the compile tier)."""
    for ch, name in (("\r", "CR"), ("\u2028", "U+2028"), ("\u2029", "U+2029")):
        if ch in text:
            line = text.count("\n", 0, text.index(ch)) + 1
            return f"a raw {name} on line {line} would end a line where the template did not"
    return ""


# Headers Node's fetch adds by itself (the Fetch standard), beyond those any HTTP library adds:
# name -> the request headers that make it add it (empty: every request).
_CONDITIONAL = ("if-modified-since", "if-none-match", "if-unmodified-since", "if-match", "if-range")
CLIENT_HEADERS = {
    "accept-language": (),  # "*", unless the sample sets it
    "sec-fetch-mode": (),  # "cors"
    "cache-control": _CONDITIONAL,  # "no-cache" on a conditional request
    "pragma": _CONDITIONAL,
}

# -- the escaping driver -------------------------------------------------------------------------

# Imports every sample of a batch in ONE node process, each with its own exit code and captured
# stderr; also evaluates the DEFAULT_BASE_URL literal as JavaScript reads it. A sample awaits
# main() at its top level, so import() returns once it is done.
_DRIVER = r"""
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const files = JSON.parse(readFileSync(process.argv[2], "utf8"));
const results = {};
const write = { out: process.stdout.write, err: process.stderr.write };
const log = { log: console.log, error: console.error };
for (const file of files) {
  let stderr = "";
  process.exitCode = undefined;
  process.stdout.write = () => true;
  process.stderr.write = (chunk) => { stderr += String(chunk); return true; };
  console.log = () => {};
  console.error = (...args) => { stderr += args.join(" ") + "\n"; };
  let code;
  let base = null;
  const found = /^const DEFAULT_BASE_URL = (.*);$/m.exec(readFileSync(file, "utf8"));
  if (found) base = (0, eval)(found[1]);
  try {
    await import(pathToFileURL(file).href);
    code = process.exitCode ?? 0;
  } catch (error) {
    stderr += String((error && error.stack) || error);
    code = 70;
  }
  process.stdout.write = write.out;
  process.stderr.write = write.err;
  console.log = log.log;
  console.error = log.error;
  const shown = stderr.length < 1500 ? stderr : stderr.slice(0, 700) + " ... " + stderr.slice(-700);
  results[file] = { code, base, stderr: shown };
}
process.exitCode = 0;
writeFileSync(process.argv[3], JSON.stringify(results));
"""


def run_batch(files: list[Path], env: dict[str, str], work: Path) -> dict[Path, Outcome]:
    from ..verify.runners import run_process

    driver, listing, out = work / "driver.mjs", work / "js-files.json", work / "js-results.json"
    driver.write_text(_DRIVER, encoding="utf-8")
    listing.write_text(json.dumps([str(f) for f in files]), encoding="utf-8")
    res = run_process(["node", str(driver), str(listing), str(out)], env, timeout=600, cwd=work)
    if res.returncode != 0 or not out.exists():
        raise AssertionError(res.tail())
    data = json.loads(out.read_text(encoding="utf-8"))
    return {f: Outcome(code=data[str(f)]["code"], base_url=data[str(f)]["base"], error=data[str(f)]["stderr"])
            for f in files}


# -- safety ------------------------------------------------------------------------------------


def timeout_problems(text: str, code: str) -> list[str]:
    """Every fetch() call carries ``signal: AbortSignal.timeout(...)``; no other HTTP client."""
    calls = [m.start() for m in re.finditer(r"\bfetch\(", code)]
    problems = [] if calls else ["no fetch call"]
    for at in calls:
        end = code.find("});", at)  # the end of the call's options
        call = code[at:end if end > 0 else len(code)]
        if not re.search(r"\bsignal:\s*AbortSignal\.timeout\(\s*TIMEOUT_SECONDS\s*\*\s*1000\s*\)", call):
            problems.append(f"a fetch call without signal: AbortSignal.timeout(...): {call[:60]!r}")
    if re.search(r"""\b(require|import)\b[^\n]*["'](node:)?(https?|net|tls|http2|undici)["']|\bXMLHttpRequest\b""",
                 code):
        problems.append("a second HTTP client")
    return problems


LANGUAGE = Language(
    name="javascript", label="JavaScript", description="Node.js 18+ with the built-in fetch",
    folder="javascript", info_string="javascript", filters=FILTERS, comment_prefix="//", assignment="const {} = ",
    per_operation=lambda op: [("program.mjs.j2", f"javascript/{op.snake}.mjs")],
    snippet="snippet.mjs.j2", script_snippet=True,
    workflow="workflow.mjs.j2",
    workflow_files=lambda wf: [("workflow.mjs.j2", f"javascript/{wf.snake}.mjs")],
    run_hint="node javascript/<name>.mjs",
    toolchain=Toolchain(
        packages={"node": "nodejs"}, install="apt-get install -y --no-install-recommends nodejs",
        command=command, check=check, missing=missing, apt=("nodejs",),
        probe=f"node -e 'process.exit(Number(process.versions.node.split(\".\")[0]) >= {MIN_NODE} ? 0 : 1)'",
        client_headers=CLIENT_HEADERS,
    ),
    safety=Safety(
        timeout_problems=timeout_problems,
        tls_off=(r"NODE_TLS_REJECT_UNAUTHORIZED", r"rejectUnauthorized", r"checkServerIdentity",
                 r"NODE_EXTRA_CA_CERTS", r"\binsecure\b"),
        reads_env=(r'process\.env\["{name}"\]', r"process\.env\.{name}\b"), local=js_var,
        program_start="async function main(", sends=r"\bfetch\(|fetchToken\(", exits_2=r"\breturn 2;|return missing\(",
        mutations=(("tls", "signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),",
                    "signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),\n"
                    "      dispatcher: new Agent({ connect: { rejectUnauthorized: false } }),"),
                   ("timeout", "      signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),\n", ""),
                   ("secret", 'process.env["API_KEY"]', '"k"'),
                   ("order", 'const apiKey = process.env["API_KEY"];', 'const apiKey = process.env["API_KEY_X"];')),
    ),
    escaping=EscapingDriver(run_batch=run_batch, check_text=check_text, known_faults=(python.DOT_SEGMENTS,)),
)
