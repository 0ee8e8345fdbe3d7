"""The hostile-input fuzzer's harness: mutate an example profile (or the files it names: base values,
policies; or a rendered tree's ledger), run gen on it in this process, and say what went wrong.

A case passes when gen ends with exit 0 or 2 (never an exception, which the console turns into
exit 3, and never a hang), touches nothing outside its output folder, writes no secret-shaped value
it was given, and, where a hostile string replaced a benign one and both renders succeed, writes
the same structure as the benign render with the hostile string verbatim as one scalar where the
benign one stood (no YAML injection). tests/test_fuzz.py runs a bounded, derandomized slice;
`GEN_FUZZ_EXAMPLES=100000 python -m pytest tests/test_fuzz.py -q` is the long run (README).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.report import format_text
from generator.tree import Status, render_tree

EXAMPLES = Path(__file__).resolve().parent.parent / "profiles"
FUZZED = ("caffeine.yaml", "greenfield.yaml", "brownfield.yaml", "multi-platform.yaml", "demo-apps.yaml")
# The templating-kit example: its profile (naming the kit at `kit/` in a workspace), the kit's
# declarations and templates a case may mutate.
KIT = EXAMPLES.parent / "templates"
KIT_PROFILE = "platform-kit.yaml"
KIT_FILES = ("kit/outputs/peer-authentication.yaml", "kit/outputs/hbone-network-policy.yaml",
             "kit/rules/deployment-team-label.yaml", "kit/rules/no-load-balancer.yaml", "kit/apps/echo/app.yaml")
KIT_TEMPLATES = ("kit/outputs/peerauthentication.yaml.j2", "kit/outputs/networkpolicy-hbone.yaml.j2",
                 "kit/k8s/serviceaccount.yaml.j2")
TEMPLATE_SNIPPETS = (
    "{{ ''.__class__.__mro__ | q }}", "{{ q.__globals__ | q }}", "{% include '/etc/passwd' %}",
    "{% include '../../profiles/platform-kit.yaml' %}", "{{ environ | q }}", "{{ name }}", "{{ name | q }}",
    "{{ ('x' * 100000000) | q }}", "{% for a in 'x' * 9999 %}{% for b in 'x' * 9999 %}{{ 'y' | q }}{% endfor %}{% endfor %}",
    "{{ '%99999999s' | format('x') | q }}", "{{ params.update({}) | q }}", "{% if %}", "{{ name | q }}\nextra: 1",
    "{{ namespace | q }}\n---\nkind: Secret", "{% macro m(s) %}{{ m(s ~ s) }}{% endmacro %}{{ m('x') }}",
    "{{ name | yaml_block }}", "{{ params | yaml_block(4) }}", "{{ name | comment }}", "{{ 9 ** 99999 | q }}",
)
# A hang: 30 CPU seconds without an answer (a busy loop), or 300 s of wall clock (a blocking read).
# CPU time, not wall clock, for the first: a case starved by other work on a loaded machine, or a
# fuzzer paused while a benchmark runs, is not a hang; the report gives both per slowest case.
HANG_SECONDS = 30
WALL_SECONDS = 300
MARKER = "fuzzmarker"

HOSTILE = (
    "a\nb: c", "x: y", "- item", "{{ 7*7 }}", "{% raw %}", "${HOME}", "$(id)", "`id`", "'", '"', "\\",
    "on", "off", "yes", "no", "y", "n", "~", "null", "1:20", "0o17", "0x1F", "1_000", ".inf", "1e30",
    "#comment", "&anchor", "*alias", "!!python/object:os.system", "<<", "---", "...", "\u0085",
    "\u2028", "\u2029", "\t", "\r", "a" * 5000, "ünïcödé ✓ 𝄞", "../../etc/passwd", "/dev/zero", "/", "/proc/self/environ",
    "a\ud834b",
)
SWAPS: tuple[Any, ...] = (0, -1, 2**63, 10**30, 1e30, float("inf"), True, None, [], {}, "", [1, 2], {"a": 1})
SECRETS = (
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAfuzzfuzzfuzzfuzzfuzzfuzzfuzz\n-----END RSA PRIVATE KEY-----",
    "postgres://admin:Sup3rS3cretFuzz@db.example.com/prod",
    "AKIAFUZZFUZZFUZZFUZZ",
)


@dataclass(frozen=True)
class Mutation:
    kind: str  # swap | hostile | delete | duplicate | secret | template (a kit template's text)
    path: tuple[str | int, ...]
    value: Any = None

    def describe(self) -> str:
        return f"{self.kind} at {'.'.join(map(str, self.path)) or '(root)'}: {self.value!r}"[:300]


def leaves(data: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    """Every path in `data`, containers included (deepest last)."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(value, (*path, index))


def apply(data: Any, mutation: Mutation) -> Any:
    """A copy of `data` with the mutation made."""
    copy = json.loads(json.dumps(data))
    if not mutation.path:
        return mutation.value
    parent = copy
    for part in mutation.path[:-1]:
        parent = parent[part]
    last = mutation.path[-1]
    if mutation.kind == "delete":
        del parent[last]
    elif mutation.kind == "duplicate":
        parent.insert(last, json.loads(json.dumps(parent[last])))  # type: ignore[arg-type]
    else:
        parent[last] = mutation.value
    return copy


def _surrogates(data: Any) -> bool:
    if isinstance(data, dict):
        return any(_surrogates(key) or _surrogates(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_surrogates(item) for item in data)
    return isinstance(data, str) and any("\ud800" <= char <= "\udfff" for char in data)


def dump(data: Any) -> str:
    """`data` as YAML that reads back as exactly `data` under YAML 1.1 and 1.2 alike. PyYAML writes
    NEL, LS and PS raw inside quotes, where YAML 1.1 readers fold them as line breaks and 1.2 readers
    keep them (`'\x85'` reads back as a space in 1.1); text that holds one is written again with every
    non-ASCII character escaped, so that a case's hostile value is what the profile says to any reader."""
    if _surrogates(data):  # no YAML writer spells a lone surrogate: JSON (YAML 1.2) escapes it, \\ud834
        return json.dumps(data, ensure_ascii=True)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**6)
    if any(char in text for char in "\x85\u2028\u2029"):
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=False, width=10**6)
    assert yaml.load(text, Loader=yaml.CSafeLoader) == data, "the fuzzer cannot write this case as YAML"
    return text


def _snapshot(folder: Path, skip: Path) -> dict[str, str]:
    found = {}
    for path in sorted(folder.rglob("*")):
        if skip in path.parents or path == skip or not path.is_file() or path.is_symlink():
            continue
        found[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


class Hang(BaseException):
    """Not an Exception: no `except Exception` in gen (a kit's sandbox, the YAML proof) can take a
    hang for a failure of its own."""


ARMED = [False]  # a hang signal counts only while a render runs


def _alarm(signum: int, frame: Any) -> None:
    if not ARMED[0]:
        return
    ARMED[0] = False
    raise Hang(f"no answer in {WALL_SECONDS} s, or after {HANG_SECONDS} CPU s")


def _cpu_watch(done: threading.Event, started: float) -> None:
    """Interrupts the main thread (SIGALRM) once this process has spent HANG_SECONDS of CPU time
    (user and system: reading a device is system time) since `started`."""
    while not done.wait(0.25):
        if time.process_time() - started > HANG_SECONDS:
            signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGALRM)
            return


@dataclass(frozen=True)
class Run:
    status: str  # ok | invalid | crash | hang
    detail: str = ""
    tree: dict[str, str] | None = None  # rendered files (text), when ok


def run_gen(work: Path, profile: str) -> Run:
    """`gen render work/profile --out work/out`, in this process, bounded in time."""
    out = work / "out"
    before = _snapshot(work, out)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(WALL_SECONDS)
    done = threading.Event()  # CPU time from a thread: the kits' sandbox has ITIMER_PROF for its own bound
    watch = threading.Thread(target=_cpu_watch, args=(done, time.process_time()), daemon=True)
    watch.start()
    ARMED[0] = True
    try:
        try:
            outcome = render_tree(work / profile, out)
        except Exception as error:  # what the console reports as exit 3
            crash = f"{type(error).__name__}: {error}"[:500]
            ARMED[0] = False
            return Run("crash", crash)
        ARMED[0] = False
    except Hang as error:  # raised in the render, or while its error was described
        return Run("hang", str(error))
    finally:
        ARMED[0] = False  # an interrupt on its way is moot now
        done.set()
        watch.join()
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    if _snapshot(work, out) != before:
        return Run("crash", "gen changed a file outside its output folder")
    if outcome.status is Status.INVALID:
        report = format_text(outcome.problems)
        if re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", report):
            return Run("crash", f"the report shows a control character raw: {report[:300]!r}")
        return Run("invalid", "; ".join(p.message for p in outcome.problems[:3]))
    if outcome.status is not Status.OK or outcome.root is None:
        return Run("crash", f"unexpected status {outcome.status}")
    tree = {str(p.relative_to(outcome.root)): p.read_text("utf-8") for p in sorted(outcome.root.rglob("*"))
            if p.is_file() and "/.gen/" not in f"/{p.relative_to(outcome.root)}"}
    return Run("ok", tree=tree)


def workspace(folder: Path, profile: str, data: Any) -> Path:
    """A copy of the examples' folder (the files profiles name) with `profile` replaced."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("*.yaml"), dirs_exist_ok=True)
    for name in ("values", "policies"):
        shutil.copytree(EXAMPLES / name, folder / name, dirs_exist_ok=True)
    (folder / profile).write_text(dump(data), "utf-8")
    return folder


def _documents(tree: dict[str, str]) -> dict[str, list[Any]]:
    parsed = {}
    for name, text in tree.items():
        if name.endswith((".yaml", ".yml")):
            parsed[name] = list(yaml.safe_load_all(text))
    return parsed


def _replace(data: Any, marker: str, value: str) -> Any:
    if isinstance(data, str):
        return data.replace(marker, value)
    if isinstance(data, dict):
        return {_replace(k, marker, value): _replace(v, marker, value) for k, v in data.items()}
    if isinstance(data, list):
        return [_replace(item, marker, value) for item in data]
    return data


def _ordered(data: Any) -> Any:
    """Lists of scalars in one order: gen sorts some by name (kustomization resources), and a
    name holding the value sorts where the value puts it."""
    if isinstance(data, dict):
        return {key: _ordered(value) for key, value in data.items()}
    if isinstance(data, list):
        items = [_ordered(item) for item in data]
        if all(isinstance(item, (str, int, float, bool)) or item is None for item in items):
            return sorted(items, key=repr)
        return items
    return data


def structure_problem(benign: dict[str, str], hostile: dict[str, str], value: str) -> str | None:
    """None if the hostile tree is the marker tree with the marker replaced by `value`, object by
    object (the file names may hold the value too)."""
    expected = {_replace(name, MARKER, value): _ordered(_replace(docs, MARKER, value))
                for name, docs in _documents(benign).items()}
    found = {name: _ordered(docs) for name, docs in _documents(hostile).items()}
    if set(expected) != set(found):
        return f"files differ: {sorted(set(expected) ^ set(found))[:5]}"
    for name, documents in expected.items():
        if documents != found[name]:
            return f"{name}: structure differs from the benign render's"
    return None


def secret_problem(tree: dict[str, str]) -> str | None:
    for name, text in tree.items():
        for secret in SECRETS:
            for line in secret.splitlines():
                if len(line) > 12 and line in text and "BEGIN" not in line and "END" not in line:
                    return f"{name} holds secret text {line[:20]!r}"
            if secret in text:
                return f"{name} holds a planted secret"
    return None
