"""Which files to lint: walk directories for YAML/JSON, honour .gitignore and excludes."""

from __future__ import annotations

import fnmatch
import glob
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from .repo import Repos, git

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


def context_files(
    files: list[str], exclude: tuple[str, ...], config_root: Path, rbac_paths: tuple[str, ...], repos: Repos, index_only: bool = False
) -> dict[Path | None, list[tuple[str, str | None]]]:
    """The files of each linted file's own repository that feed cross-file rules (all but
    the linted ones, or the config's `rbac.paths`), with git's id of their content where
    git knows it; by repository root. `index_only`: the staged files only (untracked files
    are not part of the commit).

    `rbac.paths` are globs of the config's repository; another repository is read whole.
    Files outside any repository (None) get only `rbac.paths`, never the bindings of the
    repository around the working directory.
    """
    where = [repos.where(f) for f in files if f != "-"]
    roots = dict.fromkeys(w[0] if w is not None else None for w in where)
    globbed: list[str] | None = None
    config_repo = repos.root_of_directory(str(config_root)) if rbac_paths else None
    out: dict[Path | None, list[tuple[str, str | None]]] = {}
    for root in roots:
        own = bool(rbac_paths) and root == config_repo
        listed = git_listing(root, index_only) if root is not None and (index_only or not own) else None
        if own or (root is None and rbac_paths):
            if globbed is None:
                globbed = [f for pat in rbac_paths for f in sorted(glob.glob(str(config_root / pat), recursive=True))]
            given = {os.path.realpath(f) for f in files if f != "-"}
            chosen = {os.path.realpath(f) for f in globbed if os.path.isfile(f)} - given
            if listed is None:
                out[root] = [(f, None) for f in globbed if os.path.realpath(f) in chosen]
            else:
                out[root] = [(f, oid) for f, oid in listed if f in chosen]  # the commit: staged files only
        elif listed is not None:
            # git's paths are its names below the top level: compared with the repository's
            # names of the linted files, no path is resolved
            named = {w[1] for w in where if w is not None and w[0] == root}
            top = len(str(root)) + 1
            out[root] = [
                (f, oid) for f, oid in listed if f[top:] not in named and not (exclude and excluded(f, exclude, config_root))
            ]
    return out
