"""Validation, paid once per distinct input (cached on disk by content hash).

Two paths give openapi-spec-validator's verdicts: by default the fast one
(``speccheck``: jsonschema-rs against the same OpenAPI JSON Schema, plus the checks the
library makes beyond it, implemented here); with ``full=True`` (``--full-validation``)
openapi-spec-validator itself, the reference."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from .ecma import is_ecma_only
from .errors import Diagnostic, SpecError, pointer
from .refs import Resolver

MAX_REPORTED = 25


def _version_of(package: str) -> str:
    try:
        from importlib.metadata import version

        return version(package)
    except Exception:  # pragma: no cover - metadata missing
        return "unknown"


def validator_version() -> str:
    return _version_of("openapi-spec-validator")


def cache_dir() -> Path:
    env = os.environ.get("SAMPLEGEN_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "samplegen" / "validation"


def cache_key(sha256: str, data: dict, spec_version: str, full: bool = False) -> str:
    h = hashlib.sha256()
    mode = "full" if full else f"fast-{_version_of('jsonschema-rs')}"
    h.update(f"{sha256}|{spec_version}|{validator_version()}|{FINDINGS_FORMAT}|{mode}".encode())
    external = data.get("x-samplegen-external") if isinstance(data, dict) else None
    if external:
        h.update(json.dumps(external, sort_keys=True, default=str).encode())
    return h.hexdigest()


FINDINGS_FORMAT = "4"  # [pointer, message, level]; part of the cache key


@lru_cache(maxsize=4)
def _validator_class(spec_version: str) -> Any:
    """The library's validator for ``spec_version``, with every keyword validator (the checks
    it makes beyond the JSON schema: defaults, schemas, parameters...) remembering where in
    the document the node it checks is, so that its findings can be placed."""
    from openapi_spec_validator import (OpenAPIV2SpecValidator, OpenAPIV30SpecValidator,
                                        OpenAPIV31SpecValidator)

    base = {"2.0": OpenAPIV2SpecValidator, "3.0": OpenAPIV30SpecValidator,
            "3.1": OpenAPIV31SpecValidator}[spec_version]
    try:
        from jsonschema_path import SchemaPath
        from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
        from openapi_spec_validator.validation.keywords import ValueValidator
    except ImportError:  # pragma: no cover - another layout of the library: findings unplaced
        return base

    def located(cls: type) -> type:
        def call(self: Any, *args: Any, **kwargs: Any) -> Any:
            anchor = next((a for a in args if isinstance(a, SchemaPath)), None)
            extra = ("default",) if isinstance(self, ValueValidator) else ()
            for err in cls.__call__(self, *args, **kwargs):
                if anchor is not None and getattr(err, "samplegen_at", None) is None:
                    if not isinstance(err, OpenAPIValidationError):
                        err = OpenAPIValidationError.create_from(err)
                    err.samplegen_at = tuple(anchor.parts) + extra
                yield err

        return type(cls.__name__, (cls,), {"__call__": call})

    keywords = {name: located(cls) for name, cls in base.keyword_validators.items()}
    attrs: dict[str, Any] = {"keyword_validators": keywords}
    try:  # the JSON schema checks by jsonschema, whichever backend the library would pick:
        # its findings carry the branches of a oneOf, and the verdicts do not depend on what
        # else is installed
        from openapi_spec_validator import schemas
        from openapi_spec_validator.schemas.backend.jsonschema import create_validator

        schema = {"2.0": schemas.schema_v2, "3.0": schemas.schema_v30, "3.1": schemas.schema_v31}[spec_version]
        attrs["schema_validator"] = create_validator(dict(schema))
    except (ImportError, AttributeError):  # pragma: no cover - another layout of the library
        pass
    return type(base.__name__, (base,), attrs)


def _run_validator(data: dict, spec_version: str) -> list[list[str]]:
    found: list[list[str]] = []
    try:
        for err in _validator_class(spec_version)(data).iter_errors():
            found.append(_finding(data, err))
            if len(found) > 200:
                break
    except RecursionError:
        found.append(["/", "the validator gave up: the definition nests too deeply", "error"])
    except Exception as exc:  # the validator itself failed on this input
        if any(c.__name__ == "Unresolvable" for c in type(exc).__mro__):
            found.append(["/", f"{VALIDATOR_STOPPED} at a $ref it could not follow", "error"])
        else:
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            found.append(["/", f"{VALIDATOR_STOPPED} ({type(exc).__name__}: {first[:300]})", "error"])
    return found


def _run_fast(data: dict, spec_version: str) -> list[list[str]]:
    """The fast path's findings, in the form and order of ``_run_validator``'s."""
    from .speccheck import Checker, Unresolvable, structural_validator

    found: list[list[str]] = []
    try:
        fast = structural_validator(spec_version)
        if fast is None or not fast.is_valid(data):  # worded and placed as the reference does
            for err in _validator_class(spec_version).schema_validator.iter_errors(data):
                found.append(_finding(data, err))
                if len(found) > 200:
                    return found
        for err in Checker(data, spec_version).run():
            found.append(_finding(data, err))
            if len(found) > 200:
                break
    except RecursionError:
        found.append(["/", "the validator gave up: the definition nests too deeply", "error"])
    except Unresolvable:
        found.append(["/", f"{VALIDATOR_STOPPED} at a $ref it could not follow", "error"])
    except Exception as exc:  # the walk met a node the reference would have stopped at too
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        found.append(["/", f"{VALIDATOR_STOPPED} ({type(exc).__name__}: {first[:300]})", "error"])
    return found


VALIDATOR_STOPPED = "the validator stopped; the rest of the definition was not validated"


def _finding(data: dict, err: Any) -> list[str]:
    """[JSON pointer of the offending node in the user's document, message, level]."""
    path, message, leaf = explain(err)
    base = getattr(err, "samplegen_at", None)
    if base is None:  # the JSON schema of the document: paths are the document's own
        where = pointer(*path) if path else "/"
    else:  # a keyword check: the path it followed may go through $refs
        where = real_pointer(data, tuple(base) + tuple(path))
    level = "error"
    if leaf.validator == "format" and leaf.validator_value == "regex" and isinstance(leaf.instance, str) \
            and is_ecma_only(leaf.instance):
        level = "warning"
        message = (f"pattern {leaf.instance!r} is valid ECMA-262 (the dialect OpenAPI uses) but not a "
                   "Python regular expression; samplegen reads it as the closest Python pattern")
    return [where, message, level]


def _branches(err: Any) -> list[list[Any]]:
    """The findings of each alternative of a oneOf/anyOf, nested ones flattened: one list of
    findings per alternative that the instance could have meant. Reference alternatives
    (``$ref`` required) are left out: the instance is not a reference."""
    out: list[list[Any]] = []

    def walk(e: Any) -> None:  # depth is that of the specification's own schema
        groups: dict[Any, list[Any]] = {}
        for c in e.context or []:
            groups.setdefault(c.relative_schema_path[0] if c.relative_schema_path else None, []).append(c)
        for found in groups.values():
            if len(found) == 1 and found[0].validator in ("oneOf", "anyOf") and found[0].context:
                walk(found[0])
            elif not any(f.validator == "required" and f.validator_value == ["$ref"] for f in found):
                out.append(found)

    walk(err)
    return out


def explain(err: Any) -> tuple[tuple, str, Any]:
    """(instance path, message, the finding it is made from) for one validator finding.

    For oneOf/anyOf ("not valid under any of the given schemas"), the alternatives say more.
    When every one of them wants a member from a list of values (``in``: path, query...), the
    member is named with the values. Otherwise the alternatives the instance matches on that
    member are the ones it meant, and their deepest finding is shown.
    """
    path = tuple(err.absolute_path)
    if err.validator not in ("oneOf", "anyOf") or not err.context:
        return path, err.message, err
    branches = _branches(err)
    if not branches:
        return path, err.message, err
    choices = [e for b in branches for e in b if e.validator in ("enum", "const") and len(e.absolute_path) > len(path)]
    if choices:
        deepest = max(len(e.absolute_path) for e in choices)
        at = next(tuple(e.absolute_path) for e in choices if len(e.absolute_path) == deepest)
        refused = [b for b in branches if any(e in choices and tuple(e.absolute_path) == at for e in b)]
        if len(refused) == len(branches):
            allowed: list[Any] = []
            for e in choices:
                if tuple(e.absolute_path) == at:
                    values = e.validator_value if e.validator == "enum" else [e.validator_value]
                    allowed += [v for v in (values or []) if v not in allowed]
            shown = ", ".join(v if isinstance(v, str) else json.dumps(v) for v in allowed)
            return at, f"`{at[-1]}` is {json.dumps(choices[0].instance)}; it must be one of {shown}", choices[0]
        branches = [b for b in branches if not any(b is r for r in refused)]
    from jsonschema.exceptions import best_match

    leaves = [e for b in branches for e in b]
    deepest = max(len(e.absolute_path) for e in leaves)
    best = best_match([e for e in leaves if len(e.absolute_path) == deepest]) or leaves[0]
    return tuple(best.absolute_path), best.message, best


def real_pointer(data: Any, parts: tuple) -> str:
    """Where the node at logical path ``parts`` (which may go through $refs) is written."""
    resolver = Resolver(data)
    node, loc = data, ""
    for i, part in enumerate(parts):
        try:
            node, loc = resolver.deref(node, loc)
        except SpecError:
            return (loc + pointer(*parts[i:])) or "/"
        if isinstance(node, dict) and str(part) in node:
            node = node[str(part)]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return (loc + pointer(*parts[i:])) or "/"
        loc += pointer(part)
    try:
        loc = resolver.deref(node, loc)[1]
    except SpecError:
        pass
    return loc or "/"


def validate(data: dict, *, spec_version: str, sha256: str, source: str,
             use_cache: bool = True, full: bool = False) -> list[Diagnostic]:
    """Return the validator's findings as diagnostics (empty: valid): errors, and warnings for
    what is only a difference of dialect (an ECMA-262 ``pattern`` Python cannot compile).
    ``full``: openapi-spec-validator itself instead of the fast path."""
    key = cache_key(sha256, data, spec_version, full)
    path = cache_dir() / f"{key}.json"
    found: list[Any] | None = None
    if use_cache:
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found = None
    if found is None:
        found = (_run_validator if full else _run_fast)(data, spec_version)
        if use_cache:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(found, fh)
                os.replace(tmp, path)
            except OSError:
                pass  # a cache we cannot write is only slower
    out = [Diagnostic(level, f"{source}#{loc}", msg) for loc, msg, level in found[:MAX_REPORTED]]
    if len(found) > MAX_REPORTED:
        out.append(Diagnostic("error", f"{source}#/", f"... and {len(found) - MAX_REPORTED} more problems"))
    return out
