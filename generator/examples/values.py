"""Plain JSON data and the small schema helpers the example builder shares."""
from __future__ import annotations

import base64
import datetime as _dt
import json
import math
from decimal import Decimal, InvalidOperation
from typing import Any



_NOTHING: Any = object()  # internal: the schema gave no information

MAX_ARRAY_ITEMS = 10
_MAX_ACTIVE = 100  # nested _build calls; only loops of oneOf/anyOf/allOf references get this far
_NODE_BUDGET = 5000  # past this many schema nodes in one value, objects keep only required properties
_EXTRA_REQUIRED_LEVELS = 3  # levels past max_depth where required properties and minItems still count

_ANNOTATIONS = frozenset({
    "title", "description", "externalDocs", "xml", "deprecated", "nullable", "x-nullable",
    "discriminator", "readOnly", "writeOnly", "$comment", "$id", "$schema", "$anchor",
})
_DECLARED_KEYS = ("example", "examples", "x-examples", "default")



# -- plain JSON data --------------------------------------------------------------------------
def plain(value: Any) -> Any:
    """A fresh copy of a declared value as plain JSON data.

    YAML dates/timestamps -> ISO 8601 text (UTC written ``Z``), bytes -> base64 text, keys ->
    strings, tuples -> lists, NaN/Infinity -> their text.
    """
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, bool) else ("true" if k else "false"): plain(v)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, _dt.datetime):
        text = value.isoformat()
        if value.utcoffset() == _dt.timedelta(0):
            text = text[: -len("+00:00")] + "Z" if text.endswith("+00:00") else text
        return text
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None




# -- helpers -----------------------------------------------------------------------------------
def is_empty(value: Any) -> bool:
    """Whether a value sends nothing: None, "", or an array or object of such values only."""
    if value is None or value == "":
        return True
    if isinstance(value, list):
        return all(is_empty(v) for v in value)
    if isinstance(value, dict):
        return all(is_empty(v) for v in value.values())
    return False


def _undeclared(schema: dict) -> dict:
    """``schema`` without the values it declares (examples, defaults, const)."""
    return {k: v for k, v in schema.items() if k not in _DECLARED_KEYS + ("x-example", "const")}


def _float_multiple(value: Decimal, step: Decimal) -> bool:
    """Whether ``value`` is a multiple of ``step`` in floating point, as validators compute it
    (``value / step`` a whole number: JavaScript's ajv, Python's jsonschema)."""
    try:
        quotient = float(value) / float(step)
    except (OverflowError, ZeroDivisionError):
        return True
    return math.isfinite(quotient) and quotient == int(quotient)


def _replaced(what: str, problem: str) -> str:
    return f"{what} does not match its schema ({problem}); a value built from the schema is sent instead"


def _kept(what: str, problem: str) -> str:
    return f"{what} does not match its schema: {problem}"


def _fit(text: str, min_len: int | None, max_len: int | None) -> str:
    if min_len is not None and len(text) < min_len:
        seed = text or "x"
        text = (seed * (min_len // len(seed) + 1))[:min_len]
    if max_len is not None and max_len >= 0 and len(text) > max_len:
        text = text[:max_len]
    return text



def _decimal(value: Any) -> Decimal | None:
    if not _is_number(value):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:  # pragma: no cover
        return None


def _bound(schema: dict, inclusive: str, exclusive: str, *, lower: bool) -> tuple[Decimal | None, bool]:
    """(bound, open) from OpenAPI 3.0 (boolean exclusive*) or 3.1 (numeric exclusive*) keywords."""
    value = _decimal(schema.get(inclusive))
    is_open = False
    flag = schema.get(exclusive)
    if flag is True and value is not None:
        is_open = True
    else:
        ex = _decimal(flag)
        if ex is not None and (value is None or (ex >= value if lower else ex <= value)):
            value, is_open = ex, True
    return value, is_open


def _schema_type(schema: dict) -> str | None:
    t = schema.get("type")
    if isinstance(t, list):
        kinds = [x for x in t if isinstance(x, str)]
        non_null = [x for x in kinds if x != "null"]
        if non_null:
            return non_null[0]
        return "null" if "null" in kinds else _infer_type(schema)
    if isinstance(t, str):
        return t
    return _infer_type(schema)


def _infer_type(schema: dict) -> str | None:
    keys = schema.keys()
    if keys & {"properties", "additionalProperties", "patternProperties", "required", "minProperties",
               "maxProperties", "propertyNames"}:
        return "object"
    if keys & {"items", "prefixItems", "minItems", "maxItems", "uniqueItems", "contains"}:
        return "array"
    fmt = schema.get("format")
    if fmt in ("int32", "int64"):
        return "integer"
    if fmt in ("float", "double"):
        return "number"
    if keys & {"minLength", "maxLength", "pattern", "contentEncoding", "contentMediaType"} or isinstance(fmt, str):
        return "string"
    if keys & {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}:
        return "number"
    return None


def _nullable(schema: dict) -> bool:
    t = schema.get("type")
    return schema.get("nullable") is True or schema.get("x-nullable") is True or (
        isinstance(t, list) and "null" in t)


def _viable(schema: dict) -> bool:
    if not isinstance(schema, dict):
        return False
    t = schema.get("type")
    if t == "null" or (isinstance(t, list) and t and all(x == "null" for x in t)):
        return False
    if "not" in schema and not any(k not in _ANNOTATIONS and k != "not" for k in schema):
        return False
    return True


def _discriminator(value: Any) -> tuple[str | None, dict]:
    if isinstance(value, str) and value:
        return value, {}
    if isinstance(value, dict) and isinstance(value.get("propertyName"), str):
        mapping = value.get("mapping") if isinstance(value.get("mapping"), dict) else {}
        return value["propertyName"], mapping
    return None, {}


def _set_first(target: dict, key: str, value: Any) -> None:
    """Set ``key``; a key the object did not have goes first, so readers see the type at once."""
    if key in target:
        target[key] = value
        return
    items = list(target.items())
    target.clear()
    target[key] = value
    target.update(items)
