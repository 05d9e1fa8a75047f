"""The hostile-string definition of the escaping tier (every string in every place a definition
can put it) and the kept regression strings (tests/escaping_regressions.json)."""
from __future__ import annotations

import json
from pathlib import Path

REGRESSIONS = Path(__file__).resolve().parent.parent / "escaping_regressions.json"
SERVER = "https://example.invalid/srv/"


def for_r(text: str, r: bool) -> str:
    """Where a language whose strings cannot hold NUL (``escaping.no_nul``, e.g. R) needs a
    string literal (query, form, multipart, text, server URL): no NUL."""
    return text.replace("\0", "") if r else text


def definition(strings: list[str], *, r: bool = False) -> dict:
    paths: dict = {}
    for i, s in enumerate(strings):
        lit = for_r(s, r)
        paths[f"/a{i}/{{id}}"] = {"post": {
            # (long ids make over-long file names: tests/test_identifiers.py)
            "operationId": f"a{i} " + s.replace("\0", "")[:40],
            "summary": s,
            "description": "Description: " + s,
            "servers": [{"url": SERVER + lit}],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "title": s},
                 "example": s, "description": s},
                {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "title": s},
                 "example": lit, "description": "q: " + s},
                {"name": "X-Value", "in": "header", "required": True, "schema": {"type": "string"}, "example": s},
                {"name": "c", "in": "cookie", "required": True, "schema": {"type": "string"}, "example": s},
            ],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"type": "object", "title": s},
                "example": json_body(s),
            }}},
            "responses": {"200": {"description": s}},
        }}
        paths[f"/b{i}"] = {"post": {
            "operationId": f"b{i}",
            "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {
                "schema": {"type": "object", "title": s},
                "example": form_body(lit),
            }}},
            "responses": {"200": {"description": "ok"}},
        }}
        paths[f"/c{i}"] = {"post": {
            "operationId": f"c{i}",
            "requestBody": {"required": True, "content": {"multipart/form-data": {
                "schema": {"type": "object", "properties": {"t": {"type": "string", "title": s},
                                                            "u": {"type": "string"}}},
                "example": {"t": lit, "u": "before " + lit},
            }}},
            "responses": {"200": {"description": "ok"}},
        }}
        paths[f"/d{i}"] = {"post": {
            "operationId": f"d{i}",
            "requestBody": {"required": True, "content": {"text/plain": {
                "schema": {"type": "string", "title": s}, "example": lit}}},
            "responses": {"200": {"description": "ok"}},
        }}
    first = strings[0] if strings else ""
    return {
        "openapi": "3.0.3",
        "info": {"title": first, "version": "1\n" + first, "description": first},
        "servers": [{"url": "https://example.invalid"}],
        "paths": paths,
        "components": {"schemas": {"Titled": {"type": "string", "title": first, "description": first}}},
    }


def json_body(s: str) -> dict:
    return {s: s, "list": [s, {"k": s}], "n": 1}


def form_body(s: str) -> dict:
    return {s: s, "f": "x" + s}


def regressions() -> list[str]:
    return [entry["value"] for entry in json.loads(REGRESSIONS.read_text(encoding="utf-8"))]
