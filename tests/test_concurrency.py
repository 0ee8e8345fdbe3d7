"""Two renders of one tree: the second waits for the first (a lock beside the tree), and no render
removes a staging folder that another is still building. The races are forced, not timed: a render
is paused half-way through its write while the other runs."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import GOLDEN, PROFILES
from generator.output import write
from generator.tree import Mode, Status, render_tree
from helpers import render_into, tree, variant

X_PROFILE = ("profile: caffeine", "profile: caffeine-x")
ACME = ("organization: tetrate", "organization: acme")


def test_a_render_of_another_profile_leaves_a_staging_folder_in_progress_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`caffeine-x` is half-written when `caffeine` renders beside it: `caffeine`'s staging folders
    share a prefix with `caffeine-x`'s, and must not be taken for its own leftovers."""
    out = tmp_path / "out"
    first, _ = variant(tmp_path, X_PROFILE, name="x.yaml")
    render_into(first, out)
    changed, _ = variant(tmp_path, X_PROFILE, ACME, name="x.yaml")
    real = write._write_files
    beside: list[Status] = []

    def with_another_render(base: str, *files: object) -> None:
        if base.startswith(str(out / ".gen-staging-caffeine-x")) and not beside:
            # caffeine-x's staging folder holds the files it carries over: caffeine renders now
            beside.append(render_tree(PROFILES / "caffeine.yaml", out).status)
        real(base, *files)

    monkeypatch.setattr(write, "_write_files", with_another_render)
    outcome = render_tree(changed, out)
    assert outcome.status is Status.OK and beside == [Status.OK], outcome.problems
    monkeypatch.setattr(write, "_write_files", real)
    assert tree(out / "caffeine-x") == tree(render_into(changed, tmp_path / "fresh"))
    assert sorted(path.name for path in out.iterdir()) == ["caffeine", "caffeine-x"]


PAUSED_RENDER = """
import sys
from generator import cli
from generator.output import write
real = write._write_files
def paused(base, *files):
    print("paused", flush=True)
    sys.stdin.readline()
    real(base, *files)
write._write_files = paused
sys.argv[0] = "gen"
cli.entry()
"""


def _first_line(stream: object, timeout: float = 120) -> str:
    """The next line of a child's pipe, or "" at its end; fails the test rather than hang."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stream.readline()), daemon=True)  # type: ignore[attr-defined]
    reader.start()
    reader.join(timeout)
    assert lines, "the child said nothing in time"
    return lines[0]


def test_the_same_profile_rendered_twice_at_once_writes_one_tree_after_the_other(tmp_path: Path) -> None:
    out = tmp_path / "out"
    original, _ = variant(tmp_path, name="caffeine.yaml")
    render_into(original, out)
    changed, _ = variant(tmp_path, ACME, name="caffeine.yaml")
    command = ["render", str(changed), "--out", str(out)]
    first = subprocess.Popen([sys.executable, "-c", PAUSED_RENDER, *command], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = None
    try:
        assert _first_line(first.stdout) == "paused\n"  # the first holds the tree, half-written
        second = subprocess.Popen([sys.executable, "-m", "generator", *command], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        waiting = _first_line(second.stderr)
        assert f"gen: waiting for pid {first.pid} on " in waiting and f"which is writing {out / 'caffeine'}" in waiting
        assert second.poll() is None, "the second render waits for the first"
        first_out, first_err = first.communicate("go\n", timeout=120)
        second_out, second_err = second.communicate(timeout=120)
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    assert first.returncode == 0, first_err
    files = len([path for path in (GOLDEN / "caffeine").rglob("*") if path.is_file() and ".gen" not in path.parts])
    assert f"{files} written" in first_out or "written" in first_out
    assert second.returncode == 0, second_err
    assert f"(0 written, {files} unchanged, 0 removed)" in second_out, second_out
    assert tree(out / "caffeine") == tree(render_into(changed, tmp_path / "fresh"))
    assert sorted(path.name for path in out.iterdir()) == ["caffeine"], "no lock file or staging folder is left"


def _hold_lock(out: Path, name: str) -> int:
    """Take the tree's lock as another gen would: an exclusive flock on out/.gen-lock-<name>."""
    out.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out / f".gen-lock-{name}", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    os.write(descriptor, b"pid 4242 on elsewhere, since 2025-01-01 00:00:00\n")
    return descriptor


def test_a_render_gives_up_when_another_keeps_the_tree_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("generator.output.lock.WAIT_SECONDS", 0.0)
    out = tmp_path / "out"
    root = render_into(PROFILES / "caffeine.yaml", out)
    before = tree(root)
    changed, _ = variant(tmp_path, ACME, name="caffeine.yaml")
    descriptor = _hold_lock(out, "caffeine")
    told: list[str] = []
    try:
        outcome = render_tree(changed, out, waiting=told.append)
    finally:
        os.close(descriptor)
    assert outcome.status is Status.INVALID
    [problem] = outcome.problems
    assert problem.location is not None and problem.location.file == str(root)
    assert "another gen (pid 4242 on elsewhere, since 2025-01-01 00:00:00) has been writing this tree" in problem.message
    assert told == [f"gen: waiting for pid 4242 on elsewhere, since 2025-01-01 00:00:00, which is writing {root}"]
    assert tree(root) == before


def test_gen_plan_takes_the_lock_of_the_tree_it_writes_into(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.migration.tree import plan_tree

    monkeypatch.setattr("generator.output.lock.WAIT_SECONDS", 0.0)
    out = tmp_path / "out"
    descriptor = _hold_lock(out, "brownfield")
    try:
        outcome = plan_tree(PROFILES / "brownfield.yaml", out)
    finally:
        os.close(descriptor)
    assert outcome.status is Status.INVALID
    assert "has been writing this tree" in outcome.problems[-1].message
    assert not (out / "brownfield").exists()


def _start_ticks(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[19]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to tell a process's start")
def test_only_staging_folders_whose_builder_is_gone_are_removed(tmp_path: Path) -> None:
    from generator.output.lock import this_owner

    out = tmp_path / "out"
    root = render_into(PROFILES / "caffeine.yaml", out)
    me = this_owner()
    boot = me.start.partition("-")[0]
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    parent = os.getppid()
    names = {
        "gone": f".gen-staging-caffeine.{gone.stdout.strip()}.{boot}-1.{me.host}.abcd1234",
        "rebooted": f".gen-staging-caffeine.{parent}.0000beef-{_start_ticks(parent)}.{me.host}.abcd1234",
        "running": f".gen-staging-caffeine.{parent}.{boot}-{_start_ticks(parent)}.{me.host}.abcd1234",
        "elsewhere": f".gen-staging-caffeine.1.{boot}-1.another-host.abcd1234",
        "older gen": ".gen-staging-caffeine-abcd1234",
        "another tree": ".gen-staging-caffeine-x.1.0-1.host.abcd1234",
    }
    for name in names.values():
        (out / name / "clusters").mkdir(parents=True)
    changed, _ = variant(tmp_path, ACME, name="caffeine.yaml")
    outcome = render_tree(changed, out)
    assert outcome.status is Status.OK, outcome.problems
    left = {name for name in names.values() if (out / name).exists()}
    assert left == {names["running"], names["elsewhere"], names["older gen"], names["another tree"]}
    reported = {Path(p.location.file).name for p in outcome.problems if p.rule == "staging-folder" and p.location}
    assert reported == {names["running"], names["elsewhere"], names["older gen"]}
    assert tree(root) == tree(render_into(changed, tmp_path / "fresh"))


def test_a_whole_tree_left_in_a_staging_folder_is_never_taken_for_the_tree(tmp_path: Path) -> None:
    """A render killed between its last write and the swap leaves a staging folder that holds the
    new tree and its ledger: the no-change probe must not answer "up to date" from it."""
    out = tmp_path / "out"
    render_into(PROFILES / "caffeine.yaml", out)
    changed, _ = variant(tmp_path, ACME, name="caffeine.yaml")
    shutil.copytree(render_into(changed, tmp_path / "fresh"), out / ".gen-staging-caffeine.1.0-1.host.abcd1234")
    outcome = render_tree(changed, out, Mode.CHECK)
    assert outcome.status is Status.DRIFT and outcome.root == out / "caffeine", outcome.summary
