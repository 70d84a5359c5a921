"""The CPU time a server has used so far: its master process and every process under it (the workers).

Throughput on a shared 2-CPU machine moves with everything else running there; the CPU a server spends per request
moves far less, so the benchmark reports both. psutil is used when it is installed, else Linux's /proc.
"""

import os
from pathlib import Path

PROC = Path("/proc")


def parse_stat(line: str) -> tuple[int, int, int]:
    """(parent pid, user ticks, system ticks) from a /proc/<pid>/stat line. The command name, in parentheses, may
    itself hold spaces and parentheses, so fields are counted from the last ')'."""
    fields = line[line.rindex(")") + 2:].split()
    # After the name: state(3) ppid(4) ... utime(14) stime(15), numbered as in proc(5).
    return int(fields[1]), int(fields[11]), int(fields[12])


def _proc_processes(root_pid: int) -> dict[int, float]:
    stats: dict[int, tuple[int, int, int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stats[int(entry.name)] = parse_stat((entry / "stat").read_text())
        except (OSError, ValueError):
            continue  # a process that ended while the table was read
    ticks = os.sysconf("SC_CLK_TCK")
    return {pid: value / ticks for pid, value in tree_ticks(root_pid, stats).items()}


def tree_ticks(root_pid: int, stats: dict[int, tuple[int, int, int]]) -> dict[int, int]:
    """User + system ticks of `root_pid` and of each of its descendants, from {pid: (ppid, utime, stime)}."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    found, pending = {}, [root_pid]
    while pending:
        pid = pending.pop()
        if pid in stats:
            _, user, system = stats[pid]
            found[pid] = user + system
        pending.extend(children.get(pid, []))
    return found


def _psutil_processes(root_pid: int) -> dict[int, float]:
    import psutil

    root = psutil.Process(root_pid)
    found = {}
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        found[process.pid] = times.user + times.system
    return found


def process_seconds(root_pid: int) -> dict[int, float]:
    """CPU seconds (user + system) used so far by `root_pid` and by each of its descendants, by pid."""
    try:
        import psutil  # noqa: F401
    except ImportError:
        return _proc_processes(root_pid)
    return _psutil_processes(root_pid)


def used_between(before: dict[int, float], after: dict[int, float]) -> dict[int, float]:
    """Each process's CPU seconds between two readings (a process that started meanwhile counts from zero)."""
    return {pid: seconds - before.get(pid, 0.0) for pid, seconds in after.items()}


def shares(used: dict[int, float], master_pid: int) -> list[float]:
    """How the workers (every process but the master) shared the CPU they used, largest first; [] when idle."""
    workers = sorted((seconds for pid, seconds in used.items() if pid != master_pid), reverse=True)
    total = sum(workers)
    return [seconds / total for seconds in workers] if total > 0 else []


def parse_machine_stat(line: str) -> int:
    """Busy ticks of the whole machine from /proc/stat's first line (user, nice, system, irq, softirq, steal; not
    idle nor iowait; guest time is already counted in user)."""
    fields = [int(value) for value in line.split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return user + nice + system + irq + softirq + steal


def machine_busy_seconds() -> float | None:
    """CPU seconds the whole machine has been busy since boot, all CPUs together; None where /proc is missing.
    What the servers and wrk did not use of it was used by something else, which skews a measurement."""
    try:
        first = (PROC / "stat").read_text().splitlines()[0]
    except OSError:
        return None
    return parse_machine_stat(first) / os.sysconf("SC_CLK_TCK")
