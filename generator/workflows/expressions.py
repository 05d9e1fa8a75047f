"""Arazzo runtime expressions and criteria, parsed into a small language-neutral AST.

A value is one of:

- ``Ref(source, name, pointer)``: a runtime expression. ``source`` is one of ``inputs``,
  ``steps`` (``name`` = "stepId.outputName"), ``statusCode``, ``url``, ``method``,
  ``response.body``, ``response.header``, ``request.header``, ``request.query``,
  ``request.path``, ``request.body``; ``pointer`` is the JSON pointer after ``#`` ("" when none);
- ``Lit(value)``: a literal (str, int, float, bool or None);
- ``Concat(parts)``: a string with ``{$...}`` expressions embedded;
- ``Op(op, args)``: a condition: ``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` (two args),
  ``&&``, ``||`` (two), ``!`` (one); ``regex`` (value, Lit(pattern)); ``any`` (the jsonpath
  filter subset: container Ref, Lit(pointer in each child), Lit(op), literal).

Each target writes these as calls of its runtime helpers (see ``codegen.py``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


class ExpressionError(ValueError):
    """A runtime expression or condition that cannot be read."""


@dataclass(frozen=True)
class Ref:
    source: str
    name: str = ""
    pointer: str = ""

    @property
    def text(self) -> str:
        if self.source == "inputs":
            head = f"$inputs.{self.name}"
        elif self.source == "steps":
            step, output = self.name.split(".", 1)
            head = f"$steps.{step}.outputs.{output}"
        elif self.source in ("response.header", "request.header", "request.query", "request.path"):
            head = f"${self.source}.{self.name}"
        else:
            head = f"${self.source}"
        return head + (f"#{self.pointer}" if self.pointer else "")


@dataclass(frozen=True)
class Lit:
    value: Any


@dataclass(frozen=True)
class Concat:
    parts: tuple  # of Lit and Ref


@dataclass(frozen=True)
class Op:
    op: str
    args: tuple


_NAME = r"[A-Za-z0-9_\-.]+"
_TOKEN = r"[A-Za-z0-9!#$%&'*+\-.^_`|~]+"  # an HTTP header name (RFC 9110 token)
_EXPRESSION = re.compile(
    r"\$(?:(?P<simple>statusCode|url|method)"
    r"|inputs\.(?P<input>[A-Za-z0-9_\-]+)"
    r"|steps\.(?P<step>[A-Za-z0-9_\-]+)\.outputs\.(?P<output>[A-Za-z0-9_\-.]+?)"
    r"|(?P<where>response|request)\.(?:(?P<body>body)|(?P<part>header|query|path)\.(?P<pname>" + _TOKEN + r")))"
    r"(?:#(?P<pointer>(?:/(?:[^/~{}\s]|~[01])*)*))?")
_UNSUPPORTED_HEADS = ("$workflows.", "$sourceDescriptions.", "$components.", "$outputs.")


def parse_expression(text: str) -> Ref:
    """One whole runtime expression (``$inputs.x``, ``$response.body#/a/0``)."""
    m = _EXPRESSION.fullmatch(text)
    if m is None:
        for head in _UNSUPPORTED_HEADS:
            if text.startswith(head):
                raise ExpressionError(f"runtime expression {text!r} is not supported in generated programs "
                                      f"({head[:-1]} expressions)")
        raise ExpressionError(f"not a runtime expression: {text!r}")
    return _ref(m)


def _ref(m: re.Match) -> Ref:
    pointer = m.group("pointer") or ""
    if m.group("simple"):
        if pointer:
            raise ExpressionError(f"${m.group('simple')} takes no JSON pointer")
        return Ref(m.group("simple"))
    if m.group("input"):
        return Ref("inputs", m.group("input"), pointer)
    if m.group("step"):
        return Ref("steps", f"{m.group('step')}.{m.group('output')}", pointer)
    where = m.group("where")
    if m.group("body"):
        return Ref(f"{where}.body", "", pointer)
    if pointer:
        raise ExpressionError(f"${where}.{m.group('part')} takes no JSON pointer")
    return Ref(f"{where}.{m.group('part')}", m.group("pname"))


_EMBEDDED = re.compile(r"\{(\$[^{}]*)\}")


def parse_value(value: Any) -> Any:
    """A parameter or output value: a whole expression (``$...``), a string with ``{$...}``
    inside, or a literal."""
    if not isinstance(value, str):
        return Lit(value)
    if value.startswith("$"):
        return parse_expression(value)
    if "{$" not in value:
        return Lit(value)
    parts: list = []
    pos = 0
    for m in _EMBEDDED.finditer(value):
        if m.start() > pos:
            parts.append(Lit(value[pos:m.start()]))
        parts.append(parse_expression(m.group(1)))
        pos = m.end()
    if pos < len(value):
        parts.append(Lit(value[pos:]))
    if "{$" in "".join(p.value for p in parts if isinstance(p, Lit)):
        raise ExpressionError(f"an embedded expression is not closed: {value!r}")
    return Concat(tuple(parts))


# -- simple conditions ----------------------------------------------------------------------------

_COND_TOKEN = re.compile(r"""\s*(?:
    (?P<op>==|!=|<=|>=|<|>|&&|\|\||!|\(|\))
  | (?P<sq>'(?:[^'\\]|\\.)*')
  | (?P<dq>"(?:[^"\\]|\\.)*")
  | (?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![\w.])
  | (?P<word>true|false|null)(?![\w.])
  | (?P<expr>\$[^\s()]+?)(?=\s|\)|==|!=|<=|>=|<(?!=)|>(?!=)|&&|\|\||$)
)""", re.X)
_COMPARE = ("==", "!=", "<", "<=", ">", ">=")


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def _tokens(text: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _COND_TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            rest = text[pos:].strip()
            raise ExpressionError(f"cannot read the condition at {rest[:30]!r}")
        pos = m.end()
        if m.group("op"):
            out.append(("op", m.group("op")))
        elif m.group("sq") or m.group("dq"):
            out.append(("lit", Lit(_unquote(m.group("sq") or m.group("dq")))))
        elif m.group("num"):
            n = m.group("num")
            out.append(("lit", Lit(float(n) if any(c in n for c in ".eE") else int(n))))
        elif m.group("word"):
            out.append(("lit", Lit({"true": True, "false": False, "null": None}[m.group("word")])))
        else:
            out.append(("lit", parse_expression(m.group("expr"))))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, Any]]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> tuple[str, Any] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, Any]:
        token = self.peek()
        if token is None:
            raise ExpressionError("the condition ends too early")
        self.pos += 1
        return token

    def either(self) -> Any:
        left = self.both()
        while self.peek() == ("op", "||"):
            self.take()
            left = Op("||", (left, self.both()))
        return left

    def both(self) -> Any:
        left = self.unary()
        while self.peek() == ("op", "&&"):
            self.take()
            left = Op("&&", (left, self.unary()))
        return left

    def unary(self) -> Any:
        if self.peek() == ("op", "!"):
            self.take()
            return Op("!", (self.unary(),))
        left = self.operand()
        token = self.peek()
        if token is not None and token[0] == "op" and token[1] in _COMPARE:
            self.take()
            return Op(token[1], (left, self.operand()))
        return left

    def operand(self) -> Any:
        kind, value = self.take()
        if kind == "lit":
            return value
        if value == "(":
            inner = self.either()
            if self.take() != ("op", ")"):
                raise ExpressionError("a '(' is not closed")
            return inner
        raise ExpressionError(f"unexpected {value!r}")


def parse_condition(text: str) -> Any:
    """A ``simple`` condition: comparisons, ``&&``, ``||``, ``!``, parentheses, literals."""
    parser = _Parser(_tokens(text))
    if not parser.tokens:
        raise ExpressionError("the condition is empty")
    tree = parser.either()
    if parser.peek() is not None:
        raise ExpressionError(f"unexpected {parser.peek()[1]!r} in the condition")
    return tree


# -- the JSONPath subset --------------------------------------------------------------------------

_PATH_STEP = re.compile(r"\.(?P<name>[A-Za-z_][A-Za-z0-9_\-]*)|\[(?P<index>\d+)\]|\[(?P<q>'(?:[^'\\]|\\.)*')\]")
_FILTER = re.compile(r"\[\?\(?\s*@(?P<path>(?:\.[A-Za-z_][A-Za-z0-9_\-]*|\[\d+\]|\['(?:[^'\\]|\\.)*'\])*)\s*"
                     r"(?P<op>==|!=|<=|>=|<|>)\s*(?P<lit>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|-?\d+(?:\.\d+)?|true|false|null)"
                     r"\s*\)?\]")


def _path_pointer(text: str) -> str:
    """``.a[0]['b c']`` as the JSON pointer ``/a/0/b c``."""
    out = ""
    pos = 0
    while pos < len(text):
        m = _PATH_STEP.match(text, pos)
        if m is None:
            raise ExpressionError(f"JSONPath {text[pos:]!r} is outside the supported subset")
        part = m.group("name") or m.group("index") or _unquote(m.group("q"))
        out += "/" + part.replace("~", "~0").replace("/", "~1")
        pos = m.end()
    return out


def parse_jsonpath(context: Ref, text: str) -> Any:
    """The supported subset: ``$.a.b[0]['c']`` (true when the path selects a value that is not
    null) and ``$.a[?(@.b == 'x')]`` (true when some member of the array or object at ``$.a``
    has ``b`` equal to ``'x'``; any comparison of ``simple``)."""
    text = text.strip()
    if not text.startswith("$"):
        raise ExpressionError(f"JSONPath {text!r} does not start with '$'")
    filt = _FILTER.search(text)
    if filt is None:
        pointer = _path_pointer(text[1:])
        return Op("!=", (Ref(context.source, context.name, context.pointer + pointer), Lit(None)))
    if filt.end() != len(text):
        raise ExpressionError(f"JSONPath {text!r} is outside the supported subset (a filter must come last)")
    container = Ref(context.source, context.name, context.pointer + _path_pointer(text[1:filt.start()]))
    (literal,) = [v for _, v in _tokens(filt.group("lit"))]
    return Op("any", (container, Lit(_path_pointer(filt.group("path"))), Lit(filt.group("op")), literal))


def refs(tree: Any) -> list[Ref]:
    """Every runtime expression in a tree."""
    if isinstance(tree, Ref):
        return [tree]
    if isinstance(tree, Concat):
        return [p for p in tree.parts if isinstance(p, Ref)]
    if isinstance(tree, Op):
        return [r for a in tree.args for r in refs(a)]
    return []
