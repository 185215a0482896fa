"""Write eval/datasets/narrative/recorded/<id>.json from each narrative case's `script`.

    python -m eval.script_replies            # (re)write the scripted replies of every case

Why: CI must exercise the LLM pipeline (prompt → SDK → parsing → grounding → scoring) without a
model. Each case carries, as data, the answer a careful reviewer would give (`script`: quotes,
codes, levels). This tool turns it into the two chat replies the pipeline asks for (summary,
then judge), with the line number of every quote looked up in the composed report, so a quote
that is really in the text grounds and a planted one (not in the text) is dropped.
Replies are marked "origin": "scripted": they are a reviewer's answer, not a model's. Replacing
them with real model output ("origin": "recorded") is not automated yet.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval.run import DATASETS, compose_report, load_labels  # noqa: E402


def find_line(lines: list[str], quote: str, after: int = 0) -> int:
    """1-based line holding `quote` (first after `after`); a nearby line if absent (will not ground)."""
    for i, line in enumerate(lines[after:], after + 1):
        if quote in line:
            return i
    return after + 1 if after < len(lines) else 1


def replies_for(case: dict, synth) -> list[dict]:
    text = compose_report(case, synth)
    lines = text.split("\n")
    s = case["script"]

    def cited(items):
        return [{**{k: v for k, v in it.items()}, "line": find_line(lines, it["quote"])} for it in items]

    summary = {k: cited(s["summary"].get(k, [])) for k in ("overall", "problems", "improvements")}
    judge = {"findings": cited(s.get("findings", [])), "scores": cited(s.get("scores", []))}
    return [
        {"content": json.dumps(summary, ensure_ascii=False), "usage": [1500, 300]},
        {"content": json.dumps(judge, ensure_ascii=False), "usage": [2200, 400]},
    ]


def main() -> int:
    from testkit import synth

    out = DATASETS / "narrative" / "recorded"
    out.mkdir(parents=True, exist_ok=True)
    for case in load_labels(DATASETS / "narrative"):
        data = {"origin": "scripted", "model": "scripted", "case": case["id"], "responses": replies_for(case, synth)}
        (out / f"{case['id']}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print("wrote", case["id"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
