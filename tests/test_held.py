"""A render's files held as columns (output/held.py): every file asked for is the file that was
added, with its path, text, flag and shape; pickled (a worker's answer) and with files put in
among them (the documents a worker renders aside), they stay so."""

from __future__ import annotations

import pickle
from array import array

from hypothesis import given
from hypothesis import strategies as st

from generator.output.derived import Derived, Form
from generator.output.held import RenderedFiles
from generator.output.packed import Packed, Picked, ascending
from generator.output.render import RenderedFile

_FORMS = [Form(["kind: A\nname: ", "", "\n"], ((1, 0),)), Form(["a: ", "", "\nb: ", "", "\n"], ((1, 0), (3, 1))),
          Form(["a: ", "", "\n"], ((1, 0),))]  # the first and last hold equal text and are told apart
_SEGMENT = st.text(alphabet="abc-.", min_size=1, max_size=4)
_PATH = st.lists(_SEGMENT, min_size=1, max_size=4).map("/".join)
_VALUES = st.tuples(_SEGMENT, _SEGMENT)


@st.composite
def _file(draw: st.DrawFn) -> RenderedFile:
    path = draw(_PATH)
    if draw(st.booleans()):
        text: str | Derived = draw(st.text(max_size=20))
    else:
        text = Derived(draw(st.sampled_from(_FORMS)), draw(_VALUES))
    return RenderedFile(path, text, on_disk=draw(st.booleans()))


def _same(held: RenderedFile, file: RenderedFile) -> bool:
    derived, added = held.derived, file.derived
    return (held.path, held.text, held.on_disk) == (file.path, file.text, file.on_disk) and (
        (derived is None and added is None)
        or (derived is not None and added is not None and derived.form is added.form and derived.values == added.values))


@given(st.lists(_file(), max_size=30))
def test_every_file_comes_back_as_it_was_added(files: list[RenderedFile]) -> None:
    held = RenderedFiles()
    for file in files:
        held.append(file)
    held.settled()
    assert len(held) == len(files)
    assert all(_same(mine, file) for mine, file in zip(held, files))
    assert list(held.paths) == [file.path for file in files]
    assert [held.text(index) for index in range(len(held))] == [file.text for file in files]
    assert [held.on_disk(index) for index in range(len(held))] == [file.on_disk for file in files]
    more = RenderedFile("z/late", "late")
    held.append(more)  # its tables' indexes are made again
    assert _same(held[-1], more) and all(_same(mine, file) for mine, file in zip(held, files))


@given(st.lists(_file(), max_size=20), st.lists(st.tuples(st.integers(0, 20), _file()), max_size=5))
def test_files_put_in_and_pickled_stay_what_they_were(files: list[RenderedFile],
                                                       inserts: list[tuple[int, RenderedFile]]) -> None:
    held = RenderedFiles()
    expected = list(files)
    held.extend(files)
    for position, file in inserts:
        position = min(position, len(expected))
        held.insert(position, file)
        expected.insert(position, file)
    assert all(_same(mine, file) for mine, file in zip(held, expected)) and len(held) == len(expected)
    back = pickle.loads(pickle.dumps(held))
    assert [(file.path, file.text, file.on_disk) for file in back] == [(f.path, f.text, f.on_disk) for f in expected]
    # a form is one object in the copy as here: files of one shape keep sharing it
    forms = {id(file.derived.form) for file in back if file.derived is not None}
    assert len(forms) == len({id(file.derived.form) for file in expected if file.derived is not None})


def test_a_map_of_keys_over_the_paths_of_some_files_finds_each() -> None:
    held = RenderedFiles()
    for name in ["a/1", "a/2", "b/1", "c"]:
        held.append(RenderedFile(name, name))
    picked = Picked(held.paths, array("I", [0, 2, 3]))
    assert list(picked) == ["a/1", "b/1", "c"] and ascending(picked)
    keys = Packed(picked, bytes(range(3)), 1)
    assert dict(keys) == {"a/1": "00", "b/1": "01", "c": "02"} and "a/2" not in keys


def _large(lines: int) -> str:
    return "".join(f"line {number}: namespace ns-{number} on cluster c-{number % 4} — ✓\n" for number in range(lines))


@given(st.integers(0, 3), st.booleans())
def test_a_large_text_is_held_compressed_and_read_whole_or_in_pieces_as_it_was(extra: int, ends: bool) -> None:
    """A text of LARGE characters or more (the estate's README) is held compressed: read whole, in
    byte pieces (hashed and written so) or in pieces of whole lines (gated so), it is the text that
    was added, and so it stays once pickled (a worker's answer) and put in among other files."""
    import hashlib

    from generator.output.held import LARGE, PIECE, Compressed

    text = _large(LARGE // 40 + 2000) + "x" * extra + ("\n" if ends else "")
    assert len(text) >= LARGE and len(text.encode()) > 2 * PIECE
    held = RenderedFiles()
    held.append(RenderedFile("README.md", text))
    held.append(RenderedFile("a/small.yaml", "kind: A\n"))
    copy = pickle.loads(pickle.dumps(held))
    other = RenderedFiles()
    other.append(RenderedFile("a/b.yaml", "b"))
    other.insert(0, (copy, 0))
    for files, index in ((held, 0), (copy, 0), (other, 0)):
        compressed = files.held(index)
        assert isinstance(compressed, Compressed) and len(compressed.data) < len(text) // 4
        assert files.text(index) == text and files[index].text == text and str(compressed) == text
        pieces = list(files.pieces(index))
        assert b"".join(pieces) == text.encode() and all(len(piece) <= PIECE for piece in pieces)
        assert hashlib.sha256(b"".join(pieces)).digest() == hashlib.sha256(text.encode()).digest()
        lines = list(compressed.lines())
        assert "\n".join(lines) == text and all(piece.count("\n") >= 0 for piece in lines)
    assert held.text(1) == "kind: A\n" and held.held(1) == "kind: A\n"


def test_the_gate_finds_a_secret_in_a_large_text_at_its_line() -> None:
    """The gate judges a large text a piece of whole lines at a time: a secret anywhere in it, also
    where a piece ends, is found at its line, as in the text held whole."""
    from generator.output.held import PIECE
    from generator.secrets.gate import scan

    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"  # a GitHub token's look
    base = _large(8000)
    assert len(base.encode()) > 3 * PIECE
    cut = base.encode()[:PIECE].rfind(b"\n")  # the line a first piece ends on
    line_at_cut = base.encode()[:cut].count(b"\n") + 1
    text = "\n".join(f"token: {token}" if number + 1 == line_at_cut else line
                     for number, line in enumerate(base.split("\n")))
    held = RenderedFiles()
    held.append(RenderedFile("README.md", text))
    whole = [RenderedFile("README.md", text)]
    hits = scan(held)
    assert [(hit.path, hit.line) for hit in hits] == [("README.md", line_at_cut)]
    assert [(hit.path, hit.line) for hit in scan(whole)] == [(hit.path, hit.line) for hit in hits]
