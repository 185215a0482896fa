"""Functions for the worker-pool tests (tests/test_batch_faults.py): importable by worker
processes, which cannot load functions defined inside a test module."""

from __future__ import annotations

import os
import time


def behave(context, arg):
    """'hang' spins forever in Python; 'sleep' blocks; 'crash' kills its own process; anything
    else comes back tagged with the context."""
    if arg == "hang":
        while True:
            pass
    if arg == "sleep":
        time.sleep(3600)
    if arg == "crash":
        os._exit(9)
    if arg == "raise":
        raise ValueError("bad item")
    return f"{context}:{arg}"


class Unpicklable:
    """A context that cannot reach a worker: every worker dies before it is ready."""

    def __reduce__(self):
        return (_fail_to_start, ())


def _fail_to_start():
    os._exit(7)
