"""Bad inputs found by fuzzing (issue 13): each ends with a clear message naming the file, the
right exit status, bounded memory and time, and the rest of the batch audited; damaged UTF-8
is read tolerantly and says so (S011)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from summarizer.readers import InputError, read_document
from summarizer.readers.text import decode_report
from testkit import synth

AUDIT = [sys.executable, "-m", "summarizer.cli"]
ROOT = Path(__file__).resolve().parents[1]


# A launcher started fresh (small) runs audit and prints the peak RSS of that child alone (the
# test process is large, and a child forked from it would count its pages).
_PEAK = """
import json, resource, subprocess, sys
p = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=float(__import__('os').environ['T']))
print(json.dumps([p.returncode, p.stdout, p.stderr, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024]))
"""


def run_bounded(args: list[str], timeout: float = 120) -> tuple[subprocess.CompletedProcess, int]:
    """Run audit; (its result, its peak RSS in MB as the kernel accounts it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AUDIT_"))}
    env["T"] = str(timeout)
    launcher = subprocess.run([sys.executable, "-c", _PEAK, *AUDIT, *args], capture_output=True, text=True,
                              env=env, cwd=ROOT, timeout=timeout + 30)
    code, out, err, peak = json.loads(launcher.stdout)
    return subprocess.CompletedProcess(args, code, out, err), peak


@pytest.fixture()
def good(tmp_path: Path) -> Path:
    p = tmp_path / "good.txt"
    p.write_text(synth.generate(21, fmt="2021", layout="cells").text, encoding="utf-8")
    return p


# ---------------------------------------------------------------- devices, FIFOs, links


def test_devices_and_fifos_are_skipped_unread(tmp_path, good):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it for reading would block until a writer came
    for path, kind in ((Path("/dev/zero"), "字符设备"), (fifo, "FIFO")):
        with pytest.raises(InputError, match=f"不是普通文件（.*{kind}.*skipped"):
            read_document(path)
    p, peak = run_bounded([str(good), "/dev/zero", str(fifo), "--no-llm", "-o", str(tmp_path / "out")], timeout=60)
    assert p.returncode == 2
    assert "/dev/zero" in p.stderr and "pipe.txt" in p.stderr and p.stderr.count("不是普通文件") == 2
    assert "Traceback" not in p.stderr and peak < 600
    assert (tmp_path / "out" / "good.txt.md").exists()


def test_symlink_loop_and_dangling_link_say_so(tmp_path):
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "never-there.txt")
    with pytest.raises(InputError, match="符号链接循环.*symlink loop"):
        read_document(loop)
    with pytest.raises(InputError, match="dangling symlink"):
        read_document(dangling)
    with pytest.raises(InputError, match="no such file"):
        read_document(tmp_path / "missing.txt")


# ---------------------------------------------------------------- decompression bombs


def _docx_with_document_xml(xml_size: int) -> bytes:
    """A real .docx (python-docx) whose word/document.xml is padded to xml_size bytes of spaces:
    it compresses about a thousand to one."""
    docx = pytest.importorskip("docx", reason="python-docx not installed")
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("一、总体情况")
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                head, tail = data.rsplit(b"</w:body>", 1)
                data = head + b" " * (xml_size - len(data)) + b"</w:body>" + tail
            z.writestr(info.filename, data)
    return out.getvalue()


def _declare_size(data: bytes, name: bytes, size: int) -> bytes:
    """The zip's headers claim `size` bytes for member `name` (a lying archive)."""
    b = bytearray(data)
    for sig, name_len_at, size_at, name_at in ((b"PK\x01\x02", 28, 24, 46), (b"PK\x03\x04", 26, 22, 30)):
        i = b.find(sig)
        while i != -1:
            n = int.from_bytes(b[i + name_len_at:i + name_len_at + 2], "little")
            if bytes(b[i + name_at:i + name_at + n]) == name:
                b[i + size_at:i + size_at + 4] = size.to_bytes(4, "little")
            i = b.find(sig, i + 4)
    return bytes(b)


def test_docx_inflating_to_300_mb_is_refused_before_inflating(tmp_path, good):
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_docx_with_document_xml(300 * 1024 * 1024))
    assert bomb.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(InputError, match="解压后过大.*decompressed size too large"):
        read_document(bomb)
    p, peak = run_bounded([str(good), str(bomb), "--no-llm", "-o", str(tmp_path / "out")], timeout=120)
    assert p.returncode == 2 and "bomb.docx" in p.stderr and "decompressed" in p.stderr
    assert peak < 600, f"peak {peak} MB"
    assert (tmp_path / "out" / "good.txt.md").exists()


def test_docx_lying_about_its_size_stays_bounded(tmp_path):
    liar = tmp_path / "liar.docx"
    liar.write_bytes(_declare_size(_docx_with_document_xml(300 * 1024 * 1024), b"word/document.xml", 5000))
    p, peak = run_bounded([str(liar), "--no-llm"], timeout=120)
    assert p.returncode == 2 and "liar.docx" in p.stderr and "Traceback" not in p.stderr
    assert peak < 600, f"peak {peak} MB"


# ---------------------------------------------------------------- damaged UTF-8 (S011)


def _report_bytes() -> bytes:
    return synth.generate(22, fmt="2021", layout="cells").text.encode("utf-8")


def test_cut_last_character_is_replaced_and_reported(tmp_path):
    data = _report_bytes().rstrip(b"\n")
    assert data[-3:].decode("utf-8")  # ends with a CJK character: three bytes
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:-1])
    text, enc, repairs = decode_report(path.read_bytes())
    assert enc == "utf-8" and repairs.cut_tail and text.endswith("\ufffd")
    p, _ = run_bounded([str(path), "--no-llm", "--format", "json"])
    assert p.returncode in (0, 1), p.stderr
    out = json.loads(p.stdout)[0]
    s011 = [f for f in out["findings"] if f["code"] == "S011"]
    assert len(s011) == 1 and s011[0]["severity"] == "info"
    assert s011[0]["line"] == len(data.split(b"\n")) and "截断" in s011[0]["message"]
    assert out["input_notes"] and "截断" in out["input_notes"][0]


def test_stray_nuls_are_dropped_and_reported_at_their_line(tmp_path):
    lines = _report_bytes().split(b"\n")
    first = next(n for n in range(9, len(lines)) if len(lines[n]) > 6)
    lines[first] = lines[first][:3] + b"\x00\x00" + lines[first][3:]  # after one CJK character
    lines[first + 20] += b"\x00"
    path = tmp_path / "nul.txt"
    path.write_bytes(b"\n".join(lines))
    reference = tmp_path / "clean.txt"
    reference.write_bytes(b"\n".join(ln.replace(b"\x00", b"") for ln in lines))
    p, _ = run_bounded([str(path), str(reference), "--no-llm", "--format", "json"])
    assert p.returncode in (0, 1), p.stderr
    damaged, clean = json.loads(p.stdout)
    s011 = [f for f in damaged["findings"] if f["code"] == "S011"]
    assert len(s011) == 1 and s011[0]["line"] == first + 1 and "3 个空字节" in s011[0]["message"]
    assert damaged["facts"]["cells"] == clean["facts"]["cells"]
    assert not [f for f in clean["findings"] if f["code"] == "S011"]


def test_nul_in_html_is_reported_without_a_source_line(tmp_path):
    body = synth.generate(23, fmt="2021", layout="cells").text
    html = "<html><body>" + "".join(f"<p>{ln}</p>\n" for ln in body.splitlines()) + "</body></html>"
    data = html.encode("utf-8")
    path = tmp_path / "r.html"
    path.write_bytes(data[:200] + b"\x00" + data[200:])
    doc = read_document(path)
    assert doc.notes and "第一个在" not in doc.notes[0]


def test_many_nuls_are_still_binary(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(b"report line\x00" * 100 + b"x")  # 8% NULs: not a few stray ones
    with pytest.raises(InputError, match="二进制"):
        read_document(path)
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes(synth.generate(24, fmt="2021", layout="cells").text.encode("utf-16-le"))
    assert read_document(utf16).encoding == "utf-16-le" and not read_document(utf16).notes
