"""Example values for parameters and bodies, built from schemas.

Deterministic: no clock, no randomness, nothing that depends on hash order. The output is
plain JSON data (dict / list / str / int / float / bool / None), dict keys in the order the
schema declares them.

Where a value comes from, in priority order (``for_schema``):

1. declared on the schema: ``example``; the first item of ``examples`` (an array, 3.1); the
   first value of a non-empty ``x-examples`` (the vendor extension editors such as Stoplight
   write); ``default``; ``const``; the first non-null ``enum`` value;
2. composition: ``allOf`` branches merged; the first usable ``oneOf`` / ``anyOf`` branch
   (a branch that re-enters a schema already being expanded is passed over when another
   branch is usable), with the discriminator property set to the branch's name;
3. structure, by type (a type list takes its first non-null type; a schema without
   ``type`` is read from its keywords: ``properties`` -> object, ``items`` -> array, ...).

Choices worth knowing:

- Objects carry every property, required or not, except ``readOnly`` ones in requests and
  ``writeOnly`` ones in responses. A schema met again while it is being expanded (recursion)
  carries only its required properties; at nesting level ``max_depth`` objects carry only
  required properties, a few levels deeper nullable objects are null, and past those,
  containers are ``{}`` / ``[]``.
- ``additionalProperties`` with a schema and no ``properties``: one entry, key ``"key"``
  (``"key1"``, ``"key2"``... when ``minProperties`` asks for more).
- Arrays have one item, or ``minItems`` items (at most 10, and never more than
  ``maxItems``). Items after the first are built as variants (strings get a numeric suffix,
  numbers step by 1 or ``multipleOf``, enums take the next value, booleans flip), so that
  ``uniqueItems`` holds; when it cannot, a warning says so.
- Strings: a known ``format`` gives a fixed value (see ``FORMAT_EXAMPLES``); ``byte`` is the
  base64 of ``"example"``; ``binary`` is ``""`` (the caller sends a file). Otherwise the
  property name, or ``"string"`` when there is none, padded (repeated) to ``minLength`` and
  cut to ``maxLength`` (format values are fitted in a way that keeps the format: a longer
  email local part, a URI path). With a ``pattern`` that this text does not match, a small
  generator writes a matching string for simple patterns (classes, literals, groups,
  alternation, quantifiers, leading lookaheads as password rules write them); when nothing
  matches, the text is kept and a warning says so.
- Integers: 0 unless the bounds exclude it, then the allowed value nearest to 0
  (``multipleOf`` honoured, in floating point too: 0.4, not 0.3, for ``multipleOf: 0.1``).
  Numbers the same; they stay ``int`` when whole (``0``, ``2``) and become ``float`` only
  when needed (``1.5``).
- Enums take their first value other than null and ``""``; a parameter's top-level
  oneOf/anyOf its first scalar branch.
- Booleans: ``True``, so that samples show the flag being set.
- ``type: "null"`` gives ``None``; ``nullable`` / ``"null"`` in a type list are ignored.
- A schema that says nothing (``{}``, ``True``, missing) gives ``None`` from ``for_schema``:
  the caller decides what an unknown value is in its position. Nested inside an object or
  an array such a schema gives ``{}``.
- In OpenAPI 3.1 the keywords beside a ``$ref`` apply (they override the target's); in
  Swagger 2.0 / OpenAPI 3.0 they are ignored, as those versions say.
- Declared examples (and defaults) are checked against their schema with
  openapi-schema-validator, string formats read as ajv-formats (Prism's validator) reads
  them. One that fails is replaced, with a warning: an object or array example keeps its
  valid parts and only the failing ones are built from the schema; else the whole value is
  built from the schema. When that value fails too, the declared one is kept (warned).
  Parameter examples written as text ("10" for an integer) are read as their type. readOnly
  properties of declared examples are left out of requests. YAML dates and timestamps become
  ISO 8601 strings (UTC as ``Z``).
- A oneOf value that matches several branches is built from another branch when that gives
  one that matches a single branch (validators that ignore the discriminator refuse it).
- Recursion: a schema met again while it is expanded is shown once more with its required
  properties, then an empty array or null ends it where the schema allows.
"""
from __future__ import annotations

import base64
import datetime as _dt
import json
import math
import re
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from .errors import Diagnostic, SpecError, pointer
from .refs import Resolver, split_pointer

__all__ = ["ExampleBuilder", "FORMAT_EXAMPLES", "pattern_example", "plain"]

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


def _uuid(i: int) -> str:
    tail = format((0x2C963F66AFA6 + i) & 0xFFFFFFFFFFFF, "012x")
    return "3fa85f64-5717-4562-b3fc-" + tail


def _suffix(i: int) -> str:
    return str(i + 1) if i else ""


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


FORMAT_EXAMPLES: dict[str, Any] = {
    # format -> function of the variant index (0 for the first value, 1, 2... for the next items)
    "date": lambda i: (_dt.date(2024, 1, 15) + _dt.timedelta(days=i)).isoformat(),
    "date-time": lambda i: (_dt.date(2024, 1, 15) + _dt.timedelta(days=i)).isoformat() + "T09:30:00Z",
    "time": lambda i: f"{9 + i % 15:02d}:30:00",
    "duration": lambda i: f"P{1 + i}D",
    "uuid": _uuid,
    "guid": _uuid,
    "email": lambda i: f"user{_suffix(i)}@example.com",
    "idn-email": lambda i: f"user{_suffix(i)}@example.com",
    "uri": lambda i: "https://example.com" + (f"/{i + 1}" if i else ""),
    "url": lambda i: "https://example.com" + (f"/{i + 1}" if i else ""),
    "iri": lambda i: "https://example.com" + (f"/{i + 1}" if i else ""),
    "uri-reference": lambda i: "https://example.com" + (f"/{i + 1}" if i else ""),
    "iri-reference": lambda i: "https://example.com" + (f"/{i + 1}" if i else ""),
    "uri-template": lambda i: "https://example.com/{id}" + _suffix(i),
    "hostname": lambda i: f"example{_suffix(i)}.com",
    "idn-hostname": lambda i: f"example{_suffix(i)}.com",
    "ipv4": lambda i: f"192.0.2.{1 + i % 254}",
    "ipv6": lambda i: f"2001:db8::{1 + i:x}",
    "byte": lambda i: _b64("example" + _suffix(i)),
    "binary": lambda i: "",
    "password": lambda i: "secret-value" + _suffix(i),
    "json-pointer": lambda i: "/example" + _suffix(i),
    "relative-json-pointer": lambda i: f"{i}/example",
    "regex": lambda i: "^example" + _suffix(i) + "$",
}


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


# -- formats, checked as the mock servers check them -------------------------------------------
# Prism and most JavaScript mock servers validate with ajv-formats ("full" mode); the Python
# format checkers leave some formats unchecked (uri, hostname, duration) and read others more
# loosely (date accepts "20240115", email anything with an "@"). The patterns below are
# ajv-formats 2.1's, so that a value we accept is one such a server accepts.
_AJV_PATTERNS: dict[str, Any] = {
    "uri": re.compile(
        r"""^(?:[a-z][a-z0-9+\-.]*:)(?:/?/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:("""
        r"""?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:"""
        r"""){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,4"""
        r"""}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})?"""
        r"""::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{1"""
        r""",4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9a"""
        r"""-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?:"""
        r""":)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}"""
        r"""(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:/"""
        r"""(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*|/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-"""
        r"""f]{2})+(?:/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@"""
        r"""]|%[0-9a-f]{2})+(?:/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!"""
        r"""$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$""",
        re.I | re.A),
    "uri-reference": re.compile(
        r"""^(?:[a-z][a-z0-9+\-.]*:)?(?:/?/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:\[(?:"""
        r"""(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}"""
        r""":){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:(?:[0-9a-f]{1,"""
        r"""4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0,3}[0-9a-f]{1,4})"""
        r"""?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0-9a-f]{1,4}:[0-9a-f]{"""
        r"""1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?))|(?:(?:[0-9"""
        r"""a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4})?"""
        r"""::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3"""
        r"""}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$&'"()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?"""
        r""":/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*|/(?:(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0"""
        r"""-9a-f]{2})+(?:/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'"()*"""
        r"""+,;=:@]|%[0-9a-f]{2})+(?:/(?:[a-z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-f]{2})*)*)?(?:\?(?:[a-z0"""
        r"""-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-f]{"""
        r"""2})*)?$""",
        re.I | re.A),
    "uri-template": re.compile(
        r"""^(?:(?:[^\x00-\x20"'<>%\\^`{|}]|%[0-9a-f]{2})|\{[+#./;?&=,!@|]?(?:[a-z0-9_]|%[0-9a-f]{2}"""
        r""")+(?::[1-9][0-9]{0,3}|\*)?(?:,(?:[a-z0-9_]|%[0-9a-f]{2})+(?::[1-9][0-9]{0,3}|\*)?)*\})*$""",
        re.I | re.A),
    "url": re.compile(
        r"""^(?:https?|ftp)://(?:\S+(?::\S*)?@)?(?:(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\."""
        r"""168)(?:\.\d{1,3}){2})(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})(?:[1-9]\d?|1\d\d|2[0"""
        r"""1]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0"""
        r"""-4]))|(?:(?:[a-z0-9\u00a1-\uffff]+-)*[a-z0-9\u00a1-\uffff]+)(?:\.(?:[a-z0-9\u00a1-\uffff"""
        r"""]+-)*[a-z0-9\u00a1-\uffff]+)*(?:\.(?:[a-z\u00a1-\uffff]{2,})))(?::\d{2,5})?(?:/[^\s]*)?$""",
        re.I),
    "email": re.compile(
        r"""^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]"""
        r"""*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$""",
        re.I | re.A),
    "hostname": re.compile(
        r"""^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9"""
        r"""a-z])?)*\.?$""",
        re.I | re.A),
    "duration": re.compile(
        r"""^P(?!$)((\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?|(\d+W)?)$""",
        re.I | re.A),
}
_AJV_DATE = re.compile(r"^(\d\d\d\d)-(\d\d)-(\d\d)\Z", re.A)
_AJV_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d)(\.\d+)?(z|[+-]\d\d(?::?\d\d)?)?\Z", re.I | re.A)
_AJV_BYTE = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _ajv_date(text: str) -> bool:
    m = _AJV_DATE.match(text)
    if not m:
        return False
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 1 <= month <= 12 and 1 <= day <= (29 if month == 2 and leap else _DAYS[month])


def _ajv_time(text: str, with_zone: bool = False) -> bool:
    m = _AJV_TIME.match(text)
    if not m:
        return False
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3))
    zone = m.group(5) or ""
    in_range = (hour <= 23 and minute <= 59 and second <= 59) or (hour, minute, second) == (23, 59, 60)
    if not in_range:
        return False
    if not with_zone:
        return True
    return zone in ("z", "Z") or (zone[:1] in ("+", "-") and _ajv_time(zone[1:] + ":00")) or \
        re.match(r"^[+-](?:[01][0-9]|2[0-4])(?::?[0-5][0-9])?$", zone) is not None


def _ajv_date_time(text: str) -> bool:
    # Prism's own date-time: date, "T"/"t"/space, time with a zone
    parts = re.split(r"[tT\s]", text)
    return len(parts) == 2 and _ajv_date(parts[0]) and _ajv_time(parts[1], True)


def _ajv_byte(text: str) -> bool:
    return any(_AJV_BYTE.match(line) for line in re.split(r"\r\n|[\r\n\u2028\u2029]", text))


def _ajv_checks() -> dict[str, Any]:
    # JavaScript's "$" does not match before a final newline, as Python's does
    checks: dict[str, Any] = {name: (lambda text, rx=rx: rx.search(text) is not None and not text.endswith("\n"))
                              for name, rx in _AJV_PATTERNS.items()}
    checks["uri"] = lambda text: re.search(r"[/:]", text) is not None and \
        _AJV_PATTERNS["uri"].search(text) is not None and not text.endswith("\n")
    checks["date"] = _ajv_date
    checks["time"] = _ajv_time
    checks["date-time"] = _ajv_date_time
    checks["byte"] = _ajv_byte
    return checks


_FORMAT_CHECKERS: dict[str, Any] = {}
_SWAGGER2_VALIDATOR: list[Any] = []


def _swagger2_validator_class() -> Any:
    """OpenAPI 3.0's validator, with Swagger 2.0's ``x-nullable`` read as ``nullable``."""
    if not _SWAGGER2_VALIDATOR:
        from jsonschema.validators import extend
        from openapi_schema_validator import OAS30Validator
        from openapi_schema_validator import _keywords as oas_keywords

        def type_with_x_nullable(validator: Any, data_type: Any, instance: Any, schema: Any) -> Any:
            if instance is None and isinstance(schema, dict) and schema.get("x-nullable") is True:
                return
            yield from oas_keywords.type(validator, data_type, instance, schema)

        _SWAGGER2_VALIDATOR.append(extend(OAS30Validator, {"type": type_with_x_nullable}))
    return _SWAGGER2_VALIDATOR[0]


def _format_checker(version: str) -> Any:
    """The format checker of openapi-schema-validator for ``version``, with the string formats
    read as ajv-formats reads them (built once)."""
    if version not in _FORMAT_CHECKERS:
        from jsonschema import FormatChecker
        from openapi_schema_validator import oas30_format_checker, oas31_format_checker

        base = oas31_format_checker if version == "3.1" else oas30_format_checker
        checker = FormatChecker(())
        checker.checkers = dict(base.checkers)
        for name, check in _ajv_checks().items():
            checker.checkers[name] = (lambda value, check=check: not isinstance(value, str) or check(value), ())
        _FORMAT_CHECKERS[version] = checker
    return _FORMAT_CHECKERS[version]


# -- a tiny generator for simple regular expressions -------------------------------------------
class _Unsupported(Exception):
    pass


_DIGITS = "0123456789"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_WORD = _LOWER + _UPPER + _DIGITS + "_"
_PRINTABLE = _LOWER + _UPPER + _DIGITS + "-_.~ !#$%&*+,/:;=?@^|"
_SPACE = " \t\n\r\f\v"
_CLASS_ESCAPES = {
    "d": _DIGITS,
    "w": _WORD,
    "s": " ",
    "D": "".join(c for c in _PRINTABLE if c not in _DIGITS),
    "W": "".join(c for c in _PRINTABLE if c not in _WORD),
    "S": "".join(c for c in _PRINTABLE if c not in _SPACE),
}
_CHAR_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "v": "\v", "0": "\0"}


class _RegexParser:
    """Parses a simple pattern into nodes:

    ("seq", [items]), ("alt", [seqs]), ("rep", node, min, max|None), ("set", chars), ("empty",).
    Backreferences, lookarounds, Unicode property classes and the like raise ``_Unsupported``.
    """

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0

    def parse(self) -> Any:
        node = self.alternation()
        if self.i != len(self.p):
            raise _Unsupported("unbalanced parenthesis")
        return node

    def peek(self) -> str:
        return self.p[self.i] if self.i < len(self.p) else ""

    def alternation(self) -> Any:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def sequence(self) -> Any:
        items: list[Any] = []
        while self.i < len(self.p) and self.peek() not in "|)":
            atom = self.atom()
            if atom is None:
                continue
            items.append(self.quantified(atom))
        return ("seq", items)

    def quantified(self, atom: Any) -> Any:
        ch = self.peek()
        lo: int
        hi: int | None
        if ch == "*":
            lo, hi = 0, None
            self.i += 1
        elif ch == "+":
            lo, hi = 1, None
            self.i += 1
        elif ch == "?":
            lo, hi = 0, 1
            self.i += 1
        elif ch == "{":
            m = re.match(r"\{(\d*)(,?)(\d*)\}", self.p[self.i:])
            if not m or (m.group(1) == "" and m.group(3) == "") or (m.group(1) == "" and not m.group(2)):
                return atom  # a literal "{" is read by atom() next time round
            lo = int(m.group(1) or 0)
            hi = lo if not m.group(2) else (int(m.group(3)) if m.group(3) else None)
            if hi is not None and hi < lo:
                raise _Unsupported("bad quantifier")
            self.i += m.end()
        else:
            return atom
        if self.peek() == "?":  # lazy
            self.i += 1
        elif self.peek() == "+":  # possessive
            self.i += 1
        if isinstance(atom, tuple) and atom[0] == "rep":
            raise _Unsupported("nested quantifier")
        return ("rep", atom, lo, hi)

    def atom(self) -> Any:
        ch = self.p[self.i]
        if ch in "^$":
            self.i += 1
            return None
        if ch == "(":
            self.i += 1
            if self.p.startswith("?:", self.i):
                self.i += 2
            elif self.p.startswith("?P<", self.i) or (self.p.startswith("?<", self.i)
                                                       and not self.p.startswith(("?<=", "?<!"), self.i)):
                end = self.p.find(">", self.i)
                if end < 0:
                    raise _Unsupported("bad group name")
                self.i = end + 1
            elif self.peek() == "?":
                raise _Unsupported("lookaround or inline flag")
            node = self.alternation()
            if self.peek() != ")":
                raise _Unsupported("unbalanced parenthesis")
            self.i += 1
            return node
        if ch == ")":
            raise _Unsupported("unbalanced parenthesis")
        if ch == "[":
            return self.char_set()
        if ch == ".":
            self.i += 1
            return ("set", _LOWER + _UPPER + _DIGITS)
        if ch == "\\":
            return self.escape(in_set=False)
        if ch in "*+?":
            raise _Unsupported("quantifier without atom")
        if ch == "{" and re.match(r"\{\d*,?\d*\}", self.p[self.i:]) and re.match(r"\{\d", self.p[self.i:]):
            raise _Unsupported("quantifier without atom")
        self.i += 1
        return ("set", ch)

    def escape(self, *, in_set: bool) -> Any:
        self.i += 1
        if self.i >= len(self.p):
            raise _Unsupported("trailing backslash")
        ch = self.p[self.i]
        self.i += 1
        if ch in _CLASS_ESCAPES:
            return ("set", _CLASS_ESCAPES[ch])
        if ch in _CHAR_ESCAPES:
            return ("set", _CHAR_ESCAPES[ch])
        if ch == "x":
            m = re.match(r"[0-9a-fA-F]{2}", self.p[self.i:])
            if not m:
                raise _Unsupported("bad \\x escape")
            self.i += 2
            return ("set", chr(int(m.group(0), 16)))
        if ch == "u":
            m = re.match(r"[0-9a-fA-F]{4}", self.p[self.i:])
            if not m:
                raise _Unsupported("bad \\u escape")
            self.i += 4
            return ("set", chr(int(m.group(0), 16)))
        if not in_set and ch in "bBAZz":
            return None  # zero-width assertions; the final check catches what they exclude
        if ch.isalnum():
            raise _Unsupported(f"escape \\{ch}")
        return ("set", ch)

    def char_set(self) -> Any:
        self.i += 1
        negate = self.peek() == "^"
        if negate:
            self.i += 1
        chars: list[str] = []
        first = True
        while True:
            if self.i >= len(self.p):
                raise _Unsupported("unterminated character class")
            ch = self.p[self.i]
            if ch == "]" and not first:
                self.i += 1
                break
            first = False
            if ch == "[" and self.p.startswith("[:", self.i):
                raise _Unsupported("POSIX class")
            if ch == "\\":
                node = self.escape(in_set=True)
                piece = node[1]
                if len(piece) > 1:
                    chars.extend(piece)
                    continue
                start = piece
            else:
                self.i += 1
                start = ch
            if self.peek() == "-" and self.i + 1 < len(self.p) and self.p[self.i + 1] != "]":
                self.i += 1
                if self.peek() == "\\":
                    end_node = self.escape(in_set=True)
                    if len(end_node[1]) != 1:
                        raise _Unsupported("bad range")
                    end = end_node[1]
                else:
                    end = self.p[self.i]
                    self.i += 1
                if ord(end) < ord(start):
                    raise _Unsupported("bad range")
                chars.extend(chr(c) for c in range(ord(start), min(ord(end), ord(start) + 2000) + 1))
            else:
                chars.append(start)
        if negate:
            excluded = set(chars)
            allowed = [c for c in _PRINTABLE if c not in excluded]
            if not allowed:
                raise _Unsupported("empty negated class")
            return ("set", "".join(allowed))
        seen: dict[str, None] = {}
        for c in chars:
            seen.setdefault(c, None)
        if not seen:
            raise _Unsupported("empty class")
        return ("set", "".join(seen))


def _has_variable(node: Any) -> bool:
    kind = node[0]
    if kind == "rep":
        return node[2] != node[3] or _has_variable(node[1])
    if kind == "seq":
        return any(_has_variable(n) for n in node[1])
    if kind == "alt":
        return any(_has_variable(n) for n in node[1])
    return False


def _emit(node: Any, variant: int, stretch: int, out: list[str]) -> None:
    kind = node[0]
    if kind == "set":
        chars = node[1]
        out.append(chars[variant % len(chars)])
    elif kind == "seq":
        for n in node[1]:
            _emit(n, variant, stretch, out)
    elif kind == "alt":
        branches = node[1]
        _emit(branches[variant % len(branches)], variant, stretch, out)
    elif kind == "rep":
        _, inner, lo, hi = node
        if lo == hi:
            count = lo
        elif lo == 0 and hi == 1:
            count = 1 if stretch else 0
        else:
            count = max(lo, 1) + stretch
            if hi is not None:
                count = min(count, hi)
        for _ in range(count):
            _emit(inner, variant, stretch, out)


def pattern_example(pattern: str, variant: int = 0, min_length: int | None = None,
                    max_length: int | None = None) -> str | None:
    """A string made to match a simple ``pattern`` (None when the pattern is not simple).

    Quantifiers take their least count (``*`` and ``+`` one, ``?`` none), grown until
    ``min_length`` is reached; classes give their first character (the ``variant``-th for
    later items); alternations their first branch (the ``variant``-th). The result is not
    checked here.
    """
    lookaheads, rest = _leading_lookaheads(pattern)
    if lookaheads:
        return _lookahead_example(lookaheads, rest, variant, min_length, max_length)
    try:
        tree = _RegexParser(pattern).parse()
    except (_Unsupported, IndexError, ValueError):
        return None
    best: str | None = None
    variable = _has_variable(tree)
    for stretch in range(0, 64 if variable else 1):
        out: list[str] = []
        _emit(tree, variant, stretch, out)
        text = "".join(out)
        if len(text) > 10000:
            break
        if max_length is not None and len(text) > max_length and best is not None:
            break
        best = text
        if min_length is None or len(text) >= min_length:
            break
    return best


def _leading_lookaheads(pattern: str) -> tuple[list[tuple[bool, str]], str]:
    """Split ``^(?=.*[A-Z])(?!.*x)rest`` into ([(True, ".*[A-Z]"), (False, ".*x")], "^rest"), the
    form password rules take. No lookahead at the start: ([], pattern)."""
    anchored = pattern.startswith("^")
    i = 1 if anchored else 0
    found: list[tuple[bool, str]] = []
    while pattern.startswith(("(?=", "(?!"), i):
        depth, j, in_class = 0, i, False
        while j < len(pattern):
            ch = pattern[j]
            if ch == "\\":
                j += 2
                continue
            if in_class:
                in_class = ch != "]"
            elif ch == "[":
                in_class = True
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        if j >= len(pattern):
            return [], pattern
        found.append((pattern[i + 2] == "=", pattern[i + 3:j]))
        i = j + 1
    if not found:
        return [], pattern
    return found, ("^" if anchored else "") + pattern[i:]


def _lookahead_example(lookaheads: list[tuple[bool, str]], rest: str, variant: int,
                       min_length: int | None, max_length: int | None) -> str | None:
    """A string for ``rest`` that also holds what each positive lookahead asks for (each one's
    own example, put first); checked against the whole pattern, None when it fails."""
    whole = "".join(("(?=" if positive else "(?!") + body + ")" for positive, body in lookaheads)
    anchored = rest.startswith("^")
    try:
        compiled = re.compile(("^" if anchored else "") + whole + (rest[1:] if anchored else rest))
    except re.error:
        return None
    needs = ""
    for positive, body in lookaheads:
        if positive:
            made = pattern_example(body, variant)
            if made is None:
                return None
            needs += made
    base = pattern_example(rest, variant, min_length, max_length) if rest not in ("", "^") else ""
    if base is None:
        return None
    candidates = [needs + base[len(needs):], needs + base]
    if min_length is not None and len(needs + base) < min_length:
        candidates.append(needs + base + "a" * (min_length - len(needs + base)))
    for text in candidates:
        if max_length is not None and len(text) > max_length:
            continue
        if compiled.search(text):
            return text
    return None


# -- the builder -------------------------------------------------------------------------------
class ExampleBuilder:
    """Builds example values from schemas of one document.

    ``diagnostics`` accumulates warnings (each reported once), located by JSON pointer.
    """

    def __init__(self, resolver: Resolver, *, spec_version: str, max_depth: int = 5) -> None:
        self.resolver = resolver
        version = str(spec_version or "")
        self.spec_version = "2.0" if version.startswith("2") else ("3.1" if version.startswith("3.1") else "3.0")
        self.max_depth = max(0, int(max_depth))
        self.diagnostics: list[Diagnostic] = []
        self._reported: set[tuple[str, str]] = set()
        self._checked: dict[str, str | None] = {}  # declared value's place -> its problem
        self._root_validator: Any = None
        self._nodes = 0
        self._active = 0  # _build calls on the stack: composition loops do not nest objects
        self._direction = "request"
        self._text = False  # building a parameter's value (text on the wire)
        self._scalar_first = False  # a top-level oneOf/anyOf prefers a scalar branch

    # -- public ----------------------------------------------------------------------------------
    def for_schema(self, schema: dict | None, where: str, *, direction: str = "request",
                   name: str | None = None, text: bool = False, scalar_first: bool = False) -> Any:
        """An example value for ``schema`` (``where`` = its JSON pointer, for diagnostics).

        ``direction`` is ``"request"`` (leaves out readOnly properties) or ``"response"``
        (leaves out writeOnly ones). ``name`` (a parameter or property name) seeds plain
        strings. ``text``: the value travels as text (a parameter), so a declared "10" of an
        integer schema is read as 10. ``scalar_first``: a top-level oneOf/anyOf takes its first
        scalar branch, if any (parameters). Returns None when the schema says nothing (``{}``,
        ``True``, None).
        """
        self._direction = "response" if direction == "response" else "request"
        self._text = text
        self._scalar_first = scalar_first
        self._nodes = 0
        self._active = 0
        chain: tuple[str, ...] = ()
        if isinstance(schema, dict) and "$ref" not in schema and where.startswith("/"):
            # a schema built from its own place (e.g. a component) counts as being expanded,
            # so that a reference back to it is recursion at once
            try:
                if self.resolver.lookup("#" + where) is schema:
                    chain = (where,)
            except SpecError:
                pass
        mark = self._mark()
        try:
            value = self._build(schema, where, name=name, level=0, chain=chain, variant=0)
        except RecursionError:  # pragma: no cover - depth is bounded; kept as a last guard
            self._warn(where, "schema too deeply nested to build an example")
            return None
        if value is _NOTHING:
            return None
        if isinstance(schema, dict) and not self._text and len(self.diagnostics) == mark:
            # a value a validating server would refuse, when no warning has said why already
            problem = self._problem(value, schema)
            if problem is not None:
                self._warn(where, f"the value built from this schema does not match it ({problem}); "
                                  f"a server that validates requests may refuse it")
        return value

    def pick_declared(self, holder: dict, where: str, *, direction: str = "request") -> tuple[bool, Any]:
        """The example declared on a parameter, media type, body parameter or response.

        Looks at ``example``; then ``examples`` (OpenAPI 3: a map of Example objects, each
        possibly a ``$ref``; the first one with a ``value`` wins, ``externalValue``-only
        entries are skipped. Swagger 2.0: a map keyed by media type, JSON preferred; a list:
        its first item); then ``x-example``; then ``x-examples`` (read like Swagger 2.0
        ``examples``). Returns ``(True, value)`` or ``(False, None)``.

        A declared value that does not validate against the holder's schema is replaced by a
        value built from that schema when that one validates (with a warning); otherwise it is
        kept, with a warning.
        """
        if not isinstance(holder, dict):
            return False, None
        try:
            holder, where = self.resolver.deref(holder, where)
        except SpecError as exc:
            self._spec_warning(exc, where)
            return False, None
        if not isinstance(holder, dict):
            return False, None
        found, value, loc = self._pick(holder, where)
        if not found:
            return False, None
        schema = self._holder_schema(holder)
        self._direction = "response" if direction == "response" else "request"
        value = self._drop_flagged(value, schema, where + "/schema")
        problem = self._problem_at(value, schema, loc)
        if problem is None:
            return True, value
        if holder.get("in") in ("path", "query", "header", "cookie", "formData"):
            # parameters travel as text: "10" for an integer, "a,b" for a csv array is the same
            # text as 10 and ["a", "b"], and is read back as such
            typed = self._typed_text(value, schema, holder)
            if typed is not value and self._problem(typed, schema) is None:
                return True, typed
        swhere = where + "/schema" if isinstance(holder.get("schema"), (dict, bool)) else where
        name = holder.get("name") if isinstance(holder.get("name"), str) else None
        self._direction = "response" if direction == "response" else "request"

        def build() -> Any:
            built = self.for_schema(schema if isinstance(schema, dict) else None, swhere, direction=direction,
                                    name=name, text="in" in holder,
                                    scalar_first=holder.get("in") in ("path", "query", "header", "cookie"))
            return _NOTHING if built is None else built

        return True, self._settle(value, schema, swhere, loc, "example", problem, build, name=name)

    def non_empty(self, value: Any, schema: Any, where: str, *, name: str | None = None) -> tuple[Any, bool]:
        """A required value that is not empty: ``value`` itself unless it is empty ("", or an
        array or object holding nothing but empty values); then a value built from ``schema``
        without its declared examples and defaults (else ``name``), when that one validates.
        A schema that allows nothing but the empty value (``enum: [""]``, ``maxLength: 0``)
        keeps it. Returns ``(value, whether it was replaced)``."""
        if not is_empty(value):
            return value, False
        try:
            resolved = self.resolver.resolve(schema) if isinstance(schema, dict) else {}
        except SpecError:
            resolved = {}
        resolved = resolved if isinstance(resolved, dict) else {}
        bare = _undeclared(resolved)
        if isinstance(bare.get("items"), dict):
            try:
                items = self.resolver.resolve(bare["items"])
            except SpecError:
                items = {}
            bare["items"] = _undeclared(items if isinstance(items, dict) else {})
        mark = self._mark()
        built = self.for_schema(bare, where, name=name, text=True, scalar_first=True)
        if is_empty(built):
            built = [name or "value"] if _schema_type(bare) == "array" else (name or "value")
        if self._problem(built, resolved or None) is not None and self._problem(value, resolved or None) is None:
            self._rollback(mark)
            return value, False
        return built, True

    def _drop_flagged(self, value: Any, node: Any, where: str, depth: int = 0) -> Any:
        """``value`` without the properties its schema marks readOnly (in a request) or
        writeOnly (in a response): examples often show the whole object, but such a property
        is not to be sent (servers refuse it where additionalProperties is false)."""
        if not isinstance(value, (dict, list)) or depth > 32:
            return value
        schema, swhere, _ = self._resolve(node, where)
        if not isinstance(schema, dict):
            return value
        if isinstance(schema.get("allOf"), list) and schema["allOf"]:
            schema, _ = self._merge_all_of(schema, swhere)
        if isinstance(value, dict):
            props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
            if not props:
                return value
            flag = "readOnly" if self._direction == "request" else "writeOnly"
            out: dict[str, Any] = {}
            for key, sub in value.items():
                if key in props:
                    if self._flag(props[key], swhere, flag):
                        continue
                    sub = self._drop_flagged(sub, props[key], swhere + pointer("properties", key), depth + 1)
                out[key] = sub
            return out
        items = schema.get("items")
        if isinstance(items, dict):
            return [self._drop_flagged(item, items, swhere + "/items", depth + 1) for item in value]
        return value

    def _typed_text(self, value: Any, schema: Any, holder: dict) -> Any:
        """A parameter's example written as text, read as the type of its schema: "10" -> 10,
        "true" -> True, "a,b" -> ["a", "b"] (split as its style or collectionFormat joins);
        ``value`` itself when it is not text of that type."""
        try:
            schema = self.resolver.resolve(schema) if isinstance(schema, dict) else None
        except SpecError:
            return value
        if not isinstance(schema, dict):
            return value
        kind = _schema_type(schema)
        if kind == "array" and isinstance(value, str):
            style = holder.get("style") or holder.get("collectionFormat")
            sep = {"spaceDelimited": " ", "ssv": " ", "pipeDelimited": "|", "pipes": "|", "tsv": "\t"}.get(
                str(style), ",")
            items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
            return [self._typed_scalar(part, items) for part in value.split(sep)] if value else []
        if kind == "array" and isinstance(value, list):
            items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
            return [self._typed_scalar(part, items) for part in value]
        return self._typed_scalar(value, schema)

    def _typed_scalar(self, value: Any, schema: Any) -> Any:
        try:
            schema = self.resolver.resolve(schema) if isinstance(schema, dict) else {}
        except SpecError:
            return value
        kind = _schema_type(schema) if isinstance(schema, dict) else None
        if not isinstance(value, str):
            return value
        text = value.strip()
        if kind == "integer" and re.fullmatch(r"[-+]?[0-9]+", text):
            return int(text)
        if kind == "number" and re.fullmatch(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", text):
            number = float(text)
            return int(number) if number.is_integer() and re.fullmatch(r"[-+]?[0-9]+", text) else number
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        return value

    def _pick(self, holder: dict, where: str) -> tuple[bool, Any, str]:
        if "example" in holder:
            return True, plain(holder["example"]), where + "/example"
        examples = holder.get("examples")
        if examples is not None:
            found, value, loc = self._from_examples(examples, where + "/examples")
            if found:
                return True, value, loc
        if "x-example" in holder:
            return True, plain(holder["x-example"]), where + "/x-example"
        if holder.get("x-examples") is not None:
            found, value, loc = self._media_map(holder["x-examples"], where + "/x-examples")
            if found:
                return True, value, loc
        return False, None, where

    # -- declared examples -------------------------------------------------------------------
    def _holder_schema(self, holder: dict) -> Any:
        if isinstance(holder.get("schema"), (dict, bool)):
            return holder["schema"]
        if self.spec_version == "2.0" and isinstance(holder.get("type"), str) and holder.get("in") != "body":
            return {k: v for k, v in holder.items()
                    if k not in ("name", "in", "required", "description", "collectionFormat", "allowEmptyValue",
                                 "example", "x-example", "x-examples")}
        return None

    def _from_examples(self, examples: Any, where: str) -> tuple[bool, Any, str]:
        if isinstance(examples, list):
            if examples:
                return True, plain(examples[0]), where + "/0"
            return False, None, where
        if not isinstance(examples, dict):
            return False, None, where
        if self.spec_version == "2.0":
            return self._media_map(examples, where)
        for key, entry in examples.items():
            ewhere = where + pointer(key)
            if isinstance(entry, dict) and "$ref" in entry:
                try:
                    entry, ewhere = self.resolver.deref(entry, ewhere)
                except SpecError as exc:
                    self._spec_warning(exc, ewhere)
                    continue
            if not isinstance(entry, dict):
                self._warn(ewhere, "examples entry is not an Example object; its content is used as the value")
                return True, plain(entry), ewhere
            if "value" in entry:
                return True, plain(entry["value"]), ewhere + "/value"
            if "externalValue" in entry or "summary" in entry or "description" in entry:
                continue
            self._warn(ewhere, "examples entry is not an Example object; its content is used as the value")
            return True, plain(entry), ewhere
        return False, None, where

    def _media_map(self, examples: Any, where: str) -> tuple[bool, Any, str]:
        """A map keyed by media type (Swagger 2.0 ``examples``): JSON first, else the first."""
        if isinstance(examples, list):
            return (True, plain(examples[0]), where + "/0") if examples else (False, None, where)
        if not isinstance(examples, dict) or not examples:
            return False, None, where
        keys = [str(k) for k in examples]
        chosen = next((k for k in keys if k.split(";")[0].strip().lower() == "application/json"), None)
        if chosen is None:
            chosen = next((k for k in keys if "json" in k.lower()), keys[0])
        raw = next(v for k, v in examples.items() if str(k) == chosen)
        return True, plain(raw), where + pointer(chosen)

    def _declared(self, schema: dict, where: str, variant: int,
                  rebuild: Any = None) -> tuple[bool, Any]:
        """The value declared on a schema: example, examples[0], x-examples, default, const, enum.

        ``rebuild(schema)`` builds a value from a schema; when given, a declared example or
        default that does not validate against ``schema`` is replaced by the value rebuilt from
        the schema without it, if that one validates (else the declared value is kept). Either
        way a warning names the problem.
        """
        for key in _DECLARED_KEYS:
            if key not in schema:
                continue
            raw = schema[key]
            loc = where + "/" + key
            if key in ("examples", "x-examples"):
                if isinstance(raw, list) and raw:
                    raw, loc = raw[0], loc + "/0"
                elif key == "x-examples" and isinstance(raw, dict) and raw:
                    first = next(iter(raw))
                    raw, loc = raw[first], loc + pointer(first)
                else:
                    continue
            what = "default" if key == "default" else "example"
            value = self._drop_flagged(plain(raw), schema, where)
            problem = self._problem_at(value, schema, loc)
            if rebuild is None:
                if problem is not None:
                    self._warn(loc, _kept(what, problem))
                return True, (self._vary(value, schema, variant) if variant else value)
            without = {k: v for k, v in schema.items() if k != key}
            if problem is not None and self._text:
                typed = self._typed_text(value, schema, {})
                if typed is not value and self._problem(typed, schema) is None:
                    value, problem = typed, None
            if problem is not None:
                settled = self._settle(value, schema, where, loc, what, problem, lambda: rebuild(without))
                if settled is value and variant:
                    return True, self._vary(value, schema, variant)
                return True, settled
            if not variant:
                return True, value
            varied = self._vary(value, schema, variant)
            if varied == value or self._problem(varied, schema) is None:
                return True, varied
            # the variant of a declared value breaks the schema (an enum, a format, a pattern):
            # build the variant from the schema instead
            mark = self._mark()
            built = rebuild(without)
            if built is not _NOTHING and self._problem(built, schema) is None:
                return True, built
            self._rollback(mark)
            return True, varied
        if "const" in schema:
            return True, plain(schema["const"])
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            # null and "" (often listed to mean "unset") only when there is nothing else
            values = [v for v in enum if v is not None and v != ""] or [v for v in enum if v is not None]
            if not values:
                return True, None
            return True, plain(values[variant % len(values)])
        return False, None

    def _settle(self, value: Any, schema: Any, where: str, loc: str, what: str, problem: str,
                build: Any, name: str | None = None) -> Any:
        """The value to send for a declared ``value`` (at ``loc``) that fails ``schema`` (at
        ``where``) for ``problem``: the example with its failing parts built from the schema;
        else the value ``build()`` makes; else, when neither validates, the declared value."""
        mark = self._mark()
        if isinstance(value, (dict, list)):
            repaired, kept = self._repair(value, schema, where, name=name, depth=0)
            if kept and repaired is not _NOTHING and self._problem(repaired, schema) is None:
                self._warn(loc, _replaced(what, problem) + " (the parts that match are kept)", before=mark)
                return repaired
            self._rollback(mark)
        built = build()
        if built is not _NOTHING and self._problem(built, schema) is None:
            self._warn(loc, _replaced(what, problem), before=mark)
            return built
        self._rollback(mark)
        self._warn(loc, _kept(what, problem))
        return value

    def _repair(self, value: Any, node: Any, where: str, *, name: str | None, depth: int) -> tuple[Any, bool]:
        """``value`` with each part that fails its (sub)schema built from that schema instead:
        object properties one by one (unknown ones dropped when additionalProperties is false,
        missing required ones added), array items one by one (then cut to maxItems or grown to
        minItems). Returns (value, whether any declared part was kept)."""
        if self._problem(value, node) is None:
            return value, True
        schema, swhere, ref = self._resolve(node, where)
        if not isinstance(schema, dict) or depth > 16:
            return self._fresh(node, where, name, depth), False
        if isinstance(schema.get("allOf"), list) and schema["allOf"]:
            schema, _ = self._merge_all_of(schema, swhere)
        if any(isinstance(schema.get(k), list) for k in ("oneOf", "anyOf")):
            return self._fresh(node, where, name, depth), False
        kind = _schema_type(schema)
        if kind == "object" and isinstance(value, dict):
            props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
            extra = schema.get("additionalProperties")
            out: dict[str, Any] = {}
            kept = False
            for key, sub in value.items():
                if key in props:
                    out[key], k = self._repair(sub, props[key], swhere + pointer("properties", key), name=key,
                                               depth=depth + 1)
                elif extra is False:
                    continue
                elif isinstance(extra, dict):
                    out[key], k = self._repair(sub, extra, swhere + "/additionalProperties", name=None,
                                               depth=depth + 1)
                else:
                    out[key], k = sub, True
                kept = kept or k
            required = schema.get("required") if isinstance(schema.get("required"), list) else []
            flag = "readOnly" if self._direction == "request" else "writeOnly"
            for key in required:
                if isinstance(key, str) and key not in out and key in props \
                        and not self._flag(props[key], swhere, flag):
                    out[key] = self._fresh(props[key], swhere + pointer("properties", key), key, depth + 1)
            return out, kept
        if kind == "array" and isinstance(value, list):
            items = schema.get("items")
            out_list: list[Any] = []
            kept = False
            for i, item in enumerate(value):
                if isinstance(items, dict):
                    fixed, k = self._repair(item, items, swhere + "/items", name=name, depth=depth + 1)
                else:
                    fixed, k = item, True
                out_list.append(fixed)
                kept = kept or k
            max_items = _int_or_none(schema.get("maxItems"))
            if max_items is not None and len(out_list) > max_items:
                out_list = out_list[:max(0, max_items)]
            min_items = _int_or_none(schema.get("minItems")) or 0
            while len(out_list) < min(min_items, MAX_ARRAY_ITEMS) and isinstance(items, dict):
                out_list.append(self._fresh(items, swhere + "/items", name, depth + 1, variant=len(out_list)))
            return out_list, kept
        return self._fresh(node, where, name, depth), False

    def _reenters(self, node: Any, where: str, chain: tuple[str, ...]) -> bool:
        """Whether ``node`` is a $ref to a schema already met again while it is expanded."""
        if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
            return False
        try:
            return "@" + self.resolver.deref(node, where)[1] in chain
        except SpecError:
            return False

    def _fresh(self, node: Any, where: str, name: str | None, depth: int, variant: int = 0) -> Any:
        value = self._build(node, where, name=name, level=depth, chain=(), variant=variant)
        return {} if value is _NOTHING else value

    def _vary(self, value: Any, schema: dict, variant: int) -> Any:
        if isinstance(value, bool):
            return value if variant % 2 == 0 else not value
        if isinstance(value, int):
            return value + variant
        if isinstance(value, float):
            return value + variant
        if isinstance(value, str):
            suffix = str(variant + 1)
            max_len = _int_or_none(schema.get("maxLength"))
            base = value
            if max_len is not None and len(base) + len(suffix) > max_len:
                base = base[: max(0, max_len - len(suffix))]
            return base + suffix
        return value

    # -- validation of declared values ---------------------------------------------------------
    def _problem_at(self, value: Any, schema: Any, loc: str) -> str | None:
        """Why the value declared at ``loc`` does not validate against ``schema`` (None: it does).

        Checked once per place: a declared value does not change."""
        key = f"{self._direction} {loc}"
        if key not in self._checked:
            self._checked[key] = self._problem(value, schema)
        return self._checked[key]

    def _problem(self, value: Any, schema: Any) -> str | None:
        """Why ``value`` does not validate against ``schema``, or None when it does (or when the
        validator cannot tell: a validator failure never stops generation)."""
        if schema is None or schema is True or value is _NOTHING:
            return None
        if isinstance(schema, dict) and value is None and (schema.get("x-nullable") or schema.get("nullable")):
            return None
        try:
            validator = self._validator(schema)
            if validator is None:
                return None
            errors = [e for e in validator.iter_errors(value) if not self._read_only_required(e)]
            if not errors:
                return None
            from jsonschema.exceptions import best_match

            error = best_match(errors)
        except Exception:  # noqa: BLE001 - a validator failure must never stop generation
            return None
        if error is None:
            return None
        reason = str(error.message)
        if len(reason) > 200:
            reason = reason[:197] + "..."
        path = "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in error.absolute_path)
        if path:
            reason = f"at {path}: {reason}"
        return reason

    def _read_only_required(self, error: Any) -> bool:
        """A ``required`` error about properties that are all readOnly (requests) or writeOnly
        (responses): such properties are left out on purpose."""
        if error.validator != "required" or not isinstance(error.instance, dict):
            return False
        schema = error.schema if isinstance(error.schema, dict) else {}
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        flag = "readOnly" if self._direction == "request" else "writeOnly"
        missing = [r for r in error.validator_value or [] if isinstance(r, str) and r not in error.instance]
        return bool(missing) and all(r in props and self._flag(props[r], "", flag) for r in missing)

    def _validator(self, schema: Any) -> Any:
        """A validator for ``schema``: the one of the whole document, evolved, so that local
        ``$ref``s resolve against the document (and the document is read once)."""
        if not isinstance(schema, (dict, bool)):
            return None
        if self._root_validator is None:
            from openapi_schema_validator import OAS30Validator, OAS31Validator

            doc = self.resolver.document if isinstance(self.resolver.document, dict) else {}
            cls = OAS31Validator if self.spec_version == "3.1" else OAS30Validator
            if self.spec_version == "2.0":
                cls = _swagger2_validator_class()
            self._root_validator = cls(doc, format_checker=_format_checker(
                "3.1" if self.spec_version == "3.1" else "3.0"))
        return self._root_validator.evolve(schema=schema)

    # -- diagnostics ----------------------------------------------------------------------------
    def _warn(self, where: str, message: str, before: int | None = None) -> None:
        """Report a warning (once); ``before``: a mark, to list it ahead of those given since."""
        self._add(Diagnostic("warning", self.resolver.at(where), message), before)

    def _spec_warning(self, exc: SpecError, where: str) -> None:
        self._add(Diagnostic("warning", exc.location or self.resolver.at(where), exc.message))

    def _mark(self) -> int:
        return len(self.diagnostics)

    def _rollback(self, mark: int) -> None:
        """Forget the warnings given since ``mark`` (they were about a value that is not used)."""
        for diag in self.diagnostics[mark:]:
            self._reported.discard((diag.location, diag.message))
        del self.diagnostics[mark:]

    def _add(self, diag: Diagnostic, before: int | None = None) -> None:
        key = (diag.location, diag.message)
        if key not in self._reported:
            self._reported.add(key)
            if before is None:
                self.diagnostics.append(diag)
            else:
                self.diagnostics.insert(before, diag)

    # -- resolution ----------------------------------------------------------------------------
    def _resolve(self, node: Any, where: str) -> tuple[Any, str, str | None]:
        """(schema dict or None, its pointer, the pointer of the $ref target when reached by $ref)."""
        if node is True or node is None:
            return {}, where, None
        if not isinstance(node, dict):
            return None, where, None
        if not isinstance(node.get("$ref"), str):
            return node, where, None
        try:
            target, loc = self.resolver.deref(node, where)
        except SpecError as exc:
            self._spec_warning(exc, where)
            return None, where, None
        if target is True:
            target = {}
        if not isinstance(target, dict):
            return None, loc, None
        if self.spec_version == "3.1":
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if siblings:
                merged = dict(target)
                merged.update(siblings)
                return merged, (where if any(k in siblings for k in _DECLARED_KEYS) else loc), loc
        return target, loc, loc

    def _peek(self, node: Any, where: str) -> dict:
        """The resolved schema without diagnostics (for flags), {} when unusable."""
        try:
            target = self.resolver.resolve(node, where) if isinstance(node, dict) else node
        except SpecError:
            return {}
        if isinstance(node, dict) and self.spec_version == "3.1" and "$ref" in node and isinstance(target, dict):
            target = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return target if isinstance(target, dict) else {}

    def _flag(self, node: Any, where: str, flag: str, _depth: int = 0) -> bool:
        schema = self._peek(node, where)
        if schema.get(flag) is True:
            return True
        if _depth < 8:
            for branch in schema.get("allOf") or []:
                if self._flag(branch, where, flag, _depth + 1):
                    return True
        return False

    # -- building ------------------------------------------------------------------------------
    def _build(self, node: Any, where: str, *, name: str | None, level: int, chain: tuple[str, ...],
               variant: int) -> Any:
        if self._active >= _MAX_ACTIVE:
            self._warn(where, "schemas refer to each other in a loop with nothing to build; no example made")
            return _NOTHING
        self._nodes += 1
        self._active += 1
        try:
            return self._build_node(node, where, name=name, level=level, chain=chain, variant=variant)
        finally:
            self._active -= 1

    def _build_node(self, node: Any, where: str, *, name: str | None, level: int, chain: tuple[str, ...],
                    variant: int) -> Any:
        schema, where, ref = self._resolve(node, where)
        if schema is None:
            return _NOTHING
        reentry = ref is not None and ref in chain
        if ref is not None and not reentry:
            chain = chain + (ref,)
        if reentry:
            # met again while it is being expanded: shown once more (required properties only);
            # the next time, null (when allowed) or an empty array of it ends the recursion validly
            if "@" + ref in chain and _nullable(schema):
                return None
            if "@" + ref not in chain:
                chain = chain + ("@" + ref,)
        ref_text = node["$ref"] if ref is not None else None
        return self._build_schema(schema, where, ref=ref, ref_text=ref_text, name=name, level=level,
                                  chain=chain, variant=variant, reentry=reentry)

    def _build_schema(self, schema: dict, where: str, *, ref: str | None, ref_text: str | None,
                      name: str | None, level: int, chain: tuple[str, ...], variant: int, reentry: bool,
                      merged: bool = False, inherited: tuple[str, str] | None = None) -> Any:
        def rebuild(without: dict) -> Any:
            return self._build_schema(without, where, ref=ref, ref_text=ref_text, name=name, level=level,
                                      chain=chain, variant=variant, reentry=reentry, merged=merged,
                                      inherited=inherited)

        found, value = self._declared(schema, where + "/allOf/0" if merged else where, variant, rebuild)
        if found:
            return value

        if not merged and isinstance(schema.get("allOf"), list) and schema["allOf"]:
            schema, bases = self._merge_all_of(schema, where)
            chain = chain + tuple(r for r, _ in bases if r not in chain)
            if ref is not None and ref_text is not None:
                inherited = self._inherited_discriminator(bases, ref_text, ref)
            return self._build_schema(schema, where, ref=ref, ref_text=ref_text, name=name, level=level,
                                      chain=chain, variant=variant, reentry=reentry, merged=True,
                                      inherited=inherited)

        for keyword in ("oneOf", "anyOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list) and branches:
                return self._build_choice(schema, keyword, where, name=name, level=level, chain=chain,
                                          variant=variant)

        value = self._build_typed(schema, where, name=name, level=level, chain=chain, variant=variant,
                                  reentry=reentry)
        if inherited is not None and isinstance(value, dict):
            _set_first(value, inherited[0], inherited[1])
        return value

    def _build_typed(self, schema: dict, where: str, *, name: str | None, level: int,
                     chain: tuple[str, ...], variant: int, reentry: bool) -> Any:
        kind = _schema_type(schema)
        if kind == "null":
            return None
        if kind == "object":
            return self._object(schema, where, level=level, chain=chain, variant=variant, reentry=reentry)
        if kind == "array":
            return self._array(schema, where, name=name, level=level, chain=chain, variant=variant)
        if kind == "string":
            return self._string(schema, where, name, variant)
        if kind in ("integer", "number"):
            return self._number(schema, where, variant, integer=kind == "integer")
        if kind == "boolean":
            return variant % 2 == 0
        if kind == "file":
            return ""
        return _NOTHING

    # composition ---------------------------------------------------------------------------------
    def _merge_all_of(self, schema: dict, where: str) -> tuple[dict, list[tuple[str, dict]]]:
        """Merge ``allOf`` branches (and theirs, recursively) with the schema's own keywords.

        Properties keep declaration order (branches first, then the schema's own); a property
        declared twice becomes ``allOf`` of both declarations; ``required`` is the union.
        Other keywords: the schema's own win, then the first branch that has them. Declared
        examples/defaults are inherited only from a lone branch wrapped without properties.
        """
        branches = schema["allOf"]
        inherit_declared = len(branches) == 1 and not schema.get("properties")
        merged: dict[str, Any] = {}
        props: dict[str, Any] = {}
        required: list[str] = []
        refs: list[tuple[str, dict]] = []  # (pointer, schema) of every branch reached by $ref
        stack: list[str] = []

        def absorb(s: dict, own: bool) -> None:
            for key, val in s.items():
                if key == "allOf":
                    continue
                if key == "properties" and isinstance(val, dict):
                    for pname, psub in val.items():
                        pname = str(pname)
                        if pname in props and props[pname] is not psub:
                            props[pname] = {"allOf": [props[pname], psub]}
                        else:
                            props[pname] = psub
                elif key == "required" and isinstance(val, list):
                    for r in val:
                        if isinstance(r, str) and r not in required:
                            required.append(r)
                elif key == "discriminator" and not own:
                    continue
                elif key in _DECLARED_KEYS and not own and not inherit_declared:
                    continue
                elif own:
                    merged[key] = val
                else:
                    merged.setdefault(key, val)

        def walk(node: Any, w: str, depth: int) -> None:
            target, loc, ref = self._resolve(node, w)
            if not isinstance(target, dict) or depth > 32:
                return
            if ref is not None:
                if ref in stack:
                    return
                refs.append((ref, target))
                stack.append(ref)
            sub = target.get("allOf")
            if isinstance(sub, list):
                for i, branch in enumerate(sub):
                    walk(branch, f"{loc}/allOf/{i}", depth + 1)
            absorb(target, own=False)
            if ref is not None:
                stack.pop()

        for i, branch in enumerate(branches):
            walk(branch, f"{where}/allOf/{i}", 0)
        absorb(schema, own=True)
        if props:
            merged["properties"] = props
        if required:
            merged["required"] = required
        if "type" not in merged and props:
            merged["type"] = "object"
        return merged, refs

    def _inherited_discriminator(self, bases: list[tuple[str, dict]], ref_text: str,
                                 own: str) -> tuple[str, str] | None:
        """(property, value) when a schema reached by ``$ref: ref_text`` (pointer ``own``) extends
        a base schema that carries a discriminator."""
        for ref, base in bases:
            if ref == own:
                continue
            prop, mapping = _discriminator(base.get("discriminator"))
            if prop:
                return prop, self._mapping_key(mapping, ref_text, own)
        return None

    def _mapping_key(self, mapping: dict, ref_text: str, target: str | None) -> str:
        """The discriminator value of a branch: the mapping key that points to it, else the
        last segment of its ``$ref``."""
        for key, value in mapping.items():
            if not isinstance(value, str):
                continue
            if value == ref_text or (target is not None and self._mapping_target(value) == target):
                return str(key)
        try:
            parts = split_pointer(ref_text)
        except SpecError:
            parts = []
        if parts:
            return parts[-1]
        return ref_text.rstrip("/").rsplit("/", 1)[-1]

    def _mapping_target(self, value: str) -> str | None:
        if value.startswith("#"):
            try:
                return pointer(*split_pointer(value)) if value != "#" else "/"
            except SpecError:
                return None
        if "/" in value or "." in value:
            return None
        base = ("definitions",) if self.spec_version == "2.0" else ("components", "schemas")
        return pointer(*base, value)

    def _build_choice(self, schema: dict, keyword: str, where: str, *, name: str | None, level: int,
                      chain: tuple[str, ...], variant: int) -> Any:
        branches = schema[keyword]
        order = list(range(len(branches)))
        if self._scalar_first and level == 0:
            # a parameter travels as text: a branch that is plain text, a number or a boolean
            # is what every server reads back (an object needs a style the server must share)
            def scalar(i: int) -> bool:
                return _schema_type(self._peek(branches[i], f"{where}/{keyword}/{i}")) in (
                    "string", "integer", "number", "boolean")
            order.sort(key=lambda i: not scalar(i))
        candidates: list[tuple[int, Any, dict, str | None]] = []
        recursive: list[tuple[int, Any, dict, str | None]] = []
        for i in order:
            branch = branches[i]
            target = self._peek(branch, f"{where}/{keyword}/{i}") if branch is not True else {}
            if not _viable(target) and not (branch is True):
                continue
            ref = None
            if isinstance(branch, dict) and isinstance(branch.get("$ref"), str):
                try:
                    ref = self.resolver.deref(branch, f"{where}/{keyword}/{i}")[1]
                except SpecError:
                    continue
            # a branch that re-enters a schema being expanded comes last
            (candidates if ref is None or ref not in chain else recursive).append((i, branch, target, ref))
        candidates += recursive
        rest = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf", "discriminator")}
        if keyword == "oneOf" and isinstance(schema.get("anyOf"), list):
            rest["anyOf"] = schema["anyOf"]
        if not candidates:
            # no usable branch: build from the rest of the schema
            if any(k not in _ANNOTATIONS for k in rest):
                return self._build(rest, where, name=name, level=level, chain=chain, variant=variant)
            return _NOTHING
        first = self._build_branch(schema, rest, keyword, candidates[0], where, name=name, level=level,
                                   chain=chain, variant=variant)
        if keyword != "oneOf" or len(branches) < 2 or self._matches(first, branches) <= 1:
            return first
        # the value matches several branches, which oneOf forbids: the first other branch whose
        # value matches it alone is used instead
        for candidate in candidates[1:6]:
            mark = self._mark()
            value = self._build_branch(schema, rest, keyword, candidate, where, name=name, level=level,
                                       chain=chain, variant=variant)
            if self._matches(value, branches) == 1 and self._problem(value, schema) is None:
                return value
            self._rollback(mark)
        return first

    def _matches(self, value: Any, branches: list) -> int:
        """How many of ``branches`` the value validates against."""
        return sum(1 for branch in branches if self._problem(value, branch) is None)

    def _build_branch(self, schema: dict, rest: dict, keyword: str, chosen: tuple[int, Any, dict, str | None],
                      where: str, *, name: str | None, level: int, chain: tuple[str, ...], variant: int) -> Any:
        i, branch, target, ref = chosen
        bwhere = f"{where}/{keyword}/{i}"
        structural = [k for k in rest if k not in _ANNOTATIONS]
        if structural:
            value = self._build({"allOf": [rest, branch]}, where, name=name, level=level, chain=chain,
                                variant=variant)
        else:
            value = self._build(branch, bwhere, name=name, level=level, chain=chain, variant=variant)
        if isinstance(value, dict):
            prop, mapping = _discriminator(schema.get("discriminator"))
            if prop and isinstance(branch, dict) and isinstance(branch.get("$ref"), str):
                _set_first(value, prop, self._mapping_key(mapping, branch["$ref"], ref))
            elif not prop and ref is not None and isinstance(target.get("allOf"), list):
                _, bases = self._merge_all_of(target, ref)
                inherited = self._inherited_discriminator(bases, branch["$ref"], ref)
                if inherited is not None:
                    _set_first(value, inherited[0], inherited[1])
        return value

    # structure -----------------------------------------------------------------------------------
    def _object(self, schema: dict, where: str, *, level: int, chain: tuple[str, ...], variant: int,
                reentry: bool) -> Any:
        if level > self.max_depth:
            # past the depth limit: null when allowed; else only required properties, for a few
            # more levels (what a validating server needs), then nothing
            if _nullable(schema):
                return None
            if level > self.max_depth + _EXTRA_REQUIRED_LEVELS or not schema.get("required"):
                return {}
        required_only = reentry or level >= self.max_depth or self._nodes > _NODE_BUDGET
        required = [r for r in schema.get("required") or [] if isinstance(r, str)] \
            if isinstance(schema.get("required"), list) else []
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        out: dict[str, Any] = {}
        for pname, psub in props.items():
            pname = str(pname)
            if required_only and pname not in required:
                continue
            pwhere = where + pointer("properties", pname)
            if self._direction == "request" and self._flag(psub, pwhere, "readOnly"):
                continue
            if self._direction == "response" and self._flag(psub, pwhere, "writeOnly"):
                continue
            value = self._build(psub, pwhere, name=pname, level=level + 1, chain=chain, variant=variant)
            out[pname] = {} if value is _NOTHING else value
        if props:
            return out
        extra = schema.get("additionalProperties")
        pattern_props = schema.get("patternProperties")
        count = _int_or_none(schema.get("minProperties")) or 1
        count = max(1, min(count, MAX_ARRAY_ITEMS))
        if isinstance(extra, dict) and extra:
            names = schema.get("propertyNames") if isinstance(schema.get("propertyNames"), dict) else None
            for i in range(count):
                key = self._key(names, where, i, count)
                value = self._build(extra, where + "/additionalProperties", name=None, level=level + 1,
                                    chain=chain, variant=variant + i)
                out[key] = {} if value is _NOTHING else value
        elif isinstance(pattern_props, dict) and pattern_props:
            pattern, sub = next(iter(pattern_props.items()))
            key = pattern_example(str(pattern)) or "key"
            try:
                if not re.search(str(pattern), key):
                    key = "key"
            except re.error:
                pass
            value = self._build(sub, where + pointer("patternProperties", pattern), name=None,
                                level=level + 1, chain=chain, variant=variant)
            out[key] = {} if value is _NOTHING else value
        return out

    def _key(self, names: dict | None, where: str, i: int, count: int) -> str:
        if names:
            found, value = self._declared(names, where + "/propertyNames", i)
            if found and isinstance(value, str):
                return value
            if any(k in names for k in ("pattern", "minLength", "maxLength", "format")):
                return self._string(names, where + "/propertyNames", "key", i)
        return "key" if count == 1 else f"key{i + 1}"

    def _array(self, schema: dict, where: str, *, name: str | None, level: int, chain: tuple[str, ...],
               variant: int) -> Any:
        if level > self.max_depth and (level > self.max_depth + _EXTRA_REQUIRED_LEVELS
                                       or not _int_or_none(schema.get("minItems"))):
            return []
        prefix = schema.get("prefixItems")
        items = schema.get("items")
        if isinstance(items, list):  # draft-4 tuple form
            prefix, items = items, schema.get("additionalItems")
            items_where = where + "/additionalItems"
        else:
            items_where = where + "/items"
        prefix = prefix if isinstance(prefix, list) else []
        if items is False:
            items = None
        min_items = _int_or_none(schema.get("minItems"))
        max_items = _int_or_none(schema.get("maxItems"))
        if items is None and not prefix and not min_items:
            return []
        if not prefix and not min_items and self._reenters(items, items_where, chain):
            return []  # items of a schema already re-entered: an empty array ends the recursion validly
        count = max(1, min(min_items or 1, MAX_ARRAY_ITEMS), min(len(prefix), MAX_ARRAY_ITEMS))
        if max_items is not None:
            count = max(0, min(count, max_items))
        out = []
        for i in range(count):
            if i < len(prefix):
                node, iwhere = prefix[i], f"{where}/prefixItems/{i}"
            else:
                node, iwhere = items, items_where
            value = self._build(node, iwhere, name=name, level=level + 1, chain=chain, variant=variant + i)
            out.append({} if value is _NOTHING else value)
        if schema.get("uniqueItems") is True and len(out) > 1:
            if len({_canonical(v) for v in out}) < len(out):
                self._warn(where, f"could not make the {len(out)} items of this uniqueItems array distinct")
        return out

    def _string(self, schema: dict, where: str, name: str | None, variant: int) -> str:
        fmt = schema.get("format")
        fmt = fmt if isinstance(fmt, str) else ""
        min_len = _int_or_none(schema.get("minLength"))
        max_len = _int_or_none(schema.get("maxLength"))
        if fmt == "binary":
            return ""
        if fmt == "byte" or schema.get("contentEncoding") == "base64":
            return _fit_base64("example" + _suffix(variant), min_len, max_len)
        if fmt in FORMAT_EXAMPLES:
            text = FORMAT_EXAMPLES[fmt](variant)
            text = _fit_format(fmt, text, min_len, max_len) or _fit(text, min_len, max_len)
        else:
            base = name if isinstance(name, str) and name else "string"
            text = _fit(base + _suffix(variant), min_len, max_len)
        pattern = schema.get("pattern")
        if not isinstance(pattern, str):
            return text
        try:
            compiled = re.compile(pattern)
        except re.error:
            compiled = None
        if compiled is not None and compiled.search(text):
            return text
        made = pattern_example(pattern, variant, min_len, max_len)
        if made is not None and (compiled is None or compiled.search(made)):
            return made
        if compiled is not None:
            self._warn(where + "/pattern", f"could not make a string that matches the pattern; sent {text!r}")
        return text

    def _number(self, schema: dict, where: str, variant: int, *, integer: bool) -> int | float:
        lo, lo_open = _bound(schema, "minimum", "exclusiveMinimum", lower=True)
        hi, hi_open = _bound(schema, "maximum", "exclusiveMaximum", lower=False)
        step = _decimal(schema.get("multipleOf"))
        if step is not None and step <= 0:
            step = None
        unit = step if step is not None else (Decimal(1) if integer else None)

        def ok(v: Decimal) -> bool:
            if lo is not None and (v <= lo if lo_open else v < lo):
                return False
            if hi is not None and (v >= hi if hi_open else v > hi):
                return False
            if step is not None and (v / step) != (v / step).to_integral_value():
                return False
            if step is not None and not integer and not _float_multiple(v, step):
                return False
            if integer and v != v.to_integral_value():
                return False
            return True

        value = Decimal(0)
        if not ok(value):
            if lo is not None and value < lo or (lo is not None and lo_open and value <= lo):
                if unit is not None:
                    value = (lo / unit).to_integral_value(rounding=ROUND_CEILING) * unit
                    if lo_open and value <= lo:
                        value += unit
                else:
                    value = lo if not lo_open else lo.to_integral_value(rounding=ROUND_FLOOR) + 1
                    if not ok(value) and hi is not None:
                        value = (lo + hi) / 2
            elif hi is not None:
                if unit is not None:
                    value = (hi / unit).to_integral_value(rounding=ROUND_FLOOR) * unit
                    if hi_open and value >= hi:
                        value -= unit
                else:
                    value = hi if not hi_open else hi.to_integral_value(rounding=ROUND_CEILING) - 1
                    if not ok(value) and lo is not None:
                        value = (lo + hi) / 2
            if not ok(value) and unit is not None:
                # e.g. 0.03 with multipleOf 0.01: 0.03 / 0.01 is 2.9999999999999996 in floating point,
                # which validators (and JavaScript) read as no multiple; a neighbour usually is one
                for k in range(1, 100):
                    near = next((c for c in (value + unit * k, value - unit * k) if ok(c)), None)
                    if near is not None:
                        value = near
                        break
            if not ok(value):
                self._warn(where, "no number satisfies the bounds of this schema; the nearest one is sent")
        if variant:
            delta = (unit or Decimal(1)) * variant
            for candidate in (value + delta, value - delta):
                if ok(candidate):
                    value = candidate
                    break
        if integer or value == value.to_integral_value():
            return int(value)
        return float(value)


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


def _fit_format(fmt: str, text: str, min_len: int | None, max_len: int | None) -> str | None:
    """``text`` (an example of ``fmt``) made as long as the bounds ask while it stays of that
    format: an email's local part grows, a URI gets a path, a host name a longer label; shorter
    forms when it is too long. None when the format cannot be fitted."""
    lo = max(min_len or 0, 0)
    hi = max_len if max_len is not None and max_len >= 0 else None
    if len(text) >= lo and (hi is None or len(text) <= hi):
        return text
    if hi is not None and hi < lo:
        return None
    target = lo if len(text) < lo else hi
    assert target is not None
    if fmt in ("email", "idn-email"):
        local, _, domain = text.partition("@")
        for dom in (domain, "b.co"):
            room = target - len(dom) - 1
            if 1 <= room <= 64:
                return (local + "x" * room)[:room] + "@" + dom
        return None
    if fmt in ("uri", "url", "iri", "uri-reference", "iri-reference"):
        if len(text) < target:
            return text + "/" + "x" * (target - len(text) - 1)
        shorts = ["http://a.co"] if fmt == "url" else ["http://a.co", "a:b"]
        if fmt.endswith("reference"):
            shorts.append("/")
        return next((short for short in shorts if lo <= len(short) <= target), None)
    if fmt in ("hostname", "idn-hostname"):
        if len(text) < target:
            if target > 253:
                return None
            head, _, tld = text.rpartition(".")
            remaining = target - len(tld) - 1
            labels: list[str] = []
            while remaining > 0:
                take = min(63, remaining)
                if remaining - take == 1:
                    take -= 1  # no empty label at the end
                labels.append(((head if not labels else "") + "x" * 63)[:take])
                remaining -= take + 1
            return ".".join(labels) + "." + tld
        return next((short for short in ("a.co", "a") if lo <= len(short) <= target), None)
    return None


def _fit_base64(seed: str, min_len: int | None, max_len: int | None) -> str:
    """Base64 of ``seed`` (padded or cut) whose length is within the bounds when one is."""
    lo = max(min_len or 0, 0)
    hi = max_len if max_len is not None and max_len >= 0 else None
    text = _b64(seed)
    if len(text) >= lo and (hi is None or len(text) <= hi):
        return text
    for n in range(1, 3 * ((lo + 3) // 4) + 4):
        encoded = 4 * ((n + 2) // 3)
        if encoded >= lo and (hi is None or encoded <= hi):
            return _b64((seed * (n // len(seed) + 1))[:n])
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
