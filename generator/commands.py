"""`gen`'s commands and options (typer): parse arguments, run the pipeline, map the outcome to an
exit code (run.py has the codes; cli.py the error boundary and the fast path of a plain render).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

# Only what every command needs is imported here; each command imports the rest, so that a
# no-change `gen render` starts without loading templates, schemas or validators.
from . import __version__
from .cli_paths import path_argument, refuse_path, write_output_file
from .matrix_report import MatrixFormat
from .profile.model import Platform
from .report import ReportFormat, format_problems
from .run import EXIT_INVALID, mode_of, render_profiles, report, waiting_note

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


# Options several commands share.
ProfileOption = Annotated[
    Path | None, typer.Option("--profile", help="Use this profile's templating kits (their schemas).",
                              metavar="PROFILE", parser=path_argument)
]
FormatOption = Annotated[ReportFormat, typer.Option("--format", help="How to print problems.", case_sensitive=False)]
DiffOption = Annotated[bool, typer.Option("--diff", help="Like --check, and print a unified diff.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Replace files edited by hand or not written by gen.")]


@app.command()
def render(
    profiles: Annotated[
        list[Path], typer.Argument(help="Profile YAML files.", metavar="PROFILE...", show_default=False, parser=path_argument)
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Output folder; each tree goes to OUT/<profile name>/.", metavar="DIR",
                            parser=path_argument)
    ] = Path("out"),
    fmt: FormatOption = ReportFormat.TEXT,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if a tree is not what its profile renders.")
    ] = False,
    diff: DiffOption = False,
    force: ForceOption = False,
    phase: Annotated[
        str | None,
        typer.Option("--phase", help="Preview the estate at another point of the migration: `baseline` (or 0), a "
                     "phase's name or number (the phase done), or <phase>/<step> (prepare, move, cleanup); "
                     "default: where `migration.at` says it stands."),
    ] = None,
) -> None:
    """Validate each PROFILE and write what it renders under OUT/<profile>/ (or compare, with --check)."""
    raise typer.Exit(render_profiles(profiles, out, fmt, mode_of(check, diff), force, phase))


@app.command("plan")
def plan_command(
    profile: Annotated[Path, typer.Argument(help="The profile YAML file.", metavar="PROFILE", show_default=False,
                                                parser=path_argument)],
    out: Annotated[
        Path, typer.Option("--out", help="Output folder; the plan goes to OUT/<profile name>/migration/.",
                            metavar="DIR", parser=path_argument)
    ] = Path("out"),
    fmt: FormatOption = ReportFormat.TEXT,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 if the plan's tree is not what the profile plans.")
    ] = False,
    diff: DiffOption = False,
    force: ForceOption = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Write nothing; print every call's outcome at every step, and who "
                           "decides it (the rollout simulator's table).")
    ] = False,
) -> None:
    """Write PROFILE's migration, one folder per phase with its PHASE.md and one per step, under
    OUT/<profile>/migration/; every phase and step is checked as a render is."""
    from .migration.tree import explain_plan, plan_tree

    if explain:
        outcome, text = explain_plan(profile, fmt.value)
        if text is not None:
            sys.stdout.write(text)
            raise typer.Exit(0)
        raise typer.Exit(report(outcome, fmt))
    raise typer.Exit(report(plan_tree(profile, out, mode_of(check, diff), force, waiting_note(fmt)), fmt))


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the schema to this file instead of stdout.",
                                   metavar="FILE", parser=path_argument)
    ] = None,
) -> None:
    """Print the profile's JSON Schema (for yaml-language-server and other validators)."""
    from .profile.json_schema import profile_json_schema_text

    text = profile_json_schema_text()
    if output is None:
        sys.stdout.write(text)
    else:
        write_output_file(output, text)


@app.command()
def init(
    platform: Annotated[Platform, typer.Argument(help="The clusters' platform.", case_sensitive=False)],
    clusters: Annotated[
        list[str] | None, typer.Option("--cluster", help="A cluster name (repeat for several).")
    ] = None,
    name: Annotated[str, typer.Option("--name", help="The profile's name.")] = "my-estate",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the profile to this file instead of stdout.",
                                   metavar="FILE", parser=path_argument)
    ] = None,
    kit: Annotated[
        Path | None, typer.Option("--kit", help="Also write a starter templating kit into this new folder, and name "
                                  "it in the profile.", metavar="DIR", parser=path_argument)
    ] = None,
) -> None:
    """Print a commented starter profile for PLATFORM that renders as it is (with --kit, a starter kit too)."""
    from .kit.commands import EjectError, scaffold
    from .starter import invalid_names, starter_profile

    names = clusters or ["cluster-1"]
    bad = invalid_names([name, *names])
    if bad:
        sys.stderr.write(
            f"gen: not DNS-1123 labels: {', '.join(repr(b) for b in bad)} "
            "(lowercase letters, digits and '-', at most 63 characters)\n"
        )
        raise typer.Exit(EXIT_INVALID)
    kit_folder = None
    if kit is not None:
        base = (output.parent if output is not None else Path(".")).absolute()
        kit_folder = Path(os.path.relpath(kit.absolute(), base)).as_posix()
        try:
            written = scaffold(kit)
        except (EjectError, OSError) as error:
            sys.stderr.write(f"gen: {error}\n")
            raise typer.Exit(EXIT_INVALID) from None
        sys.stderr.write(f"wrote the starter kit into {kit} ({len(written)} files)\n")
    text = starter_profile(platform, names, name, kit_folder)
    if output is None:
        sys.stdout.write(text)
    else:
        write_output_file(output, text, exclusive=True)


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Manifest files or folders.", metavar="PATH...", parser=path_argument)],
    kubeconform: Annotated[
        bool, typer.Option("--kubeconform", help="Also run kubeconform (GEN_KUBECONFORM or PATH), offline.")
    ] = False,
    fmt: FormatOption = ReportFormat.TEXT,
    profile: ProfileOption = None,
) -> None:
    """Check manifests against the schema pack and Kubernetes' schemas (gen-made or not); with --profile,
    against its kits' schemas too."""
    from .validation.embedded import active_validator
    from .validation.kubeconform import find_kubeconform, run_kubeconform
    from .validation.trace import files_problems, manifest_files

    _activate_kit(profile, fmt)
    files = manifest_files(paths)
    problems = files_problems(files, active_validator())
    checked = "embedded validator"
    if kubeconform:
        binary = find_kubeconform()
        if binary is None:
            sys.stderr.write("gen: kubeconform is not installed (set GEN_KUBECONFORM or put it on PATH)\n")
            raise typer.Exit(EXIT_INVALID)
        problems += run_kubeconform(binary, files)
        checked += " and kubeconform"
    if problems:
        sys.stderr.write(format_problems(problems, fmt, outcome=f"{len(files)} files checked"))
        raise typer.Exit(EXIT_INVALID)
    typer.echo(f"{len(files)} files valid ({checked})")


schemas_app = typer.Typer(help="The schema pack: every kind gen writes, for kubeconform.", no_args_is_help=True)
app.add_typer(schemas_app, name="schemas")


@schemas_app.command("export")
def schemas_export(
    directory: Annotated[Path, typer.Argument(help="Where to write the schemas.", metavar="DIR", parser=path_argument)],
    profile: ProfileOption = None,
) -> None:
    """Write the pack and the Kubernetes schemas in kubeconform's layout (with --profile, its kits' schemas
    too), and print how to use them."""
    from .validation.export import export_problem, export_schemas, kubeconform_locations
    from .validation.kubernetes import KUBERNETES_VERSION

    _activate_kit(profile, ReportFormat.TEXT)
    problem = export_problem(directory)
    if problem is not None:
        raise refuse_path(*problem)
    try:
        written = export_schemas(directory)
    except OSError as error:
        raise refuse_path(Path(error.filename or directory), f"cannot be written: {error.strerror}") from None
    typer.echo(f"wrote {len(written)} schemas under {directory}; validate with:")
    locations = " ".join(f"-schema-location '{location}'" for location in kubeconform_locations(directory))
    typer.echo(f"  kubeconform -strict -summary -kubernetes-version {KUBERNETES_VERSION} {locations} <files>")


def _activate_kit(profile: Path | None, fmt: ReportFormat) -> None:
    """Check `profile` as a render does and make its kits the active ones (or exit 2); no kit without one."""
    from .kit.active import activate
    from .kit.commands import checked_kit
    from .problems import ProfileError

    activate(None)
    if profile is None:
        return
    try:
        checked_kit(profile)
    except ProfileError as error:
        sys.stderr.write(format_problems(error.problems, fmt, "nothing was checked"))
        raise typer.Exit(EXIT_INVALID) from None


@app.command()
def graph(
    profile: Annotated[Path, typer.Argument(help="The profile YAML file.", metavar="PROFILE", show_default=False,
                                                parser=path_argument)],
    cluster: Annotated[str | None, typer.Option("--cluster", help="The cluster to draw (needed when the "
                                                "profile has several).", metavar="NAME")] = None,
    tenancy: Annotated[bool, typer.Option("--tenancy", help="Draw the tenancy instead: tenants, workspaces, "
                                          "the namespaces they select, their rules.")] = False,
) -> None:
    """Print a mermaid flowchart of PROFILE's estate, as its README shows it (where `migration.at` stands)."""
    from .graph.diagrams import cluster_diagram, tenancy_diagram
    from .graph.readme import rendered_state
    from .problems import ProfileError

    try:
        state = rendered_state(profile)
    except ProfileError as error:
        sys.stderr.write(format_problems(error.problems, ReportFormat.TEXT, "nothing was drawn"))
        raise typer.Exit(EXIT_INVALID) from None
    if tenancy:
        diagram = tenancy_diagram(state)
        if diagram is None:
            sys.stderr.write("gen: the profile has no tenants, or too many to draw in one diagram\n")
            raise typer.Exit(EXIT_INVALID)
        sys.stdout.write(diagram + "\n")
        return
    names = [entry.name for entry in state.clusters]
    if cluster is None and len(names) == 1:
        cluster = names[0]
    if cluster not in names:
        sys.stderr.write(f"gen: {'name a cluster with --cluster' if cluster is None else f'no cluster {cluster!r}'}"
                         f": the profile's clusters are {', '.join(names)}\n")
        raise typer.Exit(EXIT_INVALID)
    drawn = cluster_diagram(state, state.cluster(cluster))
    if drawn is None:
        sys.stderr.write(f"gen: cluster {cluster!r} has too many namespaces for one mermaid drawing (50,000 characters)\n")
        raise typer.Exit(EXIT_INVALID)
    sys.stdout.write(drawn + "\n")


kit_app = typer.Typer(help="Templating kits: a team's own templates, apps, outputs, rules and schemas.",
                      no_args_is_help=True)
app.add_typer(kit_app, name="kit")


@kit_app.command("list")
def kit_list(
    profile: Annotated[Path, typer.Argument(help="The profile YAML file.", metavar="PROFILE", show_default=False,
                                                parser=path_argument)],
    as_json: Annotated[bool, typer.Option("--json", help="JSON records instead of a table.")] = False,
) -> None:
    """Every template, app, output, rule and schema PROFILE renders with, and where each comes from."""
    from .kit.commands import checked_kit, format_items, kit_items
    from .problems import ProfileError

    try:
        kit = checked_kit(profile)
    except ProfileError as error:
        sys.stderr.write(format_problems(error.problems, ReportFormat.JSON if as_json else ReportFormat.TEXT,
                                         "nothing was listed"))
        raise typer.Exit(EXIT_INVALID) from None
    sys.stdout.write(format_items(kit_items(kit), as_json))


@kit_app.command("eject")
def kit_eject(
    name: Annotated[str, typer.Argument(help="A built-in template (k8s/deployment.yaml.j2) or app (httpbin).",
                                        metavar="NAME", show_default=False)],
    to: Annotated[Path, typer.Option("--to", help="The kit folder.", metavar="DIR", parser=path_argument)],
) -> None:
    """Copy a built-in template or app into the kit DIR, where it replaces the built-in (the output is the
    same until it is edited)."""
    from .kit.commands import EjectError, eject

    try:
        written = eject(name, to)
    except (EjectError, OSError) as error:
        sys.stderr.write(f"gen: {error}\n")
        raise typer.Exit(EXIT_INVALID) from None
    for path in written:
        typer.echo(f"wrote {path}")


@app.command()
def matrix(
    profile: Annotated[Path, typer.Argument(help="The profile YAML file.", metavar="PROFILE", show_default=False,
                                                parser=path_argument)],
    namespaces: Annotated[
        bool, typer.Option("--namespaces", help="Pairs of namespaces (cluster/namespace) instead of workspaces.")
    ] = False,
    fmt: Annotated[
        MatrixFormat, typer.Option("--format", help="A table, or JSON records.", case_sensitive=False)
    ] = MatrixFormat.TEXT,
) -> None:
    """Who may call whom under PROFILE's TSB security settings, and which rule or default decided it."""
    from .matrix import namespace_matrix, workspace_matrix
    from .matrix_report import format_matrix
    from .pipeline import checked_model
    from .problems import ProfileError

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

