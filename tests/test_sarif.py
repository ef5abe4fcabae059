"""SARIF output validates against the official 2.1.0 schema and follows code scanning's rules."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from awsauth_lint import __version__
from awsauth_lint.reporters import RenderOptions
from awsauth_lint.reporters.sarif import render_sarif
from helpers import FIXTURES, ROOT, lint_paths, shared_path

FAIL_CASES = sorted(p for p in (FIXTURES / "rules").glob("*/fail/*") if not p.name.endswith(".expect"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(shared_path("schemas", "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def sarif_of(paths: list[Path], root: Path) -> tuple[dict, object]:  # type: ignore[type-arg]
    result = lint_paths(paths)
    result.root = root
    return json.loads(render_sarif(result, RenderOptions(version=__version__, show_suppressed=True))), result


@pytest.mark.parametrize("case", FAIL_CASES, ids=lambda p: "/".join(p.parts[-3:]))
def test_every_fail_fixture_gives_valid_sarif(case: Path, validator: jsonschema.Draft4Validator) -> None:
    """Valid SARIF; every result's region is the finding's span; explicit levels; indexes right."""
    log, result = sarif_of([case], FIXTURES.parent.parent)
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, errors[0].message
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    findings = [f for f in result.findings]  # type: ignore[attr-defined]
    assert len(run["results"]) == len(findings)
    for res, f in zip(run["results"], findings, strict=True):
        assert res["ruleId"] == f.code
        assert rules[res["ruleIndex"]]["id"] == f.code
        assert res["level"] == f.severity.value
        region = res["locations"][0]["physicalLocation"]["region"]
        s, e = f.span.start, f.span.end
        if (e.line, e.column) > (s.line, s.column):
            assert region == {"startLine": s.line, "startColumn": s.column, "endLine": e.line, "endColumn": e.column}
        else:  # an empty span is shown one character wide
            assert region == {"startLine": s.line, "startColumn": s.column, "endLine": s.line, "endColumn": s.column + 1}
        assert min(region.values()) >= 1
        assert res["message"]["text"] == f.message
        assert not res["message"]["text"].startswith(f.code)
        assert res.get("properties", {}).get("approximate", False) is (not f.span.exact)
        assert ("suppressions" in res) is (f.suppressed is not None)
        loc = res["locations"][0]["physicalLocation"]["artifactLocation"]
        assert loc["uriBaseId"] == "%SRCROOT%"
        assert loc["uri"].startswith("tests/fixtures/rules/")
        assert res["partialFingerprints"]["awsauthLint/v1"] == f.fingerprint


def test_driver_rules_metadata(validator: jsonschema.Draft4Validator) -> None:
    """The driver lists every rule with help, helpUri, tags, precision and security severity."""
    log, _ = sarif_of([FIXTURES / "rules" / "AA301" / "fail"], FIXTURES.parent.parent)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "awsauth-lint"
    assert driver["semanticVersion"] == __version__
    assert driver["informationUri"].startswith("https://")
    ids = [r["id"] for r in driver["rules"]]
    assert ids == sorted(ids)
    from awsauth_lint.registry import all_rules

    assert ids == [r.meta.code for r in all_rules()]  # every enabled rule, not only those that fired
    for rule in driver["rules"]:
        assert rule["helpUri"] == f"https://github.com/awsauth-lint/awsauth-lint/blob/main/docs/rules/{rule['id']}.md"
        assert (ROOT / "docs" / "rules" / f"{rule['id']}.md").exists()
        for key in ("shortDescription", "fullDescription", "help"):
            assert rule[key]["text"]
        assert rule["properties"]["precision"] in ("very-high", "high", "medium", "low")
        score = rule["properties"].get("security-severity")
        assert (score is not None) is ("security" in rule["properties"]["tags"])
        if score is not None:
            assert 0.0 < float(score) <= 10.0
    names = {r["id"]: r["name"] for r in driver["rules"]}
    assert names["AA101"] == "role-arn-with-path"
    security = {r["id"] for r in driver["rules"] if "security-severity" in r["properties"]}
    assert {"AA301", "AA302", "AA303", "RB005"} <= security
    masters = next(r for r in driver["rules"] if r["id"] == "AA301")
    assert masters["properties"]["security-severity"] == "8.0"
    assert "security" in masters["properties"]["tags"]
    assert masters["properties"]["precision"] == "very-high"
    assert masters["helpUri"].endswith("/docs/rules/AA301.md")
    assert "## Why is this bad?" in masters["help"]["markdown"]
    assert masters["defaultConfiguration"] == {"level": "warning"}


def test_clean_run_has_empty_results(tmp_path: Path, validator: jsonschema.Draft4Validator) -> None:
    """A clean run still has `results: []` and validates."""
    log, _ = sarif_of([FIXTURES / "rules" / "AA101" / "pass"], FIXTURES.parent.parent)
    assert log["runs"][0]["results"] == []
    assert not list(validator.iter_errors(log))


def test_deterministic_bytes() -> None:
    """Two renders of the same run are byte-identical and hold no absolute path."""
    case = FIXTURES / "rules" / "AA104" / "fail"
    root = FIXTURES.parent.parent
    a = render_sarif(_with_root(lint_paths([case]), root), RenderOptions(version="1.2.3"))
    b = render_sarif(_with_root(lint_paths([case]), root), RenderOptions(version="1.2.3"))
    assert a == b
    assert str(root) not in a


def _with_root(result, root: Path):  # type: ignore[no-untyped-def]
    result.root = root
    return result


def test_fingerprints_survive_inserted_lines(tmp_path: Path) -> None:
    """Inserting lines above a finding changes its line, not its fingerprint."""
    src = (FIXTURES / "rules" / "AA101" / "fail" / "path-and-sso.yaml").read_text()
    f = tmp_path / "aws-auth.yaml"
    f.write_text(src)
    before = {(x.code, x.fingerprint): x.span.start.line for x in lint_paths([f]).findings}
    f.write_text("# a new header comment\n# and another\n" + src.replace("  mapRoles: |\n", "  mapRoles: |\n    # note\n"))
    after = {(x.code, x.fingerprint): x.span.start.line for x in lint_paths([f]).findings}
    assert set(before) == set(after)
    assert all(after[k] == before[k] + 3 for k in before)


def test_suppressed_results_carry_suppressions(validator: jsonschema.Draft4Validator) -> None:
    """A suppressed finding is present with an inSource suppression and its justification."""
    log, _ = sarif_of([FIXTURES / "rules" / "AA301" / "pass" / "no-masters.yaml"], FIXTURES.parent.parent)
    sup = [r for r in log["runs"][0]["results"] if "suppressions" in r]
    assert len(sup) == 1
    assert sup[0]["suppressions"] == [{"kind": "inSource", "justification": "reviewed break-glass role"}]
    assert not list(validator.iter_errors(log))


def test_fixes_are_valid_sarif(validator: jsonschema.Draft4Validator) -> None:
    """Safe fixes become SARIF `fixes` with artifactChanges and replacements; unsafe ones do not."""
    log, _ = sarif_of([FIXTURES / "fix" / "templates-and-duplicates.yaml"], FIXTURES.parent.parent)
    results = log["runs"][0]["results"]
    assert [r["ruleId"] for r in results if "fixes" in r] == ["AA104"]  # AA005, AA006: unsafe
    (res,) = [r for r in results if "fixes" in r]
    change = res["fixes"][0]["artifactChanges"][0]
    rep = change["replacements"][0]
    assert rep["insertedContent"]["text"] == ""
    assert rep["deletedRegion"] == {"startLine": 11, "startColumn": 1, "endLine": 14, "endColumn": 1}
    assert not list(validator.iter_errors(log))


def test_uris_relative_to_repository_from_subdirectory(tmp_path: Path) -> None:
    """Invoked from a subdirectory or with absolute paths, URIs are relative to the git root."""
    import subprocess
    import sys

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    sub = tmp_path / "clusters" / "prod"
    sub.mkdir(parents=True)
    (sub / "aws-auth.yaml").write_text((FIXTURES / "rules" / "AA101" / "fail" / "crlf.yaml").read_bytes().decode())
    for cwd, arg in ((sub, "aws-auth.yaml"), (tmp_path, str(sub / "aws-auth.yaml"))):
        out = subprocess.run(
            [sys.executable, "-m", "awsauth_lint", "--format", "sarif", arg], cwd=cwd, capture_output=True, text=True, check=False
        ).stdout
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(out)["runs"][0]["results"]}
        assert uris == {"clusters/prod/aws-auth.yaml"}


def test_rules_are_the_enabled_ones(validator: jsonschema.Draft4Validator) -> None:
    """With --select, the driver lists just the selected rules and indexes point into that list."""
    from awsauth_lint.config import Config

    result = lint_paths([FIXTURES / "rules" / "AA101" / "fail"], Config(select=("AA1",)))
    result.root = FIXTURES.parent.parent
    log = json.loads(render_sarif(result, RenderOptions(version="1.2.3")))
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["AA101", "AA102", "AA103", "AA104", "AA105"]
    assert {rules[r["ruleIndex"]]["id"] for r in log["runs"][0]["results"]} == {"AA101"}
    assert not list(validator.iter_errors(log))


def test_fingerprints_survive_a_mapping_inserted_above(tmp_path: Path) -> None:
    """A new mapping above shifts list indexes; the fingerprints below stay the same."""
    head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles: |\n"
    node = (
        "    - rolearn: arn:aws:iam::111122223333:role/eks-node\n"
        "      username: system:node:{{EC2PrivateDNSName}}\n"
        "      groups: [system:bootstrappers, system:nodes]\n"
    )
    bad = (
        "    - rolearn: arn:aws:iam::111122223333:role/team/admin\n"
        "      username: Admin\n"
        "      groups: [system:masters]\n"
    )
    new = "    - rolearn: arn:aws:iam::111122223333:role/viewer\n      username: viewer:{{SessionName}}\n      groups: [viewers]\n"
    f = tmp_path / "aws-auth.yaml"
    f.write_text(head + node + bad)
    before = {x.code: x.fingerprint for x in lint_paths([f]).findings if x.code in ("AA101", "AA201", "AA301")}
    f.write_text(head + new + node + bad)
    after = {x.code: x.fingerprint for x in lint_paths([f]).findings if x.code in ("AA101", "AA201", "AA301")}
    assert len(before) == 3
    assert after == before
