"""## What it does
Flags an access entry that breaks its format's schema or the EKS API's: no principal ARN,
a `type` that is not one of the exact upper-case values (`STANDARD`, `EC2`, `EC2_LINUX`,
`EC2_WINDOWS`, `FARGATE_LINUX`, `HYBRID_LINUX`, `HYPERPOD_LINUX`), a field of the wrong
type or a key the format does not know, an access scope whose type is not `cluster` or
`namespace`, a `namespace` scope without namespaces, a `cluster` scope with them.

## Why is this bad?
The tools hand these values to EKS as they are, and EKS checks them when the change is
applied: `Standard` or `EC2_Linux` (spellings older AWS pages print) fail with
`AccessEntry type must be one of [...]`, and the whole entry, with the access it was
meant to grant, is refused. eksctl refuses most of these before it calls EKS, and a
CloudFormation stack rolls back. The fix writes a type's exact upper-case spelling. It is
unsafe (`--unsafe-fixes`): the refused entry starts to let its principal in.

Wildcards in namespaces (`dev-*`) are allowed and not flagged.

## Example
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/nodes
      type: EC2_Linux
    - principalARN: arn:aws:iam::111122223333:role/developers
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy
          accessScope:
            type: namespace
```

## Use instead
```yaml
apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
accessConfig:
  accessEntries:
    - principalARN: arn:aws:iam::111122223333:role/nodes
      type: EC2_LINUX
    - principalARN: arn:aws:iam::111122223333:role/developers
      accessPolicies:
        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy
          accessScope:
            type: namespace
            namespaces: ["dev-*"]
```

## References
- [EKS API: CreateAccessEntry](https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessEntry.html) (`type`)
- [EKS API: AccessScope](https://docs.aws.amazon.com/eks/latest/APIReference/API_AccessScope.html)
- [aws-cdk#31147](https://github.com/aws/aws-cdk/pull/31147) (`AccessEntry type must be one of [...]`)
"""

from __future__ import annotations

from collections.abc import Iterator

from awsauth_lint.accessentry import TYPES, AccessEntry, Policy, Scope, Text
from awsauth_lint.model import Edit, Fix, Position, RuleMeta, Severity, Span, Violation

META = RuleMeta(
    code="AE001",
    name="invalid-access-entry",
    summary="An access entry breaks its format's schema: no principal, a wrong type or access scope",
    default_severity=Severity.ERROR,
    scope="access",
    tags=("correctness",),
    fixable="unsafe",
)

PRINCIPAL_KEY = {
    "eksctl": "principalARN",
    "cloudformation": "PrincipalArn",
    "ack": "principalARN",
    "crossplane": "principalArn (or principalArnFromRoleRef, principalArnFromRoleSelector)",
}
SCOPE_TYPES = ("cluster", "namespace")
TYPE_LIST = f"AccessEntry type must be one of [{', '.join(sorted(TYPES))}]"


def value_fix(text: Text, new: str, description: str) -> Fix | None:
    """Replace a one-line scalar's value, inside its quotes if it has them; unsafe (see module docs)."""
    span, value = text.span, text.value or ""
    if not span.exact or span.start.line != span.end.line:
        return None
    width = span.end.column - span.start.column
    if width == len(value) + 2:  # quoted: keep the quotes
        span = Span(Position(span.start.line, span.start.column + 1), Position(span.end.line, span.end.column - 1))
    elif width != len(value):  # escapes: no one-to-one mapping
        return None
    return Fix(description, (Edit(span, new),), safe=False)


def _type(entry: AccessEntry) -> Iterator[Violation]:
    t = entry.type
    if t is None or t.value is None or t.kind != "str" or t.value == "":
        return
    if entry.format == "eksctl" and t.value == "HYPERPOD_LINUX":
        yield Violation(
            t.span,
            "eksctl does not accept type HYPERPOD_LINUX ('invalid access entry type \"HYPERPOD_LINUX\" for "
            "accessEntries[i]'); create this entry with another tool",
            json_path=t.json_path,
        )
        return
    if t.value in TYPES:
        return
    meant = t.value.strip().upper().replace("-", "_").replace(" ", "_")
    refusal = f"EKS refuses it ('{TYPE_LIST}')"
    if entry.format == "eksctl":
        refusal = f"eksctl refuses it ('invalid access entry type \"{t.value}\" for accessEntries[i]'), as does EKS"
    if meant in TYPES:
        yield Violation(
            t.span,
            f"type '{t.value}' is not an exact type: the values are upper case and {refusal}; write '{meant}'",
            json_path=t.json_path,
            fix=value_fix(t, meant, f"write the type as '{meant}'"),
        )
    else:
        yield Violation(t.span, f"type '{t.value}' is not an access entry type: {refusal}", json_path=t.json_path)


def _scope(policy: Policy, scope: Scope) -> Iterator[Violation]:
    t = scope.type
    if t is None:
        span = scope.span or policy.span
        if span is not None:
            yield Violation(
                span,
                "access scope without a type: EKS needs 'cluster' or 'namespace' (eksctl: 'accessScope.type must be "
                "set to either \"namespace\" or \"cluster\"')",
                json_path=scope.json_path,
            )
        return
    if t.value is None or t.kind != "str":
        return
    if t.value not in SCOPE_TYPES:
        meant = t.value.strip().lower()
        hint = f"; write '{meant}'" if meant in SCOPE_TYPES else ""
        yield Violation(
            t.span,
            f"access scope type '{t.value}' is not 'cluster' or 'namespace' (exact, lower case): EKS refuses the "
            f"association{hint}",
            json_path=t.json_path,
            fix=value_fix(t, meant, f"write the scope type as '{meant}'") if hint else None,
        )
    elif t.value == "namespace" and not scope.namespaces:
        yield Violation(
            t.span,
            "namespace scope without namespaces: EKS requires namespaces when the scope type is namespace (eksctl: "
            "'at least one namespace must be specified when accessScope is set to namespace'); list them "
            "(wildcards such as 'dev-*' work) or use a cluster scope",
            json_path=t.json_path,
        )
    elif t.value == "cluster" and scope.namespaces:
        first = scope.namespaces[0]
        yield Violation(
            first.span,
            "namespaces on a cluster scope: EKS does not take namespaces for a cluster scope (eksctl: 'cannot "
            "specify accessScope.namespaces when accessScope is set to cluster'); remove them, or make the scope "
            "type namespace if the policy should apply to these namespaces only",
            json_path=first.json_path,
        )


def check(entry: AccessEntry) -> Iterator[Violation]:
    for span, message, json_path in entry.problems:
        yield Violation(span, message, json_path=json_path)
    if entry.principal is None and entry.association:
        yield Violation(
            entry.span,
            "policy association without a principal: principalArn (or principalArnRef, principalArnSelector) is "
            "required, EKS associates a policy with the access entry of one IAM role or user",
            json_path=entry.json_path,
        )
    elif entry.principal is None:
        yield Violation(
            entry.span,
            f"access entry without a principal: {PRINCIPAL_KEY[entry.format]} is required, EKS creates an entry for "
            "exactly one IAM role or user",
            json_path=entry.json_path,
        )
    yield from _type(entry)
    for policy in entry.policies:
        for scope in policy.scopes:
            yield from _scope(policy, scope)
