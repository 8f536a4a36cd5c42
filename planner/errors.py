"""The project's exceptions. The CLI turns each into a documented exit code."""

from __future__ import annotations

from dataclasses import dataclass

Location = tuple[str | int, ...]  # a field path: ('running', 'weeks', 3, 'sat')


def format_location(location: Location) -> str:
    """('running', 'weeks', 3, 'sat') -> 'running.weeks[3].sat'."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass(frozen=True)
class Problem:
    """One problem with an input file: where it is and what was expected."""

    path: str
    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


class PlannerError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


class InputError(PlannerError):
    """An invalid scenario, catalog or input file. Holds every problem found (exit 3)."""

    exit_code = 3

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class OutputError(PlannerError):
    """An output file could not be written (exit 3)."""

    exit_code = 3


class InfeasibleError(PlannerError):
    """Hard rules leave no plan (exit 4). `explanation` says why in coaching terms."""

    exit_code = 4

    def __init__(self, message: str, explanation: object | None = None) -> None:
        self.explanation = explanation
        super().__init__(message)


class NoPlanFoundError(PlannerError):
    """No plan was found within the time limit (exit 5)."""

    exit_code = 5


def error_text(error: PlannerError) -> str:
    """What the command line prints for `error`, as plain text: `planner solve` prints it,
    and a batch puts the same words in the athlete's row of its summary."""
    if isinstance(error, InputError):
        count = len(error.problems)
        lines = [f"Invalid input ({count} problem{'s' if count != 1 else ''}):"]
        lines += [f"  {problem}" for problem in error.problems]
        return "\n".join(lines)
    return str(error)
