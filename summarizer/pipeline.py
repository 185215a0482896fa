"""Audit one input end to end: the deterministic audit, then (if configured) the LLM layer and the rubric.

Kept apart from the CLI so batch runs, the eval harness and tests share exactly one path.
The LLM stack is imported only when an LLM is wanted, so `audit --no-llm` starts fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .audit import audit_path
from .models import AuditResult

REPORT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".shtml", ".pdf", ".docx", ".text"}


@dataclass
class Options:
    select: list[str] | None = None
    ignore: list[str] | None = None
    no_llm: bool = False
    model: str | None = None
    no_cache: bool = False
    cache_dir: Path | None = None
    llm_budget: float = 120.0
    json_schema: bool = False
    extra: dict = field(default_factory=dict)


def expand_inputs(paths: list[str]) -> list[str]:
    """Files as given; folders become every report file inside them (sorted, recursive)."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out += [str(f) for f in sorted(path.rglob("*")) if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES]
        else:
            out.append(p)
    return out


def llm_config(opts: Options):
    """The LLM configuration, or None when the LLM is off (no import of the LLM stack then)."""
    if opts.no_llm:
        return None
    from .llm import LLMConfig

    return LLMConfig.from_env(model=opts.model, no_cache=opts.no_cache, cache_dir=opts.cache_dir,
                              budget_s=opts.llm_budget, use_json_schema=opts.json_schema)


def audit_one(path: str, opts: Options, config=None) -> AuditResult:
    result, doc = audit_path(path, opts.select, opts.ignore)
    if result.error or doc is None:
        return result
    if config is not None and getattr(config, "enabled", False):
        from .llm import run_llm

        # fills summary, LLM findings (verified), rubric and usage; never raises
        run_llm(result, doc, config, select=opts.select, ignore=opts.ignore)
        return result
    from .rubric import score_rubric

    if opts.no_llm:
        result.llm.skipped_reason = "使用了 --no-llm"
    else:
        result.llm.skipped_reason = getattr(config, "disabled_reason", "") or "未配置 OPENAI_API_KEY / AUDIT_MODEL"
    result.rubric = score_rubric(result, inputs={"select": opts.select, "ignore": opts.ignore})
    return result
