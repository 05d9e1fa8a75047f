"""ECMA-262 regular expressions (the dialect OpenAPI's ``pattern`` uses) read by Python's ``re``.

Most patterns mean the same in both. Some valid ECMA-262 patterns are not Python: Unicode
property classes (``\\p{L}``), named groups written ``(?<name>...)``, back-references
``\\k<name>``, ``\\u{...}`` code points, ``[^]``, ``\\cX``, escaped letters ECMA reads as the
letter itself. ``to_python`` rewrites those into a Python pattern that matches the same (for
property classes: a close approximation); ``compile_pattern`` compiles a pattern either way.
"""
from __future__ import annotations

import re
from functools import lru_cache

# \p{...} classes, outside and inside a character class (approximations where Python has none)
_PROPERTY = {
    "L": (r"[^\W\d_]", r"^\W\d_"), "Letter": (r"[^\W\d_]", r"^\W\d_"),
    "Lu": (r"[^\W\d_]", r"^\W\d_"), "Ll": (r"[^\W\d_]", r"^\W\d_"), "Lt": (r"[^\W\d_]", r"^\W\d_"),
    "Lm": (r"[^\W\d_]", r"^\W\d_"), "Lo": (r"[^\W\d_]", r"^\W\d_"), "Alphabetic": (r"[^\W\d_]", r"^\W\d_"),
    "N": (r"\d", r"\d"), "Nd": (r"\d", r"\d"), "Number": (r"\d", r"\d"),
    "Z": (r"\s", r"\s"), "Zs": (r"\s", r"\s"), "White_Space": (r"\s", r"\s"),
}
_PYTHON_ESCAPES = set("dDwWsSbBntrfv0123456789xuUN")  # letters and digits Python knows after "\"
_ECMA_LETTER_ESCAPES = set("dDwWsSbBntrfvxucpPk0")


# the same classes narrowed to ASCII members (for building example values, which must match)
_ASCII = {"L": "A-Za-z", "Letter": "A-Za-z", "Alphabetic": "A-Za-z", "Lu": "A-Z", "Lt": "A-Z", "Ll": "a-z",
          "Lm": "a-z", "Lo": "a-z", "N": "0-9", "Nd": "0-9", "Number": "0-9", "Z": " ", "Zs": " ",
          "White_Space": " "}


def _ascii_property(name: str, negated: bool, in_class: bool) -> str:
    members = _ASCII.get(name.split("=")[-1], "A-Za-z0-9")
    if negated:
        members = "0-9" if members.startswith(("A", "a")) else "A-Za-z"
    return members if in_class else f"[{members}]"


def _property(name: str, negated: bool, in_class: bool) -> str:
    outside, inside = _PROPERTY.get(name.split("=")[-1], (r"\w", r"\w"))
    if in_class:
        if inside.startswith("^"):  # a negated set cannot nest in a class: use the broader \w
            return r"\W" if negated else r"\w"
        return {r"\d": r"\D", r"\s": r"\S", r"\w": r"\W"}[inside] if negated else inside
    if negated:
        return {r"\d": r"\D", r"\s": r"\S", r"\w": r"\W"}.get(outside, r"[\W\d_]")
    return outside


def to_python(pattern: str, *, ascii_classes: bool = False) -> str:
    """A Python ``re`` pattern for an ECMA-262 one (unchanged when nothing needs rewriting).

    ``ascii_classes``: property classes become their ASCII members only (a narrower pattern
    whose matches all match the original, for building example values)."""
    prop = _ascii_property if ascii_classes else _property
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if ch == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            if nxt in "pP" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.find("}", i + 3)
                if end > 0:
                    out.append(prop(pattern[i + 3:end], nxt == "P", in_class))
                    i = end + 1
                    continue
            if nxt == "k" and i + 2 < n and pattern[i + 2] == "<":
                end = pattern.find(">", i + 3)
                if end > 0:
                    out.append(f"(?P={pattern[i + 3:end]})")
                    i = end + 1
                    continue
            if nxt == "u" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.find("}", i + 3)
                if end > 0:
                    try:
                        out.append(re.escape(chr(int(pattern[i + 3:end], 16))))
                        i = end + 1
                        continue
                    except ValueError:
                        pass
            if nxt == "c" and i + 2 < n and pattern[i + 2].isalpha():
                out.append(f"\\x{ord(pattern[i + 2]) % 32:02x}")
                i += 3
                continue
            if nxt.isalpha() and nxt not in _PYTHON_ESCAPES and nxt not in _ECMA_LETTER_ESCAPES:
                out.append(nxt)  # ECMA (without the u flag) reads an unknown escaped letter as itself
                i += 2
                continue
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            if pattern.startswith("[^]", i):
                out.append(r"[\s\S]")
                i += 3
                continue
            in_class = True
            out.append(ch)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            continue
        if pattern.startswith("(?<", i) and i + 3 < n and pattern[i + 3] not in "=!":
            out.append("(?P<")
            i += 3
            continue
        out.append(ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def compile_pattern(pattern: str) -> re.Pattern | None:
    """``pattern`` compiled as Python reads it, else as rewritten from ECMA-262; None if neither."""
    try:
        return re.compile(pattern)
    except (re.error, OverflowError, RecursionError):
        pass
    try:
        return re.compile(to_python(pattern))
    except (re.error, OverflowError, RecursionError):
        return None


def is_ecma_only(pattern: str) -> bool:
    """Whether Python's ``re`` refuses ``pattern`` but it compiles once read as ECMA-262."""
    try:
        re.compile(pattern)
        return False
    except (re.error, OverflowError, RecursionError):
        return compile_pattern(pattern) is not None


def example_pattern(pattern: str) -> str:
    """The pattern to build an example value from: an ECMA-262-only one rewritten with ASCII
    classes (whatever matches it matches the original), any other unchanged."""
    return to_python(pattern, ascii_classes=True) if is_ecma_only(pattern) else pattern
