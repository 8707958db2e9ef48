"""`make bench`: the figures of the issues' "Speed" sections, measured on PostgreSQL.

    .venv/bin/python -m aftersales.bench.run [--readme README.md] [--duration 20] …

1. drops and creates its own database (`DATABASE_URL`, default `aftersales_bench` on the local
   server), migrates it and loads the data (`manage.py bench_data`: 1,000,000 devices, 300,000
   plans, and the CSV file of the import benchmark);
2. serves the app with gunicorn on a free port of 127.0.0.1 (DEBUG off, as in production) and
   drives each HTTP scenario with wrk: a warm-up, then a fixed duration;
3. stops gunicorn and times the bulk commands;
4. prints the table and the targets (and writes them into the README with `--readme`), drops
   the database (unless `--keep-db`) and exits 1 when a target is missed.

Nothing is left running: gunicorn is stopped in every case, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import psycopg
from psycopg import sql

from .scenarios import (
    HTTP_SCENARIOS,
    LUA_DIR,
    TARGETS,
    TIMED_COMMANDS,
    HttpResult,
    HttpScenario,
    Results,
)

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/aftersales_bench"
PARTNER_EMAIL = "bench-partner@example.com"
README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, default=1_000_000)
    parser.add_argument("--plans", type=int, default=300_000)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=20, help="Seconds per scenario.")
    parser.add_argument("--warmup", type=int, default=5, help="Seconds of warm-up.")
    # As many requests in flight as the machine has cores: more would measure queueing.
    parser.add_argument("--connections", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers.")
    parser.add_argument("--only", nargs="*", help="Run only these scenarios and commands.")
    parser.add_argument("--readme", type=Path, help="Write the figures into this README.")
    parser.add_argument("--keep-db", action="store_true", help="Keep the database afterwards.")
    options = parser.parse_args(argv)

    if not shutil.which("wrk"):
        sys.exit("wrk is needed to load the server: `apt-get install wrk` (Debian, Ubuntu).")
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("The benchmarks run on PostgreSQL: DATABASE_URL must be a postgres:// URL.")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aftersales.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("REDIS_URL", None)
    wanted = set(options.only) if options.only else None
    results = Results()
    started = time.monotonic()

    with (
        tempfile.TemporaryDirectory(prefix="aftersales-bench-") as tmp,
        _database(database_url, keep=options.keep_db),
    ):
        import_csv = Path(tmp) / "devices.csv"
        _step("Migrating")
        _manage(env, "migrate", "--noinput", "-v0")
        _step(f"Loading {options.devices:,} devices and {options.plans:,} plans")
        _manage(
            env,
            "bench_data",
            f"--devices={options.devices}",
            f"--plans={options.plans}",
            f"--import-csv={import_csv}",
            f"--import-rows={options.import_rows}",
        )
        token = _manage(env, "create_api_token", PARTNER_EMAIL, "--create", capture=True)

        scenarios = [s for s in HTTP_SCENARIOS if wanted is None or s.name in wanted]
        if scenarios:
            with _gunicorn(env, workers=options.workers) as base_url:
                for scenario in scenarios:
                    _step(f"HTTP: {scenario.description}")
                    results.http[scenario.name] = _wrk(
                        scenario, base_url, token, options, Path(tmp)
                    )
                    _print_http(scenario.name, results.http[scenario.name])

        for command in TIMED_COMMANDS:
            if wanted is not None and command.name not in wanted:
                continue
            _step(f"Timing: {command.description}")
            argv = [arg.format(import_csv=import_csv, tmp=tmp) for arg in command.argv]
            begin = time.perf_counter()
            _manage(env, *argv)
            results.seconds[command.name] = time.perf_counter() - begin
            print(f"  {command.name}: {results.seconds[command.name]:.1f} s", flush=True)

    report, passed = _report(results, options, time.monotonic() - started)
    print()
    print(report)
    if options.readme:
        _write_readme(options.readme, report)
        print(f"\nWritten into {options.readme}.")
    return 0 if passed else 1


# --- Steps -------------------------------------------------------------------------------------


def _step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def _manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    """Runs manage.py; its progress bars go to the terminal."""
    completed = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return (completed.stdout or "").strip()


@contextmanager
def _database(url: str, *, keep: bool) -> Iterator[None]:
    """A fresh database at `url`, dropped afterwards."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = str(info.get("dbname") or "")
    if not name or name in {"postgres", "template0", "template1"}:
        sys.exit(f"Refusing to use the database {name!r} for the benchmarks.")
    server = psycopg.conninfo.make_conninfo(url, dbname="postgres")

    def run(statement: sql.Composed) -> None:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(statement)

    run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield
    finally:
        if not keep:
            run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _gunicorn(env: dict[str, str], *, workers: int) -> Iterator[str]:
    """gunicorn with sync workers on a free port of 127.0.0.1; stopped on the way out."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    _step(f"Starting gunicorn ({workers} sync workers) on {base_url}")
    process = subprocess.Popen(  # noqa: S603
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "aftersales.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=sync",
            "--log-level=warning",
            # Preloaded so that every worker starts warm and at once.
            "--preload",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group: stopped with all its workers
    )
    try:
        _wait_until_up(f"{base_url}/healthz", process)
        yield base_url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn stopped while starting; see its messages above.")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local URL)
                return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not answer within 60 s.")


def _check_answers(scenario: HttpScenario, base_url: str, token: str, script: Path) -> None:
    """One request of the scenario by hand: a 3xx or 4xx would otherwise be benchmarked."""
    completed = subprocess.run(  # noqa: S603
        ["wrk", "-t1", "-c1", "-d1s", "-s", str(script), "-H", f"Authorization: Token {token}"]
        + [f"-H{name}: {value}" for name, value in scenario.headers.items()]
        + [base_url],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = _parse_wrk(completed.stdout)
    if figures["status_errors"] or figures["errors"] or not figures["requests"]:
        sys.exit(f"{scenario.name}: the server does not answer 2xx:\n{completed.stdout}")


def _wrk(
    scenario: HttpScenario,
    base_url: str,
    token: str,
    options: argparse.Namespace,
    tmp: Path,
) -> HttpResult:
    script = tmp / f"{scenario.name}.lua"
    script.write_text(
        f"devices = {options.devices}\nplans = {options.plans}\n"
        + (LUA_DIR / "prelude.lua").read_text()
        + f"\nfunction request()\n{scenario.request_lua}\nend\n"
    )
    _check_answers(scenario, base_url, token, script)
    headers = ["-H", f"Authorization: Token {token}"]
    for name, value in scenario.headers.items():
        headers += ["-H", f"{name}: {value}"]

    def run(seconds: int) -> dict[str, int]:
        # One wrk thread: the machine's cores are for the server and PostgreSQL.
        completed = subprocess.run(  # noqa: S603
            [
                *("wrk", "-t1", f"-c{options.connections}", f"-d{seconds}s", "--timeout=10s"),
                *("-s", str(script), *headers, base_url),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        return _parse_wrk(completed.stdout)

    run(options.warmup)
    figures = run(options.duration)
    seconds = figures["duration_us"] / 1e6
    return HttpResult(
        requests=figures["requests"],
        seconds=seconds,
        rps=figures["requests"] / seconds,
        p50_ms=figures["p50"] / 1000,
        p95_ms=figures["p95"] / 1000,
        p99_ms=figures["p99"] / 1000,
        max_ms=figures["max"] / 1000,
        errors=figures["errors"] + figures["status_errors"],
    )


def _parse_wrk(output: str) -> dict[str, int]:
    match = re.search(r"^BENCH_JSON (.*)$", output, re.MULTILINE)
    if match is None:
        sys.exit(f"wrk did not report its figures:\n{output}")
    return json.loads(match.group(1))


# --- Report ------------------------------------------------------------------------------------


def _print_http(name: str, result: HttpResult) -> None:
    print(
        f"  {name}: {result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms, "
        f"p95 {result.p95_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, errors {result.errors}",
        flush=True,
    )


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    # Other work on the machine slows the figures down: say how busy it was.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, {_postgresql_version()}; load average at the end "
        f"{load}"
    )


def _postgresql_version() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    server = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(server) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {row[0].split()[0]}" if row else "PostgreSQL"


def _report(results: Results, options: argparse.Namespace, elapsed: float) -> tuple[str, bool]:
    lines = [
        f"Measured on {date.today().isoformat()} by `make bench` ({elapsed / 60:.0f} min): "
        f"{_machine()}.",
        f"Data: {options.devices:,} devices, {options.plans:,} plans. Server: gunicorn, "
        f"{options.workers} sync workers, DEBUG off. Load: wrk, 1 thread, "
        f"{options.connections} connections, {options.warmup} s warm-up then "
        f"{options.duration} s per scenario, on the same machine.",
        "",
    ]
    if results.http:
        lines += [
            "| Endpoint | Requests/s | p50 | p95 | p99 | Errors |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        scenarios = {scenario.name: scenario for scenario in HTTP_SCENARIOS}
        for name, result in results.http.items():
            lines.append(
                f"| {scenarios[name].description} | {result.rps:.0f} | {result.p50_ms:.1f} ms "
                f"| {result.p95_ms:.1f} ms | {result.p99_ms:.1f} ms | {result.errors} |"
            )
        lines.append("")
    if results.seconds:
        lines += ["| Bulk command | Time |", "|---|---:|"]
        commands = {command.name: command for command in TIMED_COMMANDS}
        for name, seconds in results.seconds.items():
            lines.append(f"| {commands[name].description} | {seconds:.1f} s |")
        lines.append("")
    lines += ["| Target | Measured | |", "|---|---:|---|"]
    passed = True
    for target in TARGETS:
        try:
            ok, figure = target.check(results)
        except KeyError:
            continue  # not measured in this run (--only)
        passed &= ok
        lines.append(f"| {target.description} | {figure} | {'pass' if ok else '**FAIL**'} |")
    return "\n".join(lines), passed


def _write_readme(path: Path, report: str) -> None:
    text = path.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        sys.exit(f"{path} has no {README_START} … {README_END} markers to write between.")
    before, rest = text.split(README_START, 1)
    _, after = rest.split(README_END, 1)
    path.write_text(f"{before}{README_START}\n{report}\n{README_END}{after}", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
