"""``--format redoc``: the definition written back with ``x-codeSamples`` on every operation
(``lang``, ``label``, ``source``: the snippet), in the format of the input.

JSON stays JSON with its indentation; YAML stays YAML, changed only where the samples go
(``yaml_edit.py``). Each sample samplegen writes carries ``x-samplegen: true``: a later run
replaces those and keeps the ones written by someone else (unless ``replace_code_samples``).
Redoc, Redocly, Stoplight Elements and Scalar read the list; they ignore the marker.
"""
from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from ..errors import Diagnostic
from .yaml_edit import is_json_text, with_code_samples

if TYPE_CHECKING:
    import jinja2

    from .view import DocsView, OperationDoc

KEY = "x-codeSamples"
MARK = "x-samplegen"


def ours(entry: Any) -> bool:
    return isinstance(entry, dict) and entry.get(MARK) is True


def code_samples(o: OperationDoc) -> list[dict]:
    return [{"lang": c.label, "label": c.title, "source": c.source, MARK: True} for c in o.samples]


def merged(existing: Any, new: list[dict], replace_others: bool) -> list:
    """The operation's new list: the samples someone else wrote (unless replaced), then ours."""
    kept = [] if replace_others or not isinstance(existing, list) else [e for e in existing if not ours(e)]
    return kept + new


def split(location: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in location[1:].split("/")] if location else []


def file_name(source_name: str, json_text: bool) -> str:
    if source_name and source_name != "<stdin>":
        return source_name
    return "openapi.json" if json_text else "openapi.yaml"


def render(view: DocsView, env: jinja2.Environment, context: dict) -> dict[str, str]:
    text = context.get("text") or ""
    replace_others = bool(context.get("replace_code_samples"))
    json_text = not text or is_json_text(text)
    samples = {tuple(split(o.op.location)): code_samples(o) for o in view.operations if o.samples}
    if json_text:
        data = json.loads(text) if text else context["data"]
        for where, new in samples.items():
            op = _walk(data, where)
            if isinstance(op, dict) and KEY in op:
                op[KEY] = merged(op[KEY], new, replace_others)
            elif isinstance(op, dict):  # first in the operation, as in YAML: no line of the input changes
                rest = list(op.items())
                op.clear()
                op[KEY] = merged(None, new, replace_others)
                op.update(rest)
        out = _dump_json(data, text)
    else:
        out, rewritten = with_code_samples(text, samples, KEY,
                                           lambda existing, new: merged(existing, new, replace_others))
        if rewritten:
            context["diagnostics"].append(Diagnostic(
                "warning", context.get("source") or "<stdin>",
                "redoc: the samples could not be added in place (an operation in flow style?); the YAML is "
                "written again from its parsed form, key order kept, comments and layout lost"))
    return {file_name(context.get("source_name", ""), json_text): out}


def _walk(data: Any, parts: tuple[str, ...]) -> Any:
    node = data
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _dump_json(data: Any, text: str) -> str:
    """JSON as the input wrote it: its indentation (or none), escaped or raw non-ASCII, its
    final newline."""
    found = re.search(r"\n([ \t]+)\S", text)
    if not text:
        indent: Any = 2
    elif found is None:
        indent = None
    else:
        indent = found.group(1) if "\t" in found.group(1) else len(found.group(1))
    ascii_only = bool(text) and text.isascii() and "\\u" in text
    separators = (",", ":") if indent is None and text and ", " not in text and ": " not in text else None
    out = json.dumps(data, indent=indent, ensure_ascii=ascii_only, separators=separators)
    return out + ("\n" if not text or text.endswith("\n") else "")
