"""The LLM layer: summaries, narrative checks and judged rubric scores, all verified.

The LLM assists, the facts rule: nothing the model says reaches a reviewer unless grounding.py
verified it against the text. Importing this package imports neither `openai` nor tenacity or
jinja2: `run_llm` is loaded on first use, and the plain-Python parts (context.py, grounding.py)
can be used by the deterministic audit (overlap.py) at no cost.
"""

from .config import LLMConfig

__all__ = ["LLMConfig", "run_llm"]


def __getattr__(name: str):
    if name == "run_llm":
        from .tasks import run_llm

        return run_llm
    raise AttributeError(name)
