"""cerberus validators for gen's own schemas, made once per run without re-checking the schema,
and collecting their errors in linear time.

cerberus checks a schema against its own rules whenever a validator is made from it; for the
profile schema that costs more than validating a thousand-namespace profile. gen's schemas are
code: tests/test_cerberus_validators.py makes each one the checking way and compares, so a run
takes the expanded schema as it is (cerberus' `UnvalidatedSchema`). Same rules, same results.

cerberus files every error into a sorted list and two sorted error trees, sorting again after each
one: n errors under one list cost n sorts of up to n errors (2,000 repeats of one item took 18 s).
gen reads only the list, and only once validation is over. So validators here append, and
`leaf_errors` sorts once, with cerberus' own order: a stable sort of the whole list gives what
sorting after every addition gave. The error trees stay empty; they serve rules gen's schemas do
not use (`dependencies`, `readonly`, coercion: tests/test_cerberus_validators.py keeps it so).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar


def _import_cerberus() -> Any:
    """cerberus, imported without importlib.metadata. At import, cerberus asks importlib.metadata
    for its own version (`cerberus.__version__`, which nothing in gen reads), and importing
    importlib.metadata (email, zipfile, csv, socket...) costs a render about 20 ms. So while
    cerberus is imported, `importlib.metadata` is a stand-in that answers that one question from
    the name of the installed `.dist-info` folder alone (output/fingerprint.py), and says "not
    found" otherwise (an egg-info, a zip: `__version__` is then "unknown"). cerberus.platform keeps
    the stand-in as its `importlib_metadata`, which cerberus reads nowhere else; the real module is
    untouched, and imported as usual by whoever asks for it later."""
    if "cerberus" in sys.modules or "importlib.metadata" in sys.modules:
        import cerberus

        return cerberus
    from .output.fingerprint import dist_info_versions

    class PackageNotFoundError(ModuleNotFoundError):
        pass

    def version(name: str) -> str:
        found = dist_info_versions((name,)).get(name)
        if found is None:
            raise PackageNotFoundError(name)
        return found

    stand_in = types.ModuleType("importlib.metadata", "a stand-in while cerberus is imported")
    stand_in.__dict__.update(PackageNotFoundError=PackageNotFoundError, version=version)
    sys.modules["importlib.metadata"] = stand_in
    try:
        import cerberus
    finally:
        if sys.modules.get("importlib.metadata") is stand_in:
            del sys.modules["importlib.metadata"]
    return cerberus


# gen's modules import cerberus and its errors from here, never on their own: the first import of
# cerberus must be this one.
if TYPE_CHECKING:
    import cerberus as cerberus
else:
    cerberus = _import_cerberus()
from cerberus import errors as cerberus_errors  # noqa: E402
from cerberus.schema import DefinitionSchema, UnvalidatedSchema  # noqa: E402

__all__ = ["AppendingErrors", "appending", "cerberus", "cerberus_errors", "leaf_errors", "validator_for"]

V = TypeVar("V", bound=cerberus.Validator)

# One validator per (class, schema): validators are reused, every validate() starts afresh.
_MADE: dict[tuple[type, int], tuple[dict[str, Any], cerberus.Validator]] = {}


class AppendingErrors:
    """Mixed in before a cerberus validator class: errors are appended, never sorted on the way."""

    _errors: list[Any]

    def _error(self, *args: Any) -> None:
        if len(args) == 1:  # cerberus' bulk form, which each of its other forms ends in
            self._errors.extend(args[0])
        else:
            super()._error(*args)  # type: ignore[misc]  # builds the error, then calls the bulk form


def appending(cls: type[V]) -> type[V]:
    """`cls` with `AppendingErrors` mixed in (its child validators are of the same class)."""
    made: type[V] = type(cls.__name__, (AppendingErrors, cls), {"__module__": cls.__module__})
    return made


def validator_for(cls: type[V], schema: dict[str, Any]) -> V:
    """A `cls` validator of `schema` (unknown keys refused), made on first use."""
    made = _MADE.get((cls, id(schema)))
    if made is None or made[0] is not schema:
        expanded = UnvalidatedSchema(DefinitionSchema.expand(schema))
        made = _MADE[(cls, id(schema))] = (schema, appending(cls)(expanded, allow_unknown=False))
    validator: V = made[1]
    return validator


def leaf_errors(cls: type[cerberus.Validator], schema: dict[str, Any], document: Any) -> list[Any]:
    """Every way `document` does not fit `schema` (validated as it is: gen's schemas neither
    default nor coerce), as cerberus' leaf errors: a group error stands for its children."""
    validator = validator_for(cls, schema)
    validator.validate(document, normalize=False)
    return list(_leaves(validator._errors))


def _leaves(errors: Iterable[Any]) -> Iterator[Any]:
    for error in sorted(errors):  # each list once, in cerberus' order (errors.ValidationError.__lt__)
        if error.is_group_error:
            yield from _leaves(error.child_errors)
        else:
            yield error
