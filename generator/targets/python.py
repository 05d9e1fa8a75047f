"""Python literal filters: strings, JSON values as Python literals, comments."""
from __future__ import annotations

import re
from typing import Any

from .text import make_comment, one_line

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
    "var": str.lower,
    "input_var": py_constant,
    "lit": py_string,
    "value": py_value,
    "comment": make_comment("# "),
    "one_line": one_line,
}
