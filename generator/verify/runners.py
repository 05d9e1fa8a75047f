"""Run generated samples: one process per sample, a timeout on each, an explicit environment.

- python / python-urllib: ``<this python> <file>``
- r: ``Rscript <file>``
- csharp: every Program.cs of a generation (with the Helpers.cs beside it) is compiled in
  ONE ``mcs -target:library`` call
  into ``samples.dll`` (each sample has its own namespace), next to a small ``runner.exe``
  that loads the library, calls ``<Namespace>.Program.Main`` through reflection, flushes
  the console and exits with Main's code (mono can stall after Main returns otherwise).

A sample never inherits the caller's environment: it gets PATH, HOME, LANG=C.UTF-8 and
exactly what the caller passes, so no real secret or proxy setting can leak into a run.
"""
from __future__ import annotations

import functools
import glob
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "TARGETS",
    "RunResult",
    "base_env",
    "run_process",
    "missing_tools",
    "install_hint",
    "require_tools",
    "CSharpBuild",
    "build_csharp",
    "sample_command",
]

TARGETS = ("csharp", "python", "python-urllib", "r")

# tool -> Debian package(s) that provide it
_PACKAGES = {
    "mcs": "mono-mcs",
    "mono": "mono-runtime",
    "System.Net.Http.dll": "libmono-system-net-http4.0-cil",
    "Rscript": "r-base-core",
    "httr2": "r-cran-httr2",
    "jsonlite": "r-cran-jsonlite",
}
_INSTALL = {
    "csharp": "apt-get install -y --no-install-recommends mono-mcs mono-runtime libmono-system-net-http4.0-cil",
    "r": "apt-get install -y --no-install-recommends r-base-core r-cran-httr2 r-cran-jsonlite",
}


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


@functools.lru_cache(maxsize=None)
def _r_packages_missing() -> tuple[str, ...]:
    if shutil.which("Rscript") is None:
        return ()
    code = 'for (p in c("httr2", "jsonlite")) if (!requireNamespace(p, quietly = TRUE)) cat(p, "\\n")'
    res = run_process(["Rscript", "-e", code], base_env(), timeout=60)
    if res.returncode != 0:
        return ("httr2", "jsonlite")
    return tuple(res.stdout.split())


def _mono_http_dll() -> str | None:
    for pattern in ("/usr/lib/mono/4.5/System.Net.Http.dll", "/usr/lib/mono/gac/System.Net.Http/*/System.Net.Http.dll"):
        found = glob.glob(pattern)
        if found:
            return found[0]
    mcs = shutil.which("mcs")
    if mcs:  # a non-Debian layout: <prefix>/lib/mono/4.5
        prefix = Path(os.path.realpath(mcs)).parent.parent
        candidate = prefix / "lib" / "mono" / "4.5" / "System.Net.Http.dll"
        if candidate.exists():
            return str(candidate)
    return None


def missing_tools(target: str) -> list[str]:
    """What this machine lacks to run samples of ``target`` (empty: ready)."""
    if target in ("python", "python-urllib"):
        if target == "python" and importlib.util.find_spec("requests") is None:
            return ["requests (pip install requests)"]
        return []
    if target == "csharp":
        out = [t for t in ("mcs", "mono") if shutil.which(t) is None]
        if "mcs" not in out and _mono_http_dll() is None:
            out.append("System.Net.Http.dll")
        return out
    if target == "r":
        if shutil.which("Rscript") is None:
            return ["Rscript"]
        return list(_r_packages_missing())
    raise ValueError(f"unknown target {target!r}")


def install_hint(target: str, tools: list[str] | None = None) -> str:
    if target in _INSTALL:
        return _INSTALL[target]
    if target == "python":
        return "pip install requests"
    return ""


def require_tools(targets: str | list[str] | tuple[str, ...]) -> None:
    """In a test: fail (under CI=true) or skip when a tool a target needs is missing."""
    import pytest

    if isinstance(targets, str):
        targets = [targets]
    problems = []
    for target in targets:
        missing = missing_tools(target)
        if missing:
            packages = ", ".join(f"{m} ({_PACKAGES[m]})" if m in _PACKAGES else m for m in missing)
            problems.append(f"{target}: missing {packages}; install with: {install_hint(target)}")
    if not problems:
        return
    message = "tools needed by the live tests are missing:\n  " + "\n  ".join(problems)
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# -- C# ----------------------------------------------------------------------------------------

_RUNNER_CS = r"""
using System;
using System.IO;
using System.Reflection;

static class SampleRunner
{
    static int Main(string[] args)
    {
        int code = 70;
        try
        {
            Assembly assembly = Assembly.LoadFrom(args[0]);
            Type type = assembly.GetType(args[1], true);
            BindingFlags flags = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
            MethodInfo main = type.GetMethod("Main", flags, null, Type.EmptyTypes, null);
            object[] callArgs = null;
            if (main == null)
            {
                main = type.GetMethod("Main", flags, null, new Type[] { typeof(string[]) }, null);
                callArgs = new object[] { new string[0] };
            }
            if (main == null)
            {
                Console.Error.WriteLine("runner: no static Main in " + args[1]);
            }
            else
            {
                object result = main.Invoke(null, callArgs);
                code = result is int ? (int)result : 0;
            }
        }
        catch (TargetInvocationException e)
        {
            Console.Error.WriteLine("runner: unhandled exception: " + e.InnerException);
            code = 70;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine("runner: " + e);
            code = 70;
        }
        Console.Out.Flush();
        Console.Error.Flush();
        Environment.Exit(code);
        return code;
    }
}
"""

_MCS_ERROR = re.compile(r"^(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\): error (?P<msg>.*)$")
_NAMESPACE = re.compile(r"^\s*namespace\s+([A-Za-z_][A-Za-z0-9_.]*)", re.M)


@dataclass
class CSharpBuild:
    """The result of compiling a generation's C# samples."""

    workdir: Path
    dll: Path | None = None
    runner: Path | None = None
    type_names: dict[Path, str] = field(default_factory=dict)  # Program.cs -> "<Ns>.Program"
    errors: dict[Path, list[str]] = field(default_factory=dict)  # Program.cs -> compiler errors
    log: str = ""  # the compiler's whole output when something failed
    duration: float = 0.0

    def command(self, program_cs: Path) -> list[str]:
        program_cs = Path(program_cs).resolve()
        if self.dll is None or self.runner is None:
            raise RuntimeError("the C# samples did not compile:\n" + self.log)
        if program_cs in self.errors:
            raise RuntimeError(f"{program_cs} did not compile:\n" + "\n".join(self.errors[program_cs]))
        return ["mono", "--debug", str(self.runner), str(self.dll), self.type_names[program_cs]]


def _type_name(source: str, fallback: str) -> str:
    m = _NAMESPACE.search(source)
    return f"{m.group(1)}.Program" if m else f"{fallback}Sample.Program"


def _mcs(args: list[str], cwd: Path, timeout: float) -> RunResult:
    return run_process(["mcs", "-nologo", *args], base_env(), timeout=timeout, cwd=cwd)


def _sample_sources(program_cs: Path) -> list[Path]:
    """Program.cs and the other .cs files beside it (each sample has a folder of its own)."""
    others = sorted(p.resolve() for p in program_cs.parent.glob("*.cs") if p.resolve() != program_cs)
    return [program_cs, *others]


def build_csharp(files: list[Path], workdir: Path | None = None, timeout: float = 300) -> CSharpBuild:
    """Compile every Program.cs, with the other .cs files of its folder (its Helpers.cs),
    into one library (one mcs call) plus the runner.

    When the library does not compile, the errors are attributed to their files and the
    library is built again without those files, so that every sample that does compile can
    still run.
    """
    start = time.monotonic()
    workdir = Path(workdir or tempfile.mkdtemp(prefix="samplegen-cs-"))
    workdir.mkdir(parents=True, exist_ok=True)
    build = CSharpBuild(workdir=workdir)
    files = [Path(f).resolve() for f in files]
    # every source of a sample -> its Program.cs (errors in a helper file count for the sample)
    owner = {src: f for f in files for src in _sample_sources(f)}
    for f in files:
        build.type_names[f] = _type_name(f.read_text(encoding="utf-8"), f.parent.name)

    runner_src = workdir / "runner.cs"
    runner_src.write_text(_RUNNER_CS, encoding="utf-8")
    res = _mcs(["-out:runner.exe", "runner.cs"], workdir, timeout)
    if res.returncode != 0:
        build.log = f"runner.cs did not compile:\n{res.stdout}{res.stderr}"
        build.duration = time.monotonic() - start
        return build
    build.runner = workdir / "runner.exe"

    http = _mono_http_dll()
    refs = ["-r:System.Net.Http.dll"] if http is None else [f"-r:{http}"]
    pending = list(files)
    for _ in range(3):
        if not pending:
            break
        res = _mcs(
            ["-target:library", "-debug", *refs, "-out:samples.dll",
             *(str(src) for f in pending for src in _sample_sources(f))],
            workdir,
            timeout,
        )
        if res.returncode == 0:
            build.dll = workdir / "samples.dll"
            break
        output = res.stdout + res.stderr
        build.log += output
        bad: set[Path] = set()
        for line in output.splitlines():
            m = _MCS_ERROR.match(line.strip())
            if not m:
                continue
            path = Path(m.group("file"))
            path = (workdir / path).resolve() if not path.is_absolute() else path.resolve()
            path = owner.get(path, path)
            build.errors.setdefault(path, []).append(line.strip())
            bad.add(path)
        if not bad or not (bad & set(pending)):
            # errors not attributable to a sample file: every sample failed to compile
            for f in pending:
                build.errors.setdefault(f, []).append(output.strip()[-3000:])
            break
        pending = [f for f in pending if f not in bad]
    build.duration = time.monotonic() - start
    return build


def sample_command(target: str, file: Path, csharp: CSharpBuild | None = None) -> list[str]:
    if target in ("python", "python-urllib"):
        return [sys.executable, str(file)]
    if target == "r":
        return ["Rscript", "--vanilla", str(file)]
    if target == "csharp":
        if csharp is None:
            raise RuntimeError("C# samples must be built first (build_csharp)")
        return csharp.command(file)
    raise ValueError(f"unknown target {target!r}")
