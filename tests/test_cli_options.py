"""Command-line options that make the tool predictable: --version, -h, --format (any case),
--select/--ignore that match nothing, --explain with a prefix, --min-severity, --exit-zero, the
configuration file, and the lazy imports of `audit --no-llm`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from summarizer import __version__
from testkit import synth

sys.path.insert(0, str(Path(__file__).parent))
from test_deliverables import n001_report, run  # noqa: E402


@pytest.fixture()
def report(tmp_path) -> Path:
    """A report with an N001 error and, from the tabs layout, usually some warnings."""
    p = tmp_path / "r.txt"
    p.write_text(n001_report(90), encoding="utf-8")
    return p


def codes(p) -> set[str]:
    return {f["code"] for r in json.loads(p.stdout) for f in r["findings"]}


def test_version_and_short_help():
    v = run(["--version"])
    assert v.returncode == 0 and v.stdout.strip() == f"audit {__version__}"
    h = run(["-h"])
    assert h.returncode == 0 and "--min-severity" in h.stdout and "--statistics" in h.stdout


def test_format_is_case_insensitive_and_its_error_is_chinese(report):
    upper = run(["--no-llm", str(report), "--format", "JSON"])
    assert upper.returncode == 1 and json.loads(upper.stdout)[0]["file"] == str(report)
    bad = run(["--no-llm", str(report), "--format", "xml"])
    assert bad.returncode == 2 and "不支持的输出格式 xml" in bad.stderr and "Traceback" not in bad.stderr
    for fmt in ("docx", "HTML"):
        needs = run(["--no-llm", str(report), "--format", fmt])
        assert needs.returncode == 2 and "需要 -o" in needs.stderr


def test_select_or_ignore_matching_no_check_is_a_usage_error(report):
    p = run(["--no-llm", str(report), "--select", "A,ZZ9"])
    assert p.returncode == 2 and "ZZ9" in p.stderr and "--explain all" in p.stderr
    p = run(["--no-llm", str(report), "--ignore", "Q9"])
    assert p.returncode == 2 and "Q9" in p.stderr
    ok = run(["--no-llm", str(report), "--select", "n", "--format", "json"])
    assert ok.returncode == 1 and codes(ok) and all(c.startswith("N") for c in codes(ok))


def test_explain_a_prefix_lists_its_codes_and_an_unknown_code_points_to_all():
    from summarizer.checks import catalogue

    p = run(["--explain", "P"])
    listed = [ln.split()[0] for ln in p.stdout.splitlines()]
    assert p.returncode == 0 and listed == sorted(c for c in catalogue() if c.startswith("P"))
    assert run(["--explain", "p001"]).stdout.startswith("P001")
    unknown = run(["--explain", "Z999"])
    assert unknown.returncode == 2 and "audit --explain all" in unknown.stderr


def test_min_severity_hides_below_it_everywhere(tmp_path):
    r = synth.generate(5, fmt="2021", layout="cells", defect="blank_cell")  # an S006 warning
    lines = r.text.split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("一、")) + 1
    lines.insert(at, f"本年度共收到政府信息公开申请{(r.cells['applications.new.total'] or 0) + 5}件。")  # N001 error
    path = tmp_path / "w.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    full = json.loads(run(["--no-llm", str(path), "--format", "json"]).stdout)[0]["findings"]
    assert {f["severity"] for f in full} >= {"error", "warning"}
    p = run(["--no-llm", str(path), "--format", "json", "--min-severity", "ERROR", "--statistics"])
    shown = json.loads(p.stdout)[0]["findings"]
    assert p.returncode == 1 and shown and {f["severity"] for f in shown} == {"error"}
    assert "S006" not in p.stderr and "N001" in p.stderr  # the statistics count what is shown
    md = run(["--no-llm", str(path), "--min-severity", "error"])
    assert "错误（error）" in md.stdout and "警告（warning）" not in md.stdout
    warn_only = tmp_path / "warn.txt"
    warn_only.write_text(r.text, encoding="utf-8")
    assert run(["--no-llm", str(warn_only), "--min-severity", "error", "--format", "json"]).returncode == 0
    bad = run(["--no-llm", str(path), "--min-severity", "fatal"])
    assert bad.returncode == 2 and "--min-severity" in bad.stderr


def test_exit_zero(report):
    assert run(["--no-llm", str(report)]).returncode == 1
    assert run(["--no-llm", str(report), "--exit-zero"]).returncode == 0
    assert run(["--no-llm", str(report), "--exit-zero", "--select", "ZZ"]).returncode == 2  # usage errors stay 2


def test_config_file_options_and_command_line_overrides(report, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.audit]\nselect = ["N"]\nformat = "JSON"\n',
                                         encoding="utf-8")
    p = run(["--no-llm", str(report)], cwd=work)
    assert p.returncode == 1 and codes(p) == {"N001"}  # select and format from [tool.audit]
    p = run(["--no-llm", str(report), "--format", "md", "--select", "N001,S"], cwd=work)
    assert p.stdout.startswith("# 年报审查")  # the command line wins
    (work / "audit.toml").write_text('ignore = "N"\nexit-zero = true\n', encoding="utf-8")
    p = run(["--no-llm", str(report), "--format", "json"], cwd=work)
    assert p.returncode == 0 and "N001" not in codes(p)  # audit.toml is used before pyproject.toml
    (work / "audit.toml").write_text('selct = ["A"]\n', encoding="utf-8")
    bad = run(["--no-llm", str(report)], cwd=work)
    assert bad.returncode == 2 and "selct" in bad.stderr and "audit.toml" in bad.stderr
    (work / "audit.toml").write_text('select = [\n', encoding="utf-8")
    broken = run(["--no-llm", str(report)], cwd=work)
    assert broken.returncode == 2 and "不是有效的 TOML" in broken.stderr and "Traceback" not in broken.stderr


def test_no_llm_run_imports_no_heavy_library(report):
    code = (
        "import sys\n"
        "from summarizer.cli import app\n"
        f"try:\n    app(['--no-llm', {str(report)!r}, '--statistics'], standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        "heavy = {'openai', 'jinja2', 'tenacity', 'rich', 'openpyxl', 'pdfplumber', 'docx', 'multiprocessing'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy), file=sys.stderr)\n"
    )
    import subprocess

    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.stderr.strip().splitlines()[-1] == "[]", p.stderr


def test_pyproject_without_tool_audit_is_not_parsed_and_dotted_keys_are_read(report, tmp_path):
    """A project's pyproject.toml in the working folder that does not configure the tool costs no
    TOML parse — even a broken one does not stop the audit; every way TOML can open [tool.audit]
    is still read."""
    from summarizer.config import load_config

    work = tmp_path / "proj"
    work.mkdir()
    (work / "pyproject.toml").write_text('[project]\nname = "x"\n[project.scripts]\naudit = "x:y"\n[tool.ruff]\nz = [\n',
                                         encoding="utf-8")
    assert load_config(work).values == {}
    assert run(["--no-llm", str(report), "--format", "json"], cwd=work).returncode == 1
    for text in ('tool.audit.select = ["N"]\n', '[tool]\naudit = { select = ["N"] }\n', '[ tool . "audit" ]\nselect = ["N"]\n'):
        (work / "pyproject.toml").write_text(text, encoding="utf-8")
        assert load_config(work).get("select") == ["N"], text
