"""`make bench`: the figures of the issues' "Speed" sections, measured on PostgreSQL.

    .venv/bin/python -m aftersales.bench.run [--readme README.md] [--duration 20] …

1. drops and creates its own database (`DATABASE_URL`, default `aftersales_bench` on the local
   server), migrates it and loads the data (`manage.py bench_data`: 1,000,000 devices, 300,000
   plans, and the CSV file of the import benchmark; `manage.py bench_repairs_data`: logged-in
   customers with drafts of the online repair request; `manage.py bench_workshop_data`: 200,000
   cases in every status and logged-in staff, when a workshop scenario is wanted;
   `manage.py bench_contact_data`: logged-out visitors of the contact form, a verification code
   each, when its scenario is wanted);
2. serves the app with gunicorn on a free port of 127.0.0.1 (DEBUG off, as in production),
   finds the workshop's queues on its dashboard and the form that moves a received case one
   step on its page, and drives each HTTP scenario with wrk: a warm-up, then a fixed duration;
3. stops gunicorn, times the case form PDF (`manage.py bench_case_pdf`) and the bulk commands;
4. prints the table and the targets (and writes them into the README with `--readme`), drops
   the database (unless `--keep-db`) and exits 1 when a target is missed.

Nothing is left running: gunicorn is stopped in every case, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import base64
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
import timeit
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from . import cpu
from .scenarios import (
    HTTP_SCENARIOS,
    LUA_DIR,
    TARGETS,
    TIMED_COMMANDS,
    HttpResult,
    HttpScenario,
    PdfResult,
    Results,
    queue_scenario,
    queue_targets,
)
from .workshop_pages import WorkshopPages, workshop_pages_find

ROOT = Path(__file__).resolve().parents[2]
REPAIRS_NAMES = {scenario.name for scenario in HTTP_SCENARIOS if scenario.repairs}
WORKSHOP_NAMES = {scenario.name for scenario in HTTP_SCENARIOS if scenario.workshop}
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
    # Measured as a peer would measure it (the project's standard): 2 gunicorn workers and 8
    # requests in flight, so the figures include the queueing a busy server sees.
    parser.add_argument("--connections", type=int, default=8, help="Requests in flight.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
    parser.add_argument(
        "--step-duration", type=int, default=8, help="Seconds per online repair request scenario."
    )
    parser.add_argument("--step-warmup", type=int, default=2, help="Their seconds of warm-up.")
    parser.add_argument(
        "--submit-duration", type=int, default=15, help="Seconds of the submission scenario."
    )
    parser.add_argument("--repair-users", type=int, default=50, help="Customers with a draft.")
    parser.add_argument("--submit-drafts", type=int, default=4000, help="Drafts to submit.")
    parser.add_argument("--articles", type=int, default=1000, help="Help-centre articles.")
    parser.add_argument(
        "--contact-visitors",
        type=int,
        # More than the scenario's warm-up and run take at 300 requests a second: a run out of
        # codes answers 422s, counted as errors.
        default=8000,
        help="Contact form submissions to hand out (a verification code each, used once).",
    )
    parser.add_argument("--pdf-count", type=int, default=20, help="Case form PDFs to time.")
    parser.add_argument("--cases", type=int, default=200_000, help="Workshop cases.")
    parser.add_argument("--case-customers", type=int, default=50_000, help="Their customers.")
    parser.add_argument(
        "--workshop-duration", type=int, default=10, help="Seconds per workshop scenario."
    )
    parser.add_argument("--workshop-warmup", type=int, default=2, help="Their seconds of warm-up.")
    parser.add_argument(
        "--transition-action",
        help="The action that moves a received case one step (found on its page otherwise).",
    )
    parser.add_argument(
        "--only",
        nargs="*",
        help="Run only these scenarios and commands (or groups: workshop, queues).",
    )
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
        # aftersales.settings, the static files collected into the run's directory (its doc).
        "DJANGO_SETTINGS_MODULE": "aftersales.bench.settings",
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

    def is_wanted(scenario: HttpScenario) -> bool:
        return wanted is None or scenario.name in wanted or bool(wanted & set(scenario.groups))

    workshop_wanted = wanted is None or bool(
        wanted & ({"workshop", "queues"} | WORKSHOP_NAMES)
        or any(name.startswith("ws-queue-") for name in wanted)
        or any(is_wanted(s) for s in HTTP_SCENARIOS if s.workshop)  # a group, e.g. dashboard
    )
    results = Results()
    started = time.monotonic()

    with (
        tempfile.TemporaryDirectory(prefix="aftersales-bench-") as tmp,
        _database(database_url, keep=options.keep_db),
    ):
        import_csv = Path(tmp) / "devices.csv"
        env["BENCH_STATIC_ROOT"] = str(Path(tmp) / "static")
        # The files uploaded during the run (the contact form's invoices), not in the checkout.
        env["MEDIA_ROOT"] = str(Path(tmp) / "uploads")
        _step("Migrating, collecting the static files")
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "collectstatic", "--noinput", "-v0")
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
        manifest_path = Path(tmp) / "repairs.json"
        _step(
            f"Creating {options.repair_users} logged-in customers with a draft each, and "
            f"{options.submit_drafts:,} drafts to submit"
        )
        _manage(
            env,
            "bench_repairs_data",
            f"--users={options.repair_users}",
            f"--submit-drafts={options.submit_drafts}",
            f"--output={manifest_path}",
        )
        repairs_lua = _repairs_lua(json.loads(manifest_path.read_text(encoding="utf-8")))
        if any(is_wanted(s) for s in HTTP_SCENARIOS if "helpcentre" in s.groups):
            _step(f"Writing {options.articles:,} help-centre articles")
            _manage(env, "bench_helpcentre_data", f"--articles={options.articles}")
        contacts_lua = ""
        if any(is_wanted(s) for s in HTTP_SCENARIOS if s.contacts):
            contacts_path = Path(tmp) / "contacts.json"
            _step(
                f"Creating {options.contact_visitors:,} logged-out visitors of the contact form, "
                "a verification code each"
            )
            _manage(
                env,
                "bench_contact_data",
                f"--visitors={options.contact_visitors}",
                f"--output={contacts_path}",
            )
            contacts_lua = contact_lua(json.loads(contacts_path.read_text(encoding="utf-8")))
        workshop: dict[str, Any] = {}
        if workshop_wanted:
            workshop_path = Path(tmp) / "workshop.json"
            begin = time.perf_counter()
            _step(
                f"Creating {options.cases:,} workshop cases in every status for "
                f"{options.case_customers:,} customers, and logged-in staff"
            )
            _manage(
                env,
                "bench_workshop_data",
                f"--cases={options.cases}",
                f"--customers={options.case_customers}",
                f"--output={workshop_path}",
            )
            results.workshop_data_s = time.perf_counter() - begin
            workshop = json.loads(workshop_path.read_text(encoding="utf-8"))
            # The workshop dashboard counts each day once it is over (the nightly task): the
            # cases just written span 400 days of the past, counted here as nightly runs would
            # have counted them.
            begin = time.perf_counter()
            _step("Counting the workshop dashboard's figures of the past days")
            _manage(env, "dashboard_count", "--days=420")
            results.dashboard_count_s = time.perf_counter() - begin
            _step("Creating 100,000 support tickets (issue 10: the inbox queues)")
            _manage(env, "bench_support_data", "--tickets=100000")

        scenarios = [s for s in HTTP_SCENARIOS if s.workshop is False and is_wanted(s)]
        if scenarios or workshop:
            with _gunicorn(env, workers=options.workers) as (base_url, server_pid):
                lua = {"repairs": repairs_lua, "workshop": "", "contacts": contacts_lua}
                if workshop:
                    pages = _workshop_pages(base_url, workshop, options)
                    lua["workshop"] = workshop_lua(workshop, pages)
                    # The queues after the other pages, the moves last (they change data).
                    found = [queue_scenario(slug, role) for slug, role in pages.queues]
                    ordered = [s for s in HTTP_SCENARIOS if s.workshop and not s.moves]
                    ordered += found + [s for s in HTTP_SCENARIOS if s.moves]
                    scenarios += [s for s in ordered if is_wanted(s)]
                for scenario in scenarios:
                    _step(f"HTTP: {scenario.description}")
                    if scenario.contacts:
                        _open_pages(f"{base_url}{CONTACT_PAGE}", count=2 * options.workers)
                    results.http[scenario.name] = _wrk(
                        scenario, base_url, token, options, Path(tmp), lua, server_pid=server_pid
                    )
                    if scenario.submits:
                        _check_submissions(database_url, results.http[scenario.name])
                    if scenario.contacts:
                        _check_contacts(database_url, results.http[scenario.name])
                    if scenario.moves:
                        _check_moves(database_url, workshop, results.http[scenario.name])
                    results.descriptions[scenario.name] = scenario.description
                    _print_http(scenario.name, results.http[scenario.name])

        if wanted is None or "pdf" in wanted:
            _step(f"Timing: the case form PDF of {options.pdf_count} cases, after a first render")
            output = _manage(env, "bench_case_pdf", f"--count={options.pdf_count}", capture=True)
            match = re.search(r"^BENCH_PDF (.*)$", output, re.MULTILINE)
            if match is None:
                sys.exit(f"bench_case_pdf did not report its figures:\n{output}")
            figures = json.loads(match.group(1))
            results.pdf = PdfResult(cold_s=figures["cold"], warm_s=figures["warm"])
            _print_pdf(results.pdf)

        if wanted is None or "label" in wanted:
            _step(f"Timing: the parcel label PDF of {options.pdf_count} cases, after a first one")
            output = _manage(env, "bench_label_pdf", f"--count={options.pdf_count}", capture=True)
            match = re.search(r"^BENCH_LABEL (.*)$", output, re.MULTILINE)
            if match is None:
                sys.exit(f"bench_label_pdf did not report its figures:\n{output}")
            figures = json.loads(match.group(1))
            results.label_pdf = PdfResult(cold_s=figures["cold"], warm_s=figures["warm"])
            results.label_zpl_s = figures["zpl"]
            _print_pdf(results.label_pdf)

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
def _gunicorn(env: dict[str, str], *, workers: int) -> Iterator[tuple[str, int]]:
    """gunicorn with sync workers on a free port of 127.0.0.1 (its address and its master's
    process id, whose tree's CPU time `cpu` reads); stopped on the way out."""
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
        yield base_url, process.pid
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


def _open_pages(url: str, *, count: int) -> None:
    """GETs `url` `count` times at once, so that every worker has answered it once: a worker's
    first answer loads the URLs, the templates and their modules (over a second on a busy
    machine), which a one-second trial would otherwise spend waiting for its first answer."""

    def get(_n: int) -> int:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (our own URL)
            return int(response.status)

    with ThreadPoolExecutor(max_workers=count) as pool:
        statuses = list(pool.map(get, range(count)))
    if any(status != 200 for status in statuses):
        sys.exit(f"{url} answers {statuses}.")


def check_answers(
    scenario: HttpScenario, base_url: str, token: str, script: Path, *, seconds: int = 1
) -> dict:
    """A one-second trial run of the scenario: a 4xx or 5xx (or, when the scenario says what to
    expect, another status or redirection, or an answer without what was asked for) would
    otherwise be benchmarked. Returns its figures (how many times request() ran, how many
    answers were redirections)."""
    completed = subprocess.run(  # noqa: S603
        # A long timeout: the second trial's first request may wait behind the first trial's,
        # still counting in a worker (wrk's own is 2 s; a slow machine's dashboard takes more).
        ["wrk", "-t1", "-c1", f"-d{seconds}s", "--timeout=60s", "-s", str(script)]
        + ["-H", f"Authorization: Token {token}"]
        + [f"-H{name}: {value}" for name, value in scenario.headers.items()]
        + [base_url],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = _parse_wrk(completed.stdout)
    if seconds == 1 and not (figures["status_errors"] or figures["errors"] or figures["requests"]):
        # No answer within the second: a first answer that counts what the next ones read from
        # the cache (the workshop dashboard); the caller tries again, longer.
        return {**figures, "again": True}
    if figures["status_errors"] or figures["errors"] or not figures["requests"]:
        sys.exit(f"{scenario.name}: the server does not answer 2xx:\n{completed.stdout}")
    if figures["unexpected"]:
        accepted = " or ".join(f"{status} {where!r}" for status, where in _accepted(scenario))
        sys.exit(
            f"{scenario.name}: {figures['unexpected']} of {figures['requests']} answers are not "
            f"{accepted}{' with what was asked for' if scenario.expect_term else ''}, e.g. "
            f"{figures['first_unexpected']!r}"
        )
    return figures


def _accepted(scenario: HttpScenario) -> list[tuple[int, str]]:
    if scenario.expect_status is None:
        return []
    return [(scenario.expect_status, scenario.expect_location), *scenario.also_accept]


def _repairs_lua(manifest: dict) -> str:
    """The customers of `bench_repairs_data` as Lua tables (scenarios.py's docstring)."""

    def user(u: dict) -> str:
        session, csrf, language = u["session"], u["csrf"], u["language"]
        return f'{{s = "{session}", c = "{csrf}", l = "{language}", d = {u["draft"]}}}'

    users = manifest["users"]
    express = [index + 1 for index, u in enumerate(users) if u["express"]]
    submits = ",\n".join(f"{{{index}, {pk}}}" for index, pk in manifest["submit"])
    return (
        "users = {\n" + ",\n".join(map(user, users)) + "\n}\n"
        "express_users = {}\n"
        f"for _, i in ipairs({{{', '.join(map(str, express))}}}) do "
        "table.insert(express_users, users[i]) end\n"
        f"submits = {{\n{submits}\n}}\n"
    )


def _workshop_pages(base_url: str, manifest: dict, options: argparse.Namespace) -> WorkshopPages:
    """The queues on the dashboard and the form that moves a received case (the pages of the
    staff are another branch's: read them rather than guess their names)."""
    _step("Reading the workshop's queues and the form that moves a received case")
    try:
        pages = workshop_pages_find(
            base_url,
            staff=manifest["staff"],
            received_case=manifest["received"][0] if manifest["received"] else "",
            action=options.transition_action,
        )
    except ValueError as error:
        sys.exit(f"The workshop's pages: {error}")
    print(
        f"  queues: {', '.join(f'{slug} (as {role})' for slug, role in pages.queues)}; "
        f"a received case moves by POST {pages.action}/ with {pages.body!r}",
        flush=True,
    )
    return pages


# The contact form's page, opened by its visitors before they send it.
CONTACT_PAGE = "/support/contact/"
# The multipart boundary of the contact form's body, as a browser would draw it.
CONTACT_BOUNDARY = "----BenchContactFormBoundary7MA4YWxkTrZu0gW"
# What every visitor of the contact form fills alike (support/forms.py, ContactForm).
CONTACT_FIXED = (
    ("continent", "europe"),
    ("country", "FR"),
    ("phone", "+33 6 12 34 56 78"),
    ("problem_type", "repair"),
    ("reseller_name", "Boutique Drone Lyon"),
    ("subject", "Mon drone ne s'allume plus après une chute"),
    (
        "description",
        "Bonjour,\r\nmon drone est tombé d'environ deux mètres après une rafale de vent. "
        "Depuis, il ne démarre plus : la batterie est chargée, les voyants restent éteints.\r\n"
        "Pouvez-vous m'indiquer la marche à suivre ? Merci.",
    ),
)


def lua_string(data: bytes) -> str:
    """`data` as a Lua string literal: bytes, whatever they are (UTF-8, a PDF's), through
    three-digit decimal escapes; printable ASCII as it is."""
    out = []
    for byte in data:
        if 32 <= byte < 127 and byte not in (34, 92):  # " and \
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def _part_header(name: str, filename: str = "", content_type: str = "") -> str:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    head = f"--{CONTACT_BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
    if content_type:
        head += f"Content-Type: {content_type}\r\n"
    return head + "\r\n"


def contact_lua(manifest: dict) -> str:
    """The visitors of `bench_contact_data` as Lua tables, and the parts of the form every one
    sends alike, the invoice included (scenarios.py's docstring)."""
    fixed = b"".join(
        (_part_header(name) + value + "\r\n").encode() for name, value in CONTACT_FIXED
    )
    fixed += (
        _part_header("proof_of_purchase", "facture.pdf", "application/pdf").encode()
        + base64.b64decode(manifest["proof_of_purchase"])
        + b"\r\n"
    )

    def visitor(v: dict) -> str:
        fields = {
            "c": v["csrf"],
            "t": v["token"],
            "l": v["language"],
            "k": v["captcha_0"],
            "r": v["captcha_1"],
            "m": str(v["product_model"]),
            "s": v["serial_number"],
            "n": v["full_name"],
            "e": v["email"],
        }
        return "{" + ", ".join(f"{k} = {lua_string(x.encode())}" for k, x in fields.items()) + "}"

    return (
        f"contact_boundary = {lua_string(CONTACT_BOUNDARY.encode())}\n"
        f"contact_fixed = {lua_string(fixed)}\n"
        "contacts = {\n" + ",\n".join(map(visitor, manifest["visitors"])) + "\n}\n"
    )


def workshop_lua(manifest: dict, pages: WorkshopPages) -> str:
    """The staff and cases of `bench_workshop_data` as Lua tables (scenarios.py's docstring)."""

    def strings(items: list[str]) -> str:
        return "{" + ", ".join(json.dumps(item) for item in items) + "}"

    staff = ",\n".join(
        f'{role} = {{s = "{u["session"]}", c = "{u["csrf"]}", l = "{u["language"]}"}}'
        for role, u in manifest["staff"].items()
    )
    lists = "".join(
        f"{name} = {strings(manifest[key])}\n"
        for name, key in (
            ("scan_cases", "scan"),
            ("open_cases", "open"),
            ("serials", "serials"),
            ("former_serials", "former_serials"),
            ("emails", "emails"),
            ("move_cases", "received"),
        )
    )
    return (
        f"staff = {{\n{staff}\n}}\n{lists}"
        f"move_action = {json.dumps(pages.action)}\nmove_body = {json.dumps(pages.body)}\n"
    )


def script_text(
    scenario: HttpScenario,
    options: argparse.Namespace,
    lua: dict[str, str],
    *,
    offset: int,
    trial: bool,
) -> str:
    """The wrk script of a scenario: its data, the prelude, its request(). `offset`: the drafts,
    cases or verification codes used by the runs before; `trial`: the answers are checked."""
    head = f"devices = {options.devices}\nplans = {options.plans}\n"
    if scenario.repairs:
        head += lua["repairs"] + f"submit_offset = {offset}\n"
    if scenario.workshop:
        head += lua["workshop"] + f"move_offset = {offset}\n"
    if scenario.contacts:
        head += lua["contacts"] + f"contact_offset = {offset}\n"
    accepted = _accepted(scenario)
    if trial and accepted:
        pairs = ", ".join(f"{{{status}, {json.dumps(where)}}}" for status, where in accepted)
        head += f"accepted = {{{pairs}}}\nexpect_term = {json.dumps(scenario.expect_term)}\n"
    return (
        head
        + (LUA_DIR / "prelude.lua").read_text()
        + f"\nfunction request()\n{scenario.request_lua}\nend\n"
    )


def _wrk(
    scenario: HttpScenario,
    base_url: str,
    token: str,
    options: argparse.Namespace,
    tmp: Path,
    lua: dict[str, str],
    *,
    server_pid: int | None = None,
) -> HttpResult:
    script = tmp / f"{scenario.name}.lua"
    # Submissions, moves, contact forms: the drafts, cases or codes before it were used by an
    # earlier run.
    offset = 0
    requests = 0  # answered, over the trial, the warm-up and the run

    def write_script(*, trial: bool) -> None:
        script.write_text(script_text(scenario, options, lua, offset=offset, trial=trial))

    write_script(trial=True)
    trial = check_answers(scenario, base_url, token, script)
    offset += trial["calls"]
    requests += trial["requests"]
    if trial.get("again"):
        write_script(trial=True)
        trial = check_answers(scenario, base_url, token, script, seconds=10)
        offset += trial["calls"]
        requests += trial["requests"]
        print("  (no answer within the one-second trial, which the first one computes: 10 s more)")
    headers = ["-H", f"Authorization: Token {token}"]
    for name, value in scenario.headers.items():
        headers += ["-H", f"{name}: {value}"]
    warmup, duration = options.warmup, options.duration
    if scenario.repairs:
        warmup = options.step_warmup
        duration = options.submit_duration if scenario.submits else options.step_duration
    if scenario.workshop:
        warmup, duration = options.workshop_warmup, options.workshop_duration

    def run(seconds: int) -> dict[str, int]:
        nonlocal offset, requests
        write_script(trial=False)
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
        figures = _parse_wrk(completed.stdout)
        offset += figures["calls"]
        requests += figures["requests"]
        return figures

    run(warmup)
    before = cpu.read(server_pid)
    figures = run(duration)
    used = cpu.usage(before, cpu.read(server_pid), figures["requests"])
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
        redirected=trial["redirects"] > 0,
        all_requests=requests,
        used=offset,
        usage=used,
        # Measured while the server idles: a machine that slowed down during the run says so
        # beside the figures it slowed (seen: 104 µs at the start of a run, 201 at its end).
        reference_us=cpu_reference_us(),
    )


def _http_row(description: str, result: HttpResult) -> str:
    usage = result.usage
    return (
        f"| {description} | {result.rps:.0f} | {result.p50_ms:.1f} ms "
        f"| {result.p95_ms:.1f} ms | {result.p99_ms:.1f} ms | {result.errors} "
        + (
            f"| {usage.app_ms_per_request:.1f} ms | {usage.steal_percent:.0f} % "
            if usage
            else "| – | – "
        )
        + (f"| {result.reference_us:.0f} µs |" if result.reference_us else "| – |")
    )


def _check_submissions(database_url: str, result: HttpResult) -> None:
    """Every submission answered must have made a case (a second submission of a draft would
    answer quickly with the case it already made): otherwise the difference counts as errors."""
    with psycopg.connect(database_url) as connection:
        # The benchmark customers' cases only: the workshop's data has cases of its own.
        row = connection.execute(
            "SELECT count(*) FROM repairs_repairrequest r JOIN accounts_user u ON u.id = r.user_id"
            " WHERE r.status <> 'draft' AND u.email LIKE 'bench-customer-%%'"
        ).fetchone()
    cases = row[0] if row else 0
    # The trial run and the warm-up submitted cases too: count them against all the requests.
    if cases < result.requests:
        print(f"  only {cases} cases for {result.requests} submissions", flush=True)
        result.errors += result.requests - cases


def _check_contacts(database_url: str, result: HttpResult) -> None:
    """Every contact form answered must have opened a ticket (a used code answers with the form
    again, as fast), and queued its confirmation e-mail in the database without sending it (no
    worker runs): otherwise the difference counts as errors. Prints what it found."""
    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT"
            " (SELECT count(*) FROM support_ticket WHERE email LIKE 'bench-contact-%%'),"
            " (SELECT count(*) FROM django_tasks_database_dbtaskresult"
            "  WHERE task_path = 'aftersales.core.tasks.send_email' AND status = 'READY'"
            "  AND args_kwargs->'kwargs'->'to'->>0 LIKE 'bench-contact-%%'),"
            " (SELECT count(*) FROM core_sentemail WHERE key LIKE 'support.message:%%')"
        ).fetchone()
    tickets, queued, sent = row if row else (0, 0, 0)
    print(
        f"  {tickets} tickets for {result.all_requests} submissions (trial and warm-up "
        f"included); {queued} confirmation e-mails queued, {sent} sent",
        flush=True,
    )
    missing = max(result.all_requests - tickets, tickets - queued, 0) + sent
    if missing:
        # Not added to wrk's count: a refused form is already a 422 there.
        result.errors = max(result.errors, missing)


def _check_moves(database_url: str, manifest: dict, result: HttpResult) -> None:
    """Every move answered must have moved its case out of "received" (a refused move answers
    with a message, as fast): otherwise the difference counts as errors."""
    handed_out = manifest["received"][: result.used]
    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT count(*) FROM repairs_repairrequest"
            " WHERE case_number = ANY(%s) AND status <> 'received'",
            [handed_out],
        ).fetchone()
    moved = row[0] if row else 0
    if moved < result.all_requests:
        print(f"  only {moved} cases moved for {result.all_requests} requests", flush=True)
        # Not added to wrk's count: a request out of cases is already a 404 there.
        result.errors = max(result.errors, result.all_requests - moved)


def _parse_wrk(output: str) -> dict[str, int]:
    match = re.search(r"^BENCH_JSON (.*)$", output, re.MULTILINE)
    if match is None:
        sys.exit(f"wrk did not report its figures:\n{output}")
    return json.loads(match.group(1))


# --- Report ------------------------------------------------------------------------------------


def _print_http(name: str, result: HttpResult) -> None:
    usage = result.usage
    print(
        f"  {name}: {result.rps:.0f} req/s, p50 {result.p50_ms:.1f} ms, "
        f"p95 {result.p95_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, errors {result.errors}"
        + (
            f"; app CPU {usage.app_ms_per_request:.1f} ms/request, machine "
            f"{usage.machine_ms_per_request:.1f} ms/request, steal {usage.steal_percent:.0f} %"
            if usage
            else ""
        )
        + (f"; reference {result.reference_us:.0f} µs" if result.reference_us else ""),
        flush=True,
    )


def _print_pdf(result: PdfResult) -> None:
    print(
        f"  pdf: first {result.cold_s:.2f} s, then p50 {result.percentile(50):.2f} s, "
        f"p95 {result.percentile(95):.2f} s, max {max(result.warm_s):.2f} s",
        flush=True,
    )


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "CPU unknown"


def cpu_reference_us() -> float:
    """How long this machine takes for a fixed piece of pure Python (the best of 5 runs, in
    µs): the machines these figures are measured on differ in speed by up to 2×, and pages
    are mostly Python. Compare two runs' figures by it (and by the ping row, the whole stack's
    cheapest request)."""
    timer = timeit.Timer("sorted(str(n) for n in range(1000))")
    return min(timer.repeat(repeat=5, number=200)) / 200 * 1e6


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    # Other work on the machine slows the figures down: say how busy it was.
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({_cpu_model()}; reference Python work "
        f"{cpu_reference_us():.0f} µs, `bench.run.cpu_reference_us`), {memory:.0f} GiB, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
        f"{_postgresql_version()}; load average at the end {load}"
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
    if any(name in results.http for name in REPAIRS_NAMES):
        lines[-1:-1] = [
            f"Online repair request: {options.repair_users} logged-in customers, each with a "
            "draft answered up to the summary (an aircraft, accident damage; every other one "
            "under a plan with Express); a random customer per request; "
            f"{options.step_warmup} s warm-up then {options.step_duration} s per page "
            f"({options.submit_duration} s for submissions, each of another draft). Submitting "
            "queues the confirmation task in the database; no worker runs during the benchmark.",
        ]
    if any(name in results.http for name in WORKSHOP_NAMES) or results.workshop_data_s:
        lines[-1:-1] = [
            f"Workshop: {options.cases:,} cases in every status for {options.case_customers:,} "
            "customers, with their timelines, receptions, evaluations, quotes, answers, "
            "payments, replacements and shipments (`manage.py bench_workshop_data`: "
            f"{results.workshop_data_s:.0f} s), and one logged-in member of staff per role; "
            f"{options.workshop_warmup} s warm-up then {options.workshop_duration} s per page "
            "(the queues as found on the dashboard; moves each of another received case, "
            "checked afterwards). The e-mails of the moves are queued in the database; no "
            "worker runs during the benchmark. The dashboard's daily counts of those 420 days "
            "(`manage.py dashboard_count`, the nightly task's work): "
            f"{results.dashboard_count_s:.0f} s.",
        ]
    if "support-contact-submit" in results.http:
        lines[-1:-1] = [
            f"Contact form: {options.contact_visitors:,} logged-out visitors (a verification "
            "code each, drawn beforehand with its answer and used once; a CSRF cookie and the "
            "form's token; no session yet), each sending every field and a one-page invoice PDF "
            "(multipart); a success is the redirection to the confirmation page, and each "
            "ticket's confirmation e-mail is queued in the database, not sent (checked "
            "afterwards; no worker runs). The limit per address is raised by the benchmark's "
            "settings: every request comes from 127.0.0.1.",
        ]
    if results.http:
        lines += [
            "| Endpoint | Requests/s | p50 | p95 | p99 | Errors | App CPU / request | Steal "
            "| Reference |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        lines += [_http_row(results.descriptions[name], r) for name, r in results.http.items()]
        steals = [r.usage.steal_percent for r in results.http.values() if r.usage]
        if steals:
            lines += [
                "",
                "App CPU / request: the gunicorn workers' CPU time per answered request, which "
                "does not count the time the host took back. Steal: the share of the machine's "
                "time the host took back during the scenario (`bench.cpu`); "
                f"{sum(steals) / len(steals):.0f} % on average over these scenarios, "
                f"{max(steals):.0f} % at most. Latencies grow with it; compare runs on different "
                "machines by the CPU column.",
            ]
        references = [r.reference_us for r in results.http.values() if r.reference_us]
        if references:
            lines += [
                "",
                "Reference: the machine's speed right after the scenario (`cpu_reference_us`, "
                f"lower is faster): from {min(references):.0f} to {max(references):.0f} µs over "
                "this run. A machine slows without steal: a row measured at a higher reference "
                "was slowed by the machine, not by the code.",
            ]
        lines.append("")
    if results.pdf is not None:
        pdf = results.pdf
        lines += [
            "| Case form PDF, `repairs.pdf.case_form_pdf` in one process | First render | "
            "p50 | p95 | Max |",
            "|---|---:|---:|---:|---:|",
            f"| {len(pdf.warm_s)} submitted cases, after a first render (which loads WeasyPrint "
            f"and the fonts) | {pdf.cold_s:.2f} s | {pdf.percentile(50):.2f} s "
            f"| {pdf.percentile(95):.2f} s | {max(pdf.warm_s):.2f} s |",
            "",
        ]
    if results.label_pdf is not None:
        label = results.label_pdf
        lines += [
            "| Parcel label, a number issued and the A6 PDF drawn (`carriers.own_account`) "
            "| First | p50 | p95 | Max | ZPL (zebrafy), max |",
            "|---|---:|---:|---:|---:|---:|",
            f"| {len(label.warm_s)} cases, after a first label | {label.cold_s * 1000:.0f} ms "
            f"| {label.percentile(50) * 1000:.0f} ms | {label.percentile(95) * 1000:.0f} ms "
            f"| {max(label.warm_s) * 1000:.0f} ms | {max(results.label_zpl_s) * 1000:.0f} ms |",
            "",
        ]
    if results.seconds:
        lines += ["| Bulk command | Time |", "|---|---:|"]
        commands = {command.name: command for command in TIMED_COMMANDS}
        for name, seconds in results.seconds.items():
            lines.append(f"| {commands[name].description} | {seconds:.1f} s |")
        lines.append("")
    lines += ["| Target | Measured | |", "|---|---:|---|"]
    passed = True
    for target in [*TARGETS, *queue_targets(results.http)]:
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
