"""`export access-entries -f eksctl`, linted back, gives no access-entry error.

Over every aws-auth of the shared real-world corpus and of the fixtures: the exported
ClusterConfig is read by the same loader as any eksctl file, and no AExxx rule of
severity error fires on it. Without `--sso-region`, the only errors are AE101 at the
`<region>` placeholder of IAM Identity Center roles; with it, none.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from awsauth_lint.config import Config
from awsauth_lint.export import plan, render_eksctl
from awsauth_lint.loader import SourceFile, load_bytes, load_path
from awsauth_lint.model import Severity
from helpers import FIXTURES, lint_paths, shared_path


def _sources() -> list[SourceFile]:
    roots = [shared_path("corpus", "realworld"), FIXTURES]
    out = []
    for root in roots:
        for p in sorted(root.rglob("*")):
            if p.is_file() and p.suffix in (".yaml", ".yml", ".json"):
                sf = load_path(str(p), str(p))
                if isinstance(sf, SourceFile) and any(d.kind in ("configmap", "patch") for d in sf.awsauth):
                    out.append(sf)
    return out


def _errors(text: str, tmp: Path) -> list[tuple[str, int, str]]:
    out = tmp / "exported.yaml"
    out.write_text(text, encoding="utf-8")
    result = lint_paths([out], Config())
    assert not result.errors, [e.render() for e in result.errors]
    return [(f.code, f.span.start.line, f.message) for f in result.findings
            if f.code.startswith("AE") and f.severity is Severity.ERROR]


@pytest.mark.parametrize("region", [None, "eu-west-1"])
def test_round_trip_is_clean(region: str | None, tmp_path: Path) -> None:
    sources = _sources()
    assert len(sources) > 100
    exported = sso = 0
    for sf in sources:
        p = plan(sf.awsauth, region)
        exported += len(p.entries)
        text = render_eksctl(p, "prod")
        assert isinstance(load_bytes("x.yaml", text.encode()), SourceFile)
        errors = _errors(text, tmp_path)
        placeholders = [e for e in p.entries if "/<region>/" in e.principal_arn]
        sso += len(placeholders)
        if region is None:
            assert {c for c, _, _ in errors} <= {"AE101"}, (sf.path, errors)
            assert len(errors) == len(placeholders), (sf.path, errors)
        else:
            assert errors == [], (sf.path, errors)
            assert not placeholders
    assert exported > 200
    if region is None:
        assert sso > 0  # the corpus has Identity Center roles: the placeholder path is exercised


def test_sso_role_gets_its_path_back(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles: |\n"
        "    - rolearn: arn:aws:iam::111122223333:role/AWSReservedSSO_Admins_0123456789abcdef\n"
        "      username: admin:{{SessionName}}\n      groups: [admins]\n"
    )
    sf = load_bytes("aws-auth.yaml", text.encode())
    assert isinstance(sf, SourceFile)
    with_region = plan(sf.awsauth, "eu-west-1").entries[0]
    assert with_region.principal_arn == (
        "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admins_0123456789abcdef"
    )
    without = plan(sf.awsauth).entries[0]
    assert without.principal_arn.endswith("/sso.amazonaws.com/<region>/AWSReservedSSO_Admins_0123456789abcdef")
    assert any("--sso-region" in n and "AE101" in n for n in without.notes)
    errors = _errors(render_eksctl(plan(sf.awsauth), "prod"), tmp_path)
    assert [(c, line) for c, line, _ in errors] == [("AE101", 11)]
    assert "placeholder '<region>'" in errors[0][2]
