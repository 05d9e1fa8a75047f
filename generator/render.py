"""The one Jinja environment factory, and rendering of a model into files."""
from __future__ import annotations

import os
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

import jinja2

from .errors import SpecError
from .jsontext import remembering
from .model import ApiModel, Operation
from .languages import TARGETS, Language as Target


def templates_root() -> Path:
    """The built-in templates: inside the installed package, or templates/ in a checkout."""
    packaged = Path(__file__).resolve().parent / "templates"
    if (packaged / "python").is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def create_environment(folder: str, filters: dict, user_dirs: Iterable[Path] = ()) -> jinja2.Environment:
    """The single factory for every Jinja environment (production and tests alike).

    User template folders come first, so a user's ``<dir>/<folder>/x.j2`` overrides the
    built-in one; ``common/`` holds templates shared by all targets.
    """
    search: list[str] = []
    for d in user_dirs:
        search += [str(Path(d) / folder), str(Path(d) / "common")]
    root = templates_root()
    search += [str(root / folder), str(root / "common")]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        auto_reload=False,  # a run's templates do not change under it: no stat per include
    )
    env.filters.update(filters)
    return env


@lru_cache(maxsize=32)
def _environment(target_name: str, user_dirs: tuple[str, ...]) -> jinja2.Environment:
    target = TARGETS[target_name]
    return create_environment(target.folder, target.filters, [Path(d) for d in user_dirs])


def environment_for(target: Target, user_dirs: tuple[str, ...] = ()) -> jinja2.Environment:
    return _environment(target.name, tuple(user_dirs))


def _is_user_template(filename: str | None, user_dirs: Iterable[str]) -> bool:
    if not filename:
        return False
    real = os.path.realpath(filename)
    for d in user_dirs:
        root = os.path.realpath(d)
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


@contextmanager
def user_template_errors(user_dirs: Iterable[str]) -> Iterator[None]:
    """A fault in one of the user's own templates (``--templates``) becomes a SpecError at the
    template's ``file:line``; faults in built-in templates stay what they are (our bugs)."""
    user_dirs = [str(d) for d in user_dirs]
    if not user_dirs:
        yield
        return
    try:
        yield
    except jinja2.TemplateSyntaxError as exc:
        if not _is_user_template(exc.filename, user_dirs):
            raise
        raise SpecError(f"template syntax error: {exc.message}", f"{exc.filename}:{exc.lineno}") from None
    except Exception as exc:  # noqa: BLE001 - a user template may fail in any way while rendering
        frame = exc.__traceback__
        place = None
        while frame is not None:  # the innermost frame that runs one of the user's templates
            code = frame.tb_frame.f_code
            if _is_user_template(code.co_filename, user_dirs):
                place = f"{code.co_filename}:{frame.tb_lineno}"
            frame = frame.tb_next
        if place is None:
            raise
        what = "undefined variable" if isinstance(exc, jinja2.UndefinedError) else type(exc).__name__
        raise SpecError(f"template error ({what}): {exc}", place) from None


def render_target(model: ApiModel, target: Target, context: dict, user_dirs: tuple[str, ...] = (),
                  progress: Callable[[int, int], None] | None = None) -> dict[str, str]:
    return render_targets(model, [target], context, user_dirs, progress)


def render_targets(model: ApiModel, targets: list[Target], context: dict, user_dirs: tuple[str, ...] = (),
                   progress: Callable[[int, int], None] | None = None,
                   emit: Callable[[str, str], bool | None] | None = None) -> dict[str, str | None]:
    """Every operation in every target; ``progress(done, total)`` after each operation;
    ``emit(path, text)`` with each operation's file as soon as it is rendered. A file for
    which ``emit`` returns a true value is None in the result: the caller has taken care of
    it, and the run does not hold every text at once."""
    with user_template_errors(user_dirs):
        return _render_targets(model, targets, context, user_dirs, progress, emit)


def _render_targets(model: ApiModel, targets: list[Target], context: dict, user_dirs: tuple[str, ...],
                    progress: Callable[[int, int], None] | None,
                    emit: Callable[[str, str], bool | None] | None) -> dict[str, str | None]:
    envs = [environment_for(target, user_dirs) for target in targets]
    loaded: dict[tuple[int, str], jinja2.Template] = {}  # each template looked up once per run
    files: dict[str, str | None] = {}
    total = len(model.operations)
    for done, op in enumerate(model.operations, 1):
        with remembering():  # a value's JSON text is made once for every language that writes it
            for i, (target, env) in enumerate(zip(targets, envs)):
                for template_name, out_path in target.per_operation(op):
                    template = loaded.get((i, template_name))
                    if template is None:
                        template = loaded[i, template_name] = env.get_template(template_name)
                    text = template.render(api=model, op=op, s=op.sample, target=target, **context)
                    files[out_path] = None if emit is not None and emit(out_path, text) else text
        if progress is not None:
            progress(done, total)
    for target, env in zip(targets, envs):
        for template_name, out_path in target.shared:
            files[out_path] = env.get_template(template_name).render(api=model, target=target, **context)
    return files


def render_snippet(model: ApiModel, op: Operation, target: Target, context: dict | None = None,
                   user_dirs: tuple[str, ...] = ()) -> str:
    """The snippet of one operation in one target: the request as a docs page shows it (the
    program of that operation is built from the same template, so it contains this text).

    Python, Python (urllib) and R snippets are complete scripts; the C# snippet is the body
    of the request method (``MainAsync`` after the values to change and the credentials)."""
    context = context or {}
    if not target.snippet:
        raise ValueError(f"target {target.name!r} has no snippet template")
    with user_template_errors(user_dirs):
        template = environment_for(target, user_dirs).get_template(target.snippet)
        return template.render(api=model, op=op, s=op.sample, target=target, **context)
