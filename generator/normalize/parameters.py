"""Parameters: their example values, and where and how each is sent."""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from .. import inputs, serialize
from ..errors import Diagnostic, SpecError, pointer
from ..model import Parameter, PathPart, SampleRequest
from .media import _TOKEN, choose_media


class Parameters:
    """The part of the normalizer that reads parameters."""

    def parameters(self, item: dict, raw: dict, where: str, path_key: str,
                   item_where: str | None = None) -> list[tuple[dict, str]]:
        merged: dict[tuple[str, str], tuple[dict, str]] = {}
        item_where = pointer("paths", path_key) if item_where is None else item_where
        sources = [(item.get("parameters") or [], item_where + "/parameters"),
                   (raw.get("parameters") or [], where + "/parameters")]
        for plist, base in sources:
            if not isinstance(plist, list):
                raise SpecError("`parameters` must be a list", self.at(base))
            for i, p in enumerate(plist):
                resolved, rwhere = self.deref(p, f"{base}/{i}")
                if not isinstance(resolved, dict) or "name" not in resolved or "in" not in resolved:
                    raise SpecError("parameter needs `name` and `in`", self.at(f"{base}/{i}"))
                merged[(str(resolved["name"]), str(resolved["in"]))] = (resolved, f"{base}/{i}")
        return list(merged.values())

    def parameter(self, param: dict, where: str) -> Parameter:
        loc = str(param["in"])
        name = str(param["name"])
        required = bool(param.get("required")) or loc == "path"
        if self.is_v2:
            schema = param
            style = {"path": "simple", "header": "simple"}.get(loc, "form")
            explode = param.get("collectionFormat") == "multi"
        else:
            schema = param.get("schema") or {}
            style = str(param.get("style") or ("form" if loc in ("query", "cookie") else "simple"))
            explode = bool(param.get("explode", style == "form"))
        p = Parameter(name=name, location=loc, required=required, schema=schema if isinstance(schema, dict) else {},
                      style=style, explode=explode, allow_reserved=bool(param.get("allowReserved")),
                      description=str(param.get("description") or ""))
        found, value = self.examples.pick_declared(param, where)
        if not found and not self.is_v2 and isinstance(param.get("content"), dict) and param["content"]:
            media = choose_media(list(param["content"]))
            mwhere = where + pointer("content", media)
            found, value = self.examples.pick_declared(param["content"][media], mwhere)
            if not found:
                value = self.examples.for_schema(param["content"][media].get("schema"), mwhere + "/schema")
                found = value is not None
            if found and not isinstance(value, str):
                value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        resolved_schema = self.resolver.resolve(schema, where) if isinstance(schema, dict) else {}
        declared = found or (isinstance(resolved_schema, dict) and any(
            k in resolved_schema for k in ("example", "examples", "default", "const")))
        if not found:
            value = self.examples.for_schema(schema if self.is_v2 is False else _v2_schema(param),
                                             where + ("" if self.is_v2 else "/schema"), text=True,
                                             scalar_first=True)
        if value is None:
            value = name if loc == "path" else "string"
        if required and not param.get("allowEmptyValue"):
            value = self.never_empty(value, _v2_schema(param) if self.is_v2 else schema, where,
                                     f"required {loc} parameter", name)
        p.example = value
        p.has_example = declared
        p.sent = required or declared or self.options.all_params
        p.placeholder = not found and not declared and _bare_string(resolved_schema)
        return p

    def never_empty(self, value: Any, schema: Any, where: str, what: str, name: str) -> Any:
        """A required value the definition gives as empty ("", []), replaced by one built from
        its schema, with a warning and a note in the sample."""
        value, replaced = self.examples.non_empty(value, schema, where, name=name)
        if replaced:
            self.warn(where, f"the value given for the {what} {name!r} is empty; a value built from its "
                             f"schema is sent instead")
            self.pending_notes.append(f"The definition gives the {what} {name!r} an empty value; the sample "
                                      f"sends one built from its schema: replace it with a real one.")
        return value

    def place(self, p: Parameter, raw: dict, sample: SampleRequest, path_values: dict[str, str],
              where: str) -> None:
        value = p.example
        cf = str(raw.get("collectionFormat") or "csv") if self.is_v2 else None
        if p.location == "path" and raw.get("x-ms-skip-url-encoding") is True:
            # autorest: the value goes into the path as it is (e.g. a resource id with slashes);
            # only what a URL cannot carry at all (space, ? #, non-ASCII, a lone %) is encoded
            segment = serialize.encode_path_text(serialize.swagger2_text(value, cf or "csv"))
            path_values[p.name] = segment
            inp, self.path_parts_of[p.name] = inputs.path_input(p, segment, cf)
            self.pending_inputs.append((inp, None))
            sample.notes.append(f"The path parameter {p.name!r} is sent without percent-encoding "
                                f"(x-ms-skip-url-encoding): its slashes and other reserved characters stay as they are.")
            return
        if p.location == "path":
            if not self.is_v2:
                segment = serialize.path_segment(p.name, value, style=p.style, explode=p.explode)
            elif isinstance(value, list) and cf == "csv":
                segment = serialize.path_segment(p.name, value)
            else:
                segment = serialize.path_segment(p.name, serialize.swagger2_text(value, cf))
            path_values[p.name] = segment
            inp, self.path_parts_of[p.name] = inputs.path_input(p, segment, cf)
            self.pending_inputs.append((inp, None))
            return
        if p.location == "query":
            pairs = serialize.swagger2_pairs(p.name, value, cf) if self.is_v2 else \
                serialize.query_pairs(p.name, value, style=p.style, explode=p.explode)
            entries = [tuple(pair) for pair in pairs]
            sample.query.extend(entries)
        elif p.location == "header":
            text = serialize.swagger2_text(value, cf) if self.is_v2 else serialize.header_value(value, explode=p.explode)
            entries = [self.field(p, text, where)]
            sample.headers.extend(entries)
        elif p.location == "cookie" and not self.is_v2:
            entries = [self.field(p, text, where, name)
                       for name, text in serialize.cookie_pairs(p.name, value, explode=p.explode)]
            sample.cookies.extend(entries)
        else:
            return
        for inp, entry in zip(inputs.pair_inputs(p, p.location, entries, cf), entries):
            self.pending_inputs.append((inp, entry))

    def field(self, p: Parameter, text: str, where: str, name: str | None = None) -> tuple[str, str]:
        """A header or cookie (name, value) that HTTP can carry: characters outside printable
        ASCII, ';' in cookies and whitespace around the value are percent-encoded, with a warning."""
        name = p.name if name is None else name
        bad_name = _unsafe_field_chars(name, cookie=p.location == "cookie", is_name=True)
        if bad_name:
            raise SpecError(f"{p.location} name {name!r} has characters HTTP cannot carry", self.at(where))
        cookie = p.location == "cookie"
        core = text.strip(" \t")
        if _unsafe_field_chars(text, cookie=cookie) or core != text:
            # HTTP drops whitespace around a field value, so it is encoded like the rest.
            head = text[: len(text) - len(text.lstrip(" \t"))]
            tail = text[len(head) + len(core):] if core else ""
            safe = "".join(ch if not _unsafe_field_chars(ch, cookie=cookie) else quote(ch, safe="")
                           for ch in core)
            text = quote(head, safe="") + safe + quote(tail, safe="")
            self.diagnostics.append(Diagnostic(
                "warning", self.at(where),
                f"the example of {p.location} {name!r} has characters HTTP cannot carry; sent percent-encoded"))
        return name, text

    def concrete_path(self, template: str, values: dict[str, str], where: str) -> tuple[str, list[PathPart]]:
        """The encoded path, and the same path as parts: literal text, and the variables of
        the path parameters (self.path_parts_of; a parameter used twice is literal the 2nd time)."""
        out: list[str] = []
        parts: list[PathPart] = []
        used: set[str] = set()

        def add(text: str, own: list[PathPart] | None = None) -> None:
            out.append(text)
            for part in own if own is not None else [PathPart(text=text)]:
                if part.var or not parts or parts[-1].var:
                    parts.append(part if part.var else PathPart(text=part.text))
                else:
                    parts[-1].text += part.text

        pos = 0
        for m in _TOKEN.finditer(template):
            add(serialize.encode_path_text(template[pos:m.start()]))
            name = m.group(1)
            if name in values:
                own = self.path_parts_of.get(name) if name not in used else None
                used.add(name)
                add(values[name], own)
            else:
                self.warn(where, f"path parameter {name!r} is not defined; its name is sent in its place")
                add(serialize.path_segment(name, name))
            pos = m.end()
        add(serialize.encode_path_text(template[pos:]))
        path = "".join(out)
        if not path.startswith("/"):
            path = "/" + path
            if parts and not parts[0].var:
                parts[0].text = "/" + parts[0].text
            else:
                parts.insert(0, PathPart(text="/"))
        return path, [part for part in parts if part.var or part.text]


def _bare_string(schema: Any) -> bool:
    """A ``type: string`` schema that gives nothing to build a value from."""
    return isinstance(schema, dict) and schema.get("type") in ("string", None) and not any(
        k in schema for k in ("enum", "const", "format", "pattern", "default", "example", "examples",
                              "x-example", "items", "properties", "allOf", "oneOf", "anyOf", "$ref"))


def _unsafe_field_chars(text: str, *, cookie: bool, is_name: bool = False) -> bool:
    for ch in text:
        code = ord(ch)
        if code < 0x20 or code > 0x7E:
            if not (ch == "\t" and not is_name):
                return True
        if cookie and ch in ";":
            return True
        if is_name and ch in ' "(),/:;<=>?@[\\]{}':
            return True
    return False


def _v2_schema(param: dict) -> dict:
    """A Swagger 2.0 non-body parameter read as a schema (type, format, items, enum, ...)."""
    return {k: v for k, v in param.items() if k not in ("name", "in", "required", "description",
                                                        "collectionFormat", "allowEmptyValue")}
