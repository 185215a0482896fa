"""Offline OCR of scanned pages (the optional `ocr` extra: RapidOCR on onnxruntime, CPU only).

Why RapidOCR: its wheel ships the PP-OCR detection / recognition / orientation models as ONNX
files, so a reviewer's machine reads scans with no download and no network. This module
insists on that: it hands RapidOCR the model files inside the installed wheel by path, so the
library's own download fallback can never run; a missing file is a clear InputError.

What this module does, one function each:
  - `engine()`: the RapidOCR instance, built once per process (models load in ~1 s), with
    RapidOCR's and onnxruntime's logging kept off the reviewer's terminal;
  - `deskew()`: a page scanned askew (up to ±3°) turned straight, so rows share a baseline;
  - `find_grids()`: the ruled tables on a page image (long horizontal / vertical dark runs);
  - `digit_reading()`: a table cell re-read with the recognizer restricted to digits, when the
    free reading came out as letters ("1O", "Z");
  - `ocr_image()`: one page image → PageText (ocr_layout.py rebuilds lines and table rows);
  - `ocr_pages()`: many pages with a per-page progress bar on a terminal, and the note for the
    reviewer ("文字经 OCR 识别，平均置信度 0.97").
Nothing here is imported unless a page needs OCR, so the text path never loads numpy/onnxruntime.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..document import InputError
from .ocr_layout import (INSTALL_HINT, LOW_CONFIDENCE, Box, Grid, PageText, ReadText, build_page, clean_number,
                         looks_numeric)
# Pages are rendered at this resolution for OCR: the PP-OCR models read 150-dpi text well and
# higher resolutions only cost time.
RENDER_DPI = 150
_DIGITS = "0123456789"


class OcrUnavailable(InputError):
    """OCR is needed but the extra (or its model files) is not installed."""


def available() -> bool:
    """Is the OCR extra installed? (A cheap check: no model is loaded.)"""
    import importlib.util

    try:
        return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime", "numpy"))
    except (ImportError, ValueError):
        return False


def _model_files() -> dict[str, Path]:
    """The det / rec / cls model files: those shipped inside the rapidocr wheel, or those in
    the folder AUDIT_OCR_MODEL_DIR names (other PP-OCR ONNX models, still loaded offline)."""
    import os

    import rapidocr

    models = Path(os.environ.get("AUDIT_OCR_MODEL_DIR") or Path(rapidocr.__file__).resolve().parent / "models")
    found: dict[str, Path] = {}
    for task in ("det", "rec", "cls"):
        candidates = sorted(models.glob(f"*_{task}_*.onnx")) + sorted(models.glob(f"*{task}*.onnx"))
        if candidates:
            found[task] = candidates[0]
    return found


def _quiet_logging() -> None:
    """RapidOCR logs coloured INFO lines to stderr on every start; the reviewer must not see them."""
    log = logging.getLogger("RapidOCR")
    for handler in list(log.handlers):
        log.removeHandler(handler)
    log.addHandler(logging.NullHandler())
    log.propagate = False
    log.setLevel(logging.CRITICAL + 1)
    try:
        import onnxruntime

        onnxruntime.set_default_logger_severity(4)  # fatal only
    except Exception:  # pragma: no cover - an onnxruntime without the setter
        pass


def _model_dir_shown() -> str:
    import os

    import rapidocr

    return os.environ.get("AUDIT_OCR_MODEL_DIR") or str(Path(rapidocr.__file__).resolve().parent / "models")


@lru_cache(maxsize=1)
def engine():
    """The RapidOCR engine, loaded once per process. Raises OcrUnavailable with what to install."""
    if not available():
        raise OcrUnavailable(f"需要 OCR 扩展才能识别扫描件：{INSTALL_HINT}")
    try:
        from rapidocr import RapidOCR
    except Exception as exc:  # a broken install (missing shared library…)
        raise OcrUnavailable(f"OCR 扩展无法加载（{type(exc).__name__}: {exc}）；请重新安装：{INSTALL_HINT}") from exc
    _quiet_logging()
    files = _model_files()
    missing = [t for t in ("det", "rec", "cls") if t not in files or not files[t].is_file()]
    if missing:
        where = _model_dir_shown()
        raise OcrUnavailable(f"OCR 模型文件缺失（{'、'.join(missing)}，应在 {where}）；"
                             f"本工具不在运行时下载模型，请重新安装：{INSTALL_HINT}")
    import os

    threads = int(os.environ.get("AUDIT_OCR_THREADS", "0") or 0)  # batch workers: 1 each (no oversubscription)
    params = {
        "Global.log_level": "critical",
        "Global.use_cls": False,  # pages are rendered upright; the orientation model only costs time
        "Det.model_path": str(files["det"]),
        "Rec.model_path": str(files["rec"]),
        "Cls.model_path": str(files["cls"]),
    }
    if threads > 0:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
        params["EngineConfig.onnxruntime.inter_op_num_threads"] = 1
    try:
        eng = RapidOCR(params=params)
    except Exception as exc:
        raise OcrUnavailable(f"OCR 引擎无法启动（{type(exc).__name__}: {exc}）；{INSTALL_HINT}") from exc
    _quiet_logging()  # RapidOCR() resets its logger's level
    return eng


# ---------------------------------------------------------------- ruled tables


def find_grids(gray, page_size: tuple[int, int] | None = None) -> list[Grid]:
    """Ruled tables on a grayscale page (numpy uint8): groups of long horizontal and vertical
    dark runs that touch each other. A vertical run counts only when it runs from one
    horizontal rule to another, so the strokes of characters inside cells never do.
    `page_size` (height, width) of the whole page scales the run lengths when `gray` is a crop."""
    import cv2
    import numpy as np

    h, w = gray.shape[:2]
    page_h, page_w = page_size or (h, w)
    ink = (gray < 140).astype(np.uint8)
    klen_h = max(30, page_w // 25)
    klen_v = max(20, page_h // 70)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (klen_h, 1)))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, klen_v)))

    def segments(mask, horizontal: bool) -> list[tuple[float, float, float]]:
        n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        out = []
        for i in range(1, n):
            x, y, sw, sh, _area = stats[i]
            if horizontal:
                out.append((y + sh / 2, float(x), float(x + sw)))
            else:
                out.append((x + sw / 2, float(y), float(y + sh)))
        return out

    hs, vs = segments(horiz, True), segments(vert, False)

    def ends_on_rules(v: tuple[float, float, float]) -> bool:
        x, y0, y1 = v
        on = [hy for hy, hx0, hx1 in hs if hx0 - 6 <= x <= hx1 + 6]
        return any(abs(hy - y0) <= 6 for hy in on) and any(abs(hy - y1) <= 6 for hy in on)

    vs = [v for v in vs if ends_on_rules(v)]
    if not hs or not vs:
        return []
    both = cv2.dilate(horiz | vert, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    grids = []
    for i in range(1, n):
        x, y, gw, gh, _area = stats[i]
        mine_h = [s for s in hs if x - 3 <= s[1] and s[2] <= x + gw + 3 and y - 3 <= s[0] <= y + gh + 3]
        mine_v = [s for s in vs if y - 3 <= s[1] and s[2] <= y + gh + 3 and x - 3 <= s[0] <= x + gw + 3]
        if len(mine_h) >= 2 and len(mine_v) >= 2 and gw > 0.2 * w:
            grids.append(Grid(float(x), float(y), float(x + gw), float(y + gh), mine_h, mine_v))
    return grids


def deskew(rgb):
    """A page scanned slightly askew (up to ±3°), turned straight (see `straightening_angle`)."""
    import cv2

    angle = straightening_angle(rgb)
    if abs(angle) < 0.1:
        return rgb
    H, W = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((W / 2, H / 2), angle, 1.0)
    return cv2.warpAffine(rgb, matrix, (W, H), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))


def straightening_angle(rgb) -> float:
    """Degrees (counter-clockwise) to turn the page by: the angle whose horizontal ink profile is
    sharpest (text lines and table rules line up), found on a quarter-size copy."""
    import cv2
    import numpy as np

    gray = rgb.mean(axis=2).astype(np.uint8) if rgb.ndim == 3 else rgb
    small = cv2.resize(gray, (gray.shape[1] // 4, gray.shape[0] // 4), interpolation=cv2.INTER_AREA)
    ink = (small < 160).astype(np.float32)
    h, w = ink.shape
    centre = (w / 2, h / 2)

    def sharpness(angle: float) -> float:
        turned = cv2.warpAffine(ink, cv2.getRotationMatrix2D(centre, angle, 1.0), (w, h))
        return float(np.var(turned.sum(axis=1)))

    coarse = max(np.arange(-3.0, 3.01, 0.25), key=sharpness)
    return round(float(max(np.arange(coarse - 0.2, coarse + 0.21, 0.05), key=sharpness)), 2)


# ---------------------------------------------------------------- recognition


def digit_reading(eng, rgb, box: Box) -> tuple[str, float] | None:
    """Re-read one box with the recognizer restricted to digits (and . + -).

    The CTC recognizer scores every character at every step; when a number cell came out as
    letters ("1O", "Z"), taking the best digit at each step gives the digit-only reading. Its
    confidence is the mean probability of the digits chosen, so a cell the model really saw
    as letters stays low-confidence (S012) instead of turning into a confident number."""
    import numpy as np

    rec = getattr(eng, "_load_rec_model", None)
    rec = rec() if rec else getattr(eng, "text_rec", None)
    if rec is None:
        return None
    chars = list(rec.postprocess_op.character)
    allowed = [0] + [i for i, ch in enumerate(chars) if ch and ch in _DIGITS + ".+-"]
    if len(allowed) < 11:
        return None
    pad = 3
    y0, y1 = max(0, int(box.y0) - pad), min(rgb.shape[0], int(box.y1) + pad)
    x0, x1 = max(0, int(box.x0) - pad), min(rgb.shape[1], int(box.x1) + pad)
    crop = rgb[y0:y1, x0:x1]
    if crop.size == 0:
        return None
    _c, img_h, img_w = rec.rec_image_shape
    ratio = max(img_w / img_h, crop.shape[1] / max(1, crop.shape[0]))
    batch = rec.resize_norm_img(crop, ratio)[np.newaxis, :].astype(np.float32)
    probs = rec.session(batch)[0]  # (steps, classes)
    sub = probs[:, allowed]
    best = sub.argmax(axis=1)
    text, confs, prev = "", [], 0
    for step, k in enumerate(best):
        if k != 0 and k != prev:
            text += chars[allowed[k]]
            confs.append(float(sub[step, k]))
        prev = k
    if not text:
        return None
    return text, sum(confs) / len(confs)


def _ink_crop(rgb, margin: int = 24):
    """The part of the page that has ink, with a margin; None for a blank page.

    Why: the detector misses a lone line (a date on the last page) on an otherwise empty
    page, and an empty margin only costs time."""
    import numpy as np

    ink = (rgb.mean(axis=2) if rgb.ndim == 3 else rgb) < 160
    rows = np.where(ink.sum(axis=1) >= 3)[0]  # a speck of dust is not ink
    cols = np.where(ink.sum(axis=0) >= 3)[0]
    if not len(rows) or not len(cols):
        return None
    y0, y1 = max(0, rows[0] - margin), min(rgb.shape[0], rows[-1] + margin + 1)
    x0, x1 = max(0, cols[0] - margin), min(rgb.shape[1], cols[-1] + margin + 1)
    return np.ascontiguousarray(rgb[y0:y1, x0:x1])


def _read_boxes(eng, rgb) -> list[Box]:
    """RapidOCR on one image → axis-aligned boxes with text and confidence."""
    import numpy as np

    res = eng(np.ascontiguousarray(rgb))
    boxes: list[Box] = []
    if getattr(res, "boxes", None) is not None and res.txts:
        for quad, text, score in zip(res.boxes, res.txts, res.scores):
            q = np.asarray(quad, dtype=float)
            boxes.append(Box(float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()), float(q[:, 1].max()),
                             str(text), float(score)))
    return boxes


def ocr_image(rgb) -> tuple[PageText, list[float]]:
    """One page image (numpy RGB) → its text and the confidence of every box read."""
    import numpy as np

    eng = engine()
    page_size = rgb.shape[:2]
    width = float(rgb.shape[1])
    rgb = _ink_crop(deskew(rgb))
    if rgb is None:
        return PageText(), []  # a blank page
    boxes = _read_boxes(eng, rgb)
    if not boxes and rgb.shape[0] > 800:
        # the detector can miss everything on a tall, nearly empty page: read it in bands
        for top in range(0, rgb.shape[0], 600):
            band = [b for b in _read_boxes(eng, rgb[top:top + 700]) if top == 0 or b.y0 >= 50]
            for b in band:
                b.y0, b.y1 = b.y0 + top, b.y1 + top
            boxes += [b for b in band if not any(abs(b.y0 - o.y0) < 10 and abs(b.x0 - o.x0) < 10 for o in boxes)]
    gray = rgb.mean(axis=2).astype(np.uint8) if rgb.ndim == 3 else rgb
    grids = find_grids(gray, page_size)
    for b in boxes:
        if any(g.contains(b) for g in grids) and looks_numeric(b.text) and not clean_number(b.text):
            alt = digit_reading(eng, rgb, b)
            if alt is not None and clean_number(alt[0]):
                b.text, b.conf = alt
    return build_page(boxes, grids, width), [b.conf for b in boxes]


# ---------------------------------------------------------------- pages and notes


@dataclass
class OcrResult:
    """OCR'd pages: their text, low-confidence spans and a note for the reviewer."""

    pages: dict[int, PageText] = field(default_factory=dict)  # 0-based page index → text
    confidences: list[float] = field(default_factory=list)

    def note(self, total_pages: int, forced: bool = False) -> str:
        mean = sum(self.confidences) / len(self.confidences) if self.confidences else 0.0
        which = (f"全部 {total_pages} 页" if len(self.pages) == total_pages
                 else "第 " + "、".join(str(i + 1) for i in sorted(self.pages)) + " 页")
        why = "按 --ocr 要求，文字经" if forced else "没有文字层，文字经"
        return (f"{which}{why} OCR 识别（RapidOCR，离线），平均置信度 {mean:.2f}；"
                f"引文为识别结果，置信度低于 {LOW_CONFIDENCE:.2f} 的表格单元格不参与勾稽核算（S012 列出）")


def ocr_pages(images, total: int, label: str = "OCR") -> OcrResult:
    """OCR an iterable of (page index, PIL image); a per-page progress bar on a terminal."""
    import numpy as np

    from ..progress import Progress

    engine()  # fail before rendering anything when the extra is missing
    out = OcrResult()
    with Progress(total, label=label) as bar:
        for index, image in images:
            page, confs = ocr_image(_page_rgb(image))
            out.pages[index] = page
            out.confidences += confs
            bar.advance(1, note=f"第 {index + 1} 页")
    return out


def _page_rgb(image):
    """Any PIL page image → RGB numpy array: transparency on white (a transparent PNG is not a
    black page), 16-bit and float scans scaled to 8 bits, bilevel fax TIFFs as they are."""
    import numpy as np
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("RGB"))
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        arr = np.asarray(image, dtype=np.float64)
        arr = 255.0 * (arr - arr.min()) / max(float(arr.max() - arr.min()), 1.0)
        return np.asarray(Image.fromarray(arr.astype(np.uint8)).convert("RGB"))
    return np.asarray(image.convert("RGB"))


def ocr_pdf(data: bytes, indices: list[int]) -> OcrResult:
    """OCR the given pages of a PDF, rendered at RENDER_DPI with pypdfium2."""
    engine()
    try:
        import pypdfium2 as pdfium
    except ImportError as exc:
        raise OcrUnavailable(f"PDF 扫描页需要 pypdfium2：{INSTALL_HINT}") from exc
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:
        raise InputError(f"无法解析 PDF（cannot parse PDF: {type(exc).__name__}: {exc}）") from exc

    def rendered():
        for i in indices:
            page = pdf[i]
            yield i, page.render(scale=RENDER_DPI / 72).to_pil()
            page.close()

    try:
        return ocr_pages(rendered(), len(indices), label="OCR 识别")
    finally:
        pdf.close()
