"""Access entries of the AWS Controllers for Kubernetes eks-controller (`eks.services.k8s.aws`).

`AccessEntry` (namespaced): `spec.{clusterName | clusterRef.from.name, principalARN, type,
username, kubernetesGroups, accessPolicies[{policyARN, accessScope{type, namespaces}}],
tags}`; `Cluster`: `spec.name` (the EKS cluster) and `spec.accessConfig{authenticationMode,
bootstrapClusterCreatorAdminPermissions}`. The CRDs validate little (only `principalARN`
is required), and the API server drops a field its schema does not have: a key that is
another format's spelling of a field (`userName`, `principalArn`) is a problem. A
`clusterRef` names the ACK `Cluster` object (`ref`), not the EKS cluster. Sources:
eks-controller `config/crd/bases/eks.services.k8s.aws_{accessentries,clusters}.yaml`,
`pkg/resource/access_entry/hooks.go`.
"""

from __future__ import annotations

from .accessentry import AccessConfig, AccessEntry, Declared, Policy, Scope
from .ae_common import Obj, Reader, obj, read_access_config
from .nodes import Map, Node

GROUP = "eks.services.k8s.aws"
KINDS = ("AccessEntry", "Cluster")
SPEC_KEYS = ("clusterName", "clusterRef", "principalARN", "type", "username", "kubernetesGroups", "accessPolicies", "tags")
POLICY_KEYS = ("policyARN", "accessScope")
SCOPE_KEYS = ("type", "namespaces")
HINTS = {"kubernetesusername": "username", "groups": "kubernetesGroups", "policies": "accessPolicies",
         "principal": "principalARN", "policy": "policyARN", "scope": "accessScope", "cluster": "clusterName"}


def declared(file: str, doc: Map, json_prefix: str) -> Declared:
    out = Declared()
    root = obj(doc, json_prefix)
    kind = root.get("kind")
    name = _name(root)
    if getattr(kind, "value", None) == "Cluster":
        out.configs.append(_cluster(file, root, name))
    else:
        out.entries.append(_entry(file, root, name))
    return out


def _name(root: Obj) -> str:
    meta = root.get("metadata")
    name = obj(meta, "").get("name") if isinstance(meta, Map) else None
    return getattr(name, "value", "") or ""


def _entry(file: str, root: Obj, name: str) -> AccessEntry:
    entry = AccessEntry(file, "ack", root.node.span, root.path, name=name)
    r = Reader(entry.problems)
    spec = r.obj(root.get("spec"), root.at("spec"), "spec")  # none: no principal either (AE001)
    if spec is None:
        return entry
    r.misspelt(spec, SPEC_KEYS, "an ACK AccessEntry spec", HINTS)
    entry.cluster = r.text(spec, "clusterName") or r.ref(spec, "clusterRef", "from")
    entry.principal = r.text(spec, "principalARN")
    entry.type = r.text(spec, "type")
    entry.username = r.text(spec, "username")
    entry.groups = r.texts(spec, "kubernetesGroups")
    for node, path in r.items(spec, "accessPolicies") or []:
        entry.policies.append(_policy(r, node, path))
    return entry


def _policy(r: Reader, node: Node, path: str) -> Policy:
    policy = Policy(None, span=node.span, json_path=path)
    p = r.obj(node, path, "accessPolicies[]")
    if p is None:
        return policy
    r.misspelt(p, POLICY_KEYS, "an ACK access policy", HINTS)
    r.require(p, "policyARN", "access policy without 'policyARN': the controller stops with 'All Access Policy "
              "entries must specify a Policy ARN.'")
    r.require(p, "accessScope", "access policy without 'accessScope': EKS requires a scope to associate a policy")
    policy.arn = r.text(p, "policyARN")
    s = r.obj(p.get("accessScope"), p.at("accessScope"), "accessScope")
    if s is not None:
        r.misspelt(s, SCOPE_KEYS, "an ACK access scope", HINTS)
        policy.scopes.append(Scope(r.text(s, "type"), r.texts(s, "namespaces"), s.node.span, s.path))
    return policy


def _cluster(file: str, root: Obj, name: str) -> AccessConfig:
    config = AccessConfig(file, "ack", root.node.span, root.path, name=name, default_mode="CONFIG_MAP")
    r = Reader(config.problems)
    spec = r.obj(root.get("spec"), root.at("spec"), "spec")
    if spec is None:
        return config
    config.cluster = r.text(spec, "name")
    ac = r.obj(spec.get("accessConfig"), spec.at("accessConfig"), "accessConfig")
    if ac is None:
        return config
    r.misspelt(ac, ("authenticationMode", "bootstrapClusterCreatorAdminPermissions"), "an ACK accessConfig", HINTS)
    read_access_config(r, config, ac)
    return config
