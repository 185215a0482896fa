"""Cross-year checks (X codes): reports of one agency for consecutive years in the same batch.

Why after the batch: each check needs a pair of reports, so it can only run once every report
of the batch is audited, and it is recomputed on every run (the pairs depend on what the batch
holds; the per-report cache in batch.py stores results before this step).

Relations (../shared/notes/domain_rules.md §2):
  X001  A7: this year's 上年结转 (applications.carried_over) = last year's 结转下年度继续办理
        (applications.carried_forward), per column.
  X002  C8 (2021 format): 现行有效(Y) = 现行有效(Y−1) + 本年制发(Y) − 本年废止(Y), per row.
  X003  C4 (2019 format): 上一年项目数量(Y) = 上一年项目数量(Y−1) + 本年增/减(Y−1), per row.

A finding goes to both reports of the pair: its line and quote come from the report it is
attached to, `related` holds the evidence in the other report, and the message names that
report's file (Evidence has no file field). Quotes are taken from the re-read text and checked
verbatim, like every other finding. With an LLM, X004 (llm/followup.py) asks whether last year's listed
problems are addressed; X005 (overlap.py) measures how much of 一 and 五 is copied from last year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .models import SEVERITY_ORDER, AuditResult, Evidence, Finding
from .schema import APPLICATION_COLUMN_LABELS, APPLICATION_COLUMNS

MIN_SUFFIX_CHARS = 5  # "洪泽区人民政府" may be written "淮安市洪泽区人民政府" the next year
ROWS_2021 = {"regulations": "规章", "normative_documents": "行政规范性文件"}
ROWS_2019 = {"licensing": "行政许可", "other_services": "其他对外管理服务事项", "penalty": "行政处罚",
             "enforcement": "行政强制", "fees": "行政事业性收费"}


def normalize_agency(name: str | None) -> str:
    """Whitespace removed, nothing else: OCR confusions such as 沐/沭 are deliberately not 'fixed'."""
    return re.sub(r"\s+", "", name or "")


@dataclass
class Pair:
    prev: int  # index of last year's report
    cur: int  # index of this year's report
    codes: list[str] = field(default_factory=list)
    compared: int = 0  # relations that had values on both sides


_BARE_TOWNSHIP = re.compile(r"^[^省市县区旗州盟]{1,8}?(?:镇|乡|街道|苏木)")


def _bare_township(name: str) -> bool:
    """A township's or street's name with no county or city before it: many places share it."""
    return bool(_BARE_TOWNSHIP.match(name))


# a county-level place named in a report's text, what tells two towns of one name apart: a county
# ("姚安县", "达茂旗"; not "围绕县委"), a district after its city ("重庆市铜梁区"), a county-level city
# right before a township ("邹城市太平镇"). A prefecture ("重庆市") is no evidence: many towns share it.
_PLACE = re.compile(r"(?<![全本我该各此每])[\u4e00-\u9fff]{2}(?:县|旗)(?![委级域城直里内外])"
                    r"|(?<=市)[\u4e00-\u9fff]{2}区|[\u4e00-\u9fff]{2}市(?=[\u4e00-\u9fff]{1,4}(?:镇|乡|街道))")
# words that stand before a bare 县 in a sentence ("根据县政府…", "全年县级…"): no place's name
_NOT_A_PLACE = re.compile(r"[的和与及在对为是了省市]|^(?:根据|依据|按照|通过|落实|围绕|其中|全年|遵循|列入|结合|配合|协助|参加|组织|召开|"
                          r"印发|转发|报送|上报|依托|联合|会同|指导|推进|经过|经由|向着|面向|全面|全体|各个|所属|及时|积极|认真|报请|提请)")


def _places(path: str) -> set[str]:
    """The county-level places named in the first lines of the report at `path` (read again)."""
    from .readers import InputError, read_document

    try:
        doc = read_document(path)
    except (InputError, OSError):
        return set()
    text = "\n".join(ln.text for ln in doc.lines[:80])
    return {m.group(0) for m in _PLACE.finditer(text) if not _NOT_A_PLACE.search(m.group(0))}


def _same_town(a: AuditResult, b: AuditResult, cache: dict[str, set[str]]) -> bool:
    """Two reports of one bare township name ("太平镇人民政府") are one town's only when their texts
    name a county-level place in common (many places have a 太平镇)."""
    for r in (a, b):
        if r.file not in cache:
            cache[r.file] = _places(r.file)
    return bool(cache[a.file] & cache[b.file])


def _same_report(a: AuditResult, b: AuditResult) -> bool:
    """One report in two files (a PDF and its text extraction): same agency, year and cells."""
    return (a.facts.agency, a.facts.year, a.facts.cells) == (b.facts.agency, b.facts.year, b.facts.cells)


def match_pairs(results: list[AuditResult]) -> tuple[list[Pair], list[str]]:
    """(pairs of consecutive-year reports of one agency, notes on ambiguous matches).

    Same normalized name first; otherwise one name ending with the other (at least
    MIN_SUFFIX_CHARS long, so a bare 人民政府 never matches; and not a bare township's name, which
    many places share). Two candidates for one year are
    ambiguous and skipped with a note rather than guessed. Linear: buckets by year and name tail.
    """
    names = [normalize_agency(r.facts.agency) if not r.error else "" for r in results]
    exact: dict[tuple[int, str], list[int]] = {}
    tails: dict[tuple[int, str], list[int]] = {}
    for i, (r, n) in enumerate(zip(results, names)):
        if not n or r.facts.year is None or len(n) < MIN_SUFFIX_CHARS:
            continue
        exact.setdefault((r.facts.year, n), []).append(i)
        tails.setdefault((r.facts.year, n[-MIN_SUFFIX_CHARS:]), []).append(i)
    pairs, notes = [], []
    places: dict[str, set[str]] = {}
    for i, (r, n) in enumerate(zip(results, names)):
        if not n or r.facts.year is None or len(n) < MIN_SUFFIX_CHARS:
            continue
        cands = exact.get((r.facts.year - 1, n), [])
        if cands and _bare_township(n):
            same = [j for j in cands if _same_town(results[j], r, places)]
            if not same:
                notes.append(f"{r.file}：上一年度有同名乡镇（街道）“{n}”的报告，但正文没有共同的县市区名称，"
                             "无法确认是同一机关，未做跨年度比对")
            cands = same
        if not cands:
            # one name ending with the other: never when the shorter is a bare township or street
            # ("太平镇人民政府" ends "邹城市太平镇人民政府" and "垫江县太平镇人民政府": four towns, one name)
            cands = [j for j in tails.get((r.facts.year - 1, n[-MIN_SUFFIX_CHARS:]), [])
                     if (n.endswith(names[j]) and not _bare_township(names[j]))
                     or (names[j].endswith(n) and not _bare_township(n))]
        if len(cands) > 1 and all(_same_report(results[cands[0]], results[j]) for j in cands[1:]):
            cands = cands[:1]  # copies of one report: compare with the first
        if len(cands) == 1:
            pairs.append(Pair(prev=cands[0], cur=i))
        elif len(cands) > 1:
            files = "、".join(results[j].file for j in cands)
            notes.append(f"{r.file}：上一年度有多份同名机关的报告（{files}），未做跨年度比对")
    return pairs, notes


def _selected(code: str, select, ignore) -> bool:
    if select and not any(code.startswith(s) for s in select):
        return False
    return not (ignore and any(code.startswith(s) for s in ignore))


class _Quotes:
    """Evidence for a cell: its line and the full line as written, from the re-read report.

    Reports are re-read only when a pair actually disagrees, so a clean batch costs nothing.
    """

    def __init__(self):
        self._docs: dict[str, object] = {}

    def _doc(self, path: str):
        if path not in self._docs:
            from .readers import InputError, read_document

            try:
                self._docs[path] = read_document(path)
            except (InputError, OSError):
                self._docs[path] = None
        return self._docs[path]

    def evidence(self, r: AuditResult, key: str) -> Evidence | None:
        for t in r.tables:
            if key in t.sources:
                line, raw = t.sources[key]
                doc = self._doc(r.file)
                if doc is not None and 1 <= line <= doc.n and doc.full_quote(line):
                    return Evidence(line=line, quote=doc.full_quote(line))
                return Evidence(line=line, quote=str(raw)) if str(raw).strip() else None
        return None


def _val(r: AuditResult, key: str):
    v = r.facts.cells.get(key)
    return v if isinstance(v, (int, float)) else None


def _make(code: str, own: AuditResult, own_key: str, other: AuditResult, other_key: str, message: str,
          cells: dict, quotes: _Quotes) -> Finding | None:
    from .checks import catalogue

    ev = quotes.evidence(own, own_key)
    if ev is None:
        return None
    other_ev = quotes.evidence(other, other_key)
    return Finding(code=code, severity=catalogue()[code]["severity"], message=message, line=ev.line, quote=ev.quote,
                   cells=cells, related=[other_ev] if other_ev else [])


def _fmt_num(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def check_pair(prev: AuditResult, cur: AuditResult, quotes: _Quotes, select=None, ignore=None,
               pair: Pair | None = None) -> list[tuple[AuditResult, Finding]]:
    """Findings for one pair, each with the report it belongs to; counts comparisons on `pair`."""
    out: list[tuple[AuditResult, Finding]] = []
    pair = pair or Pair(-1, -1)
    py, cy = prev.facts.year, cur.facts.year

    def both(code, cur_key, prev_key, cur_msg, prev_msg, cells):
        f = _make(code, cur, cur_key, prev, prev_key, cur_msg, cells, quotes)
        if f:
            out.append((cur, f))
        g = _make(code, prev, prev_key, cur, cur_key, prev_msg, cells, quotes)
        if g:
            out.append((prev, g))

    if _selected("X001", select, ignore):
        diffs, cells = [], {}
        for col in APPLICATION_COLUMNS:
            a = _val(cur, f"applications.carried_over.{col}")
            b = _val(prev, f"applications.carried_forward.{col}")
            if a is None or b is None:
                continue
            pair.compared += 1
            if a == b:
                continue
            diffs.append((col, a, b))
            cells[f"{cy}:applications.carried_over.{col}"] = a
            cells[f"{py}:applications.carried_forward.{col}"] = b
        if diffs:
            col = next((d for d in diffs if d[0] == "total"), diffs[0])[0]
            text = "；".join(f"{APPLICATION_COLUMN_LABELS[c]}：{cy}年上年结转 {_fmt_num(a)}，{py}年结转下年度 {_fmt_num(b)}"
                            for c, a, b in diffs)
            both("X001", f"applications.carried_over.{col}", f"applications.carried_forward.{col}",
                 f"本年“上年结转政府信息公开申请数量”与上一年度报告（{prev.file}）的“结转下年度继续办理”不一致：{text}",
                 f"本年“结转下年度继续办理”与下一年度报告（{cur.file}）的“上年结转政府信息公开申请数量”不一致：{text}",
                 cells)

    fmt_p, fmt_c = prev.facts.format_version, cur.facts.format_version
    if fmt_p == fmt_c == "2021" and _selected("X002", select, ignore):
        for row, label in ROWS_2021.items():
            last = _val(prev, f"active.{row}.in_force")
            issued, repealed, now = (_val(cur, f"active.{row}.{c}") for c in ("issued", "repealed", "in_force"))
            if None in (last, issued, repealed, now):
                continue
            pair.compared += 1
            expected = last + issued - repealed
            if now == expected:
                continue
            text = (f"{label}：{py}年现行有效 {_fmt_num(last)} + {cy}年制发 {_fmt_num(issued)} − 废止 {_fmt_num(repealed)}"
                    f" = {_fmt_num(expected)}，但{cy}年现行有效为 {_fmt_num(now)}（差 {_fmt_num(now - expected)}）")
            cells = {f"{py}:active.{row}.in_force": last, f"{cy}:active.{row}.issued": issued,
                     f"{cy}:active.{row}.repealed": repealed, f"{cy}:active.{row}.in_force": now}
            both("X002", f"active.{row}.in_force", f"active.{row}.in_force",
                 f"现行有效件数与上一年度报告（{prev.file}）不衔接：{text}",
                 f"现行有效件数与下一年度报告（{cur.file}）不衔接：{text}", cells)

    if fmt_p == fmt_c == "2019" and _selected("X003", select, ignore):
        for row, label in ROWS_2019.items():
            now = _val(cur, f"active.{row}.previous")
            last, change = _val(prev, f"active.{row}.previous"), _val(prev, f"active.{row}.change")
            if None in (now, last, change):
                continue
            pair.compared += 1
            expected = last + change
            if now == expected:
                continue
            text = (f"{label}：{py}年上一年项目数量 {_fmt_num(last)} + 本年增/减 {_fmt_num(change)} = {_fmt_num(expected)}，"
                    f"但{cy}年上一年项目数量为 {_fmt_num(now)}")
            cells = {f"{py}:active.{row}.previous": last, f"{py}:active.{row}.change": change,
                     f"{cy}:active.{row}.previous": now}
            both("X003", f"active.{row}.previous", f"active.{row}.previous",
                 f"“上一年项目数量”与上一年度报告（{prev.file}）不衔接：{text}",
                 f"与下一年度报告（{cur.file}）的“上一年项目数量”不衔接：{text}", cells)
    return out


def apply_cross_year(results: list[AuditResult], select=None, ignore=None) -> tuple[list[Pair], list[str]]:
    """Append X findings to both reports of every matched pair; returns (pairs, notes).

    Idempotent per run because results come fresh from the audit or the cache, never twice.
    """
    pairs, notes = match_pairs(results)
    quotes = _Quotes()
    touched: set[int] = set()
    for p in pairs:
        for owner, finding in check_pair(results[p.prev], results[p.cur], quotes, select, ignore, p):
            owner.findings.append(finding)
            touched.add(id(owner))
            if finding.code not in p.codes:
                p.codes.append(finding.code)
    # 雷同/照抄 (X005, rubric R6): rule-based overlap of 一 and 五 with last year's report.
    from .overlap import apply_overlap

    apply_overlap(pairs, results, lambda r: quotes._doc(r.file), select, ignore)
    touched |= {id(results[p.cur]) for p in pairs if "X005" in p.codes}
    for r in results:
        if id(r) in touched:
            r.findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0, f.code))
    return pairs, notes
