"""Outputs that need no rendering: an output whose key (gen's code and templates, the profile's
name, the output's path, template, typed context and declared identity) is the one the ledger
recorded for its file, and whose file still has the ledger's hash, would render to exactly that
file (rendering is deterministic). Its bytes are read back instead of rendered, proven and
validated again. Helm values merged into live values are always rendered: their base is a file,
not part of the context's key; so are the estate's README and verify scripts, whose context is the
whole estate (keying it would cost what rendering it costs). A file read back whose output has
a shape (output/shapes.py) is held as the shape's form and its values where they give exactly its
text (compared: output/batch.py), not as the text, until it is written: at 4,000 namespaces a
re-render reads back 60,000 files.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..plan import Output
from ..kit.active import active_kit
from .fingerprint import code_digest
from .ledger import Ledger, file_bytes
from .render import RenderedFile
from .shapes import Keyed


KEY_BYTES = 16  # of a cache key: 32 hex digits


def output_key(profile: str, output: Output, keyed: Keyed | None = None) -> bytes | None:
    """The cache key of an output (KEY_BYTES raw bytes: the ledger writes them in hex); None for
    one that is always rendered. `keyed`: its shape's key and values (output/shapes.py), which
    describe the context as a digest of its `repr` and the values, computed once per distinct set
    of values."""
    return OutputKeys(profile)(output, keyed)


class OutputKeys:
    """output_key for the outputs of one render: what every key starts with (gen's code, the kit's,
    the profile's name) is hashed once, and each output's key goes on from a copy of that state:
    the same bytes hashed, the same key."""

    def __init__(self, profile: str) -> None:
        kit = active_kit()  # a kit's templates are code too
        head = f"{code_digest()}\0{kit.digest if kit is not None else ''}\0{profile}\0"
        self._head = hashlib.sha256(head.encode("utf-8", "surrogatepass"))

    def __call__(self, output: Output, keyed: Keyed | None = None) -> bytes | None:
        context = output.context
        if context.format != "yaml" or context.merge_base() is not None:
            return None  # merged into a file; or the estate's README and scripts, which describe it all
        described = f"{keyed[0]}\0{keyed[1]!r}" if keyed is not None else repr(context)
        sha = self._head.copy()
        sha.update(f"{output.path}\0{output.template}\0{described}\0{output.identity!r}".encode("utf-8", "surrogatepass"))
        return sha.digest()[:KEY_BYTES]


@dataclass(frozen=True)
class RenderCache:
    root: Path
    ledger: Ledger  # the tree's, read once: it also serves the change set (output/changes.py)

    def reuse(self, path: str, key: bytes | None) -> RenderedFile | None:
        """The file as it stands, if it is provably what rendering would give (`key`: output_key)."""
        if key is None or self.ledger.keys.get(path) != key.hex():
            return None
        try:
            data = file_bytes(os.path.join(self.root, path), follow=False)  # never proven through a link
        except OSError:
            return None
        if hashlib.sha256(data).hexdigest() != self.ledger.files.get(path):
            return None
        try:
            return RenderedFile(path, data.decode("utf-8"), on_disk=True)
        except UnicodeDecodeError:
            return None
