"""allOf merging, discriminators, and the oneOf / anyOf branch chosen."""
from __future__ import annotations

from typing import Any

from ..errors import SpecError, pointer
from ..refs import split_pointer
from .context import Call
from .values import _ANNOTATIONS, _DECLARED_KEYS, _NOTHING, _discriminator, _schema_type, _set_first, _viable
from .base import BuilderBase


class Composition(BuilderBase):
    """allOf, oneOf and anyOf."""

    def _merge_all_of(self, schema: dict, where: str) -> tuple[dict, list[tuple[str, dict]]]:
        """Merge ``allOf`` branches (and theirs, recursively) with the schema's own keywords.

        Properties keep declaration order (branches first, then the schema's own); a property
        declared twice becomes ``allOf`` of both declarations; ``required`` is the union.
        Other keywords: the schema's own win, then the first branch that has them. Declared
        examples/defaults are inherited only from a lone branch wrapped without properties.
        """
        branches = schema["allOf"]
        inherit_declared = len(branches) == 1 and not schema.get("properties")
        merged: dict[str, Any] = {}
        props: dict[str, Any] = {}
        required: list[str] = []
        refs: list[tuple[str, dict]] = []  # (pointer, schema) of every branch reached by $ref
        stack: list[str] = []

        def absorb(s: dict, own: bool) -> None:
            for key, val in s.items():
                if key == "allOf":
                    continue
                if key == "properties" and isinstance(val, dict):
                    for pname, psub in val.items():
                        pname = str(pname)
                        if pname in props and props[pname] is not psub:
                            props[pname] = {"allOf": [props[pname], psub]}
                        else:
                            props[pname] = psub
                elif key == "required" and isinstance(val, list):
                    for r in val:
                        if isinstance(r, str) and r not in required:
                            required.append(r)
                elif key == "discriminator" and not own:
                    continue
                elif key in _DECLARED_KEYS and not own and not inherit_declared:
                    continue
                elif own:
                    merged[key] = val
                else:
                    merged.setdefault(key, val)

        def walk(node: Any, w: str, depth: int) -> None:
            target, loc, ref = self._resolve(node, w)
            if not isinstance(target, dict) or depth > 32:
                return
            if ref is not None:
                if ref in stack:
                    return
                refs.append((ref, target))
                stack.append(ref)
            sub = target.get("allOf")
            if isinstance(sub, list):
                for i, branch in enumerate(sub):
                    walk(branch, f"{loc}/allOf/{i}", depth + 1)
            absorb(target, own=False)
            if ref is not None:
                stack.pop()

        for i, branch in enumerate(branches):
            walk(branch, f"{where}/allOf/{i}", 0)
        absorb(schema, own=True)
        if props:
            merged["properties"] = props
        if required:
            merged["required"] = required
        if "type" not in merged and props:
            merged["type"] = "object"
        return merged, refs

    def _inherited_discriminator(self, bases: list[tuple[str, dict]], ref_text: str,
                                 own: str) -> tuple[str, str] | None:
        """(property, value) when a schema reached by ``$ref: ref_text`` (pointer ``own``) extends
        a base schema that carries a discriminator."""
        for ref, base in bases:
            if ref == own:
                continue
            prop, mapping = _discriminator(base.get("discriminator"))
            if prop:
                return prop, self._mapping_key(mapping, ref_text, own)
        return None

    def _mapping_key(self, mapping: dict, ref_text: str, target: str | None) -> str:
        """The discriminator value of a branch: the first mapping key that points to it, else
        the last segment of its ``$ref``."""
        _, by_value, by_target = self._mapping_table(mapping)
        hit = by_value.get(ref_text)
        if target is not None:
            other = by_target.get(target)
            if other is not None and (hit is None or other[0] < hit[0]):
                hit = other
        if hit is not None:
            return hit[1]
        try:
            parts = split_pointer(ref_text)
        except SpecError:
            parts = []
        if parts:
            return parts[-1]
        return ref_text.rstrip("/").rsplit("/", 1)[-1]

    def _mapping_table(self, mapping: dict) -> tuple[dict, dict, dict]:
        """(mapping, value -> (position, key), target pointer -> (position, key)), the first
        entry of each, built once per mapping: large definitions have mappings of thousands
        of entries, looked up once per branch."""
        entry = self._mapping_tables.get(id(mapping))
        if entry is None or entry[0] is not mapping:
            by_value: dict[str, tuple[int, str]] = {}
            by_target: dict[str, tuple[int, str]] = {}
            for i, (key, value) in enumerate(mapping.items()):
                if not isinstance(value, str):
                    continue
                by_value.setdefault(value, (i, str(key)))
                target = self._mapping_target(value)
                if target is not None:
                    by_target.setdefault(target, (i, str(key)))
            entry = (mapping, by_value, by_target)  # holds the mapping, so its id stays its own
            self._mapping_tables[id(mapping)] = entry
        return entry

    def _mapping_target(self, value: str) -> str | None:
        if value.startswith("#"):
            try:
                return pointer(*split_pointer(value)) if value != "#" else "/"
            except SpecError:
                return None
        if "/" in value or "." in value:
            return None
        base = ("definitions",) if self.spec_version == "2.0" else ("components", "schemas")
        return pointer(*base, value)

    def _build_choice(self, ctx: Call, schema: dict, keyword: str, where: str, *, name: str | None, level: int,
                      chain: tuple[str, ...], variant: int) -> Any:
        branches = schema[keyword]
        order = list(range(len(branches)))
        if ctx.scalar_first and level == 0:
            # a parameter travels as text: a branch that is plain text, a number or a boolean
            # is what every server reads back (an object needs a style the server must share)
            def scalar(i: int) -> bool:
                return _schema_type(self._peek(branches[i], f"{where}/{keyword}/{i}")) in (
                    "string", "integer", "number", "boolean")
            order.sort(key=lambda i: not scalar(i))
        candidates: list[tuple[int, Any, dict, str | None]] = []
        recursive: list[tuple[int, Any, dict, str | None]] = []
        for i in order:
            branch = branches[i]
            target = self._peek(branch, f"{where}/{keyword}/{i}") if branch is not True else {}
            if not _viable(target) and not (branch is True):
                continue
            ref = None
            if isinstance(branch, dict) and isinstance(branch.get("$ref"), str):
                try:
                    ref = self.resolver.deref(branch, f"{where}/{keyword}/{i}")[1]
                except SpecError:
                    continue
            # a branch that re-enters a schema being expanded comes last
            (candidates if ref is None or ref not in chain else recursive).append((i, branch, target, ref))
        candidates += recursive
        rest = {k: v for k, v in schema.items() if k not in ("oneOf", "anyOf", "discriminator")}
        if keyword == "oneOf" and isinstance(schema.get("anyOf"), list):
            rest["anyOf"] = schema["anyOf"]
        if not candidates:
            # no usable branch: build from the rest of the schema
            if any(k not in _ANNOTATIONS for k in rest):
                return self._build(ctx, rest, where, name=name, level=level, chain=chain, variant=variant)
            return _NOTHING
        first = self._build_branch(ctx, schema, rest, keyword, candidates[0], where, name=name, level=level,
                                   chain=chain, variant=variant)
        if keyword != "oneOf" or len(branches) < 2 or self._matches(ctx, first, branches) <= 1:
            return first
        # the value matches several branches, which oneOf forbids: the first other branch whose
        # value matches it alone is used instead
        for candidate in candidates[1:6]:
            mark = self._mark()
            value = self._build_branch(ctx, schema, rest, keyword, candidate, where, name=name, level=level,
                                       chain=chain, variant=variant)
            if self._matches(ctx, value, branches) == 1 and self._problem(ctx, value, schema) is None:
                return value
            self._rollback(mark)
        return first

    def _matches(self, ctx: Call, value: Any, branches: list) -> int:
        """How many of ``branches`` the value validates against."""
        return sum(1 for branch in branches if self._problem(ctx, value, branch) is None)

    def _build_branch(self, ctx: Call, schema: dict, rest: dict, keyword: str,
                      chosen: tuple[int, Any, dict, str | None], where: str, *, name: str | None, level: int,
                      chain: tuple[str, ...], variant: int) -> Any:
        i, branch, target, ref = chosen
        bwhere = f"{where}/{keyword}/{i}"
        structural = [k for k in rest if k not in _ANNOTATIONS]
        if structural:
            value = self._build(ctx, {"allOf": [rest, branch]}, where, name=name, level=level, chain=chain,
                                variant=variant)
        else:
            value = self._build(ctx, branch, bwhere, name=name, level=level, chain=chain, variant=variant)
        if isinstance(value, dict):
            prop, mapping = _discriminator(schema.get("discriminator"))
            if prop and isinstance(branch, dict) and isinstance(branch.get("$ref"), str):
                _set_first(value, prop, self._mapping_key(mapping, branch["$ref"], ref))
            elif not prop and ref is not None and isinstance(target.get("allOf"), list):
                _, bases = self._merge_all_of(target, ref)
                inherited = self._inherited_discriminator(bases, branch["$ref"], ref)
                if inherited is not None:
                    _set_first(value, inherited[0], inherited[1])
        return value

    # structure -----------------------------------------------------------------------------------
