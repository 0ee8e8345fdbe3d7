"""The hostile-input fuzzer (tests/fuzz.py): example profiles, their base values and policy files,
and rendered ledgers, mutated by hypothesis (type swaps, hostile strings in every leaf, deletions,
duplications, huge values, planted secrets). CI runs a bounded, derandomized slice; set
GEN_FUZZ_EXAMPLES for a long run (README, "What gen guarantees")."""

from __future__ import annotations

import copy
import json
import shutil
import time
from collections import Counter
import os
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz import (
    EXAMPLES, FUZZED, HOSTILE, KIT, KIT_FILES, KIT_PROFILE, KIT_TEMPLATES, MARKER, SECRETS, SWAPS, TEMPLATE_SNIPPETS,
    Mutation, apply, dump, leaves, run_gen, secret_problem, structure_problem, workspace,
)

EXAMPLES_TO_RUN = int(os.environ.get("GEN_FUZZ_EXAMPLES", "30"))
# `kit`: only the templating-kit targets (the kit example's profile, declarations and templates).
ONLY = os.environ.get("GEN_FUZZ_TARGETS", "")
# A long run's figures (cases per outcome, per target and kind, the slowest case) go to this JSON file.
REPORT = os.environ.get("GEN_FUZZ_REPORT")
TALLY: Counter[str] = Counter()
SLOWEST = [0.0, 0.0]  # the slowest case: wall seconds, CPU seconds of this process
VALUES = "values/gke-prod-west-0.yaml"  # multi-platform's base values
POLICY = "policies/legacy/httpbin-get-only.yaml"  # waypoints' legacy policy


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@st.composite
def mutations(draw: st.DrawFn, data: Any) -> Mutation:
    paths = [path for path, _ in leaves(data) if path]
    path = draw(st.sampled_from(paths))
    value = _at(data, path)
    kind = draw(st.sampled_from(["swap", "hostile", "hostile", "delete", "duplicate", "secret"]))
    if kind in ("hostile", "secret") and not isinstance(value, str):
        kind = "swap"
    if kind == "duplicate" and not isinstance(path[-1], int):
        kind = "delete"
    if kind == "swap":
        return Mutation(kind, path, draw(st.sampled_from(SWAPS)))
    if kind == "hostile":
        hostile = draw(st.sampled_from(HOSTILE) | st.text(min_size=1, max_size=40))
        return Mutation(kind, path, hostile)
    if kind == "secret":
        return Mutation(kind, path, draw(st.sampled_from(SECRETS)))
    return Mutation(kind, path)


_PARSED: dict[str, Any] = {}


def _load(name: str) -> Any:
    """A fresh copy of an example file's data (each file parsed once per session); `kit/...` is a
    file of the example kit, and the kit example's profile names the kit at `kit/` in its workspace."""
    if name not in _PARSED:
        source = KIT / name.removeprefix("kit/") if name.startswith("kit/") else EXAMPLES / name
        _PARSED[name] = yaml.load(source.read_text("utf-8"), Loader=yaml.CSafeLoader)
        if name == KIT_PROFILE:
            _PARSED[name]["kit"] = ["kit"]
    return copy.deepcopy(_PARSED[name])


def _template_mutation(draw: st.DrawFn) -> Mutation:
    """A kit template's first printed expression replaced (a sandbox escape, or any text)."""
    snippet = draw(st.sampled_from(TEMPLATE_SNIPPETS) | st.text(max_size=60))
    return Mutation("template", (), snippet)


@st.composite
def cases(draw: st.DrawFn) -> tuple[str, str, Mutation]:
    """(profile, the file mutated, the mutation)."""
    kit_targets = ["kit-profile"] * 2 + ["kit-file"] * 2 + ["kit-template"] * 2
    targets = kit_targets if ONLY == "kit" else ["profile"] * 6 + ["values", "policy", "ledger", *kit_targets[::2]]
    target = draw(st.sampled_from(targets))
    if target == "kit-profile":
        return KIT_PROFILE, KIT_PROFILE, draw(mutations(_load(KIT_PROFILE)))
    if target == "kit-file":
        name = draw(st.sampled_from(KIT_FILES))
        return KIT_PROFILE, name, draw(mutations(_load(name)))
    if target == "kit-template":
        return KIT_PROFILE, draw(st.sampled_from(KIT_TEMPLATES)), _template_mutation(draw)
    if target == "values":
        return "multi-platform.yaml", VALUES, draw(mutations(_load(VALUES)))
    if target == "policy":
        return "waypoints.yaml", POLICY, draw(mutations(_load(POLICY)))
    profile = draw(st.sampled_from(FUZZED))
    if target == "ledger":
        return profile, "ledger", draw(mutations(_ledger(profile)))
    return profile, profile, draw(mutations(_load(profile)))


_LEDGERS: dict[str, Any] = {}


def _ledger(profile: str) -> Any:
    if profile not in _LEDGERS:
        _LEDGERS[profile] = json.loads((EXAMPLES.parent / "out" / Path(profile).stem / ".gen" / "manifest.json").read_text())
    return _LEDGERS[profile]


def _workspace(folder: Path, profile: str, target: str, mutation: Mutation | None) -> Path:
    data = _load(profile) if target != profile or mutation is None else apply(_load(profile), mutation)
    work = workspace(folder, profile, data)
    if profile == KIT_PROFILE:
        shutil.copytree(KIT, work / "kit")
    if mutation is not None and mutation.kind == "template":
        text = (KIT / target.removeprefix("kit/")).read_text("utf-8")
        start, end = text.find("{{"), text.find("}}") + 2
        (work / target).write_text(text[:start] + str(mutation.value) + text[end:], "utf-8")
    elif mutation is not None and target not in (profile, "ledger"):
        (work / target).write_text(dump(apply(_load(target), mutation)), "utf-8")
    return work


@settings(max_examples=EXAMPLES_TO_RUN, derandomize=EXAMPLES_TO_RUN <= 100, deadline=None,
          suppress_health_check=list(HealthCheck), database=None)
@given(cases())
def test_hostile_input_never_crashes_injects_or_leaks(tmp_path_factory: Any, case: tuple[str, str, Mutation]) -> None:
    profile, target, mutation = case
    started, cpu = time.monotonic(), time.process_time()
    base = tmp_path_factory.mktemp("fuzz")
    try:
        _exercise(base, profile, target, mutation)
        shutil.rmtree(base)  # a long run holds one case's folders at a time; a failing case's stay
    except AssertionError as failure:
        TALLY["failed"] += 1
        if REPORT:  # every failing case, shrinking steps included, with what it was
            with open(f"{REPORT}.failures", "a", encoding="utf-8") as log:
                log.write(json.dumps({"profile": profile, "target": target, "mutation": mutation.describe(),
                                      "value": repr(mutation.value)[:2000], "failure": str(failure)[:4000]}) + "\n")
        raise
    finally:
        SLOWEST[0] = max(SLOWEST[0], time.monotonic() - started)
        SLOWEST[1] = max(SLOWEST[1], time.process_time() - cpu)
        TALLY["cases"] += 1
        TALLY[f"target:{'profile' if target == profile else target}"] += 1
        TALLY[f"kind:{mutation.kind}"] += 1
        if REPORT:
            Path(REPORT).write_text(json.dumps({**TALLY, "slowest_case_seconds": round(SLOWEST[0], 3),
                                               "slowest_case_cpu_seconds": round(SLOWEST[1], 3)},
                                               indent=1, sort_keys=True) + "\n", "utf-8")


def _exercise(base: Path, profile: str, target: str, mutation: Mutation) -> None:
    """One case: render the mutated input; exit 0 or 2 only; no secret in the output; a hostile
    string lands as one scalar where the benign marker does (no structure change)."""
    if target == "ledger":
        work = _workspace(base / "hostile", profile, target, None)
        first = run_gen(work, profile)
        assert first.status == "ok", first.detail
        ledger = next((work / "out").glob("*/.gen/manifest.json"))
        ledger.write_text(json.dumps(apply(json.loads(ledger.read_text()), mutation)), "utf-8")
    else:
        work = _workspace(base / "hostile", profile, target, mutation)
    run = run_gen(work, profile)
    TALLY[f"status:{run.status}"] += 1
    assert run.status in ("ok", "invalid"), f"{mutation.describe()} of {target}: {run.status}: {run.detail}"
    if run.status != "ok" or run.tree is None:
        return
    TALLY["secret-scanned"] += 1
    leak = secret_problem(run.tree)
    assert leak is None, f"{mutation.describe()} of {target}: {leak}"
    if mutation.kind == "hostile" and target != "ledger":
        marked = run_gen(_workspace(base / "benign", profile, target, Mutation("hostile", mutation.path, MARKER)),
                         profile)
        if marked.status == "ok" and marked.tree is not None:
            TALLY["structure-compared"] += 1
            problem = structure_problem(marked.tree, run.tree, mutation.value)
            assert problem is None, f"{mutation.describe()} of {target}: {problem}"


def test_the_harness_calls_a_busy_loop_or_a_blocked_read_a_hang(tmp_path: Path, monkeypatch: Any) -> None:
    """A hang is CPU time without an answer, or a long wait: the harness reports both as `hang`,
    and a render that answers in time as what it is."""
    import fuzz

    def busy(profile: Path, out: Path) -> None:
        while True:
            pass

    def blocked(profile: Path, out: Path) -> None:
        time.sleep(60)

    monkeypatch.setattr(fuzz, "HANG_SECONDS", 1)
    monkeypatch.setattr(fuzz, "render_tree", busy)
    assert run_gen(tmp_path, "p.yaml").status == "hang"
    monkeypatch.setattr(fuzz, "WALL_SECONDS", 1)
    monkeypatch.setattr(fuzz, "render_tree", blocked)
    started = time.monotonic()
    assert run_gen(tmp_path, "p.yaml").status == "hang" and time.monotonic() - started < 30

    class SlowToDescribe(Exception):
        def __str__(self) -> str:
            while True:
                pass

    def crashing(profile: Path, out: Path) -> None:
        raise SlowToDescribe()

    monkeypatch.setattr(fuzz, "WALL_SECONDS", 300)
    monkeypatch.setattr(fuzz, "render_tree", crashing)  # the signal lands while the crash is described
    assert run_gen(tmp_path, "p.yaml").status == "hang"
