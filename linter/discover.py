"""Which files to lint: walk directories for YAML/JSON, honour .gitignore and excludes."""

from __future__ import annotations

import fnmatch
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

SUFFIXES = (".yaml", ".yml", ".json")
SKIP_DIRS = {".git", ".hg", ".svn", ".tox", ".venv", "venv", "node_modules", "__pycache__"}


def expand(paths: Iterable[str], exclude: Iterable[str] = (), root: Path | None = None) -> list[str]:
    """Files named explicitly, plus YAML/JSON files found under named directories.

    Results keep the spelling the user gave (relative stays relative), are de-duplicated
    and sorted per directory, so output order never depends on the file system.
    """
    patterns = tuple(exclude)
    out: list[str] = []
    seen: set[str] = set()
    for p in paths:
        found = [p] if p == "-" or not os.path.isdir(p) else _walk(p)
        for f in found:
            norm = os.path.normpath(f)
            if norm not in seen and not excluded(norm, patterns, root):
                seen.add(norm)
                out.append(f if f == "-" else norm)
    return out


def excluded(path: str, patterns: tuple[str, ...], root: Path | None) -> bool:
    if not patterns or path == "-":
        return False
    rel = path
    if root is not None:
        try:
            rel = os.path.relpath(os.path.abspath(path), root)
        except ValueError:
            rel = path
    rel = rel.replace(os.sep, "/")
    parts = rel.split("/")
    for pat in patterns:
        pat = pat.rstrip("/")
        if fnmatch.fnmatch(rel, pat) or fnmatch.fnmatch(rel, pat + "/*"):
            return True
        if "/" not in pat and any(fnmatch.fnmatch(part, pat) for part in parts):
            return True
    return False


def _walk(directory: str) -> list[str]:
    listed = _git_files(directory)
    if listed is not None:
        return sorted(listed)
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        found.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(SUFFIXES))
    return found


def _git_files(directory: str) -> list[str] | None:
    """Tracked and untracked-but-not-ignored files under `directory`, or None outside git."""
    try:
        proc = subprocess.run(
            ["git", "-C", directory, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    names = [n for n in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    return [
        os.path.join(directory, n)
        for n in names
        if n.endswith(SUFFIXES) and os.path.isfile(os.path.join(directory, n))
    ]
