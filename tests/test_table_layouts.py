"""Tables as real publishing leaves them (issue 9), one made-up case per phenomenon.

The generator's table noises (testkit/table_noises.py, tests/test_table_noises.py) cover these in
every layout at random; here each phenomenon has a small, readable case whose expected cells were
worked out by hand.
"""

from __future__ import annotations

import pytest

from summarizer.audit import audit_path, audit_text

TITLE = "某某市某区民政局2023年政府信息公开工作年度报告\n本报告统计期限为2023年1月1日至2023年12月31日。\n一、总体情况\n本局主动公开信息。\n"
END = "五、存在的主要问题及改进情况\n问题。\n六、其他需要报告的事项\n本年度未收取信息处理费。\n某某市某区民政局\n2024年1月10日\n"
COLS = ("person", "company", "research", "ngo", "law_firm", "org_other", "total")


def report(active: str, applications: str, litigation: str) -> str:
    return (TITLE + "二、主动公开政府信息情况\n" + active + "\n三、收到和处理政府信息公开申请情况\n" + applications
            + "\n四、政府信息公开行政复议、行政诉讼情况\n" + litigation + "\n" + END)


def row(result, key: str) -> list:
    return [result.facts.cells.get(f"applications.{key}.{c}", "—") for c in COLS]


def codes(result) -> set[str]:
    return {f.code for f in result.findings}


# ---------------------------------------------------------------- HTML grids

HTML_APPS = """
<table border=1>
<tr><td colspan=3 rowspan=3>&nbsp;</td><td colspan=7>申请人情况</td></tr>
<tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>
<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan=3><p>一、本年新收政府信息公开申请数量</p></td><td><span style="font-size:10pt">5</span></td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td><font face=宋体>6</font></td></tr>
<tr><td colspan=3>二、上年结转政府信息公开申请数量</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td rowspan=4>三、本年度办理结果</td><td colspan=2>（一）予以<br>公开</td><td>4</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>5</td></tr>
<tr><td>（二）部分公开（区分处理的，只计这一情形，不计其他情形）</td><td></td><td>1</td><td>0</td><td>&nbsp;</td><td>0</td><td>0</td><td>0</td><td>1</td></tr>
<tr><td rowspan=1>（三）不予公开</td><td>1.属于国家秘密</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td colspan=2>（七）总计</td><td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
<tr><td colspan=3>四、结转下年度继续办理</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table>"""


def _html_page(tmp_path, body: str) -> str:
    page = ("<html><body><div class='nav'>首页 &gt; 政务公开</div><div class='content'>"
            + "".join(f"<p>{ln}</p>" for ln in TITLE.splitlines())
            + "<p>二、主动公开政府信息情况</p><p>无</p><p>三、收到和处理政府信息公开申请情况</p>" + body
            + "<p>四、政府信息公开行政复议、行政诉讼情况</p><p>无</p>"
            + "".join(f"<p>{ln}</p>" for ln in END.splitlines()) + "</div></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    return str(path)


def test_html_merged_cells_stray_cell_and_short_row(tmp_path):
    result, _ = audit_path(_html_page(tmp_path, HTML_APPS))
    assert row(result, "new") == [5, 1, 0, 0, 0, 0, 6]  # numbers in <span>/<font>, label in <p>
    assert row(result, "granted") == [4, 1, 0, 0, 0, 0, 5]  # label broken by <br>, group cell spans down
    # a stray empty <td> where the label should span two columns, and a blank written &nbsp;: the
    # values stay under their headers; the blank is a blank of its own column
    assert row(result, "partial") == [1, 0, None, 0, 0, 0, 1]
    # a short row (no 总计 cell): a blank in the last column, never a shift
    assert row(result, "withheld_1") == [0, 0, 0, 0, 0, 0, None]
    s006 = [f.message for f in result.findings if f.code == "S006"]
    assert any("部分公开" in m and "科研机构" in m for m in s006)
    assert not any("申请人情况" in m or "本年度办理结果" in m for m in s006)  # merged headers are not blanks


def test_html_row_off_the_header_grid_is_reported_not_shifted(tmp_path):
    shifted = HTML_APPS.replace(
        "<tr><td colspan=3>二、上年结转政府信息公开申请数量</td><td>0</td>",
        "<tr><td colspan=4>二、上年结转政府信息公开申请数量</td><td>0</td>")  # one column too far right
    result, _ = audit_path(_html_page(tmp_path, shifted))
    assert "applications.carried_over.person" not in result.facts.cells
    assert any(f.code == "S008" and "上年结转" in f.message for f in result.findings)


# ---------------------------------------------------------------- flattened web text

def _flat(apps: str, lit: str) -> str:
    return ("某某市某区民政局2023年政府信息公开工作年度报告\n本报告统计期限为2023年1月1日至2023年12月31日。一、总体情况本局主动公开信息。"
            "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000行政规范性文件2110"
            "第二十条第（五）项信息内容本年处理决定数量行政许可16第二十条第（六）项信息内容本年处理决定数量行政处罚3行政强制0"
            "第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费0"
            "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
            + apps + "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
            "未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计" + lit
            + "五、存在的主要问题及改进情况问题。六、其他需要报告的事项本年度未收取信息处理费。\n")


def _apps(rows: dict[str, str]) -> str:
    labels = [("new", "一、本年新收政府信息公开申请数量"), ("carried_over", "二、上年结转政府信息公开申请数量"),
              ("granted", "三、本年度办理结果（一）予以公开"), ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")]
    labels += [(f"withheld_{i}", f"{'（三）不予公开' if i == 1 else ''}{i}.{name}") for i, name in enumerate(
        ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益", "属于三类内部事务信息",
         "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"), start=1)]
    labels += [(f"unable_{i}", f"{'（四）无法提供' if i == 1 else ''}{i}.{name}") for i, name in enumerate(
        ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"), start=1)]
    labels += [(f"rejected_{i}", f"{'（五）不予处理' if i == 1 else ''}{i}.{name}") for i, name in enumerate(
        ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请", "要求行政机关确认或重新出具已获取信息"),
        start=1)]
    labels += [("other_1", "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
               ("other_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
               ("other_3", "3.其他"), ("total", "（七）总计"), ("carried_forward", "四、结转下年度继续办理")]
    return "".join(label + rows.get(key, "0000000") for key, label in labels)


def test_flattened_unique_and_arithmetic_unique_splits():
    apps = _apps({"new": "801000081", "granted": "640020470", "unable_1": "160000016",
                  "total": "801000081", "partial": "0 0 0 0 0 0 0"})
    apps = apps.replace("640020470", "640020470")
    result = audit_text(_flat(apps, "110024001510102"))
    assert row(result, "new") == [80, 1, 0, 0, 0, 0, 81]  # the only split whose 总计 is the sum
    assert row(result, "granted") == [64, 0, 0, 2, 0, 4, 70]
    assert row(result, "partial") == [0] * 7  # separated by spaces: read as written
    assert row(result, "withheld_2") == [0] * 7  # "00000002.其他法律…": the item number is the next row's
    # table 四: fifteen digits for fifteen cells, read one by one
    assert [result.facts.cells[f"litigation.review.{c}"] for c in ("upheld", "corrected", "other", "pending", "total")] \
        == [1, 1, 0, 0, 2]
    assert "applications.new.person" in result.facts.recovered_cells
    assert "applications.partial.person" not in result.facts.recovered_cells


def test_flattened_ambiguous_row_is_reported_with_candidates_not_guessed():
    # "220000022": 22|0|0|0|0|0|22 and 2|20|0|0|0|0|22 both keep the row's sum; the other rows
    # leave the column sums unable to decide (一 and （七） are unreadable too)
    apps = _apps({"new": "2200000", "granted": "220000022", "total": "2300000"})
    result = audit_text(_flat(apps, "000000000000000"))
    assert "applications.granted.person" not in result.facts.cells
    s008 = [f for f in result.findings if f.code == "S008" and "三、收到" in f.message]
    assert len(s008) == 1 and "予以公开" in s008[0].message and "2种" in s008[0].message  # one per table
    assert s008[0].quote and len(s008[0].quote) < 400  # a quote a viewer's search finds, not the whole line


def test_flattened_spaces_are_cell_boundaries_and_all_tables_on_one_line():
    apps = _apps({"new": "230 000023", "total": "23 0 00 0 023", "granted": "23 0 0 0 0 0 23"})
    result = audit_text(_flat(apps, "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"))
    assert row(result, "new") == [23, 0, 0, 0, 0, 0, 23]
    assert row(result, "total") == [23, 0, 0, 0, 0, 0, 23]


def test_flattened_litigation_split_by_group_sums():
    result = audit_text(_flat(_apps({}), "21317000001324019"))
    got = [result.facts.cells[f"litigation.{g}.{c}"] for g in ("review", "direct", "after_review")
           for c in ("upheld", "corrected", "other", "pending", "total")]
    assert got == [2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19]


def test_flattened_arithmetic_finding_says_cells_were_recovered():
    apps = _apps({"new": "200000121", "granted": "6000017", "total": "200000121", "partial": "6000006"})
    result = audit_text(_flat(apps, "000000000000000"))
    a003 = [f for f in result.findings if f.code == "A003"]
    assert a003 and "拆分" in a003[0].message


# ---------------------------------------------------------------- labels and cells in text layouts

ACTIVE_TABS = ("第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t1\t0\t5\n"
               "第二十条第（五）项\n信息内容\t本年处理决定数量\n行政许可\t3\n第二十条第（六）项\n信息内容\t本年处理决定数量\n"
               "行政处罚\t2\n行政强制\t0\n第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t0")
LIT_TABS = ("行政复议\t\t\t\t\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t" * 1 + "\n"
            + "\t".join(["0"] * 15))


def _apps_tabs(lines: list[str]) -> str:
    head = "\t\t\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
    return head + "\n".join(lines)


BASE_ROWS = ["一、本年新收政府信息公开申请数量\t\t\t3\t0\t0\t0\t0\t0\t3",
             "二、上年结转政府信息公开申请数量\t\t\t0\t0\t0\t0\t0\t0\t0",
             "三、本年度办理结果\t（一）予以公开\t\t2\t0\t0\t0\t0\t0\t2",
             "\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t1\t0\t0\t0\t0\t0\t1",
             "\t（七）总计\t\t3\t0\t0\t0\t0\t0\t3",
             "四、结转下年度继续办理\t\t\t0\t0\t0\t0\t0\t0\t0"]


def test_label_broken_over_two_lines_in_tab_rows():
    rows = list(BASE_ROWS)
    rows[2:3] = ["三、本年度办理结果\t（一）予以", "\t公开\t\t2\t0\t0\t0\t0\t0\t2"]
    result = audit_text(report(ACTIVE_TABS, _apps_tabs(rows), LIT_TABS))
    assert row(result, "granted") == [2, 0, 0, 0, 0, 0, 2]


def test_label_broken_in_pipe_and_markdown_layouts():
    pipe = ("一、本年新收政府信息公开申请数量 |\n3 |\n0 |\n0 |\n0 |\n0 |\n0 |\n3 |\n||\n"
            "（一）予以\n公开 |\n2 |\n0 |\n0 |\n0 |\n0 |\n0 |\n2 |\n||\n")
    result = audit_text(report(ACTIVE_TABS, pipe, LIT_TABS))
    assert row(result, "granted") == [2, 0, 0, 0, 0, 0, 2]
    md = ("| | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n|---|---|---|---|---|---|---|---|\n"
          "| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n"
          "| （一）予以<br>公开 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |\n")
    result = audit_text(report(ACTIVE_TABS, md, LIT_TABS))
    assert row(result, "granted") == [2, 0, 0, 0, 0, 0, 2]


@pytest.mark.parametrize("written", ["规章 22 3 235\n（其中修订 16 件）", "规章 22 （其中修订 16 件） 3 235",
                                     "规章 22（其中修订16件） 3 235", "规章\t22（其中修订16件）\t3\t235",
                                     "规章\t22\t3(含自然失效2件)\t235"])
def test_bracketed_remarks_with_counts_are_not_cells_or_rows(written):
    """"（其中修订 16 件）" annotates the cell before it: its count is no cell, its words no row (S007)."""
    result = audit_text(report(ACTIVE_TABS.replace("规章\t0\t0\t0", written), _apps_tabs(BASE_ROWS), LIT_TABS))
    assert [result.facts.cells.get(f"active.regulations.{c}") for c in ("issued", "repealed", "in_force")] == [22, 3, 235]
    assert not codes(result) & {"S007", "S008"}


def test_pipe_export_with_bare_bars_for_blank_cells_and_padding():
    """A web page exported one cell per line with " |" after each cell, whose blank cells lost
    their space ("|") and whose rows end in padding cells: the blanks keep their columns."""
    pipe = ("一、本年新收政府信息公开申请数量 |\n|\n|\n|\n|\n|\n|\n3 |\n||\n"
            "二、上年结转政府信息公开申请数量 |\n1 |\n0 |\n0 |\n0 |\n0 |\n0 |\n1 |\n|\n||\n")
    result = audit_text(report(ACTIVE_TABS, pipe, LIT_TABS))
    assert row(result, "new") == [None, None, None, None, None, None, 3]
    assert row(result, "carried_over") == [1, 0, 0, 0, 0, 0, 1]  # the padding "|" after 总计 is no cell
    assert "S006" in codes(result) and "S008" not in codes(result)


def _one_per_line(cells: list[str], sep: str) -> str:
    """Cells one per line, each followed by `sep` lines ("" = a blank line, "|" = a bar line)."""
    return "\n".join(line for c in cells for line in ([c, sep] if c != "<empty>" else [sep]))


ACTIVE_CELLS = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "0", "0", "0",
                "行政规范性文件", "1", "0", "5", "第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "3",
                "第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "2", "行政强制", "0", "第二十条第（八）项",
                "信息内容", "本年收费金额（单位：万元）", "行政事业性收费", "0"]
APPS_CELLS = ["申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他",
              "一、本年新收政府信息公开申请数量", *["<empty>"] * 6, " 3",
              "二、上年结转政府信息公开申请数量", " 1", " 0", " 0", " 0", " 0", " 0", " 1",
              "三、本年度办理结果", "（一）予以公开", " 2", " 0", " 0", " —", " 0", " 0", " 2",
              "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", " 2", " 0", " 0", " 0", " 0", " 0", "<empty>",
              "（七）总计", " 4", " 0", " 0", " 0", " 0", " 0", " 4",
              "四、结转下年度继续办理", " 0", " 0", " 0", " 0", " 0", " 0", " 0"]


def test_a_paragraph_per_cell_with_empty_paragraphs_for_blank_cells():
    """A CMS page that makes every table cell a paragraph: one blank line between cells, and an
    empty cell one more blank line (seen on county and township pages). Six empty cells before
    the total keep the total in its column; a blank last cell stays blank."""
    result = audit_text(report(_one_per_line(ACTIVE_CELLS, ""), _one_per_line(APPS_CELLS, ""), LIT_TABS))
    cells = result.facts.cells
    assert [cells[f"active.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert [cells[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] == [1, 0, 5]
    assert cells["active.licensing.decisions"] == 3 and cells["active.penalty.decisions"] == 2
    assert row(result, "new") == [None, None, None, None, None, None, 3]
    assert row(result, "carried_over") == [1, 0, 0, 0, 0, 0, 1]
    assert row(result, "granted") == [2, 0, 0, None, 0, 0, 2]
    assert row(result, "partial") == [2, 0, 0, 0, 0, 0, None]
    assert "S006" in codes(result) and "S008" not in codes(result)
    assert result.tables[0].layout == "paragraphs"


def test_a_paragraph_per_cell_without_blank_lines():
    """The same page with its blank lines collapsed: one cell per line, no tabs, no bars."""
    active = "\n".join(ACTIVE_CELLS)
    result = audit_text(report(active, _one_per_line([c for c in APPS_CELLS if c != "<empty>"][:35], "")
                               .replace("\n\n", "\n"), LIT_TABS))
    assert [result.facts.cells[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] == [1, 0, 5]
    assert row(result, "carried_over") == [1, 0, 0, 0, 0, 0, 1]


@pytest.mark.parametrize("bar", ["|", " |"])
def test_a_bar_line_after_each_cell(bar):
    """A scraper that writes the cell separator on a line of its own ("0" / "|" / "0" / "|"): each
    bar ends the cell above it, a bar after a bar is an empty cell, and a bar before a label
    ("| 规章") is a separator, not part of the label. Before, the values slid into the next row."""
    active = _one_per_line(ACTIVE_CELLS, bar).replace("规章\n", "| 规章\n", 1)
    apps = _one_per_line(APPS_CELLS, bar)
    result = audit_text(report(active, apps, LIT_TABS))
    cells = result.facts.cells
    assert [cells[f"active.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert [cells[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] == [1, 0, 5]
    assert row(result, "new") == [None, None, None, None, None, None, 3]
    assert row(result, "carried_over") == [1, 0, 0, 0, 0, 0, 1]
    assert row(result, "granted") == [2, 0, 0, None, 0, 0, 2]
    assert "S008" not in codes(result)


def test_rows_of_several_cells_keep_their_reading_among_single_cells():
    """A text region of row-per-line tables whose values happen to stand one per line in a few
    rows is not taken for a paragraph-per-cell page: the row lines keep their own reading."""
    active = ACTIVE_TABS.replace("\t", " ")
    result = audit_text(report(active, _apps_tabs(BASE_ROWS).replace("\t", " "), LIT_TABS))
    assert row(result, "new") == [3, 0, 0, 0, 0, 0, 3]
    assert result.facts.cells["active.normative_documents.in_force"] == 5


@pytest.mark.parametrize("sep", ["\t", " | "])  # tabs, or " | " with a bar closing each line
def test_labels_with_an_explanatory_note(sep):
    """A provincial template that explains rows inside their labels (seen in Hubei reports):
    the note, closed or cut off, does not hide the row (before: S005 missing + S007 extra)."""
    active = ACTIVE_TABS.replace("规章\t", "规章（设区的市、自治州人民政府应提供相关数据）\t").replace(
        "行政规范性文件\t", "行政规范性文件（行政机关制定发布的决定、公告、通告、意见、通\t").replace(
        "行政许可\t", "行政许可(指本年作出的许可决定)\t").replace("\t", sep)
    if sep != "\t":
        active = "\n".join(ln + " |" for ln in active.split("\n"))
    result = audit_text(report(active, _apps_tabs(BASE_ROWS), LIT_TABS))
    cells = result.facts.cells
    assert [cells[f"active.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert [cells[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] == [1, 0, 5]
    assert cells["active.licensing.decisions"] == 3
    assert not [f for f in result.findings if f.code in ("S005", "S007", "S008") and "主动公开" in f.message]


def test_an_amount_written_in_yuan_is_read_in_wan_and_a_doubled_minus_is_a_minus():
    """The amount columns are in 万元: "152790元" is 15.279 (before: 152790, ten thousand times too
    much). "--253" in 本年增/减 is -253 typed with the minus twice (before: a false extra row)."""
    active = ACTIVE_TABS.replace("行政事业性收费\t0", "行政事业性收费\t152790元")
    result = audit_text(report(active, _apps_tabs(BASE_ROWS), LIT_TABS))
    assert result.facts.cells["active.fees.amount"] == pytest.approx(15.279)
    from summarizer.tables.values import amount_in_wan, parse_cell

    assert parse_cell("--253") == -253 and parse_cell("--") is None
    assert amount_in_wan("160.5964万元", 160.5964) == 160.5964 and amount_in_wan("8", 8) == 8


@pytest.mark.parametrize("slipped,key", [("（一）子以公开", "granted"), ("本年新收政府信自公开申请数量", "new")])
def test_one_character_slips_in_labels(slipped, key):
    rows = [r.replace("（一）予以公开", slipped) if key == "granted" else r.replace("本年新收政府信息公开申请数量", slipped)
            for r in BASE_ROWS]
    result = audit_text(report(ACTIVE_TABS.replace("行政许可", "行政讦可"), _apps_tabs(rows), LIT_TABS))
    assert row(result, key)[-1] in (2, 3)
    assert result.facts.cells["active.licensing.decisions"] == 3  # 行政讦可 where 行政许可 is expected
    assert "S007" not in codes(result)


def test_a_slip_away_from_its_expected_place_is_not_read():
    """Position restricts slips: a slipped label standing where another row is expected is not read as it."""
    rows = list(BASE_ROWS)
    rows.insert(1, "（一）子以公开\t\t\t9\t0\t0\t0\t0\t0\t9")  # before 二、上年结转: not where 予以公开 stands
    result = audit_text(report(ACTIVE_TABS, _apps_tabs(rows), LIT_TABS))
    assert row(result, "granted") == [2, 0, 0, 0, 0, 0, 2]


@pytest.mark.parametrize("dash", ["—", "-", "－", "/", "无", "／"])
def test_dashes_are_blanks_in_their_own_column(dash):
    rows = [r.replace("\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t1\t0\t0",
                      f"\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t\t1\t0\t{dash}") for r in BASE_ROWS]
    active = ACTIVE_TABS.replace("规章\t0\t0\t0", f"规章 0 {dash} 0")  # plain, space-separated too
    result = audit_text(report(active, _apps_tabs(rows), LIT_TABS))
    assert row(result, "partial") == [1, 0, None, 0, 0, 0, 1]
    assert [result.facts.cells[f"active.regulations.{c}"] for c in ("issued", "repealed", "in_force")] == [0, None, 0]
    assert "S006" in codes(result)


def test_trailing_tab_is_a_blank_last_cell():
    rows = [r.replace("四、结转下年度继续办理\t\t\t0\t0\t0\t0\t0\t0\t0", "四、结转下年度继续办理\t\t\t0\t0\t0\t0\t0\t0\t")
            for r in BASE_ROWS]
    result = audit_text(report(ACTIVE_TABS, _apps_tabs(rows), LIT_TABS))
    assert row(result, "carried_forward") == [0, 0, 0, 0, 0, 0, None]


def test_a_table_with_no_number_is_blank_not_unreadable():
    """Table 二 published with every value left out: rows of blank tab cells beside rows with no
    cell at all (行政许可 has one column). No number anywhere in the table, so each row is blank
    (S006, one summary) — never "unreadable" (S008) for the rows that kept no tab."""
    active = "\n".join(line.split("\t")[0] + ("\t\t\t" if line.startswith(("规章", "行政规范性文件")) else "")
                       if line.split("\t")[-1].isdigit() else line for line in ACTIVE_TABS.split("\n"))
    result = audit_text(report(active, _apps_tabs(BASE_ROWS), LIT_TABS))
    assert result.facts.cells["active.regulations.issued"] is None
    assert result.facts.cells["active.licensing.decisions"] is None
    assert "S008" not in codes(result)
    s006 = [f.message for f in result.findings if f.code == "S006"]
    assert any("规章" in m or "二、主动公开" in m for m in s006)


def test_page_furniture_between_rows():
    rows = list(BASE_ROWS)
    rows[3:3] = ["— 4 —", "第 3 页 共 7 页", "某某市某区民政局2023年政府信息公开工作年度报告",
                 "\t\t\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计"]
    result = audit_text(report(ACTIVE_TABS, _apps_tabs(rows), LIT_TABS))
    assert row(result, "partial") == [1, 0, 0, 0, 0, 0, 1]
    assert not {"S007", "S008"} & codes(result)


def test_pdf_findings_cite_page_and_line(tmp_path):
    pytest.importorskip("fpdf")
    from testkit.documents import cjk_font
    if cjk_font() is None:
        pytest.skip("no CJK font (the test extra's justmytype-intl-cjk)")
    from testkit.synth import generate

    rep = generate(3, "2021", "pdf", defect="a004_litigation_total")
    result, _ = audit_path(rep.write(tmp_path))
    a004 = [f for f in result.findings if f.code == "A004"]
    assert a004 and a004[0].page is not None and a004[0].page >= 1


def test_docx_findings_cite_table_and_row(tmp_path):
    pytest.importorskip("docx")
    from summarizer.render.common import location
    from testkit.synth import generate

    rep = generate(3, "2021", "docx", defect="a004_litigation_total")
    result, _ = audit_path(rep.write(tmp_path))
    a004 = next(f for f in result.findings if f.code == "A004")
    assert a004.place == "第3个表格第4行"  # table 四 is the document's third table; its values row is the 4th
    assert location(a004) == "第3个表格第4行"


def test_pipe_cells_indented_with_tabs_and_pinyin_in_labels():
    """Real mirror page: a pipe cell indented with tabs ("\\t\\t\\t951  | ") is one cell, not three
    empty tab columns before it; pinyin after a character ("规(guī)章") is not part of the label."""
    active = ("信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
              "规(guī)章  | \n\t\t0  | \n\t\t0  | \n\t\t0  | \n"
              "行政规（guī）范性文件  | \n\t\t0  | \n\t\t0  | \n\t\t0  | \n"
              "信息内容 | 本年处理决定数量 |\n行政许可  | \n\t\t\t951  | \n")
    result = audit_text(report(active, "", ""))
    cells = result.facts.cells
    assert cells["active.licensing.decisions"] == 951
    assert cells["active.regulations.issued"] == 0 and cells["active.normative_documents.in_force"] == 0
    assert not {"S006", "S007"} & codes(result)


def test_a_table_of_labels_only_is_blank_not_unreadable():
    """Real page: table 三 printed with its row labels and no value at all — every cell blank
    (S006), not 'unreadable' (S008) row by row."""
    apps = "\n".join(["自然人", "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
                      "（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "四、结转下年度继续办理"])
    result = audit_text(report("", apps, ""))
    assert "S008" not in codes(result) and "S006" in codes(result)
    assert all(v is None for k, v in result.facts.cells.items() if k.startswith("applications.new."))


def test_flattened_narrative_before_the_table_and_a_plan_for_part_five():
    """Real flattened pages: the narrative of 二 names "规范性文件类11条" before the table's header
    (the 规章 row was lost to it: a false S005), and 五 is titled "…及明年工作计划" (a false S001)."""
    apps = _apps({"new": "0000000"})
    text = _flat(apps, "0" * 15).replace(
        "二、主动公开政府信息情况第二十条", "二、主动公开政府信息情况2024年，主动公开政府信息124条，涵盖政策及规范性文件类11条、"
        "其他应主动公开的政府信息75条。第二十条").replace("五、存在的主要问题及改进情况", "五、存在的主要问题及明年工作计划")
    result = audit_text(text)
    assert [result.facts.cells.get(f"active.regulations.{c}") for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert [s.number for s in result.facts.sections] == [1, 2, 3, 4, 5, 6]
    assert not {"S001", "S005"} & codes(result)


def test_wholly_blank_row_after_a_merged_group_cell_is_a_blank_row():
    """An HTML/DOCX export writes （二）部分公开 under the merged 本年度办理结果 cell as
    "\\t（二）部分公开\\t\\t…\\t": one covered field, the label, then only blank cells. The row is
    read with its seven cells blank (S006), not as one cell of a paragraph-per-cell table (a false
    S008 on a real page, 2019 format, an office with few applications)."""
    from summarizer.tables.tokenize import layout_of

    assert layout_of("\t（二）部分公开\t\t\t\t\t\t\t\t") == "tabs"
    assert layout_of("\t\t1.属于国家秘密\t\t\t\t\t\t\t") == "tabs"
    assert layout_of("\t12") == "cells"  # one indented cell per line stays what it was
    zero = "\t".join(["0"] * 7)
    blank = "\t" * 7
    apps = (f"一、本年新收政府信息公开申请数量\t\t\t{zero}\n二、上年结转政府信息公开申请数量\t\t\t{zero}\n"
            f"三、本年度办理结果\t（一）予以公开\t\t{zero}\n\t（二）部分公开\t\t{blank}\n"
            f"\t（六）其他处理\t\t{blank}\n\t（七）总计\t\t{zero}\n四、结转下年度继续办理\t\t\t{zero}")
    result = audit_text(report("规章\t0\t0\t0", apps, ""), "r.txt")
    assert row(result, "partial") == [None] * 7 and row(result, "granted") == [0] * 7
    assert "S008" not in codes(result) and "S006" in codes(result)


def test_header_counts_suits_when_one_group_of_table_four_is_blank():
    """复议后起诉 left blank (a real 2019 page): the header shows the direct suits and says the
    other group is blank, instead of hiding both behind "—"."""
    from summarizer.render.common import headline

    lit = ("0\t0\t0\t0\t0\t9\t0\t0\t0\t9\t\t\t\t\t")
    result = audit_text(report("规章\t0\t0\t0", "", lit), "r.txt")
    assert result.facts.cells["litigation.direct.total"] == 9
    assert result.facts.cells["litigation.after_review.total"] is None
    assert dict(headline(result))["行政复议 / 行政诉讼"] == "0 / 9 件（复议后起诉总计为空）"


def test_a_table_with_its_header_but_no_numbers_is_named_as_such():
    """A page cut after table 四's header (or a blank template): S004 says the header is there and
    the numbers are not, instead of 'perhaps an image'; a heading with nothing under it keeps that."""
    head = "行政复议\n行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t复议后起诉"
    result = audit_text(report("规章\t0\t0\t0", "", head), "r.txt")
    s004 = [f.message for f in result.findings if f.code == "S004"]
    assert any("四、" in m and "只有表头" in m and "图片" not in m for m in s004), s004
    assert any("三、" in m and "图片" in m for m in s004), s004


def test_a_lost_character_before_a_number_keeps_the_cell():
    """"? 0": a special space the page's encoding could not hold, printed as ?/？/U+FFFD before the
    number (a real mirror page lost two rows of table 二 to it: S008 + S007 "? 0"). The number is
    read; a sign after the lost character, or a longer run of them, is not a cell anyone wrote."""
    from summarizer.tables.values import parse_cell

    assert [parse_cell(t) for t in ("? 0", "？12", "\ufffd3", "?-3", "???5", "?")] == [0, 12, 3, None, None, None]
    active = "规章 |\n0 |\n? 0 |\n0 |\n行政规范性文件 |\n2 |\n？1 |\n7 |"
    result = audit_text(report(active, "", ""), "r.txt")
    cells = result.facts.cells
    assert [cells.get(f"active.normative_documents.{c}") for c in ("issued", "repealed", "in_force")] == [2, 1, 7]
    assert not {"S007", "S008"} & {f.code for f in result.findings if "二、" in f.message or "规章" in f.message}


def test_a_wholly_blank_row_is_not_renamed_by_the_first_part_of_the_next_label():
    """A blank row 7 ("7.属于行政执法案卷" + seven empty cells) followed by row 8's label wrapped over
    two lines ("8.属于行政" / "查询事项 0 …"): row 7 keeps its blank cells (S006), row 8 reads its
    values; the fragment once renamed the open blank row and raised S008 'row with 0 cells'. The
    indentation tabs before a label are no cells of the row above either."""
    z, b = "\t".join(["0"] * 7), "\t" * 7
    apps = (f"一、本年新收政府信息公开申请数量\t\t\t{z}\n三、本年度办理结果\t（一）予以公开\t\t{z}\n"
            f"\t（三）不予公开\t1.属于国家秘密\t{z}\n\t\t7.属于行政执法案卷\t{b}\n\t\t8.属于行政\n"
            f"\t\t查询事项\t{z}\t\n\t（七）总计\t\t{z}\n")
    result = audit_text(report("规章\t0\t0\t0", apps, ""), "r.txt")
    assert row(result, "withheld_7") == [None] * 7 and row(result, "withheld_8") == [0] * 7
    assert "S008" not in codes(result)


def test_a_blank_first_cell_in_rows_closed_by_a_bar():
    """Pipe text one cell per line, each row closed by a bare "|" (2019 table 二): "行政处罚 |" / "|" /
    "+239 |" / "239 |" / "|" is a blank 上一年项目数量, not a blank 处理决定数量 with every value shifted
    left (the other rows end in the same closing bar)."""
    def rows(*pairs):
        return "\n".join(f"{label} |\n" + "\n".join(f"{v} |" if v else "|" for v in vals) + "\n|" for label, vals in pairs)
    active = ("第二十条第（五）项 |\n信息内容 |\n上一年项目数量 |\n本年增/减 |\n处理决定数量 |\n|\n"
              + rows(("行政许可", ("339", "+123", "462")), ("其他对外管理服务事项", ("0", "0", "0")))
              + "\n第二十条第（六）项 |\n信息内容 |\n上一年项目数量 |\n本年增/减 |\n处理决定数量 |\n|\n"
              + rows(("行政处罚", ("", "+239", "239")), ("行政强制", ("", "+10", "10"))))
    text = report(active, _apps_tabs(BASE_ROWS), LIT_TABS).replace("2023", "2019")
    cells = audit_text(text).facts.cells
    assert [cells.get(f"active.penalty.{c}") for c in ("previous", "change", "decisions")] == [None, 239, 239]
    assert [cells.get(f"active.licensing.{c}") for c in ("previous", "change", "decisions")] == [339, 123, 462]


def test_cells_closed_by_bars_with_the_last_value_between_bars():
    """"一、本年新收… |" / "|" ×5 / "| 0 | ||": each bare bar closes a blank cell, and so does the
    last line's first bar; the 0 is the 总计, the rest padding (the 0 was read as 法律服务机构)."""
    apps = ("\t\t\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"
            "一、本年新收政府信息公开申请数量 |\n" + "|\n" * 5 + "| 0 | ||\n"
            "二、上年结转政府信息公开申请数量 | 25 |\n" + "|\n" * 4 + "| 25 |\n")
    result = audit_text(report(ACTIVE_TABS, apps, LIT_TABS))
    assert row(result, "new") == [None] * 6 + [0]
    assert row(result, "carried_over") == [25] + [None] * 5 + [25]


def test_a_row_whose_page_dropped_its_empty_cells_is_blank_not_unreadable():
    """Table 二 one cell per line where the page dropped empty cells: "规范性文件" is followed at once
    by the next label. With numbers elsewhere in the table the row is still blank (S006): a row
    with no cell cannot be misaligned (it was S008 '只有0个单元格')."""
    active = ("第二十条第（一）项\n信息内容\n本年制发件数\n本年废止件数\n现行有效件数\n规章\n0\n0\n0\n行政规范性文件\n"
              "第二十条第（五）项\n信息内容\n本年处理决定数量\n行政许可\n5\n第二十条第（六）项\n信息内容\n本年处理决定数量\n"
              "行政处罚\n2\n行政强制\n0\n第二十条第（八）项\n信息内容\n本年收费金额（单位：万元）\n行政事业性收费\n0")
    result = audit_text(report(active, _apps_tabs(BASE_ROWS), LIT_TABS))
    assert result.facts.cells["active.normative_documents.issued"] is None
    assert result.facts.cells["active.licensing.decisions"] == 5
    assert "S008" not in codes(result)


def test_pipe_rows_padded_to_their_tables_width_keep_their_blank_cells():
    """A page writing every row of table 二 as four fields ("规章 | |||", "行政规范性文件 | 2 | ||"):
    the bare bars after the 2 make the row exactly as wide as its table, so they are its blank
    cells (2 was dropped, S008). A row padded beyond its width stays unreadable: which cell the
    number fills is not known. A last row with no cell before the next part's heading is blank."""
    active = ("第二十条第(一)项 | |||\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n规章 | |||\n"
              "行政规范性文件 | 2 | ||\n第二十条第(五)项 | |||\n信息内容 | 本年处理决定数量 | ||\n行政许可 | 3 | ||\n"
              "第二十条第(八)项 | |||\n信息内容 | 本年收费金额(单位:万元) | ||\n行政事业性收费 |")
    result = audit_text(report(active, "", ""))
    cells = result.facts.cells
    assert [cells[f"active.normative_documents.{c}"] for c in ("issued", "repealed", "in_force")] == [2, None, None]
    assert cells["active.licensing.decisions"] == 3 and cells["active.fees.amount"] is None
    assert "S008" not in codes(result) and "S006" in codes(result)
    wide = audit_text(report(active.replace("行政规范性文件 | 2 | ||", "行政规范性文件 | 2 | ||||||||"), "", ""))
    assert wide.facts.cells.get("active.normative_documents.issued") is None and "S008" in codes(wide)


@pytest.mark.parametrize("sign", ["增", "减", "+"])
def test_a_sign_word_without_its_number_is_a_blank_change_cell(sign):
    """"行政处罚 | 0 | 增 | 25 | |" (2019 table 二): the 增 alone is the 本年增/减 cell left without its
    number (blank, S006), not a row label (it dropped 处理决定数量 25: false S007 and S008)."""
    active = ("第二十条第（五）项 | | | |\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n行政许可 | 3 | +1 | 4 |\n"
              f"第二十条第（六）项 | | | |\n信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n行政处罚 | 0 | {sign} | 25 | |\n"
              "行政强制 | 0 | 0 | 0 |")
    result = audit_text(report(active, _apps_tabs(BASE_ROWS), LIT_TABS).replace("2023", "2019"))
    cells = result.facts.cells
    assert [cells.get(f"active.penalty.{c}") for c in ("previous", "change", "decisions")] == [0, None, 25]
    assert "S006" in codes(result) and not {"S007", "S008"} & codes(result)


def test_table_two_on_one_line_with_its_headers_between_rows():
    """Each table written on one line, its group and column headers before each group's rows
    ("第二十条第(五)项 信息内容 本年处理决定数量 行政许可 0 …"): the headers run into the next row's label
    (规章, 行政许可, 行政处罚 and 行政事业性收费 were lost, a false S005)."""
    active = ("第二十条第(一)项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章 0 0 0 行政规范性文件 1 0 5 "
              "第二十条第(五)项 信息内容 本年处理决定数量 行政许可 3 第二十条第(六)项 信息内容 本年处理决定数量 行政处罚 4 "
              "行政强制 0 第二十条第(八)项 信息内容 本年收费金额(单位:万元) 行政事业性收费 2.5")
    result = audit_text(report(active, _apps_tabs(BASE_ROWS), LIT_TABS))
    cells = result.facts.cells
    assert [cells.get(f"active.regulations.{c}") for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert [cells.get(f"active.{r}.decisions") for r in ("licensing", "penalty", "enforcement")] == [3, 4, 0]
    assert cells.get("active.fees.amount") == 2.5 and result.facts.format_version == "2021"
    assert not [f for f in result.findings if f.code in ("S005", "S007", "S008") and "主动公开" in f.message]


def test_an_amount_written_with_a_bare_wan():
    """"140万" in 采购总金额 (万元) is 140, and a count written "1.5万" is 15,000 (before: unreadable,
    a false S008 and both cells of the row lost)."""
    from summarizer.tables.values import amount_in_wan, parse_cell

    assert parse_cell("140万") == 1_400_000 and amount_in_wan("140万", parse_cell("140万")) == 140
    assert parse_cell("1.5万") == 15_000 and amount_in_wan("0.25万", parse_cell("0.25万")) == 0.25
    active = ACTIVE_TABS.replace("行政事业性收费\t0", "行政事业性收费\t140万")
    result = audit_text(report(active, _apps_tabs(BASE_ROWS), LIT_TABS))
    assert result.facts.cells["active.fees.amount"] == 140 and "S008" not in codes(result)


def test_a_sentence_naming_legal_persons_is_not_table_threes_header():
    """"未收到公民、法人或其他组织…申请" under part 三 with no table: no table text at all (S004 said
    "only its header or row names were seen")."""
    text = report(ACTIVE_TABS, "本年度未收到公民、法人或其他组织提出的政府信息公开申请。", LIT_TABS)
    s004 = [f for f in audit_text(text).findings if f.code == "S004" and "三、" in f.message]
    assert s004 and "表头或行名" not in s004[0].message


def test_a_closing_bare_bar_after_a_group_rows_total_is_not_a_cell():
    """One cell per line with " |" after each (a blank cell a bare "|"); a group's first row (under
    三、本年度办理结果, （三）不予公开) ends with a bare "|" where the others end with "||": the row has
    one blank too many at each end, and the 总计 went into 其他 (the other rows end in their 总计)."""
    def row(label, total, end):
        return f"{label} |\n" + "|\n" * 6 + f"{total} |\n{end}\n"
    apps = ("三、本年度办理结果 |\n" + row("（一）予以公开", 3, "|") + row("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 0, "||")
            + "（三）不予公开 |\n" + row("1.属于国家秘密", 0, "|") + row("2.其他法律行政法规禁止公开", 0, "||")
            + row("3.危及“三安全一稳定”", 0, "||"))
    result = audit_text(report(ACTIVE_TABS, apps, LIT_TABS))
    assert row_cells(result, "granted") == [None] * 6 + [3]
    assert row_cells(result, "withheld_1") == [None] * 6 + [0]


def row_cells(result, key):
    return [result.facts.cells.get(f"applications.{key}.{c}", "—") for c in COLS]


def test_table_four_numbers_that_cannot_be_placed_are_unreadable_not_blank():
    """"5 2 7 8 1 9" under table 四's fifteen column names (a PDF row whose blank cells vanished): the
    six numbers cannot be placed (S008), they are not fifteen blank cells (three false S006)."""
    lit = ("行政复议\t\t\t\t\t行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计 "
           "结果维持 结果纠正 其他结果 尚未审结 总计\n5 2 7 8 1 9")
    result = audit_text(report(ACTIVE_TABS, _apps_tabs(BASE_ROWS), lit))
    found = {f.code: f.message for f in result.findings}
    assert "S008" in found and "行政复议" in found["S008"]
    assert not [f for f in result.findings if f.code == "S006" and "行政复议" in f.message]
    assert result.facts.cells.get("litigation.review.total") is None


def test_indented_blank_lines_between_the_bar_cells_of_a_row():
    """"       规章  |" / "      " / "       0  |" / "      " / "       0  |" …: a page indented from
    its HTML leaves a blank line after each cell; the row was closed after its first number (S008)."""
    def cells(label, *vals):
        return f"       {label}  | \n      \n" + "".join(f"       {v}  | \n      \n" for v in vals) + "| \n"
    active = ("第二十条第（一）项 |\n信息内容 |\n本年制发件数 |\n本年废止件数 |\n现行有效件数 |\n"
              + cells("规章", 0, 0, 0) + cells("行政规范性文件", 2, 0, 5))
    result = audit_text(report(active, _apps_tabs(BASE_ROWS), LIT_TABS))
    c = result.facts.cells
    assert [c.get(f"active.normative_documents.{k}") for k in ("issued", "repealed", "in_force")] == [2, 0, 5]
    assert [c.get(f"active.regulations.{k}") for k in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert not [f for f in result.findings if f.code == "S008" and "主动公开" in f.message]


def test_blank_lines_between_cells_each_closed_by_a_bare_bar_line():
    """The same spacing when each cell's closing bar is on a line of its own ("0" / "|" / "" /
    "0" / "|"), and a blank cell written as a bare "|" after the spacing: all one row."""
    def cells(label, *vals):
        return f"  {label}\n  |\n" + "".join(f"\n  {v}\n  |\n" for v in vals)
    active = ("第二十条第（一）项\n|\n信息内容\n|\n本年制发件数\n|\n本年废止件数\n|\n现行有效件数\n|\n"
              + cells("规章", 0, 0, 0) + cells("行政规范性文件", 2, 0, 5))
    result = audit_text(report(active, _apps_tabs(BASE_ROWS), LIT_TABS))
    c = result.facts.cells
    assert [c.get(f"active.normative_documents.{k}") for k in ("issued", "repealed", "in_force")] == [2, 0, 5]
    assert [c.get(f"active.regulations.{k}") for k in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert not [f for f in result.findings if f.code == "S008" and "主动公开" in f.message]
    # a spacing line before a bare "|" blank cell keeps the row whole: 0 / "" / "|" / 5
    active = ("第二十条第（一）项 |\n信息内容 |\n本年制发件数 |\n本年废止件数 |\n现行有效件数 |\n"
              "  规章 |\n  0 |\n\n  0 |\n\n  0 |\n  行政规范性文件 |\n  2 |\n\n|\n\n  5 |\n")
    result = audit_text(report(active, _apps_tabs(BASE_ROWS), LIT_TABS))
    c = result.facts.cells
    assert [c.get(f"active.normative_documents.{k}") for k in ("issued", "repealed", "in_force")] == [2, None, 5]


def test_spacing_after_a_label_closed_by_its_bar_and_before_remarked_values():
    """"规范性文件…" / "|" / "" / "5（其中修订2件）" / "|" / "" / "5（其中废止1件）" / "|": the spacing after the
    label's bar and before a value with a remark, and a page's footer and running header inside the
    row, keep the row whole (the all-noises eval read one cell of three, S008)."""
    active = ("第二十条第（一）项\n|\n信息内容\n|\n本年制发件数\n|\n本年废止件数\n|\n现行有效件数\n|\n"
              "  规章\n  |\n\n  0\n  |\n\n  0\n  |\n  0\n  |\n"
              "  行政规范性文件\n  |\n\n  5（其中修订2件）\n  |\n\n第 7 页 共 10 页\n政府信息公开工作年度报告\n"
              "  1（其中废止1件）\n  |\n  37\n  |\n")
    result = audit_text(report(active, _apps_tabs(BASE_ROWS), LIT_TABS))
    c = result.facts.cells
    assert [c.get(f"active.normative_documents.{k}") for k in ("issued", "repealed", "in_force")] == [5, 1, 37]
    assert [c.get(f"active.regulations.{k}") for k in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert not [f for f in result.findings if f.code == "S008" and "主动公开" in f.message]
