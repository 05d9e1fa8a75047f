"""The request grid: tests/grid/<fixture>/definition.yaml is one tiny definition per request
feature (one operation), and tests/grid/<fixture>/expected/ holds the program every language of
the registry writes for it, so that a change to one feature shows in a few files."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.api import Options, generate_path
from generator.languages import REGISTRY

GRID = Path(__file__).resolve().parent.parent / "grid"


@dataclass(frozen=True)
class Fixture:
    name: str
    folder: Path

    @property
    def definition(self) -> Path:
        return self.folder / "definition.yaml"

    @property
    def expected_dir(self) -> Path:
        return self.folder / "expected"

    def main_files(self) -> dict[str, str]:
        """{path of each language's main file: its text}, for every language of the registry."""
        result = generate_path(self.definition, Options(targets=tuple(lang.name for lang in REGISTRY)))
        [op] = result.model.operations
        return {lang.main_file(op): result.files[lang.main_file(op)] for lang in REGISTRY}


def fixtures() -> list[Fixture]:
    return [Fixture(p.name, p) for p in sorted(GRID.iterdir()) if (p / "definition.yaml").is_file()]
