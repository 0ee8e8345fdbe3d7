"""The paired mode of bench/run.py (`--against helm|CMD --pairs 7`): gen against a reference command,
in alternating pairs, reported as ratios pair by pair, since absolute times on a shared machine
drift while a pair's two runs see the same machine.

Per case (a) full render with validation into an empty folder, (b) re-render with nothing changed,
(d) `gen render --check`: --pairs pairs, each one gen run (A) and one reference run (B), A then B in
even pairs and B then A in odd ones, so that a drift within a pair counts against each side as
often. Each run is a whole process: wall seconds around it, CPU seconds (user + system, its reaped
children included) from os.wait4. Per pair: A/B of wall and of CPU; per case: the medians of those
ratios (and of each side's times).

`helm` stands for `helm template` of a chart that emits the objects gen writes for the estate
(bench/chart.py: made from gen's output, checked text for text before any pair); with no helm
(bench/helm.py) the pairs are skipped with the reason. Any other CMD runs as it is (split as a
shell would, `{work}`, `{profile}` and `{tree}` replaced), in the work folder; for both, standard
output goes to a file in the work folder.
"""

from __future__ import annotations

import math
import os
import re
import shlex
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import chart
import helm
from estate import estate

CASES = ["(a) full render + validation, empty folder", "(b) re-render, nothing changed",
         "(d) render --check, nothing changed"]


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and the children it reaped


@dataclass(frozen=True)
class Pair:
    index: int  # from 1
    order: str  # "AB" or "BA": which ran first
    a: Timing
    b: Timing

    @property
    def wall_ratio(self) -> float:
        return _ratio(self.a.wall, self.b.wall)

    @property
    def cpu_ratio(self) -> float:
        return _ratio(self.a.cpu, self.b.cpu)


def _ratio(a: float, b: float) -> float:
    """a / b; infinite where b took no measurable time (a reference that does next to nothing)."""
    return a / b if b > 0 else math.inf


@dataclass(frozen=True)
class Run:
    timing: Timing
    code: int
    output: str  # standard output, unless it went to a file
    errors: str


def timed(command: list[str], cwd: Path, stdout: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """One process, timed: standard output into `stdout` (created afresh) or captured."""
    with tempfile.TemporaryFile() as captured, tempfile.TemporaryFile() as errors, \
            (stdout.open("wb") if stdout else tempfile.TemporaryFile()) as sink:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=errors, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        output = b""
        if stdout is None:
            sink.seek(0)
            output = sink.read()
        errors.seek(0)
        return Run(Timing(wall, usage.ru_utime + usage.ru_stime), process.returncode, output.decode(),
                   errors.read().decode(errors="replace"))


def alternate(count: int, a: Callable[[], Timing], b: Callable[[], Timing],
              each: Callable[[Pair], None] = lambda pair: None) -> list[Pair]:
    """`count` pairs of A and B, A first in the first pair and every other one after it."""
    pairs = []
    for index in range(1, count + 1):
        if index % 2:
            first_a = a()
            pair = Pair(index, "AB", first_a, b())
        else:
            first_b = b()
            pair = Pair(index, "BA", a(), first_b)
        each(pair)
        pairs.append(pair)
    return pairs


def medians(pairs: list[Pair]) -> dict[str, float]:
    """Median of the per-pair ratios (not the ratio of medians), and of each side's times."""
    return {"wall_ratio": statistics.median(p.wall_ratio for p in pairs),
            "cpu_ratio": statistics.median(p.cpu_ratio for p in pairs),
            "a_wall": statistics.median(p.a.wall for p in pairs), "b_wall": statistics.median(p.b.wall for p in pairs),
            "a_cpu": statistics.median(p.a.cpu for p in pairs), "b_cpu": statistics.median(p.b.cpu for p in pairs)}


@dataclass(frozen=True)
class Reference:
    label: str
    command: list[str]
    output: Path
    env: dict[str, str] | None = None
    chart: bool = False  # helm template of bench/chart.py's chart: its objects are compared with gen's


def helm_reference(work: Path, gen: list[str], profile: Path, kit: str | None) -> Reference | str:
    """`helm template` of the estate's chart, or why there is none."""
    binary, where = helm.find()
    if binary is None:
        return where
    print(f"helm: {binary} (from {where}), {helm.version(binary)}", flush=True)
    print(f"chart: {work / 'chart'}, templates {chart.prepare(work, gen, profile, kit)}", flush=True)
    homes = {f"HELM_{kind}_HOME": str(work / ".helm" / kind.lower()) for kind in ("CACHE", "CONFIG", "DATA")}
    return Reference("helm", [str(binary), "template", "estate", str(work / "chart")], work / "helm-template.yaml",
                     {**os.environ, **homes}, chart=True)


def command_reference(text: str, work: Path, profile: Path, tree: Path) -> Reference:
    words = [word.replace("{work}", str(work)).replace("{profile}", str(profile)).replace("{tree}", str(tree))
             for word in shlex.split(text)]
    return Reference(Path(words[0]).name, words, work / "reference.out")


def _written(output: str) -> int | None:
    found = re.search(r"\((\d+) written", output)
    return int(found.group(1)) if found else (0 if "up to date" in output else None)


Row = dict[str, object]


def measure(size: int, count: int, work: Path, gen: list[str], against: str, kit: bool = False,
            kit_folder: Path | None = None) -> list[Row]:
    """The paired rows of one estate size; a single `skipped` row when there is no reference."""
    # gen records file statuses for its no-change path (generator/stat_cache.py): here, in the work
    # folder, so that each bench starts with none and leaves none behind.
    os.environ["GEN_CACHE_DIR"] = str(work / "stat-cache")
    if kit and kit_folder is not None:
        shutil.copytree(kit_folder, work / "kit")
    profile = work / "estate.yaml"
    profile.write_text(estate(size, kit="kit" if kit else None), "utf-8")
    out = work / "out"
    tree = out / "estate"
    found = (helm_reference(work, gen, profile, "kit" if kit else None) if against == "helm"
             else command_reference(against, work, profile, tree))
    if isinstance(found, str):
        print(f"{size:>6}  paired against helm: skipped, {found}", flush=True)
        return [{"namespaces": size, "against": "helm", "skipped": found}]
    reference = found
    render = [*gen, "render", str(profile), "--out", str(out)]
    rows: list[Row] = [_objects(size, work, render, reference, tree)]

    def gen_run(command: list[str], prepare: Callable[[], None], check: Callable[[Run], None]) -> Callable[[], Timing]:
        def run() -> Timing:
            prepare()
            done = timed(command, work)
            if done.code != 0:
                raise SystemExit(f"{' '.join(command)}: exit {done.code}\n{done.errors}")
            check(done)
            return done.timing
        return run

    def reference_run() -> Timing:
        reference.output.unlink(missing_ok=True)
        done = timed(reference.command, work, reference.output, reference.env)
        if done.code != 0:
            raise SystemExit(f"{' '.join(reference.command)}: exit {done.code}\n{done.errors}")
        return done.timing

    def nothing_written(done: Run) -> None:
        if _written(done.output) != 0:
            raise SystemExit(f"a no-change render wrote files: {done.output.strip()}")

    def no_check(done: Run) -> None:
        pass

    runs = {CASES[0]: gen_run(render, lambda: shutil.rmtree(out, ignore_errors=True), no_check),
            CASES[1]: gen_run(render, lambda: None, nothing_written),
            CASES[2]: gen_run([*render, "--check"], lambda: None, no_check)}
    print(f"{'ns':>6}  {'case':<43} {'pair':>4} {'order':>5} {'gen s':>7} {reference.label + ' s':>8} "
          f"{'wall A/B':>8} {'gen cpu':>8} {reference.label + ' cpu':>9} {'cpu A/B':>8}", flush=True)
    for case, run in runs.items():
        def show(pair: Pair, case: str = case) -> None:
            print(f"{size:>6}  {case:<43} {pair.index:>4} {pair.order:>5} {pair.a.wall:>7.3f} {pair.b.wall:>8.3f} "
                  f"{pair.wall_ratio:>8.3f} {pair.a.cpu:>8.3f} {pair.b.cpu:>9.3f} {pair.cpu_ratio:>8.3f}", flush=True)
        pairs = alternate(count, run, reference_run, show)
        rows += [{"namespaces": size, "case": case, "against": reference.label, "pair": p.index, "order": p.order,
                  "a_wall": round(p.a.wall, 4), "b_wall": round(p.b.wall, 4), "wall_ratio": round(p.wall_ratio, 4),
                  "a_cpu": round(p.a.cpu, 4), "b_cpu": round(p.b.cpu, 4), "cpu_ratio": round(p.cpu_ratio, 4)}
                 for p in pairs]
        rows.append({"namespaces": size, "case": case, "against": reference.label, "pair": "median",
                     **{key: round(value, 4) for key, value in medians(pairs).items()}})
    return rows


def _objects(size: int, work: Path, render: list[str], reference: Reference, tree: Path) -> Row:
    """One untimed run of each side (a warm-up too); for helm, its objects compared with gen's."""
    subprocess.run(render, cwd=work, check=True, capture_output=True)
    done = timed(reference.command, work, reference.output, reference.env)
    if done.code != 0:
        raise SystemExit(f"{' '.join(reference.command)}: exit {done.code}\n{done.errors}")
    if not reference.chart:
        print("objects: not compared (a reference command's output is its own)", flush=True)
        return {"namespaces": size, "against": reference.label, "objects": None}
    comparison = chart.compare(tree, reference.output.read_text("utf-8"))
    print("\n".join(chart.report(comparison)), flush=True)
    if not comparison.identical:
        raise SystemExit("the chart does not emit gen's objects: no ratio against it would mean anything")
    return {"namespaces": size, "against": reference.label, "objects": {"gen": comparison.gen, "helm": comparison.helm,
            "identical": comparison.identical, "kinds": {k: list(v) for k, v in comparison.kinds.items()}}}


def summary(rows: list[Row]) -> list[str]:
    """The medians, one line per size and case."""
    lines = []
    for row in rows:
        if row.get("pair") == "median":
            lines.append(f"{row['namespaces']:>6}  {row['case']:<43} median of {row['against']} pairs: wall "
                         f"{row['wall_ratio']:.3f}x ({row['a_wall']:.3f}s / {row['b_wall']:.3f}s), CPU "
                         f"{row['cpu_ratio']:.3f}x ({row['a_cpu']:.3f}s / {row['b_cpu']:.3f}s)")
    return lines
