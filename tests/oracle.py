"""Compare the effective-state model with the real authenticator's verdicts (../shared/oracle).

`python tests/oracle.py [--base DIR] [CASE...]` prints every disagreement; the test modules run
the same comparison over a whole set. A set is a directory holding `cases/` and `verdicts.jsonl`
(by default the shared one; tests/fixtures/authenticator is another). See the shared set's README
for what each field means.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from awsauth_lint import effective
from awsauth_lint.identity import ACCESS_KEY, Caller, IdentityError, caller
from awsauth_lint.loader import SourceFile, load_path
from awsauth_lint.parsemap import Entry, Line

ORACLE = Path(__file__).resolve().parent.parent.parent / "shared" / "oracle"
DNS = re.compile(r"ip-oracle-(i-\w+)\.ec2\.internal")
KEY_OF = {"mapRoles": "roles", "mapUsers": "users", "mapAccounts": "accounts"}


def verdicts(path: Path | None = None) -> dict[str, dict[str, Any]]:
    """case -> line -> verdict, from `path` (a verdicts.jsonl, or a set's directory; default: the shared set)."""
    path = ORACLE if path is None else Path(path)
    if path.is_dir():
        path = path / "verdicts.jsonl"
    out: dict[str, dict[str, Any]] = {}
    with path.open() as fh:
        for raw in fh:
            v = json.loads(raw)
            out.setdefault(v["case"], {})[v["line"]] = v
    return out


def load(case: str, base: Path | None = None) -> effective.State | None:
    sf = load_path(str((ORACLE if base is None else Path(base)) / "cases" / case), case)
    assert isinstance(sf, SourceFile), sf
    return effective.current(sf.awsauth)


def _entry(e: Entry, line: Line) -> dict[str, Any]:
    arn_key = "rolearn" if e.key == "mapRoles" else "userarn"
    d: dict[str, Any] = {}
    if e.arn or line == "v0.5" or e.key == "mapUsers":
        d[arn_key] = e.arn
    if e.sso is not None:
        d["sso"] = {"permissionSetName": e.sso.permission_set, "accountID": e.sso.account}
        if e.sso.partition:
            d["sso"]["partition"] = e.sso.partition
    d["username"] = e.username
    d["groups"] = e.groups
    if e.userid:
        d["userid"] = e.userid
    return d


def _normal(text: str | None) -> str | None:
    if text is None:
        return None
    text = DNS.sub(lambda m: f"<private DNS name of {m.group(1)}>", text)
    return text.replace("ASIAAWSAUTHORACLE000", ACCESS_KEY).replace("AKIAAWSAUTHORACLE000", ACCESS_KEY)


def _outcome(o: dict[str, Any]) -> tuple[bool, str, str | None, tuple[str, ...]]:
    ok = o["result"] in ("mapped", "account-automap")
    return (ok, o.get("via") or "" if ok else "", _normal(o.get("username")) if ok else "", tuple(sorted(_normal(g) or "" for g in o.get("groups") or [])) if ok else ())


def _ours(v: effective.Verdict) -> tuple[bool, str, str | None, tuple[str, ...]]:
    return (v.authenticated, v.via if v.authenticated else "", v.username if v.authenticated else "", tuple(sorted(v.groups)) if v.authenticated else ())


def compare(case: str, lines: dict[str, Any], base: Path | None = None) -> Iterator[str]:
    """Every way the model disagrees with the oracle on one case of the set in `base` (nothing: agreement)."""
    st = load(case, base)
    for line, v in lines.items():
        where = f"{case} {line}"
        delivered = v["target"] is not None and v["target"]["delivered"]
        if (st is not None) != delivered:
            yield f"{where}: delivered: oracle {delivered}, model {st is not None}"
            continue
        if st is None:
            continue
        ls = st.lines[line]
        for key, k in v["keys"].items():
            got = ls.keys.get(key)
            mine = (got is not None, got.skipped if got else False, len(got.entries) + len(got.accounts) if got else 0, got.errors if got else 0)
            theirs = (k["present"], k["skipped"], k["kept"], len(k["errors"]))
            if mine != theirs:
                yield f"{where}: {key} (present, skipped, kept, errors): oracle {theirs} {k['errors']}, model {mine} {[p.message for p in got.problems] if got else ''}"
        for key in ("mapRoles", "mapUsers"):
            want = v["kept"][KEY_OF[key]]
            have = [_entry(e, line) for e in ls.keys[key].entries] if key in ls.keys else []
            if want != have:
                yield f"{where}: {key} kept: oracle {want}, model {have}"
        accounts = [a for a, _ in ls.keys["mapAccounts"].accounts] if "mapAccounts" in ls.keys else []
        if accounts != v["kept"]["accounts"]:
            yield f"{where}: accounts kept: oracle {v['kept']['accounts']}, model {accounts}"
        store = (sorted(ls.roles), sorted(ls.users))
        if store != (sorted(v["store"]["roles"]), sorted(v["store"]["users"])):
            yield f"{where}: store: oracle {v['store']['roles'], v['store']['users']}, model {store}"
    yield from _callers(case, st, lines)


def _callers(case: str, st: effective.State | None, lines: dict[str, Any]) -> Iterator[str]:
    for line, v in lines.items():
        for c in v["callers"]:
            try:
                who: Caller = caller(c["caller"])
                got = effective.decide(st, who, line)
            except IdentityError as e:  # not an identity STS returns: denied at the STS step
                got = effective.Verdict(line, False, reason=str(e))
            if c.get("random"):
                want = {_outcome(o) for o in c["outcomes"]}
                have = {_ours(o) for o in got.random} if got.random else {_ours(got)}
                if want != have or not got.random:
                    yield f"{case} {line} {c['caller']}: random: oracle {sorted(want)}, model {sorted(have)} random={bool(got.random)}"
            elif got.random:
                yield f"{case} {line} {c['caller']}: model says random, oracle {c['result']}"
            elif _outcome(c) != _ours(got):
                yield f"{case} {line} {c['caller']} ({c['why']}): oracle {_outcome(c)}, model {_ours(got)} {got.reason}"


def main(argv: list[str]) -> int:
    base = None
    if argv[:1] == ["--base"] and len(argv) > 1:
        base, argv = Path(argv[1]), argv[2:]
    all_verdicts = verdicts(base)
    cases = argv or sorted(all_verdicts)
    bad = 0
    for case in cases:
        problems = list(compare(case, all_verdicts[case], base))
        bad += bool(problems)
        for p in problems:
            print(p)
    print(f"{len(cases) - bad}/{len(cases)} cases agree", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
