"""Access entries of an eksctl `ClusterConfig` (`apiVersion: eksctl.io/v1alpha5`).

`accessConfig{authenticationMode, bootstrapClusterCreatorAdminPermissions, accessEntries[]}`,
an entry `{principalARN, type, kubernetesGroups, kubernetesUsername, accessPolicies[]}`, a
policy `{policyARN, accessScope{type, namespaces}}`. eksctl's schema has
`additionalProperties: false` on all four objects, so an unknown or mis-cased key is a
problem. The cluster is `metadata.name`. Sources: eksctl `pkg/apis/eksctl.io/v1alpha5`
(`access_entry.go`, `defaults.go`, `assets/schema.json`).

Roles EKS makes its own entries for (AE103): `managedNodeGroups[].iam.instanceRoleARN`
(`ManagedNodeGroup` embeds `NodeGroupBase`, whose `iam` is a `NodeGroupIAM`) and
`fargateProfiles[].podExecutionRoleARN`, each named by its `name` (types.go,
schema.json `ClusterConfig.managedNodeGroups`/`fargateProfiles`). Self-managed
`nodeGroups[]` are not among them: EKS creates no entry for those. Their shape is not
an access entry's, so nothing in them is reported here.
"""

from __future__ import annotations

from .accessentry import AccessConfig, AccessEntry, Declared, ManagedRole, Policy, Scope, Text
from .ae_common import Obj, Reader, obj, read_access_config
from .nodes import Map, Node

CONFIG_KEYS = ("authenticationMode", "bootstrapClusterCreatorAdminPermissions", "accessEntries")
ENTRY_KEYS = ("principalARN", "type", "kubernetesGroups", "kubernetesUsername", "accessPolicies")
POLICY_KEYS = ("policyARN", "accessScope")
SCOPE_KEYS = ("type", "namespaces")
# Other formats' spellings of the same fields.
HINTS = {"username": "kubernetesUsername", "groups": "kubernetesGroups", "policies": "accessPolicies",
         "principal": "principalARN", "policy": "policyARN", "scope": "accessScope"}


def declared(file: str, doc: Map, json_prefix: str) -> Declared:
    out = Declared()
    root = obj(doc, json_prefix)
    config = AccessConfig(file, "eksctl", doc.span, json_prefix, default_mode=_default_mode(root))
    out.configs.append(config)
    r = Reader(config.problems)
    metadata = r.obj(root.get("metadata"), root.at("metadata"), "metadata")
    config.cluster = r.text(metadata, "name") if metadata is not None else None
    config.name = (config.cluster.value or "") if config.cluster is not None else ""
    out.managed += _managed(file, root, config.cluster)
    ac = r.obj(root.get("accessConfig"), root.at("accessConfig"), "accessConfig")
    if ac is None:
        return out
    r.keys(ac, CONFIG_KEYS, "eksctl's accessConfig", HINTS)
    read_access_config(r, config, ac)
    for node, path in r.items(ac, "accessEntries") or []:
        out.entries.append(_entry(file, node, path, config))
    return out


# (list, the role's key below an item, what the item is): what EKS makes an entry for.
MANAGED = (
    ("managedNodeGroups", ("iam", "instanceRoleARN"), "managed node group"),
    ("fargateProfiles", ("podExecutionRoleARN",), "Fargate profile"),
)


def _managed(file: str, root: Obj, cluster: Text | None) -> list[ManagedRole]:
    """The roles of the config's managed node groups and Fargate profiles, when written as
    text (`instanceRoleName` and roles eksctl creates have no ARN to compare)."""
    r = Reader([])  # problems of node groups are not the access entries' (AE001): dropped
    out = []
    for key, inner, what in MANAGED:
        for node, path in r.items(root, key) or []:
            item = r.obj(node, path, f"{key}[]")
            cur = item
            for part in inner[:-1]:
                cur = r.obj(cur.get(part), cur.at(part), part) if cur is not None else None
            role = r.text(cur, inner[-1]) if cur is not None else None
            if item is None or role is None or not role.value:
                continue
            name = r.text(item, "name")
            label = f"{what} '{name.value}'" if name is not None and name.value else f"unnamed {what}"
            out.append(ManagedRole(file, "eksctl", cluster, role, label, item.node.span))
    return out


def _default_mode(root: Obj) -> str:
    """eksctl's `getDefaultAuthenticationMode`: CONFIG_MAP only for a control plane on
    Outposts without `etcdInstanceType`."""
    outpost = root.get("outpost")
    if isinstance(outpost, Map):
        o = obj(outpost, "")
        if o.get("controlPlaneOutpostARN") is not None and o.get("etcdInstanceType") is None:
            return "CONFIG_MAP"
    return "API_AND_CONFIG_MAP"


def _entry(file: str, node: Node, path: str, config: AccessConfig) -> AccessEntry:
    entry = AccessEntry(file, "eksctl", node.span, path, cluster=config.cluster)
    r = Reader(entry.problems)
    e = r.obj(node, path, "accessEntries[]")
    if e is None:
        return entry
    r.keys(e, ENTRY_KEYS, "an eksctl access entry", HINTS)
    entry.principal = r.text(e, "principalARN")
    entry.type = r.text(e, "type")
    entry.username = r.text(e, "kubernetesUsername")
    entry.groups = r.texts(e, "kubernetesGroups")
    for item, ipath in r.items(e, "accessPolicies") or []:
        entry.policies.append(_policy(r, item, ipath))
    return entry


def _policy(r: Reader, node: Node, path: str) -> Policy:
    policy = Policy(None, span=node.span, json_path=path)
    p = r.obj(node, path, "accessPolicies[]")
    if p is None:
        return policy
    r.keys(p, POLICY_KEYS, "an eksctl access policy", HINTS)
    policy.arn = r.text(p, "policyARN")
    r.require(p, "policyARN", "access policy without 'policyARN': eksctl needs a cluster-access-policy ARN")
    scope = _scope(r, p)
    if scope is not None:
        policy.scopes.append(scope)
    return policy


def _scope(r: Reader, p: Obj) -> Scope | None:
    r.require(p, "accessScope", "access policy without 'accessScope': eksctl refuses it ('accessScope.type must be "
              "set to either \"namespace\" or \"cluster\"')")
    s = r.obj(p.get("accessScope"), p.at("accessScope"), "accessScope")
    if s is None:
        return None
    r.keys(s, SCOPE_KEYS, "an eksctl access scope", HINTS)
    return Scope(r.text(s, "type"), r.texts(s, "namespaces"), s.node.span, s.path)
