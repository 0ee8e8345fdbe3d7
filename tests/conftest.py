from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROFILES = REPO / "profiles"
GOLDEN = REPO / "out"
# Facts from the product's source documents and from public references, as our own YAML.
FIXTURES = REPO / "tests" / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite generator/_compiled/ and out/ from the templates and the example profiles instead of comparing",
    )


def pytest_sessionstart(session: pytest.Session) -> None:
    """With --update-golden, out/ is rewritten before any test runs, so that every test that
    compares with it (not only the golden test) sees the refreshed tree on the same run."""
    if not session.config.getoption("--update-golden"):
        return
    from helpers import plan_into, render_into
    from generator.output.precompiled import write_all

    write_all()  # first: the package's code, and so every ledger's fingerprint, holds them
    for profile in sorted(PROFILES.glob("*.yaml")):
        render_into(profile, GOLDEN)
        if "\nmigration:" in profile.read_text("utf-8"):
            plan_into(profile, GOLDEN)


def position_of(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the n-th occurrence of `needle` in `text`."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


@pytest.fixture(autouse=True)
def _own_stat_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The no-change path records file statuses outside the repository (generator/stat_cache.py):
    each test keeps its own record, in processes it starts too, never the user's."""
    monkeypatch.setenv("GEN_CACHE_DIR", str(tmp_path_factory.mktemp("stat-cache")))


@pytest.fixture(autouse=True)
def _no_kit_from_an_earlier_test() -> None:
    """A kit is active from the check of the profile that names it until the next check (one per
    process in real runs); a test that calls a stage directly starts with none."""
    from generator.kit.active import activate

    activate(None)


@pytest.fixture(autouse=True)
def _fast_reader_agrees_with_ruamel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every profile a test loads in-process is read by both readers: wherever the fast one answers,
    it must answer exactly what ruamel reads (data, positions, spellings, problems)."""
    from generator.profile import fast_load as module
    from generator.profile.load import read_with_ruamel

    fast = module.fast_load

    def checked(text: str, name: str):  # type: ignore[no-untyped-def]
        loaded = fast(text, name)
        if loaded is not None:
            reference = read_with_ruamel(text, name)
            assert (loaded.data, loaded.source_map, loaded.problems) == (
                reference.data, reference.source_map, reference.problems
            ), f"the fast reader and ruamel disagree on {name}"
            FAST_READS.append(name)
        return loaded

    monkeypatch.setattr(module, "fast_load", checked)


FAST_READS: list[str] = []  # profiles the fast reader answered for, across the session
