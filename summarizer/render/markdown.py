"""Markdown findings for a reviewer: headline facts, findings with evidence, the tables as read.

Every value taken from the report or a file name goes through escape.md(): a report can carry
raw HTML or links (`<img onerror=…>`, `[点我](javascript:…)`) that must show as text.
"""

from __future__ import annotations

from ..models import AuditResult, Finding
from .common import SEV_TITLE, all_tables, code_title, grouped, headline, llm_status, location
from .escape import md, md_code

QUOTE_CHARS = 200


def _quote(text: str) -> str:
    short = text[:QUOTE_CHARS] + ("…" if len(text) > QUOTE_CHARS else "")
    return md(short)


def _finding(f: Finding) -> list[str]:
    src = "（大模型发现，引文已核验）" if f.source == "llm" else ""
    out = [f"- {location(f)}：{md(f.message)}{src}",
           f"  - 引文：「{_quote(f.quote)}」"]
    for e in f.related:
        out.append(f"  - {location(e)}：「{_quote(e.quote)}」")
    return out


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(md(h) for h in header) + " |", "|---" * len(header) + "|"]
    out += ["| " + " | ".join(md(c) for c in row) + " |" for row in rows]
    return out


def render_report(r: AuditResult, llm_section: str = "") -> str:
    """The markdown a reviewer reads for one report: same-code findings grouped under their code."""
    if r.error:
        return f"# 无法审查：{md(r.file)}\n\n**无法审查**：{md(r.error)}\n"
    out = [f"# 年报审查：{md(r.facts.title or r.facts.agency or r.file)}", "", f"文件：{md_code(r.file)}", ""]
    out += _table(["项目", "内容"], [list(row) for row in headline(r)]) + [""]
    for note in r.input_notes:
        out.append(f"> 读取说明：{md(note)}")
    if r.input_notes:
        out.append("")
    out += ["## 发现", ""]
    if not r.findings:
        out += ["未发现问题。", ""]
    for sev, codes in grouped(r):
        total = sum(len(fs) for _, fs in codes)
        out += [f"### {SEV_TITLE[sev]}：{total} 条", ""]
        for code, fs in codes:
            out += [f"#### {code} {md(code_title(code))}（{len(fs)} 处）", ""]
            for f in fs:
                out += _finding(f)
            out.append("")
    if llm_section:
        out += [llm_section.rstrip(), ""]
    else:
        out += ["> " + llm_status(r), ""]
    out += ["## 抽取的统计表（供核对）", ""]
    for title, status, blocks in all_tables(r):
        out += [f"### {title}", "", md(status), ""]
        for header, rows in blocks:
            out += _table(header, rows) + [""]
    return "\n".join(out).rstrip() + "\n"


def render_markdown(r: AuditResult) -> str:
    """The report's markdown with the LLM sections (summary, rubric) when there are any."""
    section = ""
    if r.summary or (r.rubric and not r.error):
        from .llm_markdown import render_llm_sections

        section = render_llm_sections(r)
    return render_report(r, section)
