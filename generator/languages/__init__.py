"""The languages samplegen writes, each one unit: ``generator/languages/<name>.py`` (its
``LANGUAGE``) and ``templates/<name>/``. ``REGISTRY`` below is the one list of them: the CLI,
the writer, the README index, ``verify`` and every test tier iterate it and name no language.

A language module holds everything that makes the language: name, label and description,
template folder, Markdown info string, file layout and run hint, Jinja filters, toolchain
(tools it needs, how to install them, how to build a batch of samples and run one), the
sample-safety patterns and the escaping-test driver.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

from ..model import Operation


class Build(Protocol):
    """A batch of samples built in one step (e.g. every C# program in one compiler call)."""

    def error(self, file: Path) -> str:
        """Why ``file`` did not build ('' when it did)."""

    def command(self, file: Path) -> list[str]:
        """The command that runs ``file``."""


@dataclass(frozen=True)
class Toolchain:
    """What a machine needs to run samples of a language, and how they are run."""

    # tools found on PATH (or by ``missing``), with the Debian package that provides each
    packages: dict[str, str] = field(default_factory=dict)
    install: str = ""  # the install hint shown when a tool is missing
    command: Callable[[Path], list[str]] | None = None  # how one sample runs (no build step)
    build: Callable[[list[Path], Path], Build] | None = None  # a batch build, when the language has one
    # compile/parse the main files of one generation without running them (workdir given):
    # the compiler's complaints, '' when every file is fine
    check: Callable[[list[Path], Path], str] | None = None
    # what this machine lacks (default: the tools of ``packages`` not on PATH)
    missing: Callable[[], list[str]] | None = None
    apt: tuple[str, ...] = ()  # Debian packages scripts/install-test-tools.sh installs
    probe: str = ""  # a shell test that succeeds when the toolchain is usable (install script)
    # headers the language's HTTP client adds by itself, beyond those any HTTP library adds
    # (generator.verify.compare.ALLOWED_EXTRA): lower-case name -> the request headers that make
    # the client add it (empty: every request). The recorder comparison allows them.
    client_headers: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Safety:
    """What the sample-safety tier checks in every sample's code (full-line comments left out)."""

    timeout_problems: Callable[[str, str], list[str]]  # (text, code) -> what lacks a timeout
    tls_off: tuple[str, ...]  # regexes: any of them turns certificate checks off
    reads_env: tuple[str, ...]  # regexes reading an environment variable; {name} is its name
    local: Callable[[str], str]  # env var name -> the local variable holding its value
    program_start: str  # where the program starts ('' : at the top)
    sends: str  # a regex that finds where a request is sent
    exits_2: str  # a regex for the exit with status 2 (a missing variable)
    # (check, text in the secret-definition headerKey sample, replacement that the check catches)
    mutations: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What one sample of an escaping batch did."""

    code: int | None = None
    base_url: str | None = None  # the default base URL its literal holds (None: not read)
    error: str = ""


@dataclass(frozen=True)
class KnownFault:
    """A request the language's client cannot send as its SampleRequest says. The tests
    reproduce each one as a strict xfail (a fix makes it pass: then drop it and the matching
    ``known_issue`` rule). ``probe`` says where ``value`` goes: "path_value" (a path
    parameter's value), "optional_header_value" (an optional header's value), "part_name" (a
    multipart part's name)."""

    probe: str
    value: str
    reason: str


@dataclass(frozen=True)
class EscapingDriver:
    """How the escaping tier puts hostile strings into programs and reads them back."""

    # (files, env, work folder) -> outcome of each file; None: one process per sample
    run_batch: Callable[[list[Path], dict[str, str], Path], dict[Path, Outcome]] | None = None
    # a static check of one generated file: problems ('' when fine)
    check_text: Callable[[str], str] = lambda text: ""
    # the default base URL a sample's literal holds, read from its text (when run_batch does not)
    base_url: Callable[[str], str | None] | None = None
    # its string literals cannot hold NUL: generation refuses a NUL where a literal is needed
    no_nul: bool = False
    # characters a multipart part name cannot hold in this language (generation refuses them)
    part_name_refuses: str = ""
    known_faults: tuple[KnownFault, ...] = ()
    # (placement, string, message) -> why a problem is a known fault of the language's client
    known_issue: Callable[[str, str, str], str | None] = lambda placement, s, message: None


@dataclass(frozen=True)
class Language:
    name: str
    label: str  # the language's name for people: "C#", "Python"
    description: str
    folder: str  # template folder under templates/
    info_string: str  # Markdown code-fence info string
    filters: dict[str, Callable]
    # (template name, output path) pairs for one operation, the main file first
    per_operation: Callable[[Operation], list[tuple[str, str]]] = field(repr=False)
    # (template name, output path) pairs written once per generation
    shared: tuple[tuple[str, str], ...] = ()
    run_hint: str = ""
    snippet: str = ""  # the template of the request as a docs page shows it (the program includes it)
    script_snippet: bool = False  # the snippet is a complete script: pasted into a file, it runs alone
    comment_prefix: str = "#"  # a full-line comment starts with this
    assignment: str = "{} = "  # how the values block assigns a variable ({} is its name)
    default: bool = False  # generated when no --target is given
    toolchain: Toolchain = field(default_factory=Toolchain, repr=False)
    safety: Safety | None = field(default=None, repr=False)
    escaping: EscapingDriver = field(default_factory=EscapingDriver, repr=False)
    # the template of a workflow program (Arazzo), "" when the language has none yet
    workflow: str = ""
    # (template name, output path) pairs for one workflow, the program first
    workflow_files: Callable[..., list[tuple[str, str]]] | None = field(default=None, repr=False)
    workflow_missing: str = ""  # why there is no workflow template (said at generation time)

    @property
    def language(self) -> str:  # the name templates and older callers use
        return self.label

    def main_file(self, op: Operation) -> str:
        return self.per_operation(op)[0][1]

    def missing_tools(self) -> list[str]:
        import shutil

        if self.toolchain.missing is not None:
            return self.toolchain.missing()
        return [t for t in self.toolchain.packages if shutil.which(t) is None]


from . import csharp, curl, javascript, python, python_urllib, r  # noqa: E402  (the modules use the types above)

REGISTRY: list[Language] = [
    csharp.LANGUAGE,
    python.LANGUAGE,
    python_urllib.LANGUAGE,
    r.LANGUAGE,
    curl.LANGUAGE,
    javascript.LANGUAGE,
]

LANGUAGES: dict[str, Language] = {lang.name: lang for lang in REGISTRY}
TARGETS = LANGUAGES  # the name the CLI and the API use for them
DEFAULT_TARGETS: tuple[str, ...] = tuple(lang.name for lang in REGISTRY if lang.default)


def get(name: str) -> Language:
    try:
        return LANGUAGES[name]
    except KeyError:
        raise ValueError(f"unknown target {name!r} (known: {', '.join(LANGUAGES)})") from None


def apt_packages() -> list[str]:
    return list(dict.fromkeys(p for lang in REGISTRY for p in lang.toolchain.apt))
