"""Adding a key to operations of a YAML definition by editing its text, so that everything
else (comments, quoting, key order, anchors, blank lines) stays as it was.

The new key goes just before the first key of the operation's mapping, at its column; an
existing one is replaced where it is. The edited text is read back and must give the
definition with the new values; if it does not (a layout the edit does not handle, such
as an operation written in flow style), the whole document is written again from its
parsed form instead (key order kept, comments lost).
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def is_json_text(text: str) -> bool:
    if not text.lstrip().startswith(("{", "[")):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


class _BlockDumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks (``|``), as a person would write code."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str)


def dump(value: Any) -> str:
    return yaml.dump(value, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=1 << 16,
                     default_flow_style=False)


def _child(node: yaml.Node, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k, v
    return None


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def with_code_samples(text: str, samples: dict[tuple[str, ...], list[dict]], key: str,
                      merge: Callable[[Any, list[dict]], list]) -> tuple[str, bool]:
    """``text`` with ``key`` set on the operation at each path of ``samples`` to
    ``merge(existing value or None, samples[path])``, and whether the edit in place failed
    (the document was written again from its parsed form)."""
    data = yaml.load(text, Loader=_Loader)
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # the pure-Python loader: marks are character offsets
    edits: list[tuple[int, int, str]] | None = []
    for path, new in samples.items():
        op, node = data, root
        for part in path:
            found = _child(node, part)
            if found is None or not isinstance(op, dict) or part not in op:
                op = None
                break
            op, node = op[part], found[1]
        if not isinstance(op, dict) or not isinstance(node, yaml.MappingNode) or not node.value:
            continue
        old = op.get(key)
        value = op[key] = merge(old, new)
        existing = _child(node, key)
        first = existing[0] if existing else node.value[0][0]
        start = _line_start(text, first.start_mark.index)
        if text[start:first.start_mark.index].strip():
            edits = None  # the key does not open its line (flow style...): write it all again
            break
        items = _item_edits(text, existing[1], old, value, new) if existing else None
        if items is not None:
            edits += items  # the samples others wrote keep their text
        else:
            end = _end(text, existing[1]) if existing else start
            edits.append((start, end, _indented(dump({key: value}), first.start_mark.column)))
    if edits is not None:
        out = text
        for start, end, block in sorted(edits, reverse=True):
            out = out[:start] + block + out[end:]
        try:
            if yaml.load(out, Loader=_Loader) == data:
                return out, False
        except yaml.YAMLError:
            pass
    return dump(data), True


def _indented(block: str, column: int) -> str:
    return "".join(" " * column + line if line.strip() else line for line in block.splitlines(True))


def _end(text: str, node: yaml.Node) -> int:
    """Where the text of a value ends: a block value where the next key starts (its line),
    a flow value at the end of its line."""
    end = node.end_mark.index
    if not text[_line_start(text, end):end].strip():
        return _line_start(text, end)
    return text.find("\n", end) + 1 or len(text) if end < len(text) else end


def _item_edits(text: str, seq: yaml.Node, old: Any, value: list, new: list) -> list[tuple[int, int, str]] | None:
    """Edits of a block sequence that keep the items still in ``value`` as they are written,
    remove the others and add ``new`` after the last one kept (None: not such a sequence)."""
    if not (isinstance(seq, yaml.SequenceNode) and not seq.flow_style and seq.value and isinstance(old, list)
            and len(old) == len(seq.value)):
        return None
    starts = [_line_start(text, item.start_mark.index) for item in seq.value]
    if not all(re.fullmatch(r"[ ]*-[ ]+", text[s:item.start_mark.index]) for s, item in zip(starts, seq.value)):
        return None
    ends = starts[1:] + [_end(text, seq)]
    kept = value[:len(value) - len(new)]
    edits, j, at = [], 0, starts[0]
    for item, start, end in zip(old, starts, ends):
        if j < len(kept) and item == kept[j]:
            j, at = j + 1, end
        else:
            edits.append((start, end, ""))
    if j != len(kept):
        return None
    column = len(text[starts[0]:]) - len(text[starts[0]:].lstrip(" "))
    return edits + [(at, at, _indented(dump(new), column))]
