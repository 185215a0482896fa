"""JSON, JSONL and CSV outputs for machines (CLI.md)."""

from __future__ import annotations

import csv
import io
import json

from ..models import AuditResult

CSV_FIELDS = ["file", "agency", "year", "format_version", "period_start", "period_end", "issued_on",
              "applications_new_total", "review_total", "errors", "warnings", "infos", "codes", "score", "input_error"]


def to_json(results: list[AuditResult]) -> str:
    return json.dumps([r.to_public() for r in results], ensure_ascii=False, indent=2)


def to_jsonl(results: list[AuditResult]) -> str:
    return "".join(json.dumps(r.to_public(), ensure_ascii=False) + "\n" for r in results)


def csv_row(r: AuditResult) -> dict:
    f = r.facts
    c = r.counts()
    score = (r.rubric or {}).get("total") if r.rubric else None
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
        "score": "" if score is None else score,
        "input_error": r.error or "",
    }


def to_csv(results: list[AuditResult]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS)
    w.writeheader()
    for r in results:
        w.writerow(csv_row(r))
    return buf.getvalue()
