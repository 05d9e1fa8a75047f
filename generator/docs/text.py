"""Escaping for docs pages: every text from the definition reaches a Markdown page or the
HTML page only through these filters (templates only print)."""
from __future__ import annotations

import json
import re

from ..languages.text import one_line

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
_FENCE_LINE = re.compile(r"^( {0,3})(`{3,}|~{3,})", re.M)
_HEADING_LINE = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)", re.M)
_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")


def md_inline(text: object) -> str:
    """Plain text on one line of Markdown (a heading, a list item, a table cell): every
    character Markdown or GitHub's HTML filter would read is escaped; ``|`` too, for tables."""
    flat = one_line(str(text or ""))
    escaped = _MD_SPECIAL.sub(r"\\\1", flat)
    # at the start of a line, "#", "-", "+", "=" or "1." would make a heading or a list item
    return re.sub(r"^(\d+)([.)])|^([#+=-])", lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1)
                  else "\\" + m.group(3), escaped)


def md_code(text: object) -> str:
    """Text as an inline code span on one line (safe in a table cell: ``|`` escaped)."""
    flat = one_line(str(text if text is not None else ""))
    if not flat:
        return ""
    longest = max((len(m) for m in re.findall(r"`+", flat)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or (flat.startswith(" ") and flat.endswith(" ")) else ""
    return f"{ticks}{pad}{flat}{pad}{ticks}".replace("|", "\\|")


def md_block(text: object) -> str:
    """A description (CommonMark, as OpenAPI says) kept as Markdown, but unable to break the
    page around it: raw HTML is shown as text, and it cannot open a code fence or a heading."""
    body = str(text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    body = _HTML_START.sub("&lt;", body)
    body = _FENCE_LINE.sub(lambda m: m.group(1) + "\\" + m.group(2), body)
    return _HEADING_LINE.sub(lambda m: m.group(1) + "\\" + m.group(2), body)


def fence(text: str, info: str = "", char: str = "`") -> str:
    """A fenced code block holding ``text`` exactly: the fence is longer than any run of
    fence characters in it, so nothing inside can close it."""
    longest = max((len(m) for m in re.findall(re.escape(char) + "+", text)), default=0)
    marks = char * max(3, longest + 1)
    body = text if text.endswith("\n") else text + "\n"
    return f"{marks}{info}\n{body}{marks}"


def indent(text: str, prefix: str = "    ") -> str:
    """Every non-empty line indented (MkDocs Material's tab content)."""
    return "\n".join(prefix + line if line.strip() else "" for line in text.split("\n"))


_YAML_BREAKS = "\x85\u2028\u2029\ufeff"  # line breaks (and the byte order mark) to YAML


def yaml_string(text: object) -> str:
    """A double-quoted YAML string holding any text: quotes and backslashes escaped, and
    every character YAML would not keep as it is (controls, its line breaks) as an escape."""
    out = ['"']
    for ch in str(text):
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable() and ch not in _YAML_BREAKS:
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def script_json(value: object) -> str:
    """JSON to embed in an HTML ``<script>`` element: nothing in it can end the element or
    start a comment (``<``, ``>``, ``&`` and the JavaScript line separators escaped)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


FILTERS = {
    "md": md_inline,
    "md_code": md_code,
    "md_block": md_block,
    "fence": fence,
    "indent_tab": indent,
    "yaml_string": yaml_string,
    "script_json": script_json,
    "one_line": one_line,
}
