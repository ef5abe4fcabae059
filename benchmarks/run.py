#!/usr/bin/env python3
"""awsauth-lint benchmark: every performance target beside its floor, in one run.

Generates the corpora with the shared generator (`gen_corpus.py`, found beside this
repository in `../shared/bench/` or given with --generator), then times, as separate
processes, awsauth-lint and the floor each target is measured against, and prints
one table: our time, the floor, the ratio, the target. Median of --repeat runs; the
floors run in the same rounds as our commands, so machine noise hits both.

    python benchmarks/run.py                 # full size (20k files, mapRoles up to 100,000 entries)
    python benchmarks/run.py --small         # CI size, a few seconds, no assertions
    python benchmarks/run.py --checkov PATH  # also time checkov from its own virtualenv

The floors need PyYAML with libyaml (`pip install pyyaml`); without it that row says so.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from access_corpus import access_corpus  # noqa: E402  (beside this script)

DEFAULT_GENERATOR = HERE.parent.parent / "shared" / "bench" / "gen_corpus.py"

PARSE_ALL = """
import sys, yaml
n = 0
for path in open(sys.argv[1], encoding="utf-8").read().split("\\n"):
    with open(path, encoding="utf-8") as fh:
        for _ in yaml.compose_all(fh.read(), Loader=yaml.CSafeLoader):
            n += 1
print(n)
"""
LIST_FILES = """
import os, sys
out = []
for d, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [x for x in dirs if not x.startswith('.')]
    out += [os.path.join(d, f) for f in files if f.endswith(('.yaml', '.yml'))]
print('\\n'.join(sorted(out)))
"""
COMPOSE_OURS = """
import sys
from awsauth_lint.markers import FULL, WANTED
from awsauth_lint.source import compose_relevant
for path in open(sys.argv[1], encoding="utf-8").read().split("\\n"):
    with open(path, encoding="utf-8") as fh:
        compose_relevant(fh.read(), WANTED, FULL)
"""
COMPOSE_RUAMEL = """
import sys
from ruamel.yaml import YAML
text = open(sys.argv[1], encoding="utf-8").read()
for _ in YAML(typ="safe", pure=True).compose_all(text):
    pass
"""


def tool() -> list[str]:
    """awsauth-lint's console script next to this interpreter (no shell shims)."""
    script = Path(sys.executable).parent / "awsauth-lint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "awsauth_lint"]


# Every command runs as an installed tool runs on a user's machine: Python may keep its
# bytecode cache (some CI images set PYTHONDONTWRITEBYTECODE, which would recompile our
# modules on every start).
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PRE_COMMIT")}
HOOK_ENV = {**ENV, "PRE_COMMIT": "1"}  # what pre-commit sets when it runs a hook


def timed(cmd: list[str], cwd: Path | None = None, stdin: bytes | None = None, env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak RSS (KiB) and exit code of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or ENV,
    )
    if stdin is not None:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss, proc.returncode


def generate(generator: Path, out: Path, *args: str) -> Path:
    """A generated corpus, committed to its own git repository (as a real GitOps repo is:
    pre-commit runs then read RBAC context from the whole repository)."""
    if not (out / ".awsauth-bench-corpus").exists():
        subprocess.run([sys.executable, str(generator), str(out), "-q", *args], check=True)
    if not (out / ".git").exists():
        git = ["git", "-C", str(out), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "corpus"], check=True)
    return out


def same_sarif(lint: list[str], repo: Path, work: Path) -> bool:
    """Whether worker processes report exactly what one process reports."""
    outs = []
    for jobs in ("1", "0"):
        out = work / f"jobs-{jobs}.sarif"
        timed([*lint, "--format", "sarif", "--no-cache", "--jobs", jobs, "-o", str(out), "."], repo)
        outs.append(out.read_bytes())
    return outs[0] == outs[1]


def second_commit(repo: Path) -> str:
    """Give the benchmark repository a last commit that changes who can do what (once):
    one aws-auth row gains system:masters, one RoleBinding moves from view to edit."""
    git = ["git", "-C", str(repo), "-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
    count = subprocess.run([*git, "rev-list", "--count", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    what = "a row gains system:masters, a binding moves to edit"
    if count != "1":
        return what
    awsauth = sorted(repo.glob("clusters/*/kube-system/aws-auth.yaml"))[0]
    text = awsauth.read_text(encoding="utf-8")
    awsauth.write_text(text.replace("groups:\n", "groups:\n        - system:masters\n", 1), encoding="utf-8")
    for binding in sorted(repo.rglob("*.yaml")):
        body = binding.read_text(encoding="utf-8", errors="replace")
        if "kind: RoleBinding" in body and "name: view" in body:
            binding.write_text(body.replace("name: view", "name: edit", 1), encoding="utf-8")
            break
    subprocess.run([*git, "commit", "-qam", "change who can do what"], check=True)
    return what


def has_libyaml() -> bool:
    try:
        import yaml

        return hasattr(yaml, "CSafeLoader")
    except ImportError:
        return False


def rounds(
    pairs: dict[str, list[list[str]]], repeat: int, cwd: dict[str, Path], env: dict[str, dict[str, str]] | None = None
) -> dict[str, list[float]]:
    """Run every command once per round, rounds outside: noise hits all of them alike.
    Each command runs once before the rounds (caches warm, bytecode written)."""
    env = env or {}
    for key, cmds in pairs.items():
        for cmd in cmds:
            timed(cmd, cwd.get(key), env=env.get(key))
    times: dict[str, list[float]] = {k: [] for k in pairs}
    for _ in range(repeat):
        for key, cmds in pairs.items():
            total = 0.0
            for cmd in cmds:
                total += timed(cmd, cwd.get(key), env=env.get(key))[0]
            times[key].append(total)
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--small", action="store_true", help="CI size: 200 files, 1,000-entry mapRoles, 1 round")
    ap.add_argument("--repeat", type=int, default=None, help="rounds (default 5, --small 1)")
    ap.add_argument("--generator", type=Path, default=DEFAULT_GENERATOR)
    ap.add_argument("--work", type=Path, default=None, help="where corpora are generated (kept between runs)")
    ap.add_argument("--checkov", type=Path, default=None, help="checkov executable in its own virtualenv")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON lines too")
    args = ap.parse_args(argv)
    repeat = args.repeat or (1 if args.small else 5)
    files = 200 if args.small else 20000
    huge_sizes = (200, 500, 1000) if args.small else (1000, 5000, 20000, 100000)
    if not args.generator.exists():
        raise SystemExit(f"corpus generator not found: {args.generator} (use --generator)")
    work = args.work or Path(tempfile.gettempdir()) / "awsauth-lint-bench"
    work.mkdir(parents=True, exist_ok=True)
    repo = generate(args.generator, work / f"repo-{files}", "--files", str(files))
    hugs = {n: generate(args.generator, work / f"huge-{n}", "--files", "10", "--huge", "--huge-entries", str(n)) for n in huge_sizes}
    lint = tool()
    py = sys.executable
    all_files = subprocess.run([py, "-c", LIST_FILES, str(repo)], capture_output=True, text=True, check=True).stdout.split()
    deployment = next(f for f in all_files if f.endswith("deployment.yaml"))
    awsauth = next(f for f in all_files if f.endswith("kube-system/aws-auth.yaml"))
    rows: list[dict[str, object]] = []

    def row(name: str, ours: list[float], floor: list[float] | None, floor_name: str, target: float | None) -> None:
        o = statistics.median(ours)
        f = statistics.median(floor) if floor else None
        ratio = statistics.median(a / b for a, b in zip(ours, floor, strict=True)) if floor else None
        rows.append({"target": name, "ours_s": round(o, 4), "floor": floor_name, "floor_s": None if f is None else round(f, 4),
                     "ratio": None if ratio is None else round(ratio, 3), "goal": target,
                     "ok": None if ratio is None or target is None else ratio <= target})

    # 1. whole repository vs libyaml parsing every file
    cmds: dict[str, list[list[str]]] = {"ours": [[*lint, "--format", "sarif", "--no-cache", "-o", os.devnull, "."]]}
    if has_libyaml():
        listing = work / f"files-{files}.txt"
        listing.write_text("\n".join(all_files), encoding="utf-8")
        cmds["floor"] = [[py, "-c", PARSE_ALL, str(listing)]]
    t = rounds(cmds, repeat, {"ours": repo, "floor": repo})
    row(f"1. whole repo ({len(all_files)} files)", t["ours"], t.get("floor"), "libyaml compose, every file", 1.0)
    size = sum(os.path.getsize(f) for f in all_files)
    ours1 = statistics.median(t["ours"])
    throughput = f"{len(all_files) / ours1:,.0f} files/s, {size / ours1 / 1e6:.1f} MB/s"
    peak_rss = timed(cmds["ours"][0], repo)[1]
    identical = same_sarif(lint, repo, work)

    # 2. pre-commit, one ordinary manifest
    t = rounds({"ours": [[*lint, deployment]], "floor": [[py, "-c", "import ruamel.yaml, click"]]}, max(repeat, 3) * 2,
               {"ours": repo}, {"ours": HOOK_ENV})
    row("2. one Deployment (hook)", t["ours"], t["floor"], "import ruamel.yaml, click", 1.5)

    # 3. pre-commit, one aws-auth file, whole-repo RBAC context, warm cache
    t = rounds({"ours": [[*lint, awsauth]], "floor": [[py, "-c", "import ruamel.yaml, click, jsonschema"]]}, max(repeat, 3) * 2,
               {"ours": repo}, {"ours": HOOK_ENV})
    row("3. one aws-auth in the repo (hook, warm)", t["ours"], t["floor"], "import ruamel.yaml, click, jsonschema", 2.0)

    # 3b. pre-commit, a commit that only deletes one binding file: no file is passed, the hook
    # checks what the deletion breaks in the clusters it touches (beside target 3, same rounds)
    binding = next((f for f in all_files if "rbac" in f and "kind: RoleBinding" in Path(f).read_text(errors="replace")), None)
    if binding is not None:
        subprocess.run(["git", "rm", "-q", "--cached", binding], cwd=repo, check=True)
        try:
            t = rounds({"ours": [lint], "floor": [[*lint, awsauth]]}, max(repeat, 3) * 2, {"ours": repo, "floor": repo},
                       {"ours": HOOK_ENV, "floor": HOOK_ENV})
        finally:
            subprocess.run(["git", "reset", "-q", "--", binding], cwd=repo, check=True)
        row("3b. commit deleting a binding (hook)", t["ours"], t["floor"], "target 3 (one aws-auth hook)", 2.0)

    # 4. scale: N-entry mapRoles vs composing the file with ruamel; the 100,000-entry file
    # (16 MB) is over the default limits.max-file-size, which the config raises
    limits = work / "limits.yaml"
    limits.write_text("limits:\n  max-file-size: 1000000000\n", encoding="utf-8")
    for n, d in hugs.items():
        biggest = max(d.glob("clusters/*/kube-system/aws-auth.yaml"), key=os.path.getsize)
        f = str(biggest)
        ours = [*lint, "-c", str(limits), "--format", "json", "-o", os.devnull, f]
        t = rounds({"ours": [ours], "floor": [[py, "-c", COMPOSE_RUAMEL, f]]}, repeat, {"ours": d})
        row(f"4. {n:,}-entry mapRoles", t["ours"], t["floor"], "ruamel compose of the file", 5.0)

    # 6. access --base HEAD~1 (what the last commit does to who can do what) vs the whole-
    # repository check of target 1, in the same rounds; the repository gets one more commit
    # (a group rebound, a role gaining system:masters) the first time
    changed = second_commit(repo)
    t = rounds({"ours": [[*lint, "access", "--base", "HEAD~1", "."]],
                "floor": [[*lint, "--format", "sarif", "--no-cache", "-o", os.devnull, "."]]}, repeat, {"ours": repo, "floor": repo})
    row(f"6. access --base HEAD~1 ({changed})", t["ours"], t["floor"], "target 1's check, same repo", 2.0)

    # 7. 2,000 EKS access entries across eksctl, CloudFormation, ACK and Crossplane: linting
    # them adds no more than their parse time (ours <= 2x composing them with our parser)
    entries = work / "access-2000"
    if not entries.exists():
        access_corpus(entries, 2000)
    access_files = sorted(str(p) for p in entries.rglob("*") if p.is_file())
    access_listing = work / "access-files.txt"
    access_listing.write_text("\n".join(access_files), encoding="utf-8")
    t = rounds({"ours": [[*lint, "--format", "sarif", "--no-cache", "-o", os.devnull, "."]],
                "floor": [[py, "-c", COMPOSE_OURS, str(access_listing)]]}, repeat, {"ours": entries, "floor": entries})
    row(f"7. 2,000 access entries ({len(access_files)} files)", t["ours"], t["floor"], "composing them (our parser)", 2.0)

    # 5. checkov, optional: the 2,000-file repository, both tools in the same rounds
    if args.checkov is not None:
        small = generate(args.generator, work / "repo-2000", "--files", "2000")
        env = {**ENV, "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}
        ck = [str(args.checkov), "-d", ".", "--framework", "kubernetes", "--skip-download", "--quiet", "--compact", "--soft-fail"]
        t = rounds({"ours": [[*lint, "--format", "sarif", "--no-cache", "-o", os.devnull, "."]], "checkov": [ck]},
                   min(repeat, 3), {"ours": small, "checkov": small}, {"checkov": env})
        ours5, ck5 = statistics.median(t["ours"]), statistics.median(t["checkov"])
        rows.append({"target": "5. checkov, 2k repo (ours / checkov)", "ours_s": round(ours5, 4), "floor": "checkov --framework kubernetes",
                     "floor_s": round(ck5, 4), "ratio": round(ck5 / ours5, 1), "goal": ">=50x", "ok": ck5 / ours5 >= 50})

    print(f"{'target':42} {'ours s':>9} {'floor s':>9} {'ratio':>7} {'goal':>6} {'met':>4}  floor")
    for r in rows:
        fs = "n/a" if r["floor_s"] is None else f"{r['floor_s']:.4f}"
        ra = "n/a" if r["ratio"] is None else f"{r['ratio']}"
        met = "n/a" if r["ok"] is None else ("yes" if r["ok"] else "NO")
        print(f"{r['target']:42} {r['ours_s']:>9.4f} {fs:>9} {ra:>7} {r['goal']!s:>6} {met:>4}  {r['floor']}")
    print(f"whole repo: {throughput}; peak RSS {peak_rss / 1024:.0f} MiB (goal <= 400 MiB); "
          f"SARIF identical to --jobs 1: {'yes' if identical else 'NO'}")
    if not has_libyaml():
        print("note: PyYAML with libyaml is not installed; `pip install pyyaml` for the whole-repo floor")
    if args.json:
        for r in rows:
            print(json.dumps(r))
    shutil.rmtree(work / "tmp", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
