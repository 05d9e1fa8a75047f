"""The example builder: a value for a schema, built by structure."""
from __future__ import annotations

import re
from typing import Any

from ..errors import SpecError, pointer
from .context import Call
from .values import (
    MAX_ARRAY_ITEMS, _EXTRA_REQUIRED_LEVELS, _MAX_ACTIVE, _NODE_BUDGET, _NOTHING, _canonical,
    _int_or_none, _nullable, _schema_type, _set_first,
)
from .regex import pattern_example
from .declared import DeclaredExamples
from .repair import Repair
from .compose import Composition
from .scalars import Scalars


_UNCHECKED = object()  # a remembered value not checked against its schema yet


def _copy(value: Any) -> Any:
    """A copy of a built value (plain JSON data) that shares nothing mutable with it."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


class ExampleBuilder(Composition, Repair, DeclaredExamples, Scalars):
    """Builds example values from schemas of one document.

    ``diagnostics`` accumulates warnings (each reported once), located by JSON pointer.
    """

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
        ctx = Call.make(direction, text=text, scalar_first=scalar_first)
        key = self._memo_key(schema, where, ctx, name)
        entry = self._memo.get(key) if key is not None else None
        if entry is not None and entry[0] == self._epoch:
            # built before: building it again would give the same value and no new warning
            value = _copy(entry[1])
            if not ctx.text:
                if entry[2] is _UNCHECKED:
                    entry[2] = self._problem(ctx, value, schema)
                self._warn_mismatch(where, entry[2])
            return value
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
        failures = len(self.resolver.failures)
        self._building += 1
        try:
            value = self._build(ctx, schema, where, name=name, level=0, chain=chain, variant=0)
        except RecursionError:  # pragma: no cover - depth is bounded; kept as a last guard
            self._warn(where, "schema too deeply nested to build an example")
            return None
        finally:
            self._building -= 1
        if value is _NOTHING:
            return None
        problem: Any = _UNCHECKED
        if isinstance(schema, dict) and not ctx.text and len(self.diagnostics) == mark:
            # a value a validating server would refuse, when no warning has said why already
            problem = self._problem(ctx, value, schema)
            self._warn_mismatch(where, problem)
        if key is not None and len(self.resolver.failures) == failures:
            self._memo[key] = [self._epoch, _copy(value), problem, schema]
        return value

    def _warn_mismatch(self, where: str, problem: str | None) -> None:
        if problem is not None:
            self._warn(where, f"the value built from this schema does not match it ({problem}); "
                              f"a server that validates requests may refuse it")

    def _memo_key(self, schema: Any, where: str, ctx: Call, name: str | None) -> tuple | None:
        """What a value built by ``for_schema`` depends on, when it can be remembered: a lone
        ``$ref`` by its text (the value is built at the target, wherever the reference is); a
        schema outside ``paths`` (a component, e.g. a shared parameter) by its place. Large
        definitions use the same few schemas in thousands of operations."""
        if not isinstance(schema, dict):
            return None
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if len(schema) != 1:
                return None  # keywords beside the $ref (3.1) apply at this place
            return ("$ref", ref, ctx.direction, ctx.text, ctx.scalar_first, name)
        if where.startswith("/paths/") or "$ref" in schema:
            return None
        if self._memo.get(("at", where, ctx.direction, ctx.text, ctx.scalar_first, name), [None] * 4)[3] \
                not in (None, schema):
            return None  # another schema at the same place (not one of the document's)
        return ("at", where, ctx.direction, ctx.text, ctx.scalar_first, name)

    def _reenters(self, node: Any, where: str, chain: tuple[str, ...]) -> bool:
        """Whether ``node`` is a $ref to a schema already met again while it is expanded."""
        if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
            return False
        try:
            return "@" + self.resolver.deref(node, where)[1] in chain
        except SpecError:
            return False

    # -- building ------------------------------------------------------------------------------
    def _build(self, ctx: Call, node: Any, where: str, *, name: str | None, level: int, chain: tuple[str, ...],
               variant: int) -> Any:
        if ctx.budget.active >= _MAX_ACTIVE:
            self._warn(where, "schemas refer to each other in a loop with nothing to build; no example made")
            return _NOTHING
        ctx.budget.nodes += 1
        ctx.budget.active += 1
        try:
            return self._build_node(ctx, node, where, name=name, level=level, chain=chain, variant=variant)
        finally:
            ctx.budget.active -= 1

    def _build_node(self, ctx: Call, node: Any, where: str, *, name: str | None, level: int, chain: tuple[str, ...],
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
        return self._build_schema(ctx, schema, where, ref=ref, ref_text=ref_text, name=name, level=level,
                                  chain=chain, variant=variant, reentry=reentry)

    def _build_schema(self, ctx: Call, schema: dict, where: str, *, ref: str | None, ref_text: str | None,
                      name: str | None, level: int, chain: tuple[str, ...], variant: int, reentry: bool,
                      merged: bool = False, inherited: tuple[str, str] | None = None) -> Any:
        def rebuild(without: dict) -> Any:
            return self._build_schema(ctx, without, where, ref=ref, ref_text=ref_text, name=name, level=level,
                                      chain=chain, variant=variant, reentry=reentry, merged=merged,
                                      inherited=inherited)

        found, value = self._declared(ctx, schema, where + "/allOf/0" if merged else where, variant, rebuild)
        if found:
            return value

        if not merged and isinstance(schema.get("allOf"), list) and schema["allOf"]:
            schema, bases = self._merge_all_of(schema, where)
            chain = chain + tuple(r for r, _ in bases if r not in chain)
            if ref is not None and ref_text is not None:
                inherited = self._inherited_discriminator(bases, ref_text, ref)
            return self._build_schema(ctx, schema, where, ref=ref, ref_text=ref_text, name=name, level=level,
                                      chain=chain, variant=variant, reentry=reentry, merged=True,
                                      inherited=inherited)

        for keyword in ("oneOf", "anyOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list) and branches:
                return self._build_choice(ctx, schema, keyword, where, name=name, level=level, chain=chain,
                                          variant=variant)

        value = self._build_typed(ctx, schema, where, name=name, level=level, chain=chain, variant=variant,
                                  reentry=reentry)
        if inherited is not None and isinstance(value, dict):
            _set_first(value, inherited[0], inherited[1])
        return value

    def _build_typed(self, ctx: Call, schema: dict, where: str, *, name: str | None, level: int,
                     chain: tuple[str, ...], variant: int, reentry: bool) -> Any:
        kind = _schema_type(schema)
        if kind == "null":
            return None
        if kind == "object":
            return self._object(ctx, schema, where, level=level, chain=chain, variant=variant, reentry=reentry)
        if kind == "array":
            return self._array(ctx, schema, where, name=name, level=level, chain=chain, variant=variant)
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

    def _object(self, ctx: Call, schema: dict, where: str, *, level: int, chain: tuple[str, ...], variant: int,
                reentry: bool) -> Any:
        if level > self.max_depth:
            # past the depth limit: null when allowed; else only required properties, for a few
            # more levels (what a validating server needs), then nothing
            if _nullable(schema):
                return None
            if level > self.max_depth + _EXTRA_REQUIRED_LEVELS or not schema.get("required"):
                return {}
        required_only = reentry or level >= self.max_depth or ctx.budget.nodes > _NODE_BUDGET
        required = [r for r in schema.get("required") or [] if isinstance(r, str)] \
            if isinstance(schema.get("required"), list) else []
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        out: dict[str, Any] = {}
        for pname, psub in props.items():
            pname = str(pname)
            if required_only and pname not in required:
                continue
            pwhere = where + pointer("properties", pname)
            if ctx.direction == "request" and self._flag(psub, pwhere, "readOnly"):
                continue
            if ctx.direction == "response" and self._flag(psub, pwhere, "writeOnly"):
                continue
            value = self._build(ctx, psub, pwhere, name=pname, level=level + 1, chain=chain, variant=variant)
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
                key = self._key(ctx, names, where, i, count)
                value = self._build(ctx, extra, where + "/additionalProperties", name=None, level=level + 1,
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
            value = self._build(ctx, sub, where + pointer("patternProperties", pattern), name=None,
                                level=level + 1, chain=chain, variant=variant)
            out[key] = {} if value is _NOTHING else value
        return out

    def _key(self, ctx: Call, names: dict | None, where: str, i: int, count: int) -> str:
        if names:
            found, value = self._declared(ctx, names, where + "/propertyNames", i)
            if found and isinstance(value, str):
                return value
            if any(k in names for k in ("pattern", "minLength", "maxLength", "format")):
                return self._string(names, where + "/propertyNames", "key", i)
        return "key" if count == 1 else f"key{i + 1}"

    def _array(self, ctx: Call, schema: dict, where: str, *, name: str | None, level: int, chain: tuple[str, ...],
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
            value = self._build(ctx, node, iwhere, name=name, level=level + 1, chain=chain, variant=variant + i)
            out.append({} if value is _NOTHING else value)
        if schema.get("uniqueItems") is True and len(out) > 1:
            if len({_canonical(v) for v in out}) < len(out):
                self._warn(where, f"could not make the {len(out)} items of this uniqueItems array distinct")
        return out
