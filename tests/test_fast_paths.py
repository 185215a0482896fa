"""Fast paths must give exactly what the plain code they replace gives."""

from __future__ import annotations

import random
from difflib import SequenceMatcher

from summarizer.document import _ONE_TO_ONE, fold
from summarizer.tables import labels


def test_fold_equals_translate():
    alphabet = "，：（）；！？％０９ＡＺａｚ＋－／　\u00a0\u2002\u2003\u2009\u2212\u2012\u2013-报告abc 1\t"
    rng = random.Random(11)
    for _ in range(5000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert fold(s) == s.translate(_ONE_TO_ONE), repr(s)
    every = "".join(chr(o) for o in _ONE_TO_ONE)
    assert fold(every) == every.translate(_ONE_TO_ONE)
    assert fold("plain ascii") == "plain ascii"


def _plain_score(v: str, label: str) -> float:
    """labels._score as written before it reused one SequenceMatcher per label."""
    if not v:
        return 0.0
    if v == label:
        return 1.0
    short = len(label) <= 4
    if label in v and len(v) <= len(label) + (2 if short else 5):
        return 0.95
    if not short and label.startswith(v) and len(v) >= max(4, len(label) // 2):
        return 0.9
    if short or abs(len(v) - len(label)) > max(3, len(label) // 3):
        return 0.0
    sm = SequenceMatcher(None, v, label)
    if sm.real_quick_ratio() < 0.8 or sm.quick_ratio() < 0.8:
        return 0.0
    r = sm.ratio()
    return r if r >= 0.8 else 0.0


def test_label_score_equals_fresh_matcher():
    rows = [nl for table in ("active", "applications") for nls in labels._row_norms(table) for nl in nls]
    rng = random.Random(5)
    texts = []
    for nl in rows:
        for _ in range(6):  # the label with a slip, a cut, an insertion, or another label's start
            chars = list(nl)
            op = rng.randrange(4)
            if op == 0 and chars:
                chars[rng.randrange(len(chars))] = rng.choice("子以公开行政许可其他")
            elif op == 1:
                chars = chars[: max(1, len(chars) - rng.randint(1, 4))]
            elif op == 2:
                chars.insert(rng.randrange(len(chars) + 1), rng.choice("的和及"))
            else:
                chars = list(rng.choice(rows))[: rng.randint(2, 12)]
            texts.append("".join(chars))
    for v in texts:
        for nl in rows:
            assert labels._score(v, nl) == _plain_score(v, nl), (v, nl)


def test_place_test_equals_its_regex():
    import re

    from summarizer.title import _is_place

    place = re.compile(r"[\u4e00-\u9fff]{2,12}(?:省|市|区|县|州|盟|旗|自治区)")
    alphabet = "某市区县州自治省盟旗江苏a1（"
    rng = random.Random(3)
    for _ in range(20000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        assert _is_place(s) == bool(place.fullmatch(s)), s


def _old_outcome_claims(text: str):
    """N008's reading as one regex per outcome with the count inside (before outcome_claims)."""
    import re

    from summarizer.checks import narrative as nv

    for name, words, rows in nv._OUTCOMES:
        for m in re.finditer(words + nv._CLOSE_QUOTE + r"\s*" + nv._N, text):
            yield name, rows, m.group(1), m.start(), m.end()
    name, pat, rows = nv._CARRIED
    for m in pat.finditer(text):
        yield name, rows, next(g for g in m.groups() if g), m.start(), m.end()


def test_outcome_claims_equal_one_regex_per_outcome():
    from summarizer.checks.narrative import outcome_claims
    from testkit.synth import generate

    pieces = ["予以公开", "同意公开", "部分公开", "不予公开", "无法提供", "不予处理", "及", "和", "、", "与",
              "答复", "的", " ", "  ", "3", "12", "1,234", "6，488", "十二", "两", "一百零三", "2.5万", "件",
              "（件）", "(件)", "（", "“", "”", "结转下年度", "结转下一年", "继续办理", "申请", "，", "。", "其中", "共", "办理"]
    rng = random.Random(8)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 14))) for _ in range(6000)]
    words, tails, counts = pieces[:6], ["", "答复", "的", "答复的", " ", "及部分公开", "、部分公开"], pieces[14:22]
    for _ in range(6000):  # claims as written, with noise between them ("予以公开12件、部分公开（件）3")
        parts = []
        for _ in range(rng.randint(1, 4)):
            parts += [rng.choice(["", "其中", "，", "及", "共", "结转下年度"]), rng.choice(words), rng.choice(tails),
                      rng.choice(["", " ", "  "]), rng.choice(counts), rng.choice(["件", "（件）", " 件", "", "条"]),
                      rng.choice(["", "结转下一年", "申请结转下年度", "。"])]
        texts.append("".join(parts))
    assert sum(1 for t in texts if list(outcome_claims(t))) > 3000  # the comparison is not vacuous
    for seed in range(40):  # whole generated reports, both formats
        texts.append(generate(random.Random(seed), ("2019", "2021")[seed % 2], "cells", None).text)
    for text in texts:
        assert list(outcome_claims(text)) == list(_old_outcome_claims(text)), text


def test_model_default_containers_are_fresh_per_instance():
    """models.py builds empty lists and dicts with plain functions instead of `list` / `dict`
    (start-up): every instance must still get its own containers."""
    from summarizer.models import AuditResult, Finding, TableResult

    a, b = AuditResult(file="a"), AuditResult(file="b")
    a.findings.append(Finding(code="P001", severity="error", message="m", line=1, quote="q"))
    a.facts.cells["t2.x"] = 1
    a.input_notes.append("n")
    a.llm.notes.append("n")
    assert (b.findings, b.facts.cells, b.input_notes, b.llm.notes) == ([], {}, [], [])
    f1 = Finding(code="P001", severity="error", message="m", line=1, quote="q")
    f1.cells["k"] = 1
    assert Finding(code="P001", severity="error", message="m", line=1, quote="q").cells == {}
    t1 = TableResult(name="t", status="parsed")
    t1.sources["k"] = (1, "x")
    t1.missing_rows.append("r")
    t2 = TableResult(name="t", status="parsed")
    assert (t2.sources, t2.missing_rows) == ({}, [])
    assert AuditResult.model_validate_json(a.model_dump_json()).findings[0].code == "P001"
