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
  5. Outputs are written by outputs.py (one function per output, each file atomically):
     write_report for each report's file, write_overviews for index.md, overview.csv,
     overview.xlsx, results.json.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Iterator

from pydantic import BaseModel

from . import __version__
from .audit import audit_path
from .models import AuditResult
from .outputs import OutputPlan, write_atomic, write_json_array, write_outputs  # noqa: F401  (re-exported)
from .pipeline import Options, audit_one, llm_config

STATE_DIR = ".audit-state"
STATE_SCHEMA = 1
MIN_PARALLEL = 32  # below this many reports to audit, worker start-up costs more than it saves
DEFAULT_LLM_JOBS = 8
CALLS_PER_REPORT = 2  # summary + judge (llm/tasks.py)


# ---------------------------------------------------------------- saved state (resume)


def options_fingerprint(opts: Options, config) -> dict:
    """Everything besides the input bytes that can change a report's result."""
    llm = None
    if config is not None and getattr(config, "enabled", False):
        llm = {"model": config.model, "endpoint": config.endpoint_id, "json_schema": config.use_json_schema,
               "extra_body": config.extra_body, "max_tokens": config.max_tokens, "temperature": config.temperature}
    return {"select": sorted(opts.select or []), "ignore": sorted(opts.ignore or []), "no_llm": opts.no_llm,
            "llm": llm, "version": __version__, "state_schema": STATE_SCHEMA, "ocr": opts.ocr}


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
                r, doc = audit_path(path, opts.select, opts.ignore, ocr=opts.ocr)
                out.append((i, r, None if r.error else doc))
            else:
                out.append((i, audit_one(path, opts, config), None))
        except Exception as exc:  # a bug on one report must not sink the batch
            out.append((i, AuditResult(file=path, error=f"内部错误（{type(exc).__name__}: {exc}）"), None))
    return out


def _deterministic(todo: list[tuple[int, str]], opts: Options, config, want_llm: bool,
                   procs: int) -> Iterator[list[tuple]]:
    """Chunks of (index, result, doc) as they finish, from a process pool or in-process."""
    if procs <= 1 or (len(todo) < MIN_PARALLEL and _scans(todo, opts) < 2):
        for item in todo:
            yield _det_chunk([item], opts, config, want_llm)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # forkserver: safe while LLM threads (or a test's fake server) run in this process
    ctx = mp.get_context("forkserver") if "forkserver" in mp.get_all_start_methods() else None
    size = max(1, min(64, len(todo) // (procs * 8)))
    ex = ProcessPoolExecutor(max_workers=procs, mp_context=ctx, initializer=_quiet_worker)
    try:
        futs = [ex.submit(_det_chunk, todo[k:k + size], opts, config, want_llm) for k in range(0, len(todo), size)]
        for f in as_completed(futs):
            yield f.result()
    finally:
        ex.shutdown(wait=True, cancel_futures=True)


def _scans(todo: list[tuple[int, str]], opts: Options) -> int:
    """How many inputs look like scans (seconds per page of OCR): two are worth the pool."""
    if opts.ocr == "off" or not any(p.lower().endswith((".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"))
                                    for _, p in todo):
        return 0
    from .readers import likely_scanned

    return sum(1 for _, p in todo if likely_scanned(p, opts.ocr))


def _quiet_worker() -> None:
    """Workers draw no progress bars of their own (the batch bar counts reports), and OCR in a
    worker uses one thread: the pool already keeps every core busy."""
    os.environ["AUDIT_NO_PROGRESS"] = "1"
    os.environ.setdefault("AUDIT_OCR_THREADS", "1")


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
              progress: bool | None = None, stats: dict | None = None,
              plan: OutputPlan | None = None) -> list[AuditResult]:
    """Audit every path; results in input order, cross-year findings included.

    jobs: reports whose LLM calls run at once (0 = DEFAULT_LLM_JOBS); procs: processes for the
    deterministic audit (0 = CPU count, capped at 8); resume: use results saved under
    out_dir/.audit-state; progress: None = a bar only on a terminal; stats: filled with counts;
    plan: what to write where (outputs.OutputPlan; by default built from out_dir, paths and fmt).
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
        write_outputs(plan or OutputPlan.create(Path(out_dir), paths, fmt), final, pairs, notes)
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
