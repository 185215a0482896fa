"""The generator's noise switches (testkit/noises.py): each works in every layout and format,
shows up in the text, and never changes what the report says (cells, facts, expected codes)."""

from __future__ import annotations

import itertools
import re

import cn2an
import pytest

from testkit.noises import NOISES, TABLE_NOISE_NAMES, check_names, cn_digits, cn_numeral, spell_count
from testkit.synth import FORMATS, LAYOUTS, generate

# what each switch leaves in the text (simplified form; `traditional` is checked on its own)
MARKERS = {
    "thousands_sep": r"\d[,， ]\d{3}(?!\d)",
    "wan_units": r"\d万",
    "cn_numerals": r"[一二两三四五六七八九十百千]+[件条]",
    "unit_spacing": r"\d (?:件|条|次)|\d（(?:件|条|次)）",
    "period_spelling": r"统计|数据截止|涵盖",
    "cn_title_year": r"[〇○零一二三四五六七八九]{4}年度?政府信息公开",
    "split_title": r"报告",
    "agency_in_body": r"本报告由|根据《中华人民共和国政府信息公开条例》",
    "page_metadata": r"索引号",
    "page_navigation": r"首页|公开方式|文号|标题",
    "cn_issue_date": r"二〇[一二三]\S年[一二三四五六七八九十]+月[一二三四五六七八九十]+日\s*$",
    "flattened_signature": r"特此报告。.*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$",
    "nested_lists": r"（含[^）]*\d*[件条]",
    "bare_lists": r"参训人员",
    "year_comparisons": r"较\d{4}年|与\d{4}年|\d{4}年以来|\d{4}年度报告中",
    "traditional": r"報告",
    "lost_numbering": r"^(?:主动公开政府信息情况|收到和处理政府信息公开申请情况|政府信息公开行政复议、行政诉讼情况|"
                      r"存在的主要问题及改进情况|其他需要报告的事项)$",
    "pinyin": r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+[)）]",
    "radical_glyphs": r"[\u2e80-\u2fdf]",
    "contents_page": r"^目\s*录$",
    "number_lines": r"^\d+$",
}


TEXT_NOISES = sorted(set(NOISES) - set(TABLE_NOISE_NAMES))  # the table noises: tests/test_table_noises.py


def test_every_noise_is_documented_and_has_a_marker():
    assert set(MARKERS) == set(TEXT_NOISES)
    for name, noise in NOISES.items():
        assert noise.doc and noise.where in {"numbers", "period", "title", "page", "signature", "lists",
                                             "narrative", "text", "table"}, name
    with pytest.raises(ValueError):
        check_names({"no_such_noise"})


@pytest.mark.parametrize("name", TEXT_NOISES)
@pytest.mark.parametrize("fmt,layout", list(itertools.product(FORMATS, LAYOUTS)))
def test_noise_shows_and_keeps_the_facts(name, fmt, layout):
    seen = 0
    for seed in range(3):
        clean = generate(seed, fmt, layout)
        noisy = generate(seed, fmt, layout, noise={name})
        assert noisy.cells == clean.cells and noisy.facts == clean.facts
        assert noisy.expected_codes == clean.expected_codes and noisy.noise == {name}
        seen += bool(re.search(MARKERS[name], noisy.text, re.M))
    assert seen >= 2, f"noise {name} rarely visible in {fmt}/{layout}"


def test_same_seed_same_noisy_report():
    on = set(NOISES)
    assert generate(5, "2019", "tabs", noise=on).text == generate(5, "2019", "tabs", noise=on).text


def test_spellings_read_back_with_cn2an():
    """The generator's Chinese numerals are standard ones (cn2an, an independent library, reads them)."""
    for n in list(range(1, 130)) + [1000, 1001, 1010, 2017, 10000, 10203, 99999, 64880]:
        assert cn2an.cn2an(cn_numeral(n), "smart") == n, cn_numeral(n)
    assert cn_digits(2023) == "二〇二三"
    import random
    rng = random.Random(1)
    texts = {spell_count(6488, "条", frozenset({"thousands_sep"}), rng) for _ in range(30)}
    assert texts == {"6,488条", "6，488条", "6 488条"}
