"""Filesystem path checks shared by the loader and the writer."""
from __future__ import annotations

import os


def inside(path: str, root: str) -> bool:
    """Whether ``path`` is ``root`` or lies under it (both absolute, already resolved)."""
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives
        return False
