"""The package's templates with kits layered over them, as the `Traversable` the catalog reads
(`plan/catalog.py`): a kit's `apps/<app>/app.yaml` names templates and files the same way a
built-in entry does, and finds them in the kits first."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.resources.abc import Traversable
from posixpath import join as join_path
from typing import Any

from ..output.templating import TemplateLayer


MAX_NAME = 1024  # characters of a template's or file's name; a file system's folder entry holds 255 bytes


def confined(name: str) -> bool:
    """A name a kit may use for a template or file: relative, inside the tree (no `..`, no absolute
    path, no backslash or NUL), so that it can only mean a kit's file or one of the package's; and
    one a file system can hold (asking it about a longer name is an error, not a "no such file")."""
    parts = name.split("/")
    return bool(name) and len(name) <= MAX_NAME and not name.startswith("/") and "\\" not in name and \
        "\x00" not in name and all(part not in ("", ".", "..") and len(part.encode("utf-8", "surrogatepass")) <= 255
                                    for part in parts)


class LayeredTree(Traversable):
    """Paths are confined (`confined`): anything else is neither a file nor a folder here."""

    def __init__(self, layers: tuple[TemplateLayer, ...], package: Traversable, path: str = "") -> None:
        self.layers, self.package, self.path = layers, package, path

    def _in_package(self) -> Traversable | None:
        return self.package / self.path if confined(self.path) else None

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def origin_of(self, name: str) -> str | None:
        return next((layer.shown for layer in reversed(self.layers) if name in layer.texts), None)

    def joinpath(self, *parts: Any) -> LayeredTree:
        return LayeredTree(self.layers, self.package, join_path(self.path, *map(str, parts)) if self.path else
                           join_path(*map(str, parts)))

    def __truediv__(self, part: Any) -> LayeredTree:
        return self.joinpath(part)

    def is_file(self) -> bool:
        package = self._in_package()
        return self.origin_of(self.path) is not None or (package is not None and package.is_file())

    def is_dir(self) -> bool:
        prefix = self.path + "/"
        package = self._in_package()
        return any(name.startswith(prefix) for layer in self.layers for name in layer.texts) or \
            (package is not None and package.is_dir())

    def iterdir(self) -> Iterator[LayeredTree]:
        prefix = self.path + "/"
        names = {name[len(prefix):].split("/", 1)[0] for layer in self.layers for name in layer.texts
                 if name.startswith(prefix)}
        package = self._in_package()
        if package is not None and package.is_dir():
            names |= {item.name for item in package.iterdir()}
        return iter([self / name for name in sorted(names)])

    def read_text(self, encoding: str | None = "utf-8", errors: str | None = None) -> str:
        for layer in reversed(self.layers):
            if self.path in layer.texts:
                return layer.texts[self.path]
        package = self._in_package()
        if package is None or not package.is_file():
            raise FileNotFoundError(self.path)
        return package.read_text(encoding or "utf-8")

    def read_bytes(self) -> bytes:
        return self.read_text().encode("utf-8")

    def open(self, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        raise OSError("kit files are read into memory, not opened")
