"""Strings and numbers built from their schema's keywords."""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from ..ecma import compile_pattern, example_pattern
from .values import _bound, _decimal, _fit, _float_multiple, _int_or_none
from .formats import FORMAT_EXAMPLES, _fit_base64, _fit_format, _suffix
from .regex import pattern_example
from .base import BuilderBase


class Scalars(BuilderBase):
    """Strings and numbers."""

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
        compiled = compile_pattern(pattern)  # ECMA-262 patterns Python cannot read are rewritten
        if compiled is not None and compiled.search(text):
            return text
        made = pattern_example(example_pattern(pattern), variant, min_len, max_len)
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
