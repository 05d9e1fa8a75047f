"""The language-neutral model every target renders from.

Swagger 2.0 and OpenAPI 3.x are normalized into these types; templates only print them.
Everything here is plain data: deterministic, JSON-serialisable through ``to_jsonable``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, ClassVar

SERVER_TOKEN = re.compile(r"\{([^{}]+)\}")


@dataclass
class ServerVariable:
    """A ``{name}`` of a server URL template; the sample reads it from ``env_var``."""

    name: str
    env_var: str  # API_<NAME>, e.g. API_ENDPOINT for {Endpoint}
    default: str = ""
    required: bool = False  # no default: the variable (or API_BASE_URL) must be set
    description: str = ""


@dataclass
class Server:
    url_template: str  # as written, e.g. "https://{env}.example.com/v1" (Swagger 2.0: scheme + host + basePath)
    variables: list[ServerVariable] = field(default_factory=list)
    url: str = ""  # url_template with defaults filled in ("" when no server is known)
    description: str = ""

    @property
    def required(self) -> list[ServerVariable]:
        """The variables without a default: the sample needs them, or API_BASE_URL."""
        return [v for v in self.variables if v.required]

    @property
    def parts(self) -> list[tuple[str, str, bool]]:
        """The template as pieces to concatenate: ``("text", literal, False)`` or
        ``("var", env_var, strip)``, where ``strip`` says to drop trailing slashes of the
        value: a variable that opens the template holds an address, and the template goes on
        with a slash (``{Endpoint}/v1`` with ``https://host/`` as the value)."""
        by_name = {v.name: v for v in self.variables}
        out: list[tuple[str, str, bool]] = []
        pos = 0
        for m in SERVER_TOKEN.finditer(self.url_template):
            var = by_name.get(m.group(1))
            if var is None:
                continue
            if m.start() > pos:
                out.append(("text", self.url_template[pos:m.start()], False))
            out.append(("var", var.env_var, m.start() == 0 and self.url_template[m.end():m.end() + 1] == "/"))
            pos = m.end()
        if pos < len(self.url_template):
            out.append(("text", self.url_template[pos:], False))
        return out


@dataclass
class Parameter:
    name: str
    location: str  # path | query | header | cookie
    required: bool
    schema: dict[str, Any] = field(default_factory=dict)
    style: str = ""
    explode: bool = False
    allow_reserved: bool = False
    description: str = ""
    example: Any = None  # the value the sample sends (None with has_example False: not sent)
    has_example: bool = False
    sent: bool = False  # whether the sample sends it
    placeholder: bool = False  # example made up from a bare `type: string` (nothing to go on)


@dataclass
class FileSpec:
    """A file the sample uploads: read from ``env_var`` when set, else ``default_content``."""

    env_var: str
    filename: str
    content_type: str
    default_content: str  # text the sample sends (UTF-8) when the variable is not set


@dataclass
class FormField:
    name: str
    value: str | None = None  # text value (form and multipart text parts)
    file: FileSpec | None = None  # multipart file part
    content_type: str | None = None  # explicit part content type (multipart `encoding`)


@dataclass
class Body:
    """A request body: one subclass per ``kind`` (json | form | multipart | text | binary).

    The attributes of the other kinds read as empty on a body (``json`` None, ``text`` "",
    ``fields`` empty, ``file`` None), so that code and templates may test any of them."""

    media_type: str  # what Content-Type the sample sends
    kind: str = field(init=False, default="")
    other_media_types: list[str] = field(default_factory=list)  # also accepted by the operation
    required: bool = False

    json: ClassVar[Any] = None
    text: ClassVar[str] = ""
    fields: ClassVar[tuple[FormField, ...]] = ()
    file: ClassVar[FileSpec | None] = None


@dataclass
class JsonBody(Body):
    kind: str = field(init=False, default="json")
    json: Any = None  # the value (serialized by the target)


@dataclass
class FormBody(Body):
    """application/x-www-form-urlencoded."""

    kind: str = field(init=False, default="form")
    fields: list[FormField] = field(default_factory=list)


@dataclass
class MultipartBody(Body):
    """multipart/form-data: text parts and file parts."""

    kind: str = field(init=False, default="multipart")
    fields: list[FormField] = field(default_factory=list)


@dataclass
class TextBody(Body):
    kind: str = field(init=False, default="text")
    text: str = ""  # the exact text


@dataclass
class BinaryBody(Body):
    """A file sent as the whole body."""

    kind: str = field(init=False, default="binary")
    file: FileSpec | None = None


BODY_TYPES: dict[str, type[Body]] = {"json": JsonBody, "form": FormBody, "multipart": MultipartBody,
                                     "text": TextBody, "binary": BinaryBody}


def new_body(kind: str, media_type: str, **values: Any) -> Body:
    """A body of ``kind`` (as ``media_kind`` names it)."""
    return BODY_TYPES[kind](media_type=media_type, **values)


@dataclass
class AuthPlan:
    """One credential the sample sends: one subclass per ``kind``. Several plans = several
    schemes sent together.

    The attributes of the other kinds read as their defaults on a plan (``name`` "",
    ``env_var`` "API_KEY", ...), so that code and templates may test any of them."""

    kind: str = field(init=False, default="")
    scheme: str = ""  # the securityScheme's name in the definition
    scopes: list[str] = field(default_factory=list)
    description: str = ""

    name: ClassVar[str] = ""
    prefix: ClassVar[str] = ""
    env_var: ClassVar[str] = "API_KEY"
    username_var: ClassVar[str] = "API_USERNAME"
    password_var: ClassVar[str] = "API_PASSWORD"
    client_id_var: ClassVar[str] = "API_CLIENT_ID"
    client_secret_var: ClassVar[str] = "API_CLIENT_SECRET"
    token_url: ClassVar[str] = ""
    token_url_var: ClassVar[str] = "API_TOKEN_URL"


@dataclass
class ApiKeyHeader(AuthPlan):
    kind: str = field(init=False, default="api_key_header")
    name: str = ""  # the header
    prefix: str = ""  # text before the key, e.g. "Bearer "
    env_var: str = "API_KEY"  # the secret's variable (API_KEY, or API_KEY_<SCHEME> for the 2nd+)


@dataclass
class ApiKeyQuery(AuthPlan):
    kind: str = field(init=False, default="api_key_query")
    name: str = ""  # the query parameter
    env_var: str = "API_KEY"


@dataclass
class ApiKeyCookie(AuthPlan):
    kind: str = field(init=False, default="api_key_cookie")
    name: str = ""  # the cookie
    env_var: str = "API_KEY"


@dataclass
class Basic(AuthPlan):
    kind: str = field(init=False, default="basic")
    username_var: str = "API_USERNAME"
    password_var: str = "API_PASSWORD"


@dataclass
class Bearer(AuthPlan):
    kind: str = field(init=False, default="bearer")
    env_var: str = "API_KEY"


@dataclass
class OAuth2ClientCredentials(AuthPlan):
    kind: str = field(init=False, default="oauth2_client_credentials")
    client_id_var: str = "API_CLIENT_ID"
    client_secret_var: str = "API_CLIENT_SECRET"
    token_url: str = ""  # the sample reads API_TOKEN_URL first
    token_url_var: str = "API_TOKEN_URL"


AUTH_TYPES: dict[str, type[AuthPlan]] = {
    "api_key_header": ApiKeyHeader, "api_key_query": ApiKeyQuery, "api_key_cookie": ApiKeyCookie,
    "basic": Basic, "bearer": Bearer, "oauth2_client_credentials": OAuth2ClientCredentials,
}


@dataclass
class Input:
    """A value the user is expected to replace: a named variable in the sample's "Values to
    change" block, which the request then uses (one per path parameter, per query pair, per
    header and per cookie that comes from a parameter)."""

    var: str  # language-neutral identifier (UPPER_SNAKE), unique in the sample; targets name it
    value: str  # the text the variable holds
    location: str  # path | query | header | cookie
    param: str  # the parameter it comes from
    required: bool = False
    description: str = ""  # the parameter's description
    placeholder: bool = False  # made up from a bare `type: string`: no example in the definition
    format: str = ""  # how the text is written when it is not one plain value ("" when it is)
    encode: bool = False  # path: percent-encoded by the sample at run time (else pasted as is)
    index: int = -1  # query / header / cookie: its position in SampleRequest.query/headers/cookies

    @property
    def comment(self) -> str:
        """What the block says about the variable (through each target's comment filter)."""
        from .presentation import input_comment

        return input_comment(self)


@dataclass
class PathPart:
    """A piece of the request path: literal text (already percent-encoded) or an Input's variable."""

    text: str = ""
    var: str = ""
    encode: bool = False  # the variable is percent-encoded at run time (every byte but A-Z a-z 0-9 - . _ ~)


@dataclass
class SampleRequest:
    """A fully resolved request: the targets print exactly this, nothing more."""

    method: str  # upper case
    base_url: str  # the default server ("" when the definition has none: API_BASE_URL required)
    path: str  # concrete path, already percent-encoded, starting with "/"
    query: list[tuple[str, str]] = field(default_factory=list)  # decoded pairs, order and repeats kept
    headers: list[tuple[str, str]] = field(default_factory=list)  # besides auth and Content-Type
    cookies: list[tuple[str, str]] = field(default_factory=list)  # besides auth
    auth: list[AuthPlan] = field(default_factory=list)  # all sent
    body: Body | None = None
    auth_alternatives: list[str] = field(default_factory=list)  # other accepted schemes (comment)
    auth_optional: bool = False  # the definition also allows no auth
    notes: list[str] = field(default_factory=list)  # comments for the reader (optional params, ...)
    server: Server | None = None  # set when the base URL is built from variables (API_<NAME>)

    @property
    def base_url_message(self) -> str:
        """What the sample prints (and then exits 2) when it has no server address."""
        from .presentation import base_url_message

        return base_url_message(self)

    inputs: list[Input] = field(default_factory=list)  # the "Values to change", in order
    path_parts: list[PathPart] = field(default_factory=list)  # path, pieces joined in order

    def _items(self, location: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
        by_index = {i.index: i.var for i in self.inputs if i.location == location}
        return [(name, value, by_index.get(k, "")) for k, (name, value) in enumerate(pairs)]

    @property
    def query_items(self) -> list[tuple[str, str, str]]:
        """(name, value, variable or "") of every query pair: a pair from a parameter is sent
        from its variable."""
        return self._items("query", self.query)

    @property
    def header_items(self) -> list[tuple[str, str, str]]:
        return self._items("header", self.headers)

    @property
    def cookie_items(self) -> list[tuple[str, str, str]]:
        return self._items("cookie", self.cookies)

    @property
    def encodes_path(self) -> bool:
        """Whether the sample percent-encodes a path value at run time (it needs the helper)."""
        return any(part.var and part.encode for part in self.path_parts)

    @property
    def secret_vars(self) -> list[str]:
        out: list[str] = []
        for plan in self.auth:
            if plan.kind == "basic":
                names = [plan.username_var, plan.password_var]
            elif plan.kind == "oauth2_client_credentials":
                names = [plan.client_id_var, plan.client_secret_var]
            else:
                names = [plan.env_var]
            out.extend(n for n in names if n not in out)
        return out

    @property
    def sends_query(self) -> bool:
        return bool(self.query) or any(p.kind == "api_key_query" for p in self.auth)

    @property
    def sends_cookies(self) -> bool:
        return bool(self.cookies) or any(p.kind == "api_key_cookie" for p in self.auth)

    @property
    def uses_basic_credentials(self) -> bool:
        """Whether the sample encodes a user:password pair (basic auth or a token request)."""
        return any(p.kind in ("basic", "oauth2_client_credentials") for p in self.auth)

    @property
    def token_plans(self) -> list[AuthPlan]:
        return [p for p in self.auth if p.kind == "oauth2_client_credentials"]

    @property
    def env_vars(self) -> list[tuple[str, str]]:
        """Every environment variable the sample reads, with what it is for."""
        from .presentation import sample_env_vars

        return sample_env_vars(self)

    @property
    def file_vars(self) -> list[FileSpec]:
        out: list[FileSpec] = []
        if self.body is not None:
            if self.body.file is not None:
                out.append(self.body.file)
            out.extend(f.file for f in self.body.fields if f.file is not None)
        return out


@dataclass
class Operation:
    id: str  # operationId, or a stable one made from method + path
    method: str  # upper case
    path_template: str  # the path key as written (without any query string it carried)
    summary: str = ""
    description: str = ""
    tags: list[str] = field(default_factory=list)
    deprecated: bool = False
    parameters: list[Parameter] = field(default_factory=list)
    body: Body | None = None
    responses: list[str] = field(default_factory=list)  # status codes, as written, in order
    accept: str = ""  # media type of the success response, when known
    sample: SampleRequest | None = None
    # Safe names, unique across the API (case-insensitively), computed by the normalizer:
    snake: str = ""  # e.g. get_pet_by_id (file names for python / r)
    pascal: str = ""  # e.g. GetPetById (C# namespace and folder)
    location: str = ""  # JSON pointer of the operation in the definition


@dataclass
class EnvVarUse:
    """An environment variable the samples read, with one meaning, and which operations read it."""

    name: str
    meaning: str
    operations: list[str] = field(default_factory=list)  # operation ids, in the definition's order
    every: bool = False  # read by every operation
    # when fewer operations do not read it than do: those (the index says "every operation except")
    excluded: list[str] = field(default_factory=list)


@dataclass
class SkippedOperation:
    """An operation lenient mode could not generate, and why."""

    id: str
    method: str  # upper case ("" when a whole path item could not be read)
    path: str
    reason: str
    location: str  # where the fault is: a JSON pointer in the definition (with file and line in Result)

    def format(self) -> str:
        return f"skipped {self.id}: {self.reason}, at {self.location}"


@dataclass
class ApiModel:
    title: str
    version: str
    spec_version: str  # "2.0" | "3.0" | "3.1"
    description: str = ""
    servers: list[Server] = field(default_factory=list)
    operations: list[Operation] = field(default_factory=list)
    security_schemes: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: str = ""
    sha256: str = ""
    skipped: list[SkippedOperation] = field(default_factory=list)  # lenient mode only

    @property
    def env_vars(self) -> list[EnvVarUse]:
        """Every variable the samples read (their ``SampleRequest.env_vars``), one entry per
        variable and meaning, in the order the operations first read them (a variable's
        meanings together)."""
        uses: dict[tuple[str, str], EnvVarUse] = {}
        reading: dict[tuple[str, str], set[str]] = {}  # the operations of each use, to look up
        for op in self.operations:
            if op.sample is None:
                continue
            for name, meaning in op.sample.env_vars:
                use = uses.setdefault((name, meaning), EnvVarUse(name=name, meaning=meaning))
                seen = reading.setdefault((name, meaning), set())
                if op.id not in seen:
                    seen.add(op.id)
                    use.operations.append(op.id)
        ids = list(dict.fromkeys(op.id for op in self.operations if op.sample is not None))
        first = {}  # name -> position of its first use: a variable's meanings stay together
        for i, (key, use) in enumerate(uses.items()):
            first.setdefault(use.name, i)
            use.every = len(use.operations) == len(ids)
            if len(ids) - len(use.operations) < len(use.operations):  # a few operations do not read it
                others = [op_id for op_id in ids if op_id not in reading[key]]
                if others:
                    use.excluded = others
        return sorted(uses.values(), key=lambda use: first[use.name])


def to_jsonable(value: Any) -> Any:
    """Plain JSON data for a model value (dataclasses -> dicts in field order)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value
