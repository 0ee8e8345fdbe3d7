"""The fast profile reader (libyaml events) against the reference (ruamel): same data, positions,
spellings; and it steps aside, leaving the file to ruamel, wherever the two YAML versions or its
subset could part ways."""

from __future__ import annotations

import string
from io import StringIO
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from conftest import PROFILES
from generator.profile.fast_load import fast_load
from generator.profile.load import read_with_ruamel


def _same(text: str) -> bool:
    """True when the fast reader answered (and then agrees with ruamel); False when it stepped aside."""
    fast = fast_load(text, "p.yaml")
    if fast is None:
        return False
    slow = read_with_ruamel(text, "p.yaml")
    assert fast.data == slow.data
    assert fast.source_map == slow.source_map
    assert fast.problems == slow.problems == ()
    return True


@pytest.mark.parametrize("profile", sorted(PROFILES.glob("*.yaml")), ids=lambda path: path.stem)
def test_every_example_profile_reads_the_same_and_fast(profile) -> None:  # type: ignore[no-untyped-def]
    assert _same(profile.read_text("utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str 3\n",  # explicit tag
        "a: &x [1]\nb: *x\n",  # alias
        "a: {x: 1}\nb:\n  <<: {y: 2}\n",  # merge key
        "a: 1\na: 2\n",  # repeated key (ruamel reports every one, placed)
        "1: a\n",  # a key that is not a string
        "a: |\n  text\n",  # block scalar
        'a: "x\\ty"\n',  # escape
        "a: two\n  lines\n",  # plain scalar over two lines
        "a: 1\n---\nb: 2\n",  # two documents
        "a:\tb\n",  # tab
        "a: b\r\n",  # carriage return
        "a: x\u2028y\n",  # a line break in YAML 1.1 only
        "\ufeffa: b\n",  # byte-order mark
        "a: 2025-02-30\n",  # ruamel cannot construct it: its error, its position
        "a: [\n",  # not YAML at all
        "",  # no document
        "a:\n" + "".join("  " * depth + "- x:\n" for depth in range(1, 80)),  # deeper than MAX_DEPTH
    ],
)
def test_it_steps_aside_where_ruamel_must_read(text: str) -> None:
    assert fast_load(text, "p.yaml") is None


@pytest.mark.parametrize(
    "text",
    [
        "a: yes\nb: no\nc: on\nd: ~\ne: null\nf: True\ng: 0o17\nh: 017\ni: 1_000\nj: 0x1F\nk: .inf\nl: 1e3\nm: 1.20\n",
        "a: '1.24'\nb: \"x y\"\nc: ''\nd:\nf: '#'\n",
        "list:\n- a\n-\n- - b\n  - c\n- {x: 1, y: [2, 3]}\n- name: n\n  more: m\n",
        "a: é # comment\n# another\nb:    spaced    \n",
        "a: &anchor {x: 1}\n",  # an anchor nothing refers to
        "a: 😀x\nb: '日本語'\nc: [x, 😀]\nk😀: {d: 'é😀'}\n",  # columns count characters, not bytes
    ],
)
def test_yaml_12_scalars_and_positions_match_ruamel(text: str) -> None:
    assert _same(text)


def _dumped(tree: Any, flow: bool | None) -> str:
    """`tree` as ruamel writes YAML, in block, flow or mixed style."""
    yaml = YAML(typ="rt")
    yaml.default_flow_style = flow
    yaml.width = 4096
    stream = StringIO()
    yaml.dump(tree, stream)
    return stream.getvalue()


_names = st.text(alphabet=string.ascii_letters + string.digits + "-_./ :#'\"é*&!", min_size=0, max_size=12)
_scalars = st.one_of(_names, st.integers(-10**6, 10**6), st.booleans(), st.none(), st.floats(allow_nan=False))
_trees = st.recursive(
    _scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_names, children, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(tree=st.dictionaries(_names, _trees, min_size=1, max_size=5), flow=st.sampled_from([None, True, False]))
def test_generated_profiles_read_the_same(tree, flow) -> None:  # type: ignore[no-untyped-def]
    _same(_dumped(tree, flow))  # the fast reader may step aside; where it answers, it agrees


_safe_names = st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True).filter(lambda name: name not in ("true", "false", "null"))
_safe_trees = st.recursive(
    st.one_of(_safe_names, st.integers(-10**6, 10**6), st.booleans(), st.none()),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_safe_names, children, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(tree=st.dictionaries(_safe_names, _safe_trees, min_size=1, max_size=5), flow=st.sampled_from([None, True, False]))
def test_profiles_in_the_plain_subset_take_the_fast_reader(tree, flow) -> None:  # type: ignore[no-untyped-def]
    text = _dumped(tree, flow)
    assert _same(text), text


def test_positions_are_read_only_when_a_problem_asks_for_them() -> None:
    """A profile that renders never needs its source map, which costs an estate more memory than its
    data: the fast reader reads the data alone, and the positions the first time one is asked for,
    the same as ruamel's."""
    text = (PROFILES / "caffeine.yaml").read_text("utf-8")
    fast = fast_load(text, "p.yaml")
    assert fast is not None and "deferred" in repr(fast.source_map)
    slow = read_with_ruamel(text, "p.yaml")
    path = ("namespaces", 0, "name")
    assert fast.source_map.locate(path) == slow.source_map.locate(path) != slow.source_map.locate(())
    assert "deferred" not in repr(fast.source_map)
    assert fast.source_map == slow.source_map
