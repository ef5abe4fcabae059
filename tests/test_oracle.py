"""The effective-access model agrees with the real authenticator on the shared verdict set.

`../shared/oracle` holds ~1,500 aws-auth manifests and what aws-iam-authenticator's own
code (v0.7.18 and v0.5.27) stores and answers for each. Every case, every line: which
object reaches the authenticator, per key present/skipped/kept/error count, the entries
kept (every field), the store's keys, and each caller's verdict (random winners as the
set of possible answers). Runs in-process; `python tests/oracle.py` prints disagreements.
"""

from __future__ import annotations

import json

import pytest
from awsauth_lint import effective
from awsauth_lint.identity import caller
from awsauth_lint.parsemap import CURRENT, LEGACY
from helpers import shared_path
from oracle import compare


def _cases() -> dict[str, dict[str, dict[str, object]]]:
    out: dict[str, dict[str, dict[str, object]]] = {}
    with shared_path("oracle", "verdicts.jsonl").open() as fh:
        for raw in fh:
            v = json.loads(raw)
            out.setdefault(v["case"], {})[v["line"]] = v
    return out


def test_every_case_agrees_on_both_lines() -> None:
    cases = _cases()
    assert len(cases) >= 1500
    assert {line for lines in cases.values() for line in lines} == {"v0.7", "v0.5"}
    disagreements = [d for case, lines in sorted(cases.items()) for d in compare(case, lines)]
    assert disagreements == [], f"{len(disagreements)} disagreements, first: {disagreements[:5]}"


def test_the_comparison_can_fail() -> None:
    """A verdict changed by hand is reported: the comparison is not vacuous."""
    cases = _cases()
    case = next(c for c, lines in sorted(cases.items()) if any(x["result"] == "mapped" for x in lines["v0.7"]["callers"]))
    lines = json.loads(json.dumps(cases[case]))
    who = next(x for x in lines["v0.7"]["callers"] if x["result"] == "mapped")
    who["username"] = "someone-else"
    lines["v0.7"]["keys"]["mapRoles"]["kept"] += 1
    found = list(compare(case, lines))
    assert any("someone-else" in d for d in found)
    assert any("mapRoles (present, skipped, kept, errors)" in d for d in found)


@pytest.mark.parametrize(
    ("case", "who", "current", "legacy"),
    [
        # unquoted {{SessionName}}: the current line drops all of mapRoles, the legacy line keeps it blanked
        ("unquoted", "arn:aws:sts::111122223333:assumed-role/ReadOnly/bob", None, ("", ["viewers"])),
        # mis-cased field name: matched on the current line, ignored (entry inert) on the legacy line
        ("miscased", "arn:aws:sts::111122223333:assumed-role/Deployer/ci", ("deployer", ["deployers"]), None),
        # mis-cased data key: neither line reads it
        ("miscased", "arn:aws:iam::111122223333:user/alice", None, None),
    ],
)
def test_lines_differ_where_the_facts_say(case: str, who: str, current: object, legacy: object) -> None:
    from awsauth_lint.loader import SourceFile, load_path
    from helpers import FIXTURES

    sf = load_path(str(FIXTURES / "why" / case / "aws-auth.yaml"), "aws-auth.yaml")
    assert isinstance(sf, SourceFile)
    st = effective.current(sf.awsauth)
    c = caller(who)
    for line, want in ((CURRENT, current), (LEGACY, legacy)):
        v = effective.decide(st, c, line)
        assert (v.username, v.groups) == want if want is not None else not v.authenticated, (line, v)
