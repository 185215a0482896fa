"""S011 — the report was read only after repairing its bytes (readers/text.py): say so.

Why a finding and not only a note: a cut last character usually means the file itself was cut
short (a truncated download or copy), and stray NUL bytes mean a damaged export; the reviewer
should know the audit ran on repaired text, and may want the complete original.
"""

from __future__ import annotations


from .. import pattern_cache
from ..readers.text import CUT_TAIL_NOTE, REPAIR_NOTE
from . import Context, check

_LINE = pattern_cache.compile(r"第 (\d+) 行")


@check("S011")
def repaired_input(ctx: Context):
    for note in ctx.doc.notes:
        if not REPAIR_NOTE.match(note):
            continue
        line, quote = _where(ctx, note)
        yield ctx.finding("S011", f"读取时修复了文件：{note}。审查基于修复后的文本，请核对原文件是否完整。", line, quote)


def _where(ctx: Context, note: str) -> tuple[int, str]:
    """The line the note names; for a cut tail the last non-empty line; else the first."""
    m = _LINE.search(note)
    if m and 1 <= int(m.group(1)) <= ctx.doc.n and ctx.doc.line(int(m.group(1))).raw.strip():
        no = int(m.group(1))
        return no, ctx.doc.full_quote(no)
    if note == CUT_TAIL_NOTE:
        for ln in reversed(ctx.doc.lines):
            if ln.raw.strip():
                return ln.no, ln.raw.strip()
    return ctx.anchor()
