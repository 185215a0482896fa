"""The shapes the model must answer in, and turning its raw text into one of them.

Why hand-written (not instructor): strip <think> blocks, take the *last* JSON object (a report
may embed a fake answer that the model echoes first), validate with pydantic, and let the
caller re-ask once with the validation error — about 60 lines, with no pin on the openai version.
"""

from __future__ import annotations

import json
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, model_validator
from .. import pattern_cache


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Cited(_Answer):
    line: int = Field(description="引文所在行号（数据中每行开头的 L 后面的数字）")
    quote: str = Field(description="从该行逐字摘录的原文片段（8–40字，不改写）")


class KeyPoint(Cited):
    text: str = Field(description="要点，中文，数字须与原文或事实一致")


class Problem(Cited):
    id: str = Field(description="问题编号，如 P1")
    text: str = Field(description="问题概述，中文")


class Improvement(Cited):
    id: str = Field(description="措施编号，如 I1")
    text: str = Field(description="改进措施概述，中文")
    answers: list[str] = Field(default_factory=list, description="该措施回应的问题编号，如 [\"P1\"]")


class SummaryAnswer(_Answer):
    overall: list[KeyPoint] = Field(default_factory=list, description="总体情况的要点")
    problems: list[Problem] = Field(default_factory=list, description="第五部分列出的问题")
    improvements: list[Improvement] = Field(default_factory=list, description="第五部分的改进措施")


class NarrativeFinding(Cited):
    code: Literal["N005", "Q001", "Q002", "Q003"]
    message: str = Field(description="给审核人员的一句话说明，中文")
    other_line: int | None = Field(default=None, description="N005：另一方原文所在行号")
    other_quote: str | None = Field(default=None, description="N005：另一方的逐字原文")
    other_cell: str | None = Field(default=None, description="N005：矛盾的表格单元格键，如 applications.new.total")


class CriterionScore(Cited):
    criterion: str = Field(description="评分项编号，如 L1")
    level: str = Field(description="所选档次，如 A")
    reason: str = Field(description="一句话理由，中文")


class JudgeAnswer(_Answer):
    findings: list[NarrativeFinding] = Field(default_factory=list)
    scores: list[CriterionScore] = Field(default_factory=list)
    _filtered: int = PrivateAttr(default=0)

    @model_validator(mode="after")
    def _known_criteria(self, info: ValidationInfo) -> "JudgeAnswer":
        """Scores for unknown criteria or levels are left out and counted, not re-asked for.

        Why: a re-ask costs a call, and a model that invents a criterion ("L9", or one a report
        asked for) has nothing to fix that we would want; the count reaches "dropped".
        """
        levels: dict[str, set[str]] | None = (info.context or {}).get("levels")
        if levels is None:
            return self
        kept = [s for s in self.scores if s.criterion in levels and s.level in levels[s.criterion]]
        self._filtered = len(self.scores) - len(kept)
        self.scores = kept
        return self


class AnswerError(ValueError):
    """The reply holds no valid answer.

    str(error) is what we tell the model when re-asking (it may quote field paths and pydantic's
    messages); `public` is what a reviewer may see: our words and our field names only, never
    text from the reply.
    """

    def __init__(self, message: str, public: str = ""):
        super().__init__(message)
        self.public = public or "回答不是有效的 JSON"


_THINK = pattern_cache.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


def strip_think(text: str) -> str:
    text = _THINK.sub("", text)
    if "</think>" in text.lower():  # an unopened or truncated block: keep only what follows it
        text = text[text.lower().rindex("</think>") + len("</think>"):]
    return text


def last_json_object(text: str) -> dict | None:
    """The last top-level JSON object in `text` (skipping objects nested in an earlier one)."""
    decoder = json.JSONDecoder()
    found = None
    i = text.find("{")
    while i >= 0:
        try:
            obj, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError:
            i = text.find("{", i + 1)
            continue
        if isinstance(obj, dict):
            found = obj
        i = text.find("{", end)
    return found


def parse_answer(content: str, model: type[_Answer], context: dict | None = None) -> _Answer:
    text = strip_think(content or "")
    if not text.strip():
        raise AnswerError("回复为空。请只输出一个 JSON 对象。", "回答为空")
    obj = last_json_object(text)
    if obj is None:
        raise AnswerError("回复中没有可解析的 JSON 对象。请只输出一个 JSON 对象。", "回答中没有可解析的 JSON 对象")
    if obj and not set(obj) & set(model.model_fields):
        # e.g. one item of a truncated list, picked up as "the last JSON object"
        raise AnswerError("回复中的 JSON 对象缺少应有的键（" + "、".join(model.model_fields) + "）。请只输出一个完整的 JSON 对象。",
                          "回答中的 JSON 对象缺少应有的键")
    try:
        return model.model_validate(obj, context=context)
    except ValidationError as exc:
        problems, paths = [], []
        for err in exc.errors(include_url=False, include_input=False)[:10]:
            where = ".".join(str(p) for p in err["loc"]) or "(根)"
            problems.append(f"{where}: {err['msg']}")
            # Only our own field names and list indexes go into the public note.
            names = _field_names()
            paths.append(".".join(str(p) for p in err["loc"] if isinstance(p, int) or p in names) or "(根)")
        public = f"JSON 结构不符（{len(exc.errors())} 处，如 {'、'.join(dict.fromkeys(paths[:3]))}）"
        raise AnswerError("JSON 未通过校验：" + "；".join(problems) + "。请修正后只输出一个 JSON 对象。", public) from None


def _field_names() -> set[str]:
    """Every field name of every answer shape (ours, so safe to show)."""
    names: set[str] = set()
    todo = [_Answer]
    while todo:
        cls = todo.pop()
        names |= set(cls.model_fields)
        todo += cls.__subclasses__()
    return names
