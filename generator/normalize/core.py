"""The normalizer: one ApiModel, with a SampleRequest per operation, from a whole definition."""
from __future__ import annotations

from typing import Any

from .. import inputs, serialize
from ..errors import LENIENT_SKIPS, Diagnostic, SpecError, pointer
from ..examples import ExampleBuilder
from ..model import ApiModel, Input, Operation, Parameter, PathPart, SampleRequest, Server, SkippedOperation
from ..naming import UniqueNames, operation_id_from, pascal, safe_file_stem, snake
from ..refs import Resolver
from .media import IGNORED_HEADERS, METHODS, NormalizeOptions
from .servers import Servers
from .parameters import Parameters
from .security import Security, _credential_slots
from .bodies import Bodies


class Normalizer(Servers, Parameters, Security, Bodies):
    """Reads one definition: operations in order, each with its sample request; warnings in ``diagnostics``."""

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
                if self.options.on_operation is not None:
                    self.options.on_operation(op)
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

    # -- operations -------------------------------------------------------------------------

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


def _is_host_variable(param: dict, server: Server | None, path_template: str) -> bool:
    """A path parameter that fills a variable of the server (x-ms-parameterized-host's
    client parameters, when an operation lists them too), not of the operation's path."""
    name = str(param.get("name"))
    return (server is not None and param.get("in") == "path" and "{" + name + "}" not in path_template
            and any(v.name == name for v in server.variables))


def normalize(doc: dict, *, version: str, source: str = "", sha256: str = "",
              options: NormalizeOptions | None = None) -> tuple[ApiModel, list[Diagnostic]]:
    n = Normalizer(doc, version=version, source=source, sha256=sha256, options=options)
    model = n.run()
    return model, n.diagnostics
