"""Reading one file into a `SourceFile`: decode, decide relevance, compose, find aws-auth.

Only files that can matter are composed: the bytes are searched first for the words
that aws-auth, eksctl and RBAC manifests must contain. A file that cannot be read or
decoded yields an `InputError` (exit 2) instead of a crash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import awsauth
from .accessentry import Declared
from .awsauth import AwsAuthDoc
from .markers import DECLARES, FLUX, FULL, WANTED, relevant
from .model import Position, Span, pickled_by_init
from .nodes import NODES
from .rbac import extract
from .source import Composed, compose_relevant
from .text import DecodeError, SourceText, decode

if TYPE_CHECKING:
    from .rbac import Contribution


# Helm/Go templates, Jinja and Terraform/shell interpolation. aws-auth's own templates
# (`{{SessionName}}`) have no space, dash or keyword after the braces; a dot only counts
# before one of Helm's built-in objects (`{{.SessionName}}` is a mistyped aws-auth
# template, which the authenticator keeps literally, not a chart).
TEMPLATE = re.compile(
    r"""\{\{-?\s*(?:\.(?:Values|Release|Chart|Capabilities|Files|Template|Subcharts)\b|[$"'`(]|-|/\*"""
    r"""|(?:if|else|end|range|with|include|template|toYaml|tpl|define|printf|quote)\b)"""
    r"|\{\{-|\{%|\{#|\$\{"
)


def _template(text: str) -> re.Match[str] | None:
    """Where the text is a template to render first; in a CloudFormation template, `${...}`
    is `Fn::Sub`'s own syntax, not one."""
    m = TEMPLATE.search(text)
    if m is None or m.group(0) != "${" or not ("AWS::EKS::" in text or "AWSTemplateFormatVersion" in text):
        return m
    return next((m for m in TEMPLATE.finditer(text, m.end()) if m.group(0) != "${"), None)


@pickled_by_init()
@dataclass(slots=True)
class InputError:
    """Input that could not be linted at all (unreadable, binary, not UTF-8)."""

    file: str
    message: str
    line: int = 0
    vanished: bool = False  # deleted during the run: reported, but not an error

    def render(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: error: {self.message}"


@pickled_by_init()
@dataclass(slots=True)
class SourceFile:
    path: str
    src: SourceText
    relevant: bool = False
    composed: Composed = field(default_factory=Composed)
    awsauth: list[AwsAuthDoc] = field(default_factory=list)
    template: tuple[Span, str] | None = None  # AL003: where, and what kind
    rbac: Contribution | None = None  # its roles and bindings, taken when it was composed
    access: Declared = field(default_factory=Declared)  # the access entries and access configs it declares
    flux: tuple[str, ...] = ()  # directories its Flux Kustomizations build (clusters are found from them)


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_size: int = 10 * 1024 * 1024
    max_alias_expansion: int = 100_000


def load_bytes(path: str, data: bytes, limits: Limits = Limits()) -> SourceFile | InputError:
    if len(data) > limits.max_file_size and relevant(data):
        return InputError(
            path,
            f"{len(data):,} bytes is over the {limits.max_file_size:,}-byte limit (limits.max-file-size); not linted",
        )
    try:
        text = decode(data)
    except DecodeError as e:
        return InputError(path, str(e), e.line)
    wide = data[:2] in (b"\xff\xfe", b"\xfe\xff")  # UTF-16/32: the marker words are not ASCII bytes
    sf = SourceFile(path, SourceText.of(text), relevant(text.encode("utf-8") if wide else data))
    if not sf.relevant:
        return sf
    m = _template(text)
    if m is not None:
        line, col = sf.src.position(m.start())
        kind = {"{%": "Jinja", "{#": "Jinja", "${": "Terraform/shell"}.get(m.group(0)[:2], "Helm/Go")
        sf.template = (Span(Position(line, col), Position(line, col + len(m.group(0)))), kind)
        return sf
    # RBAC-only documents are read as each is composed (their parser nodes are then freed)
    sf.composed = compose_relevant(text, WANTED, FULL, read=lambda doc, a: extract(path, [(doc, a)]))
    sf.awsauth = awsauth.find(path, sf.composed, sf.src, limits.max_alias_expansion)
    roles, bindings = extract(path, [(d, NODES) for d in sf.composed.docs])
    for more_roles, more_bindings in sf.composed.raw:
        roles += more_roles
        bindings += more_bindings
    sf.rbac = (roles, bindings)
    if any(w in text for w in DECLARES):  # the format modules are imported only then (hook start-up)
        from .access import declared

        sf.access = declared(path, sf.composed.docs)
    if FLUX in text:
        from .kustomize import flux_dirs

        sf.flux = flux_dirs(sf.composed.docs)
    sf.composed.raw = []  # read once: the parser's nodes are not kept
    return sf


def load_path(path: str, display: str, limits: Limits = Limits()) -> SourceFile | InputError:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except IsADirectoryError:
        return InputError(display, "is a directory")
    except FileNotFoundError:
        return InputError(display, "vanished while linting (deleted or moved)", vanished=True)
    except OSError as e:
        return InputError(display, f"cannot read file: {e.strerror or e}")
    return load_bytes(display, data, limits)
