"""Contexts built where they are rendered. The estate's README and each cluster's verify script
describe the whole estate: building their context costs about what rendering it costs. A plan
carries them as a `Deferred` context instead, which builds the real one the first time its
variables are read, in whichever slice (and process) of a parallel render renders the file
(output/batch.py), so that it is not built before the workers fork, on the way of every other
file. What it renders is what the built context renders: the same template, format and variables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..plan.outputs import TemplateContext


@dataclass(frozen=True, kw_only=True, eq=False)
class Deferred(TemplateContext):
    """`build` makes the context; `estimate` is what rendering it costs, in renders of one object
    (its planning included), known without building it."""

    build: Callable[[], TemplateContext] = field(repr=False)
    estimate: int

    @cached_property
    def built(self) -> TemplateContext:
        context = self.build()
        if (context.template, context.format) != (self.template, self.format):
            raise TypeError(f"a deferred {self.template} built a context for {context.template}")
        return context

    def variables(self) -> dict[str, Any]:
        return self.built.variables()

    def cost(self) -> int:
        return self.estimate

    def __getattr__(self, name: str) -> Any:  # the built context's fields, for whoever reads them
        if name.startswith("__") or name in ("build", "estimate", "built"):
            raise AttributeError(name)
        return getattr(self.built, name)
