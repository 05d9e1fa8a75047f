"""The `samplegen` command: a thin shell around generator.api."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import Diagnostic, SpecError
from .targets import DEFAULT_TARGETS, TARGETS

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


def _echo_diagnostics(diags: list[Diagnostic]) -> None:
    for d in diags:
        click.echo(d.format(), err=True)


def _read_source(definition: str) -> tuple[str | bytes, str | None]:
    if definition == "-":
        return sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode(), "<stdin>"
    return definition, None


def _fail(exc: SpecError) -> None:
    from .api import ValidationFailed

    if isinstance(exc, ValidationFailed):
        _echo_diagnostics(exc.diagnostics)
        click.echo(f"error: the definition is not valid ({len(exc.diagnostics)} problem"
                   f"{'s' if len(exc.diagnostics) != 1 else ''} above); "
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


@cli.command()
@click.argument("definition")
@click.option("-o", "--output", "output", default="samples", show_default=True,
              type=click.Path(file_okay=True, dir_okay=True, path_type=Path),
              help="Folder to write into (created if needed; files samplegen did not write are never touched).")
@click.option("-t", "--target", "targets", multiple=True, type=click.Choice(list(TARGETS)),
              help=f"Target to generate (repeatable). Default: {', '.join(DEFAULT_TARGETS)}.")
@click.option("--operation", "operations", multiple=True, metavar="ID",
              help="Only this operation (repeatable): its operationId or its file name.")
@click.option("--base-url", metavar="URL", help="Default server baked into the samples instead of the definition's.")
@click.option("--auth-prefix", default="Bearer ", show_default=True,
              help="Text sent before the key when an apiKey scheme uses the Authorization header.")
@click.option("--lenient", is_flag=True, help="Turn validation errors into warnings and generate what can be generated.")
@click.option("--allow-external-refs", is_flag=True, help=_EXTERNAL_HELP)
@click.option("--templates", "template_dirs", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of your own templates, searched before the built-in ones (repeatable).")
@click.option("--no-cache", is_flag=True, help="Validate again even when this definition was validated before.")
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
def generate(definition: str, output: Path, targets: tuple[str, ...], operations: tuple[str, ...],
             base_url: str | None, auth_prefix: str, lenient: bool, allow_external_refs: bool,
             template_dirs: tuple[Path, ...], no_cache: bool, quiet: bool) -> None:
    """Generate samples for DEFINITION (a JSON or YAML file, or - for standard input).

    \b
    Examples:
        samplegen generate api.yaml -o samples/
        samplegen generate api.json -t python -t r --operation getPetById
        cat api.yaml | samplegen generate - -o out --base-url https://staging.example.com
    """
    from .api import Options, generate_path
    from .progress import Progress, stderr_is_terminal
    from .writer import write_files

    source, name = _read_source(definition)
    options = Options(targets=targets or DEFAULT_TARGETS, operations=operations, base_url=base_url,
                      lenient=lenient, auth_header_prefix=auth_prefix,
                      template_dirs=tuple(str(d) for d in template_dirs))
    with Progress(enabled=not quiet and stderr_is_terminal()) as progress:
        result = generate_path(source, options, name=name, allow_external_refs=allow_external_refs,
                               use_cache=not no_cache, progress=progress)
        with progress.paused():
            _echo_diagnostics(result.diagnostics)
        progress("write", len(result.model.operations), len(result.model.operations))
        report = write_files(output, result.files)
    if not quiet:
        ops = len(result.model.operations)
        click.echo(f"{ops} operation{'s' if ops != 1 else ''} x {len(options.targets)} target"
                   f"{'s' if len(options.targets) != 1 else ''}: wrote {len(report.written)} files to "
                   f"{output} ({len(report.unchanged)} unchanged, {len(report.removed)} removed)")


@cli.command(name="list")
@click.argument("definition")
@click.option("--lenient", is_flag=True, help="List even when the definition is not valid.")
@click.option("--allow-external-refs", is_flag=True, help=_EXTERNAL_HELP)
def list_operations(definition: str, lenient: bool, allow_external_refs: bool) -> None:
    """List the operations of DEFINITION: id, method, path and summary, one per line.

    \b
    Example:
        samplegen list specs/azureml-adult-income.json
    """
    from .api import Options, build_model, load_and_validate
    from .targets.text import one_line

    source, name = _read_source(definition)
    doc, diags = load_and_validate(source, name=name, lenient=lenient, allow_external_refs=allow_external_refs)
    model, more = build_model(doc.data, version=doc.version, source=doc.source, sha256=doc.sha256,
                              options=Options(lenient=lenient))
    _echo_diagnostics(diags + more)
    rows = [(op.id, op.method, op.path_template, one_line(op.summary)) for op in model.operations]
    width_id = max((len(r[0]) for r in rows), default=0)
    width_path = max((len(r[2]) for r in rows), default=0)
    for op_id, method, path, summary in rows:
        click.echo(f"{op_id:<{width_id}}  {method:<7} {path:<{width_path}}  {summary}".rstrip())


@cli.command()
def targets() -> None:
    """List the targets and the template folder each one uses.

    \b
    Example:
        samplegen targets
    """
    from .render import templates_root

    root = templates_root()
    for t in TARGETS.values():
        default = " (default)" if t.name in DEFAULT_TARGETS else ""
        click.echo(f"{t.name:<14} {t.description}{default}  templates: {root / t.folder}")


@cli.command()
@click.argument("definition", type=click.Path(exists=True, dir_okay=False))
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
def verify(definition: str, targets: tuple[str, ...], operations: tuple[str, ...], no_prism: bool,
           strict: bool, timeout: float, jobs: int, keep: Path | None, verbose: bool) -> None:
    """Generate the samples of DEFINITION, run each against a local recording server and
    check that it sends exactly the request the definition describes.

    Exits 1 when a sample sent something else or misbehaved, 0 when all matched. A target
    whose tools (mono, Rscript) are missing is reported as skipped.

    \b
    Example:
        samplegen verify specs/petstore.yaml -t python -t r
    """
    from .verify import verify as run_verify

    report = run_verify(definition, targets or None, operations=operations or None, prism=not no_prism,
                        timeout=timeout, jobs=jobs, lenient=not strict, workdir=keep,
                        raise_spec_errors=True)
    click.echo(report.format(verbose=verbose))
    sys.exit(0 if report.ok else 1)


def main() -> None:
    cli(prog_name="samplegen")


if __name__ == "__main__":  # pragma: no cover
    main()
