"""Reading a file (bounded), decoding its bytes, and parsing the text as JSON or YAML."""
from __future__ import annotations

import codecs
import os
from typing import Any


from ..errors import Diagnostic, SpecError
from .limits import MAX_BYTES
from .checks import _SURROGATE_ESCAPE, _line_col, _refuse_lone_surrogates
from .json_text import _parse_json
from .yaml_text import _parse_yaml


# --------------------------------------------------------------------------- reading


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def _raise_hint(size: int) -> str:
    return f"--max-size {-(-size // (1024 * 1024))} (MiB) raises the limit"


def _too_large(size: int, max_bytes: int = MAX_BYTES) -> str:
    return (f"file is {size / (1024 * 1024):.1f} MiB; definitions larger than "
            f"{_mib(max_bytes)} MiB are refused ({_raise_hint(size)})")


def _read_file(path: str, display: str, max_bytes: int = MAX_BYTES) -> bytes:
    if path == "":
        raise SpecError("no file name given", display or "<empty path>")
    try:
        if os.path.isdir(path):
            raise SpecError("is a directory, not a definition file", display)
        with open(path, "rb") as fh:
            try:
                st = os.fstat(fh.fileno())
                if st.st_size > max_bytes:
                    raise SpecError(_too_large(st.st_size, max_bytes), display)
            except OSError:  # pragma: no cover - fstat on an open file does not fail in practice
                pass
            raw = fh.read(max_bytes + 1)
    except SpecError:
        raise
    except FileNotFoundError:
        raise SpecError("file not found", display) from None
    except IsADirectoryError:
        raise SpecError("is a directory, not a definition file", display) from None
    except PermissionError:
        raise SpecError("cannot read the file: permission denied", display) from None
    except OSError as exc:
        raise SpecError(f"cannot read the file: {exc.strerror or exc}", display) from None
    except ValueError:  # a NUL character in the path
        raise SpecError("invalid file name", display) from None
    if len(raw) > max_bytes:
        raise SpecError(f"file is more than {_mib(max_bytes)} MiB; definitions larger than "
                        f"{_mib(max_bytes)} MiB are refused ({_raise_hint(len(raw))})", display)
    return raw



def decode_bytes(raw: bytes, display: str) -> str:
    """Bytes -> text: UTF-8 only (a UTF-8 BOM is dropped); refuse everything else clearly."""
    if not raw:
        raise SpecError("file is empty", display)
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise SpecError("file is UTF-32 encoded (byte order mark); UTF-32 is not supported, save as UTF-8",
                        display)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpecError("file is UTF-16 encoded (byte order mark); UTF-16 is not supported, save as UTF-8",
                        display)
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
        if not raw:
            raise SpecError("file is empty (only a byte order mark)", display)
    nul = raw.find(b"\x00")
    if nul >= 0:
        guess = _utf16_32_without_bom(raw)
        if guess:
            raise SpecError(f"file looks {guess} encoded; {guess[:6]} is not supported, save as UTF-8",
                            display)
        line, col = _line_col(raw, nul)
        raise SpecError(f"binary file (NUL byte at byte offset {nul}); expected a JSON or YAML text file",
                        f"{display}:{line}:{col}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        raise SpecError(f"not valid UTF-8 at byte offset {exc.start} (byte 0x{raw[exc.start]:02x}); "
                        "save the file as UTF-8", f"{display}:{line}:{col}") from None


def _utf16_32_without_bom(raw: bytes) -> str:
    """Recognise UTF-16/32 text (no BOM) by where the NUL bytes of ASCII characters sit."""
    head = raw[:256]
    n = len(head) - len(head) % 4
    if n < 4:
        n = len(head) - len(head) % 2
        if n < 2:
            return ""
    if n >= 4:
        quads = [head[i:i + 4] for i in range(0, n, 4)]
        if all(q[1:] == b"\0\0\0" and q[0] for q in quads):
            return "UTF-32 (little-endian)"
        if all(q[:3] == b"\0\0\0" and q[3] for q in quads):
            return "UTF-32 (big-endian)"
    pairs = [head[i:i + 2] for i in range(0, n - n % 2, 2)]
    ascii_le = sum(1 for p in pairs if p[1] == 0 and p[0] != 0)
    ascii_be = sum(1 for p in pairs if p[0] == 0 and p[1] != 0)
    if pairs and ascii_le >= len(pairs) * 0.6:
        return "UTF-16 (little-endian)"
    if pairs and ascii_be >= len(pairs) * 0.6:
        return "UTF-16 (big-endian)"
    return ""


def parse_bytes(raw: bytes, display: str, warnings: list[Diagnostic] | None = None) -> Any:
    """Decode and parse one JSON or YAML file with every bound applied."""
    return parse_text(decode_bytes(raw, display), display, warnings)


def parse_text(text: str, display: str, warnings: list[Diagnostic] | None = None) -> Any:
    """Parse one decoded JSON or YAML text. ``warnings`` given (lenient): a duplicate key is
    a warning there and the last value is kept; otherwise it is an error."""
    stripped = text.lstrip(" \t\r\n")
    if not stripped:
        raise SpecError("file contains only whitespace; expected a JSON or YAML definition", display)
    if stripped[0] in "{[":
        data = _parse_json(text, display, warnings)
    else:
        data = _parse_yaml(text, display, warnings)
    if _SURROGATE_ESCAPE.search(text):
        _refuse_lone_surrogates(data, display)
    return data
