"""The README is for reviewers: the two commands first, every link inside the repository."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = text.split("```")[1]
    commands = [ln.split("#")[0].strip() for ln in first_block.splitlines()[1:] if ln.strip()]
    assert commands == ["make demo", "make test"]
    for heading in ("## 审查一个文件", "## 审查一个文件夹", "## 导出 Word 和 Excel", "## 在 Windows 上使用"):
        assert heading in text
    assert "python -m venv" in text or "-m venv" in text


def test_reviewer_docs_link_only_inside_the_repository():
    for doc in (ROOT / "README.md", ROOT / "docs" / "DEVELOPMENT.md", ROOT / "docs" / "OUTPUTS.md"):
        text = doc.read_text(encoding="utf-8")
        for target in LINK.findall(text):
            assert "://" not in target and not target.startswith(("mailto:", "/")), (doc.name, target)
            resolved = (doc.parent / target.split("#")[0]).resolve()
            assert resolved.is_relative_to(ROOT) and resolved.exists(), (doc.name, target)
    assert "http" not in (ROOT / "README.md").read_text(encoding="utf-8")
