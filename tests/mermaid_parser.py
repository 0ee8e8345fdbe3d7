"""mermaid's own parser, for tests: tests/mermaid/parse.mjs runs the pinned `mermaid` npm package
under Node.js, one process for a whole batch of diagram texts (without the ``` fence).

`mermaid_errors` returns, for each text, None where mermaid accepts it or the parser's error
message; `mermaid_flowcharts` also returns what mermaid read from each accepted flowchart (its
vertices, edges and subgraphs, texts as mermaid keeps them), since mermaid accepts some texts by
reading less than they say. `MERMAID_MISSING` says why the parser cannot run here (no `node`, or
the npm packages not installed: `.ci/run` installs them with `npm ci --prefix tests/mermaid`), else
None; tests skip on it and on nothing else: a parser that runs and fails is an error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "mermaid"
SCRIPT = HERE / "parse.mjs"
_NODE = shutil.which("node")
_PACKAGES = ("mermaid", "jsdom")


def _missing() -> str | None:
    if _NODE is None:
        return "node is not installed: mermaid's parser runs under Node.js"
    absent = [name for name in _PACKAGES if not (HERE / "node_modules" / name / "package.json").is_file()]
    if absent:
        return (f"npm packages {', '.join(absent)} are not installed in tests/mermaid "
                "(npm ci --prefix tests/mermaid, as .ci/run does)")
    return None


MERMAID_MISSING = _missing()


def _parse(texts: list[str], *options: str, timeout: float = 300) -> list[Any]:
    if MERMAID_MISSING is not None or _NODE is None:
        raise RuntimeError(MERMAID_MISSING)
    done = subprocess.run(
        [_NODE, str(SCRIPT), *options], input=json.dumps(texts), capture_output=True, text=True,
        encoding="utf-8", timeout=timeout, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"parse.mjs exited {done.returncode}: {done.stderr[-2000:]}")
    answers = json.loads(done.stdout)
    if not isinstance(answers, list) or len(answers) != len(texts):
        raise RuntimeError(f"parse.mjs answered {len(answers)} items for {len(texts)} texts")
    return answers


def mermaid_errors(texts: list[str]) -> list[str | None]:
    """For each diagram text: None if mermaid's parser accepts it, else its error message."""
    return [None if answer is None else str(answer) for answer in _parse(texts)]


def mermaid_flowcharts(texts: list[str]) -> list[dict[str, Any]]:
    """For each diagram text: {"error": message} if mermaid refuses it, else {"error": None, "type",
    and for a flowchart "direction", "vertices": [{id, shape, text}], "edges": [{start, end, stroke,
    text}], "subgraphs": [{id, title, nodes}]}}, texts with mermaid's stand-ins for entity codes."""
    return [dict(answer) for answer in _parse(texts, "--flowchart")]
