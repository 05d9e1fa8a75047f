"""The English the samples print and their comments say about the model: what each
environment variable is for, the message when no server address is known, what the
"Values to change" block says about a variable. The model holds the data; this module
words it (each target's comment and literal filters then write it in its language)."""
from __future__ import annotations

from .model import Input, SampleRequest, Server


def base_url_message(sample: SampleRequest) -> str:
    """What the sample prints (and then exits 2) when it has no server address."""
    needed = sample.server.required if sample.server is not None else []
    if not needed:
        return "Set the API_BASE_URL environment variable to the server's address."
    names = [v.env_var for v in needed]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    plural = "variable" if len(names) == 1 else "variables"
    return f"Set the {listed} environment {plural} (or API_BASE_URL, the whole server address) first."


def sample_env_vars(sample: SampleRequest) -> list[tuple[str, str]]:
    """Every environment variable the sample reads, with what it is for."""
    out: list[tuple[str, str]] = []
    if sample.server is not None:
        out.append(("API_BASE_URL", f"the whole server address, used as is when set (default: "
                                    f"{sample.server.url_template} with the variables below)"))
        out.extend(server_variable_vars(sample.server))
    elif sample.base_url:
        out.append(("API_BASE_URL", f"the server to call (default: {sample.base_url})"))
    else:
        out.append(("API_BASE_URL", "the server to call (required: the definition names none)"))
    for plan in sample.auth:
        if plan.kind == "api_key_header":
            out.append((plan.env_var, f"API key, sent in the {plan.name} header as \"{plan.prefix}<{plan.env_var}>\""))
        elif plan.kind == "api_key_query":
            out.append((plan.env_var, f"API key, sent as the query parameter {plan.name}"))
        elif plan.kind == "api_key_cookie":
            out.append((plan.env_var, f"API key, sent as the cookie {plan.name}"))
        elif plan.kind == "basic":
            out.append((plan.username_var, "user name for HTTP basic authentication"))
            out.append((plan.password_var, "password for HTTP basic authentication"))
        elif plan.kind == "bearer":
            out.append((plan.env_var, f"token, sent as \"Authorization: Bearer <{plan.env_var}>\""))
        elif plan.kind == "oauth2_client_credentials":
            out.append((plan.client_id_var, "OAuth2 client id (client credentials flow)"))
            out.append((plan.client_secret_var, "OAuth2 client secret"))
            out.append((plan.token_url_var, f"token endpoint (default: {plan.token_url})"))
    body = sample.body
    if body is not None and body.file is not None:
        out.append((body.file.env_var, "path of the file sent as the request body (default: a short sample text)"))
    for form_field in body.fields if body is not None else []:
        if form_field.file is not None:
            out.append((form_field.file.env_var, f"path of the file uploaded as part \"{form_field.name}\" "
                                                 f"(default: a short sample text named {form_field.file.filename})"))
    return out


def server_variable_vars(server: Server) -> list[tuple[str, str]]:
    """(variable, what it is for) of each variable of a server URL template."""
    out = []
    for v in server.variables:
        text = f"{{{v.name}}} in the server address"
        if v.description:
            text += f" ({v.description.strip().rstrip('.')})"
        if v.required:
            text += "; required unless API_BASE_URL is set"
        else:
            text += f"; default: {v.default}" if v.default else "; default: empty"
        out.append((v.env_var, text))
    return out


def input_comment(item: Input) -> str:
    """What the "Values to change" block says about a variable."""
    head = f"{item.param} ({item.location} parameter, {'required' if item.required else 'optional'})"
    lines = [head + (f": {item.description}" if item.description.strip() else "")]
    if item.format:
        lines.append(item.format)
    if item.placeholder:
        lines.append("placeholder: no example in the definition")
    return "\n".join(lines)
