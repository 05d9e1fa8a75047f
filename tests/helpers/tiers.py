"""The fast tier's guard: what a test not marked ``live`` may not start (a pytest plugin:
tests/conftest.py takes its hooks; ``-p helpers.tiers`` loads it elsewhere).

Refused: the programs of every language's toolchain (its tools and the program that runs a
sample, from the registry), the compilers and runtimes the live tier uses, Prism (and Node,
which runs it), a Python or shell script run from a file (that is a sample), the recording
server and the Prism judge. Allowed: Python itself (``-c``, ``-m``: the CLI, pip, a second
interpreter for the determinism check) and ``sh -n`` (a syntax check runs nothing).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.languages import REGISTRY

# compilers and runtimes of the live tier besides the registry's, and Prism and its runtime
_ALWAYS = {"mcs", "csc", "mono", "dotnet", "Rscript", "R", "node", "nodejs", "npx", "prism"}
_SHELLS = {"sh", "dash", "bash", "zsh", "ksh"}
_WRAPPERS = {"env", "timeout", "nice", "stdbuf", "xvfb-run"}
LIVE_DIRS = (Path(__file__).resolve().parent.parent / "live",)  # every test in them is live


class StartsALiveTool(AssertionError):
    """Raised in the fast tier when a test starts what only the live tier may start."""


def live_programs() -> frozenset[str]:
    names = set(_ALWAYS)
    for lang in REGISTRY:
        names.update(lang.toolchain.packages)
        if lang.toolchain.command is not None:
            names.add(Path(lang.toolchain.command(Path("sample"))[0]).name)
    # Python and the shells are allowed; what they run is checked by live_reason
    return frozenset(names - _SHELLS - {Path(sys.executable).name})


def _argv(args, shell: bool) -> list[str]:
    if isinstance(args, (str, bytes, os.PathLike)):
        text = os.fsdecode(args)
        return text.split() if shell else [text]
    return [os.fsdecode(a) for a in args]


def _is_python(name: str) -> bool:
    return name == Path(sys.executable).name or name.startswith("python")


def live_reason(args, shell: bool = False) -> str | None:
    """What ``args`` would start that only the live tier may start (None: allowed)."""
    argv = _argv(args, shell)
    i = 0
    while i < len(argv) and Path(argv[i]).name in _WRAPPERS:  # env X=1 timeout 5 prog ...
        i += 1
        while i < len(argv) and (argv[i].startswith("-") or "=" in argv[i] or argv[i].replace(".", "", 1).isdigit()):
            i += 1
    argv = argv[i:]
    if not argv:
        return None
    name, rest = Path(argv[0]).name, argv[1:]
    if name in live_programs():
        return name
    if _is_python(name) or name in _SHELLS:
        while rest:
            arg = rest.pop(0)
            if arg == "-n" and name in _SHELLS:
                return None  # a syntax check: nothing runs
            if arg == "-c":
                return live_reason(rest[0], shell=True) if rest and name in _SHELLS else None
            if arg == "-m":
                return None
            if arg in ("-X", "-W") and _is_python(name):
                rest = rest[1:]
            elif not arg.startswith("-"):
                return f"{name} {arg} (a script run from a file: a sample)"
    return None


def refuse_live_tools(monkeypatch: pytest.MonkeyPatch, nodeid: str) -> None:
    """Make ``subprocess.Popen`` (hence ``run``, ``run_process`` ...), the recording server and
    the Prism judge fail the test with a message naming the marker to add."""
    from generator.verify.prism import PrismJudge
    from generator.verify.recorder import RecordingServer

    def refuse(what: str):
        raise StartsALiveTool(f"{nodeid} starts {what}, which only the live tier may start: "
                              "mark the test @pytest.mark.live")

    real = subprocess.Popen

    class Guarded(real):  # type: ignore[misc, valid-type]
        def __init__(self, args, *rest, **kwargs):
            reason = live_reason(args, bool(kwargs.get("shell")))
            if reason:
                refuse(reason)
            super().__init__(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", Guarded)
    monkeypatch.setattr(RecordingServer, "start", lambda self: refuse("the recording server"))
    monkeypatch.setattr(PrismJudge, "start", lambda self: refuse("Prism"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything under a live directory is live."""
    for item in items:
        if any(d in Path(str(item.path)).parents for d in LIVE_DIRS):
            item.add_marker(pytest.mark.live)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """A test not marked live may start Python (the CLI, pip, ``python -c``) and a shell's
    syntax check, but no compiler, sample, recording server or Prism: not in its setup (the
    fixtures it makes, whatever their scope), its call or its teardown."""
    if item.get_closest_marker("live") is not None:
        yield
        return
    patch = pytest.MonkeyPatch()
    refuse_live_tools(patch, item.nodeid)
    try:
        yield
    finally:
        patch.undo()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """The guard's refusal fails a test even when it is an expected failure (xfail)."""
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is not None and call.excinfo.errisinstance(StartsALiveTool) and hasattr(report, "wasxfail"):
        del report.wasxfail
        report.outcome = "failed"
