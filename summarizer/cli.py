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
    llm_budget: float = typer.Option(120.0, "--llm-budget",
                                     help="每份报告全部大模型工作（含重试、重问和跨年 X004）的硬性时间上限（秒），从第一次请求起计"),
    json_schema: bool = typer.Option(False, "--json-schema", help="使用 response_format=json_schema（端点支持时）"),
    jobs: int = typer.Option(0, "--jobs", "-j", help="同时进行大模型调用的报告数（0 = 8）"),
    procs: int = typer.Option(0, "--procs", help="确定性审查的进程数（0 = CPU 核数，最多 8；1 = 不开子进程）"),
    rpm: float = typer.Option(0.0, "--rpm", help="每分钟最多大模型请求数（0 = 不限；429 仍按 Retry-After 重试）"),
    fresh: bool = typer.Option(False, "--fresh", help="忽略 -o 目录中已保存的结果，全部重新审查"),
    llm_batch: Optional[str] = typer.Option(None, "--llm-batch",
                                            help="经 Batch API 处理大模型调用：submit | status | collect（需 -o）"),
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
    if llm_batch:
        _llm_batch_step(llm_batch, paths, opts, out, procs)
    stats: dict = {}
    results = run_batch(paths, opts, out_dir=out, fmt=fmt.value, jobs=jobs, procs=procs, resume=not fresh,
                        rpm=rpm, stats=stats)
    if stats.get("cached"):
        typer.echo(f"audit: {stats['cached']}/{stats['total']} 份报告沿用 {out}/.audit-state 中已保存的结果"
                   "（--fresh 可全部重审）", err=True)

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


def _llm_batch_step(step: str, paths: list[str], opts, out: Optional[Path], procs: int) -> None:
    """submit and status end the command; collect fills the LLM cache and lets the normal run go on."""
    from . import batchapi

    if step not in ("submit", "status", "collect") or out is None:
        typer.echo("audit: --llm-batch 取 submit | status | collect，且需要 -o DIR", err=True)
        raise typer.Exit(2)
    try:
        if step == "submit":
            m = batchapi.submit(paths, opts, out, procs)
            if m["batch_id"]:
                typer.echo(f"audit: 已提交 Batch {m['batch_id']}：{len(m['requests'])} 个请求"
                           f"（另有 {m['already_cached']} 个已在缓存中）", err=True)
            else:
                typer.echo(f"audit: 所有大模型请求均已在缓存中（{m['already_cached']} 个），无需提交；"
                           "直接运行 --llm-batch collect 或不带 --llm-batch 运行", err=True)
            raise typer.Exit(0)
        if step == "status":
            st = batchapi.status(opts, out)
            counts = st.get("counts") or {}
            typer.echo(f"{st['batch_id']}\t{st['status']}\t{counts.get('completed', 0)}/{counts.get('total', 0)}"
                       f"\tfailed={counts.get('failed', 0)}")
            raise typer.Exit(0)
        got = batchapi.collect(opts, out)
        typer.echo(f"audit: Batch 结果已收取：{got['stored']} 个回答存入缓存，{got['invalid']} 个无效、"
                   f"{got['failed']} 个失败、{got['missing']} 个缺失（这些将在线调用）", err=True)
    except batchapi.BatchAPIError as exc:
        typer.echo(f"audit: {exc}", err=True)
        raise typer.Exit(2)


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
