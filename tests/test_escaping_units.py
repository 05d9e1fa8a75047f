"""Escaping tables for the literal and comment filters of every target.

For each filter (``lit``, the JSON literal filter, ``comment``) and each row of TABLE:
- a hand-written subset of the output is checked exactly;
- the language's own parser must give back the original value: Python through
  ``ast.literal_eval``; C# through ONE ``mcs`` call over a file holding every literal as a
  field, run with ``mono`` (it prints each value as UTF-16 hex); R through ONE ``Rscript``
  call (the way samples run) that prints the UTF-8 bytes of each value as hex;
- a comment block followed by a line of code must still compile/parse, with the code line
  intact (nothing of the text escapes the comment, nothing swallows the next line).

Under CI=true a missing mcs/mono/Rscript fails these tests instead of skipping them.
"""
from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from generator.errors import SpecError
from generator.languages import csharp, python, r
from generator.languages.text import comment_lines, one_line
from generator.verify.runners import base_env, require_tools, run_process

ROOT = Path(__file__).resolve().parent.parent

# -- the table ---------------------------------------------------------------------------------

TABLE: list[tuple[str, str]] = [
    ("empty", ""),
    ("plain", "hello world"),
    ("double-quote", '"'),
    ("single-quote", "'"),
    ("backtick", "`whoami`"),
    ("triple-double", '"""'),
    ("triple-single", "'''"),
    ("verbatim-opener", '@"'),
    ("doubled-quotes", '""'),
    ("escaped-quote", '\\"'),
    ("backslash", "\\"),
    ("trailing-backslash", "abc\\"),
    ("backslash-escape-text", "\\n \\t \\0 \\u0041 \\U00000041 \\x41 \\101 \\u{41}"),
    ("dollar", "$HOME ${HOME} $(whoami) $x"),
    ("braces", "{ } {{x}} {0} #{x} {}"),
    ("hash", "# not a comment"),
    ("percent", "%s %d %% %00 %0A %(x)s"),
    ("newline", "a\nb"),
    ("cr", "a\rb"),
    ("crlf", "a\r\nb"),
    ("tab", "a\tb"),
    ("nul", "a\0b"),
    ("nul-then-digits", "\x00123"),
    ("controls", "".join(map(chr, range(1, 32))) + "\x7f"),
    ("c1-controls", "\x80\x85\x9f"),
    ("nel", "a\x85b"),
    ("line-separator", "a\u2028b"),
    ("paragraph-separator", "a\u2029b"),
    ("vt-ff-fs", "a\x0bb\x0cc\x1cd\x1de\x1ef"),
    ("bidi", "\u202eevil\u202c \u2066x\u2069 \u200e\u200f \u061c \u202a\u202b\u202d"),
    ("bom-zero-width", "\ufeff\u200b\u200c\u200d\u2060"),
    ("nbsp-shy", "a\xa0b\xadc"),
    ("latin", "é ß ñ Ö"),
    ("cjk", "日本語"),
    ("rtl", "שלום مرحبا"),
    ("combining", "e\u0301"),
    ("emoji", "😀"),
    ("emoji-zwj", "👩\u200d💻"),
    ("max-code-point", "\U0010ffff"),
    ("private-use", "\ue000\U000f0000"),
    ("noncharacters", "\ufffe\uffff\ufffd"),
    ("comment-tokens", "*/ /* // --> <!-- # ''' \"\"\""),
    ("csharp-breakout", '"; System.Environment.Exit(1); //'),
    ("python-breakout", '"); import os; os.system("x") #'),
    ("r-breakout", '"); system("x"); #'),
    ("long-mixed", ('é"\\\n😀\u2028$\x01{' + "x" * 20) * 400),
    ("long-backslashes", "\\" * 5000),
    ("long-newlines", "\n" * 5000),
    ("long-unicode", "é" * 12000),
    ("long-ascii", "a" * 70000),
]
VALUES = [v for _, v in TABLE]
IDS = [name for name, _ in TABLE]


def json_value(text: str):
    """A JSON value that carries ``text`` as a key, a string and inside an array."""
    return {text: text, "k": [text, 1, None, True, 1.5, {"n": text}], "": ""}


# -- exact outputs -----------------------------------------------------------------------------

EXACT_LIT = [
    # value, C#, Python, R
    ("", '""', '""', '""'),
    ("plain", '"plain"', '"plain"', '"plain"'),
    ('"', r'"\""', r'"\""', r'"\""'),
    ("'", "\"'\"", "\"'\"", "\"'\""),
    ("\\", r'"\\"', r'"\\"', r'"\\"'),
    ("a\nb", r'"a\nb"', r'"a\nb"', r'"a\nb"'),
    ("a\rb", r'"a\rb"', r'"a\rb"', r'"a\rb"'),
    ("a\tb", r'"a\tb"', r'"a\tb"', r'"a\tb"'),
    ("\x00123", r'"\0123"', r'"\x00123"', None),  # R: refused (see test_r_refuses_nul)
    ("\x01\x1f\x7f", r'"\u0001\u001F\u007F"', r'"\x01\x1f\x7f"', r'"\u{0001}\u{001F}\u{007F}"'),
    ("\x0b\x0c", r'"\v\f"', r'"\x0b\x0c"', r'"\u{000B}\u{000C}"'),
    ("\x85", r'"\u0085"', r'"\x85"', r'"\u{0085}"'),
    ("\u2028\u2029", r'"\u2028\u2029"', r'"\u2028\u2029"', r'"\u{2028}\u{2029}"'),
    ("\u202e", r'"\u202E"', r'"\u202e"', r'"\u{202E}"'),
    ("\ufeff", r'"\uFEFF"', r'"\ufeff"', r'"\u{FEFF}"'),
    ("é", r'"\u00E9"', '"é"', r'"\u{00E9}"'),
    ("😀", r'"\U0001F600"', '"😀"', r'"\U{0001F600}"'),
    ("\U000f0000", r'"\U000F0000"', r'"\U000f0000"', r'"\U{000F0000}"'),
    ("$x ${y} {z} #{w} %s", '"$x ${y} {z} #{w} %s"', '"$x ${y} {z} #{w} %s"', '"$x ${y} {z} #{w} %s"'),
    ("*/ // #", '"*/ // #"', '"*/ // #"', '"*/ // #"'),
]


@pytest.mark.parametrize("value, cs, py, rr", EXACT_LIT, ids=[repr(v)[:30] for v, *_ in EXACT_LIT])
def test_lit_exact(value, cs, py, rr):
    assert csharp.FILTERS["lit"](value) == cs
    assert python.FILTERS["lit"](value) == py
    if rr is not None:
        assert r.FILTERS["lit"](value) == rr


def test_lit_of_non_strings_is_their_text():
    assert csharp.cs_string(12) == '"12"'
    assert python.py_string(1.5) == '"1.5"'
    assert r.r_string(True) == '"True"'


def test_json_literals_exact():
    value = {'a"b': "x\ny\\", "k": ["é", 1, None, True, 1.5]}
    assert csharp.FILTERS["json_lit"](value) == (
        '@"{\n  ""a\\""b"": ""x\\ny\\\\"",\n  ""k"": [\n    ""\\u00e9"",\n    1,\n    null,\n'
        '    true,\n    1.5\n  ]\n}"')
    assert csharp.FILTERS["json_lit"]({"a": 1}, 4) == '@"{\n      ""a"": 1\n    }"'
    assert python.FILTERS["value"](value) == (
        '{\n    "a\\"b": "x\\ny\\\\",\n    "k": [\n        "é",\n        1,\n        None,\n'
        '        True,\n        1.5,\n    ],\n}')
    assert python.FILTERS["value"]({}) == "{}"
    assert python.FILTERS["value"]([]) == "[]"
    assert python.FILTERS["value"]("\u2028") == '"\\u2028"'
    assert r.FILTERS["json_lit"](value) == (
        '\'{\n  "a\\\\"b": "x\\\\ny\\\\\\\\",\n  "k": [\n    "\\\\u00e9",\n    1,\n    null,\n'
        '    true,\n    1.5\n  ]\n}\'')
    assert r.FILTERS["json_lit"]({"it's": 1}) == "'{\n  \"it\\'s\": 1\n}'"


EXACT_COMMENT = [
    ("", ""),
    ("one line", "X one line"),
    ("a\nb", "X a\nX b"),
    ("a\r\nb\rc", "X a\nX b\nX c"),
    ("a\u2028b\u2029c\x85d\x0be\x0cf", "X a\nX b\nX c\nX d\nX e\nX f"),
    ("a\x1cb\x1dc\x1ed", "X a\nX b\nX c\nX d"),
    ("first\n\n\n\nsecond\n\n", "X first\nX\nX second"),
    ("\u202eevil\u202c", "X evil"),
    ("tab\there", "X tab here"),
    ("nul\0here", "X nulhere"),
    ("\ufeffbom \u200bzero", "X bom zero"),
    ("*/ code(); /*", "X */ code(); /*"),
    ("é 😀 日本", "X é 😀 日本"),
    ("trailing   \n  indented", "X trailing\nX   indented"),
]


@pytest.mark.parametrize("text, expected", EXACT_COMMENT, ids=[repr(t)[:30] for t, _ in EXACT_COMMENT])
def test_comment_exact(text, expected):
    for module, prefix in ((csharp, "//"), (python, "#"), (r, "#")):
        want = "\n".join(line.replace("X", prefix, 1) for line in expected.split("\n")) if expected else ""
        assert module.FILTERS["comment"](text) == want


def test_comment_wraps_long_text_and_keeps_long_words():
    text = " ".join(["word"] * 60)
    lines = csharp.FILTERS["comment"](text).split("\n")
    assert len(lines) > 1 and all(len(line) <= 92 + 3 for line in lines)
    url = "https://example.com/" + "x" * 300
    assert python.FILTERS["comment"](url) == "# " + url


def test_one_line():
    assert one_line("a\nb\u2028c\r\nd") == "a b c d"
    assert one_line("\u202eevil\0") == "evil"
    long = one_line("x " * 500)
    assert len(long) <= 200 and long.endswith("...")
    assert one_line(None) == ""


# -- properties of the filter outputs, checked in Python --------------------------------------

_ANY_LINE_BREAK = set("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_R_ESCAPE = re.compile(r'\\(?:[nrt"\\]|u\{[0-9A-F]{4}\}|U\{[0-9A-F]{8}\})')


@pytest.mark.parametrize("value", VALUES, ids=IDS)
def test_csharp_literal_is_printable_ascii(value):
    out = csharp.cs_string(value)
    assert out.startswith('"') and out.endswith('"')
    assert all(0x20 <= ord(ch) < 0x7F for ch in out), "only printable ASCII: no raw line terminator or bidi control"
    js = csharp.cs_json(json_value(value), 16)
    assert js.startswith('@"') and js.endswith('"')
    assert all(ch == "\n" or 0x20 <= ord(ch) < 0x7F for ch in js)
    assert '"' not in js[2:-1].replace('""', "")


@pytest.mark.parametrize("value", VALUES, ids=IDS)
def test_python_literal_is_printable(value):
    out = python.py_string(value)
    assert all(ch.isprintable() for ch in out), "no raw control, separator or format character"
    assert ast.literal_eval(out) == value
    structure = json_value(value)
    rendered = python.py_value(structure, 4)
    assert all(ch == "\n" or ch.isprintable() for ch in rendered)
    assert ast.literal_eval(rendered) == structure


@pytest.mark.parametrize("value", [v for v in VALUES if "\0" not in v], ids=[i for i, v in TABLE if "\0" not in v])
def test_r_literal_uses_only_unicode_escapes(value):
    out = r.r_string(value)
    for literal in _r_literals(out):
        assert all(0x20 <= ord(ch) < 0x7F for ch in literal)
        rest = _R_ESCAPE.sub("", literal[1:-1])
        assert "\\" not in rest, "only \\n \\r \\t \\\" \\\\ \\u{} \\U{}: never \\x next to \\u"
    # a long line is safe only when it holds no escape
    assert all(len(line) <= r.MAX_LITERAL or "\\" not in line for line in out.split("\n"))
    js = r.r_json(json_value(value))
    assert all(len(line) <= r.MAX_LITERAL or "\\" not in line for line in js.split("\n"))


def _r_literals(out: str) -> list[str]:
    if out.startswith("paste0(\n"):
        parts = out[len("paste0(\n"):-len("\n)")].split(",\n")
        assert len(parts) > 1
        return parts
    return [out]


def test_r_refuses_nul():
    with pytest.raises(SpecError) as info:
        r.r_string("a\0b")
    assert "NUL" in info.value.message and '"a\\u0000b"' in info.value.message
    with pytest.raises(SpecError):
        r.FILTERS["lit"]("\0")
    # JSON text carries NUL as the escape \u0000, which R holds as six plain characters
    assert json.loads(_r_eval_single_quoted(r.r_json({"k": "a\0b"}))) == {"k": "a\0b"}


def _r_eval_single_quoted(out: str) -> str:
    assert out[0] == out[-1] == "'"
    return re.sub(r"\\(.)", r"\1", out[1:-1], flags=re.S)


@pytest.mark.parametrize("value", VALUES, ids=IDS)
def test_comment_lines_are_safe(value):
    for module, prefix in ((csharp, "// "), (python, "# "), (r, "# ")):
        for text in (value, "before " + value + " after"):
            out = module.FILTERS["comment"](text)
            if not out:
                continue
            for line in out.split("\n"):
                assert line.startswith(prefix.rstrip())
                assert not (set(line) & _ANY_LINE_BREAK)
                assert all(unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
                           for ch in line)
    one = one_line(value)
    assert not (set(one) & _ANY_LINE_BREAK) and len(one) <= 200


def test_comment_keeps_visible_text():
    assert "evil" in python.FILTERS["comment"]("\u202eevil\u202c")
    assert comment_lines("line1\u2028line2") == ["line1", "line2"]


# -- the languages' own parsers -----------------------------------------------------------------

def _python_comment_check(block: str) -> None:
    assert ast.parse(block).body == [], "a comment block must hold no statement"
    tree = ast.parse(block + "\nAFTER = 1\n")
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign)
    assert tree.body[0].targets[0].id == "AFTER"


@pytest.mark.parametrize("value", VALUES, ids=IDS)
def test_python_comment_block_parses(value):
    block = python.FILTERS["comment"]("before " + value + " after")
    _python_comment_check(block)
    compile(block + "\nAFTER = 1\n", "<comment>", "exec")


def _cs_program() -> tuple[str, dict[str, object]]:
    """The C# source and, per field, the value it must hold (str) or JSON it must parse to."""
    fields: list[str] = []
    expect: dict[str, object] = {}
    for i, value in enumerate(VALUES):
        fields.append(f"        static readonly string L{i} = {csharp.cs_string(value)};")
        expect[f"L{i}"] = value
        fields.append(f"        static readonly string J{i} = {csharp.cs_json(json_value(value), 8)};")
        expect[f"J{i}"] = ("json", json_value(value))
        fields.append(csharp.FILTERS["comment"]("before " + value + " after"))
        fields.append(f'        static readonly string C{i} = "after-{i}";')
        expect[f"C{i}"] = f"after-{i}"
    prints = "\n".join(f'            Print(output, "{name}", {name});' for name in expect)
    source = (
        "using System;\nusing System.IO;\nusing System.Text;\n\n"
        "namespace EscapeTable\n{\n    class Program\n    {\n" + "\n".join(fields) + "\n\n"
        "        static void Print(StringBuilder output, string name, string value)\n        {\n"
        "            output.Append(name).Append(':');\n"
        "            foreach (char c in value) { output.Append(((int)c).ToString(\"X4\")); }\n"
        "            output.Append('\\n');\n        }\n\n"
        "        static int Main(string[] args)\n        {\n"
        "            var output = new StringBuilder();\n" + prints + "\n"
        "            File.WriteAllText(args[0], output.ToString(), new UTF8Encoding(false));\n"
        "            return 0;\n        }\n    }\n}\n")
    return source, expect


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _from_utf16_hex(hexed: str) -> str:
    return bytes.fromhex(hexed).decode("utf-16-be")


@pytest.mark.live
def test_csharp_parser_gives_back_every_value(tmp_path):
    require_tools("csharp")
    source, expect = _cs_program()
    (tmp_path / "table.cs").write_text(source, encoding="utf-8", newline="")
    res = run_process(["mcs", "-nologo", "-warnaserror+", "-out:table.exe", "table.cs"], base_env(), timeout=300,
                      cwd=tmp_path)
    assert res.returncode == 0, (res.stdout + res.stderr)[-3000:]
    res = run_process(["mono", "table.exe", "values.txt"], base_env(), timeout=300, cwd=tmp_path)
    assert res.returncode == 0, res.tail()
    got = dict(line.split(":", 1) for line in (tmp_path / "values.txt").read_text(encoding="utf-8").splitlines())
    assert set(got) == set(expect)
    for name, want in expect.items():
        if isinstance(want, tuple):
            assert json.loads(_from_utf16_hex(got[name])) == want[1], name
        else:
            assert got[name] == _utf16_hex(want), f"{name}: {want[:60]!r}"


def _r_program() -> tuple[str, dict[str, object]]:
    lines: list[str] = []
    expect: dict[str, object] = {}
    for i, value in enumerate(VALUES):
        if "\0" not in value:
            lines.append(f"L{i} <- {r.r_string(value)}")
            expect[f"L{i}"] = value
        lines.append(f"J{i} <- {r.r_json(json_value(value))}")
        expect[f"J{i}"] = ("json", json_value(value))
        lines.append(r.FILTERS["comment"]("before " + value + " after"))
        lines.append(f'C{i} <- "after-{i}"')
        expect[f"C{i}"] = f"after-{i}"
    names = ", ".join(f'"{n}"' for n in expect)
    lines.append(f"out <- character(0)\nfor (n in c({names})) {{\n"
                 "  v <- get(n)\n"
                 "  stopifnot(is.character(v), length(v) == 1)\n"
                 "  out <- c(out, paste0(n, ':', paste(as.character(charToRaw(enc2utf8(v))), collapse = '')))\n"
                 "}\n"
                 "writeLines(out, commandArgs(trailingOnly = TRUE)[1], useBytes = TRUE)\n")
    return "\n".join(lines), expect


@pytest.mark.live
def test_r_parser_gives_back_every_value(tmp_path):
    require_tools("r")
    source, expect = _r_program()
    script = tmp_path / "table.R"
    script.write_text(source, encoding="utf-8", newline="")
    # Rscript FILE: the way every sample runs (its console reader has limits parse() has not)
    res = run_process(["Rscript", "--vanilla", str(script), str(tmp_path / "values.txt")], base_env(), timeout=300)
    assert res.returncode == 0, res.tail()
    got = dict(line.split(":", 1) for line in (tmp_path / "values.txt").read_text(encoding="utf-8").splitlines())
    assert set(got) == set(expect)
    for name, want in expect.items():
        text = bytes.fromhex(got[name]).decode("utf-8")
        if isinstance(want, tuple):
            assert json.loads(text) == want[1], name
        else:
            assert text == want, f"{name}: {want[:60]!r}"


@pytest.mark.live
def test_r_long_escaped_literal_at_every_console_offset(tmp_path):
    """An escape at any byte offset of a long line: the literal must survive `Rscript FILE`."""
    require_tools("r")
    lines, expect = [], {}
    for k in range(0, 24):
        value = "a" * (4070 + k) + "\\n\"é" + "b" * 10
        lines.append(f"V{k} <- {r.r_string(value)}")
        expect[f"V{k}"] = value
    names = ", ".join(f'"{n}"' for n in expect)
    lines.append(f"for (n in c({names})) cat(n, ':', paste(as.character(charToRaw(enc2utf8(get(n)))), collapse = ''), "
                 "'\\n', sep = '', file = commandArgs(trailingOnly = TRUE)[1], append = TRUE)")
    script = tmp_path / "offsets.R"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = run_process(["Rscript", "--vanilla", str(script), str(tmp_path / "out.txt")], base_env(), timeout=120)
    assert res.returncode == 0, res.tail()
    got = dict(line.split(":", 1) for line in (tmp_path / "out.txt").read_text(encoding="utf-8").splitlines())
    for name, value in expect.items():
        assert bytes.fromhex(got[name]).decode("utf-8") == value, name


# -- the command line: a NUL the R target cannot carry ------------------------------------------

NUL_DEFINITION = {
    "openapi": "3.0.3",
    "info": {"title": "nul", "version": "1"},
    "paths": {"/items": {"get": {
        "operationId": "listItems",
        "parameters": [{"name": "q", "in": "query", "required": True, "schema": {"type": "string"},
                        "example": "a\u0000b"}],
        "responses": {"200": {"description": "ok"}},
    }}},
}


def test_cli_turns_nul_for_r_into_a_one_line_error(tmp_path):
    definition = tmp_path / "nul.json"
    definition.write_text(json.dumps(NUL_DEFINITION), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "generator.cli", "generate", str(definition), "-t", "r", "-o", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ") and "NUL" in lines[0] and "Traceback" not in proc.stderr
    assert not (out / "r").exists()
    # the other targets carry the same value (escaped, or percent-encoded in the URL)
    proc = subprocess.run([sys.executable, "-m", "generator.cli", "generate", str(definition), "-t", "python",
                           "-t", "csharp", "-o", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    text = (out / "python" / "list_items.py").read_text(encoding="utf-8")
    assert 'Q = "a\\x00b"' in text and '("q", Q)' in text
