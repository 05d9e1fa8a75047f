"""The "Values to change" of a sample: the variables that hold the values taken from the
definition (path, query, header and cookie parameters), and the path built from them.

Names are language-neutral (UPPER_SNAKE words of the parameter's name); each target's
``input_var`` filter writes them its way (Python ``JOB_ID``, R ``job_id``, C# ``jobId``).
They are unique in a sample once case and underscores are ignored, and never one of the
names the templates use themselves or a reserved word of a target, so every projection is
a fresh identifier.
"""
from __future__ import annotations

from typing import Any

from . import serialize
from .model import Input, Parameter, PathPart, SampleRequest
from .naming import MAX_NAME, upper_snake

# Reserved words of the targets (C# keywords and contextual keywords; R's reserved words;
# Python's are lower case and never an UPPER_SNAKE name).
_CSHARP = """abstract as base bool break byte case catch char checked class const continue decimal default
delegate do double else enum event explicit extern false finally fixed float for foreach goto if implicit
in int interface internal is lock long namespace new null object operator out override params private
protected public readonly ref return sbyte sealed short sizeof stackalloc static string struct switch this
throw true try typeof uint ulong unchecked unsafe ushort using virtual void volatile while add alias
ascending async await by descending dynamic equals from get global group into join let nameof on orderby
partial remove select set unmanaged value var when where yield record init managed"""
_R = """if else repeat while function for next break TRUE FALSE NULL Inf NaN NA NA_integer_ NA_real_
NA_character_ NA_complex_ in T F"""
# Names the built-in templates give their own variables, functions and fields (all targets).
_TEMPLATES = """BASE_URL TIMEOUT_SECONDS access_token base_url body_path boundary chunks content cookies
credentials data default_base_url disposition encoded file_path form head headers json_body pairs params
parts path payload pretty query req request require_env resp response status text timeout_seconds token
token_form token_resp token_url url value name exc e p f main require read_file fetch_token quote
quote_param encode_multipart encode_path DefaultBaseUrl RequestTimeout accessToken baseUrl basic
bodyFileName c client depth handler i inString json match multipart next output part tokenRequest tokenUrl
Main MainAsync Indent QueryString ReadFile AddPart Quote FetchTokenAsync EscapePath Program escape_path"""


def _key(name: str) -> str:
    """What two names must not share: their letters and digits, case ignored."""
    return name.replace("_", "").lower()


RESERVED = frozenset(_key(w) for w in (_CSHARP + " " + _R + " " + _TEMPLATES).split())


class InputNames:
    """Hands out the variables of one sample."""

    def __init__(self, env_vars: list[str]) -> None:
        # the environment variables the sample reads are read into variables named after them
        # (API_KEY -> api_key / apiKey), and files into <var>_name, <var>Bytes...
        self.taken = set(RESERVED)
        for env in env_vars:
            self.taken |= {_key(env), _key(env) + "name", _key(env) + "bytes"}

    def take(self, words: str) -> str:
        base = upper_snake(words)
        if len(base) > MAX_NAME:
            base = base[:MAX_NAME].rstrip("_")
        name, n = base, 2
        while _key(name) in self.taken:
            name = f"{base}_{n}"
            n += 1
        self.taken.add(_key(name))
        return name


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) and "\0" not in serialize.to_text(value)


def style_text(p: Parameter, collection_format: str | None) -> str:
    if collection_format is not None:
        return f"collectionFormat {collection_format}"
    return f"style {p.style}, explode {'true' if p.explode else 'false'}"


def path_input(p: Parameter, segment: str, collection_format: str | None = None) -> tuple[Input, list[PathPart]]:
    """The variable of a path parameter and the path parts it fills. A scalar is held as it is
    and percent-encoded by the sample (simple, label and matrix styles add their delimiters
    around it); anything else is held as its serialized, percent-encoded text."""
    value = p.example
    inp = Input(var=p.name, value=segment, location="path", param=p.name, required=p.required,
                description=p.description, placeholder=p.placeholder)
    if _scalar(value):
        text = serialize.to_text(value)
        prefix = ""
        if collection_format is None and p.style == "label":
            prefix = "."
        elif collection_format is None and p.style == "matrix":
            prefix = f";{serialize.path_segment('', p.name)}="
        if prefix + serialize.path_segment("", text) == segment:
            inp.value, inp.encode = text, True
            parts = ([PathPart(text=prefix)] if prefix else []) + [PathPart(var=p.name, encode=True)]
            return inp, parts
    inp.format = (f"written as it goes into the path ({style_text(p, collection_format)}), "
                  "already percent-encoded")
    return inp, [PathPart(var=p.name)]


def pair_inputs(p: Parameter, location: str, pairs: list[tuple[str, str]],
                collection_format: str | None = None) -> list[Input]:
    """One variable per (name, value) pair a query or cookie parameter sends (one header)."""
    out = []
    plain = _scalar(p.example)
    for k, (name, text) in enumerate(pairs):
        if len(pairs) == 1:
            words = p.name
        elif name == p.name:
            words = f"{p.name} {k + 1}"  # an exploded list: color_1, color_2
        else:
            words = name if name.startswith(p.name) else f"{p.name} {name}"  # deepObject, exploded object
        inp = Input(var=words,
                    value=text, location=location, param=p.name, required=p.required,
                    description=p.description, placeholder=p.placeholder)
        kind = "list" if isinstance(p.example, list) else "object"
        style = style_text(p, collection_format)
        if len(pairs) > 1 and kind == "list":
            inp.format = f"item {k + 1} of {len(pairs)}: the list is sent as one {location} pair per item ({style})"
        elif len(pairs) > 1:
            inp.format = f"a property of the object, sent as the {location} pair {name} ({style})"
        elif not plain:
            inp.format = f"the whole {kind} as one value ({style})"
        out.append(inp)
    return out


def bind(sample: SampleRequest, pending: list[tuple[Input, Any]], path_parts: list[PathPart],
         names: InputNames) -> None:
    """Name the inputs, in the order they are sent, and record where each one is used: the
    position of its query pair, header or cookie (found by identity: entries may have been
    inserted before it), or its path parts."""
    lists = {"query": sample.query, "header": sample.headers, "cookie": sample.cookies}
    renamed: dict[str, str] = {}
    used = {part.var for part in path_parts if part.var}
    path_inputs = [inp for inp, _ in pending if inp.location == "path" and inp.var in used]
    for inp in path_inputs:
        var = names.take(inp.var)
        renamed[inp.var] = var
        inp.var = var
    for part in path_parts:
        if part.var:
            part.var = renamed[part.var]
    sample.inputs.extend(path_inputs)
    order = {"query": 0, "header": 1, "cookie": 2}
    for inp, entry in sorted((x for x in pending if x[0].location != "path"), key=lambda x: order[x[0].location]):
        found = next((k for k, e in enumerate(lists[inp.location]) if e is entry), None)
        if found is None:
            continue
        inp.index = found
        inp.var = names.take(inp.var)
        sample.inputs.append(inp)
    sample.path_parts = path_parts
