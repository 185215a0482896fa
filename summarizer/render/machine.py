"""JSON, JSONL and CSV outputs for machines (CLI.md).

CSV text cells go through escape.sheet_text: a value from a report or a file name that starts
like a formula (`=HYPERLINK(…)`) gets a leading apostrophe; numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
import json

from ..models import AuditResult
from .common import code_title, score_pair
from .escape import sheet_text

CSV_FIELDS = ["file", "agency", "year", "format_version", "period_start", "period_end", "issued_on",
              "applications_new_total", "review_total", "errors", "warnings", "infos", "codes", "score", "score_max",
              "input_error"]
FINDING_FIELDS = ["report", "file", "agency", "year", "code", "severity", "title", "page", "line", "message", "quote"]


def to_json(results: list[AuditResult]) -> str:
    return json.dumps([r.to_public() for r in results], ensure_ascii=False, indent=2)


def to_jsonl(results: list[AuditResult]) -> str:
    return "".join(json.dumps(r.to_public(), ensure_ascii=False) + "\n" for r in results)


def csv_row(r: AuditResult) -> dict:
    """The headline facts of one report; `score` / `score_max` are the rubric as scored (x / y)."""
    f = r.facts
    c = r.counts()
    pair = score_pair(r)
    return {
        "file": r.file,
        "agency": f.agency or "",
        "year": f.year or "",
        "format_version": f.format_version or "",
        "period_start": f.period.start if f.period else "",
        "period_end": f.period.end if f.period else "",
        "issued_on": f.issued_on or "",
        "applications_new_total": f.cells.get("applications.new.total", ""),
        "review_total": f.cells.get("litigation.review.total", ""),
        "errors": c["error"],
        "warnings": c["warning"],
        "infos": c["info"],
        "codes": " ".join(sorted({x.code for x in r.findings})),
        "score": "" if pair is None else _n(pair[0]),
        "score_max": "" if pair is None else _n(pair[1]),
        "input_error": r.error or "",
    }


def _n(x: float):
    return int(x) if float(x).is_integer() else x


def finding_rows(results: list[AuditResult], labels: list[str]) -> list[dict]:
    """One row per finding (the 发现 sheet and the per-report CSV)."""
    rows = []
    for r, label in zip(results, labels):
        for f in r.findings:
            rows.append({"report": label, "file": r.file, "agency": r.facts.agency or "", "year": r.facts.year or "",
                         "code": f.code, "severity": f.severity, "title": code_title(f.code),
                         "page": f.page if f.page is not None else "", "line": f.line if f.line is not None else "",
                         "message": f.message, "quote": f.quote})
    return rows


def _csv(fields: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, restval="")
    w.writeheader()
    for row in rows:
        w.writerow({k: sheet_text(v) for k, v in row.items()})
    return buf.getvalue()


def to_csv(results: list[AuditResult]) -> str:
    return _csv(CSV_FIELDS, [csv_row(r) for r in results])


def findings_csv(results: list[AuditResult], labels: list[str]) -> str:
    return _csv(FINDING_FIELDS, finding_rows(results, labels))
