"""Problems found in a profile, and where in the profile they are.

Every stage that can reject input returns `Problem`s that name a path inside the profile
(`tenants[0].workspaces[1].name`); the pipeline turns paths into file:line:column through the
source map once, so no stage needs to know about YAML positions.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
# Not `typing.TYPE_CHECKING`: typing costs the no-change path milliseconds to import; mypy reads any
# TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ProfilePath = tuple[str | int, ...]


def format_path(path: ProfilePath) -> str:
    """`('tenants', 0, 'name')` -> `tenants[0].name`; the root is `(profile)`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(profile)"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Location:
    file: str
    line: int  # 1-based
    column: int  # 1-based


@dataclass(frozen=True)
class Problem:
    message: str
    rule: str
    path: ProfilePath = ()
    hint: str = ""
    severity: Severity = Severity.ERROR
    # Point at the key of `path` rather than its value (unknown keys, duplicate names).
    at_key: bool = False
    location: Location | None = None
    # A second position the problem is about: for a problem located in another file (a policy, a
    # values file), the profile entry that names that file. The pipeline fills it from `path`.
    related: Location | None = None

    def located(self, location: Location) -> Problem:
        return replace(self, location=location)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


class ProfileError(Exception):
    """The profile cannot be rendered; `problems` says every reason at once."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the profile")
        self.problems = problems


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)


def type_name(value: Any) -> str:
    """How a problem names the value it got: `a number (1.2)`, `a list`."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
