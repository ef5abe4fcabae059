"""Reading access-entry fields out of composed YAML: what the format modules (`ae_*`) share.

A field becomes a `Text` with its exact span and JSON path. What a format's schema refuses
on the way (a list where a string belongs, a string where a mapping belongs, a key the
schema does not have where it allows no other, a required field left out) becomes a
problem for AE001: (span, message, JSON path). Mappings are read as Go's yaml.v2 reads
them (merge keys applied, the last of equal keys winning, YAML 1.1 booleans), which is
what eksctl and kubectl do. Nothing here raises on malformed input.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from .accessentry import AccessConfig, Text
from .goyaml import GoYAMLFailure, describe, is_merge, is_null, pairs, scalar_kind
from .model import Span
from .nodes import Map, Node, Scalar, Seq

Problem = tuple[Span, str, str]
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_TRUE = ("y", "yes", "true", "on")
_NULL_TEXT = frozenset(("", "~", "null", "Null", "NULL"))


def child(path: str, key: str) -> str:
    """The JSON path of `key` below `path`: `$.a.b`, or `$.a["b.c"]` for other keys."""
    return f"{path}{_step(key)}"


@lru_cache(maxsize=256)
def _step(key: str) -> str:
    if _PLAIN_KEY.match(key):
        return f".{key}"
    import json  # rare: keys such as `crossplane.io/external-name`

    return f"[{json.dumps(key)}]"


def absent(node: Node | None) -> bool:
    """No value: missing, or a null (`~`, `null`, nothing)."""
    return node is None or (isinstance(node, Scalar) and (node.tagged or node.value in _NULL_TEXT) and is_null(node))


@dataclass(slots=True)
class Obj:
    """A mapping with its fields as yaml.v2 assigns them, and its JSON path."""

    node: Map
    path: str
    fields: dict[str, tuple[Scalar, Node]]

    def get(self, key: str) -> Node | None:
        got = self.fields.get(key)
        return None if got is None or absent(got[1]) else got[1]

    def at(self, key: str) -> str:
        return child(self.path, key)


def obj(node: Map, path: str) -> Obj:
    if node.get("<<") is None:  # no merge key (nearly always): the keys as written
        return Obj(node, path, {k.value: (k, v) for k, v in node.pairs if isinstance(k, Scalar)})
    fields: dict[str, tuple[Scalar, Node]] = {}
    try:
        for k, v in pairs(node):
            if isinstance(k, Scalar):
                fields[k.value] = (k, v)
    except GoYAMLFailure:  # a bad merge: the explicit keys still count
        fields = {k.value: (k, v) for k, v in node.scalar_keys() if not is_merge(k)}
    return Obj(node, path, fields)


@dataclass(slots=True)
class Reader:
    """Reads fields for one entry (or config), collecting its problems.

    `strict`: Go and Kubernetes decoding, where a number or a boolean is not a string
    (CloudFormation converts them). `unknown`: what makes a value unknown at lint time
    (CloudFormation's intrinsics), as a `Text`, else None.
    """

    problems: list[Problem] = field(default_factory=list)
    strict: bool = True
    unknown: Callable[[Node, str], Text | None] | None = None

    def problem(self, span: Span, message: str, path: str) -> None:
        self.problems.append((span, message, path))

    def _unknown(self, node: Node, path: str) -> Text | None:
        return None if self.unknown is None else self.unknown(node, path)

    def obj(self, node: Node | None, path: str, key: str) -> Obj | None:
        """The mapping at `path`, or None (absent, unknown, or not a mapping: a problem)."""
        if node is None or absent(node) or self._unknown(node, path) is not None:
            return None
        if isinstance(node, Map):
            return obj(node, path)
        self.problem(node.span, f"'{key}' must be a mapping, not {describe(node)}", path)
        return None

    def text(self, o: Obj, key: str) -> Text | None:
        return self.text_at(o.get(key), o.at(key), key)

    def text_at(self, node: Node | None, path: str, key: str) -> Text | None:
        if node is None:
            return None
        unknown = self._unknown(node, path)
        if unknown is not None:
            return unknown
        if isinstance(node, Scalar):
            kind = scalar_kind(node)
            if kind == "null":
                return None
            if kind == "invalid":
                self.problem(node.span, f"'{key}': '{node.value}' cannot be read as the !!{node.tag} it is tagged", path)
            elif kind != "str" and self.strict:
                self.problem(node.span, f"'{key}' must be a string, not {describe(node)}: quote it", path)
            return Text(node.value, node.span, path, kind=kind)
        self.problem(node.span, f"'{key}' must be a string, not {describe(node)}", path)
        return Text(None, node.span, path, kind="seq" if isinstance(node, Seq) else "map")

    def texts(self, o: Obj, key: str) -> list[Text]:
        """A list of strings; a list that is itself unknown is one unknown `Text`."""
        node, path = o.get(key), o.at(key)
        if node is None:
            return []
        unknown = self._unknown(node, path)
        if unknown is not None:
            return [unknown]
        if not isinstance(node, Seq):
            self.problem(node.span, f"'{key}' must be a list of strings, not {describe(node)}", path)
            return []
        out = (self.text_at(item, f"{path}[{i}]", f"{key}[{i}]") for i, item in enumerate(node.items))
        return [t for t in out if t is not None]

    def items(self, o: Obj, key: str) -> list[tuple[Node, str]] | None:
        """The items of a list of objects with their paths; None when the list is unknown."""
        node, path = o.get(key), o.at(key)
        if node is None:
            return []
        if self._unknown(node, path) is not None:
            return None
        if not isinstance(node, Seq):
            self.problem(node.span, f"'{key}' must be a list, not {describe(node)}", path)
            return []
        return [(item, f"{path}[{i}]") for i, item in enumerate(node.items)]

    def flag(self, o: Obj, key: str) -> Text | None:
        """A boolean, its value normalised to `true`/`false` when it is one."""
        node, path = o.get(key), o.at(key)
        if node is None:
            return None
        unknown = self._unknown(node, path)
        if unknown is not None:
            return unknown
        if isinstance(node, Scalar):
            kind = scalar_kind(node)
            if kind == "bool":
                return Text("true" if node.value.lower() in _TRUE else "false", node.span, path, kind="bool")
            low = node.value.strip().lower()
            if not self.strict and low in ("true", "false"):  # CloudFormation converts the strings
                return Text(low, node.span, path, kind=kind)
            self.problem(node.span, f"'{key}' must be true or false, not {describe(node)}", path)
            return Text(node.value, node.span, path, kind=kind)
        self.problem(node.span, f"'{key}' must be true or false, not {describe(node)}", path)
        return Text(None, node.span, path, kind="seq" if isinstance(node, Seq) else "map")

    def ref(self, o: Obj, key: str, *inner: str) -> Text | None:
        """A reference by name (`clusterRef: {from: {name: x}}`): value None, `ref` the name."""
        path = o.at(key)
        cur = self.obj(o.get(key), path, key)
        for part in inner:
            if cur is None:
                return None
            cur = self.obj(cur.get(part), cur.at(part), part)
        if cur is None:
            return None
        name = self.text(cur, "name")
        if name is None or name.value is None:
            self.problem(cur.node.span, f"'{key}' names no object: 'name' is required", cur.path)
            return None
        return Text(None, name.span, name.json_path, kind="ref", ref=name.value)

    def selector(self, o: Obj, key: str) -> Text | None:
        node = o.get(key)
        return None if node is None else Text(None, node.span, o.at(key), kind="selector")

    def require(self, o: Obj, key: str, message: str) -> None:
        if o.get(key) is None:
            self.problem(o.node.span, message, o.at(key))

    def keys(self, o: Obj, allowed: tuple[str, ...], where: str, hints: dict[str, str] | None = None) -> None:
        """Every key of `o` not in `allowed` (a schema with `additionalProperties: false`)."""
        for key, (k, _) in o.fields.items():
            if key not in allowed:
                self.problem(k.span, unknown_key(key, allowed, where, hints), o.at(key))

    def misspelt(self, o: Obj, allowed: tuple[str, ...], where: str, hints: dict[str, str]) -> None:
        """Keys a Kubernetes schema does not have that look like one it has (another case, or
        another format's name): the API server drops them (structural pruning)."""
        for key, (k, _) in o.fields.items():
            if key not in allowed and (key.lower() in hints or any(a.lower() == key.lower() for a in allowed)):
                self.problem(k.span, unknown_key(key, allowed, where, hints, "the API server drops it"), o.at(key))


def unknown_key(
    key: str, allowed: tuple[str, ...], where: str, hints: dict[str, str] | None = None, then: str = ""
) -> str:
    meant = next((a for a in allowed if a.lower() == key.lower()), None) or (hints or {}).get(key.lower())
    hint = f"; did you mean '{meant}'?" if meant else f" (it has {', '.join(allowed)})"
    return f"unknown key '{key}': {where} has no such field{', ' + then if then else ''}{hint}"


def read_access_config(
    r: Reader, config: AccessConfig, ac: Obj, mode: str = "authenticationMode", flag: str = "bootstrapClusterCreatorAdminPermissions"
) -> None:
    """A cluster's written access config (every format has the same two fields, spelt its
    way): the mode, the creator-admin flag, and where the config is."""
    config.span, config.json_path = ac.node.span, ac.path
    config.mode = r.text(ac, mode)
    config.bootstrap_admin = r.flag(ac, flag)
