"""S — cells that OCR read with low confidence: the reviewer is asked to check them.

Why an info finding and not silence: a misread digit in a scanned table would otherwise turn
into a false 勾稽 error (A001–A006), so the arithmetic checks leave such cells out (see
arithmetic._all); this check says which cells were left out and why, so nothing is hidden.
"""

from __future__ import annotations

from ..tables.values import parse_cell
from . import Context, check


def _fmt(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _confidence(ctx: Context, line: int, raw: str) -> float | None:
    """The confidence OCR gave the cell's text on its line (the lowest if it is read twice)."""
    spans = ctx.doc.low_confidence.get(line, [])
    if not spans:
        return None
    text = ctx.doc.line(line).raw
    same = [c for s, e, c in spans if text[s:e].strip() == raw.strip()
            or parse_cell(text[s:e].strip()) == parse_cell(raw.strip()) is not None]
    return min(same or [c for _s, _e, c in spans])


@check("S012")
def low_confidence_cells(ctx: Context):
    for key in ctx.facts.low_confidence_cells:
        ev = ctx.cell_evidence(key)
        if ev is None:
            continue
        res = ctx.tables.get(key.split(".")[0])
        line, raw = res.sources[key] if res is not None and key in res.sources else (ev.line, "")
        conf = _confidence(ctx, line, raw)
        value = ctx.cells.get(key)
        shown = "空" if value is None else _fmt(value)
        how = f"置信度 {conf:.2f}" if conf is not None else "置信度低"
        yield ctx.finding(
            "S012",
            f"“{ctx.label(key)}”经 OCR 识别为 {shown}（{how}），可能误读，请对照原件核对；"
            f"涉及该单元格的勾稽关系未核算。",
            ev.line, ev.quote, cells={key: value})
