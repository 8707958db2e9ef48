"""What the machine did while a scenario ran, read from Linux's /proc: the CPU time the app's
processes used per request, and the share of the machine's time its host took back ("steal").

The latencies of `make bench` are wall-clock times, and the machines it runs on are virtual: a
host that lends the same cores to others takes time back (seen here: 40 % of it during a run),
and every request then waits longer for the same work. The app's own CPU time per request does
not include that wait (the guest's kernel accounts stolen time apart), so it is the figure to
compare between two runs on different machines, or before and after a change on a busy one."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Ticks:
    """The machine's CPU times (all cores) and a process tree's, in clock ticks."""

    busy: int  # user, nice, system, irq, softirq
    steal: int
    total: int  # busy, idle, iowait and steal
    tree: int  # the process tree's user and system time


def _machine(proc: Path) -> tuple[int, int, int]:
    """(busy, steal, total) from the first line of /proc/stat."""
    with open(proc / "stat", encoding="ascii") as stat:
        fields = stat.readline().split()
    if not fields or fields[0] != "cpu":
        raise ValueError("/proc/stat does not start with the machine's cpu line")
    # user nice system idle iowait irq softirq steal [guest guest_nice, counted in user]
    values = [int(value) for value in fields[1:9]] + [0] * max(0, 9 - len(fields))
    user, nice, system, idle, iowait, irq, softirq, steal = values[:8]
    busy = user + nice + system + irq + softirq
    return busy, steal, busy + idle + iowait + steal


def _process(proc: Path, pid: int) -> tuple[int, int] | None:
    """(parent pid, user + system ticks) of a process, None when it is gone."""
    try:
        text = (proc / str(pid) / "stat").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: the fields follow its last ")".
    fields = text[text.rindex(")") + 2 :].split()
    # After the name: state(3) ppid(4) … utime(14) stime(15), numbered as in proc(5).
    return int(fields[1]), int(fields[11]) + int(fields[12])


def tree_ticks(pid: int, proc: Path = PROC) -> int:
    """The user and system ticks of `pid` and of every process under it (gunicorn's master and
    its workers). A worker that ended in between takes its ticks with it: gunicorn's workers
    live as long as the server here (no max-requests)."""
    processes: dict[int, tuple[int, int]] = {}
    for entry in proc.iterdir():
        if entry.name.isdigit():
            found = _process(proc, int(entry.name))
            if found is not None:
                processes[int(entry.name)] = found
    wanted = {pid}
    # Parents before children is not guaranteed by the listing: widen until nothing is added.
    while True:
        more = {child for child, (parent, _) in processes.items() if parent in wanted} - wanted
        if not more:
            break
        wanted |= more
    return sum(processes[member][1] for member in wanted if member in processes)


def read(pid: int | None, proc: Path = PROC) -> Ticks | None:
    """The machine's and `pid`'s tree's ticks now; None where /proc cannot tell (not Linux)."""
    try:
        busy, steal, total = _machine(proc)
        return Ticks(busy, steal, total, tree_ticks(pid, proc) if pid else 0)
    except (OSError, ValueError, IndexError):
        return None


@dataclass(frozen=True)
class Usage:
    app_ms_per_request: float  # the process tree's CPU time per answered request
    machine_ms_per_request: float  # every process's (the app, PostgreSQL, wrk)
    steal_percent: float  # of the machine's time, taken back by the host


def usage(before: Ticks | None, after: Ticks | None, requests: int) -> Usage | None:
    if before is None or after is None or requests <= 0 or after.total <= before.total:
        return None
    ms_per_tick = 1000 / os.sysconf("SC_CLK_TCK")
    return Usage(
        app_ms_per_request=(after.tree - before.tree) * ms_per_tick / requests,
        machine_ms_per_request=(after.busy - before.busy) * ms_per_tick / requests,
        steal_percent=100 * (after.steal - before.steal) / (after.total - before.total),
    )
