"""Output names and output folders under faults: long names, collisions, `-o` onto a file, a
device, a read-only or full file system, `-o` inside the input folder, FIFOs and symlink loops.
Each ends with a one-line message, the documented exit status, no traceback, nothing else lost."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.outputs import MAX_NAME_BYTES, OVERVIEW_FILES, derive_names
from testkit import synth

sys.path.insert(0, str(Path(__file__).parent))
from test_deliverables import AUDIT, ROOT, n001_report, run  # noqa: E402

POSIX_ONLY = pytest.mark.skipif(os.name != "posix", reason="needs POSIX process limits, umask, FIFOs and symlinks")


def clean_report(seed: int) -> str:
    return synth.generate(seed, fmt="2021", layout="cells").text


def assert_one_line_failure(p: subprocess.CompletedProcess, *words: str) -> None:
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr and "Error:" not in p.stderr
    line = next(ln for ln in p.stderr.splitlines() if all(w in ln for w in words))
    assert line.startswith("audit: ")


# ---------------------------------------------------------------- names


def test_long_input_names_are_shortened_and_no_report_is_lost(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    long_names = ["报" * 80 + f"{i}.txt" for i in range(3)] + ["x" * 250 + ".txt"]  # 241–254 bytes
    names = long_names + [f"r{i}.txt" for i in range(10)]
    for n, name in enumerate(names):
        (folder / name).write_text(clean_report(60 + n), encoding="utf-8")
    out = tmp_path / "out"
    p = run(["--no-llm", str(folder), "-o", str(out)])
    assert p.returncode in (0, 1), p.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert len(results) == 14 and not any(r.get("error") for r in results)
    written = [f for f in out.iterdir() if f.suffix == ".md" and f.name != "index.md"]
    assert len(written) == 14
    assert all(len(f.name.encode()) <= MAX_NAME_BYTES for f in written)
    index = (out / "index.md").read_text(encoding="utf-8")
    assert all(name in index for name in long_names)  # the index names the input as it is


def test_colliding_names_get_distinct_outputs_and_overview_names_are_reserved(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    files = {a / "a.txt.2": 70, b / "a.txt": 71, a / "a.txt": 72, a / "index": 73, a / "INDEX.MD": 74,
             b / "results": 75, b / "overview": 76}
    for path, seed in files.items():
        path.write_text(clean_report(seed), encoding="utf-8")
    out = tmp_path / "out"
    p = run(["--no-llm", *map(str, files), "-o", str(out)])
    assert p.returncode in (0, 1), p.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [r["file"] for r in results] == list(map(str, files))
    reports = [f for f in out.iterdir() if f.is_file() and f.name not in OVERVIEW_FILES]
    assert len(reports) == len(files)
    assert len({f.name.casefold() for f in reports}) == len(files)  # distinct even on Windows / macOS
    assert (out / "index.md").read_text(encoding="utf-8").startswith("# 批量审查总览")
    agencies = {f.read_text(encoding="utf-8").split("\n", 1)[0] for f in reports}
    assert len(agencies) == len(files)  # each file holds its own report, none overwritten


def test_derived_names_are_unique_by_construction():
    rels = ["a.txt", "A.TXT", "a.txt", "x", "x.md/y.txt", "index", "index.md/z.txt", ".audit-state/q.txt",
            "部门A/年报.txt", "部门a/年报.txt"]
    names = derive_names(rels, "md", keys=[f"/in/{i}" for i in range(len(rels))])
    folded = [n.casefold() for n in names]
    assert len(set(folded)) == len(names)
    assert names[0] == "a.txt.md" and names[8] == "部门A/年报.txt.md"
    assert "index.md" not in folded and not any(n.startswith(".audit-state/") for n in names)
    folders = {n.rsplit("/", 1)[0].casefold() for n in names if "/" in n}
    assert not folders & set(folded)  # no file where another output needs a folder
    assert names == derive_names(rels, "md", keys=[f"/in/{i}" for i in range(len(rels))])  # stable on re-runs


# ---------------------------------------------------------------- output folder faults


@pytest.fixture()
def reports(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(n001_report(80), encoding="utf-8")
    (folder / "b.txt").write_text(clean_report(81), encoding="utf-8")
    return folder


def test_output_onto_a_file_or_a_device_exits_2_with_one_line(reports, tmp_path):
    target = tmp_path / "taken.md"
    target.write_text("keep me", encoding="utf-8")
    assert_one_line_failure(run(["--no-llm", str(reports), "-o", str(target)]), str(target), "不是文件夹")
    assert target.read_text(encoding="utf-8") == "keep me"
    assert_one_line_failure(run(["--no-llm", str(reports), "-o", "/dev/null"]), "/dev/null")
    assert_one_line_failure(run(["--no-llm", str(reports), "-o", str(target / "sub")]), "不是文件夹")


@POSIX_ONLY
def test_read_only_folder_exits_2(reports, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root: permissions do not stop root from writing")
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert_one_line_failure(run(["--no-llm", str(reports), "-o", str(out)]), "没有写入权限")
    finally:
        out.chmod(0o755)


def _limit_file_size() -> None:
    # a "full disk" for this process only: writes past 6 kB fail with EFBIG (Python ignores SIGXFSZ)
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (6000, 6000))


@POSIX_ONLY
def test_full_disk_exits_2_and_keeps_what_was_written(reports, tmp_path):
    out = tmp_path / "out"
    first = run(["--no-llm", str(reports), "-o", str(out)])
    assert first.returncode == 1
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AUDIT_"))}
    env["PYTHONPATH"] = str(ROOT)
    p = subprocess.run(AUDIT + ["--no-llm", str(reports), "-o", str(out), "--fresh"], capture_output=True, text=True,
                       env=env, preexec_fn=_limit_file_size, timeout=300)
    assert_one_line_failure(p, "无法写入", "文件超出允许的大小")
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert set(after) == set(before)
    for name in after:
        if name == "overview.xlsx":  # its zip records the write time: whole if it opens
            pytest.importorskip("openpyxl").load_workbook(out / name)
        else:
            assert after[name] == before[name], name  # the old file or an identical complete new one
    assert not [f for f in out.rglob("*.tmp")]


def test_output_folder_inside_the_input_folder_is_never_audited(reports):
    out = reports / "审查结果"
    first = run(["--no-llm", str(reports), "-o", str(out)])
    second = run(["--no-llm", str(reports), "-o", str(out)])
    assert first.returncode == second.returncode == 1, second.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert sorted(Path(r["file"]).name for r in results) == ["a.txt", "b.txt"]
    # an earlier output folder under another name is recognised by its saved state
    other = run(["--no-llm", str(reports), "-o", str(reports.parent / "elsewhere")])
    assert other.returncode == 1 and "审查结果" in other.stderr and "未作为输入审查" in other.stderr
    same = run(["--no-llm", str(reports), "-o", str(reports)])
    assert_one_line_failure(same, "就是输入文件夹")


@POSIX_ONLY
def test_outputs_respect_the_umask(reports, tmp_path):
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AUDIT_"))}
    env["PYTHONPATH"] = str(ROOT)
    subprocess.run(AUDIT + ["--no-llm", str(reports), "-o", str(out)], env=env, capture_output=True, timeout=300,
                   preexec_fn=lambda: os.umask(0o027))
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir() if p.is_file()}
    assert modes and set(modes.values()) == {0o640}, modes


# ---------------------------------------------------------------- inputs that are not regular files


@POSIX_ONLY
def test_fifo_and_symlink_loop_are_named_not_read(reports, tmp_path):
    os.mkfifo(reports / "pipe.txt")
    (reports / "loop.txt").symlink_to(reports / "loop.txt")
    p = run(["--no-llm", str(reports)], )
    assert p.returncode == 2
    assert "pipe.txt" in p.stderr and "不是普通文件" in p.stderr
    assert "loop.txt" in p.stderr and "符号链接循环" in p.stderr
    direct = run(["--no-llm", str(reports / "pipe.txt"), str(reports / "loop.txt"), str(reports / "b.txt")])
    assert direct.returncode == 2 and "## 发现" in direct.stdout  # b.txt still audited
