"""Title, issuing agency and report year from the top of a report.

Where officials (and web pages) put the agency, in the order trusted here:
  1. the title: "<agency>2020年政府信息公开工作年度报告", the agency on the line(s) above it, or a
     title broken over two lines anywhere;
  2. (segment.py) the signature at the end;
  3. the preamble or body: "本报告由××局编制", "××局根据《条例》…";
  4. the page's metadata table: "发布机构 | ××局", "发布机构：××局", "名称：××区商务局" (the field
     name is never part of the agency; junk values such as "1" or an empty field are skipped).
Navigation text (您当前的位置：首页 » …, 公开方式, 文号, 标题, share/print widgets) is never an agency.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from . import pattern_cache
from .document import Document, Line, without_spacing
from .models import Facts
from .numbers import cn_to_int

AGENCY_TAIL = pattern_cache.compile(r"(人民政府|政府|政府办公室|办公厅|办公室|委员会|管委会|管理委员会|部门|部|机关|局|委|厅|署|中心|院|办|所|街道|街道办事处|"
                         r"街|镇|乡|苏木|嘎查|区|县|市|站|队|馆|会|室|海关|场|园|大学|学校|办事处|(?<![此各之何到])处|公司|集团|银行)$")  # 街: Tianjin's street-level bodies; 室: 参事室, 研究室; 场: 农场, 林场, 园艺场; 园: 高科园, 产业园
NAVIGATION = pattern_cache.compile(r">|》|»|标题|当前位置|您的位置|所在位置|首页|公开方式|文号|浏览次数|分享|打印|关闭|字体|索引号|"
                        r"发布时间|发布日期|网站|门户|栏目|来源|链接|智能问答|新媒体矩阵|官方微信|官方微博|长者版|无障碍|适老|关怀版|设为首页|加入收藏|^正文$|"
                        r"内容区域|[Tt][Aa][Bb]\s*[键按]|切换浏览|读屏|语音播报|放大|缩小|统一编号|^发布单位$|^公布日期$|搜索|请输入|检索")
_YEAR = r"\d{4}|[〇○零一二三四五六七八九]{4}"
# the year that opens a title ("2023年度政府信息公开…", "二〇二二年政府信息公开…")
_TITLE_YEAR = pattern_cache.compile(rf"(?:{_YEAR})\s*年\s*度?[^，。,]{{0,40}}?信息公开")
_TITLE_FULL = pattern_cache.compile(rf"^(?P<pre>.*?)(?<!\d)(?P<year>{_YEAR})\s*(?:年\s*度?|(?=(?:政府|政务)信息公开|政务公开))\s*(?P<mid>[^，。,]{{0,40}}?)\s*(?:(?:政府|政务)?\s*信息公开|政务\s*公开)\s*"
                         r"(?:工作)?\s*(?:开展)?\s*(?:情\s*况)?\s*(?:的\s*)?(?:年\s*度?\s*(?:工\s*作\s*)?(?:报\s*告|年\s*报)|年\s*报)|^(?P<pre2>.*?)(?<!\d)(?P<year2>" + _YEAR
                         + r")\s*(?:年\s*度?|(?=(?:政府|政务)信息公开))\s*(?P<mid2>[^，。,]{0,40}?)\s*(?:(?:政府|政务)?\s*信息公开|政务\s*公开)\s*(?:工作)?\s*(?:开展)?\s*(?:情\s*况)?\s*(?:的\s*)?报\s*告")
# the two halves of a title broken over a blank line: the first ends at its year or mid-phrase,
# the second goes on with the report's name
_TITLE_HEAD = pattern_cache.compile(rf"(?:{_YEAR})\s*(?:年\s*度?)?$|(?:政府|政务)信息$")
_TITLE_TAIL = pattern_cache.compile(r"(?:年\s*度?|度)?\s*(?:(?:政府|政务)?信息)?公开[^。，,]{0,12}报\s*告")
_FIELD = pattern_cache.compile(r"(?:^|\|)\s*(?:[-•·*]\s*)?(?:发布机构|发文机关|发文单位|发布单位|公开主体|信息公开主体|名\s*称)\s*"
                              r"(?:[:：|]\s*){1,2}(?P<v>[^|:：]+?)\s*(?=\||$|\s+[\u4e00-\u9fff]{2,6}\s*[:：])")
_PREAMBLE = (
    r"本(?:年度)?报告由(?P<a>[\u4e00-\u9fff（）()]{4,40}?)(?:根据|依据|按照|编制|负责|制作|发布|编写)",
    r"本(?:年度)?(?:报告|年报)[^。]{0,120}?由(?P<a>[\u4e00-\u9fff（）()]{4,40}?)(?:负责|组织|汇总|牵头)?(?:编制|编写|制作)",
    r"由(?P<a>[\u4e00-\u9fff（）()]{2,40}?(?:局|委|办|厅|院|室|中心|政府|委员会|管委会|办事处|镇|乡|街道))(?:负责|组织|汇总|牵头)(?:编制|编写)",
    r"由(?P<a>[\u4e00-\u9fff（）()]{2,40}?(?:局|委|办|厅|院|室|中心|政府|委员会|管委会|办事处|镇|乡|街道))"
    r"(?:围绕|结合|根据|依据|按照|综合|汇总)[^。]{0,60}?(?:编制|编写)",
    # the title named in a sentence of the body ("一、总体情况 根据…，现将乐山市××局2024年政府信息…如下")
    r"(?:现将|现予|现公布|现公开|现发布|特向社会公布|向社会公布|向社会公开)《?(?P<a>[\u4e00-\u9fff（）()]{4,40}?)(?:\d{4}|[〇○零一二三四五六七八九]{4})年度?(?:政府|政务)?信息公开",
    # "结合来宾市卫生健康委员会政府信息公开工作实际，现编制…年度报告"
    r"结合(?![我本该])(?P<a>(?:(?!年度|工作)[\u4e00-\u9fff（）()]){4,40}?(?:人民政府|政府|办公室|办公厅|委员会|管委会|办事处|局|委|办|厅|中心|镇|乡|街道))"
    r"(?:政府信息公开|信息公开|政务公开)?(?:工作)?实际[，,]?\s*(?:现|特)?(?:编制|编写|撰写)",
    r"(?:现将|现予|现公布|现公开|现发布|特向社会公布|向社会公布|向社会公开)《?(?:\d{4}|[〇○零一二三四五六七八九]{4})年度?(?P<a>[\u4e00-\u9fff（）()]{4,40}?)政府信息公开",
    r"^(?P<a>[\u4e00-\u9fff（）()]{4,40}?)(?:根据|依据|按照|严格按照|认真贯彻)[^。]{0,12}《",
    r"(?P<a>[\u4e00-\u9fff（）()]{4,40}?)(?:编制|编写)(?:了|完成)?(?:本|该)报告",
    # "××街道特编制2023年政府信息公开年度报告" (the body's own sentence, often under 一、总体情况)
    # ("黄龙县市场监督管理局结合单位实际，编制本单位2022年度政务公开工作年度报告")
    r"(?P<a>[\u4e00-\u9fff（）()]{4,40}?)(?:结合[^。，,]{0,12}[，,]\s*)?(?:特此|特)?(?:编制|编写|撰写)了?(?:本单位|本机关|本部门|本局)?"
    r"(?:\d{4}|[〇○零一二三四五六七八九]{4})年度?(?:(?:政府|政务)?信息公开|政务公开)",
    # the template's preamble: "本报告全文包括××人民政府信息公开总体情况、…"
    r"全文包括(?P<a>[\u4e00-\u9fff（）()]{4,40}?(?:人民政府|政府|办公室|办公厅|委员会|管委会|办事处|局|委|办|厅|中心|镇|乡|苏木|街道))"
    r"(?:(?:\d{4}|[〇○零一二三四五六七八九]{4})年度?)?(?:政府)?信息公开(?:工作)?(?:的)?总体情况",
)


@lru_cache(maxsize=1)
def _preamble_patterns() -> tuple[re.Pattern, ...]:
    """Compiled on first use: only reports whose title names no agency need them, and `re` takes
    ~2 ms to compile each class spanning the CJK block (it expands the range character by character)."""
    return tuple(pattern_cache.compile(p) for p in _PREAMBLE)


_PLACE_SUFFIXES = "省市区县州盟旗"


def _is_place(text: str) -> bool:
    """A place name: 2–12 CJK characters and 省/市/区/县/州/盟/旗/自治区 ("某某市", "某某自治区").

    The same test as the regex `[\u4e00-\u9fff]{2,12}(?:省|…|自治区)` (fullmatch), without
    compiling a CJK-block class at start-up."""
    if not all("\u4e00" <= c <= "\u9fff" for c in text):
        return False
    return (text[-1:] in _PLACE_SUFFIXES and 2 <= len(text) - 1 <= 12) or \
        (text.endswith("自治区") and 2 <= len(text) - 3 <= 12)
_CRAWLER_LABEL = pattern_cache.compile(r"^\|?\s*(?:标\s*题|题\s*目|(?:信息|文件)?名\s*称|title|(?:人工智能)?朗读)(?:\s*[:：|]+|\s)\s*",
                                       re.I)
# a flip-book viewer's page head before the document's name ("Page 8 - ××局2022年…报告")
_FLIPBOOK_PAGE = pattern_cache.compile(r"^(?:page|p\.)\s*\d{1,3}\s*[-—–]\s*", re.I)
# a second metadata field on the title's line ("名 称: ××局2025年…报告 发布日期: 2026年01月21日")
_NEXT_FIELD = pattern_cache.compile(r"\s+(?:发布日期|成文日期|发文日期|发布时间|生成日期|来源|信息来源|浏览次数|索引号|发布机构|"
                                    r"发文机关|点击数|字号)\s*[:：]")


def clean_title_line(text: str) -> str:
    """A candidate title line without crawler labels ("标题:") and markdown marks, and without the
    spaces of a spaced-out line ("2022 年 政 府 信 息 公 开 工 作 年 度 报 告", PDF export)."""
    text = _CRAWLER_LABEL.sub("", _FLIPBOOK_PAGE.sub("", text.strip().strip("#* ").lstrip("-•·"))).strip().strip("| ").strip()
    if text.count(" ") >= 4:
        words = text.split()
        singles = sum(1 for w in words if len(w) == 1)
        if singles >= 4 and singles >= 0.6 * len(words):  # (not a row of widgets: "智能问答 新媒体矩阵 …")
            text = without_spacing(text)
    cut = _NEXT_FIELD.search(text)
    return text[:cut.start()] if cut else text


def plausible_agency(name: str | None) -> str | None:
    """The name if it can be an agency (ends like one, no navigation words, a sane length), else None."""
    if not name:
        return None
    name = name.strip(" ：:，,#*|")
    name = _KIND_NOTE.sub("", name)  # "青龙镇政府(机关)": what kind of body, not part of its name
    head, _, tail = name.rpartition(" ")
    if head and re.search(r"[A-Za-z0-9]", head):  # "bet365亚洲官网 住房和城乡建设局": a spam site's words
        name = tail.strip()
    if _SPAM.search(name):
        return None  # "澳门博彩业网址交通运输局": a spam site wrote over the place name
    # three characters: a township (中村乡, 对坊乡) or a ministry of the State Council (水利部, 审计署)
    # (and a street of Tianjin or Guangzhou written with 街 alone: 新港街, 大源街)
    short = len(name) == 3 and name[-1] in "乡镇部署街" and name[0] not in "本该全各我此每"
    # "中国科学院北京基因组研究所(国家生物信息中心)": the name ends before its alias in brackets
    unaliased = _ALIAS.sub("", name)
    if not (4 <= len(name) <= 40 or short) or not AGENCY_TAIL.search(unaliased) or NAVIGATION.search(name):
        return None  # 4+: a bare 办公室 / 财政局 names no body; a field value must say whose
    if _NOT_IN_NAME.search(name) or name.count("(") != name.count(")") or name.find(")") < name.find("("):
        return None  # sentence punctuation, a quoted title, a file name or path: a clause, not a name
    if _NO_BODY_NAMED.match(name) or _TAIL_OF_A_NAME.match(name):
        return None  # "本机关", "度本机关" (…2025年度本机关…), a bare "政府办公室": whose, it does not say
    # (the alias in brackets is another name of the same body; kept when the name alone says little:
    # "高新区(新市区)")
    return unaliased if len(unaliased) >= 4 else name


_KIND_NOTE = pattern_cache.compile(r"\s*[(（](?:机关|单位|部门)[)）]$")
_ALIAS = pattern_cache.compile(r"\s*[(（][^()（）]{2,20}[)）]$")
# (彩票 but not a lottery's own administration: 体育彩票管理中心, 福利彩票发行中心)
_SPAM = pattern_cache.compile(r"博彩|赌场|賭場|赌博|彩票(?!管理|发行|销售管理|中心)|娱乐|娛樂|百家乐|老虎机|棋牌|真人|开户|投注|下注|"
                              r"买球|竞猜|网址|官网|足球|体育平台|(?<!服务)(?<!公共资源交易)(?<!政务)平台|葡京|威尼斯人|亚博|开云|開雲|美高梅")
_NO_BODY_NAMED = pattern_cache.compile(r"度|(?:本|该|我|此)(?:机关|单位|局|委|办|厅|院|镇|乡|街道|区|县|市|旗|部门|中心|办公室)$|"
                                       r"(?:人民)?政府办公室$|党政办公室$|党政综合办公室$")
# "政府国资局": the tail of "区政府国资局", no name
_TAIL_OF_A_NAME = pattern_cache.compile(r"政府[\u4e00-\u9fff]{1,8}(?:局|委|办)$")
# "区统计局", "县政府办", "区政府国资局": a level and a department, the place left to the page's context
_LEVEL_AND_DEPARTMENT = pattern_cache.compile(r"[市区县州旗](?:人民)?(?:政府)?[\u4e00-\u9fff]{0,8}(?:局|委|办|办公室)$")
# (the text is normalized: full-width "，" "；" "：" arrive as ASCII; "_" "/": a file name or a path)
_NOT_IN_NAME = pattern_cache.compile(r"[。，,；;、:：|!！?？“”\"《》〈〉\d_/\\]|发布机构|发文机关|综合各|各.*各")  # "…办公室综合各乡镇(街道)和区直各部门": a list of bodies


_SCHOOL_YEAR_TITLE = pattern_cache.compile(r"^(?P<pre>[^，。,]{2,40}?)(?P<y1>\d{4})\s*[—–\-－~至]+\s*(?P<y2>\d{4})\s*学年\s*(?:度)?\s*"
                                r"信息公开\s*(?:工作)?\s*(?:年\s*度\s*)?报\s*告")  # "…学年度信息公开工作报告" too


# a page's metadata fields above a report (the title field 标题/题目 is cleaned off elsewhere)
_META_FIELD = pattern_cache.compile(r"\s*(?:成文日期|发布日期|发文日期|索引号|发文机关|发布机构|发布单位|发文单位|主题分类|发文字号|文号|有效性|"
                         r"来源|时间|名称|分类|信息来源|生成日期|公开日期|所属机构|所属单位|关键字|关键词|体裁分类|组配分类)\s*[:：]")


_NAMES_WHERE = pattern_cache.compile(r"[省市区县州旗镇乡盟街]|苏木|自治|国家|中国|中华|国务院|海关|全国")


def _agency_suffix(pre: str) -> str | None:
    """The agency at the end of what precedes a title's year when page text runs into it."""
    pre = pre.strip()
    if _SPAM.search(pre):
        return None  # "体育备用网址自然资源和规划局": spam wrote over the place; its tail names no one body
    for k in range(min(40, len(pre)), 3, -1):
        name = plausible_agency(pre[-k:])
        if name:
            # a name cut out of running text must say where or whose (a place, or a national body):
            # "府国资局" / "址交通运输局" are tails of longer words, not names
            return name if _NAMES_WHERE.search(name) else None
    return None


def _year(text: str) -> int | None:
    return int(text) if text.isdigit() else cn_to_int(text)


def find_title(doc: Document, first_section_line: int) -> tuple[str | None, int | None, str | None, int | None, int | None]:
    """(title, title line, agency, agency line, year) from the lines before section 一.

    The first title line that names its agency wins. Pages often print a bare title first
    ("2022年政府信息公开工作年度报告", the agency on the next line, the title again) or a title
    without a year ("驼峰路街道办事处政府信息公开工作年度报告"): a title without an agency takes it
    from a later title line or the line below, and a title without a year takes the year of
    another title line (else the caller reads it from the body)."""
    limit = min(first_section_line - 1 if first_section_line else 15, 40)
    lines = [ln for ln in doc.lines[:limit] if ln.text.strip()]
    first = None
    for i in range(len(lines)):
        found = _title_at(lines, i)
        if found is None:
            continue
        title, line, agency, agency_line, year = found
        if i > 0 and (agency is None or _LEVEL_AND_DEPARTMENT.match(agency)) \
                and len(clean_title_line(lines[i - 1].text)) <= 30:
            # "浑南区国资局" / "根据…现公布区政府国资局2022年…报告。": the full name on the line above a
            # title that names no body, or only a level and the same department
            above = plausible_agency(clean_title_line(lines[i - 1].text))
            if above and (agency is None or (above[-2:] == agency[-2:] and not _LEVEL_AND_DEPARTMENT.match(above))):
                agency, agency_line = above, lines[i - 1].no
        if first is None:
            first = found
        if agency:
            if year is None and first[4] is not None:
                year = first[4]
            return title, line, agency, agency_line, year
    if first is None:
        first = _flipbook_title(doc, limit)
        if first is not None:
            return first
    if first is not None and first[4] is not None:
        title, line, _, _, year = first
        k = next(n for n, ln in enumerate(lines) if ln.no == line)
        below = clean_title_line(lines[k + 1].text) if k + 1 < len(lines) else ""
        agency = plausible_agency(below) if len(below) <= 40 else None  # "桃江县松木塘镇人民政府" under the title
        if agency:
            return f"{agency}{title}" if agency not in title else title, line, agency, lines[k + 1].no, year
        return first
    return None, None, None, None, None


def _flipbook_title(doc: Document, limit: int):
    """The title a flip-book viewer prints in its page head ("Page 8 - ××局2022年…报告"), for a page
    whose own title is not in the text. Such heads are page furniture, so they are read only here."""
    for ln in doc.lines[:limit]:
        if ln.furniture and _FLIPBOOK_PAGE.match(ln.raw.strip()):
            found = _title_at([Line(ln.no, ln.raw, _FLIPBOOK_PAGE.sub("", ln.raw.strip()))], 0)
            if found is not None:
                return found
    return None


# a title without its year: "<agency>政府信息公开工作年度报告"
_TITLE_NO_YEAR = pattern_cache.compile(r"^(?P<pre>[^，。,;；:：]{2,40}?)\s*(?:政府)?\s*信息公开\s*(?:工作)?\s*年\s*度\s*报\s*告\s*$")
# the year after 信息公开工作: "<agency>政府信息公开工作2022年度报告"
# or in brackets after the report's name: "<agency>政府信息公开工作年度报告（2024年度）"
_TITLE_YEAR_LATE = pattern_cache.compile(rf"^(?P<pre>[^，。,;；:：]{{2,40}}?)\s*(?:政府|政务)?\s*信息公开\s*(?:工作)?\s*"
                              rf"(?:(?P<year>{_YEAR})\s*年\s*度?\s*(?:报\s*告|年\s*报)|"
                              rf"年\s*度\s*报\s*告\s*[（(]\s*(?P<year_b>{_YEAR})\s*年?\s*度?\s*[）)])\s*$")
# a line above a title that is a page's field or category, never the title's first part
# ("有效性有效", "文件类信息公开" — a split title that reaches 信息公开 has its year before it)
_TITLE_YEAR_BEFORE = pattern_cache.compile(r"(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年")
_CITES_BASIS = pattern_cache.compile(r"(?:根据|依据|按照)《")
_WORD_ROW = pattern_cache.compile(r"[\u4e00-\u9fff]{2,}\s+[\u4e00-\u9fff]{2,}\s+[\u4e00-\u9fff]{2,}")
# (or a site's column of bodies: "乡镇(街道办)", "部门", "区直部门")
# what follows a report's name when the text is about the reports: rules, a format, a notice
_RULES_ABOUT_REPORTS = pattern_cache.compile(r"\s*(?:制度|办法|格式|规定|细则|编制|撰写|工作的通知|的通知|有关|相关|研究|分析)")
# never the first half of a title: a metadata label, a full date ("二○一一年十二月二日" above rules
# issued that day), a journal's issue ("现代情报 2020年8期" above an article's keywords)
_NOT_A_TITLE_START = pattern_cache.compile(r"有效性|有效$|失效$|^文件类|类别|分类|^[^\d〇○零一二三四五六七八九]*信息公开$|"
                                          r"^\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
                                          r"\s*[\d一二三四五六七八九十]{1,3}\s*日\s*$|\d\s*年\s*(?:第\s*)?\d{1,2}\s*期$|"
                                          r"^(?:乡镇|街道|部门|区直部门|县直部门|市直部门|镇街)[(（]?[^)）]{0,6}[)）]?$")
_NOT_A_TOWNSHIP = "本该全各我此每乡城村集市"  # 本镇, 该乡, 乡镇, 城镇 … are words, not townships


# what a sentence says before it names the report ("…规定，现将北坡镇2022年…", "现公布××局2021年…",
# "××局向社会公布本单位2020年…"): the agency is after the last of these words, or before it
_LEAD_IN = pattern_cache.compile(r"现将|现予|现报送|报送|(?:现)?(?:编制)?形成了?|现公布|现公开|现发布|(?:并)?向社会公开|特向社会公布|向社会公布|予以公布|公布了?|发布了?|编制了?|编写了?|印发了?")
_PUBLISHER_BEFORE = pattern_cache.compile(r"(?P<a>[^，,。；;:：《》“”]{4,40}?)(?:特|现)?(?:向社会)?(?:公布|发布|公开|编制完成|编写完成|编制|编写)了?"
                               r"(?:本单位|本机关|本部门|本局)?《?$")


def _after_lead_in(pre: str) -> str:
    """`pre` without the sentence before the agency; when the agency came before the verb
    ("国家税务总局珠海市税务局向社会公布本单位"), that agency."""
    pre = _SHORT_NAME_NOTE.sub("", pre.rstrip())  # "××局(以下简称“××局”，下文类同)"
    if len(pre) <= 40 and not re.search(r"公布|发布|现将|现公开|向社会公开|编制|编写|印发|报送|形成", pre):
        return pre
    m = _PUBLISHER_BEFORE.search(pre.strip())
    if m:
        name = _tail_name(re.sub(r"(?:特向社会|向社会|特)$", "", m.group("a")))
        if plausible_agency(name):
            return name
    last = None
    for last in _LEAD_IN.finditer(pre):
        pass
    return (pre[last.end():] if last else pre).lstrip("《〈“\"'")


_SHORT_NAME_NOTE = pattern_cache.compile(r"[(（](?:以下简称|以下称|下称|简称)[^()（）]*[)）]$")


def _tail_name(text: str) -> str:
    """The longest agency-like suffix of `text` (or `text`)."""
    return _agency_suffix(text) or text


def _without_alias(name: str) -> str | None:
    """"淮北市妇幼保健计划生育服务中心(市妇幼保健院)": the name before its bracketed alias."""
    m = re.fullmatch(r"(.+?)\s*\([^()]{1,20}\)", name.strip())
    return plausible_agency(m.group(1)) if m else None


# what follows "报告" when the reports are a task ("年度报告编制发布工作", "年度报告有关要求"), not a title
_REPORT_AS_TASK = pattern_cache.compile(r"\s*(?:编制|编写|报送|等工作|工作|有关|相关|的通知|要求)")


def _report_word(text: str, within: int = 400) -> int:
    """Where the title that opens a long line ends: its first "报告" in the first sentence that is
    not inside a cited document's name (《…年度报告格式〉的通知》) — preferring one with a year
    shortly before it ("…关于年度报告有关要求，现发布××局2021年…报告": the first names no report of
    this body); -1 if none."""
    end = text.find("。", 0, within)
    end = within if end < 0 else end
    pos = text.find("报告", 0, end)
    first = -1
    while pos > 0:
        before = text[:pos]
        if _REPORT_AS_TASK.match(text, pos + 2):
            pass  # "做好2023年政府信息公开工作年度报告编制发布等工作": the reports as a task, not this one
        elif before.count("《") <= before.count("》") and before.count("〈") <= before.count("〉"):
            if _TITLE_YEAR_BEFORE.search(before[-60:]):
                return pos
            first = pos if first < 0 else first
        elif text[pos + 2: pos + 3] == "》" and before.count("《") - before.count("》") == 1 \
                and "关于" not in before[before.rfind("《"):]:
            return pos  # the report's own name in 《》: "现发布《大芦镇2023年政府信息公开工作年度报告》"
        pos = text.find("报告", pos + 2, end)
    return first


_PLACELESS_START = pattern_cache.compile(r"[省市区县州旗盟乡镇]")


def _breadcrumb(line: str, next_agency: str) -> bool:
    """Whether `line` is a name of its own above a title that names its body with its own place
    ("高新区公安分局" above "××市公安局高新区分局2022年…"), not the first part of a broken title
    ("淮安市安平" / "县人民政府2019年…", "攀枝花市" / "永宁县交通运输局2019年…")."""
    if not plausible_agency(next_agency) or re.search(r"[省市区县州旗]", next_agency) is None:
        return False
    if _is_place(line.strip()):
        # a site's column named by a place the title then names in full ("翔安区" above "厦门市翔安区人民政府
        # 凤翔街道办事处…"), not the first half of a broken name ("攀枝花市" / "永宁县交通运输局…")
        return line.strip() in next_agency
    if plausible_agency(line):
        return True
    # a page's banner ("正文内容区域请使用tab按钮切换浏览") above a title whose body is named from its
    # place on: no part of that name (a broken name's second half starts at its level, "县人民政府…")
    return not _PLACELESS_START.match(next_agency) and len(line.strip()) >= 6 and not re.search(r"[省市区县州旗]$", line.strip())


_AGENCY_IN_BRACKETS = pattern_cache.compile(r"\s*[(（]\s*([^()（）\d]{4,40}?)\s*[)）]\s*$")


def _title_at(lines: list, i: int):
    """The title on line i (joined with the next when broken), or None."""
    ln = lines[i]
    if ln.text.count("\t") >= 3:
        return None  # a record of a tab-separated table (a list of reports, a metadata row), never a title
    text = clean_title_line(ln.text)
    if len(text) > 80 or "。" in text or _CITES_BASIS.search(text):
        # flattened page: the title opens the one long line; or a sentence that names the report
        # ("引 言根据《条例》规定，现编制并公布本单位2019年…报告"): the title is what follows its lead-in
        cut = _report_word(text)
        text = text[: cut + 2] if cut > 0 else ""
        # page widgets run into it ("标题公开方式：主动公开【字体：大 中 小】二〇二二年政府…"): the
        # title starts at its year, or at the agency name just before it
        # not the year of a cited notice《…2023年…》; the report's own name in 《》 starts after its 《
        y = _TITLE_YEAR.search(text, max(text.rfind("》"), text.rfind("《")) + 1)
        if y:
            lead = _after_lead_in(text[:y.start()])  # "…要求，××局向社会公布本单位" → "××局"
            if _SPAM.search(lead):  # "uedbet体育_uedbet官网@:西柳镇人民政府": the name after the spam's last mark
                lead = re.split(r"[\s:：@,，]", lead)[-1]
            name = "" if _SPAM.search(lead) else (  # "现将澳门…博彩业网址交通运输局2022年…": spam over the name
                plausible_agency(lead) or _agency_suffix(lead[-40:]) or (lead.strip() if _is_place(lead.strip()) else ""))
            text = name + text[y.start():]
    if not text or NAVIGATION.search(text) or _META_FIELD.match(text):
        return None  # navigation, or a page metadata field (成文日期：…, 发文机关：…) — never a title's start
    joined = text
    if "报告" not in text and "年报" not in text and i + 1 < len(lines):
        # a title broken over two lines continues on the very next line; a line apart ("有效", a
        # metadata value, a blank line, then the title) is not its start — except one blank line
        # between a title's two halves where the break is plainly inside it ("…办公厅2022" / "" /
        # "政府信息公开工作年度报告"); nor is a row of words set apart by spaces ("智能问答 新媒体矩阵
        # 官方微信 …": a page's widgets), nor a line above a labelled title ("长者版" / "名 称: …")
        nxt = clean_title_line(lines[i + 1].text)
        whole = _TITLE_FULL.match(nxt)  # the next line is a title with its own agency: this line is a breadcrumb
        labelled = _CRAWLER_LABEL.match(lines[i + 1].text.strip().strip("#* ").lstrip("-•·"))
        labelled = labelled or "。" in nxt or len(nxt) > 80 or _CITES_BASIS.search(nxt)  # (or a sentence: not a title's half)
        adjacent = not labelled and (lines[i + 1].no == ln.no + 1 or (lines[i + 1].no == ln.no + 2 and _TITLE_HEAD.search(text)
                                                                      and _TITLE_TAIL.match(nxt)))
        if adjacent and not _NOT_A_TITLE_START.search(text) and not _WORD_ROW.search(text) \
                and not (whole and _breadcrumb(text, (whole.group("pre") or whole.group("pre2") or "").strip())):
            joined = text + nxt
    m = _TITLE_FULL.match(joined)
    school = _SCHOOL_YEAR_TITLE.match(joined) if not m else None
    if school:  # "中山大学2023—2024学年信息公开年度报告" (高等学校信息公开办法)
        agency = plausible_agency(school.group("pre").strip())
        return joined[: school.end()].strip(), ln.no, agency, ln.no if agency else None, int(school.group("y2"))
    late = _TITLE_YEAR_LATE.match(joined) if not m else None
    if late:  # "××办公室政府信息公开工作2022年度报告"
        agency = plausible_agency(_after_lead_in(late.group("pre")))
        if agency:
            return joined[: late.end()].strip(), ln.no, agency, ln.no, _year(late.group("year") or late.group("year_b"))
    if not m:
        bare = _TITLE_NO_YEAR.match(joined)
        agency = plausible_agency(bare.group("pre")) if bare else None
        return (joined[: bare.end()].strip(), ln.no, agency, ln.no, None) if agency else None
    if _RULES_ABOUT_REPORTS.match(joined, m.end()):
        return None  # "…政府信息公开工作年度报告制度（试行）": rules about the reports, not one
    pre = _after_lead_in(m.group("pre") if m.group("year") else m.group("pre2"))
    mid = m.group("mid") if m.group("year") else m.group("mid2")
    year = _year(m.group("year") or m.group("year2"))
    if len(pre) > 40 or year is None or not 1990 <= year <= 2100:
        return None
    mid_end = m.end("mid") if m.group("year") else m.end("mid2")
    # "2022年上海市政府信息公开工作年度报告": the title's 政府 belongs to the place before it
    # "2024年托克逊县夏镇人民政府信息公开…": likewise when the name before 政府 ends in 人民
    city_government = mid + "政府" if (_is_place(mid) or mid.strip().endswith("人民")) \
        and joined[mid_end:].lstrip().startswith("政府") else None
    # a place alone before the year ("保康县2020年度…", "大理白族自治州2023年…") is that place's
    # government; so is a township of two characters ("螅镇2022年…")
    bare_pre = pre.strip()
    place_alone = bare_pre if (_is_place(bare_pre) and len(bare_pre) >= 3) or (
        len(bare_pre) == 2 and bare_pre[1] in "乡镇" and bare_pre[0] not in _NOT_A_TOWNSHIP
        and "\u4e00" <= bare_pre[0] <= "\u9fff") else None
    agency = plausible_agency(re.sub(r"关于$", "", bare_pre)) or _without_alias(bare_pre) or plausible_agency(mid) \
        or plausible_agency(city_government) or place_alone or _agency_suffix(pre)
    if not agency and mid.strip()[-1:] in ("乡", "镇") and len(mid.strip()) == 2 \
            and mid.strip()[0] not in _NOT_A_TOWNSHIP and "\u4e00" <= mid.strip()[0] <= "\u9fff":
        agency = mid.strip()  # "2022年度螅镇政府信息公开…": the township after the year
    if not agency:
        # "2024年政府信息公开工作年度报告 (上海市浦东新区曹路镇人民政府)": the body named in brackets
        # right after the title (Shanghai's towns set their titles so)
        after = _AGENCY_IN_BRACKETS.match(joined, m.end())
        agency = plausible_agency(after.group(1)) if after else None
    agency_line = ln.no if agency else None
    if not agency and i >= 1:  # the agency on the line above, or on the two lines above
        above = clean_title_line(lines[i - 1].text)
        # not an addressee ("江苏省气象局:" above a report sent upward names the recipient)
        agency = plausible_agency(above) if not above.rstrip().endswith((":", "：")) else None
        agency_line = lines[i - 1].no
        place = clean_title_line(lines[i - 2].text) if i >= 2 else ""
        if i >= 2 and (not agency or _is_place(place)):  # "某某市" / "交通运输局"
            agency, agency_line = plausible_agency(place + above) or agency, lines[i - 2].no
        if not agency:
            agency_line = None
    if agency and agency_line == ln.no and i >= 1 and not re.search(r"[省市区县州]", agency):
        place = clean_title_line(lines[i - 1].text)  # "某某市" on the line above "交通运输局2021年…"
        if _is_place(place) and plausible_agency(place + agency):
            agency, agency_line = place + agency, lines[i - 1].no
    title = joined[: m.end()]
    if agency and agency not in title:
        title = f"{agency}{title}"
    if agency and agency.endswith("海关关区"):
        agency = agency[:-2]  # "广州海关关区2021年…": the body is 广州海关, 关区 its district
    return title, ln.no, agency, agency_line, year


def agency_from_metadata(doc: Document, limit: int) -> tuple[str | None, int | None]:
    """The agency in a web page's metadata fields above the report (发布机构：××局 / 名称：××局)."""
    for ln in doc.lines[:limit]:
        if "|" not in ln.text and "：" not in ln.raw and ":" not in ln.text:
            continue
        for m in _FIELD.finditer(ln.text):
            agency = plausible_agency(m.group("v"))
            if agency:
                return agency, ln.no
    return None, None


def agency_from_preamble(doc: Document, limit: int) -> tuple[str | None, int | None]:
    """The agency the preamble names as the report's author (本报告由××局编制 / ××局根据《条例》…)."""
    for ln in doc.lines[:limit]:
        text = ln.text.strip()
        if len(text) < 8:
            continue
        for pat in _preamble_patterns():
            m = pat.search(text)
            if m:
                agency = plausible_agency(m.group("a")) or _without_alias(m.group("a"))
                if agency and agency.startswith("由") and plausible_agency(agency[1:]):
                    agency = agency[1:]  # "由教育局办公室编制完成本报告": 由 opens the clause, not the name
                if agency:
                    # "由海南省地震局办公室编制": the body's office compiled it; the body reports
                    # (a 人民政府办公室 reports for itself)
                    # ("由两城镇人民政府党政办公室编制", "由临沂高新区党政办公室编制": a township's or a
                    # zone's own office, likewise)
                    office = re.match(r"(.{3,}?(?:局|厅|委|署|委员会))(?:办公室|办公厅)$|"
                                      r"(.{2,}?(?:人民政府|镇|乡|街道|办事处|区|管委会|管理委员会))(?:党政(?:综合)?|综合)办(?:公室)?$", agency)
                    if office and not agency.endswith("政府办公室"):
                        agency = office.group(1) or office.group(2)
                    elif (lg := re.match(r"(.{2,12}?[县区市旗州盟])(?:政务公开|政府信息公开|信息公开)(?:工作)?(?:领导小组)?办公室$",
                                         agency)) and "编制" in m.group(0):
                        agency = lg.group(1) + "人民政府"  # "由××旗政务公开领导小组办公室编制": the 旗's report
                    elif _LEVEL_GOVERNMENT.match(agency):
                        continue  # "由区人民政府办公室综合各部门报告编制": which district's, it does not say
                    elif agency.endswith("人民政府办公室") and "编制" in m.group(0) and (
                            _COMBINES.search(m.group(0)) or not _office_speaks(doc, ln.no)):
                        # "由中江县人民政府办公室组织编制": the office compiles its government's report
                        # (条例第四十九条); an office's own report says so in its title, or in its body
                        # speaking of itself ("2023年，浦口区政府办公室进一步…")
                        agency = agency[:-3]
                    return agency, ln.no
    return None, None


# the office combining the townships' and departments' reports: the government's report, whoever speaks after
_COMBINES = pattern_cache.compile(r"综合[^。]{0,30}?(?:乡镇|街道|部门|单位)")
_LEVEL_GOVERNMENT = pattern_cache.compile(r"[省市区县镇乡旗](?:人民)?政府(?:办公室|办公厅)?$")
_THE_OFFICE = pattern_cache.compile(r"政府办公室|政府办(?!事)|本办(?!法)|我办(?!理)")
_THE_PLACE = pattern_cache.compile(r"我(?:区|县|市|旗|州|镇|乡)|全(?:区|县|市|旗|州)")


def _office_speaks(doc: Document, after: int) -> bool:
    """The text after the preamble speaks of the office doing the work ("市政府办公室认真贯彻…",
    "我办…"), never of the place ("我区…", "全县…"): the office's own report, not its government's."""
    text = "".join(ln.text for ln in doc.lines[after:after + 12])[:800]
    text = _CITED.sub("", text)  # (an office named in a cited document's title, 《××政府办公室关于印发…》, is not speaking)
    return bool(_THE_OFFICE.search(text)) and not _THE_PLACE.search(text)


_CITED = pattern_cache.compile(r"《[^《》]{0,80}》")


# the report naming itself in its preamble: "现公布××局2025年度政府信息公开工作年度报告"
_SELF_NAMED = pattern_cache.compile(r"(?:现将|现予|现公布|现公开|现发布|特向社会公布|向社会公布|向社会公开)《?"
                                    r"(?P<a>[\u4e00-\u9fff（）()]{4,40}?)(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年度?\s*"
                                    r"(?:政府|政务)?信息公开")


def report_named_in_body(doc: Document, start: int, end: int) -> tuple[str, int] | None:
    """(body, line) where the text between lines start and end names the report as a body's own
    ("现公布××局2025年度…报告"), for S010; None when it names no plausible body ("我县", "本机关")."""
    for ln in doc.lines[max(0, start - 1):end]:
        m = _SELF_NAMED.search(ln.text)
        if m:
            name = plausible_agency(_after_lead_in(m.group("a")))
            return (name, ln.no) if name else None
    return None


def year_from_body(doc: Document, facts: Facts) -> tuple[int | None, int | None]:
    """The year a report covers when the title does not say: preamble period, else the most cited year."""
    if facts.period:
        return int(facts.period.start[:4]), facts.period.line
    counts: Counter[int] = Counter()
    first_line: dict[int, int] = {}
    for ln in doc.lines[:200]:
        for m in re.finditer(r"(20[0-4]\d)\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)", ln.text):
            y = int(m.group(1))
            counts[y] += 1
            first_line.setdefault(y, ln.no)
    if not counts:  # only a cut-off date: "截止2023年12月31日" is that year's report
        for ln in doc.lines[:200]:
            m = re.search(r"截[止至](?:到)?\s*(20[0-4]\d)\s*年\s*12\s*月\s*31\s*日", ln.text)
            if m:
                return int(m.group(1)), ln.no
        return None, None
    y, _ = counts.most_common(1)[0]
    return y, first_line[y]
