"""Credentials as a user has them, the variables the samples read, and required values that
are never empty."""
from __future__ import annotations

import re

import pytest

from generator.api import generate
from generator.examples import ExampleBuilder
from generator.refs import Resolver
from helpers.golden_cases import all_cases
from helpers.documents import messages, run, sample, v2, v3

OK = {"200": {"description": "ok"}}
GOOGLE_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
OAUTH2_SCHEMES = {
    "Oauth2": {"type": "oauth2", "flows": {"implicit": {
        "authorizationUrl": "https://accounts.example.com/auth", "scopes": {GOOGLE_SCOPE: "all", "ro": "read"}}}},
    "Oauth2c": {"type": "oauth2", "flows": {"authorizationCode": {
        "authorizationUrl": "https://accounts.example.com/auth", "tokenUrl": "https://accounts.example.com/token",
        "scopes": {GOOGLE_SCOPE: "all", "extra": "more"}}}},
}


def secured(security: list, schemes: dict, **op) -> dict:
    return v3({"/things": {"get": {"operationId": "list", "security": security, "responses": OK, **op}}},
              components={"securitySchemes": schemes})


def files_of(doc: dict) -> dict[str, str]:
    version = doc.get("swagger") or doc.get("openapi")
    return generate(doc, version="2.0" if version == "2.0" else version, source="spec.yaml").files


# -- schemes that land in the same place ------------------------------------------------------------
def test_two_oauth2_schemes_in_one_requirement_are_one_bearer_token_from_api_key():
    s = sample(secured([{"Oauth2": [GOOGLE_SCOPE], "Oauth2c": [GOOGLE_SCOPE, "extra"]}], OAUTH2_SCHEMES))
    assert [(p.kind, p.scheme, p.env_var) for p in s.auth] == [("bearer", "Oauth2", "API_KEY")]
    assert s.secret_vars == ["API_KEY"]
    assert s.auth[0].scopes == [GOOGLE_SCOPE, "extra"]
    assert [name for name, _ in s.env_vars] == ["API_BASE_URL", "API_KEY"]
    assert any("'Oauth2' and 'Oauth2c'" in n and "API_KEY" in n for n in s.notes)


def test_swagger2_implicit_and_access_code_together_send_one_header():
    doc = v2({"/things": {"get": {"security": [{"Oauth2": ["a"], "Oauth2c": ["a"]}], "responses": OK}}},
             securityDefinitions={
                 "Oauth2": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a.example/auth",
                            "scopes": {"a": "a"}},
                 "Oauth2c": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a.example/auth",
                             "tokenUrl": "https://a.example/token", "scopes": {"a": "a"}}})
    assert sample(doc).secret_vars == ["API_KEY"]


def test_two_oauth2_samples_ask_for_api_key_alone():
    files = files_of(secured([{"Oauth2": [GOOGLE_SCOPE], "Oauth2c": [GOOGLE_SCOPE]}], OAUTH2_SCHEMES))
    for path, text in files.items():
        if path.endswith((".py", ".R", "/Program.cs")):
            assert "API_KEY_OAUTH2C" not in text, path
            assert '"API_KEY"' in text, path


def test_alternatives_that_differ_only_in_scopes_are_not_listed():
    s = sample(secured([{"Oauth2": [GOOGLE_SCOPE], "Oauth2c": [GOOGLE_SCOPE]},
                        {"Oauth2": ["ro"], "Oauth2c": ["ro"]}, {"Oauth2": ["ro"]}], OAUTH2_SCHEMES))
    assert s.auth_alternatives == ["Oauth2"]


@pytest.mark.parametrize("first, second", [
    ({"type": "apiKey", "in": "header", "name": "X-Key"}, {"type": "apiKey", "in": "header", "name": "x-key"}),
    ({"type": "apiKey", "in": "query", "name": "key"}, {"type": "apiKey", "in": "query", "name": "key"}),
    ({"type": "apiKey", "in": "cookie", "name": "sid"}, {"type": "apiKey", "in": "cookie", "name": "sid"}),
    ({"type": "http", "scheme": "bearer"}, {"type": "apiKey", "in": "header", "name": "Authorization"}),
    ({"type": "openIdConnect", "openIdConnectUrl": "https://a.example/.well-known"}, {"type": "http", "scheme": "bearer"}),
])
def test_schemes_sent_alike_in_one_slot_are_sent_once(first, second):
    s = sample(secured([{"first": [], "second": []}], {"first": first, "second": second}))
    assert [p.scheme for p in s.auth] == ["first"]
    assert s.secret_vars == ["API_KEY"]


def test_schemes_sent_differently_in_one_header_keep_the_first_with_a_warning():
    doc = secured([{"basic": [], "token": []}],
                  {"basic": {"type": "http", "scheme": "basic"}, "token": {"type": "http", "scheme": "bearer"}})
    s, diags = sample(doc), run(doc)[1]
    assert [p.kind for p in s.auth] == ["basic"]
    assert s.secret_vars == ["API_USERNAME", "API_PASSWORD"]
    assert any("'basic' and 'token'" in m and "Authorization header" in m for m in messages(diags))
    assert any("'token'" in n and "only 'basic'" in n for n in s.notes)


def test_two_api_keys_in_different_headers_ask_for_two_variables_named_everywhere():
    doc = secured([{"primary": [], "user-project": []}],
                  {"primary": {"type": "apiKey", "in": "header", "name": "X-Key"},
                   "user-project": {"type": "apiKey", "in": "header", "name": "X-User-Project"}})
    s = sample(doc)
    assert s.secret_vars == ["API_KEY", "API_KEY_USER_PROJECT"]
    files = files_of(doc)
    header = files["python/list.py"].split("import json")[0]
    assert "API_KEY_USER_PROJECT: API key, sent in the X-User-Project header" in header
    assert re.search(r"^\| `API_KEY_USER_PROJECT` \| API key, sent in the X-User-Project header .*\| every operation \|$",
                     files["README.md"], re.M)


# -- the index lists what the samples read ----------------------------------------------------------
def readme_variables(readme: str) -> list[str]:
    return re.findall(r"^\| `(API_[A-Z0-9_]+)` \|", readme, re.M)


def test_index_of_an_api_key_only_service_lists_only_its_variables():
    doc = v2({"/a": {"get": {"operationId": "a", "responses": OK}}, "/b": {"get": {"operationId": "b",
              "security": [], "responses": OK}}},
             securityDefinitions={"key": {"type": "apiKey", "in": "header", "name": "Ocp-Apim-Subscription-Key"}},
             security=[{"key": []}])
    readme = files_of(doc)["README.md"]
    assert readme_variables(readme) == ["API_BASE_URL", "API_KEY"]
    assert "API_USERNAME" not in readme and "API_CLIENT_ID" not in readme
    assert re.search(r"^\| `API_KEY` \| .* \| a \|$", readme, re.M)  # b reads no key
    assert re.search(r"^\| `API_BASE_URL` \| the server to call \(default: https://api\.example\.com\) \| every "
                     r"operation \|$", readme, re.M)


def test_index_names_the_few_operations_that_do_not_read_a_variable():
    doc = v3({f"/{name}": {"get": {"operationId": name, "responses": OK, **({"security": []} if name == "health" else {})}}
              for name in ("one", "two", "health")},
             components={"securitySchemes": {"k": {"type": "http", "scheme": "bearer"}}}, security=[{"k": []}])
    readme = files_of(doc)["README.md"]
    assert re.search(r"^\| `API_KEY` \| .* \| every operation except health \|$", readme, re.M)


def test_index_without_a_server_says_api_base_url_is_required():
    doc = v3({"/a": {"get": {"responses": OK}}})
    del doc["servers"]
    readme = files_of(doc)["README.md"]
    assert "required: the definition names none" in readme
    assert "default" not in readme.split("## Operations")[0].split("| variable |")[1].split("\n\n")[0]


def test_index_escapes_operation_ids_in_its_variable_rows():
    doc = v3({"/a": {"get": {"operationId": "a|b<c>", "responses": OK}}, "/b": {"get": {
        "operationId": "other", "security": [], "responses": OK}}},
        components={"securitySchemes": {"k": {"type": "apiKey", "in": "query", "name": "k"}}}, security=[{"k": []}])
    readme = files_of(doc)["README.md"]
    assert "| a\\|b\\<c> |" in readme


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.name)
def test_every_variable_a_sample_reads_is_named_in_its_header_and_in_the_index(case):
    result = case.generate()
    readme = result.files["README.md"]
    listed = set(readme_variables(readme))
    read_anywhere: set[str] = set()
    for path, text in result.files.items():
        if not path.endswith((".py", ".R", "/Program.cs")):  # a C# sample's Helpers.cs reads none itself
            continue
        marker = {".py": "\nimport ", ".R": "\nlibrary(", ".cs": "\nusing "}
        cut = next(text.find(m) for ext, m in marker.items() if path.endswith(ext))
        header, code = text[:cut], text[cut:]
        read = set(re.findall(r"[\"'](API_[A-Z0-9_]+)[\"']", code))
        assert read, path
        for name in read:
            assert re.search(rf"^\W*{name}: ", header, re.M), f"{path}: {name} is read but not in the header"
        read_anywhere |= read
    assert read_anywhere == listed


# -- required values that the definition gives as empty -----------------------------------------------
def test_required_path_and_query_values_given_as_empty_are_built_from_the_schema():
    doc = v2({"/versions/{v}/export/oas.json": {"get": {"parameters": [
        {"name": "v", "in": "path", "required": True, "type": "string", "default": ""},
        {"name": "q", "in": "query", "required": True, "type": "string", "x-example": ""},
        {"name": "ids", "in": "query", "required": True, "type": "array", "items": {"type": "string"},
         "default": []},
        {"name": "flag", "in": "query", "required": True, "type": "string", "allowEmptyValue": True,
         "x-example": ""},
        {"name": "opt", "in": "query", "type": "string", "default": ""}], "responses": OK}}})
    s, diags = sample(doc), run(doc)[1]
    assert s.path == "/versions/v/export/oas.json"
    assert s.query == [("q", "q"), ("ids", "ids"), ("flag", ""), ("opt", "")]
    assert [d.location.rsplit("/", 1)[-1] for d in diags] == ["0", "1", "2"]
    assert all("is empty; a value built from its schema is sent instead" in m for m in messages(diags))
    assert sum("an empty value" in n for n in s.notes) == 3


def test_oas3_schema_default_empty_replaced_but_a_schema_allowing_only_empty_kept():
    doc = v3({"/items/{id}": {"get": {"parameters": [
        {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "default": ""}},
        {"name": "mode", "in": "query", "required": True, "schema": {"type": "string", "enum": [""]}},
        {"name": "none", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 0},
         "example": ""},
        {"name": "day", "in": "query", "required": True, "schema": {"type": "string", "format": "date"},
         "example": ""}], "responses": OK}}})
    s = sample(doc)
    assert s.path == "/items/id"
    assert s.query == [("mode", ""), ("none", ""), ("day", "2024-01-15")]


def test_required_form_fields_given_as_empty_are_built():
    doc2 = v2({"/notes": {"post": {"consumes": ["application/x-www-form-urlencoded"], "parameters": [
        {"name": "title", "in": "formData", "required": True, "type": "string", "default": ""},
        {"name": "body", "in": "formData", "type": "string", "default": ""}], "responses": OK}}})
    assert [(f.name, f.value) for f in sample(doc2).body.fields] == [("title", "title"), ("body", "")]
    doc3 = v3({"/notes": {"post": {"requestBody": {"required": True, "content": {
        "application/x-www-form-urlencoded": {
            "schema": {"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}},
            "example": {"title": ""}}}}, "responses": OK}}})
    assert [(f.name, f.value) for f in sample(doc3).body.fields] == [("title", "title")]


def test_required_text_body_given_as_empty_is_built():
    doc = v3({"/notes": {"post": {"requestBody": {"required": True, "content": {"text/plain": {
        "schema": {"type": "string"}, "example": ""}}}, "responses": OK}}})
    s = sample(doc)
    assert s.body.kind == "text" and s.body.text != ""


# -- a file sent as the whole body -----------------------------------------------------------------------
def stream_op(consumes: list[str]) -> dict:
    return v2({"/analyze": {"post": {"operationId": "AnalyzeImageInStream", "consumes": consumes, "parameters": [
        {"name": "Image", "in": "body", "required": True, "schema": {"type": "object", "format": "file"}}],
        "responses": OK}}}, consumes=["application/json"])


def test_swagger2_file_body_with_octet_stream_and_multipart_is_sent_as_the_stream():
    body = sample(stream_op(["application/octet-stream", "multipart/form-data"])).body
    assert (body.kind, body.media_type, body.required) == ("binary", "application/octet-stream", True)
    assert body.file.env_var == "API_BODY_FILE" and body.file.default_content
    assert body.other_media_types == ["multipart/form-data"]


def test_swagger2_file_body_with_multipart_only_is_one_file_part():
    s = sample(stream_op(["multipart/form-data"]))
    assert s.body.kind == "multipart"
    assert [(f.name, f.file.env_var) for f in s.body.fields] == [("Image", "API_FILE_IMAGE")]
    assert any("'Image'" in n for n in s.notes)


def test_swagger2_body_parameter_ignores_a_multipart_type_in_consumes():
    doc = v2({"/things": {"post": {"consumes": ["multipart/form-data", "application/xml"], "parameters": [
        {"name": "thing", "in": "body", "required": True,
         "schema": {"type": "object", "properties": {"a": {"type": "string", "example": "x"}}}}],
        "responses": OK}}})
    body = sample(doc).body
    assert (body.kind, body.media_type) == ("text", "application/xml")
    assert "<a>x</a>" in body.text


@pytest.mark.parametrize("content, kind, media", [
    ({"multipart/form-data": {"schema": {"type": "string", "format": "binary"}},
      "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}, "binary",
     "application/octet-stream"),
    ({"multipart/form-data": {"schema": {"type": "string", "format": "binary"}}}, "multipart", "multipart/form-data"),
])
def test_oas3_form_body_that_is_one_file(content, kind, media):
    doc = v3({"/up": {"post": {"requestBody": {"required": True, "content": content}, "responses": OK}}})
    body = sample(doc).body
    assert (body.kind, body.media_type) == (kind, media)
    if kind == "multipart":
        assert [f.name for f in body.fields] == ["file"] and body.fields[0].file is not None


def test_non_empty_leaves_a_value_that_is_not_empty():
    builder = ExampleBuilder(Resolver({}), spec_version="3.0")
    assert builder.non_empty("x", {"type": "string"}, "/s", name="n") == ("x", False)
    assert builder.non_empty(0, {"type": "integer"}, "/s", name="n") == (0, False)
    assert builder.non_empty(["", ""], {"type": "array", "items": {"type": "string", "example": ""}}, "/s",
                             name="n") == (["n"], True)
