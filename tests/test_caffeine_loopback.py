"""The caffeine programs run as rendered, their settings applied through env by the profile.

coffee-bean, barista-v1 and coffee-shop run as local processes: each program is the text of its
rendered Deployment's `command` (`python3 -c <program>`), with the Deployment's env as rendered.
The profile points the service URLs at 127.0.0.1 ports. The programs bind port 8080 and must stay
byte for byte the seed's, so a small wrapper makes socketserver.TCPServer bind 127.0.0.1:<port>
before it runs the program. Only 127.0.0.1; every wait is bounded; every process is killed.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from helpers import render_into, variant

WRAPPER = """\
import socketserver, sys
port, program = int(sys.argv[1]), sys.argv[2]
class LoopbackServer(socketserver.TCPServer):
    allow_reuse_address = True
    def __init__(self, address, handler, *args, **kwargs):
        super().__init__(("127.0.0.1", port), handler, *args, **kwargs)
socketserver.TCPServer = LoopbackServer
exec(compile(program, "<program>", "exec"), {"__name__": "__main__"})
"""
TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: Any, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def get_json(port: int) -> Any:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
        assert response.status == 200
        return json.loads(response.read())


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    try:
        yield started
    finally:
        for process in started:
            process.kill()
        for process in started:
            process.wait(timeout=10)


def rendered_program(root: Path, deployment: str) -> tuple[str, dict[str, str]]:
    """The program and env of a rendered caffeine Deployment."""
    path = root / "clusters/app-blk-east-0/namespaces/caffeine" / f"deployment-{deployment}.yaml"
    (container,) = YAML(typ="safe").load(path.read_text("utf-8"))["spec"]["template"]["spec"]["containers"]
    assert container["command"][:2] == ["python3", "-c"]
    return container["command"][2], {item["name"]: item["value"] for item in container["env"]}


def test_coffee_shop_calls_barista_and_coffee_bean_at_the_env_urls(
    tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    bean, barista, shop = free_port(), free_port(), free_port()
    profile, _ = variant(
        tmp_path,
        (
            "  apps: [caffeine]\n",
            "  apps:\n  - name: caffeine\n    env:\n"
            f'      coffee-shop: {{BARISTA_URL: "http://127.0.0.1:{barista}", '
            f'COFFEE_BEAN_URL: "http://127.0.0.1:{bean}", INTERVAL: "0.2"}}\n'
            f'      barista: {{COFFEE_BEAN_URL: "http://127.0.0.1:{bean}", INTERVAL: "0.2"}}\n',
        ),
    )
    root = render_into(profile, tmp_path / "out")
    programs = Path(__file__).resolve().parents[1] / "generator/templates/apps/caffeine/programs"
    logs: dict[str, Path] = {}
    for deployment, port in (("coffee-bean", bean), ("barista-v1", barista), ("coffee-shop", shop)):
        program, env = rendered_program(root, deployment)
        assert program == (programs / f"{deployment}.py").read_text("utf-8"), "the program is the seed's, verbatim"
        logs[deployment] = tmp_path / f"{deployment}.log"
        with logs[deployment].open("wb") as log:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-c", WRAPPER, str(port), program],
                    env={**env, "PYTHONUNBUFFERED": "1"},  # the rendered env; unbuffered for the log
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=tmp_path,
                )
            )
        wait_until(lambda: listening(port) or processes[-1].poll() is not None, f"{deployment} on 127.0.0.1:{port}")
        assert processes[-1].poll() is None, logs[deployment].read_text("utf-8")

    answer = get_json(shop)
    assert answer["service"] == "coffee-shop" and answer["status"] == "ok"
    assert answer["connecting_to"] == {"barista": f"http://127.0.0.1:{barista}", "coffee_bean": f"http://127.0.0.1:{bean}"}
    assert answer["interval"] == 0.2
    assert get_json(barista) | {"time": 0} == {
        "service": "barista", "version": "v1", "status": "ok", "time": 0,
        "connecting_to": {"coffee_bean": f"http://127.0.0.1:{bean}"}, "interval": 0.2,
    }
    assert get_json(bean) | {"time": 0} == {
        "service": "coffee-bean", "status": "ok", "time": 0, "environment": {"workon_home": "/tmp"},
    }
    # The periodic calls go through: coffee-shop reaches both, barista reaches coffee-bean.
    wait_until(
        lambda: "Called Barista successfully" in logs["coffee-shop"].read_text("utf-8")
        and "Called Coffee Bean successfully" in logs["coffee-shop"].read_text("utf-8"),
        "coffee-shop's calls",
    )
    wait_until(lambda: "Called Coffee Bean successfully" in logs["barista-v1"].read_text("utf-8"), "barista's calls")
