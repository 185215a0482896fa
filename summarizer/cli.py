"""The `audit` command (CLI.md): audit reports, write markdown / JSON / JSONL / CSV / Word / HTML,
explain checks.

Exit status: 0 no error finding; 1 some report has an error finding; 2 bad usage, an output that
could not be written, or an input that could not be read or audited (named on stderr; the rest of
the batch is still audited). Every message is one line; never a traceback.

No `from __future__ import annotations`: typer reads the options' annotations at every start, and
real annotations spare it evaluating strings (typing.get_type_hints).
"""

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from . import __version__

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]})

FORMATS = ("md", "json", "jsonl", "csv", "docx", "html")
NEEDS_OUT_DIR = ("docx", "html")
SEVERITIES = ("error", "warning", "info")
STDOUT_MACHINE = ("json", "jsonl", "csv")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"audit: {message}", err=True)
    return typer.Exit(2)


def _codes(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    out = [c.strip().upper() for v in values for c in v.split(",") if c.strip()]
    return out or None


def _check_codes(option: str, codes: list[str] | None) -> None:
    """Every --select / --ignore entry must be a code or a prefix of one."""
    if not codes:
        return
    from .checks import catalogue

    known = catalogue()
    unknown = [c for c in codes if not any(k.startswith(c) for k in known)]
    if unknown:
        raise _fail(f"{option} {'、'.join(unknown)} 不对应任何检查代码（用 audit --explain all 查看全部代码）")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"audit {__version__}")
        raise typer.Exit(0)


def _explain(code: str) -> None:
    from .checks import catalogue, explain as explain_code

    doc = explain_code(code)
    if doc is None:
        prefix = code.strip().upper()
        under = sorted(c for c in catalogue() if c.startswith(prefix)) if prefix else []
        if not under:
            raise _fail(f"没有检查代码 {code}：用 audit --explain all 查看全部代码")
        doc = "".join(explain_code(c).split("\n", 1)[0] + "\n" for c in under)
    typer.echo(doc.rstrip("\n"))
    raise typer.Exit(0)


@app.command()
def audit(
    reports: Optional[list[str]] = typer.Argument(None, help="报告文件或文件夹（report files or folders）", show_default=False),
    out: Optional[Path] = typer.Option(None, "-o", "--out", help="输出文件夹：每份报告一个文件，另有 index.md、overview.xlsx 等总览"),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="md | json | jsonl | csv | docx | html（docx、html 需要 -o）",
                                      show_default=False),
    explain: Optional[str] = typer.Option(None, "--explain", help="检查代码的说明：P001；前缀（如 P）列出其下代码；all 列出全部"),
    select: Optional[list[str]] = typer.Option(None, "--select", help="只运行这些代码（前缀，可逗号分隔），如 A,P001"),
    ignore: Optional[list[str]] = typer.Option(None, "--ignore", help="忽略这些代码（前缀，可逗号分隔）"),
    min_severity: Optional[str] = typer.Option(None, "--min-severity", help="只显示并只按此级别及以上计退出状态：error | warning | info"),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="有错误级发现时也以 0 退出（用法错误、无法读取仍为 2）"),
    statistics: bool = typer.Option(False, "--statistics", help="结果之后按代码和级别统计发现数"),
    no_llm: bool = typer.Option(False, "--no-llm", help="不调用大模型，只运行确定性审查"),
    model: Optional[str] = typer.Option(None, "--model", envvar="AUDIT_MODEL", help="大模型名称（或环境变量 AUDIT_MODEL）"),
    no_cache: bool = typer.Option(False, "--no-cache", help="不读写大模型响应缓存"),
    cache_dir: Optional[Path] = typer.Option(None, "--cache-dir", envvar="AUDIT_CACHE_DIR",
                                             help="大模型响应缓存目录（默认 ~/.cache/gov-report-audit）"),
    llm_budget: Optional[float] = typer.Option(
        None, "--llm-budget",
        help="每份报告全部大模型工作（含重试、重问和跨年 X004）的硬性时间上限（秒，默认 120），从第一次请求起计"),
    json_schema: bool = typer.Option(False, "--json-schema", help="使用 response_format=json_schema（端点支持时）"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="同时进行大模型调用的报告数（默认 8）"),
    procs: Optional[int] = typer.Option(None, "--procs", help="确定性审查的进程数（默认 CPU 核数，最多 8；1 = 不开子进程）"),
    rpm: Optional[float] = typer.Option(None, "--rpm", help="每分钟最多大模型请求数（默认不限；429 仍按 Retry-After 重试）"),
    fresh: bool = typer.Option(False, "--fresh", help="忽略 -o 目录中已保存的结果，全部重新审查"),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="每份报告确定性审查的时间上限（秒，默认 120；"
                                                                    "扫描件每页另加 60）；超时的报告记为 timed out，其余照常；0 = 不限"),
    ocr: Optional[bool] = typer.Option(None, "--ocr/--no-ocr", show_default=False,
                                       help="扫描件 OCR：默认在没有文字层的页面自动识别（需安装 ocr 扩展）；"
                                            "--ocr 对 PDF 每页强制识别，--no-ocr 不识别"),
    llm_batch: Optional[str] = typer.Option(None, "--llm-batch",
                                            help="经 Batch API 处理大模型调用：submit | status | collect（需 -o）"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本"),
) -> None:
    """审查政府信息公开工作年度报告 — audit government information-disclosure annual reports.

    选项也可写在当前文件夹的 audit.toml 或 pyproject.toml 的 [tool.audit] 中，命令行优先。
    """
    if explain:
        _explain(explain)
    from .config import ConfigError, load_config

    try:
        conf = load_config()
    except ConfigError as exc:
        raise _fail(str(exc))
    fmt_value = (fmt or conf.get("format") or "md").strip().lower()
    if fmt_value == "markdown":
        fmt_value = "md"
    if fmt_value not in FORMATS:
        raise _fail(f"不支持的输出格式 {fmt or conf.get('format')}：可选 {'、'.join(FORMATS)}")
    if fmt_value in NEEDS_OUT_DIR and out is None:
        raise _fail(f"--format {fmt_value} 需要 -o 输出文件夹（每份报告写一个 .{fmt_value} 文件）")
    if fmt_value == "docx":
        import importlib.util

        if importlib.util.find_spec("docx") is None:
            raise _fail("--format docx 需要 python-docx：pip install python-docx（或安装本工具的 docx 扩展）")
    severity = (min_severity or conf.get("min_severity") or "info").strip().lower()
    if severity not in SEVERITIES:
        raise _fail(f"--min-severity 取 error、warning 或 info，而不是 {min_severity or conf.get('min_severity')}")
    sel = _codes(select) if select else conf.get("select")
    ign = _codes(ignore) if ignore else conf.get("ignore")
    _check_codes("--select", sel)
    _check_codes("--ignore", ign)
    exit_zero = exit_zero or bool(conf.get("exit_zero"))
    if not reports:
        raise _fail("需要至少一个报告文件或文件夹（用法：audit REPORT... [-o DIR] [--format md|json|jsonl|csv|docx|html]；"
                    "audit -h 查看全部选项）")

    from .batch import DEFAULT_TIMEOUT_S, BatchError, run_batch
    from .outputs import OutputError, OutputPlan, prepare_out_dir
    from .pipeline import Options, collect_inputs

    if out is not None:
        _check_out_dir(out, reports)
        try:
            prepare_out_dir(out)
        except OutputError as exc:
            raise _fail(str(exc))
    opts = Options(select=sel, ignore=ign, no_llm=no_llm or bool(conf.get("no_llm")), model=model or conf.get("model"),
                   no_cache=no_cache, cache_dir=cache_dir,
                   llm_budget=float(llm_budget if llm_budget is not None else conf.get("llm_budget", 120.0)),
                   json_schema=json_schema, ocr="auto" if ocr is None else ("force" if ocr else "off"))
    inputs = collect_inputs(reports, out, ocr=opts.ocr)
    for note in inputs.notes:
        typer.echo(f"audit: {note}", err=True)
    for s in inputs.skipped:
        typer.echo(f"audit: {s.path}: 未审查：{s.reason}", err=True)
    if not inputs.files and not inputs.skipped:
        raise _fail("没有可审查的报告文件（no report files found）")
    paths = inputs.files
    if llm_batch:
        _llm_batch_step(llm_batch, paths, opts, out, procs or conf.get("procs", 0))
    plan = None
    if out is not None:
        plan = OutputPlan.create(out, paths, fmt_value, rels=inputs.rels, min_severity=severity, skipped=inputs.skipped)
    stats: dict = {}
    try:
        results = run_batch(paths, opts, out_dir=out, fmt=fmt_value, jobs=jobs or conf.get("jobs", 0),
                            procs=procs or conf.get("procs", 0), resume=not fresh,
                            rpm=rpm if rpm is not None else conf.get("rpm", 0.0), stats=stats, plan=plan,
                            timeout=float(timeout if timeout is not None else conf.get("timeout", DEFAULT_TIMEOUT_S)))
    except (OutputError, BatchError) as exc:
        raise _fail(str(exc))
    except OSError as exc:
        raise _fail(f"写入失败：{exc.filename or ''} {exc.strerror or exc}".strip())
    if stats.get("cached"):
        typer.echo(f"audit: {stats['cached']}/{stats['total']} 份报告沿用 {out}/.audit-state 中已保存的结果"
                   "（--fresh 可全部重审）", err=True)

    from .render.common import at_least

    shown = [at_least(r, severity) for r in results]
    bad_input = bool(inputs.skipped)
    for r in shown:
        if r.error:
            bad_input = True
            typer.echo(f"audit: {r.file}: {r.error}", err=True)
    if out is None:
        _stdout(_render_stdout(shown, fmt_value))
    if statistics:
        text = _statistics_text(shown)
        if out is None and fmt_value in STDOUT_MACHINE:
            typer.echo(text, err=True)  # keep stdout parseable
        else:
            _stdout(text + "\n")
    if out is not None or len(paths) + len(inputs.skipped) > 1:
        typer.echo("audit: " + _summary_line(shown, inputs, out), err=True)
    if bad_input:
        raise typer.Exit(2)
    if exit_zero:
        raise typer.Exit(0)
    raise typer.Exit(1 if any(r.has_error_finding for r in shown) else 0)


def _check_out_dir(out: Path, reports: list[str]) -> None:
    """The output folder may sit inside an input folder (it is then left out of the inputs),
    but may not be an input folder itself: its outputs would mix with the reports."""
    try:
        target = out.resolve()
        for r in reports:
            p = Path(r)
            if p.is_dir() and p.resolve() == target:
                raise _fail(f"输出文件夹 {out} 就是输入文件夹：请另选 -o（可以是输入文件夹里的子文件夹，如 {Path(r) / '审查结果'}）")
    except OSError:
        return


def _stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        raise typer.Exit(2)
    except OSError as exc:
        raise _fail(f"无法写出到标准输出：{exc.strerror or exc}")


def _statistics_text(results) -> str:
    from .render.common import SEV_ZH
    from .render.overview import statistics

    rows = statistics(results)
    total = {s: sum(e["findings"] for e in rows if e["severity"] == s) for s in SEV_ZH}
    lines = [f"{e['findings']:>6}  {e['code']}  [{SEV_ZH[e['severity']]}]  {e['title']}（{e['reports']} 份报告）"
             for e in rows]
    lines.append(f"共 {sum(total.values())} 条：错误 {total['error']}，警告 {total['warning']}，提示 {total['info']}")
    return "\n".join(lines)


def _summary_line(results, inputs, out: Optional[Path]) -> str:
    n_err = sum(1 for r in results if r.has_error_finding)
    n_warn = sum(1 for r in results if not r.error and not r.has_error_finding and r.counts()["warning"])
    n_bad = sum(1 for r in results if r.error)
    audited = len(results) - n_bad
    parts = [f"审查 {audited} 份报告：{n_err} 份有错误，{n_warn} 份只有警告，{audited - n_err - n_warn} 份无错误和警告"]
    if n_bad:
        parts.append(f"{n_bad} 个文件无法读取")
    if inputs.skipped:
        parts.append(f"{len(inputs.skipped)} 个文件未审查（格式不支持）")
    if out is not None:
        parts.append(f"结果在 {out}/index.md")
    return "；".join(parts)


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
    from .render.markdown import render_markdown

    return "\n\n---\n\n".join(render_markdown(r) for r in results if not r.error or len(results) == 1)


def main() -> None:
    # pydantic looks for plugins among the entry points of every installed distribution at the
    # first model (≈ 1.5 % of a start); the command uses none. Set PYDANTIC_DISABLE_PLUGINS to
    # anything else to have them loaded.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
