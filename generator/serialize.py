"""Parameter serialization: OpenAPI 3 ``style``/``explode`` and Swagger 2.0 ``collectionFormat``.

Every function here is pure. Path text comes back percent-encoded (it is pasted into the URL
as is); query, header and cookie values come back decoded, as ``(name, value)`` pairs in the
order they are sent, and the targets encode them with their own HTTP library.

Scalars become text through :func:`to_text`. Values nested inside an array or object
parameter (which no style can express) are written as compact JSON.
"""
from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import unquote_plus

_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_SUB_DELIMS = frozenset("!$&'()*+,;=")
_PATH_SAFE = _UNRESERVED | _SUB_DELIMS | frozenset(":@/")
_HEX = frozenset("0123456789abcdefABCDEF")

_SWAGGER2_SEPARATORS = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}


# -- text of values ---------------------------------------------------------------------------
def to_text(value: Any) -> str:
    """The text of a scalar as it travels in a URL, header or form field.

    ``True``/``False`` -> ``"true"``/``"false"``, ``None`` -> ``""``, ints as decimal,
    floats JSON-like (shortest repr: ``1.5``, ``2.0``, ``1e+20``), strings unchanged.
    Lists and dicts (only reachable when they are nested inside a parameter value) are
    compact JSON.
    """
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def _pct(text: str, safe: frozenset[str] = _UNRESERVED) -> str:
    out = []
    for ch in text:
        if ch in safe:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out)


def _items(value: Any) -> list[tuple[str, Any]]:
    return [(str(k), v) for k, v in value.items()]


# -- OpenAPI 3 ----------------------------------------------------------------------------------
def path_segment(name: str, value: Any, *, style: str = "simple", explode: bool = False) -> str:
    """The text that replaces ``{name}`` in a path, percent-encoded (UTF-8).

    The value's own characters are encoded unless unreserved; the delimiters the style adds
    (``,`` ``.`` ``;`` ``=``) stay literal. Follows the style table of OpenAPI 3.0.3
    (label with explode false joins with ``.``, as that table shows). An unknown style is
    read as ``simple``.
    """
    enc = _pct
    if style == "label":
        if value is None or value == [] or value == {}:
            return "."
        if isinstance(value, list):
            return "." + ".".join(enc(to_text(v)) for v in value)
        if isinstance(value, dict):
            if explode:
                return "." + ".".join(f"{enc(k)}={enc(to_text(v))}" for k, v in _items(value))
            return "." + ".".join(f"{enc(k)}.{enc(to_text(v))}" for k, v in _items(value))
        return "." + enc(to_text(value))
    if style == "matrix":
        ename = enc(name)
        if value is None or value == [] or value == {}:
            return ";" + ename
        if isinstance(value, list):
            if explode:
                return "".join(f";{ename}={enc(to_text(v))}" for v in value)
            return f";{ename}=" + ",".join(enc(to_text(v)) for v in value)
        if isinstance(value, dict):
            if explode:
                return "".join(f";{enc(k)}={enc(to_text(v))}" for k, v in _items(value))
            return f";{ename}=" + ",".join(f"{enc(k)},{enc(to_text(v))}" for k, v in _items(value))
        return f";{ename}={enc(to_text(value))}"
    # simple
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(enc(to_text(v)) for v in value)
    if isinstance(value, dict):
        if explode:
            return ",".join(f"{enc(k)}={enc(to_text(v))}" for k, v in _items(value))
        return ",".join(f"{enc(k)},{enc(to_text(v))}" for k, v in _items(value))
    return enc(to_text(value))


def _deep_pairs(prefix: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        out: list[tuple[str, str]] = []
        for k, v in _items(value):
            out.extend(_deep_pairs(f"{prefix}[{k}]", v))
        return out
    if isinstance(value, list):
        return [(prefix, to_text(v)) for v in value]
    return [(prefix, to_text(value))]


def query_pairs(name: str, value: Any, *, style: str = "form", explode: bool = True) -> list[tuple[str, str]]:
    """Decoded ``(name, value)`` pairs of a query parameter, in order.

    - form: scalar ``[(name, "v")]``; array exploded = one pair per item, repeated name;
      not exploded ``"a,b,c"``; object exploded = one pair per property; not ``"R,100,G,200"``.
    - spaceDelimited / pipeDelimited: ``"a b c"`` / ``"a|b|c"`` (objects ``"R 100 G 200"``);
      with explode true they behave like exploded form; scalars like form.
    - deepObject: ``("color[R]", "100")``; nested objects ``color[a][b]``; an array inside
      repeats its name (``color[k]`` once per item); a non-object value behaves like form.
    - ``None`` is sent as an empty value; an empty exploded array sends nothing.
    """
    if style == "deepObject" and isinstance(value, dict):
        return _deep_pairs(name, value)
    if isinstance(value, list):
        if explode:
            return [(name, to_text(v)) for v in value]
        sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return [(name, sep.join(to_text(v) for v in value))]
    if isinstance(value, dict):
        if explode and style != "deepObject":
            return [(k, to_text(v)) for k, v in _items(value)]
        sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
        return [(name, sep.join(f"{k}{sep}{to_text(v)}" for k, v in _items(value)))]
    return [(name, to_text(value))]


def header_value(value: Any, *, explode: bool = False) -> str:
    """A header parameter's value (style simple), not encoded."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(to_text(v) for v in value)
    if isinstance(value, dict):
        if explode:
            return ",".join(f"{k}={to_text(v)}" for k, v in _items(value))
        return ",".join(f"{k},{to_text(v)}" for k, v in _items(value))
    return to_text(value)


def cookie_pairs(name: str, value: Any, *, explode: bool = True) -> list[tuple[str, str]]:
    """Decoded cookie ``(name, value)`` pairs (style form, as for the query)."""
    return query_pairs(name, value, style="form", explode=explode)


# -- Swagger 2.0 ------------------------------------------------------------------------------
def swagger2_pairs(name: str, value: Any, collection_format: str = "csv") -> list[tuple[str, str]]:
    """Decoded pairs of a Swagger 2.0 query / formData parameter.

    Arrays: csv ``"a,b"``, ssv ``"a b"``, tsv ``"a\\tb"``, pipes ``"a|b"``, multi = one pair per
    item. An unknown collectionFormat is read as csv. Non-arrays are one pair.
    """
    if isinstance(value, list):
        if collection_format == "multi":
            return [(name, to_text(v)) for v in value]
        return [(name, swagger2_text(value, collection_format))]
    return [(name, to_text(value))]


def swagger2_text(value: Any, collection_format: str = "csv") -> str:
    """The text of a Swagger 2.0 path / header parameter (``multi`` is invalid there: csv)."""
    if isinstance(value, list):
        sep = _SWAGGER2_SEPARATORS.get(collection_format, ",")
        return sep.join(to_text(v) for v in value)
    return to_text(value)


# -- paths ------------------------------------------------------------------------------------
def encode_path_text(text: str) -> str:
    """Percent-encode the literal text of a path template.

    Keeps ``/``, unreserved characters, sub-delims ``!$&'()*+,;=``, ``:`` and ``@``, and a
    ``%`` that already starts a ``%XX`` escape; encodes everything else as UTF-8 (space,
    a lone ``%``, ``?``, ``#``, non-ASCII, braces, ...).
    """
    out = []
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "%" and i + 2 < n and text[i + 1] in _HEX and text[i + 2] in _HEX:
            out.append(text[i:i + 3])
            i += 3
            continue
        if ch in _PATH_SAFE:
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
        i += 1
    return "".join(out)


def split_path_query(path_key: str) -> tuple[str, list[tuple[str, str]]]:
    """Split a path key that carries a query string: ``"/x?a=1&b"`` -> ``("/x", [("a","1"),("b","")])``.

    Names and values are decoded as a server decodes a query string (``%XX`` and ``+`` as
    space); empty pieces (``&&``) are skipped; a ``#`` fragment is dropped.
    """
    key = path_key.split("#", 1)[0]
    if "?" not in key:
        return key, []
    path, query = key.split("?", 1)
    pairs: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        pairs.append((unquote_plus(name), unquote_plus(value)))
    return path, pairs
