"""Rendering the prompt templates in prompts/ — safely.

Why a sandbox and per-call delimiters: the report text is untrusted. It is passed to the
templates only as a variable (never concatenated into template source, so "{{ }}" in a report
is inert), rendered by jinja2's SandboxedEnvironment with StrictUndefined, autoescape off
(the output is plain text, not HTML). Inside the prompt the data sits between delimiters
carrying a random tag chosen per call, which a report cannot predict and so cannot close early
("spotlighting"); the rules are restated after the data.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment


def prompts_dir() -> Path:
    """$AUDIT_PROMPTS_DIR, else the repository's prompts/ folder."""
    env = os.environ.get("AUDIT_PROMPTS_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "prompts"


@lru_cache(maxsize=4)
def _environment(directory: str) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(directory),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **variables) -> str:
    return _environment(str(prompts_dir())).get_template(template).render(**variables)


def new_delimiter() -> str:
    """A tag no report can guess, e.g. DATA-3F9A1C07B2E4."""
    return "DATA-" + secrets.token_hex(6).upper()


def clean_untrusted(text: str) -> str:
    """Report text as it may appear inside the data block (injection.model_text: the same text
    N007 is detected on): NFKC, no invisible characters, no look-alike delimiters."""
    from ..injection import model_text

    return model_text(text)


def estimate_tokens(text: str) -> int:
    """A conservative estimate without a tokenizer: ~1 token per CJK character, ~0.3 per other character.

    Why not tiktoken: it downloads its tables at run time and matches none of the Chinese
    providers; the provider's reported usage is the truth, this is only for budgeting.
    """
    cjk = sum(1 for ch in text if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return int(cjk + 0.3 * (len(text) - cjk)) + 1
