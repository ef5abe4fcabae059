"""`kustomize.builds`: which files each top-level kustomize or Flux build deploys.

Each test writes a small repository into a temporary directory and compares the whole list
of builds; `read` refuses any path outside the repository's file list.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from awsauth_lint.kustomize import Build, builds
from helpers import NODE_HEAD

AWS_AUTH = NODE_HEAD
DATA_ONLY_PATCH = """data:
  mapUsers: |
    - userarn: arn:aws:iam::111122223333:user/alice
      username: alice
      groups: [admins]
"""
BINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admins}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: Group, name: admins, apiGroup: rbac.authorization.k8s.io}]
"""


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run(root: Path) -> tuple[list[Build], list[str]]:
    """The builds of the repository at `root`, and every path that was read."""
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    seen: list[str] = []

    def read(rel: str) -> str | None:
        assert rel in files, f"read outside the repository's files: {rel}"
        seen.append(rel)
        return (root / rel).read_text()

    return builds(files, read), seen


def build(root: str, *files: str, flux: bool = False) -> Build:
    return Build(root, frozenset(files), flux)


def test_overlays_share_a_base_and_keep_their_own_patches(tmp_path: Path) -> None:
    write(tmp_path, {
        "base/kustomization.yaml": "resources: [aws-auth.yaml, rbac.yaml]\n",
        "base/aws-auth.yaml": AWS_AUTH,
        "base/rbac.yaml": BINDING,
        "components/audit/kustomization.yaml": "kind: Component\nresources: [binding.yaml]\n",
        "components/audit/binding.yaml": BINDING,
        "overlays/prod/kustomization.yaml": """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
  - ./extra/admins.yaml
components:
  - ../../components/audit
patchesStrategicMerge:
  - aws-auth-patch.yaml
  - |-
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: inline}
patches:
  - path: node-patch.yaml
    target: {kind: Deployment}
  - patch: |-
      - op: remove
        path: /spec
patchesJson6902:
  - target: {kind: ConfigMap, name: aws-auth}
    path: json-patch.yaml
crds:
  - crds/widget.yaml
""",
        "overlays/prod/extra/admins.yaml": BINDING,
        "overlays/prod/aws-auth-patch.yaml": DATA_ONLY_PATCH,
        "overlays/prod/node-patch.yaml": "kind: Deployment\n",
        "overlays/prod/json-patch.yaml": "- {op: add, path: /data/x, value: y}\n",
        "overlays/prod/crds/widget.yaml": "kind: CustomResourceDefinition\n",
        "overlays/prod/unused.yaml": BINDING,
        "overlays/staging/kustomization.yml": "bases: [../../base]\npatches:\n  - path: aws-auth-patch.yaml\n",
        "overlays/staging/aws-auth-patch.yaml": DATA_ONLY_PATCH,
        "docs/example.yaml": AWS_AUTH,
    })
    result, _ = run(tmp_path)
    assert result == [
        build(
            "overlays/prod",
            "base/aws-auth.yaml", "base/rbac.yaml", "components/audit/binding.yaml",
            "overlays/prod/extra/admins.yaml", "overlays/prod/aws-auth-patch.yaml", "overlays/prod/node-patch.yaml",
            "overlays/prod/json-patch.yaml", "overlays/prod/crds/widget.yaml",
        ),
        build("overlays/staging", "base/aws-auth.yaml", "base/rbac.yaml", "overlays/staging/aws-auth-patch.yaml"),
    ]


def test_remote_absolute_and_escaping_references_are_skipped_unread(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(tmp_path, {"outside.yaml": BINDING, "outside/kustomization.yaml": "resources: [b.yaml]\n"})
    write(repo, {
        "kustomization.yaml": """resources:
  - https://github.com/org/platform//rbac?ref=v1.2.0
  - github.com/org/platform/base?ref=main
  - git@github.com:org/platform.git//base
  - ssh://git@example.com/org/platform.git
  - local?ref=v1
  - /etc/kubernetes/admin.yaml
  - ../outside.yaml
  - ../outside
  - app/../../outside.yaml
  - app/deploy.yaml
  - missing.yaml
""",
        "app/deploy.yaml": "kind: Deployment\n",
        "local/kustomization.yaml": "resources: [cm.yaml]\n",
        "local/cm.yaml": "kind: ConfigMap\n",
    })
    result, seen = run(repo)
    # local/ is named only through a query string, which kustomize reads as a remote: it stays unreferenced.
    assert result == [build("", "app/deploy.yaml"), build("local", "local/cm.yaml")]
    assert sorted(seen) == ["app/deploy.yaml", "kustomization.yaml", "local/cm.yaml", "local/kustomization.yaml"]


def test_a_directory_without_kustomization_contributes_nothing(tmp_path: Path) -> None:
    # kustomize refuses such a directory ("unable to find one of 'kustomization.yaml', ..."),
    # so nothing in it is deployed by this build.
    write(tmp_path, {
        "clusters/prod/kustomization.yaml": "resources: [aws-auth.yaml, ../../rbac]\n",
        "clusters/prod/aws-auth.yaml": AWS_AUTH,
        "rbac/admins.yaml": BINDING,
    })
    assert run(tmp_path)[0] == [build("clusters/prod", "clusters/prod/aws-auth.yaml")]


def test_cycles_are_followed_once(tmp_path: Path) -> None:
    write(tmp_path, {
        "a/kustomization.yaml": "resources: [a.yaml, ../b]\n",
        "a/a.yaml": BINDING,
        "b/kustomization.yaml": "resources: [b.yaml, ../a, .]\n",
        "b/b.yaml": BINDING,
        "overlay/kustomization.yaml": "resources: [../a]\n",
        "self/kustomization.yaml": "resources: [., ./, s.yaml]\n",
        "self/s.yaml": BINDING,
        "loop/x/kustomization.yaml": "resources: [../y]\n",
        "loop/y/kustomization.yaml": "resources: [../x]\n",
    })
    # loop/x and loop/y only reference each other: kustomize can build neither, and neither is a top level.
    assert run(tmp_path)[0] == [build("overlay", "a/a.yaml", "b/b.yaml"), build("self", "self/s.yaml")]


def test_flux_kustomization_names_a_directory_without_kustomization(tmp_path: Path) -> None:
    write(tmp_path, {
        "clusters/prod/flux-system/gotk-sync.yaml": """---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {url: ssh://git@github.com/org/fleet, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec:
  path: ./clusters/prod
  sourceRef: {kind: GitRepository, name: flux-system}
""",
        "clusters/prod/aws-auth.yaml": AWS_AUTH,
        "clusters/prod/rbac/admins.yml": BINDING,
        "clusters/prod/rbac/notes.json": "{}",
        "clusters/prod/README.md": "# prod\n",
        "clusters/prod/apps/kustomization.yaml": "resources: [deploy.yaml]\n",
        "clusters/prod/apps/deploy.yaml": "kind: Deployment\n",
        "clusters/prod/apps/not-listed.yaml": BINDING,
        "clusters/prod/apps/nested/extra.yaml": BINDING,
        "clusters/staging/aws-auth.yaml": AWS_AUTH,
    })
    result, _ = run(tmp_path)
    assert result == [
        build(
            "clusters/prod",
            "clusters/prod/flux-system/gotk-sync.yaml", "clusters/prod/aws-auth.yaml",
            "clusters/prod/rbac/admins.yml", "clusters/prod/apps/deploy.yaml",
            flux=True,
        ),
    ]


def test_flux_paths_with_kustomizations_missing_and_substituted(tmp_path: Path) -> None:
    flux = """apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
kind: Kustomization
metadata: {{name: {name}}}
spec: {{path: "{path}", sourceRef: {{kind: GitRepository, name: fleet}}}}
"""
    write(tmp_path, {
        "fleet/infra.yaml": flux.format(name="infra", path="/infra/"),
        "fleet/base.yaml": flux.format(name="base", path="base"),
        "fleet/other.yaml": "---\n" + flux.format(name="a", path="./clusters/${CLUSTER}") + "---\n"
        + flux.format(name="b", path="./not/here") + "---\n" + flux.format(name="c", path="../up"),
        "fleet/kustomization.yaml": "resources: [infra.yaml, base.yaml, other.yaml]\n",
        "infra/kustomization.yaml": "resources: [../base, ns.yaml]\n",
        "infra/ns.yaml": "kind: Namespace\n",
        "base/kustomization.yaml": "resources: [aws-auth.yaml]\n",
        "base/aws-auth.yaml": AWS_AUTH,
        "not-flux/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [cm.yaml]\n",
        "not-flux/cm.yaml": "kind: ConfigMap\n",
    })
    assert run(tmp_path)[0] == [
        build("base", "base/aws-auth.yaml", flux=True),  # referenced by infra, but a Flux build of its own
        build("fleet", "fleet/infra.yaml", "fleet/base.yaml", "fleet/other.yaml"),
        build("infra", "base/aws-auth.yaml", "infra/ns.yaml", flux=True),
        build("not-flux", "not-flux/cm.yaml"),
    ]


def test_flux_path_of_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path, {
        "sync.yaml": "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec: {path: ./}\n",
        "aws-auth.yaml": AWS_AUTH,
        "team/kustomization.yaml": "resources: [rb.yaml]\n",
        "team/rb.yaml": BINDING,
    })
    assert run(tmp_path)[0] == [build("", "sync.yaml", "aws-auth.yaml", "team/rb.yaml", flux=True)]


@pytest.mark.parametrize(
    "text",
    [
        "resources: [a.yaml\n",  # YAML error
        "- a.yaml\n",  # not a mapping
        "resources: a.yaml\n",  # not a list
        "resources: [{path: a.yaml}, 7, null]\npatches: [a.yaml, {path: [a.yaml]}]\ncomponents: {a: b}\n",
        "",
        "\0binary",
        "resources: &r [*r]\n",
    ],
)
def test_malformed_kustomizations_never_raise(tmp_path: Path, text: str) -> None:
    write(tmp_path, {"bad/kustomization.yaml": text, "bad/a.yaml": BINDING})
    assert run(tmp_path)[0] == [build("bad")]


def test_unreadable_files_and_unreferenced_components(tmp_path: Path) -> None:
    write(tmp_path, {
        "app/kustomization.yaml": "resources: [a.yaml]\n",
        "app/a.yaml": BINDING,
        "flux.yaml": "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec: {path: ./app}\n",
        "component/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [c.yaml]\n",
        "component/c.yaml": BINDING,
    })
    files = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    # A read that fails yields None: no reference, no Flux object and no `kind: Component` is known.
    assert builds(files, lambda rel: None) == [build("app"), build("component")]
    assert run(tmp_path)[0] == [build("app", "app/a.yaml", flux=True)]


def test_kustomization_file_names_in_kustomize_order(tmp_path: Path) -> None:
    write(tmp_path, {
        "x/Kustomization": "resources: [c.yaml]\n",
        "x/kustomization.yml": "resources: [b.yaml]\n",
        "x/kustomization.yaml": "resources: [a.yaml, kustomization.yml]\n",
        "x/a.yaml": BINDING,
        "x/b.yaml": BINDING,
        "x/c.yaml": BINDING,
        "y/Kustomization": "resources: [../x, y.yaml]\n",
        "y/y.yaml": BINDING,
    })
    # kustomization files are never part of `files`, even when named as a resource.
    assert run(tmp_path)[0] == [build("y", "x/a.yaml", "y/y.yaml")]
