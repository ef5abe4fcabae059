"""The effective-access model agrees with the real authenticator on the regression set.

`fixtures/authenticator/` holds small aws-auth manifests (`cases/`), the callers chosen for each
(`callers.json`) and what aws-iam-authenticator's own code (v0.7.18 and v0.5.27) stores and
answers for them (`verdicts.jsonl`, written by `record.py` from the real code, never by hand).
The cases pin the places where the model and the authenticator once disagreed: written YAML
tags, `sso:` with a scalar value, case variants of `groups` in one entry, a `.nan`/`.inf`
overridden by a later duplicate key, entries the legacy line keeps after a failed merge,
control characters Go's TrimSpace does not trim, `namespace: ~`, wrongly typed ConfigMap
metadata, a `kind` that is a mapping, tabs after `key:`; and a few ordinary maps beside them.
The comparison is the one tests/oracle.py runs against the shared set: every key, every kept
entry, the store and every caller on both lines.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from oracle import compare, verdicts

SET = Path(__file__).resolve().parent / "fixtures" / "authenticator"
VERDICTS = verdicts(SET)
CALLERS: dict[str, Any] = json.loads((SET / "callers.json").read_text())
CASES = sorted(p.name for p in (SET / "cases").iterdir() if p.is_file())


def test_every_case_has_its_callers_and_both_verdicts() -> None:
    assert len(CASES) >= 30
    assert sorted(VERDICTS) == CASES == sorted(CALLERS)
    for case in CASES:
        assert sorted(VERDICTS[case]) == ["v0.5", "v0.7"], case
        want = [c["caller"] for c in CALLERS[case]["callers"]]
        for line, v in VERDICTS[case].items():
            assert [c["caller"] for c in v["callers"]] == want, (case, line)


def test_the_set_exercises_what_it_claims() -> None:
    """Random winners, refused objects, dropped keys and line differences are all in the data."""
    every = [v for lines in VERDICTS.values() for v in lines.values()]
    assert any(c.get("random") for v in every if v["line"] == "v0.7" for c in v["callers"])
    assert any(v["apiserver_rejects"] for v in every)
    assert any(v["target"] is None for v in every)
    assert any(k["present"] and not k["kept"] and k["errors"] for v in every for k in v["keys"].values())

    def answers(v: dict[str, Any]) -> list[tuple[Any, ...]]:
        return [(c["result"], c["username"], c["groups"]) for c in v["callers"]]

    assert any(answers(lines["v0.7"]) != answers(lines["v0.5"]) for lines in VERDICTS.values())


@pytest.mark.parametrize("case", CASES)
def test_case_agrees_on_both_lines(case: str) -> None:
    disagreements = list(compare(case, VERDICTS[case], SET))
    assert disagreements == [], "\n".join(disagreements)


def test_the_comparison_can_fail() -> None:
    """A recorded verdict changed by hand is reported: the comparison is not vacuous."""
    case = next(c for c in CASES if any(x["result"] == "mapped" for x in VERDICTS[c]["v0.5"]["callers"]))
    lines = json.loads(json.dumps(VERDICTS[case]))
    who = next(x for x in lines["v0.5"]["callers"] if x["result"] == "mapped")
    who["groups"] = [*who["groups"], "system:masters-by-hand"]
    assert any("system:masters-by-hand" in d for d in compare(case, lines, SET))
