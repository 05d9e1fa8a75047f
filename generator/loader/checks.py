"""Checks of the parsed data: lone surrogates, the spec version; names shown in messages."""
from __future__ import annotations

import re
from typing import Any


from ..errors import SpecError, pointer


# --------------------------------------------------------------------------- checks


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]|\\U0000[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(data: Any, display: str) -> None:
    stack: list[tuple[Any, tuple]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if _SURROGATE.search(k):
                    raise SpecError("a key contains a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape)",
                                    f"{display}#{_clean(pointer(*path, k))}")
                stack.append((v, path + (k,)))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                stack.append((v, path + (i,)))
        elif isinstance(node, str) and _SURROGATE.search(node):
            raise SpecError("a string contains a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape)",
                            f"{display}#{_clean(pointer(*path))}")


def _clean(text: str, limit: int = 0) -> str:
    """Text safe for a one-line message: control, separator and surrogate characters escaped."""
    if limit and len(text) > limit:
        text = text[:limit] + "..."
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
                       else f"\\U{code:08x}")
    return "".join(out)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__  # pragma: no cover


_SUPPORTED = "samplegen reads Swagger 2.0 and OpenAPI 3.0 / 3.1"
_OPENAPI_VERSION = re.compile(r"3\.([01])(?:\.\d+)?(?:[-+][0-9A-Za-z.-]*)?")


def _spec_version(data: dict, display: str) -> str:
    has_swagger = "swagger" in data
    has_openapi = "openapi" in data
    if has_swagger and has_openapi:
        raise SpecError("the definition has both 'swagger' and 'openapi' at the top level; keep the one "
                        "that matches it", f"{display}#/")
    if has_swagger:
        value = data["swagger"]
        if value in ("2.0", "2") or (isinstance(value, (int, float)) and not isinstance(value, bool)
                                      and value == 2):
            data["swagger"] = "2.0"
            return "2.0"
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            raise SpecError(f"swagger {_clean(str(value), 40)} is not supported ({_SUPPORTED})", f"{display}#/swagger")
        raise SpecError(f"'swagger' must be the string \"2.0\", found {_kind(value)}", f"{display}#/swagger")
    if has_openapi:
        value = data["openapi"]
        if isinstance(value, str):
            m = _OPENAPI_VERSION.fullmatch(value.strip())
            if m:
                return "3." + m.group(1)
            raise SpecError(f"openapi {_clean(value, 40)} is not supported ({_SUPPORTED})",
                            f"{display}#/openapi")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if value in (3.0, 3.1):
                raise SpecError(f"'openapi' must be a version string such as \"{value}.0\" (quote it)",
                                f"{display}#/openapi")
            raise SpecError(f"openapi {value} is not supported ({_SUPPORTED})", f"{display}#/openapi")
        raise SpecError(f"'openapi' must be a version string such as \"3.0.3\", found {_kind(value)}",
                        f"{display}#/openapi")
    if "swaggerVersion" in data:
        raise SpecError(f"swaggerVersion {_clean(str(data['swaggerVersion']), 40)} (Swagger 1.x) is not supported "
                        f"({_SUPPORTED}); convert it to OpenAPI first", f"{display}#/swaggerVersion")
    raise SpecError("not a Swagger/OpenAPI definition: the top level has neither 'swagger: \"2.0\"' nor "
                    "'openapi: 3.x.y'", f"{display}#/")


def _line_col(raw: bytes | str, offset: int) -> tuple[int, int]:
    head = raw[:offset]
    nl = b"\n" if isinstance(head, bytes) else "\n"
    line = head.count(nl) + 1
    col = offset - (head.rfind(nl) + 1) + 1
    return line, col
