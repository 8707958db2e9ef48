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
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


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
    seconds: dict[str, float] = field(default_factory=dict)
    pdf: PdfResult | None = None


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


def _pdf_under(limit_s: float) -> Callable[[Results], tuple[bool, str]]:
    def check(results: Results) -> tuple[bool, str]:
        if results.pdf is None:
            raise KeyError("pdf")
        slowest = max(results.pdf.warm_s)
        return slowest < limit_s, f"{slowest:.2f} s"

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
]

LUA_DIR = Path(__file__).with_name("wrk")
