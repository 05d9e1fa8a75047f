"""The targets: which template folder each uses, its filters, and the files it writes."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..model import Operation
from . import csharp, python, r


@dataclass(frozen=True)
class Target:
    name: str
    folder: str  # template folder under templates/
    language: str
    filters: dict[str, Callable]
    description: str
    # (template name, output path) pairs for one operation
    per_operation: Callable[[Operation], list[tuple[str, str]]] = field(repr=False)
    # (template name, output path) pairs written once per generation
    shared: tuple[tuple[str, str], ...] = ()
    run_hint: str = ""
    snippet: str = ""  # the template of the request as a docs page shows it (the program includes it)

    def main_file(self, op: Operation) -> str:
        return self.per_operation(op)[0][1]


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target(
            name="csharp", folder="csharp", language="C#", filters=csharp.FILTERS,
            description="C# with HttpClient (.NET 8 or Mono)",
            per_operation=lambda op: [("program.cs.j2", f"csharp/{op.pascal}/Program.cs"),
                                      ("helpers.cs.j2", f"csharp/{op.pascal}/Helpers.cs"),
                                      ("project.csproj.j2", f"csharp/{op.pascal}/{op.pascal}.csproj")],
            snippet="snippet.cs.j2",
            run_hint="cd csharp/<Name> && dotnet run",
        ),
        Target(
            name="python", folder="python", language="Python", filters=python.FILTERS,
            description="Python 3.9+ with requests",
            per_operation=lambda op: [("program.py.j2", f"python/{op.snake}.py")],
            snippet="snippet.py.j2",
            shared=(("requirements.txt.j2", "python/requirements.txt"),),
            run_hint="pip install -r python/requirements.txt && python python/<name>.py",
        ),
        Target(
            name="python-urllib", folder="python-urllib", language="Python", filters=python.FILTERS,
            description="Python 3.9+ standard library only (urllib)",
            per_operation=lambda op: [("program.py.j2", f"python-urllib/{op.snake}.py")],
            snippet="snippet.py.j2",
            run_hint="python python-urllib/<name>.py",
        ),
        Target(
            name="r", folder="r", language="R", filters=r.FILTERS,
            description="R with httr2 and jsonlite",
            per_operation=lambda op: [("program.R.j2", f"r/{op.snake}.R")],
            snippet="snippet.R.j2",
            run_hint="Rscript r/<name>.R",
        ),
    )
}

DEFAULT_TARGETS = ("csharp", "python", "r")
