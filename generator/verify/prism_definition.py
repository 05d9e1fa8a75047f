"""The definition Prism is given: read, its query-path keys rewritten, relative references made absolute."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit


# --------------------------------------------------------------------------- definition


def _load_definition(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            return json.loads(text)
        except ValueError:
            pass
    import yaml  # a declared dependency; imported late so JSON-only use needs nothing

    return yaml.safe_load(text)


def _fill_variables(url: str, variables: dict[str, Any] | None) -> str:
    variables = variables or {}

    def repl(match: re.Match[str]) -> str:
        var = variables.get(match.group(1))
        if isinstance(var, dict) and "default" in var:
            return str(var["default"])
        return match.group(0)

    return re.sub(r"\{([^{}]+)\}", repl, url)


def _base_paths(doc: Any) -> list[str]:
    """Path prefixes of the servers (OpenAPI 3) or ``basePath`` (Swagger 2.0), longest first."""
    found: set[str] = set()
    if not isinstance(doc, dict):
        return []
    if "swagger" in doc:
        base = doc.get("basePath")
        if isinstance(base, str):
            found.add(base)
    else:
        servers: list[Any] = list(doc.get("servers") or [])
        for item in (doc.get("paths") or {}).values():
            if isinstance(item, dict):
                servers += list(item.get("servers") or [])
                for op in item.values():
                    if isinstance(op, dict) and isinstance(op.get("servers"), list):
                        servers += op["servers"]
        for server in servers:
            if isinstance(server, dict) and isinstance(server.get("url"), str):
                url = _fill_variables(server["url"], server.get("variables"))
                found.add(urlsplit(url).path if "://" in url else url.split("?")[0])
    cleaned = {p.rstrip("/") for p in found if p.startswith("/") and "{" not in p}
    return sorted((p for p in cleaned if p), key=len, reverse=True)


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def rewrite_query_path_keys(doc: Any) -> tuple[Any, list[str]]:
    """Move literal query strings out of path keys into required, single-valued query
    parameters, so that Prism can route and check such operations (see the module notes).

    autorest's ``x-ms-paths`` (which Prism does not read) are merged into ``paths`` first.
    A key whose query-less path is already taken gets its operations added to that path
    item when the method is free there; otherwise it is kept as is, with a note.

    Returns the rewritten document (the input is not modified) and notes about keys that
    could not be rewritten. Documents without such keys come back unchanged (same object).
    """
    paths = doc.get("paths") if isinstance(doc, dict) else None
    extra = doc.get("x-ms-paths") if isinstance(doc, dict) else None
    if not isinstance(paths, dict):
        paths = {}
    if not isinstance(extra, dict):
        extra = {}
    if not extra and not any("?" in str(k) for k in paths):
        return doc, []
    merged = dict(paths)
    for key, item in extra.items():
        merged.setdefault(key, item)
    swagger2 = "swagger" in doc
    new_doc = {k: v for k, v in doc.items() if k != "x-ms-paths"}
    new_paths: dict[str, Any] = {k: v for k, v in merged.items() if "?" not in str(k)}
    notes: list[str] = []
    for key, item in merged.items():
        if "?" not in str(key):
            continue
        path_part, _, query = str(key).partition("?")
        if not isinstance(item, dict) or "$ref" in item:
            notes.append(f"path key {key!r} kept as is (Prism cannot match it)")
            new_paths[key] = item
            continue
        values: dict[str, list[str]] = {}
        for name, value in parse_qsl(query, keep_blank_values=True):
            values.setdefault(name, []).append(value)
        fixed = []
        for name, vals in values.items():
            enum = sorted(set(vals))
            description = "Fixed by the path key of the definition."
            if swagger2:
                param = {"name": name, "in": "query", "required": True, "type": "string", "enum": enum,
                         "description": description}
            else:
                param = {"name": name, "in": "query", "required": True, "description": description,
                         "schema": {"type": "string", "enum": enum}}
            fixed.append(param)
        target = new_paths.get(path_part)
        if target is None:
            new_item = dict(item)
            new_item["parameters"] = list(item.get("parameters") or []) + fixed
            new_paths[path_part] = new_item
            continue
        # the query-less path exists: add each operation whose method is free there
        shared = list(item.get("parameters") or [])
        target = dict(target)
        kept = {}
        for method, op in item.items():
            if method not in _METHODS or not isinstance(op, dict):
                continue
            if method in target or not isinstance(target, dict):
                kept[method] = op
                continue
            target[method] = dict(op, parameters=shared + list(op.get("parameters") or []) + fixed)
        new_paths[path_part] = target
        if kept:
            notes.append(f"path key {key!r} kept as is for {', '.join(m.upper() for m in kept)} "
                         f"(Prism cannot match it: {path_part} has that method already)")
            new_paths[key] = item
    new_doc["paths"] = new_paths
    return new_doc, notes


def _absolutize_refs(node: Any, folder: Path) -> Any:
    """External ``$ref``s made absolute, so a rewritten copy stored elsewhere still resolves."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and not v.startswith("#") and "://" not in v:
                file_part, hash_, frag = v.partition("#")
                out[k] = str((folder / file_part).resolve()) + hash_ + frag
            else:
                out[k] = _absolutize_refs(v, folder)
        return out
    if isinstance(node, list):
        return [_absolutize_refs(v, folder) for v in node]
    return node
