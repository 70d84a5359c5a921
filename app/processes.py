"""Work shared between processes forked from this one: the billing run's renewals on PostgreSQL, where one
process keeps a single CPU busy and leaves the others idle.

Forked rather than started afresh, so that each begins at once with this process's application, configuration
and clock. Each gets a request context of its own (mails link back to the portal) and its own database
connections: the ones inherited from this process are dropped without being closed, as SQLAlchemy asks.
Fork only from a process without other threads (the command line, not the job queue's worker).
"""

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from flask import Flask, current_app

from app.extensions import db

CHUNK = 100  # items handed to a process at a time: small enough to keep every process busy to the end

_work: Callable[[list[int]], Any] | None = None


def _start(app: Flask, work: Callable[[list[int]], Any]) -> None:
    global _work
    app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]).push()
    for engine in db.engines.values():
        engine.dispose(close=False)
    _work = work


def _do(chunk: list[int]) -> Any:
    assert _work is not None  # set by _start, in the process
    return _work(chunk)


def spread(items: list[int], processes: int, work: Callable[[list[int]], Any],
           done: Callable[[list[int], Any], None]) -> None:
    """`work(chunk)` for each chunk of `items`, in `processes` forked processes; `done(chunk, result)` here, as
    each chunk is finished. `work` runs in the process's application context and must commit its own work;
    its result comes back pickled. An error in a chunk is raised here, once the chunks under way are finished;
    the others are not started."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's documented way to the app
    chunks = [items[start:start + CHUNK] for start in range(0, len(items), CHUNK)]
    with ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"), initializer=_start,
                             initargs=(app, work)) as pool:
        running = {pool.submit(_do, chunk): chunk for chunk in chunks}
        try:
            for finished in as_completed(running):
                done(running[finished], finished.result())
        except BaseException:
            pool.shutdown(cancel_futures=True)  # the chunks not started stay for the next run
            raise
