"""Python standard library only (urllib): the filters, toolchain and escaping driver are
Python's (generator/languages/python.py)."""
from __future__ import annotations

import re

from . import EscapingDriver, Language, Safety, Toolchain
from . import python


def timeout_problems(text: str, code: str) -> list[str]:
    found = python.calls(text, lambda f: getattr(f, "attr", getattr(f, "id", "")) == "urlopen")
    problems = [] if found else ["no urlopen call"]
    problems += [f"{c.lineno}: urlopen without timeout="
                 for c in found if not any(k.arg == "timeout" for k in c.keywords)]
    if re.search(r"\b(import|from) (requests|http\.client)\b", code):
        problems.append("a second HTTP client")
    return problems


LANGUAGE = Language(
    name="python-urllib", label="Python", description="Python 3.9+ standard library only (urllib)",
    folder="python-urllib", info_string="python", filters=python.FILTERS,
    per_operation=lambda op: [("program.py.j2", f"python-urllib/{op.snake}.py")],
    snippet="snippet.py.j2", script_snippet=True,
    workflow="workflow.py.j2",
    workflow_files=lambda wf: [("workflow.py.j2", f"python-urllib/{wf.snake}.py")],
    run_hint="python python-urllib/<name>.py",
    toolchain=Toolchain(command=python.command, check=python.check, missing=lambda: []),
    safety=Safety(
        timeout_problems=timeout_problems, tls_off=python.TLS_OFF, reads_env=python.READS_ENV, local=str.lower,
        program_start="def main(", sends=r"urlopen\(|fetch_token\(", exits_2=r"exit\(2\)",
        mutations=(("tls", "import json",
                    "import json, ssl\nssl._create_default_https_context = ssl._create_unverified_context"),
                   ("timeout", ", timeout=TIMEOUT_SECONDS", "")),
    ),
    escaping=EscapingDriver(run_batch=python.run_batch, check_text=python.check_text, base_url=python.base_url),
)
