"""`--fix` and `--diff` over files: fix each file's text, then write it back safely.

Only UTF-8 files (with or without a BOM) are rewritten; the BOM and every line ending
are kept. A file that changed on disk since it was read is left alone.
"""

from __future__ import annotations

import codecs
import difflib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import engine
from .atomic import ChangedOnDisk, write_atomic
from .config import Config
from .fixer import fix_text
from .loader import load_bytes
from .model import Finding


@dataclass(slots=True)
class FixRun:
    diffs: list[str] = field(default_factory=list)
    stdin_text: str | None = None
    notes: list[str] = field(default_factory=list)
    fixed: int = 0


def _lint(name: str, config: Config, text: str) -> list[Finding]:
    return engine.lint([load_bytes(name, text.encode("utf-8"))], config).findings


def fix_files(
    files: list[str], config: Config, stdin: bytes | None, stdin_name: str, *, unsafe: bool, write: bool
) -> FixRun:
    run = FixRun()
    renamed: set[str] = set()  # usernames an unsafe AA201 fix lower-cased
    for path in files:
        is_stdin = path == "-"
        name = stdin_name if is_stdin else path
        try:
            data = (stdin or b"") if is_stdin else Path(path).read_bytes()
        except OSError:
            continue  # the lint run reports unreadable files
        bom = data.startswith(codecs.BOM_UTF8)
        try:
            text = data[3 if bom else 0 :].decode("utf-8")
        except UnicodeDecodeError:
            continue
        if unsafe:
            renamed |= _old_names(name, config, text)
        outcome = fix_text(text, partial(_lint, name, config), unsafe=unsafe)
        if is_stdin:
            run.stdin_text = outcome.text
        if outcome.text == text:
            continue
        run.fixed += outcome.applied
        run.diffs.append(
            "".join(
                difflib.unified_diff(
                    text.splitlines(keepends=True), outcome.text.splitlines(keepends=True), f"a/{name.lstrip('/')}", f"b/{name.lstrip('/')}"
                )
            )
        )
        if write and not is_stdin:
            try:
                write_atomic(path, (codecs.BOM_UTF8 if bom else b"") + outcome.text.encode("utf-8"), expect=data)
            except ChangedOnDisk:
                run.notes.append(f"{path}: changed on disk while fixing; not written")
            except OSError as e:
                run.notes.append(f"{path}: cannot write fixes: {e}")
    if renamed:
        run.notes += _bindings_to_update(files, renamed)
    if write and run.fixed:
        run.notes.append(f"fixed {run.fixed} problem{'s' if run.fixed != 1 else ''}")
    return run


def _old_names(name: str, config: Config, text: str) -> set[str]:
    """Usernames that AA201's unsafe fix would lower-case in this text."""
    from .loader import SourceFile as _SF

    sf = load_bytes(name, text.encode("utf-8"))
    if not isinstance(sf, _SF):
        return set()
    return {
        m.username.value
        for d in sf.awsauth
        for m in d.mappings
        if m.username is not None and m.username.value != m.username.value.lower() and "{{" not in m.username.value
    }


def _bindings_to_update(files: list[str], names: set[str]) -> list[str]:
    """Bindings that name a lower-cased username as `kind: User`: they must change too."""
    from .loader import SourceFile as _SF
    from .loader import load_path
    from .rbac import build

    loaded = [s for s in (load_path(f, f) for f in files if f != "-") if isinstance(s, _SF) and s.relevant]
    notes = []
    for b in build(loaded).bindings:
        for s in b.subjects:
            if s.kind == "User" and s.name.value in names:
                where = f"{b.file}:{s.name.span.start.line}:{s.name.span.start.column}"
                notes.append(f"{where}: binding '{b.name}' names User '{s.name.value}', which --unsafe-fixes lower-cased: update it too")
    return notes
