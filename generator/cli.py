"""`gen`: parse arguments, run the pipeline, map the outcome to an exit code.

Exit codes: 0 ok; 2 invalid profile or usage; 3 internal error (a bug in gen: please report it).
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from . import __version__
from .matrix import namespace_matrix, workspace_matrix
from .matrix_report import MatrixFormat, format_matrix
from .pipeline import checked_model, render_profile
from .problems import ProfileError
from .report import NOTHING_WRITTEN, PARTIAL_WRITE, ReportFormat, format_problems
from .output.write import WriteError, check_output_root, write_tree

EXIT_OK = 0
EXIT_INVALID = 2
EXIT_INTERNAL = 3
NO_MATRIX = "no matrix was computed"

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Render GitOps manifests for Istio ambient mode under Tetrate Service Bridge from one profile.",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gen {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """gen: one reviewed profile in, a GitOps tree out."""


@app.command()
def render(
    profile: Annotated[Path, typer.Argument(help="The profile YAML file.", metavar="PROFILE", show_default=False)],
    out: Annotated[
        Path, typer.Option("--out", help="Output folder; the tree goes to OUT/<profile name>/.")
    ] = Path("out"),
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="How to print problems.", case_sensitive=False)
    ] = ReportFormat.TEXT,
) -> None:
    """Validate PROFILE and write what it renders under OUT/<profile>/."""
    unsafe_out = check_output_root(out)
    try:
        result = render_profile(profile)
    except ProfileError as error:
        sys.stderr.write(format_problems([*error.problems, *unsafe_out], fmt))
        raise typer.Exit(EXIT_INVALID) from None
    root = out / result.profile
    unsafe_root = unsafe_out or check_output_root(root, profile)
    if unsafe_root:
        sys.stderr.write(format_problems([*result.warnings, *unsafe_root], fmt))
        raise typer.Exit(EXIT_INVALID)
    try:
        report = write_tree(root, result.profile, list(result.files))
    except WriteError as error:
        outcome = PARTIAL_WRITE if error.partial else NOTHING_WRITTEN
        sys.stderr.write(format_problems([*result.warnings, *error.problems], fmt, outcome))
        raise typer.Exit(EXIT_INVALID) from None
    if result.warnings:
        sys.stderr.write(format_problems(result.warnings, fmt))
    typer.echo(
        f"rendered profile '{result.profile}' into {report.root}: {len(result.files)} files "
        f"({len(report.written)} written, {len(report.unchanged)} unchanged, {len(report.removed)} removed)"
    )


@app.command()
def matrix(
    profile: Annotated[Path, typer.Argument(help="The profile YAML file.", metavar="PROFILE", show_default=False)],
    namespaces: Annotated[
        bool, typer.Option("--namespaces", help="Pairs of namespaces (cluster/namespace) instead of workspaces.")
    ] = False,
    fmt: Annotated[
        MatrixFormat, typer.Option("--format", help="A table, or JSON records.", case_sensitive=False)
    ] = MatrixFormat.TEXT,
) -> None:
    """Who may call whom under PROFILE's TSB security settings, and which rule or default decided it."""
    problem_format = ReportFormat.JSON if fmt is MatrixFormat.JSON else ReportFormat.TEXT
    try:
        model, warnings = checked_model(profile)
    except ProfileError as error:
        sys.stderr.write(format_problems(error.problems, problem_format, NO_MATRIX))
        raise typer.Exit(EXIT_INVALID) from None
    if warnings:
        sys.stderr.write(format_problems(warnings, problem_format))
    entries = namespace_matrix(model) if namespaces else workspace_matrix(model)
    level = "namespaces" if namespaces else "workspaces"
    title = f"{level} of profile '{model.name}': who may call whom ({len(entries)} ordered pairs)"
    typer.echo(format_matrix(entries, fmt, title), nl=False)


def main() -> None:
    """Console entry point: the one place where unexpected exceptions become exit code 3."""
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("gen: interrupted\n")
        sys.exit(130)
    except Exception as error:  # the error boundary: no traceback for users unless asked
        sys.stderr.write(
            f"gen: internal error: {type(error).__name__}: {error}\n"
            "This is a bug in gen, not in your profile; please report it with the profile that caused it.\n"
        )
        if os.environ.get("GEN_DEBUG"):
            traceback.print_exc()
        else:
            sys.stderr.write("Set GEN_DEBUG=1 to print the traceback.\n")
        sys.exit(EXIT_INTERNAL)
