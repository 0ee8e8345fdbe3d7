"""Where gen may write at all, and how a refusal or a failed write is reported.

Every reason not to write is a `Problem` naming a path on disk (not a place in the profile), so it
is printed like any other problem, in every `--format`.
"""

from __future__ import annotations

from pathlib import Path

TYPE_CHECKING = False  # `typing` is not imported on the no-change path; mypy reads this as true
if TYPE_CHECKING:
    from ..problems import Problem

PACKAGE = Path(__file__).resolve().parents[1]  # generator/: its code and its templates


def write_problem(path: Path | str, message: str, hint: str) -> Problem:
    """A problem of the output tree: it names a path on disk, not a place in the profile."""
    from ..problems import Location, Problem  # only once there is one: the no-change path imports neither

    return Problem(message, "write", hint=hint, location=Location(str(path), 0, 0))


class WriteError(Exception):
    """The tree could not be written. `partial`: some files were already replaced (the ledger was
    not, so the next render finishes the job)."""

    def __init__(self, problems: list[Problem], partial: bool = False) -> None:
        super().__init__("; ".join(f"{p.location.file if p.location else ''}: {p.message}" for p in problems))
        self.problems = problems
        self.partial = partial


def refuse(path: Path | str, message: str, hint: str) -> WriteError:
    return WriteError([write_problem(path, message, hint)])


def _install_dirs() -> set[Path]:
    """Where Python keeps installed packages: never an output folder."""
    import sysconfig  # only for a full render: the no-change path starts fast

    names = ("purelib", "platlib")
    return {Path(sysconfig.get_paths()[name]).resolve() for name in names}


def gen_owned(resolved: Path) -> str | None:
    """Why gen may not write at `resolved` (a resolved path): inside its own package (it would change
    every ledger's code fingerprint) or among Python's installed packages; None if it may."""
    if resolved.is_relative_to(PACKAGE):
        return f"is inside gen's own package ({PACKAGE})"
    if any(resolved.is_relative_to(directory) for directory in _install_dirs()):
        return "is among Python's installed packages"
    return None


def check_output_root(root: Path, profile_file: Path | None = None) -> list[Problem]:
    """Reasons not to write under `root` at all, found before anything is written: it would land in
    gen's own package (code or templates) or among installed packages, hold the profile itself
    (`profile_file`, given for the final out/<profile>/), or sit below a file."""
    problems = []
    resolved = root.resolve()
    if resolved.is_relative_to(PACKAGE) or (profile_file is not None and PACKAGE.is_relative_to(resolved)):
        problems.append(
            write_problem(
                root,
                f"refusing to write into gen's own package ({PACKAGE})",
                "choose an output folder outside the installed package and the source tree's generator/",
            )
        )
    elif any(resolved.is_relative_to(directory) for directory in _install_dirs()):
        problems.append(
            write_problem(
                root,
                "refusing to write among Python's installed packages",
                "choose an output folder in your GitOps repository, such as out/",
            )
        )
    if profile_file is not None and profile_file.resolve().is_relative_to(resolved):
        problems.append(
            write_problem(
                root,
                f"refusing to write over the profile: {profile_file} lies inside the output folder",
                "keep profiles outside out/<profile>/; choose another --out",
            )
        )
    for ancestor in (resolved, *resolved.parents):
        if ancestor.exists():
            if not ancestor.is_dir():
                problems.append(
                    write_problem(
                        ancestor,
                        "is not a directory, so the output folder cannot be made below it",
                        "give --out a directory (or a path that does not exist yet)",
                    )
                )
            break
    return problems




def write_warning(path: Path | str, message: str, hint: str, rule: str = "write") -> Problem:
    from ..problems import Location, Problem, Severity

    return Problem(message, rule, hint=hint, severity=Severity.WARNING, location=Location(str(path), 0, 0))
