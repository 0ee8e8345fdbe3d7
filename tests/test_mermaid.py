"""generator/graph/mermaid.py against mermaid's own parser (tests/mermaid, under Node.js): diagrams
built from hostile names are accepted, mermaid reads every node, edge and subgraph of them with the
name as its text, each label decodes to its text, and the same names written unquoted are refused,
which shows the parser is mermaid's grammar and not a stand-in."""

from __future__ import annotations

import re
from typing import Any

import pytest

from fuzz import HOSTILE
from generator.graph.mermaid import (
    DIRECTIONS, SHAPES, Shape, edge, flowchart, label, node, node_id, subgraph,
)
from mermaid_parser import MERMAID_MISSING, mermaid_errors, mermaid_flowcharts

# Names that mean something to mermaid: its keywords and statements, comments and directives,
# entity codes and its own stand-ins for them, HTML, Markdown, icons, math, edge and shape tokens.
MERMAID_HOSTILE = (
    '"', 'a"b', "']", "a]b", "x[y", "{}", "{{", "()", "((", "[]", "[[", "[/", "[(", ">", "|", "a|b",
    "-->", "a --> b", "-.->", "==>", "--x", "o--o", "~~~", "&", "&amp;", "&lt;", "%%", "%% comment",
    "%%{init: {'theme': 'dark'}}%%", "a\n%% b", ";", "a;b", "\n", "a\nb", "\r\n", "\n\n", "#",
    "#quot;", "#35;", "#9829;", "#br#", "ﬂ°°35¶ß", "ﬂ°quot¶ß", "¶ß", "<script>alert(1)</script>",
    "<br>", "<b>bold</b>", "<img src=x onerror=alert(1)>", "end", "End", "END", "subgraph",
    "subgraph x\nend", "a\nend", "click", "click n1 call alert()", "click n1 href 'javascript:alert(1)'",
    "style", "style n1 fill:#f00;", "classDef", "classDef c fill:#f00;", "class", "linkStyle 0 stroke:red",
    "direction LR", "direction  TB", "a direction RL b", "direction", "graph", "flowchart", "`",
    "`code`", "`**bold**`", '"`x`"', "a:::c", ":::", ":", "fa:fa-car", "fab:fa-github", "$$x^2$$", "$",
    "\\n", "a\\nb", "C:\\new", "---\ntitle: x\n---", "accTitle: x", "accDescr{ x }",
    "@{ shape: circle }", "a@{ shape: rect }", "\u2028", "\u2029", "\x00", "\x1b[31m", "\u200b",
    "\u202e", "\ufeff", "\u00a0", "日本語", "😀", "x" * 20000, "", " ", "  padded  ", "\t",
)
NAMES = tuple(dict.fromkeys((*HOSTILE, *MERMAID_HOSTILE)))
# mermaid's name for each shape.
MERMAID_SHAPES = {"box": "square", "rhombus": "diamond"}


def decoded(token: str) -> str:
    """What mermaid shows for a label token: the quotes taken off, the text trimmed (as mermaid
    does), its entity codes (`#35;`, drawn as `&#35;`) and line breaks (`<br>`) turned into their
    characters."""
    assert token.startswith('"') and token.endswith('"') and len(token) >= 3
    body = token[1:-1]
    # Mermaid takes `#\w+;` for an entity code anywhere in a diagram; outside them, nothing in a
    # label may mean anything to its lexer, preprocessing or HTML.
    rest = re.sub(r"#\w+;", "", body.replace("<br>", ""))
    for char in '"#&<>\\`$%:\n\r\u2028\u2029\ufb02\u00b6':
        assert char not in rest, (char, token[:200])
    assert all(char.isprintable() for char in rest), token[:200]
    assert not re.search(r"direction\s", body), token[:200]

    def code(match: re.Match[str]) -> str:
        assert match[1].isdigit(), match[0]  # gen writes only decimal codes
        return chr(int(match[1]))

    return re.sub(r"#(\w+);", code, body.strip().replace("<br>", "\n"))


def shown(kept: str) -> str:
    """A text as mermaid keeps it in its database, as the drawing shows it: mermaid's stand-ins for
    entity codes become HTML character references, which the browser shows as their characters."""
    html = kept.replace("ﬂ°°", "&#").replace("ﬂ°", "&").replace("¶ß", ";")
    text = re.sub(r"<br>|&#(\d+);", lambda match: chr(int(match[1])) if match[1] else "\n", html)
    assert not re.search(r"[<>&]", re.sub(r"<br>|&#\d+;", "", html)), kept[:200]  # no markup left
    return text


def estate(name: str, index: int) -> tuple[str, dict[str, Any]]:
    """A diagram that uses `name` everywhere a name can stand (subgraph titles, every node shape,
    edge labels, identifiers made from it, nested subgraphs, edges into a subgraph), and what
    mermaid must read from it."""
    cluster, namespace, ztunnel = node_id("cluster", name), node_id("namespace", name, name), node_id("zt", name)
    shapes: list[Shape] = list(SHAPES)
    nodes = [node_id(shape, name) for shape in shapes]
    inner = [node(identifier, name, shape) for identifier, shape in zip(nodes, shapes)]
    lines = [
        *subgraph(cluster, name, subgraph(namespace, name, inner)),
        node(ztunnel, f"ztunnel {name}", "hexagon"),
        edge(nodes[0], nodes[1], name),
        edge(nodes[1], nodes[2], name, dotted=True),
        edge(nodes[2], nodes[3]),
        edge(ztunnel, namespace, name),
        edge(cluster, nodes[-1], dotted=True),
    ]
    direction = sorted(DIRECTIONS)[index % len(DIRECTIONS)]
    expected = {
        "direction": "TB" if direction == "TD" else direction,  # mermaid reads TD as TB
        "vertices": {**{identifier: (MERMAID_SHAPES.get(shape, shape), name) for identifier, shape in zip(nodes, shapes)},
                     ztunnel: ("hexagon", f"ztunnel {name}")},
        "edges": [(nodes[0], nodes[1], "normal", name), (nodes[1], nodes[2], "dotted", name),
                  (nodes[2], nodes[3], "normal", ""), (ztunnel, namespace, "normal", name),
                  (cluster, nodes[-1], "dotted", "")],
        "subgraphs": {cluster: (name, {namespace}), namespace: (name, set(nodes))},
    }
    return flowchart(direction, lines), expected  # type: ignore[arg-type]


def read(answer: dict[str, Any]) -> dict[str, Any]:
    """What mermaid read from a flowchart, in the shape `estate` expects, texts as shown. (An edge to
    a subgraph also enters the subgraph's id among the vertices, without a shape: not a node.)"""
    subgraphs = {s["id"] for s in answer["subgraphs"]}
    return {
        "direction": answer["direction"],
        "vertices": {v["id"]: (v["shape"], shown(v["text"])) for v in answer["vertices"] if v["id"] not in subgraphs},
        "edges": [(e["start"], e["end"], e["stroke"], shown(e["text"])) for e in answer["edges"]],
        "subgraphs": {s["id"]: (shown(s["title"]), set(s["nodes"])) for s in answer["subgraphs"]},
    }


@pytest.fixture
def parser() -> None:
    if MERMAID_MISSING is not None:
        pytest.skip(MERMAID_MISSING)


@pytest.mark.usefixtures("parser")
def test_every_hostile_name_yields_a_diagram_mermaid_reads_with_the_name_verbatim() -> None:
    built = [estate(name, index) for index, name in enumerate(NAMES)]
    answers = mermaid_flowcharts([text for text, _ in built])
    refused = [(name, answer["error"]) for name, answer in zip(NAMES, answers) if answer["error"] is not None]
    assert not refused, refused[:3]
    for name, (_, expected), answer in zip(NAMES, built, answers):
        assert read(answer) == expected, name[:200]


@pytest.mark.usefixtures("parser")
def test_all_names_in_one_diagram() -> None:
    lines = [line for index, name in enumerate(NAMES)
             for line in subgraph(node_id("all", str(index)), name, [node(node_id("all", name), name, "round")])]
    [answer] = mermaid_flowcharts([flowchart("LR", lines)])
    assert answer["error"] is None, answer["error"]
    assert [shown(s["title"]) for s in answer["subgraphs"]] == list(NAMES)
    assert [shown(v["text"]) for v in answer["vertices"]] == list(NAMES)


@pytest.mark.usefixtures("parser")
def test_the_same_names_unquoted_break_the_parser() -> None:
    quoted, raw = [], []
    for name in ('a"b', "a]b", "x[y", "a|b", "{}", "()"):
        quoted.append(flowchart("LR", [node(node_id(name), name), edge(node_id(name), node_id("x"), name)]))
        raw.append(f"flowchart LR\n    n1[{name}] -->|{name}| n2\n")
    raw.append("flowchart LR\n    end --> n2\n")  # a keyword as an identifier
    raw.append('flowchart LR\n    n1[""]\n')  # mermaid has no empty label
    raw.append('flowchart LR\n    n1["a"b"]\n')  # quoted, but not escaped
    errors = mermaid_errors(quoted + raw)
    assert errors[:len(quoted)] == [None] * len(quoted)
    for text, error in zip(raw, errors[len(quoted):]):
        assert error is not None and re.search(r"(Parse|Lexical) error", error), (text, error)


@pytest.mark.usefixtures("parser")
def test_quoting_alone_loses_what_mermaid_rewrites() -> None:
    """Labels mermaid accepts but does not show as written when only quoted: why `label` codes more
    than the quote."""
    naive = ['flowchart LR\n    n1["direction LR"]\n', 'flowchart LR\n    n1["#34;"]\n',
             'flowchart LR\n    n1["  padded  "]\n', 'flowchart LR\n    n1["a<b>b</b>"]\n']
    answers = mermaid_flowcharts(naive)
    assert answers[0]["error"] is None and answers[0]["vertices"] == []  # the node is gone
    assert shown(answers[1]["vertices"][0]["text"]) == '"'
    assert answers[2]["vertices"][0]["text"] == "padded"
    assert "<b>" in answers[3]["vertices"][0]["text"]


@pytest.mark.parametrize("name", NAMES, ids=lambda name: repr(name)[:40])
def test_a_label_shows_its_text_verbatim(name: str) -> None:
    token = label(name)
    assert decoded(token) == name
    assert node(node_id(name), name, "stadium") == f"{node_id(name)}([{token}])"


def test_plain_names_stay_readable() -> None:
    assert label("istio-system") == '"istio-system"'
    assert label("ns.cluster-1/bookinfo, v2") == '"ns.cluster-1/bookinfo, v2"'
    assert label("ünïcödé ✓ 𝄞") == '"ünïcödé ✓ 𝄞"'
    assert label('say "hi"') == '"say #34;hi#34;"'
    assert label("a\nb") == '"a<br>b"'
    assert label(" a b ") == '"#32;a b#32;"'
    assert label("") == '" "'


def test_identifiers_are_deterministic_distinct_and_words() -> None:
    parts = [("a", "b"), ("a\x00b",), ("ab",), ("a", "", "b"), ("a", "b", ""), ("", "ab"), ("end",), ()]
    identifiers = [node_id(*each) for each in parts]
    assert len(set(identifiers)) == len(parts)
    assert identifiers == [node_id(*each) for each in parts]
    assert all(re.fullmatch(r"n[0-9a-f]{16}", identifier) for identifier in identifiers)
    assert len({node_id(name) for name in NAMES}) == len(NAMES)


def test_builders_take_only_identifiers_and_one_line_statements() -> None:
    for bad in ("end", "a b", "n1", 'n0123456789abcdef"'):
        with pytest.raises(ValueError):
            node(bad, "x")
        with pytest.raises(ValueError):
            edge(node_id("a"), bad)
    with pytest.raises(ValueError):
        flowchart("LR", ["n1 --> n2\nclick n1 call alert()"])
    with pytest.raises(ValueError):
        flowchart("XY", [])  # type: ignore[arg-type]
    text = flowchart("TD", subgraph(node_id("s"), "s", [node(node_id("a"), "a")]))
    assert text == (f"flowchart TD\n    subgraph {node_id('s')} [\"s\"]\n"
                    f"        {node_id('a')}[\"a\"]\n    end\n")
