"""What `make bench` measures, and the target of each figure.

To add an HTTP scenario, append an `HttpScenario` to `HTTP_SCENARIOS` (its `request_lua` is the
body of wrk's `request()` function: build a path, return `wrk.format(...)`; the Lua variables
`devices`, `plans` and the function `serial(n)` are there to pick a known device), and a
`Target` that reads its figures. A command to time goes in `TIMED_COMMANDS`.

The online repair request's scenarios (issue 4, `repairs=True`) also get the customers of
`manage.py bench_repairs_data` in Lua: `users` (each `{s = session key, c = CSRF token,
l = language, d = draft pk}`), `express_users` (those whose draft shows the Express step),
`submits` (`{user index, draft pk}`, each to be submitted once, from `submit_offset` on) and the
helpers `cookies(u)` and `post_headers(u)` of `wrk/prelude.lua`.

The workshop's scenarios (issue 8, `workshop=True`) get what `manage.py bench_workshop_data`
made: `staff` (by role, each `{s = session key, c = CSRF token, l = language}`), and lists of
case numbers, serial numbers and e-mails to ask for (`scan_cases`, `open_cases`, `serials`,
`former_serials`, `emails`), `move_cases` (received cases, each to be moved one step once, from
`move_offset` on, by `move_action` with the form fields `move_body`) and the helper
`urlencode(text)`. They are written against the staff pages' URLs (`/workshop/`,
`/workshop/queues/<queue>/`, `/workshop/search/?q=`, `/workshop/scan/?number=`,
`/workshop/cases/<number>/`, POST `/workshop/cases/<number>/<action>/`); the queues and the
action are read from the pages themselves (run.py: the dashboard's links, a received case's
forms), so that a renamed queue is measured rather than missed.

The contact form's scenario (issue 10, `contacts=True`) gets the logged-out visitors of
`manage.py bench_contact_data`: `contacts` (each `{c = CSRF cookie, t = the form's token,
l = language, k = verification code's key, r = its answer, m = product model pk, s = serial
number, n = full name, e = e-mail}`, each to be used once, from `contact_offset` on),
`contact_fixed` (the rest of the form as every visitor fills it, the invoice PDF included, as
multipart parts) and the helpers `contact_headers(v)` and `contact_body(v)`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_plus

from .cpu import Usage


@dataclass(frozen=True)
class HttpScenario:
    name: str
    description: str
    request_lua: str
    # Extra headers; every scenario sends the partner token.
    headers: dict[str, str] = field(default_factory=dict)
    # Issue 4's scenarios: the Lua gets the repair request customers (module docstring), and
    # run for --step-warmup and --step-duration seconds (--submit-duration for submissions).
    repairs: bool = False
    # Checked on every answer of the scenario's one-second trial run (e.g. a page that
    # redirects instead of showing itself, a form that is not valid): the status, and a text
    # the Location header must contain. None: any 2xx or 3xx answer will do.
    expect_status: int | None = None
    expect_location: str = ""
    # Each request submits another draft (`submits`): the runner moves `submit_offset` on
    # between runs, and checks afterwards that every request made a case.
    submits: bool = False
    # Issue 8's scenarios: the Lua gets the workshop's staff and cases (module docstring), and
    # run for --workshop-warmup and --workshop-duration seconds.
    workshop: bool = False
    # Other answers the trial run accepts: (status, text the Location header must contain).
    also_accept: tuple[tuple[int, str], ...] = ()
    # The trial run also looks for the Lua global `term` (set by request()): "body" in a 200
    # answer's body; "any" in the body, or in the Location of a redirection.
    expect_term: str = ""
    # Each request moves another case one step (`move_cases`): the runner moves `move_offset`
    # on between runs, and checks afterwards that every request moved its case.
    moves: bool = False
    # Each request sends the contact form as another visitor (`contacts`, a verification code
    # each, used once): the runner moves `contact_offset` on between runs, and checks afterwards
    # that every request opened a ticket whose e-mail was queued, not sent.
    contacts: bool = False
    # For --only: a name that selects a group of scenarios ("workshop", "queues", "support").
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimedCommand:
    name: str
    description: str
    # manage.py arguments; "{import_csv}" and "{tmp}" are filled in by the runner.
    argv: tuple[str, ...]


@dataclass
class HttpResult:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    errors: int  # socket errors and non-2xx answers
    # The trial run's answers were redirections (e.g. a scan that redirects to the case page).
    redirected: bool = False
    # Answered over the trial run, the warm-up and the run; drafts or cases handed out.
    all_requests: int = 0
    used: int = 0
    # The gunicorn workers' CPU time per request and the host's steal during the run (`cpu`).
    usage: Usage | None = None
    # The machine's speed right after the run (`run.cpu_reference_us`): it drifts within a run.
    reference_us: float | None = None


@dataclass
class PdfResult:
    cold_s: float  # the first render of the process (imports WeasyPrint, loads the fonts)
    warm_s: list[float]  # the renders after it

    def percentile(self, percent: float) -> float:
        """Nearest rank, as wrk's percentiles."""
        ordered = sorted(self.warm_s)
        return ordered[max(0, math.ceil(len(ordered) * percent / 100) - 1)]


@dataclass
class Results:
    http: dict[str, HttpResult] = field(default_factory=dict)
    # Each scenario's description (the work queues' scenarios are made at run time).
    descriptions: dict[str, str] = field(default_factory=dict)
    workshop_data_s: float = 0.0  # how long bench_workshop_data took
    dashboard_count_s: float = 0.0  # how long the dashboard's daily counts took
    seconds: dict[str, float] = field(default_factory=dict)
    pdf: PdfResult | None = None
    # Issue 9: the parcel label (PDF), and its conversion to ZPL.
    label_pdf: PdfResult | None = None
    label_zpl_s: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Target:
    description: str
    # (passed, the measured figure as text); KeyError when a figure was not measured.
    check: Callable[[Results], tuple[bool, str]]


def _coverage_request(upper_bound: str) -> str:
    return f"""
    local path = "/api/v1/devices/" .. serial(math.random(0, {upper_bound} - 1)) .. "/coverage"
    return wrk.format("GET", path)
"""


HTTP_SCENARIOS = [
    HttpScenario(
        "ping",
        "GET /api/v1/ping: the cheapest authenticated endpoint (the baseline)",
        'return wrk.format("GET", "/api/v1/ping")',
    ),
    HttpScenario(
        "coverage",
        "GET /api/v1/devices/{serial}/coverage, a random one of the devices (30 % with a plan)",
        _coverage_request("devices"),
    ),
    HttpScenario(
        "coverage-plan",
        "GET /api/v1/devices/{serial}/coverage, a random device with a plan (the slower path)",
        _coverage_request("plans"),
    ),
]

# --- Issue 4: the online repair request ------------------------------------------------------

# The wizard's steps shown for the benchmark drafts (aftersales/bench/repairs_data.py), in order.
WIZARD_STEPS = (
    "zone",
    "product",
    "service",
    "problems",
    "purchase",
    "cause",
    "analysis",
    "express",
    "shipment",
    "address",
    "summary",
)


def _step_page(slug: str) -> HttpScenario:
    # Express is shown to plan holders only (half of the customers).
    people = "express_users" if slug == "express" else "users"
    return HttpScenario(
        f"step-{slug}",
        f"GET /repairs/{{draft}}/{slug}/: wizard step page, a random customer's draft",
        f"""
    local u = {people}[math.random(#{people})]
    return wrk.format("GET", "/repairs/" .. u.d .. "/{slug}/", {{Cookie = cookies(u)}})
""",
        repairs=True,
        expect_status=200,
    )


# The problems step as the customer leaves it with "Next": valid (the draft's own answers, so
# that it stays complete), saved, redirected to the next step.
_PROBLEMS_BODY = (
    "action=next&problems=accident_damage&problems=gimbal_camera&support_contacted=on"
    "&description=Fell+from+about+two+metres+after+a+gust+of+wind%3B+the+gimbal+no+longer+levels."
)

REPAIRS_SCENARIOS = [
    *(_step_page(slug) for slug in WIZARD_STEPS),
    HttpScenario(
        "step-problems-post",
        "POST /repairs/{draft}/problems/: a step saved (valid answers, then the next step)",
        f"""
    local u = users[math.random(#users)]
    return wrk.format("POST", "/repairs/" .. u.d .. "/problems/", post_headers(u),
                      "{_PROBLEMS_BODY}")
""",
        repairs=True,
        expect_status=302,
        expect_location="/purchase/",
    ),
    HttpScenario(
        "submit",
        "POST /repairs/{draft}/submit/: a case submitted (each draft once; tasks queued, not run)",
        """
    calls = calls + 1
    local item = submits[submit_offset + calls]
    if item == nil then
      -- Out of drafts: a 404, counted as an error (never a second submission of a draft).
      return wrk.format("POST", "/repairs/0/submit/", post_headers(users[1]), "terms_accepted=on")
    end
    return wrk.format("POST", "/repairs/" .. item[2] .. "/submit/",
                      post_headers(users[item[1] + 1]), "terms_accepted=on")
""",
        repairs=True,
        expect_status=302,
        expect_location="/sent/",
        submits=True,
    ),
]
HTTP_SCENARIOS += REPAIRS_SCENARIOS

# --- Issue 8: the repair centre's workshop ------------------------------------------------------

WORKSHOP = ("workshop",)
_CASE_PAGE = "/workshop/cases/"


def _get_as(role: str, path_lua: str) -> str:
    return f"""
    local u = staff["{role}"]
    {path_lua}
    return wrk.format("GET", path, {{Cookie = cookies(u)}})
"""


def _search(name: str, description: str, items: str, expect_term: str) -> HttpScenario:
    return HttpScenario(
        name,
        description,
        _get_as(
            "agent",
            f"term = {items}[math.random(#{items})]\n"
            '    local path = "/workshop/search/?q=" .. urlencode(term)',
        ),
        workshop=True,
        expect_status=200,
        also_accept=((302, _CASE_PAGE),),
        expect_term=expect_term,
        groups=WORKSHOP,
    )


WORKSHOP_SCENARIOS = [
    HttpScenario(
        "ws-dashboard",
        "GET /workshop/: the staff dashboard (a technician)",
        _get_as("technician", 'local path = "/workshop/"'),
        workshop=True,
        expect_status=200,
        groups=WORKSHOP,
    ),
    HttpScenario(
        "ws-scan",
        "GET /workshop/scan/?number=: reception scans a random expected parcel's case number",
        _get_as(
            "reception",
            "term = scan_cases[math.random(#scan_cases)]\n"
            '    local path = "/workshop/scan/?number=" .. term',
        ),
        workshop=True,
        expect_status=200,
        also_accept=((302, _CASE_PAGE),),
        expect_term="any",
        groups=WORKSHOP,
    ),
    HttpScenario(
        "ws-case",
        "GET /workshop/cases/{number}/: a random case of any status (a technician)",
        _get_as(
            "technician",
            "term = open_cases[math.random(#open_cases)]\n"
            '    local path = "/workshop/cases/" .. term .. "/"',
        ),
        workshop=True,
        expect_status=200,
        expect_term="any",
        groups=WORKSHOP,
    ),
    _search(
        "ws-search-serial",
        "GET /workshop/search/?q={serial}: a random case's unit, by its current serial number",
        "serials",
        "body",
    ),
    _search(
        "ws-search-former-serial",
        "GET /workshop/search/?q={serial}: a unit replaced under a plan, by its former serial",
        "former_serials",
        "",
    ),
    _search(
        "ws-search-case",
        "GET /workshop/search/?q={case number}: a random case",
        "open_cases",
        "any",
    ),
    _search(
        "ws-search-email",
        "GET /workshop/search/?q={e-mail}: a random customer's cases",
        "emails",
        "body",
    ),
    HttpScenario(
        "ws-transition",
        "POST /workshop/cases/{number}/{action}/: a received case moved one step (each once)",
        """
    calls = calls + 1
    local u = staff["technician"]
    local number = move_cases[move_offset + calls]
    if number == nil then
      -- Out of cases: a 404, counted as an error (never the same case twice).
      number = "CAS-0000000-NONEXT"
    end
    return wrk.format("POST", "/workshop/cases/" .. number .. "/" .. move_action .. "/",
                      post_headers(u), move_body)
""",
        workshop=True,
        expect_status=302,
        expect_location=_CASE_PAGE,
        also_accept=((303, _CASE_PAGE),),
        moves=True,
        groups=WORKSHOP,
    ),
]


# Issue 9, item 6: the workshop dashboard, as an administrator (who holds its permission by
# default). A random 90-day period that ended on one of the last 400 days (never today): each
# request most likely asks for a period nobody asked for in the last minutes, so that its figures
# are summed from the daily counts rather than read from the cache.
_RANDOM_PERIOD = """
    local last = os.time() - math.random(1, 400) * 86400
    local period = "start=" .. os.date("%Y-%m-%d", last - 89 * 86400)
                   .. "&end=" .. os.date("%Y-%m-%d", last) .. "&centre="
"""
DASHBOARD = (*WORKSHOP, "dashboard")
DASHBOARD_PLOTS = ("opened-closed", "stages", "weekly", "problems", "components", "shares")
WORKSHOP_SCENARIOS += [
    HttpScenario(
        "ws-centre-dashboard",
        "GET /workshop/dashboard/: the workshop dashboard, the last 90 days (as a manager opens "
        "it: counted once, then cached a few minutes)",
        _get_as("administrator", 'local path = "/workshop/dashboard/"'),
        workshop=True,
        expect_status=200,
        groups=DASHBOARD,
    ),
    HttpScenario(
        "ws-centre-dashboard-period",
        "GET /workshop/dashboard/?start=…&end=…: a random past 90-day period (summed from the "
        "daily counts, mostly not cached)",
        _get_as(
            "administrator", _RANDOM_PERIOD + '    local path = "/workshop/dashboard/?" .. period'
        ),
        workshop=True,
        expect_status=200,
        groups=DASHBOARD,
    ),
    HttpScenario(
        "ws-centre-dashboard-plot",
        "GET /workshop/dashboard/plots/{plot}.svg?…: a random plot of a random past 90-day "
        "period (figures summed, then drawn by matplotlib)",
        _get_as(
            "administrator",
            _RANDOM_PERIOD
            + f"    local plots = {{{', '.join(json.dumps(p) for p in DASHBOARD_PLOTS)}}}\n"
            + '    local path = "/workshop/dashboard/plots/" .. plots[math.random(#plots)] '
            + '.. ".svg?" .. period',
        ),
        workshop=True,
        expect_status=200,
        groups=DASHBOARD,
    ),
]


def queue_scenario(slug: str, role: str) -> HttpScenario:
    """A work queue's first page, as a role that may see it (found on the dashboard)."""
    return HttpScenario(
        f"ws-queue-{slug}",
        f"GET /workshop/queues/{slug}/: the work queue's first page (as {role})",
        _get_as(role, f'local path = "/workshop/queues/{slug}/"'),
        workshop=True,
        expect_status=200,
        groups=(*WORKSHOP, "queues"),
    )


# Issue 10: the support inbox's queues (100,000 tickets of `manage.py bench_support_data`,
# written with the workshop's data), as the workshop's agent.
SUPPORT_QUEUES = ("new", "waiting-us", "waiting-customer")
WORKSHOP_SCENARIOS += [
    HttpScenario(
        f"support-queue-{queue}",
        f"GET /support/inbox/?queue={queue}: the support inbox queue's first page (an agent)",
        _get_as("agent", f'local path = "/support/inbox/?queue={queue}"'),
        workshop=True,
        expect_status=200,
        groups=(*WORKSHOP, "support"),
    )
    for queue in SUPPORT_QUEUES
]

HTTP_SCENARIOS += WORKSHOP_SCENARIOS

# --- Issue 10: the help centre -----------------------------------------------------------------


# What the scenario searches for, one at random per request.
HELP_QUERIES = (
    "mon drone est tombé dans l'eau",
    "can I renew my plan",
    "où est le numéro de série",
    "where is the serial number",
    "garantie",
    "my gimbal was replaced",
    "activé il y a plus de 48 heures",
    "which parts are covered",
    "comment remplacer mon appareil",
    "international coverage",
)


def _help_search_request() -> str:
    paths = ", ".join(f'"/help/?q={quote_plus(query)}"' for query in HELP_QUERIES)
    return f"""
    local paths = {{{paths}}}
    return wrk.format("GET", paths[math.random(#paths)])
"""


HTTP_SCENARIOS.append(
    HttpScenario(
        "help-search",
        "GET /help/?q=: the help centre's search page, a random customer question, 1,000 articles",
        _help_search_request(),
        expect_status=200,
        groups=("helpcentre",),
    )
)

# Issue 10, "Speed": the contact form submission p99 ≤ 150 ms (e-mails queued, not sent in the
# request). A logged-out customer sends every field, a verification code and an invoice (PDF,
# multipart), as from the form's page: no session yet (the view starts one for the confirmation
# page), the CSRF cookie and the form's token; a success is the redirection to the confirmation,
# never the form shown again (422: a refused code or field; 429: the limit per address).
CONTACT_SENT = "/support/contact/sent/"
HTTP_SCENARIOS.append(
    HttpScenario(
        "support-contact-submit",
        "POST /support/contact/: the contact form sent, logged out, with a verification code and "
        "an invoice PDF (each code once; the e-mail queued, not sent)",
        """
    calls = calls + 1
    local v = contacts[contact_offset + calls]
    if v == nil then
      -- Out of codes: the first visitor's again, whose code is used (the form is shown again
      -- with a 422, counted as an error; never a success).
      v = contacts[1]
    end
    return wrk.format("POST", "/support/contact/", contact_headers(v), contact_body(v))
""",
        expect_status=302,
        expect_location=CONTACT_SENT,
        contacts=True,
        groups=("support",),
    )
)

TIMED_COMMANDS = [
    TimedCommand(
        "import-devices",
        "manage.py import_devices: 1,000,000 new serial numbers from CSV",
        ("import_devices", "{import_csv}"),
    ),
    TimedCommand(
        "activation-codes",
        "manage.py generate_activation_codes: 1,000,000 codes, written to a CSV file",
        (
            "generate_activation_codes",
            "--offering",
            "care-refresh-mavic-2",
            "--country",
            "FR",
            "--quantity",
            "1000000",
            "--output",
            "{tmp}/codes.csv",
        ),
    ),
]


def _p99_under(scenario: str, limit_ms: float) -> Callable[[Results], tuple[bool, str]]:
    def check(results: Results) -> tuple[bool, str]:
        result = results.http[scenario]
        return result.p99_ms < limit_ms and not result.errors, f"{result.p99_ms:.1f} ms"

    return check


def _p95_under(scenario: str, limit_ms: float) -> Callable[[Results], tuple[bool, str]]:
    def check(results: Results) -> tuple[bool, str]:
        result = results.http[scenario]
        return result.p95_ms < limit_ms and not result.errors, f"{result.p95_ms:.1f} ms"

    return check


def _p95_at_most(scenario: str, limit_ms: float) -> Callable[[Results], tuple[bool, str]]:
    def check(results: Results) -> tuple[bool, str]:
        result = results.http[scenario]
        return result.p95_ms <= limit_ms and not result.errors, f"{result.p95_ms:.1f} ms"

    return check


def _p99_at_most(scenario: str, limit_ms: float) -> Callable[[Results], tuple[bool, str]]:
    def check(results: Results) -> tuple[bool, str]:
        result = results.http[scenario]
        return result.p99_ms <= limit_ms and not result.errors, f"{result.p99_ms:.1f} ms"

    return check


def _scan_opens_at_most(limit_ms: float) -> Callable[[Results], tuple[bool, str]]:
    """Opening a case from a scanned number: the scan's answer, and the case page too when the
    scan answers with a redirection to it (the sum of the two p95s: an upper bound)."""

    def check(results: Results) -> tuple[bool, str]:
        scan = results.http["ws-scan"]
        if not scan.redirected:
            return scan.p95_ms <= limit_ms and not scan.errors, f"{scan.p95_ms:.1f} ms"
        page = results.http["ws-case"]
        total = scan.p95_ms + page.p95_ms
        ok = total <= limit_ms and not (scan.errors or page.errors)
        return ok, f"{total:.1f} ms (scan {scan.p95_ms:.1f} + case page {page.p95_ms:.1f})"

    return check


def queue_targets(names: Iterable[str]) -> list[Target]:
    """Issue 8: each work queue page (the queues found on the dashboard) p95 ≤ 100 ms."""
    return [
        Target(
            f"Work queue {name.removeprefix('ws-queue-')}: GET p95 ≤ 100 ms",
            _p95_at_most(name, 100),
        )
        for name in names
        if name.startswith("ws-queue-")
    ]


def _pdf_under(limit_s: float) -> Callable[[Results], tuple[bool, str]]:
    def check(results: Results) -> tuple[bool, str]:
        if results.pdf is None:
            raise KeyError("pdf")
        slowest = max(results.pdf.warm_s)
        return slowest < limit_s, f"{slowest:.2f} s"

    return check


def _label_pdf_at_most(limit_s: float) -> Callable[[Results], tuple[bool, str]]:
    def check(results: Results) -> tuple[bool, str]:
        if results.label_pdf is None:
            raise KeyError("label")
        slowest = max(results.label_pdf.warm_s)
        return slowest <= limit_s, f"{slowest * 1000:.0f} ms"

    return check


def _rps_ratio(scenario: str, baseline: str, ratio: float) -> Callable[[Results], tuple[bool, str]]:
    def check(results: Results) -> tuple[bool, str]:
        measured = results.http[scenario].rps / results.http[baseline].rps
        return measured >= ratio, f"{measured:.2f} × {baseline}"

    return check


def _under(name: str, limit_s: float) -> Callable[[Results], tuple[bool, str]]:
    def check(results: Results) -> tuple[bool, str]:
        seconds = results.seconds[name]
        return seconds < limit_s, f"{seconds:.1f} s"

    return check


# Issue 3, "Speed".
TARGETS = [
    Target("Coverage p99 < 20 ms (random device)", _p99_under("coverage", 20)),
    Target("Coverage p99 < 20 ms (device with a plan)", _p99_under("coverage-plan", 20)),
    Target("Coverage rps ≥ 0.5 × ping (random device)", _rps_ratio("coverage", "ping", 0.5)),
    Target(
        "Coverage rps ≥ 0.5 × ping (device with a plan)",
        _rps_ratio("coverage-plan", "ping", 0.5),
    ),
    Target("Import 1,000,000 devices from CSV < 60 s", _under("import-devices", 60)),
    Target("Generate 1,000,000 activation codes < 60 s", _under("activation-codes", 60)),
    # Issue 4, "Speed".
    *(
        Target(f"Wizard step {slug}: GET p95 < 100 ms", _p95_under(f"step-{slug}", 100))
        for slug in WIZARD_STEPS
    ),
    Target(
        "Wizard step problems: POST (saved) p95 < 100 ms", _p95_under("step-problems-post", 100)
    ),
    Target("Submit a case p99 < 150 ms", _p99_under("submit", 150)),
    Target("Case-form PDF < 1 s (slowest of the renders after the first)", _pdf_under(1.0)),
    # Issue 8, "Speed" (the work queues' targets come from queue_targets()).
    Target("Open a case from a scanned number: p95 ≤ 50 ms", _scan_opens_at_most(50)),
    Target("Staff search by serial number: p95 ≤ 50 ms", _p95_at_most("ws-search-serial", 50)),
    Target(
        "Staff search by a former serial number: p95 ≤ 50 ms",
        _p95_at_most("ws-search-former-serial", 50),
    ),
    Target("Staff search by case number: p95 ≤ 50 ms", _p95_at_most("ws-search-case", 50)),
    Target("Staff search by e-mail: p95 ≤ 50 ms", _p95_at_most("ws-search-email", 50)),
    Target(
        "A transition (one step, by the case page's form): p99 ≤ 100 ms",
        _p99_at_most("ws-transition", 100),
    ),
    # Issue 9, "Speed".
    Target(
        "Label PDF ≤ 300 ms each (slowest of the labels after the first)",
        _label_pdf_at_most(0.3),
    ),
    # Issue 10, "Speed".
    Target("Help-centre search with 1,000 articles: p95 ≤ 50 ms", _p95_at_most("help-search", 50)),
    # Issue 9, "Speed": the dashboard p95 ≤ 300 ms for a 90-day period.
    Target(
        "Workshop dashboard, the last 90 days: p95 ≤ 300 ms",
        _p95_at_most("ws-centre-dashboard", 300),
    ),
    Target(
        "Workshop dashboard, a random past 90-day period: p95 ≤ 300 ms",
        _p95_at_most("ws-centre-dashboard-period", 300),
    ),
    Target(
        "Workshop dashboard, a plot of a random past 90-day period: p95 ≤ 300 ms",
        _p95_at_most("ws-centre-dashboard-plot", 300),
    ),
    # Issue 10, "Speed": the contact form submission p99 ≤ 150 ms (e-mails queued, not sent).
    Target(
        "Contact form submission (logged out, a code and a PDF; e-mail queued): p99 ≤ 150 ms",
        _p99_at_most("support-contact-submit", 150),
    ),
    # Issue 10, "Speed": the inbox queue p95 ≤ 100 ms with 100,000 tickets.
    *[
        Target(
            f"Support inbox queue {queue}: GET p95 ≤ 100 ms",
            _p95_at_most(f"support-queue-{queue}", 100),
        )
        for queue in SUPPORT_QUEUES
    ],
]

LUA_DIR = Path(__file__).with_name("wrk")
