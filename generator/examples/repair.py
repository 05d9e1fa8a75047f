"""Declared values checked against their schema, and repaired (or replaced) when they fail."""
from __future__ import annotations

from typing import Any

from ..errors import SpecError, pointer
from .context import Call
from .values import (
    MAX_ARRAY_ITEMS, _DECLARED_KEYS, _NOTHING, _int_or_none, _kept, _replaced, _schema_type,
    _undeclared, is_empty, plain,
)
from .base import BuilderBase


class Repair(BuilderBase):
    """Declared values checked against their schema; failing ones repaired or rebuilt."""

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
        ctx = Call.make("request", text=True, scalar_first=True)
        if is_empty(built):
            built = [name or "value"] if _schema_type(bare) == "array" else (name or "value")
        if self._problem(ctx, built, resolved or None) is not None \
                and self._problem(ctx, value, resolved or None) is None:
            self._rollback(mark)
            return value, False
        return built, True

    def _declared(self, ctx: Call, schema: dict, where: str, variant: int,
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
            value = self._drop_flagged(ctx, plain(raw), schema, where)
            problem = self._problem_at(ctx, value, schema, loc)
            if rebuild is None:
                if problem is not None:
                    self._warn(loc, _kept(what, problem))
                return True, (self._vary(value, schema, variant) if variant else value)
            without = {k: v for k, v in schema.items() if k != key}
            if problem is not None and ctx.text:
                typed = self._typed_text(value, schema, {})
                if typed is not value and self._problem(ctx, typed, schema) is None:
                    value, problem = typed, None
            if problem is not None:
                settled = self._settle(ctx, value, schema, where, loc, what, problem, lambda: rebuild(without))
                if settled is value and variant:
                    return True, self._vary(value, schema, variant)
                return True, settled
            if not variant:
                return True, value
            varied = self._vary(value, schema, variant)
            if varied == value or self._problem(ctx, varied, schema) is None:
                return True, varied
            # the variant of a declared value breaks the schema (an enum, a format, a pattern):
            # build the variant from the schema instead
            mark = self._mark()
            built = rebuild(without)
            if built is not _NOTHING and self._problem(ctx, built, schema) is None:
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

    def _settle(self, ctx: Call, value: Any, schema: Any, where: str, loc: str, what: str, problem: str,
                build: Any, name: str | None = None) -> Any:
        """The value to send for a declared ``value`` (at ``loc``) that fails ``schema`` (at
        ``where``) for ``problem``: the example with its failing parts built from the schema;
        else the value ``build()`` makes; else, when neither validates, the declared value."""
        mark = self._mark()
        if isinstance(value, (dict, list)):
            repaired, kept = self._repair(ctx, value, schema, where, name=name, depth=0)
            if kept and repaired is not _NOTHING and self._problem(ctx, repaired, schema) is None:
                self._warn(loc, _replaced(what, problem) + " (the parts that match are kept)", before=mark)
                return repaired
            self._rollback(mark)
        built = build()
        if built is not _NOTHING and self._problem(ctx, built, schema) is None:
            self._warn(loc, _replaced(what, problem), before=mark)
            return built
        self._rollback(mark)
        self._warn(loc, _kept(what, problem))
        return value

    def _repair(self, ctx: Call, value: Any, node: Any, where: str, *, name: str | None,
                depth: int) -> tuple[Any, bool]:
        """``value`` with each part that fails its (sub)schema built from that schema instead:
        object properties one by one (unknown ones dropped when additionalProperties is false,
        missing required ones added), array items one by one (then cut to maxItems or grown to
        minItems). Returns (value, whether any declared part was kept)."""
        if self._problem(ctx, value, node) is None:
            return value, True
        schema, swhere, ref = self._resolve(node, where)
        if not isinstance(schema, dict) or depth > 16:
            return self._fresh(ctx, node, where, name, depth), False
        if isinstance(schema.get("allOf"), list) and schema["allOf"]:
            schema, _ = self._merge_all_of(schema, swhere)
        if any(isinstance(schema.get(k), list) for k in ("oneOf", "anyOf")):
            return self._fresh(ctx, node, where, name, depth), False
        kind = _schema_type(schema)
        if kind == "object" and isinstance(value, dict):
            props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
            extra = schema.get("additionalProperties")
            out: dict[str, Any] = {}
            kept = False
            for key, sub in value.items():
                if key in props:
                    out[key], k = self._repair(ctx, sub, props[key], swhere + pointer("properties", key), name=key,
                                               depth=depth + 1)
                elif extra is False:
                    continue
                elif isinstance(extra, dict):
                    out[key], k = self._repair(ctx, sub, extra, swhere + "/additionalProperties", name=None,
                                               depth=depth + 1)
                else:
                    out[key], k = sub, True
                kept = kept or k
            required = schema.get("required") if isinstance(schema.get("required"), list) else []
            flag = ctx.hidden_flag
            for key in required:
                if isinstance(key, str) and key not in out and key in props \
                        and not self._flag(props[key], swhere, flag):
                    out[key] = self._fresh(ctx, props[key], swhere + pointer("properties", key), key, depth + 1)
            return out, kept
        if kind == "array" and isinstance(value, list):
            items = schema.get("items")
            out_list: list[Any] = []
            kept = False
            for i, item in enumerate(value):
                if isinstance(items, dict):
                    fixed, k = self._repair(ctx, item, items, swhere + "/items", name=name, depth=depth + 1)
                else:
                    fixed, k = item, True
                out_list.append(fixed)
                kept = kept or k
            max_items = _int_or_none(schema.get("maxItems"))
            if max_items is not None and len(out_list) > max_items:
                out_list = out_list[:max(0, max_items)]
            min_items = _int_or_none(schema.get("minItems")) or 0
            while len(out_list) < min(min_items, MAX_ARRAY_ITEMS) and isinstance(items, dict):
                out_list.append(self._fresh(ctx, items, swhere + "/items", name, depth + 1, variant=len(out_list)))
            return out_list, kept
        return self._fresh(ctx, node, where, name, depth), False

    def _fresh(self, ctx: Call, node: Any, where: str, name: str | None, depth: int, variant: int = 0) -> Any:
        value = self._build(ctx, node, where, name=name, level=depth, chain=(), variant=variant)
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
