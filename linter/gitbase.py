"""The git base of a run (`--base REF`): each aws-auth document (and each cluster's access
config) as it was at REF, in the repository that holds the file (not the one around the
working directory).

Files are read with `git show REF:path` (no checkout) and paired with the working tree by
path and by the order of aws-auth documents in the file. A file renamed since REF is
followed when git detects the rename (`git diff -M`: the two versions are at least half
the same); a file that is new at REF has no base. Git failures other than an unknown ref
(a timeout, a missing object) leave the file without a base: AA402 is then silent.
"""

from __future__ import annotations

import os
from pathlib import Path

from .loader import SourceFile, load_bytes
from .repo import Repos, git, relative


class BaseError(Exception):
    """The base ref cannot be used (exit 2)."""


def names_nothing(ref: str) -> bool:
    """Whether `ref` cannot name a commit whatever the repository: empty, or ending in `/`
    (no ref name does). That is what `origin/$VAR` leaves when VAR is empty, as
    `GITHUB_BASE_REF` is on a push: a CI template's gap, not a typo, so it skips AA402 with
    a warning; a well-formed ref git does not know stays an error (exit 2)."""
    return not ref.strip() or ref.rstrip().endswith("/")


def attach(files: list[SourceFile], ref: str, repos: Repos | None = None, strict: bool = True) -> None:
    """Give every aws-auth document its counterpart at `ref` in the repository holding
    its file (silently none outside git).

    `strict=False` (the implicit HEAD under pre-commit) is silent when the ref does not
    exist yet, as in a repository before its first commit.
    """
    if ref.startswith("-"):  # never let a ref become a git option
        raise BaseError(f"--base {ref!r} is not a git ref")
    repos = repos or Repos()
    by_root: dict[Path, list[tuple[SourceFile, str]]] = {}
    for sf in files:
        if sf.path == "-" or not (any(d.kind in ("configmap", "patch") for d in sf.awsauth) or sf.access.configs):
            continue
        where = repos.where(sf.path)
        if where is not None:
            root, rel = where
            if os.path.islink(sf.path):  # the link's target is what git has a history of
                real = relative(os.path.realpath(sf.path), root)
                rel = real if not os.path.isabs(real) else rel
            by_root.setdefault(root, []).append((sf, rel))
    for root, members in by_root.items():
        if _resolves(root, ref, strict):
            _attach_in(root, members, ref)


def _resolves(root: Path, ref: str, strict: bool) -> bool:
    proc = git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if proc is None:
        raise BaseError(f"cannot run git to read --base {ref}")
    if proc.returncode != 0 and strict:
        raise BaseError(f"--base {ref!r} is not a commit in {root} (in CI, fetch it first, e.g. actions/checkout with fetch-depth: 0)")
    return proc.returncode == 0


def _attach_in(root: Path, members: list[tuple[SourceFile, str]], ref: str) -> None:
    renames: dict[str, str] | None = None
    for sf, rel in members:
        docs = [d for d in sf.awsauth if d.kind in ("configmap", "patch")]
        shown = git(root, "show", f"{ref}:{rel}")
        if shown is not None and shown.returncode != 0:
            if renames is None:
                renames = _renames(root, ref)
            if rel in renames:
                shown = git(root, "show", f"{ref}:{renames[rel]}")
        if shown is None or shown.returncode != 0:
            continue  # new since ref, or git failed: no base
        old = load_bytes(sf.path, shown.stdout)
        if not isinstance(old, SourceFile):
            continue
        old_docs = [d for d in old.awsauth if d.kind in ("configmap", "patch")]
        for doc, before in zip(docs, old_docs, strict=False):
            doc.base, doc.base_ref = before, ref
        olds = {(c.format, c.name): c for c in old.access.configs}
        for c in sf.access.configs:
            c.base, c.base_ref = olds.get((c.format, c.name)), ref


def _renames(root: Path, ref: str) -> dict[str, str]:
    """Files renamed between `ref` and the work tree (tracked or staged): new path -> old path."""
    proc = git(root, "diff", "--name-status", "-M", "-z", ref, "--")
    if proc is None or proc.returncode != 0:
        return {}
    fields = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    out: dict[str, str] = {}
    i = 0
    while i < len(fields):
        status = fields[i]
        if status.startswith("R") and i + 2 < len(fields):
            out[fields[i + 2]] = fields[i + 1]
            i += 3
        else:
            i += 2
    return out
