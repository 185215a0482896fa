""".doc / .wps / .rtf: converted by LibreOffice when `soffice` is on PATH, else named as not
audited with what to do. The conversion tests need LibreOffice and skip, saying so, without it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.audit import audit_path
from summarizer.readers import InputError
from summarizer.readers.legacy import convert_to_docx
from testkit import synth

sys.path.insert(0, str(Path(__file__).parent))
from test_deliverables import run, write_docx  # noqa: E402

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: "
                                   ".doc/.wps/.rtf conversion cannot be tested here")
NO_SOFFICE = {"PATH": os.path.dirname(sys.executable)}


def soffice_convert(src: Path, to: str) -> Path:
    """Make a legacy file from a .docx the way a user's Word would (test setup only)."""
    profile = (src.parent / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", to, "--outdir",
                    str(src.parent), str(src)], check=True, capture_output=True, timeout=180)
    return src.with_suffix("." + to)


@pytest.fixture(scope="module")
def legacy_files(tmp_path_factory):
    pytest.importorskip("docx")
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed: .doc/.wps/.rtf conversion cannot be tested here")
    folder = tmp_path_factory.mktemp("legacy")
    src = folder / "报告.docx"
    write_docx(src, synth.generate(33, fmt="2021", layout="cells").text)
    doc = soffice_convert(src, "doc")
    rtf = soffice_convert(src, "rtf")
    wps = folder / "报告wps.wps"
    wps.write_bytes(doc.read_bytes())  # WPS writes its .wps in the Word binary format
    return src, doc, rtf, wps


@needs_soffice
def test_doc_rtf_wps_are_audited_like_the_docx(legacy_files):
    src, *legacy = legacy_files
    ref, _ = audit_path(src)
    assert not ref.error and ref.facts.cells
    for path in legacy:
        got, _ = audit_path(path)
        assert not got.error, (path.name, got.error)
        assert got.facts.cells == ref.facts.cells, path.name
        assert [f.code for f in got.findings] == [f.code for f in ref.findings]
        assert any("LibreOffice" in n for n in got.input_notes)


@needs_soffice
def test_folder_with_a_doc_is_audited_when_soffice_is_there(legacy_files, tmp_path):
    src, doc, _rtf, _wps = legacy_files
    p = run(["--no-llm", str(doc), "--format", "json"])
    assert p.returncode in (0, 1), p.stderr
    assert json.loads(p.stdout)[0]["source_kind"] == "legacy"


def test_without_soffice_legacy_files_are_named_with_what_to_do(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(synth.generate(34, fmt="2021", layout="cells").text, encoding="utf-8")
    (folder / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    (folder / "c.rtf").write_text("{\\rtf1 x}", encoding="utf-8")
    p = run(["--no-llm", str(folder)], env=NO_SOFFICE)
    assert p.returncode == 2 and "## 发现" in p.stdout  # a.txt still audited
    for name in ("b.doc", "c.rtf"):
        line = next(ln for ln in p.stderr.splitlines() if name in ln)
        assert "另存为 .docx 或 PDF" in line and "LibreOffice" in line
    direct = run(["--no-llm", str(folder / "b.doc")], env=NO_SOFFICE)
    assert direct.returncode == 2 and "b.doc" in direct.stderr and "另存为 .docx 或 PDF" in direct.stderr


def test_convert_without_soffice_raises_a_clear_input_error(monkeypatch):
    monkeypatch.setenv("PATH", NO_SOFFICE["PATH"])
    with pytest.raises(InputError, match="另存为 .docx 或 PDF"):
        convert_to_docx(b"\xd0\xcf\x11\xe0", ".doc")


@needs_soffice
def test_a_corrupt_doc_is_an_unreadable_input_not_a_crash(tmp_path):
    bad = tmp_path / "坏.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2048))
    r, _ = audit_path(bad)
    assert r.error and ("LibreOffice" in r.error or "不是政府信息公开工作年度报告" in r.error or "空" in r.error)
