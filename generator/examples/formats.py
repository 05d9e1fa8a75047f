"""String formats: the fixed example of each, and the checks ajv-formats (Prism's validator) makes."""
from __future__ import annotations

import base64
import datetime as _dt
import re
from typing import Any



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
