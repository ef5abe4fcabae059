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

WANTED = tuple(m.decode() for m in MARKERS)
# A document that mentions none of these can only matter for its RBAC objects: it is
# composed but not converted into nodes (see `source.compose_relevant`).
FULL = tuple(w for w in WANTED if w != "rbac.authorization.k8s.io")
FLUX = "kustomize.toolkit.fluxcd.io"


def relevant(data: bytes) -> bool:
    for m in MARKERS:  # noqa: SIM110 (a plain loop: the generator any() needs costs more than the searches)
        if m in data:
            return True
    return False
