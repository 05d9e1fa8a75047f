"""Examples declared on parameters, media types and responses: picked, typed, and stripped of
properties the direction leaves out."""
from __future__ import annotations

import re
from typing import Any

from ..errors import SpecError, pointer
from .context import Call
from .values import _NOTHING, _schema_type, plain
from .base import BuilderBase


class DeclaredExamples(BuilderBase):
    """The example declared on a parameter, media type, body parameter or response."""

    def pick_declared(self, holder: dict, where: str, *, direction: str = "request") -> tuple[bool, Any]:
        """The example declared on a parameter, media type, body parameter or response.

        Looks at ``example``; then ``examples`` (OpenAPI 3: a map of Example objects, each
        possibly a ``$ref``; the first one with a ``value`` wins, ``externalValue``-only
        entries are skipped. Swagger 2.0: a map keyed by media type, JSON preferred; a list:
        its first item); then ``x-example``; then ``x-examples`` (read like Swagger 2.0
        ``examples``). Returns ``(True, value)`` or ``(False, None)``.

        A declared value that does not validate against the holder's schema is replaced by a
        value built from that schema when that one validates (with a warning); otherwise it is
        kept, with a warning.
        """
        if not isinstance(holder, dict):
            return False, None
        try:
            holder, where = self.resolver.deref(holder, where)
        except SpecError as exc:
            self._spec_warning(exc, where)
            return False, None
        if not isinstance(holder, dict):
            return False, None
        found, value, loc = self._pick(holder, where)
        if not found:
            return False, None
        schema = self._holder_schema(holder)
        # a value repaired in place is built as the parameter (or body) it is for
        ctx = Call.make(direction, text="in" in holder,
                        scalar_first=holder.get("in") in ("path", "query", "header", "cookie"))
        value = self._drop_flagged(ctx, value, schema, where + "/schema")
        problem = self._problem_at(ctx, value, schema, loc)
        if problem is None:
            return True, value
        if holder.get("in") in ("path", "query", "header", "cookie", "formData"):
            # parameters travel as text: "10" for an integer, "a,b" for a csv array is the same
            # text as 10 and ["a", "b"], and is read back as such
            typed = self._typed_text(value, schema, holder)
            if typed is not value and self._problem(ctx, typed, schema) is None:
                return True, typed
        swhere = where + "/schema" if isinstance(holder.get("schema"), (dict, bool)) else where
        name = holder.get("name") if isinstance(holder.get("name"), str) else None

        def build() -> Any:
            built = self.for_schema(schema if isinstance(schema, dict) else None, swhere, direction=ctx.direction,
                                    name=name, text=ctx.text, scalar_first=ctx.scalar_first)
            return _NOTHING if built is None else built

        return True, self._settle(ctx, value, schema, swhere, loc, "example", problem, build, name=name)

    def _drop_flagged(self, ctx: Call, value: Any, node: Any, where: str, depth: int = 0) -> Any:
        """``value`` without the properties its schema marks readOnly (in a request) or
        writeOnly (in a response): examples often show the whole object, but such a property
        is not to be sent (servers refuse it where additionalProperties is false)."""
        if not isinstance(value, (dict, list)) or depth > 32:
            return value
        schema, swhere, _ = self._resolve(node, where)
        if not isinstance(schema, dict):
            return value
        if isinstance(schema.get("allOf"), list) and schema["allOf"]:
            schema, _ = self._merge_all_of(schema, swhere)
        if isinstance(value, dict):
            props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
            if not props:
                return value
            flag = ctx.hidden_flag
            out: dict[str, Any] = {}
            for key, sub in value.items():
                if key in props:
                    if self._flag(props[key], swhere, flag):
                        continue
                    sub = self._drop_flagged(ctx, sub, props[key], swhere + pointer("properties", key), depth + 1)
                out[key] = sub
            return out
        items = schema.get("items")
        if isinstance(items, dict):
            return [self._drop_flagged(ctx, item, items, swhere + "/items", depth + 1) for item in value]
        return value

    def _typed_text(self, value: Any, schema: Any, holder: dict) -> Any:
        """A parameter's example written as text, read as the type of its schema: "10" -> 10,
        "true" -> True, "a,b" -> ["a", "b"] (split as its style or collectionFormat joins);
        ``value`` itself when it is not text of that type."""
        try:
            schema = self.resolver.resolve(schema) if isinstance(schema, dict) else None
        except SpecError:
            return value
        if not isinstance(schema, dict):
            return value
        kind = _schema_type(schema)
        if kind == "array" and isinstance(value, str):
            style = holder.get("style") or holder.get("collectionFormat")
            sep = {"spaceDelimited": " ", "ssv": " ", "pipeDelimited": "|", "pipes": "|", "tsv": "\t"}.get(
                str(style), ",")
            items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
            return [self._typed_scalar(part, items) for part in value.split(sep)] if value else []
        if kind == "array" and isinstance(value, list):
            items = schema.get("items") if isinstance(schema.get("items"), dict) else {}
            return [self._typed_scalar(part, items) for part in value]
        return self._typed_scalar(value, schema)

    def _typed_scalar(self, value: Any, schema: Any) -> Any:
        try:
            schema = self.resolver.resolve(schema) if isinstance(schema, dict) else {}
        except SpecError:
            return value
        kind = _schema_type(schema) if isinstance(schema, dict) else None
        if not isinstance(value, str):
            return value
        text = value.strip()
        if kind == "integer" and re.fullmatch(r"[-+]?[0-9]+", text):
            return int(text)
        if kind == "number" and re.fullmatch(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?", text):
            number = float(text)
            return int(number) if number.is_integer() and re.fullmatch(r"[-+]?[0-9]+", text) else number
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        return value

    def _pick(self, holder: dict, where: str) -> tuple[bool, Any, str]:
        if "example" in holder:
            return True, plain(holder["example"]), where + "/example"
        examples = holder.get("examples")
        if examples is not None:
            found, value, loc = self._from_examples(examples, where + "/examples")
            if found:
                return True, value, loc
        if "x-example" in holder:
            return True, plain(holder["x-example"]), where + "/x-example"
        if holder.get("x-examples") is not None:
            found, value, loc = self._media_map(holder["x-examples"], where + "/x-examples")
            if found:
                return True, value, loc
        return False, None, where

    # -- declared examples -------------------------------------------------------------------
    def _holder_schema(self, holder: dict) -> Any:
        if isinstance(holder.get("schema"), (dict, bool)):
            return holder["schema"]
        if self.spec_version == "2.0" and isinstance(holder.get("type"), str) and holder.get("in") != "body":
            return {k: v for k, v in holder.items()
                    if k not in ("name", "in", "required", "description", "collectionFormat", "allowEmptyValue",
                                 "example", "x-example", "x-examples")}
        return None

    def _from_examples(self, examples: Any, where: str) -> tuple[bool, Any, str]:
        if isinstance(examples, list):
            if examples:
                return True, plain(examples[0]), where + "/0"
            return False, None, where
        if not isinstance(examples, dict):
            return False, None, where
        if self.spec_version == "2.0":
            return self._media_map(examples, where)
        for key, entry in examples.items():
            ewhere = where + pointer(key)
            if isinstance(entry, dict) and "$ref" in entry:
                try:
                    entry, ewhere = self.resolver.deref(entry, ewhere)
                except SpecError as exc:
                    self._spec_warning(exc, ewhere)
                    continue
            if not isinstance(entry, dict):
                self._warn(ewhere, "examples entry is not an Example object; its content is used as the value")
                return True, plain(entry), ewhere
            if "value" in entry:
                return True, plain(entry["value"]), ewhere + "/value"
            if "externalValue" in entry or "summary" in entry or "description" in entry:
                continue
            self._warn(ewhere, "examples entry is not an Example object; its content is used as the value")
            return True, plain(entry), ewhere
        return False, None, where

    def _media_map(self, examples: Any, where: str) -> tuple[bool, Any, str]:
        """A map keyed by media type (Swagger 2.0 ``examples``): JSON first, else the first."""
        if isinstance(examples, list):
            return (True, plain(examples[0]), where + "/0") if examples else (False, None, where)
        if not isinstance(examples, dict) or not examples:
            return False, None, where
        keys = [str(k) for k in examples]
        chosen = next((k for k in keys if k.split(";")[0].strip().lower() == "application/json"), None)
        if chosen is None:
            chosen = next((k for k in keys if "json" in k.lower()), keys[0])
        raw = next(v for k, v in examples.items() if str(k) == chosen)
        return True, plain(raw), where + pointer(chosen)
