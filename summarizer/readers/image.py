"""Scanned pages as image files (PNG, JPEG, TIFF — every frame of a multi-page TIFF is a page).

An image has no text layer, so it is always read through OCR (readers/ocr.py, the optional
`ocr` extra); with --no-ocr or without the extra the file is refused with what to install.
"""

from __future__ import annotations

import io

from ..document import InputError
from .ocr_layout import ReadText


def image_pages(data: bytes):
    """Every frame of a PNG / JPEG / (multi-page) TIFF as (index, PIL image)."""
    from PIL import Image, ImageSequence

    try:
        img = Image.open(io.BytesIO(data))
        frames = [f.copy() for f in ImageSequence.Iterator(img)]
    except Exception as exc:
        raise InputError(f"无法读取图片（cannot read image: {type(exc).__name__}: {exc}）") from exc
    return list(enumerate(frames))



def read_image(data: bytes, ocr: str = "auto") -> ReadText:
    """A PNG / JPEG / TIFF scan (every frame a page) → ReadText through OCR."""
    if ocr == "off":
        raise InputError("图片只能经 OCR 识别，但使用了 --no-ocr（image input needs OCR）")
    from .ocr import engine, ocr_pages

    engine()  # without the extra: the clear message, before any image library is needed
    frames = image_pages(data)
    result = ocr_pages(frames, len(frames), label="OCR 识别")
    out = ReadText(ocr=True)
    for index, _ in frames:
        out.add_page(result.pages[index], first=index == 0)
    out.notes.append(result.note(len(frames)))
    if not any(ln.strip() for ln in out.lines):
        raise InputError("图片中没有识别出文字（no text found in the image）")
    return out
