"""The LLM layer: summaries, narrative checks and judged rubric scores, all verified.

The LLM assists, the facts rule: nothing the model says reaches a reviewer unless grounding.py
verified it against the facts and the text. Importing this package does not import `openai`.
"""

from .config import LLMConfig
from .tasks import run_llm

__all__ = ["LLMConfig", "run_llm"]
