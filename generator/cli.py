"""The `samplegen` command: a thin shell around generator.api."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import Diagnostic, SpecError
from .docs import FORMATS as DOCS_FORMATS
from .languages import DEFAULT_TARGETS, TARGETS

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_SKIPPED = 4  # generated, but some operations were skipped (lenient mode)


def _echo_diagnostics(diags: list[Diagnostic]) -> None:
    for d in diags:
        click.echo(d.format(), err=True)


def _read_source(definition: str) -> tuple[str | bytes, str | None]:
    if definition == "-":
        return sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode(), "<stdin>"
    return definition, None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _fail(exc: SpecError) -> None:
    _echo_error(exc)
    sys.exit(EXIT_BAD_INPUT)


def _echo_error(exc: SpecError) -> None:
    from .api import ValidationFailed
    from .writer import EditedFiles

    if isinstance(exc, EditedFiles):
        for rel in exc.shown:
            click.echo(f"error: {os.path.join(exc.location, rel)}: edited since samplegen wrote it", err=True)
        them = "them" if len(exc.files) != 1 else "it"
        click.echo(f"error: nothing was written ({_plural(len(exc.files), 'edited file')}). To keep your edits, "
                   f"move {them} out of the folder, or put the change into a template of your own and pass "
                   f"--templates; to overwrite {them}, run again with --force", err=True)
    elif hasattr(exc, "closing"):  # an invalid Arazzo document: its problems, then one summary line
        _echo_diagnostics(exc.diagnostics)
        n = len(exc.diagnostics)
        click.echo("error: " + exc.closing.format(n=n, s="s" if n != 1 else ""), err=True)
    elif isinstance(exc, ValidationFailed):
        _echo_diagnostics(exc.diagnostics)
        n = sum(1 for d in exc.diagnostics if d.level == "error")
        click.echo(f"error: the definition is not valid ({n} problem{'s' if n != 1 else ''} above); "
                   "--lenient generates the samples anyway", err=True)
    else:
        click.echo(exc.format(), err=True)
        for more in getattr(exc, "more", ()):  # further problems of a configuration file
            click.echo(more.format(), err=True)


class _Group(click.Group):
    """Turns unexpected failures into one line instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SpecError as exc:
            _fail(exc)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("error: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # pragma: no cover - a bug; keep the user's terminal clean
            if os.environ.get("SAMPLEGEN_DEBUG"):
                raise
            click.echo(f"error: internal error: {type(exc).__name__}: {exc} "
                       "(set SAMPLEGEN_DEBUG=1 for the traceback and please report it)", err=True)
            sys.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="samplegen")
def cli() -> None:
    """Write ready-to-run C#, Python and R samples for every operation of a Swagger 2.0 or
    OpenAPI 3.0/3.1 definition.

    \b
    Example:
        samplegen generate specs/azureml-adult-income.json -o samples/
    """


_EXTERNAL_HELP = ("Follow external $refs outside the definition's folder. Without it, only files "
                  "inside that folder are read; URLs are never fetched.")


def _max_size_option(command):
    return click.option("--max-size", "max_size", default=64, show_default=True, metavar="MIB",
                        type=click.IntRange(min=1),
                        help="Largest definition read, in MiB (with the files it refers to).")(command)


_FULL_HELP = ("Validate with openapi-spec-validator itself (the reference; slow on large definitions) "
              "instead of samplegen's faster checks, which give the same verdicts.")


def _full_validation_option(command):
    return click.option("--full-validation", is_flag=True, help=_FULL_HELP)(command)


def _filter_options(command):
    for decorator in reversed([
        click.option("--tag", "tags", multiple=True, metavar="TAG",
                     help="Only the operations with this tag (repeatable: any of them)."),
        click.option("--exclude-tag", "exclude_tags", multiple=True, metavar="TAG",
                     help="Leave out the operations with this tag (repeatable)."),
        click.option("--exclude-operation", "exclude_operations", multiple=True, metavar="ID",
                     help="Leave out this operation (repeatable): its operationId or its file name."),
    ]):
        command = decorator(command)
    return command


def _json_option(command):
    return click.option("--json", "json_output", is_flag=True,
                        help="Print one JSON document on standard output instead of text (its JSON Schema: "
                             "generator/schemas/output.schema.json).")(command)


def _config_options(command):
    command = click.option("--api", "api", metavar="NAME",
                           help="Only this entry of the configuration file (its name).")(command)
    return click.option("--config", "config", metavar="FILE",
                        type=click.Path(dir_okay=False, path_type=str),
                        help="The configuration file (default: samplegen.toml, or [tool.samplegen] in "
                             "pyproject.toml, in the current folder or a parent). Used when no DEFINITION "
                             "is given.")(command)


def _echo_skipped(skipped: list) -> None:
    for s in skipped:
        click.echo(s.format(), err=True)


@cli.command(short_help="Write the samples of a definition.")
@click.argument("definition", required=False)
@click.option("-o", "--output", "output", default="samples", show_default=True,
              type=click.Path(file_okay=True, dir_okay=True, path_type=Path),
              help="Folder to write into (created if needed; files samplegen did not write, and generated files "
                   "edited since, are never overwritten or removed).")
@click.option("-t", "--target", "targets", multiple=True, type=click.Choice(list(TARGETS)),
              help=f"Target to generate (repeatable). Default: {', '.join(DEFAULT_TARGETS)}.")
@click.option("--operation", "operations", multiple=True, metavar="ID",
              help="Only this operation (repeatable): its operationId or its file name.")
@_filter_options
@click.option("--base-url", metavar="URL", help="Default server baked into the samples instead of the definition's.")
@click.option("--auth-prefix", default="Bearer ", show_default=True,
              help="Text sent before the key when an apiKey scheme uses the Authorization header.")
@click.option("--lenient", is_flag=True, help="Turn validation errors into warnings and generate what can be generated.")
@click.option("--allow-external-refs", is_flag=True, help=_EXTERNAL_HELP)
@click.option("--all-params", is_flag=True,
              help="Also send the optional parameters (with made-up values when the definition gives none).")
@click.option("--templates", "template_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of your own templates, searched before the built-in ones (repeatable).")
@click.option("--no-cache", is_flag=True, help="Validate again even when this definition was validated before.")
@_full_validation_option
@click.option("--force", is_flag=True,
              help="Overwrite (or remove) generated files that were edited since samplegen wrote them.")
@click.option("--check", is_flag=True,
              help="Write nothing; list each file that differs (changed|missing|extra PATH) and exit 1 "
                   "if there is one, 0 if the folder is up to date.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@_json_option
@_config_options
@_max_size_option
@click.pass_context
def generate(ctx: click.Context, definition: str | None, **params) -> None:
    """Generate samples for DEFINITION (a JSON or YAML file, or - for standard input). Without
    DEFINITION: for every API of the configuration file (samplegen.toml, or [tool.samplegen] in
    pyproject.toml, here or in a parent folder); options given override the file's.

    Only the chosen targets and operations are written; the samples of the others stay. A
    generated file that was edited since is not overwritten (exit 2) unless --force.

    \b
    Examples:
        samplegen generate api.yaml -o samples/
        samplegen generate api.json -t python -t r --operation getPetById
        cat api.yaml | samplegen generate - -o out --base-url https://staging.example.com
        samplegen generate api.yaml -o samples/ --check
        samplegen generate --check --json
    """
    from . import project

    settings = project.Settings(check=params["check"], force=params["force"], quiet=params["quiet"],
                                json=params["json_output"], use_cache=not params["no_cache"],
                                max_bytes=params["max_size"] * 1024 * 1024,
                                full_validation=params["full_validation"])
    _run_jobs("generate", settings, lambda: project.jobs_for(ctx, definition, params))


def _run_jobs(command: str, settings, make_jobs) -> None:
    """Run the jobs ``make_jobs()`` gives (and the configuration file they came from); exit
    with their combined code. With --json, the one document on standard output."""
    from . import jsonout, project

    try:
        jobs, config_path = make_jobs()
    except SpecError as exc:
        if not settings.json:
            raise
        _echo_error(exc)
        click.echo(jsonout.document(command, [], EXIT_BAD_INPUT, failure=exc, check=settings.check), nl=False)
        sys.exit(EXIT_BAD_INPUT)
    runs, code = project.run_jobs(jobs, settings, _echo_error)
    if settings.json:
        click.echo(jsonout.document(command, runs, code, config=config_path, check=settings.check), nl=False)
    sys.exit(code)


def _check(output: Path, files: dict[str, str]) -> None:
    """--check: one line per file that differs; exit 1 when there is one, else 0."""
    from .writer import differences

    lines = differences(output, files)
    for what, rel in lines:
        click.echo(f"{what} {rel}")
    sys.exit(1 if lines else 0)


@cli.command(short_help="Write the samples into documentation: Markdown, MkDocs, Redoc, HTML.")
@click.argument("definition", required=False)
@click.option("-o", "--output", "output", default="docs", show_default=True,
              type=click.Path(file_okay=True, dir_okay=True, path_type=Path),
              help="Folder to write into (regenerated safely, as generate's).")
@click.option("-f", "--format", "formats", multiple=True, type=click.Choice(list(DOCS_FORMATS)),
              help="Format to write (repeatable). Default: markdown.")
@click.option("-t", "--target", "targets", multiple=True, type=click.Choice(list(TARGETS)),
              help="Language to show (repeatable). Default: every language.")
@click.option("--operation", "operations", multiple=True, metavar="ID",
              help="Only this operation (repeatable): its operationId or its file name.")
@click.option("--replace-code-samples", is_flag=True,
              help="redoc: replace x-codeSamples that samplegen did not write too (they are kept otherwise).")
@click.option("--base-url", metavar="URL", help="Default server baked into the samples instead of the definition's.")
@click.option("--auth-prefix", default="Bearer ", show_default=True,
              help="Text sent before the key when an apiKey scheme uses the Authorization header.")
@click.option("--all-params", is_flag=True,
              help="Also send the optional parameters (with made-up values when the definition gives none).")
@click.option("--lenient", is_flag=True, help="Turn validation errors into warnings and write what can be written.")
@click.option("--allow-external-refs", is_flag=True, help=_EXTERNAL_HELP)
@click.option("--templates", "template_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of your own templates, searched before the built-in ones (repeatable).")
@click.option("--force", is_flag=True, help="Overwrite (or remove) generated files edited since they were written.")
@click.option("--check", is_flag=True,
              help="Write nothing; list each file that differs (changed|missing|extra PATH) and exit 1 "
                   "if there is one, 0 if the folder is up to date.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@_json_option
@_config_options
@_max_size_option
@click.pass_context
def docs(ctx: click.Context, definition: str | None, json_output: bool, config: str | None, api: str | None,
         output: Path,
         formats: tuple[str, ...], targets: tuple[str, ...],
         operations: tuple[str, ...], replace_code_samples: bool, base_url: str | None, auth_prefix: str,
         all_params: bool, lenient: bool, allow_external_refs: bool, template_dirs: tuple[Path, ...], force: bool, check: bool, quiet: bool,
         max_size: int) -> None:
    """Write the snippets of DEFINITION into documentation (see the README for the formats).
    Without DEFINITION: the documentation formats of every API of the configuration file.

    \b
    Examples:
        samplegen docs api.yaml -o docs/api --format markdown --format html
        samplegen docs api.yaml -o site --format redoc
        samplegen docs api.yaml -o docs/api --check
        samplegen docs --check          # the docs formats of every API of samplegen.toml
    """
    if definition is None or config or api or json_output:
        from . import project

        def jobs():
            if definition is not None and not (config or api):
                from .docs import DEFAULT_FORMATS

                job = project.jobs_from_command_line(definition, dict(ctx.params, targets=targets or tuple(TARGETS)))[0]
                job.formats, job.replace_code_samples = formats or DEFAULT_FORMATS, replace_code_samples
                return [job], None
            return project.jobs_for(ctx, definition, ctx.params, formats=formats or project.DOCS_FORMATS)

        _run_jobs("docs", project.Settings(check=check, force=force, quiet=quiet, json=json_output,
                                           max_bytes=max_size * 1024 * 1024), jobs)
    from .api import Options
    from .docs import DEFAULT_FORMATS, build_path
    from .writer import write_files

    source, name = _read_source(definition)
    options = Options(targets=targets or tuple(TARGETS), operations=operations, base_url=base_url,
                      lenient=lenient, auth_header_prefix=auth_prefix, all_params=all_params,
                      template_dirs=tuple(str(d) for d in template_dirs))
    result = build_path(source, options, formats=formats or DEFAULT_FORMATS, name=name,
                        allow_external_refs=allow_external_refs, max_bytes=max_size * 1024 * 1024,
                        replace_code_samples=replace_code_samples)
    _echo_diagnostics(result.diagnostics)
    _echo_skipped(result.skipped)
    if check:
        _check(output, result.files)
    report = write_files(output, result.files, force=force)
    if not quiet:
        click.echo(f"{_plural(len(result.model.operations), 'operation')}: wrote {_plural(len(report.written), 'file')} "
                   f"to {output} ({len(report.unchanged)} unchanged, {len(report.removed)} removed)")
    if result.skipped:
        sys.exit(EXIT_SKIPPED)


@cli.command(name="list", short_help="List the operations of a definition.")
@click.argument("definition")
@click.option("--operation", "operations", multiple=True, metavar="ID",
              help="Only this operation (repeatable): its operationId or its file name.")
@_filter_options
@click.option("--lenient", is_flag=True, help="List even when the definition is not valid.")
@click.option("--allow-external-refs", is_flag=True, help=_EXTERNAL_HELP)
@_full_validation_option
@_json_option
@_max_size_option
def list_operations(definition: str, operations: tuple[str, ...], tags: tuple[str, ...],
                    exclude_tags: tuple[str, ...], exclude_operations: tuple[str, ...], lenient: bool,
                    allow_external_refs: bool, full_validation: bool, json_output: bool, max_size: int) -> None:
    """List the operations of DEFINITION: id, method, path and summary, one per line.

    \b
    Examples:
        samplegen list specs/azureml-adult-income.json
        samplegen list specs/petstore.yaml --tag pets --json
    """
    from .api import Options, build_model, load_and_validate, place, placed_error
    from .jsonout import Run, document
    from .languages.text import one_line

    run = Run(definition=definition, data={"operations": []})
    try:
        source, name = _read_source(definition)
        doc, diags = load_and_validate(source, name=name, lenient=lenient, allow_external_refs=allow_external_refs,
                                       max_bytes=max_size * 1024 * 1024, full_validation=full_validation)
        try:
            model, more = build_model(doc.data, version=doc.version, source=doc.source, sha256=doc.sha256,
                                      options=Options(lenient=lenient, operations=operations, tags=tags,
                                                      exclude_tags=exclude_tags,
                                                      exclude_operations=exclude_operations))
        except SpecError as exc:
            raise placed_error(doc, exc) from None
    except SpecError as exc:
        if not json_output:
            raise
        _echo_error(exc)
        run.error = exc
        click.echo(document("list", [run], EXIT_BAD_INPUT), nl=False)
        sys.exit(EXIT_BAD_INPUT)
    run.diagnostics, run.skipped = place(doc, diags + more, model.skipped)
    _echo_diagnostics(run.diagnostics)
    _echo_skipped(run.skipped)
    code = EXIT_SKIPPED if model.skipped else 0
    if json_output:
        run.data["operations"] = [{"id": op.id, "method": op.method, "path": op.path_template,
                                   "summary": op.summary, "tags": list(op.tags)} for op in model.operations]
        click.echo(document("list", [run], code), nl=False)
        sys.exit(code)
    rows = [(op.id, op.method, op.path_template, one_line(op.summary)) for op in model.operations]
    width_id = max((len(r[0]) for r in rows), default=0)
    width_path = max((len(r[2]) for r in rows), default=0)
    for op_id, method, path, summary in rows:
        click.echo(f"{op_id:<{width_id}}  {method:<7} {path:<{width_path}}  {summary}".rstrip())
    sys.exit(code)


@cli.command(short_help="Write a starter samplegen.toml for the definitions in specs/.")
def init() -> None:
    """Write samplegen.toml in the current folder: one commented [[api]] entry for each
    definition in specs/ (JSON or YAML files with a swagger or openapi key). An existing
    samplegen.toml is left as it is (exit 2).

    \b
    Example:
        samplegen init && samplegen generate
    """
    from .config import FILE_NAME
    from .starter import discover, starter

    target = Path(FILE_NAME)
    if target.exists() or target.is_symlink():
        raise SpecError("exists already; edit it, or remove it to start again", str(target))
    found = discover(Path.cwd())
    target.write_text(starter(found, Path.cwd()), encoding="utf-8")
    names = ", ".join(p.relative_to(Path.cwd()).as_posix() for p in found)
    click.echo(f"wrote {target} for {_plural(len(found), 'definition')}" + (f": {names}" if names else
               " (none found in specs/: fill in the entry)"))


@cli.command(short_help="List the targets and their template folders.")
def targets() -> None:
    """List the targets and the template folder each one uses.

    \b
    Example:
        samplegen targets
    """
    from .render import templates_root

    root = templates_root()
    rows = [(t.name, t.description + (" (default)" if t.name in DEFAULT_TARGETS else ""), root / t.folder)
            for t in TARGETS.values()]
    width_name = max(len(r[0]) for r in rows)
    width_text = max(len(r[1]) for r in rows)
    for name, text, folder in rows:
        click.echo(f"{name:<{width_name}}  {text:<{width_text}}  templates: {folder}")


@cli.command(short_help="Run every sample against a local recorder and check its request.")
@click.argument("definition")
@click.option("-t", "--target", "targets", multiple=True, type=click.Choice(list(TARGETS)),
              help="Target to verify (repeatable). Default: every target.")
@click.option("--operation", "operations", multiple=True, metavar="ID",
              help="Only this operation (repeatable): its operationId or its file name.")
@_filter_options
@click.option("--no-prism", is_flag=True, help="Do not replay the requests to Prism.")
@click.option("--strict", is_flag=True, help="Refuse a definition the validator rejects (default: lenient).")
@click.option("--timeout", default=60, show_default=True, type=float, help="Seconds each sample may run.")
@click.option("-j", "--jobs", default=4, show_default=True, type=int, help="Samples run at the same time.")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the generated samples in this folder.")
@click.option("-v", "--verbose", is_flag=True, help="List every sample, not only the failing ones.")
@click.option("--all-params", is_flag=True, help="Generate with --all-params (every optional parameter sent).")
@_json_option
@_max_size_option
def verify(definition: str, targets: tuple[str, ...], operations: tuple[str, ...], tags: tuple[str, ...],
           exclude_tags: tuple[str, ...], exclude_operations: tuple[str, ...], no_prism: bool,
           strict: bool, timeout: float, jobs: int, keep: Path | None, verbose: bool,
           all_params: bool, json_output: bool, max_size: int) -> None:
    """Generate the samples of DEFINITION (a JSON or YAML file, or - for standard input), run
    each against a local recording server and check that it sends exactly the request the
    definition describes.

    Exits 1 when a sample sent something else or misbehaved, 0 when all matched. A target
    whose tools are missing (its toolchain says which) is reported as skipped.

    \b
    Example:
        samplegen verify specs/petstore.yaml -t python -t r
    """
    import tempfile

    from . import jsonout
    from .verify import verify as run_verify

    shown = definition
    try:
        with tempfile.TemporaryDirectory(prefix="samplegen-stdin-") as scratch:
            source, name = _read_source(definition)
            if isinstance(source, bytes):  # Prism reads a file: standard input is saved to one
                json_like = source.lstrip()[:1] in (b"{", b"[")
                definition = os.path.join(scratch, "definition.json" if json_like else "definition.yaml")
                Path(definition).write_bytes(source)
            report = run_verify(definition, targets or None, operations=operations or None, prism=not no_prism,
                                timeout=timeout, jobs=jobs, lenient=not strict, workdir=keep,
                                raise_spec_errors=True, name=name, all_params=all_params,
                                max_bytes=max_size * 1024 * 1024, tags=tags, exclude_tags=exclude_tags,
                                exclude_operations=exclude_operations)
    except SpecError as exc:
        if not json_output:
            raise
        _echo_error(exc)
        run = jsonout.Run(definition=shown, data=jsonout.verify_data(None), error=exc)
        click.echo(jsonout.document("verify", [run], EXIT_BAD_INPUT), nl=False)
        sys.exit(EXIT_BAD_INPUT)
    code = 0 if report.ok else 1
    if json_output:
        run = jsonout.Run(definition=shown, data=jsonout.verify_data(report), diagnostics=report.found,
                          skipped=report.skipped_operations)
        click.echo(jsonout.document("verify", [run], code), nl=False)
    else:
        click.echo(report.format(verbose=verbose))
    sys.exit(code)


def main() -> None:
    from .oneshot import setup

    setup()
    cli(prog_name="samplegen")


if __name__ == "__main__":  # pragma: no cover
    main()
