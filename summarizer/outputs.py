"""Writing a batch's files: one function per output, every file written atomically.

Why a module of its own: the batch runner (batch.py) decides *when* a result is ready; this
module decides *what* is written *where*. `write_report` writes one report's file (it may run in
a worker process: the plan is a small picklable object) and `write_overviews` writes the batch
files (index.md, overview.csv, overview.xlsx, results.json) once every report is done.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .models import AuditResult


@dataclass
class OutputPlan:
    """What a batch writes: the folder, the per-report format, one output name per input."""

    out_dir: Path
    names: list[str]  # per input, relative to out_dir, with extension
    fmt: str = "md"
    extra: dict = field(default_factory=dict)

    @classmethod
    def create(cls, out_dir: Path, paths: list[str], fmt: str = "md") -> "OutputPlan":
        return cls(out_dir=Path(out_dir), names=output_names(paths), fmt=fmt)


def output_names(paths: list[str]) -> list[str]:
    """A distinct <name>.md per input, even when two folders hold files of the same name."""
    names, seen = [], {}
    for p in paths:
        stem = Path(p).name
        n = seen.get(stem, 0)
        seen[stem] = n + 1
        names.append(f"{stem}.md" if n == 0 else f"{stem}.{n + 1}.md")
    return names


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if isinstance(data, bytes):
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_json_array(path: Path, results: list[AuditResult]) -> None:
    """results.json as machine.to_json writes it, streamed one report at a time (10,000 reports
    would otherwise build a several-hundred-MB string), then renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            if not results:
                fh.write("[]\n")
            for n, r in enumerate(results):
                item = json.dumps(r.to_public(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
                fh.write(("[\n  " if n == 0 else ",\n  ") + item)
            if results:
                fh.write("\n]\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_report(plan: OutputPlan, index: int, result: AuditResult, doc=None) -> Path:
    """One report's file (plan.names[index]) in the plan's format; returns its path."""
    from .render.markdown import render_markdown

    path = plan.out_dir / plan.names[index]
    write_atomic(path, render_markdown(result))
    return path


def write_overviews(plan: OutputPlan, results: list[AuditResult], pairs=None, notes=None) -> None:
    """The batch files, written after every report's file so their links never point at nothing."""
    from .render import overview

    out = plan.out_dir
    rows = overview.overview_rows(results, plan.names)
    write_atomic(out / "overview.csv", overview.overview_csv(rows))
    xlsx = overview.overview_xlsx(rows)
    if xlsx is not None:
        write_atomic(out / "overview.xlsx", xlsx)
    write_json_array(out / "results.json", results)
    write_atomic(out / "index.md", overview.overview_markdown(results, plan.names, pairs, notes))


def write_outputs(plan: OutputPlan, results: list[AuditResult], pairs=None, notes=None) -> None:
    """Every report's file, then the overviews."""
    for i, r in enumerate(results):
        write_report(plan, i, r)
    write_overviews(plan, results, pairs, notes)
