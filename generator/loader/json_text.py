"""JSON text: parsed with duplicate keys, depth and non-standard constants refused."""
from __future__ import annotations

import json
import re
from typing import Any


from ..errors import LENIENT_KEEPS_LAST, Diagnostic, SpecError, pointer
from .limits import MAX_DEPTH
from .checks import _clean, _line_col


# --------------------------------------------------------------------------- JSON


class _BadConstant(ValueError):
    pass


def _json_constant(name: str) -> Any:
    raise _BadConstant(name)


def _parse_json(text: str, display: str, warnings: list[Diagnostic] | None = None) -> Any:
    dups: list[bool] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict:
        d = dict(pairs)  # the last value of a duplicate key wins
        if len(d) != len(pairs) and not dups:
            dups.append(True)
        return d

    try:
        data = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise SpecError(f"invalid JSON: {exc.msg}", f"{display}:{exc.lineno}:{exc.colno}") from None
    except _BadConstant as exc:
        where = display
        m = re.search(r"(?<![\w\"])" + re.escape(str(exc)) + r"(?![\w\"])", text)
        if m:
            line, col = _line_col(text, m.start())
            where = f"{display}:{line}:{col}"
        raise SpecError(f"invalid JSON: {exc} is not a JSON value", where) from None
    except RecursionError:
        offset = _json_depth_offset(text, MAX_DEPTH)
        line, col = _line_col(text, offset)
        raise SpecError(f"nesting deeper than {MAX_DEPTH} levels", f"{display}:{line}:{col}") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise SpecError(f"invalid JSON: {exc}", display) from None
    if dups:
        from ..lines import json_duplicates

        found = json_duplicates(text)
        if not found:  # pragma: no cover - the scan sees what the parser saw
            raise SpecError("duplicate key in a JSON object", display, hint=LENIENT_KEEPS_LAST,
                            recoverable=True)
        for holder, key, first, second in found:
            _duplicate(display, holder, key, first, second, warnings)
    return data


def _duplicate(display: str, holder: str, key: str, first: tuple[int, int], second: tuple[int, int],
               warnings: list[Diagnostic] | None) -> None:
    """A key written twice in one mapping: an error, or (lenient) a warning; the last value wins."""
    ptr = _clean(("" if holder == "/" else holder) + pointer(key))
    where = f"{display}:{second[0]}:{second[1]} #{ptr}"
    a, b = (f"line {first[0]}", f"line {second[0]}") if first[0] != second[0] else (
        f"{first[0]}:{first[1]}", f"{second[0]}:{second[1]}")
    shown = _clean(key, 60)
    if warnings is None:
        raise SpecError(f"duplicate key {shown!r} at {a} and {b} (only one value would survive)", where,
                        hint=LENIENT_KEEPS_LAST, recoverable=True)
    warnings.append(Diagnostic("warning", where, f"duplicate key {shown!r} at {a} and {b}: "
                                                 f"the value at {b} (the last) is kept"))


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


def _json_depth_offset(text: str, limit: int) -> int:
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        ch = m.group()
        if ch in "[{":
            depth += 1
            if depth > limit:
                return m.start()
        elif ch in "]}":
            depth -= 1
    return 0
