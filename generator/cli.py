"""`gen`'s entry point: the one place where unexpected exceptions become exit code 3, and the fast
path of the command CI runs on every pull request.

A plain `gen render PROFILE... [--out DIR] [--check] [--force]` is parsed here, without loading the
command-line library (typer and what it imports take about a tenth of a second, a third of a
no-change render). Any other form, any other option, and every mistake go to the commands
(commands.py), which parse, explain and refuse as usual; tests/test_cli_fast.py checks that both
read the forms taken here the same way.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from .record import Record
from .report import ReportFormat
from .run import EXIT_INTERNAL, mode_of, render_profiles


class PlainRender(Record):
    """A render in the plain form (a record, generator/record.py)."""

    __slots__ = ("profiles", "out", "check", "force")

    def __init__(self, profiles: tuple[Path, ...], out: Path = Path("out"), check: bool = False,
                 force: bool = False) -> None:
        self.profiles = profiles
        self.out = out
        self.check = check
        self.force = force


def plain_render(argv: list[str]) -> PlainRender | None:
    """The render `argv` asks for, if it is in the plain form; None for anything else."""
    if not argv or argv[0] != "render":
        return None
    profiles: list[Path] = []
    out, check, force = Path("out"), False, False
    words = iter(argv[1:])
    for word in words:
        if word == "--check":
            check = True
        elif word == "--force":
            force = True
        elif word == "--out":
            value = next(words, None)
            if not value or value.startswith("-"):  # an empty one is refused by the commands
                return None
            out = Path(value)
        elif word.startswith("--out=") and len(word) > len("--out="):
            out = Path(word[len("--out=") :])
        elif word and not word.startswith("-"):
            profiles.append(Path(word))
        else:
            return None
    return PlainRender(tuple(profiles), out, check, force) if profiles else None


def _run(argv: list[str]) -> None:
    plain = plain_render(argv)
    if plain is None:
        from .commands import app

        app(argv)
        return
    sys.exit(render_profiles(list(plain.profiles), plain.out, ReportFormat.TEXT, mode_of(plain.check, False),
                             plain.force, None))


def main() -> None:
    """Console entry point: the one place where unexpected exceptions become exit code 3."""
    # A run builds a large, long-lived object graph (the plan, the rendered files) and leaves almost
    # no cyclic garbage; the default thresholds would rescan that graph hundreds of times on an
    # estate. Collect rarely instead: same memory at 1,000 namespaces, about 10% less time.
    gc.set_threshold(50_000, 20, 100)
    try:
        _run(sys.argv[1:])
    except KeyboardInterrupt:
        sys.stderr.write("gen: interrupted\n")
        sys.exit(130)
    except Exception as error:  # the error boundary: no traceback for users unless asked
        sys.stderr.write(
            f"gen: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in gen, not in your profile; please report it with the profile that caused it.\n"
        )
        if os.environ.get("GEN_DEBUG"):
            import traceback  # only here: a plain run does not pay for importing it

            traceback.print_exc()
        else:
            sys.stderr.write("Set GEN_DEBUG=1 to print the traceback.\n")
        sys.exit(EXIT_INTERNAL)


def entry() -> None:
    """The console script (and `python -m generator`): `main()`, then leave at once. Python would
    otherwise free the run's objects one by one on the way out, which on an estate takes a good part
    of a second; by then every file gen wrote is closed and the ledger is in place."""
    code: int | str | None
    try:
        main()
        code = 0
    except SystemExit as exited:
        code = exited.code
    if isinstance(code, str):  # as Python prints such an exit
        sys.stderr.write(code + "\n")
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can be said
        code = code or 1
    os._exit(code or 0)
