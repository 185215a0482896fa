"""Benchmark of scanned-report OCR (issue 12): accuracy against the truth and seconds per page.

Run: `make bench` (runs this when the `ocr` extra is installed) or
`python bench/ocr_bench.py [--generated 8] [--no-seeds] [--dpi 150]`.

Each report is typeset with a CJK font onto 150-dpi page images (testkit/scan.py), wrapped in an
image-only PDF, and audited through OCR. Compared with the truth:
  - generated reports (testkit/synth.py, both formats, clean and with defects): the generator's
    cells and facts; the findings must be those of the same report audited as text; three of
    them also "scanned" (pages turned up to ±1.5°, blurred, JPEG: testkit/scan.degrade);
  - the seed reports (../shared/corpus/seeds, skipped when absent), their tables re-typeset one
    row per line: the hand labels of eval/datasets/seeds (cells, metadata).
Reported: cell accuracy, metadata right, false arithmetic errors (A-codes the text version does
not have), findings equal to the text version's, low-confidence cells (S012), seconds per page.
Writes bench/results/ocr_latest.json. Figures are one run on this (shared, noisy) machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from summarizer.audit import audit_document, audit_text  # noqa: E402
from summarizer.readers import read_document  # noqa: E402
from testkit import scan, synth  # noqa: E402

META = ("agency", "year", "format_version", "issued_on")
# Generated cases: (seed, format, defect). Clean reports of both formats and defects whose
# findings rest on table cells (A00x, S005/S006) or on the narrative and dates (N, P).
CASES = [(101, "2021", None), (102, "2019", None), (103, "2021", "a001_balance"), (104, "2019", "a003_outcome_sum"),
         (105, "2021", "blank_cell"), (106, "2019", "a005_cumulative"), (107, "2021", "n001_received"),
         (108, "2021", "missing_rows"), (109, "2019", None), (110, "2021", "issued_late")]
# The same kind of reports "scanned": pages turned up to ±1.5°, blurred, saved as JPEG (testkit/scan.degrade).
DEGRADED = [(201, "2021", None), (202, "2019", "a002_row_sum"), (203, "2021", None)]


def _meta_ok(truth: dict, facts) -> dict:
    out = {k: truth.get(k) == getattr(facts, k) for k in META if k in truth}
    if "period" in truth:
        p = facts.period
        got = None if p is None else {"start": p.start, "end": p.end}
        want = truth["period"] if truth["period"] is None else {k: truth["period"][k] for k in ("start", "end")}
        out["period"] = got == want
    return out


def _one(name: str, text: str, truth_cells: dict, truth_facts: dict, font: Path, dpi: int, tmp: Path,
         degraded: bool = False) -> dict:
    pages = scan.render_pages(text, font, dpi=dpi)
    if degraded:
        pages = scan.degrade(pages, seed=len(text))
    pdf = tmp / f"{name}.pdf"
    pdf.write_bytes(scan.image_pdf(pages, dpi=dpi))
    t0, c0 = time.perf_counter(), time.process_time()
    doc = read_document(pdf)
    result = audit_document(doc)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    text_result = audit_text(text)
    cells = result.facts.cells
    right = [k for k, v in truth_cells.items() if k in cells and cells[k] == v]
    wrong = {k: [v, cells.get(k, "missing")] for k, v in truth_cells.items() if k not in right}
    ocr_codes = sorted(f.code for f in result.findings if f.code != "S012")
    text_codes = sorted(f.code for f in text_result.findings)
    false_arith = sorted({f.code for f in result.findings if f.code.startswith("A")}
                         - {f.code for f in text_result.findings})
    return {"report": name, "pages": len(pages), "seconds": round(seconds, 1),
            "s_per_page": round(seconds / len(pages), 2), "cpu_s_per_page": round(cpu / len(pages), 2),
            "load_avg_1min": round(os.getloadavg()[0], 1), "cells": len(truth_cells), "cells_right": len(right),
            "wrong": wrong, "meta": _meta_ok(truth_facts, result.facts), "false_arithmetic": false_arith,
            "same_findings": ocr_codes == text_codes, "ocr_codes": ocr_codes, "text_codes": text_codes,
            "low_confidence": result.facts.low_confidence_cells, "notes": result.input_notes}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--generated", type=int, default=len(CASES), help="how many generated cases (of %d)" % len(CASES))
    ap.add_argument("--degraded", type=int, default=len(DEGRADED), help="how many skewed/blurred cases (of %d)" % len(DEGRADED))
    ap.add_argument("--no-seeds", action="store_true")
    ap.add_argument("--dpi", type=int, default=scan.DPI)
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "ocr_latest.json")
    args = ap.parse_args()
    from summarizer.readers import ocr

    if not ocr.available():
        print("ocr_bench: the ocr extra is not installed (pip install -e '.[ocr]'); skipped")
        return 0
    font = scan.find_cjk_font()
    if font is None:
        print(f"ocr_bench: {scan.NO_FONT_REASON}; skipped")
        return 0
    t0 = time.perf_counter()
    ocr.engine()
    load = time.perf_counter() - t0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed, fmt, defect in CASES[: args.generated]:
            r = synth.generate(seed, fmt=fmt, layout="tabs", defect=defect)
            rows.append(_one(f"gen-{seed}-{fmt}-{defect or 'clean'}", r.text, r.cells, r.facts, font, args.dpi, Path(tmp)))
            print(_line(rows[-1]), flush=True)
        for seed, fmt, defect in DEGRADED[: args.degraded]:
            r = synth.generate(seed, fmt=fmt, layout="tabs", defect=defect)
            rows.append(_one(f"gen-{seed}-{fmt}-{defect or 'clean'}-skewed", r.text, r.cells, r.facts, font, args.dpi,
                             Path(tmp), degraded=True))
            print(_line(rows[-1]), flush=True)
        seeds = ROOT.parent / "shared" / "corpus" / "seeds"
        if not args.no_seeds and seeds.is_dir():
            for label_file in sorted((ROOT / "eval" / "datasets" / "seeds").glob("*.json")):
                label = json.loads(label_file.read_text(encoding="utf-8"))
                src = (ROOT / label["source"]).resolve()
                if not src.exists():
                    continue
                text = scan.tables_as_rows(src.read_text(encoding="utf-8"))
                rows.append(_one(label["id"], text, label["cells"], label["facts"], font, args.dpi, Path(tmp)))
                print(_line(rows[-1]), flush=True)
    summary = _summary(rows, load)
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"summary": summary, "reports": rows, "machine": platform.platform(),
                                     "cpus": os.cpu_count(), "load_avg": os.getloadavg()},
                                    ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _line(r: dict) -> str:
    meta = "ok" if all(r["meta"].values()) else "WRONG " + ",".join(k for k, v in r["meta"].items() if not v)
    return (f"{r['report']}: {r['pages']} p, {r['s_per_page']} s/page (cpu {r['cpu_s_per_page']}, "
            f"load {r['load_avg_1min']}), cells {r['cells_right']}/{r['cells']}, "
            f"meta {meta}, false A {r['false_arithmetic'] or '-'}, same findings {r['same_findings']}, "
            f"low-conf {len(r['low_confidence'])}")


def _summary(rows: list[dict], load: float) -> dict:
    pages = sum(r["pages"] for r in rows)
    secs = sum(r["seconds"] for r in rows)
    cells = sum(r["cells"] for r in rows)
    right = sum(r["cells_right"] for r in rows)
    gen = [r for r in rows if r["report"].startswith("gen-")]
    skewed = [r for r in rows if r["report"].endswith("-skewed")]
    sk_cells, sk_right = sum(r["cells"] for r in skewed), sum(r["cells_right"] for r in skewed)
    cpu = sum(r["cpu_s_per_page"] * r["pages"] for r in rows)
    return {"reports": len(rows), "pages": pages, "seconds_per_page": round(secs / pages, 2) if pages else None,
            "cpu_seconds_per_page": round(cpu / pages, 2) if pages else None,
            "median_load_avg": sorted(r["load_avg_1min"] for r in rows)[len(rows) // 2] if rows else None,
            "model_load_s": round(load, 2), "cell_accuracy": round(right / cells, 4) if cells else None,
            "metadata_right": f"{sum(all(r['meta'].values()) for r in rows)}/{len(rows)}",
            "false_arithmetic_errors": sum(len(r["false_arithmetic"]) for r in rows),
            "generated_same_findings_as_text": f"{sum(r['same_findings'] for r in gen)}/{len(gen)}",
            "low_confidence_cells": sum(len(r["low_confidence"]) for r in rows),
            "skewed_cell_accuracy": round(sk_right / sk_cells, 4) if sk_cells else None}


if __name__ == "__main__":
    sys.exit(main())
