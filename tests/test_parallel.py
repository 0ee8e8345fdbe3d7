"""Work cut into slices over both cores gives what one process gives: same files in the same order,
same problems, same cache keys."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import GOLDEN, PROFILES
from generator import parallel
from generator.output import batch
from generator.pipeline import check_profile, forget_placed
from generator.plan import Output
from generator.problems import Problem
from generator.validation import trace
from generator.validation.embedded import shared_validator


def test_in_slices_keeps_order_and_covers_every_item() -> None:
    items = list(range(1001))
    parts = parallel.in_slices(lambda start, end: items[start:end], len(items), parallel_from=10)
    assert len(parts) == parallel.workers_for(len(items), 10)
    assert [item for part in parts for item in part] == items
    assert parallel.in_slices(lambda start, end: (start, end), 0, parallel_from=10) == [(0, 0)]


@pytest.mark.parametrize("weights", [[1] * 1001, [500] * 3 + [1] * 998, [1] * 998 + [500] * 3, [0] * 1001])
def test_slices_of_equal_weight_keep_order_and_cover_every_item(weights: list[int]) -> None:
    items = list(range(1001))
    parts = parallel.in_slices(lambda start, end: items[start:end], len(items), parallel_from=10, weights=weights)
    assert [item for part in parts for item in part] == items and all(parts)
    if len(parts) == 2 and sum(weights):  # neither slice holds much more than half the weight
        first = sum(weights[: len(parts[0])])
        assert abs(2 * first - sum(weights)) <= 2 * max(weights)


def test_an_error_in_the_last_slice_reaches_the_caller() -> None:
    """The last slice runs in a worker wherever there are two cores (and here, in this process)."""

    def work(start: int, end: int) -> int:
        if end == 100:
            raise ValueError("in the last slice")
        return end

    with pytest.raises(ValueError, match="in the last slice"):
        parallel.in_slices(work, 100, parallel_from=1)


def _no_child_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_a_part_whose_worker_dies_is_done_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed before it answers (the kernel's OOM killer, say): its part is not lost."""
    monkeypatch.setattr(parallel, "can_fork", lambda: True)  # one core, or a thread of pytest's
    parent = os.getpid()

    def work(part: range) -> list[int]:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return [item * 2 for item in part]

    assert parallel.in_parts(work, [range(0, 3), range(3, 6), range(6, 9)]) == [[0, 2, 4], [6, 8, 10], [12, 14, 16]]
    assert _no_child_left()


def test_a_worker_s_answer_that_does_not_pickle_is_an_error_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    with pytest.raises(RuntimeError, match="does not pickle"):
        parallel.in_parts(lambda part: (lambda: part), [range(1), range(1, 2)])
    assert _no_child_left()


def test_workers_are_reaped_when_this_process_s_own_part_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    def work(part: range) -> int:
        if part.start == 0:
            raise KeyError("own part")
        time.sleep(30)  # a worker still busy: killed, not waited for
        return 1

    started = time.monotonic()
    with pytest.raises(KeyError, match="own part"):
        parallel.in_parts(work, [range(0, 1), range(1, 2)])
    assert time.monotonic() - started < 10 and _no_child_left()


def test_a_part_whose_worker_answers_only_in_part_is_done_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Killed while it writes its answer (a render's is far more than a pipe holds): what came is
    not read as an answer, and the part is done here."""
    monkeypatch.setattr(parallel, "can_fork", lambda: True)

    def cut_short(writer: int, work: Any, part: Any) -> None:
        os.write(writer, (1000).to_bytes(8, "big") + b"\x80\x05 partial")

    monkeypatch.setattr(parallel, "_answer", cut_short)
    assert parallel.in_parts(lambda part: (os.getpid(), list(part)), [range(2), range(2, 4)]) == [
        (os.getpid(), [0, 1]), (os.getpid(), [2, 3])]
    assert _no_child_left()


class _Located(Exception):
    def __init__(self, message: str, line: int) -> None:  # pickles, and does not unpickle
        super().__init__(message)
        self.line = line


def test_an_exception_that_does_not_unpickle_still_says_what_the_worker_raised(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda: True)

    def work(part: range) -> int:
        if part.start:
            raise _Located("bad template", 12)
        return 0

    with pytest.raises(RuntimeError, match="does not pickle.*bad template"):
        parallel.in_parts(work, [range(0, 1), range(1, 2)])
    assert _no_child_left()


def test_an_interrupt_while_a_worker_is_forked_waits_until_it_is_recorded() -> None:
    """SIGINT (Ctrl-C) is held from the fork until the worker is on the list that is cleaned up."""
    got: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: got.append(number))
    try:
        held = parallel._hold_interrupts()
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        time.sleep(0.01)
        assert signal.SIGINT in signal.sigpending() and not got  # it waits
        parallel._release(held)
        time.sleep(0.01)
        assert got == [signal.SIGINT] and signal.SIGINT not in signal.sigpending()
    finally:
        signal.signal(signal.SIGINT, previous)


_PRINTS = """
import os, sys
from generator import parallel
parallel.can_fork = lambda: True
print("HEADER")
parallel.in_parts(lambda part: print("worker", part.start) if part.start else None, [range(0, 1), range(1, 2)])
print("END")
"""


def test_a_worker_prints_once_and_repeats_nothing_this_process_had_yet_to_print(tmp_path: Path) -> None:
    """Forked with text still in this process's buffer (stdout to a file is block-buffered), a worker
    would print it again when it flushed, and what it printed itself would be lost at os._exit."""
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    environment["PYTHONPATH"] = str(Path(parallel.__file__).parent.parent)
    with open(tmp_path / "out.txt", "w") as out:
        subprocess.run([sys.executable, "-c", _PRINTS], stdout=out, env=environment, check=True)
    assert (tmp_path / "out.txt").read_text() == "HEADER\nworker 1\nEND\n"


@pytest.mark.parametrize("profile", ["caffeine", "waypoints", "demo-apps"])
def test_a_plan_rendered_in_slices_is_the_plan_rendered_in_one(profile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _, plan, _ = check_profile(PROFILES / f"{profile}.yaml")
    assert plan is not None
    whole = batch.render_all(plan)
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    sliced = batch.render_all(plan)
    assert [(f.path, f.text) for f in sliced.files] == [(f.path, f.text) for f in whole.files]
    assert sliced.keys == whole.keys and sliced.problems == whole.problems == []


def test_gen_validate_in_slices_finds_each_problem_once_in_file_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = tmp_path / "caffeine"
    shutil.copytree(GOLDEN / "caffeine", tree)
    broken = sorted(tree.rglob("service-*.yaml"))
    assert broken
    for path in broken:
        path.write_text(path.read_text().replace("port: 8000", "port: eighty", 1))
    files = trace.manifest_files([tree])
    whole = trace.files_problems(files, shared_validator())
    monkeypatch.setattr(trace, "PARALLEL_FROM", 2)
    sliced = trace.files_problems(files, shared_validator())
    assert sliced == whole
    assert sorted({problem.location.file for problem in sliced if problem.location}) == sorted(map(str, broken))


@pytest.mark.parametrize("flat", [False, True], ids=["folders", "outputs-reversed"])
@pytest.mark.parametrize("profile", ["caffeine", "waypoints", "platform-kit"])
def test_outputs_rendered_aside_in_a_worker_give_the_plan_rendered_in_one(
        profile: str, flat: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """The documents of the whole estate (README, verify scripts) render in a forked worker while
    this process renders the rest: the same files, keys and problems, in plan order. Here every
    output rendered on its own goes aside, so that both parts hold outputs from all over the plan,
    and every output has a finding, so that their order shows; `flat`: a plan of outputs only, in
    no path order (each stays where the plan has it)."""
    from generator.plan import Plan

    _, plan, _ = check_profile(PROFILES / f"{profile}.yaml")
    assert plan is not None
    if flat:
        plan = Plan(plan.profile, tuple(reversed(plan.outputs)), plan.sources)
    monkeypatch.setattr(batch, "output_problems",
                        lambda output, rendered, validator: [Problem(f"finding on {output.path}", "test")])
    whole = batch.render_all(plan)
    cut: list[list[list[int]]] = []
    real = batch.in_parts

    def recording(work: Any, parts: Any) -> Any:
        cut.append([list(part) for part in parts])
        return real(work, parts)

    monkeypatch.setattr(batch, "in_parts", recording)
    monkeypatch.setattr(batch, "can_fork", lambda: True)
    monkeypatch.setattr(parallel, "can_fork", lambda: True)
    monkeypatch.setattr(batch, "WHOLE_ESTATE", batch.RENDER)
    monkeypatch.setattr(batch, "ASIDE_FROM", 0)
    if flat:  # no folder stays: every other output goes aside
        monkeypatch.setattr(batch, "_aside", lambda weights, folders=(): [range(0, len(weights), 2),
                                                                           range(1, len(weights), 2)])
    aside = batch.render_all(plan)
    assert len(cut) == 1 and len(cut[0]) == 2 and all(cut[0])
    assert sorted(cut[0][0] + cut[0][1]) == list(range(len(plan.segments())))
    assert min(cut[0][1]) < max(cut[0][0])  # interleaved, not two ranges
    assert [(f.path, f.text) for f in aside.files] == [(f.path, f.text) for f in whole.files]
    # (cut every other output, each part meets each shape first on its own: fewer are derived)
    assert aside.keys == whole.keys and (flat or aside.derived == whole.derived)
    assert aside.problems == whole.problems and len(whole.problems) > len(cut[0][1])


@pytest.mark.parametrize("fork", [True, False], ids=["forked", "no-fork"])
def test_a_plan_renders_the_same_where_its_placements_are_let_go(
        fork: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """pipeline.render_profile lets go of the meshes once no document of the whole estate is left
    to render in this process: the namespace folders' outputs are made as the render reaches them,
    without the estate's meshes. The files are the same; where the documents could not go to a
    worker after all, this process renders them last, reading the meshes again."""
    from generator import mesh
    from generator.graph.deferred import Deferred

    _, plan, _ = check_profile(PROFILES / "waypoints.yaml")
    assert plan is not None
    whole = batch.render_all(plan)
    segments = plan.segments()
    documents = [index for index, segment in enumerate(segments)
                 if isinstance(segment, Output) and isinstance(segment.context, Deferred)]
    assert documents and plan.blocks
    rest = [index for index in range(len(segments)) if index not in documents]
    monkeypatch.setattr(batch, "_aside", lambda weights, folders=(): [rest, documents])
    monkeypatch.setattr(parallel, "can_fork", lambda: fork)
    let_go: list[int] = []
    kept: list[int] = []

    def forgetting() -> None:
        let_go.append(1)
        forget_placed()

    real = batch._render_part

    def rendering(*args: Any) -> Any:
        found = real(*args)
        kept.append(len(mesh._last))
        return found

    monkeypatch.setattr(batch, "_render_part", rendering)
    rendered = batch.render_all(plan, let_go=forgetting)
    assert [(f.path, f.text) for f in rendered.files] == [(f.path, f.text) for f in whole.files]
    assert rendered.keys == whole.keys and rendered.problems == whole.problems
    assert let_go == [1]
    assert kept[0] == 0  # the folders were made without asking for the estate's meshes again


def test_a_plan_rendered_in_one_part_keeps_what_its_documents_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where this process renders the README itself, the meshes and placements are not let go first."""
    _, plan, _ = check_profile(PROFILES / "waypoints.yaml")
    assert plan is not None
    whole = batch.render_all(plan)
    let_go: list[int] = []
    rendered = batch.render_all(plan, let_go=lambda: let_go.append(1))
    assert let_go == [] and [(f.path, f.text) for f in rendered.files] == [(f.path, f.text) for f in whole.files]


def test_an_estate_s_documents_are_rendered_aside_only_where_they_cost_enough(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "can_fork", lambda: True)
    weights = [batch.RENDER] * 50 + [batch.WHOLE_ESTATE] * 3
    assert batch._aside(weights) == [range(53)]  # 300 renders' worth: not worth a worker
    heavy = [batch.RENDER] * 50 + [batch.ASIDE_FROM // 2] * 2 + [batch.RENDER]
    assert [list(part) for part in batch._aside(heavy)] == [[*range(50), 52], [50, 51]]
    monkeypatch.setattr(batch, "can_fork", lambda: False)  # one core, or another thread
    assert batch._aside(heavy) == [range(53)]


def test_no_worker_is_forked_while_another_thread_runs() -> None:
    """A fork copies only the thread that calls it: a lock another thread (a progress bar's) holds
    would stay held in the worker. So with a second thread alive, this process does every part."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not parallel.can_fork()
        heavy = [batch.RENDER] * 50 + [batch.ASIDE_FROM // 2] * 2 + [batch.RENDER]
        assert batch._aside(heavy) == [range(53)]
        assert parallel.in_parts(lambda part: os.getpid(), [range(1), range(1, 2)]) == [os.getpid()] * 2
        assert parallel.slices_of(1000, 10) == [range(1000)]
    finally:
        release.set()
        other.join()
    assert parallel.can_fork() == ((os.cpu_count() or 1) >= 2)
