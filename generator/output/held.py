"""A render's files, held as columns until they are written.

An estate's files are mostly derived from a few shapes (output/shapes.py), each one's text its
shape's form and a tuple of slot values (output/derived.py): per file, what differs is a path, a
form and a values tuple. As objects, a file costs its path string (about 110 bytes), a RenderedFile,
a Derived and a list slot: about 280 bytes, 4.5 KB per namespace. Here a file costs 17 bytes: the
numbers of its folder and of its name (each distinct folder and name is held once), of its form and
of its values (each distinct tuple once: a namespace's files share one) or of its text (a file
rendered on its own), and whether it was read back from the tree. A file asked for is made again
as the RenderedFile it was, with the same path, text and flag.

A text of LARGE characters or more (the estate's README and verify scripts, which grow with it: a
text of every namespace, rendered in a worker whose answer is pickled) is held compressed, and
made again each time it is read (gated, hashed, written): a few milliseconds, for a copy held of
each at a tenth of its size.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Generic, TypeVar, overload

from ..memo import REMEMBERED
from .derived import Derived, Form
from .render import RenderedFile

_TEXT = 0  # the form number of a file that keeps its text
LARGE = 64 * 1024

T = TypeVar("T")




class _Table(Generic[T]):
    """Values, numbered in the order they come; one equal to one of the last REMEMBERED distinct
    values takes its number (`key`: what tells two apart). Equal values mostly come close together
    (a namespace's files), and an index of every value would grow by a few entries a namespace."""

    __slots__ = ("items", "_numbers", "_key")

    def __init__(self, items: list[T] | None = None, key: Callable[[T], Hashable] | None = None) -> None:
        self.items: list[T] = items if items is not None else []
        self._numbers: dict[Hashable, int] | None = None
        self._key = key

    def forget(self) -> None:
        self._numbers = None

    def number(self, item: T) -> int:
        key = self._key(item) if self._key is not None else item
        numbers = self._numbers
        if numbers is None:
            of = self._key
            start = max(0, len(self.items) - REMEMBERED)
            numbers = self._numbers = {(of(value) if of is not None else value): index
                                       for index, value in enumerate(self.items[start:], start)}
        found = numbers.get(key)
        if found is None:
            if len(numbers) >= REMEMBERED:
                numbers.clear()
            found = numbers[key] = len(self.items)
            self.items.append(item)
        return found


class _Values:
    """The slot values of derived files, numbered: each tuple as its length and the numbers of its
    strings, end to end (an object's name and namespace in 12 bytes, not a tuple of 56 and a
    pointer); `strings` is the files' table of names, which holds the same strings."""

    __slots__ = ("strings", "runs")

    def __init__(self, strings: _Table[str], runs: array[int] | None = None) -> None:
        self.strings = strings
        self.runs = runs if runs is not None else array("I")

    def number(self, values: tuple[str, ...]) -> int:
        number = len(self.runs)
        self.runs.append(len(values))
        self.runs.extend([self.strings.number(value) for value in values])
        return number

    def __getitem__(self, number: int) -> tuple[str, ...]:
        runs, strings = self.runs, self.strings.items
        return tuple([strings[at] for at in runs[number + 1:number + 1 + runs[number]]])


def _forms(forms: list[Form | None] | None = None) -> _Table[Form | None]:
    """Forms, told apart by identity (two shapes' forms may hold equal parts): number 0 is none."""
    return _Table(forms if forms is not None else [None], key=id)


class RenderedFiles(Sequence[RenderedFile]):
    """The files of a render, in the order they were added, held as columns (see above)."""

    __slots__ = ("_folders", "_names", "_forms", "_values", "_texts", "_folder", "_name", "_form", "_value",
                 "_on_disk", "_last", "_form_numbers", "ordered")

    def __init__(self) -> None:
        self._folders: _Table[str] = _Table()
        self._names: _Table[str] = _Table()
        self._forms = _forms()
        self._values = _Values(self._names)
        self._texts: list[str | bytes] = []  # bytes: a large one, compressed
        self._folder = array("I")
        self._name = array("I")
        self._form = array("I")  # _TEXT, or the number of the file's form
        self._value = array("I")  # the number of its values, or of its text
        self._on_disk = bytearray()
        self._last: tuple[str, int] | None = None  # the folder of the file added last, and its number
        self._form_numbers: dict[int, int] = {}  # id of a form -> its number (a render has a few dozen)
        self.ordered = False  # known to be in path order, each path once (said by whoever knows)

    def append(self, file: RenderedFile) -> None:
        folder, _, name = file.path.rpartition("/")
        last = self._last
        if last is None or last[0] != folder:  # a folder's files come together
            last = self._last = (folder, self._folders.number(folder))
        self._folder.append(last[1])
        self._name.append(self._names.number(name))
        derived = file.derived
        if derived is None:
            self._form.append(_TEXT)
            self._value.append(len(self._texts))
            held = file.held
            if isinstance(held, Compressed):
                self._texts.append(held.data)
            else:
                text = str(held)
                self._texts.append(zlib.compress(text.encode("utf-8", "surrogatepass"), 1) if len(text) >= LARGE else text)
        else:
            form = self._form_numbers.get(id(derived.form))
            if form is None:
                form = self._form_numbers[id(derived.form)] = self._forms.number(derived.form)
            self._form.append(form)
            self._value.append(self._values.number(derived.values))
        self._on_disk.append(file.on_disk)

    def settled(self) -> RenderedFiles:
        """These files, their tables' indexes let go (made again if a file is added)."""
        for table in (self._folders, self._names, self._forms):
            table.forget()
        return self

    def extend(self, files: Sequence[RenderedFile]) -> None:
        if isinstance(files, RenderedFiles):
            for index in range(len(files)):
                self._copy(files, index)
            return
        for file in files:
            self.append(file)

    def insert(self, position: int, file: RenderedFile | tuple[RenderedFiles, int]) -> None:
        """`file` (or the file at an index of other files, its text as it is held there) before the
        file at `position`: a few files, each in one pass over the columns."""
        last = RenderedFiles()
        last._folders, last._names, last._forms, last._values, last._texts = (
            self._folders, self._names, self._forms, self._values, self._texts)
        if isinstance(file, RenderedFile):
            last.append(file)
        else:
            last._copy(*file)
        self._folder[position:position] = last._folder
        self._name[position:position] = last._name
        self._form[position:position] = last._form
        self._value[position:position] = last._value
        self._on_disk[position:position] = last._on_disk

    def _copy(self, other: RenderedFiles, index: int) -> None:
        """The file at `index` of `other`, after these."""
        self._folder.append(self._folders.number(other._folders.items[other._folder[index]]))
        self._name.append(self._names.number(other._names.items[other._name[index]]))
        form = other._forms.items[other._form[index]]
        if form is None:
            self._form.append(_TEXT)
            self._value.append(len(self._texts))
            self._texts.append(other._texts[other._value[index]])
        else:
            self._form.append(self._forms.number(form))
            self._value.append(self._values.number(other._values[other._value[index]]))
        self._on_disk.append(other._on_disk[index])

    def path(self, index: int) -> str:
        folder = self._folders.items[self._folder[index]]
        name = self._names.items[self._name[index]]
        return f"{folder}/{name}" if folder else name

    def held(self, index: int) -> str | Derived | Compressed:
        """The text of the file at `index` as it is held (joined when read: `str()`)."""
        form = self._forms.items[self._form[index]]
        if form is None:
            held = self._texts[self._value[index]]
            return held if isinstance(held, str) else Compressed(held)
        return Derived(form, self._values[self._value[index]])

    def pieces(self, index: int) -> Iterable[bytes]:
        """The bytes of the file at `index`, a large one's a piece at a time (output/changes.py)."""
        form = self._forms.items[self._form[index]]
        if form is None:
            held = self._texts[self._value[index]]
            return (held.encode("utf-8"),) if isinstance(held, str) else Compressed(held).pieces()
        return (form.text(self._values[self._value[index]]).encode("utf-8"),)

    def text(self, index: int) -> str:
        """The text of the file at `index` (joined, for a derived one), without making the file."""
        return str(self.held(index))

    @property
    def paths(self) -> Paths:
        return Paths(self)

    @overload
    def __getitem__(self, index: int) -> RenderedFile: ...

    @overload
    def __getitem__(self, index: slice) -> list[RenderedFile]: ...

    def __getitem__(self, index: int | slice) -> RenderedFile | list[RenderedFile]:
        if isinstance(index, slice):
            return [self[at] for at in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return RenderedFile(self.path(index), self.held(index), on_disk=bool(self._on_disk[index]))

    def __iter__(self) -> Iterator[RenderedFile]:
        return (self[index] for index in range(len(self)))

    def __len__(self) -> int:
        return len(self._folder)

    def on_disk(self, index: int) -> bool:
        return bool(self._on_disk[index])

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickled as its columns (a worker's files come back so)."""
        return _restored, (self._folders.items, self._names.items, self._forms.items, self._values.runs, self._texts,
                           self._folder, self._name, self._form, self._value, self._on_disk)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(mine == theirs for mine, theirs in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RenderedFiles({len(self)} files)"


def _text(held: str | bytes) -> str:
    return held if isinstance(held, str) else zlib.decompress(held).decode("utf-8", "surrogatepass")


PIECE = 64 * 1024  # bytes of a large text made at a time, where it is read piece by piece


class Compressed:
    """A large text as held (compressed): `str()` makes it, each time it is read, so that a file
    asked for does not hold it made; `pieces` and `lines` make it a piece at a time."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __str__(self) -> str:
        return _text(self.data)

    def pieces(self) -> Iterator[bytes]:
        """Its UTF-8 bytes, in pieces of PIECE bytes or fewer."""
        inflate = zlib.decompressobj()
        data = self.data
        while data:
            piece = inflate.decompress(data, PIECE)
            data = inflate.unconsumed_tail
            if piece:
                yield piece
        rest = inflate.flush()
        if rest:
            yield rest

    def lines(self) -> Iterator[str]:
        """Its text in pieces of whole lines (the last without its line break, as `split` cuts)."""
        left = b""
        for piece in self.pieces():
            left += piece
            end = left.rfind(b"\n")
            if end >= 0:
                yield left[:end].decode("utf-8", "surrogatepass")
                left = left[end + 1:]
        yield left.decode("utf-8", "surrogatepass")



def _restored(folders: list[str], names: list[str], forms: list[Form | None], runs: array[int],
              texts: list[str | bytes], folder: array[int], name: array[int], form: array[int], value: array[int],
              on_disk: bytearray) -> RenderedFiles:
    files = RenderedFiles()
    files._folders, files._names, files._forms = _Table(folders), _Table(names), _forms(forms)
    files._values = _Values(files._names, runs)
    files._texts = texts
    files._folder, files._name, files._form, files._value, files._on_disk = folder, name, form, value, on_disk
    return files


class Paths(Sequence[str]):
    """The paths of RenderedFiles, each made when asked for (a list of them would hold a string
    each)."""

    __slots__ = ("_files",)

    def __init__(self, files: RenderedFiles) -> None:
        self._files = files

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[at] for at in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self._files)
        return self._files.path(index)  # an index past the end raises IndexError there

    def __len__(self) -> int:
        return len(self._files)

    def __iter__(self) -> Iterator[str]:
        path = self._files.path
        return (path(index) for index in range(len(self._files)))
