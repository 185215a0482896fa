"""One chat-completion call through the `openai` SDK, with one retry policy and a time budget.

Why our own retry loop: the SDK's retries multiply with its per-try timeout (a 30 s timeout
and 2 retries can take 90 s), and two layers of retries multiply each other. So the SDK's
retries are off (`max_retries=0`) and tenacity retries 429, 5xx, timeouts and connection
errors with exponential backoff and jitter, honouring Retry-After, until a per-report
deadline. Each attempt's timeout is clipped to what is left of that deadline, so the total
time is bounded by the budget, not by timeout × retries.

`openai` is imported here only, lazily, so `audit --no-llm` never pays for it.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass, field

import tenacity

from .config import LLMConfig

MIN_ATTEMPT_S = 0.25  # no point starting an attempt with less time than this
MAX_ATTEMPTS = 6
MAX_RETRY_AFTER_S = 60.0
RETRYABLE_STATUS = {408, 409, 429}


class LLMError(Exception):
    """The endpoint could not give an answer; the message is safe to show (no key, no body)."""


class BudgetExhausted(LLMError):
    pass


class Deadline:
    """The per-report time budget shared by every call and retry."""

    def __init__(self, budget_s: float):
        self.budget_s = budget_s
        self.start = time.monotonic()

    def remaining(self) -> float:
        return self.budget_s - (time.monotonic() - self.start)


@dataclass
class Completion:
    content: str
    reasoning: str = ""  # reasoning_content, if the endpoint sends it separately; never shown
    finish_reason: str = ""
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


@dataclass
class ChatClient:
    """A thin, synchronous wrapper: `complete(messages, schema)` → Completion or LLMError."""

    config: LLMConfig
    deadline: Deadline
    attempts: int = 0  # HTTP requests sent
    retries: int = 0
    notes: list[str] = field(default_factory=list)
    json_schema_ok: bool = False

    def __post_init__(self) -> None:
        import openai  # lazy on purpose, see module docstring

        self._openai = openai
        self._client = openai.OpenAI(
            api_key=self.config.key_for_client,
            base_url=self.config.base_url,
            max_retries=0,
            timeout=self.config.attempt_timeout_s,
        )
        self.json_schema_ok = self.config.use_json_schema

    # ------------------------------------------------------------ public

    def complete(self, messages: list[dict], schema: dict, schema_name: str) -> Completion:
        try:
            if self.json_schema_ok:
                fmt = {"type": "json_schema", "json_schema": {"name": schema_name, "schema": schema, "strict": False}}
                try:
                    return self._with_retries(messages, fmt)
                except (self._openai.BadRequestError, self._openai.UnprocessableEntityError):
                    # The endpoint rejects json_schema (DeepSeek, GLM, Moonshot): fall back for good.
                    self.json_schema_ok = False
                    self.notes.append("端点不支持 json_schema，已改用 json_object（schema 写在提示词中）")
            return self._with_retries(messages, {"type": "json_object"})
        except LLMError:
            raise
        except self._openai.APIError as exc:
            raise LLMError(self.describe(exc)) from None

    def describe(self, exc: BaseException) -> str:
        """A short, key-free description of a failure for the report's notes."""
        o = self._openai
        if isinstance(exc, o.APITimeoutError):
            text = "请求超时"
        elif isinstance(exc, o.APIConnectionError):
            text = "无法连接 LLM 端点"
        elif isinstance(exc, o.AuthenticationError):
            text = "鉴权失败（HTTP 401，请检查 OPENAI_API_KEY）"
        elif isinstance(exc, o.APIStatusError):
            text = f"端点返回 HTTP {exc.status_code}"
        else:
            text = type(exc).__name__
        return self.config.redact(f"{text}（共尝试 {self.attempts} 次）")

    # ------------------------------------------------------------ retry policy

    def _with_retries(self, messages: list[dict], response_format: dict) -> Completion:
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(self._retryable),
            wait=self._wait,
            stop=self._stop,
            reraise=True,
            before_sleep=self._count_retry,
        )
        try:
            return retrying(self._attempt, messages, response_format)
        except BudgetExhausted:
            raise
        except self._openai.APIError as exc:
            if self._retryable(exc):
                raise LLMError(self.describe(exc)) from None
            raise

    def _retryable(self, exc: BaseException) -> bool:
        o = self._openai
        if isinstance(exc, (o.APITimeoutError, o.APIConnectionError)):
            return True
        if isinstance(exc, o.APIStatusError):
            return exc.status_code in RETRYABLE_STATUS or exc.status_code >= 500
        return False

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = _retry_after(exc)
        if after is not None:
            return min(after, MAX_RETRY_AFTER_S)
        return tenacity.wait_exponential_jitter(multiplier=0.5, max=8.0, jitter=0.5)(state)

    def _stop(self, state: tenacity.RetryCallState) -> bool:
        if state.attempt_number >= MAX_ATTEMPTS:
            return True
        # Stop when sleeping would leave no time for a meaningful attempt.
        return self.deadline.remaining() - state.upcoming_sleep < MIN_ATTEMPT_S

    def _count_retry(self, state: tenacity.RetryCallState) -> None:
        self.retries += 1

    # ------------------------------------------------------------ one attempt

    def _attempt(self, messages: list[dict], response_format: dict) -> Completion:
        left = self.deadline.remaining()
        if left < MIN_ATTEMPT_S:
            raise BudgetExhausted(f"LLM 时间预算（{self.config.budget_s:g} 秒）已用完（共尝试 {self.attempts} 次）")
        kwargs: dict = {}
        if self.config.extra_body:
            kwargs["extra_body"] = self.config.extra_body
        self.attempts += 1
        resp = self._client.chat.completions.create(
            model=self.config.model,
            messages=messages,
            response_format=response_format,
            temperature=self.config.temperature,
            max_tokens=self.config.max_tokens,
            timeout=min(self.config.attempt_timeout_s, left),
            **kwargs,
        )
        choice = resp.choices[0] if resp.choices else None
        message = choice.message if choice else None
        extra = (getattr(message, "model_extra", None) or {}) if message else {}
        usage = resp.usage
        return Completion(
            content=(message.content or "") if message else "",
            reasoning=str(extra.get("reasoning_content") or ""),
            finish_reason=(choice.finish_reason or "") if choice else "",
            prompt_tokens=getattr(usage, "prompt_tokens", None) if usage else None,
            completion_tokens=getattr(usage, "completion_tokens", None) if usage else None,
        )


def _retry_after(exc: BaseException | None) -> float | None:
    """Seconds asked for by Retry-After / retry-after-ms on an error response, if any."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
