"""`gen kit list PROFILE`, `gen kit eject NAME --to DIR` and the kit `gen init --kit DIR` scaffolds."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from ..cli_paths import output_folder_problem
from ..files import replace_file
from ..output.templating import LayeredLoader
from ..plan.catalog import builtin_catalog, templates_root
from ..problems import ProfileError
from .active import active_templates
from .model import Kit

SCAFFOLD = "scaffold"  # generator/kit/scaffold/: the kit `gen init --kit` writes


@dataclass(frozen=True)
class KitItem:
    kind: str  # template | app | output | rule | schema
    name: str
    origin: str  # "built-in" or the kit folder
    detail: str = ""  # what it is, or what it replaces


def _files(root: Traversable, prefix: str = "") -> Iterator[str]:
    """Every file below `root` (bytecode caches left out), by its path relative to it, sorted."""
    for item in sorted(root.iterdir(), key=lambda entry: entry.name):
        name = f"{prefix}{item.name}"
        if item.is_dir() and item.name != "__pycache__":
            yield from _files(item, f"{name}/")
        elif item.is_file():
            yield name


def _package_templates(root: Traversable) -> Iterator[str]:
    return (name for name in _files(root) if name.endswith(".j2"))


def kit_items(kit: Kit | None) -> list[KitItem]:
    """Every template, app, output, rule and schema a profile renders with, and where each comes from."""
    package = set(_package_templates(templates_root()))
    items: list[KitItem] = []
    kit_templates = {name: layer.shown for layer in (kit.layers if kit else ()) for name in layer.texts
                     if name.endswith(".j2")}
    for name in sorted(package | set(kit_templates)):
        origin = kit_templates.get(name, "built-in")
        detail = "replaces the built-in" if name in package and name in kit_templates else ""
        items.append(KitItem("template", name, origin, detail))
    apps = kit.apps if kit is not None else builtin_catalog()
    origins = kit.app_origins if kit is not None else {}
    for name in sorted(apps):
        origin = origins.get(name, "built-in")
        detail = apps[name].description + (" (replaces the built-in)" if name in origins and name in builtin_catalog()
                                           else "")
        items.append(KitItem("app", name, origin, detail))
    for output in kit.outputs if kit is not None else ():
        when = f" where dataplane is {'/'.join(output.dataplanes)}" if output.dataplanes else ""
        items.append(KitItem("output", output.name, output.kit,
                             f"{output.kind} per {output.scope.value}{when}: {output.description}"))
    for rule in kit.rules if kit is not None else ():
        items.append(KitItem("rule", rule.name, rule.kit,
                             f"{rule.severity.value} on {', '.join(sorted(rule.kinds))}: {rule.description}"))
    for (api_version, kind), origin in sorted((kit.schema_origins if kit is not None else {}).items()):
        items.append(KitItem("schema", f"{_kind_name(kit, api_version, kind)} ({api_version})", origin))
    return items


def _kind_name(kit: Kit | None, api_version: str, kind: str) -> str:
    """The kind as its schema spells it (`kind: {enum: [PeerAuthentication]}`), else as its file name."""
    schema = kit.schemas.get((api_version, kind)) if kit is not None else None
    try:
        named = schema["properties"]["kind"]["enum"]  # type: ignore[index]
    except (KeyError, TypeError):
        return kind
    return str(named[0]) if isinstance(named, list) and named and str(named[0]).lower() == kind else kind


def format_items(items: list[KitItem], as_json: bool) -> str:
    if as_json:
        return json.dumps([item.__dict__ for item in items], indent=2) + "\n"
    width = max((len(item.name) for item in items), default=0)
    lines = []
    for kind in ("template", "app", "output", "rule", "schema"):
        group = [item for item in items if item.kind == kind]
        if not group:
            continue
        lines.append(f"{kind}s:")
        lines += [f"  {item.name:<{width}}  {item.origin}{'  ' + item.detail if item.detail else ''}" for item in group]
    return "\n".join(lines) + "\n"


class EjectError(Exception):
    pass


def eject(name: str, to: Path) -> list[Path]:
    """Copy a built-in template (`k8s/deployment.yaml.j2`) or app (`httpbin`: its entry and the files
    it names) into the kit `to`, at the path the kit layers it over the built-in; returns the files
    written. Nothing is overwritten."""
    problem = output_folder_problem(to)
    if problem is not None:
        raise EjectError(f"{to}: {problem}")
    root = templates_root()
    if name in builtin_catalog():
        folder = root / "apps" / name
        names = [f"apps/{name}/{item.name}" for item in sorted(folder.iterdir(), key=lambda entry: entry.name)
                 if item.is_file()]
    elif name in _package_templates(root) and not name.startswith(("init/", "migration/", "graph/")):
        names = [name]  # exactly a built-in's name: nothing else reaches the package or leaves the kit
    else:
        raise EjectError(f"{name!r} is neither a built-in template nor a built-in app: `gen kit list` shows them "
                         "(a template by its path, k8s/deployment.yaml.j2; an app by its name, httpbin)")
    targets = [(to / relative, (root / relative).read_text("utf-8")) for relative in names]
    _refuse_links(to, [target for target, _ in targets])
    existing = [str(target) for target, _ in targets if os.path.lexists(target)]
    if existing:
        raise EjectError(f"already in the kit: {', '.join(existing)} (gen kit eject never overwrites a kit file)")
    for target, text in targets:
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, text.encode("utf-8"))
    return [target for target, _ in targets]


def scaffold(to: Path) -> list[Path]:
    """Write the starter kit into `to` (a new or empty folder): its README and one commented output."""
    problem = output_folder_problem(to)
    if problem is not None:
        raise EjectError(f"{to}: {problem}")
    if to.exists() and any(to.iterdir()):
        raise EjectError(f"{to} is not empty: gen init writes a kit only into a new or empty folder")
    written = []
    source = files("generator.kit") / SCAFFOLD
    _refuse_links(to, [to / relative for relative in _files(source)])
    for relative in _files(source):
        target = to / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, (source / relative).read_bytes())
        written.append(target)
    return written


def _refuse_links(root: Path, targets: list[Path]) -> None:
    """No folder between the kit and a file gen writes there may be a symbolic link, and every file
    lies inside the kit."""
    for target in targets:
        if not target.resolve().is_relative_to(root.resolve()):
            raise EjectError(f"{target} would lie outside {root}")
        for folder in target.relative_to(root).parents:
            if folder != Path(".") and (root / folder).is_symlink():
                raise EjectError(f"{root / folder} is a symbolic link: gen does not write through one")


def tainted_templates(kit: Kit | None) -> list[str]:
    """Built-in templates that run kit text (they include an overridden one): listed for reviewers."""
    templates = active_templates()
    if kit is None or templates.sandbox is None:
        return []
    loader = templates.sandbox.loader
    assert isinstance(loader, LayeredLoader)
    return [name for name in _package_templates(templates_root())
            if loader.kit_of(name) is None and loader.tainted(templates.sandbox, name)]


def checked_kit(profile: Path) -> Kit | None:
    """The profile's kit, checked as a render checks it (ProfileError with every problem if not)."""
    from ..pipeline import check_profile
    from ..problems import has_errors
    from .active import active_kit

    _, planned, problems = check_profile(profile)
    if planned is None or has_errors(problems):
        raise ProfileError(problems)
    return active_kit()

