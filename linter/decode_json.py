"""The current line (v0.6.30-v0.7.x): the map as JSON decoded into Go structs.

`utilyaml.ToJSON` then `encoding/json`: field names match in any case (the exact name
first), a value of the wrong type leaves its field as it was (one error for the key),
JSON keys arrive sorted, then `Validate` drops entries without `rolearn`/`userarn`, with
both `rolearn` and `sso`, or with a bad `sso` matcher. Sources: aws-iam-authenticator
v0.7.18 `pkg/mapper/configmap/configmap.go`, `pkg/config/mapper.go`.
"""

from __future__ import annotations

import re

from .goyaml import describe, go_text, is_null, json_object, kind
from .mapentry import ATTR, FIELDS, PARTITIONS, SSO_FIELDS, Entry, KeyResult, Problem, Sso, list_root, owner
from .nodes import Map, Node, Scalar, Seq


def entries(res: KeyResult, root: Node | None) -> None:
    root = list_root(res, root)
    if root is None:
        return
    json_error = False
    for i, item in enumerate(root.items):
        e = Entry(res.key, i, item)
        if isinstance(item, Map):
            problems = _struct_json(e, json_object(item))
            res.problems.extend(problems)
            json_error = json_error or bool(problems)
        elif not is_null(item):
            res.problems.append(Problem(f"{res.key} entry {i + 1} is {describe(item)}, not a mapping: it is dropped",
                                        item, "entry", code=owner(item)))
            json_error = True
        why = _validate(e)
        if why:
            if isinstance(item, Map) or is_null(item):
                res.problems.append(Problem(f"{res.key} entry {i + 1} {why}", item, "entry"))
            res.errors += 1
        else:
            res.entries.append(e)
    res.errors += json_error


def _match(key: str, names: tuple[str, ...]) -> str | None:
    if key in names:
        return key
    return next((n for n in names if n.lower() == key.lower()), None)


def _struct_json(e: Entry, obj: dict[str, tuple[Node, Node]]) -> list[Problem]:
    problems: list[Problem] = []
    for key, (_, v) in obj.items():
        name = _match(key, FIELDS[e.key])
        if name is None:
            continue
        k = kind(v)
        if name == "groups":
            if k == "null":
                e.groups, e.group_nodes, e.groups_node = None, [], v
            elif isinstance(v, Seq):
                # decoded into the slice an earlier case variant of the key filled: an element
                # that is null or of the wrong type keeps the value already there
                before = e.groups or []
                e.groups, e.group_nodes, e.groups_node = [], [], v
                for i, g in enumerate(v.items):
                    gk = kind(g)
                    old = before[i] if i < len(before) else ""
                    e.groups.append((go_text(g) or "") if gk == "str" and isinstance(g, Scalar) else old)
                    e.group_nodes.append(g)
                    if gk not in ("str", "null"):
                        problems.append(Problem(f"group {describe(g)} is not a string: it becomes \"\"", g, "field", code=owner(g)))
            else:
                problems.append(Problem(f"groups is {describe(v)}, not a list: the entry gets no groups", v, "field", code=owner(v)))
        elif name == "sso":
            if k == "null":
                e.sso = None
            else:  # encoding/json allocates the matcher before it finds the value is not an object
                e.sso = e.sso or Sso(node=v)
                if not isinstance(v, Map):
                    problems.append(Problem(f"sso is {describe(v)}, not a mapping: an empty matcher is kept", v, "field",
                                            code=owner(v)))
                    continue
                for sk, (_, sv) in json_object(v).items():
                    sname = _match(sk, SSO_FIELDS)
                    if sname is not None:
                        problems += _string_field(e.sso, sname, sv)
        else:
            problems += _string_field(e, name, v)
    return problems


def _string_field(target: Entry | Sso, name: str, v: Node) -> list[Problem]:
    k = kind(v)
    attr = ATTR[name]
    if k == "null":
        return []
    if k == "str" and isinstance(v, Scalar):
        setattr(target, attr, go_text(v) or "")
        if isinstance(target, Entry) and attr in ("arn", "username"):
            setattr(target, f"{attr}_node", v)
        return []
    return [Problem(f"{name} is {describe(v)}, not a string: it stays empty", v, "field", code=owner(v))]


_ACCOUNT_ID = re.compile(r"[0-9]{12}\Z")
_PERMISSION_SET = re.compile(r"[0-9A-Za-z_+=,.@-]{1,32}\Z")


def _validate(e: Entry) -> str:
    """`RoleMapping.Validate` / `UserMapping.Validate` (current line)."""
    if e.key == "mapUsers":
        return "" if e.arn else "has no userarn: it is dropped"
    if not e.arn and e.sso is None:
        return "has no rolearn (nor sso): it is dropped"
    if e.arn and e.sso is not None:
        return "has both rolearn and sso: it is dropped"
    s = e.sso
    if s is not None:
        if not _ACCOUNT_ID.match(s.account):
            return f"has sso accountID '{s.account}', not a 12-digit account id: it is dropped"
        if not _PERMISSION_SET.match(s.permission_set):
            return f"has sso permissionSetName '{s.permission_set}', which is not a permission set name: it is dropped"
        if s.partition and s.partition not in PARTITIONS:
            return f"has sso partition '{s.partition}', which is not a partition: it is dropped"
    return ""
