"""Property-based fuzzing of the whole pipeline: never an exception, positions inside the file,
SARIF always valid. `HYPOTHESIS_PROFILE=long` runs many more examples than CI does."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import jsonschema
from awsauth_lint.config import Config
from awsauth_lint.engine import lint
from awsauth_lint.loader import InputError, load_bytes
from awsauth_lint.reporters import REPORTERS, RenderOptions
from helpers import FIXTURES, IN_CI, SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile("ci", max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n"
CONFIG = Config()


@cache
def sarif_validator() -> jsonschema.Draft4Validator | None:
    path = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if not path.exists():
        assert not IN_CI, f"{path} is required under CI"
        return None
    return jsonschema.Draft4Validator(json.loads(path.read_text(encoding="utf-8")))


@cache
def seeds() -> tuple[bytes, ...]:
    """Real-world files (read in place, never copied) and our fixtures: the mutation seeds."""
    files = sorted(p for p in (FIXTURES / "rules").rglob("*") if p.is_file() and p.suffix in (".yaml", ".json"))
    corpus = SHARED / "corpus" / "realworld"
    if corpus.exists():
        files += sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json"))
    return tuple(p.read_bytes() for p in files)


def check_pipeline(data: bytes) -> None:
    """Lint bytes; every output format renders; every finding lies inside the file."""
    source = load_bytes("fuzz.yaml", data)
    result = lint([source], CONFIG)
    assert not [e for e in result.errors if "internal error" in e.message], result.errors
    if isinstance(source, InputError):
        return
    lines = source.src.lines or [""]
    for f in result.findings:
        s, e = f.span.start, f.span.end
        assert 1 <= s.line <= len(lines) + 1, f
        assert 1 <= s.column <= len(source.src.line(s.line)) + 2, f
        assert (e.line, e.column) >= (s.line, s.column), f
        assert e.line <= len(lines) + 1, f
    opts = RenderOptions(version="0.0.0", show_suppressed=True)
    for name, render in REPORTERS.items():
        out = render(result, opts)
        assert isinstance(out, str)
        if name == "sarif" and (v := sarif_validator()) is not None:
            errors = list(v.iter_errors(json.loads(out)))
            assert not errors, errors[0].message


@given(st.text(max_size=400))
def test_arbitrary_text_as_a_file(text: str) -> None:
    check_pipeline(("aws-auth\n" + text).encode("utf-8", "surrogatepass"))


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_arbitrary_text_inside_map_roles(text: str) -> None:
    body = "".join(f"    {line}\n" for line in text.splitlines()) or "    \n"
    check_pipeline((HEAD + "  mapRoles: |\n" + body).encode("utf-8", "surrogatepass"))


KEYS = st.sampled_from(["rolearn", "userarn", "username", "groups", "roleARN", "group", "sso", "data", "mapRoles", "kind"])
SCALARS = st.one_of(
    st.sampled_from(
        [
            "arn:aws:iam::111122223333:role/a",
            "arn:aws:iam::111122223333:role/p/a",
            "arn:aws:iam::111122223333:user/u",
            "system:node:{{EC2PrivateDNSName}}",
            "system:masters",
            "system:nodes",
            "{{SessionName}}",
            "yes",
            "0755",
            "",
        ]
    ),
    st.text(max_size=20),
    st.integers(),
    st.booleans(),
    st.none(),
)
ENTRIES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=20,
)


@given(ENTRIES, st.booleans())
def test_structures_in_map_roles(entries: object, as_json: bool) -> None:
    inner = json.dumps(entries)
    if as_json:
        doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "aws-auth"}, "data": {"mapRoles": inner}}
        check_pipeline(json.dumps(doc).encode())
    else:
        check_pipeline((HEAD + "  mapRoles: |\n    " + inner + "\n").encode())


@given(st.data())
def test_mutated_real_files(data: st.DataObject) -> None:
    base = bytearray(data.draw(st.sampled_from(seeds())))
    for _ in range(data.draw(st.integers(1, 6))):
        if not base:
            break
        i = data.draw(st.integers(0, len(base) - 1))
        op = data.draw(st.sampled_from(["delete", "insert", "duplicate", "swap"]))
        if op == "delete":
            del base[i : i + data.draw(st.integers(1, 8))]
        elif op == "insert":
            base[i:i] = data.draw(st.sampled_from([b" ", b"\t", b"\n", b":", b"- ", b"{", b"}", b"[", b"]", b"|", b"'", b'"', b"#", b"&a", b"*a", b"!!", b"---\n", b"\r\n", b"\xc3", b"\x00"]))
        elif op == "duplicate":
            j = min(len(base), i + data.draw(st.integers(1, 40)))
            base[j:j] = base[i:j]
        else:
            j = data.draw(st.integers(0, len(base) - 1))
            base[i], base[j] = base[j], base[i]
    check_pipeline(bytes(base))


def test_seeds_are_available() -> None:
    """The mutation seeds include our fixtures (and the real-world corpus when present)."""
    assert len(seeds()) > 50
    assert Path(FIXTURES).is_dir()
