"""Text helpers shared by every target: comment sanitizing and wrapping."""
from __future__ import annotations

import re
import textwrap
import unicodedata
from functools import lru_cache

# Everything a language may treat as a line break, in any of our targets.
_BREAKS = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _clean_line(line: str) -> str:
    if line.isascii() and line.isprintable():
        return line.rstrip()
    out = []
    for ch in line:
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append(" " if ch in "\t" or cat in ("Zl", "Zp") else "")
        else:
            out.append(ch)
    return "".join(out).rstrip()


def comment_lines(text: object, width: int = 92) -> list[str]:
    return list(_comment_lines(str(text) if text is not None else "", width))


@lru_cache(maxsize=4096)
def _comment_lines(text: str, width: int) -> tuple[str, ...]:
    """Split free text into safe comment lines: no line breaks, no control or format
    characters (bidi overrides included), wrapped at ``width``; blank lines kept once."""
    lines: list[str] = []
    for raw in _BREAKS.split(text):
        wrapped = _wrapped_line(raw, width)
        if not wrapped:
            if lines and lines[-1] != "":
                lines.append("")
            continue
        lines.extend(wrapped)
    while lines and lines[-1] == "":
        lines.pop()
    return tuple(lines)


@lru_cache(maxsize=8192)
def _wrapped_line(raw: str, width: int) -> tuple[str, ...]:
    """One line of text, cleaned and wrapped; empty when it is blank. Cached by line, since
    the same description is wrapped again for every target."""
    clean = _clean_line(raw)
    if not clean.strip():
        return ()
    if len(clean) <= width:
        return (clean,)
    lead = clean[: len(clean) - len(clean.lstrip())]
    wrapped = textwrap.wrap(clean, width=width, break_long_words=False, break_on_hyphens=False,
                            replace_whitespace=True, drop_whitespace=True,
                            subsequent_indent=lead + "  " if lead else "")
    return tuple(wrapped) or ("",)


def one_line(text: object, limit: int = 200) -> str:
    """A single safe line (for summaries placed after other text on one comment line)."""
    joined = " ".join(line for line in comment_lines(text, width=10_000) if line)
    if len(joined) > limit:
        joined = joined[: limit - 3].rstrip() + "..."
    return joined


def make_comment(prefix: str):
    """A Jinja filter: text -> lines each starting with ``prefix`` (e.g. "# ", "// ")."""

    def comment(text: object, width: int = 92) -> str:
        lines = comment_lines(text, width)
        return "\n".join((prefix + line).rstrip() for line in lines)

    return comment


def workflow_filters(literal, call, true: str, context: str = "ctx", wrap=None) -> dict:
    """The ``wf`` and ``wf_all`` filters of a language's workflow templates: a runtime expression
    or condition (workflows) as code, calls of the program's helpers. ``literal``: a JSON value
    as code; ``call``: (helper name, arguments' code) -> a call; ``true``: the language's true;
    ``context``: the variable holding the workflow's state; ``wrap``: applied to a non-empty
    list of criteria."""

    def dialect():
        from ..workflows.codegen import Dialect

        return Dialect(literal=literal, call=call, context=context)

    def wf(tree) -> str:
        from ..workflows.codegen import code

        return code(tree, dialect())

    def wf_all(trees: list, default: str = true) -> str:
        from ..workflows.codegen import criteria

        if not trees:
            return default
        text = criteria(trees, dialect(), default)
        return wrap(text) if wrap else text

    return {"wf": wf, "wf_all": wf_all}
