"""A progress display for long runs on a terminal; silent in CI, in pipes and for quick runs."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
# Not `typing.TYPE_CHECKING`: typing costs the no-change path milliseconds to import; mypy reads any
# TYPE_CHECKING as true.
TYPE_CHECKING = False

if TYPE_CHECKING:
    from rich.progress import Progress


SHOW_AFTER = 0.5  # seconds: a run quicker than this shows nothing


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def progress(total: int) -> Iterator[Callable[[str], None]]:
    """Yields `advance(label)`; the bar appears once the run has taken more than a moment."""
    if total < 2 or not _interactive():
        yield lambda label: None
        return
    from rich.progress import Progress  # only on a terminal, for a run of several profiles

    started = time.monotonic()
    display: Progress | None = None
    task = None
    done = 0

    def advance(label: str) -> None:
        nonlocal display, task, done
        done += 1
        if display is None and time.monotonic() - started > SHOW_AFTER:
            display = Progress(transient=True, console=None)
            display.start()
            task = display.add_task("rendering", total=total, completed=done)
        if display is not None and task is not None:
            display.update(task, completed=done, description=label)

    try:
        yield advance
    finally:
        if display is not None:
            display.stop()
