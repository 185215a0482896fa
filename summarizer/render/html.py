"""A self-contained HTML page per report, and index.html ranking the batch.

The page shows the audit on the left and the report's own text on the right, line-numbered;
each finding links to its line (`#L12`) and the quoted lines are highlighted, the quote itself
marked. Self-contained: one file with an inline stylesheet — no scripts, external styles,
fonts or images — so it opens from a shared folder or an e-mail attachment as it is. A
Content-Security-Policy forbids anything else, as a second guard behind escaping: every value
from a report or a file name goes through escape.html().
"""

from __future__ import annotations

from ..models import AuditResult, Finding
from .common import (SEV_TITLE, all_tables, code_title, evidence_lines, grouped, headline, llm_status, location,
                     rubric_rows, score_note, summary_sections)
from .escape import html as h
from .escape import link_target
from .overview import RANKING_HEAD, Batch, ranking_cells, statistics

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
STYLE = """
body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC",SimSun,sans-serif;margin:0;color:#222;font-size:14px}
header{padding:12px 20px;border-bottom:1px solid #ddd;background:#f7f7f7}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:18px 0 8px}h3{font-size:15px;margin:14px 0 6px}
h4{font-size:14px;margin:10px 0 4px}
.wrap{display:flex;align-items:flex-start}
.audit{flex:1 1 55%;padding:8px 20px;min-width:0}
.text{flex:1 1 45%;position:sticky;top:0;max-height:100vh;overflow:auto;border-left:1px solid #ddd;
 background:#fcfcfc;font-family:SimSun,"Noto Serif CJK SC",serif}
.text ol{margin:0;padding:8px 8px 8px 4.5em}
.text li{white-space:pre-wrap;word-break:break-all;line-height:1.5}
.text li.hit{background:#fff3bf}.text li:target{outline:2px solid #e8590c}
.text .page{list-style:none;color:#888;border-top:1px dashed #bbb;margin:6px 0 2px -4em;font-size:12px}
mark{background:#ffd43b}
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ccc;padding:3px 6px;vertical-align:top}
th{background:#f0f0f0}
.error h3{color:#c92a2a}.warning h3{color:#e67700}.info h3{color:#1864ab}
.q{color:#555}.note{color:#555;font-size:13px}
"""


def _page(title: str, body: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{h(title)}</title><style>{STYLE}</style></head><body>\n{body}\n</body></html>\n")


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{h(x)}</th>" for x in header)
    body = "".join("<tr>" + "".join(f"<td>{h(x)}</td>" for x in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _where(line: int | None, text: str, linked: bool) -> str:
    if line is None or not linked:
        return h(text)
    return f'<a href="#L{int(line)}">{h(text)}</a>'


def _finding(f: Finding, linked: bool) -> str:
    src = "（大模型发现，引文已核验）" if f.source == "llm" else ""
    parts = [f"<li>{_where(f.line, location(f), linked)}：{h(f.message)}{src}",
             f'<div class="q">引文：「{h(f.quote)}」</div>']
    for e in f.related:
        parts.append(f'<div class="q">{_where(e.line, location(e), linked)}：「{h(e.quote)}」</div>')
    return "".join(parts) + "</li>"


def _marked(raw: str, quotes: list[str]) -> str:
    """The line escaped, with the first quote found in it wrapped in <mark>."""
    for q in sorted((q for q in quotes if q), key=len, reverse=True):
        at = raw.find(q)
        if at >= 0:
            return h(raw[:at]) + "<mark>" + h(q) + "</mark>" + h(raw[at + len(q):])
    return h(raw)


def _report_text(result: AuditResult, lines) -> str:
    hits: dict[int, list[str]] = {}
    for f in result.findings:
        for line, quote in evidence_lines(f):
            hits.setdefault(line, []).append(quote.strip())
    out = ['<ol class="lines">']
    page = None
    for ln in lines:
        if ln.page is not None and ln.page != page:
            page = ln.page
            out.append(f'<li class="page" aria-hidden="true">第{page}页</li>')
        cls = ' class="hit"' if ln.no in hits else ""
        body = _marked(ln.raw, hits[ln.no]) if ln.no in hits else h(ln.raw)
        out.append(f'<li id="L{ln.no}" value="{ln.no}"{cls}>{body}</li>')
    out.append("</ol>")
    return "".join(out)


def render_html(result: AuditResult, lines=None) -> str:
    """The page for one report; `lines` are the document's lines (without them, no text pane)."""
    if result.error:
        body = f"<header><h1>无法审查：{h(result.file)}</h1></header><div class=\"audit\"><p>{h(result.error)}</p></div>"
        return _page(f"无法审查：{result.file}", body)
    linked = bool(lines)
    title = result.facts.title or result.facts.agency or result.file
    a = [_table(["项目", "内容"], [list(row) for row in headline(result)])]
    for note in result.input_notes:
        a.append(f'<p class="note">读取说明：{h(note)}</p>')
    a.append("<h2>发现</h2>")
    if not result.findings:
        a.append("<p>未发现问题。</p>")
    for sev, codes in grouped(result):
        total = sum(len(fs) for _, fs in codes)
        a.append(f'<section class="{sev}"><h3>{h(SEV_TITLE[sev])}：{total} 条</h3>')
        for code, fs in codes:
            a.append(f"<h4>{h(code)} {h(code_title(code))}（{len(fs)} 处）</h4><ul>")
            a += [_finding(f, linked) for f in fs]
            a.append("</ul>")
        a.append("</section>")
    a.append(f'<p class="note">{h(llm_status(result))}</p>')
    for note in result.llm.notes:
        a.append(f'<p class="note">{h(note)}</p>')
    for heading, items in summary_sections(result):
        a.append(f"<h3>摘要：{h(heading)}</h3><ul>")
        a += [f"<li>{h(text)}（{_where(line, f'第{line}行', linked)}：“{h(quote)}”）</li>" for text, line, quote in items]
        a.append("</ul>" if items else "<li>（无可核验的条目）</li></ul>")
    if result.rubric:
        a.append(f"<h2>评分：{h(score_note(result))}</h2>")
        a.append(_table(["编号", "指标", "方式", "得分", "满分", "说明"], rubric_rows(result)))
    a.append("<h2>抽取的统计表（供核对）</h2>")
    for t_title, status, blocks in all_tables(result):
        a.append(f"<h3>{h(t_title)}</h3><p class=\"note\">{h(status)}</p>")
        a += [_table(head, rows) for head, rows in blocks]
    text = _report_text(result, lines) if lines else '<p class="note">（报告原文不可用）</p>'
    body = (f"<header><h1>年报审查：{h(title)}</h1><div class=\"note\">文件：{h(result.file)}</div></header>"
            f"<div class=\"wrap\"><main class=\"audit\">{''.join(a)}</main>"
            f"<aside class=\"text\" aria-label=\"报告原文\">{text}</aside></div>")
    return _page(f"年报审查：{title}", body)


def index_html(batch: Batch) -> str:
    """index.html: the batch ranked, each report linked to its page; files not audited; counts."""
    rows = []
    for row in batch.rows:
        link = f'<a href="{h(link_target(row.name))}">{h(row.label)}</a>'
        if row.result.error:
            rows.append(f"<tr><td>{row.rank}</td><td>{link}</td><td colspan=\"8\">无法审查：{h(row.result.error)}</td></tr>")
            continue
        cells = "".join(f"<td>{h(x)}</td>" for x in ranking_cells(row.result))
        rows.append(f"<tr><td>{row.rank}</td><td>{link}</td>{cells}</tr>")
    head = "".join(f"<th>{x}</th>" for x in RANKING_HEAD)
    parts = ["<header><h1>批量审查总览</h1>", f"<div class=\"note\">{h(batch.summary_line())}</div></header>",
             "<main class=\"audit\">", f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"]
    if batch.skipped:
        parts.append("<h2>未审查的文件</h2>")
        parts.append(_table(["文件", "原因与处理"], [[s.rel, s.reason] for s in batch.skipped]))
    stats = statistics(batch.results)
    if stats:
        parts.append("<h2>按代码统计</h2>")
        parts.append(_table(["代码", "级别", "标题", "发现数", "涉及报告数"],
                            [[e["code"], e["severity"], e["title"], e["findings"], e["reports"]] for e in stats]))
    for note in batch.notes:
        parts.append(f'<p class="note">注：{h(note)}</p>')
    parts.append("</main>")
    return _page("批量审查总览", "".join(parts))
