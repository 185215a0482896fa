"""Writing a batch's files: one function per output, every file written atomically.

Why a module of its own: the batch runner (batch.py) decides *when* a result is ready; this
module decides *what* is written *where*. `write_report` writes one report's file (it may run in
a worker process: the plan is a small picklable object) and `write_overviews` writes the batch
files (index.md, index.html, overview.csv / .xlsx / .docx, results.json) once every report is
done, so their links never point at nothing.

Output names are derived from the inputs' names relative to the folder given (`部门A/年报.txt`
→ `部门A/年报.txt.md`) and are unique by construction: the batch files' names are reserved,
names equal up to case (Windows and macOS file systems) get a suffix, and a name too long for
the file system is shortened with a hash of the input path. Any failure to write raises
OutputError with a one-line message; what was already written stays intact.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import NamedTuple

from .models import AuditResult

# per-report file extension by output format
EXTENSIONS = {"md": "md", "html": "html", "docx": "docx", "json": "json", "jsonl": "json", "csv": "csv"}
STATE_DIR = ".audit-state"
OVERVIEW_FILES = ("index.md", "index.html", "overview.csv", "overview.xlsx", "overview.docx", "results.json")
RESERVED = {n.casefold() for n in OVERVIEW_FILES} | {STATE_DIR}
# A file name may have 255 bytes on common file systems; the temporary name adds a dot, a
# random part and ".tmp". Longer derived names are cut and given a hash suffix.
MAX_NAME_BYTES = 200


class OutputError(Exception):
    """An output could not be written; the message is one line in Chinese naming the path."""


_ERRNO_ZH = {"ENOSPC": "磁盘已满", "EDQUOT": "超出磁盘配额", "EFBIG": "文件超出允许的大小", "EROFS": "只读文件系统",
             "EACCES": "没有写入权限", "EPERM": "没有写入权限", "ENOTDIR": "路径中有一段不是文件夹",
             "EISDIR": "同名的文件夹已存在", "ENOENT": "路径不存在", "ENAMETOOLONG": "文件名过长", "EIO": "输入输出错误"}


def _os_message(exc: OSError) -> str:
    """The reason in Chinese, with the system's own words after it for a search."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    zh = _ERRNO_ZH.get(name)
    sys_text = exc.strerror or type(exc).__name__
    return f"{zh}（{sys_text}）" if zh else sys_text


# ---------------------------------------------------------------- names


def _short(name: str, key: str, limit: int = MAX_NAME_BYTES) -> str:
    """`name` if it fits in `limit` bytes, else its start cut on a character boundary + "~hash"."""
    if len(name.encode("utf-8")) <= limit:
        return name
    tag = "~" + hashlib.sha1(key.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    budget = limit - len(tag.encode())
    cut = name.encode("utf-8")[:budget].decode("utf-8", "ignore")
    return cut + tag


def derive_names(rels: list[str], fmt: str = "md", keys: list[str] | None = None) -> list[str]:
    """One output path (relative, '/'-separated) per input, unique by construction.

    rels: the inputs' names relative to the folder given (or their bare names); keys: what makes
    inputs distinct (their paths) for the hash suffixes. Rules, in order: every component is cut
    to MAX_NAME_BYTES with a hash suffix; a top folder named like a batch file is suffixed; the
    format's extension is appended (`a.txt` → `a.txt.md`, so `a.txt` and `a.pdf` never meet);
    a name equal (up to case) to a reserved name, a folder used by another output, or an earlier
    output gets "~" and a hash of its input.
    """
    ext = EXTENSIONS.get(fmt, "md")
    keys = keys or rels
    split = []
    for rel, key in zip(rels, keys):
        parts = [p for p in rel.replace("\\", "/").split("/") if p not in ("", ".", "..")] if "/" in rel else [rel]
        parts = [_short(p, key + "/" + p) for p in parts] or ["report"]
        if len(parts) > 1 and parts[0].casefold() in RESERVED:
            parts[0] = parts[0] + "~dir"
        split.append(parts)
    folders = {"/".join(p[:i]).casefold() for p in split for i in range(1, len(p))}
    taken: set[str] = set()
    names = []
    for parts, key in zip(split, keys):
        stem = parts[-1]
        base = "/".join(parts[:-1] + [_short(stem, key, MAX_NAME_BYTES - len(ext) - 1)])
        name = f"{base}.{ext}"
        n = 0
        while name.casefold() in taken or name.casefold() in RESERVED or name.casefold() in folders:
            n += 1
            digest = hashlib.sha1(f"{key}\0{n}".encode("utf-8", "surrogateescape")).hexdigest()[:8]
            short_stem = _short(stem, key, MAX_NAME_BYTES - len(ext) - 10)
            name = "/".join(parts[:-1] + [f"{short_stem}~{digest}.{ext}"])
        taken.add(name.casefold())
        names.append(name)
    return names


def output_names(paths: list[str], fmt: str = "md") -> list[str]:
    """Names for inputs given by path alone (their bare file names)."""
    return derive_names([Path(p).name or p for p in paths], fmt, keys=list(paths))


class OutputPlan(NamedTuple):
    """What a batch writes: the folder, the per-report format, one output name per input, the
    severity shown, and the files that were not audited (listed in the overviews). Made by create()."""

    out_dir: Path
    names: list[str]  # per input, relative to out_dir, with extension
    rels: list[str]  # per input: its name as the reviewer knows it
    skipped: list  # pipeline.Skipped
    fmt: str = "md"
    min_severity: str = "info"

    @classmethod
    def create(cls, out_dir: Path, paths: list[str], fmt: str = "md", rels: list[str] | None = None,
               min_severity: str = "info", skipped: list | None = None) -> "OutputPlan":
        rels = rels or [Path(p).name or p for p in paths]
        return cls(out_dir=Path(out_dir), names=derive_names(rels, fmt, keys=list(paths)), fmt=fmt,
                   min_severity=min_severity, rels=list(rels), skipped=list(skipped or []))

    def label(self, index: int) -> str:
        """How the reports are named in the overviews: the input's relative name."""
        return self.rels[index] if index < len(self.rels) else self.names[index].rsplit(".", 1)[0]


# ---------------------------------------------------------------- writing


def prepare_out_dir(out_dir: Path) -> None:
    """Create the output folder and prove it takes a file, before any audit runs.
    Raises OutputError: `-o` onto a file (or /dev/null), an unwritable or read-only folder."""
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputError(f"输出位置 {out} 已存在且不是文件夹：-o 需要一个文件夹（可以尚不存在）")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".audit-probe.{secrets.token_hex(4)}.tmp"
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"无法写入输出文件夹 {out}：{_os_message(exc)}") from exc


def _open_temp(path: Path) -> tuple[int, Path]:
    """A new temporary file beside `path`, created with mode 0666 so the umask decides the
    permissions (mkstemp would make it 0600 and the rename would keep that)."""
    prefix = _short(path.name, path.name, 100)
    for _ in range(100):
        tmp = path.parent / f".{prefix}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(str(path))


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file,
    and a failed write leaves the previous file as it was. Raises OutputError."""
    write_stream(path, lambda fh: fh.write(data.encode("utf-8") if isinstance(data, str) else data))


def write_stream(path: Path, produce) -> None:
    """Like write_atomic, with `produce(binary_file)` writing the content piece by piece."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _open_temp(path)
        with os.fdopen(fd, "wb") as fh:
            produce(fh)
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise OutputError(f"无法写入 {path}：{_os_message(exc)}") from exc
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: Path | None) -> None:
    if tmp is not None:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def write_json_array(path: Path, results: list[AuditResult]) -> None:
    """results.json for results in memory (the layout of write_results_json)."""
    write_results_json(path, (json.dumps(r.to_public(), ensure_ascii=False, separators=(",", ":"))
                              for r in results))


def write_results_json(path: Path, texts) -> None:
    """results.json: a JSON array with one report per line, streamed from each report's JSON text
    (compact: encoded by json's C encoder, which it uses only without indent; a batch's workers
    encode them, so 10,000 reports never become one string), then renamed into place."""

    def produce(fh) -> None:
        first = True
        for text in texts:
            fh.write((("[\n" if first else ",\n") + text).encode("utf-8"))
            first = False
        fh.write(b"[]\n" if first else b"\n]\n")

    write_stream(path, produce)


def report_bytes(plan: OutputPlan, index: int, result: AuditResult, doc=None) -> bytes:
    """The content of one report's file in the plan's format."""
    from .render.common import at_least

    shown = at_least(result, plan.min_severity)
    fmt = plan.fmt
    if fmt == "html":
        from .render.html import render_html

        return render_html(shown, _report_lines(result, doc)).encode("utf-8")
    if fmt == "docx":
        from .render.docx import render_docx

        return render_docx(shown)
    if fmt in ("json", "jsonl"):
        return (json.dumps(shown.to_public(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "csv":
        from .render.machine import findings_csv

        return findings_csv([shown], [plan.label(index)]).encode("utf-8-sig")
    from .render.markdown import render_markdown

    return render_markdown(shown).encode("utf-8")


def _report_lines(result: AuditResult, doc) -> list | None:
    """The report's own lines for the HTML view: from the document when the caller still has it,
    else read again (results reused from saved state carry no text)."""
    if result.error:
        return None
    if doc is None:
        from .readers import InputError, read_document

        try:
            doc = read_document(result.file)
        except (InputError, OSError):
            return None
        except Exception:  # a reader bug must not cost the batch its outputs: the page says "不可用"
            return None
    return doc.lines


def write_report(plan: OutputPlan, index: int, result: AuditResult, doc=None) -> Path:
    """One report's file (plan.names[index]) in the plan's format; returns its path."""
    path = plan.out_dir / plan.names[index]
    write_atomic(path, report_bytes(plan, index, result, doc))
    return path


def write_overviews(plan: OutputPlan, results: list[AuditResult], pairs=None, notes=None,
                    results_json: bool = True) -> None:
    """The batch files, written after every report's file so their links never point at nothing.
    overview.docx needs its extra (python-docx): without it it is left out, never half written. The overviews need each result's facts, findings and rubric
    (not its tables); results_json=False leaves results.json to a caller that streams it from the
    full results itself."""
    from .render import overview
    from .render.common import at_least

    shown = [at_least(r, plan.min_severity) for r in results]
    batch = overview.Batch.of(plan, shown, pairs, notes)
    out = plan.out_dir
    write_atomic(out / "overview.csv", overview.overview_csv(batch))
    from .render.xlsx import overview_xlsx

    write_atomic(out / "overview.xlsx", overview_xlsx(batch))
    if plan.fmt == "docx":
        from .render.docx import overview_docx

        write_atomic(out / "overview.docx", overview_docx(batch))
    if plan.fmt == "html":
        from .render.html import index_html

        write_atomic(out / "index.html", index_html(batch))
    if results_json:
        write_json_array(out / "results.json", shown)
    write_atomic(out / "index.md", overview.index_markdown(batch))


def write_outputs(plan: OutputPlan, results: list[AuditResult], pairs=None, notes=None) -> None:
    """Every report's file, then the overviews."""
    for i, r in enumerate(results):
        write_report(plan, i, r)
    write_overviews(plan, results, pairs, notes)
