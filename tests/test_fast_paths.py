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
