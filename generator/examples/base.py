"""What every part of the example builder shares: the document, diagnostics, validation, resolution."""
from __future__ import annotations

from typing import Any

from ..errors import Diagnostic, SpecError, pointer
from ..refs import Resolver
from .context import Call
from .values import _DECLARED_KEYS, _NOTHING
from .formats import _format_checker, _swagger2_validator_class


class BuilderBase:
    """Builds example values from schemas of one document.

    ``diagnostics`` accumulates warnings (each reported once), located by JSON pointer.
    """

    def __init__(self, resolver: Resolver, *, spec_version: str, max_depth: int = 5) -> None:
        self.resolver = resolver
        version = str(spec_version or "")
        self.spec_version = "2.0" if version.startswith("2") else ("3.1" if version.startswith("3.1") else "3.0")
        self.max_depth = max(0, int(max_depth))
        self.diagnostics: list[Diagnostic] = []
        self._reported: set[tuple[str, str]] = set()
        self._checked: dict[str, str | None] = {}  # declared value's place -> its problem
        self._root_validator: Any = None
        self._mapping_tables: dict[int, tuple[dict, dict, dict]] = {}  # see Composition._mapping_table
        # values already built by for_schema (see ExampleBuilder._memo_key); valid while no
        # warning given before them has been taken back (``_epoch`` counts such take-backs)
        self._memo: dict[tuple, list] = {}
        self._building = 0
        self._epoch = 0

    # -- validation of declared values ---------------------------------------------------------
    def _problem_at(self, ctx: Call, value: Any, schema: Any, loc: str) -> str | None:
        """Why the value declared at ``loc`` does not validate against ``schema`` (None: it does).

        Checked once per place: a declared value does not change."""
        key = f"{ctx.direction} {loc}"
        if key not in self._checked:
            self._checked[key] = self._problem(ctx, value, schema)
        return self._checked[key]

    def _problem(self, ctx: Call, value: Any, schema: Any) -> str | None:
        """Why ``value`` does not validate against ``schema``, or None when it does (or when the
        validator cannot tell: a validator failure never stops generation)."""
        if schema is None or schema is True or value is _NOTHING:
            return None
        if isinstance(schema, dict) and value is None and (schema.get("x-nullable") or schema.get("nullable")):
            return None
        try:
            validator = self._validator(schema)
            if validator is None:
                return None
            errors = [e for e in validator.iter_errors(value) if not self._read_only_required(ctx, e)]
            if not errors:
                return None
            from jsonschema.exceptions import best_match

            error = best_match(errors)
        except Exception:  # noqa: BLE001 - a validator failure must never stop generation
            return None
        if error is None:
            return None
        reason = str(error.message)
        if len(reason) > 200:
            reason = reason[:197] + "..."
        path = pointer(*error.absolute_path) if error.absolute_path else ""
        if path:
            reason = f"at {path}: {reason}"
        return reason

    def _read_only_required(self, ctx: Call, error: Any) -> bool:
        """A ``required`` error about properties that are all readOnly (requests) or writeOnly
        (responses): such properties are left out on purpose."""
        if error.validator != "required" or not isinstance(error.instance, dict):
            return False
        schema = error.schema if isinstance(error.schema, dict) else {}
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        flag = ctx.hidden_flag
        missing = [r for r in error.validator_value or [] if isinstance(r, str) and r not in error.instance]
        return bool(missing) and all(r in props and self._flag(props[r], "", flag) for r in missing)

    def _validator(self, schema: Any) -> Any:
        """A validator for ``schema``: the one of the whole document, evolved, so that local
        ``$ref``s resolve against the document (and the document is read once)."""
        if not isinstance(schema, (dict, bool)):
            return None
        if self._root_validator is None:
            from openapi_schema_validator import OAS30Validator, OAS31Validator

            doc = self.resolver.document if isinstance(self.resolver.document, dict) else {}
            cls = OAS31Validator if self.spec_version == "3.1" else OAS30Validator
            if self.spec_version == "2.0":
                cls = _swagger2_validator_class()
            self._root_validator = cls(doc, format_checker=_format_checker(
                "3.1" if self.spec_version == "3.1" else "3.0"))
        return self._root_validator.evolve(schema=schema)

    # -- diagnostics ----------------------------------------------------------------------------
    def _warn(self, where: str, message: str, before: int | None = None) -> None:
        """Report a warning (once); ``before``: a mark, to list it ahead of those given since."""
        self._add(Diagnostic("warning", self.resolver.at(where), message), before)

    def _spec_warning(self, exc: SpecError, where: str) -> None:
        self._add(Diagnostic("warning", exc.location or self.resolver.at(where), exc.message))

    def _mark(self) -> int:
        return len(self.diagnostics)

    def _rollback(self, mark: int) -> None:
        """Forget the warnings given since ``mark`` (they were about a value that is not used)."""
        if not self._building and len(self.diagnostics) > mark:
            self._epoch += 1  # a warning a remembered value met may be given again
        for diag in self.diagnostics[mark:]:
            self._reported.discard((diag.location, diag.message))
        del self.diagnostics[mark:]

    def _add(self, diag: Diagnostic, before: int | None = None) -> None:
        key = (diag.location, diag.message)
        if key not in self._reported:
            self._reported.add(key)
            if before is None:
                self.diagnostics.append(diag)
            else:
                self.diagnostics.insert(before, diag)

    # -- resolution ----------------------------------------------------------------------------
    def _resolve(self, node: Any, where: str) -> tuple[Any, str, str | None]:
        """(schema dict or None, its pointer, the pointer of the $ref target when reached by $ref)."""
        if node is True or node is None:
            return {}, where, None
        if not isinstance(node, dict):
            return None, where, None
        if not isinstance(node.get("$ref"), str):
            return node, where, None
        try:
            target, loc = self.resolver.deref(node, where)
        except SpecError as exc:
            self._spec_warning(exc, where)
            return None, where, None
        if target is True:
            target = {}
        if not isinstance(target, dict):
            return None, loc, None
        if self.spec_version == "3.1":
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            if siblings:
                merged = dict(target)
                merged.update(siblings)
                return merged, (where if any(k in siblings for k in _DECLARED_KEYS) else loc), loc
        return target, loc, loc

    def _peek(self, node: Any, where: str) -> dict:
        """The resolved schema without diagnostics (for flags), {} when unusable."""
        try:
            target = self.resolver.resolve(node, where) if isinstance(node, dict) else node
        except SpecError:
            return {}
        if isinstance(node, dict) and self.spec_version == "3.1" and "$ref" in node and isinstance(target, dict):
            target = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return target if isinstance(target, dict) else {}

    def _flag(self, node: Any, where: str, flag: str, _depth: int = 0) -> bool:
        schema = self._peek(node, where)
        if schema.get(flag) is True:
            return True
        if _depth < 8:
            for branch in schema.get("allOf") or []:
                if self._flag(branch, where, flag, _depth + 1):
                    return True
        return False
