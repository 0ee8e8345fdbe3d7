"""Container image references, and pulling them from a mirror registry instead of their own.

An image reference is `[host/]path[:tag][@digest]`. Its first `/`-separated component is a
registry host when it contains a `.` or a `:` or is `localhost` (Docker's rule); an image without
a host is a Docker Hub image, and a Docker Hub path of one component is an official image under
`library/` (`python:3.9` is `docker.io/library/python:3.9`).

`with_registry(image, registry)` drops the image's host and puts the registry in its place,
keeping path, tag and digest: `docker.io/kong/httpbin` with `mirror.example.com/hub` becomes
`mirror.example.com/hub/kong/httpbin`, `python:3.9` becomes `mirror.example.com/hub/library/python:3.9`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A registry prefix: a host (with a `.` or a port, or `localhost`), then optional path components.
REGISTRY = (
    r"^(localhost(:\d{1,5})?|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+(:\d{1,5})?"
    r"|[a-z0-9]([-a-z0-9]*[a-z0-9])?:\d{1,5})(/[a-z0-9]+([._-][a-z0-9]+)*)*\Z"
)
_PATH = re.compile(r"[a-z0-9]+([._-]+[a-z0-9]+)*(/[a-z0-9]+([._-]+[a-z0-9]+)*)*")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_DIGEST = re.compile(r"[a-z0-9]+([+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}")
DOCKER_HUB = "docker.io"
_DOCKER_HUB_ALIASES = frozenset({"docker.io", "index.docker.io", "registry-1.docker.io"})


@dataclass(frozen=True)
class ImageReference:
    host: str | None  # None: Docker Hub, as written without a host
    path: str
    tag: str | None
    digest: str | None

    @property
    def repository(self) -> str:
        """The path on its registry; Docker Hub's official images live under `library/`."""
        on_docker_hub = self.host is None or self.host in _DOCKER_HUB_ALIASES
        return f"library/{self.path}" if on_docker_hub and "/" not in self.path else self.path

    def suffix(self) -> str:
        return (f":{self.tag}" if self.tag else "") + (f"@{self.digest}" if self.digest else "")


def is_registry_host(component: str) -> bool:
    return "." in component or ":" in component or component == "localhost"


def parse_image(image: str) -> ImageReference:
    """Split an image reference; raises ValueError if it is not one."""
    rest, _, digest = image.partition("@")
    first, slash, remainder = rest.partition("/")
    host = first if slash and is_registry_host(first) else None
    rest = remainder if host else rest
    path, colon, tag = rest.rpartition(":") if ":" in rest else (rest, "", "")
    if not _PATH.fullmatch(path) or (colon and not _TAG.fullmatch(tag)) or ("@" in image and not _DIGEST.fullmatch(digest)):
        raise ValueError(f"not an image reference: {image!r}")
    return ImageReference(host, path, tag or None, digest or None)


def with_registry(image: str, registry: str | None) -> str:
    """The image as pulled from `registry` (a host and optional path); unchanged for None."""
    if registry is None:
        return image
    reference = parse_image(image)
    return f"{registry}/{reference.repository}{reference.suffix()}"
