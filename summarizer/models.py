"""Pydantic models for everything the audit produces.

The JSON output (CLI.md) is `AuditResult.to_public()`; internal-only data (cell provenance,
raw lines) stays out of it so the public shape is stable.

No `from __future__ import annotations` here: with real (not string) annotations pydantic
builds the models without evaluating strings, which is a fifth of this module's import time.
"""

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


# Default factories for empty containers. Why not `default_factory=list`: for a builtin, pydantic
# reads the signature from its text form, which runs Python's tokenizer (a large regex compiled at
# the first model, ≈ 1 % of `audit --no-llm` start-up); a plain function has a real signature, and
# models built with these are also faster to instantiate (measured: 5.4 µs vs 8.5 µs for an empty
# AuditResult). A bare `= []` default would be deep-copied per instance, slower still.
def _list() -> list:
    return []


def _dict() -> dict:
    return {}


class Section(BaseModel):
    number: int
    title: str
    line: int
    end_line: int = Field(default=0, exclude=True)  # last line of the section body (internal)
    col: int = Field(default=0, exclude=True)  # where the heading starts in its line (flattened web text)


class Period(BaseModel):
    start: str  # YYYY-MM-DD
    end: str
    line: int = Field(default=0, exclude=True)
    quote: str = Field(default="", exclude=True)


class Evidence(BaseModel):
    """A second place a finding rests on (e.g. the table side of a narrative mismatch)."""

    line: int
    quote: str
    page: int | None = None  # page of paged inputs (PDF / OCR), set when the finding is verified
    place: str | None = None  # where in the source file: "第2个表格第5行" (Word tables)


class Finding(BaseModel):
    code: str
    severity: Severity
    message: str
    line: int | None
    quote: str
    page: int | None = None  # page of paged inputs (PDF / OCR), set when the finding is verified
    place: str | None = None  # where in the source file: "第2个表格第5行" (Word tables)
    cells: dict[str, float | int | None] = Field(default_factory=_dict)
    related: list[Evidence] = Field(default_factory=_list)
    source: Literal["rule", "llm"] = "rule"


class TableResult(BaseModel):
    """What extraction made of one table, for the reviewer and for the checks."""

    name: str
    status: Literal["parsed", "partial", "unparsed", "missing"]
    format_version: str | None = None
    layout: str | None = None
    reason: str = ""
    first_line: int | None = None
    last_line: int | None = None
    missing_rows: list[str] = Field(default_factory=_list)
    # rows found but whose values could not be assigned to columns: row key -> reason (no cells written)
    unreadable_rows: dict[str, str] = Field(default_factory=_dict)
    extra_rows: list[dict] = Field(default_factory=_list)  # {"label", "line", "nearest"}
    row_labels: dict[str, str] = Field(default_factory=_dict)  # sub-row key -> label as written
    # cell key -> (line, raw text of the cell) for evidence
    sources: dict[str, tuple[int, str]] = Field(default_factory=_dict)
    # "<table>.<row>" -> line of the row's label, for evidence
    row_lines: dict[str, int] = Field(default_factory=_dict)
    # "<table>.<row>" -> the row's label with its numbers as written, where the line is too long to quote
    # whole (flattened web text)
    row_quotes: dict[str, str] = Field(default_factory=_dict)


class Facts(BaseModel):
    agency: str | None = None
    year: int | None = None
    format_version: str | None = None
    period: Period | None = None
    issued_on: str | None = None
    sections: list[Section] = Field(default_factory=_list)
    cells: dict[str, int | float | None] = Field(default_factory=_dict)
    # cells not read directly: recovered from run-together digits by the template's arithmetic
    # (FORMAT.md), or read by OCR below the confidence threshold. Checks on them are not
    # independent evidence.
    recovered_cells: list[str] = Field(default_factory=_list)
    low_confidence_cells: list[str] = Field(default_factory=_list)
    # provenance of the headline facts (internal, for evidence)
    title: str | None = Field(default=None)
    title_line: int | None = Field(default=None, exclude=True)
    agency_line: int | None = Field(default=None, exclude=True)
    year_line: int | None = Field(default=None, exclude=True)
    issued_line: int | None = Field(default=None, exclude=True)
    issued_quote: str = Field(default="", exclude=True)
    signature_agency: str | None = Field(default=None, exclude=True)  # the agency in the closing signature
    signature_line: int | None = Field(default=None, exclude=True)


class LLMStatus(BaseModel):
    """What the LLM layer did for one report: never pretends a result."""

    ran: bool = False
    skipped_reason: str = ""
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    dropped: int = 0
    notes: list[str] = Field(default_factory=_list)
    # per request: {call, kind (first / reask-…), prompt_tokens, completion_tokens, estimated, seconds}
    usage: list[dict] = Field(default_factory=_list)
    seconds: float = 0.0  # wall time of the report's LLM work (what --llm-budget bounds)


class AuditResult(BaseModel):
    file: str
    facts: Facts = Field(default_factory=Facts)
    findings: list[Finding] = Field(default_factory=_list)
    tables: list[TableResult] = Field(default_factory=_list)
    summary: dict | None = None
    rubric: dict | None = None
    llm: LLMStatus = Field(default_factory=LLMStatus)
    error: str | None = None  # set when the input could not be read at all
    source_kind: str = "text"  # text / html / pdf / docx / ocr: how the text was obtained
    input_notes: list[str] = Field(default_factory=_list)  # what the reader had to do (OCR, repaired bytes…)
    # finding-code prefixes that do not apply to this kind of report (report_kind.exemption): the
    # rubric must not read their absence as full marks
    exempt_codes: list[str] = Field(default_factory=_list)

    @property
    def has_error_finding(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out

    def to_public(self) -> dict:
        """The JSON object of CLI.md (plus `tables`, `llm` and `error`, which CLI.md allows to add)."""
        data = {
            "file": self.file,
            "facts": self.facts.model_dump(exclude={"title"}),
            "findings": [f.model_dump(exclude_defaults=False) for f in self.findings],
            "summary": self.summary,
            "rubric": self.rubric,
            "tables": [t.model_dump(exclude={"sources", "row_lines", "row_quotes"}) for t in self.tables],
            "llm": self.llm.model_dump(),
        }
        data["facts"]["title"] = self.facts.title
        data["source_kind"] = self.source_kind
        data["input_notes"] = self.input_notes
        if self.exempt_codes:
            data["exempt_codes"] = self.exempt_codes  # checks that do not apply to this kind of report
        if self.error:
            data["error"] = self.error
        return data
