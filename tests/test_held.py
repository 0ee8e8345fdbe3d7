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
