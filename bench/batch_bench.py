"""Batch benchmark: wall time and peak memory of `audit DIR -o OUT` at scale.

    .venv/bin/python bench/batch_bench.py                  # 10,000 reports no-LLM, 200 with the fake LLM
    .venv/bin/python bench/batch_bench.py --n 1000 --llm-n 50   # quicker

What it measures (each `audit` run is a subprocess, as a reviewer would run it):
  1. N generated reports, --no-llm, at --procs 1 and --procs 2; then a re-run served from
     .audit-state. Peak memory = the largest sum of RSS over the audit process and its workers,
     sampled every 50 ms from /proc (Linux).
  2. M reports against the local fake OpenAI endpoint (127.0.0.1 only) answering every call after
     300 ms, at --jobs 1 and --jobs 16, against the ideal (ceil(M / jobs) × 2 sequential calls × 300 ms);
     then a re-run from cache. Traffic is bounded: 2·M requests per uncached run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from testkit.fake_server import FakeOpenAI, chat_reply  # noqa: E402
from testkit.synth import LAYOUTS, generate  # noqa: E402

LATENCY_S = 0.3
SUMMARY = json.dumps({"overall": [], "problems": [], "improvements": []})
JUDGE = json.dumps({"findings": [], "scores": []})
AUDIT = [str(ROOT / ".venv" / "bin" / "audit")] if (ROOT / ".venv" / "bin" / "audit").exists() else \
    [sys.executable, "-m", "summarizer.cli"]


def make_reports(folder: Path, n: int, seed: int = 7) -> None:
    """A mix of formats and layouts, one report in ten with a defect (as a real batch would have)."""
    from testkit.synth import DEFECTS

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    defects = sorted(DEFECTS)
    for i in range(n):
        fmt = rng.choice(("2019", "2021"))
        defect = rng.choice(defects) if rng.random() < 0.1 else None
        try:
            rep = generate(random.Random(seed * 100003 + i), fmt, rng.choice(LAYOUTS), defect)
        except ValueError:  # a defect that does not apply to this format
            rep = generate(random.Random(seed * 100003 + i), fmt, "cells", None)
        (folder / f"r{i:05d}.txt").write_text(rep.text, encoding="utf-8")


def _tree_rss_kb(pid: int) -> int:
    """RSS of a process and all its descendants, from /proc (0 once it has exited)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_audit(args: list[str], env: dict | None = None) -> dict:
    """Run `audit` once; wall time, exit code and peak tree RSS."""
    env = {**os.environ, "AUDIT_NO_PROGRESS": "1", **(env or {})}
    t0 = time.perf_counter()
    proc = subprocess.Popen(AUDIT + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    t.join()
    return {"wall_s": round(wall, 2), "peak_rss_mb": round(peak / 1024, 1), "exit": proc.returncode,
            "stderr": err.decode("utf-8", "replace")[-300:]}


def bench_no_llm(work: Path, n: int) -> dict:
    src = work / "no_llm_in"
    t0 = time.perf_counter()
    make_reports(src, n)
    out: dict = {"reports": n, "generate_s": round(time.perf_counter() - t0, 1)}
    for procs in (1, 2):
        dest = work / f"no_llm_out_p{procs}"
        out[f"procs_{procs}"] = run_audit(["--no-llm", str(src), "-o", str(dest), "--procs", str(procs)])
    out["rerun_from_state"] = run_audit(["--no-llm", str(src), "-o", str(work / "no_llm_out_p2"), "--procs", "2"])
    same = all((work / "no_llm_out_p1" / f.name).read_bytes() == f.read_bytes()
               for f in (work / "no_llm_out_p2").glob("*.md"))
    out["outputs_identical_p1_p2"] = same
    p1, p2 = out["procs_1"]["wall_s"], out["procs_2"]["wall_s"]
    out["speedup_p2_over_p1"] = round(p1 / p2, 2) if p2 else None
    out["rerun_ratio"] = round(out["rerun_from_state"]["wall_s"] / p2, 3) if p2 else None
    return out


def bench_llm(work: Path, m: int) -> dict:
    src = work / "llm_in"
    make_reports(src, m, seed=11)

    def responder(req):
        user = req.body["messages"][-1]["content"]
        return chat_reply(SUMMARY if '"overall"' in user else JUDGE, delay=LATENCY_S)

    out: dict = {"reports": m, "latency_s": LATENCY_S}
    with FakeOpenAI(responder=responder) as fake:
        env = {"OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": "sk-bench", "AUDIT_MODEL": "fake-model"}
        for jobs in (1, 16):
            before = len(fake.requests)
            res = run_audit([str(src), "-o", str(work / f"llm_out_j{jobs}"), "--jobs", str(jobs),
                             "--cache-dir", str(work / f"llm_cache_j{jobs}")], env)
            res["requests"] = len(fake.requests) - before
            # a report's two calls are sequential, so the ideal is ceil(M / jobs) rounds of 2 × latency
            res["ideal_s"] = round(-(-m // jobs) * 2 * LATENCY_S, 2)
            res["ratio_to_ideal"] = round(res["wall_s"] / res["ideal_s"], 2) if res["ideal_s"] else None
            out[f"jobs_{jobs}"] = res
        before = len(fake.requests)
        res = run_audit([str(src), "-o", str(work / "llm_out_j16"), "--jobs", "16",
                         "--cache-dir", str(work / "llm_cache_j16")], env)
        res["requests"] = len(fake.requests) - before
        out["rerun_from_state"] = res
        before = len(fake.requests)
        res = run_audit([str(src), "-o", str(work / "llm_out_j16"), "--jobs", "16", "--fresh",
                         "--cache-dir", str(work / "llm_cache_j16")], env)
        res["requests"] = len(fake.requests) - before
        out["rerun_fresh_from_llm_cache"] = res
    j1, j16 = out["jobs_1"]["wall_s"], out["jobs_16"]["wall_s"]
    out["speedup_j16_over_j1"] = round(j1 / j16, 2) if j16 else None
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="reports for the no-LLM runs")
    ap.add_argument("--llm-n", type=int, default=200, help="reports for the fake-LLM runs")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audit-batch-bench-"))
    figures = {"cpus": os.cpu_count(), "no_llm": bench_no_llm(work, a.n), "llm": bench_llm(work, a.llm_n)}
    text = json.dumps(figures, ensure_ascii=False, indent=2)
    print(text)
    if a.json:
        a.json.write_text(text + "\n", encoding="utf-8")
    if not a.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    else:
        print(f"kept {work}", file=sys.stderr)


if __name__ == "__main__":
    main()
