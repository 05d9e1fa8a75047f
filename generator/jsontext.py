"""``json.dumps(value, indent=2)``, the same text, faster.

With ``indent`` the standard library encodes in Python through chains of generators; large
definitions have example bodies of thousands of values, written once per language, and
manifests of a hundred thousand entries. ``indented`` writes plain JSON data (dict with str
keys, list, str, int, float, bool, None) itself, with the standard library's C string
encoder, and leaves everything else (other types, NaN, infinities, very deep values) to
``json.dumps``, so the text is always the one ``json.dumps`` gives.

While rendering one operation (``remembering()``), the text of a value is made once for all
the languages that write it.
"""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any, Iterator

_INF = float("inf")
_MAX_NESTING = 400  # deeper values go to json.dumps (which reports cycles as it does)
_local = threading.local()  # .memo: dict[(id, ensure_ascii), (value, text)] while remembering (per thread)


class _Unusual(Exception):
    """A value ``json.dumps`` is left to write."""


def indented(value: Any, *, ensure_ascii: bool = True) -> str:
    """Exactly ``json.dumps(value, indent=2, ensure_ascii=ensure_ascii)``."""
    memo = getattr(_local, "memo", None)
    if memo is not None:
        found = memo.get((id(value), ensure_ascii))
        if found is not None and found[0] is value:
            return found[1]
    out: list[str] = []
    try:
        _emit(value, "\n", out, encode_basestring_ascii if ensure_ascii else encode_basestring)
        text = "".join(out)
    except _Unusual:
        text = json.dumps(value, indent=2, ensure_ascii=ensure_ascii)
    if memo is not None:
        memo[id(value), ensure_ascii] = (value, text)  # holds the value: its id stays its own
    return text


@contextmanager
def remembering() -> Iterator[None]:
    """Within: the text of a value already written is given again (values do not change
    while one operation is rendered). Per thread: renders running side by side keep their own."""
    outer = getattr(_local, "memo", None)
    _local.memo = {} if outer is None else outer
    try:
        yield
    finally:
        _local.memo = outer


def _emit(value: Any, newline: str, out: list[str], quote: Any) -> None:
    kind = type(value)
    if kind is str:
        out.append(quote(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float:
        if value != value or value == _INF or value == -_INF:
            raise _Unusual
        out.append(float.__repr__(value))
    elif kind is list:
        if not value:
            out.append("[]")
            return
        if len(newline) > _MAX_NESTING:
            raise _Unusual
        inner = newline + "  "
        out.append("[" + inner)
        first = True
        for item in value:
            if not first:
                out.append("," + inner)
            first = False
            _emit(item, inner, out, quote)
        out.append(newline + "]")
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        if len(newline) > _MAX_NESTING:
            raise _Unusual
        inner = newline + "  "
        out.append("{" + inner)
        first = True
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            out.append(quote(key) + ": " if first else "," + inner + quote(key) + ": ")
            first = False
            _emit(item, inner, out, quote)
        out.append(newline + "}")
    else:
        raise _Unusual
