"""Command line: `awsauth-lint [check] PATHS`, `rules`, `explain CODE`."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "sarif", "github")


class DefaultGroup(click.Group):
    """A group whose default command is `check`, so `awsauth-lint PATH` works.

    A first word that is no path but looks like a command is not taken for a path:
    `help [COMMAND]` prints the help, a near miss (`expalin`) gets "did you mean".
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        word = args[0] if args else ""
        if word and word not in self.commands and not word.startswith("-") and not os.path.lexists(word):
            if word == "help":
                args = [args[1], "--help"] if len(args) > 1 and args[1] in self.commands else ["--help"]
            elif "/" not in word and "." not in word:
                import difflib

                close = difflib.get_close_matches(word, list(self.commands), n=1, cutoff=0.6)
                if close:
                    _die(f"'{word}' is neither a command nor a file or directory; did you mean '{close[0]}'?")
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="awsauth-lint")
def cli() -> None:
    """Lint EKS aws-auth ConfigMaps and the RBAC they rely on.

    Run `awsauth-lint PATH...` (same as `awsauth-lint check PATH...`).
    """


def _color(flag: bool | None, stream: Any) -> bool:
    if flag is not None:
        return flag
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


@cli.command(short_help="Lint files and directories (the default command).")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default=None, help="Output format [default: text].")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False), help="Write the report to FILE; with --output-format, a report in that format (repeatable, paired in order).")
@click.option("--output-format", "output_formats", multiple=True, type=click.Choice(FORMATS), help="Format of the report written to the matching --output (repeatable).")
@click.option("--sarif-file", type=click.Path(dir_okay=False), default=None, help="Also write SARIF to FILE (for code scanning).")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Config file (default: nearest .awsauth-lint.yaml).")
@click.option("--select", multiple=True, help="Rule codes, prefixes or names to enable (repeatable, comma-separated).")
@click.option("--ignore", multiple=True, help="Rule codes, prefixes or names to disable (repeatable, comma-separated).")
@click.option("--fail-on", type=click.Choice(["error", "warning", "note", "never"]), default=None, help="Lowest severity that makes the exit code 1 [default: warning].")
@click.option("-q", "--quiet", is_flag=True, help="Only the finding lines and the summary, no source frames.")
@click.option("--color/--no-color", default=None, help="Colour the output (default: on a terminal unless NO_COLOR is set).")
@click.option("--stdin-filename", default=None, help="Name to report for input read from `-`.")
@click.option("--show-suppressed", is_flag=True, help="Also report findings silenced by suppression comments.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Hide findings recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Record the current findings as a baseline file.")
@click.option("--base", default=None, metavar="REF", help="Compare aws-auth with its version at this git ref (AA402); default under pre-commit: HEAD. Empty or ending in / (an unset CI variable): a warning, AA402 skipped.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Processes that load files (0: one per CPU) [default: 0].")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache of repository context (RBAC of other files).")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place (stdin: print the fixed text).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix/--diff, also apply fixes that change who gets in or as whom.")
@click.option("--diff", is_flag=True, help="Show the fixes as a unified diff; change nothing.")
def check(
    paths: tuple[str, ...],
    fmt: str | None,
    outputs: tuple[str, ...],
    output_formats: tuple[str, ...],
    sarif_file: str | None,
    config_path: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    quiet: bool,
    color: bool | None,
    stdin_filename: str | None,
    show_suppressed: bool,
    baseline_path: Path | None,
    write_baseline: Path | None,
    base: str | None,
    jobs: int,
    no_cache: bool,
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
) -> None:
    """Lint PATHS (files or directories; default `.`; `-` reads stdin)."""
    from . import config as config_mod
    from . import discover

    try:
        cfg = config_mod.load(config_path, select=_split(select), ignore=_split(ignore), fail_on=fail_on)
    except config_mod.ConfigError as e:
        _die(str(e))
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        _die(f"no such file or directory: {missing[0]}")
    # pre-commit runs the hook with no files for a commit that only deletes (always_run):
    # then only what the commit breaks elsewhere is checked (commitcheck)
    files = [] if not paths and os.environ.get("PRE_COMMIT") else discover.expand(paths or (".",), cfg.exclude, cfg.root)
    if output_formats and len(outputs) != len(output_formats):
        raise click.UsageError("give one --output FILE for each --output-format FMT")
    if len(outputs) > 1 and not output_formats:
        raise click.UsageError("several --output files need an --output-format each")
    plain = fmt in (None, "text") and not (outputs or sarif_file or write_baseline or baseline_path or fix or diff)
    if (
        plain and paths and "-" not in files and os.environ.get("GITHUB_ACTIONS") != "true" and _nothing_to_lint(files)
        and not (os.environ.get("PRE_COMMIT") and _commit_removes_manifests())
    ):
        # The common pre-commit case: only manifests that cannot matter. Skip the engine.
        n = len(files)
        click.echo(f"All checks passed ({n} file{'s' if n != 1 else ''}).")
        sys.exit(EXIT_OK)
    from . import engine
    from .atomic import write_atomic
    from .reporters import REPORTERS, RenderOptions

    stdin = sys.stdin.buffer.read() if "-" in files else None
    stdin_name = stdin_filename or "-"
    if fix or diff:
        from .fixing import fix_files

        outcome = fix_files(files, cfg, stdin, stdin_name, unsafe=unsafe_fixes, write=not diff)
        if diff:
            click.echo("".join(outcome.diffs), nl=False)
        elif outcome.stdin_text is not None:
            sys.stdout.write(outcome.stdin_text)
            sys.stdout.flush()
            stdin = outcome.stdin_text.encode("utf-8")
        for note in outcome.notes:
            click.echo(f"awsauth-lint: {note}", err=True)
    from .gitbase import BaseError, names_nothing
    from .parallel import default_jobs

    hook = bool(os.environ.get("PRE_COMMIT"))  # pre-commit: the commit being made is the truth
    if base is not None and names_nothing(base):  # e.g. `origin/$GITHUB_BASE_REF` on a push event
        click.echo(f"awsauth-lint: warning: --base {base!r} names no commit (an unset CI variable?); AA402 (node-role-removed) was skipped", err=True)
        base = ""  # no base at all, not pre-commit's implicit HEAD either
    implicit = base is None and hook
    try:
        result = engine.run(
            files,
            cfg,
            stdin=stdin,
            stdin_name=stdin_name,
            context=_context(paths, files, cfg, index_only=hook),
            base="HEAD" if implicit else base,
            base_strict=not implicit,
            use_cache=not no_cache,
            jobs=jobs or default_jobs(),
            index_only=hook,
        )
    except BaseError as e:
        _die(str(e))
    if hook and "-" not in files:  # what the commit breaks in files it does not touch
        from .commitcheck import broken

        result.findings = sorted([*result.findings, *broken(files, cfg, result, not no_cache)], key=lambda f: f.sort_key)
    full = result  # --write-baseline records everything, also what --baseline hides
    if baseline_path is not None:
        from . import baseline

        try:
            result = baseline.apply(result, baseline.load(baseline_path))
        except baseline.BaselineError as e:
            _die(str(e))
    from .reporters.text import clean

    for err in result.errors:
        click.echo(f"awsauth-lint: {clean(err.render())}", err=True)
    github = os.environ.get("GITHUB_ACTIONS") == "true" and fmt is None
    fmt = fmt or "text"
    to_stdout = not outputs or bool(output_formats)
    opts = RenderOptions(
        version=__version__,
        color=_color(color, sys.stdout) if to_stdout and fmt == "text" else False,
        show_suppressed=show_suppressed or fmt == "sarif",
        quiet=quiet,
        unsafe_fixes=unsafe_fixes,
    )
    report = REPORTERS[fmt](result, opts)
    report_to_stderr = fix and not diff and "-" in files  # stdout carries the fixed text
    try:
        if to_stdout and not diff:
            click.echo(shield(report) if github else report, nl=False, err=report_to_stderr)
        elif not to_stdout:
            write_atomic(outputs[0], report)
        if github and not diff:  # annotations go to the console, where the runner reads them
            click.echo(REPORTERS["github"](result, opts), nl=False, err=report_to_stderr)
        for path, out_fmt in zip(outputs if output_formats else (), output_formats, strict=True):
            write_atomic(path, REPORTERS[out_fmt](result, replace_opts(opts, out_fmt)))
        if sarif_file is not None:
            write_atomic(sarif_file, REPORTERS["sarif"](result, replace_opts(opts, "sarif")))
        if write_baseline is not None:
            from . import baseline

            write_atomic(write_baseline, baseline.render(full))
    except OSError as e:
        _die(f"cannot write report: {e}")
    if os.environ.get("GITHUB_ACTIONS") == "true" and os.environ.get("GITHUB_STEP_SUMMARY") and not diff:
        _job_summary(result)
    sys.exit(result.exit_code(cfg.fail_on))


def _job_summary(result: Any) -> None:
    """Under GitHub Actions, append the findings by rule and file to the job summary."""
    from .reporters.access_markdown import render_findings_summary

    try:
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as fh:
            fh.write(render_findings_summary(result) + "\n")
    except OSError as e:
        click.echo(f"awsauth-lint: warning: cannot write the job summary: {e}", err=True)


def _commit_removes_manifests() -> bool:
    """Whether the commit being made deletes or renames a YAML/JSON file (pre-commit never
    passes those, yet they can unbind a group an untouched aws-auth maps)."""
    from .repo import git

    proc = git(".", "diff", "--cached", "--name-only", "--diff-filter=DR", "-z", "--", "*.yaml", "*.yml", "*.json")
    return proc is not None and proc.returncode == 0 and bool(proc.stdout.strip(b"\0"))


def _nothing_to_lint(files: list[str]) -> bool:
    """True when every file is a readable, NUL-free UTF-8 file that no rule can use."""
    from .markers import relevant

    for f in files:
        try:
            with open(f, "rb") as fh:
                data = fh.read()
        except OSError:
            return False
        if relevant(data) or b"awsauth-lint:" in data or b"\0" in data or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True


def _context(paths: tuple[str, ...], files: list[str], cfg: Any, index_only: bool = False) -> dict[Any, list[tuple[str, str | None]]]:
    """Files of each linted file's own repository that feed cross-file rules, by repository
    root (see discover.context_files): the rest of the repository, whether files or
    directories are named, so a directory and the files in it get the same findings."""
    from . import discover
    from .repo import Repos

    if not any(r.meta.scope == "project" for r in cfg.rules()):
        return {}
    from .repo import toplevel

    if paths and all(os.path.isdir(p) and toplevel(p) == Path(p).resolve() for p in paths):
        return {}  # whole repositories: every file is linted, none is left for context
    return discover.context_files(files, tuple(cfg.exclude), cfg.root, tuple(cfg.rbac_paths), Repos(), index_only)


def shield(report: str) -> str:
    """Text for a GitHub Actions log, with workflow commands off while it prints.

    A file name in the report could start with `::`; between `stop-commands` and the
    token the runner treats every line as plain text. The token is derived from the
    report, so the report cannot contain it.
    """
    import hashlib

    token = "awsauth-lint-" + hashlib.sha256(report.encode("utf-8")).hexdigest()[:32]
    return f"::stop-commands::{token}\n{report}::{token}::\n"


def replace_opts(opts: Any, fmt: str) -> Any:
    """Options for a second report: never coloured; SARIF keeps suppressed results."""
    from dataclasses import replace

    return replace(opts, color=False, show_suppressed=opts.show_suppressed or fmt == "sarif")


def _die(message: str) -> None:
    click.echo(f"awsauth-lint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for item in values for v in item.split(",") if v.strip()]


@cli.command("rules", short_help="List every rule: code, name, severity, fix, summary.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_cmd(fmt: str) -> None:
    """List every rule: code, name, default severity, fix (safe or unsafe), summary."""
    import json

    from .registry import all_rules

    rules = all_rules()
    if fmt == "json":
        data = [
            {
                "code": r.meta.code,
                "name": r.meta.name,
                "severity": r.meta.default_severity.value,
                "summary": r.meta.summary,
                "fixable": r.meta.fixable or None,  # "safe", "unsafe" or null
                "options": sorted(r.meta.options_schema),
                "per_cluster": r.meta.scope == "project",
            }
            for r in rules
        ]
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"{'code':<5}  {'name':<32} {'severity':<8} {'fix':<6} summary")
    for r in rules:
        m = r.meta
        click.echo(f"{m.code}  {m.name:<32} {m.default_severity.value:<8} {m.fixable:<6} {m.summary}")
    click.echo("\nRB001-RB005 look across files and are evaluated per cluster (docs/clusters.md).")


@cli.command(short_help="Print a rule's documentation (by code or name).")
@click.argument("rule")
def explain(rule: str) -> None:
    """Print the documentation of RULE (a code such as AA101, or a name)."""
    from .registry import lookup

    found = lookup(rule)
    if found is None:
        click.echo(f"awsauth-lint: error: unknown rule '{rule}'; see `awsauth-lint rules`", err=True)
        sys.exit(EXIT_ERROR)
    m = found.meta
    click.echo(f"# {m.code} {m.name}\n\n{m.summary}. Default severity: {m.default_severity.value}.\n")
    click.echo(found.doc)


def _load_clusters(paths: tuple[str, ...], only: str | None = None) -> list[tuple[str, list[Any]]]:
    """The relevant files under `paths` by cluster; with `only`, that cluster (exit 2 when
    no cluster has that name)."""
    from . import config as config_mod
    from .clusters import by_cluster

    project = _load_project(paths)
    groups = by_cluster(project.files, config_mod.load(None))
    if only is not None and len(groups) > 1:
        groups = [g for g in groups if g[0] == only]
        if not groups:
            _die(f"no cluster named {only!r}; the clusters are: {', '.join(n for n, _ in by_cluster(project.files, config_mod.load(None)))}")
    return groups


def cluster_modes() -> dict[str, str]:
    """The authentication modes the config's `clusters:` gives, by cluster name."""
    from . import config as config_mod

    try:
        cfg = config_mod.load(None)
    except config_mod.ConfigError as e:
        _die(str(e))
    names = [c.name for c in cfg.clusters] + ([""] if len(cfg.clusters) == 1 else [])  # "": a repository's only cluster
    return {n: mode for n in names if (c := cfg.cluster_named(n)) is not None and (mode := c.authentication_mode)}


def _load_project(paths: tuple[str, ...]) -> Any:
    from . import config as config_mod
    from . import discover
    from .engine import Project
    from .loader import Limits, SourceFile
    from .parallel import default_jobs, load_all

    try:
        cfg = config_mod.load(None)
    except config_mod.ConfigError as e:
        _die(str(e))
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        _die(f"no such file or directory: {missing[0]}")
    loaded = load_all(discover.expand(paths or (".",), cfg.exclude, cfg.root), Limits(cfg.max_file_size, cfg.max_alias_expansion),
                      default_jobs())
    return Project([s for s in loaded if isinstance(s, SourceFile) and s.relevant])


@cli.command(short_help="Why an IAM caller is (not) let in, and what it may do.")
@click.argument("identity")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--session-name", default=None, help="Session name, when IDENTITY is a role ARN rather than an assumed-role ARN.")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--cluster", default=None, metavar="NAME", help="Only this cluster (default: a section per cluster).")
def why(identity: str, paths: tuple[str, ...], session_name: str | None, fmt: str, cluster: str | None) -> None:
    """Explain whether IDENTITY (the Arn of `aws sts get-caller-identity`) gets in, and what it may do.

    Exit 0 when it is authenticated, 1 when it is not, 2 on bad input.
    """
    from .identity import IdentityError, caller
    from .why import explain
    from .why_output import render_json, render_text

    try:
        who = caller(identity, session_name)
    except IdentityError as e:
        _die(str(e))
    answer = explain(who, _load_clusters(paths, cluster), cluster_modes())
    click.echo(render_json(answer) if fmt == "json" else render_text(answer), nl=False)
    sys.exit(EXIT_OK if answer.authenticated else EXIT_FINDINGS)


@cli.group(short_help="Translate aws-auth into EKS access entries.")
def export() -> None:
    """Translate aws-auth into other forms."""


@export.command("access-entries", short_help="Print the EKS access entries aws-auth should become.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "aws-cli", "eksctl", "terraform"]), default="json", show_default=True)
@click.option("--cluster", default=None, metavar="NAME", help="The cluster: which one, where the paths hold several, and its name in the output [default: my-cluster].")
@click.option("--sso-region", default=None, metavar="REGION",
              help="The IAM Identity Center region: puts back the aws-reserved/sso.amazonaws.com/REGION/ path of its roles.")
def access_entries(paths: tuple[str, ...], fmt: str, cluster: str | None, sso_region: str | None) -> None:
    """Print the EKS access entries that the aws-auth mappings in PATHS should become.

    Only what the authenticator really stores is exported. Exit 1 when a whole map (or
    the aws-auth) is dropped by the authenticator, so the plan is incomplete.
    """
    from .export import RENDERERS, plan

    if sso_region is not None and not re.fullmatch(r"[a-z]{2}(-[a-z0-9]+)+-[0-9]+", sso_region):
        _die(f"--sso-region {sso_region!r} is not an AWS region name (like eu-west-1)")
    groups = _load_clusters(paths, cluster)
    if len(groups) > 1:
        names = ", ".join(n for n, _ in groups)
        _die(f"the paths hold {len(groups)} clusters ({names}): name one with --cluster; each gets its own plan")
    p = plan([d for _, files in groups for sf in files for d in sf.awsauth], sso_region)
    click.echo(RENDERERS[fmt](p, cluster or "my-cluster"), nl=False)
    if p.incomplete:
        click.echo("error: part of aws-auth is dropped by the authenticator, so the plan leaves it out (see NOT MIGRATED)", err=True)
        sys.exit(EXIT_FINDINGS)


from .cli_access import access as _access  # noqa: E402  (its own module: cli.py only registers it)

cli.add_command(_access)


def run() -> None:
    """Console entry point: collect garbage rarely, exit as soon as output is flushed.

    A run allocates hundreds of thousands of small nodes that live until the report is
    written and are freed by reference counting; with Python's default thresholds the
    cyclic collector traverses them again and again (a third of a 20,000-file run).
    Collecting every 50,000 allocations keeps cyclic garbage (parser objects) bounded.
    Tearing the interpreter down would free every node one by one (about 60 ms for a
    2,000-file repository); nothing is left to do by then: reports are written and
    closed, and no exit handler of ours exists.
    """
    import gc

    gc.set_threshold(50_000, 50, 1000)
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):  # the reader went away (`| head`): nothing to report to
        pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Entry point returning the exit code (for `python -m` and tests)."""
    try:
        cli.main(args=argv, prog_name="awsauth-lint", standalone_mode=False)
    except click.exceptions.Exit as e:
        return int(e.exit_code)
    except click.UsageError as e:
        e.show()
        return EXIT_ERROR
    except click.Abort:
        return EXIT_ERROR
    except SystemExit as e:
        return int(e.code or 0) if not isinstance(e.code, str) else EXIT_ERROR
    return EXIT_OK
