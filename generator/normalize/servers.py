"""Servers: the base URL of every operation, server variables, Swagger 2.0 hosts and schemes."""
from __future__ import annotations

from typing import Any

from .. import serialize
from ..errors import Diagnostic, SpecError
from ..model import SERVER_TOKEN, ApiModel, Server, ServerVariable
from ..naming import UniqueNames, upper_snake


class Servers:
    """The part of the normalizer that reads servers."""

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
