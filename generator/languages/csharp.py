"""C#: HttpClient samples for .NET 8 or Mono. Literal filters (regular and verbatim string
literals, comments), the build (every Program.cs of a generation compiled in ONE
``mcs -target:library`` call into ``samples.dll``, each sample in its own namespace, run by a
small ``runner.exe`` that calls ``<Namespace>.Program.Main`` through reflection, flushes the
console and exits with Main's code: mono can stall after Main returns otherwise), the safety
patterns and the escaping driver."""
from __future__ import annotations

import glob
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import EscapingDriver, KnownFault, Language, Outcome, Safety, Toolchain, python
from ..jsontext import indented
from .text import make_comment, one_line, workflow_filters

_SIMPLE = {"\0": "\\0", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
           "\t": "\\t", "\v": "\\v", '"': '\\"', "\\": "\\\\"}


def cs_string(value: Any) -> str:
    """A C# regular string literal. Everything outside printable ASCII is escaped, so no
    character (U+2028, U+0085, bidi controls, NUL) can end the literal or hide code."""
    text = value if isinstance(value, str) else str(value)
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # printable ASCII: nothing to escape
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _SIMPLE:
            out.append(_SIMPLE[ch])
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code > 0xFFFF:
            out.append(f"\\U{code:08X}")
        else:
            out.append(f"\\u{code:04X}")
    out.append('"')
    return "".join(out)


def cs_json(value: Any, indent: int = 0) -> str:
    """JSON text as a C# verbatim literal, ASCII only, lines indented by ``indent`` spaces."""
    text = indented(value)
    pad = " " * indent
    text = text.replace("\n", "\n" + pad)
    return '@"' + text.replace('"', '""') + '"'


def cs_var(env_name: str) -> str:
    """A local variable name for an environment variable: API_KEY_X -> apiKeyX."""
    parts = [p for p in env_name.lower().split("_") if p]
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def cs_value(value: Any) -> str:
    """A JSON value as C# (an object): scalars as literals, objects and arrays parsed from
    JSON text by the program's Json helper."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}L"
    if isinstance(value, float):
        return repr(value) + "d"
    if isinstance(value, str):
        return cs_string(value)
    return f"Json.Parse({cs_json(value)})"


_WF_NAMES = {"ref": "Ref", "concat": "Concat", "compare": "Compare", "all_of": "AllOf", "any_of": "AnyOf",
             "not_of": "NotOf", "matches": "Matches", "any_child": "AnyChild"}


FILTERS = {
    **workflow_filters(cs_value, lambda name, args: f"Wf.{_WF_NAMES[name]}({', '.join(args)})", "true",
                       context="wf_ctx", wrap=lambda text: f"Wf.Truth({text})"),
    "value": cs_value,
    "var": cs_var,
    "input_var": cs_var,
    "lit": cs_string,
    "json_lit": cs_json,
    "comment": make_comment("// "),
    "one_line": one_line,
}


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



# -- the build ----------------------------------------------------------------------------------------

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

    def error(self, program_cs: Path) -> str:
        program_cs = Path(program_cs).resolve()
        if self.dll is None or program_cs in self.errors:
            return "\n".join(self.errors.get(program_cs, [])) or self.log[-3000:]
        return ""

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


def _mcs(args: list[str], cwd: Path, timeout: float):
    from ..verify.runners import base_env, run_process

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




def check(files: list[Path], workdir: Path) -> str:
    """Compile every Program.cs of one generation, with the .cs files beside it, into one
    library, warnings as errors."""
    http = _mono_http_dll()
    sources = [str(src) for f in files for src in _sample_sources(Path(f).resolve())]
    res = _mcs(["-target:library", "-warnaserror+", f"-r:{http or 'System.Net.Http.dll'}",
                f"-out:{Path(workdir) / 'check.dll'}", *sources], Path(workdir), 300)
    return "" if res.returncode == 0 else res.stdout + res.stderr


def missing() -> list[str]:
    out = [t for t in ("mcs", "mono") if shutil.which(t) is None]
    if "mcs" not in out and _mono_http_dll() is None:
        out.append("System.Net.Http.dll")
    return out


# -- the escaping driver ---------------------------------------------------------------------------

_CS_DRIVER = r'''
using System;
using System.IO;
using System.Reflection;
using System.Text;

static class BatchRunner
{
    static string Hex(string s)
    {
        var b = new StringBuilder();
        foreach (char c in s) { b.Append(((int)c).ToString("X4")); }
        return b.ToString();
    }

    static int Main(string[] args)
    {
        Assembly assembly = Assembly.LoadFrom(args[0]);
        var output = new StringBuilder();
        BindingFlags flags = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (string name in File.ReadAllLines(args[1]))
        {
            Type type = assembly.GetType(name, true);
            FieldInfo field = type.GetField("DefaultBaseUrl", flags);
            string baseUrl = field == null ? null : (string)field.GetValue(null);
            int code;
            try
            {
                code = (int)type.GetMethod("Main", flags, null, Type.EmptyTypes, null).Invoke(null, null);
            }
            catch (TargetInvocationException e)
            {
                Console.Error.WriteLine(name + ": " + e.InnerException);
                code = 70;
            }
            output.Append(name).Append('\t').Append(code).Append('\t').Append(baseUrl == null ? "-" : Hex(baseUrl)).Append('\n');
        }
        File.WriteAllText(args[2], output.ToString());
        Console.Out.Flush();
        Environment.Exit(0);
        return 0;
    }
}
'''

_DRIVER_EXE: dict[str, Path] = {}


def _driver_exe() -> Path:
    """The batch driver, compiled once per process (its folder removed when the process ends)."""
    import atexit
    import shutil

    from ..verify.runners import base_env, run_process

    if "exe" not in _DRIVER_EXE:
        folder = Path(tempfile.mkdtemp(prefix="samplegen-cs-driver-"))
        atexit.register(shutil.rmtree, folder, True)
        (folder / "batch.cs").write_text(_CS_DRIVER, encoding="utf-8")
        res = run_process(["mcs", "-nologo", "-out:batch.exe", "batch.cs"], base_env(), timeout=120, cwd=folder)
        if res.returncode != 0:
            raise RuntimeError("the C# batch driver does not compile:\n" + res.stdout + res.stderr)
        _DRIVER_EXE["exe"] = folder / "batch.exe"
    return _DRIVER_EXE["exe"]


def run_batch(files: list[Path], env: dict[str, str], work: Path) -> dict[Path, Outcome]:
    """Every C# sample of a batch compiled in ONE mcs call (build_csharp), then every Main
    called in ONE mono process; DefaultBaseUrl is read through reflection."""
    from ..verify.runners import run_process

    build = build_csharp(files, work / "cs-build")
    if build.dll is None or build.errors:
        raise AssertionError("C# samples do not compile:\n" + build.log[-4000:])
    listing, out = work / "cs-types.txt", work / "cs-results.txt"
    listing.write_text("\n".join(build.type_names[f.resolve()] for f in files) + "\n", encoding="utf-8")
    res = run_process(["mono", "--debug", str(_driver_exe()), str(build.dll), str(listing), str(out)], env,
                      timeout=600, cwd=work)
    if res.returncode != 0 or not out.exists():
        raise AssertionError(res.tail())
    by_type = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        name, code, hexed = line.split("\t")
        by_type[name] = Outcome(code=int(code),
                                base_url=None if hexed == "-" else bytes.fromhex(hexed).decode("utf-16-be"))
    return {f: by_type[build.type_names[f.resolve()]] for f in files}


# Mono's System.Uri drops these from a URL, even percent-encoded (fixed in .NET Core 2.1 and
# .NET Framework 4.7.2: dotnet/corefx#26022); the samples run on Mono here.
MONO_STRIPPED = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e")


def known_issue(placement: str, s: str, message: str) -> str | None:
    if placement in ("path", "query") and set(s) & MONO_STRIPPED:
        return "C# on Mono: System.Uri strips bidi controls, even percent-encoded (.NET 8 keeps them)"
    return None


# -- safety ----------------------------------------------------------------------------------------

def timeout_problems(text: str, code: str) -> list[str]:
    problems = []
    clients = re.findall(r"new HttpClient\([^)]*\)(\s*\{[^}]*\})?", code)
    if not clients:
        problems.append("no HttpClient")
    problems += ["new HttpClient without a Timeout" for init in clients if not re.search(r"\bTimeout\s*=", init)]
    if re.search(r"Timeout\s*=\s*(System\.)?Threading\.Timeout\.InfiniteTimeSpan|InfiniteTimeSpan", code):
        problems.append("an infinite timeout")
    if re.search(r"\b(WebClient|HttpWebRequest|WebRequest\.Create)\b", code):
        problems.append("a second HTTP client")
    return problems


LANGUAGE = Language(
    name="csharp", label="C#", description="C# with HttpClient (.NET 8 or Mono)", folder="csharp",
    info_string="csharp", filters=FILTERS, default=True, comment_prefix="//", assignment="string {} = ",
    per_operation=lambda op: [("program.cs.j2", f"csharp/{op.pascal}/Program.cs"),
                              ("helpers.cs.j2", f"csharp/{op.pascal}/Helpers.cs"),
                              ("project.csproj.j2", f"csharp/{op.pascal}/{op.pascal}.csproj")],
    workflow="workflow.cs.j2",
    workflow_files=lambda wf: [("workflow.cs.j2", f"csharp/{wf.pascal}/Program.cs"),
                               ("workflow_runtime.cs.j2", f"csharp/{wf.pascal}/Workflow.cs"),
                               ("helpers.cs.j2", f"csharp/{wf.pascal}/Helpers.cs"),
                               ("project.csproj.j2", f"csharp/{wf.pascal}/{wf.pascal}.csproj")],
    snippet="snippet.cs.j2",
    run_hint="cd csharp/<Name> && dotnet run",
    toolchain=Toolchain(
        packages={"mcs": "mono-mcs", "mono": "mono-runtime", "System.Net.Http.dll": "libmono-system-net-http4.0-cil"},
        install="apt-get install -y --no-install-recommends mono-mcs mono-runtime libmono-system-net-http4.0-cil",
        build=lambda files, workdir: build_csharp(files, workdir),
        check=check,
        missing=missing,
        apt=("mono-mcs", "mono-runtime", "libmono-system-net-http4.0-cil"),
        probe="command -v mcs && command -v mono && [ -e /usr/lib/mono/4.5/System.Net.Http.dll ]",
    ),
    safety=Safety(
        timeout_problems=timeout_problems,
        tls_off=(r"ServerCertificateCustomValidationCallback", r"ServerCertificateValidationCallback",
                 r"DangerousAcceptAnyServerCertificateValidator", r"ServicePointManager", r"\binsecure\b"),
        reads_env=(r'Environment\.GetEnvironmentVariable\("{name}"\)',),
        local=cs_var,
        program_start="MainAsync()\n",
        sends=r"SendAsync\(|FetchTokenAsync\(",
        exits_2=r"return 2;",
        mutations=(("tls", "UseCookies = false", "UseCookies = false, ServerCertificateCustomValidationCallback = null"),
                   ("timeout", " { Timeout = RequestTimeout }", ""),
                   ("secret", 'Environment.GetEnvironmentVariable("API_KEY")', '"k"')),
    ),
    escaping=EscapingDriver(run_batch=run_batch, known_issue=known_issue, known_faults=(
        python.DOT_SEGMENTS,
        KnownFault("path_value", "a\u202eb", "Mono's System.Uri strips U+200E, U+200F and U+202A-U+202E from a URL, "
                                             "even percent-encoded (fixed in .NET Core 2.1: dotnet/corefx#26022)"),
    )),
)
