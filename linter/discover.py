"""Which files to lint: walk directories for YAML/JSON, honour .gitignore and excludes."""

from __future__ import annotations

import fnmatch
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from .repo import git

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
    proc = git(directory, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".")
    if proc is None or proc.returncode != 0:
        return None
    names = [n for n in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if n]
    return [
        os.path.join(directory, n)
        for n in names
        if n.endswith(SUFFIXES) and os.path.isfile(os.path.join(directory, n))
    ]


def git_listing(root: Path, index_only: bool = False) -> list[tuple[str, str | None]] | None:
    """YAML/JSON files of the work tree at `root`, each with the git object id of its
    content when git already knows it (tracked and unmodified), else None.

    `git ls-files` reads the index (and, unless `index_only`, stats the tree for modified
    and untracked files); no file is opened, so a cache keyed by object ids reads only
    what changed. `index_only` is the view of a commit in progress: pre-commit has stashed
    unstaged changes and untracked files are not part of the commit. None outside git.
    """
    calls = [["-s"]] if index_only else [["-s"], ["--others", "--exclude-standard"], ["-m"]]
    try:
        procs = [
            subprocess.Popen(["git", "-C", str(root), "ls-files", "-z", *a, "--", "."], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            for a in calls
        ]
        outs = [p.communicate(timeout=60)[0] for p in procs]
    except (OSError, subprocess.SubprocessError):
        return None
    if any(p.returncode != 0 for p in procs):
        return None
    outs += [b""] * (3 - len(outs))  # index_only: no untracked or modified files
    staged, others, modified = (o.decode("utf-8", "surrogateescape").split("\0") for o in outs)
    changed = set(modified)
    ids: dict[str, str | None] = {}
    for line in staged:
        if not line.endswith(SUFFIXES):
            continue
        meta, _, name = line.partition("\t")
        mode, oid, stage = meta.split(" ")
        if mode == "160000":  # a submodule
            continue
        # symlinks (their blob is the link text), merge conflicts and changed files: read them
        known = mode != "120000" and stage == "0" and name not in changed and name not in ids
        ids[name] = oid if known else None
    for name in others:
        if name.endswith(SUFFIXES):
            ids.setdefault(name, None)
    top = str(root) + os.sep
    names = sorted(ids) if others else ids  # the index is sorted already
    return [(top + n, ids[n]) for n in names]
