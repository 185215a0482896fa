"""Running many reports: parallel deterministic audits, bounded concurrent LLM calls, resume, overview.

How a batch runs, and why:
  1. Each input is keyed by sha256(file bytes) + the options that change a result (select,
     ignore, LLM on/off, model, endpoint, json_schema, tool version). With `-o DIR`, a finished
     result is saved under DIR/.audit-state/<key>.json the moment it is done, so a killed run
     re-run with the same options redoes only what was not finished. A result whose LLM part
     failed is not saved: the re-run tries the LLM again (the LLM response cache still spares
     the calls that did succeed).
  2. The deterministic audit is CPU-bound Python, so it runs in worker processes (workpool.py):
     each worker audits a report, writes the report's output file and its saved state, and
     sends the parent only a compact result (JSON text without the tables). The parent's work
     per report stays small, so the batch scales with the workers. A report that runs past the
     time limit (`timeout`) has its worker killed and is named "timed out"; the rest go on.
     Small batches stay in-process because starting workers costs more than it saves.
  3. LLM calls are I/O-bound, so they run in threads, at most `jobs` reports at a time, with an
     optional requests-per-minute limit; the client itself retries 429s honouring Retry-After.
     LLM work starts as soon as a report's deterministic audit is done.
  4. Cross-year checks (crossyear.py) need pairs, so they run after every report is done and
     are not part of the saved state; the reports of a pair are loaded in full and re-rendered.
  5. What is written where is outputs.py's (one call per output: write_report in the workers,
     write_overviews at the end); results.json is streamed from the JSON each worker encoded and
     saved (one report per line). A re-run whose reports, names and cross-year findings are all
     unchanged rewrites nothing (outputs.manifest in the state folder records what the files on
     disk were written from).
  6. One run at a time per output folder (a lock in the state folder); temporary files left by
     a killed run are removed by the next one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel

from . import pattern_cache
from . import __version__
from .audit import audit_path
from .models import AuditResult, TableResult
from .outputs import (STATE_DIR, OutputError, OutputPlan, write_atomic, write_json_array,  # noqa: F401  (re-exported)
                      write_outputs, write_overviews, write_report, write_results_json)
from .pipeline import Options, audit_one, llm_config

STATE_SCHEMA = 2
MIN_PARALLEL = 32  # below this many reports to audit, worker start-up costs more than it saves
DEFAULT_LLM_JOBS = 8
DEFAULT_TIMEOUT_S = 120.0  # per report, deterministic audit; 0 = no limit
CALLS_PER_REPORT = 2  # summary + judge (llm/tasks.py)
OUTPUTS_MANIFEST = "outputs.manifest"  # JSON; not *.json, which are the saved reports
LOCK_FILE = "lock"
TIMED_OUT = "审查超时（超过 {seconds:g} 秒），已跳过；其余报告照常审查（timed out）"
CRASHED = "审查进程异常退出，已跳过（internal error: {reason}）"


class BatchError(Exception):
    """The batch cannot run at all (e.g. another run holds the output folder); exit status 2."""


TEMP_NAME = pattern_cache.compile(r"^\.(.+)\.[A-Za-z0-9_]{8}\.tmp$")  # the temporary files outputs.py and the state write


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
    """sha256 of the file bytes and the options; None when the file cannot be read (not cached).
    Read as the audit reads it: regular files only, never more than the size limit."""
    from .readers import InputError, read_input_bytes

    try:
        data = read_input_bytes(path)
    except InputError:
        return None
    h = hashlib.sha256(data)
    h.update(json.dumps(fingerprint, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def full_dump(obj):
    """Like model_dump, but keeping the fields marked exclude=True (line numbers, quotes, end lines).

    Why: those internal fields feed the markdown and the cross-year evidence, so a result loaded
    from the state must render exactly like a fresh one."""
    if isinstance(obj, BaseModel):
        data = obj.model_dump()
        _merge(data, excluded_fields(obj))
        return data
    if isinstance(obj, (list, tuple)):
        return [full_dump(x) for x in obj]
    return obj


def _merge(data, extras) -> None:
    if isinstance(extras, dict):
        for k, v in extras.items():
            if isinstance(v, (dict, list)) and k in data and isinstance(data[k], (dict, list)):
                _merge(data[k], v)
            else:
                data[k] = v
    elif isinstance(extras, list):
        for d, e in zip(data, extras):
            _merge(d, e)


def excluded_fields(model: BaseModel) -> dict:
    """The exclude=True fields of a model and its nested models, nested as the model is (they
    hold plain values: ints, strings, None); what model_dump and model_dump_json leave out."""
    out: dict = {}
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if info.exclude:
            out[name] = value
        elif isinstance(value, BaseModel) and _has_excluded(type(value)):
            sub = excluded_fields(value)
            if sub:
                out[name] = sub
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel) and _has_excluded(type(value[0])):
            out[name] = [excluded_fields(item) for item in value]
    return out


def restore_excluded(model: BaseModel, extras: dict) -> None:
    for name, value in extras.items():
        current = getattr(model, name, None)
        if isinstance(current, BaseModel) and isinstance(value, dict):
            restore_excluded(current, value)
        elif isinstance(current, list) and isinstance(value, list) and current and isinstance(current[0], BaseModel):
            for item, sub in zip(current, value):
                restore_excluded(item, sub)
        else:
            setattr(model, name, value)


_EXCLUDED_CACHE: dict[type, bool] = {}


def _has_excluded(cls: type) -> bool:
    """Whether a model class or one of its nested models has an exclude=True field."""
    if cls not in _EXCLUDED_CACHE:
        _EXCLUDED_CACHE[cls] = False  # guards recursion
        found = False
        for info in cls.model_fields.values():
            if info.exclude or any(_has_excluded(arg) for arg in _model_args(info.annotation)):
                found = True
                break
        _EXCLUDED_CACHE[cls] = found
    return _EXCLUDED_CACHE[cls]


def _model_args(annotation) -> list[type]:
    import typing

    out = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        out.append(annotation)
    for arg in typing.get_args(annotation):
        out += _model_args(arg)
    return out


def _dumps(data) -> str:
    """Compact JSON through the C encoder (json only uses it without indent)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# What the light text leaves out: the tables' cell provenance (their names, statuses and missing
# rows stay: the rubric and the overviews read them).
PROVENANCE = ("sources", "row_lines", "row_labels")
LIGHT_EXCLUDE = {"tables": {"__all__": set(PROVENANCE)}}


def strip_provenance(result: AuditResult) -> AuditResult:
    """The result as the parent keeps it (what a light text gives back)."""
    for t in result.tables:
        for name in PROVENANCE:
            setattr(t, name, {})
    return result


class Record(NamedTuple):
    """A finished report as the batch keeps it: four JSON texts, one per line of its state file.

    light  — the result without its tables' cell provenance: what the overview, the rubric,
             cross-year matching and the exit status need, and all the parent holds in memory;
    public — the report's object in results.json (CLI.md), as written there;
    tables — its tables (cell provenance: evidence for cross-year findings, the report file);
    extras — the exclude=True fields (line numbers, quotes) the other texts leave out.
    light + tables + extras is the whole result, rendered again exactly like a fresh one. The
    texts come from pydantic's serializer (several times faster than dumping to dicts first)."""

    light: str
    public: str
    tables: str
    extras: str

    @classmethod
    def of(cls, result: AuditResult) -> "Record":
        return cls(light=result.model_dump_json(exclude=LIGHT_EXCLUDE), public=_dumps(result.to_public()),
                   tables=result.model_dump_json(include={"tables"}), extras=_dumps(excluded_fields(result)))

    def light_result(self, file: str | None = None) -> AuditResult:
        return load_result(self.light, file)

    def full_result(self, file: str | None = None) -> AuditResult:
        result = load_result(self.light, file)
        result.tables = _tables_model().model_validate_json(self.tables).tables
        restore_excluded(result, json.loads(self.extras))
        return result

    def to_bytes(self) -> bytes:
        return "\n".join((self.light, self.public, self.tables, self.extras)).encode("utf-8") + b"\n"

    @classmethod
    def from_bytes(cls, data: bytes) -> "Record":
        light, public, tables, extras = data.decode("utf-8").rstrip("\n").split("\n")
        return cls(light, public, tables, extras)


def _tables_model():
    """The model of a Record's `tables` line ({"tables": [...]}), made on first use: building a
    pydantic model costs milliseconds at import, and a one-report run never reads a record."""
    global _TABLES
    if _TABLES is None:
        from pydantic import create_model

        _TABLES = create_model("_Tables", tables=(list[TableResult], ...))
    return _TABLES


_TABLES = None


def load_result(text: str, file: str | None = None) -> AuditResult:
    result = AuditResult.model_validate_json(text)
    if file is not None:
        result.file = file  # the same bytes may sit under another name this time
    return result


Loc = tuple[str, int, tuple[int, int, int, int]]  # (log file, offset of the record's texts, their byte sizes)
LOG_PREFIX, LOG_SUFFIX = "state-", ".log"
_WRITERS: dict[str, tuple[int, Any, str]] = {}  # state folder -> (pid, open log, its path) of this process


def append_record(state_dir: Path, key: str, record: Record) -> Loc:
    """Append one finished report to this process's log in state_dir; returns where it is.

    Why logs and not a file per report: creating a file costs about a millisecond of kernel
    time on ext4 (journal, directory entry), as much as a fifth of the audit itself; appending
    to an open file costs a few microseconds. Each process appends to its own log, so writers
    never interleave; a record is one header line and the four texts, flushed whole, and a
    record cut short by a kill is recognised and ignored when the logs are read."""
    state_dir = str(state_dir)
    pid = os.getpid()
    entry = _WRITERS.get(state_dir)
    if entry is None or entry[0] != pid:
        path = os.path.join(state_dir, f"{LOG_PREFIX}{pid}-{os.urandom(4).hex()}{LOG_SUFFIX}")
        entry = (pid, open(path, "ab"), path)
        _WRITERS[state_dir] = entry
    _, fh, path = entry
    texts = [t.encode("utf-8") for t in (record.light, record.public, record.tables, record.extras)]
    sizes = tuple(len(t) for t in texts)
    header = f"R1 {key} {sizes[0]} {sizes[1]} {sizes[2]} {sizes[3]}\n".encode("ascii")
    start = fh.tell()
    fh.write(header + b"\n".join(texts) + b"\n")
    fh.flush()
    return (path, start + len(header), sizes)  # type: ignore[return-value]


def close_writers() -> None:
    for _, fh, _ in _WRITERS.values():
        try:
            fh.close()
        except OSError:
            pass
    _WRITERS.clear()


class StateStore:
    """The finished reports saved under <out_dir>/.audit-state/ (append-only logs, see
    append_record), indexed by key when opened. A later record of a key wins; a damaged or
    cut record is skipped (that report is audited again)."""

    def __init__(self, out_dir: Path, create: bool = True):
        self.dir = Path(out_dir) / STATE_DIR
        if create:
            self.dir.mkdir(parents=True, exist_ok=True)
        self.index: dict[str, Loc] = {}
        self._files: dict[str, Any] = {}
        self.dead_bytes = 0  # superseded records: compact() drops them
        self._scan()

    def _scan(self) -> None:
        try:
            logs = sorted(self.dir.glob(f"{LOG_PREFIX}*{LOG_SUFFIX}"), key=lambda p: (p.stat().st_mtime_ns, p.name))
        except OSError:
            logs = []
        for log in logs:
            try:
                with open(log, "rb") as fh:
                    while True:
                        header = fh.readline()
                        if not header.endswith(b"\n"):
                            break  # end of the log, or a header cut short
                        parts = header.split()
                        if len(parts) != 6 or parts[0] != b"R1":
                            break
                        sizes = tuple(int(x) for x in parts[2:])
                        start = fh.tell()
                        end = start + sum(sizes) + 4
                        fh.seek(end - 1)
                        if fh.read(1) != b"\n":
                            break  # cut short by a kill
                        key = parts[1].decode("ascii")
                        if key in self.index:
                            self.dead_bytes += sum(self.index[key][2]) + 4
                        self.index[key] = (str(log), start, sizes)
                        fh.seek(end)
            except (OSError, ValueError):
                continue

    def _read(self, loc: Loc, part: int) -> str:
        path, start, sizes = loc
        fh = self._files.get(path)
        if fh is None:
            fh = self._files[path] = open(path, "rb")
        fh.seek(start + sum(sizes[:part]) + part)
        return fh.read(sizes[part]).decode("utf-8")

    def add(self, key: str, loc: Loc) -> None:
        """A record written during this run (by a worker)."""
        if key in self.index:
            self.dead_bytes += sum(self.index[key][2]) + 4
        self.index[key] = loc

    def record(self, key: str) -> Record | None:
        loc = self.index.get(key)
        if loc is None:
            return None
        try:
            return Record(*(self._read(loc, part) for part in range(4)))
        except (OSError, UnicodeDecodeError):
            return None

    def light(self, key: str, file: str) -> AuditResult | None:
        """The result without its cell provenance (the first line of the record is read)."""
        loc = self.index.get(key)
        if loc is None:
            return None
        try:
            return load_result(self._read(loc, 0), file)
        except (OSError, ValueError, UnicodeDecodeError):
            return None

    def public(self, key: str) -> str | None:
        loc = self.index.get(key)
        try:
            return self._read(loc, 1) if loc else None
        except (OSError, UnicodeDecodeError):
            return None

    def load(self, key: str, file: str) -> AuditResult | None:
        """The whole result saved under key (None if absent or unreadable)."""
        rec = self.record(key)
        if rec is None:
            return None
        try:
            return rec.full_result(file)
        except (ValueError, TypeError):
            return None

    def save(self, key: str, result: AuditResult, record: Record | None = None) -> None:
        self.add(key, append_record(self.dir, key, record or Record.of(result)))

    def close(self) -> None:
        for fh in self._files.values():
            fh.close()
        self._files.clear()

    def compact(self) -> None:
        """When superseded records outweigh the live ones (re-runs with --fresh), copy the live
        records into one new log and remove the old logs."""
        live = sum(sum(loc[2]) + 4 for loc in self.index.values())
        if self.dead_bytes <= max(live, 64 * 1024 * 1024 // 8):
            return
        close_writers()
        old = {loc[0] for loc in self.index.values()} | {str(p) for p in self.dir.glob(f"{LOG_PREFIX}*{LOG_SUFFIX}")}
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=f".{LOG_PREFIX}compact.", suffix=".tmp")
        final = str(self.dir / f"{LOG_PREFIX}{os.getpid()}-{os.urandom(4).hex()}{LOG_SUFFIX}")
        index: dict[str, Loc] = {}
        with os.fdopen(fd, "wb") as out:
            for key, loc in self.index.items():
                texts = [self._read(loc, part).encode("utf-8") for part in range(4)]
                header = f"R1 {key} {loc[2][0]} {loc[2][1]} {loc[2][2]} {loc[2][3]}\n".encode("ascii")
                out.write(header)
                index[key] = (final, out.tell(), loc[2])
                out.write(b"\n".join(texts) + b"\n")
        self.close()
        os.replace(tmp, final)
        for path in old - {final}:
            try:
                os.unlink(path)
            except OSError:
                pass
        self.index, self.dead_bytes = index, 0


def is_finished(result: AuditResult, want_llm: bool) -> bool:
    """Worth saving: read fine and, when an LLM was wanted, every LLM call completed."""
    if result.error:
        return False
    if not want_llm:
        return True
    notes = result.llm.notes
    return result.llm.ran and not any("LLM 未完成" in n or "内部错误" in n for n in notes)


# ---------------------------------------------------------------- one report (in a worker or in-process)


class Job(NamedTuple):
    """What every worker needs for every report; sent to each worker once."""

    opts: Options
    config: Any
    want_llm: bool
    plan: OutputPlan | None = None  # with -o: what to write where (outputs.py)


class Done:
    """What the audit of one report hands the parent: small and cheap to pickle and to read.
    (A plain class: a dataclass costs its code generation on every start of the command.)

    light:  the result without tables, as JSON (with out_dir the parent needs no more);
    record: the whole result as JSON texts, when the parent needs it whole (no out_dir, or an
            LLM to run next);
    public: the results.json object, when it was not saved in the state (errors, unsaved);
    doc:    the Document, when an LLM runs next in the parent;
    result: the result object itself, in-process only (nothing to pickle there)."""

    def __init__(self, index: int, light: str, record: Record | None = None, public: str | None = None,
                 saved: bool = False, rendered: bool = False, doc: Any = None, result: AuditResult | None = None,
                 loc: Loc | None = None, output_error: str | None = None) -> None:
        self.index = index
        self.light = light
        self.record = record
        self.public = public
        self.saved = saved
        self.rendered = rendered
        self.doc = doc
        self.result = result
        self.loc = loc  # where the record was saved
        self.output_error = output_error  # the report's file or state could not be written (the batch stops)

    def whole(self) -> AuditResult:
        return self.result if self.result is not None else self.record.full_result()


def audit_report(job: Job, item: tuple[int, str, str | None], keep: bool = False) -> Done:
    """Audit one input; with an output folder and no LLM also write its file and its state.
    keep: hand back the result object too (in-process). Never raises: a bug on one report
    becomes that report's error."""
    index, path, key = item
    doc = None
    try:
        if job.want_llm:
            result, doc = audit_path(path, job.opts.select, job.opts.ignore, ocr=job.opts.ocr)
            if result.error:
                doc = None
        else:
            result = audit_one(path, job.opts, job.config)
    except Exception as exc:  # a bug on one report must not sink the batch
        result = AuditResult(file=path, error=f"内部错误（{type(exc).__name__}: {exc}）")
    done = finish_report(job, index, key, result, doc)
    if keep:
        done.result = result
    return done


def finish_report(job: Job, index: int, key: str | None, result: AuditResult, doc=None) -> Done:
    record = Record.of(result)
    if job.want_llm and doc is not None:  # the LLM stage in the parent finishes it
        return Done(index, record.light, record=record, doc=doc)
    done = Done(index, record.light)
    if job.plan is None:
        done.record = record
        return done
    try:
        write_report(job.plan, index, result, doc)
        done.rendered = True
        if key and is_finished(result, job.want_llm):
            done.loc = append_record(Path(job.plan.out_dir) / STATE_DIR, key, record)
            done.saved = True
        else:
            done.public = record.public
    except OutputError as exc:
        done.output_error = str(exc)
    except OSError as exc:
        from .outputs import _os_message

        done.output_error = f"无法写入 {Path(job.plan.out_dir) / STATE_DIR}：{_os_message(exc)}"
    return done


def timed_out(job: Job, index: int, path: str, reason: str, timeout: float | None) -> Done:
    """The Done of a report whose audit was stopped (time limit) or whose worker died."""
    if reason == "timeout":
        error = TIMED_OUT.format(seconds=timeout or 0)
    else:
        error = CRASHED.format(reason=reason)
    return finish_report(job, index, None, AuditResult(file=path, error=error))


# ---------------------------------------------------------------- the deterministic stage


def _deterministic(todo: list[tuple[int, str, str | None]], job: Job, procs: int,
                   timeout: float | None):
    """Done for each item as it finishes: from worker processes, or in-process for small runs
    (and for whatever is left if worker processes cannot start at all). Scans (seconds per page
    of OCR) are worth the pool from two on, and get more time: OCR_SECONDS_PER_PAGE a page."""
    from .workpool import ItemTimeout, call_with_timeout

    scans = _scan_pages(todo, job.opts) if procs > 1 or timeout else {}
    if procs > 1 and (len(todo) >= MIN_PARALLEL or len(scans) >= 2):
        from .workpool import Outcome, PoolBroken, run_pool

        paths = {i: p for i, p, _ in todo}
        limits = {i: _limit(timeout, scans.get(i, 0)) for i, _, _ in todo}

        def here(index: int, item) -> Outcome:
            """One report audited in this process while the workers start (run_pool's `local`)."""
            try:
                with call_with_timeout(limits[index]):
                    return Outcome(index, audit_report(job, item, keep=True))
            except ItemTimeout:
                return Outcome(index, None, "timeout")

        try:
            for outcome in run_pool(audit_report, job, [(item[0], item) for item in todo], procs, timeout,
                                    init=_quiet_worker, limits=limits, local=here):
                if outcome.reason is None:
                    yield outcome.value
                else:
                    yield timed_out(job, outcome.item_id, paths[outcome.item_id], outcome.reason,
                                    limits.get(outcome.item_id))
            return
        except PoolBroken as exc:
            import sys

            print(f"audit: 无法启动子进程，其余 {len(exc.remaining)} 份报告在主进程中审查（worker processes fail to "
                  "start）", file=sys.stderr)
            todo = [arg for _, arg in exc.remaining]
    for item in todo:
        limit = _limit(timeout, scans.get(item[0], 0))
        try:
            with call_with_timeout(limit):
                done = audit_report(job, item, keep=True)
        except ItemTimeout:
            done = timed_out(job, item[0], item[1], "timeout", limit)
        yield done


OCR_SECONDS_PER_PAGE = 60.0  # added to a scan's time limit per page (OCR takes 5–10 s a page)


def _limit(timeout: float | None, scan_pages: int) -> float | None:
    if not timeout or timeout <= 0:
        return None
    return timeout + OCR_SECONDS_PER_PAGE * scan_pages


def _scan_pages(todo, opts: Options) -> dict[int, int]:
    """{index: pages} of the inputs (index, path, …) that look like scans (OCR ahead); none
    with --no-ocr."""
    if getattr(opts, "ocr", "off") == "off" or not any(
            item[1].lower().endswith((".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")) for item in todo):
        return {}
    from .readers import likely_scanned

    return {item[0]: _page_count(item[1]) for item in todo if likely_scanned(item[1], opts.ocr)}


def _scans(todo, opts: Options) -> int:
    """How many inputs look like scans: two are worth the pool."""
    return len(_scan_pages(todo, opts))


def _page_count(path: str) -> int:
    if not path.lower().endswith(".pdf"):
        return 1
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(path)
        try:
            return max(1, len(pdf))
        finally:
            pdf.close()
    except Exception:
        return 1


def _quiet_worker() -> None:
    """Workers draw no progress bars of their own (the batch bar counts reports), and OCR in a
    worker uses one thread: the pool already keeps every core busy."""
    os.environ["AUDIT_NO_PROGRESS"] = "1"
    os.environ.setdefault("AUDIT_OCR_THREADS", "1")
    # What the worker has imported is never garbage: frozen, collections skip it (and do not
    # touch, hence copy, the pages shared with the forkserver). An audit leaves almost no
    # cyclic garbage, so young objects are collected 10× less often than Python's default:
    # ≈ 3–4 % of a worker's time, as the parent gains by turning the collector off.
    import gc

    gc.freeze()
    gc.set_threshold(7000, 10, 10)


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


# ---------------------------------------------------------------- the output folder


class OutFolder:
    """The output folder of one run: its lock, its state, and what its files were written from."""

    def __init__(self, out_dir: Path, names: list[str] = ()):
        self.dir = Path(out_dir)
        self.names = list(names)  # the run's report files (their leftover temporaries are removed)
        self.state_dir = self.dir / STATE_DIR
        self.store: StateStore | None = None
        self._lock_fd: int | None = None
        self.manifest_path = self.state_dir / OUTPUTS_MANIFEST

    def __enter__(self) -> "OutFolder":
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._lock()
        self.clean_temporaries(self.names)
        self.store = StateStore(self.dir)  # read once the folder is ours
        return self

    def __exit__(self, *exc) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = None

    def _lock(self) -> None:
        """One run per folder: a second one would interleave files and delete the first one's
        temporaries. The lock dies with its process, so a killed run never leaves it held."""
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            return
        fd = os.open(self.state_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise BatchError(f"另一个 audit 正在写入 {self.dir}（another audit run is using this output folder）")
        self._lock_fd = fd

    def clean_temporaries(self, names: list[str] = ()) -> int:
        """Remove the temporary files a killed run left behind: only names this tool makes
        (".<output name>.<8 characters>.tmp" beside one of its outputs, in the folders it
        writes), so another program's temporary files in the same folder are left alone."""
        from .outputs import OVERVIEW_FILES, _short

        expected: dict[Path, set[str]] = {}
        for name in [*names, *OVERVIEW_FILES, "audit-probe"]:
            path = self.dir / name
            expected.setdefault(path.parent, set()).add(_short(path.name, path.name, 100))
        expected.setdefault(self.state_dir, set()).update({OUTPUTS_MANIFEST, f"{LOG_PREFIX}compact"})
        removed = 0
        for folder, prefixes in expected.items():
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                m = TEMP_NAME.match(entry.name)
                if m and m.group(1) in prefixes and entry.is_file(follow_symlinks=False):
                    try:
                        os.unlink(entry.path)
                        removed += 1
                    except OSError:
                        pass
        return removed

    def manifest(self) -> dict:
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) and data.get("schema") == STATE_SCHEMA else {}
        except (OSError, ValueError):
            return {}

    def save_manifest(self, data: dict) -> None:
        write_atomic(self.manifest_path, json.dumps({"schema": STATE_SCHEMA, **data}, ensure_ascii=False))


def _x_signature(result: AuditResult) -> str:
    """The cross-year part of a report (X findings, and the 雷同 share its rubric's R6 was scored
    with): it is not in the saved state, so a file on disk is current only if it was written with
    the same cross-year part. The R6 input counts too: a paired report without any X finding
    still gets its R6 score from the pair, and its file, written before pairing, must be
    written again (else --procs 1, which pairs in this process, wrote a stale R6 that --procs 2,
    which pairs in the workers, did not)."""
    xs = [f.model_dump() for f in result.findings if f.code.startswith("X")]
    overlap = ((result.rubric or {}).get("inputs") or {}).get("overlap")
    if not xs and not overlap:
        return ""
    return hashlib.sha256(_dumps([xs, overlap] if overlap else xs).encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------- the batch


def run_batch(paths: list[str], opts: Options, out_dir: Path | None = None, fmt: str = "md",
              jobs: int = 0, procs: int = 0, resume: bool = True, rpm: float = 0.0,
              progress: bool | None = None, stats: dict | None = None,
              plan: OutputPlan | None = None, timeout: float | None = DEFAULT_TIMEOUT_S) -> list[AuditResult]:
    """Audit every path; results in input order, cross-year findings included.

    jobs: reports whose LLM calls run at once (0 = DEFAULT_LLM_JOBS); procs: processes for the
    deterministic audit (0 = CPU count, capped at 8); resume: use results saved under
    out_dir/.audit-state; progress: None = a bar only on a terminal; stats: filled with counts;
    plan: what to write where (outputs.OutputPlan; by default built from out_dir, paths and fmt);
    timeout: seconds one report's deterministic audit may take (None or 0 = no limit).

    With out_dir the results are returned without their tables (the files hold everything),
    except the reports of a cross-year pair; without out_dir they are complete.
    Raises BatchError when out_dir is in use by another run, OutputError when it cannot be written.
    """
    import gc

    was_enabled = gc.isenabled()
    if not getattr(llm_config(opts), "enabled", False):
        # Without an LLM the batch makes almost no cyclic garbage (an audit leaves one or two
        # objects), while its results and the overview's workbook are millions of objects that
        # every full collection would walk again: about a third of the parent's time at 10,000
        # reports. The collector is off until the run ends, then collects once.
        gc.disable()
    try:
        if out_dir is None and plan is None:
            return _run(paths, opts, None, None, jobs, procs, resume, rpm, progress, stats, timeout)
        plan = plan or OutputPlan.create(Path(out_dir), paths, fmt)
        with OutFolder(plan.out_dir, plan.names) as folder:
            return _run(paths, opts, folder, plan, jobs, procs, resume, rpm, progress, stats, timeout)
    finally:
        gc.unfreeze()  # the results held by the batch may be collected again once let go
        if was_enabled:
            gc.enable()


FREEZE_EVERY = 256  # results taken between two gc.freeze() calls


def _freeze() -> None:
    """With the collector on (LLM runs, whose HTTP work makes cyclic garbage): take what the
    batch holds so far out of its scans, so full collections do not walk every result again."""
    import gc

    gc.freeze()


def _run(paths, opts, folder: OutFolder | None, plan: OutputPlan | None, jobs, procs, resume, rpm, progress,
         stats, timeout) -> list[AuditResult]:
    from .progress import Progress

    config = llm_config(opts)
    want_llm = bool(config is not None and config.enabled)
    jobs = jobs if jobs and jobs > 0 else DEFAULT_LLM_JOBS
    procs = procs if procs and procs > 0 else default_procs()
    store = folder.store if folder else None
    job = Job(opts=opts, config=config, want_llm=want_llm, plan=plan)
    fingerprint = options_fingerprint(opts, config)
    keys = [input_key(p, fingerprint) for p in paths] if store else [None] * len(paths)

    clock = _PhaseClock()
    results: list[AuditResult | None] = [None] * len(paths)
    publics: list[str | None] = [None] * len(paths)  # results.json text of reports not in the state
    fresh: set[int] = set()  # report files written this run (current unless cross-year findings come)
    if store and resume:
        for i, (p, k) in enumerate(zip(paths, keys)):
            # with an LLM, whole (its X004 jobs and re-scoring read them; such batches are small)
            results[i] = (store.load(k, p) if want_llm else store.light(k, p)) if k else None
    cached = sum(r is not None for r in results)
    _freeze()
    todo = [(i, p, keys[i]) for i, p in enumerate(paths) if results[i] is None]
    counts = {"total": len(paths), "cached": cached, "audited": 0, "llm": 0, "saved": 0, "timed_out": 0,
              "rewritten": 0}
    full: dict[int, AuditResult] = {}  # complete results held in memory (no out_dir, LLM, pairs)

    with Progress(len(paths), progress) as bar:
        if cached:
            bar.advance(cached, note=f"{cached} 份来自已保存的结果")

        def take(done: Done) -> None:
            if done.output_error:
                raise OutputError(done.output_error)
            i = done.index
            if folder is None:  # everything is rendered from memory at the end: keep it whole
                results[i] = full[i] = done.whole()
            else:
                results[i] = done.result if done.result is not None else load_result(done.light)
                if done.result is not None and not want_llm:
                    strip_provenance(results[i])  # written and saved: what the parent keeps is the summary
            publics[i] = done.public
            if done.rendered:
                fresh.add(i)
            counts["audited"] += 1
            counts["saved"] += done.saved
            if done.loc is not None and store is not None:
                store.add(keys[i], done.loc)
            if results[i].error and results[i].error.endswith("（timed out）"):
                counts["timed_out"] += 1
            if counts["audited"] % FREEZE_EVERY == 0:
                _freeze()
            bar.advance(1)

        def finish_llm(i: int, r: AuditResult) -> None:
            """An LLM result is final: written and saved here, as the LLM threads hand them back;
            kept whole (LLM batches are small, and a pair may need it)."""
            take(finish_report(job, i, keys[i], r))
            full[i] = results[i] = r

        if want_llm:
            # LLM jobs and the cross-year X004 jobs share one thread pool; one endpoint gate per
            # batch (an unreachable endpoint is reported once, then skipped); one budget per report.
            from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

            from .llm.followup import FollowupScheduler
            from .llm.gate import EndpointGate

            limiter = RateLimiter(rpm)
            gate = EndpointGate(config)
            followups = FollowupScheduler(config, opts.select, opts.ignore, gate, limiter)
            known = {i: r for i, r in enumerate(results) if r is not None}  # facts of every report, for pairing
            for i, r in known.items():
                full[i] = r
            pending: dict = {}
            with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="audit-llm") as pool:
                def submit(key, fn, *args):
                    pending[pool.submit(fn, *args)] = key

                def settle(f) -> None:
                    key = pending.pop(f)
                    if isinstance(key, tuple):
                        followups.collect(key, f.result())
                    else:
                        finish_llm(key, f.result())
                        followups.report_done(key, submit)

                for i in known:
                    followups.report_done(i, submit)
                for done in _deterministic(todo, job, procs, timeout):
                    if done.doc is None:
                        take(done)  # unreadable input or timed out: nothing for the LLM
                        known[done.index] = results[done.index]
                        followups.report_done(done.index, submit)
                    else:
                        r = done.whole()
                        known[done.index] = r
                        pending[pool.submit(_llm_one, r, done.doc, config, opts, limiter,
                                            followups.budget(done.index), gate)] = done.index
                        counts["llm"] += 1
                    for f in [f for f in pending if f.done()]:
                        settle(f)
                followups.plan([known[i] for i in range(len(paths))], submit)
                while pending:
                    finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
                    for f in finished:
                        settle(f)
            if gate.closed:
                counts["llm_unavailable"] = gate.reason
        elif todo:
            for done in _deterministic(todo, job, procs, timeout):
                take(done)

    clock.lap("audit")
    final: list[AuditResult] = [r for r in results if r is not None]
    cache = folder.manifest().get("cross_year", {}) if folder is not None and not want_llm else {}
    pairs, notes, cross_year, rewritten = _cross_year(final, paths, keys, store, full, cache, opts,
                                                      job if not want_llm else None, procs, timeout)
    counts["pairs"] = len(pairs)
    counts["paired_in_workers"] = len(rewritten)
    if want_llm:
        followups.merge(final, pairs)  # X004, one call per pair, run in the pool above
    _rescore_cross_year([r for i, r in enumerate(final) if i not in rewritten])
    clock.lap("cross_year")
    if folder is not None:
        try:
            for i, text in rewritten.items():  # written again with their X findings by the workers
                publics[i] = text
            counts["rewritten"] = _write_outputs(folder, plan, paths, keys, final, publics, fresh, full, pairs, notes,
                                                 cross_year, set(rewritten))
        finally:
            close_writers()
        store.compact()
        store.close()
        clock.lap("outputs")
    if stats is not None:
        stats.update(counts)
        stats["phases_s"] = clock.laps
        stats["cross_year_notes"] = notes
    return final


class _PhaseClock:
    """Wall seconds of the batch's stages (state read + audits, cross-year, outputs), for
    `stats` and the benchmark: where a batch's serial time goes."""

    def __init__(self):
        self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 3)
        self.last = now


def _cross_year(final: list[AuditResult], paths, keys, store, full: dict, cache: dict, opts,
                job: Job | None = None, procs: int = 1, timeout: float | None = None):
    """crossyear.apply_cross_year, with two things added for large batches.

    Reuse: each pair's findings are taken from the last run when both reports are the same bytes
    under the same names (`cache`, kept in the outputs manifest): a re-run then needs neither
    the two reports whole nor their text read again.
    Workers: with many reports to pair and a pool at hand (`job` with an output plan), each such
    report is loaded whole, paired, re-scored and written again in a worker process
    (pair_group), not one after another here.
    Returns (pairs, notes, the cache for the next run, {index: results.json text} of the
    reports the workers wrote again)."""
    if len(final) < 2:
        return [], [], {}, {}  # nothing to pair (and no need to load the pairing code)
    from .crossyear import _Quotes, check_pair, match_pairs
    from .models import SEVERITY_ORDER, Finding
    from .overlap import overlap_on, pair_overlap, rescore_with_overlap

    pairs, notes = match_pairs(final)
    quotes = _Quotes()
    touched: set[int] = set()
    new_cache: dict = {}
    x5_on = overlap_on(opts.select, opts.ignore)
    overlap: dict[int, dict] = {}  # pair -> this year's R6 input (雷同 share), see overlap.py
    ckeys = [("|".join((keys[p.prev], keys[p.cur], paths[p.prev], paths[p.cur]))
              if keys[p.prev] and keys[p.cur] else None) for p in pairs]
    misses = [n for n, ck in enumerate(ckeys) if ck is None or "overlap" not in cache.get(ck, {})]
    by_report: dict[int, list[int]] = {}
    for n, p in enumerate(pairs):
        by_report.setdefault(p.prev, []).append(n)
        by_report.setdefault(p.cur, []).append(n)
    to_workers = sorted({i for n in misses for i in (pairs[n].prev, pairs[n].cur)})
    written: dict[int, str] = {}
    x_by_pair: dict[int, dict[int, list]] = {}  # report -> pair -> its X findings from that pair
    pair_info: dict[int, tuple[list, int]] = {}  # pair -> (codes, comparisons), from the workers
    if (job is not None and job.plan is not None and store is not None and procs > 1
            and len(to_workers) >= MIN_PARALLEL
            and all(keys[i] in store.index for n in misses for i in (pairs[n].prev, pairs[n].cur))):
        written, x_by_pair, pair_info = _pairs_in_workers(final, pairs, by_report, to_workers, paths, keys, store,
                                                          job, procs, timeout)
    done_by_workers = set(written)
    for n, p in enumerate(pairs):
        ck = ckeys[n]
        sides: dict[str, list] = {"prev": [], "cur": []}
        hit = cache.get(ck) if ck and "overlap" in cache.get(ck, {}) else None
        if p.prev in done_by_workers or p.cur in done_by_workers:
            for side, i in (("prev", p.prev), ("cur", p.cur)):
                if i in done_by_workers:
                    sides[side] = x_by_pair[i].get(n, [])
                elif hit is not None:
                    sides[side] = [Finding.model_validate(f) for f in hit[side]]
                    final[i].findings.extend(sides[side])
                    touched.add(i)
            p.codes, p.compared = list(pair_info[n][0]), pair_info[n][1]
            overlap[n] = pair_info[n][2] if pair_info[n][2] is not None else (hit or {}).get("overlap")
        elif hit is not None:
            p.compared = hit["compared"]
            overlap[n] = hit["overlap"]
            for side, i in (("prev", p.prev), ("cur", p.cur)):
                sides[side] = [Finding.model_validate(f) for f in hit[side]]
                final[i].findings.extend(sides[side])
                touched.add(i)
            p.codes = list(hit["codes"])
        else:
            for i in (p.prev, p.cur):  # the evidence is in the tables: the two reports are needed whole
                if i not in full and store is not None and keys[i]:
                    loaded = store.load(keys[i], paths[i])
                    if loaded is not None:
                        full[i] = final[i] = loaded
            prev, cur = final[p.prev], final[p.cur]
            for owner, finding in check_pair(prev, cur, quotes, opts.select, opts.ignore, p):
                owner.findings.append(finding)
                sides["prev" if owner is prev else "cur"].append(finding)
                if finding.code not in p.codes:
                    p.codes.append(finding.code)
            overlap[n], x5 = pair_overlap(prev, quotes._doc(prev.file), cur, quotes._doc(cur.file), x5_on)
            if x5 is not None:
                cur.findings.append(x5)
                sides["cur"].append(x5)
                if "X005" not in p.codes:
                    p.codes.append("X005")
            touched.update((p.prev, p.cur))
        if p.cur not in done_by_workers and overlap.get(n) is not None:
            rescore_with_overlap(final[p.cur], overlap[n])  # R6 (the workers re-scored their own)
        if ck and overlap.get(n) is not None:
            new_cache[ck] = {"compared": p.compared, "codes": list(p.codes), "overlap": overlap[n],
                             "prev": [f.model_dump() for f in sides["prev"]],
                             "cur": [f.model_dump() for f in sides["cur"]]}
    for i in touched - done_by_workers:
        final[i].findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0, f.code))
    return pairs, notes, new_cache, written


def _pairs_in_workers(final, pairs, by_report, reports, paths, keys, store, job: Job, procs: int, timeout):
    """Run pair_group for `reports` in worker processes and fold what comes back into the light
    results (their X findings in pair order, their re-scored rubric). Returns ({report: its
    results.json text}, {report: {pair: its X findings}}, {pair: (codes, comparisons, overlap)});
    all empty if any worker failed (the caller then pairs every report itself).

    One item per group of reports linked by pairs (an agency's consecutive years), not per
    report: each report of the group is then loaded and re-read once, and each pair checked
    once, instead of once from each side (half the work of the stage)."""
    from .models import SEVERITY_ORDER, Finding
    from .workpool import PoolBroken, run_pool

    items = []
    for group in _pair_groups(pairs, by_report, reports):
        own = [i for i in group if i in reports]
        members = [(i, paths[i], store.index[keys[i]]) for i in group]
        group_pairs = sorted({n for i in own for n in by_report[i]})
        items.append((own[0], (own, members, [(n, pairs[n].prev, pairs[n].cur) for n in group_pairs])))
    written: dict[int, str] = {}
    x_by_pair: dict[int, dict[int, list]] = {}
    pair_info: dict[int, tuple[list, int]] = {}
    try:
        outcomes = list(run_pool(pair_group, job, items, procs, timeout, init=_quiet_worker))
    except PoolBroken:  # workers cannot start: every pair is settled here instead
        return written, x_by_pair, pair_info
    if any(o.reason is not None for o in outcomes):
        return written, x_by_pair, pair_info  # a worker failed: every pair is settled here instead
    for outcome in outcomes:
        done, info = outcome.value
        for i, found_by_pair, rubric, public, error in done:
            if error:
                raise OutputError(error)
            r = final[i]
            x_by_pair[i] = {n: [Finding.model_validate(f) for f in found] for n, found in found_by_pair}
            for n in sorted(x_by_pair[i]):
                r.findings.extend(x_by_pair[i][n])
            r.findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0, f.code))
            r.rubric = rubric
            written[i] = public
        for n, codes, compared, ov in info:
            pair_info[n] = (codes, compared, ov)
    return written, x_by_pair, pair_info


def _pair_groups(pairs, by_report, reports) -> list[list[int]]:
    """The reports linked to `reports` by pairs, in groups joined by a pair (union-find), each
    group in report order and the groups by their first report. A group may hold a report not in
    `reports` (paired with one of them by a pair whose findings were reused): it is loaded for
    the pair, not written."""
    parent: dict[int, int] = {}

    def root(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in reports:
        root(i)
        for n in by_report[i]:
            a, b = root(pairs[n].prev), root(pairs[n].cur)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for i in sorted(parent):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values())


def read_record(loc: Loc) -> Record:
    """One saved record, read straight from its log (in a worker)."""
    path, start, sizes = loc
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(sum(sizes) + 3)
    texts, pos = [], 0
    for size in sizes:
        texts.append(data[pos:pos + size].decode("utf-8"))
        pos += size + 1
    return Record(*texts)


def pair_group(job: Job, item) -> tuple:
    """In a worker: a group of reports linked by pairs, each loaded whole from the saved state
    and re-read once; each pair checked once. For each report of `own`: its X findings (pair by
    pair, in pair order), its re-scored rubric, its file written again and its results.json
    text; and each pair's codes, comparisons and 雷同 measure (R6 input)."""
    from .crossyear import Pair, _Quotes, check_pair
    from .models import SEVERITY_ORDER
    from .overlap import overlap_on, pair_overlap, rescore_with_overlap
    from .rubric import score_rubric

    own, members, group_pairs = item
    results = {i: read_record(loc).full_result(path) for i, path, loc in members}
    quotes = _Quotes()
    found_by: dict[int, list] = {i: [] for i in own}  # report -> [(pair, its findings)] in pair order
    overlaps: dict[int, list] = {i: [] for i in own}
    info = []
    x5_on = overlap_on(job.opts.select, job.opts.ignore)
    for n, prev_i, cur_i in group_pairs:
        prev, cur = results[prev_i], results[cur_i]
        pair = Pair(-1, -1)
        found = check_pair(prev, cur, quotes, job.opts.select, job.opts.ignore, pair)
        codes: list[str] = []
        for _, f in found:
            if f.code not in codes:
                codes.append(f.code)
        mine = {prev_i: [f for owner, f in found if owner is prev], cur_i: [f for owner, f in found if owner is cur]}
        ov = None
        if cur_i in own:  # 雷同 (X005, R6) belongs to this year's report
            ov, x5 = pair_overlap(prev, quotes._doc(prev.file), cur, quotes._doc(cur.file), x5_on)
            if x5 is not None:
                mine[cur_i].append(x5)
                codes.append("X005")
            if ov is not None:
                overlaps[cur_i].append(ov)
        for i in (prev_i, cur_i):
            if i in found_by:
                found_by[i].append((n, mine[i]))
        info.append((n, codes, pair.compared, ov))
    done = []
    for i in own:  # the findings are added after every pair is checked: a check reads facts, never findings
        result = results[i]
        for _, fs in found_by[i]:
            result.findings.extend(fs)
        result.findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0, f.code))
        if overlaps[i]:
            rescore_with_overlap(result, overlaps[i][-1])
        elif result.rubric is not None and any(f.code.startswith("X") for f in result.findings):
            result.rubric = score_rubric(result)
        error = None
        try:
            write_report(job.plan, i, result)
        except OutputError as exc:
            error = str(exc)
        done.append((i, [(n, [f.model_dump() for f in fs]) for n, fs in found_by[i]], result.rubric,
                     _dumps(result.to_public()), error))
    return done, info


def _rescore_cross_year(results: list[AuditResult]) -> None:
    """Cross-year findings arrive after scoring: re-score those reports (LLM judgements are kept)."""
    from .rubric import score_rubric

    for r in results:
        if r.rubric is not None and any(f.code.startswith("X") for f in r.findings):
            r.rubric = score_rubric(r)


def _write_outputs(folder: OutFolder, plan: OutputPlan, paths, keys, results, publics, fresh, full,
                   pairs, notes, cross_year: dict | None = None, with_x: set[int] = frozenset()) -> int:
    """Report files that are not current, then the batch files (unless nothing changed since
    they were written). Returns how many report files were (re)written here in the parent."""
    store = folder.store
    manifest = folder.manifest()
    view = [plan.fmt, plan.min_severity]
    written = manifest.get("reports", {}) if manifest.get("view") == view else {}
    state: dict[str, list] = {}
    rewritten = 0
    for i, (r, name) in enumerate(zip(results, plan.names)):
        xsig = _x_signature(r)
        mark = [keys[i] or "", xsig]
        current = ((i in fresh and not xsig) or i in with_x
                   or (written.get(name) == mark and (folder.dir / name).exists()))
        if not current:
            whole = full.get(i)
            if whole is None and keys[i] and not r.error:
                whole = store.load(keys[i], paths[i])
            write_report(plan, i, whole or r)
            rewritten += 1
        state[name] = mark
    skipped = [[str(getattr(s, "path", s)), str(getattr(s, "reason", ""))] for s in plan.skipped]
    signature = hashlib.sha256(_dumps([view, plan.names, plan.rels, [state[n] for n in plan.names],
                                       [r.error or "" for r in results], skipped,
                                       [[p.prev, p.cur, p.codes, p.compared] for p in pairs], notes,
                                       __version__]).encode("utf-8")).hexdigest()
    batch_files = ["overview.csv", "overview.xlsx", "results.json", "index.md"]
    unchanged = (manifest.get("overview") == signature and not rewritten
                 and all((folder.dir / f).exists() for f in batch_files))
    if not unchanged:
        write_overviews(plan, results, pairs, notes, results_json=False)
        write_results_json(plan.out_dir / "results.json",
                           _public_texts(results, keys, publics, full, store, plan.min_severity))
    folder.save_manifest({"view": view, "reports": state, "overview": signature, "cross_year": cross_year or {}})
    return rewritten


def _public_texts(results, keys, publics, full, store, min_severity: str = "info"):
    """Each report's results.json object as JSON text, in input order: the text saved with its
    state when there is one (no encoding in the parent), else encoded here."""
    from .render.common import at_least

    for i, r in enumerate(results):
        if i in full or (any(f.code.startswith("X") for f in r.findings) and publics[i] is None):
            text = _dumps(at_least(full.get(i) or r, min_severity).to_public())
        else:
            text = publics[i] or (store.public(keys[i]) if keys[i] else None)
            if text is None:
                text = _dumps(r.to_public())
            if min_severity != "info" or not text.startswith('{"file":' + _dumps(r.file) + ","):
                data = json.loads(text)  # another name for the same bytes, or findings to leave out
                data["file"] = r.file
                data["findings"] = [f for f in data["findings"] if _shown(f["severity"], min_severity)]
                text = _dumps(data)
        yield text


def _shown(severity: str, min_severity: str) -> bool:
    from .models import SEVERITY_ORDER

    return SEVERITY_ORDER[severity] <= SEVERITY_ORDER.get(min_severity, 2)
