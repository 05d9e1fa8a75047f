"""Run generated samples: one process per sample, a timeout on each, an explicit environment.

How a sample of a language runs (and whether a batch of them is built first, as C#'s one
``mcs`` call) is the language's toolchain: ``generator/languages/<name>.py``.

A sample never inherits the caller's environment: it gets PATH, HOME, LANG=C.UTF-8 and
exactly what the caller passes, so no real secret or proxy setting can leak into a run.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "RunResult",
    "base_env",
    "run_process",
    "missing_tools",
    "install_hint",
    "require_tools",
    "sample_command",
]


@dataclass
class RunResult:
    command: list[str]
    returncode: int | None  # None when the process was killed on timeout
    stdout: str
    stderr: str
    timed_out: bool = False
    duration: float = 0.0

    def tail(self, n: int = 1500) -> str:
        text = self.stderr.strip() or self.stdout.strip()
        return text[-n:]


def base_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """A minimal environment: PATH, HOME, LANG, plus ``extra`` (nothing else is inherited)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for key in ("SYSTEMROOT", "TMPDIR"):  # harmless, and some runtimes need them
        if key in os.environ:
            env[key] = os.environ[key]
    if extra:
        env.update(extra)
    return env


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        try:
            proc.kill()
        except ProcessLookupError:
            pass


def run_process(
    command: list[str],
    env: dict[str, str],
    timeout: float = 60,
    cwd: str | os.PathLike | None = None,
    stdin: bytes | None = None,
) -> RunResult:
    """Run ``command`` in its own process group; kill the whole group when it times out."""
    start = time.monotonic()
    proc = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    timed_out = False
    try:
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_group(proc)
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:  # pipes held open by a stray grandchild
            out, err = b"", b""
    else:
        # a sample may leave children behind; never let them outlive the run
        try:
            os.killpg(proc.pid, 0)
        except (ProcessLookupError, PermissionError):
            pass
        else:
            _kill_group(proc)
    return RunResult(
        command=[str(c) for c in command],
        returncode=None if timed_out else proc.returncode,
        stdout=out.decode("utf-8", errors="replace"),
        stderr=err.decode("utf-8", errors="replace"),
        timed_out=timed_out,
        duration=time.monotonic() - start,
    )


# -- tools -----------------------------------------------------------------------------------


def missing_tools(target: str) -> list[str]:
    """What this machine lacks to run samples of ``target`` (empty: ready)."""
    from ..languages import get

    return get(target).missing_tools()


def install_hint(target: str, tools: list[str] | None = None) -> str:
    from ..languages import get

    return get(target).toolchain.install


def require_tools(targets: str | list[str] | tuple[str, ...]) -> None:
    """In a test: fail (under CI=true) or skip when a tool a target needs is missing."""
    import pytest

    from ..languages import get

    if isinstance(targets, str):
        targets = [targets]
    problems = []
    for target in targets:
        missing = missing_tools(target)
        if missing:
            known = get(target).toolchain.packages
            packages = ", ".join(f"{m} ({known[m]})" if m in known else m for m in missing)
            problems.append(f"{target}: missing {packages}; install with: {install_hint(target)}")
    if not problems:
        return
    message = "tools needed by the live tests are missing:\n  " + "\n  ".join(problems)
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def sample_command(target: str, file: Path, build: Any = None) -> list[str]:
    """The command that runs one sample; ``build``: the batch build of its language, if any."""
    from ..languages import get

    language = get(target)
    if build is not None:
        return build.command(file)
    if language.toolchain.command is None:
        raise RuntimeError(f"{target} samples must be built first (its toolchain's build)")
    return language.toolchain.command(file)
