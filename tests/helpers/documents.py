"""Small inline definitions and what the normalizer makes of them."""
from __future__ import annotations

from generator.normalize import NormalizeOptions, normalize


def v2(paths: dict, **top) -> dict:
    return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "api.example.com",
            "schemes": ["https"], "paths": paths, **top}


def v3(paths: dict, version: str = "3.0.3", **top) -> dict:
    return {"openapi": version, "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://api.example.com"}], "paths": paths, **top}


def run(doc: dict, **options):
    version = doc.get("swagger") or doc.get("openapi")
    model, diags = normalize(doc, version="2.0" if version == "2.0" else version, source="spec.yaml",
                             options=NormalizeOptions(**options))
    return model, diags


def op(doc: dict, op_id: str | None = None, **options):
    """(operation, diagnostics) of the only (or the named) operation."""
    model, diags = run(doc, **options)
    ops = model.operations if op_id is None else [o for o in model.operations if o.id == op_id]
    assert len(ops) == 1, [o.id for o in model.operations]
    return ops[0], diags


def sample(doc: dict, op_id: str | None = None, **options):
    return op(doc, op_id, **options)[0].sample


def messages(diags) -> list[str]:
    return [d.message for d in diags]
