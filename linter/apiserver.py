"""What reaches the authenticator: kubectl's reading of a file and the API server's checks.

An aws-auth the API server refuses never reaches the authenticator (a live cluster keeps
its previous version; a new one has none): a data value that is not a string (YAML 1.1
`yes` or `0123` included: kubectl converts YAML to JSON first), a key also under
`binaryData`, a key with characters a ConfigMap key may not have, more than 1 MiB. Of
several candidate objects in one file, each accepted one is applied in turn, so the last
one is what the authenticator keeps; one in `kube-system` (or with no namespace) beats
one in another namespace, which the authenticator does not watch.
Sources: k8s.io/apimachinery `util/yaml`, kubernetes `ValidateConfigMap`.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from .awsauth import AwsAuthDoc
from .goyaml import GoYAMLFailure, describe, is_null, json_key, kind, pairs
from .nodes import Map, Node, Scalar, Seq

READ_KEYS = ("mapRoles", "mapUsers", "mapAccounts")
MAX_SIZE = 1024 * 1024
_KEY = re.compile(r"[-._a-zA-Z0-9]+\Z")
_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")


@dataclass(frozen=True, slots=True)
class Refusal:
    message: str
    node: Node
    path: str = ""  # JSON path below the object ("data.mapRoles")


def data_values(doc: AwsAuthDoc) -> dict[str, tuple[Node, Node]]:
    """`data` as the API server stores it: key -> (key node, value node), last wins."""
    if doc.data is None:
        return {}
    try:
        return {json_key(k): (k, v) for k, v in pairs(doc.data)}
    except GoYAMLFailure:
        return {}


def text_of(value: Node) -> str:
    """A data value as the authenticator receives it (null is the empty string)."""
    return "" if is_null(value) or not isinstance(value, Scalar) else value.value


def refusals(doc: AwsAuthDoc) -> list[Refusal]:
    """Why kubectl or the API server would refuse this object (empty: accepted)."""
    out: list[Refusal] = []
    root = doc.root
    if doc.kind == "configmap":
        api = root.get("apiVersion")
        if not (isinstance(api, Scalar) and api.value == "v1" and kind(api) == "str"):
            out.append(Refusal("kubectl: apiVersion of a ConfigMap must be v1", api or root, "apiVersion"))
        out += _metadata(root)
    out += _types(root)
    data = root.get("data")
    if data is not None and not is_null(data) and not isinstance(data, Map):
        return [*out, Refusal("data is not a mapping of strings", data, "data")]
    try:
        values = data_values(doc)
    except GoYAMLFailure as e:
        return [*out, Refusal(str(e), e.node)]
    size = 0
    for key, (k, v) in values.items():
        if kind(v) not in ("str", "null"):
            out.append(Refusal(f"data value of '{key}' is not a string (the API server refuses the object)", v, f"data.{key}"))
        out += [Refusal(f"data key '{key}' {m}", k, f"data.{key}") for m in _key_errors(key)]
        size += len(text_of(v).encode("utf-8", "surrogatepass"))
    binary = root.get("binaryData")
    if isinstance(binary, Map):
        for k, v in pairs(binary):
            key = json_key(k)
            out += [Refusal(f"binaryData key '{key}' {m}", k, f"binaryData.{key}") for m in _key_errors(key)]
            if key in values:
                out.append(Refusal(f"'{key}' is in both data and binaryData (the API server refuses the object)", k, f"binaryData.{key}"))
            raw = _base64(v)
            if raw is None:
                out.append(Refusal(f"binaryData value of '{key}' is not base64", v, f"binaryData.{key}"))
            size += len(raw or b"")
    elif binary is not None and not is_null(binary):
        out.append(Refusal("binaryData is not a mapping", binary, "binaryData"))
    if size > MAX_SIZE:
        out.append(Refusal(f"data is larger than {MAX_SIZE} bytes", data or root, "data"))
    return out


# ConfigMap fields whose JSON type the API server's strict decoding checks (ObjectMeta).
_STRINGS = ("name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "creationTimestamp",
            "deletionTimestamp")
_INTS = ("generation", "deletionGracePeriodSeconds")


def _types(root: Map) -> list[Refusal]:
    """Fields of the wrong JSON type: the API server cannot decode the object at all."""
    out: list[Refusal] = []
    immutable = root.get("immutable")
    if immutable is not None and kind(immutable) not in ("bool", "null"):
        out.append(Refusal("immutable is not a boolean", immutable, "immutable"))
    meta = root.get("metadata")
    if meta is None or is_null(meta):
        return out
    if not isinstance(meta, Map):
        return [*out, Refusal("metadata is not a mapping", meta, "metadata")]
    for k, v in pairs(meta):
        key = json_key(k)
        want = "str" if key in _STRINGS else "int" if key in _INTS else ""
        if want and kind(v) not in (want, "null"):
            out.append(Refusal(f"metadata.{key} is {describe(v)}, not a {'string' if want == 'str' else 'number'}",
                               v, f"metadata.{key}"))
        elif key in ("labels", "annotations") and not is_null(v):
            bad = [x for _, x in pairs(v)] if isinstance(v, Map) else [v]
            for x in bad:
                if not isinstance(v, Map) or kind(x) not in ("str", "null"):
                    out.append(Refusal(f"metadata.{key} must map names to strings, not hold {describe(x)}", x,
                                       f"metadata.{key}"))
        elif key == "finalizers" and not is_null(v):
            items = v.items if isinstance(v, Seq) else [v]
            for x in items:
                if not isinstance(v, Seq) or kind(x) not in ("str", "null"):
                    out.append(Refusal(f"metadata.finalizers must be a list of strings, not hold {describe(x)}", x,
                                       "metadata.finalizers"))
    return out


def _metadata(root: Map) -> list[Refusal]:
    out: list[Refusal] = []
    meta = root.get("metadata")
    if not isinstance(meta, Map):
        return out
    name, ns = meta.get("name"), meta.get("namespace")
    if isinstance(name, Scalar) and not is_null(name) and not _NAME.match(name.value):
        out.append(Refusal(f"metadata.name '{name.value}' is not a valid name", name, "metadata.name"))
    if isinstance(ns, Scalar) and not is_null(ns) and not _LABEL.match(ns.value):
        out.append(Refusal(f"metadata.namespace '{ns.value}' is not a valid namespace", ns, "metadata.namespace"))
    return out


def _key_errors(key: str) -> list[str]:
    errs = []
    if len(key) > 253:
        errs.append("is longer than 253 characters")
    if not _KEY.match(key):
        errs.append("may hold only letters, digits, '-', '_' and '.'")
    if key in (".", "..") or key.startswith(".."):
        errs.append("may not be '.' or '..' or start with '..'")
    return errs


def _base64(v: Node) -> bytes | None:
    if is_null(v):
        return b""
    if not isinstance(v, Scalar) or kind(v) != "str":
        return None
    try:
        return base64.b64decode(v.value.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        return None


def watched(doc: AwsAuthDoc) -> bool:
    meta = doc.root.get("metadata")
    ns = meta.get("namespace") if isinstance(meta, Map) else None
    namespace = "" if ns is None or is_null(ns) or not isinstance(ns, Scalar) else ns.value  # `~` is no namespace
    return doc.kind == "configmap" and namespace in ("", "kube-system")


def delivered(docs: list[AwsAuthDoc]) -> list[AwsAuthDoc]:
    """The aws-auth objects of one file that reach the authenticator, in the order applied."""
    candidates = [d for d in docs if d.kind in ("configmap", "patch")]
    accepted = [d for d in candidates if not refusals(d)]
    if any(watched(d) for d in candidates):
        return [d for d in accepted if watched(d)]
    return accepted
