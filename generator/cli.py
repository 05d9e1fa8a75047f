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
    sys.exit(EXIT_BAD_INPUT)


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


def _echo_skipped(skipped: list) -> None:
    for s in skipped:
        click.echo(s.format(), err=True)


@cli.command(short_help="Write the samples of a definition.")
@click.argument("definition")
@click.option("-o", "--output", "output", default="samples", show_default=True,
              type=click.Path(file_okay=True, dir_okay=True, path_type=Path),
              help="Folder to write into (created if needed; files samplegen did not write, and generated files "
                   "edited since, are never overwritten or removed).")
@click.option("-t", "--target", "targets", multiple=True, type=click.Choice(list(TARGETS)),
              help=f"Target to generate (repeatable). Default: {', '.join(DEFAULT_TARGETS)}.")
@click.option("--operation", "operations", multiple=True, metavar="ID",
              help="Only this operation (repeatable): its operationId or its file name.")
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
@_max_size_option
def generate(definition: str, output: Path, targets: tuple[str, ...], operations: tuple[str, ...],
             base_url: str | None, auth_prefix: str, lenient: bool, allow_external_refs: bool,
             all_params: bool, template_dirs: tuple[Path, ...], no_cache: bool, full_validation: bool,
             force: bool, check: bool, quiet: bool, max_size: int) -> None:
    """Generate samples for DEFINITION (a JSON or YAML file, or - for standard input).

    Only the chosen targets and operations are written; the samples of the others stay. A
    generated file that was edited since is not overwritten (exit 2) unless --force.

    \b
    Examples:
        samplegen generate api.yaml -o samples/
        samplegen generate api.json -t python -t r --operation getPetById
        cat api.yaml | samplegen generate - -o out --base-url https://staging.example.com
        samplegen generate api.yaml -o samples/ --check
    """
    from .api import Options, generate_path
    from .progress import Progress, stderr_is_terminal
    from .writer import write_files

    source, name = _read_source(definition)
    options = Options(targets=targets or DEFAULT_TARGETS, operations=operations, base_url=base_url,
                      lenient=lenient, auth_header_prefix=auth_prefix, all_params=all_params,
                      template_dirs=tuple(str(d) for d in template_dirs))
    with Progress(enabled=not quiet and not check and stderr_is_terminal()) as progress:
        result = generate_path(source, options, name=name, allow_external_refs=allow_external_refs,
                               use_cache=not no_cache, max_bytes=max_size * 1024 * 1024, progress=progress,
                               full_validation=full_validation)
        with progress.paused():
            _echo_diagnostics(result.diagnostics)
            _echo_skipped(result.skipped)
        if check:
            _check(output, result.files)
        progress("write", len(result.model.operations), len(result.model.operations))
        report = write_files(output, result.files, force=force)
    if not quiet:
        kept = f", {len(report.kept)} kept from earlier runs" if report.kept else ""
        flows = f", {_plural(len(result.workflows), 'workflow')}" if result.workflows else ""
        click.echo(f"{_plural(len(result.model.operations), 'operation')} x "
                   f"{_plural(len(dict.fromkeys(options.targets)), 'target')}{flows}: wrote "
                   f"{_plural(len(report.written), 'file')} to {output} ({len(report.unchanged)} unchanged, "
                   f"{len(report.removed)} removed{kept})")
    if result.skipped:
        click.echo(f"warning: {_plural(len(result.skipped), 'operation')} skipped (listed above); "
                   f"exit code {EXIT_SKIPPED}", err=True)
        sys.exit(EXIT_SKIPPED)


def _check(output: Path, files: dict[str, str]) -> None:
    """--check: one line per file that differs; exit 1 when there is one, else 0."""
    from .writer import differences

    lines = differences(output, files)
    for what, rel in lines:
        click.echo(f"{what} {rel}")
    sys.exit(1 if lines else 0)


@cli.command(short_help="Write the samples into documentation: Markdown, MkDocs, Redoc, HTML.")
@click.argument("definition")
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
@_max_size_option
def docs(definition: str, output: Path, formats: tuple[str, ...], targets: tuple[str, ...],
         operations: tuple[str, ...], replace_code_samples: bool, base_url: str | None, auth_prefix: str,
         all_params: bool, lenient: bool, allow_external_refs: bool, template_dirs: tuple[Path, ...], force: bool, check: bool, quiet: bool,
         max_size: int) -> None:
    """Write the snippets of DEFINITION into documentation (see the README for the formats).

    \b
    Examples:
        samplegen docs api.yaml -o docs/api --format markdown --format html
        samplegen docs api.yaml -o site --format redoc
        samplegen docs api.yaml -o docs/api --check
    """
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
@click.option("--lenient", is_flag=True, help="List even when the definition is not valid.")
@click.option("--allow-external-refs", is_flag=True, help=_EXTERNAL_HELP)
@_full_validation_option
@_max_size_option
def list_operations(definition: str, lenient: bool, allow_external_refs: bool, full_validation: bool,
                    max_size: int) -> None:
    """List the operations of DEFINITION: id, method, path and summary, one per line.

    \b
    Example:
        samplegen list specs/azureml-adult-income.json
    """
    from .api import Options, build_model, load_and_validate, place, placed_error
    from .languages.text import one_line

    source, name = _read_source(definition)
    doc, diags = load_and_validate(source, name=name, lenient=lenient, allow_external_refs=allow_external_refs,
                                   max_bytes=max_size * 1024 * 1024, full_validation=full_validation)
    try:
        model, more = build_model(doc.data, version=doc.version, source=doc.source, sha256=doc.sha256,
                                  options=Options(lenient=lenient))
    except SpecError as exc:
        raise placed_error(doc, exc) from None
    diags, skipped = place(doc, diags + more, model.skipped)
    _echo_diagnostics(diags)
    _echo_skipped(skipped)
    rows = [(op.id, op.method, op.path_template, one_line(op.summary)) for op in model.operations]
    width_id = max((len(r[0]) for r in rows), default=0)
    width_path = max((len(r[2]) for r in rows), default=0)
    for op_id, method, path, summary in rows:
        click.echo(f"{op_id:<{width_id}}  {method:<7} {path:<{width_path}}  {summary}".rstrip())
    if model.skipped:
        sys.exit(EXIT_SKIPPED)


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
@click.option("--no-prism", is_flag=True, help="Do not replay the requests to Prism.")
@click.option("--strict", is_flag=True, help="Refuse a definition the validator rejects (default: lenient).")
@click.option("--timeout", default=60, show_default=True, type=float, help="Seconds each sample may run.")
@click.option("-j", "--jobs", default=4, show_default=True, type=int, help="Samples run at the same time.")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path),
              help="Keep the generated samples in this folder.")
@click.option("-v", "--verbose", is_flag=True, help="List every sample, not only the failing ones.")
@click.option("--all-params", is_flag=True, help="Generate with --all-params (every optional parameter sent).")
@_max_size_option
def verify(definition: str, targets: tuple[str, ...], operations: tuple[str, ...], no_prism: bool,
           strict: bool, timeout: float, jobs: int, keep: Path | None, verbose: bool,
           all_params: bool, max_size: int) -> None:
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

    from .verify import verify as run_verify

    with tempfile.TemporaryDirectory(prefix="samplegen-stdin-") as scratch:
        source, name = _read_source(definition)
        if isinstance(source, bytes):  # Prism reads a file: standard input is saved to one
            json_like = source.lstrip()[:1] in (b"{", b"[")
            definition = os.path.join(scratch, "definition.json" if json_like else "definition.yaml")
            Path(definition).write_bytes(source)
        report = run_verify(definition, targets or None, operations=operations or None, prism=not no_prism,
                            timeout=timeout, jobs=jobs, lenient=not strict, workdir=keep,
                            raise_spec_errors=True, name=name, all_params=all_params,
                            max_bytes=max_size * 1024 * 1024)
    click.echo(report.format(verbose=verbose))
    sys.exit(0 if report.ok else 1)


def main() -> None:
    cli(prog_name="samplegen")


if __name__ == "__main__":  # pragma: no cover
    main()
