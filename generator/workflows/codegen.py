"""Expression trees (``expressions.py``) as code: every node is a call of one of the target's
runtime helpers, so a target only says how it writes a literal and a call (its ``Dialect``).

Helpers each workflow runtime defines: ``ref(ctx, source, name, pointer)``,
``concat(parts...)``, ``compare(op, a, b)``, ``all_of(a, b)``, ``any_of(a, b)``,
``not_of(a)``, ``matches(value, pattern)``, ``any_child(container, pointer, op, literal)``."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .expressions import Concat, Lit, Op, Ref

_CALLS = {"&&": "all_of", "||": "any_of", "!": "not_of", "regex": "matches", "any": "any_child"}


@dataclass(frozen=True)
class Dialect:
    literal: Callable[[Any], str]  # a JSON value (str, number, bool, None) as code
    call: Callable[[str, list[str]], str]  # a helper's name and its arguments' code -> a call
    context: str = "ctx"  # the variable holding the workflow's state


def code(tree: Any, d: Dialect) -> str:
    if isinstance(tree, Lit):
        return d.literal(tree.value)
    if isinstance(tree, Ref):
        return d.call("ref", [d.context, d.literal(tree.source), d.literal(tree.name), d.literal(tree.pointer)])
    if isinstance(tree, Concat):
        return d.call("concat", [code(p, d) for p in tree.parts])
    if isinstance(tree, Op):
        args = [code(a, d) for a in tree.args]
        if tree.op in _CALLS:
            return d.call(_CALLS[tree.op], args)
        return d.call("compare", [d.literal(tree.op)] + args)
    raise TypeError(f"not an expression tree: {tree!r}")


def criteria(trees: list, d: Dialect, default: str) -> str:
    """All conditions of a list together (``default`` when there are none)."""
    if not trees:
        return default
    out = code(trees[0], d)
    for tree in trees[1:]:
        out = d.call("all_of", [out, code(tree, d)])
    return out
