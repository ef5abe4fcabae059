"""Whether RBAC rules allow a request, and whether some rules allow all that others do.

Kubernetes semantics from kubernetes/kubernetes: the authorizer's `ResourceMatches` and
`NonResourceURLMatches` (`pkg/apis/rbac/v1/evaluation_helpers.go`) and `Covers`
(`pkg/registry/rbac/validation/policy_comparator.go`). Asked thousands of times per
review, so rules are compared by identity and plain rules as sets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .rbac import Rule


def in_namespace(namespace: str, pattern: str) -> bool:
    """Whether a namespace (or a narrower pattern) falls under a name or a trailing-`*` pattern."""
    return namespace == pattern or (pattern.endswith("*") and namespace.startswith(pattern[:-1]))


def _has(values: tuple[str, ...], value: str) -> bool:
    return "*" in values or value in values


def _resource(pattern: str, resource: str) -> bool:
    """`ResourceMatches`: `*`, the same name, or `*/sub` for any resource's `sub`."""
    return pattern in ("*", resource) or ("/" in resource and pattern == "*/" + resource.split("/", 1)[1])


def _url(pattern: str, url: str) -> bool:
    """`NonResourceURLMatches`: the same path, or a prefix ending in `*`."""
    return pattern == url or (pattern.endswith("*") and url.startswith(pattern.rstrip("*")))


Atom = tuple[str, str, str, str | None, str | None]  # verb, group, resource, name; or verb, "", "", None, url


def _atoms(rules: Iterable[Rule]) -> Iterator[Atom]:
    """Rules broken down to one verb, group, resource and name each (`breakdownRule`)."""
    for r in rules:
        for v in r.verbs:
            for g in r.api_groups:
                for res in r.resources:
                    yield from ((v, g, res, n, None) for n in r.resource_names or (None,))
            yield from ((v, "", "", None, u) for u in r.urls)


def allows(r: Rule, atom: Atom) -> bool:
    verb, group, resource, name, url = atom
    if not _has(r.verbs, verb):
        return False
    if url is not None:
        return any(_url(p, url) for p in r.urls)
    return (
        _has(r.api_groups, group)
        and any(_resource(p, resource) for p in r.resources)
        and (not r.resource_names or (name is not None and name in r.resource_names))
    )


_ATOMS: dict[tuple[Rule, ...], tuple[frozenset[tuple[str, str, str]], list[Atom]]] = {}


def unique(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """The rules without repeats of one object (a role bound twice): by identity, which is
    cheap, where comparing rules field by field is not."""
    return tuple({id(r): r for r in rules}.values())


@dataclass(frozen=True, slots=True)
class Prepared:
    """Granted rules split for fast questions: every (verb, group, resource) of plain rules
    (no wildcard, no resourceNames, no URLs: they allow any object), and the others."""

    exact: frozenset[tuple[str, str, str]]
    other: tuple[Rule, ...]


def prepare(granted: Iterable[Rule]) -> Prepared:
    exact: set[tuple[str, str, str]] = set()
    other: list[Rule] = []
    for r in unique(granted):
        keys = _plain(r)
        if keys is None:
            other.append(r)
        else:
            exact |= keys
    return Prepared(frozenset(exact), tuple(other))


def prepare_chunks(chunks: Iterable[tuple[Rule, ...]]) -> Prepared:
    """`prepare` for the rules of several tuples (the roles a subject is granted), each
    tuple split once: roles are shared by many subjects."""
    exact: set[tuple[str, str, str]] = set()
    other: list[Rule] = []
    for chunk in chunks:
        got = _CHUNKS.get(id(chunk))
        if got is None or got[0] is not chunk:
            if len(_CHUNKS) > 16384:
                _CHUNKS.clear()
            got = _CHUNKS[id(chunk)] = (chunk, prepare(chunk))
        exact |= got[1].exact
        other += got[1].other
    return Prepared(frozenset(exact), unique(other))


_CHUNKS: dict[int, tuple[tuple[Rule, ...], Prepared]] = {}


def _plain(r: Rule) -> frozenset[tuple[str, str, str]] | None:
    """Every (verb, group, resource) a plain rule allows on any object; None for the others
    (wildcards, resourceNames, URLs)."""
    if r.urls or r.resource_names or "*" in r.verbs or "*" in r.api_groups or any("*" in x for x in r.resources):
        return None
    return frozenset((v, g, res) for v in r.verbs for g in r.api_groups for res in r.resources)


def covers(granted: Iterable[Rule] | Prepared, wanted: Iterable[Rule], cache: bool = False) -> bool:
    """Whether the granted rules allow everything the wanted rules do.

    As `Covers`: a wanted rule without resourceNames needs a granted one without them too.
    Unlike `Covers`, which compares resources as strings, a granted `*/scale` covers
    `deployments/scale`, since the authorizer allows every such request.
    """
    p = granted if isinstance(granted, Prepared) else prepare(granted)
    wanted = tuple(wanted)
    split = _ATOMS.get(wanted)
    if split is None and cache and len(_ATOMS) < 64:  # the reference roles are asked about again and again
        atoms = list(_atoms(wanted))
        plain = frozenset(a[:3] for a in atoms if a[3] is None and a[4] is None)
        split = _ATOMS[wanted] = (plain, [a for a in atoms if a[3] is not None or a[4] is not None])
    if split is None:  # lazily: the first miss ends it
        return all((a[4] is None and a[:3] in p.exact) or any(allows(r, a) for r in p.other) for a in _atoms(wanted))
    plain, rest = split
    missing = plain - p.exact
    if missing and not p.other:
        return False
    return all(any(allows(r, (*a, None, None)) for r in p.other) for a in missing) and all(
        (a[4] is None and a[:3] in p.exact) or any(allows(r, a) for r in p.other) for a in rest
    )
