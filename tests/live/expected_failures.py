"""Live-tier failures we know about and accept for now: empty is the goal.

Key: (definition id, operation id, target); value: why it fails, and what would fix it.
The definition id is what the live test ids show: ``specs/<file>``, ``real-specs/<file>``
or ``golden/<case>``. An operation id of ``"*"`` covers every operation of that definition
for that target, and a target of ``"*"`` every target.

An entry whose sample passes fails the run ("unexpectedly passed: remove it"), and so does
an entry that names an operation the definition no longer has: the table never goes stale.
"""
from __future__ import annotations

_PRISM_FORM_ARRAYS = (
    "Prism 5.16 reads no array from an application/x-www-form-urlencoded body: topics=billing&topics=support "
    "(the form/explode default of OpenAPI 3) and topics=billing,support are both reported as 'topics must be "
    "array'. The request matches its SampleRequest. Fix: the Prism judge treating form array violations as notes."
)
_PRISM_MULTIPART_JSON = (
    "Prism 5.16 validates each multipart part as a string: the metadata part, an object sent as JSON with its "
    "own Content-Type application/json (as the definition's encoding asks), is reported as 'must be object'. "
    "The request matches its SampleRequest."
)
_PRISM_XML = (
    "Prism 5.16 does not parse XML bodies: the application/xml text is validated as if it were the object of "
    "the schema ('body must be object'). The request matches its SampleRequest."
)

_PRISM_FILE_OBJECT = (
    "Prism 5.16 validates an application/octet-stream body against its schema as if it were JSON: the image "
    "stream of a Swagger 2.0 body parameter declared `{type: object, format: file}` (as ComputerVision's "
    "definitions do) is reported as 'must be object'. The request matches its SampleRequest."
)
_PRISM_SAME_ROUTE = (
    "Prism 5.16 routes on the path alone: of the x-ms-paths keys /custom/models?op=full and "
    "/custom/models?op=summary (one GET each, which is why x-ms-paths exists) it can serve only the first, "
    "so op=summary is reported as not allowed. The request matches its SampleRequest."
)
_PRISM_SLASHES_IN_SEGMENT = (
    "Prism 5.16 matches {resourceId} against one path segment, and the x-ms-skip-url-encoding value "
    "(groups/main...) is sent with its slash as is, so no route matches. The request matches its SampleRequest."
)

EXPECTED_FAILURES: dict[tuple[str, str, str], str] = {}

# Requests that match their SampleRequest exactly but that Prism cannot judge: only a Prism
# violation matching the pattern is waived; any other mismatch still fails the run, and a
# listed violation that no longer occurs fails it too ("stale").
# Key: (definition id, operation id); value: (regular expression of the violation, reason).
PRISM_BLIND_SPOTS: dict[tuple[str, str], tuple[str, str]] = {
    ("golden/oas3-bodies", "sendContactForm"): (r"^prism: body\.topics: .* must be array", _PRISM_FORM_ARRAYS),
    ("golden/oas3-bodies", "uploadImage"): (r"^prism: body\.metadata: .* must be object", _PRISM_MULTIPART_JSON),
    ("golden/oas3-bodies", "createLegacyOrder"): (r"^prism: body: .* must be object", _PRISM_XML),
    # labels=new&labels=used (multi) is read as one item, sizes=0,1 (csv) as a string
    ("golden/swagger2-parameters-all", "addBatchItems"): (
        r"^prism: body\.(labels: .* fewer than 2 items|sizes: .* must be array)", _PRISM_FORM_ARRAYS),
    ("golden/swagger2-empty-values", "AnalyzeImageInStream"): (r"^prism: body: .* must be object",
                                                                _PRISM_FILE_OBJECT),
    ("golden/azure-x-ms-paths", "GetCustomModels"): (r"^prism: query\.op: .* allowed values: full", _PRISM_SAME_ROUTE),
    ("golden/azure-x-ms-paths", "GetResourceStatus"): (r"^prism: path: no operation of the definition matches",
                                                       _PRISM_SLASHES_IN_SEGMENT),
}
