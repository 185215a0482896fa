"""One report in, one AuditResult out: read → segment → extract tables → checks → verified findings.

This module is the deterministic core the CLI, the LLM layer, the eval harness and the
benchmarks all call. It never imports the LLM stack.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from .checks import Context, run_checks
from .models import SEVERITY_ORDER, AuditResult, Finding
from .document import MAX_LINE_CHARS, Document, InputError, to_document
from .readers import read_document
from .report_kind import exemption, plainly_not_a_report, refusal
from .segment import segment
from .tables.extract import extract


def _ws(s: str) -> str:
    return re.sub(r"\s+", "", s)


def verified(doc: Document, finding: Finding) -> bool:
    """A finding is shown only if its quote occurs verbatim (whitespace aside) at its line."""
    return _quote_at(doc, finding.line, finding.quote) and all(_quote_at(doc, e.line, e.quote) for e in finding.related)


def _quote_at(doc: Document, line: int | None, quote: str) -> bool:
    """The quote starts on `line` (it may run on over hard-wrapped lines that follow)."""
    if line is None or not (1 <= line <= doc.n) or not quote:
        return False
    q = _ws(quote)
    # the part of each line the audit reads (document.MAX_LINE_CHARS; a little more for removed marks)
    limit = MAX_LINE_CHARS + 1000
    first = _ws(doc.line(line).raw[:limit])
    if q in first:
        return True
    # the lines that follow, as far as the quote can reach (a sentence whose counts stand on lines of
    # their own runs over many short lines)
    parts, size = [], 0
    for n in range(line, min(doc.n, line + 40) + 1):
        parts.append(_ws(doc.line(n).raw[:limit]))
        size += len(parts[-1])
        if size >= len(first) + len(q):
            break
    joined = "".join(parts)
    return joined.find(q) != -1 and joined.find(q) < len(first)


def audit_document(doc: Document, select: Iterable[str] | None = None,
                   ignore: Iterable[str] | None = None) -> AuditResult:
    """The deterministic audit of a document that was read successfully. A text that is not an
    annual report raises InputError with the reason (report_kind)."""
    facts = segment(doc)
    reason = plainly_not_a_report(doc, facts)
    if reason:
        raise InputError(reason)
    ex = extract(doc, facts.sections, facts.year)
    reason = refusal(doc, facts, ex.cells)
    if reason:
        raise InputError(reason)
    facts.cells = ex.cells
    facts.recovered_cells = ex.recovered
    facts.format_version = ex.format_version
    facts.low_confidence_cells = ex.low_confidence
    ctx = Context(doc=doc, facts=facts, tables=ex.tables, format_evidence=ex.format_evidence)
    findings = [f for f in run_checks(ctx, select, ignore) if verified(doc, f)]
    notes = list(doc.notes)
    skip = exemption(facts, doc, ex.cells)
    if skip:
        findings = [f for f in findings if not f.code.startswith(skip.codes)]
        notes.append(skip.note)
    for f in findings:
        _set_pages(doc, f)
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0, f.code))
    return AuditResult(file=doc.path, facts=facts, findings=findings, tables=list(ex.tables.values()),
                       source_kind=doc.source_kind, input_notes=notes,
                       exempt_codes=list(skip.codes) if skip else [])


def _set_pages(doc: Document, finding: Finding) -> None:
    """Paged inputs: each piece of evidence also cites its page ("第2页 第14行"); Word tables their
    table and row ("第2个表格第5行")."""
    if finding.line is not None and 1 <= finding.line <= doc.n:
        finding.page = doc.line(finding.line).page
        finding.place = doc.places.get(finding.line)
    for e in finding.related:
        if 1 <= e.line <= doc.n:
            e.page = doc.line(e.line).page
            e.place = doc.places.get(e.line)


def audit_text(text: str, name: str = "<text>", select: Iterable[str] | None = None,
               ignore: Iterable[str] | None = None) -> AuditResult:
    """Audit report text already in memory (tests, generator, benchmarks)."""
    return audit_document(to_document(text, name, "utf-8"), select, ignore)


def audit_path(path: str | Path, select: Iterable[str] | None = None,
               ignore: Iterable[str] | None = None, ocr: str = "auto") -> tuple[AuditResult, Document | None]:
    """Audit one file. Unreadable input gives a result with `error` set instead of raising.
    `ocr`: auto / force / off, for scanned pages (readers.read_document)."""
    try:
        doc = read_document(path, ocr)
        return audit_document(doc, select, ignore), doc
    except InputError as exc:
        return AuditResult(file=str(path), error=str(exc)), None
