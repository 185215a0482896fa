"""A progress bar for batch runs that stays out of the way when nobody is watching.

Why a wrapper: a rich bar on a terminal helps a reviewer watching 3,000 reports go by, but
piped output, log files and CI must get no control characters at all. `rich` is imported only
when the bar is actually shown, so `audit --no-llm` on one file never pays for it.
"""

from __future__ import annotations

import os
import sys


def should_show(stream=None) -> bool:
    """Show a bar only on an interactive terminal, never under CI or with AUDIT_NO_PROGRESS set."""
    stream = stream or sys.stderr
    if os.environ.get("CI") or os.environ.get("AUDIT_NO_PROGRESS"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    """`advance(n, note)` from the main thread; a no-op when disabled."""

    def __init__(self, total: int, enabled: bool | None = None, label: str = "审查"):
        self.total = total
        self.done = 0
        self.enabled = should_show() if enabled is None else enabled
        self._bar = None
        self._task = None
        self.label = label

    def __enter__(self) -> "Progress":
        if self.enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self._bar = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[note]}"),
                                     transient=False, redirect_stdout=False, redirect_stderr=False)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total, note="")
        return self

    def advance(self, n: int = 1, note: str | None = None) -> None:
        self.done += n
        if self._bar is not None:
            kwargs = {"advance": n}
            if note is not None:
                kwargs["note"] = note
            self._bar.update(self._task, **kwargs)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
