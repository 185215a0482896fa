"""Regenerate the example reports (made by our own generator, not copied) and their rendered audits.

Run: `.venv/bin/python examples/make_examples.py`. The reports are fictional; names and
numbers are random. Each shows a different layout and a defect a reviewer meets in practice.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from testkit import synth  # noqa: E402
from summarizer.render.markdown import render_markdown  # noqa: E402
from summarizer.pipeline import Options, audit_one  # noqa: E402

EXAMPLES = [
    # (file name, seed, format, layout, defect)
    ("example_narrative_mismatch.txt", 15, "2021", "cells", "n001_received"),
    ("example_litigation_total.txt", 12, "2019", "tabs", "a004_litigation_total"),
    ("example_pipe_layout_period.txt", 13, "2021", "pipe", "period_two_years"),
    ("example_clean_markdown.md", 14, "2021", "markdown", None),
]


def main() -> None:
    reports = ROOT / "examples" / "reports"
    output = ROOT / "examples" / "output"
    reports.mkdir(parents=True, exist_ok=True)
    output.mkdir(parents=True, exist_ok=True)
    for name, seed, fmt, layout, defect in EXAMPLES:
        r = synth.generate(seed, fmt=fmt, layout=layout, defect=defect)
        path = reports / name
        path.write_text(r.text, encoding="utf-8")
        result = audit_one(str(path.relative_to(ROOT)), Options(no_llm=True))
        (output / f"{name}.md").write_text(render_markdown(result), encoding="utf-8")
        print(f"{name}: {sorted({f.code for f in result.findings})}")


if __name__ == "__main__":
    main()
