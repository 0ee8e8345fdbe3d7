"""A helm chart that emits the Kubernetes objects gen writes for a bench estate, for the paired mode
(`run.py --against helm`): what a helm user would write for the same estate.

The chart is made at bench time from gen's own output, so that it follows gen: gen renders a small
sample of the estate (8 namespaces), and each object file of the first namespace, workspace,
tenant and cluster becomes one template that `range`s over a values list, with that instance's
names (namespace, cluster, tenant, workspace; a workspace's member namespaces) turned into template
variables. values.yaml lists the estate's namespaces (with their cluster, tenant and workspace),
workspaces (with their tenant and members), clusters and tenants, read from the estate's profile.

Objects are the YAML documents with a top-level apiVersion and kind, except kustomize's own
Kustomization files: gen writes one per folder for `kubectl apply -k`, which a chart has no use for.
Not objects either: gen's bookkeeping (.gen/), README, verify.sh and the helm values files it
writes for TSB's control and management planes (no apiVersion or kind). `check` compares the
documents `helm template` prints (less helm's `# Source:` line) with gen's object files, text for
text, and counts both.

    python bench/chart.py 1000 /dev/shm/chart-check [--check]   # the estate, its chart; and compare
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from estate import estate  # noqa: E402

SAMPLE = 8  # namespaces of the sample gen renders to learn its files (2 per workspace, as 4 tenants split them)
TOP_KIND = re.compile(r"^kind:[ \t]*(\S+)[ \t]*$", re.MULTILINE)
TOP_API = re.compile(r"^apiVersion:", re.MULTILINE)
SEPARATOR = re.compile(r"^---[ \t]*$\n?", re.MULTILINE)
# The estate's names as bench/estate.py makes them, where they stand whole (gen derives names with a
# suffix: a workspace's setting is ws-0-0-setting).
INSTANCE = re.compile(r"(?<!\w)(?:ns-\d+|cluster-\d+|tenant-\d+|ws-\d+-\d+)(?!\w)")
NOT_OBJECTS = {"Kustomization"}


def documents(text: str) -> list[str]:
    """The Kubernetes objects in a YAML text, one text each: without helm's `# Source:` line and
    trailing blank space, so that gen's files and helm's output compare as text."""
    found = []
    for document in SEPARATOR.split(text):
        body = "\n".join(line for line in document.split("\n") if not line.startswith("# Source: ")).rstrip()
        kind = TOP_KIND.search(body)
        if kind and TOP_API.search(body) and kind.group(1) not in NOT_OBJECTS:
            found.append(body)
    return found


def gen_objects(tree: Path) -> dict[str, list[str]]:
    """Every object gen wrote under `tree` (its bookkeeping in .gen/ aside), by file (relative)."""
    found = {}
    for path in sorted(tree.rglob("*")):
        relative = path.relative_to(tree).as_posix()
        if path.is_file() and path.suffix in (".yaml", ".yml") and not relative.startswith(".gen/"):
            objects = documents(path.read_text("utf-8"))
            if objects:
                found[relative] = objects
    return found


def values(profile: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The chart's values for an estate profile (as bench/estate.py writes it)."""
    placed: dict[str, tuple[str, str]] = {}
    workspaces = []
    for tenant in profile.get("tenants") or []:
        for workspace in tenant.get("workspaces") or []:
            members = [selector.split("/", 1)[1] for selector in workspace["namespaces"]]
            workspaces.append({"name": workspace["name"], "tenant": tenant["name"], "namespaces": members})
            placed.update((member, (tenant["name"], workspace["name"])) for member in members)
    namespaces = []
    for namespace in profile["namespaces"]:
        tenant, workspace = placed.get(namespace["name"], ("", ""))
        namespaces.append({"name": namespace["name"], "cluster": namespace["clusters"][0], "tenant": tenant,
                           "workspace": workspace})
    return {"clusters": [{"name": cluster["name"]} for cluster in profile["clusters"]],
            "tenants": [{"name": tenant["name"]} for tenant in profile.get("tenants") or []],
            "workspaces": workspaces, "namespaces": namespaces}


def values_yaml(data: dict[str, list[dict[str, Any]]]) -> str:
    """values.yaml as a person would keep it: a list item per line (JSON strings are YAML)."""
    lines = ["# The estate, one entry per namespace, workspace, cluster and tenant."]
    for key, items in data.items():
        lines.append(f"{key}:" if items else f"{key}: []")
        lines += ["- {" + ", ".join(f"{field}: {json.dumps(value)}" for field, value in item.items()) + "}"
                  for item in items]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Scope:
    """What a template ranges over, and how a file path shows the instance it belongs to."""

    name: str  # the folder of its templates, and the word that replaces the instance in file names
    variable: str
    values: str  # the values list it ranges over
    path: re.Pattern[str]


SCOPES = [  # the first that matches a file's path decides its scope
    Scope("namespace", "$ns", "namespaces", re.compile(r"(?:^|/)namespaces/(ns-\d+)/")),
    Scope("workspace", "$ws", "workspaces", re.compile(r"(?<!\w)(ws-\d+-\d+)(?!\w)")),
    Scope("tenant", "$tenant", "tenants", re.compile(r"(?<!\w)(tenant-\d+)(?!\w)")),
    Scope("cluster", "$cluster", "clusters", re.compile(r"(?<!\w)(cluster-\d+)(?!\w)")),
]


def _whole(names: list[str]) -> re.Pattern[str]:
    """Any of `names` where it stands whole (as INSTANCE finds them)."""
    return re.compile(r"(?<!\w)(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?!\w)")


def _substitute(text: str, names: dict[str, str]) -> str:
    """Each of `names` (an instance's names -> the template expression for them) replaced where it
    stands whole."""
    return _whole(list(names)).sub(lambda found: "{{ " + names[found.group(1)] + " }}", text) if names else text


def _member_block(text: str, members: list[str], variable: str, where: str) -> str:
    """A workspace's member namespaces, one line each in a row, turned into a range over them."""
    lines = text.split("\n")
    member = _whole(members)
    rows = [index for index, line in enumerate(lines) if member.search(line)]
    if not rows:
        return text
    first = rows[0]
    if rows != list(range(first, first + len(members))):
        raise ValueError(f"{where}: the member namespaces are not one line each in a row")
    shapes = {_substitute(lines[row], {member: "$member" for member in members}) for row in rows}
    if len(shapes) != 1 or len(members) < 2:
        raise ValueError(f"{where}: the member namespaces' lines differ beyond the name")
    block = [f"{{{{- range $member := {variable}.namespaces }}}}", shapes.pop(), "{{- end }}"]
    return "\n".join(lines[:first] + block + lines[first + len(members):])


def template(scope: Scope | None, text: str, sample: dict[str, list[dict[str, Any]]], where: str) -> str:
    """One file of the sample's first instance of `scope` (None: a file of the estate as a whole) as a
    template: its names turned into the range variable's fields, inside a range over the values."""
    body = text.replace("{{", '{{ "{{" }}').rstrip("\n")  # gen's own braces print as they are
    if scope is None:
        leftover = INSTANCE.findall(body)
        if leftover:
            raise ValueError(f"{where}: names {sorted(set(leftover))} but belongs to no namespace, workspace, "
                             "tenant or cluster")
        return f"---\n{body}\n"
    first = sample[scope.values][0]
    if "namespaces" in first:
        body = _member_block(body, first["namespaces"], scope.variable, where)
    names = {value: f"{scope.variable}.{field}" for field, value in first.items() if isinstance(value, str) and value}
    body = _substitute(body, names)
    leftover = INSTANCE.findall(body)
    if leftover:
        raise ValueError(f"{where}: names {sorted(set(leftover))}, which the chart cannot make variables of")
    return f"{{{{- range {scope.variable} := .Values.{scope.values} }}}}\n---\n{body}\n{{{{- end }}}}\n"


def build(chart: Path, profile: Path, sample_tree: Path, sample_profile: Path) -> dict[str, int]:
    """Write the chart for `profile` into `chart`, from gen's render of the sample (`sample_tree`,
    rendered from `sample_profile`). Returns its templates by scope."""
    sample = values(yaml.safe_load(sample_profile.read_text("utf-8")))
    firsts = {scope.name: str(sample[scope.values][0]["name"]) for scope in SCOPES if sample[scope.values]}
    (chart / "templates").mkdir(parents=True, exist_ok=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: estate\nversion: 0.1.0\ndescription: The bench "
                                      "estate's Kubernetes objects, as gen renders them\n", "utf-8")
    (chart / "values.yaml").write_text(values_yaml(values(yaml.safe_load(profile.read_text("utf-8")))), "utf-8")
    made: dict[str, int] = collections.Counter()
    for relative in gen_objects(sample_tree):
        scope, instance = next(((s, m.group(1)) for s in SCOPES for m in [s.path.search(relative)] if m), (None, ""))
        if scope is not None and instance != firsts.get(scope.name):
            continue  # another instance: the first one's template ranges over it
        text = template(scope, (sample_tree / relative).read_text("utf-8"), sample, relative)
        folder = scope.name if scope else "estate"
        name = relative.rsplit("/", 1)[-1]
        name = name.replace(instance, folder) if scope else name
        target = chart / "templates" / folder / name
        if target.exists():
            raise ValueError(f"{relative}: two files make template {target}")
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, "utf-8")
        made[folder] += 1
    return dict(made)


def prepare(work: Path, gen: list[str], profile: Path, kit: str | None = None) -> dict[str, int]:
    """The chart for `profile` in work/chart, from gen's render of an estate sample of the same shape."""
    sample_profile = work / "chart-sample.yaml"
    sample_profile.write_text(estate(SAMPLE, name="estate", kit=kit), "utf-8")
    out = work / "chart-sample-out"
    subprocess.run([*gen, "render", str(sample_profile), "--out", str(out)], cwd=work, check=True,
                   capture_output=True)
    return build(work / "chart", profile, out / "estate", sample_profile)


@dataclass(frozen=True)
class Comparison:
    gen: int
    helm: int
    identical: bool
    kinds: dict[str, tuple[int, int]]  # kind -> (gen's, helm's)
    difference: str  # the first object only one side has ("" when identical)


def compare(tree: Path, helm_output: str) -> Comparison:
    ours = [obj for objects in gen_objects(tree).values() for obj in objects]
    theirs = documents(helm_output)
    mine, other = collections.Counter(ours), collections.Counter(theirs)

    def kinds(texts: list[str]) -> collections.Counter[str]:
        return collections.Counter(found.group(1) for text in texts for found in [TOP_KIND.search(text)] if found)

    gen_kinds, helm_kinds = kinds(ours), kinds(theirs)
    only = list((mine - other).elements())[:1] or list((other - mine).elements())[:1]
    side = "gen" if (mine - other) else "helm"
    difference = f"only {side} has:\n" + "\n".join(only[0].split("\n")[:12]) if only else ""
    return Comparison(len(ours), len(theirs), mine == other,
                      {kind: (gen_kinds[kind], helm_kinds[kind]) for kind in sorted(gen_kinds | helm_kinds)}, difference)


def report(comparison: Comparison) -> list[str]:
    verdict = "the same objects, text for text" if comparison.identical else "NOT the same objects"
    lines = [f"objects: gen {comparison.gen}, helm template {comparison.helm}: {verdict}"]
    lines += [f"  {kind:<20} gen {mine:>6}  helm {theirs:>6}" for kind, (mine, theirs) in comparison.kinds.items()]
    return lines + ([comparison.difference] if comparison.difference else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("namespaces", type=int)
    parser.add_argument("work", type=Path, help="a folder for the estate, the sample, the chart and (--check) the outputs")
    parser.add_argument("--check", action="store_true", help="render the estate with gen and the chart with helm, "
                        "and compare their objects")
    args = parser.parse_args()
    gen = [sys.executable, "-m", "generator"]
    args.work.mkdir(parents=True, exist_ok=True)
    work = args.work.resolve()
    profile = work / "estate.yaml"
    profile.write_text(estate(args.namespaces), "utf-8")
    print(f"chart in {work / 'chart'}: templates {prepare(work, gen, profile)}")
    if args.check:
        import helm  # bench/helm.py

        binary, where = helm.find()
        if binary is None:
            raise SystemExit(f"skipped the check: {where}")
        subprocess.run([*gen, "render", str(profile), "--out", str(work / "out")], cwd=work, check=True,
                       capture_output=True)
        output = subprocess.run([str(binary), "template", "estate", str(work / "chart")], cwd=work, check=True,
                                capture_output=True, text=True).stdout
        comparison = compare(work / "out" / "estate", output)
        print("\n".join(report(comparison)))
        if not comparison.identical:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
