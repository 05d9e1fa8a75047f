"""Small helpers of the comparison: values shortened for messages, media type essence and
parameters, and the JSON diff (exact types)."""
from __future__ import annotations

import json
import math
from typing import Any


_MAX_SHOWN = 300


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "..."


def _essence(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _params(content_type: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for piece in (content_type or "").split(";")[1:]:
        key, sep, val = piece.partition("=")
        if sep:
            out[key.strip().lower()] = val.strip().strip('"')
    return out


# -- JSON ----------------------------------------------------------------------------------------


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def json_diff(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """Strict JSON equality: types must agree (bool, number, string, null, array, object).

    Integers and floats of equal value are equal (many serializers print 1.0 as 1).
    """
    ek, ak = _kind(expected), _kind(actual)
    if ek != ak:
        return [f"{where}: expected {ek} {_short(json.dumps(expected, ensure_ascii=False, default=str))}, got {ak} {_short(json.dumps(actual, ensure_ascii=False, default=str))}"]
    if ek == "object":
        out: list[str] = []
        for key in expected:
            if key not in actual:
                out.append(f"{where}: missing member {key!r}")
            else:
                out += json_diff(expected[key], actual[key], f"{where}.{key}")
        for key in actual:
            if key not in expected:
                out.append(f"{where}: unexpected member {key!r}")
        return out
    if ek == "array":
        if len(expected) != len(actual):
            return [f"{where}: expected {len(expected)} items, got {len(actual)}: {_short(json.dumps(actual, ensure_ascii=False))}"]
        out = []
        for i, (e, a) in enumerate(zip(expected, actual)):
            out += json_diff(e, a, f"{where}[{i}]")
        return out
    if ek == "number":
        if isinstance(expected, float) and isinstance(actual, float) and math.isnan(expected) and math.isnan(actual):
            return []
        if expected != actual:
            return [f"{where}: expected {expected!r}, got {actual!r}"]
        return []
    if expected != actual:  # strings, booleans
        return [f"{where}: expected {_short(repr(expected))}, got {_short(repr(actual))}"]
    return []


def _duplicate_keys(raw: str) -> list[str]:
    dups: list[str] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict:
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                dups.append(k)
            seen.add(k)
        return dict(pairs)

    try:
        json.loads(raw, object_pairs_hook=hook)
    except ValueError:
        pass
    return dups
