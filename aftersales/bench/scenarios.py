"""What `make bench` measures, and the target of each figure.

To add an HTTP scenario, append an `HttpScenario` to `HTTP_SCENARIOS` (its `request_lua` is the
body of wrk's `request()` function: build a path, return `wrk.format(...)`; the Lua variables
`devices`, `plans` and the function `serial(n)` are there to pick a known device), and a
`Target` that reads its figures. A command to time goes in `TIMED_COMMANDS`.
"""

from __future__ import annotations

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
class Results:
    http: dict[str, HttpResult] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


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
]

LUA_DIR = Path(__file__).with_name("wrk")
