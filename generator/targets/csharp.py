"""C# literal filters: regular and verbatim string literals, comments."""
from __future__ import annotations

import json
from typing import Any

from .text import make_comment, one_line

_SIMPLE = {"\0": "\\0", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
           "\t": "\\t", "\v": "\\v", '"': '\\"', "\\": "\\\\"}


def cs_string(value: Any) -> str:
    """A C# regular string literal. Everything outside printable ASCII is escaped, so no
    character (U+2028, U+0085, bidi controls, NUL) can end the literal or hide code."""
    text = value if isinstance(value, str) else str(value)
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # printable ASCII: nothing to escape
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _SIMPLE:
            out.append(_SIMPLE[ch])
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code > 0xFFFF:
            out.append(f"\\U{code:08X}")
        else:
            out.append(f"\\u{code:04X}")
    out.append('"')
    return "".join(out)


def cs_json(value: Any, indent: int = 0) -> str:
    """JSON text as a C# verbatim literal, ASCII only, lines indented by ``indent`` spaces."""
    text = json.dumps(value, indent=2, ensure_ascii=True)
    pad = " " * indent
    text = text.replace("\n", "\n" + pad)
    return '@"' + text.replace('"', '""') + '"'


def cs_var(env_name: str) -> str:
    """A local variable name for an environment variable: API_KEY_X -> apiKeyX."""
    parts = [p for p in env_name.lower().split("_") if p]
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


FILTERS = {
    "var": cs_var,
    "input_var": cs_var,
    "lit": cs_string,
    "json_lit": cs_json,
    "comment": make_comment("// "),
    "one_line": one_line,
}
