"""Running many reports and writing their outputs.

This first version is sequential; each report's output file is written atomically so a
killed run never leaves a half-written file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .models import AuditResult
from .pipeline import Options, audit_one, llm_config
from .render.markdown import render_report


def render_markdown(r: AuditResult) -> str:
    section = ""
    if r.summary or (r.rubric and not r.error):
        try:
            from .render.llm_markdown import render_llm_sections

            section = render_llm_sections(r)
        except ImportError:
            section = ""
    return render_report(r, section)


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def output_names(paths: list[str]) -> list[str]:
    """A distinct <name>.md per input, even when two folders hold files of the same name."""
    names, seen = [], {}
    for p in paths:
        stem = Path(p).name
        n = seen.get(stem, 0)
        seen[stem] = n + 1
        names.append(f"{stem}.md" if n == 0 else f"{stem}.{n + 1}.md")
    return names


def run_batch(paths: list[str], opts: Options, out_dir: Path | None = None, fmt: str = "md",
              jobs: int = 0) -> list[AuditResult]:
    config = llm_config(opts)
    results = [audit_one(p, opts, config) for p in paths]
    if out_dir is not None:
        from .render import machine

        out_dir = Path(out_dir)
        names = output_names(paths)
        for r, name in zip(results, names):
            write_atomic(out_dir / name, render_markdown(r))
        write_atomic(out_dir / "index.md", overview_markdown(results, names))
        write_atomic(out_dir / "results.json", machine.to_json(results) + "\n")
        write_atomic(out_dir / "overview.csv", machine.to_csv(results))
    return results


def overview_markdown(results: list[AuditResult], names: list[str]) -> str:
    rows = sorted(zip(results, names), key=lambda rn: (-rn[0].counts()["error"], -rn[0].counts()["warning"], rn[1]))
    out = ["# 批量审查总览", "", f"共 {len(results)} 份报告。", "",
           "| 报告 | 机关 | 年度 | 错误 | 警告 | 提示 | 代码 |", "|---|---|---|---|---|---|---|"]
    for r, name in rows:
        if r.error:
            out.append(f"| [{name[:-3]}]({name}) | 无法审查：{r.error} | | | | | |")
            continue
        c = r.counts()
        codes = " ".join(sorted({f.code for f in r.findings}))
        out.append(f"| [{name[:-3]}]({name}) | {r.facts.agency or '—'} | {r.facts.year or '—'} | {c['error']} | "
                   f"{c['warning']} | {c['info']} | {codes} |")
    return "\n".join(out) + "\n"
