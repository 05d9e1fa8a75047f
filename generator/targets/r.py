"""R literal filters: strings, JSON text, comments."""
from __future__ import annotations

import json
from typing import Any

from ..errors import SpecError
from .text import make_comment, one_line

_SIMPLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}


def r_string(value: Any) -> str:
    """A double-quoted R literal; outside printable ASCII only Unicode escapes are used
    (R refuses to mix them with hex escapes in one literal). R strings cannot hold NUL."""
    text = value if isinstance(value, str) else str(value)
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _SIMPLE:
            out.append(_SIMPLE[ch])
        elif code == 0:
            raise SpecError("R strings cannot contain the NUL character (U+0000)")
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code > 0xFFFF:
            out.append(f"\\U{{{code:08X}}}")
        else:
            out.append(f"\\u{{{code:04X}}}")
    out.append('"')
    return "".join(out)


def r_json(value: Any, indent: int = 0) -> str:
    """JSON text as a single-quoted R literal (ASCII only; line breaks kept for reading)."""
    text = json.dumps(value, indent=2, ensure_ascii=True)
    text = text.replace("\\", "\\\\").replace("'", "\\'")
    pad = " " * indent
    return "'" + text.replace("\n", "\n" + pad) + "'"


def r_var(env_name: str) -> str:
    """A variable name for an environment variable: API_KEY -> api_key."""
    return env_name.lower()


FILTERS = {
    "var": r_var,
    "lit": r_string,
    "json_lit": r_json,
    "comment": make_comment("# "),
    "one_line": one_line,
}
