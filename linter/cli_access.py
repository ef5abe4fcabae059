"""`awsauth-lint access`: who can get into each cluster, and what a change does to it.

Option parsing and printing only: the review is `review_build`, the comparison
`review_diff`, the base tree `basetree`, the formats `reporters.access_*`.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from .loader import SourceFile
    from .review import ClusterAccess, Diff

    Groups = list[tuple[str, list[SourceFile]]]

FORMATS = ("text", "json", "markdown", "mermaid")


@click.command(short_help="Who can get into each cluster, and what a change does to it.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--cluster", default=None, metavar="NAME", help="Only this cluster (default: every cluster).")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--base", default=None, metavar="REF", help="Compare with the repository at this git ref: what the change does to who can do what.")
@click.option("--fail-on-escalation", is_flag=True,
              help="With --base: exit 1 on a gain of cluster-admin or of a sensitive permission, or a new principal with more than view.")
def access(paths: tuple[str, ...], cluster: str | None, fmt: str, base: str | None, fail_on_escalation: bool) -> None:
    """List every principal that can get into each cluster, how, as whom, and what it may do.

    With --base REF, list what changed since REF instead, gains in power first. Exit 0,
    or 1 with --fail-on-escalation when the change escalates; 2 on bad input.
    """
    from .cli import _die, _load_clusters, cluster_modes
    from .review_build import review
    from .review_diff import compare, fails

    if fail_on_escalation and not base:
        _die("--fail-on-escalation needs --base REF (what the change is compared with)")
    groups = _load_clusters(paths, cluster)
    modes = cluster_modes()
    clusters = review(groups, modes)
    if cluster is not None:
        clusters = [c for c in clusters if c.name == cluster] or clusters
    diff = None
    if base:
        clusters_then = review(_base_groups(base, groups, paths, cluster), modes)
        if cluster is not None:
            clusters_then = [c for c in clusters_then if c.name == cluster] or clusters_then
        diff = compare(clusters_then, clusters, base)
    click.echo(_render(fmt, clusters, diff), nl=False)
    _summary(clusters, diff)
    sys.exit(1 if diff is not None and fail_on_escalation and any(fails(c) for c in diff.changes) else 0)


def _render(fmt: str, clusters: list[ClusterAccess], diff: Diff | None) -> str:
    from .cli import _die

    if fmt == "json":
        from .reporters.access_json import render_json

        return render_json(clusters, diff)
    if fmt == "markdown":
        from .reporters.access_markdown import render_markdown

        return render_markdown(clusters, diff)
    if fmt == "mermaid":
        from .reporters.access_mermaid import render_mermaid

        if len(clusters) != 1:
            names = ", ".join(c.name or "(repository)" for c in clusters) or "none"
            _die(f"-f mermaid draws one cluster; name it with --cluster (the clusters are: {names})")
        return render_mermaid(clusters[0])
    from .reporters.access_text import render_diff_text, render_text

    return render_diff_text(diff) if diff is not None else render_text(clusters)


def _base_groups(ref: str, groups: Groups, paths: tuple[str, ...], cluster: str | None) -> Groups:
    """The same paths at `ref`, by cluster."""
    from . import config as config_mod
    from .basetree import BaseTreeError, files_at
    from .cli import _die
    from .clusters import by_cluster
    from .gitbase import names_nothing
    from .loader import Limits

    if names_nothing(ref):
        _die(f"--base {ref!r} names no commit (an unset CI variable?)")
    cfg = config_mod.load(None)
    current = list({sf.path: sf for _, files in groups for sf in files}.values())
    try:
        files = files_at(ref, current, list(paths) or ["."], Limits(cfg.max_file_size, cfg.max_alias_expansion))
    except BaseTreeError as e:
        _die(str(e))
    found = by_cluster(files, cfg)
    if cluster is not None and len(found) > 1:
        found = [g for g in found if g[0] == cluster]
    return found


def _summary(clusters: list[ClusterAccess], diff: Diff | None) -> None:
    """Under GitHub Actions, `access --base` appends the change to the job summary."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if diff is None or os.environ.get("GITHUB_ACTIONS") != "true" or not path:
        return
    from .reporters.access_markdown import render_markdown

    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(render_markdown(clusters, diff) + "\n")
    except OSError as e:
        click.echo(f"awsauth-lint: warning: cannot write the job summary: {e}", err=True)
