"""kubeconform, where it is installed (`GEN_KUBECONFORM` or PATH): run fully offline against the
exported schemas, its findings merged into gen's report at their file and line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..files import read_text
from ..problems import Location, Problem
from .export import export_schemas, kubeconform_locations
from .kubernetes import KUBERNETES_VERSION
from .pack import values_kind
from .trace import position_of

RULE = "kubeconform"


def find_kubeconform() -> str | None:
    chosen = os.environ.get("GEN_KUBECONFORM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    return shutil.which("kubeconform")


def kubeconform_command(binary: str, schemas: Path, files: list[Path]) -> list[str]:
    locations = [item for location in kubeconform_locations(schemas) for item in ("-schema-location", location)]
    return [binary, "-strict", "-summary", "-output", "json", "-kubernetes-version", KUBERNETES_VERSION,
            *locations, *map(str, files)]


def _pointer(path: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for part in path.strip("/").split("/") if path.strip("/") else []:
        part = part.replace("~1", "/").replace("~0", "~")
        parts.append(int(part) if part.isdigit() else part)
    return tuple(parts)


def run_kubeconform(binary: str, files: list[Path]) -> list[Problem]:
    """kubeconform's findings on the manifest files (helm values files are not manifests: skipped)."""
    manifests = [file for file in files if values_kind(file.name) is None]
    if not manifests:
        return []
    with tempfile.TemporaryDirectory(prefix="gen-schemas-") as directory:
        export_schemas(Path(directory))
        completed = subprocess.run(
            kubeconform_command(binary, Path(directory), manifests), capture_output=True, text=True, check=False
        )
    try:
        report = json.loads(completed.stdout or "{}")
    except ValueError:
        return [Problem(f"kubeconform printed no JSON: {completed.stderr.strip()[:500]}", RULE,
                        location=Location(binary, 0, 0))]
    problems = []
    for resource in report.get("resources") or []:
        if resource.get("status") not in ("statusInvalid", "statusError"):
            continue
        file = Path(resource.get("filename", ""))
        try:
            text = read_text(file)
        except (OSError, UnicodeDecodeError):
            text = ""
        errors = resource.get("validationErrors") or [{"path": "", "msg": resource.get("msg", "")}]
        for error in errors:
            path = _pointer(error.get("path", ""))
            line, column = position_of(text, 0, path) if text else (1, 1)
            problems.append(Problem(f"{error.get('msg', '')}", RULE, path, "kubeconform -strict rejects this",
                                    location=Location(str(file), line, column)))
    return problems
