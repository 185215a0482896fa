"""Detecting text that addresses a model rather than the public (prompt-injection attempts).

Kept in its own stdlib-only module: the deterministic audit reports such lines (N007) without
importing the LLM stack, and the LLM layer keeps them out of prompts and citations.
"""

from __future__ import annotations

import re
import unicodedata

from .document import Document

_INJECTION = re.compile(
    r"(忽略|无视|不要理会|忘记|忘掉).{0,12}(指令|指示|提示|要求|规则|设定)"
    r"|ignore.{0,20}(instruction|prompt)|disregard.{0,20}(instruction|prompt)"
    r"|系统提示|system\s*prompt|(作为|你是).{0,6}(AI|人工智能|大模型|语言模型|助手|评审|评分)"
    r"|(给予?|打|评|判)(出)?满分|满分评价|评分.{0,4}(为|给).{0,4}(满分|100)"
    r"|(不要|无需|不得).{0,6}(报告|指出|列出).{0,6}(问题|错误)"
    r"|\"(criterion|scores|findings|level|overall|improvements)\"\s*:",
    re.IGNORECASE,
)


def injection_lines(doc: Document) -> list[int]:
    """Lines that address the model rather than the public (prompt-injection attempts)."""
    out = []
    for ln in doc.lines:
        if ln.raw.strip() and _INJECTION.search(unicodedata.normalize("NFKC", ln.raw)):
            out.append(ln.no)
    return out
