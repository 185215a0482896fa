"""Benchmark of the deterministic audit (issue 2): in-process throughput and `audit --no-llm` start-up.

Run: `make bench` (or `python bench/run.py --reports 1000`). Prints a markdown table and writes
bench/results/latest.json. Figures are ratios of one run on this machine; the machines are
noisy, so nothing here is asserted by the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from testkit import synth  # noqa: E402
from summarizer.audit import audit_text  # noqa: E402


def corpus(n: int) -> list[str]:
    """n generated reports over every layout and format, a third of them with a defect."""
    defects = [None] + list(synth.DEFECTS)
    out = []
    for i in range(n):
        fmt = synth.FORMATS[i % 2] if hasattr(synth, "FORMATS") else ("2019", "2021")[i % 2]
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


def startup(runs: int) -> dict:
    text = synth.generate(1, fmt="2021", layout="cells").text
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.txt"
        path.write_text(text, encoding="utf-8")
        audit = Path(sys.executable).parent / "audit"
        cmd = [str(audit) if audit.exists() else sys.executable, *([] if audit.exists() else ["-m", "summarizer.cli"]),
               str(path), "--no-llm", "--format", "json"]
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=False)
            times.append(time.perf_counter() - t0)
        bare = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=False)
            bare.append(time.perf_counter() - t0)
    return {"runs": runs, "median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
            "python_bare_median_s": round(statistics.median(bare), 3)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--startup-runs", type=int, default=7)
    args = ap.parse_args()
    t0 = time.perf_counter()
    texts = corpus(args.reports)
    gen_s = time.perf_counter() - t0
    tp = throughput(texts)
    st = startup(args.startup_runs)
    result = {"python": platform.python_version(), "cpus": os.cpu_count(), "generate_s": round(gen_s, 2),
              "throughput": tp, "startup": st,
              "targets": {"reports_per_s": 300, "startup_s": 0.5}}
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print("| figure | value | target |\n|---|---|---|")
    print(f"| in-process throughput, one core | {tp['reports_per_s']} reports/s ({tp['reports']} reports in {tp['seconds']} s) | ≥ 300 |")
    print(f"| `audit --no-llm` start-up, one report (median of {st['runs']}) | {st['median_s']} s "
          f"(bare python {st['python_bare_median_s']} s) | ≤ 0.5 s |")


if __name__ == "__main__":
    main()
