"""What a change does to who can do what: two access reviews compared, per cluster.

Principals are matched by identity (`Holder.key`: IAM names ignore case and path), so a
row moved from aws-auth to an access entry is a change of how, not a removal. Each change
points at what caused it in the new tree: the principal's row or entry, or the binding or
policy that grants the new power; a principal that is gone points at the row that no
longer matches (an IAM path added, say) or says it was deleted.
"""

from __future__ import annotations

from .review import Change, ClusterAccess, Dead, Diff, Holder, Reason, rank
from .sensitive import SENSITIVE

DELETED = "deleted in this change"


def compare(base: list[ClusterAccess], new: list[ClusterAccess], ref: str) -> Diff:
    diff = Diff(ref)
    old = {c.name: c for c in base}
    cur = {c.name: c for c in new}
    names = [*cur, *(n for n in old if n not in cur)]
    diff.clusters = names
    for name in names:
        diff.changes += _cluster(name, old.get(name), cur.get(name))
    diff.changes.sort(key=lambda c: c.sort_key)
    return diff


def fails(c: Change) -> bool:
    """What `--fail-on-escalation` stops: a gain of cluster-admin or of a sensitive
    permission, or a new principal with more than view."""
    if c.what == "added":
        return c.escalation
    return c.escalation and (c.what == "sensitive" or (c.what == "level" and c.after.endswith("cluster-admin")))


def _cluster(name: str, old: ClusterAccess | None, new: ClusterAccess | None) -> list[Change]:
    before = {h.key: h for h in old.holders} if old is not None else {}
    after = {h.key: h for h in new.holders} if new is not None else {}
    dead = {d.key: d for d in new.dead} if new is not None else {}
    out: list[Change] = []
    if old is not None and new is not None and old.mode != new.mode:
        out.append(Change(name, "(the cluster)", "mode", old.mode or "unknown", new.mode or "unknown", False,
                          new.mode_origin, "which store EKS reads changes with the authentication mode"))
    for key, h in after.items():
        prev = before.get(key)
        out += _added(name, h) if prev is None else _changed(name, prev, h)
    for key, h in before.items():
        if key not in after:
            out.append(_removed(name, h, dead.get(key)))
    return out


def _where(h: Holder) -> str:
    return f"{h.where[0]}:{h.where[1]}"


def _summary(h: Holder) -> str:
    levels = "; ".join(f"{scope}: {lvl}" for scope, lvl in h.levels.items())
    return f"{levels or 'nothing'} as '{h.username}' with groups [{', '.join(h.groups)}]"


def _added(cluster: str, h: Holder) -> list[Change]:
    more = rank(h.level) > rank("view") or bool(h.sensitive)
    detail = f"gets in via {h.via}"
    if h.sensitive:
        detail += "; can " + ", ".join(SENSITIVE[s] for s in h.sensitive)
    return [Change(cluster, h.principal, "added", "", _summary(h), more, _where(h), detail)]


def _removed(cluster: str, h: Holder, dead: Dead | None) -> Change:
    if dead is not None:
        where, detail = f"{dead.where[0]}:{dead.where[1]}", f"its {h.via} no longer lets it in: {dead.reason}"
    else:
        where, detail = DELETED, f"its {h.via} is gone"
    return Change(cluster, h.principal, "removed", _summary(h), "", False, where, detail)


def _changed(cluster: str, old: Holder, new: Holder) -> list[Change]:
    out: list[Change] = []
    here = _where(new)
    if old.via != new.via:
        out.append(Change(cluster, new.principal, "via", old.via, new.via, False, here, "gets in another way"))
    if old.username != new.username:
        out.append(Change(cluster, new.principal, "username", old.username, new.username, False, here,
                          "bindings of the old username no longer apply"))
    if sorted(old.groups) != sorted(new.groups):
        joined = sorted(set(new.groups) - set(old.groups))
        left = sorted(set(old.groups) - set(new.groups))
        detail = "; ".join(x for x in (f"gains {', '.join(joined)}" if joined else "", f"loses {', '.join(left)}" if left else "") if x)
        out.append(Change(cluster, new.principal, "groups", ", ".join(old.groups), ", ".join(new.groups),
                          "system:masters" in joined, here, detail))
    if sorted(old.policies) != sorted(new.policies):
        out.append(Change(cluster, new.principal, "policies", _policies(old), _policies(new), False, here, ""))
    for scope in dict.fromkeys([*new.levels, *old.levels]):
        a, b = old.levels.get(scope, "nothing"), new.levels.get(scope, "nothing")
        if a != b:
            up = rank(b) > rank(a)
            cause = _cause(old, new, scope) if up else here
            out.append(Change(cluster, new.principal, "level", f"{scope}: {a}", f"{scope}: {b}", up, cause,
                              "raised" if up else "lowered"))
    gained, lost = _sensitive(old, new)
    if gained:
        out.append(Change(cluster, new.principal, "sensitive", "", _labels(gained), True, _cause(old, new, None),
                          "gains " + ", ".join(sid for sid, _ in gained)))
    if lost:
        out.append(Change(cluster, new.principal, "sensitive", _labels(lost), "", False, here, "loses " + ", ".join(sid for sid, _ in lost)))
    return out


def _sensitive(old: Holder, new: Holder) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]]]:
    """Sensitive permissions gained and lost, by scope; a namespace is no gain (or loss)
    where the permission holds cluster-wide on the other side."""
    gained: list[tuple[str, list[str]]] = []
    lost: list[tuple[str, list[str]]] = []
    for sid in SENSITIVE:
        a, b = old.sensitive.get(sid, []), new.sensitive.get(sid, [])
        up = [s for s in b if s not in a and "cluster" not in a]
        down = [s for s in a if s not in b and "cluster" not in b]
        if up:
            gained.append((sid, up))
        if down:
            lost.append((sid, down))
    return gained, lost


def _policies(h: Holder) -> str:
    return ", ".join(f"{n} ({s})" for n, s in h.policies)


def _labels(items: list[tuple[str, list[str]]]) -> str:
    return "; ".join(f"{SENSITIVE[sid]} ({', '.join(scopes)})" for sid, scopes in items)


def _cause(old: Holder, new: Holder, scope: str | None) -> str:
    """Where the new power comes from: a binding or policy the base did not grant (in
    that scope); a built-in grant reached by a changed group, or a changed username: the
    principal's own row or entry; else a role that now grants more: its definition."""
    had = {(r.text, r.scope) for r in old.reasons}
    fresh = [r for r in new.reasons if (r.text, r.scope) not in had and (scope is None or r.scope == scope)]
    pick: Reason | None = next((r for r in fresh if r.file), None)
    if pick is not None:
        return f"{pick.file}:{pick.line}" if pick.line else pick.file
    if fresh or old.groups != new.groups or old.username != new.username or old.policies != new.policies:
        return _where(new)
    grew = next((r for r in new.reasons if r.role_file and (scope is None or r.scope == scope)), None)
    if grew is not None:
        return f"{grew.role_file}:{grew.role_line}" if grew.role_line else grew.role_file
    return _where(new)
