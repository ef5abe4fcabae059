"""SARIF 2.1.0 for GitHub code scanning: plain dicts, deterministic bytes.

Every result has an explicit level, a repository-relative URI under `%SRCROOT%`, a
1-based region with an exclusive end column, and a partial fingerprint that does not
depend on line numbers. Suppressed findings (when shown) carry `suppressions`.
"""

from __future__ import annotations

import re
from typing import Any, Final
from urllib.parse import quote

from ..engine import RunResult
from ..model import Finding, Fix, Rule
from ..registry import lookup
from . import Each, RenderOptions, dumps

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/awsauth-lint/awsauth-lint"
HELP_URI = INFORMATION_URI + "/blob/main/docs/rules/{code}.md"  # the one formula for every rule
FINGERPRINT_KEY = "awsauthLint/v1"
# GitHub's security-severity scale: >= 9.0 critical, >= 7.0 high, >= 4.0 medium, else low.
# Only rules whose finding means "more access than intended, or actions nobody can
# attribute" get one (and the `security` tag); docs/github-actions.md explains each number.
SECURITY_SEVERITY: Final[dict[str, str]] = {
    "AA301": "8.0",  # system:masters: unrestricted, RBAC cannot limit or revoke it
    "AE301": "8.0",  # AmazonEKSClusterAdminPolicy at cluster scope: the access-entry system:masters
    "AA303": "8.0",  # node groups for a non-node identity: node permissions for people or CI
    "AA302": "7.5",  # mapAccounts: every principal of whole accounts authenticates
    "AA205": "6.0",  # reserved username: may pick up RBAC meant for system components
    "AE304": "5.0",  # AmazonEKSAdminViewPolicy: "view" that reads every Secret
    "RB005": "5.0",  # binding to system:masters: intends cluster-wide bypass, hides who is admin
    "AA104": "4.0",  # duplicate ARN: for users, which entry's groups apply is random per request
    "AA206": "3.0",  # no session name: audit logs cannot tell which person acted
}
# "very-high" unless the rule depends on what the repository does not show (RB*, AA401:
# bindings or node access may live elsewhere) or on a naming heuristic (AA206, RB004).
PRECISION: Final[dict[str, str]] = {
    "AA401": "high",
    "RB001": "high",
    "RB002": "high",
    "RB003": "high",
    "AA206": "medium",
    "RB004": "medium",
}


def _first_paragraph(doc: str, section: str) -> str:
    m = re.search(rf"## {re.escape(section)}\n(.*?)(?:\n\n|\n## |$)", doc, re.S)
    return " ".join(m.group(1).split()) if m else ""


def _descriptor(rule: Rule) -> dict[str, Any]:
    m = rule.meta
    props: dict[str, Any] = {"tags": sorted({*m.tags, m.code[:2].lower()}), "precision": PRECISION.get(m.code, "very-high")}
    if m.code in SECURITY_SEVERITY:
        props["security-severity"] = SECURITY_SEVERITY[m.code]
        props["tags"] = sorted({*props["tags"], "security"})
    return {
        "id": m.code,
        "name": m.name,  # the kebab-case name config and suppression comments accept
        "shortDescription": {"text": m.summary},
        "fullDescription": {"text": _first_paragraph(rule.doc, "What it does") or m.summary},
        "help": {"text": _first_paragraph(rule.doc, "Why is this bad?") or m.summary, "markdown": rule.doc},
        "helpUri": HELP_URI.format(code=m.code),
        "defaultConfiguration": {"level": m.default_severity.value},
        "properties": props,
    }


def _region(f: Finding) -> dict[str, int]:
    s, e = f.span.start, f.span.end
    end_line, end_col = max(e.line, s.line), e.column
    if (end_line, end_col) <= (s.line, s.column):
        end_line, end_col = s.line, s.column + 1
    return {"startLine": max(s.line, 1), "startColumn": max(s.column, 1), "endLine": end_line, "endColumn": max(end_col, 1)}


def _uri(f: Finding, result: RunResult) -> str:
    return quote(result.relative(f.file), safe="/")


def _fix(fix: Fix, uri: str) -> dict[str, Any]:
    return {
        "description": {"text": fix.description},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "replacements": [
                    {
                        "deletedRegion": {
                            "startLine": e.span.start.line,
                            "startColumn": e.span.start.column,
                            "endLine": e.span.end.line,
                            "endColumn": e.span.end.column,
                        },
                        "insertedContent": {"text": e.text},
                    }
                    for e in fix.edits
                ],
            }
        ],
    }


def _result(f: Finding, index: dict[str, int], result: RunResult) -> dict[str, Any]:
    uri = _uri(f, result)
    out: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": f.severity.value,
        "message": {"text": f.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}, "region": _region(f)}}
        ],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
    }
    props: dict[str, Any] = {}
    if not f.span.exact:
        props["approximate"] = True
    if f.cluster:
        props["cluster"] = f.cluster
    if props:
        out["properties"] = props
    if f.fix is not None and f.fix.safe:
        out["fixes"] = [_fix(f.fix, uri)]
    if f.suppressed is not None:
        sup: dict[str, Any] = {"kind": "inSource"}
        if f.suppressed:
            sup["justification"] = f.suppressed
        out["suppressions"] = [sup]
    return out


def render_sarif(result: RunResult, opts: RenderOptions) -> str:
    visible = [f for f in result.findings if opts.show_suppressed or f.suppressed is None]
    by_code = {r.meta.code: r for r in result.rules}  # every enabled rule, so code scanning can close alerts
    for code in {f.code for f in visible} - set(by_code):  # never drop a finding for want of a descriptor
        rule = lookup(code)
        if rule is not None:
            by_code[code] = rule
    rules = [by_code[c] for c in sorted(by_code)]
    index = {r.meta.code: i for i, r in enumerate(rules)}
    shown = [f for f in visible if f.code in index]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "awsauth-lint",
                        "semanticVersion": opts.version,
                        "version": opts.version,
                        "informationUri": INFORMATION_URI,
                        "rules": [_descriptor(r) for r in rules],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The root of the repository"}}},
                "columnKind": "unicodeCodePoints",
                "results": Each(shown, lambda f: _result(f, index, result)),
            }
        ],
    }
    return dumps(log) + "\n"
