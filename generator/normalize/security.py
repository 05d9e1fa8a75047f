"""Security: the credentials each operation sends, and how."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from ..errors import SpecError
from ..model import (AUTH_TYPES, ApiKeyHeader, AuthPlan, Basic, Bearer, OAuth2ClientCredentials, Parameter,
                     SampleRequest)
from ..naming import upper_snake


class Security:
    """The part of the normalizer that reads security."""

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
        return ApiKeyHeader(scheme=p.name, name=p.name, prefix=prefix, env_var=env_var,
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
            if kind == "api_key_header":
                return ApiKeyHeader(scheme=name, name=key_name, prefix=prefix, description=desc)
            return AUTH_TYPES[kind](scheme=name, name=key_name, description=desc)
        if stype == "basic" or (stype == "http" and str(scheme.get("scheme", "")).lower() == "basic"):
            return Basic(scheme=name, description=desc)
        if stype == "http":
            http_scheme = str(scheme.get("scheme", "")).lower()
            if http_scheme != "bearer":
                self.warn(where, f"http scheme {http_scheme!r} of {name!r} is sent as a bearer token")
            return Bearer(scheme=name, description=desc)
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
                return OAuth2ClientCredentials(scheme=name, token_url=token_url, description=desc)
            return Bearer(scheme=name, description=desc)
        if stype == "openIdConnect":
            return Bearer(scheme=name, description=desc)
        self.warn(where, f"security scheme {name!r} of type {stype!r} is not supported; no auth is sent")
        return None


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
