"""The fast validation path: openapi-spec-validator's verdicts in a fraction of its time.

Two passes over the plain document, no lazy path objects:

1. structural: the official OpenAPI JSON Schema that openapi-spec-validator ships, checked by
   jsonschema-rs (compiled once per version). Only when it finds a problem is the same schema
   checked again by ``jsonschema`` to word and place the findings exactly as the reference does.
2. semantic: what openapi-spec-validator 0.9 checks beyond that schema, walked the way its
   keyword validators walk (``openapi_spec_validator/validation/keywords.py``): duplicate tag
   names; per path item and operation, duplicate parameters (name and ``in``), duplicate
   ``operationId``s, path template variables without a path parameter and path parameters
   without a template variable; every schema reached from parameters, responses (2.0) or
   response content (3.x) and ``components/schemas``: checked against the JSON Schema
   meta-schema of its dialect (jsonschema-rs for 2.0/3.0, compiled once), ``required``
   names missing from ``properties`` beside an ``allOf``, ``default`` values (and 2.0
   parameter defaults) validated against their schema.

Findings are ``[JSON pointer, message, level]``, made by ``validate._finding`` from the same
error objects the reference makes, so both paths place and word them alike.
"""
from __future__ import annotations

import string
from functools import lru_cache
from typing import Any, Iterator

from .errors import SpecError
from .refs import Resolver

OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
LIMIT = 200  # findings after which the reference stops too


def problem(message: str, at: tuple) -> Any:
    """A finding in the reference's error form, placed at logical path ``at``."""
    from jsonschema.exceptions import ValidationError

    error = ValidationError(message)
    error.samplegen_at = at
    return error


@lru_cache(maxsize=4)
def structural_validator(spec_version: str) -> Any:
    """jsonschema-rs for the OpenAPI JSON Schema of ``spec_version`` (formats unchecked, as
    the reference's ``jsonschema`` pass leaves them), or None when it cannot be built."""
    try:
        import jsonschema_rs
    except ImportError:
        return None

    def refuse(uri: str) -> Any:
        raise ValueError(f"not fetched: {uri}")

    try:
        return jsonschema_rs.validator_for(official_schema(spec_version), validate_formats=False, retriever=refuse)
    except Exception:  # pragma: no cover - a schema jsonschema-rs cannot compile, or not found
        return None


def official_schema(spec_version: str) -> dict:
    """The OpenAPI JSON Schema openapi-spec-validator ships for ``spec_version``, read from its
    package folder without importing the package (which costs a third of a second)."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("openapi-spec-validator is not installed")
    folder = Path(list(spec.submodule_search_locations)[0]) / "resources" / "schemas" / f"v{spec_version}"
    return json.loads((folder / "schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=2)
def _meta_validator(spec_version: str) -> Any:
    """jsonschema-rs for the meta-schema the reference checks schemas with, or None: draft 4
    for 2.0/3.0, OpenAPI 3.1's base dialect for 3.1; ``format: regex`` by
    openapi-schema-validator's own regex check. It may refuse more than the reference (formats
    the reference leaves unchecked): a schema it refuses is checked again by the reference's
    checker, which has the last word."""
    try:
        import jsonschema_rs
        from openapi_schema_validator import OAS30Validator
        from openapi_schema_validator._regex import is_valid_regex
    except ImportError:
        return None

    def regex(value: Any) -> bool:
        return not isinstance(value, str) or is_valid_regex(value)

    try:
        if spec_version != "3.1":
            return jsonschema_rs.Draft4Validator(dict(OAS30Validator.META_SCHEMA), validate_formats=True,
                                                 formats={"regex": regex})
        from openapi_schema_validator._dialects import OAS31_BASE_DIALECT_METASCHEMA
        from openapi_schema_validator._specifications import REGISTRY

        registry = jsonschema_rs.Registry([(uri, REGISTRY.contents(uri)) for uri in REGISTRY
                                           if uri.startswith("https://spec.openapis.org/oas/3.1/")])
        return jsonschema_rs.validator_for(dict(OAS31_BASE_DIALECT_METASCHEMA), registry=registry,
                                           validate_formats=True, formats={"regex": regex})
    except Exception:  # pragma: no cover - another layout of the libraries: the reference's checker
        return None


class Checker:
    """One walk of a document; ``run()`` yields jsonschema-style errors with ``samplegen_at``."""

    def __init__(self, data: dict, spec_version: str) -> None:
        self.data = data
        self.version = spec_version
        self.resolver = Resolver(data)
        self.visited: set[int] = set()
        self.meta_checked: set[int] = set()
        self.operation_ids: set[Any] = set()
        self._value_validators: dict[int, Any] = {}
        self._root_value_validator: Any = None
        self._dialect: str | None = None

    # -- helpers -------------------------------------------------------------------------
    def deref(self, node: Any) -> Any:
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            try:
                return self.resolver.deref(node)[0]
            except SpecError as exc:
                raise Unresolvable(str(exc)) from None
        return node

    def items(self, node: Any) -> Iterator[tuple[Any, Any]]:
        node = self.deref(node)
        if isinstance(node, dict):
            yield from node.items()
        elif isinstance(node, list):
            yield from enumerate(node)

    # -- the walk ------------------------------------------------------------------------
    def run(self) -> Iterator[Any]:
        spec = self.deref(self.data)
        if not isinstance(spec, dict):
            return
        if "tags" in spec:
            yield from self.tags(spec["tags"], ("tags",))
        if "paths" in spec:
            for url, item in self.items(spec["paths"]):
                yield from self.path_item(url, self.deref(item), ("paths", url))
        if "components" in spec:
            components = self.deref(spec["components"])
            if isinstance(components, dict) and "schemas" in components:
                for name, sub in self.items(components["schemas"]):
                    yield from self.schema(("components", "schemas", name), value=self.deref(sub))

    def tags(self, tags: Any, at: tuple) -> Iterator[Any]:
        seen: set[Any] = set()
        for _, tag in self.items(tags):
            name = self.deref(tag)["name"]
            if name in seen:
                yield problem(f"Duplicate tag name '{name}'", at)
            seen.add(name)

    def path_item(self, url: str, item: Any, at: tuple) -> Iterator[Any]:
        if not isinstance(item, dict):
            return
        shared = None
        if "parameters" in item:
            shared = at + ("parameters",)
            yield from self.parameters(item["parameters"], shared)
        for method, operation in item.items():
            if method in OPERATIONS:
                yield from self.operation(url, method, self.deref(operation), at + (method,), item, shared)

    def operation(self, url: str, method: str, operation: Any, at: tuple, item: dict,
                  shared: tuple | None) -> Iterator[Any]:
        if "operationId" in operation:
            op_id = self.deref(operation["operationId"])
            if op_id is not None and _hashable(op_id) in self.operation_ids:
                yield problem(f"Operation ID '{op_id}' for '{method}' in '{url}' is not unique", at)
            self.operation_ids.add(_hashable(op_id))
        if "responses" in operation:
            for code, response in self.items(operation["responses"]):
                yield from self.response(self.deref(response), at + ("responses", code))
        names: list[str] = []
        if "parameters" in operation:
            yield from self.parameters(operation["parameters"], at + ("parameters",))
            names += self.path_names(operation["parameters"])
        if shared is not None:
            names += self.path_names(item["parameters"])
        declared = set(names)
        in_url = {field for _, field, _, _ in string.Formatter().parse(url) if field}
        for name in sorted(in_url):
            if name not in declared:
                yield problem(f"Path parameter '{name}' for '{method}' operation in '{url}' was not resolved", at)
        for name in sorted(declared):
            if name not in in_url:
                yield problem(f"Path parameter '{name}' for '{method}' operation in '{url}' was not resolved", at)

    def path_names(self, parameters: Any) -> list[str]:
        out = []
        for _, param in self.items(parameters):
            param = self.deref(param)
            if _read_str(self.deref(param["in"])) == "path":
                out.append(_read_str(self.deref(param["name"])))
        return out

    def parameters(self, parameters: Any, at: tuple) -> Iterator[Any]:
        seen: set[tuple] = set()
        for index, param in self.items(parameters):
            param = self.deref(param)
            yield from self.parameter(param, at + (index,))
            key = (_hashable(self.deref(param["name"])), _hashable(self.deref(param["in"])))
            if key in seen:
                yield problem(f"Duplicate parameter '{self.deref(param['name'])}'", at)
            seen.add(key)

    def parameter(self, param: Any, at: tuple) -> Iterator[Any]:
        if not isinstance(param, dict):
            return
        if "schema" in param:
            yield from self.schema(at + ("schema",), value=self.deref(param["schema"]))
        if self.version == "2.0" and "default" in param:
            yield from self.value(param, self.deref(param["default"]), at + ("default",))

    def response(self, response: Any, at: tuple) -> Iterator[Any]:
        if not isinstance(response, dict):
            return
        if self.version == "2.0":
            if "schema" in response:
                yield from self.schema(at + ("schema",), value=self.deref(response["schema"]))
        elif "content" in response:
            for mime, media in self.items(response["content"]):
                media = self.deref(media)
                if isinstance(media, dict) and "schema" in media:
                    yield from self.schema(at + ("content", mime, "schema"), value=self.deref(media["schema"]))

    def schema(self, at: tuple, require_properties: bool = True, meta_checked: bool = False,
               value: Any = None) -> Iterator[Any]:
        """The reference's SchemaValidator on the (dereferenced) schema ``value`` at ``at``."""
        if not isinstance(value, (dict, bool)):
            yield problem(f"{value!r} is not of type 'object', 'boolean'", at)
            return
        key = id(value)
        if not meta_checked and key not in self.meta_checked:
            self.meta_checked.add(key)
            err = self.meta_error(value)
            if err is not None:
                err.samplegen_at = at
                yield err
                return
        if key in self.visited:
            return
        self.visited.add(key)
        if not isinstance(value, dict):
            return
        nested: set[str] = set()
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in value:
                for index, sub in self.items(value[keyword]):
                    sub = self.deref(sub)
                    yield from self.schema(at + (keyword, index), False, True, sub)
                    if keyword == "allOf":
                        nested |= self.properties_of(sub, set())
        for keyword in ("not", "items"):
            if keyword in value:
                yield from self.schema(at + (keyword,), False, True, self.deref(value[keyword]))
        if "properties" in value:
            for name, sub in self.items(value["properties"]):
                yield from self.schema(at + ("properties", name), False, True, self.deref(sub))
        if "allOf" in value and require_properties:
            required = ("required" in value and self.deref(value["required"])) or []
            properties = ("properties" in value and list(self.deref(value["properties"]))) or []
            extra = list(set(required) - set(properties) - nested)
            if extra:
                yield problem(f"Required list has not defined properties: {extra}", at)
        if "default" in value:
            default = self.deref(value["default"])
            nullable = self.deref(value["nullable"]) if "nullable" in value else False
            if default is not None or nullable is not True:
                yield from self.value(value, default, at + ("default",))

    def properties_of(self, schema: Any, seen: set[int]) -> set[str]:
        """Every property name reachable from ``schema`` (the reference's _collect_properties)."""
        schema = self.deref(schema)
        if not isinstance(schema, dict) or id(schema) in seen:
            return set()
        seen = seen | {id(schema)}  # the reference recurses without end on a loop; we stop
        props: set[str] = set()
        if "properties" in schema:
            props.update(k for k, _ in self.items(schema["properties"]))
        for keyword in ("allOf", "anyOf", "oneOf"):
            if keyword in schema:
                for _, sub in self.items(schema[keyword]):
                    props |= self.properties_of(sub, seen)
        for keyword in ("items", "not"):
            if keyword in schema:
                props |= self.properties_of(schema[keyword], seen)
        return props

    # -- the checks that need a JSON Schema validator ---------------------------------------
    def meta_error(self, schema: Any) -> Any:
        """The reference's meta-schema check: the first error, or None."""
        from jsonschema.exceptions import SchemaError, ValidationError

        if self.version == "3.1":
            try:
                checker = self.dialect_checker(schema)
            except ValueError as exc:
                return ValidationError(str(exc))
            from openapi_schema_validator import OAS31_BASE_DIALECT_ID

            fast = _meta_validator("3.1") if getattr(checker, "dialect", None) == OAS31_BASE_DIALECT_ID else None
            if fast is not None and fast.is_valid(schema):
                return None
        else:
            fast = _meta_validator(self.version)
            if fast is not None and fast.is_valid(schema):
                return None
            from openapi_schema_validator import OAS30Validator

            checker = OAS30Validator.check_schema
        try:
            checker(schema)
        except (SchemaError, ValidationError) as err:
            return err
        return None

    def dialect_checker(self, schema: Any) -> Any:
        from functools import partial

        from openapi_schema_validator import OAS31_BASE_DIALECT_ID, oas31_format_checker

        if isinstance(schema, dict) and "$schema" in schema:
            dialect = schema["$schema"]
            if not isinstance(dialect, str):
                raise ValueError(f"Unknown JSON Schema dialect: {dialect!r}")
        else:
            if self._dialect is None:
                root = self.deref(self.data)
                found = root.get("jsonSchemaDialect") if isinstance(root, dict) else None
                self._dialect = found if isinstance(found, str) else OAS31_BASE_DIALECT_ID
            dialect = self._dialect
        cls = _validator_for_dialect(dialect)
        if cls is None:
            raise ValueError(f"Unknown JSON Schema dialect: {dialect!r}")
        checker = partial(cls.check_schema, format_checker=oas31_format_checker)
        checker.dialect = dialect  # type: ignore[attr-defined]
        return checker

    def value(self, schema: Any, value: Any, at: tuple) -> Iterator[Any]:
        """``value`` checked against ``schema`` as the reference does (openapi-schema-validator,
        its format checker, $refs resolved in this document); one validator per schema."""
        known = self._value_validators.get(id(schema))  # (validator, schema): keeps the id alive
        if known is None:
            if self._root_value_validator is None:
                if self.version == "3.1":
                    from openapi_schema_validator import OAS31Validator as cls
                    from openapi_schema_validator import oas31_format_checker as formats
                else:
                    from openapi_schema_validator import OAS30Validator as cls
                    from openapi_schema_validator import oas30_format_checker as formats
                self._root_value_validator = cls(self.data, format_checker=formats)
            known = (self._root_value_validator.evolve(schema=schema), schema)
            self._value_validators[id(schema)] = known
        validator = known[0]
        for err in validator.iter_errors(value):
            err.samplegen_at = at
            yield err


class Unresolvable(Exception):
    """A $ref the walk could not follow (the reference stops there too)."""


@lru_cache(maxsize=8)
def _validator_for_dialect(dialect: str) -> Any:
    from jsonschema.validators import validator_for

    return validator_for({"$schema": dialect}, default=None)


def _hashable(value: Any) -> Any:
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)


def _read_str(value: Any) -> Any:
    return value if isinstance(value, str) else str(value)
