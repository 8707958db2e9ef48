"""`make bench` says, for each scenario, the gunicorn workers' CPU time per request and the share
of the machine's time the host took back (`bench.cpu`): read from a /proc written here, and from
the real one."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from aftersales.bench import cpu


def _stat_line(pid: int, name: str, parent: int, utime: int, stime: int) -> str:
    # pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime
    # stime …, as proc(5) numbers them.
    return f"{pid} ({name}) S {parent} 1 1 0 -1 0 0 0 0 0 {utime} {stime} 0 0 20 0 1 0\n"


def _proc(tmp_path: Path, machine: str, processes: list[tuple[int, str, int, int, int]]) -> Path:
    (tmp_path / "stat").write_text(machine + "\ncpu0 1 2 3\n", encoding="ascii")
    for pid, name, parent, utime, stime in processes:
        (tmp_path / str(pid)).mkdir(exist_ok=True)
        (tmp_path / str(pid) / "stat").write_text(
            _stat_line(pid, name, parent, utime, stime), encoding="ascii"
        )
    (tmp_path / "self").mkdir(exist_ok=True)  # not a process: skipped
    return tmp_path


def test_a_servers_tree_is_its_master_its_workers_and_their_children_only(tmp_path):
    proc = _proc(
        tmp_path,
        "cpu  100 0 50 800 10 0 0 40 0 0",
        [
            (1, "init", 0, 5, 5),
            (50, "gunicorn: master", 1, 3, 1),
            # A worker listed before its master's parent would be: found all the same.
            (7, "gunicorn: worker (a) b", 50, 200, 40),
            (60, "gunicorn: worker", 50, 300, 60),
            (61, "sh", 60, 2, 0),
            (70, "postgres", 1, 500, 100),
        ],
    )
    assert cpu.tree_ticks(50, proc) == 3 + 1 + 200 + 40 + 300 + 60 + 2 + 0

    ticks = cpu.read(50, proc)
    assert ticks == cpu.Ticks(busy=150, steal=40, total=1000, tree=606)


def test_the_usage_of_a_run_is_per_request_and_steal_is_a_share_of_all_the_time(tmp_path):
    before = cpu.Ticks(busy=150, steal=40, total=1000, tree=600)
    after = cpu.Ticks(busy=350, steal=140, total=1400, tree=700)
    used = cpu.usage(before, after, requests=50)
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    assert used is not None
    assert used.app_ms_per_request == pytest.approx(100 * tick_ms / 50)
    assert used.machine_ms_per_request == pytest.approx(200 * tick_ms / 50)
    assert used.steal_percent == pytest.approx(25.0)
    # Nothing to say: no request, or a reading missing.
    assert cpu.usage(before, after, requests=0) is None
    assert cpu.usage(None, after, requests=50) is None


def test_a_proc_that_cannot_be_read_gives_no_figures_rather_than_an_error(tmp_path):
    (tmp_path / "stat").write_text("intr 1 2 3\n", encoding="ascii")
    assert cpu.read(1, tmp_path) is None
    assert cpu.read(1, tmp_path / "missing") is None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's /proc")
def test_the_real_proc_counts_this_process_working():
    before = cpu.read(os.getpid())
    assert before is not None
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:
        sum(range(1000))
    after = cpu.read(os.getpid())
    assert after is not None
    used = cpu.usage(before, after, requests=1)
    assert used is not None
    # 0.3 s of this process's CPU, give or take the ticks' resolution (10 ms).
    assert 250 <= used.app_ms_per_request <= 1000
    assert 0 <= used.steal_percent <= 100


def test_each_row_says_how_fast_the_machine_was_right_after_it():
    from aftersales.bench import run
    from aftersales.bench.scenarios import HttpResult

    figures = {"rps": 100.0, "p50_ms": 10.0, "p95_ms": 20.0, "p99_ms": 30.0, "max_ms": 40.0}
    used = cpu.Usage(app_ms_per_request=8.04, machine_ms_per_request=9.0, steal_percent=1.0)
    measured = HttpResult(
        requests=1000, seconds=10, errors=0, usage=used, reference_us=104.4, **figures
    )
    row = run._http_row("GET /workshop/scan/", measured)
    assert row.endswith("| 8.0 ms | 1 % | 104 µs |")
    # A run without its reference (or without /proc) still makes a row of every column.
    bare = run._http_row("GET /x", HttpResult(requests=1, seconds=1, errors=0, **figures))
    assert bare.count("|") == row.count("|") and bare.endswith("| – | – | – |")
    # Measured for real: a positive number of microseconds.
    assert run.cpu_reference_us() > 0
