"""R literal filters: strings, JSON text, comments."""
from __future__ import annotations

import json
import re
from typing import Any

from ..errors import SpecError
from .text import make_comment, one_line

_SIMPLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}
_SIMPLE_SQ = {"\\": "\\\\", "'": "\\'"}

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
    text = json.dumps(value, indent=2, ensure_ascii=True)
    pad = " " * indent
    text = text.replace("\n", "\n" + pad)
    pieces = [_SIMPLE_SQ.get(ch, ch) for ch in text]
    if max(map(len, text.split("\n"))) * 2 + 2 <= MAX_LITERAL:
        return "'" + "".join(pieces) + "'"
    return _join(pieces, "'")


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


FILTERS = {
    "arg": r_arg,
    "var": r_var,
    "input_var": r_var,
    "lit": r_string,
    "json_lit": r_json,
    "comment": make_comment("# "),
    "one_line": one_line,
}
