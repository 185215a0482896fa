"""Worker processes for a batch: per-item time limit, crash recovery, and no orphans.

Why not concurrent.futures: a ProcessPoolExecutor cannot stop one task. A report that makes
the audit run for minutes (a pathological line, a broken PDF) would hold its worker, and the
batch, until it ends. Here each worker runs one item at a time (with one more queued so it
never waits for the parent); an item running past `timeout` seconds has its worker killed and
replaced, and is reported as timed out, so the rest of the batch goes on. A worker that dies
(a crash in a C library, the OOM killer) loses only the item it was running.

Workers never outlive the batch: a worker exits when its pipe to the parent closes, a watcher
thread exits it when the parent process ends, and on Linux the kernel kills it when its parent
(the forkserver, which itself exits when the main process ends) dies — even when the worker is
stuck in C code holding the GIL, and even after a SIGKILL of the main process.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from typing import Any, Callable, Iterable, Iterator, NamedTuple

IN_FLIGHT = 2  # items queued per worker: the next one is ready when the current one ends


class Outcome(NamedTuple):
    """What became of one item: value is fn's return value; else reason says why there is none."""

    item_id: Any
    value: Any = None
    reason: str | None = None  # "timeout" / "crashed: …"; None when value is set


def _die_with_parent() -> None:
    """Linux: SIGKILL this process when its parent dies (kernel-enforced, works while stuck in C).
    Everywhere: a daemon thread exits the process when the multiprocessing parent is gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:  # pragma: no cover - no prctl: the watcher thread still works
            pass
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        from multiprocessing.connection import wait

        wait([parent.sentinel])
        os._exit(3)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


READY = "ready"


def _worker(conn, fn: Callable, context: Any, init: Callable | None = None) -> None:
    """A worker's loop: say it is ready, then receive (item_id, arg) and send back
    (item_id, fn(context, arg), None) or (item_id, None, error)."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if init is not None:
        init()
    try:
        conn.send(READY)
    except (EOFError, OSError):
        return
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if msg is None:
            return
        item_id, arg = msg
        try:
            out = (item_id, fn(context, arg), None)
        except BaseException as exc:  # fn should not raise; if it does, name it rather than die
            out = (item_id, None, f"crashed: {type(exc).__name__}: {exc}")
        try:
            conn.send(out)
        except (EOFError, OSError, BrokenPipeError):
            return


class _Slot:
    def __init__(self, ctx, fn, context, init=None):
        parent_end, child_end = ctx.Pipe(duplex=True)
        self.conn = parent_end
        self.proc = ctx.Process(target=_worker, args=(child_end, fn, context, init), daemon=True)
        self.proc.start()
        child_end.close()
        self.queue: deque = deque()  # (item_id, arg) sent, oldest first
        self.started = time.monotonic()  # when the oldest queued item began running
        self.ready = False  # the worker said it started (it may die before: not an item's fault)

    def send(self, item) -> bool:
        """Queue an item on this worker; False when the worker is already gone (it died on the item
        before: its sentinel tells run_pool, and this item was never sent)."""
        if not self.queue:
            self.started = time.monotonic()
        self.queue.append(item)
        try:
            self.conn.send(item)
        except OSError:  # BrokenPipeError: the worker exited between two sends
            self.queue.pop()
            return False
        return True

    def kill(self) -> None:
        try:
            self.proc.kill()
        except Exception:
            pass
        self.proc.join(5)
        self.conn.close()


class PoolBroken(Exception):
    """Worker processes die before they can start (e.g. the main module cannot be imported in
    them); `remaining` holds the items not done, for the caller to run another way."""

    def __init__(self, remaining: list):
        super().__init__("worker processes fail to start")
        self.remaining = remaining


MAX_START_FAILURES = 3


def run_pool(fn: Callable, context: Any, items: Iterable[tuple[Any, Any]], procs: int,
             timeout: float | None = None, ctx=None, init: Callable | None = None,
             limits: dict | None = None, local: Callable[[Any, Any], Outcome] | None = None) -> Iterator[Outcome]:
    """Run fn(context, arg) for every (item_id, arg) in `procs` worker processes; yield an
    Outcome per item as it finishes (any order). fn, context and init must be picklable;
    context is sent once per worker, init() runs in each worker before its first item.
    timeout: seconds one item may run (None or 0 = no limit); limits: per-item seconds that
    replace it (None: no limit for that item). Raises PoolBroken when workers keep dying
    before they start.
    local(item_id, arg) -> Outcome: runs an item in this process. While no worker is ready yet
    (a forkserver takes a few tenths of a second to boot and load the code) this process takes
    items from the back of the queue itself rather than wait; once a worker is ready it only
    hands items out."""
    from multiprocessing.connection import wait

    if ctx is None:
        ctx = default_context()
    pending: deque = deque(items)
    slots = [_Slot(ctx, fn, context, init) for _ in range(max(1, min(procs, len(pending))))]
    default = timeout if timeout and timeout > 0 else None
    limits = limits or {}

    def limit_of(slot: _Slot) -> float | None:
        item_id = slot.queue[0][0]
        return limits[item_id] if item_id in limits else default

    def deadline(slot: _Slot) -> float | None:
        lim = limit_of(slot)
        return None if lim is None else slot.started + lim
    start_failures = 0
    try:
        while True:
            for n, slot in enumerate(slots):
                while slot.ready and pending and len(slot.queue) < IN_FLIGHT:
                    item = pending.popleft()
                    if not slot.send(item):
                        pending.appendleft(item)  # its worker is gone
                        if not slot.queue:  # (idle: nothing to report for it; start another)
                            slot.kill()
                            slots[n] = _Slot(ctx, fn, context, init)
                        break  # (else the wait below sees its exit and reports the item it ran)
            busy = [s for s in slots if s.queue or not s.ready]
            if not busy:
                return
            deadlines = [d for d in (deadline(s) for s in busy if s.queue) if d is not None]
            wait_for = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
            if local is not None and len(pending) > 1 and not any(s.ready for s in slots):
                item_id, arg = pending.pop()
                yield local(item_id, arg)
                wait_for = 0.0  # then see (without waiting) whether a worker has become ready
            ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=wait_for)
            for i, slot in enumerate(list(slots)):
                if slot.conn in ready:
                    try:
                        msg = slot.conn.recv()
                    except (EOFError, OSError):
                        msg = None
                    if msg == READY:
                        slot.ready, start_failures = True, 0
                        continue
                    if msg is None:  # the worker is gone
                        slots[i] = yield from _lost(slot, pending, ctx, fn, context, "crashed: worker exited", init)
                        start_failures = start_failures + 1 if not slot.ready else 0
                        continue
                    item_id, value, error = msg
                    slot.queue.popleft()
                    slot.started = time.monotonic()
                    yield Outcome(item_id, value, error)
                elif slot.proc.sentinel in ready:
                    reason = f"crashed: worker exited with status {slot.proc.exitcode}"
                    start_failures = start_failures + 1 if not slot.ready else 0
                    slots[i] = yield from _lost(slot, pending, ctx, fn, context, reason, init)
                elif slot.queue and (d := deadline(slot)) is not None and time.monotonic() >= d:
                    slots[i] = yield from _lost(slot, pending, ctx, fn, context, "timeout", init)
                if start_failures >= MAX_START_FAILURES:
                    remaining = [item for s in slots for item in s.queue] + list(pending)
                    raise PoolBroken(remaining)
    finally:
        for slot in slots:
            try:
                slot.conn.send(None)
            except Exception:
                pass
        for slot in slots:
            slot.proc.join(2)
            if slot.proc.is_alive():
                slot.kill()


def _lost(slot: _Slot, pending: deque, ctx, fn, context, reason: str, init=None):
    """Kill a stuck or dead worker and start a fresh one in its place. The item it was running
    gets `reason`; the items queued behind it go back to the front of the queue. A worker that
    died before it was ready was running nothing: all its items go back."""
    slot.kill()
    if slot.ready and slot.queue:
        running = slot.queue.popleft()
        for item in reversed(slot.queue):
            pending.appendleft(item)
        yield Outcome(running[0], None, reason)
    else:
        for item in reversed(slot.queue):
            pending.appendleft(item)
    return _Slot(ctx, fn, context, init)


def default_context():
    """forkserver where available (safe while threads run in the parent: LLM calls, a test's
    fake server), with the batch code preloaded so each worker starts warm."""
    import multiprocessing as mp

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        try:
            ctx.set_forkserver_preload(["summarizer.batch"])
        except Exception:  # pragma: no cover
            pass
        return ctx
    return mp.get_context()


class call_with_timeout:
    """In-process time limit for one call (the batch's single-process path): SIGALRM raises
    ItemTimeout in the main thread. Best effort: it interrupts Python code, not a long C call
    (which is why large batches run in run_pool, where a stuck worker is killed)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds if seconds and seconds > 0 else None
        self.active = False

    def __enter__(self):
        if self.seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
            self.active = True
        return self

    @staticmethod
    def _fire(signum, frame):
        raise ItemTimeout()

    def __exit__(self, *exc):
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


class ItemTimeout(BaseException):
    """Raised inside call_with_timeout when the time is up. A BaseException, like
    KeyboardInterrupt, so the audit's own `except Exception` guards do not swallow it."""
