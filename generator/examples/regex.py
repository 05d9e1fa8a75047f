"""A tiny generator of strings that match simple regular expressions."""
from __future__ import annotations

import re
from typing import Any



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
