"""Access entries of a CloudFormation template, YAML or JSON.

`AWS::EKS::AccessEntry` resources (`ClusterName`, `PrincipalArn`, `Type`, `Username`,
`KubernetesGroups`, `AccessPolicies[{PolicyArn, AccessScope{Type, Namespaces}}]`, `Tags`)
and `AWS::EKS::Cluster.AccessConfig{AuthenticationMode,
BootstrapClusterCreatorAdminPermissions}`. The resource schemas have
`additionalProperties: false` everywhere, so an unknown key is a problem.

An intrinsic function, short (`!Sub`) or long (`{"Fn::Sub": ...}`), is a value unknown at
lint time: a `Text` with value None. `Fn::Sub` and `Fn::Join` also get a `pattern`, their
text with every substitution (pseudo-parameters included) as `*`; with no substitution
at all the text is known. `Ref` to a resource or parameter keeps its name in `ref`.
CloudFormation converts numbers and booleans to strings, so those are no problem here.
Sources: the resource schemas (cfn-lint `aws-eks-accessentry.json`, `aws-eks-cluster.json`),
cfn-lint `decode/cfn_yaml.py` (`!X` is `Fn::X`, except `!Ref` and `!Condition`).

Roles EKS makes its own entries for (AE103): `AWS::EKS::Nodegroup` `NodeRole` and
`AWS::EKS::FargateProfile` `PodExecutionRoleArn`, each with its `ClusterName` (all
required) and its optional `NodegroupName`/`FargateProfileName` (cfn-lint
`aws-eks-nodegroup.json`, `aws-eks-fargateprofile.json`). A role that is an intrinsic is
matched only with access entries of the same template whose `PrincipalArn` is the same
expression (`!GetAtt NodeRole.Arn` and `{"Fn::GetAtt": ["NodeRole", "Arn"]}` alike).
"""

from __future__ import annotations

import json
import re

from .accessentry import AccessConfig, AccessEntry, Declared, ManagedRole, Policy, Scope, Text
from .ae_common import Obj, Reader, child, obj, read_access_config
from .nodes import Map, Node, Scalar, Seq

ENTRY = "AWS::EKS::AccessEntry"
CLUSTER = "AWS::EKS::Cluster"
# What EKS makes its own access entry for: type -> (the role, the name, what it is).
MANAGED = {
    "AWS::EKS::Nodegroup": ("NodeRole", "NodegroupName", "managed node group"),
    "AWS::EKS::FargateProfile": ("PodExecutionRoleArn", "FargateProfileName", "Fargate profile"),
}
ENTRY_KEYS = ("ClusterName", "PrincipalArn", "Type", "Username", "KubernetesGroups", "AccessPolicies", "Tags")
POLICY_KEYS = ("PolicyArn", "AccessScope")
SCOPE_KEYS = ("Type", "Namespaces")
CONFIG_KEYS = ("AuthenticationMode", "BootstrapClusterCreatorAdminPermissions")
HINTS = {"kubernetesusername": "Username", "groups": "KubernetesGroups", "policies": "AccessPolicies",
         "principal": "PrincipalArn", "policy": "PolicyArn", "scope": "AccessScope"}
_SUB = re.compile(r"\$\{([^}]*)\}")
_UNCONVERTED = ("Ref", "Condition")


def is_template(doc: Map) -> bool:
    """Whether `doc` is a template declaring an EKS cluster, an access entry, or a managed
    node group or Fargate profile (whose role EKS makes an entry for, AE103: a node-group
    stack of its own joins the cluster another file declares)."""
    resources = doc.get("Resources")
    return isinstance(resources, Map) and any(
        isinstance(r, Map) and _type(r) in (ENTRY, CLUSTER, *MANAGED) for _, r in resources.pairs
    )


def _type(resource: Map) -> str | None:
    t = resource.get("Type")
    return t.value if isinstance(t, Scalar) else None


def declared(file: str, doc: Map, json_prefix: str) -> Declared:
    out = Declared()
    resources = doc.get("Resources")
    if not isinstance(resources, Map):
        return out
    base = child(json_prefix, "Resources")
    principals: list[tuple[str, str | None]] = []  # (entry's JSON path, its PrincipalArn's expression)
    managed: list[tuple[str, Map, str]] = []
    for key, resource in resources.scalar_keys():
        if not isinstance(resource, Map):
            continue
        kind = _type(resource)
        if kind == ENTRY:
            out.entries.append(_entry(file, key.value, resource, child(base, key.value)))
            principals.append((out.entries[-1].json_path, _expression(_property(resource, "PrincipalArn"))))
        elif kind == CLUSTER:
            out.configs.append(_cluster(file, key.value, resource, child(base, key.value)))
        elif kind in MANAGED:
            managed.append((key.value, resource, kind))
    for name, resource, kind in managed:
        role = _managed(file, name, resource, child(base, name), MANAGED[kind], principals)
        out.managed += [role] if role is not None else []
    return out


def _managed(
    file: str, name: str, resource: Map, path: str, fields: tuple[str, str, str], principals: list[tuple[str, str | None]]
) -> ManagedRole | None:
    role_key, name_key, what = fields
    r = Reader([], strict=False, unknown=intrinsic)  # a node group's problems are not AE001's
    p = _properties(r, resource, path)
    role = r.text(p, role_key) if p is not None else None
    if p is None or role is None or not (role.value or role.kind == "intrinsic"):
        return None
    given = r.text(p, name_key)
    label = f"{what} '{given.value}'" if given is not None and given.value else f"{what} of resource '{name}'"
    expr = None if role.value else _expression(p.get(role_key))
    same = tuple(at for at, e in principals if expr is not None and e == expr)
    return ManagedRole(file, "cloudformation", r.text(p, "ClusterName"), role, label, resource.span, same)


def _property(resource: Map, key: str) -> Node | None:
    props = resource.get("Properties")
    return obj(props, "").get(key) if isinstance(props, Map) else None


def _expression(node: Node | None) -> str | None:
    """An intrinsic function in one canonical text (short and long forms alike, `!GetAtt
    A.B` as `[A, B]`), to tell two writings of the same expression; None for anything
    else, or an expression too large to compare (aliases can make one without end)."""
    if function(node) is None or node is None:
        return None
    budget = [200]  # nodes read: an alias can make an expression of itself

    def canon(n: Node, as_function: bool = True) -> object:
        budget[0] -= 1
        if budget[0] < 0:
            raise ValueError("too large")
        fn = function(n) if as_function else None
        if not as_function and isinstance(n, Map) and len(n.pairs) == 1:  # `!Base64 {"Fn::Sub": x}`
            fn = function(Map(n.pairs, n.at))
        if fn is not None:
            name, arg = fn
            if name == "Fn::GetAtt" and isinstance(arg, Scalar):
                return [name, arg.value.split(".", 1)]
            return [name, canon(arg, arg is not n)]
        if isinstance(n, Scalar):
            return n.value
        if isinstance(n, Seq):
            return [canon(i) for i in n.items]
        return sorted(((k.value, canon(v)) for k, v in n.scalar_keys()), key=lambda kv: kv[0]) if isinstance(n, Map) else None

    try:
        return json.dumps(canon(node))
    except (ValueError, RecursionError):
        return None


def _properties(r: Reader, resource: Map, path: str) -> Obj | None:
    res = obj(resource, path)
    return r.obj(res.get("Properties"), res.at("Properties"), "Properties")


def _entry(file: str, name: str, resource: Map, path: str) -> AccessEntry:
    entry = AccessEntry(file, "cloudformation", resource.span, path, name=name)
    r = Reader(entry.problems, strict=False, unknown=intrinsic)
    p = _properties(r, resource, path)
    if p is None:
        unknown = intrinsic(resource.get("Properties"), child(path, "Properties"))
        if unknown is not None:  # `Properties: !If [...]`: nothing is known, not even the principal
            entry.cluster = entry.principal = unknown
        elif resource.get("Properties") is None:
            r.problem(resource.span, f"{ENTRY} '{name}' without Properties: ClusterName and PrincipalArn are required",
                      child(path, "Properties"))
        return entry
    for key, (k, _) in p.fields.items():
        if key == "AccessEntryArn":
            r.problem(k.span, "'AccessEntryArn' is read-only: CloudFormation sets it, a template cannot", p.at(key))
    r.keys(p, (*ENTRY_KEYS, "AccessEntryArn"), f"{ENTRY}", HINTS)
    r.require(p, "ClusterName", f"{ENTRY} '{name}' without 'ClusterName', which is required")
    entry.cluster = r.text(p, "ClusterName")
    entry.principal = r.text(p, "PrincipalArn")
    entry.type = r.text(p, "Type")
    entry.username = r.text(p, "Username")
    entry.groups = r.texts(p, "KubernetesGroups")
    items = r.items(p, "AccessPolicies")
    if items is None:  # the whole list is an intrinsic
        unknown = intrinsic(p.get("AccessPolicies"), p.at("AccessPolicies"))
        entry.policies.append(Policy(unknown, span=unknown.span if unknown else None, json_path=p.at("AccessPolicies")))
    for node, ipath in items or []:
        entry.policies.append(_policy(r, node, ipath))
    return entry


def _policy(r: Reader, node: Node, path: str) -> Policy:
    policy = Policy(None, span=node.span, json_path=path)
    unknown = intrinsic(node, path)
    if unknown is not None:  # `!If [cond, {...}, !Ref AWS::NoValue]`: a policy nobody can read yet
        policy.arn = unknown
        return policy
    p = r.obj(node, path, "AccessPolicies[]")
    if p is None:
        return policy
    r.keys(p, POLICY_KEYS, "an access policy (AccessPolicies[])", HINTS)
    r.require(p, "PolicyArn", "access policy without 'PolicyArn', which is required")
    r.require(p, "AccessScope", "access policy without 'AccessScope', which is required")
    policy.arn = r.text(p, "PolicyArn")
    unknown_scope = intrinsic(p.get("AccessScope"), p.at("AccessScope"))
    if unknown_scope is not None:  # a scope of unknown type
        policy.scopes.append(Scope(unknown_scope, [], unknown_scope.span, unknown_scope.json_path))
        return policy
    s = r.obj(p.get("AccessScope"), p.at("AccessScope"), "AccessScope")
    if s is not None:
        r.keys(s, SCOPE_KEYS, "AccessScope", HINTS)
        policy.scopes.append(Scope(r.text(s, "Type"), r.texts(s, "Namespaces"), s.node.span, s.path))
    return policy


def _cluster(file: str, name: str, resource: Map, path: str) -> AccessConfig:
    config = AccessConfig(file, "cloudformation", resource.span, path, name=name, default_mode="CONFIG_MAP")
    r = Reader(config.problems, strict=False, unknown=intrinsic)
    p = _properties(r, resource, path)
    if p is None:
        return config
    config.cluster = r.text(p, "Name")
    ac = r.obj(p.get("AccessConfig"), p.at("AccessConfig"), "AccessConfig")
    if ac is None:
        return config
    r.keys(ac, CONFIG_KEYS, "AccessConfig", HINTS)
    read_access_config(r, config, ac, "AuthenticationMode", "BootstrapClusterCreatorAdminPermissions")
    return config


# --- intrinsic functions ----------------------------------------------------------------


def function(node: Node | None) -> tuple[str, Node] | None:
    """(`Fn::X`/`Ref`/`Condition`, its argument) when `node` is an intrinsic function."""
    if node is None:
        return None
    if node.tag.startswith("!") and not node.tag.startswith("!!"):
        name = node.tag[1:]
        return (name if name in _UNCONVERTED else f"Fn::{name}"), node
    if isinstance(node, Map) and len(node.pairs) == 1:
        key, value = node.pairs[0]
        if isinstance(key, Scalar) and (key.value in _UNCONVERTED or key.value.startswith("Fn::")):
            return key.value, value
    return None


def intrinsic(node: Node | None, path: str) -> Text | None:
    """The `Text` of an intrinsic function (value None unless it resolves to constant text)."""
    fn = function(node)
    if fn is None or node is None:
        return None
    name, arg = fn
    ref = arg.value if name == "Ref" and isinstance(arg, Scalar) and not arg.value.startswith("AWS::") else None
    text = _pattern(name, arg, [200])
    if text is None:
        return Text(None, node.span, path, kind="intrinsic", ref=ref)
    pattern, exact = text
    return Text(pattern if exact else None, node.span, path, pattern=pattern, kind="intrinsic")


def _pattern(name: str, arg: Node, budget: list[int]) -> tuple[str, bool] | None:
    """The text of `Fn::Sub`/`Fn::Join` with unknown parts as `*`, and whether nothing was
    unknown. `budget`: how many more functions may be read (aliases can nest them without end)."""
    budget[0] -= 1
    if budget[0] < 0:
        return None
    if name == "Fn::Sub":
        if isinstance(arg, Scalar):
            return _sub(arg.value, {}, budget)
        if isinstance(arg, Seq) and len(arg.items) == 2 and isinstance(arg.items[0], Scalar):
            variables = {k.value: v for k, v in arg.items[1].scalar_keys()} if isinstance(arg.items[1], Map) else {}
            return _sub(arg.items[0].value, variables, budget)
        return None
    if name == "Fn::Join" and isinstance(arg, Seq) and len(arg.items) == 2:
        delimiter, parts = arg.items
        if not isinstance(delimiter, Scalar) or not isinstance(parts, Seq) or function(parts) is not None:
            return None
        texts = [_part(p, budget) for p in parts.items]
        return delimiter.value.join(t for t, _ in texts), all(e for _, e in texts)
    return None


def _part(node: Node, budget: list[int]) -> tuple[str, bool]:
    fn = function(node)
    if fn is None:
        return (node.value, True) if isinstance(node, Scalar) else ("*", False)
    return _pattern(*fn, budget) or ("*", False)


def _sub(template: str, variables: dict[str, Node], budget: list[int]) -> tuple[str, bool]:
    exact = True

    def one(m: re.Match[str]) -> str:
        nonlocal exact
        name = m.group(1)
        if name.startswith("!"):  # `${!Literal}` is the text `${Literal}`
            return "${" + name[1:] + "}"
        value = variables.get(name.strip())
        if value is not None:
            text, known = _part(value, budget)
            exact = exact and known
            return text
        exact = False
        return "*"

    return _SUB.sub(one, template), exact
