"""A ledger's maps held packed (output/packed.py) read and write exactly as the dicts they replace."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.output.ledger import Inputs, Ledger
from generator.output.packed import HASH_BYTES, Packed

_PATH = st.text(alphabet="abcz-_./0129", min_size=1, max_size=12)


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


def _pairs(paths: list[str]) -> list[tuple[str, bytes]]:
    return [(path, _digest(path)) for path in paths]


@settings(max_examples=150, deadline=None)
@given(st.lists(_PATH, unique=True, max_size=40), st.randoms(use_true_random=False))
def test_a_packed_map_is_the_dict_it_stands_for_in_any_order(paths: list[str], shuffle) -> None:
    pairs = _pairs(paths)
    shuffle.shuffle(pairs)
    packed = Packed.of(pairs, HASH_BYTES)
    plain = {path: raw.hex() for path, raw in pairs}
    assert packed == plain and plain == packed and len(packed) == len(plain)
    assert list(packed) == sorted(plain), "paths iterate in order, as the ledger writes them"
    assert list(packed.sorted_items()) == sorted(plain.items())
    for path in paths:
        assert path in packed and packed[path] == plain[path] and packed.get(path) == plain[path]
    assert "not-there" not in packed and packed.get("not-there") is None and 7 not in packed
    with pytest.raises(KeyError):
        packed["not-there"]


@settings(max_examples=100, deadline=None)
@given(st.lists(_PATH, unique=True, max_size=30), st.lists(_PATH, max_size=8), st.lists(_PATH, max_size=8))
def test_updating_and_dropping_give_what_the_dict_would(paths: list[str], changed: list[str],
                                                        dropped: list[str]) -> None:
    packed = Packed.of(_pairs(paths), HASH_BYTES)
    plain = dict(packed)
    changes = {path: _digest("edited " + path).hex() for path in changed}
    assert packed.updated(changes) == {**plain, **changes}
    assert packed == plain, "the original is not changed"
    assert packed.without(dropped) == {path: value for path, value in plain.items() if path not in dropped}


def test_a_value_that_is_no_digest_is_kept_as_it_stands() -> None:
    """A ledger edited by hand may give a kept file any hash: the new ledger repeats it, byte for byte."""
    packed = Packed.of(_pairs(["a", "b"]), HASH_BYTES)
    for odd in ("not hex", "ABCD" * 16, "ab" * 31, ""):
        updated = packed.updated({"b": odd, "c": "x"})
        assert updated == {"a": packed["a"], "b": odd, "c": "x"}


def test_the_wrong_shape_of_input_is_refused() -> None:
    twice = Packed.of([("b", bytes(32)), ("a", bytes(32)), ("b", b"\1" * 32), ("a", b"\2" * 32)], HASH_BYTES)
    assert twice == {"a": "02" * 32, "b": "01" * 32}, "as in a dict, a path given twice keeps the last"
    with pytest.raises(ValueError, match="not 32"):
        Packed.of([("a", bytes(16))], HASH_BYTES)
    with pytest.raises(ValueError):
        Packed(["a", "b"], bytes(32), HASH_BYTES)


@settings(max_examples=60, deadline=None)
@given(st.lists(_PATH, unique=True, max_size=30), st.integers(min_value=1, max_value=7))
def test_a_ledger_of_packed_maps_writes_the_bytes_of_one_of_dicts(paths: list[str], entries: int) -> None:
    """The ledger's text is `json.dumps` of its body whatever holds its maps, in pieces of any size."""
    files = Packed.of(_pairs(paths), HASH_BYTES)
    keys = Packed.of(((path, _digest(path)[:16]) for path in paths[::2]), 16)
    inputs = Inputs("f" * 64, ("policies",), ())
    packed = Ledger("estate", "estate.yaml", files, inputs, keys)
    plain = Ledger("estate", "estate.yaml", dict(files), inputs, dict(keys))
    expected = json.dumps(plain.body(), indent=2, sort_keys=True) + "\n"
    assert b"".join(packed.chunks(entries)).decode() == expected == plain.text()
    assert json.loads(expected)["files"] == dict(files)
