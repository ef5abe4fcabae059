"""The git repository: where its root is (report paths and fingerprints are relative to
it), running git in it, and git's object ids of contents."""

from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from pathlib import Path


def git(root: Path | str, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    """Run git in `root`; None when it cannot run or times out."""
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


def blob_id(data: bytes, like: str | None = None) -> str:
    """git's object id of `data` as a blob (SHA-256 when `like` is a SHA-256 id)."""
    import hashlib

    h = hashlib.sha256() if like is not None and len(like) == 64 else hashlib.sha1(usedforsecurity=False)
    h.update(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


def read_blob(root: Path, oid: str) -> bytes | None:
    """The content of git object `oid` (None when git cannot give it)."""
    proc = git(root, "cat-file", "blob", oid)
    return proc.stdout if proc is not None and proc.returncode == 0 else None


@lru_cache(maxsize=8)
def toplevel(start: str) -> Path | None:
    """The git work tree containing `start`, or None outside git (or without git)."""
    try:
        proc = subprocess.run(
            ["git", "-C", start, "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    out = proc.stdout.strip()
    return Path(out) if proc.returncode == 0 and out else None


def relative(path: str, root: Path) -> str:
    """`path` as a POSIX path relative to `root` (unchanged when outside it or not a file)."""
    if path == "-" or path.startswith("<"):
        return path
    try:
        rel = os.path.relpath(os.path.abspath(path), root)
    except ValueError:
        return path.replace(os.sep, "/")
    if rel.startswith(".."):
        return path.replace(os.sep, "/")
    return rel.replace(os.sep, "/")
