"""Normalization of small inline definitions: the SampleRequest each operation gets."""
from __future__ import annotations

import pytest

from helpers.documents import messages, op, run, sample, v2, v3

REPLACED = "a value built from the schema is sent instead"


# -- declared examples that contradict their schema ---------------------------------------------------
def test_oas3_parameter_example_contradicting_its_schema_is_replaced():
    doc = v3({"/items": {"get": {"parameters": [
        {"name": "limit", "in": "query", "required": True, "example": "all",
         "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
        {"name": "id", "in": "header", "required": True, "example": "42",
         "schema": {"type": "string", "format": "uuid"}}],
        "responses": {"200": {"description": "ok"}}}}})
    s, diags = sample(doc), run(doc)[1]
    assert s.query == [("limit", "1")]
    assert s.headers == [("id", "3fa85f64-5717-4562-b3fc-2c963f66afa6")]
    assert [d.location for d in diags] == ["spec.yaml#/paths/~1items/get/parameters/0/example",
                                           "spec.yaml#/paths/~1items/get/parameters/1/example"]
    assert all(REPLACED in m for m in messages(diags))


def test_oas3_parameter_examples_map_checked():
    doc = v3({"/items": {"get": {"parameters": [
        {"name": "sort", "in": "query", "required": True, "schema": {"type": "string", "enum": ["asc", "desc"]},
         "examples": {"bad": {"value": "up"}}}],
        "responses": {"200": {"description": "ok"}}}}})
    model, diags = run(doc)
    assert model.operations[0].sample.query == [("sort", "asc")]
    assert diags[0].location == "spec.yaml#/paths/~1items/get/parameters/0/examples/bad/value"


def test_optional_parameter_with_a_bad_example_is_still_sent():
    doc = v3({"/items": {"get": {"parameters": [
        {"name": "since", "in": "query", "example": "yesterday", "schema": {"type": "string", "format": "date"}}],
        "responses": {"200": {"description": "ok"}}}}})
    assert sample(doc).query == [("since", "2024-01-15")]


def test_schema_level_parameter_example_replaced():
    doc = v3({"/items": {"get": {"parameters": [
        {"name": "page", "in": "query", "required": True,
         "schema": {"type": "integer", "minimum": 1, "example": 0}}],
        "responses": {"200": {"description": "ok"}}}}})
    assert sample(doc).query == [("page", "1")]


def test_swagger2_x_example_and_default_checked():
    doc = v2({"/items": {"get": {"parameters": [
        {"name": "limit", "in": "query", "type": "integer", "maximum": 100, "x-example": 500},
        {"name": "order", "in": "query", "type": "string", "enum": ["asc", "desc"], "default": "ascending"}],
        "responses": {"200": {"description": "ok"}}}}})
    model, diags = run(doc)
    assert model.operations[0].sample.query == [("limit", "0"), ("order", "asc")]
    assert [d.location.rsplit("/", 1)[-1] for d in diags] == ["x-example", "default"]
    assert messages(diags)[1].startswith("default does not match its schema (")


def test_media_type_example_repaired_and_property_examples_checked():
    doc = v3({"/pets": {"post": {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"type": "object", "required": ["name", "age"], "properties": {
            "name": {"type": "string", "example": "Rex"},
            "age": {"type": "integer", "minimum": 0, "example": -3},
            "born": {"type": "string", "format": "date", "example": "2020-02-02"}}},
        "example": {"name": "Rex", "age": "three"}}}},
        "responses": {"201": {"description": "ok"}}}}})
    model, diags = run(doc)
    # the declared example keeps its valid "name"; "age" is built, and its own bad example skipped
    assert model.operations[0].sample.body.json == {"name": "Rex", "age": 0}
    assert [d.location for d in diags] == [
        "spec.yaml#/paths/~1pets/post/requestBody/content/application~1json/example",
        "spec.yaml#/paths/~1pets/post/requestBody/content/application~1json/schema/properties/age/example"]
    assert messages(diags)[0].endswith("(the parts that match are kept)")


def test_media_type_example_replaced_whole_when_nothing_can_be_kept():
    doc = v3({"/pets": {"post": {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"type": "object", "properties": {
            "born": {"type": "string", "format": "date", "example": "2020-02-02"}}},
        "example": ["not", "an", "object"]}}},
        "responses": {"201": {"description": "ok"}}}}})
    model, diags = run(doc)
    assert model.operations[0].sample.body.json == {"born": "2020-02-02"}
    assert messages(diags)[0].endswith("a value built from the schema is sent instead")


def test_media_type_example_kept_when_the_schema_cannot_be_met():
    doc = v3({"/pets": {"post": {"requestBody": {"content": {"application/json": {
        "schema": {"type": "string", "minLength": 4, "maxLength": 2}, "example": "abc"}}},
        "responses": {"201": {"description": "ok"}}}}})
    model, diags = run(doc)
    assert model.operations[0].sample.body.json == "abc"
    assert len(diags) == 1 and messages(diags)[0].startswith("example does not match its schema: ")


def test_swagger2_body_parameter_example_replaced():
    doc = v2({"/pets": {"post": {"consumes": ["application/json"], "parameters": [
        {"name": "body", "in": "body", "required": True, "x-examples": {"application/json": {"id": "x"}},
         "schema": {"type": "object", "properties": {"id": {"type": "integer"}}}}],
        "responses": {"200": {"description": "ok"}}}}})
    assert sample(doc).body.json == {"id": 0}


def test_swagger2_form_field_example_replaced():
    doc = v2({"/pets": {"post": {"consumes": ["application/x-www-form-urlencoded"], "parameters": [
        {"name": "age", "in": "formData", "type": "integer", "x-example": "old", "required": True}],
        "responses": {"200": {"description": "ok"}}}}})
    assert [(f.name, f.value) for f in sample(doc).body.fields] == [("age", "0")]


def test_oas3_form_property_example_replaced():
    doc = v3({"/pets": {"post": {"requestBody": {"content": {"application/x-www-form-urlencoded": {
        "schema": {"type": "object", "properties": {
            "email": {"type": "string", "format": "email", "example": "nobody"}}}}}},
        "responses": {"200": {"description": "ok"}}}}})
    assert [(f.name, f.value) for f in sample(doc).body.fields] == [("email", "user@example.com")]


def test_content_parameter_example_located_at_its_media_type():
    doc = v3({"/items": {"get": {"parameters": [
        {"name": "filter", "in": "query", "required": True, "content": {"application/json": {
            "schema": {"type": "object", "properties": {"n": {"type": "integer"}}},
            "example": {"n": "x"}}}}],
        "responses": {"200": {"description": "ok"}}}}})
    model, diags = run(doc)
    assert model.operations[0].sample.query == [("filter", '{"n":0}')]
    assert diags[0].location == "spec.yaml#/paths/~1items/get/parameters/0/content/application~1json/example"


# -- Swagger 2.0 forms ---------------------------------------------------------------------------------
def test_swagger2_form_consumes_with_charset_is_the_same_type():
    doc = v2({"/pets": {"post": {"consumes": ["application/x-www-form-urlencoded; charset=utf-8"],
                                 "parameters": [{"name": "n", "in": "formData", "type": "string",
                                                 "required": True}],
                                 "responses": {"200": {"description": "ok"}}}}})
    body = sample(doc).body
    assert body.media_type == "application/x-www-form-urlencoded" and body.other_media_types == []


# -- locations ------------------------------------------------------------------------------------------
def test_path_item_reference_locations_are_the_targets():
    doc = v3({"/things": {"$ref": "#/components/pathItems/Things"}}, "3.1.0", components={"pathItems": {"Things": {
        "parameters": [{"name": "v", "in": "query", "required": True, "example": "x",
                        "schema": {"type": "integer"}}],
        "get": {"operationId": "listThings", "responses": {"200": {"description": "ok"}}}}}})
    operation, diags = op(doc)
    assert operation.location == "/components/pathItems/Things/get"
    assert operation.sample.query == [("v", "0")]
    assert diags[0].location == "spec.yaml#/components/pathItems/Things/parameters/0/example"


# -- security -----------------------------------------------------------------------------------------
SCHEMES = {"components": {"securitySchemes": {
    "digest": {"type": "http", "scheme": "digest"},
    "key": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
    "qkey": {"type": "apiKey", "in": "query", "name": "api_key"},
    "ckey": {"type": "apiKey", "in": "cookie", "name": "sid"},
    "bearer": {"type": "http", "scheme": "bearer"},
    "tls": {"type": "mutualTLS"}}}}


def secured(security, parameters=(), version="3.0.3"):
    operation = {"operationId": "x", "security": security, "parameters": list(parameters),
                 "responses": {"200": {"description": "ok"}}}
    return v3({"/x": {"get": operation}}, version, **SCHEMES)


def test_first_alternative_the_samples_can_send_is_chosen():
    s = sample(secured([{"digest": []}, {"qkey": []}]))
    assert [(a.kind, a.name) for a in s.auth] == [("api_key_query", "api_key")]
    assert s.auth_alternatives == ["digest"]
    s = sample(secured([{"tls": []}, {"key": [], "ckey": []}], version="3.1.0"))
    assert [a.kind for a in s.auth] == ["api_key_header", "api_key_cookie"]
    assert [a.env_var for a in s.auth] == ["API_KEY", "API_KEY_CKEY"]


def test_unknown_http_scheme_alone_goes_as_bearer_with_a_warning():
    operation, diags = op(secured([{"digest": []}]))
    assert [a.kind for a in operation.sample.auth] == ["bearer"]
    assert "sent as a bearer token" in messages(diags)[0]


def test_parameter_that_is_the_credential_is_not_sent_twice():
    params = [{"name": "x-api-key", "in": "header", "required": True, "schema": {"type": "string"}},
              {"name": "api_key", "in": "query", "required": True, "schema": {"type": "string"}},
              {"name": "sid", "in": "cookie", "required": True, "schema": {"type": "string"}}]
    s = sample(secured([{"key": [], "ckey": []}], params))
    assert s.headers == [] and s.cookies == [] and s.query == [("api_key", "string")]
    assert s.notes == ["The header parameter 'x-api-key' carries the credential: the sample sends it from API_KEY.",
                       "The cookie parameter 'sid' carries the credential: the sample sends it from API_KEY_CKEY."]


def test_required_authorization_header_parameter_is_a_credential():
    param = {"name": "Authorization", "in": "header", "required": True, "schema": {"type": "string"},
             "example": "Token 0123abcd"}
    s = sample(v3({"/x": {"get": {"parameters": [param], "responses": {"200": {"description": "ok"}}}}}))
    assert [(a.kind, a.name, a.prefix, a.env_var) for a in s.auth] == [
        ("api_key_header", "Authorization", "Token ", "API_KEY")]
    assert s.headers == []
    # without an example: the apiKey prefix option; with a security scheme: that scheme alone
    del param["example"]
    s = sample(v3({"/x": {"get": {"parameters": [param], "responses": {"200": {"description": "ok"}}}}}),
               auth_header_prefix="Key ")
    assert [a.prefix for a in s.auth] == ["Key "]
    assert [a.kind for a in sample(secured([{"bearer": []}], [param])).auth] == ["bearer"]
    optional = dict(param, required=False)
    assert sample(v3({"/x": {"get": {"parameters": [optional], "responses": {"200": {"description": "ok"}}}}})).auth == []


# -- media types ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("declared, sent, kind", [
    ("*/*", "application/json", "json"),
    ("application/*", "application/json", "json"),
    ("text/*", "text/plain", "text"),
    ("image/*", "image/png", "binary"),
])
def test_media_range_sends_a_concrete_type(declared, sent, kind):
    doc = v3({"/x": {"post": {"requestBody": {"content": {declared: {"schema": {"type": "string"}}}},
                              "responses": {"200": {"description": "ok"}}}}})
    body = sample(doc).body
    assert (body.media_type, body.kind) == (sent, kind)


def test_oas3_form_with_charset_sends_the_bare_form_type():
    doc = v3({"/x": {"post": {"requestBody": {"content": {
        "application/x-www-form-urlencoded; charset=utf-8": {
            "schema": {"type": "object", "properties": {"a": {"type": "integer"}}}}}},
        "responses": {"200": {"description": "ok"}}}}})
    body = sample(doc).body
    assert body.media_type == "application/x-www-form-urlencoded" and body.other_media_types == []
    assert [(f.name, f.value) for f in body.fields] == [("a", "0")]


def test_parameter_examples_written_as_text_are_read_as_their_type():
    doc = v2({"/x": {"get": {"parameters": [
        {"name": "limit", "in": "query", "type": "integer", "maximum": 50, "x-example": "25"},
        {"name": "ratio", "in": "query", "type": "number", "x-example": "0.5"},
        {"name": "on", "in": "header", "type": "boolean", "x-example": "true"},
        {"name": "ids", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "pipes",
         "x-example": "3|5"},
        {"name": "big", "in": "query", "type": "integer", "maximum": 50, "x-example": "99"}],
        "responses": {"200": {"description": "ok"}}}}})
    model, diags = run(doc)
    s = model.operations[0].sample
    assert s.query == [("limit", "25"), ("ratio", "0.5"), ("ids", "3|5"), ("big", "0")]
    assert s.headers == [("on", "true")]
    assert [d.location.rsplit("/", 2)[-2] for d in diags] == ["4"]


def test_schema_examples_of_parameters_and_form_fields_read_as_their_type():
    doc = v3({"/x": {"post": {"parameters": [
        {"name": "page", "in": "query", "required": True, "schema": {"type": "integer", "example": "3"}}],
        "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
            "n": {"type": "number", "example": "2.5"}}}}}},
        "responses": {"200": {"description": "ok"}}}}})
    model, diags = run(doc)
    s = model.operations[0].sample
    assert s.query == [("page", "3")] and [(f.name, f.value) for f in s.body.fields] == [("n", "2.5")]
    assert diags == []
    # in a JSON body the same example is a string where a number belongs: replaced
    doc = v3({"/x": {"post": {"requestBody": {"content": {"application/json": {"schema": {
        "type": "object", "properties": {"n": {"type": "number", "example": "2.5"}}}}}},
        "responses": {"200": {"description": "ok"}}}}})
    assert sample(doc).body.json == {"n": 0}


def test_optional_body_of_get_and_empty_optional_form_are_not_sent():
    form = {"content": {"application/x-www-form-urlencoded": {
        "schema": {"type": "object", "additionalProperties": False, "properties": {}}}}}
    doc = v3({"/x": {"get": {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                             "responses": {"200": {"description": "ok"}}},
                     "post": {"requestBody": form, "responses": {"200": {"description": "ok"}}},
                     "put": {"requestBody": dict(form, required=True), "responses": {"200": {"description": "ok"}}}}})
    model, _ = run(doc)
    get, post, put = model.operations
    assert get.body is not None and get.sample.body is None
    assert get.sample.notes == ["The operation also takes an optional application/json request body; the sample sends none."]
    assert post.sample.body is None
    assert put.sample.body is not None and put.sample.body.fields == []


def test_enum_prefers_a_value_that_is_not_empty():
    doc = v3({"/x": {"get": {"parameters": [
        {"name": "tax", "in": "query", "required": True, "schema": {"type": "string", "enum": ["", "exempt"]}},
        {"name": "only", "in": "query", "required": True, "schema": {"type": "string", "enum": [""]}}],
        "responses": {"200": {"description": "ok"}}}}})
    assert sample(doc).query == [("tax", "exempt"), ("only", "")]


def test_parameter_one_of_prefers_a_scalar_branch():
    doc = v3({"/x": {"get": {"parameters": [
        {"name": "created", "in": "query", "required": True, "style": "deepObject", "explode": True,
         "schema": {"anyOf": [{"type": "object", "properties": {"gt": {"type": "integer"}}}, {"type": "integer"}]}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "anyOf": [{"type": "object", "properties": {"gt": {"type": "integer"}}}, {"type": "integer"}]}}}},
        "responses": {"200": {"description": "ok"}}}}})
    s = sample(doc)
    assert s.query == [("created", "0")]
    assert s.body.json == {"gt": 0}  # bodies keep the first branch


def test_read_only_properties_of_declared_examples_are_not_sent():
    pet = {"type": "object", "additionalProperties": False, "required": ["id", "name"], "properties": {
        "id": {"type": "integer", "readOnly": True}, "name": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "integer", "readOnly": True}, "label": {"type": "string"}}}}}}
    doc = v3({"/pets": {"post": {"requestBody": {"required": True, "content": {"application/json": {
        "schema": pet, "example": {"id": 10, "name": "Rex", "tags": [{"id": 1, "label": "good"}]}}}},
        "responses": {"200": {"description": "ok"}}}}})
    model, diags = run(doc)
    assert model.operations[0].sample.body.json == {"name": "Rex", "tags": [{"label": "good"}]}
    assert diags == []


def test_optional_urlencoded_array_without_example_or_encoding_is_left_out():
    props = {"Sid": {"type": "string"}, "Tags": {"type": "array", "items": {"type": "string"}},
             "Events": {"type": "array", "items": {"type": "string"}, "example": ["start", "end"]},
             "Ids": {"type": "array", "items": {"type": "integer"}},
             "Need": {"type": "array", "items": {"type": "string"}}}
    doc = v3({"/x": {"post": {"requestBody": {"content": {"application/x-www-form-urlencoded": {
        "schema": {"type": "object", "required": ["Need"], "properties": props},
        "encoding": {"Ids": {"style": "form", "explode": False}}}}},
        "responses": {"200": {"description": "ok"}}}}})
    s = sample(doc)
    assert [(f.name, f.value) for f in s.body.fields] == [
        ("Sid", "Sid"), ("Events", "start"), ("Events", "end"), ("Ids", "0"), ("Need", "Need")]
    assert s.notes == ["The optional form field 'Tags' (an array) is not sent; add it in the way the server reads it."]


def test_declared_accept_parameter_picks_among_the_offered_types():
    def accept_of(enum, produces):
        doc = v2({"/x": {"get": {"produces": produces, "parameters": [
            {"name": "Accept", "in": "header", "type": "string", "required": True, "enum": enum}],
            "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}}}})
        return dict(sample(doc).headers)["Accept"]
    assert accept_of(["application/vnd.x.v2+json"], ["application/json", "application/vnd.x.v2+json"]) == \
        "application/vnd.x.v2+json"
    # a value the response does not offer would be refused: the offered choice stays
    assert accept_of(["text/html"], ["application/json"]) == "application/json"


def test_variables_stay_distinct_when_names_differ_only_in_punctuation():
    doc = v3({"/x": {"post": {"security": [{"key": [], "k-2": [], "k_2": []}], "requestBody": {"content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "a-b": {"type": "string", "format": "binary"}, "a_b": {"type": "string", "format": "binary"}}}}}},
        "responses": {"200": {"description": "ok"}}}}},
        components={"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-A"},
                                        "k-2": {"type": "apiKey", "in": "header", "name": "X-B"},
                                        "k_2": {"type": "apiKey", "in": "header", "name": "X-C"}}})
    s = sample(doc)
    assert [p.env_var for p in s.auth] == ["API_KEY", "API_KEY_K_2", "API_KEY_K_2_2"]
    assert [f.file.env_var for f in s.body.fields] == ["API_FILE_A_B", "API_FILE_A_B_2"]
