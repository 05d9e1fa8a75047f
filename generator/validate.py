"""Validation with openapi-spec-validator, paid once per distinct input (cached on disk)."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import Diagnostic, pointer

MAX_REPORTED = 25


def validator_version() -> str:
    try:
        from importlib.metadata import version

        return version("openapi-spec-validator")
    except Exception:  # pragma: no cover - metadata missing
        return "unknown"


def cache_dir() -> Path:
    env = os.environ.get("SAMPLEGEN_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "samplegen" / "validation"


def cache_key(sha256: str, data: dict, spec_version: str) -> str:
    h = hashlib.sha256()
    h.update(f"{sha256}|{spec_version}|{validator_version()}".encode())
    external = data.get("x-samplegen-external") if isinstance(data, dict) else None
    if external:
        h.update(json.dumps(external, sort_keys=True, default=str).encode())
    return h.hexdigest()


def _run_validator(data: dict, spec_version: str) -> list[tuple[str, str]]:
    from openapi_spec_validator import (OpenAPIV2SpecValidator, OpenAPIV30SpecValidator,
                                        OpenAPIV31SpecValidator)

    cls = {"2.0": OpenAPIV2SpecValidator, "3.0": OpenAPIV30SpecValidator,
           "3.1": OpenAPIV31SpecValidator}[spec_version]
    found: list[tuple[str, str]] = []
    try:
        for err in cls(data).iter_errors():
            path = list(getattr(err, "absolute_path", []) or [])
            found.append((pointer(*path) if path else "/", str(getattr(err, "message", err))))
            if len(found) > 200:
                break
    except RecursionError:
        found.append(("/", "the validator gave up: the definition nests too deeply"))
    except Exception as exc:  # the validator itself failed on this input
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        found.append(("/", f"the validator failed: {first[:300]}"))
    return found


def validate(data: dict, *, spec_version: str, sha256: str, source: str,
             use_cache: bool = True) -> list[Diagnostic]:
    """Return the validator's findings as error diagnostics (empty: valid)."""
    key = cache_key(sha256, data, spec_version)
    path = cache_dir() / f"{key}.json"
    found: list[Any] | None = None
    if use_cache:
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found = None
    if found is None:
        found = _run_validator(data, spec_version)
        if use_cache:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(found, fh)
                os.replace(tmp, path)
            except OSError:
                pass  # a cache we cannot write is only slower
    out = [Diagnostic("error", f"{source}#{loc}", msg) for loc, msg in found[:MAX_REPORTED]]
    if len(found) > MAX_REPORTED:
        out.append(Diagnostic("error", f"{source}#/", f"... and {len(found) - MAX_REPORTED} more problems"))
    return out
