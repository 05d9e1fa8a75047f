"""``samplegen generate``: the definition on the command line, or every entry of the
configuration file (generator.config), each in its output formats.

One table, ``FORMATS``, says what builds each format: "programs" is the samples themselves;
the documentation formats are built by ``generator.docs`` when this installation has it.
Command-line options given explicitly override the file's settings.
"""
from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import click

from . import config as configuration
from .api import Options
from .errors import SpecError
from .jsonout import Run
from .languages import DEFAULT_TARGETS

PROGRAMS = configuration.PROGRAMS
DOCS_FORMATS = ("markdown", "mkdocs", "redoc", "html")

EXIT_STALE = 1
EXIT_BAD_INPUT = 2
EXIT_SKIPPED = 4

# command-line parameter -> Options field; the file's keys -> Options field
CLI_OPTIONS = {"targets": "targets", "operations": "operations", "base_url": "base_url",
               "auth_prefix": "auth_header_prefix", "lenient": "lenient", "all_params": "all_params",
               "template_dirs": "template_dirs", "tags": "tags", "exclude_tags": "exclude_tags",
               "exclude_operations": "exclude_operations"}
FILE_OPTIONS = {"targets": "targets", "operations": "operations", "base_url": "base_url",
                "auth_prefix": "auth_header_prefix", "lenient": "lenient", "all_params": "all_params",
                "include_tags": "tags", "exclude_tags": "exclude_tags",
                "exclude_operations": "exclude_operations"}


@dataclass
class Job:
    """One definition to generate, and where."""

    definition: str  # a path, or "-" for standard input
    output: Path
    options: Options
    formats: tuple[str, ...] = (PROGRAMS,)
    api: str | None = None  # the configuration entry's name
    allow_external_refs: bool = False
    shown_output: str = ""  # the output folder as printed
    shown_definition: str = ""  # the definition as printed
    docs_output: Path | None = None  # the folder of the documentation formats (default: output)
    replace_code_samples: bool = False  # docs --replace-code-samples

    def folder(self, formats: tuple[str, ...]) -> Path:
        return self.output if PROGRAMS in formats or self.docs_output is None else self.docs_output

    def show(self, folder: Path, rel: str = "") -> str:
        """A folder, or a file in it, as printed: inside the folder (one definition on the
        command line, as always) or with the folder (entries of a configuration file)."""
        if not rel:
            return self.shown_output if folder == self.output and self.shown_output else shown(folder)
        return rel if self.api is None else os.path.join(self.show(folder), rel)


@dataclass
class Settings:
    """What applies to every job of the run."""

    check: bool = False
    force: bool = False
    quiet: bool = False
    json: bool = False
    use_cache: bool = True
    max_bytes: int | None = None
    full_validation: bool = False


def _tuple(value: Any) -> tuple:
    return tuple(str(v) for v in value) if isinstance(value, (list, tuple)) else value


def shown(path: Path) -> str:
    """``path`` relative to the current folder when it is inside it."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd().resolve()) else str(path)
    except ValueError:  # another drive
        return str(path)


def jobs_from_command_line(definition: str, params: dict[str, Any]) -> list[Job]:
    options = Options(**{field_: _tuple(params[p]) for p, field_ in CLI_OPTIONS.items() if p in params})
    if not options.targets:
        options.targets = DEFAULT_TARGETS
    return [Job(definition=definition, output=params["output"], options=options,
                allow_external_refs=bool(params.get("allow_external_refs")), shown_output=str(params["output"]))]


def jobs_from_config(cfg: configuration.Config, api: str | None, given: dict[str, Any],
                     formats: tuple[str, ...] | None = None) -> list[Job]:
    """One job per entry (or the one named ``api``); ``given``: the command-line options the
    user gave (parameter name -> value), which override the file. ``formats``: only these."""
    entries = cfg.select(api)
    if "output" in given and len(entries) > 1:
        raise SpecError(f"--output names one folder and {cfg.shown} has {len(entries)} APIs: "
                        "pick one with --api NAME")
    jobs = []
    for entry in entries:
        wanted = [f for f in entry.formats if formats is None or f in formats]
        for fmt in wanted:
            if not available(fmt):
                raise cfg.error(["api", cfg.apis.index(entry), "formats"],
                                f"the {fmt!r} format is not available in this version of samplegen "
                                f"(available: {', '.join(f for f in FORMATS if available(f))})")
        values: dict[str, Any] = {"targets": ()}  # unset: each format's default
        values.update({FILE_OPTIONS[k]: _tuple(v) for k, v in entry.settings.items() if k in FILE_OPTIONS})
        values["template_dirs"] = tuple(str(t) for t in entry.templates)
        values.update({CLI_OPTIONS[k]: _tuple(v) for k, v in given.items() if k in CLI_OPTIONS})
        output = Path(given["output"]) if "output" in given else entry.output
        docs_output = output if "output" in given and PROGRAMS not in wanted else entry.docs_output
        jobs.append(Job(definition=str(entry.definition), output=output, options=Options(**values),
                        docs_output=docs_output, replace_code_samples=bool(given.get("replace_code_samples")),
                        formats=tuple(wanted), api=entry.name, shown_output=shown(output),
                        shown_definition=shown(entry.definition),
                        allow_external_refs=bool(given.get("allow_external_refs",
                                                           entry.settings.get("allow_external_refs", False)))))
    return jobs


def given(ctx: click.Context, params: dict) -> dict:
    """The options the user gave on the command line (not their defaults)."""
    from click.core import ParameterSource

    return {k: v for k, v in params.items()
            if ctx.get_parameter_source(k) not in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP, None)}


def jobs_for(ctx: click.Context, definition: str | None, params: dict,
             formats: tuple[str, ...] | None = None) -> tuple[list[Job], str | None]:
    """The definition on the command line, or the entries of the configuration file (and its
    name). ``formats``: only these formats of the entries."""
    if definition is not None:
        if params.get("api") or params.get("config"):
            raise SpecError("--api and --config are for the entries of a configuration file: "
                            "give no DEFINITION with them")
        return jobs_from_command_line(definition, params), None
    cfg = load_config(params.get("config"), needed_for="give a DEFINITION")
    jobs = jobs_from_config(cfg, params.get("api"), given(ctx, params), formats)
    if not any(job.formats for job in jobs):
        raise SpecError(f"no API there has one of the formats {', '.join(formats or ())} (its formats key)",
                        cfg.shown)
    return jobs, shown(cfg.path)


def load_config(path: str | None, *, needed_for: str) -> configuration.Config:
    """The configuration named by ``--config``, or the one found from the current folder."""
    found = Path(path) if path else configuration.find(Path.cwd())
    if found is None:
        raise SpecError(f"no DEFINITION given and no {configuration.FILE_NAME} (nor a pyproject.toml with "
                        f"[tool.samplegen]) in {Path.cwd()} or a parent; {needed_for}, or run "
                        "`samplegen init` to write one")
    return configuration.load(found, shown(found))


# -- the formats -----------------------------------------------------------------------------------

def programs(job: Job, formats: tuple[str, ...], settings: Settings, run: Run) -> int:
    """Today's ``generate``: the samples, written (or checked) into the output folder."""
    from contextlib import nullcontext
    from dataclasses import replace

    from .api import generate_path
    from .cli import _plural, _read_source
    from .progress import Progress, stderr_is_terminal
    from .staging import FreshFolder
    from .writer import Unchanged

    source, name = _read_source(job.definition)
    options = replace(job.options, targets=job.options.targets or DEFAULT_TARGETS)
    targets = list(dict.fromkeys(options.targets))
    quiet = settings.quiet or settings.json
    # a new output folder is written while the run renders (generator.staging)
    fresh = None if settings.check else FreshFolder.start(job.output)
    # into an existing folder, a file found the same on disk is not kept either
    same = None if settings.check or fresh else Unchanged.start(job.output)

    def run_generate(**staged: Any) -> Any:
        return generate_path(source, options, name=name, allow_external_refs=job.allow_external_refs,
                             use_cache=settings.use_cache, max_bytes=settings.max_bytes,
                             full_validation=settings.full_validation, **staged)

    with Progress(enabled=not quiet and not settings.check and stderr_is_terminal()) as progress, \
            fresh or nullcontext():
        # each file rendered goes to the staging folder (its text is rendered again if that
        # route fails) or is compared with the one on disk; the run does not keep those texts
        staged = dict(emit=fresh.emit, announce=fresh.announce) if fresh else dict(emit=same.emit) if same else {}
        result = run_generate(progress=progress, **staged)
        _report(run, result, targets, progress)
        if settings.check:
            return check(job, job.output, result.files, settings, run)
        progress("write", len(result.model.operations), len(result.model.operations))
        flows = f", {_plural(len(result.workflows), 'workflow')}" if getattr(result, "workflows", None) else ""
        write(job, job.output, result.files, settings, run,
              f"{_plural(len(result.model.operations), 'operation')} x {_plural(len(targets), 'target')}{flows}",
              fresh, again=lambda: run_generate().files, same=same.same if same else None)
    return _skipped_code(result)


def check(job: Job, output: Path, files: dict[str, str], settings: Settings, run: Run) -> int:
    """--check: every file that differs, listed (and in the run); exit 1 when there is one."""
    from .writer import differences

    stale = differences(output, files)
    run.data.update(files=None, stale=[{"path": rel, "state": what} for what, rel in stale])
    if not settings.json:
        for what, rel in stale:
            click.echo(f"{what} {job.show(output, rel)}")
    return EXIT_STALE if stale else 0


def write(job: Job, output: Path, files: dict[str, str | None], settings: Settings, run: Run, what: str,
          fresh: Any = None, again: Callable[[], dict[str, str]] | None = None,
          same: dict[str, str] | None = None) -> None:
    """Write the files (safely: generator.writer); ``what`` opens the summary line. ``fresh``:
    the run's staging folder (generator.staging), finished here, when the folder is new;
    ``again``: every file, when ``files`` holds None for the texts given to ``fresh`` and
    that route failed; ``same``: the files found the same on disk (``writer.Unchanged``)."""
    from .cli import _plural
    from .writer import write_files

    report = fresh.finish(files) if fresh is not None else None
    if report is None:
        if fresh is not None and None in files.values():
            files = again()
        report = write_files(output, files, force=settings.force, same=same)
    run.data.update(files={"written": report.written, "unchanged": report.unchanged, "removed": report.removed,
                           "kept": report.kept}, stale=None)
    if not (settings.quiet or settings.json):
        kept = f", {len(report.kept)} kept from earlier runs" if report.kept else ""
        who = f"{job.api}: " if job.api else ""
        click.echo(f"{who}{what}: wrote {_plural(len(report.written), 'file')} to {job.show(output)} "
                   f"({len(report.unchanged)} unchanged, {len(report.removed)} removed{kept})")


def _report(run: Run, result: Any, targets: list[str], progress: Any = None) -> None:
    """The diagnostics and skipped operations: in the run, and on stderr."""
    from contextlib import nullcontext

    run.diagnostics, run.skipped = result.diagnostics, result.skipped
    run.data.update(operations=len(result.model.operations), targets=targets)
    with progress.paused() if progress is not None else nullcontext():
        for d in result.diagnostics:
            click.echo(d.format(), err=True)
        for s in result.skipped:
            click.echo(s.format(), err=True)


def _skipped_code(result: Any) -> int:
    from .cli import _plural

    if result.skipped:
        click.echo(f"warning: {_plural(len(result.skipped), 'operation')} skipped (listed above); "
                   f"exit code {EXIT_SKIPPED}", err=True)
        return EXIT_SKIPPED
    return 0


def docs(job: Job, formats: tuple[str, ...], settings: Settings, run: Run) -> int:
    """The documentation formats (generator.docs), built together into the docs folder."""
    from dataclasses import replace

    from .cli import _plural, _read_source
    from .docs import build_path
    from .languages import TARGETS

    source, name = _read_source(job.definition)
    options = replace(job.options, targets=job.options.targets or tuple(TARGETS))
    result = build_path(source, options, formats=formats, name=name, allow_external_refs=job.allow_external_refs,
                        use_cache=settings.use_cache, max_bytes=settings.max_bytes,
                        full_validation=settings.full_validation, replace_code_samples=job.replace_code_samples)
    _report(run, result, list(dict.fromkeys(options.targets)))
    folder = job.folder(formats)
    if settings.check:
        return check(job, folder, result.files, settings, run)
    write(job, folder, result.files, settings, run,
          f"{_plural(len(result.model.operations), 'operation')} ({', '.join(formats)})")
    return _skipped_code(result)


# format -> what builds it: (job, its formats, settings, the run to fill in) -> exit code; the
# formats of one builder are built together
FORMATS: dict[str, Callable[[Job, tuple[str, ...], Settings, Run], int]] = {
    PROGRAMS: programs,
    **{fmt: docs for fmt in DOCS_FORMATS},
}


def available(fmt: str) -> bool:
    if fmt == PROGRAMS:
        return True
    return fmt in FORMATS and importlib.util.find_spec("generator.docs") is not None


def combine(codes: list[int]) -> int:
    """One exit code for several runs: bad input first, then stale files, then skipped operations."""
    for code in (EXIT_BAD_INPUT, EXIT_STALE, EXIT_SKIPPED):
        if code in codes:
            return code
    return max(codes, default=0)


def run_jobs(jobs: list[Job], settings: Settings, on_error: Callable[[SpecError], None]) -> tuple[list[Run], int]:
    """Every job in every format; an error stops its run (``on_error`` reports it), not the others."""
    runs: list[Run] = []
    codes: list[int] = []
    for job in jobs:
        groups: dict[Callable, list[str]] = {}
        for fmt in job.formats:
            groups.setdefault(FORMATS[fmt], []).append(fmt)
        for builder, formats in groups.items():
            run = Run(definition=job.shown_definition or job.definition, api=job.api,
                      data={"formats": formats, "output": job.show(job.folder(tuple(formats))),
                            "check": settings.check})
            runs.append(run)
            try:
                codes.append(builder(job, tuple(formats), settings, run))
            except SpecError as exc:
                on_error(exc)
                run.error = exc
                run.data.setdefault("files", None)
                run.data.setdefault("stale", None)
                codes.append(EXIT_BAD_INPUT)
    return runs, combine(codes)
