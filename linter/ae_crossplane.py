"""Access entries of Crossplane's AWS provider (provider-upjet-aws), both API groups.

`eks.aws.upbound.io` (cluster-scoped) and `eks.aws.m.upbound.io` (namespaced; an early
snapshot spelt it `eks.m.aws.upbound.io`), kinds `AccessEntry`, `AccessPolicyAssociation`
and `Cluster`, fields under `spec.forProvider` (`initProvider` fills what it leaves out):
- AccessEntry: `region` (required), `clusterName | clusterNameRef | clusterNameSelector`,
  `principalArn | principalArnFromRoleRef | principalArnFromRoleSelector`, `type`,
  `userName`, `kubernetesGroups`, `tags`;
- AccessPolicyAssociation: `region`, `policyArn` (required), `accessScope` (required:
  a list of `{type, namespaces}` in older provider releases, one object in current ones;
  both are read), the cluster as above, `principalArn | principalArnRef |
  principalArnSelector` (the references name an AccessEntry object). It becomes an
  `AccessEntry` with `association` set and its one policy, in `Declared.associations`;
- Cluster: `accessConfig{authenticationMode, bootstrapClusterCreatorAdminPermissions}`, a
  list in `eks.aws.upbound.io/v1beta1`, an object in `v1beta2` and the namespaced group.
  The EKS cluster's name is the `crossplane.io/external-name` annotation, else
  `metadata.name`.
References keep the name they refer to (`ref`), selectors are unknown values. The API
server drops a field its schema does not have: a key that is another spelling of a field
(`username`, `principalARN`) is a problem. Sources: provider-upjet-aws
`package/crds/eks.aws{,.m}.upbound.io_{accessentries,accesspolicyassociations,clusters}.yaml`.
"""

from __future__ import annotations

from .accessentry import AccessConfig, AccessEntry, Declared, Policy, Scope, Text
from .ae_common import Obj, Reader, obj, read_access_config
from .nodes import Map, Node, Scalar, Seq

GROUPS = ("eks.aws.upbound.io", "eks.aws.m.upbound.io", "eks.m.aws.upbound.io")
KINDS = ("AccessEntry", "AccessPolicyAssociation", "Cluster")
CLUSTER_KEYS = ("clusterName", "clusterNameRef", "clusterNameSelector", "region")
ENTRY_KEYS = (*CLUSTER_KEYS, "principalArn", "principalArnFromRoleRef", "principalArnFromRoleSelector", "type",
              "userName", "kubernetesGroups", "tags")
ASSOCIATION_KEYS = (*CLUSTER_KEYS, "policyArn", "accessScope", "principalArn", "principalArnRef", "principalArnSelector")
SCOPE_KEYS = ("type", "namespaces")
HINTS = {"kubernetesusername": "userName", "groups": "kubernetesGroups", "principal": "principalArn",
         "policy": "policyArn", "scope": "accessScope", "cluster": "clusterName"}
EXTERNAL_NAME = "crossplane.io/external-name"


def declared(file: str, doc: Map, json_prefix: str) -> Declared:
    out = Declared()
    root = obj(doc, json_prefix)
    kind = root.get("kind")
    kind_name = kind.value if isinstance(kind, Scalar) else ""
    if kind_name == "Cluster":
        out.configs.append(_cluster(file, root))
    elif kind_name == "AccessPolicyAssociation":
        entry = _association(file, root)
        out.associations.append((entry, entry.policies[0]))
    else:
        out.entries.append(_entry(file, root))
    return out


def _metadata_name(r: Reader, root: Obj) -> tuple[Text | None, Obj | None]:
    meta = r.obj(root.get("metadata"), root.at("metadata"), "metadata")
    return (r.text(meta, "name") if meta is not None else None), meta


def _providers(r: Reader, root: Obj, required: bool = True) -> tuple[Obj | None, Obj | None]:
    """`spec.forProvider` and `spec.initProvider`."""
    spec = r.obj(root.get("spec"), root.at("spec"), "spec")
    if spec is None:
        return None, None
    fp = r.obj(spec.get("forProvider"), spec.at("forProvider"), "forProvider")
    if required and spec.get("forProvider") is None:
        r.problem(spec.node.span, "no 'spec.forProvider', which is required", spec.at("forProvider"))
    return fp, r.obj(spec.get("initProvider"), spec.at("initProvider"), "initProvider")


def _either(fp: Obj, init: Obj | None, key: str) -> Obj:
    """`forProvider` when it has `key`, else `initProvider` when that has it."""
    return init if fp.get(key) is None and init is not None and init.get(key) is not None else fp


def _common(r: Reader, entry: AccessEntry, fp: Obj, ref: str, selector: str) -> None:
    """Region, cluster and principal, which both kinds have."""
    r.require(fp, "region", "no 'region' in spec.forProvider, which is required")
    entry.cluster = r.text(fp, "clusterName") or r.ref(fp, "clusterNameRef") or r.selector(fp, "clusterNameSelector")
    if entry.cluster is None:
        r.problem(fp.node.span, "no cluster: set clusterName, clusterNameRef or clusterNameSelector", fp.at("clusterName"))
    entry.principal = r.text(fp, "principalArn") or r.ref(fp, ref) or r.selector(fp, selector)


def _entry(file: str, root: Obj) -> AccessEntry:
    entry = AccessEntry(file, "crossplane", root.node.span, root.path)
    r = Reader(entry.problems)
    name, _ = _metadata_name(r, root)
    entry.name = (name.value or "") if name is not None else ""
    fp, init = _providers(r, root)
    if fp is None:
        return entry
    r.misspelt(fp, ENTRY_KEYS, "a Crossplane AccessEntry", HINTS)
    _common(r, entry, fp, "principalArnFromRoleRef", "principalArnFromRoleSelector")
    entry.type = r.text(_either(fp, init, "type"), "type")
    entry.username = r.text(_either(fp, init, "userName"), "userName")
    entry.groups = r.texts(_either(fp, init, "kubernetesGroups"), "kubernetesGroups")
    return entry


def _association(file: str, root: Obj) -> AccessEntry:
    entry = AccessEntry(file, "crossplane", root.node.span, root.path, association=True)
    policy = Policy(None, span=root.node.span, json_path=root.path)
    entry.policies.append(policy)
    r = Reader(entry.problems)
    name, _ = _metadata_name(r, root)
    entry.name = (name.value or "") if name is not None else ""
    fp, init = _providers(r, root)
    if fp is None:
        return entry
    policy.span, policy.json_path = fp.node.span, fp.path
    r.misspelt(fp, ASSOCIATION_KEYS, "a Crossplane AccessPolicyAssociation", HINTS)
    _common(r, entry, fp, "principalArnRef", "principalArnSelector")
    r.require(fp, "policyArn", "no 'policyArn' in spec.forProvider, which is required")
    policy.arn = r.text(fp, "policyArn")
    where = _either(fp, init, "accessScope")
    r.require(where, "accessScope", "no 'accessScope': spec.forProvider.accessScope is a required parameter")
    scope = where.get("accessScope")
    items = [(scope, where.at("accessScope"))] if isinstance(scope, Map) else r.items(where, "accessScope") or []
    for node, path in items:
        s = r.obj(node, path, "accessScope")
        if s is not None:
            r.misspelt(s, SCOPE_KEYS, "an access scope", HINTS)
            policy.scopes.append(Scope(r.text(s, "type"), r.texts(s, "namespaces"), s.node.span, s.path))
    return entry


def _cluster(file: str, root: Obj) -> AccessConfig:
    config = AccessConfig(file, "crossplane", root.node.span, root.path, default_mode="CONFIG_MAP")
    r = Reader(config.problems)
    name, meta = _metadata_name(r, root)
    config.name = (name.value or "") if name is not None else ""
    annotations = r.obj(meta.get("annotations"), meta.at("annotations"), "annotations") if meta is not None else None
    config.cluster = (r.text(annotations, EXTERNAL_NAME) if annotations is not None else None) or name
    fp, init = _providers(r, root)
    if fp is None:
        return config
    where = _either(fp, init, "accessConfig")
    node = where.get("accessConfig")
    if node is None:
        return config
    version = root.get("apiVersion")
    listed = isinstance(version, Scalar) and version.value == "eks.aws.upbound.io/v1beta1"
    if isinstance(node, Seq if not listed else Map):
        shape = "a list of one object" if listed else "an object"
        r.problem(node.span, f"'accessConfig' in {getattr(version, 'value', '')} is {shape}", where.at("accessConfig"))
    ac = _first(r, node, where.at("accessConfig"))
    if ac is None:
        return config
    r.misspelt(ac, ("authenticationMode", "bootstrapClusterCreatorAdminPermissions"), "a Crossplane accessConfig", HINTS)
    read_access_config(r, config, ac)
    return config


def _first(r: Reader, node: Node, path: str) -> Obj | None:
    if isinstance(node, Seq):
        return r.obj(node.items[0], f"{path}[0]", "accessConfig[0]") if node.items else None
    return r.obj(node, path, "accessConfig")
