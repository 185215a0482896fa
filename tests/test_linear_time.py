"""Any input is read in time linear in its length, and numbers of any length are data, never a crash.

Each shape below once made a regex backtrack quadratically (a 5 MB line took minutes). The bound
here is generous (machines are noisy; `make bench` reports the measured seconds, about 0.1–0.4 s):
what it catches is a return to quadratic behaviour, which takes minutes, not a slow machine.
"""

from __future__ import annotations

import json
import time

import pytest

from summarizer.audit import audit_text

MB5 = 5 * 1024 * 1024
HEAD = "某某市某区财政局2023年政府信息公开工作年度报告\n一、总体情况\n本局主动公开信息。\n二、主动公开政府信息情况\n"
TAIL = ("\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
        "五、存在的主要问题及改进情况\n六、其他需要报告的事项\n")

SHAPES = {
    "numbers then text": lambda n: "规章 " + "1 " * (n // 2) + "文字",
    "a run of spaces in a row": lambda n: "规章" + " " * n + "1 2 3",
    "digits in a row label": lambda n: "（一）予以公开" + "1" * (n // 4) + "公开 3",
    "digits in a preamble line": lambda n: "本报告统计期限" + "9" * (n // 4),
    "ASCII digits": lambda n: "1" * n,
    "Chinese numerals": lambda n: "三" * (n // 3) + "件",
    "full-width digits": lambda n: "１" * (n // 3),
    "spaces then text": lambda n: " " * n + "文字",
    "tabs then text": lambda n: "\t" * n + "文字",
    "dates": lambda n: "2023年1月1日" * (n // 15),
}
PLACES = {
    "table": lambda body: HEAD + body + TAIL,
    "preamble": lambda body: "某某市某区财政局2023年政府信息公开工作年度报告\n" + body + "\n一、总体情况\n本局。\n二、主动公开政府信息情况\n" + TAIL,
}


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_five_megabyte_line_is_linear(shape, place):
    text = PLACES[place](SHAPES[shape](MB5))
    t0 = time.perf_counter()
    result = audit_text(text)
    elapsed = time.perf_counter() - t0
    assert elapsed < 8, f"{shape} in the {place}: {elapsed:.1f} s (quadratic?)"
    json.dumps(result.to_public(), ensure_ascii=False, allow_nan=False)  # valid JSON: no Infinity/NaN


@pytest.mark.parametrize("digits", [400, 5000])
def test_numbers_of_any_length_are_data(digits):
    """A 400-digit count in the narrative and a 5,000-digit cell: read as text, never a crash
    (OverflowError, Python's int-conversion limit) and never Infinity in the JSON."""
    text = (HEAD.replace("本局主动公开信息。", f"全年收到政府信息公开申请{'7' * digits}件，主动公开{'9' * digits}.5条。")
            + f"规章\t{'8' * digits}\t0\t0\n" + TAIL)
    result = audit_text(text)
    out = json.loads(json.dumps(result.to_public(), ensure_ascii=False, allow_nan=False))
    assert out["facts"]["agency"] == "某某市某区财政局" and out["facts"]["year"] == 2023
    assert all(v is None or abs(v) < 10 ** 15 for v in result.facts.cells.values())
    assert not any(f.code == "N001" for f in result.findings)  # such a "number" is not a count
