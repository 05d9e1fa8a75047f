"""Generation speed on a large synthetic definition (the size of GitHub's REST API: 1,223
operations), every target, with validation cached.

    python benchmarks/bench_generate.py [--operations 1223] [--budget 1.0]

Prints the timings of load, validate (cold and cached), model and render, and exits 1 when the
cached end-to-end time is over the budget (seconds).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.api import Options, build_model, generate, load_and_validate  # noqa: E402

TARGETS = ("csharp", "python", "python-urllib", "r")


def synthetic_definition(operations: int) -> dict:
    schemas = {
        "Owner": {"type": "object", "required": ["login"], "properties": {
            "login": {"type": "string", "example": "octocat"}, "id": {"type": "integer", "readOnly": True},
            "site_admin": {"type": "boolean"}}},
        "Item": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "owner": {"$ref": "#/components/schemas/Owner"},
            "labels": {"type": "array", "items": {"type": "string"}},
            "created_at": {"type": "string", "format": "date-time"},
            "parent": {"$ref": "#/components/schemas/Item"}}},
    }
    paths: dict = {}
    methods = ["get", "post", "patch", "delete"]
    n = 0
    group = 0
    while n < operations:
        path = f"/repos/{{owner}}/{{repo}}/area{group}/{{item_id}}"
        item: dict = {"parameters": [
            {"name": "owner", "in": "path", "required": True, "schema": {"type": "string"}, "example": "octocat"},
            {"name": "repo", "in": "path", "required": True, "schema": {"type": "string"}, "example": "hello-world"},
            {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}]}
        for method in methods:
            if n >= operations:
                break
            op: dict = {"operationId": f"area{group}/{method}-item", "summary": f"{method} an item of area {group}",
                        "parameters": [{"name": "per_page", "in": "query", "schema": {"type": "integer", "default": 30}},
                                       {"name": "labels", "in": "query", "explode": False,
                                        "schema": {"type": "array", "items": {"type": "string"}}, "example": ["a", "b"]}],
                        "responses": {"200": {"description": "ok", "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Item"}}}}}}
            if method in ("post", "patch"):
                op["requestBody"] = {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Item"}}}}
            item[method] = op
            n += 1
        paths[path] = item
        group += 1
    return {"openapi": "3.0.3", "info": {"title": "Synthetic large API", "version": "1.0"},
            "servers": [{"url": "https://api.example.com"}],
            "components": {"schemas": schemas, "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
            "security": [{"token": []}], "paths": paths}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=1223)
    parser.add_argument("--budget", type=float, default=1.0, help="seconds allowed for a cached run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SAMPLEGEN_CACHE_DIR"] = str(Path(tmp) / "cache")
        spec = Path(tmp) / "large.json"
        spec.write_text(json.dumps(synthetic_definition(args.operations)))
        t0 = time.perf_counter()
        load_and_validate(spec)
        cold = time.perf_counter() - t0
        t0 = time.perf_counter()
        doc, diags = load_and_validate(spec)
        loaded = time.perf_counter() - t0
        t0 = time.perf_counter()
        model, _ = build_model(doc.data, version=doc.version, source=doc.source, options=Options(targets=TARGETS))
        modelled = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = generate(doc.data, version=doc.version, options=Options(targets=TARGETS), source=doc.source,
                          sha256=doc.sha256)
        total = time.perf_counter() - t0
        cached = loaded + total
    print(f"operations: {len(model.operations)}  files: {len(result.files)}")
    print(f"load + validate, cold:   {cold:7.3f} s")
    print(f"load + validate, cached: {loaded:7.3f} s")
    print(f"model only:              {modelled:7.3f} s")
    print(f"model + render:          {total:7.3f} s")
    print(f"cached end to end:       {cached:7.3f} s  (budget {args.budget:.1f} s)")
    return 0 if cached <= args.budget else 1


if __name__ == "__main__":
    sys.exit(main())
