"""Scanned-report fixtures: report text typeset with a CJK font onto 150-dpi page images.

Why: the OCR reader must be judged on image-only PDFs whose every cell is known, and no big
binary may be committed. So the tests, the eval and the bench make their scans here, from
generated text (testkit/synth.py) or from a seed's text re-typeset: ordinary lines become
wrapped paragraphs, each run of tab-separated lines becomes a ruled table (one grid row per
line, empty cells kept), pages break where the page is full. `image_pdf` wraps the page
images in a PDF with no text layer — what a scanner or a "print to image" produces.

A CJK font is needed: `find_cjk_font()` looks for one (AUDIT_CJK_FONT, the test extra's
justmytype-intl-cjk with Noto Sans SC, the wheel pylopdf-fonts-zh-cn, or a system Noto CJK /
WenQuanYi font) and returns None when there is none, so tests can skip with that reason.
"""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

DPI = 150
_SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)

NO_FONT_REASON = ("no CJK font to typeset scan fixtures: pip install -e '.[test]' (justmytype-intl-cjk, Noto Sans SC, "
                  "OFL), apt-get install fonts-noto-cjk, or set AUDIT_CJK_FONT")


def find_cjk_font() -> Path | None:
    """A font file with Chinese glyphs, or None."""
    env = os.environ.get("AUDIT_CJK_FONT")
    if env and Path(env).is_file():
        return Path(env)
    try:  # the test extra's font package: the whole Noto Sans SC (documents.cjk_font is a subset)
        import justmytype_intl_cjk

        base = Path(justmytype_intl_cjk.__file__).parent / "fonts" / "ofl" / "notosanssc"
        found = sorted(base.glob("*.ttf"))
        if found:
            return found[0]
    except ImportError:
        pass
    try:
        import pylopdf_fonts_zh_cn  # a data-only wheel shipping Noto Sans SC (OFL 1.1)

        path = Path(pylopdf_fonts_zh_cn.sans_path())
        if path.is_file():
            return path
    except ImportError:
        pass
    for p in _SYSTEM_FONTS:
        if Path(p).is_file():
            return Path(p)
    return None


def _regular(font):
    """A variable font (Noto Sans SC [wght]) defaults to its thinnest weight: print in Regular."""
    try:
        if b"Regular" in font.get_variation_names():
            font.set_variation_by_name("Regular")
    except (OSError, AttributeError, ValueError):
        pass  # not a variable font
    return font


class _Typesetter:
    """Lays lines out on A4 pages at `dpi`; call `feed(lines)` then take `.pages`."""

    def __init__(self, font_path: Path, dpi: int = DPI, body_pt: float = 11.5, table_pt: float = 10.0):
        from PIL import Image, ImageDraw, ImageFont

        self.Image, self.ImageDraw = Image, ImageDraw
        px = dpi / 72.0
        self.width, self.height = round(8.27 * dpi), round(11.69 * dpi)
        self.margin_x, self.margin_y = round(0.75 * dpi), round(0.8 * dpi)
        self.body = _regular(ImageFont.truetype(str(font_path), round(body_pt * px)))
        self.small = _regular(ImageFont.truetype(str(font_path), round(table_pt * px)))
        self.body_h = round(body_pt * px * 1.6)
        self.cell_h = round(table_pt * px * 1.35)
        self.pages: list = []
        self._new_page()

    def _new_page(self) -> None:
        self.page = self.Image.new("L", (self.width, self.height), 255)
        self.draw = self.ImageDraw.Draw(self.page)
        self.pages.append(self.page)
        self.y = self.margin_y

    @property
    def text_width(self) -> int:
        return self.width - 2 * self.margin_x

    def _wrap(self, text: str, font, width: int) -> list[str]:
        out, cur = [], ""
        for ch in text:
            if cur and font.getlength(cur + ch) > width:
                out.append(cur)
                cur = ""
            cur += ch
        if cur or not out:
            out.append(cur)
        return out

    def paragraph(self, text: str) -> None:
        text = text.rstrip()
        if not text.strip():
            self.y += self.body_h // 2
            return
        for piece in self._wrap(text, self.body, self.text_width):
            if self.y + self.body_h > self.height - self.margin_y:
                self._new_page()
            self.draw.text((self.margin_x, self.y), piece, font=self.body, fill=0)
            self.y += self.body_h

    def table(self, rows: list[list[str]]) -> None:
        n = max(len(r) for r in rows)
        rows = [r + [""] * (n - len(r)) for r in rows]
        pad = 8
        natural = [max(self.small.getlength(r[c]) for r in rows) + 2 * pad for c in range(n)]
        widths = [max(w, self.small.getlength("00") + 2 * pad) for w in natural]
        while sum(widths) > self.text_width:  # narrow the widest column; its cells wrap
            i = max(range(n), key=lambda c: widths[c])
            widths[i] = max(self.small.getlength("总计") + 2 * pad, widths[i] * 0.9)
        scale = self.text_width / sum(widths) if sum(widths) > 0.8 * self.text_width else 1.0
        widths = [w * scale for w in widths]
        xs = [self.margin_x]
        for w in widths:
            xs.append(xs[-1] + w)
        top = self.y
        for row in rows:
            wrapped = [self._wrap(cell, self.small, int(widths[c] - 2 * pad)) for c, cell in enumerate(row)]
            h = max(len(w) for w in wrapped) * self.cell_h + 2 * pad
            if self.y + h > self.height - self.margin_y:
                self._frame(xs, top, self.y)
                self._new_page()
                top = self.y
            for c, lines in enumerate(wrapped):
                block = len(lines) * self.cell_h
                y = self.y + (h - block) / 2
                numeric = row[c].strip().lstrip("+-＋－").replace(".", "").isdigit()
                for line in lines:
                    lw = self.small.getlength(line)
                    x = xs[c] + (widths[c] - lw) / 2 if numeric else xs[c] + pad
                    self.draw.text((x, y), line, font=self.small, fill=0)
                    y += self.cell_h
            self.draw.line([(xs[0], self.y), (xs[-1], self.y)], fill=0, width=2)
            self.y += h
        self._frame(xs, top, self.y)
        self.y += self.body_h // 2

    def _frame(self, xs: list[float], top: float, bottom: float) -> None:
        self.draw.line([(xs[0], bottom), (xs[-1], bottom)], fill=0, width=2)
        for x in xs:
            self.draw.line([(x, top), (x, bottom)], fill=0, width=2)

    def feed(self, lines: list[str]) -> None:
        i = 0
        while i < len(lines):
            if "\t" in lines[i] and lines[i].strip():
                j = i
                while j < len(lines) and "\t" in lines[j] and lines[j].strip():
                    j += 1
                self.table([ln.split("\t") for ln in lines[i:j]])
                i = j
            else:
                self.paragraph(lines[i])
                i += 1


def render_pages(text: str, font_path: Path, dpi: int = DPI, noise: float = 0.0, seed: int = 0) -> list:
    """Report text (tables as tab-separated rows) → list of grayscale PIL page images.

    `noise` > 0 adds scanner speckle (that fraction of pixels flipped), for robustness runs."""
    ts = _Typesetter(font_path, dpi)
    ts.feed(text.replace("\r\n", "\n").split("\n"))
    if noise > 0:
        rng = random.Random(seed)
        for page in ts.pages:
            px = page.load()
            for _ in range(int(page.width * page.height * noise)):
                x, y = rng.randrange(page.width), rng.randrange(page.height)
                px[x, y] = 255 - px[x, y]
    return ts.pages


def degrade(pages: list, seed: int = 0, max_skew: float = 1.5) -> list:
    """Pages as a real scanner returns them: each turned by up to ±max_skew degrees, slightly
    blurred and saved as a JPEG of middling quality."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    out = []
    for page in pages:
        turned = page.rotate(rng.uniform(-max_skew, max_skew), resample=Image.BICUBIC, fillcolor=255)
        buf = io.BytesIO()
        turned.filter(ImageFilter.GaussianBlur(0.6)).save(buf, "JPEG", quality=70)
        out.append(Image.open(io.BytesIO(buf.getvalue())))
    return out


def image_pdf(pages: list, dpi: int = DPI) -> bytes:
    """Page images → a PDF with no text layer (one image per page)."""
    buf = io.BytesIO()
    first, rest = pages[0], pages[1:]
    first.save(buf, "PDF", resolution=float(dpi), save_all=True, append_images=rest)
    return buf.getvalue()


def tables_as_rows(text: str) -> str:
    """A report whose tables are in any layout the audit reads → the same report with each table
    re-written one row per line (tabs), from what the text audit extracted.

    Used to re-typeset the seed reports as scans: their tables are one cell per line or " |"
    cells, which no printed page shows. The truth for such a scan is the text audit's cells."""
    from summarizer.audit import audit_text
    from summarizer.document import to_document
    from summarizer.segment import segment

    from . import synth

    result = audit_text(text)
    doc = to_document(text, "<seed>", "utf-8")
    sections = {s.number: s for s in segment(doc).sections}
    cells = dict(result.facts.cells)
    fmt = result.facts.format_version or "2021"
    subrows = [label for key, label in sorted(next((t.row_labels for t in result.tables if t.name == "active"), {}).items())
               if key.startswith("active.other_services.")]
    tables = synth.table_rows_from_cells(cells, fmt, random.Random(0), subrows)
    # each table goes under its own section heading, or under the table section before it when its
    # heading is missing (a report without "三、…" still has the applications table)
    present = [n for n in (2, 3, 4) if n in sections]
    under: dict[int, list[str]] = {}
    for number, name in ((2, "active"), (3, "applications"), (4, "litigation")):
        if not present:
            break
        target = max((n for n in present if n <= number), default=min(present))
        under.setdefault(target, []).extend(tables[name])
    lines = text.split("\n")
    out: list[str] = []
    skip_to = 0
    for no, line in enumerate(lines, start=1):
        if no < skip_to:
            continue
        out.append(line)
        for number in present:
            if sections[number].line == no:
                out += under.get(number, [])
                skip_to = min((s.line for s in sections.values() if s.line > no), default=len(lines) + 1)
    return "\n".join(out)
