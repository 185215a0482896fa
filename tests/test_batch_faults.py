"""Faults a batch must survive (issue 13): a report that runs too long, a worker that dies, a
main process killed with SIGKILL, temporary files of a killed run, a second run on the same
folder. Each ends with the report named, the rest of the batch finished and written."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from summarizer.batch import TIMED_OUT, BatchError, OutFolder, run_batch
from summarizer.pipeline import Options
from summarizer.workpool import run_pool
from testkit.pool_jobs import behave
from testkit.synth import generate

ROOT = Path(__file__).resolve().parents[1]
AUDIT = [str(Path(sys.executable).parent / "audit")] if (Path(sys.executable).parent / "audit").exists() \
    else [sys.executable, "-m", "summarizer.cli"]


@pytest.fixture(autouse=True)
def no_llm_env(monkeypatch):
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AUDIT_MODEL", "CI"):
        monkeypatch.delenv(k, raising=False)


def make_reports(folder: Path, n: int, slow: int | None = None, very_slow: tuple[int, ...] = ()) -> list[str]:
    """n generated reports; report `slow` is one report repeated 1000 times (≈ 7 MB, seconds to
    audit however fast the code gets: the work grows with the text — 300 copies took 1.4 s, too
    close to a 1 s limit once the audit got faster), `very_slow` ones 1500 times (≈ 10 MB)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        text = generate(random.Random(500 + i), "2021" if i % 2 else "2019", "cells", None).text
        p = folder / f"r{i:03d}.txt"
        p.write_text(text * (1500 if i in very_slow else 1000 if i == slow else 1), encoding="utf-8")
        paths.append(str(p))
    return paths


# ---------------------------------------------------------------- the pool


def test_pool_kills_an_item_past_its_time_and_finishes_the_rest():
    items = [(i, "hang" if i == 3 else ("sleep" if i == 7 else f"x{i}")) for i in range(12)]
    t0 = time.monotonic()
    out = {o.item_id: o for o in run_pool(behave, "ctx", items, procs=2, timeout=1.0)}
    assert time.monotonic() - t0 < 30
    assert sorted(out) == list(range(12))
    assert out[3].reason == "timeout" and out[7].reason == "timeout"
    assert all(out[i].value == f"ctx:x{i}" for i in range(12) if i not in (3, 7))


def test_pool_survives_a_worker_that_dies_or_raises():
    items = [(i, "crash" if i == 2 else ("raise" if i == 5 else f"x{i}")) for i in range(8)]
    out = {o.item_id: o for o in run_pool(behave, "c", items, procs=2, timeout=30)}
    assert out[2].reason.startswith("crashed") and "ValueError" in out[5].reason
    assert all(out[i].value == f"c:x{i}" for i in range(8) if i not in (2, 5))


def test_the_parent_takes_items_while_the_workers_start_and_none_twice():
    """run_pool's `local`: while no worker is ready, the parent runs items from the back of the
    queue itself (the forkserver's start is not dead time); every item comes back exactly once,
    from one side or the other, and the workers still do the rest."""
    from summarizer.workpool import Outcome

    here: list[int] = []

    def local(item_id, arg):
        here.append(item_id)
        time.sleep(0.01)  # an audit's worth of time
        return Outcome(item_id, f"local:{arg}")

    items = [(i, f"x{i}") for i in range(200)]
    out = [o for o in run_pool(behave, "ctx", items, procs=2, timeout=30, local=local)]
    assert sorted(o.item_id for o in out) == list(range(200))
    assert here and len(here) < 200 and all(i >= 200 - len(here) for i in here)  # from the back
    assert all(o.value == (f"local:x{o.item_id}" if o.item_id in here else f"ctx:x{o.item_id}") for o in out)


# ---------------------------------------------------------------- the batch


def test_a_report_past_the_time_limit_is_named_and_the_batch_finishes(tmp_path):
    paths = make_reports(tmp_path / "in", 40, slow=11)
    out = tmp_path / "out"
    stats: dict = {}
    results = run_batch(paths, Options(no_llm=True), out_dir=out, procs=2, progress=False, stats=stats, timeout=1.0)
    assert stats["timed_out"] == 1
    assert results[11].error == TIMED_OUT.format(seconds=1.0) and "timed out" in results[11].error
    assert not any(r.error for i, r in enumerate(results) if i != 11)
    assert all((out / f"r{i:03d}.txt.md").exists() for i in range(40))
    assert "timed out" in (out / "r011.txt.md").read_text(encoding="utf-8")
    assert "timed out" in (out / "index.md").read_text(encoding="utf-8")


def test_cli_names_the_timed_out_report_and_exits_2(tmp_path):
    paths = make_reports(tmp_path / "in", 3, slow=1)
    p = subprocess.run(AUDIT + [*paths, "--no-llm", "-o", str(tmp_path / "out"), "--timeout", "1"],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert p.returncode == 2, p.stderr
    assert "r001.txt" in p.stderr and "timed out" in p.stderr and "Traceback" not in p.stderr
    assert (tmp_path / "out" / "r000.txt.md").exists() and (tmp_path / "out" / "r002.txt.md").exists()


def test_temporaries_of_a_killed_run_are_removed(tmp_path):
    paths = make_reports(tmp_path / "in", 3)
    out = tmp_path / "out"
    run_batch(paths, Options(no_llm=True), out_dir=out, progress=False)
    left = [out / ".r000.txt.md.a1b2c3d4.tmp", out / ".index.md.0f0f0f0f.tmp",
            out / ".audit-state" / ".outputs.manifest.a1b2c3d4.tmp", out / ".audit-state" / ".state-compact.k2_9xq0p.tmp"]
    keep = [out / "notes.tmp", out / ".notes.a1b2c3d4.tmp"]  # not beside an output of ours: not ours to delete
    for f in left + keep:
        f.write_text("half", encoding="utf-8")
    run_batch(paths, Options(no_llm=True), out_dir=out, progress=False)
    assert not any(f.exists() for f in left) and all(f.exists() for f in keep)


def test_a_second_run_on_the_same_folder_is_refused(tmp_path):
    paths = make_reports(tmp_path / "in", 2)
    out = tmp_path / "out"
    with OutFolder(out):
        with pytest.raises(BatchError, match="another audit run"):
            run_batch(paths, Options(no_llm=True), out_dir=out, progress=False)
        p = subprocess.run(AUDIT + [*paths, "--no-llm", "-o", str(out)], capture_output=True, text=True,
                           timeout=60, cwd=ROOT)
        assert p.returncode == 2 and "another audit run" in p.stderr and "Traceback" not in p.stderr
    run_batch(paths, Options(no_llm=True), out_dir=out, progress=False)  # free again


def _session_pids(sid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # session id; zombies are already dead
            out.append(int(entry))
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc (Linux)")
def test_sigkill_of_the_main_process_leaves_no_workers(tmp_path):
    """Both workers are busy with a report that takes tens of seconds when the main process is
    killed: they must go at once, not when their report ends (nor never, as pool workers
    blocked on a queue did)."""
    make_reports(tmp_path / "in", 40, very_slow=(0, 1))
    out = tmp_path / "out"
    proc = subprocess.Popen(AUDIT + [str(tmp_path / "in"), "--no-llm", "-o", str(out), "--procs", "2",
                                     "--timeout", "0"],
                            cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(_session_pids(proc.pid)) < 4 and time.monotonic() < deadline:  # main, forkserver, 2 workers
            time.sleep(0.1)
        assert len(_session_pids(proc.pid)) >= 4, "the batch never started its workers"
        time.sleep(1.0)  # both workers well into their long reports
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 8
        while _session_pids(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _session_pids(proc.pid) == []
    finally:
        for pid in _session_pids(proc.pid):
            os.kill(pid, signal.SIGKILL)
    # the next run cleans up after the killed one and finishes the batch
    for pid in (0, 1):  # the next run need not wait for the long ones again
        Path(tmp_path / "in" / f"r{pid:03d}.txt").write_text(generate(random.Random(pid), "2021", "cells", None).text,
                                                            encoding="utf-8")
    p = subprocess.run(AUDIT + [str(tmp_path / "in"), "--no-llm", "-o", str(out), "--procs", "2"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert p.returncode in (0, 1), p.stderr
    assert not list(out.rglob("*.tmp"))
    assert len(list(out.glob("r*.txt.md"))) == 40 and "Traceback" not in p.stderr


def test_workers_that_cannot_start_leave_the_items_to_the_caller():
    from summarizer.workpool import PoolBroken
    from testkit.pool_jobs import Unpicklable

    items = [(i, f"x{i}") for i in range(6)]
    with pytest.raises(PoolBroken) as info:
        list(run_pool(behave, Unpicklable(), items, procs=2, timeout=30))
    assert sorted(info.value.remaining) == items  # none was blamed for the workers' deaths


def test_sending_to_a_worker_that_just_died_is_not_an_error():
    """A worker that crashed on its item is gone before the parent notices; the next send hits a
    closed pipe (BrokenPipeError: the pool used to fail then). The send says so and queues nothing."""
    from summarizer.workpool import _Slot, default_context

    slot = _Slot(default_context(), behave, "ctx")
    try:
        assert slot.conn.recv() is not None  # READY
        assert slot.send((1, "crash"))
        slot.proc.join(10)
        assert not slot.proc.is_alive()
        sent = [slot.send((i, f"x{i}")) for i in range(2, 6)]
        assert sent[-1] is False and [item for item in slot.queue] == [(1, "crash")] + [
            (i, f"x{i}") for i, ok in zip(range(2, 6), sent) if ok]
    finally:
        slot.kill()
