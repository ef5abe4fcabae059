"""Safe writes: a temporary file in the same directory, then an atomic rename.

A reader never sees a half-written file, a crash leaves the old file intact, and an
existing file keeps its permission bits.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


class ChangedOnDisk(Exception):
    """The file changed since it was read; it was not overwritten."""


def write_atomic(path: str | Path, data: bytes | str, *, expect: bytes | None = None) -> None:
    """Replace `path` with `data`; with `expect`, only if the file still holds those bytes."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    mode: int | None = None
    try:
        st = target.stat()
        mode = stat.S_IMODE(st.st_mode)
    except FileNotFoundError:
        pass
    if expect is not None and target.read_bytes() != expect:
        raise ChangedOnDisk(str(target))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode if mode is not None else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
