"""`why` as text and JSON: formatting only, the answer is `why.explain`'s."""

from __future__ import annotations

import json
from typing import Any

from .effective import Verdict
from .parsemap import CURRENT, LEGACY, LINES
from .rbac import Rule
from .reporters.text import clean
from .why import Answer, Section
from .why_entries import policies

LINE_NAMES = {CURRENT: "current authenticator (v0.6.30 and later)", LEGACY: "legacy authenticator (v0.5.x)"}


def _rule_text(r: Rule) -> str:
    if r.urls:
        return f"{','.join(r.verbs)} on URLs {','.join(r.urls)}"
    groups = ",".join(g or "core" for g in r.api_groups)
    names = f" named {','.join(r.resource_names)}" if r.resource_names else ""
    return f"{','.join(r.verbs)} on {','.join(r.resources) or '(none)'}{names} [{groups}]"


def _verdict_text(v: Verdict) -> str:
    if v.random:
        options = "; ".join(_verdict_text(o) for o in v.random)
        return f"RANDOM per request, one of: {options}"
    if not v.authenticated:
        return f"not authenticated ({v.reason})"
    return f"authenticated via {v.via} as '{v.username}' with groups [{', '.join(v.groups)}]"


def render_text(a: Answer) -> str:
    c = a.caller
    out = [f"caller: {c.arn}"]
    if c.converted:
        out.append(f"  (a role ARN: judged as its assumed-role session {c.converted})")
    if c.canonical:
        out.append(f"seen by the authenticator as: {c.canonical}" + (f" (session {c.session})" if c.session else ""))
    for sec in a.sections:
        out += _section_text(sec, len(a.sections) > 1)
    return "\n".join(clean(line) for line in out) + "\n"


def _section_text(sec: Section, several: bool) -> list[str]:
    out: list[str] = []
    if several:
        out += ["", f"== cluster {sec.cluster or '(repository)'}: {sec.file or '(no aws-auth)'} =="]
    elif sec.file:
        out.append(f"aws-auth: {sec.file}" + (f" (cluster {sec.cluster})" if sec.cluster else ""))
    if sec.mode is not None:
        out.append(f"authentication mode: {sec.mode}")
    v = sec.verdict
    if not v.authenticated or v.random:
        if v.random:
            out.append(f"AUTHENTICATED AT RANDOM: {_verdict_text(v)}")
        else:
            out.append(f"NOT AUTHENTICATED: {v.reason} (kubectl: Unauthorized)")
    else:
        where = f" ({sec.file}:{v.entry.node.span.start.line})" if v.entry is not None and sec.file else ""
        where = f" ({sec.access_where})" if sec.access is not None and sec.access_where else where
        out.append(f"authenticated via {v.via}{where}")
        out.append(f"  username: {v.username or '(empty)'}")
        out.append(f"  groups:   {', '.join(v.groups) or '(none)'}")
    out += [f"  - {n}" for n in sec.notes]
    if sec.differs:
        out.append(f"the {LINE_NAMES[LEGACY]} decides differently: {_verdict_text(sec.verdicts[LEGACY])}")
    if v.authenticated:
        out += _may_do(sec)
    return out


def _may_do(sec: Section) -> list[str]:
    out: list[str] = []
    if sec.everything:
        out.append("may do: EVERYTHING (cluster-admin via the built-in binding of system:masters, which bypasses RBAC)")
    elif not sec.grants and not _policies(sec):
        out.append("may do: nothing from the repository's bindings (kubectl answers Forbidden beyond the built-ins below)")
    elif not sec.grants:
        out.append("may do: what its access policies grant (below); nothing from the repository's bindings")
    else:
        out.append("may do:")
        for g in sec.grants:
            out.append(f"  {g.scope}, via {g.via}: {g.role} ({g.binding.file}, binding {g.binding.name})")
            out += [f"    {g.meaning}"] if g.meaning else []
            out += [f"    {_rule_text(rule)}" for rule in g.rules]
    if _policies(sec):
        out.append("access policies (EKS authorizer; kubectl auth can-i --list does not show them):")
        out += [f"  {name} {scope}" + (f": {meaning}" if meaning else "") for name, scope, meaning in _policies(sec)]
    if sec.builtin:
        out.append("built-in grants every EKS cluster has:")
        out += [f"  {b.subject}: {b.binding} -> {b.role}: {b.meaning} [{b.source}]" for b in sec.builtin]
    for grp, hint in sec.unbound:
        out.append(f"group '{grp}' is bound by nothing: it grants nothing (RB001)" + (f"; {hint}" if hint else ""))
    return out


def _policies(sec: Section) -> list[tuple[str, str, str]]:
    return policies(sec.access) if sec.access is not None else []


def _verdict_json(v: Verdict) -> dict[str, Any]:
    return {
        "authenticated": v.authenticated,
        "via": v.via or None,
        "username": v.username if v.authenticated else None,
        "groups": v.groups if v.authenticated else [],
        "reason": v.reason or None,
        "random": [_verdict_json(o) for o in v.random] or None,
    }


def _section_json(sec: Section) -> dict[str, Any]:
    v = sec.verdict
    data: dict[str, Any] = {
        "cluster": sec.cluster or None,
        "aws_auth": sec.file or None,
        "authenticated": v.authenticated and all(o.authenticated for o in v.random),
        "via": v.via or None,
        "username": v.username if v.authenticated else None,
        "groups": v.groups if v.authenticated else [],
        "notes": sec.notes,
        "everything": sec.everything,
        "lines": {line: _verdict_json(sec.verdicts[line]) for line in LINES},
        "lines_differ": sec.differs,
        "grants": [
            {
                "scope": g.scope,
                "via": g.via,
                "role": g.role,
                "binding": {"file": g.binding.file, "name": g.binding.name},
                "meaning": g.meaning or None,
                "rules": [
                    {"verbs": list(x.verbs), "resources": list(x.resources), "apiGroups": list(x.api_groups),
                     "resourceNames": list(x.resource_names), "nonResourceURLs": list(x.urls)}
                    for x in g.rules
                ],
            }
            for g in sec.grants
        ],
        "builtin_grants": [
            {"subject": b.subject, "binding": b.binding, "role": b.role, "meaning": b.meaning, "source": b.source}
            for b in sec.builtin
        ],
        "unbound_groups": [g for g, _ in sec.unbound],
        "unbound_hints": {g: h for g, h in sec.unbound if h},
    }
    if v.entry is not None and sec.file:
        node = v.entry.arn_node or v.entry.node
        data["mapping"] = {"file": sec.file, "line": node.span.start.line, "arn": v.entry.arn}
    data["authentication_mode"] = sec.mode
    e = sec.access
    if e is not None:
        data["access_entry"] = {
            "file": e.file,
            "line": e.principal.span.start.line if e.principal is not None else e.span.start.line,
            "format": e.format,
            "principal": e.principal.value if e.principal is not None else None,
            "type": e.type_value,
            "policies": [{"name": n, "scope": s, "meaning": m or None} for n, s, m in policies(e)],
        }
    return data


def render_json(a: Answer) -> str:
    c = a.caller
    data: dict[str, Any] = {
        "caller": {"arn": c.arn, "canonical": c.canonical or None, "kind": c.kind or None, "account": c.account,
                   "session": c.session, "sts_error": c.error or None},
        **_section_json(a.primary),
        "sections": [_section_json(s) for s in a.sections],
    }
    return json.dumps(data, indent=2) + "\n"
