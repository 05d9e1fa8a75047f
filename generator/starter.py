"""``samplegen init``: a commented starter configuration file (generator.config) for the
definitions found in ``specs/``."""
from __future__ import annotations

import json
from pathlib import Path


def discover(folder: Path) -> list[Path]:
    """The definitions in ``folder/specs``: JSON or YAML files with a top-level ``swagger`` or
    ``openapi`` key, in name order."""
    import yaml

    found = []
    specs = folder / "specs"
    candidates = sorted(p for p in specs.glob("*") if p.suffix.lower() in (".json", ".yaml", ".yml")) \
        if specs.is_dir() else []
    for candidate in candidates:
        try:
            text = candidate.read_text(encoding="utf-8")
            data = json.loads(text) if candidate.suffix.lower() == ".json" else \
                yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError):
            continue
        if isinstance(data, dict) and ("swagger" in data or "openapi" in data):
            found.append(candidate)
    return found


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string


_OPTIONAL_SETTINGS = [
    '# formats = ["programs"]                # programs: the samples; markdown, mkdocs, redoc, html: docs',
    '# docs_output = "docs/api"              # the docs formats\' folder (default: output/docs)',
    '# base_url = "https://api.example.com"  # as --base-url',
    '# auth_prefix = "Bearer "               # as --auth-prefix',
    '# templates = "templates-local"         # as --templates (one folder or a list)',
    '# include_tags = ["public"]             # as --tag',
    '# exclude_tags = ["internal"]           # as --exclude-tag',
    '# exclude_operations = ["getHealth"]    # as --exclude-operation',
    "# lenient = false                       # as --lenient",
]


def starter(definitions: list[Path], folder: Path) -> str:
    """A commented configuration file with one entry per definition (relative to ``folder``)."""
    from .languages import DEFAULT_TARGETS, TARGETS

    out = [
        "# samplegen configuration: `samplegen generate` (no DEFINITION) runs every [[api]] entry,",
        "# `samplegen generate --check` checks them all, `--api NAME` picks one.",
        "# Paths are relative to this file. Options given on the command line override these.",
        "",
    ]
    if not definitions:
        out += ["# No definitions were found in specs/: fill in the entry below.", ""]
        definitions = [folder / "specs" / "api.yaml"]
    taken: set[str] = set()
    for definition in definitions:
        rel = definition.relative_to(folder).as_posix()
        name = definition.stem
        n = 2
        while name in taken:
            name, n = f"{definition.stem}-{n}", n + 1
        out += [
            "[[api]]",
            f"name = {_toml_string(name)}  # for --api NAME",
            f"definition = {_toml_string(rel)}",
            f"output = {_toml_string('samples/' + name)}",
            f"targets = [{', '.join(_toml_string(t) for t in DEFAULT_TARGETS)}]"
            f"  # known: {', '.join(TARGETS)}",
        ]
        if not taken:  # the other settings, once
            out += _OPTIONAL_SETTINGS
        out.append("")
        taken.add(name)
    return "\n".join(out)
