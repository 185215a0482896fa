"""Generated fixtures for the LLM-layer tests: a small invented report and its AuditResult.

The report is written for these tests (no corpus text). Until the audit core is used here, the
AuditResult is built by hand from the same line numbers, so the tests do not depend on it.
"""

from __future__ import annotations

import json

from summarizer.models import AuditResult, Facts, Finding, Period, Section, TableResult
from summarizer.document import to_document

REPORT_LINES = [
    "某市某区商务局2021年政府信息公开工作年度报告",  # 1
    "本报告依据《中华人民共和国政府信息公开条例》编制，统计期限为2021年1月1日至2021年12月31日。",  # 2
    "一、总体情况",  # 3
    "2021年，我局主动公开政府信息126条，其中政策文件１２条。",  # 4 (full-width digits on purpose)
    "全年共收到政府信息公开申请5件，均已按时办结。",  # 5
    "依托门户网站专栏发布信息，更新政务新媒体账号2个。",  # 6
    "开展政务公开培训三次，参训人员85人次。",  # 7
    "二、主动公开政府信息情况",  # 8
    "行政许可\t\t\t40",  # 9
    "三、收到和处理政府信息公开申请情况",  # 10
    "一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t0\t5",  # 11
    "四、政府信息公开行政复议、行政诉讼情况",  # 12
    "0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0",  # 13
    "五、存在的主要问题及改进情况",  # 14
    "2020年度报告指出的信息更新不及时问题，已通过建立周报制度整改完成。",  # 15
    "一是部分栏目信息更新不够及时，“通知公告”栏目全年仅更新4次。",  # 16
    "二是政策解读形式单一，图解类解读仅占15%。",  # 17
    "下一步，我局将建立栏目更新月度检查机制，由办公室每月通报。",  # 18
    "同时，丰富政策解读形式，2022年图解解读不少于10篇。",  # 19
    "六、其他需要报告的事项",  # 20
    "本年度未收取信息处理费。本年度共开设政务新媒体账号3个。",  # 21
    "某市某区商务局",  # 22
    "2022年1月20日",  # 23
]

SECTIONS = [(1, "总体情况", 3, 7), (2, "主动公开政府信息情况", 8, 9), (3, "收到和处理政府信息公开申请情况", 10, 11),
            (4, "政府信息公开行政复议、行政诉讼情况", 12, 13), (5, "存在的主要问题及改进情况", 14, 19),
            (6, "其他需要报告的事项", 20, 21)]

CELLS = {"applications.new.total": 5, "applications.new.person": 5, "active.licensing.decisions": 40,
         "litigation.review.total": 0, "litigation.direct.total": 0, "litigation.after_review.total": 0}


def make_doc(lines: list[str] | None = None):
    return to_document("\n".join(lines or REPORT_LINES), "fixture.txt", "utf-8")


def make_result(lines: list[str] | None = None, sections=SECTIONS, findings=None) -> AuditResult:
    """An AuditResult as the deterministic audit would give for REPORT_LINES (plus `findings`)."""
    lines = lines or REPORT_LINES
    return AuditResult(
        file="fixture.txt",
        facts=Facts(agency="某市某区商务局", year=2021, format_version="2021",
                    period=Period(start="2021-01-01", end="2021-12-31"), issued_on="2022-01-20",
                    sections=[Section(number=n, title=t, line=a, end_line=b) for n, t, a, b in sections],
                    cells=dict(CELLS)),
        findings=list(findings) if findings is not None else [
            Finding(code="S003", severity="warning", message="示例", line=1, quote=lines[0][:6])],
        tables=[TableResult(name="applications", status="parsed", format_version="2021",
                            sources={"applications.new.total": (11, "5")}),
                TableResult(name="active", status="parsed", format_version="2021"),
                TableResult(name="litigation", status="parsed", format_version="2021")],
    )


def good_summary() -> dict:
    return {
        "overall": [
            {"text": "主动公开政府信息126条，其中政策文件12条", "line": 4, "quote": "我局主动公开政府信息126条，其中政策文件12条"},
            {"text": "收到政府信息公开申请5件，均按时办结", "line": 5, "quote": "全年共收到政府信息公开申请5件"},
            {"text": "开展培训3次，参训85人次", "line": 7, "quote": "开展政务公开培训三次，参训人员85人次"},
        ],
        "problems": [
            {"id": "P1", "text": "栏目更新不及时，通知公告全年仅更新4次", "line": 16, "quote": "“通知公告”栏目全年仅更新4次"},
            {"id": "P2", "text": "政策解读形式单一", "line": 17, "quote": "二是政策解读形式单一"},
        ],
        "improvements": [
            {"id": "I1", "text": "建立栏目更新月度检查机制", "line": 18, "quote": "建立栏目更新月度检查机制", "answers": ["P1"]},
            {"id": "I2", "text": "丰富解读形式，2022年图解不少于10篇", "line": 19, "quote": "2022年图解解读不少于10篇", "answers": ["P2"]},
        ],
    }


def good_judge() -> dict:
    return {
        "findings": [
            {"code": "N005", "message": "总体情况称更新新媒体账号2个，第六部分称开设3个", "line": 6,
             "quote": "更新政务新媒体账号2个", "other_line": 21, "other_quote": "本年度共开设政务新媒体账号3个"},
        ],
        "scores": [
            {"criterion": "L1", "level": "A", "reason": "问题具体，有更新次数4次等数据", "line": 16, "quote": "栏目全年仅更新4次"},
            {"criterion": "L3", "level": "B", "reason": "提到上年问题已整改，但较笼统", "line": 15, "quote": "已通过建立周报制度整改完成"},
            {"criterion": "L4", "level": "B", "reason": "有数字，但平台建设较简略", "line": 4, "quote": "我局主动公开政府信息126条"},
        ],
    }


def as_json(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False)
