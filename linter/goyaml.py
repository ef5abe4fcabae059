"""What Go's yaml.v2 makes of composed YAML: the library both authenticator lines parse with.

The authenticator never sees our parser's answer, only yaml.v2's: YAML 1.1 scalars
(`yes`, `on`, `0755`, `.inf`), merge keys applied in the order written (a `<<` after
explicit keys overrides them), the last of duplicate keys winning, and a few failures
that drop a whole map (a mapping used as a key, a bad merge, a value JSON cannot hold).
Sources: go-yaml/yaml v2.4.0 `resolve.go` and `decode.go`; kubernetes-sigs/yaml v1.6.0
`convertToJSONableObject` (the current line converts YAML to JSON before decoding).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .nodes import Map, Node, Scalar, Seq

Kind = Literal["null", "bool", "int", "float", "str", "nonfinite", "invalid", "seq", "map"]

_TRUE = ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")
_FALSE = ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")
_BOOL = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
_NULL = {"", "~", "null", "Null", "NULL"}
_NONFINITE = {p + s for s in (".inf", ".Inf", ".INF") for p in ("", "+", "-")} | {".nan", ".NaN", ".NAN"}
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\Z")
_CORE_TAGS = {"str", "int", "float", "bool", "null", "timestamp", "binary", "merge", "seq", "map"}


GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def skippable(text: str) -> bool:
    """`isSkippable`: blank, or only an empty quoted string, after Go's TrimSpace."""
    return text.strip(GO_SPACE) in ("", "``", '""', "''")


class GoYAMLFailure(Exception):
    """yaml.v2 (or the YAML-to-JSON step) gives up on the whole document."""

    def __init__(self, message: str, node: Node) -> None:
        super().__init__(message)
        self.node = node


def scalar_kind(n: Scalar) -> Kind:
    """The Go type yaml.v2 resolves a scalar to (timestamps are kept as text, so `str`);
    `invalid` when a written tag does not fit the text (`!!int abc`): yaml.v2 gives up."""
    if n.tagged:
        return _tagged(n)
    if not n.plain or n.tag not in _CORE_TAGS:
        return "str"  # quoted, or a custom tag: yaml.v2 hands the text over unchanged
    return _plain(n.value)


def _tagged(n: Scalar) -> Kind:
    """`resolve(tag, text)` for a written tag: any text is a !!str (or custom tag, or
    !!binary when it is base64); a typed tag needs text of that type (ints may be floats)."""
    if n.tag == "binary":
        return "str" if go_text(n) is not None else "invalid"
    if n.tag not in ("null", "bool", "int", "float"):
        return "str"
    got = _plain(n.value)
    if got == n.tag:
        return got
    if n.tag == "float" and got in ("int", "nonfinite"):
        return "nonfinite" if got == "nonfinite" else "float"
    return "invalid"


def go_text(n: Scalar) -> str | None:
    """The string yaml.v2 makes of a scalar: its text, or the bytes a !!binary holds."""
    if not (n.tagged and n.tag == "binary"):
        return n.value
    try:
        return base64.b64decode("".join(n.value.split()), validate=True).decode("utf-8", "replace")
    except (binascii.Error, ValueError):
        return None


def _plain(s: str) -> Kind:
    if s in _NULL:
        return "null"
    if s in _BOOL:
        return "bool"
    if s in _NONFINITE:
        return "nonfinite"
    if not s or s[0] not in "+-.0123456789":
        return "str"
    if s[0] == ".":
        return "float" if re.fullmatch(r"\.[0-9]+([eE][-+]?[0-9]+)?", s) else "str"
    plain = s.replace("_", "")
    if _INT.match(plain) and _int_fits(plain):
        return "int"
    if _YAML_FLOAT.match(plain) and _finite(plain):
        return "float"
    return "str"


def _int_fits(plain: str) -> bool:
    """strconv.ParseInt(s, 0, 64), else ParseUint (which takes no sign)."""
    body = plain.lstrip("+-")
    base = {"0x": 16, "0X": 16, "0o": 8, "0O": 8, "0b": 2, "0B": 2}.get(body[:2])
    octal = len(body) > 1 and body[0] == "0"
    value = int(body[2:], base) if base is not None else int(body, 8) if octal else int(body)
    if plain[0] == "-":
        return value <= 2**63
    return value < 2**63 or (plain[0] != "+" and value < 2**64)


def _finite(plain: str) -> bool:
    return float(plain) not in (float("inf"), float("-inf"))


def kind(n: Node) -> Kind:
    if isinstance(n, Scalar):
        return scalar_kind(n)
    return "seq" if isinstance(n, Seq) else "map"


def is_null(n: Node | None) -> bool:
    return n is None or (isinstance(n, Scalar) and scalar_kind(n) == "null")


def is_merge(k: Node) -> bool:
    """`isMerge`: a `<<` key written plain without a tag, or tagged !!merge."""
    return isinstance(k, Scalar) and k.value == "<<" and ((k.plain and not k.tagged) or (k.tagged and k.tag == "merge"))


def _merge_sources(v: Node) -> list[Map]:
    """The mappings a `<<` value merges, in the order yaml.v2 applies them."""
    if isinstance(v, Map):
        return [v]
    if isinstance(v, Seq) and all(isinstance(i, Map) for i in v.items):
        return [i for i in reversed(v.items) if isinstance(i, Map)]  # earlier ones take precedence
    raise GoYAMLFailure("map merge requires map or sequence of maps as the value", v)


def pairs(m: Map, depth: int = 0) -> Iterator[tuple[Node, Node]]:
    """A mapping's key/value pairs in the order yaml.v2 assigns them, merges expanded."""
    if depth > 100:
        raise GoYAMLFailure("anchor value contains itself", m)
    for k, v in m.pairs:
        if is_merge(k):
            for src in _merge_sources(v):
                yield from pairs(src, depth + 1)
        else:
            yield k, v


def must_decode(n: Scalar) -> None:
    """yaml.v2 gives up on the whole document at a written tag that does not fit its text."""
    if scalar_kind(n) == "invalid":
        raise GoYAMLFailure(f"cannot decode '{n.value}' as a !!{n.tag}", n)


def json_key(k: Node) -> str:
    """The key as the current line's YAML-to-JSON step writes it."""
    if not isinstance(k, Scalar):
        raise GoYAMLFailure("invalid map key: a mapping or sequence used as a key", k)
    kk = scalar_kind(k)
    if kk == "null":
        raise GoYAMLFailure("unsupported map key of type: <nil>", k)
    if kk == "bool":
        return "true" if _BOOL[k.value] else "false"
    if kk in ("int", "float", "nonfinite"):
        return k.value  # numbers never name a field: only their being strings matters
    return k.value


def json_object(m: Map) -> dict[str, tuple[Node, Node]]:
    """A YAML mapping as the JSON object the current line decodes: keys converted, the
    last of equal keys winning, in JSON's sorted key order (Go marshals maps sorted)."""
    out: dict[str, tuple[Node, Node]] = {}
    for k, v in pairs(m):
        out[json_key(k)] = (k, v)
    return {key: out[key] for key in sorted(out, key=lambda s: s.encode("utf-8", "surrogatepass"))}


def check_json(root: Node | None) -> None:
    """Raise what converting the whole document to JSON fails on (current line only): a
    mapping or list used as a key (anywhere: yaml.v2 fails while decoding), a bad merge,
    a null key, and `.inf`/`.nan` in a value that wins (JSON cannot hold them)."""
    if root is None:
        return
    seen: set[int] = set()
    stack: list[Node] = [root]
    while stack:  # everything yaml.v2 decodes, overridden duplicates included
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, Scalar):
            must_decode(n)
        elif isinstance(n, Seq):
            stack.extend(n.items)
        else:
            for k, v in pairs(n):
                if isinstance(k, Scalar):
                    must_decode(k)
                if isinstance(k, (Map, Seq)):  # reported at the mapping that holds it: `{{SessionName}}` as written
                    raise GoYAMLFailure("an unquoted {{...}} reads as a mapping used as a key, which the YAML-to-JSON "
                                        "step rejects", n)
                stack.append(v)
    seen.clear()
    stack = [root]
    while stack:  # only the values that win reach json.Marshal
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, Scalar):
            if scalar_kind(n) == "nonfinite":
                raise GoYAMLFailure(f"json: unsupported value: {n.value}", n)
        elif isinstance(n, Seq):
            stack.extend(n.items)
        else:
            stack.extend({json_key(k): v for k, v in pairs(n)}.values())


@dataclass(frozen=True, slots=True)
class TypeProblem:
    """A value of the wrong type for its field: decoding goes on, the field stays empty."""

    message: str
    node: Node


def describe(n: Node) -> str:
    """A value for a message: `a list`, `the boolean 'yes'`, `the string 'x'`."""
    k = kind(n)
    if k in ("seq", "map"):
        return {"seq": "a list", "map": "a mapping"}[k]
    text = n.value if isinstance(n, Scalar) else ""
    what = {"nonfinite": "number", "int": "number", "float": "number", "bool": "boolean", "str": "string"}.get(k, k)
    return f"the {what} '{text}'"
