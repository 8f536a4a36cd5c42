"""The `planner` command line. Commands parse arguments, call the library, and map the
project's exceptions to the exit codes of FORMATS.md."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from planner.errors import InputError, PlannerError

app = typer.Typer(
    help="Plan strength and mobility training for distance runners.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
T = TypeVar("T")


def run_guarded(action: Callable[[], T]) -> T:
    """Run `action`; report the project's errors in words and exit with their code."""
    try:
        return action()
    except InputError as error:
        err.print(f"[bold red]Invalid input[/] ({len(error.problems)} problem{'s' if len(error.problems) != 1 else ''}):", highlight=False)
        for problem in error.problems:
            err.print(f"  {problem}", highlight=False, markup=False)
        raise typer.Exit(error.exit_code) from None
    except PlannerError as error:
        err.print(str(error), highlight=False, markup=False)
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        err.print("Interrupted.")
        raise typer.Exit(130) from None


@app.command()
def solve(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the plan here.")] = None,
    time_limit: Annotated[float, typer.Option(help="Seconds for the whole solve.")] = 60.0,
    seed: Annotated[int, typer.Option(help="Random seed of the solver.")] = 0,
    workers: Annotated[int, typer.Option(help="Solver threads.")] = 2,
    force: Annotated[bool, typer.Option(help="Overwrite an existing output file.")] = False,
    quiet: Annotated[bool, typer.Option(help="Print nothing but errors.")] = False,
) -> None:
    """Solve a scenario file and print the plan week by week."""
    from planner.api import plan_scenario
    from planner.output import write_atomic
    from planner.render import render_plan
    from planner.scenario import load_scenario
    from planner.solver import SolveOptions

    def action() -> None:
        if output is not None and output.exists() and not force:
            from planner.errors import OutputError

            raise OutputError(f"{output} already exists; use --force to overwrite it")
        loaded = load_scenario(scenario)
        options = SolveOptions(time_limit=time_limit, seed=seed, workers=workers)
        plan = plan_scenario(loaded, options)
        if output is not None:
            write_atomic(output, plan.to_json(), force=force)
        if not quiet:
            render_plan(plan, Console())

    run_guarded(action)


@app.command()
def check(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    plan: Annotated[Path, typer.Argument(help="Plan JSON file.")],
) -> None:
    """Check a plan against the hard rules R1-R12 and its stated objective."""
    from planner.checker import check_plan
    from planner.plan import load_plan
    from planner.scenario import load_scenario

    def action() -> bool:
        report = check_plan(load_plan(plan), load_scenario(scenario))
        out = Console()
        if report.figures:
            figures = report.figures
            out.print(
                f"benefit {figures.benefit:.4f} · {figures.minutes} min · "
                f"{figures.benefit_per_minute:.6f} benefit/min",
                highlight=False,
            )
        for violation in report.violations:
            out.print(str(violation), highlight=False, markup=False)
        out.print("clean: no rule violations" if report.ok else f"{len(report.violations)} violation(s)")
        return report.ok

    if not run_guarded(action):
        raise typer.Exit(1)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
