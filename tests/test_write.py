"""Writing out/: only what changed, atomically; pruning only what gen wrote before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import PROFILES
from generator.output import write
from generator.pipeline import render_profile
from generator.output.guard import WriteError
from generator.output.ledger import LEDGER, Inputs, Ledger
from generator.output.write import write_tree
from helpers import render_into, tree, variant


def test_ledger_lists_every_file_with_its_hash(tmp_path: Path) -> None:
    root = render_into(PROFILES / "caffeine.yaml", tmp_path)
    ledger = json.loads((root / LEDGER).read_text())
    files = {name for name in tree(root) if name != str(LEDGER)}
    assert set(ledger["files"]) == files
    assert ledger["profile"] == "caffeine"


def test_second_render_rewrites_nothing(tmp_path: Path) -> None:
    root = render_into(PROFILES / "caffeine.yaml", tmp_path)
    before = {path: path.stat().st_mtime_ns for path in root.rglob("*") if path.is_file()}
    render_into(PROFILES / "caffeine.yaml", tmp_path)  # inputs unchanged: nothing is even rendered
    assert {path: path.stat().st_mtime_ns for path in root.rglob("*") if path.is_file()} == before
    result = render_profile(PROFILES / "caffeine.yaml")  # the full path compares every file
    ledger = (root / LEDGER).read_bytes()
    report = write_tree(root, result.profile, list(result.files))
    assert report.written == () and report.removed == ()
    assert len(report.unchanged) == len(result.files)
    changed = {path for path in root.rglob("*") if path.is_file() and path.stat().st_mtime_ns != before[path]}
    assert changed <= {root / LEDGER}, "only the ledger may change (this call records no inputs)"
    assert json.loads((root / LEDGER).read_bytes())["files"] == json.loads(ledger)["files"]


def test_files_the_profile_no_longer_renders_are_removed(tmp_path: Path) -> None:
    root = render_into(PROFILES / "caffeine.yaml", tmp_path / "out")
    foreign = root / "clusters/app-blk-east-0/namespaces/caffeine/notes.md"
    foreign.write_text("kept: gen never wrote it\n")
    smaller, _ = variant(tmp_path, ("  apps: [caffeine]\n", ""))
    result = render_profile(smaller)
    report = write_tree(root, result.profile, list(result.files))
    assert "clusters/app-blk-east-0/namespaces/caffeine/deployment-netshoot.yaml" in report.removed
    assert not (root / "clusters/app-blk-east-0/namespaces/caffeine/deployment-netshoot.yaml").exists()
    assert foreign.read_text() == "kept: gen never wrote it\n"
    assert tree(root).keys() == {*(f.path for f in result.files), str(LEDGER), str(foreign.relative_to(root))}


def test_empty_folders_left_by_pruning_are_removed(tmp_path: Path) -> None:
    root = render_into(PROFILES / "caffeine.yaml", tmp_path / "out")
    no_namespace, _ = variant(tmp_path, ("namespaces:\n- name: caffeine\n  clusters: [app-blk-east-0]\n  dataplane: ambient\n  apps: [caffeine]\n", ""))
    result = render_profile(no_namespace)
    write_tree(root, result.profile, list(result.files))
    assert not (root / "clusters/app-blk-east-0/namespaces").exists()
    assert (root / "clusters/app-blk-east-0/control-plane/controlplane-values.yaml").is_file()


def test_a_ledger_pointing_outside_the_tree_is_refused(tmp_path: Path) -> None:
    root = render_into(PROFILES / "caffeine.yaml", tmp_path / "out")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (root / LEDGER).write_text(json.dumps({"files": {"../../victim.txt": "0"}}))
    result = render_profile(PROFILES / "caffeine.yaml")
    with pytest.raises(WriteError, match="outside the output folder"):
        write_tree(root, result.profile, list(result.files))
    assert victim.read_text() == "precious"


def test_written_files_are_world_readable(tmp_path: Path) -> None:
    root = render_into(PROFILES / "caffeine.yaml", tmp_path)
    modes = {path.stat().st_mode & 0o777 for path in root.rglob("*") if path.is_file()}
    assert modes == {0o644}


def test_a_failed_write_leaves_the_previous_tree_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = render_into(PROFILES / "caffeine.yaml", tmp_path / "out")
    before = tree(root)
    changed, _ = variant(tmp_path, ("organization: tetrate", "organization: acme"))
    result = render_profile(changed)
    calls = {"n": 0}
    real_write = write._write_file

    def failing_write(target: Path, data: bytes, *rest: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device", str(target))
        real_write(target, data, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(write, "_write_file", failing_write)
    with pytest.raises(WriteError, match="No space left on device"):
        write_tree(root, result.profile, list(result.files))
    assert tree(root) == before, "no file changed"
    assert sorted(path.name for path in root.parent.iterdir()) == ["caffeine"], "no staging folder was left"


def test_pruning_does_not_follow_a_symbolic_link_out_of_the_tree(tmp_path: Path) -> None:
    root = render_into(PROFILES / "caffeine.yaml", tmp_path / "out")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("precious")
    (root / "link").symlink_to(victim)
    ledger = json.loads((root / LEDGER).read_text())
    ledger["files"]["link/keep.txt"] = "0"
    (root / LEDGER).write_text(json.dumps(ledger))
    result = render_profile(PROFILES / "caffeine.yaml")
    with pytest.raises(WriteError, match="symbolic link"):
        write_tree(root, result.profile, list(result.files))
    assert (victim / "keep.txt").read_text() == "precious"


def test_a_file_gen_did_not_write_is_never_overwritten(tmp_path: Path) -> None:
    root = tmp_path / "out" / "caffeine"
    mine = root / "management-plane/tsb-mp/tsb/kustomization.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text("# hand-written\n")
    result = render_profile(PROFILES / "caffeine.yaml")
    with pytest.raises(WriteError, match="not written by gen") as raised:
        write_tree(root, result.profile, list(result.files))
    assert "management-plane/tsb-mp/tsb/kustomization.yaml" in str(raised.value)
    assert tree(root) == {"management-plane/tsb-mp/tsb/kustomization.yaml": b"# hand-written\n"}


def test_a_directory_in_the_way_stops_the_write_before_anything_changes(tmp_path: Path) -> None:
    root = render_into(PROFILES / "caffeine.yaml", tmp_path / "out")
    blocker = root / "management-plane/tsb-mp/tsb/workspace-caffeine-ws.yaml"
    blocker.unlink()
    blocker.mkdir()
    before = tree(root)
    changed, _ = variant(tmp_path, ("platform: aks", "platform: openshift"))
    result = render_profile(changed)
    with pytest.raises(WriteError, match="workspace-caffeine-ws.yaml"):
        write_tree(root, result.profile, list(result.files))
    assert tree(root) == before


def test_without_a_directory_swap_files_are_renamed_in_place_and_the_ledger_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = render_into(PROFILES / "caffeine.yaml", tmp_path / "out")
    changed, _ = variant(tmp_path, ("organization: tetrate", "organization: acme"), name="caffeine.yaml")
    result = render_profile(changed)
    monkeypatch.setattr(write, "_exchange", lambda first, second: False)
    real_replace = write.os.replace
    calls = {"n": 0}

    def failing_replace(source: str, target: str) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(5, "Input/output error", str(target))
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", failing_replace)
    with pytest.raises(WriteError, match="workspace.*cannot write: Input/output error") as raised:
        write_tree(root, result.profile, list(result.files))
    assert raised.value.partial, "the first rename happened: the report must not claim nothing was written"
    assert sorted(path.name for path in root.parent.iterdir()) == ["caffeine"]
    # The ledger is written last: it still describes the previous run, which the next run repairs.
    monkeypatch.setattr(write.os, "replace", real_replace)
    report = write_tree(root, result.profile, list(result.files))
    fresh = tree(render_into(changed, tmp_path / "fresh"))
    repaired = tree(root)
    assert {k: v for k, v in repaired.items() if k != str(LEDGER)} == {k: v for k, v in fresh.items() if k != str(LEDGER)}
    assert json.loads(repaired[str(LEDGER)])["files"] == json.loads(fresh[str(LEDGER)])["files"]
    assert len(report.written) == 2  # the third was renamed into place before the failure


def test_a_symbolic_link_gen_did_not_write_is_carried_over_as_a_link(tmp_path: Path) -> None:
    """A render that rebuilds the tree keeps a user's symbolic link a link, to the same place."""
    out = tmp_path / "out"
    root = render_into(PROFILES / "caffeine.yaml", out)
    outside = tmp_path / "README.team"
    outside.write_text("ours")
    (root / "README.team").symlink_to(outside)
    edited = root / "management-plane/tsb-mp/tsb/kustomization.yaml"
    ledger = json.loads((root / LEDGER).read_text())
    edited.unlink()  # gen's file is gone: the render writes it again, so the tree is rebuilt
    render_into(PROFILES / "caffeine.yaml", out)
    assert edited.is_file()
    link = root / "README.team"
    assert link.is_symlink() and link.readlink() == outside and outside.read_text() == "ours"
    assert json.loads((root / LEDGER).read_text())["files"] == ledger["files"]


_texts = st.text(max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    files=st.dictionaries(_texts, _texts, max_size=6),
    keys=st.dictionaries(_texts, _texts, max_size=6),
    source=st.one_of(st.none(), _texts),
    inputs=st.one_of(st.none(), st.builds(
        Inputs, _texts, st.lists(_texts, max_size=3).map(tuple),
        st.lists(st.dictionaries(_texts, st.one_of(_texts, st.integers(), st.none(), st.lists(_texts, max_size=2)),
                                 max_size=3), max_size=2).map(tuple),
    )),
)
def test_the_ledger_text_is_json_dumps_indented_and_sorted(files, keys, source, inputs) -> None:  # type: ignore[no-untyped-def]
    """The ledger is written by hand for speed; it must be the bytes `json.dumps` would give."""
    ledger = Ledger("p", source, files, inputs, keys)
    assert ledger.text() == json.dumps(ledger.body(), indent=2, sort_keys=True) + "\n"


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o177, 0o000])
def test_every_written_file_is_0644_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    # Each file's mode is checked as it is written, and made 0644 where the umask took bits away.
    import os
    import stat

    before = os.umask(umask)
    try:
        root = render_into(PROFILES / "caffeine.yaml", tmp_path / "out")
    finally:
        os.umask(before)
    modes = {stat.S_IMODE(path.stat().st_mode) for path in root.rglob("*") if path.is_file()}
    assert modes == {0o644}


def test_a_file_created_with_another_mode_than_asked_is_made_0644(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A folder's default ACL overrides the umask (u::rwx,g::---,o::--- creates files 0600 whatever
    # the umask): so no umask reading can spare the per-file check. Here every file is created as
    # such an ACL would create it.
    import os
    import stat

    real_open = os.open

    def as_an_acl_would(path: object, flags: int, mode: int = 0o777, *args: object, **kwargs: object) -> int:
        return real_open(path, flags, 0o600 if flags & os.O_CREAT else mode, *args, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as patched:
        patched.setattr(write.os, "open", as_an_acl_would)
        root = render_into(PROFILES / "caffeine.yaml", tmp_path / "out")
    modes = {stat.S_IMODE(path.stat().st_mode) for path in root.rglob("*") if path.is_file()}
    assert modes == {0o644}


@settings(max_examples=200, derandomize=True)
@given(st.lists(st.sampled_from(["a.yaml", "b/c.yaml", "b/d.yaml", "e.yaml", "x/y/z.yaml", "ns-1/k.yaml"]), max_size=8),
       st.lists(st.sampled_from(["a.yaml", "b/c.yaml", "e.yaml", "missing.yaml", "x/y/z.yaml", "b"]), max_size=10),
       st.booleans())
def test_the_files_to_write_are_found_by_path_in_any_order_of_asking(paths: list[str], asked: list[str],
                                                                       in_order: bool) -> None:
    """A change set finds each file's bytes by its path: in a render's list (path order) by
    bisection, else through a dict (which keeps the last of a path given twice); asked in any order,
    the answers are a dict's."""
    from generator.output.changes import Encoded
    from generator.output.render import RenderedFile

    if in_order:
        paths = sorted(set(paths))
    files = [RenderedFile(path, f"{path} #{number}\n") for number, path in enumerate(paths)]
    expected = {file.path: file.text.encode("utf-8") for file in files}
    encoded = Encoded(files)
    assert list(encoded) == list(expected) and len(encoded) == len(expected)
    for path in [*asked, *reversed(paths), *paths, 7]:
        assert (path in encoded) == (path in expected)
        assert encoded.get(path) == expected.get(path)  # type: ignore[call-overload]
