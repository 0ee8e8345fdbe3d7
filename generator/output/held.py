"""A render's files, held as columns until they are written.

An estate's files are mostly derived from a few shapes (output/shapes.py), each one's text its
shape's form and a tuple of slot values (output/derived.py): per file, what differs is a path, a
form and a values tuple. As objects, a file costs its path string (about 110 bytes), a RenderedFile,
a Derived and a list slot: about 280 bytes, 4.5 KB per namespace. Here a file costs 17 bytes: the
numbers of its folder and of its name (each distinct folder and name is held once), of its form and
of its values (each distinct tuple once: a namespace's files share one) or of its text (a file
rendered on its own), and whether it was read back from the tree. A file asked for is made again
as the RenderedFile it was, with the same path, text and flag.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Generic, TypeVar, overload

from .derived import Derived, Form
from .render import RenderedFile

_TEXT = 0  # the form number of a file that keeps its text

T = TypeVar("T")


class _Table(Generic[T]):
    """Distinct values, numbered in the order they come (`key`: what tells two apart)."""

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
            numbers = self._numbers = {(of(value) if of is not None else value): index
                                       for index, value in enumerate(self.items)}
        found = numbers.get(key)
        if found is None:
            found = numbers[key] = len(self.items)
            self.items.append(item)
        return found


def _forms(forms: list[Form | None] | None = None) -> _Table[Form | None]:
    """Forms, told apart by identity (two shapes' forms may hold equal parts): number 0 is none."""
    return _Table(forms if forms is not None else [None], key=id)


class RenderedFiles(Sequence[RenderedFile]):
    """The files of a render, in the order they were added, held as columns (see above)."""

    __slots__ = ("_folders", "_names", "_forms", "_values", "_texts", "_folder", "_name", "_form", "_value",
                 "_on_disk")

    def __init__(self) -> None:
        self._folders: _Table[str] = _Table()
        self._names: _Table[str] = _Table()
        self._forms = _forms()
        self._values: _Table[tuple[str, ...]] = _Table()
        self._texts: list[str] = []
        self._folder = array("I")
        self._name = array("I")
        self._form = array("I")  # _TEXT, or the number of the file's form
        self._value = array("I")  # the number of its values, or of its text
        self._on_disk = bytearray()

    def append(self, file: RenderedFile) -> None:
        folder, _, name = file.path.rpartition("/")
        self._folder.append(self._folders.number(folder))
        self._name.append(self._names.number(name))
        derived = file.derived
        if derived is None:
            self._form.append(_TEXT)
            self._value.append(len(self._texts))
            self._texts.append(file.text)
        else:
            self._form.append(self._forms.number(derived.form))
            self._value.append(self._values.number(derived.values))
        self._on_disk.append(file.on_disk)

    def settled(self) -> RenderedFiles:
        """These files, their tables' indexes let go (made again if a file is added)."""
        for table in (self._folders, self._names, self._forms, self._values):
            table.forget()
        return self

    def extend(self, files: Sequence[RenderedFile]) -> None:
        for file in files:
            self.append(file)

    def insert(self, position: int, file: RenderedFile) -> None:
        """`file` before the file at `position` (a few files, each in one pass over the columns)."""
        last = RenderedFiles()
        last._folders, last._names, last._forms, last._values, last._texts = (
            self._folders, self._names, self._forms, self._values, self._texts)
        last.append(file)
        self._folder[position:position] = last._folder
        self._name[position:position] = last._name
        self._form[position:position] = last._form
        self._value[position:position] = last._value
        self._on_disk[position:position] = last._on_disk

    def path(self, index: int) -> str:
        folder = self._folders.items[self._folder[index]]
        name = self._names.items[self._name[index]]
        return f"{folder}/{name}" if folder else name

    def text(self, index: int) -> str:
        """The text of the file at `index` (joined, for a derived one), without making the file."""
        form = self._forms.items[self._form[index]]
        if form is None:
            return self._texts[self._value[index]]
        return form.text(self._values.items[self._value[index]])

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
        form = self._forms.items[self._form[index]]
        text: str | Derived
        if form is None:
            text = self._texts[self._value[index]]
        else:
            text = Derived(form, self._values.items[self._value[index]])
        return RenderedFile(self.path(index), text, on_disk=bool(self._on_disk[index]))

    def __iter__(self) -> Iterator[RenderedFile]:
        return (self[index] for index in range(len(self)))

    def __len__(self) -> int:
        return len(self._folder)

    def on_disk(self, index: int) -> bool:
        return bool(self._on_disk[index])

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        """Pickled as its columns (a worker's files come back so)."""
        return _restored, (self._folders.items, self._names.items, self._forms.items, self._values.items, self._texts,
                           self._folder, self._name, self._form, self._value, self._on_disk)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(mine == theirs for mine, theirs in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RenderedFiles({len(self)} files)"


def _restored(folders: list[str], names: list[str], forms: list[Form | None], values: list[tuple[str, ...]],
              texts: list[str], folder: array[int], name: array[int], form: array[int], value: array[int],
              on_disk: bytearray) -> RenderedFiles:
    files = RenderedFiles()
    files._folders, files._names, files._forms, files._values = _Table(folders), _Table(names), _forms(forms), _Table(values)
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
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._files.path(index)

    def __len__(self) -> int:
        return len(self._files)

    def __iter__(self) -> Iterator[str]:
        path = self._files.path
        return (path(index) for index in range(len(self._files)))
