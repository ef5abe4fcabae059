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
# any `accessConfig`/`AccessConfig`.
ACCESS = (b"ccessEntr", b"ccessConfig", b"AccessPolicyAssociation")
# The objects that matter without any of those words: clusters, whose default
# authentication mode decides whether entries are refused (an eksctl ClusterConfig, any:
# its default is API_AND_CONFIG_MAP), and what EKS makes its own entries for (AE103), eksctl
# managed node groups and Fargate profiles and their CloudFormation resources, also in a
# node-group stack of their own.
CFN_EKS = (b"AWS::EKS::Cluster", b"AWS::EKS::Nodegroup", b"AWS::EKS::FargateProfile")
EKS = (b"eksctl.io", b"eks.services.k8s.aws")
CROSSPLANE = (b"eks.aws.upbound.io", b"eks.aws.m.upbound.io", b"eks.m.aws.upbound.io")

WANTED = tuple(m.decode() for m in (*MARKERS, *ACCESS, *CFN_EKS, *EKS, *CROSSPLANE))
# What a relevant text needs to declare access entries, a cluster's access config or a
# role EKS makes an entry for: the format modules are imported only then.
DECLARES = tuple(m.decode() for m in (*ACCESS, *CFN_EKS, *EKS, *CROSSPLANE))
# A document that mentions none of these can only matter for its RBAC objects: it is
# composed but not converted into nodes (see `source.compose_relevant`).
FULL = tuple(w for w in WANTED if w != "rbac.authorization.k8s.io")
FLUX = "kustomize.toolkit.fluxcd.io"


def relevant(data: bytes) -> bool:
    """Whether `data` contains a word of `WANTED`. Most files contain none, so what counts
    is the cost of a miss: each group after the plain markers is looked for only where a
    short word all its members share appears (`ccess`, `AWS::EKS::`, and `eks`, which
    `eksctl.io` and every ACK and Crossplane group contain). A miss is 12 searches, one
    fewer than before eksctl and node-group stacks were read; an IRSA annotation
    (`eks.amazonaws.com/role-arn`) costs a few more."""
    for m in MARKERS:  # a plain loop: the generator any() needs costs more than the searches
        if m in data:
            return True
    if b"ccess" in data and (b"ccessEntr" in data or b"ccessConfig" in data or b"AccessPolicyAssociation" in data):
        return True
    if b"AWS::EKS::" in data and (b"AWS::EKS::Cluster" in data or b"AWS::EKS::Nodegroup" in data
                                  or b"AWS::EKS::FargateProfile" in data):
        return True
    if b"eks" not in data:
        return False
    return b"eksctl.io" in data or b"eks.services.k8s.aws" in data or any(m in data for m in CROSSPLANE)
