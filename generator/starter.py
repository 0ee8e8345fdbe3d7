"""`gen init`: a commented starter profile for one platform, which renders as it is."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from ruamel.yaml import YAML

from .output.render import make_environment
from .plan.outputs import TemplateContext
from .profile.model import Platform
from .profile.schema_types import DNS_LABEL


@dataclass(frozen=True, kw_only=True)
class StarterProfileContext(TemplateContext):
    template: ClassVar[str] = "init/profile.yaml.j2"
    profile: str
    platform: str
    clusters: tuple[str, ...]
    kit: str | None = None  # a kit folder, relative to the profile


def invalid_names(names: list[str]) -> list[str]:
    return [name for name in names if not re.match(DNS_LABEL, name) or len(name) > 63]


def starter_profile(platform: Platform, clusters: list[str], name: str = "my-estate", kit: str | None = None) -> str:
    context = StarterProfileContext(profile=name, platform=platform.value, clusters=tuple(clusters), kit=kit)
    text = make_environment().get_template(context.template).render(context.variables())
    if not isinstance(YAML(typ="safe").load(text), dict):  # the same parse-back proof as every render
        raise ValueError("the starter profile template does not render a mapping")
    return text
