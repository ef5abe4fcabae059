"""The legacy line (v0.5.8-v0.5.27), and mapAccounts on both: yaml.v2 into Go structs.

Exact field names; any scalar is kept as its text (`yes` stays "yes"); a value of the
wrong type is left out with an error; no validation. When yaml.v2 gives up midway (a bad
merge, a tag that does not fit its text) the slice it made keeps its full length, so the
entries from there on are stored empty. Sources: aws-iam-authenticator v0.5.27
`pkg/mapper/configmap/configmap.go`; go-yaml v2.4.0 `decode.go`.
"""

from __future__ import annotations

from .goyaml import GoYAMLFailure, describe, go_text, is_null, must_decode, pairs
from .mapentry import ATTR, FIELDS, Entry, KeyResult, Problem, list_root, owner, type_error
from .nodes import Map, Node, Scalar, Seq


def entries(res: KeyResult, root: Node | None) -> None:
    root = list_root(res, root)
    if root is None:
        return
    for i, item in enumerate(root.items):
        try:
            e = _item_yaml(res, i, item)
        except GoYAMLFailure as err:
            _partial(res, root, err)
            res.entries += [Entry(res.key, j, root.items[j]) for j in range(len(res.entries), len(root.items))]
            return
        if e is not None:
            res.entries.append(e)


def _partial(res: KeyResult, root: Seq, err: GoYAMLFailure) -> None:
    """yaml.v2 gave up midway: it had made the slice full length before decoding the items,
    so what failed and everything after it stays as empty values, and those are stored."""
    res.problems.append(Problem(f"{err}: this entry and every later one are kept empty", err.node, "key",
                                code=owner(err.node)))
    res.errors = 1


def _item_yaml(res: KeyResult, i: int, item: Node) -> Entry | None:
    e = Entry(res.key, i, item)
    if isinstance(item, Map):
        for k, v in pairs(item):
            if not isinstance(k, Scalar):
                type_error(res, "a mapping or sequence used as a key", k)
                continue
            must_decode(k)
            name = "" if is_null(k) else go_text(k)
            if name not in FIELDS[res.key] or name == "sso":
                continue
            _struct_yaml(res, e, name, v)
    elif isinstance(item, Scalar) and is_null(item):
        pass  # a null item is an empty entry
    else:
        if isinstance(item, Scalar):
            must_decode(item)
        type_error(res, f"{res.key} entry {i + 1} is {describe(item)}, not a mapping: it is dropped", item, "entry")
        return None
    return e


def _struct_yaml(res: KeyResult, e: Entry, name: str, v: Node) -> None:
    if name == "groups":
        if is_null(v):
            e.groups, e.group_nodes, e.groups_node = None, [], v
        elif isinstance(v, Seq):
            e.groups, e.group_nodes, e.groups_node = [], [], v
            for g in v.items:
                if isinstance(g, Scalar):
                    must_decode(g)
                    e.groups.append("" if is_null(g) else go_text(g) or "")
                    e.group_nodes.append(g)
                else:
                    type_error(res, f"group {describe(g)} is not a string: it is left out", g)
        else:
            type_error(res, f"groups is {describe(v)}, not a list: the entry gets no groups", v)
        return
    if isinstance(v, Scalar):
        must_decode(v)
        attr = ATTR[name]
        setattr(e, attr, "" if is_null(v) else go_text(v) or "")
        if attr in ("arn", "username"):
            setattr(e, f"{attr}_node", None if is_null(v) else v)
        return
    type_error(res, f"{name} is {describe(v)}, not a string: it stays empty", v)


def accounts(res: KeyResult, root: Node | None) -> None:
    root = list_root(res, root, "account ids")
    if root is None:
        return
    for item in root.items:
        try:
            if isinstance(item, Scalar):
                must_decode(item)
                res.accounts.append(("" if is_null(item) else go_text(item) or "", item))
            else:
                type_error(res, f"an account is {describe(item)}, not a string: it is left out", item)
        except GoYAMLFailure as err:
            _partial(res, root, err)
            res.accounts += [("", root.items[j]) for j in range(len(res.accounts), len(root.items))]
            return
