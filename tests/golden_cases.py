"""The golden cases: each directory of tests/golden/ is one case.

A case holds `definition.json|yaml` (or a `case.json` whose "definition" names a file relative
to the case, e.g. a bundled definition in specs/), optional generation options in
`case.json` ("base_url", "operations", "lenient", "all_params": generate --all-params), and `expected/`: every file the
generation writes, for every target, plus `model.json`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from generator.api import Options, Result, generate_path, model_json
from generator.languages import TARGETS

GOLDEN = Path(__file__).resolve().parent / "golden"
ALL_TARGETS = tuple(TARGETS)


@dataclass
class Case:
    name: str
    folder: Path
    definition: Path
    options: Options

    @property
    def expected_dir(self) -> Path:
        return self.folder / "expected"

    def generate(self) -> Result:
        return generate_path(self.definition, self.options)

    def actual_files(self) -> dict[str, str]:
        result = self.generate()
        files = dict(result.files)
        files["model.json"] = model_json(result.model)
        return files


def load_case(folder: Path) -> Case:
    config: dict = {}
    config_file = folder / "case.json"
    if config_file.exists():
        config = json.loads(config_file.read_text(encoding="utf-8"))
    if "definition" in config:
        definition = (folder / config["definition"]).resolve()
    else:
        found = sorted(folder.glob("definition.*"))
        if len(found) != 1:
            raise AssertionError(f"{folder}: expected exactly one definition.* file, found {len(found)}")
        definition = found[0]
    options = Options(targets=ALL_TARGETS, base_url=config.get("base_url"),
                      operations=tuple(config.get("operations", ())), lenient=bool(config.get("lenient")),
                      all_params=bool(config.get("all_params")))
    return Case(folder.name, folder, definition, options)


def all_cases() -> list[Case]:
    return [load_case(p) for p in sorted(GOLDEN.iterdir()) if p.is_dir() and not p.name.startswith(".")]
