"""The catalogue of checks and the machinery to run them.

The catalogue (severity, title, doc of every code) is data: summarizer/data/checks.toml.
Each check module registers functions with `@check("A001", ...)`; a function yields findings
for the codes it names. Selection (--select / --ignore) filters by code prefix like a linter.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..data_cache import load_toml
from ..models import Evidence, Facts, Finding, TableResult
from ..document import Document
from ..schema import cell_label


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict]:
    """Every documented code → {severity, method, title, doc}."""
    return load_toml(Path(__file__).resolve().parent.parent / "data" / "checks.toml")


class Context:
    """What a check may look at: the document, the facts and the extracted tables. (A plain
    class: see document.Line.)"""

    def __init__(self, doc: Document, facts: Facts, tables: dict[str, TableResult], format_evidence: str = "") -> None:
        self.doc = doc
        self.facts = facts
        self.tables = tables
        self.format_evidence = format_evidence

    @property
    def cells(self) -> dict:
        return self.facts.cells

    @property
    def fmt(self) -> str:
        from ..schema import assumed_format

        return assumed_format(self.facts.format_version, self.facts.year)

    def label(self, key: str) -> str:
        return cell_label(key, self.fmt)

    def finding(self, code: str, message: str, line: int | None, quote: str,
                cells: dict | None = None, related: list[Evidence] | None = None) -> Finding:
        entry = catalogue()[code]
        recovered = [k for k in (cells or {}) if k in self.facts.recovered_cells]
        if recovered and code.startswith("A"):
            # cells split from run-together digits by the table's own sums: not independent evidence
            message += (f"（注意：其中{len(recovered)}个单元格是从网页压平后首尾相连的数字中按本行合计拆分得到的，"
                        "请对照原表核实）")
        return Finding(code=code, severity=entry["severity"], message=message, line=line, quote=quote,
                       cells=cells or {}, related=related or [])

    def row_evidence(self, row_key: str) -> tuple[int | None, str]:
        """(line, quote) of the label of a table row such as 'applications.total'."""
        table = row_key.split(".")[0]
        res = self.tables.get(table)
        if res is None:
            return None, ""
        line = res.row_lines.get(row_key)
        if row_key in res.row_quotes and line is not None:
            return line, res.row_quotes[row_key]
        if line is None:
            src = next((v for k, v in res.sources.items() if k.startswith(row_key + ".")), None)
            line = src[0] if src else res.first_line
        if line is None:
            return None, ""
        return line, self.doc.full_quote(line)

    def cell_evidence(self, key: str) -> Evidence | None:
        table = key.split(".")[0]
        res = self.tables.get(table)
        if res is None or key not in res.sources:
            return None
        line, _raw = res.sources[key]
        row_quote = res.row_quotes.get(key.rsplit(".", 1)[0])
        if row_quote:
            return Evidence(line=line, quote=row_quote)
        quote = self.doc.full_quote(line)
        row_line = res.row_lines.get(key.rsplit(".", 1)[0])
        if len(quote) <= 12 and row_line and row_line != line:
            # one cell per line: the bare number says little; cite the row's label, the message has the value
            return Evidence(line=row_line, quote=self.doc.full_quote(row_line))
        return Evidence(line=line, quote=quote)

    def section_spans(self, number: int) -> list[tuple[int, int, int]]:
        """(line, start, end) pieces of section `number`'s text, heading included. A section of
        flattened web text is the part of its line between its heading and the next one, so
        checks scoped to a section work there too."""
        secs = sorted(self.facts.sections, key=lambda s: (s.line, s.col))
        for i, sec in enumerate(secs):
            if sec.number != number:
                continue
            nxt = secs[i + 1] if i + 1 < len(secs) else None
            last = nxt.line if nxt is not None else self.doc.n
            out = []
            for no in range(sec.line, last + 1):
                text = self.doc.line(no).text
                start = sec.col if no == sec.line else 0
                end = nxt.col if nxt is not None and no == nxt.line else len(text)
                if nxt is not None and no == nxt.line and nxt.col == 0 and no != sec.line:
                    break
                if end > start:
                    out.append((no, start, end))
            return out
        return []

    def section_text(self, number: int) -> str:
        return "\n".join(self.doc.line(no).text[a:b] for no, a, b in self.section_spans(number))

    def anchor(self) -> tuple[int, str]:
        """The first non-empty line: evidence for findings about something absent."""
        for ln in self.doc.lines:
            if ln.raw.strip():
                return ln.no, ln.raw.strip()
        return 1, ""


CheckFn = Callable[[Context], Iterable[Finding]]
REGISTRY: list[tuple[tuple[str, ...], CheckFn]] = []


def check(*codes: str) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        REGISTRY.append((codes, fn))
        return fn

    return register


def _selected(code: str, select: Iterable[str] | None, ignore: Iterable[str] | None) -> bool:
    if select and not any(code.startswith(s) for s in select):
        return False
    if ignore and any(code.startswith(s) for s in ignore):
        return False
    return True


def run_checks(ctx: Context, select: Iterable[str] | None = None, ignore: Iterable[str] | None = None
               ) -> Iterator[Finding]:
    from . import arithmetic, input_repair, narrative, ocr_cells, period, structure  # noqa: F401  (registers the checks)

    select = [s.upper() for s in select] if select else None
    ignore = [s.upper() for s in ignore] if ignore else None
    for codes, fn in REGISTRY:
        if not any(_selected(c, select, ignore) for c in codes):
            continue
        try:
            for f in fn(ctx):
                if _selected(f.code, select, ignore):
                    yield f
        except Exception as exc:  # a bug in one check must not cost the report its other findings
            ctx.doc.notes.append(f"检查 {'/'.join(codes)} 出现内部错误（{type(exc).__name__}），已跳过；其余检查照常进行")


def explain(code: str) -> str | None:
    """The doc of one code; `ALL` lists every code with its severity and title."""
    if code.upper() == "ALL":
        return "\n".join(f"{c} [{e['severity']}] {e['title']}（{'规则' if e['method'] == 'rule' else '大模型'}）"
                         for c, e in sorted(catalogue().items())) + "\n"
    entry = catalogue().get(code.upper())
    if entry is None:
        return None
    method = "规则（确定性）" if entry["method"] == "rule" else "大模型（引文经逐字核验）"
    return f"{code.upper()} [{entry['severity']}] {entry['title']}\n判定方式：{method}\n\n{entry['doc']}\n"
