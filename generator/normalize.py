"""Swagger 2.0 and OpenAPI 3.x -> one ApiModel, with a SampleRequest per operation."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin

from . import inputs, serialize
from .errors import LENIENT_SKIPS, Diagnostic, SpecError, pointer
from .examples import ExampleBuilder
from .model import (SERVER_TOKEN, ApiModel, AuthPlan, Body, FileSpec, FormField, Input, Operation, Parameter,
                    PathPart, SampleRequest, Server, ServerVariable, SkippedOperation)
from .naming import UniqueNames, operation_id_from, pascal, safe_file_stem, snake, upper_snake
from .refs import Resolver

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IGNORED_HEADERS = {"accept", "content-type", "authorization"}
DEFAULT_FILE_CONTENT = "sample file content\n"
_TOKEN = SERVER_TOKEN  # {name} in a path or server template


@dataclass
class NormalizeOptions:
    base_url: str | None = None  # replaces the definition's server as the samples' default
    auth_header_prefix: str = "Bearer "  # for apiKey schemes in the Authorization header
    lenient: bool = False
    all_params: bool = False  # also send the optional parameters (with made-up values)


def is_json_media(media: str) -> bool:
    m = media.split(";")[0].strip().lower()
    return m in ("application/json", "text/json") or m.endswith("+json")


def media_kind(media: str) -> str:
    m = media.split(";")[0].strip().lower()
    if is_json_media(m):
        return "json"
    if m == "application/x-www-form-urlencoded":
        return "form"
    if m.startswith("multipart/"):
        return "multipart"
    if m.startswith("text/") or m in ("application/xml",) or m.endswith("+xml"):
        return "text"
    if m in ("*/*", "application/*"):
        return "json"
    return "binary"


_KIND_RANK = {"json": 0, "form": 1, "multipart": 2, "text": 3, "binary": 4}
_RANGE_DEFAULTS = {"*": "application/json", "application": "application/json", "text": "text/plain",
                   "image": "image/png", "audio": "audio/mpeg", "video": "video/mp4"}


def concrete_media(media: str) -> str:
    """The Content-Type to send for a declared media type: a range (``*/*``, ``text/*``) is not
    a type; its usual member is sent (``application/json``, ``text/plain``...)."""
    base = media.split(";")[0].strip().lower()
    if base.endswith("/*"):
        return _RANGE_DEFAULTS.get(base[:-2], "application/octet-stream")
    return media


def choose_media(media_types: list[str]) -> str:
    """Prefer JSON (exactly application/json first), then form, multipart, text, binary."""
    def rank(item: tuple[int, str]) -> tuple[int, int, int]:
        idx, media = item
        exact = 0 if media.split(";")[0].strip().lower() == "application/json" else 1
        return (_KIND_RANK[media_kind(media)], exact, idx)

    return min(enumerate(media_types), key=rank)[1]


def _file_ext(content_type: str) -> str:
    m = content_type.split(";")[0].strip().lower()
    known = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "application/pdf": "pdf",
             "application/json": "json", "text/plain": "txt", "text/csv": "csv",
             "application/zip": "zip", "application/xml": "xml", "text/xml": "xml"}
    return known.get(m, "bin")


class Normalizer:
    def __init__(self, doc: dict, *, version: str, source: str = "", sha256: str = "",
                 options: NormalizeOptions | None = None) -> None:
        self.doc = doc
        self.version = version
        self.is_v2 = version == "2.0"
        self.source = source
        self.sha256 = sha256
        self.options = options or NormalizeOptions()
        self.resolver = Resolver(doc, source)
        self.examples = ExampleBuilder(self.resolver, spec_version=version)
        self.diagnostics: list[Diagnostic] = []
        self.pending_notes: list[str] = []  # notes about the operation being normalized
        # the operation being normalized: its inputs (with the entry each one fills), and the
        # path parts of each path parameter
        self.pending_inputs: list[tuple[Input, Any]] = []
        self.path_parts_of: dict[str, list[PathPart]] = {}

    # -- helpers -------------------------------------------------------------------------
    def at(self, where: str) -> str:
        return self.resolver.at(where)

    def warn(self, where: str, message: str) -> None:
        self.diagnostics.append(Diagnostic("warning", self.at(where), message))

    def deref(self, node: Any, where: str) -> tuple[Any, str]:
        return self.resolver.deref(node, where)

    # -- top level -------------------------------------------------------------------------
    def run(self) -> ApiModel:
        info = self.doc.get("info") or {}
        if not isinstance(info, dict):
            info = {}
        model = ApiModel(
            title=str(info.get("title") or "API"),
            version=str(info.get("version") or ""),
            spec_version=self.version,
            description=str(info.get("description") or ""),
            source=self.source,
            sha256=self.sha256,
        )
        model.servers = self.lenient_part(self.root_servers, [], "/host" if self.is_v2 else "/servers")
        schemes = self.doc.get("securityDefinitions") if self.is_v2 else (self.doc.get("components") or {}).get("securitySchemes")
        model.security_schemes = self.lenient_part(lambda: dict(schemes or {}), {},
                                                   "/securityDefinitions" if self.is_v2 else "/components/securitySchemes")
        snakes, pascals = UniqueNames(), UniqueNames()
        for path_key, item, item_where in self.path_items():
            if not isinstance(item, dict):
                continue
            # a path item may be a $ref (to components/pathItems in 3.1): locations are the target's
            try:
                item, item_where = self.deref(item, item_where)
            except SpecError as exc:
                self.skip(model, str(path_key), "", None, exc, item_where)
                continue
            if not isinstance(item, dict):
                continue
            for method in item:
                if method not in METHODS:
                    continue
                op_where = item_where + pointer(method)
                raw = item[method]
                if not isinstance(raw, dict):
                    continue
                failures, diags, notes = len(self.resolver.failures), len(self.diagnostics), self.examples._mark()
                try:
                    op = self.operation(str(path_key), method, item, raw, op_where, model, item_where)
                    if len(self.resolver.failures) > failures:
                        # a reference it reached could not be followed (even if a value was made without it)
                        # the first one the resolver could place (some look-ups give no location)
                        new = self.resolver.failures[failures:]
                        raise next((f for f in new if f.location.partition("#")[2]), new[0])
                except Exception as exc:  # noqa: BLE001 - lenient: any fault costs only this operation
                    if not isinstance(exc, SpecError) and not self.options.lenient:
                        raise
                    del self.diagnostics[diags:]
                    self.examples._rollback(notes)
                    self.skip(model, str(path_key), method, raw, exc, op_where)
                    continue
                op.snake = snakes.take(safe_file_stem(snake(op.id)))
                op.pascal = pascals.take(safe_file_stem(pascal(op.id), "Op"), sep="")
                model.operations.append(op)
        self.diagnostics.extend(self.examples.diagnostics)
        return model

    def path_items(self) -> list[tuple[str, Any, str]]:
        """(path key, path item, location) of ``paths``, then of autorest's ``x-ms-paths``
        (same shape; its keys may carry a query string, so that two operations can differ
        by it alone)."""
        out = []
        for section in ("paths", "x-ms-paths"):
            paths = self.doc.get(section) or {}
            if not isinstance(paths, dict):
                if section == "paths" or not self.options.lenient:
                    raise SpecError(f"`{section}` must be a mapping", self.at(pointer(section)))
                self.warn(pointer(section), f"`{section}` ignored: it must be a mapping")
                continue
            out += [(str(key), item, pointer(section, key)) for key, item in paths.items()]
        return out

    def skip(self, model: ApiModel, path_key: str, method: str, raw: dict | None, exc: Exception,
             where: str) -> None:
        """Strict: raise the fault (naming --lenient). Lenient: record the operation as skipped."""
        if isinstance(exc, SpecError):
            reason, location = exc.message, exc.location or self.at(where)
        else:
            reason = (f"samplegen could not read it ({type(exc).__name__}: {exc}); please report this "
                      "with the definition")
            location = self.at(where)
        if not self.options.lenient:
            raise SpecError(reason, location, hint=LENIENT_SKIPS, recoverable=True) from None
        path_template = serialize.split_path_query(path_key)[0]
        op_id = raw.get("operationId") if isinstance(raw, dict) else None
        if not isinstance(op_id, str) or not op_id.strip():
            op_id = operation_id_from(method, path_template) if method else path_key
        model.skipped.append(SkippedOperation(
            id=op_id, method=method.upper(), path=path_template, reason=reason,
            location=location.split("#", 1)[1] if "#" in location else where))

    def lenient_part(self, read: Any, empty: Any, where: str) -> Any:
        """A part of the definition outside the operations; lenient: unreadable -> empty, warned."""
        try:
            return read()
        except Exception as exc:  # noqa: BLE001 - lenient: go on without it
            if not self.options.lenient:
                hint = "--lenient goes on without it, with a warning"
                if isinstance(exc, SpecError):
                    raise SpecError(exc.message, exc.location or self.at(where), hint=hint,
                                    recoverable=True) from None
                raise SpecError(f"cannot read this part of the definition ({type(exc).__name__}: {exc})",
                                self.at(where), hint=hint, recoverable=True) from None
            message = exc.message if isinstance(exc, SpecError) else f"{type(exc).__name__}: {exc}"
            self.warn(where, f"ignored, it cannot be read: {message}")
            return empty

    # -- servers -----------------------------------------------------------------------------
    def root_servers(self) -> list[Server]:
        host_template = self.doc.get("x-ms-parameterized-host")
        if isinstance(host_template, dict) and (self.is_v2 or not self.doc.get("servers")):
            try:
                return [self.parameterized_host(host_template)]
            except SpecError as exc:
                if not self.options.lenient:
                    raise
                self.diagnostics.append(Diagnostic("warning", exc.location,
                                                   f"x-ms-parameterized-host ignored: {exc.message}"))
        if self.is_v2:
            host = self.doc.get("host")
            base_path = str(self.doc.get("basePath") or "")
            if not host:
                return [Server(url_template=base_path or "/", url="")] if base_path else []
            url = f"{self.v2_scheme()}://{host}{base_path}"
            return [Server(url_template=url, url=url.rstrip("/"))]
        return self.oas3_servers(self.doc.get("servers"), "/servers")

    def v2_scheme(self) -> str:
        schemes = [str(s).lower() for s in (self.doc.get("schemes") or [])]
        return "https" if ("https" in schemes or not schemes) else schemes[0]

    def parameterized_host(self, ext: dict) -> Server:
        """autorest's ``x-ms-parameterized-host``: ``hostTemplate`` (with ``{name}`` variables
        described by ``parameters``, inline or ``$ref``) replaces ``host``; the scheme is put in
        front unless ``useSchemePrefix`` is false; ``basePath`` still follows.
        ``positionInOperation`` only orders client method arguments: nothing to send."""
        where = "/x-ms-parameterized-host"
        template = ext.get("hostTemplate")
        if not isinstance(template, str) or not template.strip():
            raise SpecError("`hostTemplate` must be a non-empty string", self.at(where))
        if ext.get("useSchemePrefix", True) is not False:
            template = f"{self.v2_scheme()}://{template}"
        template += str(self.doc.get("basePath") or "").rstrip("/") if self.is_v2 else ""
        params = ext.get("parameters") or []
        if not isinstance(params, list):
            raise SpecError("`parameters` must be a list", self.at(where + "/parameters"))
        declared: dict[str, dict] = {}
        for i, param in enumerate(params):
            resolved, _ = self.deref(param, f"{where}/parameters/{i}")
            if isinstance(resolved, dict) and "name" in resolved:
                declared[str(resolved["name"])] = resolved
        return self.server_from(template, declared, where + "/hostTemplate")

    def server_from(self, template: str, declared: dict[str, dict], where: str,
                    description: str = "", undeclared_are_text: bool = False) -> Server:
        """A Server for a URL template whose ``{name}``s are described by ``declared``
        (name -> a parameter or an OpenAPI 3 server variable). A ``{name}`` not
        declared is text with ``undeclared_are_text`` (OpenAPI 3 names every variable), else
        a variable without a default."""
        variables: list[ServerVariable] = []
        envs = UniqueNames()
        for name in ("API_BASE_URL", "API_KEY", "API_USERNAME", "API_PASSWORD", "API_CLIENT_ID",
                     "API_CLIENT_SECRET", "API_TOKEN_URL", "API_BODY_FILE"):
            envs.take(name)
        for m in SERVER_TOKEN.finditer(template):
            name = m.group(1)
            if any(v.name == name for v in variables):
                continue
            if name not in declared and undeclared_are_text:
                continue
            node = declared.get(name, {})
            default = None
            for key in ("default", "x-ms-example", "x-example", "example"):
                if node.get(key) is not None and not isinstance(node.get(key), (dict, list)):
                    default = node[key]
                    break
            if default is None and isinstance(node.get("enum"), list) and node["enum"]:
                default = node["enum"][0]
            if name not in declared:
                self.warn(where, f"server variable {name!r} is not described; the sample reads it from "
                                 f"the environment")
            variables.append(ServerVariable(
                name=name, env_var=envs.take("API_" + upper_snake(name)),
                default="" if default is None else serialize.to_text(default), required=default is None,
                description=" ".join(str(node.get("description") or "").split())))
        values = {v.name: v.default for v in variables}
        url = SERVER_TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), template)
        absolute = "://" in url and not any(v.required for v in variables)
        return Server(url_template=template, variables=variables, url=url.rstrip("/") if absolute else "",
                      description=description)

    def oas3_servers(self, servers: Any, where: str) -> list[Server]:
        out = []
        for i, server in enumerate(servers or []):
            if not isinstance(server, dict) or "url" not in server:
                continue
            declared = {str(name): var for name, var in (server.get("variables") or {}).items()
                        if isinstance(var, dict)}
            made = self.server_from(str(server["url"]), declared, f"{where}/{i}/url",
                                    str(server.get("description") or ""), undeclared_are_text=True)
            undeclared = [m.group(1) for m in SERVER_TOKEN.finditer(made.url_template) if m.group(1) not in declared]
            if made.required or undeclared:
                self.warn(f"{where}/{i}/url", "server URL has a variable without a default")
            out.append(made)
        return out

    def base_url_for(self, item: dict, raw: dict, model: ApiModel) -> tuple[str, str, Server | None]:
        """(default base URL, relative server path when the definition gives only that, the
        server when the sample builds its address from variables)."""
        if self.options.base_url:
            return self.options.base_url.rstrip("/"), "", None
        servers = model.servers
        if not self.is_v2:
            if raw.get("servers"):
                servers = self.oas3_servers(raw["servers"], "")
            elif item.get("servers"):
                servers = self.oas3_servers(item["servers"], "")
        for server in servers:
            if server.url or server.required:
                return server.url, "", server if server.variables else None
        relative = servers[0].url_template if servers else ""
        return "", "" if relative in ("", "/") else relative.rstrip("/"), None

    # -- operations --------------------------------------------------------------------------
    def operation(self, path_key: str, method: str, item: dict, raw: dict, where: str,
                  model: ApiModel, item_where: str | None = None) -> Operation:
        path_template, path_query = serialize.split_path_query(path_key)
        op_id = raw.get("operationId")
        if not isinstance(op_id, str) or not op_id.strip():
            # the query string of the key keeps /models?op=full and /models?op=summary apart
            op_id = operation_id_from(method, path_key.split("#", 1)[0] if path_query else path_template)
        if "\0" in op_id:
            raise SpecError("operationId contains a NUL character", self.at(where + "/operationId"))
        op = Operation(
            id=op_id,
            method=method.upper(),
            path_template=path_template,
            summary=str(raw.get("summary") or ""),
            description=str(raw.get("description") or ""),
            tags=[str(t) for t in (raw.get("tags") or [])],
            deprecated=bool(raw.get("deprecated")),
            responses=[str(code) for code in (raw.get("responses") or {})],
            location=where,
        )
        base_url, relative, server = self.base_url_for(item, raw, model)
        sample = SampleRequest(method=op.method, base_url=base_url, path="", server=server)
        if relative:
            sample.notes.append(f"The definition gives the server as {relative}, relative to where "
                                f"the definition is served: set API_BASE_URL to the full address.")
        elif not base_url and server is None:
            sample.notes.append("The definition names no server: set API_BASE_URL.")
        sample.query.extend(path_query)

        self.pending_notes = []
        self.security(raw, sample, where)
        slots = _credential_slots(sample.auth)
        params = self.parameters(item, raw, where, path_key, item_where)
        path_values: dict[str, str] = {}
        self.pending_inputs, self.path_parts_of = [], {}
        consumes = raw.get("consumes") or self.doc.get("consumes") or []
        form_params: list[tuple[dict, str]] = []
        accept_param: Parameter | None = None
        for param, pwhere in params:
            loc = param.get("in")
            if self.is_v2 and loc == "body":
                op.body = self.v2_body(param, pwhere, consumes)
                continue
            if self.is_v2 and loc == "formData":
                form_params.append((param, pwhere))
                continue
            if loc not in ("path", "query", "header", "cookie"):
                continue
            if _is_host_variable(param, server, path_template):
                continue
            p = self.parameter(param, pwhere)
            op.parameters.append(p)
            if loc == "header" and p.name.lower() in IGNORED_HEADERS:
                p.sent = False
                if p.name.lower() == "accept":
                    accept_param = p
                if p.name.lower() == "authorization" and p.required and ("header", "authorization") not in slots:
                    # OpenAPI says to ignore it, but servers that declare it want it: a credential
                    sample.auth.append(self.header_param_plan(p, sample))
                    slots = _credential_slots(sample.auth)
                continue
            slot = (loc, p.name.lower() if loc == "header" else p.name)
            if slot in slots:
                p.sent = False
                sample.notes.append(f"The {loc} parameter {p.name!r} carries the credential: the sample sends "
                                    f"it from {slots[slot]}.")
                continue
            if not p.sent:
                sample.notes.append(f"The optional {loc} parameter {p.name!r} is not sent; add it next to "
                                    f"the other {loc} {'values' if loc == 'path' else loc + 's' if loc != 'query' else 'pairs'} to use it.")
                continue
            self.place(p, param, sample, path_values, pwhere)
        if form_params:
            op.body = self.v2_form_body(form_params, consumes)
        if not self.is_v2 and raw.get("requestBody") is not None:
            op.body = self.oas3_body(raw["requestBody"], where + "/requestBody")
        sample.notes.extend(self.pending_notes)
        sample.path, path_parts = self.concrete_path(path_template, path_values, where)
        sample.body = op.body
        if op.body is not None and not op.body.required and (
                op.method in ("GET", "HEAD") or (op.body.kind in ("form", "multipart") and not op.body.fields)):
            # an optional body on GET/HEAD (which have no body semantics, and which some HTTP
            # clients refuse to send), or an optional form without fields: left out
            sample.body = None
            sample.notes.append(f"The operation also takes an optional {op.body.media_type} request body; "
                                f"the sample sends none.")
        if sample.body is not None and op.body.other_media_types:
            sample.notes.append("The operation also accepts: " + ", ".join(op.body.other_media_types) + ".")
        op.accept = self.accept(raw, accept_param)
        if op.accept:
            sample.headers.insert(0, ("Accept", op.accept))
        if op.deprecated:
            sample.notes.insert(0, "This operation is marked deprecated.")
        inputs.bind(sample, self.pending_inputs, path_parts,
                    inputs.InputNames([name for name, _ in sample.env_vars]))
        op.sample = sample
        return op

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

    # -- bodies -------------------------------------------------------------------------------
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
        body = Body(media_type=media, kind=kind, other_media_types=others)
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
            return Body(media_type=media, kind="json", json={} if value is None else value,
                        other_media_types=others, required=required)
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
            return Body(media_type=media, kind="text", text=text, other_media_types=others, required=required)
        if kind in ("form", "multipart"):
            fields = [FormField(name=n, value=v) for n, v in _flat_pairs(value)]
            return Body(media_type=media, kind=kind, fields=fields, other_media_types=others, required=required)
        content = value if isinstance(value, str) and value else DEFAULT_FILE_CONTENT
        return Body(media_type=media, kind="binary", other_media_types=others, required=required,
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
        body = Body(media_type=media, kind=kind, other_media_types=others, required=required)
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
        body = Body(media_type=media.split(";")[0].strip(), kind="multipart", required=required,
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

    # -- security --------------------------------------------------------------------------------
    def security(self, raw: dict, sample: SampleRequest, where: str) -> None:
        requirements = raw["security"] if "security" in raw else self.doc.get("security")
        if not requirements:
            return
        schemes = (self.doc.get("securityDefinitions") if self.is_v2
                   else (self.doc.get("components") or {}).get("securitySchemes")) or {}
        # the first alternative the samples can send as the definition asks; else the first one
        # they can send at all (an unknown http scheme goes as a bearer token)
        usable = [req for req in requirements if isinstance(req, dict) and req
                  and all(name in schemes for name in req)]
        chosen = None
        for level in (2, 1):
            chosen = next((req for req in usable
                           if all(self.scheme_support(schemes[name]) >= level for name in req)), None)
            if chosen is not None:
                break
        if chosen is None and usable:
            chosen = usable[0]  # nothing the samples can send: auth_plan says why
        for req in requirements:
            if not isinstance(req, dict):
                continue
            if not req:
                sample.auth_optional = True
                continue
            if req is not chosen and not (chosen is not None and set(req) == set(chosen)):
                # (the same schemes with other scopes are the same credentials)
                label = " + ".join(str(n) for n in req)
                if label not in sample.auth_alternatives:
                    sample.auth_alternatives.append(label)
        if chosen is None:
            if any(req for req in requirements if isinstance(req, dict)):
                self.warn(where + "/security", "security requirement names an undefined scheme; no auth is sent")
            return
        key_vars = 0
        shared: dict[int, list[str]] = {}  # id(plan) -> other schemes it is sent for
        for name, scopes in chosen.items():
            scheme, swhere = self.deref(schemes[name], "")
            plan = self.auth_plan(str(name), scheme if isinstance(scheme, dict) else {}, where,
                                  sample.base_url)
            if plan is None:
                continue
            plan.scopes = [str(s) for s in (scopes or [])]
            same = next((other for other in sample.auth if _plan_slot(other) == _plan_slot(plan)), None)
            if same is not None:
                # one header (query key, cookie) carries one credential: two schemes that land in
                # it (Google's Oauth2 + Oauth2c) are sent once, from the first one's variable
                if _plan_form(same) == _plan_form(plan):
                    same.scopes.extend(s for s in plan.scopes if s not in same.scopes)
                    shared.setdefault(id(same), []).append(plan.scheme)
                else:
                    self.warn(where + "/security", f"security schemes {same.scheme!r} and {plan.scheme!r} are both "
                                                   f"sent in {_slot_text(_plan_slot(plan))}; only {same.scheme!r} is sent")
                    sample.notes.append(f"The definition also asks for {plan.scheme!r} in "
                                        f"{_slot_text(_plan_slot(plan))}, which already carries {same.scheme!r}; "
                                        f"the sample sends only {same.scheme!r}.")
                continue
            if plan.kind not in ("basic", "oauth2_client_credentials"):
                # one variable per key: "k-2" and "k_2" must not share API_KEY_K_2
                taken = {other.env_var for other in sample.auth}
                plan.env_var = "API_KEY" if key_vars == 0 else _unique_name(f"API_KEY_{upper_snake(name)}", taken)
                key_vars += 1
            sample.auth.append(plan)
        for plan in sample.auth:
            if id(plan) in shared:
                names = [repr(n) for n in [plan.scheme] + shared[id(plan)]]
                listed = ", ".join(names[:-1]) + " and " + names[-1]
                what = "a bearer token" if _plan_form(plan) == "Bearer " else "the same credential"
                sample.notes.append(f"The definition asks for {listed} together; "
                                    f"{'both' if len(names) == 2 else 'all'} go in {_slot_text(_plan_slot(plan))} "
                                    f"as {what}, so the sample sends one, from {_slot_source(plan)}.")

    def header_param_plan(self, p: Parameter, sample: SampleRequest) -> AuthPlan:
        """The credential of a required ``Authorization`` header parameter: its example's first
        word is the prefix ("Bearer abc" -> "Bearer "), else the apiKey prefix option."""
        prefix = self.options.auth_header_prefix
        if p.has_example and isinstance(p.example, str):
            m = re.match(r"([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) +\S", p.example)
            prefix = m.group(1) + " " if m else ""
        taken = {plan.env_var for plan in sample.auth}
        env_var = "API_KEY" if "API_KEY" not in taken else "API_KEY_AUTHORIZATION"
        return AuthPlan(kind="api_key_header", scheme=p.name, name=p.name, prefix=prefix, env_var=env_var,
                        description=p.description)

    def scheme_support(self, scheme: Any) -> int:
        """2: the samples send this scheme as defined; 1: as a bearer token (an http scheme
        other than basic/bearer); 0: not at all (mutualTLS, apiKey elsewhere, unknown)."""
        try:
            scheme = self.resolver.resolve(scheme)
        except SpecError:
            return 0
        if not isinstance(scheme, dict):
            return 0
        stype = str(scheme.get("type") or "")
        if stype == "apiKey":
            return 2 if str(scheme.get("in") or "header") in ("header", "query", "cookie") else 0
        if stype == "http":
            return 2 if str(scheme.get("scheme", "")).lower() in ("basic", "bearer") else 1
        return 2 if stype in ("basic", "oauth2", "openIdConnect") else 0

    def auth_plan(self, name: str, scheme: dict, where: str, base_url: str) -> AuthPlan | None:
        stype = str(scheme.get("type") or "")
        desc = str(scheme.get("description") or "")
        if stype == "apiKey":
            loc = str(scheme.get("in") or "header")
            key_name = str(scheme.get("name") or "")
            kind = {"header": "api_key_header", "query": "api_key_query", "cookie": "api_key_cookie"}.get(loc)
            if kind is None:
                self.warn(where, f"apiKey scheme {name!r} in {loc!r} is not supported; no auth is sent")
                return None
            prefix = self.options.auth_header_prefix if (kind == "api_key_header" and key_name.lower() == "authorization") else ""
            return AuthPlan(kind=kind, scheme=name, name=key_name, prefix=prefix, description=desc)
        if stype == "basic" or (stype == "http" and str(scheme.get("scheme", "")).lower() == "basic"):
            return AuthPlan(kind="basic", scheme=name, description=desc)
        if stype == "http":
            http_scheme = str(scheme.get("scheme", "")).lower()
            if http_scheme != "bearer":
                self.warn(where, f"http scheme {http_scheme!r} of {name!r} is sent as a bearer token")
            return AuthPlan(kind="bearer", scheme=name, description=desc)
        if stype == "oauth2":
            token_url = ""
            if self.is_v2 and scheme.get("flow") == "application":
                token_url = str(scheme.get("tokenUrl") or "")
            elif not self.is_v2:
                flow = (scheme.get("flows") or {}).get("clientCredentials")
                if isinstance(flow, dict):
                    token_url = str(flow.get("tokenUrl") or "")
            if token_url:
                if "://" not in token_url and base_url:
                    token_url = urljoin(base_url + "/", token_url)
                return AuthPlan(kind="oauth2_client_credentials", scheme=name, token_url=token_url,
                                description=desc)
            return AuthPlan(kind="bearer", scheme=name, description=desc)
        if stype == "openIdConnect":
            return AuthPlan(kind="bearer", scheme=name, description=desc)
        self.warn(where, f"security scheme {name!r} of type {stype!r} is not supported; no auth is sent")
        return None


def _is_host_variable(param: dict, server: Server | None, path_template: str) -> bool:
    """A path parameter that fills a variable of the server (x-ms-parameterized-host's
    client parameters, when an operation lists them too), not of the operation's path."""
    name = str(param.get("name"))
    return (server is not None and param.get("in") == "path" and "{" + name + "}" not in path_template
            and any(v.name == name for v in server.variables))


def _bare_string(schema: Any) -> bool:
    """A ``type: string`` schema that gives nothing to build a value from."""
    return isinstance(schema, dict) and schema.get("type") in ("string", None) and not any(
        k in schema for k in ("enum", "const", "format", "pattern", "default", "example", "examples",
                              "x-example", "items", "properties", "allOf", "oneOf", "anyOf", "$ref"))


def _unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name_2``, ``name_3``... when it is taken."""
    if name not in taken:
        return name
    n = 2
    while f"{name}_{n}" in taken:
        n += 1
    return f"{name}_{n}"


def _plan_slot(plan: AuthPlan) -> tuple[str, str]:
    """(location, name) where a plan's credential is sent (header names lower case)."""
    if plan.kind == "api_key_header":
        return ("header", plan.name.lower())
    if plan.kind == "api_key_query":
        return ("query", plan.name)
    if plan.kind == "api_key_cookie":
        return ("cookie", plan.name)
    return ("header", "authorization")


def _plan_form(plan: AuthPlan) -> str:
    """What is sent before the secret: plans with the same slot and form send the same text."""
    if plan.kind == "basic":
        return "Basic "
    if plan.kind in ("bearer", "oauth2_client_credentials"):
        return "Bearer "
    return plan.prefix


def _slot_text(slot: tuple[str, str]) -> str:
    loc, name = slot
    if loc == "header":
        return "the Authorization header" if name == "authorization" else f"the {name} header"
    return f"the query parameter {name}" if loc == "query" else f"the cookie {name}"


def _slot_source(plan: AuthPlan) -> str:
    """Where the sample takes the credential of ``plan`` from, in words."""
    if plan.kind == "basic":
        return f"{plan.username_var} and {plan.password_var}"
    if plan.kind == "oauth2_client_credentials":
        return "the token it fetches"
    return plan.env_var


def _credential_slots(plans: list[AuthPlan]) -> dict[tuple[str, str], str]:
    """(location, name) -> where the sample takes it from, for every place a credential is sent
    (header names lower case)."""
    return {_plan_slot(plan): _slot_source(plan) for plan in plans}


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


def normalize(doc: dict, *, version: str, source: str = "", sha256: str = "",
              options: NormalizeOptions | None = None) -> tuple[ApiModel, list[Diagnostic]]:
    n = Normalizer(doc, version=version, source=source, sha256=sha256, options=options)
    model = n.run()
    return model, n.diagnostics
