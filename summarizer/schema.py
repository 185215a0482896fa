"""The official report template as data: sections, tables, rows, columns and their labels.

Everything that knows "what the template looks like" reads it from here, so the extractor,
the checks, the generator and the eval harness agree on one definition. Cell keys follow
../shared/spec/FORMAT.md and are a public interface: never change the meaning of an id.

Labels are given without their numbering ("（三）", "1.", "一、"); the extractor strips
numbering before it compares. `aliases` lists other wordings seen in real reports.
"""

from __future__ import annotations

from typing import NamedTuple

FORMATS = ("2019", "2021")

# ---------------------------------------------------------------- sections

SECTION_NUMERALS = "一二三四五六"


class SectionSpec(NamedTuple):
    number: int
    title: str
    # Key words; a heading "<numeral>、..." matches when it contains any of them.
    keywords: tuple[str, ...]


SECTIONS: tuple[SectionSpec, ...] = (
    # (and any 总体…情况 a report words its own way: 工作总体推进情况)
    SectionSpec(1, "总体情况", ("总体情况", "基本情况", "概述", "总体公开情况", "总体工作情况", "总体概况", "基本概况", "总体")),
    SectionSpec(2, "主动公开政府信息情况", ("主动公开",)),
    SectionSpec(3, "收到和处理政府信息公开申请情况", ("收到和处理", "依申请", "公开申请情况", "申请情况")),
    SectionSpec(4, "政府信息公开行政复议、行政诉讼情况", ("行政复议", "行政诉讼", "复议", "诉讼")),
    SectionSpec(5, "存在的主要问题及改进情况", ("存在的主要问题", "存在问题", "主要问题", "问题及", "问题和", "改进")),
    SectionSpec(6, "其他需要报告的事项", ("其他需要报告", "其他事项", "需要报告")),
)

# ---------------------------------------------------------------- tables


class RowSpec(NamedTuple):
    id: str
    label: str
    columns: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    # A weak label ("其他", "总计") is only taken as this row right after its neighbours.
    weak: bool = False
    group: str = ""


class TableSpec(NamedTuple):
    name: str  # active / applications / litigation
    section: int
    format_version: str
    rows: tuple[RowSpec, ...]
    column_labels: dict[str, str]
    group_labels: tuple[str, ...] = ()

    def row(self, row_id: str) -> RowSpec:
        for r in self.rows:
            if r.id == row_id:
                return r
        raise KeyError(row_id)

    def keys(self) -> list[str]:
        return [f"{self.name}.{r.id}.{c}" for r in self.rows for c in r.columns]


# --- active (二、主动公开政府信息情况)

_A19_DOCS = ("new_made", "new_published", "total_published")
_A19_ITEMS = ("previous", "change", "decisions")
ACTIVE_2019 = TableSpec(
    name="active",
    section=2,
    format_version="2019",
    rows=(
        RowSpec("regulations", "规章", _A19_DOCS, group="第二十条第（一）项"),
        RowSpec("normative_documents", "规范性文件", _A19_DOCS, ("行政规范性文件",), group="第二十条第（一）项"),
        RowSpec("licensing", "行政许可", _A19_ITEMS, group="第二十条第（五）项"),
        RowSpec("other_services", "其他对外管理服务事项", _A19_ITEMS, group="第二十条第（五）项"),
        RowSpec("penalty", "行政处罚", _A19_ITEMS, group="第二十条第（六）项"),
        RowSpec("enforcement", "行政强制", _A19_ITEMS, group="第二十条第（六）项"),
        RowSpec("fees", "行政事业性收费", ("previous", "change"), group="第二十条第（八）项"),
        RowSpec("procurement", "政府集中采购", ("projects", "amount"), group="第二十条第（九）项"),
    ),
    column_labels={
        "new_made": "本年新制作数量",
        "new_published": "本年新公开数量",
        "total_published": "对外公开总数量",
        "previous": "上一年项目数量",
        "change": "本年增/减",
        "decisions": "处理决定数量",
        "projects": "采购项目数量",
        "amount": "采购总金额",
    },
)

ACTIVE_2021 = TableSpec(
    name="active",
    section=2,
    format_version="2021",
    rows=(
        RowSpec("regulations", "规章", ("issued", "repealed", "in_force"), group="第二十条第（一）项"),
        RowSpec("normative_documents", "行政规范性文件", ("issued", "repealed", "in_force"), ("规范性文件",),
                group="第二十条第（一）项"),
        RowSpec("licensing", "行政许可", ("decisions",), group="第二十条第（五）项"),
        RowSpec("penalty", "行政处罚", ("decisions",), group="第二十条第（六）项"),
        RowSpec("enforcement", "行政强制", ("decisions",), group="第二十条第（六）项"),
        RowSpec("fees", "行政事业性收费", ("amount",), group="第二十条第（八）项"),
    ),
    column_labels={
        "issued": "本年制发件数",
        "repealed": "本年废止件数",
        "in_force": "现行有效件数",
        "decisions": "本年处理决定数量",
        "amount": "本年收费金额（单位：万元）",
    },
)

# --- applications (三、收到和处理政府信息公开申请情况)

APPLICATION_COLUMNS = ("person", "company", "research", "ngo", "law_firm", "org_other", "total")
APPLICATION_COLUMN_LABELS = {
    "person": "自然人",
    "company": "商业企业",
    "research": "科研机构",
    "ngo": "社会公益组织",
    "law_firm": "法律服务机构",
    "org_other": "其他",
    "total": "总计",
}
_C = APPLICATION_COLUMNS


def _app_rows(fmt: str) -> tuple[RowSpec, ...]:
    head = (
        RowSpec("new", "本年新收政府信息公开申请数量", _C, ("本年新收申请数量",)),
        RowSpec("carried_over", "上年结转政府信息公开申请数量", _C, ("上年结转申请数量",)),
        RowSpec("granted", "予以公开", _C, group="本年度办理结果"),
        RowSpec("partial", "部分公开（区分处理的，只计这一情形，不计其他情形）", _C, ("部分公开",), group="本年度办理结果"),
        RowSpec("withheld_1", "属于国家秘密", _C, group="不予公开"),
        RowSpec("withheld_2", "其他法律行政法规禁止公开", _C, group="不予公开"),
        RowSpec("withheld_3", "危及“三安全一稳定”", _C, ("危及三安全一稳定",), group="不予公开"),
        RowSpec("withheld_4", "保护第三方合法权益", _C, group="不予公开"),
        RowSpec("withheld_5", "属于三类内部事务信息", _C, group="不予公开"),
        RowSpec("withheld_6", "属于四类过程性信息", _C, group="不予公开"),
        RowSpec("withheld_7", "属于行政执法案卷", _C, group="不予公开"),
        RowSpec("withheld_8", "属于行政查询事项", _C, group="不予公开"),
        RowSpec("unable_1", "本机关不掌握相关政府信息", _C, group="无法提供"),
        RowSpec("unable_2", "没有现成信息需要另行制作", _C, group="无法提供"),
        RowSpec("unable_3", "补正后申请内容仍不明确", _C, group="无法提供"),
        RowSpec("rejected_1", "信访举报投诉类申请", _C, group="不予处理"),
        RowSpec("rejected_2", "重复申请", _C, group="不予处理"),
        RowSpec("rejected_3", "要求提供公开出版物", _C, group="不予处理"),
        RowSpec("rejected_4", "无正当理由大量反复申请", _C, group="不予处理"),
        RowSpec("rejected_5", "要求行政机关确认或重新出具已获取信息", _C, group="不予处理"),
    )
    if fmt == "2019":
        other: tuple[RowSpec, ...] = (RowSpec("other", "其他处理", _C, group="其他处理"),)
    else:
        other = (
            RowSpec("other_1", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", _C,
                    ("申请人无正当理由逾期不补正",), group="其他处理"),
            RowSpec("other_2", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", _C,
                    ("申请人逾期未按收费通知要求缴纳费用",), group="其他处理"),
            RowSpec("other_3", "其他", _C, weak=True, group="其他处理"),
        )
    tail = (
        RowSpec("total", "总计", _C, weak=True),
        RowSpec("carried_forward", "结转下年度继续办理", _C),
    )
    return head + other + tail


APPLICATIONS_2019 = TableSpec("applications", 3, "2019", _app_rows("2019"), APPLICATION_COLUMN_LABELS,
                              ("本年度办理结果", "不予公开", "无法提供", "不予处理"))
APPLICATIONS_2021 = TableSpec("applications", 3, "2021", _app_rows("2021"), APPLICATION_COLUMN_LABELS,
                              ("本年度办理结果", "不予公开", "无法提供", "不予处理", "其他处理"))

# Rows that A003 adds up to the total, per format.
OUTCOME_ROWS = {
    fmt: tuple(r.id for r in spec.rows if r.id not in ("new", "carried_over", "total", "carried_forward"))
    for fmt, spec in (("2019", APPLICATIONS_2019), ("2021", APPLICATIONS_2021))
}

# --- litigation (四、政府信息公开行政复议、行政诉讼情况)

LITIGATION_GROUPS = ("review", "direct", "after_review")
LITIGATION_GROUP_LABELS = {"review": "行政复议", "direct": "未经复议直接起诉", "after_review": "复议后起诉"}
LITIGATION_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
LITIGATION_COLUMN_LABELS = {
    "upheld": "结果维持",
    "corrected": "结果纠正",
    "other": "其他结果",
    "pending": "尚未审结",
    "total": "总计",
}
LITIGATION = TableSpec(
    name="litigation",
    section=4,
    format_version="both",
    rows=tuple(RowSpec(g, LITIGATION_GROUP_LABELS[g], LITIGATION_COLUMNS) for g in LITIGATION_GROUPS),
    column_labels=LITIGATION_COLUMN_LABELS,
)


def table_spec(name: str, fmt: str) -> TableSpec:
    """The template of one table in one format ("2019" / "2021")."""
    if name == "litigation":
        return LITIGATION
    if name == "active":
        return ACTIVE_2019 if fmt == "2019" else ACTIVE_2021
    if name == "applications":
        return APPLICATIONS_2019 if fmt == "2019" else APPLICATIONS_2021
    raise KeyError(name)


TABLE_NAMES = ("active", "applications", "litigation")
TABLE_TITLES = {
    "active": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "litigation": "四、政府信息公开行政复议、行政诉讼情况",
}


def all_keys(fmt: str) -> list[str]:
    """Every cell key of the three tables in one format, in template order."""
    return [k for name in TABLE_NAMES for k in table_spec(name, fmt).keys()]


def cell_label(key: str, fmt: str) -> str:
    """A Chinese description of a cell key for messages, e.g. 三（七）总计·自然人."""
    parts = key.split(".")
    table, row_id, col = parts[0], parts[1], parts[-1]
    sub = parts[2] if len(parts) == 4 else None
    spec = table_spec(table, fmt)
    try:
        row_label = spec.row(row_id).label
    except KeyError:
        row_label = row_id
    if table == "applications":
        row_label = row_label.split("（")[0]
    col_label = spec.column_labels.get(col, col)
    if table == "litigation":
        return f"{LITIGATION_GROUP_LABELS.get(row_id, row_id)}·{col_label}"
    sub_txt = f"（第{sub}子项）" if sub else ""
    return f"{row_label}{sub_txt}·{col_label}"


def assumed_format(format_version: str | None, year: int | None) -> str:
    """The table format to read and check by when the tables did not show theirs (table 二 missing
    or an image): the one the report's year used — 2019 and 2020 reports the 2019 template
    (国办公开办函〔2019〕60号), later ones the 2021 template."""
    if format_version:
        return format_version
    return "2019" if year in (2019, 2020) else "2021"
