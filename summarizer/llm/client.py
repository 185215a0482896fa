"""One chat-completion call through the `openai` SDK, with one retry policy and one hard deadline.

Why our own retry loop: the SDK's retries multiply with its per-try timeout (a 30 s timeout
and 2 retries can take 90 s), and two layers of retries multiply each other. So the SDK's
retries are off (`max_retries=0`) and tenacity retries 429, 5xx, timeouts and dropped
connections with exponential backoff and jitter, honouring Retry-After, until the report's budget
is used up.

Why a watchdog and not a timeout: an HTTP read timeout is per read, so a server that sends one
byte a second never trips it. Each attempt therefore runs in a short-lived daemon thread while
the caller waits at most for what is left of the budget; when time is up, the watchdog closes
the client (which ends the connection) and the caller moves on at once. The budget is the wall
time of the report's LLM work (`Budget`), started by the first request, not at import.

What never gets retried, because retrying cannot help:
  - a refused connection, an unknown host, HTTP 401/403/404 → `EndpointUnavailable` (the batch
    stops asking this endpoint: see gate.py);
  - a 200 whose body is not a chat completion (an HTML error page, plain text) → `AnswerFormatError`,
    with the first bytes of the body, so the reviewer sees what the endpoint sent.

`openai` is imported here only, lazily, so `audit --no-llm` never pays for it.
"""

from __future__ import annotations

import email.utils
import json
import socket
import threading
import time
from dataclasses import dataclass, field

import tenacity

from .config import LLMConfig

MIN_ATTEMPT_S = 0.25  # no point starting an attempt with less time than this
MAX_ATTEMPTS = 6
MAX_RETRY_AFTER_S = 60.0
RETRYABLE_STATUS = {408, 409, 429}
FATAL_STATUS = {401: "鉴权失败（HTTP 401，请检查 OPENAI_API_KEY）", 403: "无权访问（HTTP 403）",
                404: "地址或模型不存在（HTTP 404，请检查 OPENAI_BASE_URL 与模型名）"}
BODY_PREVIEW = 60  # characters of a non-JSON body shown in the notes


class LLMError(Exception):
    """The endpoint could not give an answer; the message is safe to show (no key, no model text)."""


class BudgetExhausted(LLMError):
    pass


class EndpointUnavailable(LLMError):
    """Asking this endpoint again cannot succeed (refused, unknown host, 401/403/404)."""


class AnswerFormatError(LLMError):
    """HTTP 200, but the body is not a chat completion (HTML, plain text, broken JSON)."""


class Budget:
    """The wall time of one report's LLM work, as a hard limit.

    The clock runs only while LLM work for the report is in progress (between `begin()` and
    `end()`, counted once when phases overlap): the report's own calls and, later in a batch,
    the cross-year call of its pair share one budget, and time spent waiting in the batch's
    queue is not charged. Nothing runs before the first request: `begin()` is called then.
    """

    def __init__(self, seconds: float):
        self.seconds = float(seconds)
        self._used = 0.0
        self._active = 0
        self._since: float | None = None
        self._lock = threading.Lock()

    def begin(self) -> None:
        with self._lock:
            if self._active == 0:
                self._since = time.monotonic()
            self._active += 1

    def end(self) -> None:
        with self._lock:
            if self._active == 0:
                return
            self._active -= 1
            if self._active == 0 and self._since is not None:
                self._used += time.monotonic() - self._since
                self._since = None

    @property
    def used(self) -> float:
        with self._lock:
            return self._used + (time.monotonic() - self._since if self._since is not None else 0.0)

    def remaining(self) -> float:
        return self.seconds - self.used


@dataclass
class Completion:
    content: str
    reasoning: str = ""  # reasoning_content, if the endpoint sends it separately; never shown
    finish_reason: str = ""
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


def _preview(body: bytes) -> str:
    """The first characters of a body, on one line, for a note (never the whole page)."""
    text = body[: BODY_PREVIEW * 4].decode("utf-8", errors="replace")
    text = " ".join(text.split())[:BODY_PREVIEW]
    return text.replace("`", "'")


def parse_completion(body: bytes, content_type: str = "") -> Completion:
    """A chat.completion JSON body → Completion, or AnswerFormatError saying what came instead."""
    what = f"HTTP 200，{content_type or '无 content-type'}"
    try:
        data = json.loads(body.decode("utf-8", errors="strict"))
    except (UnicodeDecodeError, ValueError):
        raise AnswerFormatError(f"端点返回的不是 JSON（{what}，开头：“{_preview(body)}”）") from None
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise AnswerFormatError(f"端点返回的 JSON 不是对话补全结果（{what}，开头：“{_preview(body)}”）")
    choice = choices[0]
    message = choice.get("message") if isinstance(choice.get("message"), dict) else {}
    content = message.get("content")
    usage = data.get("usage") if isinstance(data.get("usage"), dict) else {}

    def count(k: str) -> int | None:
        v = usage.get(k)
        return v if isinstance(v, int) and v >= 0 else None

    return Completion(
        content=content if isinstance(content, str) else "",
        reasoning=str(message.get("reasoning_content") or ""),
        finish_reason=str(choice.get("finish_reason") or ""),
        prompt_tokens=count("prompt_tokens"),
        completion_tokens=count("completion_tokens"),
    )


_SSL_CONTEXT = None


def _ssl_context():
    """The default TLS context of the SDK's HTTP library (httpx2, openai ≥ 3), built once."""
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        import httpx2

        _SSL_CONTEXT = httpx2.create_ssl_context()
    return _SSL_CONTEXT


def _root_causes(exc: BaseException):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


@dataclass
class ChatClient:
    """A thin, synchronous wrapper: `complete(messages, schema, name, max_tokens)` → Completion or LLMError."""

    config: LLMConfig
    budget: Budget
    attempts: int = 0  # HTTP requests sent
    retries: int = 0
    notes: list[str] = field(default_factory=list)
    json_schema_ok: bool = False
    closed_by_watchdog: bool = False

    def __post_init__(self) -> None:
        import openai  # lazy on purpose, see module docstring

        self._openai = openai
        self._client = openai.OpenAI(
            api_key=self.config.key_for_client,
            base_url=self.config.base_url,
            max_retries=0,
            timeout=self.config.attempt_timeout_s,
            # One client per report (the watchdog closes it), one TLS context per process: building
            # the context loads the CA bundle, ~70 ms each time.
            http_client=openai.DefaultHttpxClient(verify=_ssl_context()),
        )
        self.json_schema_ok = self.config.use_json_schema

    def close(self) -> None:
        try:
            self._client.close()
        except Exception:  # closing twice, or from the watchdog while a request ends: harmless
            pass

    # ------------------------------------------------------------ public

    def complete(self, build, schema: dict, schema_name: str, max_tokens: int) -> Completion:
        """`build(json_schema: bool)` gives the messages: the prompt carries a compact example of
        the answer under json_object, and no schema text under json_schema (response_format has it)."""
        try:
            if self.json_schema_ok:
                fmt = {"type": "json_schema", "json_schema": {"name": schema_name, "schema": schema, "strict": False}}
                try:
                    return self._with_retries(build(True), fmt, max_tokens)
                except (self._openai.BadRequestError, self._openai.UnprocessableEntityError):
                    # The endpoint rejects json_schema (DeepSeek, GLM, Moonshot): fall back for good.
                    self.json_schema_ok = False
                    self.notes.append("端点不支持 json_schema，已改用 json_object")
            return self._with_retries(build(False), {"type": "json_object"}, max_tokens)
        except LLMError:
            raise
        except self._openai.APIError as exc:
            raise LLMError(self.describe(exc)) from None

    def describe(self, exc: BaseException) -> str:
        """A short, key-free description of a failure for the report's notes (no response body)."""
        o = self._openai
        if isinstance(exc, o.APITimeoutError):
            text = "请求超时"
        elif isinstance(exc, o.APIConnectionError):
            text = "无法连接 LLM 端点"
        elif isinstance(exc, o.APIStatusError):
            text = FATAL_STATUS.get(exc.status_code) or f"端点返回 HTTP {exc.status_code}"
        else:
            text = type(exc).__name__
        return self.config.redact(f"{text}（共尝试 {self.attempts} 次）")

    def fatal_reason(self, exc: BaseException) -> str | None:
        """Why retrying `exc` cannot help (refused, unknown host, 401/403/404), or None."""
        o = self._openai
        if isinstance(exc, o.APIStatusError) and exc.status_code in FATAL_STATUS:
            return FATAL_STATUS[exc.status_code]
        if isinstance(exc, o.APIConnectionError) and not isinstance(exc, o.APITimeoutError) \
                and not self.closed_by_watchdog:
            for cause in _root_causes(exc):
                if isinstance(cause, ConnectionRefusedError) or "refused" in str(cause).lower():
                    return "连接被拒绝（端点未运行或端口错误）"
                if isinstance(cause, socket.gaierror) or "name or service not known" in str(cause).lower() \
                        or "nodename nor servname" in str(cause).lower():
                    return "无法解析主机名"
        return None

    # ------------------------------------------------------------ retry policy

    def _with_retries(self, messages: list[dict], response_format: dict, max_tokens: int) -> Completion:
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(self._retryable),
            wait=self._wait,
            stop=self._stop,
            reraise=True,
            before_sleep=self._count_retry,
        )
        try:
            return retrying(self._attempt, messages, response_format, max_tokens)
        except LLMError:
            raise
        except self._openai.APIError as exc:
            reason = self.fatal_reason(exc)
            if reason:
                raise EndpointUnavailable(self.config.redact(reason)) from None
            if self._retryable(exc) or self.closed_by_watchdog:
                raise LLMError(self.describe(exc)) from None
            raise

    def _retryable(self, exc: BaseException) -> bool:
        o = self._openai
        if self.closed_by_watchdog or self.fatal_reason(exc):
            return False
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
        return self.budget.remaining() - state.upcoming_sleep < MIN_ATTEMPT_S

    def _count_retry(self, state: tenacity.RetryCallState) -> None:
        self.retries += 1

    # ------------------------------------------------------------ one attempt, under the watchdog

    def _exhausted(self) -> BudgetExhausted:
        return BudgetExhausted(f"LLM 时间预算（{self.config.budget_s:g} 秒）已用完（共尝试 {self.attempts} 次）")

    def _attempt(self, messages: list[dict], response_format: dict, max_tokens: int) -> Completion:
        left = self.budget.remaining()
        if left < MIN_ATTEMPT_S or self.closed_by_watchdog:
            raise self._exhausted()
        box: dict = {}
        finished = threading.Event()

        def request() -> None:
            try:
                box["value"] = self._post(messages, response_format, max_tokens, min(self.config.attempt_timeout_s, left))
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc
            finally:
                finished.set()

        self.attempts += 1
        threading.Thread(target=request, name="audit-llm-request", daemon=True).start()
        if not finished.wait(max(0.0, self.budget.remaining())):
            # The watchdog: time is up. Closing the client ends the connection, so a server that
            # trickles bytes stops being read; the caller does not wait for that.
            self.closed_by_watchdog = True
            self.close()
            raise self._exhausted()
        if "error" in box:
            raise box["error"]
        return box["value"]

    def _post(self, messages: list[dict], response_format: dict, max_tokens: int, timeout: float) -> Completion:
        kwargs: dict = {}
        if self.config.extra_body:
            kwargs["extra_body"] = self.config.extra_body
        raw = self._client.chat.completions.with_raw_response.create(
            model=self.config.model,
            messages=messages,
            response_format=response_format,
            temperature=self.config.temperature,
            max_tokens=max_tokens,
            timeout=timeout,
            **kwargs,
        )
        http = raw.http_response
        return parse_completion(http.content, http.headers.get("content-type", ""))


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
