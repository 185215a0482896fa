"""Regression cases for the way officials really write reports (issue 8): numbers, periods, dates,
agencies, traditional characters, narrative lists. Short made-up excerpts in real shapes, plus a
few short real ones (≤ 120 characters) from public pages of 平潭综合实验区 bodies."""

from __future__ import annotations

import re

import cn2an
import pytest

from summarizer.audit import audit_text
from summarizer.document import InputError, to_document
from summarizer.enumerations import find_enumerations
from summarizer.issue_date import find_issue_date
from summarizer.numbers import parse_number, to_number
from summarizer.segment import segment
from summarizer.stat_period import period_in
from testkit.synth import generate

# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize("text,value,tol", [
    ("6,488", 6488, 0), ("6，488", 6488, 0), ("6 488", 6488, 0), ("2.17万", 21700, 50), ("1.2亿", 120000000, 5e6),
    ("十三", 13, 0), ("一百零三", 103, 0), ("两", 2, 0), ("二〇二三", 2023, 0), ("一千零一", 1001, 0), ("3", 3, 0),
])
def test_prose_numbers(text, value, tol):
    n = parse_number(text)
    assert n.value == value and n.tolerance == tol


def test_chinese_numerals_agree_with_cn2an():
    for n in list(range(0, 2000)) + [10000, 10001, 20305, 99999, 100000, 1234567]:
        text = cn2an.an2cn(n)
        assert to_number(text) == n, text


# ---------------------------------------------------------------- statistics period


@pytest.mark.parametrize("text,want", [
    ("本报告所列数据的统计期限自2019年1月1日起至2019年12月31日止。", ("2019-01-01", "2019-12-31")),
    ("统计期限为2019.1.1-2019.12.31。", ("2019-01-01", "2019-12-31")),
    ("统计时限为2019/01/01至2019/12/31。", ("2019-01-01", "2019-12-31")),
    ("本报告数据统计期限为2020年1月1日—12月31日。", ("2020-01-01", "2020-12-31")),
    ("统计期限自二〇二〇年一月一日起至二〇二〇年十二月三十一日止。", ("2020-01-01", "2020-12-31")),
    ("统计数据时限为二〇二四年1月1日至12月31日。", ("2024-01-01", "2024-12-31")),
    ("本报告统计期限为2022年度。", ("2022-01-01", "2022-12-31")),
    ("统计期限为2022年全年。", ("2022-01-01", "2022-12-31")),
    ("报告内容涵盖2021年1月1日至2021年12月31日期间的工作。", ("2021-01-01", "2021-12-31")),
    ("本报告数据截止期限为2022年12月31日。", ("2022-01-01", "2022-12-31")),
    ("本报告中所列数据的统计期限为2019年9月1日至2019年12月31日", ("2019-09-01", "2019-12-31")),  # real, partial year
    ("所列数据统计期限自2020年1月1日至12月21日。", ("2020-01-01", "2020-12-21")),  # stated wrongly: P001
    ("中所列数据统计时限为2024年1月1日至2024年12月31日", ("2024-01-01", "2024-12-31")),  # real
    ("本报告所列统计数据的期限自2025年1月1日起,至2025年12月31日止", ("2025-01-01", "2025-12-31")),  # real
    ("统计期限自2023年1月1日起，至2023年12月31日止。", ("2023-01-01", "2023-12-31")),
    ("所列数据的统计期限自20231月1日起至202312月31日止", ("2023-01-01", "2023-12-31")),  # real: 年 dropped
    ("统计期限自2023年1月1日起至2023年12月31止。", ("2023-01-01", "2023-12-31")),  # 日 left out before 止
    ("统计期限自2023年1月1起至12月31止。", ("2023-01-01", "2023-12-31")),
    ("所列数据统计期限为2023年1月1日一2023年12月31日", ("2023-01-01", "2023-12-31")),  # real: 一 for a dash
])
def test_period_spellings(text, want):
    found = period_in(text)
    assert found and found[:2] == want


def test_no_period_is_not_invented():
    assert period_in("2021年，我局制定2021年度《营商环境提升工作实施方案》。") is None
    assert period_in("截至2022年12月31日，主动公开政府信息471条。") is None


def test_stated_period_never_p002_and_wrong_period_p001():
    for seed in range(6):
        r = generate(seed, "2021", "cells", noise={"period_spelling"})
        assert "P002" not in {f.code for f in audit_text(r.text).findings}
        r = generate(seed, "2021", "cells", "period_wrong_end", noise={"period_spelling"})
        assert "P001" in {f.code for f in audit_text(r.text).findings}


# ---------------------------------------------------------------- date of issue and agency


def _facts(text: str):
    return segment(to_document(text, "x", "utf-8"))


def test_issue_date_in_chinese_numerals_and_flattened():
    doc = to_document("六、其他需要报告的事项\n无。\n××市民政局\n二〇二二年一月二十日\n", "x", "utf-8")
    assert find_issue_date(doc, 0)[0] == "2022-01-20"
    doc = to_document("六、其他需要报告的事项 无。特此报告。平潭综合实验区财政金融局 2021年1月20日\n", "x", "utf-8")
    iso, _, quote, agency, _ = find_issue_date(doc, 0)
    assert (iso, agency) == ("2021-01-20", "平潭综合实验区财政金融局") and quote == "2021年1月20日"
    # real shape: the document's colophon follows the signature on the same line
    doc = to_document("六、其他需要报告的事项 无 平潭综合实验区经济发展局 2021年1月26日 平潭综合实验区经济发展局办公室"
                      " 2020年1月26日印发 附件下载\n", "x", "utf-8")
    assert find_issue_date(doc, 0)[0] == "2021-01-26"
    doc = to_document("六、其他需要报告的事项\n本年度将于2022年1月10日前完成整改。\n", "x", "utf-8")
    assert find_issue_date(doc, 0)[0] is None


@pytest.mark.parametrize("top,agency", [
    ("索引号 | 12350000X-01-2024-0001 | 发布机构 | 平潭综合实验区商务局 | 发布日期 | 2024-01-20\n\n2023年政府信息公开工作年度报告",
     "平潭综合实验区商务局"),
    ("名称：某某市某某区商务局\n索引号：1234\n\n2023年政府信息公开工作年度报告", "某某市某某区商务局"),
    ("2023年政府信息公开工作年度报告\n\n本报告由某某市民政局根据《中华人民共和国政府信息公开条例》要求编制。", "某某市民政局"),
    ("某某市\n交通运输局\n2021年政府信息公开工作年度报告", "某某市交通运输局"),
    ("某某市交通运输局2021年政府信\n息公开工作年度报告", "某某市交通运输局"),
    ("某某区民政局二〇二三年政府信息公开工作年度报告", "某某区民政局"),
    ("标题: 平潭综合实验区海坛片区管理局关于2021年度政府信息公开工作年度报告", "平潭综合实验区海坛片区管理局"),
    ("2022年上海市政府信息公开工作年度报告", "上海市政府"),  # real: the title's 政府 is the city's
    ("对坊乡2023年政府信息公开工作年度报告", "对坊乡"),  # real: a township of three characters
    ("自然资源部2024年政府信息公开工作报告", "自然资源部"),  # real: a ministry (部)
    ("城口县人民政府机关2020年政府信息公开工作年度报告", "城口县人民政府机关"),  # real
    ("保康县2020年度政府信息公开工作年度报告", "保康县"),  # real: the county, i.e. its government
    ("大理白族自治州2023年政府信息公开工作年度报告", "大理白族自治州"),  # real
    # real pages, each a false S003 or a junk agency before:
    ("某某路街道办事处政府信息公开工作年度报告\n本报告统计期限为2020年1月1日至2020年12月31日。", "某某路街道办事处"),  # no year
    ("某荣里街2021年政府信息公开工作年度报告", "某荣里街"),  # a Tianjin 街
    ("2022年度螅镇政府信息公开工作年度报告", "螅镇"),  # a township of two characters after the year
    ("2022年政府信息公开工作年度报告\n某某县某某塘镇人民政府\n2022年政府信息公开工作年度报告", "某某县某某塘镇人民政府"),
    ("根据《条例》规定,现将某坡镇2022年政府信息公开工作年度报告进行公开。全文如下。", "某坡镇"),
    ("2022年上海市人民政府参事室政府信息公开工作年度报告", "上海市人民政府参事室"),  # 室
    ("某某市妇幼保健服务中心(市妇幼保健院)2021年政府信息公开年度报告", "某某市妇幼保健服务中心"),  # an alias
    ("某某海关2020年政府信息公开年报", "某某海关"),  # 年报
    ("某某省卫生健康委关于2022年政府信息公开工作的年度报告", "某某省卫生健康委"),  # 工作的年度报告
    ("根据《条例》(以下简称《条例》)要求,国家税务总局某某市税务局向社会公布本单位2020年政府信息公开工作年度报告。",
     "国家税务总局某某市税务局"),
    ("根据《条例》,特向社会公布国家税务总局某某市税务局(以下简称“某某市税务局”,下文类同)2021年政府信息公开工作年度报告。",
     "国家税务总局某某市税务局"),
    ("根据《关于印发〈政府信息公开工作年度报告格式〉的通知》等规定,现公布某某市人民政府办公厅2023年政府信息公开工作年度报告。",
     "某某市人民政府办公厅"),  # the cited notice's 报告 is not the title's end
    ("    有效\n\n某某市住房和城乡建设局2025年政府信息公开工作年度报告", "某某市住房和城乡建设局"),  # a metadata value above
    ("根据《某某省人民政府办公厅关于做好 2023 年政府信息公开工作年度报告编制发布工作的通知》要求,现公布某某市人民政府"
     "2023年政府信息公开工作年度报告。", "某某市人民政府"),  # the cited notice's year is not the title's
    ("某某区人民政府外事办公室政府信息公开工作2022年度报告", "某某区人民政府外事办公室"),  # the year after 工作
    ("2022年政府信息公开工作年度报告\n本年度报告是根据《条例》的要求,由某某市某某区司法局编制。", "某某市某某区司法局"),
    ("2023年政府信息公开工作年度报告\n本报告根据《条例》(国务院令第711号)有关规定由某某市司法局编制。", "某某市司法局"),
    ("2022年政府信息公开工作年度报告\n某某市某某区司法局(区行政复议局)根据《条例》等规定编制本报告。", "某某市某某区司法局"),
    ("根据《条例》规定，现发布《某芦镇2023年政府信息公开工作年度报告》。", "某芦镇"),  # its own name in 《》
    ("2020年政府信息公开工作年度报告\n本年度报告根据《条例》要求，由某某市统计局围绕2020年度工作情况编制而成。", "某某市统计局"),
    ("| 发布机构: | 市资规局 | ||\n2024年政府信息公开工作年度报告", "市资规局"),  # a double separator
    ("名 称: 某某区卫生健康局2023年政府信息公开工作年度报告", "某某区卫生健康局"),
    ("- 有效性有效\n某某市某某镇人民政府2024年政府信息公开工作年度报告", "某某市某某镇人民政府"),  # a field above
    ("文件类信息公开\n某某县某某乡人民政府2025年政府信息公开工作年度报告", "某某县某某乡人民政府"),  # a category above
    ("2024年某某县某镇人民政府信息公开工作年度报告", "某某县某镇人民政府"),  # 人民 + the title's 政府
    ("标      题 某某自治区审计厅2025年政务信息公开工作开展年度报告", "某某自治区审计厅"),  # 政务, 开展
    ("根据《条例》,某某市公安局编制完成2024年政府信息公开年度报告,现予公布。", "某某市公安局"),
    ("某某海关关区2020年政府信息公开年报", "某某海关"),  # the customs district is the customs office's
])
def test_agency_where_officials_put_it(top, agency):
    f = _facts(top + "\n一、总体情况\n略。\n")
    assert f.agency == agency


@pytest.mark.parametrize("body,agency", [
    ("一、总体情况 根据《条例》，特向社会公布2020年某某市农业农村局政府信息公开工作年度报告。", "某某市农业农村局"),
    ("一、总体情况\n根据《条例》，现将某某市某某区文化和旅游局2024年政府信息公开工作年度报告公布如下：", "某某市某某区文化和旅游局"),
])
def test_agency_named_in_a_sentence_of_the_body(body, agency):
    """Real pages without a title line: the first sentence of 一 names the report."""
    assert _facts(body + "\n本局推进公开。\n").agency == agency


@pytest.mark.parametrize("top", [
    "您当前的位置：首页 » 信息公开 » 某某局\n公开方式 主动公开\n文号\n标题\n2023年政府信息公开工作年度报告",
    "发布机构: 1\n2023年政府信息公开工作年度报告",
    "发布机构: 办公室\n2023年政府信息公开工作年度报告",
    "【打印本页】【关闭窗口】\n分享到：\n2023年政府信息公开工作年度报告",
    "根据《条例》，特向社会公布2021年政府信息公开年度报告。",  # "特向社会" is no agency
    "2022年度乡镇政府信息公开工作年度报告",  # 乡镇 is a word, not a township
])
def test_navigation_and_junk_are_never_the_agency(top):
    assert _facts(top + "\n一、总体情况\n略。\n").agency is None


def test_traditional_page_is_a_report_quoted_as_written():
    r = generate(2, "2021", "markdown", "n001_received", noise={"traditional"})
    res = audit_text(r.text)
    assert res.error is None and res.facts.agency == r.facts["agency"]
    n001 = [f for f in res.findings if f.code == "N001"]
    assert n001 and n001[0].quote in r.text and "請" in n001[0].quote  # the original characters


# ---------------------------------------------------------------- narrative lists


def test_nested_list_counts_the_part_once():
    [en] = find_enumerations("共437件，其中A类55件（含甲6件、乙3件）、B类341件、C类41件。")
    assert en.parts_sum == 437 and not en.contradicts()


def test_bare_list_only_when_clearly_parts():
    [en] = find_enumerations("共发布信息364条，工作动态17条、通知公告1条、政策文件308条。")
    assert not en.contradicts()  # a partial list
    [en] = find_enumerations("共发布信息364条，工作动态170条、通知公告100条、政策文件308条。")
    assert en.contradicts()
    assert find_enumerations("受理申请12件，办结10件、转办3件。") == []  # no 共: not a total with parts
    # real: the second number is a subset with a property, not a part
    assert find_enumerations("在省网绑定并发布的事项共有89项，其中行政许可57项，实现“一趟不用跑”的有45项，占比78.9%") == []


def test_rounded_wan_total_is_not_a_contradiction():
    [en] = find_enumerations("共发布信息2.17万条，分别为：工作动态6500条，政策文件15234条。")
    assert not en.contradicts()


def test_stale_year_only_in_statistics_sentences():
    codes = lambda r: {f.code for f in audit_text(r.text).findings}  # noqa: E731
    assert "P005" in codes(generate(4, "2021", "tabs", "stale_stat_year"))
    for seed in range(4):
        assert "P005" not in codes(generate(seed, "2021", "tabs", noise={"year_comparisons"}))


def test_metadata_field_before_the_title_is_not_part_of_it():
    """A page's metadata table printed as field lines: "发文机关:区公安局" is a short form, the title
    names the body in full; "成文日期:…" must not be read as the start of the title."""
    from summarizer.audit import audit_text

    text = ("索引号: PZ00106-2500-2025-00085\n发文机关:区公安局\n成文日期:2025-01-20\n"
            "标题:某某市某某区公安局2024年政府信息公开工作年度报告\n发布日期:2025-01-20\n"
            "某某市某某区公安局2024年政府信息公开工作年度报告\n本报告统计期限为2024年1月1日至2024年12月31日。\n"
            "一、总体情况\n本局主动公开政府信息。\n")
    result = audit_text(text)
    assert result.facts.agency == "某某市某某区公安局"
    assert result.facts.title.startswith("某某市某某区公安局2024年")


def test_overview_aspect_active_disclosure_written_with_its_channel():
    """"主动在门户网站公开政府信息50条" (a real district bureau's 总体情况) is the 主动公开 aspect."""
    from summarizer.checks.narrative import _ASPECTS

    for text in ("我局主动在门户网站公开政府信息50条", "主动通过政务新媒体发布信息120条", "全年主动公开信息300条"):
        assert _ASPECTS["主动公开"].search(text), text
    assert not _ASPECTS["主动公开"].search("主动担当作为，认真学习条例。信息公开工作有序")


def test_a_figure_dated_to_another_year_is_not_compared_with_this_years_table():
    """"2022年，某镇共制定规范性文件0件" in a report on 2023 (seen on a real township page) is not a
    contradiction of this year's table 二 (N004); the same sentence dated to the report year is.
    Comparisons ("较2022年", "与2022年相比") do not date the sentence."""
    rep = generate(3, "2021", "tabs")
    issued = rep.cells["active.normative_documents.issued"]
    year = rep.facts["year"]
    wrong = issued + 7

    def n004(sentence: str) -> bool:
        text = rep.text.replace("一、总体情况\n", f"一、总体情况\n{sentence}\n", 1)
        return "N004" in {f.code for f in audit_text(text).findings}

    assert not n004(f"{year - 1}年，本单位共制定规范性文件{wrong}件。")
    assert n004(f"{year}年，本单位共制定规范性文件{wrong}件。")
    assert n004(f"与{year - 1}年相比，本单位共制定规范性文件{wrong}件。")


def test_flip_book_page_heads_are_page_furniture():
    """A PDF flip-book viewer's text pages start "Page 9 - 2020年报_审计局" / "P. 9" (real): page
    furniture, never a table row (before: S007 'P.')."""
    from summarizer.document import to_document

    doc = to_document("Page 9 - 2020年报_审计局\nP. 9\n四、结转下年度继续办理 0 0 0 0 0 0 0\n", "x", "utf-8")
    assert [ln.furniture for ln in doc.lines[:3]] == [True, True, False]


def test_a_generic_word_is_never_a_three_character_township():
    assert audit_text("本乡2023年政府信息公开工作年度报告\n").facts.agency is None
    assert audit_text("财政局2023年政府信息公开工作年度报告\n").facts.agency is None


def test_date_of_issue_from_the_pages_metadata_when_the_end_has_none():
    """Web pages print 成文日期 in a metadata row above the report (real: "| 内容分类: | 2024年 |
    成文日期: | 2025-03-07 | ||"); with no date at the report's end it is the date of issue. A date
    at the end wins; 发布日期 (publishing) and an empty field are never taken."""
    body = "某某区财政局2024年政府信息公开工作年度报告\n一、总体情况\n本局主动公开信息。\n"
    assert audit_text("| 内容分类: | 2024年 | 成文日期: | 2025-01-07 | ||\n" + body).facts.issued_on == "2025-01-07"
    assert audit_text("成文日期：\n发布日期：2025-01-10\n" + body).facts.issued_on is None
    ended = body + "六、其他需要报告的事项\n无。\n某某区财政局\n2025年1月20日\n"
    assert audit_text("成文日期：2025-01-10\n" + ended).facts.issued_on == "2025-01-20"
    late = audit_text("成文日期：2025年3月7日\n" + body)
    assert late.facts.issued_on == "2025-03-07" and "P004" in {f.code for f in late.findings}
    # the field's name and its value on lines of their own
    assert audit_text("• 成文日期:\n\n2025-01-22\n" + body).facts.issued_on == "2025-01-22"
    assert audit_text("• 成文日期:\n发布日期：2025-01-10\n" + body).facts.issued_on is None


@pytest.mark.parametrize("under,issued", [
    ("（2025年1月20日）", "2025-01-20"),
    ("2025年3月7日", "2025-03-07"),
    ("二〇二五年一月十日", "2025-01-10"),
    ("发布时间：2025-01-10", None),                  # a page field: publishing, not issuing
    ("（本报告于2025年1月10日经局务会审议通过）", None),  # a sentence
])
def test_date_of_issue_printed_under_the_title(under, issued):
    """Some bodies print the date of issue right under the title; with none at the end it is the
    date of issue (and dates P004)."""
    text = f"某某区财政局2024年政府信息公开工作年度报告\n{under}\n一、总体情况\n本局主动公开信息。\n"
    assert audit_text(text).facts.issued_on == issued
    ended = text + "六、其他需要报告的事项\n无。\n某某区财政局\n2025年1月21日\n"
    assert audit_text(ended).facts.issued_on == "2025-01-21"   # a date at the end wins


def test_heading_numeral_alone_on_its_line():
    """"一、" / "总体情况" (a real county page wraps its heading after the numeral): section 一 is
    there (before: a false S001, and no narrative check ran)."""
    text = ("某某县民政局2023年政府信息公开工作年度报告\n一、\n总体情况\n本局主动公开信息。\n二、主动公开政府信息情况\n"
            "三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n"
            "六、其他需要报告的事项\n")
    result = audit_text(text)
    assert [s.number for s in result.facts.sections] == [1, 2, 3, 4, 5, 6]
    assert result.facts.sections[0].title == "总体情况" and "S001" not in {f.code for f in result.findings}


def test_heading_run_on_with_the_preamble():
    """A real county page runs its preamble and the first heading together ("…需要报告事项。 一、本年度
    政府信息公开工作的总体情况 (一)…"): the section is found there; a preamble that only lists the
    parts ("包括一、总体情况等") is no heading."""
    tail = ("二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
            "五、存在的主要问题及改进情况\n六、其他需要报告的事项\n")
    run_on = ("某某县人民政府2020年政府信息公开工作年度报告\n本报告由六个部分组成。 一、本年度政府信息公开工作的总体情况"
              " (一)主动公开政府信息情况。全县共制作信息5435条。\n")
    result = audit_text(run_on + tail)
    assert result.facts.sections[0].number == 1 and "S001" not in {f.code for f in result.findings}
    listed = "某某县人民政府2020年政府信息公开工作年度报告\n本报告包括一、总体情况等六个部分。\n"
    assert "S001" in {f.code for f in audit_text(listed + tail).findings}


def test_narrative_words_never_decide_the_table_format():
    """Real: a page whose tables were images; its narrative says "创新公开形式" (新公开) and
    "现行有效的规范性文件" — neither is a column label, so no table format and no P006 error."""
    text = ("某某街道2024年政府信息公开工作年度报告\n"
            "本报告统计期限为2024年1月1日至2024年12月31日。\n"
            "一、总体情况\n本街道不断规范政府信息公开内容，创新公开形式，清理现行有效的规范性文件。\n"
            "（图片）\n某某街道办事处\n2025年1月20日\n")
    result = audit_text(text)
    assert result.facts.format_version is None
    assert "P006" not in {f.code for f in result.findings}


def test_a_bracketed_count_or_a_new_heading_is_not_part_of_a_total():
    """Real pages (each a false N003 error before): the 1件 inside the bracket is not the total of
    the 其中 list; a list after "…中:" belongs to a new heading, not to the 共4件 before it."""
    assert not any(e.contradicts() for e in find_enumerations(
        "全年受理政府信息公开申请25件(含2024年结转1件),其中自然人申请24件,其它1件。"))
    assert not any(e.contradicts() for e in find_enumerations(
        "包括各项年报共4件,资源规划公示公告中:土地管理158件、不动产登记3020件、阳光规划349件、其他公告31件,"))
    # still a contradiction when the list is this total's own
    [en] = find_enumerations("全年受理申请25件，其中自然人申请24件，法人申请3件。")
    assert en.contradicts()


@pytest.mark.parametrize("style", ["({n})", "（{n}）", "{d}. ", "{d}、"])
def test_the_six_parts_numbered_as_sub_items_are_found_and_s009_says_so(style):
    """Real pages number the parts "(一)总体公开情况 … (二)行政机关主动公开政府信息情况" or "1. 总体情况":
    the parts are there (it was S001, an error, for each) and the numbering is S009, a warning."""
    from testkit.synth import generate

    rep = generate(11, "2021", "tabs")
    lines = rep.text.split("\n")
    numerals = "一二三四五六"
    out = []
    for ln in lines:
        m = re.match(r"^([一二三四五六])、(.+)$", ln)
        if m and len(ln) < 40:
            k = numerals.index(m.group(1))
            ln = style.format(n=m.group(1), d=k + 1) + m.group(2)
        out.append(ln)
    result = audit_text("\n".join(out))
    assert [s.number for s in result.facts.sections] == [1, 2, 3, 4, 5, 6]
    codes = [f.code for f in result.findings if f.severity in ("error", "warning")]
    assert "S001" not in codes and codes.count("S009") == 1
    assert result.facts.cells == rep.cells


def test_a_garbled_period_is_reported_as_unreadable_not_as_missing():
    """Real pages lost 年 and 月 ("统计期限自202111日起至20211230日止"): P002 quotes that sentence and
    says its dates cannot be read; it is not "no period stated"."""
    text = ("某某镇2021年政府信息公开工作年度报告\n本报告中所列数据的统计期限自202111日起至20211230日止。\n"
            "一、总体情况\n本镇主动公开信息。\n")
    [p002] = [f for f in audit_text(text).findings if f.code == "P002"]
    assert "无法识别" in p002.message and "202111日" in p002.quote and p002.line == 2
    [p002] = [f for f in audit_text(text.replace("本报告中所列数据的统计期限自202111日起至20211230日止。\n", "")).findings
              if f.code == "P002"]
    assert "没有写明" in p002.message


def test_year_from_a_cut_off_date_and_issue_date_from_the_generation_field():
    """Real pages: the only year is "截止2023年12月31日"; a portal names the issue date 生成日期."""
    f = _facts("政府信息公开工作年度报告\n一、总体情况\n截止2023年12月31日，本局主动公开信息。\n")
    assert f.year == 2023
    f = _facts("| 发文机构: | 生成日期/有效期: | 2022-01-29 14:59:17 | |\n某某省交通运输厅2021年政府信息公开工作年度报告\n"
               "一、总体情况\n略。\n")
    assert f.issued_on == "2022-01-29"


def test_a_sub_item_after_the_official_first_heading_is_not_a_section():
    """Real page cut inside 一: "(二)政府信息主动公开情况" there is 一's own sub-item, not section 二."""
    f = _facts("某某街道2024年政府信息公开工作年度报告\n一、总体情况\n本街道推进公开。\n(一)组织推动政府信息公开工作\n"
               "略。\n(二)政府信息主动公开情况\n略。\n")
    assert [s.number for s in f.sections] == [1]


def test_an_interpretation_page_is_named_not_audited():
    from summarizer.readers import InputError

    text = ("文字解读:某某街道办事处2022年政府信息公开工作年度报告\n一、编制背景\n根据《条例》编制。\n"
            "二、主动公开政府信息情况\n略。\n")
    with pytest.raises(InputError, match="解读"):
        audit_text(text)


def test_a_sentence_listing_the_six_parts_is_no_heading():
    """Real page: "本报告分为六个部分:一、总体情况,二、…,六、其他需要报告的事项。" — not six headings (it
    put 六 on line 1 and raised a false S002 'order reversed' error against the real 一 below)."""
    text = ("本报告分为六个部分:一、总体情况,二、主动公开政府信息情况,三、收到和处理政府信息公开申请情况,"
            "四、政府信息公开行政复议、行政诉讼情况,五、存在的主要问题及改进措施,六、其他需要报告的事项。"
            "本年报中所列数据的统计期限自2025年1月1日起至2025年12月31日止。\n一、总体情况\n本镇推进公开。\n"
            "二、主动公开政府信息情况\n略。\n")
    result = audit_text(text)
    assert [(s.number, s.line) for s in result.facts.sections] == [(1, 2), (2, 4)]
    assert "S002" not in {f.code for f in result.findings}


def test_a_report_before_2019_is_not_measured_against_todays_format():
    """Real archive pages (2013, 2018): the older outline numbered its parts differently and had no
    three tables — the structure and table checks do not apply, and the result says so."""
    text = ("某某县某某局2018年政府信息公开工作年度报告\n本报告统计期限为2018年1月1日至2018年12月31日。\n"
            "一、主动公开政府信息的情况\n2018年主动公开信息120条。\n二、依申请公开政府信息情况\n未收到申请。\n"
            "三、存在的主要问题及改进措施\n略。\n")
    result = audit_text(text)
    assert result.facts.year == 2018
    assert not [f for f in result.findings if f.code.startswith(("S001", "S004", "S009", "A"))]
    assert any("早于现行年度报告格式" in n for n in result.input_notes)
    assert [f.code for f in audit_text(text.replace("2018", "2019")).findings if f.code == "S001"]  # 2019: measured


def test_a_taiwan_style_label_is_the_template_row():
    """Real traditional page: 規範性檔案 (s2twp's 文件) is the row 规范性文件, not an extra row (S007)."""
    from summarizer.tables.labels import norm

    assert norm("规范性档案") == norm("规范性文件")


def test_a_universitys_school_year_report_is_not_measured_against_the_government_format():
    """Real: "中山大学2023—2024学年信息公开年度报告", period 9月1日–8月31日 (高等学校信息公开办法): the
    period is right for it (it was a false P001 error) and the government template does not apply."""
    text = ("某某大学2023—2024学年信息公开年度报告\n本年度报告中所列数据的统计期限为2023年9月1日到2024年8月31日止。\n"
            "一、概述\n本校推进信息公开。\n")
    result = audit_text(text)
    assert result.facts.agency == "某某大学"
    assert not [f for f in result.findings if f.code.startswith(("P", "S001", "S004"))]
    assert any("高等学校" in n for n in result.input_notes)


def test_applications_counted_in_tiao_are_compared_with_table_three():
    """Real pages write the applications received in 条 ("受理依申请公开信息56条"): N001 reads them."""
    from testkit.synth import generate

    rep = generate(3, "2021", "tabs")
    new = rep.cells["applications.new.total"]
    text = rep.text.replace("一、总体情况\n", f"一、总体情况\n本年度受理依申请公开信息{new + 5}条。\n", 1)
    assert [f for f in audit_text(text).findings if f.code == "N001"]
    text = rep.text.replace("一、总体情况\n", f"一、总体情况\n本年度受理依申请公开信息{new}条。\n", 1)
    assert not [f for f in audit_text(text).findings if f.code == "N001"]


def test_a_year_guessed_from_the_body_never_switches_the_format_checks_off():
    """Only a year stated in the title or the period puts a report before 2019; one counted from
    the years the body cites (2018 named most often in a report without a title) does not."""
    text = ("根据《条例》编制本报告。\n一、总体情况\n2018年以来，本局持续推进公开，2018年制度仍执行，2018年目标已完成。\n"
            "二、主动公开政府信息情况\n略。\n")
    result = audit_text(text)
    assert result.facts.year == 2018
    assert not any("早于现行年度报告格式" in n for n in result.input_notes)
    assert [f for f in result.findings if f.code == "S001"]


# ---------------------------------------------------------------- fifth pass (82 newest reports, 2024–2025)

BODY = ("本报告统计期限为2025年1月1日至2025年12月31日。\n一、总体情况\n本单位推进公开。\n"
        "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        "规章\t0\t0\t0\n行政规范性文件\t1\t0\t4\n")


@pytest.mark.parametrize("head,agency", [
    ("智能问答 新媒体矩阵 官方微信 官方微博\n某某工业园区管理委员会2025年政府信息公开工作年度报告\n", "某某工业园区管理委员会"),
    ("名 称: 某某市市场监督管理局2025年信息公开工作年度报告 发布日期: 2026年01月21日\n", "某某市市场监督管理局"),
    ("- 发布机构: 某某省生态环境厅\n2025年政府信息公开工作年度报告\n", "某某省生态环境厅"),
    ("信息名称:某某市卫生健康委员会2025年政府信息公开工作年报\n", "某某市卫生健康委员会"),
    ("人工智能朗读:某某市医疗保障局2025年政府信息公开工作年度报告\n", "某某市医疗保障局"),
])
def test_page_widgets_and_metadata_fields_around_the_title(head, agency):
    """Real 2025 pages: a row of widget words above the title (it was joined into the agency), a
    second field on the title's line, a bulleted 发布机构 field, 信息名称 / 人工智能朗读 labels."""
    result = audit_text(head + BODY)
    assert result.facts.agency == agency
    assert "S003" not in {f.code for f in result.findings}


def test_first_list_item_after_gong_is_no_total():
    """共主动公开机构概况2件，规划计划3件、… : 机构概况 is the list's first item (a false N003 error
    'total 2 but the parts add up to 55'); 以及 after a 包括 list continues the sentence."""
    for text in ("2025年，我办共主动公开机构概况2件，规划计划3件、财政信息2件、政策文件13件。",
                 "发布法定主动公开内容1条，包括机构概况1条，以及“三公”经费信息2条。"):
        assert find_enumerations(text) == [], text
    assert find_enumerations("共发布信息364条，工作动态17条、通知公告20条。")  # verb + general object: a total


def test_a_table_word_in_the_page_chrome_is_no_row():
    """"行政规范性文件" as a menu item above the report: no row of blank cells (a false S006)."""
    result = audit_text("行政规范性文件\n用微信扫描二维码分享至好友和朋友圈\n某某区生态环境局2025年政府信息公开工作年度报告\n" + BODY)
    assert result.facts.cells["active.normative_documents.in_force"] == 4
    assert "S006" not in {f.code for f in result.findings}


def test_a_part_title_whose_numeral_was_lost_is_its_heading():
    """"主动公开政府信息情况" alone on its line (Word's automatic numbering lost in the export): the
    part is there and its table is read (it was 'not found anywhere', S001 + S004)."""
    text = "某某区教育局2025年政府信息公开工作年度报告\n" + BODY.replace("二、主动公开政府信息情况", "主动公开政府信息情况")
    result = audit_text(text)
    assert [s.number for s in result.facts.sections] == [1, 2]
    assert result.facts.cells["active.normative_documents.issued"] == 1
    assert not [f for f in result.findings if f.code in ("S001", "S004") and "主动公开" in f.message]


# ---------------------------------------------------------------- sixth pass (83 county-level pages 2019–2023, 40 narratives)

@pytest.mark.parametrize("head,agency", [
    ("根据《条例》规定，现公开某某街道办事处2022年政府信息公开工作年度报告。\n", "某某街道办事处"),
    ("bet365亚洲官网 某某县住房和城乡建设局2023年政府信息公开工作年度报告\n", "某某县住房和城乡建设局"),
    ("根据《中华人民共和国政府信息公开条例》规定，现公布某某县2022年政府信息公开工作年度报告。本报告由总体情况等部分组成，"
     "所列数据的统计期限自2022年1月1日起至2022年12月31日止。\n", "某某县"),
    ("长桥乡2019年政府信息公开年度工作报告\n", "长桥乡"),
    # the agency named only in the preamble's clause (sixth session: a title-less page each)
    ("根据条例，结合某某市卫生健康委员会政府信息公开工作实际，现编制2022年政府信息公开工作年度报告。\n",
     "某某市卫生健康委员会"),
    ("现将某某开发区发展改革局(以下简称发改局)2022年度信息公开工作报告如下。\n", "某某开发区发展改革局"),
    ("结合我委年度政府信息公开工作实际，特编制本报告。\n", None),  # (not "我委年度政府")
    # a search box's placeholder above a national body's title (no place word to stop the join)
    ("选择搜索类型\n请输入搜索\n国家某某总局2022年政府信息公开工作年度报告\n", "国家某某总局"),
    # the body in brackets after a title that names none (Shanghai's towns)
    ("2022年政府信息公开工作年度报告 (某某市某某区某某镇人民政府)\n", "某某市某某区某某镇人民政府"),
    ("2022年政府信息公开工作年度报告（全文）\n", None),
])
def test_lead_ins_spam_prefixes_bare_places_and_title_word_order(head, agency):
    result = audit_text(head + BODY.replace("2025", "2022"))
    assert result.facts.agency == agency


def test_other_kinds_of_application_are_not_information_requests():
    """"全年未收到行政许可申请" is no claim about 表三 (a false N001 'received 0' against a table of 2)."""
    apps = "一、本年新收政府信息公开申请数量\t\t\t2\t0\t0\t0\t0\t0\t2\n"
    text = ("某某区某某办公室2023年政府信息公开工作年度报告\n一、总体情况\n2023年，我办全年未收到行政许可申请；"
            "共受理行政复议申请356件；全年收到政府信息公开申请2件。\n三、收到和处理政府信息公开申请情况\n" + apps)
    assert "N001" not in {f.code for f in audit_text(text).findings}
    assert "N001" in {f.code for f in audit_text(text.replace("申请2件", "申请3件")).findings}


def test_a_second_count_before_qizhong_leaves_the_total_ambiguous():
    """收到…9件，上年转结1件，其中网络申请5件、信函申请5件: the breakdown covers 9 + 1 (a false N003)."""
    assert find_enumerations("收到政府信息依申请公开9件,上年转结1件,其中网络申请数5件,信函申请数5件。") == []


def test_no_change_words_in_a_cell_and_a_spaced_out_period_lead():
    from summarizer.tables.values import parse_cell

    assert [parse_cell(t) for t in ("未增未减", "无增减", "持平")] == [0, 0, 0]
    text = ("某某县某某局2023年政府信息公开工作年度报告\n本报告所列数据统 计期限为 2023 1 1 日至 2023 12 31 日。\n"
            "一、总体情况\n推进公开。\n")
    p002 = [f for f in audit_text(text).findings if f.code == "P002"]
    assert p002 and "统 计期限" in p002[0].quote


def test_a_sentence_that_names_the_report_is_not_its_title():
    """"引 言根据《条例》规定，现编制并公布本单位2019年…报告" (a heading glued to the next line): the
    title is what the lead-in names, not the sentence (S003 quoted the whole sentence as 标题)."""
    text = "引 言根据《中华人民共和国政府信息公开条例》规定,现编制并公布本单位2019年政府信息公开工作年度报告\n一、总体情况\n推进。\n"
    assert audit_text(text).facts.title == "2019年政府信息公开工作年度报告"


# ---------------------------------------------------------------- seventh pass (66 vertical / city bodies, 36 table excerpts)

@pytest.mark.parametrize("head,agency", [
    ("某某省气象局:\n根据《条例》要求，某某市气象局特编制《某某省某某市气象部门2022年政府信息公开工作年度报告》，现将有关情况汇报如下:\n",
     "某某省某某市气象部门"),
    ("本报告由某某省地震局办公室编制并依法公开，所列数据的统计时间为2022年1月1日至2022年12月31日。\n", "某某省地震局"),
    ("我局编制并向社会公开某某市医疗保障局2022年度政府信息公开工作年度报告。\n", "某某市医疗保障局"),
    ("高新区公安分局\n标题: 某某市公安局高新区分局2022年政府信息公开工作年度报告\n", "某某市公安局高新区分局"),
    ("根据国家烟草专卖局关于政府信息公开工作年度报告有关要求，现发布《某某市烟草专卖局2022年政府信息公开工作年度报告》。\n",
     "某某市烟草专卖局"),
])
def test_addressees_compiling_offices_breadcrumbs_and_reports_named_in_sentences(head, agency):
    result = audit_text(head + BODY.replace("2025", "2022"))
    assert result.facts.agency == agency


def test_an_earlier_years_award_is_background_not_the_narrated_year():
    text = ("某某署2020年政府信息公开工作年度报告\n一、总体情况\n2019年，在国务院办公厅组织的政务公开评估中，某某署被评为优秀单位。"
            "2020年，某某署扎实推进政务公开。\n")
    assert "P005" not in {f.code for f in audit_text(text).findings}
    stale = text.replace("2019年，在国务院办公厅组织的政务公开评估中，某某署被评为优秀单位。", "2019年，我署主动公开信息120条。")
    assert "P005" in {f.code for f in audit_text(stale).findings}


def test_a_semicolon_breakdown_is_ambiguous_and_a_township_signs_with_its_government():
    assert find_enumerations("因信息公开引发行政争议11件，其中，行政复议7件，结果维持6件，尚未审结1件；"
                             "行政诉讼4件，结果维持2件，尚未审结2件。") == []
    text = ("某某市某某县杨林镇2023年政府信息公开工作年度报告\n" + BODY.replace("2025", "2023")
            + "\n杨林镇人民政府\n2024年1月20日\n")
    assert "S010" not in {f.code for f in audit_text(text).findings}


def test_a_label_glued_to_its_cells_is_unreadable_not_missing():
    """"规章000" (no separator at all): the row is there, its cells cannot be placed — S008, not a
    false S005 'row missing' or S006 'blank'; a one-column row reads its number."""
    active = "信息内容本年制发件数本年废止件数现行有效件数\n规章000\n行政规范性文件000\n行政许可5"
    result = audit_text(report_text(active))
    codes_ = {f.code for f in result.findings}
    assert "S008" in codes_ and not [f for f in result.findings if f.code in ("S005", "S006") and "规章" in f.message]
    assert result.facts.cells["active.licensing.decisions"] == 5


def test_a_sentence_in_place_of_a_table_is_a_missing_table():
    text = report_text("规章 0 0 0").replace("三、收到和处理政府信息公开申请情况\n",
                                             "三、收到和处理政府信息公开申请情况\n本年度共受理政府信息公开申请1件，已按时答复。\n")
    s = {f.code: f.message for f in audit_text(text).findings if f.code in ("S004", "S008") and "三、" in f.message}
    assert "S004" in s and "S008" not in s


def report_text(active: str) -> str:
    return ("某某县某某局2023年政府信息公开工作年度报告\n本报告统计期限为2023年1月1日至2023年12月31日。\n一、总体情况\n推进。\n"
            "二、主动公开政府信息情况\n" + active + "\n三、收到和处理政府信息公开申请情况\n"
            "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n问题。\n六、其他需要报告的事项\n无。\n")


# ---------------------------------------------------------------- eighth pass (50 mixed bodies, 24 table excerpts)

@pytest.mark.parametrize("head,agency", [
    ("某某旗某某苏木2021年政府信息公开工作年度报告\n", "某某旗某某苏木"),
    ("根据《条例》要求，特向社会公布2025年度本机关政府信息公开工作年度报告。\n", None),
    ("发布机构 | 政府办公室 |\n特向社会公布我旗2021年度信息公开年度报告。\n", None),
    ("某某县下各镇2023年政府信息公开工作年度报告\n", "某某县下各镇"),
])
def test_township_names_of_inner_mongolia_and_names_that_name_no_body(head, agency):
    assert audit_text(head + BODY.replace("2025", "2023")).facts.agency == agency


def test_tables_above_the_first_table_heading_found_are_read():
    """二 and 三's headings lost, 四's kept: table 二 right under 一 is still read (it was 'not in
    the text at all', S004 error), and a part 一 titled 本年度政务信息总体公开情况 is part 一."""
    text = ("某某街道办事处2023年政府信息公开工作年度报告\n一、本年度政务信息总体公开情况\n推进公开。\n"
            "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t2\t0\t5\n"
            "四、政府信息公开行政复议、行政诉讼情况\n无。\n")
    result = audit_text(text)
    assert result.facts.cells["active.normative_documents.in_force"] == 5
    assert [s.number for s in result.facts.sections][:1] == [1]
    assert not [f for f in result.findings if f.code == "S004" and "二、" in f.message]


# ---------------------------------------------------------------- ninth pass (PDF exports, narratives, metadata)

@pytest.mark.parametrize("sentence", [
    "全年收到因政府信息公开申请引起的行政复议1件，未收到因政府信息公开申请引起的行政诉讼。",
    "没有收到因政府信息公开申请引发的行政复议。",
    "未收到因政府信息公开申请提起的行政复议、行政诉讼。",
])
def test_no_suit_caused_by_an_application_is_not_no_application(sentence):
    """"未收到因…申请引起的行政诉讼" says nothing about how many applications came in (a false N001
    error 'the text says 0 applications')."""
    text = report_text("规章\t0\t0\t0").replace("推进。", "本年度共受理政府信息公开申请36件。" + sentence)
    text = text.replace("三、收到和处理政府信息公开申请情况\n", "三、收到和处理政府信息公开申请情况\n" + _APPLICATIONS_36)
    assert "N001" not in {f.code for f in audit_text(text).findings}


def test_no_application_and_no_suit_in_one_list_is_still_a_claim_of_none():
    text = report_text("规章\t0\t0\t0").replace("推进。", "本年度未收到政府信息公开申请、行政复议和行政诉讼。")
    text = text.replace("三、收到和处理政府信息公开申请情况\n", "三、收到和处理政府信息公开申请情况\n" + _APPLICATIONS_36)
    assert "N001" in {f.code for f in audit_text(text).findings}


_APPLICATIONS_36 = ("\t申请人情况\n\t自然人\t法人或其他组织\t\t\t\t\t总计\n\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\n"
                    "一、本年新收政府信息公开申请数量\t30\t6\t0\t0\t0\t0\t36\n")


def test_two_breakdowns_of_one_total_in_a_sentence_are_not_one_list():
    """By applicant, then by outcome: each adds up to the total on its own (a false N003 '13 ≠ 7');
    a list that runs past its total with nothing like a second breakdown still contradicts."""
    two = "全年办理政府信息公开申请7件，其中自然人6件、法人及其他组织1件、予以公开1件、本机关不掌握4件、已公开1件。"
    assert not [e for e in find_enumerations(two) if e.contradicts()]
    over = "法定主动公开内容1条，其中机构概况1条、预算决算2条。"
    assert [e for e in find_enumerations(over) if e.contradicts()]


@pytest.mark.parametrize("words", ["予以公开或部分公开", "予以公开或者部分公开", "予以公开/部分公开"])
def test_granted_or_partly_granted_is_one_combined_count(words):
    from summarizer.checks.narrative import outcome_claims
    claims = [(name, rows) for name, rows, *_ in outcome_claims(f"全年办理申请7件，{words}1件，本机关不掌握4件。")]
    assert ("予以公开及部分公开", ("granted", "partial")) in claims and not [c for c in claims if c[0] == "部分公开"]


def test_a_numeral_printed_as_a_dash_or_a_kangxi_radical_is_still_the_heading():
    """"—、总体情况" (an em dash for 一) and "⼆、主动公开…" (the Kangxi radical ⼆, U+2F06, that some PDF
    fonts emit): the parts are there (a false S001 error 'part 一 missing')."""
    text = report_text("规章\t0\t0\t0").replace("一、总体情况", "—、总体情况").replace("二、主动", "\u2f06、主动")
    result = audit_text(text)
    assert [s.number for s in result.facts.sections] == [1, 2, 3, 4, 5, 6]
    assert result.facts.cells["active.regulations.issued"] == 0


@pytest.mark.parametrize("head,agency,year", [
    ("自治区人民政府办公厅2022\n\n政府信息公开工作年度报告\n", "自治区人民政府办公厅", 2022),
    ("某某县审计局2025年政务信息\n\n公开工作开展年度报告\n", "某某县审计局", 2025),
    ("某某区市场监管局政府信息公开工作年度报告(2024年度)\n", "某某区市场监管局", 2024),
    ("发文机关: | 某某区高科园 | 发文日期: | |\n2022年政府信息公开工作年度报告\n", "某某区高科园", 2022),
    ("关于2021年度政府信息公开工作年度报告\n本报告全文包括某某旗某某苏木人民政府信息公开总体情况、主动公开政府信息情况等。\n",
     "某某旗某某苏木人民政府", 2021),
])
def test_titles_broken_over_a_blank_line_years_after_the_name_and_park_bodies(head, agency, year):
    result = audit_text(head + BODY.replace("2025", str(year)))
    assert (result.facts.agency, result.facts.year) == (agency, year)
    assert "S003" not in {f.code for f in result.findings}


def test_a_title_and_its_lead_in_line_a_blank_line_apart_are_not_joined():
    """Only a break plainly inside a title is bridged: a field value above a blank line is not the
    title's first half."""
    result = audit_text("有效\n\n某某县某某局2023年政府信息公开工作年度报告\n" + BODY.replace("2025", "2023"))
    assert result.facts.agency == "某某县某某局"


def test_one_table_a_paragraph_per_cell_and_the_next_rows_of_tabs():
    """A page assembled from two sources: table 二 one cell per paragraph with blank lines between
    the cells, tables 三/四 rows of tabs. Each part is read in its own layout (table 二's cells were
    dropped with a false S008)."""
    cells = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "0", "1", "0",
             "行政规范性文件", "1", "0", "2", "第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "3",
             "第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "0", "行政强制", "0"]
    rows = "".join(f"{label}\t0\t0\t0\t0\t0\t0\t0\n" for label in (
        "二、上年结转政府信息公开申请数量", "（二）部分公开", "1.属于国家秘密", "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息"))
    text = report_text("\n\n".join(cells)).replace("三、收到和处理政府信息公开申请情况\n",
                                                   "三、收到和处理政府信息公开申请情况\n" + _APPLICATIONS_36 + rows)
    result = audit_text(text)
    got = {k: result.facts.cells[k] for k in ("active.regulations.repealed", "active.normative_documents.in_force",
                                             "active.licensing.decisions", "applications.new.total")}
    assert got == {"active.regulations.repealed": 1, "active.normative_documents.in_force": 2,
                   "active.licensing.decisions": 3, "applications.new.total": 36}
    assert "S008" not in {f.code for f in result.findings}


def test_a_pipe_row_padded_by_a_run_of_bare_pipes_holds_only_its_cells():
    """A scraper pads every row to one width ("… | 0 | ||||||||"): the run is not six blank cells
    after a 自然人 value (a guessed cell and false S006 'blank 总计'), the row's cells cannot be placed
    (S008); a label followed by padding alone is still a blank row."""
    table = ("\t申请人情况\n一、本年新收政府信息公开申请数量 | 0 | ||||||||\n"
             "二、上年结转政府信息公开申请数量 | 3 | 3 | ||||||||\n")
    text = report_text("规章 | 0 | 0 | 0 |\n行政事业性收费 | ||||").replace(
        "三、收到和处理政府信息公开申请情况\n", "三、收到和处理政府信息公开申请情况\n" + table)
    result = audit_text(text)
    assert result.facts.cells.get("applications.new.person") is None
    assert result.facts.cells.get("applications.carried_over.company") is None
    s008 = " ".join(f.message for f in result.findings if f.code == "S008")
    assert "本年新收" in s008 and "上年结转" in s008
    assert result.facts.cells["active.regulations.in_force"] == 0
    assert [f for f in result.findings if f.code == "S006" and "行政事业性收费" in f.message]


def test_a_flip_book_page_head_gives_the_title_when_the_page_has_no_other():
    text = "Page 8 - 某某市某某区信访局2022年政府信息公开工作年度报告\nP. 8\n" + BODY.replace("2025", "2022")
    result = audit_text(text)
    assert (result.facts.agency, result.facts.year) == ("某某市某某区信访局", 2022)


def test_a_table_of_contents_entry_is_not_the_heading():
    """"四、…诉讼情况 ........ 12" on a contents page: the body's heading is part 四 (a false S002
    'order reversed' and the table read at the contents line)."""
    toc = "目录\n一、总体情况 .................. 1\n四、政府信息公开行政复议、行政诉讼情况 ...... 12\n"
    result = audit_text("某某省交通运输厅2019年政府信息公开工作年度报告\n" + toc + BODY.replace("2025", "2019")
                        + "三、收到和处理政府信息公开申请情况\n略。\n四、政府信息公开行政复议、行政诉讼情况\n略。\n")
    four = [s for s in result.facts.sections if s.number == 4]
    assert four and "...." not in four[0].title and four[0].line > 5
    assert "S002" not in {f.code for f in result.findings}


def test_a_heading_that_ends_a_long_line_has_its_table_below():
    long = "一、总体情况 " + "本乡认真贯彻落实条例，推进政务公开。" * 10 + "二、主动公开政府信息情况"
    text = ("某某县某某乡2021年政府信息公开工作年度报告\n" + long + "\n第二十条第（一）项\n"
            "信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t1\t0\t4\n")
    result = audit_text(text)
    assert result.facts.cells["active.normative_documents.in_force"] == 4
    assert not [f for f in result.findings if f.code == "S004" and "二、" in f.message]


def test_a_period_from_one_date_shi_zhi_the_other():
    from summarizer.stat_period import period_in
    assert period_in("报告中所列数据统计期限自2022年1月1日始至2022年12月31日止")[:2] == ("2022-01-01", "2022-12-31")


@pytest.mark.parametrize("head,agency", [
    ("- 无障碍阅读\n- 长者版\n名 称: 某某街道办事处2022年度 政府信息公开工作年度报告\n", "某某街道办事处"),
    ("关于2020年政府信息公开工作年度报告\n本报告由某某镇人民政府党政办公室编制。\n", "某某镇人民政府"),
])
def test_page_widgets_above_a_labelled_title_and_a_townships_office(head, agency):
    assert audit_text(head + BODY.replace("2025", "2022")).facts.agency == agency


def test_parts_numbered_di_yi_bu_fen():
    text = report_text("规章\t0\t0\t0")
    for i, n in enumerate("一二三四五六"):
        text = text.replace(f"\n{n}、", f"\n第{n}部分 ", 1)
    result = audit_text(text)
    assert [s.number for s in result.facts.sections] == [1, 2, 3, 4, 5, 6]
    assert "S001" not in {f.code for f in result.findings} and "S009" in {f.code for f in result.findings}


def test_the_kangxi_radical_table_is_what_nfkc_says():
    import unicodedata

    from summarizer.document import KANGXI_RADICALS, fold
    assert KANGXI_RADICALS == "".join(unicodedata.normalize("NFKC", chr(o)) for o in range(0x2F00, 0x2FD6))
    assert fold("\u2f00、总体情况 \u2f8f政许可 \u2ed3沙") == "一、总体情况 行政许可 长沙"


def test_a_signature_one_character_longer_than_the_title_name_is_the_same_body():
    """Title "威海市文登人民政府办公室" (区 dropped), signature "…文登区人民政府办公室": one body (a false
    S010 'copied from another body'); a different district is still two bodies."""
    def s010(title_name: str, signer: str) -> bool:
        text = f"{title_name}2022年政府信息公开工作年度报告\n" + BODY.replace("2025", "2022") + f"\n{signer}\n2023年1月16日\n"
        return "S010" in {f.code for f in audit_text(text).findings}
    assert not s010("某某市某某人民政府办公室", "某某市某某区人民政府办公室")
    assert s010("某某市东城区人民政府办公室", "某某市西城区人民政府办公室")


@pytest.mark.parametrize("agency,deadline", [
    ("某某市某某乡", "2024-03-31"), ("某某乡人民政府", "2024-03-31"), ("某某路街道", "2024-03-31"),
    ("某某综合实验区", "2024-03-31"), ("某某县财政局", "2024-01-31"), ("某某县教育局办公室", "2024-01-31"),
    # a government's general office often publishes its government's combined report under its own name
    # ("由××县人民政府办公室综合各乡镇、各部门报告编制"): the later date
    ("某某县人民政府办公室", "2024-03-31"), ("某某省人民政府办公厅", "2024-03-31"), ("某某盟行署", "2024-03-31"),
    # a government named by its place or its short name, or no name read: the later deadline (no false P004)
    ("桐梓县", "2024-03-31"), ("上海市政府", "2024-03-31"), (None, "2024-03-31"), ("某某街道办事处", "2024-03-31"),
    ("某某盟行政公署", "2024-03-31"), ("某某县卫生健康委员会", "2024-01-31"), ("某某开发区管理委员会", "2024-03-31"),
])
def test_the_deadline_does_not_depend_on_how_a_township_writes_its_name(agency, deadline):
    from summarizer.checks.period import _deadline
    assert _deadline(agency, 2023)[0] == deadline


@pytest.mark.parametrize("agency,level", [
    ("某某市住房和城乡建设局", None), ("某某市乡村振兴局", None), ("镇江市人民政府", None), ("某某县乡镇企业局", "县"),
    ("某某县某某镇人民政府", "镇"), ("某某乡", "乡"), ("某某镇财政所", "镇"),
])
def test_rule_making_level_reads_townships_not_the_characters_of_other_words(agency, level):
    """A010: 城乡 / 乡村振兴 / 镇江 name no township (a false warning on every city's 住建局)."""
    from summarizer.checks.arithmetic import _below_rule_making
    assert _below_rule_making(agency) == level


def test_a_page_tab_line_above_the_title_is_not_its_first_half():
    text = "正文\n某某市 2025 年政府信息公开工作年度报告\n" + BODY
    assert audit_text(text).facts.agency == "某某市"


def test_a_count_of_one_channel_is_not_the_applications_received():
    """"收到群众网上申请105件，快递17件，合计122件": 105 is one channel (a false N001 error '105 ≠ 122')."""
    text = report_text("规章\t0\t0\t0").replace("推进。", "全年依申请公开共收到群众网上申请105件，快递17件，合计122件。")
    text = text.replace("三、收到和处理政府信息公开申请情况\n", "三、收到和处理政府信息公开申请情况\n"
                        + _APPLICATIONS_36.replace("30\t6\t0\t0\t0\t0\t36", "100\t22\t0\t0\t0\t0\t122"))
    assert "N001" not in {f.code for f in audit_text(text).findings}


def test_a_sites_column_of_bodies_above_the_title_is_not_its_first_half():
    text = "乡镇(街道办)\n某某镇2025年政府信息公开工作年度报告\n" + BODY
    assert audit_text(text).facts.agency == "某某镇"


def test_a_lost_row_name_after_the_header_is_said_so_not_matched_to_a_template_row():
    """"现行有效件数" / (blank label) / 0 0 0: the header's last cell is no row; S007 says the row's
    name is missing instead of 'nearest template row: 行政许可'."""
    cells = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "  ", "0", "0", "0",
             "行政规范性文件", "0", "0", "2"]
    s007 = [f.message for f in audit_text(report_text("\n\n".join(cells))).findings if f.code == "S007"]
    assert s007 and "行名是空的" in s007[0] and "行政许可" not in s007[0]


def test_parts_that_are_publishing_channels_overlap():
    """"671条，其中网站65条、微信497条、抖音157条": one item goes out on several channels (a false N003
    error 719 > 671); categories that do not overlap still add up."""
    assert find_enumerations("主动公开政府信息671条，其中网站65条、微信公众号497条、抖音157条。") == []
    cats = find_enumerations("共计3437条，包括：人事信息12条、政务动态1740条、公告公示225条、其他类信息1827条。")
    assert cats and cats[0].contradicts()


def test_published_normative_documents_are_not_compared_with_documents_made():
    """2021 table 二 counts documents made (本年制发件数); "主动公开行政规范性文件1件" may count others'
    (no N004 either way); "制发…3件" is compared."""
    table = "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t2\t0\t5"
    published = report_text(table).replace("推进。", "本年度主动公开行政规范性文件1件。")
    assert "N004" not in {f.code for f in audit_text(published).findings}
    made = report_text(table).replace("推进。", "本年度制发行政规范性文件3件。")
    assert "N004" in {f.code for f in audit_text(made).findings}


def test_a_heading_whose_numeral_is_gone_before_its_separator():
    text = report_text("规章\t0\t0\t0").replace("二、主动公开政府信息情况", "、主动公开政府信息情况")
    assert [s.number for s in audit_text(text).facts.sections] == [1, 2, 3, 4, 5, 6]


def test_an_outcome_row_with_its_total_cell_blank_is_compared_through_its_cells():
    """N008: "予以公开5件" against a 予以公开 row whose 总计 cell is blank but whose six applicant cells
    are all filled (3 + 1 = 4): the 总计 is their sum by definition, so the contradiction is reported;
    with an applicant cell blank too, nothing is compared."""
    def n008(row: str) -> bool:
        table = _APPLICATIONS_36 + "三、本年度办理结果\t（一）予以公开\t" + row + "\n"
        text = report_text("规章\t0\t0\t0").replace("推进。", "全年予以公开5件。").replace(
            "三、收到和处理政府信息公开申请情况\n", "三、收到和处理政府信息公开申请情况\n" + table)
        return "N008" in {f.code for f in audit_text(text).findings}
    assert n008("3\t1\t0\t0\t0\t0\t")
    assert not n008("3\t1\t0\t0\t0\t0\t5")
    assert not n008("3\t\t0\t0\t0\t0\t")


@pytest.mark.parametrize("title_name,named,s010", [
    ("某某县面甸镇", "某某县民族宗教事务局", True),
    ("某某高新区", "某某高新技术产业开发区管理委员会", False),
    ("某某市住建局", "某某市住房和城乡建设局", False),
    ("某某县人民政府办公室", "某某县人民政府", False),
])
def test_a_preamble_that_names_the_report_as_another_bodys(title_name, named, s010):
    """"现公布××县民族宗教事务局2025年度…报告" under a township's title: a copy of another body's report
    (S010); an abbreviation of the same body is not."""
    text = (f"{title_name}2025年政府信息公开工作年度报告\n根据《条例》规定，现公布{named}2025年度政府信息公开工作年度报告。\n"
            + BODY)
    assert ("S010" in {f.code for f in audit_text(text).findings}) == s010


# ---------------------------------------------------------------- pages of other kinds in a batch

@pytest.mark.parametrize("text", [
    "某某县财政局2022年部门决算\n一、收入支出决算总体情况说明\n2022年度收入总计1200万元，支出总计1180万元。\n"
    "二、收入决算情况说明\n本年收入1200万元。\n",
    "【工作推进】某某县召开2023年度政府信息公开工作年报编制和发布部署会\n会上针对收到和处理政府信息公开申请情况、"
    "主动公开政府信息情况等六大板块的撰写要求做了详细指导，要求各单位及时报审、公开。\n",
    "某某镇上半年政府信息公开工作情况汇报\n上半年，现将我镇政府信息公开工作情况汇报如下：\n一、基本情况\n我镇推进信息公开。\n",
    # a work summary whose first heading is a part's official title
    "今年以来，我局认真落实条例，现就我局本年度政府信息公开工作总结如下：\n一、主动公开政府信息情况\n"
    "主动公开信息56条，依申请公开办理2件。\n",
    # rules on the reports issued by a notice (the date line above is no title's first half)
    "关于印发政府信息公开工作年度报告制度的通知\n各市县人民政府：\n现印发给你们，请认真贯彻执行。\n二○一一年十二月二日\n"
    "某某省政府信息公开工作年度报告制度(试行)\n第一条 为进一步总结政府信息公开工作，制定本制度。\n",
    # a journal article about the reports ("2020年8期" above its keywords is no title's first half)
    "张三 李四\n现代情报 2020年8期\n关键词:政府信息公开年度报告\n\n摘 要:本文分析了政府信息公开年度报告的质量。\n"
    "一、引言\n政府信息公开年度报告是……\n",
    # the notice issuing the format, its blank tables attached (template words, no number)
    "信息名称 | 国务院办公厅政府信息与政务公开办公室关于印发《中华人民共和国政府信息公开工作年度报告格式》的通知 |\n"
    "中华人民共和国政府信息公开工作年度报告格式\n附件:\n一、总体情况\n第二十条第(一)项\n信息内容\n本年制发件数\n"
    "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请数量\n",
    # news of a meeting that names three or more of the parts (not the text speaking of its own parts)
    "某某县召开2023年度政府信息公开工作年报编制部署会\n会上针对年报总体情况、主动公开政府信息情况、"
    "收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题的撰写要求做了指导。\n",
])
def test_pages_of_other_kinds_are_named_not_audited_as_broken_reports(text):
    """A budget statement, news of a meeting, a half-year summary, a work summary, rules, an article:
    one heading like 一、…基本情况 or a headline that mentions the report made them 'reports' with
    six S001/S004 errors each."""
    with pytest.raises(InputError, match="^不是政府信息公开工作年度报告"):
        audit_text(text)


@pytest.mark.parametrize("text", [
    "某某市人民政府办公室\n\n关于做好2025年政府信息公开工作年度报告\n\n编制和发布工作的通知\n\n各县区人民政府：\n"
    "现就做好年度报告编制和发布工作通知如下。\n一、总体要求\n按时发布。\n",
    "某某省人民政府办公厅关于2009年政府信息公开工作年度报告发布情况的通报\n各市人民政府：\n现将有关情况通报如下。\n",
    # how the bodies of a city published their reports (a 情况 note, not a report)
    "某某市2023年政府信息公开工作年度报告公布情况\n现将某某市2023年政府信息公开工作年度报告公布情况报告如下。\n"
    "一、总体情况\n37个单位按时公布。\n",
])
def test_notices_about_the_reports_are_named_as_notices(text):
    with pytest.raises(InputError, match="^不是政府信息公开工作年度报告：.*通知、通报或部署"):
        audit_text(text)


@pytest.mark.parametrize("text", [
    "某某县某某局2023年政府信息公开工作年度报告\n一、总体情况\n本局推进公开。\n",  # a report cut after 一
    "某某县某某局2023年政府信息公开工作年度报告\n",  # the title alone
    "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n",  # a table page
])
def test_fragments_of_real_reports_are_still_audited(text):
    assert not audit_text(text).error


def test_interpretation_pages_named_at_the_end_of_the_title_and_a_report_behind_its_interpretation():
    interp = ("某某街道办事处2022年政府信息公开工作年度报告解读\n一、编制背景\n根据条例编制。\n二、主要内容\n介绍了各部分。\n")
    with pytest.raises(InputError, match="解读页面"):
        audit_text(interp)
    behind = "文字解读：某某街道办事处2022年政府信息公开工作年度报告\n一图读懂。\n" + report_text("规章\t0\t0\t0")
    result = audit_text(behind)
    assert not result.error and result.facts.cells["active.regulations.issued"] == 0


def test_a_research_institutes_own_report_is_not_measured_against_the_government_template():
    text = ("中国某某研究所2022年度信息公开工作报告\n一、信息公开情况\n网站公开信息303条。\n"
            "二、依申请公开信息和不予公开信息的情况\n收到申请0件。\n三、信息公开的收费及减免情况\n无。\n")
    result = audit_text(text)
    assert not [f for f in result.findings if f.code.startswith(("S001", "S004", "P"))]
    assert any("公共企事业单位" in n for n in result.input_notes)


@pytest.mark.parametrize("title,agency", [
    ("国网某某市某某区供电公司2020年度信息公开年度报告", "国网某某市某某区供电公司"),       # a company
    ("中国科学院某某研究所(国家某某中心)信息公开工作2023年度报告", "中国科学院某某研究所"),  # an alias
])
def test_companies_and_institutes_with_an_alias_are_named_and_exempt(title, agency):
    text = title + "\n一、信息公开情况\n网站公开信息303条。\n二、依申请公开情况\n收到申请0件。\n"
    result = audit_text(text)
    assert result.facts.agency == agency
    assert not [f for f in result.findings if f.code.startswith(("S001", "S004", "P"))]
    assert any("公共企事业单位" in n for n in result.input_notes)


def test_a_report_to_the_2008_outline_dated_only_in_its_body_is_exempt():
    """A 2015 report with no title line (its year only in "2015年，我局…") written to the 2008 outline
    (咨询处理情况, 支出和收费): the 2019 template's parts and tables do not apply (nine false errors)."""
    text = ("本年度报告由某某省监狱管理局编制。全文包括概述，主动公开政府信息情况，依申请公开政府信息情况，"
            "政府信息公开咨询处理情况，政府信息公开复议、诉讼情况，政府信息公开支出和收费，存在的主要问题和改进措施。\n"
            "一、工作概述\n2015年，我局政府信息公开工作取得新进展。\n二、主动公开政府信息情况\n主动公开信息120条。\n")
    result = audit_text(text)
    assert result.facts.year == 2015 and any("早于现行年度报告格式" in n for n in result.input_notes)
    assert not [f for f in result.findings if f.code.startswith(("S001", "S004"))]
    current = text.replace("2015年", "2020年")
    assert [f for f in audit_text(current).findings if f.code.startswith("S001")]


def test_rules_written_article_by_article_are_not_a_report():
    text = ("第一条 各科室应于每年12月底前将政府信息公开年度报告报送办公室。\n第二条 报告的内容：\n"
            "（一）主动公开政府信息的情况\n1.全年主动公开信息总数；\n（二）政府信息依申请公开情况\n"
            "2.年度内共受理政府信息公开申请件数；\n3.年度内不予受理政府信息公开申请的件数；\n"
            "（四）申请复议、提起行政诉讼情况\n第三条 本规定自印发之日起施行。\n")
    with pytest.raises(InputError, match="^不是政府信息公开工作年度报告"):
        audit_text(text)


@pytest.mark.parametrize("lead", ["根据", "为贯彻落实"])
def test_a_report_citing_the_format_notice_is_still_a_report(lead):
    text = (lead + "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》要求，"
            "现公布某某县某某局2023年政府信息公开工作年度报告。\n" + report_text("规章\t0\t0\t0").split("\n", 1)[1])
    assert not audit_text(text).error


def test_a_school_year_report_titled_xuenian_du_over_two_lines():
    text = ("某某工商大学\n2022-2023学年度信息公开工作报告\n本报告统计期限自2022年9月1日起至2023年8月31日止。\n"
            "一、概述\n学校推进信息公开。\n")
    result = audit_text(text)
    assert result.facts.agency == "某某工商大学" and any("学年" in n for n in result.input_notes)


def test_a_metadata_row_above_the_title_is_not_its_first_half():
    text = "所属机构: | 某某区 | 发布机构: |\n某某区某某街道2023年政府信息公开工作年度报告 | ||||\n" + BODY
    assert audit_text(text).facts.agency == "某某区某某街道"


def test_a_governments_office_compiling_the_report_is_not_its_author():
    """"本年度报告由××县人民政府办公室组织编制" (no title line): the county's report (条例第四十九条), not
    the office's — the office's own report says so in its title."""
    text = "本年度报告由某某县人民政府办公室组织编制。\n" + BODY
    assert audit_text(text).facts.agency == "某某县人民政府"


def test_a_count_with_more_of_the_same_right_after_it():
    """"受理申请91件（另有2件结转下年度）" against 93 new applications: 91 + 2 (no N001 error); a plain
    "受理申请91件" against 93 still is one."""
    def n001(sentence: str) -> bool:
        text = report_text("规章\t0\t0\t0").replace("推进。", sentence).replace(
            "三、收到和处理政府信息公开申请情况\n", "三、收到和处理政府信息公开申请情况\n"
            + _APPLICATIONS_36.replace("30\t6\t0\t0\t0\t0\t36", "90\t3\t0\t0\t0\t0\t93"))
        return "N001" in {f.code for f in audit_text(text).findings}
    assert not n001("全县共受理政府信息公开申请91件（另有2件结转下年度办理）。")
    assert n001("全县共受理政府信息公开申请91件。")


def test_spam_written_over_the_body_name_is_no_agency():
    text = ("根据《条例》要求，现将澳门特区赌场,澳门博彩业网址交通运输局2022年政府信息公开工作年度报告予以公布。\n"
            + BODY.replace("2025", "2022"))
    assert audit_text(text).facts.agency is None


def test_rows_whose_labels_lost_a_character_are_damaged_not_missing():
    """"政许可 132" (行 dropped by a mirror site): S007 names the row and its nearest template row; S005
    ('rows missing, lost across a page') does not list it."""
    active = ("第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t1\t0\t4\n"
              "第二十条第（五）项\n信息内容\t本年处理决定数量\n政许可\t132\n第二十条第（六）项\n信息内容\t本年处理决定数量\n"
              "行政处罚\t22\n行政强制\t2\n第二十条第（八）项\n信息内容\t本年收费金额（单位：万元）\n行政事业性收费\t0\n")
    findings = audit_text(report_text(active)).findings
    assert not [f for f in findings if f.code == "S005" and "行政许可" in f.message]
    assert [f for f in findings if f.code == "S007" and "政许可" in f.message and "行政许可" in f.message]


def test_the_body_saying_it_compiled_the_report_names_the_agency():
    text = ("一、总体情况\n某某市某某区某某街道特编制2023年政府信息公开年度报告。\n" + BODY.split("一、总体情况\n本单位推进公开。\n")[1])
    assert audit_text(text.replace("2025", "2023")).facts.agency == "某某市某某区某某街道"


def test_a_report_without_title_or_headings_that_states_its_period_is_a_report():
    """"本报告由××乡人民政府…编制…统计期限自2023年1月1日起至2023年12月31日止" then "(一)主动公开情况":
    a real report whose part 一 has no heading (it was refused as 'not a report')."""
    text = ("本报告由某某乡人民政府按照《条例》要求编制。本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n"
            "今年以来，我乡扎实推进政务公开。\n（一）主动公开情况\n主动公开信息56条。\n")
    assert not audit_text(text).error


def test_a_cut_off_date_after_the_lead_in_words_states_the_period():
    """"本报告中所列数据统计时间截至2020年12月31日" states the calendar year (a false P002 'no period')."""
    from summarizer.stat_period import period_in
    assert period_in("本报告中所列数据统计时间截至2020年12月31日。")[:2] == ("2020-01-01", "2020-12-31")


def test_a_name_line_above_a_preamble_that_names_the_report():
    """"××区国资局" / "根据《条例》…现公布区政府国资局2022年…报告。": the title is not the whole sentence
    joined to the name, and the full name above is the agency (not "区政府国资局")."""
    text = ("某某区国资局\n根据《中华人民共和国政府信息公开条例》相关要求，现公布区政府国资局2022年政府信息公开工作年度报告。\n"
            + BODY.replace("2025", "2022"))
    result = audit_text(text)
    assert result.facts.agency == "某某区国资局" and "根据" not in (result.facts.title or "")


def test_the_office_of_a_leading_group_compiles_the_governments_report():
    text = "本报告由某某旗政务公开领导小组办公室编制。\n" + BODY
    assert audit_text(text).facts.agency == "某某旗人民政府"


# ---------------------------------------------------------------- fourteenth pass (ministries, zones, narratives, tables)

def _dated(text: str, date: str) -> str:
    return text + date + "\n"


@pytest.mark.parametrize("name", ["水利部", "审计署", "财政部"])
def test_a_ministry_named_in_three_characters_is_the_agency_and_a_department(name):
    """"水利部2020年…报告": a ministry of the State Council (three characters) is a body, and a
    department: its report is due 31 January (P004 on a date in March)."""
    text = name + "2022年政府信息公开工作年度报告\n" + BODY.replace("2025", "2022") + "五、存在的主要问题及改进情况\n问题。\n"
    result = audit_text(_dated(text, name + "\n2023年3月15日"))
    assert result.facts.agency == name
    assert "P004" in {f.code for f in result.findings}


def test_a_covering_letter_names_the_report_after_xian_baosong():
    text = ("某某省生态环境厅关于报送2020年政府信息公开工作年度报告的函\n根据要求，现报送某某省生态环境厅2020年政府信息公开工作年度报告。\n"
            + BODY.replace("2025", "2020"))
    result = audit_text(text)
    assert result.facts.agency == "某某省生态环境厅" and not (result.facts.title or "").startswith("现报送")


def test_a_zones_own_party_and_government_office_compiles_the_zones_report():
    """"本报告由××高新区党政办公室编制": the zone's report, due 31 March like a government's (a false P004
    on 20 February)."""
    text = "本报告由某某高新区党政办公室按照条例编制。\n" + BODY.replace("2025", "2024") + "五、存在的主要问题及改进情况\n问题。\n"
    result = audit_text(_dated(text, "2025年2月20日"))
    assert result.facts.agency == "某某高新区"
    assert "P004" not in {f.code for f in result.findings}


@pytest.mark.parametrize("agency", ["某某街道办", "某某镇党政办"])
def test_a_streets_or_townships_own_office_gets_the_later_deadline(agency):
    from summarizer.checks.period import _deadline
    assert _deadline(agency, 2024)[0] == "2025-03-31"
    assert _deadline("某某县教育局", 2024)[0] == "2025-01-31"


def test_a_report_titled_zhengwu_gongkai_gongzuo_niandu_baogao():
    text = "某某生态园管理委员会2021年政务公开工作年度报告 | ||||\n" + BODY.replace("2025", "2021")
    result = audit_text(text)
    assert result.facts.agency == "某某生态园管理委员会" and "S003" not in {f.code for f in result.findings}


def test_the_reports_as_a_task_cited_before_the_report_names_itself():
    """"…做好2023年政府信息公开工作年度报告编制发布等工作的要求，…现编制形成了《××镇人民政府2023年…报告》":
    the first 报告 is the task; the title is the one in 《》 (spam before the name dropped)."""
    text = ("按照《中华人民共和国政府信息公开条例》以及省、市做好2023年政府信息公开工作年度报告编制发布等工作的具体要求，"
            "结合实际，现编制形成了《某某网官网@:某某镇人民政府2023年政府信息公开工作年度报告》。\n" + BODY.replace("2025", "2023"))
    result = audit_text(text)
    assert result.facts.agency == "某某镇人民政府"
    assert "S003" not in {f.code for f in result.findings}


def test_a_title_missing_its_place_takes_the_full_name_the_preamble_gives():
    text = ("市人民政府办公室2025年政府信息公开工作年度报告\n根据条例要求，现公开某某市人民政府办公室2025年政府信息公开工作年度报告。\n"
            + BODY)
    assert audit_text(text).facts.agency == "某某市人民政府办公室"


def test_a_place_among_kinds_of_information_overlaps_them():
    over = "共发布信息4796条，其中重点领域政务信息公开1334条，政务动态类信息2476条，信息公开目录1898条。"
    assert not [e for e in find_enumerations(over) if e.contradicts()]
    kinds = "共发布信息382条，其中机构职能82条、政策文件87条、工作动态300条。"
    assert [e for e in find_enumerations(kinds) if e.contradicts()]


def _with_applications(sentence: str, new_row: str = "1\t0\t0\t0\t0\t0\t1") -> str:
    table = _APPLICATIONS_36.replace("30\t6\t0\t0\t0\t0\t36", new_row)
    return report_text("规章\t0\t0\t0").replace("推进。", sentence).replace(
        "三、收到和处理政府信息公开申请情况\n", "三、收到和处理政府信息公开申请情况\n" + table)


@pytest.mark.parametrize("sentence,n001", [
    ("本年度未收到法人或者其他组织对依申请公开政府信息的申请。", False),   # one kind of applicant: 自然人 1 fits
    ("本年度未收到公民、法人或者其他组织提出的政府信息公开申请。", True),   # all of them: none, against 1
    ("对不能当场答复的，自收到申请之日起20个工作日内予以答复。", False),   # a time limit (条例第三十三条)
    ("共收到政府信息公开申请1件，自收到申请之日起20个工作日内予以答复。", False),
    ("共收到政府信息公开申请3件。", True),
])
def test_received_applications_of_one_kind_and_time_limits(sentence, n001):
    assert ("N001" in {f.code for f in audit_text(_with_applications(sentence)).findings}) == n001


def _with_litigation(sentence: str, review: str = "0") -> str:
    lit = ("行政复议\t\t\t\t\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
           + "\t".join([review, "0", "0", "0", review] + ["0"] * 10))
    return report_text("规章\t0\t0\t0").replace("推进。", sentence).replace(
        "四、政府信息公开行政复议、行政诉讼情况\n", "四、政府信息公开行政复议、行政诉讼情况\n" + lit + "\n")


@pytest.mark.parametrize("sentence,review,n002", [
    ("本年度未发生被纠错的行政复议和行政诉讼案件。", "2", False),
    ("目前尚未审结的行政复议和行政诉讼案件各0件。", "2", False),
    ("全年共收到行政复议申请150件，依法审结140件。", "0", False),   # the body decides reviews
    ("全年制作行政复议决定书20件。", "0", False),
    ("本年度发生政府信息公开行政复议2件。", "0", True),
    ("本年度未发生政府信息公开行政复议和行政诉讼。", "2", True),
    ("本年度未发生申请人申请行政复议、提起行政诉讼的情况。", "2", True),   # a verb before 行政诉讼
    ("本年度未发生申请人申请行政复议、提起行政诉讼的情况。", "0", False),
    ("本年度未发生行政复议或者诉讼。", "2", True),
    ("本年度因政府信息公开申请行政复议2件，尚未审结行政复议0件。", "2", False),   # pending: a subset
    ("本年度因政府信息公开申请行政复议2件，尚未审结行政复议0件。", "3", True),
])
def test_reviews_qualified_decided_by_the_body_or_documents_are_not_counts_of_cases(sentence, review, n002):
    assert ("N002" in {f.code for f in audit_text(_with_litigation(sentence, review)).findings}) == n002


@pytest.mark.parametrize("sentence,n008", [
    ("全年制发公文120件，其中主动公开80件，不予公开30件。", False),
    ("经保密审查，不予公开3件。", False),
    ("人大代表建议办理结果全部予以公开8件。", False),
    ("全年收到申请1件，不予公开1件。", True),
    ("全年收到申请1件，答复“不予公开”1件。", True),   # outcome words in quotes
    ("全年收到申请1件，答复“不予公开”0件。", False),
])
def test_outcomes_of_documents_and_proposals_are_not_outcomes_of_applications(sentence, n008):
    withheld = ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益", "属于三类内部事务信息",
                "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"]
    table = ("三、本年度办理结果\t（一）予以公开\t1\t0\t0\t0\t0\t0\t1\n"
             + "".join(f"{'（三）不予公开' if i == 1 else ''}\t{i}.{w}\t0\t0\t0\t0\t0\t0\t0\n" for i, w in enumerate(withheld, 1)))
    text = _with_applications(sentence).replace("一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n",
                                                 "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n" + table)
    assert audit_text(text).facts.cells["applications.withheld_8.total"] == 0
    assert ("N008" in {f.code for f in audit_text(text).findings}) == n008


@pytest.mark.parametrize("sentence,n008", [
    ("全年收到申请1件，结转至2024年度继续办理1件。", True),    # the year after the report's (2023): table says 0
    ("全年收到申请1件，1件结转到2024年办理。", True),
    ("全年收到申请1件，结转至2024年度继续办理0件。", False),
    ("全年收到申请1件，结转至2023年度继续办理1件。", False),   # not the next year: not a carry-forward claim
])
def test_carried_forward_to_the_named_next_year(sentence, n008):
    text = _with_applications(sentence).replace(
        "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n",
        "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n")
    assert audit_text(text).facts.year == 2023
    assert audit_text(text).facts.cells["applications.carried_forward.total"] == 0
    assert ("N008" in {f.code for f in audit_text(text).findings}) == n008


def test_a_heading_run_on_after_a_colon_is_a_heading_but_a_list_of_parts_is_not():
    parts = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
             "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    body = "".join(p + " 内容。" for p in parts[1:])
    run_on = "某某区某某局2022年政府信息公开工作年度报告 根据条例，特编制此报告：一、总体情况2022年，本局推进公开。" + body
    assert [s.number for s in audit_text(run_on).facts.sections] == [1, 2, 3, 4, 5, 6]
    listed = ("某某区某某局2022年政府信息公开工作年度报告 本报告分为六个部分：" + "，".join(parts) + "。"
              + "一、总体情况 本局推进公开。" + body)
    assert [s.col for s in audit_text(listed).facts.sections][0] > listed.index("。")


def test_a_paragraph_per_cell_table_with_blanks_written_as_slashes():
    """Table 二 one cell per paragraph, its one number among cells written "/": the "/" are blank cells
    (S006), not rows with no cells (a false S008)."""
    cells = ["第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数", "规章", "/", "/", "/",
             "行政规范性文件", "/", "/", "/", "第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "11839",
             "第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "/", "行政强制", "/",
             "第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "行政事业性收费", "/"]
    result = audit_text(report_text("\n\n".join(cells)))
    assert result.facts.cells["active.licensing.decisions"] == 11839
    assert result.facts.cells["active.regulations.issued"] is None
    assert "S008" not in {f.code for f in result.findings} and "S006" in {f.code for f in result.findings}


def test_table_three_one_cell_per_line_beside_tables_in_rows():
    """Tables 二 and 四 in tab rows, table 三 one cell per line and cut after its first row's two cells:
    its lone numbers are cells (unreadable row, S008), not page numbers dropped (a false S006 'blank')."""
    apps = ("申请人情况 |\n自然人 |\n法人或其他组织 |\n总计 |\n商业企业 |\n科研机构 |\n社会公益组织 |\n法律服务机构 |\n其他 |\n"
            "一、本年新收政府信息公开申请数量 |\n5 |\n0\n")
    text = report_text("规章\t0\t0\t0\n行政规范性文件\t1\t0\t4").replace(
        "三、收到和处理政府信息公开申请情况\n", "三、收到和处理政府信息公开申请情况\n" + apps)
    codes = {f.code: f.message for f in audit_text(text).findings}
    assert "S008" in codes and "本年新收" in codes["S008"]
    assert not ("S006" in codes and "本年新收" in codes["S006"])


def test_reports_before_2019_were_due_on_31_march_for_every_body():
    """The 2008 条例 gave departments until 31 March too (a false P004 on a 2013 report dated 25 March);
    nor did the old outline ask for a statistics-period sentence (P002 skipped with the template)."""
    text = ("某某县文广新局2013年政府信息公开工作年度报告\n一、概述\n本局推进公开。\n二、主动公开政府信息情况\n公开信息56条。\n"
            "五、信息公开工作存在的主要问题及改进情况\n加强培训。\n2014年3月25日\n")
    codes = {f.code for f in audit_text(text).findings}
    assert "P004" not in codes and "P002" not in codes
    from summarizer.checks.period import _deadline
    assert _deadline("某某县文广新局", 2013)[0] == "2014-03-31" and _deadline("某某县文广新局", 2019)[0] == "2020-01-31"


def test_an_office_compiling_a_report_that_speaks_of_itself_is_its_author():
    """"由××区人民政府办公室编制的2023年度…报告" then "2023年，××区政府办公室进一步…": the office's own
    report (the district publishes both with one preamble); "…我区认真贯彻…" is the district's."""
    pre = "本年报是根据《条例》要求，由某某市某某区人民政府办公室编制的2023年度政府信息公开年度报告。\n"
    office = pre + "一、总体情况\n2023年，某某区政府办公室进一步拓展公开深度。\n" + BODY.split("一、总体情况\n本单位推进公开。\n")[1]
    district = pre + "一、总体情况\n2023年，我区认真贯彻执行条例。\n" + BODY.split("一、总体情况\n本单位推进公开。\n")[1]
    assert audit_text(office.replace("2025", "2023")).facts.agency == "某某市某某区人民政府办公室"
    assert audit_text(district.replace("2025", "2023")).facts.agency == "某某市某某区人民政府"


def test_an_office_that_compiled_the_report_from_the_departments_figures():
    text = "本年度报告依据《条例》及省、市有关要求，由某某市某某区人民政府办公室汇总编制。\n" + BODY
    assert audit_text(text).facts.agency == "某某市某某区人民政府"


def test_outcomes_of_the_new_and_the_carried_over_applications_apart():
    """"新收申请17件，予以公开13件；上年结转1件，予以公开1件" against 予以公开 14: two scopes, not a
    contradiction (two false N008 errors)."""
    table = "三、本年度办理结果\t（一）予以公开\t14\t0\t0\t0\t0\t0\t14\n"
    text = _with_applications("共新收政府信息公开申请17件，予以公开13件；上年结转办理1件，予以公开1件。",
                              "17\t0\t0\t0\t0\t0\t17")
    text = text.replace("一、本年新收政府信息公开申请数量\t17\t0\t0\t0\t0\t0\t17\n",
                        "一、本年新收政府信息公开申请数量\t17\t0\t0\t0\t0\t0\t17\n" + table)
    assert audit_text(text).facts.cells["applications.granted.total"] == 14
    assert "N008" not in {f.code for f in audit_text(text).findings}


@pytest.mark.parametrize("sentence", ["依申请提供政府信息均免费。", "本年度未向申请人收取任何政府信息公开相关的费用。"])
def test_part_six_saying_no_fee_in_other_words(sentence):
    text = report_text("规章\t0\t0\t0").replace("六、其他需要报告的事项\n无。", "六、其他需要报告的事项\n" + sentence)
    assert "Q004" not in {f.code for f in audit_text(text).findings}


# ---------------------------------------------------------------- sixteenth pass (PDF text, 2019 tables, regions, batches)

@pytest.mark.parametrize("heading", ["一、概 述", "一 、 总 体 情 况", "一、政府信息公开总体工作情况"])
def test_part_one_spaced_out_or_worded_as_overall_work(heading):
    text = report_text("规章\t0\t0\t0").replace("一、总体情况", heading)
    assert [s.number for s in audit_text(text).facts.sections] == [1, 2, 3, 4, 5, 6]


def test_a_title_spaced_out_by_a_pdf_export():
    text = "某某市某某区测试局\n2022 年 政 府 信 息 公 开 工 作 年 度 报 告\n" + BODY.replace("2025", "2022")
    result = audit_text(text)
    assert result.facts.year == 2022 and "S003" not in {f.code for f in result.findings}


def test_a_sentence_naming_a_count_of_documents_is_no_flattened_table():
    """"2019年，我市制定并公布规范性文件8件，…" where table 二 should be: the table is missing (S004),
    not a table run together (S008)."""
    text = report_text("（一）主动公开范围\n1、规范性文件。2019年，我市制定并公布规范性文件8件，并做到了100%配备解读。")
    codes = {f.code: f.message for f in audit_text(text).findings if "二、" in f.message}
    assert "S004" in codes and "S008" not in codes


def test_a_sentence_broken_at_its_numbers_is_no_table_row():
    """"本区累计主动公开政府信息" / "5928" / "条，…" under 二 (a page's spans): prose, not a row 'not in
    the template' (S007) nor a table cut short (S005)."""
    text = report_text("本区到年底累计主动公开政府信息\n5928\n条，全文电子化率达\n90.3%\n，其中本年度新增\n2110\n条。")
    codes = {f.code for f in audit_text(text).findings}
    assert "S007" not in codes and "S005" not in codes


@pytest.mark.parametrize("title_name,signer", [
    ("某某区阿嘎如泰苏木", "阿嘎如泰苏木人民政府"), ("某某区阿嘎如泰苏木", "阿嘎如泰苏木党政综合办公室"),
    ("某某县长底布依族乡", "长底布依族乡党政综合办公室"), ("某某自治区国有资产监督管理委员会", "某某自治区政府国资委"),
])
def test_one_body_signing_through_its_office_or_a_short_name(title_name, signer):
    text = f"{title_name}2022年政府信息公开工作年度报告\n" + BODY.replace("2025", "2022") + f"\n{signer}\n2023年1月16日\n"
    assert "S010" not in {f.code for f in audit_text(text).findings}


def test_a_statistics_time_with_its_dates_garbled_is_named_garbled():
    text = report_text("规章\t0\t0\t0").replace("本报告统计期限为2023年1月1日至2023年12月31日。", "统计时间为202311日至20231231日。")
    p002 = [f.message for f in audit_text(text).findings if f.code == "P002"]
    assert p002 and "残缺" in p002[0]


def test_a_row_label_with_a_short_note():
    text = report_text("第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章(制度)\t0\t0\t2\n行政规范性文件\t1\t0\t4")
    result = audit_text(text)
    assert result.facts.cells["active.regulations.in_force"] == 2 and "S007" not in {f.code for f in result.findings}


@pytest.mark.parametrize("label,row", [("③其他", "other_3"), ("6.属于四类过程性资讯", "withheld_6"), ("⑥属于四类过程性信息", "withheld_6")])
def test_row_labels_with_circled_numbers_or_taiwan_wording(label, row):
    from summarizer.tables.labels import ROWS, candidates
    best = max(candidates(label, "applications"), key=lambda c: c[1])
    assert ROWS["applications"][best[0]].id == row


@pytest.mark.parametrize("sentence", ["结转下一年办理2件。", "另有2件申请转结下年度继续办理。"])
def test_carried_forward_written_other_ways(sentence):
    table = "四、结转下年度继续办理\t\t\t0\t0\t0\t0\t0\t0\t0\n"
    text = _with_applications("全年新收申请1件。" + sentence).replace(
        "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n", "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n" + table)
    assert audit_text(text).facts.cells["applications.carried_forward.total"] == 0
    assert "N008" in {f.code for f in audit_text(text).findings}


@pytest.mark.parametrize("preamble,agency", [
    ("根据《条例》要求，某某县教育体育局现向社会公开《2023年政府信息公开工作年度报告》。", "某某县教育体育局"),
    ("某某高新区某某办事处向社会公布2023年度本级政府信息公开年度报告。", "某某高新区某某办事处"),
    ("本报告由某某区人民政府综合全区各部门和各乡镇政府信息公开工作年度报告和统计数据编制而成。", "某某区人民政府"),
    ("本报告由区人民政府办公室综合各乡镇（街道）和区直各部门报告编制而成。", None),  # which district, it does not say
])
def test_the_publisher_named_before_its_verb_or_compiling_from_the_departments(preamble, agency):
    assert audit_text(preamble + "\n" + BODY.replace("2025", "2023")).facts.agency == agency


@pytest.mark.parametrize("sentence,n004", [
    ("本年度未制发行政规范性文件。", True),          # table: 2 made
    ("本年度没有出台新的规范性文件。", True),
    ("本年度未制定涉企行政规范性文件。", False),      # one kind of them: not none at all
    ("本年度未制发行政规范性文件，清理废止3件。", True),
    ("本年度未印发规范性文件清理工作方案。", False),   # "规范性文件清理": a plan, not documents
])
def test_none_made_normative_documents_against_the_table(sentence, n004):
    table = "第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t2\t0\t5"
    text = report_text(table).replace("推进。", sentence)
    assert ("N004" in {f.code for f in audit_text(text).findings}) == n004
    none_in_table = text.replace("行政规范性文件\t2\t0\t5", "行政规范性文件\t0\t0\t5")
    assert "N004" not in {f.code for f in audit_text(none_in_table).findings}


def test_documents_in_force_published_are_not_this_years_documents():
    """"公开现行规范性文件41个" is the number in force (对外公开总数量), not this year's (a false N004)."""
    active = "第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n规范性文件\t13\t13\t41"
    text = report_text(active).replace("2023", "2020").replace("推进。", "规范性文件相关信息发布13条，公开现行规范性文件41个。")
    result = audit_text(text)
    assert result.facts.cells["active.normative_documents.new_published"] == 13
    assert "N004" not in {f.code for f in result.findings}
    assert "N004" in {f.code for f in audit_text(text.replace("现行规范性文件41个", "规范性文件41个")).findings}


@pytest.mark.parametrize("sentence,q005", [
    ("一是主动加强政务公开，本年度门户网发布政务公开信息为37条。", False),
    ("本年度通过政府门户网站共发布信息18篇。", False),
    ("本年度通過政府門戶網站共發布資訊18篇。", False),
    ("及时公开新冠肺炎疫情防控等政府信息。", False),
    ("全年公开行政规范性文件2件。", False),
    ("本年我镇公开了临时救助、低保、移民搬迁、脱贫攻坚、重点工程、镇街动态和政府文件等109条内容。", False),
    ("本年度加强学习培训。", True),
])
def test_overview_speaks_of_active_disclosure_in_other_words(sentence, q005):
    """Q005 (info) names 主动公开 as missing only when the overview says nothing of what was published."""
    rest = "依申请公开办理及时。政府信息管理规范。平台建设加强。监督保障有力。"
    text = report_text("规章\t0\t0\t0").replace("推进。", sentence + rest)
    found = [f for f in audit_text(text).findings if f.code == "Q005"]
    assert bool(found and "主动公开" in found[0].message) == q005


def test_zixun_for_xinxi_in_a_traditional_page():
    """Pages in 繁體 may write 資訊 for 信息 (政府資訊公開): the title and agency are read (false S003)."""
    text = ("根據《中華人民共和國政府資訊公開條例》等規定，特向社會公佈某某海事局2020年政府資訊公開工作年度報告。"
            "本報告所列數據統計期限自2020年1月1日起至2020年12月31日止。\n一、總體情況\n本局推進資訊公開，主動公開政府資訊。\n"
            "二、主動公開政府資訊情況\n")
    result = audit_text(text)
    assert result.facts.agency == "某某海事局" and result.facts.year == 2020
    assert "S003" not in {f.code for f in result.findings}


@pytest.mark.parametrize("head,agency", [
    ("正文内容区域请使用tab按钮切换浏览\n上海市某某区统计局2025年度政府信息公开工作年度报告", "上海市某某区统计局"),
    ("欢迎访问本站请用键盘浏览本页\n某某市某某区统计局2025年度政府信息公开工作年度报告", "某某市某某区统计局"),
    ("淮安市安平\n县人民政府2019年政府信息公开工作年度报告", "淮安市安平县人民政府"),   # a name broken over two lines
    ("上海市某某区\n统计局2025年度政府信息公开工作年度报告", "上海市某某区统计局"),
    ("某某市发展和改革\n委员会2025年度政府信息公开工作年度报告", "某某市发展和改革委员会"),
])
def test_a_banner_above_a_whole_title_is_not_part_of_the_name(head, agency):
    """A page banner above a title that names its body from its place on (real: a district's pages
    all read "正文内容区域请使用tab按钮切换浏览上海市…局" as the agency)."""
    assert audit_text(head + "\n一、总体情况\n推进。\n").facts.agency == agency


def test_refusals_written_as_not_agreed_or_not_granted_are_not_grants():
    """"不同意公开的6件", "不予以公开3件" are refusals (不予公开), not 予以公开: read as grants they were
    compared with the wrong row and, counted twice, silenced the real 予以公开 claim."""
    from summarizer.checks.narrative import outcome_claims
    claims = [(name, n) for name, _, n, *_ in outcome_claims("属于同意公开的60件，部分公开13件，不同意公开的6件，不予以公开3件")]
    assert claims == [("予以公开", "60"), ("部分公开", "13"), ("不予公开", "6"), ("不予公开", "3")]


@pytest.mark.parametrize("sentence,review,n002", [
    ("本年度无因政府信息公开申请行政复议、提起行政诉讼的情况。", "2", True),
    ("本乡没有因政府信息公开申请行政复议、提起行政诉讼的情况。", "2", True),
    ("本年度未发生因政府信息公开申请提起的行政复议案件。", "2", True),   # reviews alone
    ("本年度未发生因政府信息公开申请提起的行政复议案件。", "0", False),
    ("本年度未经行政复议直接提起行政诉讼0件。", "2", False),           # 未经: a kind of suit, not none
    ("目前尚未审结的行政复议案件0件。", "2", False),
])
def test_none_of_the_reviews_in_other_words(sentence, review, n002):
    assert ("N002" in {f.code for f in audit_text(_with_litigation(sentence, review)).findings}) == n002


@pytest.mark.parametrize("sentence,n001", [
    ("本年度收到网上申请1件，未收到书面申请。", False),    # none by one channel is not none at all
    ("本年度未收到信函、传真等形式的政府信息公开申请。", False),
    ("本年度未收到政府信息公开申请。", True),
])
def test_none_received_by_one_channel_is_not_none_received(sentence, n001):
    assert ("N001" in {f.code for f in audit_text(_with_applications(sentence)).findings}) == n001


@pytest.mark.parametrize("sentence,missing", [
    ("三是持续强化政府信息公开管理，严格落实“三审三校”制度。", "政府信息管理"),
    ("局办公室负责组织、协调、指导、督查政务公开工作。", "监督保障"),
])
def test_overview_aspects_in_other_words(sentence, missing):
    rest = {"政府信息管理": "主动公开信息。依申请公开及时。平台建设加强。监督保障有力。",
            "监督保障": "主动公开信息。依申请公开及时。平台建设加强。信息管理规范。"}[missing]
    text = report_text("规章\t0\t0\t0").replace("推进。", sentence + rest)
    assert not [f for f in audit_text(text).findings if f.code == "Q005"]
    assert [f for f in audit_text(report_text("规章\t0\t0\t0").replace("推进。", rest)).findings if f.code == "Q005"]


def test_an_interpretation_page_that_says_so_in_its_first_sentence():
    text = ("《某某镇人民政府2023年政府信息公开工作年度报告》已经编制完成，现就年报内容进行如下解读。\n一、总体情况\n"
            "主动公开信息。\n五、统计期限\n本年度报告中所列数据统计期限从2023年1月1日到2023年12月31日止。\n")
    with pytest.raises(InputError, match="解读页面"):
        audit_text(text)


@pytest.mark.parametrize("preamble", [
    "现将政务公开工作有关情况报告如下:\n(一)着力加强公开解读回应工作\n",
    "现将本局政府信息公开工作情况报告如下\n（一）强化政策解读\n",
])
def test_a_report_whose_first_heading_speaks_of_interpretation_is_not_a_interpretation_page(preamble):
    """"现将…报告如下:" and a first heading "(一)着力加强公开解读回应工作": the report's own preamble
    (a 2018 city report was refused as a 解读 page: the lines joined ran the clause into the heading)."""
    text = ("某某市2018年政府信息公开工作年度报告\n根据条例要求，编制本报告。" + preamble +
            "主动公开信息。\n")
    result = audit_text(text)
    assert result.facts.title and "某某市" in result.facts.title


@pytest.mark.parametrize("preamble,agency,deadline", [
    ("本报告由某某街道综合办公室编制。", "某某街道", "2025-03-31"),     # the street's own office: the street
    ("根据条例，由某某县教育局办公室编制完成本报告。", "某某县教育局", "2025-01-31"),  # not "由某某县教育局"
])
def test_the_office_that_compiles_and_the_clause_word_before_it(preamble, agency, deadline):
    from summarizer.checks.period import _deadline
    text = preamble + "本报告所列数据统计期限自2024年1月1日起至2024年12月31日止。\n一、总体情况\n推进。\n"
    assert audit_text(text).facts.agency == agency
    assert _deadline(agency, 2024)[0] == deadline
    assert _deadline("某某街道综合办公室", 2024)[0] == "2025-03-31"


@pytest.mark.parametrize("end,issued", [
    ("二零二五年元月二十日", "2025-01-20"),    # 元月: January
    ("2025年01月20日 14:30", "2025-01-20"),    # a time after the date
])
def test_dates_of_issue_with_yuanyue_or_a_time(end, issued):
    text = ("某某区财政局2024年政府信息公开工作年度报告\n一、总体情况\n本局主动公开信息。\n六、其他需要报告的事项\n无。\n"
            "某某区财政局\n" + end + "\n")
    assert audit_text(text).facts.issued_on == issued



@pytest.mark.parametrize("text,contradicts", [
    ("共计176条，其中工作动态4条、通知公告2条、政策文件15条、人事信息12条、其他公开事项82条。", True),  # Σ 115
    ("共发布信息100条，其中工作动态40条、其他信息60条。", False),
    ("共发布信息100条，其中工作动态40条、通知公告30条。", False),   # no catch-all: may be partial
])
def test_a_list_closed_by_a_catch_all_claims_to_be_complete(text, contradicts):
    """A 其中 list whose last item is 其他… covers all of the total (real lists so closed add up; one
    that does not is a contradiction, N003)."""
    assert bool([e for e in find_enumerations(text) if e.contradicts()]) == contradicts


def test_the_body_that_compiles_after_a_clause_on_its_circumstances():
    text = "某某县市场监督管理局结合单位实际，编制本单位2022年度政务公开工作年度报告。\n一、总体情况\n推进。\n"
    assert audit_text(text).facts.agency == "某某县市场监督管理局"


@pytest.mark.parametrize("sentence,n006", [
    ("本年度共受理政府信息公开申请x件，均已按时答复。", True),    # a template's x left in
    ("本年度发布信息XX条。", True),
    ("本年度共受理政府信息公开申请  件。", True),
    ("本年度发布信息3条，其中通过APP发布1条。", False),
])
def test_a_template_placeholder_where_a_number_belongs(sentence, n006):
    text = report_text("规章\t0\t0\t0").replace("推进。", sentence)
    assert ("N006" in {f.code for f in audit_text(text).findings}) == n006


@pytest.mark.parametrize("agency,deadline", [
    ("国务院国有资产监督管理委员会", "2024-01-31"),   # a department, not a zone's 管理委员会
    ("中国证券监督管理委员会", "2024-01-31"),
    ("某某经济技术开发区管理委员会", "2024-03-31"),    # a zone's government
    ("某某高新技术产业园管理委员会", "2024-03-31"),
    # public institutions (公共企事业单位) are no government departments: the later date, no false P004
    ("某某市人民医院", "2024-03-31"), ("某某镇卫生院", "2024-03-31"), ("某某职业技术学院", "2024-03-31"),
    ("某某省地质研究所", "2024-03-31"), ("某某市规划设计院", "2024-03-31"),
    ("某某市公安局某某派出所", "2024-01-31"), ("某某市气象局", "2024-01-31"),
    ("某某街道党工委", "2024-03-31"), ("某某街道办事处综合办公室", "2024-03-31"),  # a street's own bodies
])
def test_supervision_commissions_are_departments_and_zone_committees_governments(agency, deadline):
    from summarizer.checks.period import _deadline
    assert _deadline(agency, 2023)[0] == deadline


def test_a_zone_committee_compiling_with_the_figures():
    text = ("本报告由某某湾经济技术开发区管委会结合有关统计数据编制。本报告所列数据统计期限自2023年1月1日起至2023年12月31日止。\n"
            "一、总体情况\n推进。\n")
    assert audit_text(text).facts.agency == "某某湾经济技术开发区管委会"


def test_a_title_followed_by_layout_bars_is_a_title():
    """"…年度报告 | |||||||" (a page's layout residue after the title): the report was refused as
    'a title inside a line of other text'."""
    text = ("某某县人民政府2020年度政府信息公开工作年度报告 | ||||||||||||||||\n根据条例，现将社会公开本报告。\n"
            "一、总体情况\n推进公开。\n")
    result = audit_text(text)
    assert not result.error and result.facts.agency == "某某县人民政府"


def test_the_office_combining_the_departments_reports_compiles_the_governments_report():
    text = ("本报告由某某县人民政府办公室综合各乡镇人民政府和县属各部门政府信息公开年度报告编制而成。"
            "本报告所列数据统计期限自2020年1月1日起至2020年12月31日止。\n一、总体情况\n"
            "印发《某某县人民政府办公室关于印发政务公开工作要点的通知》。\n")
    assert audit_text(text).facts.agency == "某某县人民政府"


@pytest.mark.parametrize("head,agency", [
    ("新港街2023年政府信息公开工作年度报告", "新港街"),                      # a street written with 街 alone
    ("翔安区\n厦门市翔安区人民政府凤翔街道办事处2024年政府信息公开工作年度报告",
     "厦门市翔安区人民政府凤翔街道办事处"),                                 # a site's column above the title
    ("统一编号\n杭州市西湖区投资促进局2023年度政府信息公开工作年度报告", "杭州市西湖区投资促进局"),
    ("攀枝花市\n永宁县交通运输局2019年政府信息公开工作年度报告", "攀枝花市永宁县交通运输局"),   # a broken name
])
def test_streets_with_jie_and_labels_above_a_whole_title(head, agency):
    assert audit_text(head + "\n一、总体情况\n推进。\n").facts.agency == agency


def test_a_streets_party_office_compiling_is_the_street():
    text = ("本报告由上海市某某区某某街道办事处党政办编制。本报告所列数据统计期限自2024年1月1日起至2024年12月31日止。\n"
            "一、总体情况\n推进。\n")
    assert audit_text(text).facts.agency == "上海市某某区某某街道办事处"


def test_a_report_introduced_as_a_summary_with_part_ones_sub_parts_is_a_report():
    text = ("现将全年工作总结如下：\n一、总体情况\n（一）主动公开情况\n公开信息。\n（二）依申请公开情况\n办理。\n"
            "（三）政府信息管理情况\n管理。\n（四）平台建设情况\n建设。\n")
    assert not audit_text(text).error


def test_a_later_year_narrated_is_no_leftover_of_an_old_draft():
    text = ("某某区某某局2024年度政府信息公开工作年度报告\n一、总体情况\n2025年，我局推进公开。\n")
    p005 = [f for f in audit_text(text).findings if f.code == "P005"]
    assert p005 and "套用往年" not in p005[0].message and "核对报告年度" in p005[0].message


def test_part_one_with_the_words_before_its_title_on_a_flattened_line():
    text = ("某某县人民政府2020年度政府信息公开工作年度报告 现将本报告公布如下。 一、本年度政府信息公开工作的总体情况 "
            "(一)主动公开政府信息情况。全县共制作信息5435条。 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况 "
            "四、政府信息公开行政复议、行政诉讼情况 五、存在的主要问题及改进情况 六、其他需要报告的事项 无。")
    result = audit_text(text)
    assert [s.number for s in result.facts.sections] == [1, 2, 3, 4, 5, 6]


def test_a_channel_among_kinds_of_information_is_not_a_part():
    text = "局官网全年共发布信息2660条，其中公告类信息930条，工作动态类信息1730条，微信公众号发布信息2715条。"
    assert not [e for e in find_enumerations(text) if e.contradicts()]


@pytest.mark.parametrize("name,agency", [
    ("美高梅娛樂城办公厅", None), ("威尼斯人交通运输局", None), ("开云体育市场监督管理局", None),
    ("江苏省体育彩票管理中心", "江苏省体育彩票管理中心"),     # a lottery's own administration is a body
    ("金沙县人民政府", "金沙县人民政府"),
])
def test_casino_brands_written_over_a_name_are_no_agency(name, agency):
    from summarizer.title import plausible_agency
    assert plausible_agency(name) == agency


def test_a_page_titled_as_a_model_essay_is_not_a_report():
    text = "文档简介\n2025年智慧政务政务公开报告范文参考一、项目概述\n1.1项目背景\n政务公开是……\n"
    with pytest.raises(InputError, match="^不是政府信息公开工作年度报告"):
        audit_text(text)


def test_a_2020_report_without_table_two_is_checked_against_the_2019_template():
    """No table 二 to tell the format (an image, a page of a flip-book): a 2020 report's table 三 is
    the 2019 template's (one （六）其他处理 row), not the 2021 one's three sub-rows (a false S005)."""
    text = ("某某县审计局2020年政府信息公开工作年度报告\n一、总体情况\n推进。\n三、收到和处理政府信息公开申请情况\n"
            "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n")
    s005 = [f for f in audit_text(text).findings if f.code == "S005"]
    assert s005 and "逾期不补正" not in s005[0].message


@pytest.mark.parametrize("sentence", ["统计数据时间段:202011日至20201231日。", "本报告内容涵盖镇政府201911日至1231日期间的工作情况。"])
def test_a_garbled_period_after_other_lead_ins_is_called_garbled(sentence):
    text = "某某镇人民政府2020年政府信息公开工作年度报告\n" + sentence + "\n一、总体情况\n推进。\n"
    p002 = [f for f in audit_text(text).findings if f.code == "P002"]
    assert p002 and "残缺" in p002[0].message


def test_a_bureau_named_chu_and_a_garbled_period_after_tongji_shuju_shijian():
    from summarizer.title import plausible_agency
    assert plausible_agency("某某市某某风景区海事处") == "某某市某某风景区海事处"
    assert plausible_agency("此处") is None
    text = "某某乡人民政府2022年政府信息公开工作年度报告\n报告统计数据时间为202211日至20221231日。\n一、总体情况\n推进。\n"
    p002 = [f for f in audit_text(text).findings if f.code == "P002"]
    assert p002 and "残缺" in p002[0].message


def test_a_report_titled_without_niandu_is_still_a_report():
    """"…2023年政府信息公开工作报告" (no 年度) alone on its line is a report's title (a prison
    administration's report was refused when titles had to say 年度)."""
    assert not audit_text("某某省监狱管理局2023年政府信息公开工作报告\n2023年，我局推进政府信息公开工作。\n").error


@pytest.mark.parametrize("title", ["某某县自然资源局关于2021年度政府信息公开情况的报告", "某某县自然资源局2021年度政府信息公开工作情况报告"])
def test_a_report_titled_as_a_report_on_the_situation(title):
    result = audit_text(title + "\n一、总体情况\n推进。\n")
    assert result.facts.agency == "某某县自然资源局" and result.facts.year == 2021


@pytest.mark.parametrize("title", ["某某县2023年上半年政府信息公开工作情况报告", "某某县2023年第一季度政府信息公开情况报告"])
def test_reports_on_part_of_a_year_are_not_annual_reports(title):
    with pytest.raises(InputError, match="半年、季度或月度"):
        audit_text(title + "\n一、总体情况\n推进。\n二、主动公开政府信息情况\n公开信息。\n")


def test_part_one_worded_its_own_way_and_the_body_that_compiles_with_te_ci():
    from summarizer.headings import heading_number
    assert heading_number("一、工作总体推进情况") == 1
    text = "根据条例，某某镇人民政府特此编制2024年度政府信息公开工作年度报告。\n一、总体情况\n推进。\n"
    assert audit_text(text).facts.agency == "某某镇人民政府"


def test_a_whole_other_year_in_the_period_blames_neither_side():
    """The report names itself 2020 in its preamble (《××镇2020年…年度报告》), states the period of 2021
    and narrates 2021: which is wrong the text cannot tell, so P001 says the two disagree."""
    text = ("我镇认真编制了《某某镇2020年政府信息公开工作年度报告》。本报告所列数据的统计期限自2021年1月1日起至12月31日止。\n"
            "一、总体情况\n推进公开。\n")
    p001 = [f for f in audit_text(text).findings if f.code == "P001"]
    assert p001 and "有一处写错" in p001[0].message


def test_a_catch_all_item_followed_by_more_counts_does_not_close_the_list():
    """"其中…其他182条，调整栏目3个，微信公众号:600条，微博391条" (2195 in all): counts go on after the 其他
    item, so the list is no claim to be complete (a false N003)."""
    text = ("累计主动公开政府信息2195条，其中政务要闻450条、通知公告120条、环境保护116条、安全生产336条、其他182条，"
            "调整栏目3个，微信公众号:600条，微博391条。")
    assert not [e for e in find_enumerations(text) if e.contradicts()]


def test_a_text_listing_the_official_parts_is_a_report_however_it_introduces_them():
    text = ("现公布2021年度某某县高新科技产业园管理委员会信息公开年度工作情况。报告由总体情况、主动公开政府信息情况、"
            "收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项"
            "共六部分组成。现将年度内的政府信息公开情况总结如下：\n一、总体情况\n推进公开。\n")
    assert not audit_text(text).error


def test_a_period_whose_year_runs_into_its_month_is_read_and_flagged():
    """"统计期限自20231月1日起至202312月31日止" (three real pages): read as the year, and P002 says the
    年 is missing as an info finding, P009 (it was accepted silently; common on real pages, perhaps
    the page's slip, so no warning); a clean period says nothing."""
    text = ("某某县统计局2023年政府信息公开工作年度报告\n本报告所列数据统计期限自20231月1日起至202312月31日止。\n"
            "一、总体情况\n推进。\n")
    result = audit_text(text)
    assert (result.facts.period.start, result.facts.period.end) == ("2023-01-01", "2023-12-31")
    p009 = [f for f in result.findings if f.code == "P009"]
    assert p009 and "20231月" in p009[0].message and p009[0].severity == "info"
    assert not {"P001", "P002"} & {f.code for f in result.findings}
    clean = audit_text(text.replace("20231月", "2023年1月").replace("202312月", "2023年12月"))
    assert "P009" not in {f.code for f in clean.findings}


def test_in_force_below_issued_is_no_defect_when_the_year_also_repealed():
    """规范性文件 制发 3 / 废止 1 / 现行有效 2: documents issued this year can be repealed this year
    (a false A005 on a real 2025 page); 现行有效 1 is below 3 − 1 and still a defect."""
    def a005(row):
        text = report_text("第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n"
                           f"行政规范性文件\t{row}")
        return [f for f in audit_text(text).findings if f.code == "A005"]
    assert not a005("3\t1\t2")
    found = a005("3\t1\t1")
    assert found and "减去本年废止件数1" in found[0].message
    assert a005("3\t0\t2")


def test_a_garbled_period_sentence_is_not_replaced_by_a_later_year_mention():
    """"统计期限为202511日至1231日" (年 and 月 lost) and later "内容涵盖政府日常工作、…2025年度累计发布信息":
    the garbled sentence is P002's (the period was taken from the 涵盖 sentence and nothing said)."""
    text = ("某某镇人民政府2025年政府信息公开工作年度报告\n本报告中使用数据统计期限为202511日至1231日。\n"
            "公众号公开内容除政务信息外，涵盖政府日常工作、本地美景美食推介、活动资讯等，2025年度累计发布信息331篇。\n"
            "一、总体情况\n推进。\n")
    result = audit_text(text)
    p002 = [f for f in result.findings if f.code == "P002"]
    assert p002 and "202511日" in p002[0].quote
    assert result.facts.period is None


def test_a_top_of_page_date_years_after_the_report_is_no_late_signature():
    """"湖北省邮政管理局2010年…报告" / "2015-07-23" (a portal re-posting old reports after a move) and a
    catalogue's "生成日期 | 2019年09月23日" over a 2008 report: no P004 from a date years later taken from
    the top of the page. The same date signed at the report's end is still judged."""
    body = "一、总体情况\n本局主动公开信息。\n"
    moved = audit_text("某某省邮政管理局2018年政府信息公开工作年度报告\n2021-07-23\n" + body)
    assert moved.facts.issued_on == "2021-07-23" and "P004" not in {f.code for f in moved.findings}
    field = audit_text("生成日期 | 2021年09月23日 |\n某某市水务局2018年政府信息公开工作年度报告\n" + body)
    assert "P004" not in {f.code for f in field.findings}
    near = audit_text("某某省邮政管理局2018年政府信息公开工作年度报告\n2019-07-23\n" + body)
    assert "P004" in {f.code for f in near.findings}  # within a year of the deadline: still late
    signed = audit_text("某某省邮政管理局2018年政府信息公开工作年度报告\n" + body + "六、其他需要报告的事项\n无。\n"
                        "某某省邮政管理局\n2021年7月23日\n")
    assert "P004" in {f.code for f in signed.findings}


@pytest.mark.parametrize("sentence,contradicts", [
    ("发布统计信息127篇，其中统计分析、资料40余篇，各类统计信息164篇。", True),   # 164 alone exceeds 127
    ("累计公开政府信息368条，其中，党务公开50条，政务、村务公开60条，财务公开30条，发布工作动态248条。", True),
    ("发布信息300篇，其中统计分析、资料40余篇，各类统计信息164篇。", False),       # a lower bound: no sum claimed
    ("主动公开信息100条，其中政策文件、规划计划30条，其他70条。", False),
    ("主动公开信息100条，其中政策文件、规划计划30条，其他60条。", True),            # closed by 其他: must add up
])
def test_list_items_named_with_a_comma_of_enumeration_and_approximate_parts(sentence, contradicts):
    """"其中统计分析、资料40余篇": one item naming two things (the list was dropped at its first 、) and a
    part written 40余 (a lower bound: enough to see parts exceed the total, never to claim a sum)."""
    from summarizer.enumerations import find_enumerations
    found = find_enumerations(sentence)
    assert found and found[0].contradicts() == contradicts


def test_a_preamble_saying_the_report_includes_the_official_parts_without_ben():
    """"报告包括总体情况,主动公开政府信息情况,…其他需要报告的事项等六个方面" (no 本) on a town's page cut
    after part 二, with "…总结如下" above part 一: a report, not a work summary."""
    text = ("根据《条例》要求，现将2025年度政府信息公开工作总结如下。报告包括总体情况，主动公开政府信息情况，"
            "收到和处理政府信息公开申请情况，政府信息公开行政复议、行政诉讼情况，存在的主要问题及改进情况，"
            "其他需要报告的事项等六个方面。\n一、总体情况\n主动公开信息。\n")
    assert audit_text(text).facts.year == 2025


def test_publicity_by_gongshi_is_proactive_disclosure_in_q005():
    """"综合办公室按要求主动公示了…部门决算": 主动公示 covers 主动公开 (a false Q005 aspect)."""
    from summarizer.checks.narrative import _ASPECTS
    assert _ASPECTS["主动公开"].search("综合办公室按要求主动公示了驻地迁移信息")


@pytest.mark.parametrize("sentence,contradicts", [
    # 其中包括: one keyword, not a nested breakdown (the list was skipped)
    ("公布各类政府信息115条，其中包括：通知公告30条、政策文件90条。", True),
    ("公布各类政府信息115条，其中包括：通知公告30条、政策文件85条。", False),
    # what follows once the parts reach the total is another measure, even a single item (real:
    # "其中包括信函申请26件,网络申请8件,已按时办结33件", "…信函申请44件,上年结转2件")
    ("全年共受理政府信息依申请公开34件，其中包括信函申请26件，网络申请8件，已按时办结33件。", False),
    ("全年共接收政府信息公开申请176件，其中线上申请132件、信函申请44件，上年结转2件。", False),
    ("共受理申请7件，其中自然人6件、法人1件，予以公开1件、不掌握4件、不予公开2件。", False),
])
def test_qizhong_baokuo_and_a_single_item_after_the_parts_reach_the_total(sentence, contradicts):
    from summarizer.enumerations import find_enumerations
    found = find_enumerations(sentence)
    assert found and found[0].contradicts() == contradicts


def test_n_each_is_no_single_part():
    """"意见征集及结果反馈各19条": 19 each — the item cannot be summed (a false 'sum ≠ total' under 分别为)."""
    from summarizer.enumerations import find_enumerations
    assert not any(e.contradicts() for e in find_enumerations("发布信息40条，分别为意见征集及结果反馈各19条、其他2条。"))
