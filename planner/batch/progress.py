"""A live progress bar for a batch: athletes done, failed, running, and time left. Drawn on
a terminal only (`planner.report.progress.should_show`), and gone when the batch ends."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from planner.batch.run import BatchProgress


def progress_words(progress: BatchProgress) -> str:
    """`12/16 done · 1 failed · 2 running · about 1 min 30 s left`."""
    text = f"{progress.done + progress.failed}/{progress.total} done"
    if progress.failed:
        text += f" · {progress.failed} failed"
    text += f" · {progress.running} running"
    if progress.remaining_s is not None and (progress.running or progress.queued):
        minutes, seconds = divmod(round(progress.remaining_s), 60)
        text += f" · about {f'{minutes} min ' if minutes else ''}{seconds} s left"
    return text


class BatchProgressBar:
    """Use as a context manager and pass the object as `run_batch(on_progress=...)`."""

    def __init__(self, total: int, console: Console | None = None, enabled: bool = True):
        self.enabled = enabled
        self.last: BatchProgress | None = None
        self._progress = Progress(
            TextColumn("[bold]planning[/]"),
            BarColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=console or Console(stderr=True),
            transient=True,
            disable=not enabled,
        )
        self._task: TaskID = self._progress.add_task("", total=total)

    def __call__(self, progress: BatchProgress) -> None:
        self.last = progress
        self._progress.update(
            self._task,
            completed=progress.done + progress.failed,
            description=progress_words(progress),
        )

    def __enter__(self) -> BatchProgressBar:
        if self.enabled:
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._progress.stop()
