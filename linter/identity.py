"""How the authenticator maps a caller to a Kubernetes identity (for `awsauth-lint why`).

Mirrors aws-iam-authenticator: the caller's ARN is canonicalised (an STS
`assumed-role/NAME/SESSION` becomes `iam ... role/NAME`, without any IAM path), looked up
case-insensitively in mapRoles (the last duplicate wins), then mapUsers, then
mapAccounts; templates are rendered in the username and every group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .awsauth import AwsAuthDoc, Mapping

ARN = re.compile(r"^arn:(?P<partition>[^:]+):(?P<service>[^:]+):(?P<region>[^:]*):(?P<account>[^:]*):(?P<resource>.+)$")


class IdentityError(ValueError):
    """IDENTITY is not an ARN the authenticator could see."""


@dataclass(frozen=True, slots=True)
class Caller:
    arn: str  # as given
    canonical: str  # what the authenticator looks up
    account: str
    kind: str  # role, user, root, federated-user
    session: str = ""


def caller(arn: str, session_name: str | None = None) -> Caller:
    """Canonicalise what `aws sts get-caller-identity` prints (or a role/user ARN)."""
    m = ARN.match(arn.strip())
    if m is None:
        raise IdentityError(f"not an ARN: {arn!r}")
    part, service, account, resource = m["partition"], m["service"], m["account"], m["resource"]
    if service == "sts" and resource.startswith("assumed-role/"):
        parts = resource.split("/")
        if len(parts) < 3:
            raise IdentityError(f"assumed-role ARN without a session name: {arn}")
        return Caller(arn, f"arn:{part}:iam::{account}:role/{parts[1]}", account, "role", "/".join(parts[2:]))
    if service == "sts" and resource.startswith("federated-user/"):
        return Caller(arn, arn, account, "federated-user", resource.split("/", 1)[1])
    if service == "iam" and resource.startswith("role/"):
        name = resource.rsplit("/", 1)[-1]
        return Caller(arn, f"arn:{part}:iam::{account}:role/{name}", account, "role", session_name or "")
    if service == "iam" and resource.startswith("user/"):
        return Caller(arn, arn, account, "user", session_name or "")
    if service == "iam" and resource == "root":
        return Caller(arn, arn, account, "root")
    raise IdentityError(f"not a caller identity the authenticator maps: {arn}")


@dataclass(slots=True)
class Resolution:
    """The outcome for one caller: the mapping used (if any) and what it renders to."""

    caller: Caller
    mapping: Mapping | None = None
    doc: AwsAuthDoc | None = None
    via: str = ""  # mapRoles, mapUsers, mapAccounts, or "" when not authenticated
    username: str = ""
    groups: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # explanations, nearest misses

    @property
    def authenticated(self) -> bool:
        return bool(self.via)


def render(template: str, c: Caller) -> tuple[str, list[str]]:
    """Render the five templates exactly (case-sensitive), as the authenticator does."""
    notes: list[str] = []
    out = template
    if "{{EC2PrivateDNSName}}" in out:
        notes.append(
            "{{EC2PrivateDNSName}} is filled from the EC2 instance whose id is the session name; "
            "for any other caller the authenticator denies the request"
        )
        out = out.replace("{{EC2PrivateDNSName}}", "<private-dns-name of " + (c.session or "the instance") + ">")
    out = out.replace("{{AccountID}}", c.account)
    out = out.replace("{{SessionNameRaw}}", c.session)
    out = out.replace("{{SessionName}}", c.session.replace("@", "-"))
    if "{{AccessKeyID}}" in out:
        notes.append("{{AccessKeyID}} is the caller's access key id (not known offline)")
        out = out.replace("{{AccessKeyID}}", "<access-key-id>")
    return out, notes


def resolve(c: Caller, docs: list[AwsAuthDoc]) -> Resolution:
    """Look the caller up the way the authenticator does, over every aws-auth ConfigMap."""
    res = Resolution(c)
    configmaps = [d for d in docs if d.kind in ("configmap", "patch")]
    key = c.canonical.lower()
    for section in ("mapRoles", "mapUsers"):
        hits = [
            (d, m)
            for d in configmaps
            for m in (d.map_roles if section == "mapRoles" else d.map_users)
            if m.arn is not None and m.arn.value.lower() == key
        ]
        if hits:
            doc, mapping = hits[-1]  # roles: the last entry wins
            if section == "mapUsers" and len({m.arn.value for _, m in hits if m.arn}) > 1:
                res.notes.append("several mapUsers entries differ only in case: which one applies is random per request")
            res.mapping, res.doc, res.via = mapping, doc, section
            raw_user = mapping.username.value if mapping.username else ""
            res.username, notes = render(raw_user, c)
            res.notes += notes
            res.groups = [render(g, c)[0] for g in mapping.group_names]
            if len(hits) > 1 and section == "mapRoles":
                res.notes.append(f"{len(hits)} mapRoles entries match; the last one (shown) wins")
            return res
    for d in configmaps:
        if any(a.value == c.account for a in d.map_accounts):
            res.doc, res.via, res.username = d, "mapAccounts", c.canonical
            res.notes.append(f"account {c.account} is in mapAccounts: every principal of it authenticates with no groups")
            return res
    res.notes += near_misses(c, configmaps)
    return res


def near_misses(c: Caller, docs: list[AwsAuthDoc]) -> list[str]:
    """Why a caller that is not mapped might have expected to be."""
    out: list[str] = []
    name = c.canonical.rsplit("/", 1)[-1].lower()
    for d in docs:
        for key, em in d.maps.items():
            if em.error is not None:
                s = em.error.span.start
                out.append(f"{d.file}:{s.line}: {key} does not parse, so the authenticator drops every entry of it")
        for m in d.mappings:
            if m.arn is None:
                continue
            arn = m.arn.value
            low = arn.lower()
            where = f"{d.file}:{m.arn.span.start.line}"
            tail = low.rsplit("/", 1)[-1]
            if low.strip() != low and low.strip() == c.canonical.lower():
                out.append(f"{where}: the mapped ARN has surrounding whitespace, so it never matches")
            elif tail == name and low != c.canonical.lower() and f":{c.account}:" in low:
                if "aws-reserved/sso.amazonaws.com" in low:
                    out.append(
                        f"{where}: mapped with its IAM Identity Center path ({arn}); the authenticator "
                        f"sees {c.canonical} (no path), so map that instead"
                    )
                elif ":role/" in low and c.kind == "role":
                    out.append(f"{where}: mapped with an IAM path ({arn}); callers are seen without it: map {c.canonical}")
                elif m.section != ("mapRoles" if c.kind == "role" else "mapUsers"):
                    out.append(f"{where}: a similar ARN is in {m.section} ({arn})")
    return out
