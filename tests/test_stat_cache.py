"""The no-change path's record of file statuses (generator/stat_cache.py): a file whose status is the
one recorded is not read again, and no edit, however it hides, passes for unchanged."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from generator import stat_cache, unchanged, unchanged_probe
from helpers import rendered_estate


@pytest.fixture
def estate(tmp_path: Path) -> tuple[Path, Path]:
    return rendered_estate(tmp_path)


@pytest.fixture(params=["alone", "with a probe"])
def how(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways the no-change path checks a tree: in this process alone, or with a forked probe."""
    if request.param == "with a probe":
        monkeypatch.setattr(unchanged, "FORK_FROM", 2)
    return str(request.param)


def _read_counts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many files each check (this process's and a probe's) hashed rather than trusted."""
    counts: list[int] = []
    real_check, real_hashed = unchanged.check, unchanged_probe.Probe.hashed

    def check(*args: object) -> object:
        found = real_check(*args)  # type: ignore[arg-type]
        counts.append(-1 if found is None else sum(h != unchanged.TRUSTED for h in found.hashes))
        return found

    def hashed(self: unchanged_probe.Probe) -> object:
        found = real_hashed(self)
        counts.append(-1 if found is None else sum(h != unchanged.TRUSTED for h in found.hashes))
        return found

    monkeypatch.setattr(unchanged, "check", check)
    monkeypatch.setattr(unchanged_probe.Probe, "hashed", hashed)
    return counts


def _files(out: Path) -> tuple[Path, list[str]]:
    ledger = next(out.glob("*/.gen/manifest.json"))
    return ledger.parents[1], sorted(json.loads(ledger.read_text())["files"])


def test_a_second_no_change_run_reads_no_file(estate: tuple[Path, Path], how: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    profile, out = estate
    monkeypatch.setattr(stat_cache, "RACY_NS", 0)  # the files were written a moment ago
    counts = _read_counts(monkeypatch)
    _, names = _files(out)
    assert unchanged.unchanged_tree(profile, out) is not None
    assert sum(counts) == len(names)  # read and hashed, every one, then recorded
    counts.clear()
    assert unchanged.unchanged_tree(profile, out) is not None
    assert counts and sum(counts) == 0


@pytest.mark.parametrize("edit", ["same size, same modification time", "replaced by a copy"])
def test_no_edit_hides_behind_a_recorded_status(estate: tuple[Path, Path], how: str, edit: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # A write sets the change time, which nothing sets back: an edit of the same length whose
    # modification time is put back, or a file replaced by another of the same bytes but one, is
    # read again and found.
    profile, out = estate
    monkeypatch.setattr(stat_cache, "RACY_NS", 0)
    assert unchanged.unchanged_tree(profile, out) is not None  # recorded
    root, names = _files(out)
    for name in (names[0], names[-1]):
        target = root / name
        before = target.stat()
        data = target.read_bytes()
        changed = data[:-2] + (b"x\n" if data[-2:] != b"x\n" else b"y\n")
        if edit == "replaced by a copy":
            spare = root / (name + ".new")
            spare.write_bytes(changed)
            os.replace(spare, target)
        else:
            target.write_bytes(changed)
        os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert target.stat().st_size == before.st_size
        assert unchanged.unchanged_tree(profile, out) is None
        target.write_bytes(data)


def test_a_file_changed_just_before_the_run_is_not_recorded(estate: tuple[Path, Path], how: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # Within RACY_NS of the run's start a file's status cannot be told from a write during the
    # run: such files are read again next time.
    profile, out = estate
    counts = _read_counts(monkeypatch)
    _, names = _files(out)
    assert unchanged.unchanged_tree(profile, out) is not None
    assert unchanged.unchanged_tree(profile, out) is not None
    assert sum(counts) == 2 * len(names)


def _status_records(folder: Path) -> list[Path]:
    """The records of statuses in the cache's folder (beside each, what it keeps of the ledger)."""
    return sorted(path for path in folder.glob("*") if not path.name.endswith(".ledger"))


@pytest.mark.parametrize("record", ["garbage", "truncated", "another tree's"])
def test_a_record_gen_did_not_write_for_this_tree_is_ignored(estate: tuple[Path, Path], how: str, record: str,
                                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profile, out = estate
    monkeypatch.setattr(stat_cache, "RACY_NS", 0)
    assert unchanged.unchanged_tree(profile, out) is not None
    folder = Path(os.environ["GEN_CACHE_DIR"]) / "trees"
    (path,) = _status_records(folder)
    if record == "garbage":
        path.write_bytes(b"\x00" * 64)
    elif record == "truncated":
        path.write_bytes(path.read_bytes()[:-8])
    else:  # the same names and ledger in another folder: other inodes
        twin = tmp_path / "twin"
        shutil.copytree(out, twin)
        (other,) = [file for file in _status_records(folder) if file != path] or [None]
        assert other is None
        unchanged.unchanged_tree(profile, twin)
        (other,) = [file for file in _status_records(folder) if file != path]
        shutil.copy(other, path)
    counts = _read_counts(monkeypatch)
    root, names = _files(out)
    edited = root / names[-1]
    edited.write_bytes(edited.read_bytes() + b"# edited\n")
    assert unchanged.unchanged_tree(profile, out) is None
    edited.write_bytes(edited.read_bytes()[: -len(b"# edited\n")])
    counts.clear()
    assert unchanged.unchanged_tree(profile, out) is not None
    assert sum(counts) == len(names)  # all read again: the record was no use


@pytest.mark.parametrize("folder", ["empty", "a file"])
def test_no_record_is_kept_or_needed_where_none_can_be(estate: tuple[Path, Path], folder: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    # GEN_CACHE_DIR set empty keeps no record; one that cannot be made is no error: every run reads.
    profile, out = estate
    monkeypatch.setattr(stat_cache, "RACY_NS", 0)
    if folder == "empty":
        monkeypatch.setenv("GEN_CACHE_DIR", "")
    else:
        (tmp_path / "blocked").write_text("a file, not a folder\n")
        monkeypatch.setenv("GEN_CACHE_DIR", str(tmp_path / "blocked"))
    counts = _read_counts(monkeypatch)
    _, names = _files(out)
    for _ in range(2):
        assert unchanged.unchanged_tree(profile, out) is not None
    assert sum(counts) == 2 * len(names)
    assert not any(tmp_path.glob("**/trees"))


def test_a_file_rewritten_with_its_own_bytes_is_read_once_then_trusted_again(
    estate: tuple[Path, Path], how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One file in each half rewritten as it was: those two are read (and match), the rest trusted;
    # the record then holds their new statuses, the others' kept, so the run after reads none.
    profile, out = estate
    monkeypatch.setattr(stat_cache, "RACY_NS", 0)
    assert unchanged.unchanged_tree(profile, out) is not None
    root, names = _files(out)
    for name in (names[0], names[-1]):
        (root / name).write_bytes((root / name).read_bytes())
    counts = _read_counts(monkeypatch)
    assert unchanged.unchanged_tree(profile, out) is not None
    assert sum(counts) == 2
    counts.clear()
    assert unchanged.unchanged_tree(profile, out) is not None
    assert counts and sum(counts) == 0


def test_nothing_is_recorded_when_every_file_changed_just_before_the_run(estate: tuple[Path, Path], how: str) -> None:
    # A tree written a moment ago (a render, then its check) has no status to keep: no record is
    # written at all, rather than one that spares nothing.
    profile, out = estate
    assert unchanged.unchanged_tree(profile, out) is not None
    assert not _status_records(Path(os.environ["GEN_CACHE_DIR"]) / "trees")
    # nor what it would keep of the ledger: with no status to trust, every file is hashed, and the
    # hashes parsed from the ledger
    assert not any((Path(os.environ["GEN_CACHE_DIR"]) / "trees").glob("*.ledger"))


def test_device_and_inode_numbers_past_two_to_the_63_are_recorded_one_for_one(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # overlayfs and some NFS servers give inode numbers of 2**63 and more; a record holds signed
    # 64-bit numbers: such numbers are wrapped below zero (distinct numbers stay distinct), and a
    # time no record can hold is not recorded at all.
    def result(dev: int, ino: int, ns: int) -> os.stat_result:
        return os.stat_result((0o100644, ino, dev, 1, 0, 0, 10, 0, 0, 0, 0.0, 0.0, 0.0, ns, ns, ns))

    statuses = [stat_cache.status_of(result(dev, ino, 10**18)) for dev, ino in
                ((2**64 - 1, 2**63), (2**63, 2**64 - 1), (5, 2**63 - 1), (5, 2**63))]
    assert len(set(statuses)) == 4
    assert all(-(2**63) <= number < 2**63 for status in statuses for number in status)
    assert stat_cache.recordable(stat_cache.status_of(result(1, 2, 2**64)), 2**65) == stat_cache.UNKNOWN
    monkeypatch.setenv("GEN_CACHE_DIR", str(tmp_path / "cache"))
    flat = [number for status in statuses for number in status]
    stat_cache.save(str(tmp_path), b"l" * 32, b"n" * 32, flat)
    found = stat_cache.load(str(tmp_path), b"l" * 32, b"n" * 32, len(statuses))
    assert found is not None and found.tolist() == flat


def test_a_tree_behind_a_link_is_walked_by_no_probe(estate: tuple[Path, Path], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # out/<profile> that is a link proves nothing (the full path refuses it): no child is forked to
    # walk, or read, where it leads.
    profile, out = estate
    monkeypatch.setattr(unchanged, "FORK_FROM", 2)
    root, _ = _files(out)
    elsewhere = tmp_path / "elsewhere"
    root.rename(elsewhere)
    root.symlink_to(elsewhere, target_is_directory=True)
    started: list[str] = []
    monkeypatch.setattr(unchanged.Probe, "start", staticmethod(lambda root, *args: started.append(root)))
    assert unchanged.unchanged_tree(profile, out) is None
    assert started == []


def test_with_sigchld_ignored_the_probe_is_stopped_through_its_pidfd(estate: tuple[Path, Path],
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # Whoever runs gen may ignore SIGCHLD: its children are then reaped as they leave, and a pid may
    # soon name another process. The probe is signalled through a pidfd, never by pid, and the
    # answer is right either way.
    import signal

    profile, out = estate
    monkeypatch.setattr(unchanged, "FORK_FROM", 2)
    killed: list[int] = []
    monkeypatch.setattr(unchanged_probe.os, "kill", lambda pid, sig: killed.append(pid))
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert unchanged.unchanged_tree(profile, out) is not None
        root, names = _files(out)
        (root / names[0]).write_bytes((root / names[0]).read_bytes() + b"# edited\n")
        assert unchanged.unchanged_tree(profile, out) is None  # stopped early: the first half differs
    finally:
        signal.signal(signal.SIGCHLD, before)
    assert killed == []


@pytest.mark.parametrize("planted", ["a FIFO", "a link to the ledger"])
def test_a_record_that_is_no_regular_file_is_neither_waited_for_nor_followed(
    estate: tuple[Path, Path], planted: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile, out = estate
    monkeypatch.setattr(stat_cache, "RACY_NS", 0)
    assert unchanged.unchanged_tree(profile, out) is not None
    (path,) = _status_records(Path(os.environ["GEN_CACHE_DIR"]) / "trees")
    path.unlink()
    if planted == "a FIFO":
        os.mkfifo(path)
    else:
        path.symlink_to(next(out.glob("*/.gen/manifest.json")))
    counts = _read_counts(monkeypatch)
    _, names = _files(out)
    assert unchanged.unchanged_tree(profile, out) is not None
    assert sum(counts) == len(names)  # nothing trusted
    assert path.is_file() and not path.is_symlink()  # the new record replaced what stood there
    assert unchanged.unchanged_tree(profile, out) is not None  # the ledger was not written through


# ---- what the record keeps of the ledger ---------------------------------------------------------

def _parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per ledger parsed from its bytes."""
    from generator.output import ledger

    parsed: list[int] = []
    real = ledger._parse

    def counting(data: bytes) -> ledger.Ledger:
        parsed.append(len(data))
        return real(data)

    monkeypatch.setattr(ledger, "_parse", counting)
    return parsed


def test_a_no_change_run_after_the_first_parses_no_ledger_and_sees_the_same(
        estate: tuple[Path, Path], how: str, monkeypatch: pytest.MonkeyPatch) -> None:
    profile, out = estate
    monkeypatch.setattr(stat_cache, "RACY_NS", 0)
    parsed = _parses(monkeypatch)
    first = unchanged.unchanged_tree(profile, out)
    assert first is not None and parsed  # parsed, then kept
    parsed.clear()
    second = unchanged.unchanged_tree(profile, out)
    assert second is not None and parsed == []
    assert (second.root, second.ledger.profile, second.ledger.source, second.ledger.inputs) == (
        first.root, first.ledger.profile, first.ledger.source, first.ledger.inputs)
    assert list(second.ledger.files) == sorted(first.ledger.files) and second.warnings == first.warnings
    assert parsed == []
    assert dict(second.ledger.files) == dict(first.ledger.files) and dict(second.ledger.keys) == dict(first.ledger.keys)
    assert len(parsed) == 1, "its maps are parsed once, when a value is asked for"


def _kept(estate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """(profile, output folder, what the record keeps of the ledger) after a no-change run that
    recorded the tree."""
    profile, out = estate
    monkeypatch.setattr(stat_cache, "RACY_NS", 0)
    assert unchanged.unchanged_tree(profile, out) is not None
    (path,) = (Path(os.environ["GEN_CACHE_DIR"]) / "trees").glob("*.ledger")
    return profile, out, path


@pytest.mark.parametrize("kept", ["garbage", "truncated", "another ledger's", "a FIFO", "a link to the ledger"])
def test_what_is_kept_of_another_ledger_or_no_record_is_not_used_nor_followed(
        estate: tuple[Path, Path], how: str, kept: str, monkeypatch: pytest.MonkeyPatch) -> None:
    profile, out, path = _kept(estate, monkeypatch)
    data = path.read_bytes()
    path.unlink()
    if kept == "garbage":
        path.write_bytes(b"\x00" * 200)
    elif kept == "truncated":
        path.write_bytes(data[:60])
    elif kept == "another ledger's":
        magic = data.index(b"\0") + 1
        path.write_bytes(data[:magic] + bytes(32) + data[magic + 32:])
    elif kept == "a FIFO":
        os.mkfifo(path)
    else:
        path.symlink_to(next(out.glob("*/.gen/manifest.json")))
    parsed = _parses(monkeypatch)
    found = unchanged.unchanged_tree(profile, out)
    assert found is not None and parsed, "the ledger was parsed instead"
    assert path.is_file() and not path.is_symlink() and path.read_bytes() == data  # kept again, not written through


@pytest.mark.parametrize("forged", ["a file fewer", "a file more"])
def test_names_kept_for_a_ledger_that_are_not_the_tree_never_pass_it(
        estate: tuple[Path, Path], how: str, forged: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # The record is trusted as gen wrote it; were it written by another hand, naming other files
    # than the tree holds, the walk finds the tree is not them: the full path decides.
    profile, out, _ = _kept(estate, monkeypatch)
    root, names = _files(out)
    kept = stat_cache.recall(str(root), _ledger_digest(root))
    assert kept is not None and kept[1] == names
    other = names[1:] if forged == "a file fewer" else sorted([*names, "clusters/extra.yaml"])
    stat_cache.remember(str(root), _ledger_digest(root), kept[0], other)
    assert unchanged.unchanged_tree(profile, out) is None


def _ledger_digest(root: Path) -> bytes:
    import hashlib

    return hashlib.sha256((root / ".gen/manifest.json").read_bytes()).digest()


def test_statuses_asked_for_before_the_walk_lead_through_no_link(estate: tuple[Path, Path],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # This process asks for its share's statuses while the child walks: a folder swapped for a link
    # (to the very files gen recorded, moved out of the tree) is not followed, and the walk refuses it.
    profile, out = estate
    monkeypatch.setattr(stat_cache, "RACY_NS", 0)
    monkeypatch.setattr(unchanged, "FORK_FROM", 2)
    assert unchanged.unchanged_tree(profile, out) is not None  # recorded
    root, names = _files(out)
    expected = []
    for name in names:
        result = os.lstat(root / name)
        expected.append((result.st_dev, result.st_ino, result.st_size, result.st_mtime_ns, result.st_ctime_ns))
    assert unchanged_probe.statuses_of(str(root), names) == expected
    folder = root / names[-1].rsplit("/", 1)[0]
    moved = out.parent / "moved-out"
    shutil.move(str(folder), moved)
    folder.symlink_to(moved, target_is_directory=True)
    inside = [name for name in names if (root / name).parent == folder]
    assert inside and all((root / name).exists() for name in inside)  # through the link, they are there
    found = unchanged_probe.statuses_of(str(root), names)
    assert [status for name, status in zip(names, found) if name in inside] == [None] * len(inside)
    assert [status for name, status in zip(names, found) if name not in inside] == [
        status for name, status in zip(names, expected) if name not in inside]
    assert unchanged.unchanged_tree(profile, out) is None


def test_a_fingerprint_kept_that_the_ledger_does_not_hold_is_not_trusted(estate: tuple[Path, Path], how: str,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # The fingerprint decides whether the inputs changed: a record naming another one than the
    # ledger's bytes (written by another hand) is not used, and an edited profile is found.
    profile, out = estate
    monkeypatch.setattr(stat_cache, "RACY_NS", 0)
    assert unchanged.unchanged_tree(profile, out) is not None
    root, _ = _files(out)
    fields, names = stat_cache.recall(str(root), _ledger_digest(root)) or ({}, [])
    profile.write_text(profile.read_text() + "\n# edited\n")
    from generator.output.fingerprint import inputs_fingerprint

    edited = inputs_fingerprint(profile, tuple(fields["inputs"]["files"]), None)
    assert edited is not None and edited != fields["inputs"]["fingerprint"]
    stat_cache.remember(str(root), _ledger_digest(root), {**fields, "inputs": {**fields["inputs"], "fingerprint": edited}},
                        names)
    parsed = _parses(monkeypatch)
    assert unchanged.unchanged_tree(profile, out) is None and parsed


def test_a_render_after_a_recorded_no_change_run_reads_and_parses_the_ledger_once(
        estate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.output import ledger
    from generator.run import mode_of
    from generator.tree import render_tree

    profile, out = estate
    monkeypatch.setattr(stat_cache, "RACY_NS", 0)
    assert unchanged.unchanged_tree(profile, out) is not None  # kept: the next run parses no ledger
    profile.write_text(profile.read_text() + "\n# edited\n")  # the inputs changed: the full path renders
    parsed = _parses(monkeypatch)
    reads: list[str] = []
    real = ledger.read_regular_status

    def reading(path: Path, *args: object, **kwargs: object) -> object:
        reads.append(str(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ledger, "read_regular_status", reading)
    outcome = render_tree(profile, out, mode_of(False, False))
    assert "0 written" in outcome.summary, outcome.summary
    assert len(parsed) == 1 and len(reads) == 1, (parsed, reads)


def test_a_fifo_where_a_record_is_written_first_is_not_opened(estate: tuple[Path, Path]) -> None:
    import signal

    profile, out = estate
    root, names = _files(out)
    record = stat_cache._file(str(root))
    assert record is not None
    os.makedirs(os.path.dirname(record), exist_ok=True)
    os.mkfifo(f"{record}.ledger.{os.getpid()}")
    signal.signal(signal.SIGALRM, signal.default_int_handler)
    signal.alarm(5)
    try:
        stat_cache.remember(str(root), b"l" * 32, {"profile": "p"}, names)
    finally:
        signal.alarm(0)
    assert stat_cache.recall(str(root), b"l" * 32) == ({"profile": "p"}, names)


def test_statuses_asked_for_before_the_walk_never_leave_the_tree_by_name(tmp_path: Path) -> None:
    # A name the ledger could not hold (a forged record's: `..`, `.`, an empty part) opens no folder.
    base = tmp_path / "tree"
    (base / "a").mkdir(parents=True)
    (base / "a" / "ok.yaml").write_text("x\n")
    (tmp_path / "outside.yaml").write_text("secret\n")
    names = ["../outside.yaml", "a/../../outside.yaml", "a//ok.yaml", "a/./ok.yaml", "a/ok.yaml"]
    found = unchanged_probe.statuses_of(str(base), names)
    result = os.lstat(base / "a" / "ok.yaml")
    assert found == [None, None, None, None,
                     (result.st_dev, result.st_ino, result.st_size, result.st_mtime_ns, result.st_ctime_ns)]
