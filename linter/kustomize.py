"""Which files one kustomize build deploys, read from the kustomization files alone.

Clusters (issue 14) are often kustomize overlays over a shared base: `overlays/prod` deploys
`base/` plus its own patches, `overlays/staging` deploys `base/` plus others, and a binding
only staging deploys must not satisfy prod's aws-auth. Nothing is rendered and nothing is
fetched. The references of each kustomization (`resources`, `bases`, `components`,
`patchesStrategicMerge`, `patches[].path`, `patchesJson6902[].path`, `crds`) are followed
through the repository's own file list, so a remote base, an absolute path or a path out of
the repository is simply not part of the build, and no file outside the list is ever read.
A kustomization that cannot be parsed contributes what could be read of it instead of
stopping the run: the linter reports on files, and a broken build is no reason to stop that.

Where kustomize itself would refuse the build, this module decides as follows:
- A referenced directory without a kustomization file contributes nothing. kustomize fails
  on it ("unable to find one of 'kustomization.yaml', ..."), so its files are deployed by no
  build; guessing them in would let a file that is never applied satisfy RBAC checks.
- A cycle (`a` -> `b` -> `a`) is followed once. Its members reference each other, so only a
  kustomization outside the cycle that names it is a top-level build.
- An unreferenced `kind: Component` is not a build: a component is only deployed through a
  kustomization that names it.

Flux: a `Kustomization` of `kustomize.toolkit.fluxcd.io` builds `spec.path` of its source,
taken here to be this repository (a path naming no directory of it is ignored, as is a
missing `spec.path`, which means the root of a source that may be another repository).
Without a kustomization file there, the kustomize-controller generates one from every
`.yaml`/`.yml` file below the directory, taking a subdirectory that holds a kustomization as
that kustomization's build instead of descending into it; this module does the same.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .nodes import Map, Node, Scalar, Seq, get_str
from .source import compose, compose_relevant

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")  # kustomize's order
FLUX_GROUP = "kustomize.toolkit.fluxcd.io"
_DIRECTORY_KEYS = ("resources", "bases", "components")  # a file or a kustomization directory
_FILE_KEYS = ("patchesStrategicMerge", "crds")  # file paths (an inline patch names no file)
_PATH_KEYS = ("patches", "patchesJson6902")  # lists of mappings whose `path` is a file
_REMOTE_PREFIXES = ("git@", "git::", "gh:", "github.com/", "gitlab.com/", "bitbucket.org/")
_FLUX_FILES = (".yaml", ".yml", ".json")  # where Flux objects may be written
_GENERATED = (".yaml", ".yml")  # what the kustomize-controller puts in a generated kustomization


@dataclass(frozen=True, slots=True)
class Build:
    """One top-level build: the files it deploys, so that a cluster is the files it is made of.

    `root` is the directory of the kustomization ("" for the repository root), `files` every
    manifest the build deploys (resources, bases, components, patch files, recursively; the
    kustomization files themselves are not manifests and are left out), `flux` whether a Flux
    Kustomization names `root` in `spec.path`. Paths are relative POSIX paths.
    """

    root: str
    files: frozenset[str]
    flux: bool = False


@dataclass(frozen=True, slots=True)
class _Refs:
    """What one kustomization names, resolved against the repository's files."""

    files: tuple[str, ...] = ()  # files named directly
    dirs: tuple[str, ...] = ()  # directories with a kustomization (bases, components)
    component: bool = False


def builds(
    repo_files: list[str],
    read: Callable[[str], str | None],
    wanted: set[str] | None = None,
    flux_files: list[str] | None = None,
    search: Callable[[set[str]], set[str] | None] | None = None,
    flux_named: Iterable[str] | None = None,
) -> list[Build]:
    """The top-level builds of a repository: kustomizations no other kustomization references
    (overlays), plus directories Flux Kustomization objects name in spec.path. `repo_files`:
    every file of the repository as relative POSIX paths; `read(path)` returns its text or None.
    Every YAML/JSON file is read once (Flux objects can be anywhere) unless `flux_files` names
    the ones that mention the Flux group; a kustomization is composed once, and other files
    only when they mention the Flux group. With `wanted`, only builds that deploy one of those
    files are returned, and only kustomizations whose text names a path on the way to one are
    composed (a repository of thousands of application kustomizations costs a text search);
    `search(words)` may name the files whose text holds any of the words (a superset), so
    that the others are never read. `flux_named`: the spec.path directories of the Flux
    Kustomizations, when the caller already has them (then no file is searched for them).
    """
    repo = _Repo(repo_files, read)
    named = flux_named if flux_named is not None else _flux_paths(repo_files if flux_files is None else flux_files, repo.text)
    flux = {d for d in named if d in repo.dirs}
    kdirs = list(repo.kdirs) if wanted is None else _towards(repo, wanted, search)
    referenced: set[str] = set()
    for d in kdirs:
        referenced.update(sub for sub in repo.refs(d).dirs if sub != d)
    for d in flux - repo.kdirs.keys():
        referenced.update(repo.generated(d)[1])
    roots = {d for d in kdirs if d not in referenced and not repo.refs(d).component} | flux
    found = [Build(d, repo.deployed(d), d in flux) for d in sorted(roots)]
    return found if wanted is None else [b for b in found if b.files & wanted]


def _towards(repo: _Repo, wanted: set[str], search: Callable[[set[str]], set[str] | None] | None = None) -> list[str]:
    """The kustomization directories that may lead to a wanted file: those whose text names
    one of the file names or directory names on the way (a kustomization can only reach a
    file through a path ending in such a name), widened by each one found, until stable."""
    names = {part for w in wanted for part in w.split("/")}
    found: set[str] = set()
    while True:
        pattern = re.compile(r"(?:^|[\s/'\"\[,])(?:" + "|".join(map(re.escape, sorted(names))) + r")(?:$|[\s/'\"\],])", re.M)
        hits = search(names) if search is not None else None
        new = {
            d for d, k in repo.kdirs.items()
            if d not in found and (hits is None or k in hits) and pattern.search(repo.text(k) or "")
        }
        if not new:
            return sorted(found)
        found |= new
        names |= {part for d in new for part in d.split("/") if part}


class _Repo:
    """The repository's files and directories, and each kustomization parsed at most once."""

    def __init__(self, repo_files: list[str], read: Callable[[str], str | None]) -> None:
        self.files = frozenset(repo_files)
        self.read = read
        self.dirs: set[str] = set()
        self.kdirs: dict[str, str] = {}  # directory -> the kustomization file kustomize uses
        self._refs: dict[str, _Refs] = {}
        self._texts: dict[str, str | None] = {}  # kustomization files, read once for Flux and kustomize
        self._generated: dict[str, tuple[list[str], set[str]]] = {}
        for f in repo_files:
            d, name = posixpath.split(f)
            if name in KUSTOMIZATION_NAMES:
                old = self.kdirs.get(d)
                rank = KUSTOMIZATION_NAMES.index
                if old is None or rank(name) < rank(posixpath.basename(old)):
                    self.kdirs[d] = f
            while d not in self.dirs:
                self.dirs.add(d)
                if not d:
                    break
                d = posixpath.dirname(d)

    def text(self, path: str) -> str | None:
        """`read(path)`, kept for kustomization files only: every other file is read once anyway."""
        if posixpath.basename(path) not in KUSTOMIZATION_NAMES:
            return self.read(path)
        if path not in self._texts:
            self._texts[path] = self.read(path)
        return self._texts[path]

    def refs(self, d: str) -> _Refs:
        if d not in self._refs:
            self._refs[d] = self._parse(d)
        return self._refs[d]

    def _parse(self, d: str) -> _Refs:
        doc = _document(self.text(self.kdirs[d]))
        if doc is None:
            return _Refs()
        files: list[str] = []
        dirs: list[str] = []
        for key in (*_DIRECTORY_KEYS, *_FILE_KEYS):
            for ref in _strings(doc.get(key)):
                path = _resolve(d, ref)
                if path is None:
                    continue
                if path in self.files:
                    files.append(path)
                elif key in _DIRECTORY_KEYS and path in self.kdirs:
                    dirs.append(path)
        for key in _PATH_KEYS:
            for item in _items(doc.get(key)):
                patch = _resolve(d, get_str(item, "path") or "")
                if patch is not None and patch in self.files:
                    files.append(patch)
        return _Refs(tuple(files), tuple(dirs), get_str(doc, "kind") == "Component")

    def generated(self, top: str) -> tuple[list[str], set[str]]:
        """The files and kustomization directories of the kustomization Flux generates for
        `top`: YAML files below it, except under a subdirectory that has its own kustomization,
        which is taken whole (the outermost such directory)."""
        if top not in self._generated:
            prefix = f"{top}/" if top else ""
            files: list[str] = []
            subs: set[str] = set()
            for f in sorted(self.files):
                if not f.startswith(prefix):
                    continue
                sub = self._outer_kdir(top, f[len(prefix) :])
                if sub is not None:
                    subs.add(sub)
                elif f.endswith(_GENERATED):
                    files.append(f)
            self._generated[top] = (files, subs)
        return self._generated[top]

    def _outer_kdir(self, top: str, below: str) -> str | None:
        d = top
        for part in below.split("/")[:-1]:
            d = f"{d}/{part}" if d else part
            if d in self.kdirs:
                return d
        return None

    def deployed(self, root: str) -> frozenset[str]:
        """Every file the build at `root` deploys; a loop, not recursion, so that neither a
        cycle nor a long chain of bases can exhaust the stack."""
        out: set[str] = set()
        seen: set[str] = set()
        todo = [root]
        while todo:
            d = todo.pop()
            if d in seen:
                continue
            seen.add(d)
            if d in self.kdirs:
                refs = self.refs(d)
                out.update(refs.files)
                todo.extend(refs.dirs)
            else:  # only a Flux root without a kustomization gets here
                files, subs = self.generated(d)
                out.update(files)
                todo.extend(subs)
        return frozenset(f for f in out if posixpath.basename(f) not in KUSTOMIZATION_NAMES)


def _resolve(base: str, ref: str) -> str | None:
    """`ref` of the kustomization in `base` as a repository path; None when it is remote (a
    URL, an SSH or go-getter address, a query string such as `?ref=`), absolute, or leaves
    the repository. Whether it exists is the caller's check against the file list."""
    ref = ref.strip()
    if not ref or ref.startswith(("/", *_REMOTE_PREFIXES)) or "://" in ref or "?" in ref:
        return None
    path = posixpath.normpath(posixpath.join(base, ref))
    if path == ".." or path.startswith("../"):
        return None
    return "" if path == "." else path


def flux_dirs(docs: Iterable[Node | None]) -> tuple[str, ...]:
    """The directories Flux Kustomization objects among composed documents name in spec.path
    (what a file contributes to finding clusters; taken when it is loaded, then cached)."""
    out: list[str] = []
    for doc in docs:
        api = get_str(doc, "apiVersion") or ""
        path = get_str(doc, "spec", "path")
        if get_str(doc, "kind") != "Kustomization" or not api.startswith(f"{FLUX_GROUP}/") or path is None:
            continue
        d = _resolve("", path.strip().lstrip("/") or ".")  # Flux joins spec.path under the source root
        if d is not None:
            out.append(d)
    return tuple(out)


def _flux_paths(repo_files: list[str], read: Callable[[str], str | None]) -> Iterator[str]:
    """Directories named by `spec.path` of Flux Kustomization objects. Only documents that
    mention the Flux group are composed, so ordinary manifests cost a substring search."""
    for f in repo_files:
        if not f.endswith(_FLUX_FILES):
            continue
        text = read(f)
        if text is None or FLUX_GROUP not in text:
            continue
        for doc in compose_relevant(text, (FLUX_GROUP,)).docs:
            api = get_str(doc, "apiVersion") or ""
            path = get_str(doc, "spec", "path")
            if get_str(doc, "kind") != "Kustomization" or not api.startswith(f"{FLUX_GROUP}/") or path is None:
                continue
            # Flux joins spec.path under the source root, so a leading "/" or "./" means the same.
            d = _resolve("", path.strip().lstrip("/") or ".")
            if d is not None:
                yield d


def _document(text: str | None) -> Map | None:
    """The kustomization's mapping, or None when it is unreadable or not a mapping."""
    if text is None:
        return None
    docs = compose(text).docs
    return docs[0] if docs and isinstance(docs[0], Map) else None


def _strings(node: Node | None) -> Iterator[str]:
    if isinstance(node, Seq):
        yield from (item.value for item in node.items if isinstance(item, Scalar))


def _items(node: Node | None) -> Iterator[Map]:
    if isinstance(node, Seq):
        yield from (item for item in node.items if isinstance(item, Map))
