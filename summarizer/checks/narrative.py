"""N and rule-decidable Q checks: the narrative against the tables and against itself.

The narrative is every line outside the table region (sections 二–四). Patterns are strict on
purpose: a rule that fires only on unambiguous phrasing is worth more to a reviewer than one
that guesses; the LLM layer (N005) handles paraphrase.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterator

from .. import pattern_cache
from ..numbers import NUM_TOKEN, UNIT_GAP, parse_number
from ..paragraphs import Paragraph, paragraphs
from ..schema import APPLICATION_COLUMNS
from . import Context, check

_CLAUSE = r"[^。；;，,\d]"


def _same(n, value) -> bool:
    """A prose number agrees with a figure within the writer's rounding (2.17万 ≈ 21,734)."""
    return n.matches(value) if hasattr(n, "matches") else n == value


# A year that dates what follows it ("2022年，我镇共制定…"); not one compared with ("较2022年",
# "与2022年相比", "同比2022年") nor part of a longer date or number.
_DATING_YEAR = pattern_cache.compile(r"(?<![较比与同和及对\d])((?:19|20)\d{2})\s*年(?!度?(?:报告|年报))")
_SENTENCE_ENDS = "。；;！？!?\n"


def about_another_year(text: str, start: int, year: int | None) -> bool:
    """Whether the claim at `start` sits in a sentence dated, before the claim, to a year other
    than the report's ("2022年，西柳镇共制定规范性文件0件" in a report on 2023). Such a figure is
    not this year's: comparing it with this year's table would be a false contradiction (the
    sentence may itself be a leftover of last year's text, which is P005's concern, not N's)."""
    if year is None:
        return False
    begin = max(text.rfind(ch, 0, start) for ch in _SENTENCE_ENDS) + 1
    years = [int(m.group(1)) for m in _DATING_YEAR.finditer(text, begin, start)]
    return bool(years) and years[-1] != year


def narrative_lines(ctx: Context) -> Iterator[int]:
    """Line numbers of narrative text: before section 二 and from section 五 on."""
    secs = {s.number: s for s in ctx.facts.sections}
    table_lines = [secs[n].line for n in (2, 3, 4) if n in secs]
    start = min(table_lines) if table_lines else None
    stops = [s.line for s in ctx.facts.sections if s.number >= 5 and (start is None or s.line > start)]
    end = min(stops) if stops else None
    for ln in ctx.doc.lines:
        if start is not None and start <= ln.no and (end is None or ln.no < end):
            if ln.no != start or len(ln.text) < 200:  # flattened text keeps everything on one line
                continue
        if ln.text.strip():
            yield ln.no


def narrative_paras(ctx: Context) -> list[Paragraph]:
    """Narrative lines joined into paragraphs where the text was hard-wrapped."""
    cached = getattr(ctx, "_paras", None)
    if cached is None:
        cached = paragraphs(ctx.doc, narrative_lines(ctx))
        ctx._paras = cached  # type: ignore[attr-defined]
    return cached


def _section_lines(ctx: Context, number: int) -> list[int]:
    sec = next((s for s in ctx.facts.sections if s.number == number), None)
    if sec is None:
        return []
    return list(range(sec.line, sec.end_line + 1))


_QUOTES_OPEN = "“\"「『"
_CN_NUMERAL_CHARS = "一二两三四五六七八九十"


def in_slogan(text: str, start: int, end: int) -> bool:
    """A number that is part of a name, not a count: inside quotes ("“三个一”工作机制") or run on into
    another numeral ("三个一", "一网通办")."""
    before = text[max(0, start - 12):start]
    opened = max(before.rfind(q) for q in _QUOTES_OPEN)
    if opened >= 0 and "”" not in before[opened:] and "」" not in before[opened:]:
        return True
    return end < len(text) and text[end] in _CN_NUMERAL_CHARS


# ---------------------------------------------------------------- N001 applications received

_RECEIVED = [
    pattern_cache.compile(rf"(?:收到|受理|接收|接到|新收)(?:{_CLAUSE}{{0,20}}?)(?:申请|依申请公开)(?:{_CLAUSE}{{0,12}}?)(?P<n>{NUM_TOKEN}){UNIT_GAP}(?:件|个|份|宗|条)"),  # 条: "受理依申请公开信息56条"
    pattern_cache.compile(rf"(?:收到|受理|接收|接到|新收)(?:{_CLAUSE}{{0,8}}?)(?P<n>{NUM_TOKEN}){UNIT_GAP}件(?:{_CLAUSE}{{0,8}}?)申请"),
]
_RECEIVED_NONE = pattern_cache.compile(r"(?:未|没有)(?:收到|受理|接到|接收)(?:[^。；;，,]{0,20}?)(?:申请|依申请公开)")
# a count of one channel ("收到群众网上申请105件，快递17件，合计122件"): a part, not the total received
_BY_CHANNEL = pattern_cache.compile(r"网上|网络|在线|线上|快递|信函|邮寄|邮政|当面|现场|窗口|传真|电子邮件|邮件|网站|平台|电话|书面|口头")
# "91件（另有2件…）": more of the same right after the count
_MORE_AFTER = pattern_cache.compile(rf"\s*[（(，,]?\s*另有?\s*(?P<n>{NUM_TOKEN}){UNIT_GAP}件")
_CLAUSE_REST = pattern_cache.compile(r"[^。；;，,]{0,20}")
# an application that caused something else ("因…申请引起/引发/提起的"), not an application received
_CAUSED_BY = pattern_cache.compile(r"因[^。；;，,]{0,16}?申请|申请(?:而)?(?:引起|引发|提起|导致|产生)")
_NOT_RECEIVED_CONTEXT = pattern_cache.compile(r"结转|办结|答复|办理完毕|上年")
# other kinds of application a body counts in the same paragraph ("未收到行政许可申请", "受理行政复议申请1件")
_OTHER_APPLICATION = pattern_cache.compile(r"许可|审批|复议|诉讼|提案|建议|信访|投诉|举报|政务服务|办件|听证|赔偿|仲裁|登记|备案|"
                                           r"补贴|救助|低保|报名|职称|资格|项目|专利|商标|落户")


# applicants of one kind ("未收到法人或者其他组织…的申请", "受理自然人申请5件"): their columns, not the total
_PERSONS = pattern_cache.compile(r"自然人|公民|个人|群众")
_ORGANIZATIONS = pattern_cache.compile(r"法人|其他组织|企业|社会组织|律师")
# a time limit, not a count ("自收到申请之日起20个工作日内予以答复", 条例第三十三条)
_TIME_LIMIT = pattern_cache.compile(r"\s*(?:工作日|日|天|个?月|小时|周)")


def _one_kind_of_applicant(span: str) -> bool:
    """The words name applicants of one kind only (natural persons, or organizations): a count of
    their columns, not of all applications ("公民、法人和其他组织" names both: all of them)."""
    return bool(_PERSONS.search(span)) != bool(_ORGANIZATIONS.search(span))


@check("N001")
def received_count(ctx: Context):
    table = ctx.cells.get("applications.new.total")
    if table is None:
        return
    carried = ctx.cells.get("applications.carried_over.total") or 0
    for para in narrative_paras(ctx):
        text = para.text
        claims: list[tuple[int | float, int, int]] = []
        for m in _RECEIVED_NONE.finditer(text):
            # "未收到因政府信息公开申请引起的行政诉讼": the clause goes on past 申请 to what was not received
            clause = m.group(0) + _CLAUSE_REST.match(text, m.end()).group(0)
            if not _OTHER_APPLICATION.search(m.group(0)) and not _CAUSED_BY.search(clause) \
                    and not _one_kind_of_applicant(m.group(0)) and not _BY_CHANNEL.search(m.group(0)):
                claims.append((0, m.start(), m.end()))
        for pat in _RECEIVED:
            for m in pat.finditer(text):
                span = text[m.start(): m.end()]
                if _NOT_RECEIVED_CONTEXT.search(span) or _OTHER_APPLICATION.search(span) or \
                        in_slogan(text, m.start("n"), m.end()) or _BY_CHANNEL.search(span) or \
                        _one_kind_of_applicant(text[m.start():m.start("n")]) or _TIME_LIMIT.match(text, m.end()) \
                        or "之日" in span:
                    continue
                n = parse_number(m.group("n"))
                if n is not None:
                    claims.append((n, m.start(), m.end()))
        for n, s, e in claims:
            if _same(n, table) or (carried and _same(n, table + carried)) or about_another_year(text, s, ctx.facts.year):
                continue
            more = _MORE_AFTER.match(text, e)
            if more and (m_n := parse_number(more.group("n"))) is not None and _same(n + m_n, table):
                continue  # "受理申请91件（另有2件结转下年度）": the count given is part of the new ones
            yield ctx.finding("N001", f"正文说收到政府信息公开申请{n:g}件，但表三“一、本年新收政府信息公开申请数量”总计为{table:g}"
                                      f"（相差{abs(n - table):g}）。", *para.evidence(ctx.doc, s, e),
                              cells={"applications.new.total": table},
                              related=[e for e in (ctx.cell_evidence("applications.new.total"),) if e])
            return


# ---------------------------------------------------------------- N002 review / litigation

# none of them: 未 / 没有 / 无 (a 无 that opens the clause: "无因政府信息公开申请行政复议…"); never 未经
# ("未经复议直接起诉": a kind of suit)
_NONE = r"(?:未(?!经)|没有|无(?=因|涉及|发生|行政复议|政府信息))"
_NONE_BOTH = pattern_cache.compile(_NONE + r"(?:发生|出现|涉及|产生|收到)?[^。；;，,]{0,12}?(?:行政复议(?:和|及|、|或者?)(?:提起|被提起|引起|引发)?(?:行政)?诉讼|复议(?:和|及|、|或)诉讼)")
_NONE_LITIGATION = pattern_cache.compile(_NONE + r"(?:发生|出现|产生)?(?:涉诉|行政诉讼|被诉)")
# none of the reviews alone ("未发生因政府信息公开申请提起的行政复议案件"); a clause naming suits too is
# _NONE_BOTH's
_NONE_REVIEW = pattern_cache.compile(_NONE + r"(?:发生|出现|涉及|产生|收到)?[^。；;，,]{0,16}?行政复议(?:案件|申请)?(?![^。；;，,]{0,8}诉讼)")
_REVIEW = pattern_cache.compile(rf"行政复议(?:案件|申请)?(?:{_CLAUSE}{{0,4}}?)(?P<n>{NUM_TOKEN}){UNIT_GAP}(?:件|起|宗|个)")
_SUIT = pattern_cache.compile(rf"行政诉讼(?:案件)?(?:{_CLAUSE}{{0,4}}?)(?P<n>{NUM_TOKEN}){UNIT_GAP}(?:件|起|宗|个)")


# outcomes qualifying the cases: none lost, not none at all
_QUALIFIED = pattern_cache.compile(r"纠错|纠正|败诉|撤销|违法")
# a count of documents or people, not of cases ("行政复议决定书20件", "行政复议人员3个")
_NOT_A_CASE_COUNT = pattern_cache.compile(r"书|决定|人员|培训|意见|建议")
# the body receiving or deciding reviews as the review body (a 司法局, a government): its work, not
# reviews of its disclosure — unless the sentence speaks of 信息公开
_AS_REVIEW_BODY = pattern_cache.compile(r"(?:收到|受理|办理|审理|审结|办结|接收|接到|新收)[^。；;，,]{0,4}$")


# an outcome just before the count's words: a subset of the cases
_OUTCOME_BEFORE = pattern_cache.compile(r"(?:尚未审结|未审结|未结|审理中|在审|维持|纠正|纠错|撤销|败诉|胜诉)[^。；;，,]{0,2}$")


@check("N002")
def review_and_litigation(ctx: Context):
    review = ctx.cells.get("litigation.review.total")
    direct = ctx.cells.get("litigation.direct.total")
    after = ctx.cells.get("litigation.after_review.total")
    suits = None if direct is None or after is None else direct + after
    for para in narrative_paras(ctx):
        text = para.text
        claims: list[tuple[str, int | float, int, int]] = []
        for m in _NONE_BOTH.finditer(text):
            if m.start() > 0 and text[m.start() - 1] == "尚":
                continue  # "尚未审结的行政复议和行政诉讼案件各1件": cases not yet decided, not none
            if _QUALIFIED.search(m.group(0)):
                continue  # "未发生被纠错的行政复议和行政诉讼": none lost, not none at all
            claims += [("review", 0, m.start(), m.end()), ("suit", 0, m.start(), m.end())]
        for m in _NONE_LITIGATION.finditer(text):
            claims.append(("suit", 0, m.start(), m.end()))
        for m in _NONE_REVIEW.finditer(text):
            if (m.start() > 0 and text[m.start() - 1] == "尚") or _QUALIFIED.search(m.group(0)) \
                    or "诉讼" in text[max(0, m.start() - 12):m.start()]:
                continue  # not yet decided; none lost; "行政诉讼和未…": the clause is about suits too
            claims.append(("review", 0, m.start(), m.end()))
        for kind, pat in (("review", _REVIEW), ("suit", _SUIT)):
            for m in pat.finditer(text):
                if _OUTCOME_BEFORE.search(text[max(0, m.start() - 8):m.start()]):
                    continue  # "尚未审结行政复议0件", "维持行政复议2件": the cases of one outcome, not all of them
                if _NOT_A_CASE_COUNT.search(m.group(0)) or _AS_REVIEW_BODY.search(text[max(0, m.start() - 8):m.start()]) \
                        and "信息公开" not in text[:m.start()].rsplit("。", 1)[-1]:
                    continue  # "行政复议决定书20件"; "收到行政复议申请150件" (the body decides reviews)
                n = parse_number(m.group("n"))
                if n is not None:
                    claims.append((kind, n, m.start(), m.end()))
        for kind, n, s, e in claims:
            if about_another_year(text, s, ctx.facts.year):
                continue
            if kind == "review" and review is not None and not _same(n, review):
                yield ctx.finding("N002", f"正文说行政复议{n:g}件，但表四“行政复议·总计”为{review:g}（相差{abs(n - review):g}）。",
                                  *para.evidence(ctx.doc, s, e), cells={"litigation.review.total": review},
                                  related=[x for x in (ctx.cell_evidence("litigation.review.total"),) if x])
                return
            if kind == "suit" and suits is not None and not _same(n, suits):
                yield ctx.finding("N002", f"正文说行政诉讼{n:g}件，但表四“未经复议直接起诉·总计”{direct:g} + “复议后起诉·总计”{after:g}"
                                          f" = {suits:g}（相差{abs(n - suits):g}）。", *para.evidence(ctx.doc, s, e),
                                  cells={"litigation.direct.total": direct, "litigation.after_review.total": after},
                                  related=[x for x in (ctx.cell_evidence("litigation.direct.total"),) if x])
                return


# ---------------------------------------------------------------- N003 enumerations

@check("N003")
def enumeration_sums(ctx: Context):
    from ..enumerations import find_enumerations

    for para in narrative_paras(ctx):
        for en in find_enumerations(para.text):
            if not en.contradicts():
                continue
            total, s = en.total, en.parts_sum
            yield ctx.finding("N003", f"正文称共{total.value:g}{en.unit}，但列举的分项之和为"
                                      f"{'+'.join(f'{p.value:g}' for p in en.parts)} = {s:g}（相差{s - float(total):g}）。",
                              *para.evidence(ctx.doc, en.start, en.end))


# ---------------------------------------------------------------- N004 normative documents

# "公开/发布…规范性文件N件" counts what was published, which may include other bodies' or earlier
# documents: compared only with the 2019 table's 本年新公开数量, never with a count of documents made
_NORMATIVE = pattern_cache.compile(rf"(?P<verb>制发|印发|出台|制定|新制作|发布|公开)(?:了)?(?:{_CLAUSE}{{0,6}}?)(?:行政)?规范性文件(?:共)?\s*(?P<n>{NUM_TOKEN}){UNIT_GAP}(?:件|份|个|部)")


# none made: "本年度未制发行政规范性文件", "没有出台新的规范性文件" (a kind of them, "未制定涉企规范性文件",
# is not none at all: only "任何"/"新" may stand between)
_NORMATIVE_NONE = pattern_cache.compile(r"(?:未|没有)(?:制发|印发|出台|制定|新制作)(?:了)?(?:任何|新的?)?(?:行政)?规范性文件(?![^。；;，,]{0,8}?(?:清理|废止|修订))")


@check("N004")
def normative_documents(ctx: Context):
    made = "active.normative_documents.issued" if ctx.fmt == "2021" else "active.normative_documents.new_made"
    published = None if ctx.fmt == "2021" else "active.normative_documents.new_published"
    if ctx.cells.get(made) is None and (published is None or ctx.cells.get(published) is None):
        return
    for para in narrative_paras(ctx):
        text = para.text
        claims = [(m, "制发" if m.group("verb") not in ("发布", "公开") else m.group("verb"), parse_number(m.group("n")))
                  for m in _NORMATIVE.finditer(text)]
        claims += [(m, "制发", 0) for m in _NORMATIVE_NONE.finditer(text)]
        for m, verb_word, n in sorted(claims, key=lambda c: c[0].start()):
            if re.search(r"累计|现行|清理|废止", text[max(0, m.start() - 6): m.end()]) or \
                    about_another_year(text, m.start(), ctx.facts.year):
                continue
            key = published if verb_word in ("发布", "公开") else made
            table = ctx.cells.get(key) if key else None
            if table is None:
                continue
            if n is not None and not _same(n, table):
                verb = "公开" if key == published else "制发"
                yield ctx.finding("N004", f"正文说{verb}（行政）规范性文件{n:g}件，但表二“{ctx.label(key)}”为{table:g}。",
                                  *para.evidence(ctx.doc, m.start(), m.end()), cells={key: table},
                                  related=[x for x in (ctx.cell_evidence(key),) if x])
                return


# ---------------------------------------------------------------- N006 blanks where a number belongs

# (a template's x left in: "共受理申请x件", "发布信息XX条")
_BLANK_NUMBER = pattern_cache.compile(r"(?:公开|收到|受理|发布|办理|答复|制发)[^。；;，,\d]{0,12}?[^\d\sA-Za-z]"
                                      r"( {2,}|\s*[×＿_]{2,}\s*|\s*[xX×]{1,4}\s*)(?:条|件|个|篇)")


@check("N006")
def blank_numbers(ctx: Context):
    for para in narrative_paras(ctx):
        text = para.text
        m = _BLANK_NUMBER.search(text)
        if m:
            yield ctx.finding("N006", "正文在应填数字的位置留空（疑为模板未填写完整）。", *para.evidence(ctx.doc, m.start(), m.end()))


# ---------------------------------------------------------------- Q004 / Q005

@check("Q004")
def information_fee(ctx: Context):
    if ctx.facts.format_version != "2021" and (ctx.facts.year or 0) < 2021:
        return
    spans = ctx.section_spans(6)
    if not spans:
        return  # S001 reports the missing section
    if re.search(r"处理费|收费|收取[^。]{0,24}费|免费|處理費|收費", ctx.section_text(6)):
        return  # "未收取信息处理费", "未发生收费情况", "依申请提供政府信息均免费", "未向申请人收取任何…费用"
    elsewhere = next((ln.no for ln in ctx.doc.lines if "信息处理费" in ln.text), None)
    line, a, b = spans[0]
    note = f"（第{elsewhere}行在其他部分提到了信息处理费）" if elsewhere else ""
    yield ctx.finding("Q004", f"第六部分“其他需要报告的事项”没有说明是否收取信息处理费{note}。", line,
                      ctx.doc.quote(line, a, min(b, a + 60)).strip())


_ASPECTS = {
    # "主动公开…", and "主动在门户网站公开…" / "主动通过政务新媒体发布…"
    # "主动公开…", "主动在门户网站公开…", "主动加强政务公开", and a count of what was published
    # ("通过政府门户网站共发布信息18篇"); traditional characters too
    "主动公开": pattern_cache.compile(r"主[动動][^。；;]{0,16}?(?:公开|公開|发布|發布|公示)"
                                  r"|(?:公开|公開|发布|發布)[^。；;]{0,20}?(?:信息|資訊)[^。；;\d]{0,6}?\d+\s*[条條篇]"
                                  r"|(?<![申请請])(?:公开|公開)[^。；;]{0,20}?政府信息|(?<![申请請])(?:公开|公開)[^。；;]{0,40}?\d+\s*[件条條篇]"),
    "依申请公开": pattern_cache.compile(r"依申请|公开申请|申请公开"),
    "政府信息管理": pattern_cache.compile(r"信息管理|信息公开管理|信息资源管理|资源管理|管理情况|审核|审查|审签|三审|目录|动态调整|清理"),
    "平台建设": pattern_cache.compile(r"平台|网站|新媒体|公众号|公开栏|门户"),
    "监督保障": pattern_cache.compile(r"监督|保障|考核|培训|评议|责任追究|问责|领导小组|督查|督导|督促"),
}


@check("Q005")
def overview_aspects(ctx: Context):
    spans = ctx.section_spans(1)
    if not spans:
        return
    text = ctx.section_text(1)
    missing = [name for name, pat in _ASPECTS.items() if not pat.search(text)]
    if missing:
        line, a, b = spans[0]
        yield ctx.finding("Q005", f"总体情况没有涉及：{'、'.join(missing)}（应涵盖主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面）。",
                          line, ctx.doc.quote(line, a, min(b, a + 60)).strip())


@check("N007")
def injection_attempts(ctx: Context):
    """Lines addressed to a model rather than the public: shown to the reviewer even without an LLM."""
    from ..injection import injection_lines

    lines = injection_lines(ctx.doc)
    if lines:
        first = lines[0]
        more = f"（另有第{'、'.join(str(n) for n in lines[1:6])}行）" if len(lines) > 1 else ""
        yield ctx.finding("N007", f"第{first}行含有面向大模型或自动审查程序的指令，疑似提示注入{more}；"
                                  f"这些内容不会送给大模型，也不会出现在摘要或评分中。", first, ctx.doc.full_quote(first))


# ---------------------------------------------------------------- N008 outcomes and carry-forward

_N = rf"({NUM_TOKEN}){UNIT_GAP}件"
# A count right after an outcome's words: compiled once for all of them. Each outcome's words are
# searched alone (literal-led, quick to compile and to run) and the count matched where they end —
# the same matches as one regex per outcome with the count inside, without compiling the number
# pattern six more times at every start (tests/test_fast_paths.py compares the two).
# a closing quote may stand between ("“部分公开”36件")
_CLOSE_QUOTE = r"[”\"」』]?"
_COUNT_AFTER = pattern_cache.compile(rf"{_CLOSE_QUOTE}\s*{_N}")
_OUTCOMES = (
    ("予以公开及部分公开", r"予以公开(?:及|和|、|与|或|或者|和?/)部分公开(?:答复)?(?:的)?", ("granted", "partial")),
    # (not "不同意公开" / "不予以公开": refusals, under 不予公开)
    ("予以公开", r"(?<![及和不])(?:予以公开|同意公开)(?![及和、与或/]部分公开)(?:答复)?(?:的)?", ("granted",)),
    ("部分公开", r"(?<![及和、与或者/])部分公开(?:答复)?(?:的)?", ("partial",)),
    ("不予公开", r"(?:不予以?公开|不同意公开)(?:答复)?(?:的)?", tuple(f"withheld_{i}" for i in range(1, 9))),
    ("无法提供", r"无法提供(?:答复)?(?:的)?", tuple(f"unable_{i}" for i in range(1, 4))),
    ("不予处理", r"不予处理(?:答复)?(?:的)?", tuple(f"rejected_{i}" for i in range(1, 6))),
)
_OUTCOME_WORDS = tuple((name, pattern_cache.compile(words), rows) for name, words, rows in _OUTCOMES)
# carried forward: the count may also come first ("3件结转下年度办理")
# The next year may be named ("结转至2025年度办理3件"): a carry-forward only when it is the year after
# the report's (outcome_claims is told the report's year).
_NEXT_YEAR = r"(?:下一?年度?|(?P<y1>20\d\d)\s*年度?)"
_CARRIED = ("结转下年度", pattern_cache.compile(
    rf"(?:结转|转结)(?:至|到)?{_NEXT_YEAR}(?:继续)?(?:办理)?\s*(?P<n1>{NUM_TOKEN}){UNIT_GAP}件"
    rf"|(?P<n2>{NUM_TOKEN}){UNIT_GAP}件(?:申请)?(?:结转|转结)(?:至|到)?{_NEXT_YEAR.replace('y1', 'y2')}"),
            ("carried_forward",))


def _row_sum(ctx: Context, row: str) -> int | float | None:
    """A row of table 三 whose 总计 cell is blank: the sum of its six applicant cells when every one
    of them is filled (the 总计 is that sum by definition), else None."""
    parts = [ctx.cells.get(f"applications.{row}.{col}") for col in APPLICATION_COLUMNS if col != "total"]
    return None if any(v is None for v in parts) else sum(parts)


def outcome_claims(text: str, year: int | None = None) -> Iterator[tuple[str, tuple[str, ...], str, int, int]]:
    """(outcome, its rows in 表三, the count as written, start, end) for each count the text gives;
    a carry-forward "to" a named year counts only when that year follows the report's `year`."""
    for name, words, rows in _OUTCOME_WORDS:
        for w in words.finditer(text):
            m = _COUNT_AFTER.match(text, w.end())
            if m:
                yield name, rows, m.group(1), w.start(), m.end()
    name, pat, rows = _CARRIED
    for m in pat.finditer(text):
        named = m.group("y1") or m.group("y2")
        if named and (year is None or int(named) != year + 1):
            continue
        yield name, rows, m.group("n1") or m.group("n2"), m.start(), m.end()


# outcomes of the applications carried over from last year only
_CARRIED_SCOPE = pattern_cache.compile(r"上年结转|上年度结转|结转上年")
# outcomes of other things than applications: documents' publicity attribute, proposals, secrecy review
_OTHER_OUTCOMES = pattern_cache.compile(r"公文|发文|文件|公开属性|保密审查|建议|提案|议案|代表|委员")


@check("N008")
def outcome_counts(ctx: Context):
    for para in narrative_paras(ctx):
        text = para.text
        if "件" not in text:
            continue
        claims = list(outcome_claims(text, ctx.facts.year))
        times = Counter(name for name, *_ in claims)
        for name, rows, written, start, end in claims:
            n = parse_number(written)
            if about_another_year(text, start, ctx.facts.year):
                continue
            sentence = re.split(r"[。；;\n]", text[:start])[-1]
            if _OTHER_OUTCOMES.search(sentence):
                continue  # documents' publicity ("制发公文120件，其中…不予公开30件"), proposals, secrecy review
            if times[name] > 1 or (name != _CARRIED[0] and _CARRIED_SCOPE.search(re.sub(r"[（(][^（()）]*[)）]", "", sentence))):
                # "新收…17件，予以公开13件…；上年结转1件，予以公开1件": counts of the new and the carried-over
                # applications apart, not the year's total
                continue
            keys = [f"applications.{r}.total" for r in rows]
            vals = [ctx.cells.get(k) if ctx.cells.get(k) is not None else _row_sum(ctx, r) for k, r in zip(keys, rows)]
            if n is None or any(v is None for v in vals):
                continue  # row missing or blank: S005/S006 say so
            table = sum(vals)
            if _same(n, table):
                continue
            rows_txt = "、".join(ctx.label(k).split("·")[0] for k in keys[:3]) + ("等" if len(keys) > 3 else "")
            yield ctx.finding("N008", f"正文说{name}{n:g}件，但表三“{rows_txt}”的总计{'之和' if len(keys) > 1 else ''}为"
                                      f"{table:g}（相差{abs(n - table):g}）。", *para.evidence(ctx.doc, start, end),
                              cells=dict(zip(keys, vals)))
