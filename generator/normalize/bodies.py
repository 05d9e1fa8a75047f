"""Request bodies of both spec versions, and the Accept header."""
from __future__ import annotations

import json
from typing import Any

from .. import serialize
from ..errors import SpecError, pointer
from ..model import (BinaryBody, Body, FileSpec, FormField, JsonBody, MultipartBody, Parameter, TextBody,
                     new_body)
from ..naming import snake, upper_snake
from ..refs import Resolver
from .media import DEFAULT_FILE_CONTENT, _file_ext, choose_media, concrete_media, media_kind
from .parameters import _v2_schema
from .security import _unique_name


class Bodies:
    """The part of the normalizer that reads request bodies (both spec versions) and the Accept header."""

    def v2_body(self, param: dict, where: str, consumes: list) -> Body:
        media_types = [str(m) for m in consumes] or ["application/json"]
        schema = param.get("schema")
        # a body parameter is the whole body: a form or multipart type in `consumes` is meant for
        # the operation's formData parameters, and a file schema is sent as it is (ComputerVision's
        # `*InStream` operations consume octet-stream and multipart/form-data alike)
        try:
            resolved = self.resolver.resolve(schema, where + "/schema") if isinstance(schema, dict) else None
        except SpecError:  # reported where the example is built
            resolved = None
        is_file = isinstance(resolved, dict) and (resolved.get("type") == "file"
                                                  or resolved.get("format") in ("binary", "file"))
        candidates = [m for m in media_types if media_kind(m) not in ("form", "multipart")] or media_types
        if is_file:
            candidates = [m for m in candidates if media_kind(m) == "binary"] or candidates
        media = choose_media(candidates)
        required = bool(param.get("required"))
        if media_kind(media) == "multipart" and is_file:
            # only multipart is offered for a file: it goes as one file part, named as the parameter
            return self.file_part_body(str(param.get("name") or "file"), media, media_types, required,
                                       "the body parameter's name")
        found, value = self.examples.pick_declared(param, where)
        if not found:
            value = self.examples.for_schema(schema, where + "/schema")
        return self.make_body(media, media_types, value, schema, where, required=required)

    def v2_form_body(self, params: list[tuple[dict, str]], consumes: list) -> Body:
        media_types = [str(m) for m in consumes if media_kind(str(m)) in ("form", "multipart")]
        has_file = any(p.get("type") == "file" for p, _ in params)
        multipart = has_file or bool(media_types and media_kind(choose_media(media_types)) == "multipart")
        media = "multipart/form-data" if multipart else "application/x-www-form-urlencoded"
        kind = media_kind(media)
        # "application/x-www-form-urlencoded; charset=utf-8" is the same type, not another one
        others = [m for m in media_types if m.split(";")[0].strip().lower() != media]
        body = new_body(kind, media, other_media_types=others)
        for param, where in params:
            name = str(param["name"])
            required = bool(param.get("required"))
            if param.get("type") == "file":
                if kind == "multipart":
                    body.fields.append(FormField(name=name, file=self.file_spec(name, "application/octet-stream",
                                                                                body)))
                continue
            found, value = self.examples.pick_declared(param, where)
            declared = found or any(k in param for k in ("default", "example", "x-example"))
            if not found:
                value = self.examples.for_schema(_v2_schema(param), where, text=True)
            if not (required or declared or self.options.all_params):
                continue
            if value is None:
                value = "string"
            if required and not param.get("allowEmptyValue"):
                value = self.never_empty(value, _v2_schema(param), where, "required form field", name)
            cf = str(param.get("collectionFormat") or "csv")
            for fname, fvalue in serialize.swagger2_pairs(name, value, cf):
                body.fields.append(FormField(name=fname, value=fvalue))
        return body

    def oas3_body(self, node: Any, where: str) -> Body | None:
        rb, rwhere = self.deref(node, where)
        if not isinstance(rb, dict):
            raise SpecError("requestBody must be an object", self.at(where))
        content = rb.get("content") or {}
        if not isinstance(content, dict) or not content:
            return None
        media_types = [str(m) for m in content]
        media = choose_media(media_types)
        if media_kind(media) in ("form", "multipart") and _is_binary(
                (content[media] if isinstance(content[media], dict) else {}).get("schema"), self.resolver):
            # a form whose whole body is one file: a binary type, when offered, sends it as it is
            media = choose_media([m for m in media_types if media_kind(m) == "binary"] or [media])
        mt = content[media] if isinstance(content[media], dict) else {}
        mwhere = rwhere + pointer("content", media)
        schema = mt.get("schema")
        kind = media_kind(media)
        if kind == "multipart" and _is_binary(schema, self.resolver):
            return self.file_part_body("file", media, media_types, bool(rb.get("required")), "the usual name")
        if kind in ("form", "multipart"):
            return self.oas3_form_body(media, media_types, mt, mwhere, bool(rb.get("required")))
        found, value = self.examples.pick_declared(mt, mwhere)
        if not found:
            value = self.examples.for_schema(schema, mwhere + "/schema")
        return self.make_body(media, media_types, value, schema, mwhere, required=bool(rb.get("required")))

    def make_body(self, media: str, media_types: list[str], value: Any, schema: Any, where: str,
                  required: bool) -> Body:
        kind = media_kind(media)
        others = [m for m in media_types if m != media]
        media = concrete_media(media)
        if kind == "json":
            return JsonBody(media_type=media, json={} if value is None else value, other_media_types=others,
                            required=required)
        if kind == "text":
            if required and value == "":
                value = self.never_empty(value, schema, where, "required request body", "body")
            if isinstance(value, str):
                text = value
            elif "xml" in media:
                text = _to_xml(value, self.resolver.resolve(schema) if isinstance(schema, dict) else {})
            elif value is None:
                text = "text"
            else:
                text = json.dumps(value, ensure_ascii=False)
            return TextBody(media_type=media, text=text, other_media_types=others, required=required)
        if kind in ("form", "multipart"):
            fields = [FormField(name=n, value=v) for n, v in _flat_pairs(value)]
            return new_body(kind, media, fields=fields, other_media_types=others, required=required)
        content = value if isinstance(value, str) and value else DEFAULT_FILE_CONTENT
        return BinaryBody(media_type=media, other_media_types=others, required=required,
                          file=FileSpec(env_var="API_BODY_FILE", filename="", content_type=media,
                                        default_content=content))

    def oas3_form_body(self, media: str, media_types: list[str], mt: dict, where: str, required: bool) -> Body:
        kind = media_kind(media)
        others = [m for m in media_types if m != media]
        # the HTTP libraries write these Content-Types themselves (multipart adds its boundary),
        # without parameters such as charset: the bare type is what is sent
        media = media.split(";")[0].strip()
        schema = self.resolver.resolve(mt.get("schema") or {}, where + "/schema")
        found, value = self.examples.pick_declared(mt, where)
        if not found:
            value = self.examples.for_schema(mt.get("schema"), where + "/schema", text=True)
        if not isinstance(value, dict):
            value = {}
        props = _merged_properties(schema, self.resolver)
        required_names = _merged_required(schema, self.resolver)
        encoding = mt.get("encoding") or {}
        enc_names = set()
        if isinstance(encoding, dict):
            enc_names = {str(k) for k, v in encoding.items()
                         if isinstance(v, dict) and any(key in v for key in ("style", "explode", "contentType"))}
        body = new_body(kind, media, other_media_types=others, required=required)
        names = list(value)
        for name in props:
            if name not in names and _is_binary(props[name], self.resolver) and kind == "multipart":
                names.append(name)
        for name in names:
            prop = self.resolver.resolve(props.get(name) or {})
            enc = encoding.get(name) if isinstance(encoding.get(name), dict) else {}
            ctype = str(enc.get("contentType")).split(",")[0].strip() if enc.get("contentType") else None
            if kind == "multipart" and _is_binary(prop, self.resolver):
                body.fields.append(FormField(name=name, file=self.file_spec(name, ctype or "application/octet-stream",
                                                                            body)))
                continue
            v = value.get(name)
            if name in required_names:
                v = self.never_empty(v, prop, where + "/schema", "required form field", name)
            if kind == "form" and isinstance(v, (dict, list)) and name not in enc_names \
                    and name not in required_names and not found \
                    and not any(k in prop for k in ("example", "examples", "x-examples", "default")):
                # an optional urlencoded array or object field that the definition gives no example
                # of, and whose encoding it leaves to the defaults (repeated keys, flattened
                # properties), is read back differently by different servers: left out, and said so
                what = "an array" if isinstance(v, list) else "an object"
                self.pending_notes.append(f"The optional form field {name!r} ({what}) is not sent; add it in "
                                          f"the way the server reads it.")
                continue
            if kind == "multipart":
                if isinstance(v, (dict, list)):
                    if isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v) and not ctype:
                        for x in v:
                            body.fields.append(FormField(name=name, value=serialize.to_text(x)))
                        continue
                    body.fields.append(FormField(name=name, value=json.dumps(v, ensure_ascii=False),
                                                 content_type=ctype or "application/json"))
                else:
                    body.fields.append(FormField(name=name, value=serialize.to_text(v), content_type=ctype))
                continue
            style = str(enc.get("style") or "form")
            explode = bool(enc.get("explode", style == "form"))
            for fname, fvalue in serialize.query_pairs(name, v, style=style, explode=explode):
                body.fields.append(FormField(name=fname, value=fvalue))
        return body

    def file_part_body(self, name: str, media: str, media_types: list[str], required: bool, why: str) -> Body:
        """A multipart body whose schema is one file (no properties): the file as one part."""
        body = MultipartBody(media_type=media.split(";")[0].strip(), required=required,
                             other_media_types=[m for m in media_types if m != media])
        body.fields.append(FormField(name=name, file=self.file_spec(name, "application/octet-stream", body)))
        self.pending_notes.append(f"The definition gives the multipart body as one file without naming its "
                                  f"part; the sample sends it as the part {name!r} ({why}).")
        return body

    def file_spec(self, name: str, content_type: str, body: Body | None = None) -> FileSpec:
        """The file a part uploads; its variable is unique in the body ("a-b" and "a_b" do not
        share API_FILE_A_B)."""
        taken = {f.file.env_var for f in body.fields if f.file is not None} if body is not None else set()
        return FileSpec(env_var=_unique_name(f"API_FILE_{upper_snake(name)}", taken),
                        filename=f"{snake(name, 'file')}.{_file_ext(content_type)}",
                        content_type=content_type, default_content=DEFAULT_FILE_CONTENT)

    # -- responses -----------------------------------------------------------------------------
    def accept(self, raw: dict, declared: Parameter | None = None) -> str:
        """The Accept header: a media type the success response offers (JSON preferred); with
        a declared Accept header parameter, the first of its values the response offers."""
        offered = self.offered_media(raw)
        chosen = choose_media(offered) if offered else ""
        if declared is not None and (declared.required or declared.has_example):
            schema = self.resolver.resolve(declared.schema) if isinstance(declared.schema, dict) else {}
            values = [str(v) for v in (schema.get("enum") or []) if isinstance(v, str) and v] \
                if isinstance(schema, dict) and isinstance(schema.get("enum"), list) else []
            if isinstance(declared.example, str) and declared.example and declared.has_example:
                values.insert(0, declared.example)
            base = [m.split(";")[0].strip().lower() for m in offered]
            chosen = next((v for v in values if v.split(";")[0].strip().lower() in base),
                          chosen or (values[0] if values else ""))
        return chosen

    def offered_media(self, raw: dict) -> list[str]:
        """The media types of the first success response (else ``default``) that has content."""
        responses = raw.get("responses") or {}
        if not isinstance(responses, dict):
            return []
        codes = [c for c in responses if str(c).startswith("2")] or [c for c in responses if str(c) == "default"]
        for code in codes:
            resp = self.resolver.resolve(responses[code])
            if not isinstance(resp, dict):
                continue
            if self.is_v2:
                if resp.get("schema") is None:
                    continue
                return [str(m) for m in (raw.get("produces") or self.doc.get("produces") or ["application/json"])]
            content = resp.get("content") or {}
            if isinstance(content, dict) and content:
                return [str(m) for m in content]
        return []


def _merged_properties(schema: Any, resolver: Resolver) -> dict[str, Any]:
    schema = resolver.resolve(schema)
    if not isinstance(schema, dict):
        return {}
    props: dict[str, Any] = {}
    for branch in schema.get("allOf") or []:
        props.update(_merged_properties(branch, resolver))
    props.update(schema.get("properties") or {})
    return props


def _merged_required(schema: Any, resolver: Resolver, depth: int = 0) -> set[str]:
    schema = resolver.resolve(schema)
    if not isinstance(schema, dict) or depth > 32:
        return set()
    names = {r for r in schema.get("required") or [] if isinstance(r, str)} \
        if isinstance(schema.get("required"), list) else set()
    for branch in schema.get("allOf") or []:
        names |= _merged_required(branch, resolver, depth + 1)
    return names


def _is_binary(schema: Any, resolver: Resolver) -> bool:
    try:
        schema = resolver.resolve(schema)
    except SpecError:  # a dangling reference is reported where the value is built
        return False
    if not isinstance(schema, dict):
        return False
    if schema.get("type") == "array":
        return False
    return schema.get("format") in ("binary", "base64", "file") or schema.get("type") == "file" or (
        "contentMediaType" in schema and schema.get("type") in (None, "string"))


def _flat_pairs(value: Any) -> list[tuple[str, str]]:
    if not isinstance(value, dict):
        return []
    out = []
    for k, v in value.items():
        out.extend(serialize.query_pairs(str(k), v))
    return out


def _to_xml(value: Any, schema: dict) -> str:
    from xml.sax.saxutils import escape

    root = str(((schema or {}).get("xml") or {}).get("name") or "root")

    def build(tag: str, v: Any) -> str:
        if isinstance(v, dict):
            return f"<{tag}>" + "".join(build(str(k), x) for k, x in v.items()) + f"</{tag}>"
        if isinstance(v, list):
            return "".join(build(tag, x) for x in v)
        return f"<{tag}>{escape(serialize.to_text(v))}</{tag}>"

    return '<?xml version="1.0" encoding="UTF-8"?>\n' + build(root, value)
