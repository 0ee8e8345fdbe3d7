"""`clusters/<cluster>/verify.sh`: every script passes shellcheck, and runs against a fake kubectl
and istioctl (tests/…/bin, first on PATH) that replay recorded outputs per command line. It passes
on the expected outputs, fails at the first mismatch naming its check, prints its commands with
--dry-run and runs none, and keeps every profile value one word, verbatim."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PROFILES
from fuzz import HOSTILE
from generator.graph.verify import (
    CallCheck, DeferredVerifyScript, LabelCheck, NamespaceCheck, PodCheck, VerifyScriptContext, WaypointCheck,
    verify_outputs,
)
from generator.output.render import make_environment, render_output
from generator.pipeline import checked_model
from generator.plan import Output

SHELLCHECK = shutil.which("shellcheck")
needs_shellcheck = pytest.mark.skipif(
    SHELLCHECK is None, reason="shellcheck is not installed (apt-get install shellcheck): scripts not linted"
)
EXAMPLES = ("caffeine", "brownfield", "greenfield", "waypoints", "demo-apps", "multi-platform")

# The fake kubectl and istioctl: each notes its arguments (one file each, in calls/<n>/, the tool's
# name in 0) and replays what replies/ recorded for its command line: stdout and exit code.
FAKE_TOOL = r"""#!/bin/sh
tool=${0##*/}
n=$(ls "$FAKE_HOME/calls" | wc -l)
dir="$FAKE_HOME/calls/$(printf '%05d' "$n")"
mkdir "$dir"
printf '%s' "$tool" > "$dir/0"
i=0
for arg in "$@"; do
  i=$((i + 1))
  printf '%s' "$arg" > "$dir/$i"
done
line="$tool $*"
for request in "$FAKE_HOME"/replies/*.command; do
  [ -e "$request" ] || break
  if [ "$(cat "$request")" = "$line" ]; then
    cat "${request%.command}.out"
    exit "$(cat "${request%.command}.code")"
  fi
done
echo "fake $tool: nothing recorded for: $line" >&2
exit 1
"""

Reply = tuple[str, int]  # stdout, exit code


def render(context: VerifyScriptContext, profile: str = "p") -> str:
    output = Output(f"clusters/{context.cluster}/verify.sh", context, (), "verify script")
    return render_output(make_environment(), output, profile).text


def example_scripts() -> list[tuple[str, VerifyScriptContext, str]]:
    found = []
    for name in EXAMPLES:
        profile = checked_model(PROFILES / f"{name}.yaml")[0]
        for output in verify_outputs(profile):
            assert isinstance(output.context, DeferredVerifyScript)  # built where it is rendered
            context = output.context.built
            assert isinstance(context, VerifyScriptContext)
            found.append((f"{name}/{context.cluster}", context, render_output(make_environment(), output, profile.name).text))
    return found


SCRIPTS = example_scripts()
BY_NAME = {name: (context, text) for name, context, text in SCRIPTS}


def checks_of(text: str, namespace: str) -> list[str]:
    """The commands the script runs for `namespace`: the body of the shape function its line calls,
    with the namespace in place of "$1"."""
    calls = re.findall(rf"^(namespaces_\d+) {re.escape(namespace)}$", text, re.MULTILINE)
    assert len(calls) == 1, f"{namespace} is not checked exactly once: {calls}"
    body = re.search(rf"^{calls[0]}\(\) {{\n(.*?)^}}$", text, re.MULTILINE | re.DOTALL)
    assert body is not None, f"no function {calls[0]}"
    return [line.strip().replace('"$1"', namespace) for line in body.group(1).splitlines()]


def shellcheck(script: Path) -> None:
    assert SHELLCHECK is not None
    found = subprocess.run([SHELLCHECK, "-s", "sh", str(script)], capture_output=True, text=True, timeout=60)
    assert found.returncode == 0, found.stdout + found.stderr


class Cluster:
    """A folder with the script, the fake tools first on PATH, their replies and their calls."""

    def __init__(self, root: Path, text: str) -> None:
        self.root = root
        self.script = root / "verify.sh"
        self.script.write_text(text, "utf-8")
        bin_dir = root / "bin"
        bin_dir.mkdir()
        for tool in ("kubectl", "istioctl"):
            (bin_dir / tool).write_text(FAKE_TOOL, "utf-8")
            (bin_dir / tool).chmod(0o755)
        (root / "calls").mkdir()
        (root / "replies").mkdir()
        self.env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "FAKE_HOME": str(root)}

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """The script's run; its output decoded as it is (no newline translation: "\r" stays)."""
        done = subprocess.run(["sh", str(self.script), *args], capture_output=True, env=self.env, cwd=self.root,
                              timeout=120)
        return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8"),
                                           done.stderr.decode("utf-8"))

    def record(self, replies: dict[tuple[str, ...], Reply]) -> None:
        for number, (command, (out, code)) in enumerate(replies.items()):
            (self.root / "replies" / f"{number:04d}.command").write_bytes(" ".join(command).encode("utf-8"))
            (self.root / "replies" / f"{number:04d}.out").write_bytes(out.encode("utf-8"))
            (self.root / "replies" / f"{number:04d}.code").write_text(str(code), "utf-8")

    def calls(self) -> list[list[str]]:
        """Each call of a fake tool: its name, then its arguments."""
        found = []
        for call in sorted((self.root / "calls").iterdir()):
            count = len(list(call.iterdir()))
            found.append([(call / str(i)).read_bytes().decode("utf-8") for i in range(count)])
        return found

    def dry_run(self, *args: str) -> list[list[str]]:
        """The commands --dry-run prints, read back as a shell reads them."""
        result = self.run("--dry-run", *args)
        assert result.returncode == 0, result.stdout + result.stderr
        assert self.calls() == []  # nothing ran
        return commands(result.stdout)


def commands(text: str) -> list[list[str]]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars="\n")
    lexer.whitespace, lexer.whitespace_split, lexer.commenters = " \t", True, ""
    found: list[list[str]] = [[]]
    for token in lexer:
        if token == "\n":
            found.append([])
        else:
            found[-1].append(token)
    return [command for command in found if command]


def without_context(command: list[str]) -> list[str]:
    if command[:1] == ["kubectl"] and command[1:2] == ["--context"]:
        return [command[0], *command[3:]]
    if command[:1] == ["istioctl"] and command[-2:-1] == ["--context"]:
        return command[:-2]
    return command


POD_HASH = "7c9d5f8b6-xq2zt"


def pod_lines(namespace: NamespaceCheck, change: Callable[[PodCheck, str], str] | None = None) -> str:
    """`kubectl get pods` as the script asks for it: name, containers, init containers (tab-separated)."""
    lines = []
    for pod in namespace.pods:
        containers = " ".join((*pod.containers, *(("istio-proxy",) if pod.sidecar else ())))
        line = f"{pod.deployment}-{POD_HASH}\t{containers}\t{'istio-init' if pod.sidecar else ''}"
        lines.append(change(pod, line) if change else line)
    return "".join(f"{line}\n" for line in lines)


def ztunnel_table(context: VerifyScriptContext) -> str:
    """`istioctl ztunnel-config workload` as Istio 1.24 prints it (seed 004's columns)."""
    rows = [("NAMESPACE", "POD NAME", "ADDRESS", "NODE", "WAYPOINT", "PROTOCOL"),
            (context.istio_namespace, "ztunnel-fnq2g", "10.0.0.2", "node-1", "None", "TCP")]
    waypoints = {waypoint.namespace: waypoint.name for waypoint in context.waypoints}
    for number, namespace in enumerate(context.namespaces):
        for pod in namespace.pods:
            protocol = pod.protocol or "TCP"
            waypoint = waypoints.get(namespace.name, "None") if protocol == "HBONE" else "None"
            rows.append((namespace.name, f"{pod.deployment}-{POD_HASH}", f"10.0.1.{number}", "node-1", waypoint,
                         protocol))
    widths = [max(len(row[i]) for row in rows) for i in range(6)]
    return "".join(" ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() + "\n" for row in rows)


CURL = {"ok": ("200", 0), "denied": ("403", 0), "reset": ("000", 56)}


def expected_reply(context: VerifyScriptContext, command: list[str]) -> Reply:
    """What a cluster that runs the context's state prints for one of the script's commands."""
    words = without_context(command)
    namespaces = {namespace.name: namespace for namespace in context.namespaces}
    match words:
        case ["kubectl", "get", "daemonset", _, "-n", _, "-o", _]:
            return "3/3", 0
        case ["kubectl", "get", "namespace", name, "-o", path]:
            key = path.removeprefix("jsonpath={.metadata.labels.").removesuffix("}").replace("\\.", ".")
            return next(label.value for label in namespaces[name].labels if label.key == key), 0
        case ["kubectl", "get", "pods", "-n", name, "-o", _]:
            return pod_lines(namespaces[name]), 0
        case ["istioctl", "ztunnel-config", "workload", "-n", _]:
            return ztunnel_table(context), 0
        case ["kubectl", "get", "gateways.gateway.networking.k8s.io", _, "-n", _, "-o", _]:
            return "True", 0
        case ["kubectl", "exec", "-n", source, client, "--", "curl", *_, url]:
            call = next(c for c in context.calls if (c.source, c.client, c.url) == (source, client, url))
            return CURL[call.status]
    raise AssertionError(f"the script runs a command the test does not know: {command}")


def recorded(cluster: Cluster, context: VerifyScriptContext, *args: str,
             change: Callable[[list[str], Reply], Reply] | None = None) -> list[list[str]]:
    """Records the expected reply to each command the script prints with --dry-run (changed by
    `change`); returns the commands."""
    found = cluster.dry_run(*args)
    replies = {}
    for command in found:
        reply = expected_reply(context, command)
        replies[tuple(command)] = change(command, reply) if change else reply
    cluster.record(replies)
    return found


def failure(result: subprocess.CompletedProcess[str]) -> list[str]:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    failed = [index for index, line in enumerate(lines) if line.startswith("FAIL: ")]
    assert len(failed) == 1, result.stdout
    return lines[failed[0]:]


# --- The example profiles' scripts ----------------------------------------------------------------


def test_one_script_per_cluster_in_its_folder() -> None:
    for name in EXAMPLES:
        profile = checked_model(PROFILES / f"{name}.yaml")[0]
        outputs = list(verify_outputs(profile))
        assert [output.path for output in outputs] == [f"clusters/{c.name}/verify.sh" for c in profile.clusters]
        assert [output.source for output in outputs] == [c.path for c in profile.clusters]
        assert [output.description for output in outputs] == [
            f"verify script of cluster {c.name}" for c in profile.clusters
        ]


def test_what_the_caffeine_script_checks() -> None:
    context, text = BY_NAME["caffeine/app-blk-east-0"]
    assert text.startswith("#!/bin/sh\n") and "\nset -u\n" in text
    assert "\ncheck_daemonset istio-system ztunnel\ncheck_daemonset istio-system istio-cni-node\n" in text
    checks = checks_of(text, "caffeine")
    assert "check_label caffeine istio.io/dataplane-mode ambient" in checks
    assert "check_label caffeine istio-injection ''" in checks  # never ambient and injection
    assert "check_label caffeine istio.io/use-waypoint waypoint" in checks  # TSB labels it
    assert "check_pods caffeine barista-v2 no-sidecar barista" in checks
    assert "check_ztunnel caffeine barista-v2 HBONE" in checks
    assert "\ncheck_waypoint caffeine waypoint\n" in text
    assert "\ncheck_call caffeine deploy/netshoot barista.caffeine.svc.cluster.local:8000/ ok 'allowed: " in text


def test_sidecar_namespaces_expect_istio_proxy_and_no_ztunnel_check() -> None:
    context, text = BY_NAME["brownfield/cp-cluster-1"]
    checks = checks_of(text, "client")
    assert "check_label client istio-injection enabled" in checks
    assert "check_label client istio.io/dataplane-mode ''" in checks
    assert "check_pods client sleep sidecar sleep" in checks
    assert "check_ztunnel" not in text.split("# --- This cluster")[1]
    assert "\ncheck_call client deploy/sleep httpbin.httpbin.svc.cluster.local:8000/get denied " in text


def test_a_cluster_without_ambient_checks_no_ztunnel() -> None:
    context, text = BY_NAME["multi-platform/ocp-legacy-0"]
    body = text.split("# --- This cluster")[1]
    assert not context.ambient and "check_daemonset" not in body and "check_ztunnel" not in body


def test_namespaces_checked_alike_share_one_function_and_keep_their_order() -> None:
    """An estate of many namespaces holds each kind of check once: a function per shape, one line per
    namespace, in the profile's order; each namespace still gets every check of its own."""
    pods = (PodCheck("netshoot", ("netshoot",), False, "HBONE"),)
    ambient = (LabelCheck("istio.io/dataplane-mode", "ambient"),)
    sidecar = (LabelCheck("istio-injection", "enabled"),)
    names = [f"ns-{index}" for index in range(6)]
    context = VerifyScriptContext(
        cluster="c", istio_namespace="istio-system", cni_namespace="istio-system", ambient=True,
        namespaces=tuple(NamespaceCheck(name, sidecar if index == 3 else ambient, pods) for index, name in enumerate(names)),
        waypoints=(), calls=())
    text = render(context)
    assert text.count("namespaces_1() {") == 1 and text.count("namespaces_2() {") == 1 and "namespaces_3" not in text
    assert text.count('check_pods "$1" netshoot no-sidecar netshoot') == 2  # once per shape, not per namespace
    assert re.findall(r"^namespaces_\d+ (\S+)$", text, re.MULTILINE) == names
    assert checks_of(text, "ns-3")[0] == "check_label ns-3 istio-injection enabled"
    assert checks_of(text, "ns-5") == ["check_label ns-5 istio.io/dataplane-mode ambient",
                                       "check_pods ns-5 netshoot no-sidecar netshoot", "check_ztunnel ns-5 netshoot HBONE"]
    assert "# 5 namespaces: their labels and pods, ztunnel's view of them.\n" in text
    assert "# 1 namespace: its labels and pods, ztunnel's view of them.\n" in text


@needs_shellcheck
@pytest.mark.parametrize("name", list(BY_NAME))
def test_every_script_passes_shellcheck(tmp_path: Path, name: str) -> None:
    script = tmp_path / "verify.sh"
    script.write_text(BY_NAME[name][1], "utf-8")
    shellcheck(script)


@pytest.mark.parametrize("name", list(BY_NAME))
def test_the_script_passes_on_the_expected_outputs(tmp_path: Path, name: str) -> None:
    context, text = BY_NAME[name]
    cluster = Cluster(tmp_path, text)
    expected = recorded(cluster, context)
    result = cluster.run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAIL" not in result.stdout
    assert result.stdout.splitlines()[-1] == f"all {result.stdout.count('ok: ')} checks passed on cluster {context.cluster}"
    assert cluster.calls() == expected  # each command it prints with --dry-run, once, in order
    assert any(command[:3] == ["kubectl", "exec", "-n"] for command in expected) is bool(context.calls)


def test_dry_run_prints_the_commands_and_runs_none(tmp_path: Path) -> None:
    context, text = BY_NAME["caffeine/app-blk-east-0"]
    cluster = Cluster(tmp_path, text)
    result = cluster.run("--dry-run")
    assert result.returncode == 0 and cluster.calls() == []
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "kubectl get daemonset ztunnel -n istio-system -o 'jsonpath={.status.numberReady}/{.status.desiredNumberScheduled}'"
    )
    assert "kubectl get namespace caffeine -o 'jsonpath={.metadata.labels.istio\\.io/dataplane-mode}'" in lines
    assert lines.count("istioctl ztunnel-config workload -n istio-system") == 1  # read once, for every pod
    assert sum(line.startswith("kubectl get pods -n caffeine ") for line in lines) == 1  # once per namespace
    assert ("kubectl exec -n caffeine deploy/netshoot -- curl -s -o /dev/null -w '%{http_code}' --max-time 10 "
            "barista.caffeine.svc.cluster.local:8000/") in lines
    assert not any(line.startswith(("ok:", "FAIL", "verifying", "all ")) for line in lines)


def test_the_context_option_reaches_every_command(tmp_path: Path) -> None:
    context, text = BY_NAME["caffeine/app-blk-east-0"]
    cluster = Cluster(tmp_path, text)
    recorded(cluster, context, "--context", "prod east")
    result = cluster.run("--context", "prod east")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(context prod east)" in result.stdout.splitlines()[0]
    for call in cluster.calls():
        assert call[1:3] == ["--context", "prod east"] if call[0] == "kubectl" else call[-2:] == ["--context", "prod east"]


@pytest.mark.parametrize("args", [("--context",), ("--context", ""), ("--frobnicate",), ("extra",), ("--help",)])
def test_bad_usage_exits_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    cluster = Cluster(tmp_path, BY_NAME["caffeine/app-blk-east-0"][1])
    result = cluster.run(*args)
    usage = "usage: sh verify.sh [--context NAME] [--dry-run]\n"
    assert (result.returncode, result.stdout, result.stderr) == ((0, usage, "") if args == ("--help",) else (2, "", usage))
    assert cluster.calls() == []


# --- Each mismatch fails, naming its check --------------------------------------------------------


def test_a_missing_ztunnel_pod_fails_the_ztunnel_check(tmp_path: Path) -> None:
    context, text = BY_NAME["caffeine/app-blk-east-0"]
    cluster = Cluster(tmp_path, text)

    def change(command: list[str], reply: Reply) -> Reply:
        return ("2/3", 0) if command[2:4] == ["daemonset", "ztunnel"] else reply

    recorded(cluster, context, change=change)
    lines = failure(cluster.run())
    assert lines[:3] == [
        "FAIL: DaemonSet ztunnel in istio-system: every pod ready",
        "expected: READY/DESIRED equal, and not 0/0",
        "actual:   2/3 (READY/DESIRED), kubectl exit 0",
    ]
    assert lines[3].startswith("command:  kubectl get daemonset ztunnel -n istio-system ")
    assert len(cluster.calls()) == 1  # the first check, and no other


def test_a_sidecar_in_an_ambient_namespace_fails_that_namespaces_pod_check(tmp_path: Path) -> None:
    context, text = BY_NAME["caffeine/app-blk-east-0"]
    cluster = Cluster(tmp_path, text)
    caffeine = next(namespace for namespace in context.namespaces if namespace.name == "caffeine")

    def injected(pod: PodCheck, line: str) -> str:
        return line.replace("\tnetshoot\t", "\tnetshoot istio-proxy\tistio-init") if pod.deployment == "netshoot" else line

    def change(command: list[str], reply: Reply) -> Reply:
        return (pod_lines(caffeine, injected), 0) if command[2:5] == ["pods", "-n", "caffeine"] else reply

    recorded(cluster, context, change=change)
    result = cluster.run()
    lines = failure(result)
    assert lines[:3] == [
        "FAIL: namespace caffeine: pods of netshoot",
        "expected: netshoot-...: netshoot, no istio-proxy",
        f"actual:   netshoot-{POD_HASH}: netshoot istio-proxy (init: istio-init)",
    ]
    assert "ok: namespace caffeine: label istio.io/dataplane-mode=ambient\n" in result.stdout  # the checks before it ran


def test_a_native_sidecar_among_init_containers_counts_as_a_sidecar(tmp_path: Path) -> None:
    context, text = BY_NAME["caffeine/app-blk-east-0"]
    cluster = Cluster(tmp_path, text)
    caffeine = next(namespace for namespace in context.namespaces if namespace.name == "caffeine")

    def native(pod: PodCheck, line: str) -> str:
        return line.replace("\tbarista\t", "\tbarista\tistio-proxy") if pod.deployment == "barista-v1" else line

    def change(command: list[str], reply: Reply) -> Reply:
        return (pod_lines(caffeine, native), 0) if command[2:5] == ["pods", "-n", "caffeine"] else reply

    recorded(cluster, context, change=change)
    assert failure(cluster.run())[0] == "FAIL: namespace caffeine: pods of barista-v1"


def test_a_pod_ztunnel_does_not_capture_fails_the_ztunnel_check(tmp_path: Path) -> None:
    context, text = BY_NAME["greenfield/cp-cluster-1"]
    cluster = Cluster(tmp_path, text)

    def change(command: list[str], reply: Reply) -> Reply:
        if command[:2] != ["istioctl", "ztunnel-config"]:
            return reply
        rows = [row.replace("HBONE", "TCP") if f"sleep-{POD_HASH}" in row else row for row in reply[0].split("\n")]
        return "\n".join(rows), 0

    recorded(cluster, context, change=change)
    lines = failure(cluster.run())
    assert lines[:3] == [
        "FAIL: ztunnel: pods of sleep in client with protocol HBONE",
        "expected: sleep-... HBONE",
        f"actual:   sleep-{POD_HASH} TCP",
    ]
    assert lines[3] == "command:  istioctl ztunnel-config workload -n istio-system"


def test_a_denied_call_that_should_be_allowed_fails_naming_the_call(tmp_path: Path) -> None:
    context, text = BY_NAME["caffeine/app-blk-east-0"]
    cluster = Cluster(tmp_path, text)

    def change(command: list[str], reply: Reply) -> Reply:
        return ("403", 0) if command[1] == "exec" else reply

    recorded(cluster, context, change=change)
    lines = failure(cluster.run())
    (call,) = context.calls
    assert lines[:3] == [
        "FAIL: call from deploy/netshoot in caffeine to barista.caffeine.svc.cluster.local:8000/",
        f"expected: an answer: HTTP status other than 403 and 000, exit 0 (allowed: {call.rule}; enforced by "
        "waypoint waypoint (TSB))",
        "actual:   HTTP 403, exit 0",
    ]


def test_an_app_error_is_still_an_allowed_call(tmp_path: Path) -> None:
    """barista v2 answers 503 by design: the app's own answer, so authorization let it through."""
    context, text = BY_NAME["caffeine/app-blk-east-0"]
    cluster = Cluster(tmp_path, text)
    recorded(cluster, context, change=lambda command, reply: ("503", 0) if command[1] == "exec" else reply)
    assert cluster.run().returncode == 0


def test_an_allowed_call_to_a_denied_pair_fails(tmp_path: Path) -> None:
    context, text = BY_NAME["brownfield/cp-cluster-1"]
    cluster = Cluster(tmp_path, text)

    def change(command: list[str], reply: Reply) -> Reply:
        return ("200", 0) if command[1] == "exec" and command[-1].startswith("httpbin.") else reply

    recorded(cluster, context, change=change)
    lines = failure(cluster.run())
    assert lines[0] == "FAIL: call from deploy/sleep in client to httpbin.httpbin.svc.cluster.local:8000/get"
    assert lines[1].startswith("expected: HTTP 403 (RBAC: access denied) (denied: my-tenant/client-ws -> ")
    assert lines[2] == "actual:   HTTP 200, exit 0"


@pytest.mark.parametrize("kind,changed,expected", [
    ("namespace", ("enabled", 0), ["FAIL: namespace client: label istio-injection not set",
                                   "expected: istio-injection not set", "actual:   istio-injection=enabled"]),
    ("gateways.gateway.networking.k8s.io", ("False", 0), ["FAIL: waypoint waypoint in client: Programmed",
                                                          "expected: Programmed: True",
                                                          "actual:   Programmed: False, kubectl exit 0"]),
    ("gateways.gateway.networking.k8s.io", ("", 1), ["FAIL: waypoint waypoint in client: Programmed",
                                                     "expected: Programmed: True",
                                                     "actual:   Programmed: no such condition, kubectl exit 1"]),
])
def test_a_wrong_label_and_a_waypoint_not_programmed_fail(tmp_path: Path, kind: str, changed: Reply,
                                                          expected: list[str]) -> None:
    context, text = BY_NAME["greenfield/cp-cluster-1"]
    cluster = Cluster(tmp_path, text)

    def change(command: list[str], reply: Reply) -> Reply:
        ours = command[2] == kind and "client" in command
        return changed if ours and (kind != "namespace" or "istio-injection" in command[-1]) else reply

    recorded(cluster, context, change=change)
    assert failure(cluster.run())[:3] == expected


RESET_CONTEXT = VerifyScriptContext(
    cluster="c", istio_namespace="istio-system", cni_namespace="istio-system", ambient=True,
    namespaces=(NamespaceCheck("a", (LabelCheck("istio.io/dataplane-mode", "ambient"),),
                               (PodCheck("sleep", ("sleep",), False, "HBONE"),)),),
    waypoints=(),
    calls=(
        CallCheck("a", "deploy/sleep", "b", "httpbin.b.svc.cluster.local:8000/get", "reset", "denied", "rule r",
                  "ztunnel (destination)"),
        CallCheck("a", "deploy/sleep", "c", "httpbin.c.svc.cluster.local:8000/get", "conditional", "conditional",
                  "depends", "ztunnel (destination)"),
    ),
)


def test_ztunnel_resets_are_curl_exit_56_and_conditional_calls_are_skipped(tmp_path: Path) -> None:
    text = render(RESET_CONTEXT)
    (tmp_path / "a").mkdir()
    cluster = Cluster(tmp_path / "a", text)
    found = recorded(cluster, RESET_CONTEXT)
    assert not any("httpbin.c." in word for command in found for word in command)  # a conditional call is not made
    result = cluster.run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: call from deploy/sleep in a to httpbin.b.svc.cluster.local:8000/get" in result.stdout
    assert "skip: call from deploy/sleep in a to httpbin.c.svc.cluster.local:8000/get: conditional: depends" in (
        result.stdout
    )
    (tmp_path / "b").mkdir()
    cluster = Cluster(tmp_path / "b", text)
    recorded(cluster, RESET_CONTEXT, change=lambda command, reply: ("200", 0) if command[1] == "exec" else reply)
    lines = failure(cluster.run())
    assert lines[:3] == [
        "FAIL: call from deploy/sleep in a to httpbin.b.svc.cluster.local:8000/get",
        "expected: connection reset: HTTP 000, exit 56 (denied: rule r; enforced by ztunnel (destination))",
        "actual:   HTTP 200, exit 0",
    ]


# --- Hostile profile values -----------------------------------------------------------------------


def hostile_context(value: str) -> VerifyScriptContext:
    """`value` in every text field."""
    return VerifyScriptContext(
        cluster=value, istio_namespace=value, cni_namespace=value, ambient=True,
        namespaces=(NamespaceCheck(value, (LabelCheck(value, value), LabelCheck(value, "")),
                                   (PodCheck(value, (value, value), False, "HBONE"),
                                    PodCheck(value, (value,), True, "")),),),
        waypoints=(WaypointCheck(value, value, value),),
        calls=(CallCheck(value, value, value, value, "ok", value, value, value),
               CallCheck(value, value, value, value, "denied", value, value, value),
               CallCheck(value, value, value, value, "reset", value, value, value)),
    )


def injections(marker: Path) -> tuple[str, ...]:
    """Strings that would create `marker` if a shell read them as code."""
    touch = f"touch {marker}"
    return (f"$({touch})", f"`{touch}`", f"'; {touch}; '", f'"; {touch}; "', f"\n{touch}\n", f"x; {touch}",
            f"x' && {touch} && '", f"$(printf %s {marker} | xargs touch)", f"\\'; {touch}; #")


# A lone surrogate never reaches a script: the profile is refused where it is written (test_surrogates.py).
HOSTILE_VALUES = [*(value for value in HOSTILE if not any("\ud800" <= c <= "\udfff" for c in value)), "marker"]


@pytest.mark.parametrize("index", range(len(HOSTILE_VALUES)))
def test_a_hostile_value_stays_one_word_verbatim(tmp_path: Path, index: int) -> None:
    marker = tmp_path / "injected"
    values = injections(marker) if HOSTILE_VALUES[index] == "marker" else (HOSTILE_VALUES[index],)
    for number, value in enumerate(values):
        root = tmp_path / str(number)
        root.mkdir()
        context = hostile_context(value)
        cluster = Cluster(root, render(context, profile=value))
        if SHELLCHECK is not None:
            shellcheck(cluster.script)
        # --dry-run: each command, read back by a shell, holds the value as one word, verbatim.
        found = cluster.dry_run("--context", value)
        plain = [without_context(command) for command in found]
        assert plain[0] == ["kubectl", "get", "daemonset", "ztunnel", "-n", value, "-o",
                            "jsonpath={.status.numberReady}/{.status.desiredNumberScheduled}"]
        assert plain[1][:6] == ["kubectl", "get", "daemonset", "istio-cni-node", "-n", value]
        assert plain[2][:4] == ["kubectl", "get", "namespace", value]
        assert plain[-2] == ["kubectl", "exec", "-n", value, value, "--", "curl", "-s", "-o", "/dev/null", "-w",
                             "%{http_code}", "--max-time", "10", value]
        assert ["istioctl", "ztunnel-config", "workload", "-n", value] in plain
        assert all(command[:3] == ["kubectl", "--context", value] or command[-2:] == ["--context", value]
                   for command in found)
        # A run: the fake tools receive the value as one argument, verbatim, as --dry-run printed it;
        # the checks name it verbatim.
        cluster.record({tuple(command): ("1/1", 0) if "daemonset" in command else ("", 1) for command in found})
        result = cluster.run("--context", value)
        assert result.returncode == 1, result.stdout + result.stderr
        assert cluster.calls() == found[:3]
        assert result.stdout.startswith(f"verifying cluster {value} of profile {value} (context {value})\n"
                                        f"ok: DaemonSet ztunnel in {value}: every pod ready\n")
        assert f"\nFAIL: namespace {value}: label {value}={value}\nexpected: " in result.stdout
        assert not marker.exists()


def test_the_readme_shows_what_a_failed_check_prints(tmp_path: Path) -> None:
    readme = (PROFILES.parent / "README.md").read_text("utf-8")
    section = readme[readme.index("### `clusters/<cluster>/verify.sh`"):]
    shown = section[section.index("```text\n") + len("```text\n"):].split("```", 1)[0]
    context, text = BY_NAME["caffeine/app-blk-east-0"]
    cluster = Cluster(tmp_path, text)

    def change(command: list[str], reply: Reply) -> Reply:
        return ("2/3", 0) if "ztunnel" in command and "daemonset" in command else reply

    recorded(cluster, context, "--context", "app-blk-east-0", change=change)
    assert cluster.run("--context", "app-blk-east-0").stdout == shown
    (tmp_path / "passing").mkdir()
    cluster = Cluster(tmp_path / "passing", text)
    recorded(cluster, context)
    assert f"the last line is `{cluster.run().stdout.splitlines()[-1]}`" in " ".join(section.split())


@needs_shellcheck
def test_every_committed_verify_script_passes_shellcheck_and_is_what_render_writes() -> None:
    """The trees' scripts and every migration position's (gen plan) pass shellcheck in one run."""
    from conftest import GOLDEN

    scripts = sorted(GOLDEN.glob("**/verify.sh"))
    assert len(scripts) >= 9 + 4  # one per example cluster, and one per brownfield position at least
    assert any("/migration/" in str(path) for path in scripts)
    assert SHELLCHECK is not None
    found = subprocess.run([SHELLCHECK, "-s", "sh", *map(str, scripts)], capture_output=True, text=True, timeout=120)
    assert found.returncode == 0, found.stdout + found.stderr
    for name, (_, text) in BY_NAME.items():
        profile, cluster = name.split("/")
        assert (GOLDEN / profile / "clusters" / cluster / "verify.sh").read_text("utf-8") == text, name
