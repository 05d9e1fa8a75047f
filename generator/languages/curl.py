"""curl: a POSIX ``sh`` script that sends the request with curl (no bash, jq or Python needed:
``od``, ``awk`` and ``sed`` as POSIX has them, ``mktemp``).

Every string from the definition is written in single quotes (a ``'`` as ``'\\''``), the one
quoting in which the shell expands nothing. A shell string cannot hold NUL: a NUL where the
script needs a literal is refused (SpecError), as R refuses it.
"""
from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from ..errors import SpecError
from . import EscapingDriver, KnownFault, Language, Safety, Toolchain
from .text import make_comment, one_line, workflow_filters


def _excerpt(text: str, limit: int = 60) -> str:
    shown = text if len(text) <= limit else text[:limit] + "..."
    return json.dumps(shown, ensure_ascii=True)


def sh_string(value: Any) -> str:
    """A single-quoted shell word holding ``value`` exactly."""
    text = value if isinstance(value, str) else str(value)
    if "\0" in text:
        raise SpecError("shell strings cannot contain the NUL character (U+0000); the curl target "
                        f"cannot send the value {_excerpt(text)}")
    return "'" + text.replace("'", "'\\''") + "'"


def sh_json(value: Any, indent: int = 0) -> str:
    """JSON text as a single-quoted shell word (ASCII only; line breaks kept for reading)."""
    text = json.dumps(value, indent=2, ensure_ascii=True).replace("\n", "\n" + " " * indent)
    return sh_string(text)


def url_part(value: Any) -> str:
    """Percent-encoded as a query name or value: every byte but A-Z a-z 0-9 - . _ ~ (the same
    as the script's urlencode function does at run time)."""
    return quote(value if isinstance(value, str) else str(value), safe="")


def form_body(fields: list) -> str:
    """An application/x-www-form-urlencoded body (the pairs, in order), as a shell word."""
    return sh_string(urlencode([(f.name, f.value or "") for f in fields]))


def data_arg(text: str) -> str:
    """The curl option that sends ``text`` exactly as the body: --data-binary, or --data-raw
    when the text starts with @ (which --data-binary reads as a file name)."""
    return ("--data-raw " if text.startswith("@") else "--data-binary ") + sh_string(text)


def header_arg(name: str, value: str) -> str:
    """-H for a literal header; an empty value needs 'Name;' (curl drops 'Name:')."""
    return sh_string(f"{name};" if value == "" else f"{name}: {value}")


def form_quoted(value: str) -> str:
    """A value in double quotes as curl's --form syntax reads it (a value, type="..."):
    backslash and double quote escaped. Not yet a shell word (see form_name)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def form_name(name: str, rest: str = "") -> str:
    """``name=rest`` as one shell word, for --form / --form-string: curl reads the part name
    up to the first '=', so a name holding one cannot be sent."""
    if "=" in name:
        raise SpecError(f"curl's --form cannot send a part whose name holds '=': {_excerpt(name)}")
    return sh_string(name + "=" + rest)


_CONSTANT = re.compile(r"[A-Z][A-Z0-9_]*")
# names the shell or curl give a meaning to: an input variable never takes one of them
_SHELL_NAMES = {"PATH", "HOME", "IFS", "PS1", "PS2", "PS4", "PWD", "OLDPWD", "ENV", "CDPATH", "MAIL", "MAILPATH",
                "MAILCHECK", "LANG", "LINENO", "PPID", "OPTIND", "OPTARG", "TMPDIR", "SHELL", "TERM", "USER",
                "LOGNAME", "HOSTNAME", "TZ", "NLSPATH", "HISTFILE", "HISTSIZE", "FCEDIT", "BASE_URL",
                "TIMEOUT_SECONDS", "SSL_CERT_FILE", "SSL_CERT_DIR", "NO_PROXY", "ALL_PROXY", "HTTPS_PROXY", "HTTP_PROXY"}


def sh_var(name: str) -> str:
    """A shell variable for one of the values to change: the model's UPPER_SNAKE name, with
    ``_VALUE`` appended when the shell, curl or the sample's environment already use it."""
    if not _CONSTANT.fullmatch(name):
        raise ValueError(f"not an UPPER_SNAKE name: {name!r}")
    if name in _SHELL_NAMES or name.startswith(("LC_", "CURL", "API_")):
        return name + "_VALUE"
    return name


def method_args(method: str) -> str:
    """HEAD is --head (--request HEAD would wait for a body); every other method --request."""
    return "--head" if method.upper() == "HEAD" else "--request " + sh_string(method.upper())


def awk_string(value: Any) -> str:
    """An awk string literal that may stand inside a single-quoted shell word: quote, backslash,
    control characters, the single quote and every byte past ASCII written as escapes."""
    text = value if isinstance(value, str) else str(value)
    if "\0" in text:
        raise ValueError("an awk string cannot hold NUL")
    out = ['"']
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7F and ch != "'":
            out.append(ch)
        else:
            out.append(f"\\{byte:03o}")
    out.append('"')
    return "".join(out)


def awk_json(value: Any) -> str:
    """A JSON value as the awk literal of its JSON text (a workflow program's values are JSON)."""
    return awk_string(json.dumps(value, ensure_ascii=False, separators=(",", ":")))


FILTERS = {
    **workflow_filters(awk_json, lambda name, args: f"{name}({', '.join(args)})", '"true"', context='""'),
    "awk": awk_string,
    "awk_json": awk_json,
    "var": sh_var,
    "input_var": sh_var,
    "lit": sh_string,
    "json_lit": sh_json,
    "url_part": url_part,
    "form_body": form_body,
    "data_arg": data_arg,
    "header_arg": header_arg,
    "form_quoted": form_quoted,
    "form_name": form_name,
    "method_args": method_args,
    "comment": make_comment("# "),
    "one_line": one_line,
}


# -- toolchain ---------------------------------------------------------------------------------------

def command(file: Path) -> list[str]:
    return ["sh", str(file)]


def check(files: list[Path], workdir: Path) -> str:
    """``sh -n``: every script parses (nothing runs)."""
    errors = []
    for f in files:
        res = subprocess.run(["sh", "-n", str(f)], capture_output=True, text=True, timeout=60)
        if res.returncode != 0:
            errors.append(f"{f}: {res.stderr.strip()}")
    return "\n".join(errors)


def check_text(text: str) -> str:
    res = subprocess.run(["sh", "-n"], input=text.encode("utf-8"), capture_output=True, timeout=60)
    return "" if res.returncode == 0 else "does not parse: " + res.stderr.decode("utf-8", "replace").strip()


_BASE_URL = re.compile(r"^BASE_URL=((?:'[^']*'|\\')+)$", re.M)


def base_url(text: str) -> str | None:
    """The default server of ``BASE_URL='...'`` (None when the script builds it otherwise)."""
    m = _BASE_URL.search(text)
    if m is None:
        return None
    words = shlex.split(m.group(1), posix=True)
    return words[0] if words else ""


# -- safety ------------------------------------------------------------------------------------------

def _commands(code: str) -> list[str]:
    """Logical command lines: a line ending with a backslash continues on the next."""
    return re.sub(r"\\\n", " ", code).split("\n")


def timeout_problems(text: str, code: str) -> list[str]:
    calls = [c for c in _commands(code) if re.search(r"(^|[\s($|])curl\s", c)]
    problems = [] if calls else ["no curl call"]
    problems += [f"curl call without --max-time: {c.strip()[:80]}" for c in calls if "--max-time" not in c]
    if re.search(r"--max-time\s+['\"]?0['\"]?\s", code):
        problems.append("a timeout of 0 (none)")
    if re.search(r"\b(wget|nc|python3?|perl)\b", code):
        problems.append("a second HTTP client")
    return problems


def _missing() -> list[str]:
    return [t for t in ("curl", "sh", "od", "awk", "sed", "mktemp") if shutil.which(t) is None]


LANGUAGE = Language(
    name="curl", label="Shell", description="POSIX sh with curl", folder="curl", info_string="sh",
    filters=FILTERS, assignment="{}=",
    per_operation=lambda op: [("program.sh.j2", f"curl/{op.snake}.sh")],
    snippet="snippet.sh.j2", script_snippet=True,
    run_hint="sh curl/<name>.sh",
    toolchain=Toolchain(
        packages={"curl": "curl"}, install="apt-get install -y --no-install-recommends curl",
        command=command, check=check, missing=_missing, apt=("curl",), probe="command -v curl",
    ),
    safety=Safety(
        timeout_problems=timeout_problems,
        tls_off=(r"(^|\s)-k\b", r"--insecure", r"--proxy-insecure", r"CURL_CA_BUNDLE", r"--cacert\s+/dev/null"),
        reads_env=(r"\$\{?{name}\b",), local=lambda name: name,
        program_start="", sends=r"\bcurl\s", exits_2=r"\bexit 2\b",
        mutations=(("tls", "--max-time \"$TIMEOUT_SECONDS\"", "--insecure --max-time \"$TIMEOUT_SECONDS\""),
                   ("timeout", " --max-time \"$TIMEOUT_SECONDS\"", "")),
    ),
    workflow="workflow.sh.j2",
    workflow_files=lambda wf: [("workflow.sh.j2", f"curl/{wf.snake}.sh")],
    escaping=EscapingDriver(check_text=check_text, base_url=base_url, no_nul=True, part_name_refuses="=", known_faults=(
        KnownFault("part_name", "", "curl's --form sends a part whose name is empty without a name parameter "
                                    "(Content-Disposition: form-data)"),
    )),
)
