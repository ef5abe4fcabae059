"""## What it does
Flags a group mapped in aws-auth (or eksctl `iamIdentityMappings`) that no RoleBinding
or ClusterRoleBinding in the repository names as a `kind: Group` subject, with the exact
spelling. Groups starting with `system:` or `eks:` are Kubernetes' and EKS' own; groups
bound outside the repository can be listed in the `external-groups` option.

The `kubernetesGroups` of a STANDARD EKS access entry (eksctl, CloudFormation, ACK,
Crossplane) are checked the same way, at the group, and the message names the entry's
principal. An entry with an access policy (Crossplane: an `AccessPolicyAssociation`
for it, or one whose principal is unknown at lint time) is left alone: EKS authorises
it through the policy whatever RBAC says, so an unbound group there grants nothing
extra but does not leave the principal without access. Groups unknown at lint time (a
CloudFormation `!Ref`) are not checked, and an entry in a file read only as repository
context (not linted) is not reported.

## Why is this bad?
aws-auth only authenticates; RBAC authorises. A mapped group that no binding names
grants nothing: unless a binding names the username, the person authenticates and is
then forbidden everything. The usual causes: a binding that spells the group differently
(RBAC names are case-sensitive), one that binds the username (or the group's name) as a
`kind: User` instead of the group, or a group named after a Role in the belief that
aws-auth groups are roles. The message says which of these it sees. Access entries
are no different: EKS accepts a group that no binding names without an error.

## Example
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/data
    username: data:{{SessionName}}
    groups: [data-science]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: data}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: datascience, apiGroup: rbac.authorization.k8s.io}
```

## Use instead
```yaml
mapRoles: |
  - rolearn: arn:aws:iam::111122223333:role/data
    username: data:{{SessionName}}
    groups: [data-science]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: data}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: data-science, apiGroup: rbac.authorization.k8s.io}
```

## References
- [Amazon EKS: grant IAM principals access with aws-auth](https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html)
- [Amazon EKS: create access entries](https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint import effective
from awsauth_lint.accessentry import AccessEntry
from awsauth_lint.eksaccess import EksCluster, principal_key
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation
from awsauth_lint.rbac import Index as RbacIndex

META = RuleMeta(
    code="RB001",
    name="group-without-binding",
    summary="A mapped group is bound by no RoleBinding or ClusterRoleBinding",
    default_severity=Severity.ERROR,
    scope="project",
    tags=("correctness",),
    options_schema={
        "external-groups": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Groups bound outside this repository (e.g. by a Helm chart); never flagged.",
        }
    },
)


def check(project: Project, external_groups: list[str] | None = None) -> Iterator[Violation]:
    index = project.rbac
    if index.empty:
        return
    bound = index.subject_names("Group")
    users = index.subject_names("User")
    external = set(external_groups or ())

    def unbound(name: str) -> bool:
        return not (name in bound or name in external or name.startswith(("system:", "eks:")) or "{{" in name)

    for doc in project.docs:
        for g in effective.mapped(doc, "group"):
            name = g.name
            if not unbound(name):
                continue
            yield Violation(
                g.span,
                f"group '{name}' is bound by no RoleBinding or ClusterRoleBinding, so it grants nothing"
                + (f"; {hint}" if (hint := index.group_hint(name)) else "")
                + _why(name, g.username, users, index),
                json_path=g.json_path,
                file=doc.file,
            )
    for ec, e in linted_entries(project):
        if not e.groups or has_policy(e, ec, project.eks):
            continue
        username = e.username.value if e.username is not None and e.username.value else ""
        for t in e.groups:
            group = t.value
            if not group or not unbound(group):
                continue  # None: unknown at lint time (a CloudFormation !Ref)
            yield Violation(
                t.span,
                f"group '{group}' of the access entry for {who(e)} is bound by no RoleBinding or ClusterRoleBinding, "
                "and the entry has no access policy, so it grants nothing"
                + (f"; {hint}" if (hint := index.group_hint(group)) else "")
                + _why(group, username, users, index),
                json_path=t.json_path,
                file=e.file,
            )


def linted_entries(project: Project) -> Iterator[tuple[EksCluster, AccessEntry]]:
    """The STANDARD access entries (not Crossplane policy associations) of the linted
    files, with their cluster: entries in context files are never reported."""
    linted = {f.path for f in project.files}
    for ec in project.eks:
        for e in ec.standing:
            if e.file in linted and e.type_value == "STANDARD":
                yield ec, e


def has_policy(e: AccessEntry, ec: EksCluster, every: list[EksCluster]) -> bool:
    """Whether an access policy is associated with the entry: written on it, or (Crossplane)
    an AccessPolicyAssociation naming its object, naming its principal in the same cluster,
    or whose principal is unknown at lint time in the same cluster (it may be this one)."""
    if e.policies:
        return True
    if e.format != "crossplane":
        return False
    mine = principal_key(e.principal.value) if e.principal is not None and e.principal.value else None
    for c in every:
        for a in c.entries:
            p = a.principal
            if not a.association or p is None:
                continue  # an association without a principal is refused (AE001)
            if e.name and p.ref == e.name:
                return True
            if c is ec and p.value is None and p.ref is None:
                return True  # a selector, unknown at lint time
            if c is ec and mine is not None and p.value and principal_key(p.value) == mine:
                return True
    return False


def who(e: AccessEntry) -> str:
    """The entry's principal as messages name it."""
    p = e.principal
    if p is None:
        return f"no principal ({e.file}:{e.span.start.line})"
    if p.value:
        return p.value
    if p.pattern:
        return p.pattern
    if p.ref:
        return f"the principal of '{p.ref}'"
    return f"a principal unknown at lint time ({e.file}:{p.span.start.line})"


def _why(name: str, username: str, users: set[str], index: RbacIndex) -> str:
    """The two mix-ups seen most in real repositories: the role's name used as the group,
    and the binding written for the username instead of the group."""
    out = ""
    kind = index.role_kind(name)
    if kind is not None:
        out += f"; '{name}' names a {kind}, but a group gets rights only as a kind: Group subject of a binding"
    if username and username != name and username in users:
        out += f"; the bindings name the username '{username}' (kind: User) instead"
    return out
