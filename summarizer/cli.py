"""The `audit` command (CLI.md): audit reports, write markdown / JSON / JSONL / CSV, explain checks.

Exit status: 0 no error finding; 1 some report has an error finding; 2 bad usage or an
input that could not be read (named on stderr; the rest of the batch is still audited).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


class OutFormat(str, Enum):
    md = "md"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def _codes(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out = [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
    return out or None


@app.command()
def audit(
    reports: Optional[list[str]] = typer.Argument(None, help="报告文件或文件夹（report files or folders）"),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="写入目录：每份报告一个 <name>.md，并生成批量总览"),
    fmt: OutFormat = typer.Option(OutFormat.md, "--format", "-f", help="md | json | jsonl | csv"),
    explain: Optional[str] = typer.Option(None, "--explain", help="打印某个检查代码的说明，如 P001"),
    select: Optional[list[str]] = typer.Option(None, "--select", help="只运行这些代码（前缀，可逗号分隔），如 A,P001"),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", help="忽略这些代码（前缀，可逗号分隔）"),
    no_llm: bool = typer.Option(False, "--no-llm", help="不调用大模型，只运行确定性审查"),
    model: Optional[str] = typer.Option(None, "--model", envvar="AUDIT_MODEL", help="大模型名称（或环境变量 AUDIT_MODEL）"),
    no_cache: bool = typer.Option(False, "--no-cache", help="不读写大模型响应缓存"),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", envvar="AUDIT_CACHE_DIR",
                                             help="大模型响应缓存目录（默认 ~/.cache/gov-report-audit）"),
    llm_budget: float = typer.Option(120.0, "--llm-budget", help="每份报告大模型调用的总时间预算（秒），含重试"),
    json_schema: bool = typer.Option(False, "--json-schema", help="使用 response_format=json_schema（端点支持时）"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="并行数（0 = 自动）"),
) -> None:
    """审查政府信息公开工作年度报告 — audit government information-disclosure annual reports."""
    if explain:
        from .checks import explain as explain_code

        doc = explain_code(explain)
        if doc is None:
            typer.echo(f"audit: 没有检查代码 {explain}（unknown check code）", err=True)
            raise typer.Exit(2)
        typer.echo(doc)
        raise typer.Exit(0)
    if not reports:
        typer.echo("audit: 需要至少一个报告文件或文件夹（usage: audit REPORT... [-o DIR] [--format md|json|jsonl|csv]）",
                   err=True)
        raise typer.Exit(2)

    from .batch import run_batch
    from .pipeline import Options, expand_inputs

    opts = Options(select=_codes(select), ignore=_codes(ignore), no_llm=no_llm, model=model, no_cache=no_cache, cache_dir=cache_dir,
                   llm_budget=llm_budget, json_schema=json_schema)
    paths = expand_inputs(reports)
    if not paths:
        typer.echo("audit: 文件夹中没有可审查的报告文件（no report files found）", err=True)
        raise typer.Exit(2)
    results = run_batch(paths, opts, out_dir=out, fmt=fmt.value, jobs=jobs)

    bad_input = False
    for r in results:
        if r.error:
            bad_input = True
            typer.echo(f"audit: {r.file}: {r.error}", err=True)
    if out is None:
        sys.stdout.write(_render_stdout(results, fmt.value))
    if bad_input:
        raise typer.Exit(2)
    raise typer.Exit(1 if any(r.has_error_finding for r in results) else 0)


def _render_stdout(results, fmt: str) -> str:
    from .render import machine

    if fmt == "json":
        return machine.to_json(results) + "\n"
    if fmt == "jsonl":
        return machine.to_jsonl(results)
    if fmt == "csv":
        return machine.to_csv(results)
    from .batch import render_markdown

    return "\n\n---\n\n".join(render_markdown(r) for r in results if not r.error or len(results) == 1)


def main() -> None:
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
