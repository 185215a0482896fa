"""How the LLM layer is configured: endpoint, model, time budget, cache.

Why a separate object: the audit must decide whether an LLM is available without importing
`openai` (start-up time of `audit --no-llm`), and the API key must never leak into output,
logs, the cache or surfaced exception messages — so the key lives only here, hidden from repr,
and `redact()` scrubs it from any text we show.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_BUDGET_S = 120.0  # total wall time for all LLM work on one report
DEFAULT_ATTEMPT_TIMEOUT_S = 60.0  # one HTTP attempt; always clipped to what is left of the budget
# A local server (llama.cpp, Ollama, vLLM) needs no key, but the SDK insists on one.
PLACEHOLDER_KEY = "not-needed"


def default_cache_dir() -> Path:
    """$AUDIT_CACHE_DIR, else $XDG_CACHE_HOME/gov-report-audit, else ~/.cache/gov-report-audit."""
    if os.environ.get("AUDIT_CACHE_DIR"):
        return Path(os.environ["AUDIT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gov-report-audit"


@dataclass
class LLMConfig:
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    no_cache: bool = False
    cache_dir: Path | None = None
    budget_s: float = DEFAULT_BUDGET_S
    attempt_timeout_s: float = DEFAULT_ATTEMPT_TIMEOUT_S
    use_json_schema: bool = False
    max_tokens: int = 8192  # upper bound; each call asks for what its answer needs (tasks.CallSpec)
    temperature: float = 0.0
    extra_body: dict | None = None  # e.g. {"thinking": {"type": "disabled"}} for DeepSeek
    disabled_reason: str = ""  # set when the caller turned the LLM off (--no-llm)

    @classmethod
    def from_env(
        cls,
        model: str | None = None,
        no_cache: bool = False,
        cache_dir: Path | None = None,
        budget_s: float = DEFAULT_BUDGET_S,
        use_json_schema: bool = False,
        extra_body: dict | str | None = None,
        attempt_timeout_s: float = DEFAULT_ATTEMPT_TIMEOUT_S,
    ) -> "LLMConfig":
        """Read OPENAI_API_KEY, OPENAI_BASE_URL and AUDIT_MODEL (the `model` argument wins).

        `extra_body` may be a JSON string (from a CLI option) or env AUDIT_LLM_EXTRA_BODY.
        """
        if extra_body is None and os.environ.get("AUDIT_LLM_EXTRA_BODY"):
            extra_body = os.environ["AUDIT_LLM_EXTRA_BODY"]
        if isinstance(extra_body, str):
            extra_body = json.loads(extra_body) if extra_body.strip() else None
        return cls(
            model=model or os.environ.get("AUDIT_MODEL") or None,
            base_url=os.environ.get("OPENAI_BASE_URL") or None,
            api_key=os.environ.get("OPENAI_API_KEY") or None,
            no_cache=no_cache,
            cache_dir=Path(cache_dir) if cache_dir else None,
            budget_s=budget_s,
            attempt_timeout_s=attempt_timeout_s,
            use_json_schema=use_json_schema,
            extra_body=extra_body,
        )

    @classmethod
    def disabled(cls, reason: str = "LLM 未启用（--no-llm）") -> "LLMConfig":
        return cls(disabled_reason=reason)

    @property
    def enabled(self) -> bool:
        return not self.skipped_reason

    @property
    def skipped_reason(self) -> str:
        """Why no LLM will run, in words a reviewer understands; "" when it will run."""
        if self.disabled_reason:
            return self.disabled_reason
        if not (self.api_key or self.base_url):
            return "未配置 LLM（未设置 OPENAI_API_KEY 或 OPENAI_BASE_URL），摘要与评审类评分未运行"
        if not self.model:
            return "未指定模型（--model 或 AUDIT_MODEL），摘要与评审类评分未运行"
        if self.api_key and not self.api_key.isascii():
            return "OPENAI_API_KEY 含非 ASCII 字符，无法使用（请检查是否误粘贴了中文字符）"
        return ""

    @property
    def key_for_client(self) -> str:
        return self.api_key or PLACEHOLDER_KEY

    @property
    def endpoint_id(self) -> str:
        """What identifies the endpoint in the cache key: the base URL without credentials."""
        url = self.base_url or "https://api.openai.com/v1"
        if "@" in url.split("//", 1)[-1].split("/", 1)[0]:  # user:pass@host
            scheme, rest = url.split("//", 1)
            url = scheme + "//" + rest.split("@", 1)[1]
        return url.split("?", 1)[0].rstrip("/")

    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or default_cache_dir()

    def redact(self, text: str) -> str:
        """`text` with the API key (and any bearer token) removed."""
        out = str(text)
        if self.api_key and len(self.api_key) >= 4:
            out = out.replace(self.api_key, "***")
        return out
