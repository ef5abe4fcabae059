"""Clusters of a repository: which files are deployed together, so cross-file verdicts
(RB001-RB005, `why`, `export`) are about one cluster and never borrow from another.

Found in this order (docs/clusters.md has pictures):
1. `clusters:` in the config: a name and include globs per cluster;
2. kustomize: each top-level build (an overlay no other kustomization references, or a
   directory a Flux `Kustomization` names) that deploys an aws-auth is a cluster, with
   the files it pulls in;
3. the layout rule: each aws-auth's cluster is rooted at the highest directory above it
   that holds no other aws-auth.
Files in no cluster (a shared `base/` or `rbac/`) belong to every cluster. One aws-auth
and no config: one cluster, the whole repository.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .cache import ContextFile
    from .config import Config
    from .loader import SourceFile
    from .repo import Repos

How = Literal["config", "kustomize", "layout"]


@dataclass(frozen=True, slots=True)
class Cluster:
    name: str
    how: How
    root: str = ""  # layout rule: the directory it is rooted at ("" = the whole repository)
    files: frozenset[str] | None = None  # config and kustomize: exactly these files


@dataclass(slots=True)
class Layout:
    """The clusters of one repository and which of them each file belongs to."""

    clusters: list[Cluster] = field(default_factory=list)
    shared: bool = True  # files in no cluster belong to every cluster (not with explicit config)

    def of(self, path: str) -> list[Cluster]:
        """The clusters a file (repository-relative POSIX path) belongs to."""
        own = [c for c in self.clusters if _holds(c, path)]
        if own or not self.shared:
            return own
        return list(self.clusters)

    @property
    def several(self) -> bool:
        return len(self.clusters) > 1


def _holds(c: Cluster, path: str) -> bool:
    if c.files is not None:
        return path in c.files
    return c.root == "" or path == c.root or path.startswith(c.root + "/")


def assemble(
    paths: Iterable[str],
    awsauth: Iterable[str],
    configured: Iterable[tuple[str, Callable[[str], bool]]] = (),
    kustomize: Iterable[tuple[str, frozenset[str]]] = (),
) -> Layout:
    """The clusters of a repository. `paths`: its files (repository-relative); `awsauth`:
    those holding an aws-auth (or a data-only patch of it); `configured`: configured
    cluster names with a predicate over paths; `kustomize`: top-level builds (root, files)."""
    paths = sorted(set(paths))
    holders = sorted(set(awsauth))
    configured = list(configured)
    if configured:
        clusters = [Cluster(name, "config", files=frozenset(p for p in paths if wanted(p))) for name, wanted in configured]
        rest = [p for p in holders if not any(_holds(c, p) for c in clusters)]
        if rest:  # an aws-auth no configured cluster includes: judged on its own, as before
            clusters.append(Cluster("(not in a configured cluster)", "config", files=frozenset(rest)))
        return Layout(clusters, shared=False)
    builds = [(root, files) for root, files in kustomize if files & set(holders)]
    if builds:
        names = _names([root for root, _ in builds])
        return Layout([Cluster(n, "kustomize", root, files) for n, (root, files) in zip(names, builds, strict=True)])
    roots = _roots(holders)
    if len(roots) <= 1:
        return Layout([Cluster("", "layout", "")])
    return Layout([Cluster(n, "layout", r) for n, r in zip(_names(roots), roots, strict=True)])


def _roots(holders: list[str]) -> list[str]:
    """Per aws-auth file, the highest directory above it that holds no other aws-auth."""
    roots: list[str] = []
    for h in holders:
        others = [o for o in holders if o != h]
        root = posixpath.dirname(h)
        while root and (parent := posixpath.dirname(root)) != root:  # "/" is its own parent
            if any(parent in ("", "/") or o.startswith(parent + "/") for o in others):
                break
            root = parent
        if root not in roots:
            roots.append(root)
    return roots


def _names(roots: list[str]) -> list[str]:
    """Short names: the directory's own name, or more of its path where two would clash."""
    out = []
    for r in roots:
        parts = r.split("/") if r else ["(repository)"]
        n = 1
        while n < len(parts) and sum(1 for x in roots if "/".join(x.split("/")[-n:]) == "/".join(parts[-n:])) > 1:
            n += 1
        out.append("/".join(parts[-n:]))
    return out


Group = tuple[str, list["SourceFile"], list["ContextFile"]]


def split(
    root: Path | None,
    members: list[SourceFile],
    context: list[ContextFile],
    paths: Iterable[tuple[str, str | None]],
    config: Config,
    repos: Repos,
    use_cache: bool = True,
) -> list[Group]:
    """One repository's linted files and context files, per cluster: (name, files, context).
    `paths`: every file of the repository the run knows (linted or not), with git's object id
    of its content where git knows it."""
    prefix = f"{root}{os.sep}" if root is not None else None
    here = os.path.relpath(os.getcwd(), root) if root is not None else ".."
    here = "" if here == "." else here.replace(os.sep, "/")

    def relative(p: str) -> str:
        if prefix is not None and p.startswith(prefix):  # git's listing: the root joined with its name
            return p[len(prefix) :].replace(os.sep, "/")
        if not here.startswith("..") and not os.path.isabs(p):  # found under the working directory
            q = p.replace(os.sep, "/").removeprefix("./")
            if "/." in q or q.startswith("."):  # `..` or `./` inside: normalise (rare)
                q = posixpath.normpath(q)
            return f"{here}/{q}" if here else q
        where = repos.where(p)
        return where[1] if where is not None else p.replace(os.sep, "/")

    rel = {p: relative(p) for p in [*(sf.path for sf in members), *(c.path for c in context)]}
    holders = [rel[sf.path] for sf in members if any(d.kind in ("configmap", "patch") for d in sf.awsauth)]
    holders += [rel[c.path] for c in context if c.awsauth]
    every = _Listing(paths, rel, relative)
    configured = [(c.name, _wanted(config, c.name, every.names)) for c in config.clusters]
    flux = {d for sf in members for d in sf.flux} | {d for c in context for d in c.flux}
    builds: list[tuple[str, frozenset[str]]] = []
    if root is not None and not configured and holders:
        builds = _cached_builds(root, every, set(holders), flux, use_cache)
    layout = assemble(every.names if configured else (), holders, configured, builds)
    if not layout.several:
        return [("", members, context)]
    groups: dict[str, Group] = {c.name: (c.name, [], []) for c in layout.clusters}
    for sf in members:
        for c in layout.of(rel[sf.path]):
            groups[c.name][1].append(sf)
    for x in context:
        for c in layout.of(rel[x.path]):
            groups[c.name][2].append(x)
    return [g for g in groups.values() if g[1]]  # a cluster none of the linted files is in has nothing to report


class _Listing:
    """Every file of the repository, made relative only when something needs all of them."""

    def __init__(self, paths: Iterable[tuple[str, str | None]], known: dict[str, str], relative: Callable[[str], str]):
        self.paths = list(paths)
        self.known, self.relative = known, relative
        self._names: dict[str, str] | None = None
        self.oids: dict[str, str | None] = {}

    @property
    def names(self) -> dict[str, str]:
        """Repository-relative path -> the path as given."""
        if self._names is None:
            self._names = {}
            for p, oid in [*self.paths, *((p, None) for p in self.known)]:
                r = self.known.get(p) or self.relative(p)
                self._names.setdefault(r, p)
                self.oids[r] = self.oids.get(r) or oid
        return self._names

    def complete(self) -> bool:
        """Whether git names the content of every file (the commit's view, under pre-commit)."""
        return bool(self.paths) and all(oid is not None for p, oid in self.paths if p not in self.known)


def _cached_builds(root: Path, every: _Listing, holders: set[str], flux: set[str], use_cache: bool) -> list[tuple[str, frozenset[str]]]:
    """`_builds`, remembered for the same inputs: the repository's file names and the content
    of its kustomizations (git's index checksum when git names every file's content, as under
    pre-commit; else every name and kustomization hashed), the aws-auth files and the Flux
    directories. A hook run on an unchanged index reads no kustomization."""
    import hashlib
    import pickle

    from .cache import cache_file
    from .repo import blob_id

    if not use_cache:
        return _builds(root, every.names, holders, flux)
    digest = hashlib.sha256(repr((sorted(holders), sorted(flux))).encode("utf-8", "surrogateescape"))
    index = _index_checksum(root) if every.complete() else None
    if index is not None:
        digest.update(b"index\0" + index + b"\0" + str(len(every.paths)).encode())
    else:
        names = every.names
        for r in sorted(names):
            oid = every.oids.get(r)
            if oid is None and posixpath.basename(r) in KUSTOMIZATIONS:
                try:
                    oid = blob_id((root / r).read_bytes())
                except OSError:
                    oid = "?"
            digest.update(f"{r}\0{oid or ''}\n".encode("utf-8", "surrogateescape"))
    key = digest.hexdigest()
    store = cache_file(root).with_suffix(".layout") if use_cache else None
    if store is not None:
        try:
            got = pickle.loads(store.read_bytes())
            if isinstance(got, tuple) and got[0] == key:
                return list(got[1])
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError):
            pass
    builds = _builds(root, every.names, holders, flux)
    if store is not None:
        from .atomic import write_atomic

        try:
            store.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(store, pickle.dumps((key, builds), protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError):
            pass  # a cache that cannot be written only costs time
    return builds


def _index_checksum(root: Path) -> bytes | None:
    """The checksum git keeps at the end of its index: it changes with any staged change."""
    try:
        with (root / ".git" / "index").open("rb") as fh:
            fh.seek(-20, os.SEEK_END)
            return fh.read(20)
    except OSError:
        return None


def _wanted(config: Config, name: str, names: dict[str, str]) -> Callable[[str], bool]:
    return lambda r: name in config.clusters_of(names[r])


def _builds(root: Path, names: dict[str, str], holders: set[str], flux: set[str]) -> list[tuple[str, frozenset[str]]]:
    """Top-level kustomize (and Flux) builds that deploy an aws-auth, when the repository
    has a kustomization or a Flux Kustomization (`flux`: the directories they name, known
    from loading or the cache). Kustomizations that may lead to an aws-auth are found by
    `git grep` (one pass in C over them) instead of reading every one."""
    if not flux and not any(posixpath.basename(r) in KUSTOMIZATIONS for r in names):
        return []
    from .kustomize import builds
    from .repo import git

    def read(r: str) -> str | None:
        try:
            return (root / r).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None

    def grep(words: set[str], *where: str) -> set[str] | None:
        args = [a for w in sorted(words) for a in ("-e", w)]
        found = git(root, "grep", "-l", "-z", "-F", *args, "--", *where)
        if found is None or found.returncode not in (0, 1):  # 1: no match
            return None
        return {p for p in found.stdout.decode("utf-8", "surrogateescape").split("\0") if p}

    kustomizations = [f"*{name}" for name in KUSTOMIZATIONS]
    def search(words: set[str]) -> set[str] | None:
        return grep(words, *kustomizations)  # None outside git: every kustomization is read

    return [(b.root, b.files) for b in builds(sorted(names), read, holders, None, search, flux)]


KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def by_cluster(files: list[SourceFile], config: Config, repos: Repos | None = None) -> list[tuple[str, list[SourceFile]]]:
    """The loaded files grouped by repository and cluster (for `why` and `export`, which
    read only what they are given): [(cluster name, files)], "" for a repository's only one."""
    from .repo import Repos

    repos = repos or Repos()
    out: list[tuple[str, list[SourceFile]]] = []
    by_repo: dict[Path | None, list[SourceFile]] = {}
    for sf in files:
        by_repo.setdefault(repos.root(sf.path), []).append(sf)
    for root, members in by_repo.items():
        out += [(name, mine) for name, mine, _ in split(root, members, [], [(sf.path, None) for sf in members], config, repos)]
    return out
