"""Running many reports: parallel deterministic audits, bounded concurrent LLM calls, resume, overview.

How a batch runs, and why:
  1. Each input is keyed by sha256(file bytes) + the options that change a result (select,
     ignore, LLM on/off, model, endpoint, json_schema, tool version). With `-o DIR`, a finished
     result is saved under DIR/.audit-state/<key>.json the moment it is done, so a killed run
     re-run with the same options redoes only what was not finished. A result whose LLM part
     failed is not saved: the re-run tries the LLM again (the LLM response cache still spares
     the calls that did succeed).
  2. The deterministic audit is CPU-bound Python, so it runs in a process pool (`procs`);
     small batches stay in-process because starting workers costs more than it saves.
  3. LLM calls are I/O-bound, so they run in threads, at most `jobs` reports at a time, with an
     optional requests-per-minute limit; the client itself retries 429s honouring Retry-After.
     LLM work starts as soon as a report's deterministic audit is done.
  4. Cross-year checks (crossyear.py) need pairs, so they run after every report is done and
     are not part of the saved state.
  5. Outputs are written last, each atomically (temporary file + rename): per-report markdown,
     then index.md, overview.csv, overview.xlsx (if openpyxl is installed), results.json.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterator

from pydantic import BaseModel

from . import __version__
from .audit import audit_path
from .models import AuditResult
from .pipeline import Options, audit_one, llm_config
from .render.markdown import render_report

STATE_DIR = ".audit-state"
STATE_SCHEMA = 1
MIN_PARALLEL = 32  # below this many reports to audit, worker start-up costs more than it saves
DEFAULT_LLM_JOBS = 8
CALLS_PER_REPORT = 2  # summary + judge (llm/tasks.py)


# ---------------------------------------------------------------- rendering and writing


def render_markdown(r: AuditResult) -> str:
    section = ""
    if r.summary or (r.rubric and not r.error):
        try:
            from .render.llm_markdown import render_llm_sections

            section = render_llm_sections(r)
        except ImportError:
            section = ""
    return render_report(r, section)


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


def output_names(paths: list[str]) -> list[str]:
    """A distinct <name>.md per input, even when two folders hold files of the same name."""
    names, seen = [], {}
    for p in paths:
        stem = Path(p).name
        n = seen.get(stem, 0)
        seen[stem] = n + 1
        names.append(f"{stem}.md" if n == 0 else f"{stem}.{n + 1}.md")
    return names


# ---------------------------------------------------------------- saved state (resume)


def options_fingerprint(opts: Options, config) -> dict:
    """Everything besides the input bytes that can change a report's result."""
    llm = None
    if config is not None and getattr(config, "enabled", False):
        llm = {"model": config.model, "endpoint": config.endpoint_id, "json_schema": config.use_json_schema,
               "extra_body": config.extra_body, "max_tokens": config.max_tokens, "temperature": config.temperature}
    return {"select": sorted(opts.select or []), "ignore": sorted(opts.ignore or []), "no_llm": opts.no_llm,
            "llm": llm, "version": __version__, "state_schema": STATE_SCHEMA}


def input_key(path: str, fingerprint: dict) -> str | None:
    """sha256 of the file bytes and the options; None when the file cannot be read (not cached)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    h = hashlib.sha256(data)
    h.update(json.dumps(fingerprint, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def full_dump(obj):
    """Like model_dump, but keeping the fields marked exclude=True (line numbers, quotes, end lines).

    Why: those internal fields feed the markdown and the cross-year evidence, so a result loaded
    from the state must render exactly like a fresh one.
    """
    if isinstance(obj, BaseModel):
        return {name: full_dump(getattr(obj, name)) for name in type(obj).model_fields}
    if isinstance(obj, (list, tuple)):
        return [full_dump(x) for x in obj]
    if isinstance(obj, dict):
        return {k: full_dump(v) for k, v in obj.items()}
    return obj


class StateStore:
    """One JSON file per finished report under <out_dir>/.audit-state/; unreadable entries are ignored."""

    def __init__(self, out_dir: Path):
        self.dir = Path(out_dir) / STATE_DIR
        self.dir.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.dir / f"{key}.json"

    def load(self, key: str, file: str) -> AuditResult | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            if data.get("schema") != STATE_SCHEMA:
                return None
            result = AuditResult.model_validate(data["result"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        result.file = file  # the same bytes may sit under another name this time
        return result

    def save(self, key: str, result: AuditResult) -> None:
        blob = json.dumps({"schema": STATE_SCHEMA, "result": full_dump(result)}, ensure_ascii=False)
        write_atomic(self._path(key), blob)


def is_finished(result: AuditResult, want_llm: bool) -> bool:
    """Worth saving: read fine and, when an LLM was wanted, every LLM call completed."""
    if result.error:
        return False
    if not want_llm:
        return True
    notes = result.llm.notes
    return result.llm.ran and not any("LLM 未完成" in n or "内部错误" in n for n in notes)


# ---------------------------------------------------------------- the two stages


def _det_chunk(items: list[tuple[int, str]], opts: Options, config, want_llm: bool) -> list[tuple]:
    """Deterministic audit of a few inputs (runs in a worker process). Never raises.

    With an LLM wanted, the document comes back too (the LLM stage needs it); otherwise the
    whole no-LLM path of audit_one runs here, rubric included.
    """
    out = []
    for i, path in items:
        try:
            if want_llm:
                r, doc = audit_path(path, opts.select, opts.ignore)
                out.append((i, r, None if r.error else doc))
            else:
                out.append((i, audit_one(path, opts, config), None))
        except Exception as exc:  # a bug on one report must not sink the batch
            out.append((i, AuditResult(file=path, error=f"内部错误（{type(exc).__name__}: {exc}）"), None))
    return out


def _deterministic(todo: list[tuple[int, str]], opts: Options, config, want_llm: bool,
                   procs: int) -> Iterator[list[tuple]]:
    """Chunks of (index, result, doc) as they finish, from a process pool or in-process."""
    if procs <= 1 or len(todo) < MIN_PARALLEL:
        for item in todo:
            yield _det_chunk([item], opts, config, want_llm)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # forkserver: safe while LLM threads (or a test's fake server) run in this process
    ctx = mp.get_context("forkserver") if "forkserver" in mp.get_all_start_methods() else None
    size = max(1, min(64, len(todo) // (procs * 8)))
    ex = ProcessPoolExecutor(max_workers=procs, mp_context=ctx)
    try:
        futs = [ex.submit(_det_chunk, todo[k:k + size], opts, config, want_llm) for k in range(0, len(todo), size)]
        for f in as_completed(futs):
            yield f.result()
    finally:
        ex.shutdown(wait=True, cancel_futures=True)


class RateLimiter:
    """Spaces report starts so the endpoint sees at most `rpm` requests a minute (0 = no limit).

    A report makes CALLS_PER_REPORT calls, so reports start at most every CALLS_PER_REPORT·60/rpm s.
    """

    def __init__(self, rpm: float = 0.0):
        self.interval = CALLS_PER_REPORT * 60.0 / rpm if rpm and rpm > 0 else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            time.sleep(start - now)


def _llm_one(result: AuditResult, doc, config, opts: Options, limiter: RateLimiter, budget=None,
             gate=None) -> AuditResult:
    """The LLM part of audit_one, in a worker thread (run_llm never raises; belt and braces)."""
    from .llm import run_llm

    if gate is None or not gate.closed:
        limiter.wait()
    try:
        run_llm(result, doc, config, select=opts.select, ignore=opts.ignore, budget=budget, gate=gate)
    except Exception as exc:
        result.llm.notes.append(f"LLM 层内部错误（{type(exc).__name__}）；确定性审核结果完整，不受影响")
    return result


def default_procs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def run_batch(paths: list[str], opts: Options, out_dir: Path | None = None, fmt: str = "md",
              jobs: int = 0, procs: int = 0, resume: bool = True, rpm: float = 0.0,
              progress: bool | None = None, stats: dict | None = None) -> list[AuditResult]:
    """Audit every path; results in input order, cross-year findings included.

    jobs: reports whose LLM calls run at once (0 = DEFAULT_LLM_JOBS); procs: processes for the
    deterministic audit (0 = CPU count, capped at 8); resume: use results saved under
    out_dir/.audit-state; progress: None = a bar only on a terminal; stats: filled with counts.
    """
    from .crossyear import apply_cross_year
    from .progress import Progress

    config = llm_config(opts)
    want_llm = bool(config is not None and config.enabled)
    jobs = jobs if jobs and jobs > 0 else DEFAULT_LLM_JOBS
    procs = procs if procs and procs > 0 else default_procs()
    store = StateStore(Path(out_dir)) if out_dir is not None else None
    fingerprint = options_fingerprint(opts, config)
    keys = [input_key(p, fingerprint) for p in paths] if store else [None] * len(paths)

    results: list[AuditResult | None] = [None] * len(paths)
    if store and resume:
        for i, (p, k) in enumerate(zip(paths, keys)):
            if k:
                results[i] = store.load(k, p)
    cached = sum(r is not None for r in results)
    todo = [(i, p) for i, p in enumerate(paths) if results[i] is None]
    counts = {"total": len(paths), "cached": cached, "audited": 0, "llm": 0, "saved": 0}

    with Progress(len(paths), progress) as bar:
        if cached:
            bar.advance(cached, note=f"{cached} 份来自已保存的结果")

        def finish(i: int, r: AuditResult) -> None:
            results[i] = r
            counts["audited"] += 1
            if store and keys[i] and is_finished(r, want_llm):
                store.save(keys[i], r)
                counts["saved"] += 1
            bar.advance(1)

        if want_llm:
            # LLM jobs and the cross-year X004 jobs share one thread pool; one endpoint gate per
            # batch (an unreachable endpoint is reported once, then skipped); one budget per report.
            from concurrent.futures import ThreadPoolExecutor, wait, FIRST_COMPLETED
            from .llm.followup import FollowupScheduler
            from .llm.gate import EndpointGate

            limiter = RateLimiter(rpm)
            gate = EndpointGate(config)
            followups = FollowupScheduler(config, opts.select, opts.ignore, gate, limiter)
            known = {i: r for i, r in enumerate(results) if r is not None}  # facts of every report, for pairing
            pending: dict = {}
            with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="audit-llm") as pool:
                def submit(key, fn, *args):
                    pending[pool.submit(fn, *args)] = key

                def settle(f) -> None:
                    key = pending.pop(f)
                    if isinstance(key, tuple):
                        followups.collect(key, f.result())
                    else:
                        finish(key, f.result())
                        followups.report_done(key, submit)

                for i in known:
                    followups.report_done(i, submit)
                for chunk in _deterministic(todo, opts, config, want_llm, procs):
                    for i, r, doc in chunk:
                        known[i] = r
                        if doc is None:
                            finish(i, r)  # unreadable input: nothing for the LLM
                            followups.report_done(i, submit)
                        else:
                            pending[pool.submit(_llm_one, r, doc, config, opts, limiter, followups.budget(i), gate)] = i
                            counts["llm"] += 1
                    for f in [f for f in pending if f.done()]:
                        settle(f)
                followups.plan([known[i] for i in range(len(paths))], submit)
                while pending:
                    done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                    for f in done:
                        settle(f)
            if gate.closed:
                counts["llm_unavailable"] = gate.reason
        elif todo:
            for chunk in _deterministic(todo, opts, config, False, procs):
                for i, r, _doc in chunk:
                    finish(i, r)

    final: list[AuditResult] = [r for r in results if r is not None]
    pairs, notes = apply_cross_year(final, opts.select, opts.ignore)
    counts["pairs"] = len(pairs)
    if want_llm:
        followups.merge(final, pairs)  # X004, one call per pair, run in the pool above
    _rescore_cross_year(final)
    if out_dir is not None:
        write_outputs(Path(out_dir), paths, final, pairs, notes)
    if stats is not None:
        stats.update(counts)
        stats["cross_year_notes"] = notes
    return final


def _rescore_cross_year(results: list[AuditResult]) -> None:
    """Cross-year findings arrive after scoring: re-score those reports (LLM judgements are kept)."""
    from .rubric import score_rubric

    for r in results:
        if r.rubric is not None and any(f.code.startswith("X") for f in r.findings):
            r.rubric = score_rubric(r)


# ---------------------------------------------------------------- outputs


def _score(r: AuditResult):
    """The rubric total; without an LLM, the total of the rule-scored criteria (same for every report)."""
    for k in ("total", "scored_total"):
        v = (r.rubric or {}).get(k)
        if isinstance(v, (int, float)):
            return v
    return None


def ranked(results: list[AuditResult], names: list[str]) -> list[tuple[AuditResult, str]]:
    """Most in need of review first: unreadable, then most errors, lowest score, most warnings."""
    def key(rn):
        r, name = rn
        c = r.counts()
        s = _score(r)
        return (0 if r.error else 1, -c["error"], s if s is not None else float("inf"), -c["warning"], name)

    return sorted(zip(results, names), key=key)


def overview_markdown(results: list[AuditResult], names: list[str], pairs=None, notes=None) -> str:
    n_err = sum(1 for r in results if r.has_error_finding)
    n_bad = sum(1 for r in results if r.error)
    n_llm = sum(1 for r in results if r.llm.ran)
    out = ["# 批量审查总览", "",
           f"共 {len(results)} 份报告：{n_err} 份有错误级发现，{n_bad} 份无法审查，{n_llm} 份运行了大模型。"
           "按错误数、得分（低者在前）、警告数排序。", "",
           "| 排名 | 报告 | 机关 | 年度 | 格式 | 错误 | 警告 | 提示 | 得分 | 代码 |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for rank, (r, name) in enumerate(ranked(results, names), 1):
        link = f"[{_md_cell(name[:-3])}]({name.replace(' ', '%20')})"
        if r.error:
            out.append(f"| {rank} | {link} | 无法审查：{_md_cell(r.error)} | | | | | | | |")
            continue
        c = r.counts()
        s = _score(r)
        codes = " ".join(sorted({f.code for f in r.findings}))
        out.append(f"| {rank} | {link} | {_md_cell(r.facts.agency or '—')} | {r.facts.year or '—'} | "
                   f"{r.facts.format_version or '—'} | {c['error']} | {c['warning']} | {c['info']} | "
                   f"{'—' if s is None else s} | {codes} |")
    if pairs is not None:
        out += ["", "## 跨年度比对", ""]
        if not pairs:
            out.append("批次中没有同一机关相邻年度的报告，未做跨年度比对。")
        for p in sorted(pairs, key=lambda p: (names[p.cur])):
            a, b = results[p.prev], results[p.cur]
            if p.codes:
                found = "发现 " + "、".join(sorted(p.codes))
            elif p.compared:
                found = f"比对 {p.compared} 项，均一致"
            else:
                found = "表格未能解析，无可比数据"
            out.append(f"- {_md_cell(b.facts.agency or '')}：[{names[p.prev][:-3]}]({names[p.prev]})（{a.facts.year}）→ "
                       f"[{names[p.cur][:-3]}]({names[p.cur]})（{b.facts.year}）：{found}")
        for n in notes or []:
            out.append(f"- 注：{n}")
        out += ["", "配置大模型时，另对每对报告检查“上年报告所列问题本年是否说明整改”（X004，引文双方核验）；"
                    "未配置或使用 --no-llm 时此项未检查。"]
    return "\n".join(out) + "\n"


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


OVERVIEW_FIELDS = ["rank", "report"]


def overview_rows(results: list[AuditResult], names: list[str]) -> list[dict]:
    from .render.machine import csv_row

    return [{"rank": rank, "report": name, **csv_row(r)} for rank, (r, name) in enumerate(ranked(results, names), 1)]


def overview_csv(rows: list[dict]) -> str:
    from .render.machine import CSV_FIELDS

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=OVERVIEW_FIELDS + CSV_FIELDS)
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def overview_xlsx(rows: list[dict]) -> bytes | None:
    """The same table as overview.csv, with links to the per-report files; None without openpyxl."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        return None
    from .render.machine import CSV_FIELDS

    wb = Workbook()
    ws = wb.active
    ws.title = "overview"
    fields = OVERVIEW_FIELDS + CSV_FIELDS
    ws.append(fields)
    for c in ws[1]:
        c.font = Font(bold=True)
    link_font = Font(color="0563C1", underline="single")
    for n, row in enumerate(rows, start=2):
        ws.append([row.get(f, "") for f in fields])
        cell = ws.cell(row=n, column=2)
        cell.hyperlink = row["report"]
        cell.font = link_font
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


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


def write_outputs(out_dir: Path, paths: list[str], results: list[AuditResult], pairs=None, notes=None) -> None:
    """Per-report markdown first, the overview files last (so their links never point at nothing)."""
    names = output_names(paths)
    for r, name in zip(results, names):
        write_atomic(out_dir / name, render_markdown(r))
    rows = overview_rows(results, names)
    write_atomic(out_dir / "overview.csv", overview_csv(rows))
    xlsx = overview_xlsx(rows)
    if xlsx is not None:
        write_atomic(out_dir / "overview.xlsx", xlsx)
    write_json_array(out_dir / "results.json", results)
    write_atomic(out_dir / "index.md", overview_markdown(results, names, pairs, notes))
