"""A live status line while the solver works, fed by `SolveOptions.on_progress`.

The line shows the time spent, the best benefit per gym minute found so far, the proven
upper bound on it and the gap between the two when a bound is known, and what the solver is
doing. It is drawn with `rich.live` and disappears when the solve ends. It stays off when
the output is not a terminal (pipes, files, tests) or with `--quiet`.

The solver calls `on_progress` from its own threads; `LiveProgress` only stores numbers
under a lock, and rich redraws the line on its own refresh thread.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

from rich.console import Console, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.text import Text

if TYPE_CHECKING:  # the display draws numbers: loading it never loads the solver
    from planner.pipeline import Progress

PHASE_WORDS = {
    "floor": "meeting the weekly session targets (R13)",
    "parts": "raising benefit per gym minute, a few weeks at a time",
    "ratio": "raising benefit per gym minute",
    "probe": "checking whether a better plan exists",
    "total": "raising total benefit",
}


def gap(best: float, bound: float | None) -> float | None:
    """Relative gap between the best ratio and its proven bound, 0 when proven optimal."""
    if bound is None or bound <= 0:
        return None
    return max(0.0, (bound - best) / bound)


def progress_text(elapsed_s: float, best: float | None, bound: float | None, phase: str) -> Text:
    """`12.3 s · best 4.0597 benefit/min · bound 6.8249 · gap 40.5 % · raising ...`."""
    text = Text()
    text.append(f"{elapsed_s:5.1f} s", style="bold")
    if best is None:
        text.append(" · no plan yet")
    else:
        text.append(" · best ")
        text.append(f"{best:.4f}", style="bold green")
        text.append(" benefit/min")
    if bound is not None:
        text.append(f" · bound {bound:.4f}")
        relative = gap(best or 0.0, bound)
        if relative is not None:
            text.append(
                f" · gap {100 * relative:.1f} %", style="yellow" if relative > 0 else "green"
            )
    text.append(f" · {PHASE_WORDS.get(phase, phase)}", style="dim")
    return text


def should_show(quiet: bool, stream: TextIO | None = None) -> bool:
    """Show the live line only on a terminal, and never with --quiet."""
    stream = stream if stream is not None else sys.stdout
    is_terminal = getattr(stream, "isatty", lambda: False)
    return not quiet and bool(is_terminal())


class LiveProgress:
    """Use as a context manager around the solve and pass the object as `on_progress`.

    Disabled, it only records the figures (and draws nothing).
    """

    def __init__(self, console: Console | None = None, enabled: bool = True) -> None:
        self.console = console or Console(stderr=True)
        self.enabled = enabled
        self.started = time.monotonic()
        self.best: float | None = None
        self.bound: float | None = None
        self.phase = "floor"
        self.updates = 0
        self._lock = threading.Lock()
        self._spinner = Spinner("dots", style="cyan")
        self._live: Live | None = None

    def __call__(self, progress: Progress) -> None:
        """Record one report from the solver (any thread)."""
        with self._lock:
            self.updates += 1
            self.phase = progress.phase
            if progress.ratio > 0 and (self.best is None or progress.ratio > self.best):
                self.best = progress.ratio
            if progress.bound is not None:
                self.bound = progress.bound

    def line(self) -> Text:
        with self._lock:
            best, bound, phase = self.best, self.bound, self.phase
        return progress_text(time.monotonic() - self.started, best, bound, phase)

    def __rich__(self) -> RenderableType:
        self._spinner.update(text=self.line())
        return self._spinner

    def __enter__(self) -> LiveProgress:
        self.started = time.monotonic()
        if self.enabled:
            self._live = Live(self, console=self.console, refresh_per_second=8, transient=True)
            self._live.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None
