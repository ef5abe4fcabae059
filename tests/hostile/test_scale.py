"""Large inputs: what keeps memory and time proportional to the file, checked by counting
(how the parse was split, which spans were built), never by timing (benchmarks/run.py times)."""

from __future__ import annotations

from typing import Any

import pytest
from awsauth_lint import source
from awsauth_lint.loader import load_bytes
from awsauth_lint.nodes import Map, Node, Scalar, Seq
from awsauth_lint.source import LiteralShift, compose, compose_relevant

NODE = "- rolearn: arn:aws:iam::111122223333:role/nodes\n  groups: [system:bootstrappers, system:nodes]\n"  # libyaml refuses ':' here


def entry(i: int) -> str:
    return f"- rolearn: arn:aws:iam::111122223333:role/team-{i}\n  username: team-{i}\n  groups:\n    - team-{i % 3}\n"


# Lists the C parser fails on (an unquoted ':' in a flow list), but the first.
LISTS = {
    "c-reads-it": "".join(entry(i) for i in range(9)) + '- rolearn: "a:b"\n  groups: ["system:masters"]\n',
    "plain": NODE + "".join(entry(i) for i in range(9)),
    "comments-and-blanks": "# head\n\n" + NODE + "# between\n\n" + "".join(entry(i) + "\n# c\n" for i in range(7)) + "\n# tail\n",
    "block-scalars": NODE + "".join(f"- rolearn: |\n    arn:aws:iam::111122223333:role/b-{i}\n  username: >-\n    u\n    {i}\n" for i in range(6)),
    "quoted-across-lines": NODE + '- rolearn: "arn:aws:iam::111122223333:role/q\n  x"\n' + "".join(entry(i) for i in range(5)),
    "nulls-and-scalars": NODE + "-\n- just text\n- - nested\n  - list\n" + "".join(entry(i) for i in range(5)) + "-",
    "flow-across-lines": NODE + "- groups: [a,\n  b]\n" + "".join(entry(i) for i in range(5)),
    "flow-cut-in-two": NODE + "- groups: [a,\n- b]\n" + "".join(entry(i) for i in range(5)),
    "quote-cut-in-two": NODE + '- rolearn: "x\n- y"\n' + "".join(entry(i) for i in range(5)),
    "late-error": "".join(entry(i) for i in range(6)) + NODE + "- rolearn: [unclosed\n",
    "alias": NODE + "- &e {rolearn: x}\n- *e\n" + "".join(entry(i) for i in range(5)),
    "key-at-column-0": NODE + "".join(entry(i) for i in range(5)) + "key: value\n",
    "tab-after-key": NODE + "- rolearn:\tarn:aws:iam::111122223333:role/t\n" + "".join(entry(i) for i in range(5)),
}


def shape(n: Node | None) -> Any:
    """Everything a rule can see of a node."""
    if n is None:
        return None
    if isinstance(n, Scalar):
        return ("scalar", n.value, n.span, n.style, n.tag, n.tagged)
    if isinstance(n, Seq):
        return ("seq", n.span, n.flow, n.tag, [shape(i) for i in n.items])
    assert isinstance(n, Map)
    return ("map", n.span, n.flow, n.tag, [(shape(k), shape(v)) for k, v in n.pairs])


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_long_list_composed_in_groups_reads_as_the_whole(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long list is composed in groups of items (the C parser still reads most of them
    when it fails on one): the nodes, spans and errors are those of the whole list."""
    text = LISTS[name]
    mapper = LiteralShift(12, 4)
    whole = source._compose_c(text, mapper, None, True)
    assert whole is not None
    if whole.error is not None:
        whole = source._compose(text, mapper, source._roots_pure(text), None, True)
    else:
        assert name == "c-reads-it"
    monkeypatch.setattr(source, "GROUP", 2)
    grouped: list[bool] = []
    real = source._in_groups

    def spy(*args: Any) -> Any:
        got = real(*args)
        grouped.append(got is not None)
        return got

    monkeypatch.setattr(source, "_in_groups", spy)
    got = compose(text, mapper)
    assert [shape(d) for d in got.docs] == [shape(d) for d in whole.docs]
    assert got.doc_spans == whole.doc_spans
    assert got.error == whole.error
    expect_groups = name in ("c-reads-it", "plain", "comments-and-blanks", "block-scalars", "quoted-across-lines", "nulls-and-scalars", "flow-across-lines")
    assert grouped == [expect_groups]


def test_rbac_documents_are_read_as_they_are_composed() -> None:
    """`read` sees each RBAC-only document right after it is composed (a file of thousands
    never holds all their parser nodes); a document that fails brings back the whole-stream
    parse, whose documents are all converted."""
    doc = "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {{name: b{}}}\n"
    text = "".join(doc.format(i) for i in range(5))
    seen: list[int] = []

    def read(node: Any, access: Any) -> str:
        seen.append(1)
        return str(access.text(access.pairs(access.pairs(node)[2][1])[0][1]))

    got = compose_relevant(text, ("rbac.authorization.k8s.io",), ("rolearn",), read=read)
    assert got.raw == ["b0", "b1", "b2", "b3", "b4"]
    assert len(seen) == 5
    assert got.docs == []
    broken = compose_relevant(text + "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: [\n", ("rbac",), ("rolearn",), read=read)
    assert broken.raw == []
    assert len(broken.docs) == 5
    assert broken.error is not None


def test_spans_stay_packed_until_read() -> None:
    """Loading a large aws-auth builds no span objects for its entries (three tuples each,
    most never read): nodes and mappings keep one int until a span is asked for."""
    entries = "".join(f"    - rolearn: arn:aws:iam::111122223333:role/r{i}\n      username: r{i}\n      groups: [g]\n" for i in range(50))
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n  mapRoles: |\n" + entries
    sf = load_bytes("aws-auth.yaml", text.encode())
    assert not isinstance(sf, Exception)
    (doc,) = sf.awsauth
    root = doc.maps["mapRoles"].root
    assert isinstance(root, Seq)
    built = [n for item in root.items if isinstance(item, Map) for pair in item.pairs for n in pair if not isinstance(n.at, int)]
    assert built == []
    m = doc.map_roles[7]
    assert m.arn is not None
    assert isinstance(m.arn.at, int)
    assert isinstance(m.groups[0].at, int)
    assert (m.arn.span.start, m.arn.span.end) == ((6 + 3 * 7, 16), (6 + 3 * 7, 49))
    assert m.username is not None
    assert m.username.span.start == (7 + 3 * 7, 17)
