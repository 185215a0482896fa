"""`make bench`: the speed figures of issue 13, side by side, measured in one run.

    .venv/bin/python bench/run.py                 # everything (a few minutes)
    .venv/bin/python bench/run.py --quick         # smaller samples, same figures

Figures (targets in brackets), printed as a markdown table and written to bench/results/latest.json:
  1. in-process throughput of the deterministic audit, generated text reports    [≥ 300/s, goal 600]
  2. PDF: in-process audit of a real 6-page PDF (the corpus's, when present next to the
     repository; else a generated one), and of the same file read by pdfplumber alone  [≤ 60 ms]
  3. reports per core-hour by input format (text, HTML, .docx, PDF; generated files)
  4. batch: `audit DIR -o OUT --no-llm` at --procs 1 and --procs 2, run in turn (A B A B …);
     the speed-up is the median of the pairs' ratios                                [≥ 1.8×]
     batch cost per report at --procs 1 against the same reports audited in one process by a
     plain loop (also a whole command, paired the same way)                         [≤ 1.2×]
     and against a loop that also writes each report's file (the least a batch must do)
     a re-run from the saved state against the fresh --procs 2 run                  [≤ 0.2×]
     and the ceiling: the in-process audit loop as two processes at once against one alone,
     what any two-process run can gain on this machine
  5. `audit --no-llm` start-up on one report (median)                               [≤ 0.2 s]
     beside the floor any typer + pydantic command pays (bench/startup_floor.py), and, where
     valgrind is installed, the instructions each executes (a count that load does not change)
  6. long lines: a report holding one pathological line of each shape (issue 13), each timed
     as a whole command, stopped at --shape-cap seconds                             [≤ 1 s each]

Whole commands are timed with time.perf_counter around subprocess.run. The machines are noisy
(2 cores shared), so ratios come from pairs run back to back, and nothing here is asserted by the
test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from testkit import synth  # noqa: E402
from summarizer.audit import audit_path, audit_text  # noqa: E402

AUDIT = [str(Path(sys.executable).parent / "audit")] if (Path(sys.executable).parent / "audit").exists() \
    else [sys.executable, "-m", "summarizer.cli"]
REAL_PDF = ROOT.parent / "shared" / "corpus" / "real" / "2024_huaian_shizhengfu.pdf"  # optional: 6 pages
TARGETS = {"reports_per_s": 300, "pdf_ms": 60, "speedup_p2": 1.8, "batch_cost_ratio": 1.2, "rerun_ratio": 0.2,
           "startup_s": 0.2, "shape_s": 1.0}


def corpus(n: int) -> list[str]:
    """n generated reports over every layout and format, a third of them with a defect."""
    defects = [None] + list(synth.DEFECTS)
    out = []
    for i in range(n):
        fmt = ("2019", "2021")[i % 2]
        layout = synth.LAYOUTS[(i // 2) % len(synth.LAYOUTS)]
        defect = defects[i % len(defects)] if i % 3 == 0 else None
        try:
            out.append(synth.generate(i, fmt=fmt, layout=layout, defect=defect).text)
        except ValueError:  # a defect tied to one format
            out.append(synth.generate(i, fmt=fmt, layout=layout).text)
    return out


def throughput(texts: list[str]) -> dict:
    audit_text(texts[0])  # warm imports and caches once
    t0 = time.perf_counter()
    findings = 0
    for i, text in enumerate(texts):
        findings += len(audit_text(text, name=f"r{i}").findings)
    dt = time.perf_counter() - t0
    return {"reports": len(texts), "seconds": round(dt, 3), "reports_per_s": round(len(texts) / dt, 1),
            "findings": findings}


def _median_ms(fn, runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return round(statistics.median(times) * 1000, 1)


def pdf_figures(runs: int, work: Path) -> dict:
    """In-process audit of a 6-page PDF (read + audit), and the same file read by pdfplumber only."""
    try:
        from summarizer.readers import pdf as reader
    except ImportError as exc:  # pragma: no cover
        return {"skipped": f"PDF reader unavailable: {exc}"}
    if REAL_PDF.exists():
        path, source = REAL_PDF, f"real: {REAL_PDF.name}"
    else:
        from testkit.documents import cjk_font

        if cjk_font() is None:
            return {"skipped": "no real corpus PDF and no CJK font to generate one (pip install '.[test]')"}
        rep = synth.generate(random.Random(3), "2021", "pdf", None)
        path = work / "generated.pdf"
        path.write_bytes(rep.data)
        source = "generated (testkit/documents.py): the corpus PDF is not next to the repository"
    data = path.read_bytes()
    pages = reader.read_pages(data)
    return {"source": source, "pages": len(pages), "fast_pages": sum(p.reader == "pdfium" for p in pages),
            "audit_ms": _median_ms(lambda: audit_path(path), runs),
            "read_ms": _median_ms(lambda: reader.read_pages(data), runs),
            "pdfplumber_read_ms": _median_ms(lambda: reader._plumber_document(data), max(3, runs // 4))}


def per_format(n: int, work: Path) -> dict:
    """Reports per core-hour by input format: in-process audit of generated files, one core."""
    from testkit.documents import cjk_font

    out = {}
    for layout, suffix in (("cells", ".txt"), ("html", ".html"), ("docx", ".docx"), ("pdf", ".pdf")):
        if layout == "pdf" and cjk_font() is None:
            out["pdf"] = {"skipped": "no CJK font to generate PDFs"}
            continue
        folder = work / f"fmt_{layout}"
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for i in range(n):
            rep = synth.generate(random.Random(9000 + i), ("2019", "2021")[i % 2], layout, None)
            p = folder / f"r{i}{suffix}"
            if rep.data is not None:
                p.write_bytes(rep.data)
            else:
                p.write_text(rep.text, encoding="utf-8")
            paths.append(p)
        audit_path(paths[0])
        t0 = time.perf_counter()
        for p in paths:
            audit_path(p)
        per = (time.perf_counter() - t0) / n
        out["text" if layout == "cells" else layout] = {"ms_per_report": round(per * 1000, 2),
                                                         "reports_per_core_hour": int(3600 / per)}
    return out


def _run(cmd: list[str], timeout: float | None = None) -> tuple[float, int]:
    env = {**os.environ, "AUDIT_NO_PROGRESS": "1"}
    # PYTHONDONTWRITEBYTECODE (set on some build machines) makes every start compile every module
    # again: a user's install has its bytecode cached, so the commands are timed with it cached
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AUDIT_MODEL", "PYTHONDONTWRITEBYTECODE"):
        env.pop(k, None)
    t0 = time.perf_counter()
    try:
        code = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=timeout, cwd=ROOT).returncode
    except subprocess.TimeoutExpired:
        code = -9
    return time.perf_counter() - t0, code


def batch_figures(n: int, pairs: int, work: Path) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from batch_bench import make_reports

    src = work / "batch_in"
    make_reports(src, n)
    loop = [sys.executable, str(Path(__file__).resolve()), "--inprocess-loop", str(src)]
    loop_files = loop + ["--loop-out", str(work / "out_loop")]

    def batch(procs: int, out: Path, fresh: bool = True) -> float:
        if fresh:
            shutil.rmtree(out, ignore_errors=True)
        wall, code = _run(AUDIT + ["--no-llm", str(src), "-o", str(out), "--procs", str(procs)])
        if code not in (0, 1):
            raise SystemExit(f"bench: audit exited {code} on the batch")
        return wall

    p1, p2, inproc, inproc_files, rerun = [], [], [], [], []
    for _ in range(pairs):
        p1.append(batch(1, work / "out_p1"))
        p2.append(batch(2, work / "out_p2"))
        inproc.append(_run(loop)[0])
        inproc_files.append(_run(loop_files)[0])
        rerun.append(batch(2, work / "out_p2", fresh=False))
    same = all((work / "out_p1" / f.name).read_bytes() == f.read_bytes() for f in (work / "out_p2").glob("*.md"))
    return {"reports": n, "pairs": pairs,
            "procs_1_s": [round(x, 2) for x in p1], "procs_2_s": [round(x, 2) for x in p2],
            "inprocess_loop_s": [round(x, 2) for x in inproc],
            "inprocess_loop_with_files_s": [round(x, 2) for x in inproc_files], "rerun_s": [round(x, 2) for x in rerun],
            "speedup_p2": round(statistics.median(a / b for a, b in zip(p1, p2)), 2),
            "batch_cost_ratio": round(statistics.median(a / b for a, b in zip(p1, inproc)), 2),
            "batch_cost_ratio_with_files": round(statistics.median(a / b for a, b in zip(p1, inproc_files)), 2),
            "rerun_ratio": round(statistics.median(a / b for a, b in zip(rerun, p2)), 3),
            "inprocess_ms_per_report": round(statistics.median(inproc) / n * 1000, 2),
            "inprocess_with_files_ms_per_report": round(statistics.median(inproc_files) / n * 1000, 2),
            "batch_p1_ms_per_report": round(statistics.median(p1) / n * 1000, 2),
            "outputs_identical_p1_p2": same}


def inprocess_loop(folder: Path, out: Path | None = None) -> None:
    """The yardsticks of the batch cost: the same reports audited one after another in one
    process (read, audit, rubric), and with `out` each report's file written too (what a
    reviewer's batch needs at least), without the batch's machinery (state, overviews, pairs,
    workers)."""
    from summarizer.outputs import OutputPlan, write_report
    from summarizer.pipeline import Options, audit_one

    opts = Options(no_llm=True)
    paths = [str(p) for p in sorted(folder.iterdir())]
    plan = OutputPlan.create(out, paths) if out else None
    if out:
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
    for i, p in enumerate(paths):
        r = audit_one(p, opts)
        if plan:
            write_report(plan, i, r)


def _audit_cmd(checkout: Path | None) -> list[str]:
    """The audit command of this checkout, or of another one (--baseline) run by this Python."""
    if checkout is None:
        return AUDIT
    code = f"import sys; sys.path.insert(0, {str(checkout)!r}); from summarizer.cli import main; sys.exit(main())"
    return [sys.executable, "-c", code]


def startup(runs: int, work: Path, baseline: Path | None = None) -> dict:
    """Median wall time of `audit --no-llm` on one report; with a baseline checkout, the two
    commands run in turn (A B A B …) so both see the same machine. Beside them, in the same turns,
    the floor (bench/startup_floor.py: typer + pydantic and nothing of ours). Where valgrind is
    installed, also each command's count of executed instructions, which does not vary with the
    machine's load: the ratios of those counts are the noise-free comparison."""
    path = work / "one.txt"
    path.write_text(synth.generate(1, fmt="2021", layout="cells").text, encoding="utf-8")
    args = [str(path), "--no-llm", "--format", "json"]
    kinds = {"main": _audit_cmd(None) + args} | ({"baseline": _audit_cmd(baseline) + args} if baseline else {})
    kinds["floor"] = [sys.executable, str(ROOT / "bench" / "startup_floor.py")] + args
    for cmd in kinds.values():
        _run(cmd)  # warm-up: bytecode written, files in the page cache
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for _ in range(runs):
        for k, cmd in kinds.items():
            times[k].append(_run(cmd)[0])
    bare = [_run([sys.executable, "-c", "pass"])[0] for _ in range(runs)]
    out = {"runs": runs, "median_s": round(statistics.median(times["main"]), 3), "min_s": round(min(times["main"]), 3),
           "python_bare_median_s": round(statistics.median(bare), 3),
           "floor_median_s": round(statistics.median(times["floor"]), 3)}
    if baseline:
        out["baseline_median_s"] = round(statistics.median(times["baseline"]), 3)
    counts = {k: _instructions(cmd) for k, cmd in kinds.items()} | {"bare": _instructions([sys.executable, "-c", "pass"])}
    if all(v is not None for v in counts.values()):
        out["instructions_m"] = {k: round(v / 1e6, 1) for k, v in counts.items()}
        if baseline:
            out["instructions_ratio_baseline"] = round(counts["main"] / counts["baseline"], 3)
        out["instructions_share_floor"] = round(counts["floor"] / counts["main"], 3)
    else:
        out["instructions_m"] = "skipped: valgrind not installed"
    return out


def _instructions(cmd: list[str]) -> int | None:
    """Instructions executed by one run of `cmd` (valgrind's cachegrind, no cache simulation), or
    None without valgrind. Hash seeds are fixed so two counts of one command agree."""
    if shutil.which("valgrind") is None:
        return None
    env = {**os.environ, "AUDIT_NO_PROGRESS": "1", "PYTHONHASHSEED": "0"}
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AUDIT_MODEL", "PYTHONDONTWRITEBYTECODE"):
        env.pop(k, None)
    p = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"] + cmd,
                       env=env, cwd=ROOT, capture_output=True, text=True)
    for line in p.stderr.splitlines():
        if "I" in line and "refs:" in line:
            return int(line.split("refs:")[1].strip().replace(",", ""))
    return None


def baseline_throughput(texts: list[str], checkout: Path, work: Path, rounds: int = 2) -> dict:
    """In-process throughput of this checkout and of a baseline checkout on the same texts, each in
    a fresh process, in turn; the ratio is this one's rate over the baseline's (median of rounds)."""
    data = work / "texts.json"
    data.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    code = ("import json, sys, time; sys.path.insert(0, sys.argv[1]); from summarizer.audit import audit_text; "
            "t = json.load(open(sys.argv[2], encoding='utf-8')); audit_text(t[0]); s = time.perf_counter(); "
            "[audit_text(x, name=f'r{i}') for i, x in enumerate(t)]; print(len(t) / (time.perf_counter() - s))")
    rates: dict[str, list[float]] = {"main": [], "baseline": []}
    for _ in range(rounds):
        for k, where in (("baseline", checkout), ("main", ROOT)):
            p = subprocess.run([sys.executable, "-c", code, str(where), str(data)], capture_output=True, text=True,
                               cwd=work)
            rates[k].append(float(p.stdout.strip().splitlines()[-1]))
    main_rate, base_rate = statistics.median(rates["main"]), statistics.median(rates["baseline"])
    return {"checkout": str(checkout), "reports": len(texts), "reports_per_s": round(main_rate, 1),
            "baseline_reports_per_s": round(base_rate, 1), "ratio": round(main_rate / base_rate, 2)}


def parallel_ceiling(texts: list[str], work: Path, rounds: int = 3) -> dict:
    """What two processes can gain on this machine at all: the same in-process audit loop run
    alone, then as two processes at once (each on the whole list). Cores of a virtual machine
    share caches, memory bandwidth and sometimes a physical core, so two busy processes each run
    slower than one alone; 2 × alone / (two at once) is the speed-up any 2-process batch could
    reach here, the yardstick for the batch's own speed-up (median of rounds)."""
    data = work / "ceiling.json"
    data.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    code = ("import json, sys, time; sys.path.insert(0, sys.argv[1]); from summarizer.audit import audit_text; "
            "t = json.load(open(sys.argv[2], encoding='utf-8')); audit_text(t[0]); s = time.perf_counter(); "
            "[audit_text(x) for x in t]; print(time.perf_counter() - s)")
    cmd = [sys.executable, "-c", code, str(ROOT), str(data)]

    def seconds(p: subprocess.Popen) -> float:
        out, _ = p.communicate()
        return float(out.strip().splitlines()[-1])

    ratios, alone_s, together_s = [], [], []
    for _ in range(rounds):
        alone = seconds(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=work))
        pair = [subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=work) for _ in range(2)]
        together = max(seconds(p) for p in pair)
        alone_s.append(round(alone, 2))
        together_s.append(round(together, 2))
        ratios.append(2 * alone / together)
    return {"reports": len(texts), "alone_s": alone_s, "two_at_once_s": together_s,
            "speedup_ceiling": round(statistics.median(ratios), 2)}


def long_line_shapes(mb: float) -> dict[str, str]:
    """One line of each pathological shape of issue 13, put into a generated report."""
    size = int(mb * 1024 * 1024)
    numbers = " ".join(str(i % 1000) for i in range(size // 4)) + " 合计"
    return {
        f"{mb:g} MB: space-separated numbers ending in text (table line)": numbers[-size:],
        f"{mb:g} MB: a run of spaces in a table line": "（一）予以公开" + " " * size + "3",
        f"{mb:g} MB: digits in a row label": "（二）部分公开" + "7" * size + " 5",
        f"{mb:g} MB: digits in a preamble line": "本机关共收到" + "9" * size + "件申请。",
        "100k ASCII digits": "1234567890" * 10_000,
        "100k Chinese numerals": "一二三四五六七八九〇" * 10_000,
        "500k full-width digits": "０１２３４５６７８９" * 50_000,
        "1 MB of spaces, then text": " " * (1024 * 1024) + "本年度共收到政府信息公开申请5件。",
        "1 MB of tabs, then text": "\t" * (1024 * 1024) + "本年度共收到政府信息公开申请5件。",
    }


def shapes_figures(mb: float, cap: float, work: Path) -> dict:
    base = synth.generate(5, fmt="2021", layout="cells").text.split("\n")
    at = next(i for i, ln in enumerate(base) if ln.startswith("三、"))  # inside the applications table
    out = {}
    for n, (name, line) in enumerate(long_line_shapes(mb).items()):
        path = work / f"shape{n}.txt"
        path.write_text("\n".join(base[:at + 2] + [line] + base[at + 2:]), encoding="utf-8")
        wall, code = _run(AUDIT + [str(path), "--no-llm", "--format", "json", "--timeout", "0"], timeout=cap)
        out[name] = {"seconds": round(wall, 2), "stopped": code == -9, "exit": code,
                     "bytes": path.stat().st_size}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=1000, help="generated reports for the in-process throughput")
    ap.add_argument("--pdf-runs", type=int, default=20)
    ap.add_argument("--format-n", type=int, default=40, help="generated files per format (reports per core-hour)")
    ap.add_argument("--batch-n", type=int, default=2000, help="reports in the batch runs")
    ap.add_argument("--pairs", type=int, default=3, help="batch runs of each kind, in turn")
    ap.add_argument("--startup-runs", type=int, default=7)
    ap.add_argument("--shape-mb", type=float, default=5.0)
    ap.add_argument("--shape-cap", type=float, default=30.0, help="seconds after which a long-line run is stopped")
    ap.add_argument("--quick", action="store_true", help="smaller samples (a minute or two)")
    ap.add_argument("--baseline", type=Path, help="another checkout of the package (e.g. `git worktree add "
                    "/tmp/base <commit>`): its throughput and start-up are measured beside this one's")
    ap.add_argument("--inprocess-loop", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--loop-out", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.inprocess_loop:
        inprocess_loop(a.inprocess_loop, a.loop_out)
        return
    if a.quick:
        a.reports, a.pdf_runs, a.format_n, a.batch_n, a.pairs, a.startup_runs = 300, 7, 10, 400, 2, 5
    work = Path(tempfile.mkdtemp(prefix="audit-bench-"))
    try:
        texts = corpus(a.reports)
        result = {"python": platform.python_version(), "cpus": os.cpu_count(), "load_avg": os.getloadavg()[0],
                  "throughput": throughput(texts), "pdf": pdf_figures(a.pdf_runs, work),
                  "formats": per_format(a.format_n, work), "batch": batch_figures(a.batch_n, a.pairs, work),
                  "parallel": parallel_ceiling(texts[:300], work),
                  "startup": startup(a.startup_runs, work, a.baseline),
                  "shapes": shapes_figures(a.shape_mb, a.shape_cap, work), "targets": TARGETS}
        if a.baseline:
            result["baseline"] = baseline_throughput(texts, a.baseline.resolve(), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(result))


def table(r: dict) -> str:
    tp, pdf, b, st = r["throughput"], r["pdf"], r["batch"], r["startup"]
    rows = ["| figure | value | target |", "|---|---|---|",
            f"| in-process throughput, one core | {tp['reports_per_s']} reports/s ({tp['reports']} reports) | ≥ 300 (goal 600) |"]
    if "skipped" in pdf:
        rows.append(f"| PDF, in-process audit | skipped: {pdf['skipped']} | ≤ 60 ms |")
    else:
        rows.append(f"| PDF, in-process audit of a {pdf['pages']}-page PDF ({pdf['source'].split(':')[0]}) | "
                    f"{pdf['audit_ms']} ms (reading {pdf['read_ms']} ms; pdfplumber alone reads it in "
                    f"{pdf['pdfplumber_read_ms']} ms) | ≤ 60 ms |")
    for fmt, f in r["formats"].items():
        if "skipped" not in f:
            rows.append(f"| reports per core-hour, {fmt} (generated) | {f['reports_per_core_hour']:,} "
                        f"({f['ms_per_report']} ms each) | |")
    rows += [f"| batch speed-up, --procs 2 over --procs 1 ({b['reports']} reports, median of {b['pairs']} pairs) | "
             f"{b['speedup_p2']}× | ≥ 1.8× |",
             f"| … what two processes gain on this machine at all (the same audit loop, two at once vs alone) | "
             f"{r['parallel']['speedup_ceiling']}× | |" if "parallel" in r else "| … parallel ceiling | not measured | |",
             f"| batch cost per report at --procs 1 / in-process audit loop | {b['batch_cost_ratio']}× "
             f"({b['batch_p1_ms_per_report']} vs {b['inprocess_ms_per_report']} ms) | ≤ 1.2× |",
             f"| batch cost per report at --procs 1 / in-process loop writing each report's file | "
             f"{b['batch_cost_ratio_with_files']}× (vs {b['inprocess_with_files_ms_per_report']} ms) | |",
             f"| re-run from saved state / fresh --procs 2 run | {b['rerun_ratio']}× | ≤ 0.2× |",
             f"| `audit --no-llm` start-up, one report (median of {st['runs']}) | {st['median_s']} s "
             f"(bare python {st['python_bare_median_s']} s) | ≤ 0.2 s |"]
    if "baseline_median_s" in st:
        rows.append(f"| start-up of the baseline checkout, same runs in turn | {st['baseline_median_s']} s | |")
    rows.append(f"| start-up floor: typer + pydantic alone (bench/startup_floor.py), same runs in turn | "
                f"{st['floor_median_s']} s | |")
    ins = st["instructions_m"]
    if isinstance(ins, dict):
        ratio = f"; {st['instructions_ratio_baseline']}× the baseline's" if "instructions_ratio_baseline" in st else ""
        rows.append(f"| start-up in instructions executed (valgrind; noise-free) | {ins['main']} M{ratio}; the floor is "
                    f"{ins['floor']} M ({round(100 * st['instructions_share_floor'])} %), bare python {ins['bare']} M | |")
    else:
        rows.append(f"| start-up in instructions executed | {ins} | |")
    if "baseline" in r:
        bl = r["baseline"]
        rows.append(f"| in-process throughput / baseline checkout's, same texts, in turn | {bl['ratio']}× "
                    f"({bl['reports_per_s']} vs {bl['baseline_reports_per_s']} reports/s) | |")
    for name, s in r["shapes"].items():
        value = f"> {s['seconds']} s (stopped)" if s["stopped"] else f"{s['seconds']} s"
        rows.append(f"| long line: {name} (whole command) | {value} | ≤ 1 s |")
    return "\n".join(rows)


if __name__ == "__main__":
    main()
