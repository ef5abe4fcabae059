"""The words a file must contain to matter: checked on raw bytes before anything is parsed.

Kept apart from the loader so that the pre-commit fast path (every staged file is an
ordinary manifest) imports nothing else.
"""

from __future__ import annotations

# `rolearn`/`userarn`: a data-only patch whose map keys are mis-cased (`MapRoles`, AA010)
# names neither aws-auth nor the exact keys, but its entries still name their ARNs.
MARKERS = (
    b"aws-auth", b"mapRoles", b"mapUsers", b"mapAccounts", b"iamIdentityMappings", b"rbac.authorization.k8s.io",
    b"rolearn", b"userarn",
    b"kustomize.toolkit.fluxcd.io",  # Flux Kustomizations name the directories clusters are built from
)

# Access entries (issue 15): eksctl `accessConfig.accessEntries`, CloudFormation
# `AWS::EKS::AccessEntry`, ACK and Crossplane `AccessEntry`/`AccessPolicyAssociation`,
# any `accessConfig`/`AccessConfig`; and the clusters whose default authentication mode
# decides whether entries are refused (CloudFormation, ACK, Crossplane clusters). Most
# files have none: `relevant` looks for the `ccess` words only where `ccess` appears, and
# for the Crossplane groups only where `upbound.io` does.
ACCESS = (b"ccessEntr", b"ccessConfig", b"AccessPolicyAssociation", b"AWS::EKS::Cluster", b"eks.services.k8s.aws")
CROSSPLANE = (b"eks.aws.upbound.io", b"eks.aws.m.upbound.io", b"eks.m.aws.upbound.io")

WANTED = tuple(m.decode() for m in (*MARKERS, *ACCESS, *CROSSPLANE))
# What a relevant text needs to declare access entries or a cluster's access config (an
# eksctl ClusterConfig has a default mode even without `accessConfig`).
DECLARES = (*(m.decode() for m in (*ACCESS, *CROSSPLANE)), "eksctl.io")
# A document that mentions none of these can only matter for its RBAC objects: it is
# composed but not converted into nodes (see `source.compose_relevant`).
FULL = tuple(w for w in WANTED if w != "rbac.authorization.k8s.io")
FLUX = "kustomize.toolkit.fluxcd.io"


def relevant(data: bytes) -> bool:
    for m in MARKERS:  # a plain loop: the generator any() needs costs more than the searches
        if m in data:
            return True
    if b"ccess" in data and (b"ccessEntr" in data or b"ccessConfig" in data or b"AccessPolicyAssociation" in data):
        return True
    if b"AWS::EKS::Cluster" in data or b"eks.services.k8s.aws" in data:
        return True
    return b"upbound.io" in data and any(m in data for m in CROSSPLANE)
