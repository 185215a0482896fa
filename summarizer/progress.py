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
    """`advance(n, note)` from the main thread; a no-op when disabled.

    A Progress opened while another is showing (the OCR pages of one report inside a batch)
    adds its own line to the bar already on screen: rich allows one live display at a time."""

    _live = None  # the rich bar on screen, shared by nested Progress objects

    def __init__(self, total: int, enabled: bool | None = None, label: str = "审查"):
        self.total = total
        self.done = 0
        self.enabled = should_show() if enabled is None else enabled
        self._bar = None
        self._task = None
        self.label = label

    def __enter__(self) -> "Progress":
        if self.enabled and Progress._live is not None:
            self._bar, self._nested = Progress._live, True
            self._task = self._bar.add_task(self.label, total=self.total, note="")
            return self
        self._nested = False
        if self.enabled:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self._bar = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), TimeRemainingColumn(), TextColumn("{task.fields[note]}"),
                                     transient=False, redirect_stdout=False, redirect_stderr=False)
            self._bar.start()
            self._task = self._bar.add_task(self.label, total=self.total, note="")
            Progress._live = self._bar
        return self

    def advance(self, n: int = 1, note: str | None = None) -> None:
        self.done += n
        if self._bar is not None:
            kwargs = {"advance": n}
            if note is not None:
                kwargs["note"] = note
            self._bar.update(self._task, **kwargs)

    def __exit__(self, *exc) -> None:
        if self._bar is not None and self._nested:
            self._bar.remove_task(self._task)
        elif self._bar is not None:
            self._bar.stop()
            Progress._live = None
        self._bar = None
