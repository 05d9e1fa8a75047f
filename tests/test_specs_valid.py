"""The bundled definitions in specs/ are valid and have the features they exist to exercise."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

SPECS = Path(__file__).resolve().parents[1] / "specs"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def load(path: Path):
    with path.open(encoding="utf-8") as f:
        return json.load(f) if path.suffix == ".json" else yaml.safe_load(f)


def operations(doc):
    for key, item in doc["paths"].items():
        for method in METHODS:
            if method in item:
                yield key, method, item[method]


def by_id(doc):
    return {op["operationId"]: (key, method, op) for key, method, op in operations(doc) if "operationId" in op}


def spec_files():
    return sorted(p for p in SPECS.iterdir() if p.suffix in (".json", ".yaml", ".yml") and ".arazzo." not in p.name)


def test_specs_folder_holds_the_bundled_definitions():
    names = {p.name for p in spec_files()}
    assert {"azureml-adult-income.json", "petstore.yaml", "features-3.1.yaml"} <= names


@pytest.mark.parametrize("path", spec_files(), ids=lambda p: p.name)
def test_every_definition_validates(path):
    doc = load(path)
    validate(doc)
    for key, method, op in operations(doc):
        assert op.get("summary") or op.get("description"), f"{method.upper()} {key} has no summary"


# ----------------------------------------------------------------------------- Azure ML

AZURE_IDS = {
    "execute": ("post", "/execute?api-version=2.0&format=swagger"),
    "submitjob": ("post", "/jobs?api-version=2.0"),
    "startjob": ("post", "/jobs/{jobId}/start?api-version=2.0"),
    "getjobstatus": ("get", "/jobs/{jobId}?api-version=2.0"),
    "canceljob": ("delete", "/jobs/{jobId}?api-version=2.0"),
    "getSwaggerDocument": ("get", "/swagger.json"),
}
ADULT_COLUMNS = [
    "age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation",
    "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week",
    "native-country", "income",
]


@pytest.fixture(scope="module")
def azure():
    return load(SPECS / "azureml-adult-income.json")


def resolve(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        node = doc["definitions"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_azureml_shape(azure):
    assert azure["swagger"] == "2.0"
    assert azure["host"] == "ussouthcentral.services.azureml.net:443"
    assert azure["schemes"] == ["https"]
    base = azure["basePath"]
    assert base.startswith("/workspaces/") and "/services/" in base and "{" not in base
    scheme = azure["securityDefinitions"]
    (name, definition), = scheme.items()
    assert definition == {**definition, "type": "apiKey", "name": "Authorization", "in": "header"}
    assert "Bearer" in definition["description"]
    assert azure["security"] == [{name: []}]


def test_azureml_operations_and_query_string_path_keys(azure):
    ops = by_id(azure)
    assert set(ops) == set(AZURE_IDS)
    for op_id, (method, key) in AZURE_IDS.items():
        assert ops[op_id][:2] == (key, method)
        assert ops[op_id][2]["summary"] and ops[op_id][2]["description"]
    assert sum("?" in key for key in azure["paths"]) == 4
    assert ops["getSwaggerDocument"][2]["security"] == []
    for op_id in ("startjob", "getjobstatus", "canceljob"):
        (param,) = ops[op_id][2]["parameters"]
        assert param["name"] == "jobId" and param["in"] == "path" and param["x-example"]
    assert "parameters" not in ops["startjob"][2] or all(p["in"] != "body" for p in ops["startjob"][2]["parameters"])


def test_azureml_execute_body_and_response(azure):
    _, _, op = by_id(azure)["execute"]
    (body,) = [p for p in op["parameters"] if p["in"] == "body"]
    request = resolve(azure, body["schema"])
    assert set(request["properties"]) == {"Inputs", "GlobalParameters"}
    rows = request["properties"]["Inputs"]["properties"]["input1"]
    assert rows["type"] == "array"
    row = resolve(azure, rows["items"])
    assert list(row["properties"]) == ADULT_COLUMNS
    examples = {k: v["example"] for k, v in row["properties"].items()}
    assert examples["age"] == 39 and examples["fnlwgt"] == 77516 and examples["workclass"] == "State-gov"
    assert examples["income"] == "<=50K"
    for column in ("age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"):
        assert row["properties"][column]["type"] == "integer"
    response = resolve(azure, op["responses"]["200"]["schema"])
    out_row = resolve(azure, response["properties"]["Results"]["properties"]["output1"]["items"])
    assert {"Scored Labels", "Scored Probabilities"} <= set(out_row["properties"])


def test_azureml_batch_definitions(azure):
    ops = by_id(azure)
    (body,) = ops["submitjob"][2]["parameters"]
    batch = resolve(azure, body["schema"])
    assert {"Inputs", "Outputs", "GlobalParameters"} <= set(batch["properties"])
    blob = resolve(azure, batch["properties"]["Inputs"]["properties"]["input1"])
    assert {"ConnectionString", "RelativeLocation"} <= set(blob["properties"])
    connection = blob["properties"]["ConnectionString"]["example"]
    assert "AccountKey=<" in connection, "connection string examples must use a placeholder key"
    assert resolve(azure, ops["submitjob"][2]["responses"]["200"]["schema"])["type"] == "string"
    status = resolve(azure, ops["getjobstatus"][2]["responses"]["200"]["schema"])
    assert status["properties"]["StatusCode"]["enum"] == ["NotStarted", "Running", "Failed", "Cancelled", "Finished"]
    result = resolve(azure, status["properties"]["Results"]["properties"]["output1"])
    assert {"ConnectionString", "RelativeLocation", "BaseLocation", "SasBlobToken"} <= set(result["properties"])
    assert status["properties"]["Details"]["type"] == "string"


# ----------------------------------------------------------------------------- Petstore


@pytest.fixture(scope="module")
def petstore():
    return load(SPECS / "petstore.yaml")


def test_petstore_servers_and_security(petstore):
    assert petstore["openapi"] == "3.0.3"
    (server,) = petstore["servers"]
    assert server["url"] == "https://{environment}.petstore.example.com/v1"
    env = server["variables"]["environment"]
    assert env["default"] in env["enum"]
    schemes = petstore["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert schemes["apiKeyQuery"] == {**schemes["apiKeyQuery"], "type": "apiKey", "in": "query"}
    assert petstore["security"] == [{"bearerAuth": []}]
    assert {"apiKeyQuery": []} in by_id(petstore)["getPetById"][2]["security"]


def test_petstore_operations(petstore):
    ops = by_id(petstore)
    assert {"listPets", "createPet", "getPetById", "updatePet", "deletePet", "uploadPetImage"} <= set(ops)
    assert any("operationId" not in op for _, _, op in operations(petstore)), "one operation has no operationId"

    params = {p["name"]: p for p in ops["listPets"][2]["parameters"]}
    assert params["limit"]["schema"]["type"] == "integer" and "example" in params["limit"]
    assert params["tags"]["schema"]["type"] == "array" and params["tags"]["style"] == "form"
    assert params["tags"]["explode"] is True
    status = params["status"]["schema"]
    status = petstore["components"]["schemas"][status["$ref"].rsplit("/", 1)[1]] if "$ref" in status else status
    assert status["enum"]

    assert ops["createPet"][2]["requestBody"] == {"$ref": "#/components/requestBodies/PetBody"}
    path_item = petstore["paths"]["/pets/{petId}"]
    (pet_id,) = path_item["parameters"]
    assert pet_id["in"] == "path" and pet_id["schema"]["type"] == "integer"
    assert ops["updatePet"][1] == "put" and ops["deletePet"][1] == "delete"
    (request_id,) = ops["deletePet"][2]["parameters"]
    assert request_id["name"] == "X-Request-ID" and request_id["in"] == "header"
    assert request_id["schema"]["format"] == "uuid"

    multipart = ops["uploadPetImage"][2]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert multipart["properties"]["file"] == {**multipart["properties"]["file"], "type": "string", "format": "binary"}
    assert multipart["properties"]["description"]["type"] == "string"


def test_petstore_schemas(petstore):
    schemas = petstore["components"]["schemas"]
    pet = schemas["Pet"]["properties"]
    assert pet["id"]["readOnly"] is True
    assert pet["category"]["type"] == "object" and pet["category"]["properties"]
    assert pet["tags"]["type"] == "array"
    assert any(p.get("nullable") for p in pet.values())
    assert any(p.get("format") == "date-time" for p in pet.values())
    assert schemas["Category"]["properties"]["parent"] == {"$ref": "#/components/schemas/Category"}
    recursive = [op for _, _, op in operations(petstore) if "Category" in json.dumps(op.get("responses", {}))]
    assert recursive, "some operation returns the recursive Category schema"


# ----------------------------------------------------------------------------- OpenAPI 3.1


@pytest.fixture(scope="module")
def features():
    return load(SPECS / "features-3.1.yaml")


def walk(node):
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def test_features_31(features):
    assert features["openapi"] == "3.1.0"
    assert "jsonSchemaDialect" not in features
    assert features["webhooks"]
    nodes = [n for n in walk(features["paths"]) if isinstance(n, dict)] + [
        n for n in walk(features["components"]) if isinstance(n, dict)]
    assert any(n.get("type") == ["string", "null"] for n in nodes)
    assert any(isinstance(n.get("examples"), list) and "type" in n for n in nodes)
    assert any("const" in n for n in nodes)

    schemes = features["components"]["securitySchemes"]
    kinds = {(s["type"], s.get("scheme") or s.get("in")) for s in schemes.values()}
    assert {("http", "basic"), ("apiKey", "header")} <= kinds
    ops = [op for _, _, op in operations(features)]
    used = {name for op in ops for req in op.get("security", []) for name in req}
    assert {"basicAuth", "apiKeyHeader"} <= used
    assert any(op.get("security") == [] for op in ops)
    assert any(p.get("in") == "cookie" for op in ops for p in op.get("parameters", []))
    media = {m for op in ops for m in op.get("requestBody", {}).get("content", {})}
    assert {"application/x-www-form-urlencoded", "text/plain", "application/octet-stream"} <= media
