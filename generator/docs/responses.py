"""The response example a docs page shows: the first 2xx response of each operation, its
declared example (or one built from its schema, as request bodies are), as text."""
from __future__ import annotations

import json
from typing import Any

from ..errors import Diagnostic, SpecError
from ..examples import ExampleBuilder
from ..model import ApiModel
from ..normalize.media import choose_media, is_json_media
from ..refs import Resolver, split_pointer, walk


def _text(value: Any, media: str) -> str:
    if isinstance(value, str) and not is_json_media(media):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


def _first_success(responses: Any) -> str | None:
    if not isinstance(responses, dict):
        return None
    return next((str(c) for c in responses if str(c).startswith("2")), None)


def response_examples(data: dict, model: ApiModel, source: str = "") -> tuple[dict, list[Diagnostic]]:
    """Operation id -> (status, media type, example text), and the warnings building them gave."""
    resolver = Resolver(data, source)
    builder = ExampleBuilder(resolver, spec_version=model.spec_version)
    v2 = model.spec_version == "2.0"
    out: dict[str, tuple[str, str, str]] = {}
    for op in model.operations:
        try:
            found, raw = walk(data, split_pointer("#" + op.location))
            responses = resolver.resolve(raw.get("responses"), op.location + "/responses") if found else None
            code = _first_success(responses)
            if code is None:
                continue
            where = f"{op.location}/responses/{code.replace('~', '~0').replace('/', '~1')}"
            resp, where = resolver.deref(responses[code], where)
            if not isinstance(resp, dict):
                continue
            out[op.id] = _one(resp, where, code, op.accept, v2, builder, resolver, data)
        except SpecError:
            continue  # a response it cannot read: the page shows none (the request is what matters)
    return out, list(builder.diagnostics)


def _one(resp: dict, where: str, code: str, accept: str, v2: bool, builder: ExampleBuilder,
         resolver: Resolver, data: dict) -> tuple[str, str, str]:
    if v2:
        media = accept or "application/json"
        examples = resp.get("examples")
        if isinstance(examples, dict) and examples:
            media = media if media in examples else next(iter(examples))
            return code, media, _text(examples[media], media)
        if resp.get("schema") is None:
            return code, "", ""
        value = builder.for_schema(resp.get("schema"), where + "/schema", direction="response")
        return code, media, _text(value, media)
    content = resp.get("content")
    if not isinstance(content, dict) or not content:
        return code, "", ""
    media = accept if accept in content else choose_media([str(m) for m in content])
    entry = resolver.resolve(content.get(media)) or {}
    if not isinstance(entry, dict):
        return code, media, ""
    if "example" in entry:
        return code, media, _text(entry["example"], media)
    examples = entry.get("examples")
    if isinstance(examples, dict) and examples:
        first = resolver.resolve(next(iter(examples.values())))
        if isinstance(first, dict) and "value" in first:
            return code, media, _text(first["value"], media)
    if entry.get("schema") is None:
        return code, media, ""
    key = media.replace("~", "~0").replace("/", "~1")
    value = builder.for_schema(entry.get("schema"), f"{where}/content/{key}/schema", direction="response")
    return code, media, "" if value is None else _text(value, media)
