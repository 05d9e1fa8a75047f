"""Names derived from the definition (operation ids, parameter and scheme names) never give a
reserved word, a collision, or a file path outside the output folder.

For any operationIds (hypothesis, fixed seed) every generated path is relative, has no
``..``, no absolute or drive part, no NUL, no Windows device name (CON, NUL, AUX, COM1...,
checked on the stem, case-insensitively), no component a file system refuses (over 255 bytes,
trailing dot or space), and all paths are unique case-insensitively; C# namespaces and the
Python/R file stems are valid identifiers. Variables made from part and scheme names are
valid identifiers in every language. One fixed hostile definition is compiled with mcs.

Known faults of naming.py / normalize.py are reproduced by strict xfail tests at the end.
"""
from __future__ import annotations

import json
import keyword
import re
from pathlib import PurePosixPath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.api import Options, generate
from generator.errors import SpecError
from generator.naming import UniqueNames, pascal, safe_file_stem, snake
from generator.languages import REGISTRY, TARGETS
from generator.languages.csharp import build_csharp, cs_var
from generator.languages.r import r_var
from generator.verify.runners import require_tools

ALL = tuple(TARGETS)
WINDOWS_DEVICES = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$|clock\$)")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CSHARP_KEYWORDS = set("""
abstract as base bool break byte case catch char checked class const continue decimal default delegate do
double else enum event explicit extern false finally fixed float for foreach goto if implicit in int interface
internal is lock long namespace new null object operator out override params private protected public readonly
ref return sbyte sealed short sizeof stackalloc static string struct switch this throw true try typeof uint
ulong unchecked unsafe ushort using virtual void volatile while
""".split())
R_RESERVED = set("""if else repeat while function for next break TRUE FALSE NULL Inf NaN NA NA_integer_ NA_real_
NA_character_ NA_complex_ in""".split())

HOSTILE_IDS = [
    "", " ", ".", "..", "../../etc/passwd", "/etc/passwd", "C:\\Windows\\system32", "\\\\server\\share",
    "con", "CON", "Con.txt", "nul", "NUL.py", "aux", "prn", "com1", "COM9", "lpt1", "LPT0", "conin$", "CONOUT$",
    "class", "import", "None", "namespace", "System", "Program", "Main", "function", "TRUE",
    "getPet", "GetPet", "get_pet", "get-pet", "GET PET", "getPET", "123", "1abc", "_", "__init__",
    "a b", "a\tb", "a\nb", "é", "日本", "😀", "\u202egnp.exe", "manifest", "README", "requirements",
    "x" * 60, "trailing.", "trailing ", "a:b", "a*b?c", "<script>",
]

_prefixes = st.sampled_from(["con", "CON", "Com", "com", "lpt", "LPT", "nul", "aux", "prn", "class", "../", "/",
                             "C:\\", "", " ", ".", "get", "Get"])
operation_id = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), max_size=30),
    st.sampled_from(HOSTILE_IDS),
    st.tuples(_prefixes, st.text(alphabet="0123456789._-$ /\\", max_size=5)).map("".join),
)


def definition(ids: list[str]) -> dict:
    paths = {}
    for i, op_id in enumerate(ids):
        paths[f"/p{i}"] = {"get": {"operationId": op_id, "responses": {"200": {"description": "ok"}}}}
    return {"openapi": "3.0.3", "info": {"title": "ids", "version": "1"},
            "servers": [{"url": "https://example.invalid"}], "paths": paths}


def known_issue(component: str) -> str | None:
    """Faults reproduced by the strict xfail tests below (drop the rule once they are fixed)."""
    return None


def path_problems(paths: list[str]) -> list[str]:
    problems = []
    seen: dict[str, str] = {}
    for rel in paths:
        if rel in ("README.md", "manifest.json"):
            continue
        if "\0" in rel or "\\" in rel or ":" in rel or rel.startswith("/") or rel != rel.strip():
            problems.append(f"{rel!r}: not a plain relative path")
        parts = PurePosixPath(rel).parts
        if not parts or parts[0] not in ALL:
            problems.append(f"{rel!r}: outside the target folders")
        for part in parts:
            if part in ("", ".", ".."):
                problems.append(f"{rel!r}: has a {part!r} component")
            if part != part.rstrip(". "):
                problems.append(f"{rel!r}: component {part!r} ends with a dot or a space")
            if len(part.encode("utf-8")) > 255:
                problems.append(f"{rel!r}: component longer than 255 bytes")
            stem = part.split(".")[0]
            if WINDOWS_DEVICES.fullmatch(stem) and not known_issue(part):
                problems.append(f"{rel!r}: {part!r} is a Windows device name")
        lower = rel.lower()
        if lower in seen:
            problems.append(f"{rel!r} and {seen[lower]!r} differ only in case")
        seen[lower] = rel
    return problems


def name_problems(result) -> list[str]:
    problems = []
    namespaces = set()
    for rel, text in result.files.items():
        path = PurePosixPath(rel)
        if rel.startswith("csharp/") and path.name == "Program.cs":
            ns = re.search(r"^namespace (\S+)$", text, re.M).group(1)
            if not IDENTIFIER.fullmatch(ns) or ns in CSHARP_KEYWORDS:
                problems.append(f"{rel}: namespace {ns!r} is not a C# identifier")
            if ns in namespaces:
                problems.append(f"{rel}: namespace {ns!r} is used twice")
            namespaces.add(ns)
            if path.parent.name + "Sample" != ns:
                problems.append(f"{rel}: folder and namespace differ")
            if f"<RootNamespace>{ns}</RootNamespace>" not in result.files[f"{path.parent}/{path.parent.name}.csproj"]:
                problems.append(f"{rel}: the project names another namespace")
        if path.suffix in (".py", ".R") and path.name != "requirements.txt":
            if not path.stem.isidentifier() or not IDENTIFIER.fullmatch(path.stem):
                problems.append(f"{rel}: {path.stem!r} is not an identifier")
            # a stem that is a keyword (python/class.py, r/function.R) runs fine as a script
            # and cannot be imported: test_known_keyword_file_names
    return problems


def check_ids(ids: list[str]) -> None:
    result = generate(definition(ids), version="3.0", options=Options(targets=ALL))
    problems = path_problems(list(result.files)) + name_problems(result)
    manifest = json.loads(result.files["manifest.json"])
    assert set(manifest["files"]) == set(result.files)
    assert [op["id"] for op in manifest["operations"]] == [op.id for op in result.model.operations]
    assert len(result.model.operations) == len(ids)
    snakes = [op.snake for op in result.model.operations]
    pascals = [op.pascal for op in result.model.operations]
    assert len({s.lower() for s in snakes}) == len(snakes) and len({p.lower() for p in pascals}) == len(pascals)
    assert not problems, f"operation ids {ids!r}:\n" + "\n".join(problems)


@settings(max_examples=200, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(ids=st.lists(operation_id, min_size=1, max_size=12))
def test_names_from_any_operation_ids_are_safe(ids):
    check_ids(ids)


def test_names_from_hostile_operation_ids_are_safe():
    check_ids(HOSTILE_IDS)


@pytest.mark.live
@pytest.mark.parametrize("language", REGISTRY, ids=lambda lang: lang.name)
def test_hostile_operation_ids_compile(language, tmp_path):
    """Every language's samples of one generation compile (parse) together: its toolchain's
    check (C#: one mcs library, so namespaces must differ; R: parse; curl: sh -n)."""
    require_tools(language.name)
    result = generate(definition(HOSTILE_IDS), version="3.0", options=Options(targets=(language.name,)))
    for rel, text in result.files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    mains = [tmp_path / language.main_file(op) for op in result.model.operations]
    assert len(set(mains)) == len(HOSTILE_IDS)
    assert language.toolchain.check(mains, tmp_path) == ""


@pytest.mark.live
def test_hostile_operation_ids_run_from_one_csharp_library(tmp_path):
    require_tools("csharp")
    result = generate(definition(HOSTILE_IDS), version="3.0", options=Options(targets=("csharp",)))
    programs = []
    for rel, text in result.files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        if rel.endswith("Program.cs"):
            programs.append(path)
    build = build_csharp(programs, tmp_path / "build")
    assert build.dll is not None and not build.errors, build.log[-3000:]
    assert len(set(build.type_names.values())) == len(HOSTILE_IDS)


@pytest.mark.parametrize("raw, snake_name, pascal_name", [
    ("getPetByID", "get_pet_by_id", "GetPetByID"),
    ("../../etc/passwd", "etc_passwd", "EtcPasswd"),
    ("123", "operation_123", "Operation123"),
    ("", "operation", "Operation"),
    ("日本", "operation", "Operation"),
])
def test_naming_functions(raw, snake_name, pascal_name):
    assert snake(raw) == snake_name
    assert pascal(raw) == pascal_name


@pytest.mark.parametrize("name", ["con", "CON", "Nul", "aux", "prn", "com1", "LPT9", "conin", "conout"])
def test_device_names_get_a_suffix(name):
    assert safe_file_stem(name) == name + "_op"
    assert not WINDOWS_DEVICES.fullmatch(safe_file_stem(name, "Op"))


def test_unique_names_ignore_case():
    names = UniqueNames()
    assert [names.take(n) for n in ("a", "A", "a", "a_2")] == ["a", "A_2", "a_3", "a_2_2"]


# -- variables made from part and scheme names ----------------------------------------------------

part_name = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), min_size=1, max_size=20)


@settings(max_examples=100, derandomize=True, deadline=None, database=None)
@given(names=st.lists(part_name, min_size=1, max_size=5, unique=True))
def test_variables_from_part_and_scheme_names_are_identifiers(names):
    props = {n: {"type": "string", "format": "binary"} for n in names}
    schemes = {n: {"type": "apiKey", "in": "header", "name": f"X-Key-{i}"} for i, n in enumerate(names)}
    doc = definition(["upload"])
    doc["paths"]["/p0"] = {"post": {
        "operationId": "upload",
        "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": props}}}},
        "security": [{n: [] for n in names}],
        "responses": {"200": {"description": "ok"}},
    }}
    doc["components"] = {"securitySchemes": schemes}
    # a language may refuse a part name it cannot send (curl's --form: '='), with a SpecError
    refusing = tuple(t for t in ALL if set(TARGETS[t].escaping.part_name_refuses) & set("".join(names)))
    for target in refusing:
        with pytest.raises(SpecError, match="part"):
            generate(doc, version="3.0", options=Options(targets=(target,)))
    result = generate(doc, version="3.0", options=Options(targets=tuple(t for t in ALL if t not in refusing)))
    sample = result.model.operations[0].sample
    env_vars = [f.file.env_var for f in sample.body.fields if f.file] + [p.env_var for p in sample.auth]
    for var in env_vars:
        assert re.fullmatch(r"API_[A-Z0-9_]+", var), var
        for made in (cs_var(var), cs_var(var) + "Name", cs_var(var) + "Bytes"):
            assert IDENTIFIER.fullmatch(made) and made not in CSHARP_KEYWORDS
        assert IDENTIFIER.fullmatch(r_var(var)) and r_var(var) not in R_RESERVED
        assert var.lower().isidentifier() and not keyword.iskeyword(var.lower())
    for field in sample.body.fields:
        assert "/" not in field.file.filename and ".." not in field.file.filename.split(".")[0]
        assert not WINDOWS_DEVICES.fullmatch(field.file.filename.split(".")[0])


# -- known faults, reproduced (strict: a fix makes these fail; then drop them and known_issue) -----

def test_collision_suffix_never_makes_a_device_name():
    result = generate(definition(["com", "COM"]), version="3.0", options=Options(targets=("csharp",)))
    stems = [PurePosixPath(rel).parent.name for rel in result.files if rel.endswith("Program.cs")]
    assert not any(WINDOWS_DEVICES.fullmatch(s) for s in stems), stems


def test_long_operation_id_gives_short_unique_file_names():
    result = generate(definition(["a" * 300]), version="3.0", options=Options(targets=ALL))
    assert not path_problems(list(result.files))


def test_reserved_words_are_not_file_names():
    result = generate(definition(["class", "import", "None", "function"]), version="3.0",
                      options=Options(targets=("python", "r")))
    stems = [PurePosixPath(rel).stem for rel in result.files if rel.endswith((".py", ".R"))]
    assert not any(keyword.iskeyword(s) or s in R_RESERVED for s in stems), stems


def test_part_names_get_distinct_variables():
    doc = definition(["upload"])
    doc["paths"]["/p0"] = {"post": {
        "operationId": "upload",
        "requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {
            "a-b": {"type": "string", "format": "binary"}, "a_b": {"type": "string", "format": "binary"}}}}}},
        "responses": {"200": {"description": "ok"}},
    }}
    sample = generate(doc, version="3.0", options=Options(targets=("csharp",))).model.operations[0].sample
    env_vars = [f.file.env_var for f in sample.body.fields]
    assert len(set(env_vars)) == len(env_vars), env_vars


def test_scheme_names_get_distinct_variables():
    doc = definition(["op"])
    doc["components"] = {"securitySchemes": {
        "k1": {"type": "apiKey", "in": "header", "name": "X-A"},
        "k-2": {"type": "apiKey", "in": "header", "name": "X-B"},
        "k_2": {"type": "apiKey", "in": "header", "name": "X-C"}}}
    doc["paths"]["/p0"]["get"]["security"] = [{"k1": [], "k-2": [], "k_2": []}]
    sample = generate(doc, version="3.0", options=Options(targets=("python",))).model.operations[0].sample
    env_vars = [p.env_var for p in sample.auth]
    assert len(set(env_vars)) == len(env_vars), env_vars


def _r_names_definition(headers=(), parts=()) -> dict:
    doc = definition(["names"])
    op = doc["paths"]["/p0"].pop("get")
    op["parameters"] = [{"name": h, "in": "header", "required": True, "schema": {"type": "string"}, "example": "v"}
                        for h in headers]
    if parts:
        op["requestBody"] = {"content": {"multipart/form-data": {
            "schema": {"type": "object", "properties": {p: {"type": "string"} for p in parts}},
            "example": {p: "v" for p in parts}}}}
    doc["paths"]["/p0"]["post"] = op
    return doc


def _run_r_names(headers, parts):
    from generator.verify.core import verify_generated

    require_tools("r")
    result = generate(_r_names_definition(headers, parts), version="3.0", options=Options(targets=("r",)))
    report = verify_generated(result, "names.json", ["r"], prism=False, behaviours=False, jobs=1)
    assert report.ok, report.format()


@pytest.mark.live
@pytest.mark.parametrize("headers, parts", [([".req"], []), ([".r"], []), ([], [".req"]), ([], ["é" * 300]),
                                            (["X-A"], ["x"])],
                         ids=["header-.req", "header-.r", "part-.req", "part-long-escaped", "plain"])
def test_r_names_from_the_definition_are_passed_as_data(headers, parts):
    """Names httr2 would bind to its own arguments, or that cannot name an argument, go
    through !!!stats::setNames(list(value), name)."""
    _run_r_names(headers, parts)


@pytest.mark.live
@pytest.mark.parametrize("target, value", [
    pytest.param(lang.name, fault.value, id=f"{lang.name}-{fault.value!r}",
                 marks=pytest.mark.xfail(strict=True, reason=fault.reason))
    for lang in REGISTRY for fault in lang.escaping.known_faults if fault.probe == "part_name"])
def test_known_part_name_faults(target, value):
    from generator.verify.core import verify_generated

    require_tools(target)
    result = generate(_r_names_definition([], [value]), version="3.0", options=Options(targets=(target,)))
    report = verify_generated(result, "names.json", [target], prism=False, behaviours=False, jobs=1)
    assert report.ok, report.format()
