"""A map of paths to hex digests, held as one block of raw bytes: a ledger's two maps of a path each.

A large tree's ledger has an entry per file in each map (the file's hash, its render cache key). As
a dict of strings, each entry costs a hex string of 113 bytes, a dict slot and a share of the
table: at 4,000 namespaces, 60,000 files, two maps of them cost about 18 MB while the tree is
written. Packed, an entry costs its raw bytes (16 or 32) and a pointer to the path string the
rendered file holds already. The map keeps its paths in order (sorted: a ledger is written so), and
looks a path up only where asked (by bisection), which writing the ledger never does.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain


HASH_BYTES = 32  # of a file's sha256


class Packed(Mapping[str, str]):
    """path -> hex string of `width` bytes, for sorted, distinct `paths` (a list, or a render's paths,
    each made when asked for: output/held.py); `digests` holds their bytes end to end, in the
    paths' order."""

    __slots__ = ("_paths", "_digests", "_width")

    def __init__(self, paths: Sequence[str], digests: bytes | bytearray, width: int) -> None:
        if len(digests) != len(paths) * width:
            raise ValueError(f"{len(paths)} paths and {len(digests)} bytes of digests of {width} bytes each")
        self._paths = paths
        self._digests = digests
        self._width = width

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, bytes | bytearray | memoryview]], width: int) -> Packed:
        """From (path, raw digest) pairs (each digest exactly `width` bytes), sorted here unless they
        come in path order already, as a plan's files do; as a dict would, a path given twice keeps
        the last."""
        paths: list[str] = []
        digests = bytearray()
        for path, raw in pairs:
            if len(raw) != width:
                raise ValueError(f"a digest of {len(raw)} bytes for {path!r}, not {width}")
            paths.append(path)
            digests += raw
        if ascending(paths):
            return cls(paths, digests, width)
        order = sorted(range(len(paths)), key=paths.__getitem__)  # stable: a path given twice keeps its last
        order = [index for index, after in zip(order, [*order[1:], None])
                 if after is None or paths[after] != paths[index]]
        return cls([paths[index] for index in order],
                   b"".join(digests[index * width:(index + 1) * width] for index in order), width)

    def _index(self, path: object) -> int:
        return position(self._paths, path)

    def __getitem__(self, path: str) -> str:
        index = self._index(path)
        if index < 0:
            raise KeyError(path)
        width = self._width
        return self._digests[index * width:(index + 1) * width].hex()

    def __contains__(self, path: object) -> bool:
        return self._index(path) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def sorted_items(self) -> Iterator[tuple[str, str]]:
        """(path, hex digest) in path order, made one at a time."""
        width, digests = self._width, self._digests
        for index, path in enumerate(self._paths):
            yield path, digests[index * width:(index + 1) * width].hex()

    def updated(self, changes: Mapping[str, str]) -> Mapping[str, str]:
        """A copy with the values `changes` gives, for paths it holds or not: packed where each is a
        digest as this map writes it (a ledger edited by hand may hold anything: a dict keeps it)."""
        if not changes:
            return self
        width = self._width
        if any(len(value) != 2 * width or value.strip("0123456789abcdef") for value in changes.values()):
            return {**dict(self.sorted_items()), **changes}
        kept = ((path, self._digests[index * width:(index + 1) * width])
                for index, path in enumerate(self._paths) if path not in changes)
        return Packed.of(chain(kept, ((path, bytes.fromhex(value)) for path, value in changes.items())), width)

    def without(self, paths: Iterable[str]) -> Packed:
        """A copy without `paths`."""
        dropped = {index for path in paths if (index := self._index(path)) >= 0}
        if not dropped:
            return self
        width = self._width
        kept = [index for index in range(len(self._paths)) if index not in dropped]
        return Packed([self._paths[index] for index in kept],
                      b"".join(self._digests[index * width:(index + 1) * width] for index in kept), width)


def ascending(paths: Sequence[str]) -> bool:
    """Whether `paths` are sorted and distinct."""
    previous = None
    for path in paths:
        if previous is not None and not previous < path:
            return False
        previous = path
    return True


def position(paths: Sequence[str], path: object) -> int:
    """Where `path` stands in the ascending `paths`; -1 if it is not there."""
    index = bisect_left(paths, path) if isinstance(path, str) else len(paths)
    return index if index < len(paths) and paths[index] == path else -1


def sorted_items(mapping: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """A map's (path, value) pairs in path order: a Packed one's as they are held."""
    if isinstance(mapping, Packed):
        return mapping.sorted_items()
    return ((name, mapping[name]) for name in sorted(mapping))


class Picked(Sequence[str]):
    """The paths at `indexes` of `paths` (a render's files that have a cache key), without a list
    of them."""

    __slots__ = ("_paths", "_indexes")

    def __init__(self, paths: Sequence[str], indexes: array[int]) -> None:
        self._paths = paths
        self._indexes = indexes

    # Not overloaded for slices, as Sequence is: `typing` is not loaded on the no-change path.
    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._paths[self._indexes[index]]

    def __len__(self) -> int:
        return len(self._indexes)

    def __iter__(self) -> Iterator[str]:
        paths = self._paths
        return (paths[at] for at in self._indexes)
