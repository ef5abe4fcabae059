"""## What it does
Flags a mapping with no groups whose username no RoleBinding or ClusterRoleBinding
names as a `kind: User` subject. Usernames with templates (`{{SessionName}}`) are not
checked: their rendered value is only known at login.

A STANDARD EKS access entry (eksctl, CloudFormation, ACK, Crossplane) is checked the
same way when it writes a username and has no `kubernetesGroups` and no access policy
(Crossplane: no `AccessPolicyAssociation` for it): the finding is at the username and
names the entry's principal. An entry that writes no username gets EKS's default (a
role's session ARN with `{{SessionName}}`, a user's ARN), which is not checked, nor is
a username unknown at lint time; an entry in a file read only as repository context
(not linted) is not reported.

## Why is this bad?
Without groups, a mapping can only be authorised through bindings to its username. If
none names it, the principal authenticates and can do nothing: `kubectl` answers
`Forbidden` for everything, which is easy to mistake for an aws-auth problem. An
access entry with no groups and no access policy gets only the API discovery roles.

## Example
```yaml
mapUsers: |
  - userarn: arn:aws:iam::111122223333:user/alice
    username: alice
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}
```

## Use instead
```yaml
mapUsers: |
  - userarn: arn:aws:iam::111122223333:user/alice
    username: alice
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
```

## References
- [Kubernetes: RBAC subjects](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects)
- [Amazon EKS: create access entries](https://docs.aws.amazon.com/eks/latest/userguide/creating-access-entries.html)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint import effective
from awsauth_lint.engine import Project
from awsauth_lint.model import RuleMeta, Severity, Violation

from .rb001_group_without_binding import has_policy, linted_entries, who

META = RuleMeta(
    code="RB002",
    name="user-without-binding",
    summary="A mapping without groups has a username no binding names",
    default_severity=Severity.WARNING,
    scope="project",
    tags=("correctness",),
)


def check(project: Project) -> Iterator[Violation]:
    index = project.rbac
    if index.empty:
        return
    users = index.subject_names("User")
    for doc in project.docs:
        for u in effective.mapped(doc, "username"):
            name = u.name
            if u.has_groups or "{{" in name or name in users:
                continue
            yield Violation(
                u.span,
                f"'{name}' has no groups and no binding names it as a User: it authenticates but can do nothing{_hint(name, users)}",
                json_path=u.json_path,
                file=doc.file,
            )
    for ec, e in linted_entries(project):
        t = e.username
        user = t.value if t is not None else None
        if t is None or not user or e.groups or "{{" in user or user in users or has_policy(e, ec, project.eks):
            continue  # no username (EKS's default), or one unknown at lint time
        yield Violation(
            t.span,
            f"'{user}' (the access entry for {who(e)}) has no groups, no access policy, and no binding names it as a User: "
            f"it authenticates but can do nothing{_hint(user, users)}",
            json_path=t.json_path,
            file=e.file,
        )


def _hint(name: str, users: set[str]) -> str:
    close = sorted(x for x in users if x.lower() == name.lower())
    return f"; did you mean '{close[0]}' (case-sensitive)?" if close else ""
