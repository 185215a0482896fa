"""The command line as a reviewer uses it: outputs, exit status, bad input in a batch, encodings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from testkit import synth
from summarizer.audit import audit_text
from summarizer.readers import InputError, decode_bytes, read_document

AUDIT = [sys.executable, "-m", "summarizer.cli"]


def run(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AUDIT_"))}
    return subprocess.run(AUDIT + args, capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


@pytest.fixture()
def reports(tmp_path: Path) -> dict[str, Path]:
    clean = synth.generate(7, fmt="2021", layout="cells")
    bad = synth.generate(8, fmt="2021", layout="tabs", defect=next(d for d, c in synth.DEFECTS.items() if c == "A004"))
    files = {
        "clean": tmp_path / "clean.txt",
        "bad": tmp_path / "a004.txt",
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "blob.txt",
        "notreport": tmp_path / "recipe.txt",
        "gbk": tmp_path / "gbk.txt",
        "utf16": tmp_path / "utf16.txt",
    }
    files["clean"].write_text(clean.text, encoding="utf-8")
    files["bad"].write_text(bad.text, encoding="utf-8")
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(bytes(range(256)) * 20)
    files["notreport"].write_text("番茄炒蛋\n先炒蛋，再炒番茄。\n加盐出锅。\n", encoding="utf-8")
    files["gbk"].write_bytes(clean.text.encode("gb18030"))
    files["utf16"].write_bytes(clean.text.encode("utf-16"))
    return files


def test_clean_report_exits_0_and_prints_markdown(reports):
    p = run([str(reports["clean"]), "--no-llm"])
    assert p.returncode == 0, p.stderr
    assert "## 发现" in p.stdout and "抽取的统计表" in p.stdout
    assert "大模型部分未运行" in p.stdout or "LLM 未运行" in p.stdout


def test_error_finding_exits_1_json_has_evidence(reports):
    p = run([str(reports["bad"]), "--no-llm", "--format", "json"])
    assert p.returncode == 1, p.stderr
    data = json.loads(p.stdout)
    a004 = [f for f in data[0]["findings"] if f["code"] == "A004"]
    assert a004 and a004[0]["line"] and a004[0]["quote"]
    assert data[0]["facts"]["cells"]["litigation.review.total"] is not None
    assert data[0]["summary"] is None


def test_bad_inputs_named_and_batch_continues(reports, tmp_path):
    out = tmp_path / "out"
    args = [str(reports[k]) for k in ("clean", "empty", "binary", "notreport", "bad")] + [str(tmp_path / "missing.txt")]
    p = run(args + ["--no-llm", "-o", str(out)])
    assert p.returncode == 2
    for name in ("empty.txt", "blob.txt", "recipe.txt", "missing.txt"):
        assert name in p.stderr
    assert "文件为空" in p.stderr and "二进制" in p.stderr and "不是政府信息公开工作年度报告" in p.stderr
    assert (out / "clean.txt.md").exists() and (out / "a004.txt.md").exists()
    assert (out / "index.md").read_text(encoding="utf-8").count("|") > 10


def test_a_list_of_reports_is_not_a_report(tmp_path):
    """A table listing reports (file, path, agency, year…) carries report titles inside paths and
    cells; none of them is the title of a report in this file, so it is refused, not audited."""
    rows = ["file\tsource\tpath\tagency\tyear\tnotes"]
    for y in (2021, 2022, 2023):
        rows.append(f"{y}_a.txt\tarchive\tsite/gk/{y}/1_某某县人民政府{y}年度政府信息公开工作年度报告/page.txt"
                    f"\t某某县人民政府\t{y}\t网页正文，表格单元格连在一起；第二十条第（九）项")
    path = tmp_path / "list.tsv"
    path.write_text("\n".join(rows), encoding="utf-8")
    p = run([str(path), "--no-llm"])
    assert p.returncode == 2 and "list.tsv" in p.stderr and "不是政府信息公开工作年度报告" in p.stderr


def test_encodings_are_detected(reports):
    ref = audit_text(reports["clean"].read_text(encoding="utf-8"))
    for key in ("gbk", "utf16"):
        doc = read_document(reports[key])
        assert doc.encoding in ("gb18030", "utf-16")
        p = run([str(reports[key]), "--no-llm", "--format", "json"])
        assert p.returncode == 0, p.stderr
        assert json.loads(p.stdout)[0]["facts"]["cells"] == ref.facts.cells


def test_decode_rejects_empty_and_binary():
    with pytest.raises(InputError):
        decode_bytes(b"   \n")
    with pytest.raises(InputError):
        decode_bytes(bytes(range(256)) * 10)
    assert decode_bytes("\ufeff一、总体情况".encode("utf-8"))[1] == "utf-8-sig"


def test_select_ignore_and_explain(reports):
    p = run([str(reports["bad"]), "--no-llm", "--format", "json", "--ignore", "A"])
    assert p.returncode == 0
    assert not [f for f in json.loads(p.stdout)[0]["findings"] if f["code"].startswith("A")]
    p = run([str(reports["bad"]), "--no-llm", "--format", "json", "--select", "A004"])
    assert {f["code"] for f in json.loads(p.stdout)[0]["findings"]} == {"A004"}
    p = run(["--explain", "P001"])
    assert p.returncode == 0 and "统计期限" in p.stdout
    assert run(["--explain", "Z999"]).returncode == 2
    assert run([]).returncode == 2


def test_csv_and_jsonl(reports):
    p = run([str(reports["clean"]), str(reports["bad"]), "--no-llm", "--format", "csv"])
    lines = p.stdout.strip().splitlines()
    assert lines[0].startswith("file,agency,year") and len(lines) == 3
    p = run([str(reports["clean"]), str(reports["bad"]), "--no-llm", "--format", "jsonl"])
    assert [json.loads(x)["file"] for x in p.stdout.strip().splitlines()] == [str(reports["clean"]), str(reports["bad"])]


def test_folder_input(reports, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "x.txt").write_text(reports["clean"].read_text(encoding="utf-8"), encoding="utf-8")
    p = run([str(folder), "--no-llm", "--format", "json"])
    assert p.returncode == 0 and len(json.loads(p.stdout)) == 1


def test_fullwidth_and_bookmark_normalised():
    text = synth.generate(3, fmt="2019", layout="cells").text
    doc_text = text.replace("0\n", "０\n", 3)
    first_section = doc_text.index("一、")
    doc_text = doc_text[:first_section] + "[bookmark: _GoBack]" + doc_text[first_section:]
    assert audit_text(doc_text).facts.cells == audit_text(text).facts.cells


def test_huge_file_refused_with_message(tmp_path):
    from summarizer.readers import MAX_BYTES

    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: no real disk use
    with pytest.raises(InputError, match="文件过大"):
        read_document(big)
    p = run([str(big), "--no-llm"])
    assert p.returncode == 2 and "huge.txt" in p.stderr and "文件过大" in p.stderr


def test_truncated_table_reports_missing_rows_not_shifted_values():
    r = synth.generate(5, fmt="2021", layout="tabs")
    lines = r.text.split("\n")
    cut = [i for i, ln in enumerate(lines) if "属于国家秘密" in ln or "其他法律行政法规禁止公开" in ln]
    text = "\n".join(ln for i, ln in enumerate(lines) if i not in cut)
    res = audit_text(text)
    s005 = [f for f in res.findings if f.code == "S005"]
    assert s005 and "属于国家秘密" in s005[0].message
    assert "applications.withheld_1.total" not in res.facts.cells
    for key in ("applications.withheld_3.total", "applications.total.total"):
        assert res.facts.cells[key] == r.cells[key]


def test_n008_outcome_counts_against_table():
    r = synth.generate(31, fmt="2021", layout="cells")
    granted = r.cells["applications.granted.total"]
    lines = r.text.split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("一、总体情况")) + 1
    right = lines[:at] + [f"全年申请中予以公开{granted}件。"] + lines[at:]
    wrong = lines[:at] + [f"全年申请中予以公开{granted + 3}件。"] + lines[at:]
    assert "N008" not in {f.code for f in audit_text("\n".join(right)).findings}
    found = [f for f in audit_text("\n".join(wrong)).findings if f.code == "N008"]
    assert found and f"予以公开{granted + 3}件" in found[0].quote and "相差3" in found[0].message


def test_catalogue_and_registry_agree():
    """Every rule code is documented and implemented; every LLM code is documented."""
    from summarizer.checks import REGISTRY, catalogue, explain, run_checks  # noqa: F401

    import summarizer.checks.arithmetic  # noqa: F401  (registers)
    import summarizer.checks.narrative  # noqa: F401
    import summarizer.checks.ocr_cells  # noqa: F401
    import summarizer.checks.period  # noqa: F401
    import summarizer.checks.structure  # noqa: F401

    registered = {c for codes, _ in REGISTRY for c in codes}
    rule_codes = {c for c, e in catalogue().items() if e["method"] == "rule" and not c.startswith("X")}
    assert rule_codes <= registered, rule_codes - registered
    assert registered <= set(catalogue()), registered - set(catalogue())
    for code in catalogue():
        assert explain(code).startswith(code)
    assert explain("all").count("\n") == len(catalogue())


def test_big5_report_is_decoded_not_mistaken_for_gbk(tmp_path):
    text = "臺北市某局2021年政府信息公開工作年度報告\n一、總體情況\n本年度收到政府信息公開申請3件。\n"
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    doc = read_document(path)
    assert "政府信息公開" in "".join(ln.text for ln in doc.lines)
