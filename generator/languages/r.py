"""R with httr2 and jsonlite: literal filters (strings, JSON text, comments), toolchain, safety
patterns and the escaping driver."""
from __future__ import annotations

import functools
import json
import re
import shutil
from pathlib import Path
from typing import Any

from ..errors import SpecError
from ..jsontext import indented
from . import EscapingDriver, KnownFault, Language, Outcome, Safety, Toolchain
from . import python
from .text import make_comment, one_line, workflow_filters

_SIMPLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}
_SIMPLE_SQ = {"\\": "\\\\", "'": "\\'"}
_SQ_TABLE = str.maketrans(_SIMPLE_SQ)

# Longest literal written on one line when it holds an escape. `Rscript file.R` reads its
# file through a 4096-byte console buffer, and an escape whose backslash is the last byte of
# a buffer is misread ("'\?' is an unrecognized escape"); R also refuses a literal with
# Unicode escapes longer than 10,000 characters. A longer literal is written as paste0() of
# shorter ones, one per line: two such literals and the template's text (a query pair, a
# header, a form field) still fit in one line under 4096 bytes.
MAX_LITERAL = 1900


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in _SIMPLE:
        return _SIMPLE[ch]
    if 0x20 <= code < 0x7F:
        return ch
    if code == 0:
        raise ValueError("NUL")
    if code > 0xFFFF:
        return f"\\U{{{code:08X}}}"
    return f"\\u{{{code:04X}}}"


def _excerpt(text: str, limit: int = 60) -> str:
    shown = text if len(text) <= limit else text[:limit] + "..."
    return json.dumps(shown, ensure_ascii=True)


def _join(pieces: list[str], quote: str) -> str:
    """One literal, or paste0() of literals of at most MAX_LITERAL characters each."""
    body = "".join(pieces)
    if len(body) + 2 <= MAX_LITERAL or "\\" not in body:
        return quote + body + quote
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        if current and size + len(piece) + 3 > MAX_LITERAL:  # quotes and comma
            chunks.append("".join(current))
            current, size = [], 0
        current.append(piece)
        size += len(piece)
    if current:
        chunks.append("".join(current))
    return "paste0(\n" + ",\n".join(quote + c + quote for c in chunks) + "\n)"


def r_string(value: Any) -> str:
    """A double-quoted R literal; outside printable ASCII only Unicode escapes are used
    (R refuses to mix them with hex escapes in one literal). R strings cannot hold NUL.
    A long literal with escapes becomes ``paste0(...)`` of short ones (see MAX_LITERAL)."""
    text = value if isinstance(value, str) else str(value)
    try:
        if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
            pieces = list(text)  # printable ASCII: every character stands for itself
        else:
            pieces = [_escape(ch) for ch in text]
    except ValueError:
        raise SpecError("R strings cannot contain the NUL character (U+0000); the R target "
                        f"cannot send the value {_excerpt(text)}") from None
    return _join(pieces, '"')


def r_json(value: Any, indent: int = 0) -> str:
    """JSON text as a single-quoted R literal (ASCII only; line breaks kept for reading)."""
    text = indented(value)
    pad = " " * indent
    text = text.replace("\n", "\n" + pad)
    body = text.translate(_SQ_TABLE)
    if len(body) + 2 <= MAX_LITERAL or "\\" not in body \
            or max(map(len, text.split("\n"))) * 2 + 2 <= MAX_LITERAL:
        return "'" + body + "'"  # what _join gives for these, without a piece per character
    return _join([_SIMPLE_SQ.get(ch, ch) for ch in text], "'")


def r_var(env_name: str) -> str:
    """A variable name for an environment variable: API_KEY -> api_key."""
    return env_name.lower()


_PLAIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,99}")


def r_arg(name: str, value_code: str) -> str:
    """One named argument of an httr2 call whose name comes from the definition. A plain
    name reads as `"Accept" = value`; any other (one httr2 would bind to its own `.req`,
    an empty or a very long one) is passed as data: `!!!stats::setNames(list(value), "name")`."""
    if _PLAIN_NAME.fullmatch(name):
        return f"{r_string(name)} = {value_code}"
    return f"!!!stats::setNames(list({value_code}), {r_string(name)})"


def r_value(value: Any) -> str:
    """A JSON value as R code: scalars as literals, objects and arrays read from JSON text
    (as jsonlite reads a response: objects are named lists, arrays lists)."""
    if value is None:
        return "NULL"
    if value is True or value is False:
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return r_string(value)
    return f"jsonlite::fromJSON({r_json(value)}, simplifyVector = FALSE)"


FILTERS = {
    **workflow_filters(r_value, lambda name, args: f"wf_{name}({', '.join(args)})", "TRUE", context="wf_ctx"),
    "value": r_value,
    "arg": r_arg,
    "var": r_var,
    "input_var": r_var,
    "lit": r_string,
    "json_lit": r_json,
    "comment": make_comment("# "),
    "one_line": one_line,
}


# -- toolchain -------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _packages_missing() -> tuple[str, ...]:
    from ..verify.runners import base_env, run_process

    code = 'for (p in c("httr2", "jsonlite")) if (!requireNamespace(p, quietly = TRUE)) cat(p, "\\n")'
    res = run_process(["Rscript", "-e", code], base_env(), timeout=60)
    if res.returncode != 0:
        return ("httr2", "jsonlite")
    return tuple(res.stdout.split())


def missing() -> list[str]:
    if shutil.which("Rscript") is None:
        return ["Rscript"]
    return list(_packages_missing())


def command(file: Path) -> list[str]:
    return ["Rscript", "--vanilla", str(file)]


_PARSE = ("files <- commandArgs(trailingOnly = TRUE); bad <- 0\n"
          "for (f in files) tryCatch(invisible(parse(file = f, encoding = 'UTF-8')), error = function(e) {"
          " cat('PARSE ERROR', f, conditionMessage(e), '\\n'); bad <<- bad + 1 })\n"
          "quit(status = if (bad > 0) 1 else 0)")


def check(files: list[Path], workdir: Path) -> str:
    """Parse every file in one Rscript (nothing runs)."""
    from ..verify.runners import base_env, run_process

    res = run_process(["Rscript", "-e", _PARSE, *map(str, files)], base_env(), timeout=300, cwd=workdir)
    return "" if res.returncode == 0 else res.stdout + res.stderr


# -- the escaping driver ---------------------------------------------------------------------------

_R_DRIVER = r'''
args <- commandArgs(trailingOnly = TRUE)
files <- readLines(args[1], encoding = "UTF-8")
hex <- function(v) paste(as.character(charToRaw(enc2utf8(v))), collapse = "")
out <- character(0)
for (f in files) {
  exprs <- tryCatch(parse(file = f, encoding = "UTF-8"), error = function(e) e)
  if (inherits(exprs, "error")) {
    out <- c(out, paste("PARSE", f, gsub("[\t\n]", " ", conditionMessage(exprs)), sep = "\t"))
    next
  }
  base <- "-"
  for (e in exprs) {
    if (is.call(e) && identical(e[[1]], as.name("<-")) && identical(e[[2]], as.name("default_base_url"))) {
      base <- hex(eval(e[[3]], baseenv()))
    }
  }
  env <- new.env(parent = globalenv())
  env$quit <- function(save = "default", status = 0, ...) invokeRestart("sample_quit", status)
  code <- withRestarts(
    tryCatch({ eval(exprs, env); 0 }, error = function(e) { message(f, ": ", conditionMessage(e)); 70 }),
    sample_quit = function(status) status)
  out <- c(out, paste("RUN", f, code, base, sep = "\t"))
}
writeLines(out, args[2], useBytes = TRUE)
'''


def run_batch(files: list[Path], env: dict[str, str], work: Path) -> dict[Path, Outcome]:
    """Every R sample of a batch in ONE Rscript: each file is parsed, its default_base_url
    evaluated, then the file evaluated in a fresh environment whose quit() ends only it."""
    from ..verify.runners import run_process

    driver, listing, out = work / "driver.R", work / "r-files.txt", work / "r-results.txt"
    driver.write_text(_R_DRIVER, encoding="utf-8")
    listing.write_text("\n".join(str(f) for f in files) + "\n", encoding="utf-8")
    res = run_process(["Rscript", "--vanilla", str(driver), str(listing), str(out)], env, timeout=600, cwd=work)
    if res.returncode != 0 or not out.exists():
        raise AssertionError(res.tail())
    outcomes: dict[Path, Outcome] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        kind, name, *rest = line.split("\t")
        if kind == "PARSE":
            outcomes[Path(name)] = Outcome(error="does not parse: " + rest[0])
        else:
            base = None if rest[1] == "-" else bytes.fromhex(rest[1]).decode("utf-8")
            outcomes[Path(name)] = Outcome(code=int(float(rest[0])), base_url=base)
    return outcomes


def check_text(text: str) -> str:
    """No line holding an escape is longer than 4000 bytes (see MAX_LITERAL)."""
    long_escaped = [n for n, line in enumerate(text.split("\n"), 1) if "\\" in line and len(line.encode()) > 4000
                    and not line.lstrip().startswith("#")]
    return f"lines {long_escaped} hold an escape past 4000 bytes" if long_escaped else ""


def known_issue(placement: str, s: str, message: str) -> str | None:
    if placement == "header" and s == "":
        return "R: curl drops a header whose value is empty (templates/r)"
    return None


# -- safety ----------------------------------------------------------------------------------------

def timeout_problems(text: str, code: str) -> list[str]:
    problems = []
    performs = [m.start() for m in re.finditer(r"\breq_perform\(", code)]
    if not performs:
        problems.append("no req_perform")
    for at in performs:
        starts = [m.start() for m in re.finditer(r"\brequest\(", code[:at])]
        if not starts or "req_timeout(" not in code[starts[-1]:at]:
            problems.append("a request performed without req_timeout()")
    if re.search(r"\b(httr::|curl::curl_fetch|curl_fetch_memory|download\.file|url\()", code):
        problems.append("a second HTTP client")
    return problems


LANGUAGE = Language(
    name="r", label="R", description="R with httr2 and jsonlite", folder="r", info_string="r",
    filters=FILTERS, default=True, assignment="{} <- ",
    per_operation=lambda op: [("program.R.j2", f"r/{op.snake}.R")],
    snippet="snippet.R.j2", script_snippet=True,
    workflow="workflow.R.j2",
    workflow_files=lambda wf: [("workflow.R.j2", f"r/{wf.snake}.R")],
    run_hint="Rscript r/<name>.R",
    toolchain=Toolchain(
        packages={"Rscript": "r-base-core", "httr2": "r-cran-httr2", "jsonlite": "r-cran-jsonlite"},
        install="apt-get install -y --no-install-recommends r-base-core r-cran-httr2 r-cran-jsonlite",
        command=command, check=check, missing=missing, apt=("r-base-core", "r-cran-httr2", "r-cran-jsonlite"),
        probe="Rscript -e 'library(httr2); library(jsonlite)'",
    ),
    safety=Safety(
        timeout_problems=timeout_problems,
        tls_off=(r"ssl_verifypeer", r"ssl_verifyhost", r"(REQUESTS|CURL)_CA_BUNDLE", r"\binsecure\b"),
        reads_env=(r'require_env\("{name}"\)', r'Sys\.getenv\("{name}"'), local=str.lower,
        program_start="", sends=r"req_perform\(", exits_2=r"status = 2",
        mutations=(("tls", "req_timeout(timeout_seconds) |>",
                    "req_timeout(timeout_seconds) |> req_options(ssl_verifypeer = 0) |>"),
                   ("timeout", "req_timeout(timeout_seconds) |>", ""),
                   ("secret", 'require_env("API_KEY")', '"k"')),
    ),
    escaping=EscapingDriver(run_batch=run_batch, check_text=check_text, no_nul=True, known_issue=known_issue, known_faults=(
        python.DOT_SEGMENTS,
        KnownFault("optional_header_value", "", "templates/r: req_headers(req, name = \"\") hands curl 'X-V:', which "
                                                "curl reads as 'remove this header'; an empty value needs 'X-V;'"),
        KnownFault("part_name", "", "httr2 0.2.2 cannot send a multipart part with an empty name "
                                    "('All components of ... must be named')"),
    )),
)
