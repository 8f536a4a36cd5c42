"""Where a batch runs: a local process pool, or a Dask cluster through Dask's own
`concurrent.futures` executor (`Client.get_executor`). Both give a standard `Executor`, so
the batch drives them the same way; `slots` is how many solves run at once.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from planner.batch.worker import ignore_interrupts
from planner.errors import PlannerError

ENGINES = ("local", "dask")
DASK_MISSING = (
    "the dask engine needs Dask distributed: pip install 'planner[dask]' "
    "(the same planner version on every worker of the cluster)"
)


class EngineError(PlannerError):
    """The engine could not start (Dask missing, a scheduler that does not answer)."""

    exit_code = 1


def default_jobs() -> int:
    """One solve per core this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


@dataclass
class Engine:
    """A started engine: its executor, and how to tell its size and stop it."""

    name: str
    executor: Executor
    description: str
    client: Any = None  # dask.distributed.Client
    cluster: Any = None  # a LocalCluster this engine started
    fixed_slots: int = 1
    closed: bool = field(default=False, init=False)

    def slots(self) -> int:
        """Solves that can run at once: the pool's processes, or the cluster's threads."""
        if self.client is None:
            return self.fixed_slots
        try:
            return max(1, sum(self.client.nthreads().values()))
        except Exception:  # a scheduler that went away: let the futures report it
            return self.fixed_slots

    def close(self, now: bool = False) -> None:
        """Stop the engine; `now` also stops solves still running (Ctrl-C)."""
        if self.closed:
            return
        self.closed = True
        if self.client is None:
            if now:
                # ProcessPoolExecutor (before Python 3.14) cannot stop a running call: end
                # the worker processes, then the pool.
                for process in list(getattr(self.executor, "_processes", {}).values()):
                    process.terminate()
            self.executor.shutdown(wait=not now, cancel_futures=True)
            return
        self.executor.shutdown(wait=False)
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Start processes that ignore Ctrl-C: a process started while SIGINT is ignored keeps
    ignoring it (Python installs its KeyboardInterrupt handler only over the default), so
    Ctrl-C reaches the batch alone, which closes the cluster. Ctrl-C while the cluster
    starts waits until it has started."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def start_engine(name: str, jobs: int | None = None, scheduler: str | None = None) -> Engine:
    """Start `local` (a process pool of `jobs` processes) or `dask` (a client of the cluster
    at `scheduler`, or of a LocalCluster of `jobs` one-thread worker processes)."""
    if name == "local":
        count = jobs or default_jobs()
        executor = ProcessPoolExecutor(
            max_workers=count,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=ignore_interrupts,
        )
        return Engine("local", executor, f"local, {count} process(es)", fixed_slots=count)
    if name != "dask":
        raise EngineError(f'unknown engine "{name}"; expected one of: {", ".join(ENGINES)}')
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise EngineError(DASK_MISSING) from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
            client.wait_for_workers(1, timeout=60)
            description = f"dask, scheduler {scheduler}"
        else:
            count = jobs or default_jobs()
            with _interrupts_ignored():
                cluster = LocalCluster(
                    n_workers=count,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # any free port: never a clash with another one
                    silence_logs=40,  # logging.ERROR: the progress bar owns the terminal
                )
            client = Client(cluster)
            description = f"dask, LocalCluster of {count} worker(s)"
    except (OSError, TimeoutError) as error:
        if cluster is not None:
            cluster.close()
        where = scheduler or "a LocalCluster"
        raise EngineError(f"cannot start the dask engine at {where}: {error}") from None
    executor = client.get_executor(pure=False)
    engine = Engine("dask", executor, description, client=client, cluster=cluster)
    engine.fixed_slots = engine.slots()
    return engine
